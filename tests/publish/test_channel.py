"""The podcast as a whole through `digest make`/`feed`: cover, programme and settings remembered."""

from mutagen.id3 import ID3
from PIL import Image

from digest.publish.channel import plan_channel, publish
from digest.publish.settings import load_settings


def cover_file(path, side=1500, fmt="JPEG"):
    Image.new("RGB", (side, side), "teal").save(path, format=fmt)
    return path


def test_make_with_cover_and_programme_remembers_both(cli, tmp_path, article_file, fake_google):
    out = tmp_path / "audio"
    cover = cover_file(tmp_path / "art.jpg")
    code, _, err = cli("make", article_file, "-o", out, "--engine", "gtts", "-q",
                       "--cover", cover, "--programme", "Harbour Weekly")
    assert code == 0, err
    assert (out / "cover.jpg").read_bytes() == cover.read_bytes()
    settings = load_settings(out)
    assert (settings.cover, settings.title) == ("cover.jpg", "Harbour Weekly")
    [mp3] = out.glob("*.mp3")
    assert ID3(str(mp3)).getall("APIC")[0].mime == "image/jpeg"
    feed = (out / "feed.xml").read_text(encoding="utf-8")
    assert 'itunes:image href="http://127.0.0.1:8000/cover.jpg"' in feed
    assert "<title>Harbour Weekly</title>" in feed

    # Without the flags the remembered programme is spoken and used again.
    fake_google.requests.clear()
    second = tmp_path / "second.txt"
    second.write_text("Tide tables\n\nHigh water is at noon.", encoding="utf-8")
    assert cli("make", second, "-o", out, "--engine", "gtts", "-q")[0] == 0
    assert any("Welcome to Harbour Weekly" in r.text for r in fake_google.requests)


def test_a_bad_cover_fails_before_any_work(cli, tmp_path, article_file, fake_google):
    small = cover_file(tmp_path / "small.png", side=800, fmt="PNG")
    out = tmp_path / "audio"
    code, _, err = cli("make", article_file, "-o", out, "--engine", "gtts", "--cover", small)
    assert code == 2 and err.count("\n") == 1
    assert "is 800 px wide, not 1400-3000" in err
    assert fake_google.count == 0 and not out.exists()


def test_feed_cover_flag_replaces_the_default(tmp_path, cli):
    out = tmp_path / "audio"
    out.mkdir()
    assert cli("feed", "-o", out)[0] == 0
    assert "default-cover.png" in (out / "feed.xml").read_text(encoding="utf-8")
    assert cli("feed", "-o", out, "--cover", cover_file(tmp_path / "art.png", fmt="PNG"))[0] == 0
    assert 'href="http://127.0.0.1:8000/cover.png"' in (out / "feed.xml").read_text(encoding="utf-8")


def test_default_cover_follows_a_new_programme_name(tmp_path):
    publish(tmp_path, plan_channel(tmp_path))
    first = (tmp_path / "default-cover.png").read_bytes()
    publish(tmp_path, plan_channel(tmp_path, programme="Evening Edition"))
    assert (tmp_path / "default-cover.png").read_bytes() != first
    assert load_settings(tmp_path).title == "Evening Edition"


def test_cover_setting_must_name_a_file_in_the_folder(tmp_path, cli):
    (tmp_path / "digest.toml").write_text('cover = "../elsewhere.png"\n', encoding="utf-8")
    code, _, err = cli("feed", "-o", tmp_path)
    assert code == 2 and "must be the name of an image file" in err
