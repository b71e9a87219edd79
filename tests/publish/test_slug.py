import pytest

from digest.publish.slug import MAX_SLUG, slugify


@pytest.mark.parametrize("title, expected", [
    ("City council approves new bike lanes: Report", "city-council-approves-new-bike-lanes-report"),
    ("Café crème à Genève", "cafe-creme-a-geneve"),
    ("../../etc/passwd", "etc-passwd"),
    ("/absolute/path", "absolute-path"),
    ("nul\x00byte", "nul-byte"),
    ("C:\\Windows\\system32", "c-windows-system32"),
    ("...", "episode"),
    ("", "episode"),
    ("東京の天気", "episode"),
    ("<script>alert(1)</script>", "script-alert-1-script"),
])
def test_slugs_are_safe_file_names(title, expected):
    assert slugify(title) == expected


def test_long_titles_are_cut_at_a_word_boundary():
    slug = slugify("word " * 100)
    assert len(slug) <= MAX_SLUG and not slug.endswith("-") and slug.startswith("word-word")


@pytest.mark.parametrize("title", ["../x", "..", "a/../../b", "\u202e\u0000/.\\", "x" * 5000])
def test_a_slug_never_leaves_the_folder(tmp_path, title):
    path = (tmp_path / f"2026-11-25-{slugify(title)}.mp3").resolve()
    assert path.parent == tmp_path.resolve()
    assert len(path.name) < 100
