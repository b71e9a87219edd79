"""digest batch: one episode per story, made by local processes or a real Dask LocalCluster.

Piper speaks (offline); the articles are two sentences each so that a batch stays short.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import re
from pathlib import Path

import feedparser
import pytest

from digest.batch import BatchOptions, run_batch, runners
from digest.batch.client import STAGING_NAME
from digest.errors import InputError
from digest.make import MakeOptions
from tests.batchwork import make_first_last, make_or_die_once, make_or_fail
from tests.conftest import DEAD_PROXY, route_to
from tests.fakegoogle import FakeGoogle

NOW = dt.datetime(2026, 11, 25, 9, 30, tzinfo=dt.timezone.utc)
TOPICS = ["bakery", "ferry", "library", "orchard", "bridge", "choir"]


def write_stories(folder, names, dated=True):
    folder.mkdir(parents=True, exist_ok=True)
    for number, name in enumerate(names, 1):
        date = f"date 2026-11-{10 + number:02d} " if dated else ""
        (folder / f"{number:02d}-{name.lower()}.txt").write_text(
            f"{date}{name.capitalize()} news\n\nThe {name.lower()} opened early on Monday. Everyone came.\n",
            encoding="utf-8")
    return folder


def options(inputs, out, cache, **batch) -> BatchOptions:
    make = MakeOptions(inputs=[str(i) for i in inputs], output_dir=out, engine="piper", cache_dir=cache)
    return BatchOptions(make, now=NOW, **batch)


def items_of(feed_path) -> list[str]:
    """The feed's <item> elements as written, in order."""
    return re.findall(r"<item>.*?</item>", feed_path.read_text(encoding="utf-8"), re.S)


@pytest.fixture(scope="module")
def made(tmp_path_factory):
    """Four stories made by two local processes."""
    root = tmp_path_factory.mktemp("batch")
    stories = write_stories(root / "in", TOPICS[:4])
    out = root / "out"
    result = run_batch(options([stories], out, root / "cache", processes=2))
    return root, stories, out, result


def test_local_batch_makes_one_episode_per_story_and_one_feed(made):
    root, stories, out, result = made
    assert [o.status for o in result.outcomes] == ["made"] * 4
    assert result.where == "2 local processes"
    mp3s = sorted(out.glob("*.mp3"))
    # Each episode is named by its story's own date and title.
    assert [p.name for p in mp3s] == [f"2026-11-{10 + n:02d}-{t}-news.mp3" for n, t in enumerate(TOPICS[:4], 1)]
    assert {o.mp3 for o in result.outcomes} == set(mp3s)
    assert len({o.worker for o in result.outcomes}) == 2  # both processes worked
    feed = feedparser.parse(str(out / "feed.xml"))
    assert not feed.bozo
    assert [e.title for e in feed.entries] == [f"{t.capitalize()} news" for t in reversed(TOPICS[:4])]
    for entry in feed.entries:
        [enclosure] = entry.enclosures
        assert int(enclosure.length) == (out / enclosure.href.rsplit("/", 1)[1]).stat().st_size
    for mp3 in mp3s:
        assert mp3.with_suffix(".vtt").exists() and mp3.with_suffix(".chapters.json").exists()
    assert list((out / STAGING_NAME).iterdir()) == []  # every staged file was placed


def test_rerun_skips_every_article_and_says_so(made, cli):
    root, stories, out, result = made
    before = {p.name: p.stat().st_mtime_ns for p in out.glob("*.mp3")}
    code, stdout, stderr = cli("batch", stories, "-o", out, "--engine", "piper", "--cache-dir", root / "cache")
    assert code == 0, stderr
    assert stdout.splitlines()[0] == f"nothing to do: all 4 articles up to date in {out}"
    assert {p.name: p.stat().st_mtime_ns for p in out.glob("*.mp3")} == before
    code, stdout, _ = cli("batch", stories, "-o", out, "--engine", "piper", "--cache-dir", root / "cache", "--json")
    summary = json.loads(stdout)
    assert (summary["made"], summary["up_to_date"], summary["failed"]) == (0, 4, 0)
    assert [o["status"] for o in summary["outcomes"]] == ["up_to_date"] * 4


