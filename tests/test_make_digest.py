"""Digests of several stories: one episode, chapters where each title is spoken, metadata per story."""

import datetime as dt
import json
from pathlib import Path

import feedparser
import pytest
from mutagen.id3 import ID3

import digest.make as pipeline
from digest.errors import OutputError
from digest.make import MakeOptions, make
from tests.conftest import FIXTURES

DATE = dt.date(2026, 11, 25)

STORIES = [
    ("harbour.txt", "date 2025-06-01 Harbour reopens after the storm",
     "Ferries sailed again on Saturday morning. The harbour master thanked the repair crews."),
    ("library.txt", "Library extends its opening hours",
     "The town library will stay open until eight on weekdays. Volunteers will staff the evenings."),
    ("market.txt", "Covered market gets a new roof",
     "The iron roof of the market hall has been restored. Traders return next week."),
]


@pytest.fixture
def spy(monkeypatch):
    """Record what the pipeline planned and stitched, while the real functions do the work."""
    seen = {}
    real_plan, real_stitch = pipeline.plan_utterances, pipeline.master

    def plan(script, max_chars):
        seen["script"], seen["utterances"] = script, real_plan(script, max_chars)
        return seen["utterances"]

    def stitch(*args, **kwargs):
        seen["stitched"] = real_stitch(*args, **kwargs)
        return seen["stitched"]

    monkeypatch.setattr(pipeline, "plan_utterances", plan)
    monkeypatch.setattr(pipeline, "master", stitch)
    return seen


def chapters_of(mp3):
    tags = ID3(str(mp3))
    frames = sorted(tags.getall("CHAP"), key=lambda frame: frame.start_time)
    return [(str(f.sub_frames["TIT2"].text[0]), f.start_time / 1000, f.end_time / 1000) for f in frames]


def test_three_story_digest_has_a_chapter_per_story_starting_at_its_title(tmp_path, fake_google, spy):
    inputs = []
    for name, title, body in STORIES:
        (tmp_path / name).write_text(f"{title}\n\n{body}\n", encoding="utf-8")
        inputs.append(str(tmp_path / name))
    result = make(MakeOptions(inputs=inputs, output_dir=tmp_path / "audio", engine="gtts", date=DATE))

    titles = ["Harbour reopens after the storm", "Library extends its opening hours", "Covered market gets a new roof"]
    intro = spy["script"].segments[0].text
    assert intro.index(titles[0]) < intro.index(titles[1]) < intro.index(titles[2])
    assert "Today, three stories:" in intro

    chapters = chapters_of(result.mp3_path)
    assert [c[0] for c in chapters] == ["Introduction", *titles, "Closing"]
    utterances, spans = spy["utterances"], spy["stitched"].spans
    segments = spy["script"].segments
    for title, start, _ in chapters[1:-1]:
        first = next(i for i, u in enumerate(utterances) if segments[u.segment_index].chapter == title)
        assert segments[utterances[first].segment_index].kind == "title"
        assert utterances[first].text.startswith(title)
        assert abs(start - spans[first].start) <= 0.1
    # Chapters tile the episode: each ends where the next starts, the last at the very end.
    assert chapters[0][1] == 0
    assert all(abs(a[2] - b[1]) <= 0.001 for a, b in zip(chapters, chapters[1:]))
    assert abs(chapters[-1][2] - result.duration) <= 0.001
    assert abs(sum(end - start for _, start, end in chapters) - result.duration) <= 0.01
    assert result.title == "Digest, 25 November 2026"  # several stories: the programme's edition of the day
    assert result.mp3_path.name == "2026-11-25-digest.mp3"


