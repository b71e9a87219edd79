"""Command line: parse arguments, call the library, print. No pipeline logic lives here."""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import difflib
import json
import logging
import os
import shutil
import sys
from pathlib import Path

from digest import __version__
from digest.errors import DigestError, InputError
from digest.limits import DEFAULT_FEED_LIMIT, DEFAULT_MAX_CHARS, RAW_BYTES_PER_CHAR

log = logging.getLogger("digest")


class _Parser(argparse.ArgumentParser):
    def __init__(self, *args, **kwargs) -> None:
        # No abbreviations: `--engin` silently meaning `--engine` breaks scripts the day a new
        # option shares the prefix; a typo gets "did you mean" instead.
        kwargs.setdefault("allow_abbrev", False)
        super().__init__(*args, **kwargs)

    def error(self, message: str):  # one line, not argparse's usage dump
        raise InputError(f"{message} (see `{self.prog} --help`)")

    def _command_parser(self, name: str | None) -> argparse.ArgumentParser | None:
        for action in self._actions:
            if isinstance(action, argparse._SubParsersAction) and name in action.choices:
                return action.choices[name]
        return None

    def _check_value(self, action, value):
        if isinstance(action, argparse._SubParsersAction) and value not in action.choices:
            guess = difflib.get_close_matches(value, list(action.choices), n=1)
            hint = f"; did you mean {guess[0]!r}?" if guess else f" (commands: {', '.join(action.choices)})"
            raise argparse.ArgumentError(action, f"unknown command {value!r}{hint}")
        super()._check_value(action, value)


def _unrecognized(extras: list[str], parser: argparse.ArgumentParser) -> str:
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


def _add_script_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("inputs", nargs="*", metavar="INPUT",
                        help="article file (text, Markdown, HTML, JSON, RSS/Atom), http(s) URL, folder, "
                             "@LIST (a file naming one input per line), or - for stdin")
    parser.add_argument("--sample", nargs="?", const="", metavar="NAME",
                        help="use a bundled sample article (default: the first one)")
    parser.add_argument("-o", "--output-dir", type=Path, default=Path("audio"),
                        help="output folder, whose digest.toml names the programme and keeps the options "
                             "used when their flag is not given (`digest settings`; default: audio)")
    parser.add_argument("--lang", help="language of the articles and voice (default: en)")
    parser.add_argument("--programme", help="programme name spoken in the intro and feed title "
                        "(default: the output folder's digest.toml, else Digest)")
    parser.add_argument("--date", type=_date, help="episode date (default: today)")
    parser.add_argument("--limit", type=int,
                        help=f"newest items taken from each feed (default: {DEFAULT_FEED_LIMIT})")
    parser.add_argument("--since", type=_date, help="leave out feed items published before this date")
    parser.add_argument("--max-minutes", type=float,
                        help="fit the episode into about this many minutes, summarizing stories (more briefly "
                             "the more there are); stories are left out only when even that cannot fit")
    parser.add_argument("--summary", type=int, metavar="N",
                        help="read about N sentences of each story: its lead, or for a story that opens "
                             "with an anecdote its most central sentences")
    parser.add_argument("--max-chars", type=int,
                        help=f"longest article text accepted (default: {DEFAULT_MAX_CHARS}); "
                             f"files and downloads over {RAW_BYTES_PER_CHAR} bytes per character are refused")
    parser.add_argument("--allow-private", action=argparse.BooleanOptionalAction,
                        help="allow URLs on private, loopback and link-local addresses")
    parser.add_argument("--lexicon", action="append", type=Path, default=[], metavar="FILE",
                        help="pronunciation dictionary (TOML, or a W3C PLS .pls/.xml lexicon); repeatable; "
                             "its entries win over the output folder's pronunciations.toml")


def _add_folder(parser: argparse.ArgumentParser, positional: bool = True) -> None:
    """The output folder, the same way for every command that works on one: DIR or -o DIR."""
    if positional:
        parser.add_argument("folder", nargs="?", type=Path, metavar="DIR", help="output folder (default: audio)")
    parser.add_argument("-o", "--output-dir", type=Path, metavar="DIR", help="the same as DIR")


