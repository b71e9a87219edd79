"""The command line's grammar: every command, its options in groups, their formats and defaults,
and examples; errors in one line with "did you mean". Parsing only: digest.cli runs the commands.

Help is laid out for a reader: options grouped by what they change (inputs, reading, voice,
episode, publishing, output), each with the format it takes (`--date YYYY-MM-DD`, `SIZE` as
`500MB`) and its default, then examples. It wraps at 80 columns at most, whatever the terminal.
"""

from __future__ import annotations

import argparse
import datetime as dt
import difflib
import shutil
import textwrap
from pathlib import Path

from digest import __version__
from digest.errors import InputError
from digest.limits import (
    BATCH_FEED_LIMIT,
    DEFAULT_FEED_LIMIT,
    DEFAULT_MAX_CHARS,
    MAX_SPEED,
    MIN_SPEED,
    RAW_BYTES_PER_CHAR,
)

HELP_WIDTH = 80


class _Help(argparse.HelpFormatter):
    """argparse's layout, at most HELP_WIDTH columns wide; examples kept as written.

    Descriptions are filled paragraph by paragraph (argparse would run them together), and
    lines break at spaces only, so `en-GB` and `--no-allow-private` stay whole.
    """

    def __init__(self, prog: str) -> None:
        super().__init__(prog, max_help_position=28, width=min(shutil.get_terminal_size().columns, HELP_WIDTH))

    def _split_lines(self, text: str, width: int) -> list[str]:
        return textwrap.wrap(" ".join(text.split()), width, break_on_hyphens=False)

    def _fill_text(self, text: str, width: int, indent: str) -> str:
        paragraphs = text.split("\n\n")
        return "\n\n".join(
            paragraph if paragraph.startswith("examples:") else
            textwrap.fill(" ".join(paragraph.split()), width, initial_indent=indent, subsequent_indent=indent,
                          break_on_hyphens=False)
            for paragraph in paragraphs)


class _Parser(argparse.ArgumentParser):
    def __init__(self, *args, **kwargs) -> None:
        # No abbreviations: `--engin` silently meaning `--engine` breaks scripts the day a new
        # option shares the prefix; a typo gets "did you mean" instead.
        kwargs.setdefault("allow_abbrev", False)
        kwargs.setdefault("formatter_class", _Help)
        super().__init__(*args, **kwargs)

    def error(self, message: str):  # one line, not argparse's usage dump
        raise InputError(f"{message} (see `{self.prog} --help`)")

    def _command_parser(self, name: str | None) -> argparse.ArgumentParser | None:
        for action in self._actions:
            if isinstance(action, argparse._SubParsersAction) and name in action.choices:
                return action.choices[name]
        return None

    def _check_value(self, action, value):
        if action.choices is not None and value not in action.choices:
            choices = [str(choice) for choice in action.choices]
            guess = difflib.get_close_matches(str(value), choices, n=1)
            what = "command" if isinstance(action, argparse._SubParsersAction) else action.dest.replace("_", " ")
            hint = f"; did you mean {guess[0]!r}?" if guess else f" (choose from {', '.join(choices)})"
            raise argparse.ArgumentError(action, f"unknown {what} {value!r}{hint}")
        super()._check_value(action, value)


def unrecognized(extras: list[str], parser: argparse.ArgumentParser) -> str:
    """One line for arguments the command does not take, with the likeliest meant option."""
    options = [option for action in parser._actions for option in action.option_strings]
    first = extras[0]
    word = first.split("=", 1)[0]
    guess = difflib.get_close_matches(word, options, n=1, cutoff=0.6) if word.startswith("-") else []
    hint = f"; did you mean {guess[0]}?" if guess else ""
    listed = " ".join(extras) if len(extras) <= 3 else " ".join(extras[:3]) + " ..."
    return f"unrecognized arguments: {listed}{hint} (see `{parser.prog} --help`)"


def _date(text: str) -> dt.date:
    from digest.dates import parse_date

    parsed = parse_date(text)
    if parsed is None:
        raise argparse.ArgumentTypeError(f"not a date: {text!r} (use YYYY-MM-DD)")
    return parsed


def _size(text: str) -> int:
    from digest.speech.cache import parse_size

    try:
        return parse_size(text)
    except InputError as error:
        raise argparse.ArgumentTypeError(str(error)) from None