def test_a_changed_story_is_made_again_in_place_and_only_it(tmp_path):
    """Stories with URLs keep their GUID when their text changes: that episode alone is made again."""
    def array(ending):
        return json.dumps([{"title": f"{name} news", "url": f"https://news.example/{name.lower()}",
                            "date": "2026-11-20", "text": f"The {name.lower()} opened early. {ending}"}
                           for name in ("Bakery", "Ferry")])

    source, out, cache = tmp_path / "stories.json", tmp_path / "out", tmp_path / "cache"
    source.write_text(array("Everyone came."), encoding="utf-8")
    first = run_batch(options([source], out, cache, processes=1))
    assert [o.status for o in first.outcomes] == ["made", "made"]
    source.write_text(array("Everyone came.").replace("The bakery opened early. Everyone came.",
                                                      "The bakery opened early. Nobody minded."), encoding="utf-8")
    again = run_batch(options([source], out, cache, processes=1))
    by_title = {o.title: o for o in again.outcomes}
    assert by_title["Ferry news"].status == "up_to_date"
    assert by_title["Bakery news"].status == "made"
    assert by_title["Bakery news"].mp3 == out / "2026-11-20-bakery-news.mp3"  # in place, not beside the old one
    assert by_title["Bakery news"].guid == next(o.guid for o in first.outcomes if o.title == "Bakery news")
    assert len(list(out.glob("*.mp3"))) == 2


def test_the_default_engine_without_google_makes_each_story_once(tmp_path, monkeypatch):
    """Piper speaks when Google does not answer; the next run, still without Google, finds those
    episodes up to date instead of making every one again."""
    monkeypatch.setenv("HTTPS_PROXY", DEAD_PROXY)  # the worker processes inherit it
    monkeypatch.setenv("https_proxy", DEAD_PROXY)
    stories, out, cache = write_stories(tmp_path / "in", ["Bakery", "Ferry"]), tmp_path / "out", tmp_path / "cache"

    def batch():
        make = MakeOptions(inputs=[str(stories)], output_dir=out, engine="auto", cache_dir=cache)
        return run_batch(BatchOptions(make, now=NOW, processes=2))

    first = batch()
    assert [(o.status, o.engine) for o in first.outcomes] == [("made", "piper")] * 2
    mp3s = {p.name: p.stat().st_mtime_ns for p in out.glob("*.mp3")}
    again = batch()
    assert [o.status for o in again.outcomes] == ["up_to_date"] * 2
    assert {p.name: p.stat().st_mtime_ns for p in out.glob("*.mp3")} == mp3s


@pytest.mark.parametrize("where", [{"processes": 2}, pytest.param({"workers": 2}, marks=pytest.mark.slow)],
                         ids=["local", "dask"])
def test_one_failing_article_is_reported_while_the_others_land(tmp_path, where):
    stories = write_stories(tmp_path / "in", ["Bakery", "Broken", "Ferry"])
    out = tmp_path / "out"
    result = run_batch(options([stories], out, tmp_path / "cache", retries=1, **where), work=make_or_fail)
    by_title = {o.title: o for o in result.outcomes}
    assert by_title["Broken news"].status == "failed"
    assert by_title["Broken news"].reason == "piper failed on 'Broken news': the voice refused it"
    # Which worker failed it is told, as for those it made: on a cluster, the machine is half of why.
    for outcome in result.outcomes:
        host, pid = outcome.worker.rsplit(":", 1)
        assert host == os.uname().nodename and int(pid) != os.getpid(), outcome
    assert {o["index"]: o["worker"] for o in result.summary()["outcomes"]} == {o.index: o.worker for o in result.outcomes}
    assert by_title["Bakery news"].status == by_title["Ferry news"].status == "made"
    feed = feedparser.parse(str(out / "feed.xml"))
    assert [e.title for e in feed.entries] == ["Ferry news", "Bakery news"]
    assert result.summary()["failed"] == 1


def test_cli_reports_the_failure_with_its_reason_and_exits_1(tmp_path, cli, monkeypatch):
    import digest.batch.client as client

    stories = write_stories(tmp_path / "in", ["Broken"])
    real = client.run_batch

    def failing(options, progress=None, work=None):
        return real(options, progress=progress, work=make_or_fail)

    monkeypatch.setattr(client, "run_batch", failing)
    monkeypatch.setattr("digest.batch.run_batch", failing)
    code, stdout, stderr = cli("batch", stories, "-o", tmp_path / "out", "--engine", "piper", "--processes", "1",
                               "--retries", "0")
    assert code == 1
    assert "0 episodes made, 0 up to date, 1 failed" in stdout
    assert "failed: Broken news: piper failed on 'Broken news': the voice refused it" in stdout
    assert "digest: warning: Broken news: piper failed" in stderr