def _folder(args, positional: Path | None = None) -> Path:
    given = [path for path in (positional, args.output_dir) if path is not None]
    if len(given) == 2 and given[0] != given[1]:
        raise InputError(f"two folders given ({given[0]} and -o {given[1]}); give one")
    return given[0] if given else Path("audio")


def engine_names() -> list[str]:
    from digest.speech.engines import names

    return names()


def _add_engine_options(parser: argparse.ArgumentParser) -> None:
    """Each engine's own options, as the engines declare them (digest.speech.engines.base)."""
    from digest.speech.engines import all_options

    for option in all_options():
        flag = f"--{option.name.replace('_', '-')}"
        dest = f"engine_{option.name}"
        if option.flag:
            parser.add_argument(flag, dest=dest, action=argparse.BooleanOptionalAction, help=option.help)
        else:
            parser.add_argument(flag, dest=dest, metavar=option.metavar, type=float if option.number else str,
                                default=None, help=option.help)


def _engine_options(args) -> dict:
    return {name[len("engine_"):]: value for name, value in vars(args).items()
            if name.startswith("engine_") and value is not None}


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="digest", description="Turn articles into a spoken podcast episode.")
    parser.add_argument("--version", action="version", version=f"digest {__version__}")
    parser.add_argument("--debug", action="store_true", help="show debug logs and tracebacks")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)

    make = commands.add_parser("make", help="make an episode MP3 and update the feed")
    _add_script_options(make)
    make.add_argument("--engine", help=f"{', '.join(engine_names())} (default: auto; piper when --voice is given)")
    _add_engine_options(make)
    make.add_argument("--speed", type=float, help="tempo 0.75-2.0 without changing pitch (default: 1.0)")
    make.add_argument("--chime", action=argparse.BooleanOptionalAction, help="a short generated chime between stories")
    make.add_argument("--jobs", type=int, help="utterances synthesized at once (default: per engine)")
    make.add_argument("--title", help="episode title (default: from the articles)")
    make.add_argument("--base-url", help="URL the output folder is served at, for enclosure links "
                      "(remembered in digest.toml; default: the `digest serve` address)")
    make.add_argument("--cover", type=Path, metavar="PATH", help="square JPEG/PNG cover, 1400-3000 px (remembered)")
    make.add_argument("--cache-dir", type=Path, help="clip cache folder (default: the user cache dir)")
    make.add_argument("--no-cache", action="store_true", help="neither read nor write the clip cache")
    make.add_argument("--cache-max", type=_size, metavar="SIZE",
                      help="prune the clip cache to SIZE after the run, least recently used clips first "
                           "(500MB, 1G, bytes; default: DIGEST_CACHE_MAX, else 500MB)")
    make.add_argument("--retry-seconds", type=float,
                      help="gtts: longest total wait for retries of one utterance (default: 90)")
    make.add_argument("--force", action="store_true", help="rebuild the MP3 even if the same episode is up to date")
    make.add_argument("--json", action="store_true", help="print a JSON summary on stdout")
    make.add_argument("-q", "--quiet", action="store_true", help="no progress bar and no summary: only "
                      "warnings and errors")

    script = commands.add_parser("script", help="print the words that will be spoken, segment by segment")
    _add_script_options(script)

    feed = commands.add_parser("feed", help="rebuild feed.xml from the episodes in the folder")
    _add_folder(feed)
    feed.add_argument("--base-url", help="URL the output folder is served at (remembered in digest.toml)")
    feed.add_argument("--programme", help="feed title (remembered in digest.toml)")
    feed.add_argument("--lang", help="channel language (remembered in digest.toml)")
    feed.add_argument("--cover", type=Path, metavar="PATH", help="square JPEG/PNG cover, 1400-3000 px (remembered)")
    feed.add_argument("--check", action="store_true",
                      help="check feed.xml and the files it links against podcast app rules; exit 1 on failure")

    serve = commands.add_parser("serve", help="serve the output folder over HTTP for podcast apps")
    _add_folder(serve)
    serve.add_argument("--host", help="address to listen on (default: digest.toml's, 127.0.0.1)")
    serve.add_argument("--port", type=int, help="port (default: digest.toml's, 8000; 0 picks a free one)")

    episodes = commands.add_parser(
        "episodes", help="list the episodes in the folder, or remove some with their outputs and feed items",
        usage="digest episodes [DIR | -o DIR] [--json]\n"
              "       digest episodes remove ID... [-o DIR] [--dry-run] [--json]")
    episodes.add_argument("words", nargs="*", metavar="DIR | remove ID...",
                          help="the folder to list (default: audio), or `remove` and the episodes to remove: "
                               "GUID, file name (with or without .mp3) or a unique beginning of it")
    _add_folder(episodes, positional=False)
    episodes.add_argument("--json", action="store_true", help="print the episodes (or what is removed) as JSON")
    episodes.add_argument("--dry-run", action="store_true", help="remove: say what would be removed; change nothing")

    cache = commands.add_parser("cache", help="show, prune or clear the clip cache")
    cache.add_argument("action", nargs="?", default="info", choices=["info", "prune", "clear"],
                       help="info (the default), prune or clear")
    cache.add_argument("--cache-dir", type=Path, help="clip cache folder (default: the user cache dir)")
    cache.add_argument("--max", type=_size, metavar="SIZE",
                       help="prune: least recently used clips go until the cache holds SIZE "
                            "(default: the limit `make` uses, unless --older-than is given alone)")
    cache.add_argument("--older-than", type=float, metavar="DAYS", help="prune: remove clips unused for DAYS")

    doctor = commands.add_parser("doctor", help="check ffmpeg, the engines, the cache and the output folder")
    doctor.add_argument("-o", "--output-dir", type=Path, default=Path("audio"),
                        help="output folder to check (default: audio); nothing is written there")
    doctor.add_argument("--cache-dir", type=Path, help="clip cache folder (default: the user cache dir)")
    doctor.add_argument("--lang", help="language to try the voices in (default: en)")
    _add_engine_options(doctor)
    doctor.add_argument("--json", action="store_true", help="print the checks as JSON")

    settings = commands.add_parser(
        "settings", help="show the output folder's settings and where each comes from, or edit them",
        description="Without an action: every setting's value and its source (default, or the folder's "
                    "digest.toml). `set KEY VALUE` and `unset KEY` edit digest.toml, keeping its comments; "
                    "make, script and doctor use these values when the flag is not given.")
    settings.add_argument("action", nargs="?", choices=["show", "set", "unset"], default="show")
    settings.add_argument("key", nargs="?", metavar="KEY", help="e.g. engine, voice, speed, chime, max_minutes, title")
    settings.add_argument("value", nargs="?", metavar="VALUE")
    settings.add_argument("-o", "--output-dir", type=Path, default=Path("audio"),
                          help="output folder whose digest.toml to show or edit (default: audio)")

    engines = commands.add_parser("engines", help="list speech engines")
    engines.add_argument("--languages", action="store_true", help="also list the languages each engine speaks")
    _add_sync_commands(commands)
    return parser


