"""Cover art: Apple's rules for user covers, and the generated default."""

import io
from pathlib import Path

import pytest
from PIL import Image

from digest.errors import InputError
from digest.publish.cover import cover_problems, default_cover, embedded_jpeg, inspect_cover, read_cover


def image_file(path, size, fmt="PNG", mode="RGB"):
    Image.new(mode, size, "navy" if mode == "RGB" else 0).save(path, format=fmt)
    return path


def test_default_cover_is_a_square_png_within_apples_range():
    data = default_cover("Harbour Weekly")
    info = inspect_cover(data)
    assert (info.format, info.width, info.height, info.mode) == ("PNG", 1400, 1400, "RGB")
    assert cover_problems(info) == []


def test_default_cover_is_deterministic_and_depends_on_the_name():
    assert default_cover("Harbour Weekly") == default_cover("Harbour Weekly")
    assert default_cover("Harbour Weekly") != default_cover("Mill Street News")


def test_default_cover_draws_the_title_in_white():
    with Image.open(io.BytesIO(default_cover("A rather long programme name that needs wrapping"))) as image:
        colours = dict((colour, count) for count, colour in image.getcolors(1_000_000))
    assert colours.get((255, 255, 255), 0) > 10_000  # plenty of white text pixels


@pytest.mark.parametrize("size, fmt, mode, message", [
    ((1400, 1500), "PNG", "RGB", "not square"),
    ((1000, 1000), "PNG", "RGB", "not 1400-3000"),
    ((3100, 3100), "PNG", "RGB", "not 1400-3000"),
    ((1400, 1400), "GIF", "P", "not JPEG or PNG"),
    ((1400, 1400), "JPEG", "CMYK", "colour model"),
])
def test_bad_covers_are_rejected_with_the_reason(tmp_path, size, fmt, mode, message):
    path = image_file(tmp_path / "cover.img", size, fmt, mode)
    with pytest.raises(InputError, match=message):
        read_cover(path)


def test_not_an_image_and_missing_file(tmp_path):
    (tmp_path / "cover.png").write_text("hello", encoding="utf-8")
    with pytest.raises(InputError, match="not a readable image"):
        read_cover(tmp_path / "cover.png")
    with pytest.raises(InputError, match="cannot read cover"):
        read_cover(tmp_path / "missing.png")


def test_good_jpeg_cover_and_its_embedded_copy(tmp_path):
    data, info = read_cover(image_file(tmp_path / "c.jpg", (2000, 2000), "JPEG"))
    assert (info.mime, info.suffix) == ("image/jpeg", ".jpg")
    with Image.open(io.BytesIO(embedded_jpeg(data))) as small:
        assert small.format == "JPEG" and small.size == (600, 600)


def test_default_cover_in_the_folder_is_reused_only_for_its_title(tmp_path):
    from digest.publish.cover import default_cover, reusable_default_cover

    path = tmp_path / "default-cover.png"
    path.write_bytes(default_cover("Morning Brief"))
    assert reusable_default_cover(path, "Morning Brief") == path.read_bytes()
    other = reusable_default_cover(path, "Evening Brief")
    assert other != path.read_bytes() and other == default_cover("Evening Brief")
    path.write_bytes(b"not a png")
    assert reusable_default_cover(path, "Morning Brief") == default_cover("Morning Brief")


def test_a_new_folder_takes_the_default_cover_drawn_before_for_its_title(tmp_path, monkeypatch):
    from digest.publish import cover

    first = cover.reusable_default_cover(tmp_path / "one" / "default-cover.png", "Morning Brief")
    assert first == cover.default_cover("Morning Brief")

    def no_drawing(title, side=cover.DEFAULT_SIDE):
        raise AssertionError(f"drew {title!r} again")

    monkeypatch.setattr(cover, "default_cover", no_drawing)
    assert cover.reusable_default_cover(tmp_path / "two" / "default-cover.png", "Morning Brief") == first
    with pytest.raises(AssertionError, match="Evening Brief"):
        cover.reusable_default_cover(tmp_path / "two" / "default-cover.png", "Evening Brief")


def test_a_kept_cover_that_is_not_whole_is_made_again(tmp_path):
    from platformdirs import user_cache_dir

    from digest.publish import cover

    drawn = cover.reusable_default_cover(tmp_path / "default-cover.png", "Morning Brief")
    (kept,) = (Path(user_cache_dir("digest", appauthor=False)) / "covers").glob("default-*.png")
    kept.write_bytes(drawn[: len(drawn) // 2])  # cut short, as by a full disk
    assert cover.reusable_default_cover(tmp_path / "default-cover.png", "Morning Brief") == drawn
    assert kept.read_bytes() == drawn

    small = cover.embedded_jpeg_remembered(drawn)
    (jpeg,) = (Path(user_cache_dir("digest", appauthor=False)) / "covers").glob("*.jpg")
    jpeg.write_bytes(b"\xff\xd8 not a picture")
    assert cover.embedded_jpeg_remembered(drawn) == small


def test_a_folder_with_the_cover_kept_in_the_cache_reuses_it_without_opening_it(tmp_path, monkeypatch):
    from digest.publish import cover

    path = tmp_path / "default-cover.png"
    path.write_bytes(cover.reusable_default_cover(path, "Morning Brief"))
    monkeypatch.setattr(cover, "_drawn_for", lambda data: pytest.fail("opened the cover"))
    assert cover.reusable_default_cover(path, "Morning Brief") == path.read_bytes()


def test_the_kept_covers_stay_few_the_least_recently_used_let_go(tmp_path, monkeypatch):
    import os

    from platformdirs import user_cache_dir

    from digest.publish import cover

    monkeypatch.setattr(cover, "MAX_KEPT_COVERS", 3)
    monkeypatch.setattr(cover, "default_cover", lambda title, side=cover.DEFAULT_SIDE: default_cover_stub(title))
    kept = Path(user_cache_dir("digest", appauthor=False)) / "covers"
    dated = set()
    for minute, title in enumerate(["A", "B", "C"]):
        cover.reusable_default_cover(tmp_path / title / "default-cover.png", title)
        (new,) = set(kept.iterdir()) - dated  # kept a minute apart, an hour ago
        os.utime(new, (new.stat().st_mtime - 3600 + 60 * minute,) * 2)
        dated.add(new)
    cover.reusable_default_cover(tmp_path / "A2" / "default-cover.png", "A")  # A used again: kept
    cover.reusable_default_cover(tmp_path / "D" / "default-cover.png", "D")
    names = {path.read_bytes() for path in kept.iterdir()}
    assert names == {default_cover_stub("A"), default_cover_stub("C"), default_cover_stub("D")}


def default_cover_stub(title: str) -> bytes:
    return b"\x89PNG\r\n\x1a\n" + title.encode() + b"IEND\xaeB`\x82"