def test_a_killed_worker_process_loses_nothing(tmp_path, monkeypatch):
    marker = tmp_path / "killed"
    monkeypatch.setenv("DIGEST_TEST_MARKER", str(marker))
    stories = write_stories(tmp_path / "in", ["Doomed", "Ferry"])
    out = tmp_path / "out"
    result = run_batch(options([stories], out, tmp_path / "cache", processes=2), work=make_or_die_once)
    assert marker.exists()  # a worker was killed ...
    assert sorted(o.status for o in result.outcomes) == ["made", "made"]  # ... and its article still landed
    assert len(feedparser.parse(str(out / "feed.xml")).entries) == 2


def test_gtts_requests_in_flight_stay_under_the_limit_across_worker_processes(tmp_path, monkeypatch):
    """Two processes of eight synthesis threads each, and never more than two requests at Google."""
    stories = write_stories(tmp_path / "in", TOPICS[:4])
    with FakeGoogle(latency=0.15) as google:
        route_to(monkeypatch, google)  # the worker processes inherit the route through the environment
        make = MakeOptions(inputs=[str(stories)], output_dir=tmp_path / "out", engine="gtts",
                           cache_dir=tmp_path / "cache")
        result = run_batch(BatchOptions(make, processes=2, gtts_limit=2, now=NOW))
        assert [o.status for o in result.outcomes] == ["made"] * 4
        assert len({o.worker for o in result.outcomes}) == 2
        assert google.count >= 8
        assert google.peak_in_flight == 2


def test_processes_given_on_the_command_line_win_over_digest_scheduler(tmp_path, cli, monkeypatch):
    """DIGEST_SCHEDULER is --scheduler's default, and a flag overrides a default."""
    monkeypatch.setenv("DIGEST_SCHEDULER", "tcp://127.0.0.1:1")  # nothing listens there
    stories = write_stories(tmp_path / "in", ["Bakery"])
    code, stdout, stderr = cli("batch", stories, "-o", tmp_path / "out", "--engine", "piper", "--processes", "1",
                               "--cache-dir", tmp_path / "cache")
    assert code == 0, stderr
    assert stdout.splitlines()[0].startswith("1 episode made, 0 up to date, 0 failed (")
    assert stdout.splitlines()[0].endswith(" on 1 local process)")


def test_without_dask_the_cluster_options_say_to_install_the_extra(tmp_path, cli, monkeypatch):
    monkeypatch.setattr("digest.batch.runners.dask_installed", lambda: False)
    stories = write_stories(tmp_path / "in", ["Bakery"])
    for flags in (["--workers", "2"], ["--scheduler", "tcp://127.0.0.1:8786"]):
        code, stdout, stderr = cli("batch", stories, "-o", tmp_path / "out", "--engine", "piper", *flags)
        assert code == 2 and stdout == ""
        assert stderr == ("digest: error: --workers and --scheduler (or DIGEST_SCHEDULER) run the batch on Dask, "
                          "which is not installed: pip install 'digest[dask]'\n")
    assert not (tmp_path / "out").exists()  # refused before any work


@pytest.mark.slow
def test_dask_local_cluster_batch_matches_local_mode_entry_for_entry(tmp_path):
    stories = write_stories(tmp_path / "in", TOPICS)
    cache = tmp_path / "cache"
    cluster = run_batch(options([stories], tmp_path / "dask", cache, workers=2))
    assert cluster.where == "a local Dask cluster of 2 processes"
    assert [o.status for o in cluster.outcomes].count("made") == 6
    assert len({o.worker for o in cluster.outcomes}) == 2
    local = run_batch(options([stories], tmp_path / "local", cache, processes=2))
    assert [o.status for o in local.outcomes].count("made") == 6
    dask_items, local_items = items_of(tmp_path / "dask" / "feed.xml"), items_of(tmp_path / "local" / "feed.xml")
    assert len(dask_items) == 6 and dask_items == local_items
    for mp3 in (tmp_path / "dask").glob("*.mp3"):
        assert mp3.read_bytes() == (tmp_path / "local" / mp3.name).read_bytes()


@pytest.mark.slow
def test_a_killed_dask_worker_loses_nothing(tmp_path, monkeypatch):
    marker = tmp_path / "killed"
    monkeypatch.setenv("DIGEST_TEST_MARKER", str(marker))  # the cluster's worker processes inherit it
    stories = write_stories(tmp_path / "in", ["Doomed", "Ferry", "Orchard"])
    out = tmp_path / "out"
    result = run_batch(options([stories], out, tmp_path / "cache", workers=2), work=make_or_die_once)
    assert marker.exists()  # a Dask worker process was killed; the scheduler ran its task again
    assert sorted(o.status for o in result.outcomes) == ["made"] * 3
    assert len(feedparser.parse(str(out / "feed.xml")).entries) == 3