def _count(number: int, noun: str) -> str:
    return f"{number} {noun}{'' if number == 1 else 's'}"


def _inputs(args) -> list[str]:
    from digest.samples import sample_path

    inputs = list(args.inputs)
    if args.sample is not None:
        inputs.insert(0, str(sample_path(args.sample)))
    if not inputs:
        raise InputError("no input given; pass an article file, - for stdin, or --sample")
    return inputs


def _progress(enabled: bool):
    """Per-stage progress on a terminal; none when stderr is piped (warnings still print)."""
    if not enabled or not sys.stderr.isatty():
        return contextlib.nullcontext()
    from digest.progress import terminal_progress

    return terminal_progress(sys.stderr)


def _preferred(args) -> None:
    """Fill each option not given as a flag from the output folder's digest.toml, else its default."""
    from digest.publish.preferences import preferences, resolve

    dests = {key: key if key in vars(args) else f"engine_{key}" for key in preferences()}
    given = {key: getattr(args, dest) for key, dest in dests.items() if dest in vars(args)}
    table, resolved = preferences(), resolve(args.output_dir, given)
    for key, value in resolved.values.items():
        if table[key].engine_option and resolved.sources[key] == "default":
            continue  # left to the engine, which knows its own default
        setattr(args, dests[key], value)


