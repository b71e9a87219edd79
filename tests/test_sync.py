"""`digest sync` against feeds on 127.0.0.1 whose items change from one simulated day to the next."""

from __future__ import annotations

import datetime as dt
import itertools
import json
import threading

import podcastparser
import pytest

from digest.models import Article
from digest.publish.library import list_episodes
from digest.publish.outputs import OUTPUTS, sidecar_path
from digest.sync.state import STATE_NAME, SyncState, item_keys
from tests.gpodder import gpodder

DAYS = ["2026-11-01", "2026-11-02", "2026-11-03", "2026-11-04", "2026-11-05"]


def rss(title: str, items: list[tuple[str, str]]) -> str:
    """A feed whose items carry their whole (short) text, each with a GUID and a link."""
    body = "".join(
        f"<item><title>{headline}</title><guid>{slug}</guid><link>https://news.example/{slug}</link>"
        f"<pubDate>Sun, 01 Nov 2026 07:00:00 +0000</pubDate>"
        f"<content:encoded><![CDATA[<p>{headline}, the council said on Sunday. It takes effect at once.</p>]]>"
        f"</content:encoded></item>"
        for slug, headline in items)
    return ('<?xml version="1.0"?><rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/">'
            f"<channel><title>{title}</title>{body}</channel></rss>")


class Feeds:
    """Two feeds on the local server; `publish` changes what they list, as a new day would."""

    def __init__(self, web):
        self.web = web
        self.harbour: list[tuple[str, str]] = []
        self.market: list[tuple[str, str]] = []

    def publish(self, harbour=(), market=()) -> None:
        # Newest first, as feeds list them.
        self.harbour = [*harbour, *self.harbour]
        self.market = [*market, *self.market]
        self.web.page("/harbour.xml", rss("Harbour News", self.harbour), "application/rss+xml")
        self.web.page("/market.xml", rss("Market Weekly", self.market), "application/rss+xml")


@pytest.fixture(autouse=True)
def clock(monkeypatch):
    """Episodes published at noon, a minute apart in the order they are made.

    told() orders episodes by publication time, which is the wall clock's time of day on the
    --date given, to the second. Two syncs the same --date would then swap places when the
    clock passed midnight between them, or tie when they fell within one second (and a tie
    sorts by file name); a clock of the test's own keeps their order whatever the machine does.
    """
    from digest.publish.identity import publication_time

    noon = dt.datetime.now().astimezone().replace(hour=12, minute=0, second=0, microsecond=0)
    ticks = itertools.count()
    monkeypatch.setattr("digest.make.publication_time",
                        lambda date, now=None: publication_time(date, noon + dt.timedelta(minutes=next(ticks))))


@pytest.fixture
def feeds(web):
    return Feeds(web)


@pytest.fixture
def folder(tmp_path, cli, web):
    out = tmp_path / "audio"
    assert cli("sources", "add", web.url("/harbour.xml"), "--name", "Harbour", "-o", out)[0] == 0
    assert cli("sources", "add", web.url("/market.xml"), "--name", "Market", "-o", out)[0] == 0
    assert cli("settings", "set", "allow_private", "true", "-o", out)[0] == 0
    assert cli("settings", "set", "engine", "gtts", "-o", out)[0] == 0
    return out


def snapshot(folder):
    return {p.name: (p.stat().st_mtime_ns, p.stat().st_size) for p in folder.iterdir()}


def told(folder) -> list[list[str]]:
    """Each episode's story titles, oldest episode first."""
    episodes = sorted(list_episodes(folder), key=lambda e: e.tags.published)
    return [[story["title"] for story in e.tags.stories] for e in episodes]


