"""`digest feed --check`: a good feed passes; each kind of breakage is named."""

import json

import pytest

from digest.publish.check import check_feed, check_folder, failed
from digest.publish.feed_ext import PODCAST_NS, PODCAST_NS_CANONICAL


def messages(findings, severity="fail"):
    return [f"{f.where}: {f.message}" for f in findings if f.severity == severity]


def test_the_published_feed_passes(published):
    findings = check_folder(published.folder)
    assert messages(findings) == []
    assert not failed(findings)
    # The only advice: the owner email is still the placeholder, and the links are this machine's.
    assert [f.message for f in findings if f.severity == "warn"] == [
        "itunes:owner email is the placeholder owner@example.com; set owner_email in digest.toml before "
        "listing the feed in Apple Podcasts",
        "episodes are linked at 127.0.0.1, which only this machine can reach; a phone needs --base-url with an "
        "address it can reach"]


def test_links_a_phone_can_reach_get_no_loopback_warning(published):
    xml = (published.folder / "feed.xml").read_bytes().replace(b"http://127.0.0.1:8000/", b"https://pods.example/")
    findings = check_feed(xml)
    assert not any("only this machine" in f.message for f in findings)


def test_the_canonical_namespace_is_accepted_too(published):
    xml = (published.folder / "feed.xml").read_bytes().replace(PODCAST_NS.encode(), PODCAST_NS_CANONICAL.encode())
    assert messages(check_feed(xml, published.folder)) == []


BREAKAGES = {
    "explicit yes": (b"<itunes:explicit>false</itunes:explicit>", b"<itunes:explicit>no</itunes:explicit>",
                     "itunes:explicit is 'no', not true or false"),
    "no podcast guid": (b"podcast:guid>", b"podcast:gid>", "podcast:guid is missing"),
    "wrong category": (b'text="News"', b'text="Newsy"', "'Newsy' is not an Apple Podcasts category"),
    "wrong length": (b'length="', b'length="1', "enclosure length is 1"),
    "episode type": (b">full<", b">episode<", "itunes:episodeType is 'episode'"),
    "bad date": (b"<pubDate>", b"<pubDate>yesterday ", "is not an RFC 2822 date"),
    "no self link": (b'rel="self"', b'rel="alternate"', 'atom:link rel="self" is missing'),
    "chapters type": (b'type="application/json+chapters"', b'type="application/json"',
                      "podcast:chapters type is 'application/json'"),
    "not xml": (b"</channel>", b"", "is not well-formed XML"),
}


@pytest.mark.parametrize("case", BREAKAGES, ids=list(BREAKAGES))
def test_breakages_are_reported(published, case):
    old, new, expected = BREAKAGES[case]
    xml = (published.folder / "feed.xml").read_bytes()
    assert old in xml
    found = messages(check_feed(xml.replace(old, new), published.folder))
    assert any(expected in message for message in found), found


def test_broken_files_are_reported(tmp_path, published):
    copy = published.copy(tmp_path)
    chapters = copy.sidecar(".chapters.json")
    document = json.loads(chapters.read_text(encoding="utf-8"))
    document["chapters"].reverse()
    chapters.write_text(json.dumps(document), encoding="utf-8")
    copy.sidecar(".srt").unlink()
    (copy.folder / "default-cover.png").write_bytes(b"not an image")
    with copy.mp3.open("ab") as mp3:
        mp3.write(b"\0" * 10)
    found = "\n".join(messages(check_folder(copy.folder)))
    assert "starts before the one before it" in found
    assert ".srt is missing from the folder" in found
    assert "cover default-cover.png" in found and "not a readable image" in found
    assert "enclosure length is" in found and "has " in found


def test_chapters_that_disagree_with_the_mp3_are_reported(tmp_path, published):
    copy = published.copy(tmp_path)
    chapters = copy.sidecar(".chapters.json")
    document = json.loads(chapters.read_text(encoding="utf-8"))
    document["chapters"][1]["startTime"] += 0.5
    chapters.write_text(json.dumps(document), encoding="utf-8")
    assert any("disagree" in m for m in messages(check_folder(copy.folder)))


def test_cli_exit_codes(tmp_path, published, cli):
    copy = published.copy(tmp_path)
    code, out, _ = cli("feed", "-o", copy.folder, "--check")
    assert code == 0 and out.splitlines()[-1].endswith("feed.xml: passes")
    assert out.startswith("warn: channel: itunes:owner email is the placeholder")
    copy.sidecar(".vtt").unlink()
    code, out, _ = cli("feed", "-o", copy.folder, "--check")
    assert code == 1
    assert "fail: item 1 (Harbour Weekly, 25 November 2026): podcast:transcript " in out
    assert out.splitlines()[-1].endswith("feed.xml: 1 problem")


def test_cli_check_without_a_feed(tmp_path, cli):
    code, _, err = cli("feed", "-o", tmp_path, "--check")
    assert code == 2 and "cannot read" in err