def engine_names() -> list[str]:
    from digest.speech.engines import names

    return names()


# --- option groups, shared by the commands that take them ---------------------------------------

def _add_inputs(group) -> None:
    group.add_argument("inputs", nargs="*", metavar="INPUT",
                       help="article file (text, Markdown, HTML, JSON, RSS/Atom), http(s) URL, folder, "
                            "@LIST (a file naming one input per line), or - for stdin")
    group.add_argument("--sample", nargs="?", const="", metavar="NAME",
                       help="a bundled sample article (default NAME: the first one)")


def _add_reading(group) -> None:
    group.add_argument("--limit", type=int, metavar="N",
                       help=f"newest items taken from each feed (default: {DEFAULT_FEED_LIMIT})")
    group.add_argument("--since", type=_date, metavar="YYYY-MM-DD",
                       help="leave out feed items published before this date (default: none left out)")
    group.add_argument("--max-chars", type=int, metavar="N",
                       help=f"longest article text accepted (default: {DEFAULT_MAX_CHARS}); files and "
                            f"downloads over {RAW_BYTES_PER_CHAR} bytes per character are refused")
    group.add_argument("--allow-private", action=argparse.BooleanOptionalAction,
                       help="allow URLs on private, loopback and link-local addresses (default: no)")


def _add_lang(group) -> None:
    group.add_argument("--lang", metavar="CODE", help="language of the articles and voice, e.g. en, de, "
                                                      "en-GB (default: en)")


def _add_lexicon(group) -> None:
    group.add_argument("--lexicon", action="append", type=Path, default=[], metavar="FILE",
                       help="pronunciation dictionary (TOML, or a W3C PLS .pls/.xml lexicon); repeatable; "
                            "its entries win over the output folder's pronunciations.toml")


def _add_engine_options(group) -> None:
    """Each engine's own options, as the engines declare them (digest.speech.engines.base)."""
    from digest.speech.engines import all_options

    for option in all_options():
        flag = f"--{option.name.replace('_', '-')}"
        dest = f"engine_{option.name}"
        if option.flag:
            group.add_argument(flag, dest=dest, action=argparse.BooleanOptionalAction,
                               help=f"{option.help} (default: no)")
        else:
            group.add_argument(flag, dest=dest, metavar=option.metavar, type=float if option.number else str,
                               default=None, help=option.help)


def _add_script_episode(group) -> None:
    group.add_argument("--programme", metavar="NAME", help="programme name spoken in the intro and the feed's "
                       "title (default: the folder's digest.toml title, else Digest)")
    group.add_argument("--date", type=_date, metavar="YYYY-MM-DD", help="episode date (default: today)")
    group.add_argument("--max-minutes", type=float, metavar="MIN",
                       help="fit the episode into about MIN minutes, summarizing stories (more briefly the "
                            "more there are); stories are left out only when even that cannot fit "
                            "(default: no limit)")
    _add_summary(group)


def _add_summary(group) -> None:
    group.add_argument("--summary", type=int, metavar="N",
                       help="read about N sentences of each story: its lead, or for a story that opens with "
                            "an anecdote its most central sentences (default: whole stories)")


def _add_output_dir(group, help: str) -> None:
    group.add_argument("-o", "--output-dir", type=Path, default=Path("audio"), metavar="DIR", help=help)


def _add_folder(parser, positional: bool = True, help: str = "the same as DIR") -> None:
    """The output folder, the same way for every command that works on one: DIR or -o DIR."""
    if positional:
        parser.add_argument("folder", nargs="?", type=Path, metavar="DIR", help="output folder (default: audio)")
    parser.add_argument("-o", "--output-dir", type=Path, metavar="DIR", help=help)


def _add_json(group, what: str) -> None:
    group.add_argument("--json", action="store_true",
                       help=f"print a JSON object on stdout: {what}; on failure, the error and "
                            "exit_code (the error still goes to stderr too)")


def _examples(*lines: str) -> str:
    return "examples:\n" + "\n".join(f"  {line}" for line in lines)


SETTINGS_NOTE = ("Options not given take the output folder's settings (its digest.toml: see "
                 "`digest settings`), else the default shown.")

# --- the commands --------------------------------------------------------------------------------

