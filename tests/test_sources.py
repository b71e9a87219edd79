"""`digest sources`: the folder's subscriptions in digest.toml, added by hand or from OPML."""

from __future__ import annotations

import json

import pytest

from digest.sync.sources import load_sources

# Shaped like a feed reader's export: a head, categories nested two deep, RSS and Atom feeds
# with xmlUrl and htmlUrl, a folder's own outline without a feed, a duplicate, an include
# link to another list (not a feed), and an entity in a title.
OPML = """<?xml version="1.0" encoding="UTF-8"?>
<opml version="2.0">
  <head>
    <title>My subscriptions</title>
    <dateCreated>Mon, 02 Nov 2026 06:00:00 GMT</dateCreated>
    <ownerName>Sam</ownerName>
  </head>
  <body>
    <outline text="News" title="News">
      <outline text="Harbour News" title="Harbour News" type="rss" xmlUrl="https://harbour.example/feed.xml"
               htmlUrl="https://harbour.example/" category="/local,/boats"/>
      <outline text="Local">
        <outline text="Market Weekly" type="rss" xmlUrl="https://market.example/atom" htmlUrl="https://market.example"
                 version="RSS2"/>
        <outline text="Tides &amp; Weather" type="rss" xmlUrl="http://tides.example/rss?format=xml"/>
      </outline>
    </outline>
    <outline text="Tech">
      <outline text="Harbour News" type="rss" xmlUrl="https://harbour.example/tech.xml"/>
      <outline text="Again" type="rss" xmlUrl="https://harbour.example/feed.xml"/>
    </outline>
    <outline text="Friends' list" type="include" url="https://friend.example/subs.opml"/>
  </body>
</opml>
"""


@pytest.fixture
def opml(tmp_path):
    path = tmp_path / "subs.opml"
    path.write_text(OPML, encoding="utf-8")
    return path


def test_import_takes_every_feed_of_nested_outlines_once(tmp_path, opml, cli):
    out = tmp_path / "audio"
    code, stdout, err = cli("sources", "import", opml, "-o", out)
    assert code == 0, err
    assert [(s.name, s.url) for s in load_sources(out)] == [
        ("Harbour News", "https://harbour.example/feed.xml"),
        ("Market Weekly", "https://market.example/atom"),
        ("Tides & Weather", "http://tides.example/rss?format=xml"),
        ("Harbour News 2", "https://harbour.example/tech.xml"),  # a name taken gets a number
    ]
    assert stdout.splitlines()[-1] == f"4 sources added to {out / 'digest.toml'}"
    # Again: nothing new to add, nothing duplicated.
    code, stdout, _ = cli("sources", "import", opml, "-o", out)
    assert code == 0 and stdout == f"0 sources added to {out / 'digest.toml'}, 4 already there\n"
    assert len(load_sources(out)) == 4


@pytest.mark.parametrize("content, message", [
    ("just some notes\n", "is not an OPML subscription list"),
    ("<?xml version='1.0'?><opml version='2.0'><body><outline text='x'/></body></opml>", "lists no http(s) feeds"),
    ("<?xml version='1.0'?><opml version='2.0'><body><outline text='x' xmlUrl='file:///etc/passwd'/></body></opml>",
     "lists no http(s) feeds"),
])
def test_a_bad_opml_file_is_one_error_line_and_changes_nothing(tmp_path, cli, content, message):
    path = tmp_path / "bad.opml"
    path.write_text(content, encoding="utf-8")
    code, out, err = cli("sources", "import", path, "-o", tmp_path / "audio")
    assert (code, out) == (2, "") and err == f"digest: error: {path} {message}\n"
    assert not (tmp_path / "audio" / "digest.toml").exists()


def test_a_missing_opml_file_is_one_error_line(tmp_path, cli):
    code, _, err = cli("sources", "import", tmp_path / "nope.opml")
    assert code == 2 and err == f"digest: error: {tmp_path / 'nope.opml'}: no such file\n"