def _worker_settings():
    import dask

    return os.environ.get("DIGEST_PIPER_THREADS"), dask.config.get("distributed.worker.profile.enabled")


def test_local_cluster_workers_share_the_cores_and_do_not_profile():
    """Each of 2 workers on this machine gets its share of the cores for Piper, and Dask's
    stack sampling (10% of a batch's time) is off."""
    client = runners.DaskRunner(workers=2)._client()
    try:
        settings = client.run(_worker_settings)
    finally:
        cluster = client.cluster
        client.close()
        cluster.close()
    assert list(settings.values()) == [(runners.piper_threads(2), False)] * 2


def test_a_scheduler_address_that_is_not_one_is_refused_before_any_work(tmp_path, cli):
    stories = write_stories(tmp_path / "in", ["Bakery"])
    code, stdout, stderr = cli("batch", stories, "-o", tmp_path / "out", "--engine", "piper",
                               "--scheduler", "bogus://x")
    assert (code, stdout) == (2, "")
    assert stderr == "digest: error: 'bogus://x' is not a Dask scheduler address; expected tcp://HOST:PORT\n"
    assert not (tmp_path / "out").exists()


def test_an_unreachable_scheduler_is_one_clear_error_soon_and_writes_nothing(tmp_path, cli, monkeypatch):
    monkeypatch.setattr(runners, "CONNECT_SECONDS", 1)
    stories = write_stories(tmp_path / "in", ["Bakery"])
    code, stdout, stderr = cli("batch", stories, "-o", tmp_path / "out", "--engine", "piper",
                               "--scheduler", "tcp://127.0.0.1:1")
    assert (code, stdout) == (2, "")
    assert re.fullmatch(r"digest: error: could not reach the Dask scheduler at tcp://127\.0\.0\.1:1 within 1 s "
                        r"\(.*\)\n", stderr)
    assert not (tmp_path / "out").exists()  # checked before the output folder was made


def test_a_scheduler_with_no_workers_is_an_error_not_a_wait(monkeypatch):
    from distributed import LocalCluster

    monkeypatch.setattr(runners, "WORKERS_SECONDS", 1)
    with LocalCluster(n_workers=0, processes=False, protocol="tcp", host="127.0.0.1",
                      dashboard_address="127.0.0.1:0") as cluster:
        with pytest.raises(InputError, match="has no workers .*start some with `dask worker tcp://127"):
            list(runners.DaskRunner(scheduler=cluster.scheduler_address).run([]))


def test_stories_of_one_title_are_named_in_input_order_whichever_finishes_first(tmp_path):
    stories = tmp_path / "in"
    stories.mkdir()
    for number, body in enumerate(["Rain all day on the coast.", "Sun by the afternoon inland."], 1):
        (stories / f"{number}.txt").write_text(f"date 2026-11-20 Weather\n\n{body}\n", encoding="utf-8")
    result = run_batch(options([stories], tmp_path / "out", tmp_path / "cache", processes=2), work=make_first_last)
    first, second = sorted(result.outcomes, key=lambda o: o.index)
    assert (first.mp3.name, second.mp3.name) == ("2026-11-20-weather.mp3", "2026-11-20-weather-2.mp3")


def test_inputs_that_cannot_be_read_are_failed_articles_with_their_reasons(tmp_path, cli):
    stories = write_stories(tmp_path / "in", ["Bakery"])
    (tmp_path / "empty.html").write_text("<html><body><nav>Home</nav></body></html>", encoding="utf-8")
    listing = tmp_path / "today.list"
    listing.write_text(f"{stories}\n{tmp_path / 'empty.html'}\n{tmp_path / 'gone.txt'}\n", encoding="utf-8")
    out = tmp_path / "out"
    code, stdout, stderr = cli("batch", f"@{listing}", "-o", out, "--engine", "piper", "--cache-dir",
                               tmp_path / "cache", "--json")
    assert code == 1, stderr
    summary = json.loads(stdout)
    assert (summary["made"], summary["failed"], summary["skipped_inputs"]) == (1, 2, 2)
    failed = [o for o in summary["outcomes"] if o["status"] == "failed"]
    assert [o["title"] for o in failed] == [None, None]
    assert "empty.html" in failed[0]["reason"] and "gone.txt" in failed[1]["reason"]
    code, stdout, stderr = cli("batch", f"@{listing}", "-o", out, "--engine", "piper", "--cache-dir",
                               tmp_path / "cache")
    assert code == 1
    lines = stdout.splitlines()
    assert lines[0].startswith("0 episodes made, 1 up to date, 2 failed")
    assert lines[1].startswith("failed: ") and "empty.html" in lines[1]
    assert lines[-1] == f"{out / 'feed.xml'} unchanged"  # nothing new: the feed was left alone


