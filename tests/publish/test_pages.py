"""The show page and the episode pages, read as HTML (the browser tests run their script)."""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import html
import json
import os
import re
import threading
from html.parser import HTMLParser

import pytest
from lxml import etree

from digest.publish import pages
from digest.publish.outputs import OUTPUTS, Material, build_sidecars, fingerprint_sidecars, matches_fingerprint
from digest.publish.serve import make_server
from digest.publish.tags import Chapter, EpisodeTags
from digest.publish.transcripts import Cue, read_cues
from tests.publish.test_serve import request


class Page(HTMLParser):
    """What the tests look at in a page: elements with their attributes and text."""

    def __init__(self, data: bytes) -> None:
        super().__init__(convert_charrefs=True)
        self.elements: list[tuple[str, dict, list[str]]] = []
        self._open: list[tuple[str, dict, list[str]]] = []
        self.scripts: list[tuple[dict, str]] = []
        self.styles: list[str] = []
        self.feed(data.decode("utf-8"))
        self.close()

    def handle_starttag(self, tag, attrs):
        element = (tag, dict(attrs), [])
        self.elements.append(element)
        if tag not in ("meta", "link", "img", "br", "input"):
            self._open.append(element)

    def handle_endtag(self, tag):
        while self._open:
            element = self._open.pop()
            if element[0] == tag:
                break

    def handle_data(self, data):
        for element in self._open:
            element[2].append(data)
        if self._open and self._open[-1][0] == "script":
            self.scripts.append((self._open[-1][1], data))
        if self._open and self._open[-1][0] == "style":
            self.styles.append(data)

    def all(self, tag, **attrs):
        return [(a, "".join(t)) for name, a, t in self.elements
                if name == tag and all(a.get(k.rstrip("_").replace("_", "-")) == v for k, v in attrs.items())]


def links_in(page: Page, container_id: str, tag="a") -> list[tuple[dict, str]]:
    """The <a> elements inside the element with `container_id` (the parser keeps them in order)."""
    found, inside, depth_tag = [], False, None
    for name, attrs, text in page.elements:
        if attrs.get("id") == container_id:
            inside, depth_tag = True, name
            continue
        if inside and name in ("section", "nav") and name != depth_tag:
            break
        if inside and name == "h2":
            break
        if inside and name == tag:
            found.append((attrs, "".join(text)))
    return found


def fragment_seconds(href: str) -> float:
    return float(href.removeprefix("#t="))


@pytest.fixture(scope="module")
def episode_page(published):
    return Page(published.sidecar(".html").read_bytes())


def test_the_episode_page_plays_its_mp3_with_its_chapters_and_every_cue(published, episode_page):
    [(audio, _)] = episode_page.all("audio")
    assert audio["src"] == published.mp3.name and "controls" in audio
    from digest.publish.tags import read_episode

    episode = read_episode(published.mp3)
    chapters = links_in(episode_page, "chapters")
    assert [text.split(" ", 1)[1] for _, text in chapters] == [c.title for c in episode.tags.chapters]
    assert [fragment_seconds(a["href"]) for a, _ in chapters] == pytest.approx(
        [c.start for c in episode.tags.chapters], abs=0.01)
    cues = read_cues(published.sidecar(".vtt").read_text(encoding="utf-8"))
    sentences = [(a, text) for a, text in links_in(episode_page, "transcript") if a.get("class") == "cue"]
    assert [text for _, text in sentences] == [html.unescape(c.text) for c in cues]  # WebVTT escapes "&"
    assert [fragment_seconds(a["href"]) for a, _ in sentences] == pytest.approx([c.start for c in cues], abs=0.01)
    [(_, timing)] = [(a, text) for a, text in episode_page.scripts if a.get("type") == "application/json"]
    parsed = json.loads(timing)
    assert [start for start, _ in parsed["cues"]] == pytest.approx([c.start for c in cues], abs=0.001)
    assert len(parsed["chapters"]) == len(chapters)
    # No element is marked current in the HTML: the script marks one of each as it plays.
    assert not [a for _, a, _ in episode_page.elements if "aria-current" in a]