def _make(commands) -> None:
    make = commands.add_parser(
        "make", help="make an episode MP3 from articles and update the feed",
        description="Make an episode MP3 from articles, with transcripts and chapters beside it, and "
                    "update the folder's feed.xml.\n\n" + SETTINGS_NOTE,
        epilog=_examples(
            "digest make article.txt                  # audio/<date>-<title>.mp3",
            "digest make --sample                     # try it on a bundled article",
            "digest make https://example.org/feed.xml --limit 5 --max-minutes 15",
            "digest make notes.md --engine piper --speed 1.2 -o ~/podcast",
            "digest make @today.txt --date 2026-11-25 --title 'Morning digest'",
            "pbpaste | digest make - --json           # JSON summary, e.g. for cron",
            "digest settings set voice ~/voices/en_GB-alan-medium.onnx   # once"))
    inputs = make.add_argument_group("inputs")
    _add_inputs(inputs)
    reading = make.add_argument_group("reading")
    _add_reading(reading)
    voice = make.add_argument_group("voice")
    voice.add_argument("--engine", choices=engine_names(),
                       help="speech engine; `digest engines` describes them (default: auto; piper when a "
                            "voice is named)")
    _add_lang(voice)
    _add_engine_options(voice)
    voice.add_argument("--speed", type=float, metavar="X",
                       help=f"tempo {MIN_SPEED}-{MAX_SPEED} without changing pitch (default: 1.0)")
    _add_lexicon(voice)
    voice.add_argument("--jobs", type=int, metavar="N", help="utterances synthesized at once (default: per engine)")
    voice.add_argument("--retry-seconds", type=float, metavar="SEC",
                       help="gtts: longest total wait for retries of one utterance (default: 90)")
    episode = make.add_argument_group("episode")
    episode.add_argument("--title", metavar="TEXT", help="episode title (default: from the articles)")
    _add_script_episode(episode)
    episode.add_argument("--chime", action=argparse.BooleanOptionalAction,
                         help="a short generated chime between stories (default: no)")
    episode.add_argument("--force", action="store_true", help="make the MP3 again even if the same episode "
                         "is up to date")
    publishing = make.add_argument_group("publishing (remembered in digest.toml)")
    publishing.add_argument("--base-url", metavar="URL", help="URL the output folder is served at, for the "
                            "feed's links (default: the `digest serve` address)")
    publishing.add_argument("--cover", type=Path, metavar="PATH",
                            help="square JPEG/PNG cover, 1400-3000 px (default: a generated one)")
    output = make.add_argument_group("output")
    _add_output_dir(output, "output folder: episodes, their transcripts and chapters, feed.xml and "
                            "digest.toml (default: audio)")
    _add_json(output, "the files written, the episode's URL, its stories, the engine's counts and the "
                      "time per stage")
    output.add_argument("-q", "--quiet", action="store_true",
                        help="no progress bar and no summary: only warnings and errors")
    cache = make.add_argument_group("clip cache")
    cache.add_argument("--cache-dir", type=Path, metavar="DIR", help="clip cache folder (default: the user "
                       "cache dir; `digest cache` shows it)")
    cache.add_argument("--no-cache", action="store_true", help="neither read nor write the clip cache")
    cache.add_argument("--cache-max", type=_size, metavar="SIZE",
                       help="prune the clip cache to SIZE after the run, least recently used clips first; "
                            "SIZE as 200MB, 1G or bytes (default: DIGEST_CACHE_MAX, else 500MB)")


def _script(commands) -> None:
    script = commands.add_parser(
        "script", help="print the words that will be spoken, segment by segment",
        description="Print the script `make` would speak, chapter by chapter, without making audio.\n\n"
                    + SETTINGS_NOTE,
        epilog=_examples("digest script article.txt",
                         "digest script https://example.org/feed.xml --limit 3 --max-minutes 5",
                         "digest script --sample --json | jq -r '.segments[].text'"))
    inputs = script.add_argument_group("inputs")
    _add_inputs(inputs)
    reading = script.add_argument_group("reading")
    _add_reading(reading)
    words = script.add_argument_group("episode")
    _add_lang(words)
    _add_lexicon(words)
    _add_script_episode(words)
    output = script.add_argument_group("output")
    _add_output_dir(output, "the output folder whose settings and pronunciations apply; nothing is "
                            "written there (default: audio)")
    _add_json(output, "the segments and chapters")