def cmd_make(args) -> int:
    from digest.make import MakeOptions, make

    _preferred(args)
    if args.output_dir.suffix.lower() in (".mp3", ".m4a", ".wav", ".ogg", ".xml") and not args.output_dir.is_dir():
        raise InputError(f"-o takes a folder, and {args.output_dir} looks like a file name; "
                         "episodes are named by date and title inside the folder")
    options = MakeOptions(
        inputs=_inputs(args), output_dir=args.output_dir, engine=args.engine, lang=args.lang,
        engine_options=_engine_options(args), speed=args.speed, jobs=args.jobs, title=args.title,
        programme=args.programme, date=args.date, base_url=args.base_url, cache_dir=args.cache_dir,
        use_cache=not args.no_cache, cache_max=args.cache_max, force=args.force, retry_seconds=args.retry_seconds, cover=args.cover,
        chime=args.chime, **_reading(args),
    )
    with _progress(not args.quiet and not args.json) as progress:
        result = make(options, progress=progress)
    if args.json:
        print(json.dumps(result.summary(), ensure_ascii=False))
    elif not args.quiet:
        minutes, seconds = divmod(int(round(result.duration)), 60)
        if result.up_to_date:
            # The episode and its outputs are as they were; feed.xml too, unless a setting changed.
            print(f"up to date: {result.mp3_path} ({minutes}:{seconds:02d}, {result.engine})")
            if result.feed_updated:
                print(f"{result.feed_path} updated")
        else:
            synthesized = result.clips - result.cache_hits
            print(f"{result.mp3_path} ({minutes}:{seconds:02d}, {result.engine}, "
                  f"{_count(synthesized, 'clip')} synthesized, {result.cache_hits} from cache)")
            print(f"{result.feed_path} updated")
    return 0


def _reading(args) -> dict:
    return {"limit": args.limit, "since": args.since, "max_minutes": args.max_minutes, "summary": args.summary,
            "max_chars": args.max_chars, "allow_private": args.allow_private, "lexicon_files": args.lexicon}


def cmd_script(args) -> int:
    from digest.make import MakeOptions, gather, make_script
    from digest.publish.settings import load_settings
    from digest.script.compose import format_script

    _preferred(args)
    # The same programme name `make` would speak: the flag, else the output folder's settings.
    programme = args.programme or load_settings(args.output_dir).title
    options = MakeOptions(inputs=_inputs(args), lang=args.lang, programme=programme, date=args.date,
                          output_dir=args.output_dir, use_cache=False, **_reading(args))
    lineup = gather(options)
    sys.stdout.write(format_script(make_script(lineup.articles, options, lineup)))
    return 0


def cmd_feed(args) -> int:
    from digest.fsutil import existing_folder
    from digest.publish.channel import plan_channel, publish
    from digest.publish.library import list_episodes

    folder = existing_folder(_folder(args, args.folder))
    if args.check:
        from digest.publish.check import check_folder, failed

        findings = check_folder(folder)
        for finding in findings:
            print(finding)
        failures = sum(finding.severity == "fail" for finding in findings)
        print(f"{folder / 'feed.xml'}: " + (_count(failures, "problem") if failed(findings) else "passes"))
        return 1 if failed(findings) else 0
    channel = plan_channel(folder, args.programme, args.cover)
    path, _ = publish(folder, channel, base_url=args.base_url, language=args.lang)
    print(f"{path} lists {_count(len(list_episodes(folder)), 'episode')}")
    return 0


def cmd_cache(args) -> int:
    from digest.speech.cache import ClipCache, cache_limit, check_cache_dir, default_cache_dir, format_size

    cache = ClipCache(args.cache_dir or default_cache_dir())
    check_cache_dir(cache.root)
    if (args.max is not None or args.older_than is not None) and args.action != "prune":
        raise InputError("--max and --older-than go with `digest cache prune`")
    if args.older_than is not None and args.older_than < 0:
        raise InputError(f"--older-than cannot be negative, not {args.older_than:g}")
    if args.action == "clear":
        print(f"removed {_count(cache.clear(), 'clip')} from {cache.root}")
    elif args.action == "prune":
        limit = args.max if args.max is not None or args.older_than is not None else cache_limit()[0]
        report = cache.prune(max_bytes=limit, older_than_days=args.older_than)
        print(f"removed {_count(report.removed, 'clip')} ({format_size(report.freed)}) from {cache.root}; "
              f"{_count(report.entries, 'clip')}, {format_size(report.bytes)} left")
        if limit is not None and report.bytes > limit:
            print(f"{format_size(report.in_use_bytes)} are clips in use by a running `digest make`; kept")
    else:
        stats = cache.stats()
        limit, source = cache_limit()
        print(f"folder: {cache.root}\nclips:  {stats.entries}\nsize:   {format_size(stats.bytes)}\n"
              f"limit:  {format_size(limit)} ({'default' if source == 'default' else source}; "
              f"`make --cache-max` sets it per run)")
    return 0