def test_add_list_remove_keep_the_users_comments(tmp_path, cli):
    out = tmp_path / "audio"
    out.mkdir()
    (out / "digest.toml").write_text('# my podcast\ntitle = "Morning"  # on air at six\n', encoding="utf-8")
    articles = tmp_path / "notes"
    articles.mkdir()
    assert cli("sources", "add", "https://www.harbour.example/feed.xml", "-o", out)[0] == 0
    code, stdout, _ = cli("sources", "add", "https://tides.example/", "--name", "Tides", "--limit", "3",
                          "--lang", "en-GB", "-o", out)
    assert code == 0 and stdout == f"added 'Tides': https://tides.example/ to {out / 'digest.toml'}\n"
    assert cli("sources", "add", articles, "-o", out)[0] == 0
    code, stdout, _ = cli("sources", "-o", out)
    assert stdout.splitlines() == ["harbour.example/feed.xml: https://www.harbour.example/feed.xml (url)",
                                   "Tides: https://tides.example/ (url, limit 3, lang en-GB)",
                                   f"notes: {articles} (folder)"]
    listed = json.loads(cli("sources", "list", "--json", "-o", out)[1])
    assert listed["sources"][1] == {"name": "Tides", "url": "https://tides.example/", "kind": "url", "limit": 3,
                                    "lang": "en-GB"}
    assert cli("sources", "remove", "tides", "-o", out)[0] == 0
    text = (out / "digest.toml").read_text(encoding="utf-8")
    assert text.startswith('# my podcast\ntitle = "Morning"  # on air at six\n')
    assert [s.name for s in load_sources(out)] == ["harbour.example/feed.xml", "notes"]
    assert cli("sources", "remove", "harbour.example/feed.xml", "-o", out)[0] == 0
    assert cli("sources", "remove", "notes", "-o", out)[0] == 0
    assert "sources" not in (out / "digest.toml").read_text(encoding="utf-8")
    # The file's other settings still read as before.
    assert "Morning" in cli("settings", "-o", out)[1]