def test_first_run_reads_all_second_none_third_only_the_new(folder, feeds, cli, fake_google):
    feeds.publish(harbour=[("ferry", "Ferry fares frozen"), ("pier", "Pier lights repaired")],
                  market=[("stalls", "Ten new stalls open")])
    code, out, err = cli("sync", "-o", folder, "--date", DAYS[0])
    assert code == 0, err
    assert told(folder) == [["Ferry fares frozen", "Pier lights repaired", "Ten new stalls open"]]
    assert out.splitlines()[-1] == f"{folder / 'feed.xml'} updated" and "3 stories" in out

    before = snapshot(folder)
    requests = fake_google.count
    code, out, err = cli("sync", "-o", folder, "--date", DAYS[0])
    assert (code, out) == (0, "nothing new\n"), err
    assert snapshot(folder) == before and fake_google.count == requests  # nothing written, nothing spoken

    feeds.publish(market=[("roof", "Market roof restored")])
    code, out, err = cli("sync", "-o", folder, "--date", DAYS[1])
    assert code == 0, err
    assert told(folder) == [["Ferry fares frozen", "Pier lights repaired", "Ten new stalls open"],
                            ["Market roof restored"]]
    with open(folder / "feed.xml", "rb") as handle:
        feed = podcastparser.parse("feed.xml", handle)
    assert len(feed["episodes"]) == 2


def test_a_second_run_the_same_day_makes_a_second_episode_of_only_the_new_items(folder, feeds, cli, fake_google):
    feeds.publish(harbour=[("ferry", "Ferry fares frozen")])
    assert cli("sync", "-o", folder, "--date", DAYS[0])[0] == 0
    feeds.publish(harbour=[("tide", "Tide tables printed")])
    code, out, err = cli("sync", "-o", folder, "--date", DAYS[0], "--json")
    assert code == 0, err
    summary = json.loads(out)
    assert summary["outcome"] == "episode" and summary["new_stories"] == 1
    assert [s["title"] for s in summary["stories"]] == ["Tide tables printed"]
    assert told(folder) == [["Ferry fares frozen"], ["Tide tables printed"]]
    names = sorted(p.name for p in folder.glob("*.mp3"))
    assert len(names) == 2 and all(name.startswith(DAYS[0]) for name in names)


def test_a_failing_source_is_a_warning_and_its_items_are_read_once_it_recovers(folder, feeds, cli, fake_google, web):
    feeds.publish(harbour=[("ferry", "Ferry fares frozen")], market=[("stalls", "Ten new stalls open")])
    del web.routes["/market.xml"]  # 404 today
    code, out, err = cli("sync", "-o", folder, "--date", DAYS[0])
    assert code == 0
    assert "source 'Market' could not be read; tried again next sync" in err and "404" in err
    assert "1 of 2 sources could not be read" in out
    assert told(folder) == [["Ferry fares frozen"]]
    # A failed source is no story left out: the warning tells the user, the intro says nothing of it.
    spoken = " ".join(r.text for r in fake_google.requests)
    assert "Ferry fares frozen" in spoken and "could not be read" not in spoken

    feeds.publish()  # the market feed is back, with the item it had yesterday
    assert cli("sync", "-o", folder, "--date", DAYS[1])[0] == 0
    assert told(folder) == [["Ferry fares frozen"], ["Ten new stalls open"]]


def test_json_counts_stories_known_skipped_and_repeated_and_failed_sources_apart(folder, feeds, cli, fake_google,
                                                                                   web):
    feeds.publish(harbour=[("ferry", "Ferry fares frozen"), ("pier", "Pier lights repaired")],
                  market=[("ferry", "Fares on the ferry stay put"), ("stalls", "Ten new stalls open")])
    web.page("/teasers.xml", '<?xml version="1.0"?><rss version="2.0"><channel><title>Teasers</title><item>'
             f'<title>Gone walk</title><guid>gone</guid><link>{web.url("/gone")}</link></item></channel></rss>',
             "application/rss+xml")
    assert cli("sources", "add", web.url("/teasers.xml"), "--name", "Teasers", "-o", folder)[0] == 0
    assert cli("sources", "add", web.url("/missing.xml"), "--name", "Missing", "-o", folder)[0] == 0
    code, out, err = cli("sync", "-o", folder, "--date", DAYS[0], "--json")
    assert code == 0, err
    assert "skipping 'Fares on the ferry stay put'" in err
    summary = json.loads(out)
    counts = {key: summary[key] for key in ("new_stories", "known", "skipped", "duplicates", "sources_failed")}
    assert counts == {"new_stories": 4, "known": 0, "skipped": 1, "duplicates": 1, "sources_failed": 1}
    [episode] = summary["episodes"]
    assert episode["stories"] == {"in_episode": 3, "skipped": 1, "duplicates": 1, "left_out": 0, "shortened": 0}
    # One story (the teaser whose page is gone) could not be read; the missing feed is no story.
    spoken = " ".join(r.text for r in fake_google.requests)
    assert "One of the stories could not be read" in spoken

    code, out, err = cli("sync", "-o", folder, "--date", DAYS[1], "--json")
    assert code == 0, err
    summary = json.loads(out)
    assert summary["outcome"] == "nothing new"
    assert {s["name"]: (s["new"], s["known"], s["skipped"]) for s in summary["sources"]} == {
        "Harbour": (0, 2, 0), "Market": (0, 2, 0), "Teasers": (0, 0, 1), "Missing": (0, 0, 0)}
    assert (summary["known"], summary["skipped"], summary["duplicates"], summary["sources_failed"]) == (4, 1, 0, 1)