def _feed(commands) -> None:
    feed = commands.add_parser(
        "feed", help="rebuild feed.xml from the episodes in the folder, or check it",
        description="Rebuild DIR/feed.xml from the episode MP3s in DIR. The publishing options are "
                    "remembered in DIR/digest.toml.",
        epilog=_examples("digest feed                                # audio/feed.xml",
                         "digest feed ~/podcast --base-url https://example.org/podcast/",
                         "digest feed --check                        # as a podcast app would",
                         "digest feed --check --json"))
    _add_folder(feed)
    publishing = feed.add_argument_group("publishing (remembered in digest.toml)")
    publishing.add_argument("--base-url", metavar="URL", help="URL the output folder is served at "
                            "(default: the `digest serve` address)")
    publishing.add_argument("--programme", metavar="NAME", help="feed title (default: Digest)")
    publishing.add_argument("--lang", metavar="CODE", help="channel language (default: en)")
    publishing.add_argument("--cover", type=Path, metavar="PATH",
                            help="square JPEG/PNG cover, 1400-3000 px (default: a generated one)")
    output = feed.add_argument_group("output")
    output.add_argument("--check", action="store_true", help="check feed.xml and the files it links against "
                        "podcast app rules, changing nothing; exit 1 on failure")
    _add_json(output, "the feed's path, URL and episodes (or the check's findings)")


def _serve(commands) -> None:
    serve = commands.add_parser(
        "serve", help="serve the output folder over HTTP for podcast apps",
        description="Serve DIR over HTTP (with Range and HEAD) so a podcast app can subscribe to "
                    "its feed.xml. Ctrl-C stops.",
        epilog=_examples("digest serve                               # http://127.0.0.1:8000/feed.xml",
                         "digest serve ~/podcast --host 0.0.0.0 --port 8080"))
    _add_folder(serve)
    serve.add_argument("--host", metavar="ADDRESS", help="address to listen on (default: digest.toml's, "
                       "127.0.0.1)")
    serve.add_argument("--port", type=int, metavar="N", help="port (default: digest.toml's, 8000; 0 picks a "
                       "free one)")
    _add_json(serve, "the address, once serving")


def _episodes(commands) -> None:
    episodes = commands.add_parser(
        "episodes", help="list the folder's episodes, or remove some with their outputs",
        usage="digest episodes [DIR | -o DIR] [--json]\n"
              "       digest episodes remove ID... [-o DIR] [--dry-run] [--json]",
        description="List the episodes in DIR: date, title, duration, size and file. `remove` takes "
                    "episodes away with their transcripts, chapters and feed items, in one step.",
        epilog=_examples("digest episodes",
                         "digest episodes ~/podcast --json",
                         "digest episodes remove 2026-11-25-harbour --dry-run",
                         "digest episodes remove 2026-11-25-harbour.mp3 -o ~/podcast"))
    episodes.add_argument("words", nargs="*", metavar="DIR | remove ID...",
                          help="the folder to list (default: audio), or `remove` and the episodes to remove: "
                               "GUID, file name (with or without .mp3) or a unique beginning of it")
    _add_folder(episodes, positional=False)
    episodes.add_argument("--dry-run", action="store_true", help="remove: say what would be removed; change "
                          "nothing")
    _add_json(episodes, "the episodes (or what is removed)")


def _cache(commands) -> None:
    cache = commands.add_parser(
        "cache", help="show, prune or clear the clip cache",
        description="The clip cache keeps every utterance spoken, so a rerun makes no new requests. "
                    "`make` prunes it to its limit after each run.",
        epilog=_examples("digest cache                               # folder, clips, size, limit",
                         "digest cache prune --older-than 30",
                         "digest cache prune --max 200MB",
                         "DIGEST_CACHE_MAX=1G digest cache prune     # the limit make uses",
                         "digest cache clear --json"))
    cache.add_argument("action", nargs="?", default="info", choices=["info", "prune", "clear"],
                       help="info (the default), prune or clear")
    cache.add_argument("--cache-dir", type=Path, metavar="DIR", help="clip cache folder (default: the user "
                       "cache dir)")
    prune = cache.add_argument_group("prune")
    prune.add_argument("--max", type=_size, metavar="SIZE",
                       help="least recently used clips go until the cache holds SIZE, as 200MB, 1G or bytes "
                            "(default: the limit `make` uses, unless --older-than is given alone)")
    prune.add_argument("--older-than", type=float, metavar="DAYS", help="remove clips unused for DAYS")
    _add_json(cache, "what is there (or was removed)")