def test_inputs_holding_no_stories_are_nothing_to_do_not_a_failure(made, tmp_path, cli):
    """A nightly batch on a quiet day: an empty drop folder or an empty list is not an error, and
    the folder's episodes and feed are left as they were."""
    root, stories, out, result = made
    feed_before = (out / "feed.xml").stat().st_mtime_ns
    drop = tmp_path / "drop"
    drop.mkdir()
    (tmp_path / "today.json").write_text("[]", encoding="utf-8")
    code, stdout, stderr = cli("batch", drop, "-o", out, "--engine", "piper", "--cache-dir", root / "cache")
    assert (code, stderr) == (0, "")
    assert stdout.startswith(f"nothing to do: {drop}: is a directory with no article files (.atom, ")
    assert stdout.endswith(f".xml); {out} is as it was\n")
    code, stdout, stderr = cli("batch", drop, tmp_path / "today.json", "-o", tmp_path / "new", "--json")
    assert code == 0, stderr
    summary = json.loads(stdout)
    assert (summary["nothing_to_read"], summary["articles"]) == ("the inputs hold no articles", 0)
    assert not (tmp_path / "new").exists()  # nothing made, so no folder either
    assert (out / "feed.xml").stat().st_mtime_ns == feed_before


def test_an_empty_input_beside_stories_is_not_a_failed_article(tmp_path, cli):
    stories = write_stories(tmp_path / "in", ["Bakery"])
    (tmp_path / "drop").mkdir()
    code, stdout, stderr = cli("batch", stories, tmp_path / "drop", "-o", tmp_path / "out", "--engine", "piper",
                               "--cache-dir", tmp_path / "cache", "--json")
    assert code == 0, stderr
    summary = json.loads(stdout)
    assert (summary["made"], summary["failed"], summary["skipped_inputs"]) == (1, 0, 1)
    assert "drop: is a directory with no article files" in stderr  # still said, as a warning


def test_an_unreadable_input_is_still_an_error_beside_an_empty_one(tmp_path, cli):
    (tmp_path / "drop").mkdir()
    code, stdout, stderr = cli("batch", tmp_path / "drop", tmp_path / "gone.txt", "-o", tmp_path / "out")
    assert (code, stdout) == (2, "")
    assert stderr.splitlines()[-1] == "digest: error: none of the inputs could be read (2 problems, see the warnings above)"


def test_renaming_the_feed_remakes_its_episodes_in_place(tmp_path, cli):
    stories = write_stories(tmp_path / "in", TOPICS[:2])
    out = tmp_path / "out"
    first = run_batch(options([stories], out, tmp_path / "cache", processes=1))
    guids = sorted(o.guid for o in first.outcomes)
    assert cli("settings", "set", "title", "Mill Town Audio", "-o", out)[0] == 0
    again = run_batch(options([stories], out, tmp_path / "cache", processes=1))
    assert [o.status for o in again.outcomes] == ["made", "made"]  # the intros say the new name
    assert sorted(o.guid for o in again.outcomes) == guids
    assert sorted(p.name for p in out.glob("*.mp3")) == sorted(o.mp3.name for o in first.outcomes)
    assert len(items_of(out / "feed.xml")) == 2


def _linkless_feed(path, items, with_ids=True):
    """An RSS feed whose items have an ID (guid) but no link, as some CMS exports are."""
    body = "".join(f"<item><title>{title}</title>" + (f'<guid isPermaLink="false">{guid}</guid>' if with_ids else "")
                   + f"<pubDate>Tue, 24 Nov 2026 08:00:00 +0000</pubDate><description>{text}</description></item>"
                   for guid, title, text in items)
    path.write_text(f'<?xml version="1.0"?><rss version="2.0"><channel><title>Town Hall</title>{body}</channel></rss>',
                    encoding="utf-8")
    return path