def test_a_second_edition_the_same_day_gets_its_own_stable_name_and_one_story_keeps_its_title(tmp_path, fake_google):
    paths = []
    for name, title, body in STORIES:
        (tmp_path / name).write_text(f"{title}\n\n{body}\n", encoding="utf-8")
        paths.append(str(tmp_path / name))
    out = tmp_path / "audio"

    def run(inputs, **options):
        return make(MakeOptions(inputs=inputs, output_dir=out, engine="gtts", date=DATE, **options))

    morning = run(paths[:2], programme="Harbour Weekly")
    evening = run(paths[1:], programme="Harbour Weekly")
    assert morning.title == evening.title == "Harbour Weekly, 25 November 2026"
    assert (morning.mp3_path.name, evening.mp3_path.name) == (
        "2026-11-25-harbour-weekly.mp3", "2026-11-25-harbour-weekly-2.mp3")
    again = run(paths[1:], programme="Harbour Weekly")
    assert again.up_to_date and again.mp3_path == evening.mp3_path  # the same edition keeps its file
    single = run(paths[2:], programme="Harbour Weekly")
    assert single.title == "Covered market gets a new roof"
    assert single.mp3_path.name == "2026-11-25-covered-market-gets-a-new-roof.mp3"
    named = run(paths, programme="Harbour Weekly", title="Three from the harbour")
    assert named.title == "Three from the harbour" and named.mp3_path.name == "2026-11-25-harbour-weekly-3.mp3"
    german = make(MakeOptions(inputs=paths[:2], output_dir=tmp_path / "de", engine="gtts", date=DATE, lang="de"))
    assert german.title == "Digest, 25. November 2026"


def test_five_mixed_inputs_and_a_bad_one_make_one_episode(cli, tmp_path, fake_google, web):
    """Done when: text, Markdown, HTML file, local URL and local RSS feed make one episode with
    correct chapters and story metadata; a bad input in the mix gets a one-line warning."""
    text = tmp_path / "harbour.txt"
    text.write_text(f"{STORIES[0][1]}\n\n{STORIES[0][2]}\n", encoding="utf-8")
    page = web.page("/fair", (
        "<html><head><title>Harbour fair</title><meta name='author' content='Noor Haddad'>"
        "<meta property='og:site_name' content='Fair News'>"
        "<meta property='article:published_time' content='2025-06-20'></head><body><nav>Home | News</nav>"
        "<article><h1>Harbour fair</h1><p>The harbour fair returned on Saturday with forty stalls along the quay "
        "and a rowing race at noon.</p></article></body></html>"))
    feed = web.page("/feed.rss", (FIXTURES / "feed.rss").read_bytes(), "application/rss+xml")
    missing = web.url("/gone")
    out = tmp_path / "audio"
    code, stdout, stderr = cli(
        "make", text, FIXTURES / "article.md", FIXTURES / "messy.html", page, missing, feed,
        "--limit", "1", "--allow-private", "-o", out, "--engine", "gtts", "--date", DATE.isoformat(), "--json", "-q")
    assert code == 0, stderr
    assert stderr == f"digest: warning: {missing}: not found (HTTP 404) (skipped)\n"

    summary = json.loads(stdout)
    [mp3] = out.glob("*.mp3")
    assert summary["mp3"] == str(mp3)
    titles = ["Harbour reopens after the storm", "Tide tables go digital: a harbour guide",
              "Night ferry returns to Gull Point", "Harbour fair", "Pier lights switched back on"]
    chapters = chapters_of(mp3)
    assert [c[0] for c in chapters] == ["Introduction", *titles, "Closing"]
    assert abs(chapters[-1][2] - summary["duration_seconds"]) <= 0.01

    stories = json.loads(str(ID3(str(mp3))["TXXX:DIGEST_STORIES"]))
    assert stories == [
        {"title": titles[0], "source": None, "url": None, "date": "2025-06-01", "author": None},
        {"title": titles[1], "source": "Harbour Notes", "url": "https://notes.example/tide-tables",
         "date": "2025-05-03", "author": "Priya Natarajan"},
        {"title": titles[2], "source": "The Gull Point Gazette", "url": "https://gazette.example/news/night-ferry-returns",
         "date": "2025-06-14", "author": "Marta Lindqvist"},
        {"title": titles[3], "source": "Fair News", "url": page, "date": "2025-06-20", "author": "Noor Haddad"},
        {"title": titles[4], "source": "Gull Point Evening Post", "url": "https://post.example/pier-lights",
         "date": "2025-06-16", "author": "Rosa Quint"},
    ]
    spoken = " ".join(r.text for r in fake_google.requests)
    assert "One of the stories could not be read and was left out" in spoken
    assert "From Fair News." in spoken and "From The Gull Point Gazette." in spoken
    [entry] = feedparser.parse(str(out / "feed.xml")).entries
    assert entry.title == "Digest, 25 November 2026"