def cmd_serve(args) -> int:
    from digest.publish.serve import serve_folder

    def started(url: str, feed_url: str) -> None:
        print(f"serving {folder} at {url} (feed: {feed_url}); Ctrl-C stops", flush=True)

    folder = _folder(args, args.folder)
    serve_folder(folder, args.host, args.port, started)
    return 0


def cmd_episodes(args) -> int:
    from digest.publish import episodes

    if args.words[:1] == ["remove"]:
        return _remove_episodes(args, args.words[1:])
    if args.dry_run:
        raise InputError("--dry-run goes with `episodes remove`")
    if len(args.words) > 1:
        raise InputError(f"one folder to list, not {len(args.words)}; to remove episodes: episodes remove ID...")
    folder = _folder(args, Path(args.words[0]) if args.words else None)
    library, found = episodes.listing(folder)
    if args.json:
        listed = [episodes.describe(episode, library.outputs_of(episode)) for episode in found]
        print(json.dumps({"folder": str(folder), "episodes": listed}, ensure_ascii=False))
    elif not found:
        print(f"{folder}: no episodes")
    else:
        width = shutil.get_terminal_size().columns if sys.stdout.isatty() else None
        print("\n".join(episodes.table(found, width)))
    return 0


def _remove_episodes(args, wanted: list[str]) -> int:
    from digest.publish.episodes import describe, remove_episodes

    folder = _folder(args)
    removals = remove_episodes(folder, wanted, dry_run=args.dry_run)
    if args.json:
        listed = [{**describe(r.episode, {}), "files": [p.name for p in r.files], "kept": [p.name for p in r.kept]}
                  for r in removals]
        print(json.dumps({"folder": str(folder), "dry_run": args.dry_run, "removed": listed}, ensure_ascii=False))
        return 0
    verb = "would remove" if args.dry_run else "removed"
    for removal in removals:
        for path in removal.files:
            print(f"{verb} {path}")
        for path in removal.kept:
            print(f"{'would leave' if args.dry_run else 'left'} {path}: not the file digest wrote for "
                  f"{removal.episode.path.name}")
    if not args.dry_run:
        print(f"{folder / 'feed.xml'} updated")
    return 0


def cmd_engines(args) -> int:
    from digest.speech.engines import engine_classes

    classes = engine_classes()
    for name, cls in classes.items():
        flags = " ".join(f"--{option.name}" for option in cls.options)
        print(f"{name:8} {cls.description or name}" + (f" [{flags}]" if flags else ""))
    if args.languages:
        printed: dict[str, dict] = {}
        for name, cls in classes.items():
            languages = cls().languages()
            if languages is None:
                print(f"\n{name} speaks the language of the voice it is given")
                continue
            same = next((other for other, listed in printed.items() if listed == languages), None)
            if same:
                print(f"\n{name} speaks what {same} speaks")
                continue
            printed[name] = languages
            print(f"\n{name} speaks:")
            for code, language in sorted(languages.items()):
                print(f"{code:8} {language}")
    return 0


def cmd_doctor(args) -> int:
    from digest.doctor import diagnose

    try:
        _preferred(args)
    except InputError:
        args.lang = args.lang or "en"  # a broken digest.toml is one of the findings below
    report = diagnose(args.output_dir, args.cache_dir, args.lang, _engine_options(args))
    if args.json:
        print(json.dumps(report.as_json(), ensure_ascii=False))
    else:
        sys.stdout.write(report.text())
    return 0 if report.can_make else 1


def _toml(value) -> str:
    if value is None:
        return "(not set)"
    if isinstance(value, bool):
        return "true" if value else "false"
    return json.dumps(value, ensure_ascii=False) if isinstance(value, str) else repr(value)