def test_a_feed_item_without_a_link_edited_in_place_is_made_again_in_place(tmp_path, cli):
    items = [("item-1", "Bins", "Bins are collected on Wednesday this week."),
             ("item-2", "Pool", "The pool opens an hour later on Friday.")]
    feed = _linkless_feed(tmp_path / "feed.xml", items, with_ids=False)

    def batch(out):
        code, stdout, stderr = cli("batch", feed, "-o", out, "--engine", "piper", "--cache-dir", tmp_path / "cache",
                                   "--json")
        assert code == 0, stderr
        return json.loads(stdout), stderr

    first, _ = batch(tmp_path / "before-ids")
    # Made before items' IDs counted (their words were their identity): given IDs now, they are
    # the same episodes, up to date, under the GUIDs their listeners have.
    _linkless_feed(feed, items)
    again, _ = batch(tmp_path / "before-ids")
    assert [o["status"] for o in again["outcomes"]] == ["up_to_date"] * 2
    assert [o["guid"] for o in again["outcomes"]] == [o["guid"] for o in first["outcomes"]]
    # Edited, an item with an ID is made again in place, not published a second time.
    out = tmp_path / "out"
    original, _ = batch(out)
    _linkless_feed(feed, [("item-1", "Bins", "Bins are collected on Thursday this week, not Wednesday."), items[1]])
    edited, _ = batch(out)
    assert [o["status"] for o in edited["outcomes"]] == ["made", "up_to_date"]
    assert [o["guid"] for o in edited["outcomes"]] == [o["guid"] for o in original["outcomes"]]
    assert sorted(p.name for p in out.glob("*.mp3")) == sorted(Path(o["mp3"]).name for o in original["outcomes"])
    assert len(items_of(out / "feed.xml")) == 2
    # Two items of one ID: the first is the episode, the second is said and left out.
    _linkless_feed(feed, [items[0], ("item-1", "Bins again", "A second item under the first one's ID.")])
    twice, stderr = batch(out)
    assert [o["title"] for o in twice["outcomes"]] == ["Bins"]
    assert "skipping 'Bins again': the same feed item ID as 'Bins'" in stderr


def test_templated_items_with_urls_of_their_own_are_each_an_episode(tmp_path, cli):
    """A line per town is alike enough for a listener's digest to read once; a publisher's batch
    gives each its own episode. The same URL twice is still one."""
    items = [{"title": f"Weather for {town}", "url": f"https://weather.example/{town.lower()}",
              "text": f"Rain in {town} this morning will clear by noon, and the afternoon stays dry and mild. "
                      "Winds stay light from the west, and tonight will be cold under clear skies, with a touch "
                      "of frost on the higher ground by dawn and fog in the valleys."}
             for town in ("Ashby", "Brill", "Cley")]
    items.append({**items[0], "title": "Weather for Ashby, again"})
    (tmp_path / "today.json").write_text(json.dumps(items), encoding="utf-8")
    code, stdout, stderr = cli("batch", tmp_path / "today.json", "-o", tmp_path / "out", "--engine", "piper",
                               "--cache-dir", tmp_path / "cache", "--json")
    assert code == 0, stderr
    summary = json.loads(stdout)
    assert sorted(o["title"] for o in summary["outcomes"]) == ["Weather for Ashby", "Weather for Brill",
                                                               "Weather for Cley"]
    assert "'Weather for Ashby, again' (https://weather.example/ashby): the same story as" in stderr


def test_batch_with_no_input_says_what_it_takes(tmp_path, cli):
    code, stdout, stderr = cli("batch", "-o", tmp_path / "out")
    assert (code, stdout) == (2, "")
    assert stderr == ("digest: error: no input given; pass feeds, folders, @LIST files, JSON arrays or "
                      "article files\n")


@pytest.mark.slow
def test_gtts_requests_on_a_dask_cluster_stay_under_the_limit(tmp_path, monkeypatch):
    """The cluster-wide Dask semaphore works from the synthesis threads of every worker."""
    stories = write_stories(tmp_path / "in", TOPICS[:3])
    with FakeGoogle(latency=0.15) as google:
        route_to(monkeypatch, google)  # the cluster's worker processes inherit the route
        make = MakeOptions(inputs=[str(stories)], output_dir=tmp_path / "out", engine="gtts",
                           cache_dir=tmp_path / "cache")
        result = run_batch(BatchOptions(make, workers=2, gtts_limit=2, retries=0, now=NOW))
        assert [o.status for o in result.outcomes] == ["made"] * 3, [o.reason for o in result.outcomes]
        assert google.count >= 6
        assert google.peak_in_flight == 2