def _doctor(commands) -> None:
    doctor = commands.add_parser(
        "doctor", help="check ffmpeg, the engines, the cache and the output folder",
        description="Check what `make` needs: ffmpeg, each engine and voice, the clip cache and the "
                    "output folder. Nothing is written. Exit 1 when no episode could be made.",
        epilog=_examples("digest doctor", "digest doctor -o ~/podcast --lang de --json"))
    _add_output_dir(doctor, "output folder to check (default: audio); nothing is written there")
    doctor.add_argument("--cache-dir", type=Path, metavar="DIR", help="clip cache folder (default: the user "
                        "cache dir)")
    voice = doctor.add_argument_group("voice")
    _add_lang(voice)
    _add_engine_options(voice)
    _add_json(doctor, "the checks")


def _settings(commands) -> None:
    settings = commands.add_parser(
        "settings", help="show the folder's settings and where each comes from, or edit them",
        description="Without an action: every setting's value and where it comes from: the default, "
                    "the folder's digest.toml, or the environment (DIGEST_CACHE_MAX, DIGEST_FFMPEG). "
                    "`set KEY VALUE` and `unset KEY` edit digest.toml, keeping its comments; make, "
                    "script and doctor use these values when the flag is not given, and a flag wins "
                    "for its run.",
        epilog=_examples("digest settings",
                         "digest settings set engine piper",
                         "digest settings set speed 1.1 -o ~/podcast",
                         "digest settings set max-minutes 15",
                         "digest settings unset voice",
                         "digest settings --json"))
    settings.add_argument("action", nargs="?", choices=["show", "set", "unset"], default="show",
                          help="show (the default), set or unset")
    settings.add_argument("key", nargs="?", metavar="KEY", help="e.g. engine, voice, speed, chime, max_minutes, "
                          "title (--max-minutes and max-minutes mean max_minutes)")
    settings.add_argument("value", nargs="?", metavar="VALUE", help="text, a number, or true/false")
    _add_output_dir(settings, "output folder whose digest.toml to show or edit (default: audio)")
    _add_json(settings, "the values and their sources (or what changed)")


def _engines(commands) -> None:
    engines = commands.add_parser(
        "engines", help="list the speech engines and their options",
        epilog=_examples("digest engines", "digest engines --languages | grep -i german"))
    engines.add_argument("--languages", action="store_true", help="also list the languages each engine speaks")
    _add_json(engines, "the engines")


def _sources(commands) -> None:
    sources = commands.add_parser(
        "sources", help="list, add, remove or import the sources `digest sync` reads",
        usage="digest sources [list] [-o DIR] [--json]\n"
              "       digest sources add URL [--name NAME] [--limit N] [--lang CODE] [-o DIR]\n"
              "       digest sources remove NAME [-o DIR]\n"
              "       digest sources import FILE.opml [-o DIR]",
        description="Sources live in the output folder's digest.toml as [[sources]] tables: a feed or page "
                    "URL, a folder, an article file or @LIST, each with an optional name, item limit and "
                    "language. Comments in the file are kept.",
        epilog=_examples("digest sources add https://example.org/feed.xml --name Harbour",
                         "digest sources add ~/reading --limit 3",
                         "digest sources import subscriptions.opml -o ~/podcast",
                         "digest sources remove Harbour",
                         "digest sources --json"))
    sources.add_argument("words", nargs="*", metavar="ACTION [ARG]",
                         help="list (the default), add URL, remove NAME, import FILE.opml")
    _add_folder(sources, positional=False, help="output folder whose digest.toml keeps the sources (default: "
                "audio)")
    add = sources.add_argument_group("add")
    add.add_argument("--name", metavar="NAME", help="what to call the source (default: from its address)")
    add.add_argument("--limit", type=int, metavar="N", help="newest items taken from it (default: the run's "
                     "--limit)")
    add.add_argument("--lang", metavar="CODE", help="language its stories are spoken in (default: the run's "
                     "--lang)")
    _add_json(sources, "the sources (or what was added or removed)")