def cmd_settings(args) -> int:
    from digest.publish.preferences import set_value, show, unset_value

    folder = args.output_dir
    if args.action == "show":
        if args.key or args.value:
            raise InputError("`digest settings` takes no KEY; use `digest settings set KEY VALUE`")
        rows = show(folder)
        width = max(len(f"{row.key} = {_toml(row.value)}") for row in rows)
        for row in rows:
            print(f"{f'{row.key} = {_toml(row.value)}':{width}}  # {row.source}")
        return 0
    if not args.key or (args.action == "set") != (args.value is not None):
        usage = "set KEY VALUE" if args.action == "set" else "unset KEY"
        raise InputError(f"usage: digest settings {usage} [-o DIR]")
    if args.action == "set":
        key, value, changed = set_value(folder, args.key, args.value)
        print(f"{key} = {_toml(value)} in {folder / 'digest.toml'}" + ("" if changed else " (already)"))
    else:
        key, changed = unset_value(folder, args.key)
        print(f"{key} " + ("removed from" if changed else "was not set in") + f" {folder / 'digest.toml'}")
    return 0


# --- sources and sync: the daily digest (issue 14) ------------------------------------------

def _add_sync_commands(commands) -> None:
    sources = commands.add_parser(
        "sources", help="list, add, remove or import the sources `digest sync` reads",
        usage="digest sources [list] [-o DIR] [--json]\n"
              "       digest sources add URL [--name NAME] [--limit K] [--lang LANG] [-o DIR]\n"
              "       digest sources remove NAME [-o DIR]\n"
              "       digest sources import FILE.opml [-o DIR]",
        description="Sources live in the output folder's digest.toml as [[sources]] tables: a feed or page "
                    "URL, a folder, an article file or @LIST, each with an optional name, item limit and "
                    "language. Comments in the file are kept.")
    sources.add_argument("words", nargs="*", metavar="ACTION [ARG]",
                         help="list (the default), add URL, remove NAME, import FILE.opml")
    _add_folder(sources, positional=False)
    sources.add_argument("--name", help="add: what to call the source (default: from its address)")
    sources.add_argument("--limit", type=int, help="add: newest items taken from it (default: the run's --limit)")
    sources.add_argument("--lang", help="add: language its stories are spoken in (default: the run's --lang)")
    sources.add_argument("--json", action="store_true", help="list: print the sources as JSON")

    sync = commands.add_parser(
        "sync", help="make one episode of what is new in the folder's sources and update the feed",
        description="Reads every source in the output folder's digest.toml, makes one episode of the items "
                    "no episode has told yet, updates the feed and applies keep_episodes / keep_days. "
                    "Nothing new: prints `nothing new`, writes nothing, exits 0. A source that fails is "
                    "a warning; its items are tried again next time. Exit 1 when no source could be read.")
    _add_folder(sync, positional=False)
    sync.add_argument("--date", type=_date, help="episode date (default: today)")
    sync.add_argument("--dry-run", action="store_true", help="read the sources and list what is new; write nothing")
    sync.add_argument("--engine", help=f"{', '.join(engine_names())} (default: digest.toml's, else auto)")
    _add_engine_options(sync)
    sync.add_argument("--lang", help="language of sources without their own (default: digest.toml's, else en)")
    sync.add_argument("--programme", help="programme name (default: digest.toml's title)")
    sync.add_argument("--speed", type=float, help="tempo 0.75-2.0 without changing pitch")
    sync.add_argument("--chime", action=argparse.BooleanOptionalAction, help="a short chime between stories")
    sync.add_argument("--jobs", type=int, help="utterances synthesized at once (default: per engine)")
    sync.add_argument("--max-minutes", type=float, help="fit the episode into about this many minutes; "
                      "stories left out stay new for the next sync")
    sync.add_argument("--summary", type=int, metavar="N", help="read about N sentences of each story")
    sync.add_argument("--limit", type=int, help=f"newest items taken from each source without its own "
                      f"(default: {DEFAULT_FEED_LIMIT})")
    sync.add_argument("--max-chars", type=int, help=f"longest article text accepted (default: {DEFAULT_MAX_CHARS})")
    sync.add_argument("--allow-private", action=argparse.BooleanOptionalAction,
                      help="allow URLs on private, loopback and link-local addresses")
    sync.add_argument("--base-url", help="URL the output folder is served at (remembered in digest.toml)")
    sync.add_argument("--cache-dir", type=Path, help="clip cache folder (default: the user cache dir)")
    sync.add_argument("--no-cache", action="store_true", help="neither read nor write the clip cache")
    sync.add_argument("--cache-max", type=_size, metavar="SIZE", help="prune the clip cache to SIZE after the run")
    sync.add_argument("--retry-seconds", type=float, help="gtts: longest total wait for retries of one utterance")
    sync.add_argument("--json", action="store_true", help="print a JSON summary on stdout")
    sync.add_argument("-q", "--quiet", action="store_true", help="no progress bar and no summary")


