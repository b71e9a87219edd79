"""Run preferences in digest.toml: typed, checked like their flags, resolved flag > file > default."""

import pytest

from digest.errors import InputError
from digest.publish.preferences import file_values, key_for, resolve, set_value, show, unset_value
from digest.publish.settings import config_path, load_settings, remember


def _write(folder, text):
    folder.mkdir(exist_ok=True)
    config_path(folder).write_text(text, encoding="utf-8")


def test_flag_wins_over_file_wins_over_default(tmp_path):
    _write(tmp_path, "speed = 1.25\nchime = true\n")
    resolved = resolve(tmp_path, {"speed": 1.5, "chime": None, "limit": None})
    assert resolved.values == {"speed": 1.5, "chime": True, "limit": 10}
    assert resolved.sources == {"speed": "flag", "chime": "file", "limit": "default"}


def test_a_named_voice_means_piper_unless_an_engine_is_named(tmp_path):
    assert resolve(tmp_path, {"engine": None, "voice": "v.onnx"}).values["engine"] == "piper"
    assert resolve(tmp_path, {"engine": None, "voice": "v.onnx"}).sources["engine"] == "voice"
    assert resolve(tmp_path, {"engine": "auto", "voice": "v.onnx"}).values["engine"] == "auto"
    assert resolve(tmp_path, {"engine": None, "voice": None}).values["engine"] == "auto"
    _write(tmp_path, 'engine = "gtts"\n')
    assert resolve(tmp_path, {"engine": None, "voice": "v.onnx"}).values["engine"] == "gtts"


def test_a_voice_in_the_file_is_relative_to_the_folder(tmp_path):
    (tmp_path / "voices").mkdir()
    (tmp_path / "voices" / "v.onnx").write_bytes(b"x")
    (tmp_path / "voices" / "v.onnx.json").write_text("{}")
    _write(tmp_path, 'voice = "voices/v.onnx"\n')
    assert file_values(tmp_path) == {"voice": str(tmp_path / "voices" / "v.onnx")}
    assert resolve(tmp_path, {"engine": None, "voice": None}).values["engine"] == "piper"


@pytest.mark.parametrize("text, message", [
    ("speed = 5.0\n", "speed: must be between 0.75 and 2, not 5"),
    ('speed = "fast"\n', "speed: must be a number, not 'fast'"),
    ("chime = 1\n", "chime: must be true or false, not 1"),
    ('engine = "espeak"\n', "engine: unknown engine 'espeak'; choose one of: gtts, piper, auto"),
    ('tld = "moon"\n', "tld: unknown accent domain 'moon'"),
    ('voice = "missing.onnx"\n', "voice: Piper voice"),
    ("max_minutes = 0\n", "max_minutes: must be more than 0, not 0"),
    ("limit = 0\n", "limit: must be at least 1, not 0"),
    ("jobs = 1.5\n", "jobs: must be a whole number, not 1.5"),
    ('lang = "english please"\n', "lang: 'english please' is not a language code"),
    ("sped = 1.0\n", "unknown setting 'sped'; did you mean 'speed'?"),
])
def test_bad_values_name_the_file_and_the_key(tmp_path, text, message):
    _write(tmp_path, text)
    with pytest.raises(InputError) as error:
        file_values(tmp_path)
    assert str(error.value).startswith(f"{config_path(tmp_path)}: ")
    assert message in str(error.value) and "\n" not in str(error.value)


def test_feed_commands_accept_preferences_but_not_typos(tmp_path):
    _write(tmp_path, 'engine = "piper"\nspeed = 1.1\ntitle = "Mine"\n')
    assert load_settings(tmp_path).title == "Mine"
    _write(tmp_path, 'titel = "Mine"\n')
    with pytest.raises(InputError, match="did you mean 'title'"):
        load_settings(tmp_path)