def test_a_list_file_source_is_stored_absolute(tmp_path, cli, monkeypatch):
    (tmp_path / "today.txt").write_text("https://harbour.example/a\n", encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    assert cli("sources", "add", "@today.txt", "-o", "audio")[0] == 0
    [source] = load_sources(tmp_path / "audio")
    assert source.url == f"@{tmp_path / 'today.txt'}" and source.kind == "list" and source.name == "today.txt"


@pytest.mark.parametrize("argv, message", [
    (["add", "https://a.example/", "--limit", "0"], "--limit must be a whole number of at least 1, not 0"),
    (["add", "https://a.example/", "--lang", "english please"], "--lang 'english please' is not a language code"),
    (["add", "ftp://a.example/feed"], "a source is an http(s) URL, a folder, a file or @LIST"),
    (["add", "no-such-folder"], "no-such-folder: no such file or folder"),
    (["remove", "nothing"], "no source is named 'nothing'"),
    (["list", "--name", "x"], "--name, --limit and --lang go with `digest sources add`"),
    (["frobnicate"], "unknown sources action 'frobnicate'"),
    (["add"], "`digest sources add` takes one URL, folder or file"),
])
def test_mistakes_are_one_error_line(tmp_path, cli, argv, message):
    code, out, err = cli("sources", *argv, "-o", tmp_path / "audio")
    assert (code, out) == (2, "") and err.startswith("digest: error: ") and message in err and err.count("\n") == 1


def test_the_same_source_or_name_twice_is_refused(tmp_path, cli):
    out = tmp_path / "audio"
    assert cli("sources", "add", "https://a.example/feed", "--name", "A", "-o", out)[0] == 0
    code, _, err = cli("sources", "add", "https://a.example/feed", "-o", out)
    assert code == 2 and "https://a.example/feed is already a source, named 'A'" in err
    code, _, err = cli("sources", "add", "https://b.example/feed", "--name", "A", "-o", out)
    assert code == 2 and "a source is already named 'A'" in err


def test_a_hand_edited_bad_source_is_named_with_its_place(tmp_path, cli):
    out = tmp_path / "audio"
    out.mkdir()
    (out / "digest.toml").write_text('[[sources]]\nurl = "https://a.example/"\n\n[[sources]]\nname = "B"\n'
                                     'url = "https://b.example/"\nlimt = 3\n', encoding="utf-8")
    code, _, err = cli("sources", "-o", out)
    assert code == 2 and f"{out / 'digest.toml'}: source 2: unknown key 'limt'" in err
    # The settings command still reads the rest of the file, and warns of the bad source.
    code, _, err = cli("settings", "-o", out)
    assert code == 0 and f"digest: warning: {out / 'digest.toml'}: source 2: unknown key 'limt'" in err


def test_a_setting_appended_below_the_sources_is_an_error_for_settings_and_sync_alike(tmp_path, cli):
    out = tmp_path / "audio"
    assert cli("sources", "add", "https://a.example/feed", "-o", out)[0] == 0
    assert cli("sources", "add", "https://b.example/feed", "-o", out)[0] == 0
    with open(out / "digest.toml", "a", encoding="utf-8") as config:
        config.write("keep_episodes = 2\n")  # lands in the last [[sources]] table
    message = (f"digest: error: {out / 'digest.toml'}: source 2: unknown key 'keep_episodes' (a source has url, "
               "name, limit, lang); 'keep_episodes' is a setting: move its line above the first [[sources]] "
               "(a line below a [[sources]] header belongs to that source)\n")
    assert cli("settings", "-o", out)[::2] == (2, message)
    assert cli("sync", "-o", out)[::2] == (2, message)


def test_keep_settings_are_checked_like_other_settings(tmp_path, cli):
    out = tmp_path / "audio"
    code, _, err = cli("settings", "set", "keep_episodes", "0", "-o", out)
    assert code == 2 and "keep_episodes: must be at least 1, not 0" in err
    assert cli("settings", "set", "keep_days", "14", "-o", out)[0] == 0
    assert "keep_days = 14" in cli("settings", "-o", out)[1]


FEED = ('<?xml version="1.0"?><rss version="2.0"><channel><title>Harbour\n  Notes</title><item><title>Ferry fares'
        '</title><guid>f1</guid><link>https://news.example/f1</link><description>Fares stay.</description></item>'
        "</channel></rss>")


def test_adding_a_loopback_feed_warns_at_once_how_to_allow_it(tmp_path, cli, web):
    web.page("/feed1.xml", FEED, "application/rss+xml")
    out = tmp_path / "audio"
    code, stdout, err = cli("sources", "add", web.url("/feed1.xml"), "-o", out)
    port = web.url("/").split(":")[-1].rstrip("/")
    assert (code, stdout) == (0, f"added '127.0.0.1:{port}/feed1.xml': {web.url('/feed1.xml')} to {out / 'digest.toml'}\n")
    assert err == ("digest: warning: 127.0.0.1 is a private or local address, which `digest sync` reads only when "
                   f"allowed: run `digest settings set allow_private true -o {out}` (or `digest sync --allow-private`)\n")
    assert web.hits == []  # refused before any download
    # sync's own refusal names the address once and says the same.
    code, _, err = cli("sync", "-o", out)
    assert code == 1 and (f"{web.url('/feed1.xml')}: 127.0.0.1 is a private or local address; pass --allow-private "
                          "(or `digest settings set allow_private true`) to read it") in err


def test_a_feed_added_is_named_by_its_title_when_it_can_be_read(tmp_path, cli, web):
    web.page("/feed1.xml", FEED, "application/rss+xml")
    web.page("/page.html", "<html><head><title>A page</title></head><body><p>Not a feed.</p></body></html>")
    out = tmp_path / "audio"
    assert cli("settings", "set", "allow_private", "true", "-o", out)[0] == 0
    code, stdout, err = cli("sources", "add", web.url("/feed1.xml"), "-o", out)
    assert (code, err) == (0, "") and stdout.startswith("added 'Harbour Notes': ")
    assert web.hits == ["/feed1.xml"]  # the feed alone: no item's page
    assert cli("sources", "add", web.url("/page.html"), "-o", out)[:3:2] == (0, "")  # a page keeps its URL's name
    code, stdout, err = cli("sources", "add", web.url("/gone.xml"), "-o", out)  # a 404 is a warning, not a failure
    assert code == 0 and "not found (HTTP 404) (named after its URL; `digest sync` tries it each run)" in err
    code, _, err = cli("sources", "add", web.url("/gone2.xml"), "--name", "Mine", "-o", out)
    assert code == 0 and err.endswith("not found (HTTP 404) (`digest sync` tries it each run)\n")
    port = web.url("/").split(":")[-1].rstrip("/")
    assert [s.name for s in load_sources(out)] == ["Harbour Notes", f"127.0.0.1:{port}/page.html",
                                                   f"127.0.0.1:{port}/gone.xml", "Mine"]