def test_every_source_failing_is_exit_1_and_writes_nothing(folder, cli, fake_google):
    before = snapshot(folder)
    code, out, err = cli("sync", "-o", folder, "--date", DAYS[0])  # neither feed is published: 404s
    assert code == 1 and out == ""
    assert err.splitlines()[-1] == ("digest: error: no source could be read (2 failed, see the warnings above); "
                                    "nothing was written")
    assert snapshot(folder) == before


def test_stories_left_out_by_max_minutes_stay_new_for_the_next_sync(folder, feeds, cli, fake_google):
    feeds.publish(harbour=[("ferry", "Ferry fares frozen"), ("pier", "Pier lights repaired"),
                           ("tide", "Tide tables printed")])
    code, out, err = cli("sync", "-o", folder, "--date", DAYS[0], "--max-minutes", "0.4")
    assert code == 0, err
    [first] = told(folder)
    assert 1 <= len(first) < 3
    assert f"{3 - len(first)} stor" in out and "left for the next sync" in out
    assert cli("sync", "-o", folder, "--date", DAYS[1])[0] == 0
    second = told(folder)[1]
    assert sorted(first + second) == sorted(["Ferry fares frozen", "Pier lights repaired", "Tide tables printed"])


def test_dry_run_lists_what_is_new_and_writes_nothing(folder, feeds, cli, fake_google):
    feeds.publish(harbour=[("ferry", "Ferry fares frozen")], market=[("stalls", "Ten new stalls open")])
    before = snapshot(folder)
    code, out, err = cli("sync", "-o", folder, "--dry-run")
    assert code == 0, err
    assert out.splitlines() == ["Harbour: 1 new", "  Ferry fares frozen <https://news.example/ferry>",
                                "Market: 1 new", "  Ten new stalls open <https://news.example/stalls>",
                                "would make an episode of 2 stories"]
    assert snapshot(folder) == before and fake_google.count == 0


def test_known_feed_items_are_not_fetched_again(folder, cli, fake_google, web):
    """A teaser item's page is fetched once: the next sync knows the item before reading its page."""
    teaser = ('<?xml version="1.0"?><rss version="2.0"><channel><title>Teasers</title><item><title>Dune walk'
              f'</title><guid>dune</guid><link>{web.url("/dune")}</link><description>A walk...</description>'
              "</item></channel></rss>")
    web.page("/teasers.xml", teaser, "application/rss+xml")
    web.page("/dune", "<html><head><title>Dune walk</title></head><body><article><h1>Dune walk</h1><p>Rangers "
             "lead a walk along the dunes on Saturday morning, starting at the car park.</p></article></body></html>")
    assert cli("sources", "remove", "Market", "-o", folder)[0] == 0
    assert cli("sources", "remove", "Harbour", "-o", folder)[0] == 0
    assert cli("sources", "add", web.url("/teasers.xml"), "-o", folder)[0] == 0
    assert web.hits == ["/teasers.xml"]  # add reads the feed for its title, never an item's page
    assert cli("sync", "-o", folder, "--date", DAYS[0])[0] == 0
    assert web.hits.count("/dune") == 1
    assert cli("sync", "-o", folder, "--date", DAYS[1])[1] == "nothing new\n"
    assert web.hits.count("/dune") == 1 and web.hits.count("/teasers.xml") == 3