def test_set_types_values_and_keeps_comments(tmp_path):
    remember(tmp_path)
    path = config_path(tmp_path)
    path.write_text(path.read_text().replace('title = "Digest"', 'title = "Mine"  # my own comment'))
    assert set_value(tmp_path, "speed", "1.2")[1:] == (1.2, True)
    assert set_value(tmp_path, "chime", "yes")[1:] == (True, True)
    assert set_value(tmp_path, "max-minutes", "15")[:2] == ("max_minutes", 15.0)
    assert set_value(tmp_path, "programme", "Morning Brief")[:2] == ("title", "Morning Brief")
    assert set_value(tmp_path, "speed", "1.2")[2] is False
    text = path.read_text()
    assert "speed = 1.2\n" in text and "chime = true\n" in text and "max_minutes = 15.0\n" in text
    assert 'title = "Morning Brief"  # my own comment' in text
    assert "# podcast:guid." in text and "# Run preferences" in text
    assert file_values(tmp_path) == {"speed": 1.2, "chime": True, "max_minutes": 15.0}


def test_set_refuses_bad_values_and_leaves_the_file(tmp_path):
    set_value(tmp_path, "speed", "1.1")
    before = config_path(tmp_path).read_bytes()
    for key, value, message in [("speed", "9", "speed: must be between"), ("speed", "fast", "must be a number"),
                                ("chime", "maybe", "must be true or false"), ("port", "http", "whole number"),
                                ("spede", "1", "did you mean 'speed'?"), ("speed", "nan", "must be a number")]:
        with pytest.raises(InputError, match=message):
            set_value(tmp_path, key, value)
    assert config_path(tmp_path).read_bytes() == before


def test_unset_brings_the_default_back(tmp_path):
    set_value(tmp_path, "engine", "gtts")
    assert unset_value(tmp_path, "engine") == ("engine", True)
    assert unset_value(tmp_path, "engine") == ("engine", False)
    assert "engine" not in file_values(tmp_path)
    assert resolve(tmp_path, {"engine": None}).values["engine"] == "auto"


def test_show_lists_values_and_sources(tmp_path):
    set_value(tmp_path, "speed", "1.3")
    rows = {row.key: row for row in show(tmp_path)}
    assert (rows["speed"].value, rows["speed"].source) == (1.3, str(config_path(tmp_path)))
    assert (rows["engine"].value, rows["engine"].source) == ("auto", "default")
    assert rows["tld"].value == "com" and rows["title"].value == "Digest"
    assert (rows["speed"].origin, rows["engine"].origin) == ("file", "default")


def test_show_names_the_environment_where_it_wins_over_the_file(tmp_path, monkeypatch):
    monkeypatch.delenv("DIGEST_FFMPEG", raising=False)
    monkeypatch.delenv("DIGEST_CACHE_MAX", raising=False)
    set_value(tmp_path, "ffmpeg", "/opt/ffmpeg-6/ffmpeg")
    rows = {row.key: row for row in show(tmp_path)}
    assert (rows["ffmpeg"].value, rows["ffmpeg"].origin) == ("/opt/ffmpeg-6/ffmpeg", "file")
    assert (rows["cache_max"].value, rows["cache_max"].source, rows["cache_max"].origin) == (
        "500.0 MB", "default", "default")

    monkeypatch.setenv("DIGEST_FFMPEG", "/usr/local/bin/ffmpeg")
    monkeypatch.setenv("DIGEST_CACHE_MAX", "200MB")
    rows = {row.key: row for row in show(tmp_path)}
    ffmpeg = rows["ffmpeg"]
    assert (ffmpeg.value, ffmpeg.source, ffmpeg.origin) == ("/usr/local/bin/ffmpeg", "DIGEST_FFMPEG", "environment")
    assert ffmpeg.note == f'overrides {config_path(tmp_path)}\'s "/opt/ffmpeg-6/ffmpeg"'
    assert (rows["cache_max"].value, rows["cache_max"].source) == ("200.0 MB", "DIGEST_CACHE_MAX")

    monkeypatch.setenv("DIGEST_CACHE_MAX", "lots")  # shown with what is wrong, not a failure of the listing
    row = {row.key: row for row in show(tmp_path)}["cache_max"]
    assert row.value == "lots" and "not a size" in row.note


def test_key_for_takes_flag_spellings():
    assert key_for("--max-minutes") == "max_minutes" and key_for("programme") == "title"


def test_setting_the_language_first_makes_it_the_channels_too(tmp_path):
    set_value(tmp_path, "lang", "de")
    assert load_settings(tmp_path).language == "de"
    assert set_value(tmp_path / "other", "speed", "1.1") and load_settings(tmp_path / "other").language == "en"