def cmd_sources(args) -> int:
    from digest.sync import sources

    folder = _folder(args)
    action, rest = (args.words[0], args.words[1:]) if args.words else ("list", [])
    takes = {"list": 0, "add": 1, "remove": 1, "import": 1}
    if action not in takes:
        raise InputError(f"unknown sources action {action!r} (list, add, remove, import)")
    if len(rest) != takes[action]:
        what = {"list": "nothing", "add": "one URL, folder or file", "remove": "one NAME", "import": "one OPML file"}
        raise InputError(f"`digest sources {action}` takes {what[action]}")
    if action != "add" and (args.name or args.limit is not None or args.lang):
        raise InputError("--name, --limit and --lang go with `digest sources add`")
    if args.json and action != "list":
        raise InputError("--json goes with `digest sources list`")
    if action == "list":
        listed = sources.load_sources(folder)
        if args.json:
            print(json.dumps({"folder": str(folder), "sources": [s.as_json() for s in listed]}, ensure_ascii=False))
        elif not listed:
            print(f"{folder}: no sources; add one with `digest sources add URL`")
        for source in listed if not args.json else []:
            extras = "".join(f", {key} {value}" for key, value in (("limit", source.limit), ("lang", source.lang))
                             if value is not None)
            print(f"{source.name}: {source.url} ({source.kind}{extras})")
    elif action == "add":
        source = sources.add_source(folder, rest[0], name=args.name, limit=args.limit, lang=args.lang)
        print(f"added {source.name!r}: {source.url} to {folder / 'digest.toml'}")
    elif action == "remove":
        source = sources.remove_source(folder, rest[0])
        print(f"removed {source.name!r}: {source.url} from {folder / 'digest.toml'}")
    else:
        imported = sources.import_opml(folder, Path(rest[0]))
        for source in imported.added:
            print(f"added {source.name!r}: {source.url}")
        print(f"{_count(len(imported.added), 'source')} added to {folder / 'digest.toml'}"
              + (f", {len(imported.already)} already there" if imported.already else ""))
    return 0


def _stories(number: int) -> str:
    return f"{number} {'story' if number == 1 else 'stories'}"


def cmd_sync(args) -> int:
    from digest.make import MakeOptions
    from digest.sync import sync

    folder = args.output_dir = _folder(args)
    _preferred(args)
    options = MakeOptions(
        inputs=["sync"],  # replaced by the sources, per episode
        output_dir=folder, engine=args.engine, lang=args.lang, engine_options=_engine_options(args),
        speed=args.speed, jobs=args.jobs, programme=args.programme, date=args.date, base_url=args.base_url,
        cache_dir=args.cache_dir, use_cache=not args.no_cache, cache_max=args.cache_max,
        retry_seconds=args.retry_seconds, chime=args.chime, limit=args.limit, max_minutes=args.max_minutes,
        summary=args.summary, max_chars=args.max_chars, allow_private=args.allow_private,
    )
    with _progress(not args.quiet and not args.json and not args.dry_run) as progress:
        result = sync(folder, options, dry_run=args.dry_run, progress=progress)
    if args.json:
        print(json.dumps(result.summary(), ensure_ascii=False))
        return 0
    if args.quiet:
        return 0
    if result.outcome == "dry run":
        for report in result.sources:
            state = f"could not be read: {report.error}" if report.error else f"{report.new} new"
            print(f"{report.name}: {state}")
            for item in (i for i in result.new if i.source.name == report.name):
                print(f"  {item.article.title or '(untitled)'}" + (f" <{item.article.url}>" if item.article.url else ""))
        print(f"would make an episode of {_stories(len(result.new))}" if result.new else "nothing new")
        return 0
    if result.outcome == "nothing new":
        print("nothing new")
    for made in result.episodes:
        minutes, seconds = divmod(int(round(made.duration)), 60)
        print(f"{made.mp3_path} ({minutes}:{seconds:02d}, {made.engine}, "
              f"{_stories(made.stories.get('in_episode', 0))})")
    if result.episodes:
        print(f"{result.episodes[-1].feed_path} updated")
    if result.left_for_later:
        print(f"{_stories(result.left_for_later)} left for the next sync")
    for name in result.removed:
        print(f"removed {name} (retention)")
    if result.failed:
        print(f"{len(result.failed)} of {_count(len(result.sources), 'source')} could not be read; "
              "tried again next sync")
    return 0