def test_when_every_input_is_bad_nothing_is_written(cli, tmp_path):
    out = tmp_path / "audio"
    code, _, err = cli("make", tmp_path / "a.txt", tmp_path / "b.txt", "-o", out, "--engine", "gtts")
    assert code == 2
    assert err.splitlines()[-1] == "digest: error: none of the inputs could be read (2 problems, see the warnings above)"
    assert len(err.splitlines()) == 3 and "Traceback" not in err
    assert not out.exists()


@pytest.mark.parametrize("stop, code", [(KeyboardInterrupt, 130), (OutputError("the disk is full"), 1)])
def test_a_first_run_stopped_takes_away_the_empty_folders_it_made(cli, tmp_path, article_file, monkeypatch, stop, code):
    made = []

    def synthesize_all(*args, **kwargs):
        made.append((tmp_path / "podcast" / "audio").is_dir())  # the folder is there by then
        raise stop

    monkeypatch.setattr(pipeline, "synthesize_all", synthesize_all)
    assert cli("make", article_file, "-o", tmp_path / "podcast" / "audio", "--engine", "gtts")[0] == code
    assert made == [True] and not (tmp_path / "podcast").exists()
    # A folder that was there before stays, empty or not.
    (tmp_path / "mine").mkdir()
    assert cli("make", article_file, "-o", tmp_path / "mine", "--engine", "gtts")[0] == code
    assert (tmp_path / "mine").is_dir()


def test_script_of_a_mixed_digest_shows_chapters_and_the_skipped_story(cli, tmp_path):
    code, out, err = cli("script", FIXTURES / "article.md", FIXTURES / "articles.json", "--date", "2026-11-25")
    assert code == 0
    assert err == f"digest: warning: {FIXTURES / 'articles.json'}: item 3: has no text (expected one of text, body, content) (skipped)\n"
    marks = [line for line in out.splitlines() if line.startswith("## ")]
    assert marks == ["## Introduction", "## Tide tables go digital: a harbour guide",
                     "## Seal pup rescued from fishing net", "## Lifeboat crew trains at night", "## Closing"]
    assert "Today, three stories: Tide tables go digital: a harbour guide; Seal pup rescued from fishing net; and " \
           "Lifeboat crew trains at night. One of the stories could not be read and was left out." in out
    assert "[title] Seal pup rescued from fishing net. From Coastal Wire. Published April twentieth, twenty twenty-five." in out


def test_script_with_max_minutes_summarizes_every_story_and_says_so(cli, tmp_path):
    long_body = " ".join(f"Sentence {i} of the long story is here." for i in range(80))
    next_body = " ".join(f"The next story says {i} different things." for i in range(80))
    (tmp_path / "long.txt").write_text(f"Long story\n\n{long_body}", encoding="utf-8")
    (tmp_path / "next.txt").write_text(f"Next story\n\n{next_body}", encoding="utf-8")
    code, out, err = cli("script", tmp_path / "long.txt", tmp_path / "next.txt", "--max-minutes", "2")
    assert code == 0
    assert "Today, two stories: Long story; and Next story. Each story is summarized to fit two minutes." in out
    assert "## Long story" in out and "## Next story" in out
    assert "Sentence forty of the long story" not in out and "left out" not in out
    assert err == "digest: warning: --max-minutes 2: of 2 stories, 2 summarized and 0 left out\n"


