"""digest batch --group-by source: a subfolder and feed per source (digest/batch/groups.py).

Piper speaks (offline); stories are a sentence or two so that a batch stays short.
"""

from __future__ import annotations

import json
from pathlib import Path

import feedparser
import pytest

from digest.batch import BatchOptions, run_batch
from digest.batch.client import STAGING_NAME
from digest.batch.groups import group_folder_name, source_of
from digest.errors import InputError
from digest.make import MakeOptions
from digest.models import Article
from tests.test_batch import NOW


def story(title, source=None, url=None, text=None):
    return {"title": title, "source": source, "url": url, "date": "2026-11-20",
            "text": text or f"The {title.lower()} drew a crowd on Friday. Everyone stayed late."}


def write_json(path: Path, stories: list[dict]) -> Path:
    path.write_text(json.dumps([{k: v for k, v in s.items() if v is not None} for s in stories]), encoding="utf-8")
    return path


@pytest.mark.parametrize("source, folder", [
    ("news.example", "news.example"),
    ("tech-news", "tech-news"),
    ("Tech News", "tech-news--973c1f456c"),
    ("../../etc", "etc--74ccf3c5b4"),
    ("/abs/path", "path--6d80187b45"),
    ("..", "source--5ec1f7e700"),
    (".hidden", "hidden--1692419006"),
    ("feed.xml", "feed-xml--f81c1c3a1a"),
    ("con", "con--1143da2bc5"),
    ("日本語ニュース", "source--ec39ee6caf"),
])
def test_a_source_names_one_safe_folder_the_same_on_every_run(source, folder):
    assert group_folder_name(source) == folder
    assert "/" not in folder and "\\" not in folder and not folder.startswith(".")


def test_sources_that_slug_alike_still_get_different_folders():
    names = ["Tech News", "tech news", "TECH-NEWS", "tech-news", "Tech  News!", "tech--news"]
    assert len({group_folder_name(name) for name in names}) == len(names)


def test_a_story_comes_from_its_source_else_its_host_else_its_input():
    assert source_of(Article("t", "b", source="  Harbour   News "), "in") == "Harbour News"
    assert source_of(Article("t", "b", url="https://www.Market.example/a?x=1"), "in") == "market.example"
    assert source_of(Article("t", "b"), "stories/local/") == str(Path("stories/local").resolve())
    assert source_of(Article("t", "b"), None) == "stdin"


@pytest.fixture(scope="module")
def grouped(tmp_path_factory):
    """Five stories from three sources (a named one, a host, a folder of text files) plus a
    hostile source name, made by two local processes into per-source folders."""
    root = tmp_path_factory.mktemp("groups")
    array = write_json(root / "stories.json", [
        story("Quay lamps", source="Harbour News", url="https://harbour.example/quay"),
        story("Fish market", url="https://market.example/fish"),
        story("Ferry fares", source="Harbour News", url="https://harbour.example/ferry"),
        story("Escape", source="../../Escape"),
    ])
    local = root / "local"
    local.mkdir()
    (local / "choir.txt").write_text("date 2026-11-20 Choir news\n\nThe choir sang in the square. Everyone came.\n", encoding="utf-8")
    out, cache = root / "out", root / "cache"
    # A group folder that already names its feed keeps that name.
    (out / group_folder_name("Harbour News")).mkdir(parents=True)
    (out / group_folder_name("Harbour News") / "digest.toml").write_text('title = "Harbour Hour"\n', encoding="utf-8")
    make = MakeOptions(inputs=[str(array), str(local)], output_dir=out, engine="piper", cache_dir=cache,
                       base_url="https://audio.example/site/")
    result = run_batch(BatchOptions(make, processes=2, group_by="source", now=NOW))
    return root, array, local, out, cache, result


def test_each_source_gets_its_own_folder_and_valid_feed(grouped):
    root, array, local, out, cache, result = grouped
    assert [o.status for o in result.outcomes] == ["made"] * 5
    folders = {g.source: g.folder for g in result.groups}
    assert folders == {"Harbour News": out / group_folder_name("Harbour News"),
                       "market.example": out / "market.example",
                       "../../Escape": out / group_folder_name("../../Escape"),
                       str(local): out / group_folder_name(str(local))}
    assert folders[str(local)].name.startswith("local--")
    assert sorted(p.name for p in out.iterdir()) == sorted(f.name for f in folders.values())  # nothing else on top
    titles = {}
    for group in result.groups:
        assert group.feed_path == group.folder / "feed.xml"
        feed = feedparser.parse(str(group.feed_path))
        assert not feed.bozo
        titles[group.source] = feed.feed.title
        mp3s = sorted(group.folder.glob("*.mp3"))
        assert len(feed.entries) == len(mp3s) == len(group.outcomes)
        for entry in feed.entries:
            [enclosure] = entry.enclosures
            name = enclosure.href.rsplit("/", 1)[1]
            assert enclosure.href == f"https://audio.example/site/{group.folder.name}/{name}"
            assert int(enclosure.length) == (group.folder / name).stat().st_size
        assert (group.folder / "index.html").is_file()
        assert list((group.folder / STAGING_NAME).iterdir()) == []
    # Named by the source, unless the folder's digest.toml named it already.
    assert titles == {"Harbour News": "Harbour Hour", "market.example": "market.example",
                      "../../Escape": "../../Escape", str(local): "local"}
    harbour = feedparser.parse(str(folders["Harbour News"] / "feed.xml"))
    assert [e.title for e in harbour.entries] == ["Quay lamps", "Ferry fares"]  # the inputs' order