def _batch(commands) -> None:
    batch = commands.add_parser(
        "batch", help="make one episode per story, on local cores or Dask",
        description="Every story of the inputs (feeds, folders, @lists, JSON arrays) becomes its own episode "
                    "in one folder and feed. Stories already made and unchanged are skipped; the feed is "
                    "written once, at the end. Runs on all local cores by default; --workers or --scheduler "
                    "use Dask (pip install 'digest[dask]'). Exit 1 when an article failed (the others are "
                    "published).\n\n" + SETTINGS_NOTE,
        epilog=_examples("digest batch https://news.example/feed.xml -o site-audio --engine piper",
                         "digest batch stories.json -o site-audio --processes 2 --json",
                         "digest batch feed.xml -o out --workers 2              # a local Dask cluster",
                         "digest batch feed.xml -o /shared/out --scheduler tcp://10.0.0.1:8786",
                         "digest batch @feeds.txt -o site-audio --group-by source --summary 5"))
    inputs = batch.add_argument_group("inputs")
    inputs.add_argument("inputs", nargs="*", metavar="INPUT",
                        help="feed, folder, @LIST, JSON array, article file or URL; each story becomes an episode")
    _add_reading(batch.add_argument_group("reading"))
    for action in batch._actions:
        if action.dest == "limit":
            action.help = f"items taken from each feed, newest first (default: {BATCH_FEED_LIMIT:,}, every one)"
    voice = batch.add_argument_group("voice")
    voice.add_argument("--engine", choices=engine_names(),
                       help="speech engine (default: auto; piper when a voice is named)")
    _add_lang(voice)
    _add_engine_options(voice)
    voice.add_argument("--speed", type=float, metavar="X",
                       help=f"tempo {MIN_SPEED}-{MAX_SPEED} without changing pitch (default: 1.0)")
    _add_lexicon(voice)
    episode = batch.add_argument_group("episodes")
    episode.add_argument("--programme", metavar="NAME", help="programme name (default: digest.toml's title)")
    episode.add_argument("--date", type=_date, metavar="YYYY-MM-DD",
                         help="episode date (default: each story's own date, else today)")
    episode.add_argument("--force", action="store_true", help="make every episode again, even those up to date")
    episode.add_argument("--max-minutes", type=float, metavar="MIN",
                         help="fit each episode into about MIN minutes, summarizing its story (default: no limit)")
    _add_summary(episode)
    episode.add_argument("--group-by", choices=["source"], metavar="source",
                         help="a subfolder and feed per source (feed or site; for plain files, the input "
                              "they were read from), each titled by its source (default: one folder)")
    publishing = batch.add_argument_group("publishing (remembered in digest.toml)")
    publishing.add_argument("--base-url", metavar="URL", help="URL the output folder is served at (default: "
                            "the `digest serve` address)")
    where = batch.add_argument_group("where it runs")
    where.add_argument("--processes", type=int, metavar="N", help="local mode: worker processes (default: one "
                       "per core)")
    where.add_argument("--workers", type=int, metavar="N", help="start a local Dask cluster of N worker processes")
    where.add_argument("--scheduler", metavar="ADDRESS", help="run on the Dask cluster at ADDRESS, e.g. "
                       "tcp://HOST:8786 (default: DIGEST_SCHEDULER, unless --processes or --workers is given)")
    where.add_argument("--gtts-limit", type=int, default=8, metavar="N",
                       help="gTTS requests in flight across all workers (default: 8)")
    where.add_argument("--retries", type=int, default=1, metavar="N",
                       help="times a failed article is tried again (default: 1)")
    output = batch.add_argument_group("output")
    _add_output_dir(output, "output folder for the episodes and feed.xml (default: audio)")
    _add_json(output, "every article's outcome (made, up_to_date or failed, with its reason)")
    output.add_argument("-q", "--quiet", action="store_true", help="no progress bar and no summary")
    cache = batch.add_argument_group("clip cache")
    cache.add_argument("--cache-dir", type=Path, metavar="DIR", help="clip cache folder, may be shared by the "
                       "workers (default: each worker's user cache dir)")
    cache.add_argument("--no-cache", action="store_true", help="neither read nor write the clip cache")