def test_a_source_in_another_language_gets_its_own_episode(folder, feeds, cli, fake_google, web):
    web.page("/hafen.xml", rss("Hafenblatt", [("faehre", "Die Fähre fährt wieder")]), "application/rss+xml")
    assert cli("sources", "add", web.url("/hafen.xml"), "--lang", "de", "-o", folder)[0] == 0
    feeds.publish(harbour=[("ferry", "Ferry fares frozen")])
    code, out, err = cli("sync", "-o", folder, "--date", DAYS[0], "--json")
    assert code == 0, err
    languages = sorted((e.tags.language, [s["title"] for s in e.tags.stories]) for e in list_episodes(folder))
    assert languages == [("de", ["Die Fähre fährt wieder"]), ("en", ["Ferry fares frozen"])]
    assert len(json.loads(out)["episodes"]) == 2


def test_a_folder_source_is_read_by_file_and_each_file_told_once(tmp_path, cli, fake_google):
    articles = tmp_path / "articles"
    articles.mkdir()
    (articles / "a.txt").write_text("Bridge repainted\n\nThe old bridge is green again.\n", encoding="utf-8")
    out = tmp_path / "audio"
    assert cli("sources", "add", articles, "-o", out)[0] == 0
    assert cli("sync", "-o", out, "--engine", "gtts", "--date", DAYS[0])[0] == 0
    (articles / "b.txt").write_text("Clock tower chimes\n\nThe clock strikes the hours again.\n", encoding="utf-8")
    assert cli("sync", "-o", out, "--engine", "gtts", "--date", DAYS[1])[0] == 0
    assert told(out) == [["Bridge repainted"], ["Clock tower chimes"]]
    assert cli("sync", "-o", out, "--engine", "gtts", "--date", DAYS[1])[1] == "nothing new\n"


def test_no_sources_is_a_usage_error(tmp_path, cli):
    code, out, err = cli("sync", "-o", tmp_path / "audio")
    assert code == 2 and err.count("\n") == 1 and "has no sources to sync" in err
    assert not (tmp_path / "audio").exists()


def test_the_same_path_on_another_port_is_another_story(folder, cli, fake_google, web):
    """Two servers on one host: /a1.html on one port is not the story /a1.html on the other told."""
    from tests.localweb import LocalWeb

    def feed(server, title: str) -> str:
        return ('<?xml version="1.0"?><rss version="2.0"><channel><title>Local</title><item>'
                f"<title>{title}</title><link>{server.url('/a1.html')}</link>"
                f"<description>{title}, the harbour office said on Sunday.</description></item></channel></rss>")

    for name in ("Harbour", "Market"):
        assert cli("sources", "remove", name, "-o", folder)[0] == 0
    web.page("/feed.xml", feed(web, "Ferry fares frozen"), "application/rss+xml")
    assert cli("sources", "add", web.url("/feed.xml"), "-o", folder)[0] == 0
    assert cli("sync", "-o", folder, "--date", DAYS[0])[0] == 0
    with LocalWeb() as other:
        other.page("/feed.xml", feed(other, "Tide tables printed"), "application/rss+xml")
        assert cli("sources", "add", other.url("/feed.xml"), "-o", folder)[0] == 0
        code, out, err = cli("sync", "-o", folder, "--date", DAYS[1])
    assert code == 0, err
    assert told(folder) == [["Ferry fares frozen"], ["Tide tables printed"]]


def test_a_record_kept_before_ports_counted_still_knows_its_default_port_story(tmp_path):
    state = SyncState(tmp_path / STATE_NAME, {"url //news.example/ferry": {"date": DAYS[0], "episode": "e1"}})
    assert state.knows(item_keys("https://news.example/feed.xml", Article("Ferry", "x", url="https://news.example/ferry")))
    assert state.knows(item_keys("http://news.example/feed.xml", Article("Ferry", "x", url="http://news.example:80/ferry/")))
    assert state.seen_feed_item("https://news.example/feed.xml", None, "https://news.example:443/ferry")
    assert not state.seen_feed_item("http://news.example:8080/feed.xml", None, "http://news.example:8080/ferry")