def test_the_show_notes_link_stories_as_the_feed_does_and_never_a_javascript_url(episode_page):
    links = [a["href"] for a, _ in episode_page.all("a")]
    assert "https://news.example.org/ferries?id=7&lang=en" in links
    assert not [href for href in links if "javascript" in href.lower()]
    assert any("Mill Street bakery" in text for _, text in episode_page.all("li"))


def test_only_digests_own_script_and_style_may_run(published, episode_page):
    [(policy, _)] = episode_page.all("meta", http_equiv="Content-Security-Policy")
    rules = dict(rule.strip().split(" ", 1) for rule in policy["content"].split(";"))
    [code] = [text for attrs, text in episode_page.scripts if not attrs.get("type")]
    [style] = episode_page.styles

    def digest_of(text):
        return "'sha256-" + base64.b64encode(hashlib.sha256(text.encode()).digest()).decode() + "'"

    assert rules["script-src"] == digest_of(code) and rules["style-src"] == digest_of(style)
    assert rules["object-src"] == "'none'" and rules["base-uri"] == "'none'"
    # Nothing is fetched from elsewhere: every src and href stays in the folder or the page.
    references = [a.get("src") or a.get("href") for _, a, _ in episode_page.elements if a.get("src") or a.get("href")]
    assert all(not re.match(r"^[a-z]+:", ref) or ref.startswith("https://news.example.org/") for ref in references)


def test_the_show_page_lists_the_episode_and_links_feed_and_cover(published):
    show = Page((published.folder / "index.html").read_bytes())
    [(_, title)] = show.all("h1")
    assert title == "Harbour Weekly"
    hrefs = [a["href"] for a, _ in show.all("a")]
    assert published.sidecar(".html").name in hrefs and "feed.xml" in hrefs
    assert [a["src"] for a, _ in show.all("img")] == ["default-cover.png"]
    assert show.all("link", rel="alternate", type="application/rss+xml")
    assert any("2026-11-25" == a.get("datetime") for a, _ in show.all("time"))


def test_the_feed_links_the_pages_and_the_check_passes(published, cli):
    channel = etree.parse(str(published.folder / "feed.xml")).getroot().find("channel")
    assert channel.findtext("link").endswith("/index.html")
    assert channel.find("item").findtext("link").endswith("/" + published.sidecar(".html").name)
    code, out, err = cli("feed", published.folder, "--check")
    assert code == 0 and out.splitlines()[-1].endswith("passes"), out + err


def test_the_check_fails_a_page_that_plays_another_mp3_or_is_missing(published, tmp_path, cli):
    copy = published.copy(tmp_path)
    page = copy.sidecar(".html")
    page.write_bytes(page.read_bytes().replace(f'src="{copy.mp3.name}"'.encode(), b'src="other.mp3"'))
    code, out, _ = cli("feed", copy.folder, "--check")
    assert code == 1 and f"{page.name} plays other.mp3, not {copy.mp3.name}" in out
    page.unlink()
    code, out, _ = cli("feed", copy.folder, "--check")
    assert code == 1 and f"is missing from the folder ({page.name})" in out


def test_a_page_follows_its_renamed_mp3_and_links_the_new_name(published, tmp_path, cli):
    copy = published.copy(tmp_path)
    renamed = copy.folder / "harbour weekly #1.mp3"
    os.replace(copy.mp3, renamed)
    code, _, err = cli("feed", "-o", copy.folder)
    assert code == 0, err
    page = copy.folder / "harbour weekly #1.html"
    assert not copy.sidecar(".html").exists() and page.exists()
    [(audio, _)] = Page(page.read_bytes()).all("audio")
    assert audio["src"] == "harbour%20weekly%20%231.mp3"
    assert 'href="harbour%20weekly%20%231.vtt"' in page.read_text(encoding="utf-8")
    assert matches_fingerprint(page, "page", json.loads(_sidecars_tag(renamed))["page"])
    assert cli("feed", copy.folder, "--check")[0] == 0
    # Removing the episode takes its page along: it is still recognisably digest's.
    code, out, _ = cli("episodes", "remove", "harbour weekly #1", "-o", copy.folder)
    assert code == 0 and not page.exists(), out