def _sync(commands) -> None:
    sync = commands.add_parser(
        "sync", help="make one episode of what is new in the folder's sources",
        description="Read every source in the output folder's digest.toml, make one episode of the items "
                    "no episode has told yet, update the feed and apply keep_episodes / keep_days. "
                    "Nothing new: prints `nothing new`, writes nothing, exits 0. A source that fails is "
                    "a warning; its items are tried again next time. Exit 1 when no source could be read."
                    "\n\n" + SETTINGS_NOTE,
        epilog=_examples("digest sources add https://example.org/feed.xml   # once",
                         "digest sync                                # every morning",
                         "digest sync --dry-run                      # what is new, writing nothing",
                         "digest sync -o ~/podcast --max-minutes 20 --json"))
    reading = sync.add_argument_group("reading")
    reading.add_argument("--limit", type=int, metavar="N", help=f"newest items taken from each source without "
                         f"its own (default: {DEFAULT_FEED_LIMIT})")
    reading.add_argument("--max-chars", type=int, metavar="N",
                         help=f"longest article text accepted (default: {DEFAULT_MAX_CHARS})")
    reading.add_argument("--allow-private", action=argparse.BooleanOptionalAction,
                         help="allow URLs on private, loopback and link-local addresses (default: no)")
    voice = sync.add_argument_group("voice")
    voice.add_argument("--engine", choices=engine_names(),
                       help="speech engine (default: auto; piper when a voice is named)")
    voice.add_argument("--lang", metavar="CODE", help="language of sources without their own (default: en)")
    _add_engine_options(voice)
    voice.add_argument("--speed", type=float, metavar="X",
                       help=f"tempo {MIN_SPEED}-{MAX_SPEED} without changing pitch (default: 1.0)")
    voice.add_argument("--jobs", type=int, metavar="N", help="utterances synthesized at once (default: per engine)")
    voice.add_argument("--retry-seconds", type=float, metavar="SEC",
                       help="gtts: longest total wait for retries of one utterance (default: 90)")
    episode = sync.add_argument_group("episode")
    episode.add_argument("--programme", metavar="NAME", help="programme name (default: digest.toml's title)")
    episode.add_argument("--date", type=_date, metavar="YYYY-MM-DD", help="episode date (default: today)")
    episode.add_argument("--max-minutes", type=float, metavar="MIN", help="fit the episode into about MIN "
                         "minutes; stories left out stay new for the next sync (default: no limit)")
    _add_summary(episode)
    episode.add_argument("--chime", action=argparse.BooleanOptionalAction,
                         help="a short generated chime between stories (default: no)")
    publishing = sync.add_argument_group("publishing (remembered in digest.toml)")
    publishing.add_argument("--base-url", metavar="URL", help="URL the output folder is served at (default: "
                            "the `digest serve` address)")
    output = sync.add_argument_group("output")
    _add_folder(output, positional=False, help="output folder: its sources, episodes and feed (default: audio)")
    output.add_argument("--dry-run", action="store_true", help="read the sources and list what is new; write "
                        "nothing")
    _add_json(output, "the sources read, the stories and each episode made (as make's summary)")
    output.add_argument("-q", "--quiet", action="store_true", help="no progress bar and no summary")
    cache = sync.add_argument_group("clip cache")
    cache.add_argument("--cache-dir", type=Path, metavar="DIR", help="clip cache folder (default: the user "
                       "cache dir)")
    cache.add_argument("--no-cache", action="store_true", help="neither read nor write the clip cache")
    cache.add_argument("--cache-max", type=_size, metavar="SIZE", help="prune the clip cache to SIZE after the "
                       "run, as 200MB, 1G or bytes (default: DIGEST_CACHE_MAX, else 500MB)")


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="digest", description="Turn articles into a spoken podcast episode.",
        epilog=_examples("digest make article.txt          # audio/<date>-<title>.mp3, audio/feed.xml",
                         "digest serve                      # a podcast app subscribes to its feed",
                         "digest settings set engine piper  # remembered for the folder",
                         "digest make --help                # a command's options and examples"))
    parser.add_argument("--version", action="version", version=f"digest {__version__}")
    parser.add_argument("--debug", action="store_true", help="show debug logs and tracebacks")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser, title="commands")
    for add in (_make, _batch, _sync, _sources, _script, _feed, _serve, _episodes, _cache, _settings, _doctor,
                _engines):
        add(commands)
    return parser