def test_json_names_each_outcomes_group_and_folder_and_a_rerun_does_nothing(grouped, cli):
    root, array, local, out, cache, result = grouped
    summary = result.summary()
    by_title = {o["title"]: o for o in summary["outcomes"]}
    assert by_title["Fish market"]["group"] == "market.example"
    assert by_title["Fish market"]["folder"] == str(out / "market.example")
    assert summary["feed"] is None
    assert {g["source"]: g["made"] for g in summary["groups"]} == {
        "Harbour News": 2, "market.example": 1, "../../Escape": 1, str(local): 1}
    before = {p: p.stat().st_mtime_ns for p in out.rglob("*.mp3")}
    argv = ["batch", array, local, "-o", out, "--engine", "piper", "--cache-dir", cache, "--group-by", "source",
            "--base-url", "https://audio.example/site/"]
    code, stdout, stderr = cli(*argv)
    assert code == 0, stderr
    lines = stdout.splitlines()
    assert lines[0] == f"nothing to do: all 5 articles up to date in {out} (4 feeds)"
    harbour = out / group_folder_name("Harbour News")
    assert f"{harbour / 'feed.xml'}: 0 episodes made, 2 up to date, 0 failed (Harbour News)" in lines
    assert len(lines) == 5
    assert {p: p.stat().st_mtime_ns for p in out.rglob("*.mp3")} == before
    code, stdout, _ = cli(*argv, "--json")
    summary = json.loads(stdout)
    assert (summary["made"], summary["up_to_date"]) == (0, 5)
    assert {g["source"]: g["up_to_date"] for g in summary["groups"]}["Harbour News"] == 2
    assert {o["group"] for o in summary["outcomes"]} == {"Harbour News", "market.example", "../../Escape", str(local)}


def test_a_folder_typed_another_way_is_the_same_source(grouped, cli, monkeypatch):
    """./local/ from its parent is the folder given by its full path before: same group, same feed."""
    root, array, local, out, cache, result = grouped
    monkeypatch.chdir(local.parent)
    code, stdout, stderr = cli("batch", "./local/", "-o", out, "--engine", "piper", "--cache-dir", cache,
                               "--group-by", "source", "--base-url", "https://audio.example/site/", "--json")
    assert code == 0, stderr
    summary = json.loads(stdout)
    assert (summary["made"], summary["up_to_date"]) == (0, 1)
    assert [g["source"] for g in summary["groups"]] == [str(local.resolve())]
    assert sorted(p.name for p in out.iterdir()) == sorted(g.folder.name for g in result.groups)


def test_a_rerun_that_forgets_group_by_is_refused_before_any_work(grouped, cli):
    root, array, local, out, cache, result = grouped
    before = sorted(out.rglob("*"))
    code, stdout, stderr = cli("batch", array, "-o", out, "--engine", "piper", "--cache-dir", cache)
    assert (code, stdout) == (2, "")
    assert stderr == (f"digest: error: {out} holds the feeds of a batch --group-by source (4 subfolders); "
                      "pass --group-by source again, or another -o folder\n")
    assert sorted(out.rglob("*")) == before


def test_new_groups_are_described_as_the_output_folder_is(tmp_path, cli):
    """Who owns the feeds, their category and so on are set once, in the output folder's digest.toml."""
    out = tmp_path / "out"
    code, _, stderr = cli("settings", "set", "owner_email", "audio@news.example", "-o", out)
    assert code == 0, stderr
    cli("settings", "set", "category", "Technology", "-o", out)
    kept = out / group_folder_name("Harbour News")
    kept.mkdir()
    (kept / "digest.toml").write_text('title = "Harbour Hour"\nowner_email = "harbour@news.example"\n',
                                      encoding="utf-8")
    stories = write_json(tmp_path / "s.json", [story("Quay lamps", source="Harbour News"),
                                               story("Fish market", url="https://market.example/fish")])
    code, _, stderr = cli("batch", stories, "-o", out, "--engine", "piper", "--cache-dir", tmp_path / "cache",
                          "--group-by", "source", "-q")
    assert code == 0, stderr
    market = feedparser.parse(str(out / "market.example" / "feed.xml"))
    assert market.feed.title == "market.example"  # its own name, as before
    assert market.feed.publisher_detail.email == "audio@news.example"
    assert [tag.term for tag in market.feed.tags][0] == "Technology"
    harbour = feedparser.parse(str(kept / "feed.xml"))  # a group that has its own settings keeps them
    assert (harbour.feed.title, harbour.feed.publisher_detail.email) == ("Harbour Hour", "harbour@news.example")


def test_programme_cannot_name_every_group(tmp_path, cli):
    stories = write_json(tmp_path / "s.json", [story("Quay lamps", source="Harbour News")])
    code, stdout, stderr = cli("batch", stories, "-o", tmp_path / "out", "--engine", "piper", "--group-by", "source",
                               "--programme", "All")
    assert code == 2 and stdout == ""
    assert stderr.startswith("digest: error: --programme names one feed; with --group-by source")
    assert not (tmp_path / "out").exists()
    with pytest.raises(InputError, match="--group-by takes source"):
        BatchOptions(MakeOptions(inputs=[str(stories)], output_dir=tmp_path / "out"), group_by="author")