def test_script_with_max_minutes_leaves_out_the_last_stories_only_when_summaries_cannot_fit(cli, tmp_path):
    topics = ["harbour boats ferry swell pier crew", "school meals kitchen cooks lunch menu",
              "river bridge arches masons steel flood", "tram line stops hospital tickets depot",
              "market hall stalls roof tiles flowers", "youth orchestra tour concerts violin rehearsal"]
    for n, topic in enumerate(topics):
        words = topic.split()  # each story its own words, so none is taken for a repeat of another
        body = " ".join(f"Today {words[i % 6]} {words[(i + 1) % 6]} and {words[(i + 2) % 6]} {words[(i + 4) % 6]} "
                        f"met {words[(i + 3) % 6]} {words[(i + 5) % 6]} again." for i in range(20))
        (tmp_path / f"{n}.txt").write_text(f"Story {n}\n\n{body}", encoding="utf-8")
    code, out, err = cli("script", *sorted(tmp_path.glob("*.txt")), "--max-minutes", "0.5")
    assert code == 0, err
    assert "did not fit into this episode and were left out." in out and "## Story 0" in out
    assert "## Story 5" not in out


SAMPLE_DAY = Path(__file__).parent / "script" / "stories"


def test_script_summary_reads_about_n_sentences_of_each_story(cli):
    code, out, err = cli("script", *sorted(SAMPLE_DAY.glob("*.txt")), "--summary", "3", "--date", "2026-11-25")
    assert code == 0 and err == ""
    assert out.count("\n## ") == 13  # twelve stories and the closing
    assert "Each story is summarized." in out and "twelve stories: Island ferry adds a late sailing" in out
    ferry = out.split("## Island ferry adds a late sailing from March\n")[1].split("\n\n")[0]
    assert ferry.splitlines()[1:3] == [
        "[paragraph] The ferry service to Kessel Island will add a sailing at eleven at night from the first of "
        "March, the island council announced on Monday. The extra crossing answers years of complaints from "
        "islanders who work evening shifts on the mainland.",
        "[paragraph] Until now the last boat left the mainland pier at nine.",
    ]


def test_twelve_stories_in_ten_minutes_with_a_headline_rundown_first(cli):
    from digest.script.fit import WORDS_PER_MINUTE

    day = sorted(SAMPLE_DAY.glob("*.txt"))
    code, out, err = cli("script", *day, "--max-minutes", "10", "--date", "2026-11-25")
    assert code == 0, err
    spoken = [line.split("] ", 1)[1] for line in out.splitlines() if line.startswith("[")]
    assert 9 <= sum(len(text.split()) for text in spoken) / WORDS_PER_MINUTE <= 11
    intro = spoken[0]
    headlines = [path.read_text(encoding="utf-8").splitlines()[0] for path in day]
    assert intro.index("Today, twelve stories: ") < intro.index(headlines[0])
    assert all(headline in intro for headline in headlines)
    assert intro.endswith("and Villages practise evacuation before the fire season. "
                          "Each story is summarized to fit ten minutes.")
    assert [line[3:] for line in out.splitlines() if line.startswith("## ")][1:-1] == headlines


def test_summary_is_a_setting_of_the_output_folder(cli, tmp_path):
    out = tmp_path / "audio"
    assert cli("settings", "set", "summary", "1", "-o", out)[0] == 0
    assert "summary = 1\n" in (out / "digest.toml").read_text()
    story = SAMPLE_DAY / "01-ferry-timetable.txt"
    code, said, err = cli("script", story, "-o", out)
    assert code == 0, err
    assert "Until now" not in said and "The story is summarized." in said
    code, said, err = cli("script", story, "-o", out, "--summary", "20")
    assert "Until now" in said and "summarized" not in said
    assert cli("script", story, "--summary", "0")[2] == "digest: error: --summary must be at least 1 sentence, not 0\n"


def test_make_fits_the_stories_to_the_voice_pace_times_the_speed(tmp_path):
    from digest.make import gather

    inputs = [str(path) for path in sorted(SAMPLE_DAY.glob("*.txt"))]

    def words(pace=None, **settings):
        options = MakeOptions(inputs=inputs, output_dir=tmp_path, max_minutes=8, use_cache=False, **settings)
        lineup = gather(options) if pace is None else gather(options, words_per_minute=pace)
        return sum(len(article.body.split()) for article in lineup.articles)

    assert words() < words(170) < words(170, speed=1.5)
