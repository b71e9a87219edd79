"""Command line: parse arguments, call the library, print. No pipeline logic lives here.

The grammar and the commands other than `make` live in digest.commands.
Errors are one line on stderr and an exit code (0 ok, 1 runtime failure, 2 usage or input
error, 130 interrupted); with `--json` the same error is also a JSON object on stdout.
"""

from __future__ import annotations

import argparse
import contextlib
import gc
import json
import logging
import os
import sys

from digest.commands import batch, cache, common, inspect, publishing, settings, sources
from digest.commands.common import engine_options, folder_of
from digest.commands.parser import _Parser, build_parser, unrecognized
from digest.errors import DigestError, InputError
from digest.speech.engines.base import loading_ahead

__all__ = ["build_parser", "main", "run"]

log = logging.getLogger("digest")


def _progress(enabled: bool):
    """Per-stage progress on a terminal (digest.commands.progress); none when stderr is piped, when
    warnings still print as usual."""
    if not enabled or not sys.stderr.isatty():
        return contextlib.nullcontext()
    from digest.commands.progress import terminal_progress

    return terminal_progress(sys.stderr)


def cmd_make(args) -> int:
    common.preferred(args)
    # Piper's voice takes 0.6 s to load, most of it outside the GIL: begun now, it loads while
    # the rest of digest is imported and the stories are read, instead of after.
    engine = common.warmed_engine(args)
    from digest.make import MakeOptions, make

    # The modules and data loaded by now live as long as the run: frozen, the collector stops
    # walking them on each full pass (one pass over them cost 70 ms of a two-minute episode).
    gc.freeze()
    if args.output_dir.suffix.lower() in (".mp3", ".m4a", ".wav", ".ogg", ".xml") and not args.output_dir.is_dir():
        raise InputError(f"-o takes a folder, and {args.output_dir} looks like a file name; "
                         "episodes are named by date and title inside the folder")
    options = MakeOptions(
        inputs=common.inputs_of(args), output_dir=args.output_dir, engine=args.engine, lang=args.lang,
        engine_options=engine_options(args), speed=args.speed, jobs=args.jobs, title=args.title,
        programme=args.programme, date=args.date, base_url=args.base_url, cache_dir=args.cache_dir,
        use_cache=not args.no_cache, cache_max=args.cache_max, force=args.force, retry_seconds=args.retry_seconds, cover=args.cover,
        chime=args.chime, **common.reading(args),
    )
    with _progress(not args.quiet and not args.json) as progress:
        result = make(options, progress=progress, engine=engine)
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
                  f"{common.count(synthesized, 'clip')} synthesized, {result.cache_hits} from cache)")
            print(f"{result.feed_path} updated")
    return 0


def _stories(number: int) -> str:
    return f"{number} {'story' if number == 1 else 'stories'}"


def cmd_sync(args) -> int:
    from digest.make import MakeOptions
    from digest.sync import sync

    folder = args.output_dir = folder_of(args)
    common.preferred(args)
    options = MakeOptions(
        inputs=["sync"],  # replaced by the sources, per episode
        output_dir=folder, engine=args.engine, lang=args.lang, engine_options=engine_options(args),
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
        print(f"{len(result.failed)} of {common.count(len(result.sources), 'source')} could not be read; "
              "tried again next sync")
    return 0


COMMANDS = {
    "make": cmd_make, "script": inspect.cmd_script, "feed": publishing.cmd_feed, "serve": publishing.cmd_serve,
    "episodes": publishing.cmd_episodes, "cache": cache.cmd_cache, "settings": settings.cmd_settings,
    "engines": inspect.cmd_engines, "doctor": inspect.cmd_doctor, "sources": sources.cmd_sources, "sync": cmd_sync,
    "batch": batch.cmd_batch,
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
    # --debug belongs to the whole program, and main() has acted on it wherever it stands
    # (`digest make a.txt --debug`); argparse only takes it before the command.
    if _asked(extras, "--debug"):
        before_dashes = extras.index("--") if "--" in extras else len(extras)
        extras = [extra for n, extra in enumerate(extras) if extra != "--debug" or n > before_dashes]
        args.debug = True
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
        raise InputError(unrecognized(extras, command or parser))
    return args


def _asked(argv: list[str], option: str) -> bool:
    """Whether `option` (--json, --debug) was given before any `--`, known even when parsing fails."""
    return option in (argv[:argv.index("--")] if "--" in argv else argv)


def _json_failure(message: str, code: int, wanted: bool, details: dict | None = None) -> None:
    """With --json, a failure is also a JSON object on stdout, so a script reading it learns why
    (and, after Ctrl-C, what was done before it)."""
    if wanted:
        print(json.dumps({**(details or {}), "error": message, "exit_code": code}, ensure_ascii=False), flush=True)


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    given = list(argv if argv is not None else sys.argv[1:])
    debug, as_json = _asked(given, "--debug"), _asked(given, "--json")
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
        _json_failure(str(error), error.exit_code, as_json)
        return error.exit_code
    except KeyboardInterrupt as interrupt:
        # make says what it kept (digest.errors.Interrupted); elsewhere there is nothing to say.
        message = f"interrupted: {interrupt}" if str(interrupt) else "interrupted"
        _json_failure(message, 130, as_json, getattr(interrupt, "details", None))
        print(f"digest: {message}", file=sys.stderr)
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
        _json_failure(f"internal error: {type(error).__name__}: {error}", 1, as_json)
        return 1


def run() -> None:
    code = main()
    if code == 130 or loading_ahead():
        # Worker threads may be waiting on the network; an interrupted user should not wait
        # for them. Nor should a run that needed no voice (all clips cached: an up-to-date
        # rerun) wait for one loading ahead, which would double its time. Every output was
        # already written, cleaned up or left untouched by then.
        logging.shutdown()
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(code)
    # Everything the run made goes with the process. Frozen, it is left out of the collector's
    # passes at exit, which took a tenth of a second over digest's modules and data (see cmd_make).
    gc.freeze()
    sys.exit(code)