COMMANDS = {
    "make": cmd_make, "script": cmd_script, "feed": cmd_feed, "serve": cmd_serve, "episodes": cmd_episodes,
    "cache": cmd_cache, "settings": cmd_settings, "engines": cmd_engines, "doctor": cmd_doctor,
    "sources": cmd_sources, "sync": cmd_sync,
}


class _LowercaseLevelFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        record.levelname = record.levelname.lower()
        return super().format(record)


def _configure_logging(debug: bool) -> None:
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(_LowercaseLevelFormatter("digest: %(levelname)s: %(message)s"))
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(logging.DEBUG if debug else logging.WARNING)
    # The extractor's own warnings ("discarding data: None") mean nothing to a listener; what
    # matters reaches them as digest's error or warning about that input.
    for chatty in ("trafilatura", "htmldate", "courlan"):
        logging.getLogger(chatty).setLevel(logging.DEBUG if debug else logging.ERROR)


def _parse(parser: argparse.ArgumentParser, argv: list[str] | None) -> argparse.Namespace:
    """Like parse_args, but inputs (and episode IDs) may follow options (`digest make a.txt -o out b.txt`).

    argparse stops filling a positional list at the first option, and its intermixed mode
    does not support subcommands, so the leftovers that are inputs are picked up here.
    """
    args, extras = parser.parse_known_args(argv)
    listed = next((name for name in ("inputs", "words") if hasattr(args, name)), None)
    if extras and listed:
        after_dashes: list[str] = []
        if "--" in extras:  # everything after "--" is an input, even when it starts with "-"
            cut = extras.index("--")
            extras, after_dashes = extras[:cut], extras[cut + 1:]
        inputs = [extra for extra in extras if extra == "-" or not extra.startswith("-")]
        extras = [extra for extra in extras if extra not in inputs]
        setattr(args, listed, [*getattr(args, listed), *inputs, *after_dashes])
    if extras:
        command = parser._command_parser(getattr(args, "command", None)) if isinstance(parser, _Parser) else None
        raise InputError(_unrecognized(extras, command or parser))
    return args


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    debug = "--debug" in (argv if argv is not None else sys.argv[1:])
    _configure_logging(debug)
    try:
        args = _parse(parser, argv)
        if not args.command:
            parser.print_help()
            return 2
        return COMMANDS[args.command](args)
    except DigestError as error:
        if debug:
            log.exception("failed")
        print(f"digest: error: {error}", file=sys.stderr)
        return error.exit_code
    except KeyboardInterrupt as interrupt:
        # make says what it kept (digest.errors.Interrupted); elsewhere there is nothing to say.
        print(f"digest: interrupted: {interrupt}" if str(interrupt) else "digest: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        # The reader stopped reading (`digest engines | head`): not a failure of digest's. Point
        # stdout at nothing so the interpreter's final flush does not complain either.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0
    except Exception as error:  # a bug: still one line unless --debug asks for the traceback
        if debug:
            raise
        print(f"digest: internal error: {type(error).__name__}: {error} (rerun with --debug)", file=sys.stderr)
        return 1


def run() -> None:
    code = main()
    if code == 130:
        # Worker threads may be waiting on the network; an interrupted user should not wait
        # for them. Every output was already cleaned up or left untouched by then.
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(code)
    sys.exit(code)