def test_a_damaged_state_file_is_one_error_line(folder, feeds, cli):
    feeds.publish(harbour=[("ferry", "Ferry fares frozen")])
    (folder / STATE_NAME).write_text("{not json", encoding="utf-8")
    code, _, err = cli("sync", "-o", folder)
    assert code == 2 and err.count("\n") == 1 and "is damaged" in err


# --- retention --------------------------------------------------------------------------------

@pytest.fixture
def served(folder, cli):
    from digest.publish.serve import make_server

    server = make_server(folder, "127.0.0.1", 0)
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    base = f"http://127.0.0.1:{server.port}/"
    assert cli("settings", "set", "base_url", base, "-o", folder)[0] == 0
    yield base
    server.shutdown()
    server.server_close()


def test_keep_episodes_3_leaves_three_episodes_after_the_fourth_sync(folder, feeds, cli, fake_google, served,
                                                                     tmp_path):
    assert cli("settings", "set", "keep_episodes", "3", "-o", folder)[0] == 0
    assert cli("sources", "remove", "market", "-o", folder)[0] == 0  # any case names it
    for day, slug in zip(DAYS[:4], ["one", "two", "three", "four"]):
        feeds.publish(harbour=[(slug, f"Story {slug}")])
        code, out, err = cli("sync", "-o", folder, "--date", day)
        assert code == 0, err
    assert "removed " in out and "(retention)" in out
    assert told(folder) == [["Story two"], ["Story three"], ["Story four"]]
    mp3s = sorted(folder.glob("*.mp3"))
    assert len(mp3s) == 3
    # No orphaned outputs: each transcript or chapters file belongs to an episode still there.
    for path in folder.iterdir():
        if path.suffix != ".mp3" and not path.name.startswith(".") and path.name not in (
                "feed.xml", "index.html", "digest.toml", "default-cover.png", "default-cover.jpg"):
            assert any(path == sidecar_path(mp3, key) for mp3 in mp3s for key in OUTPUTS), path
    assert not list(folder.glob(".digest-removing-*"))
    with open(folder / "feed.xml", "rb") as handle:
        feed = podcastparser.parse("feed.xml", handle)
    assert sorted(e["title"] for e in feed["episodes"]) == ["Story four", "Story three", "Story two"]
    # The removed episode's item is remembered: it is not told again.
    assert cli("sync", "-o", folder, "--date", DAYS[4])[1] == "nothing new\n"
    _gpodder_sees(served, tmp_path, 3)


def _gpodder_sees(base: str, tmp_path, count: int) -> None:
    client = gpodder(tmp_path)
    if client is None:
        return  # the podcastparser check above stands in for it
    gpo_run, downloaded = client
    assert "Successfully added" in gpo_run("subscribe", base + "feed.xml")
    gpo_run("download")
    downloads = sorted(downloaded.rglob("*.mp3"))
    assert len(downloads) == count, gpo_run("episodes")


def test_opml_import_then_sync_in_a_fresh_folder_makes_one_episode_of_every_feed(tmp_path, feeds, cli, web,
                                                                                  fake_google):
    feeds.publish(harbour=[("ferry", "Ferry fares frozen")], market=[("stalls", "Ten new stalls open")])
    subs = tmp_path / "subs.opml"
    subs.write_text(
        '<?xml version="1.0"?><opml version="1.0"><head><title>Subs</title></head><body>'
        f'<outline text="Town"><outline text="Harbour" type="rss" xmlUrl="{web.url("/harbour.xml")}"/>'
        f'<outline text="Market" type="rss" xmlUrl="{web.url("/market.xml")}" htmlUrl="{web.base}/"/></outline>'
        "</body></opml>", encoding="utf-8")
    out = tmp_path / "fresh"
    assert cli("sources", "import", subs, "-o", out)[0] == 0
    code, stdout, err = cli("sync", "-o", out, "--engine", "gtts", "--allow-private", "--date", DAYS[0])
    assert code == 0, err
    assert told(out) == [["Ferry fares frozen", "Ten new stalls open"]]
    before = snapshot(out)
    assert cli("sync", "-o", out, "--engine", "gtts", "--allow-private")[1:] == ("nothing new\n", "")
    assert snapshot(out) == before
