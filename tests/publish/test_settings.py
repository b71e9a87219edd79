"""digest.toml: defaults, remembered flags, preserved comments, podcast:guid."""

import pytest

from digest.errors import InputError
from digest.publish.settings import (
    FeedSettings,
    config_path,
    load_settings,
    network_address,
    podcast_guid,
    remember,
    serve_url,
)


def test_podcast_guid_matches_the_specification_vector():
    assert podcast_guid("https://podnews.net/rss") == "9b024349-ccf0-5f69-a609-6b82873eab3c"
    assert podcast_guid("podnews.net/rss/") == "9b024349-ccf0-5f69-a609-6b82873eab3c"
    assert podcast_guid("http://podnews.net/rss//") == "9b024349-ccf0-5f69-a609-6b82873eab3c"


def test_defaults_without_a_file_and_nothing_written(tmp_path):
    settings = load_settings(tmp_path / "audio")
    assert settings == FeedSettings()
    assert settings.feed_url == "http://127.0.0.1:8000/feed.xml"
    assert not (tmp_path / "audio").exists()


def test_first_use_creates_a_commented_file_seeded_once(tmp_path):
    settings = remember(tmp_path, seed={"language": "de"})
    text = config_path(tmp_path).read_text(encoding="utf-8")
    assert settings.language == "de" and 'language = "de"' in text
    assert "# programme name" in text
    # The seed only applies when the file is created.
    assert remember(tmp_path, seed={"language": "fr"}).language == "de"


def test_overrides_are_remembered_and_comments_kept(tmp_path):
    remember(tmp_path)
    path = config_path(tmp_path)
    path.write_text(path.read_text(encoding="utf-8").replace('title = "Digest"', 'title = "Mine"  # my comment'),
                    encoding="utf-8")
    remember(tmp_path, base_url="http://192.168.1.5:8000", port=9000)
    text = path.read_text(encoding="utf-8")
    assert 'title = "Mine"  # my comment' in text
    assert 'base_url = "http://192.168.1.5:8000/"' in text and "port = 9000" in text
    assert load_settings(tmp_path).feed_url == "http://192.168.1.5:8000/feed.xml"


def test_none_overrides_change_nothing(tmp_path):
    remember(tmp_path)
    before = config_path(tmp_path).stat().st_mtime_ns
    remember(tmp_path, title=None, base_url=None)
    assert config_path(tmp_path).stat().st_mtime_ns == before


def test_guid_is_pinned_only_for_a_public_address(tmp_path):
    assert remember(tmp_path, base_url="http://localhost:8000/").guid == ""
    pinned = remember(tmp_path, base_url="https://example.org/pod/")
    assert pinned.guid == podcast_guid("example.org/pod/feed.xml")
    moved = remember(tmp_path, base_url="https://example.net/")
    assert moved.podcast_guid == pinned.guid


def test_serve_url_for_any_interface_names_an_address_of_this_machine():
    import socket
    from urllib.parse import urlsplit

    host = urlsplit(serve_url("0.0.0.0", 8080)).hostname
    assert host == network_address() and host != "0.0.0.0"
    # The links must lead back here: the named address is one this machine can listen on.
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as listener:
        listener.bind((host, 0))
    assert serve_url("127.0.0.1", 8080) == "http://127.0.0.1:8080/"
    assert serve_url("::1", 8080) == "http://[::1]:8080/"


def test_network_address_falls_back_to_loopback_without_a_route(monkeypatch):
    import socket

    class NoRoute(socket.socket):
        def connect(self, address):
            raise OSError("Network is unreachable")

    monkeypatch.setattr(socket, "socket", NoRoute)
    assert network_address(socket.AF_INET) == "127.0.0.1"
    assert serve_url("0.0.0.0", 8080) == "http://127.0.0.1:8080/"


@pytest.mark.parametrize("content, message", [
    ("title = \n", "not valid TOML"),
    ("colour = 'red'\n", "unknown setting 'colour'"),
    ("port = 'eighty'\n", "port must be a whole number"),
    ("port = 70000\n", "port must be between"),
    ("explicit = 'no'\n", "explicit must be true or false"),
    ("base_url = 'ftp://x/'\n", "must be an http(s) URL"),
    ("base_url = 'https://example.org/my podcast/'\n", "contains spaces; write them as %20"),
    ("language = 'english please'\n", "not a language code"),
    ("guid = 'abc'\n", "not a UUID"),
    ("title = ' '\n", "title cannot be empty"),
])
def test_bad_settings_are_input_errors(tmp_path, content, message):
    config_path(tmp_path).write_text(content, encoding="utf-8")
    with pytest.raises(InputError, match=message.replace("(", r"\(").replace(")", r"\)")):
        load_settings(tmp_path)