def _sidecars_tag(mp3) -> str:
    from digest.publish.tags import read_episode

    return read_episode(mp3).tags.extra["SIDECARS"]


def test_canonical_and_placed_undo_each_other_even_for_an_episode_named_index():
    data = pages.episode_page(_tags("A"), 3.0, [Cue(0, 1, 'He said ="index.mp3" twice.')], [])
    for stem in ("index", "2026-11-25-a", "odd name & <x>"):
        written = pages.placed(data, stem)
        assert pages.canonical(written, stem) == data
        assert pages.audio_sources(written) == [stem + ".mp3"]
    assert b'href="index.html"' in pages.placed(data, "index")  # the link to the show page stays


def test_a_users_index_html_is_left_alone(published, tmp_path, cli):
    copy = published.copy(tmp_path)
    mine = copy.folder / "index.html"
    mine.write_text("<p>my own start page</p>", encoding="utf-8")
    code, _, err = cli("feed", "-o", copy.folder)
    assert code == 0 and "left index.html alone" in err
    assert mine.read_text(encoding="utf-8") == "<p>my own start page</p>"
    channel = etree.parse(str(copy.folder / "feed.xml")).getroot().find("channel")
    assert not channel.findtext("link").endswith("index.html")
    assert cli("feed", copy.folder, "--check")[0] == 0


def test_a_users_page_named_like_an_old_episodes_is_not_taken_for_its_page(tmp_path):
    from digest.publish.outputs import find_sidecars

    mp3 = tmp_path / "a.mp3"
    (tmp_path / "a.html").write_text("my notes", encoding="utf-8")
    recorded = fingerprint_sidecars({"vtt": b"WEBVTT\n"})  # made before pages existed
    assert "page" not in find_sidecars(mp3, recorded)


def test_script_json_cannot_end_its_script_element():
    hostile = "</script><script>alert(1)</script><!-- \u2028"
    text = pages.json_for_script({"title": hostile})
    assert "<" not in text and ">" not in text and "\u2028" not in text
    assert json.loads(text) == {"title": hostile}


def _tags(title: str) -> EpisodeTags:
    return EpisodeTags(title=title, programme="Harbour Weekly", guid="g", published=dt.datetime(2026, 11, 25, 7),
                       engine="gtts", description="Two stories.")


def test_an_hour_long_episode_page_stays_under_300_kb():
    # About 600 cues of two caption lines each, in ten chapters.
    sentence = "The harbour master said the new pontoons would be ready before the spring tides came in. "
    cues = [Cue(i * 6.0, i * 6.0 + 5.5, sentence + str(i)) for i in range(600)]
    chapters = [Chapter(f"Story {n}", n * 360.0, (n + 1) * 360.0) for n in range(10)]
    data = build_sidecars(Material(cues, [], chapters, [], tags=_tags("An hour"), duration=3600.0))["page"]
    assert len(data) < 300_000, len(data)
    assert data.count(b'class="cue"') == 600


def test_served_as_html_and_the_root_is_the_show_page(published):
    server = make_server(published.folder, "127.0.0.1", 0)
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    try:
        status, headers, body = request(server, "GET", "/")
        assert status == 200 and headers["Content-Type"] == "text/html; charset=utf-8"
        assert body == (published.folder / "index.html").read_bytes()
        status, headers, _ = request(server, "GET", "/" + published.sidecar(".html").name)
        assert status == 200 and headers["Content-Type"] == "text/html; charset=utf-8"
    finally:
        server.shutdown()
        server.server_close()


def test_a_folder_input_leaves_out_pages_and_the_show_page(published):
    assert OUTPUTS["page"].suffix == ".html"
    from digest.publish.outputs import own_files

    names = {path.name for path in published.folder.iterdir()}
    skip = own_files()
    assert skip.excludes(published.sidecar(".html"), names)
    assert skip.excludes(published.folder / "index.html", names)
