"""`digest batch`: one episode per story (digest/batch/); its options are in digest.commands.parser."""

from __future__ import annotations

import json
import os
import sys

from digest.commands import common
from digest.errors import InputError
from digest.limits import BATCH_FEED_LIMIT


def _progress(enabled: bool):
    """One bar over the articles, failures counted as they happen (a terminal only)."""
    if not enabled or not sys.stderr.isatty():
        return None, lambda: None
    from tqdm import tqdm

    bar = tqdm(total=0, unit="article", desc="articles", file=sys.stderr, leave=False)

    def update(done: int, total: int, failed: int) -> None:
        if bar.total != total:
            bar.reset(total=total)
        bar.n = done
        bar.set_postfix_str(f"{failed} failed" if failed else "", refresh=False)
        bar.refresh()

    return update, bar.close


def _tally(made: int, current: int, failed: int) -> str:
    return f"{common.count(made, 'episode')} made, {current} up to date, {failed} failed"


def _report(result) -> None:
    made, current, failed = result.count("made"), result.count("up_to_date"), result.count("failed")
    if result.nothing_to_read:
        print(f"nothing to do: {result.nothing_to_read}; {result.folder} is as it was")
        return
    feeds = f" ({common.count(len(result.groups), 'feed')})" if result.groups else ""
    if not made and not failed:
        print(f"nothing to do: all {common.count(current, 'article')} up to date in {result.folder}{feeds}")
    else:
        print(f"{_tally(made, current, failed)} ({result.seconds:.1f} s on {result.where})")
    for outcome in sorted(result.outcomes, key=lambda o: o.index):
        if outcome.status == "failed":
            print(f"failed: {outcome.title}: {outcome.reason}" if outcome.title else f"failed: {outcome.reason}")
    if not result.groups:
        print(f"{result.feed_path} {'updated' if result.feed_changed else 'unchanged'}")
    for group in result.groups:
        print(f"{group.feed_path}: {_tally(group.count('made'), group.count('up_to_date'), group.count('failed'))}"
              f" ({group.source})")


def cmd_batch(args) -> int:
    from digest.batch import BatchOptions, run_batch
    from digest.make import MakeOptions
    from digest.publish.settings import read_values

    if not args.inputs:
        raise InputError("no input given; pass feeds, folders, @LIST files, JSON arrays or article files")
    # Settings `make` takes as flags come from the folder's digest.toml alone here.
    args.sample = args.chime = args.title = args.jobs = args.retry_seconds = None
    limit_given = args.limit is not None
    common.preferred(args)
    if not limit_given and "limit" not in read_values(args.output_dir):
        args.limit = BATCH_FEED_LIMIT  # make's default (10) is a listener's; a batch takes the whole feed
    # DIGEST_SCHEDULER is only --scheduler's default: --processes or --workers on the command
    # line choose where this run goes, as a flag overrides any environment default.
    scheduler = args.scheduler or (None if args.processes or args.workers else os.environ.get("DIGEST_SCHEDULER")) or None
    if args.processes and (args.workers or scheduler):
        raise InputError("--processes is for local mode; with Dask, --workers or the cluster decides")
    make_options = MakeOptions(
        inputs=common.inputs_of(args), output_dir=args.output_dir, engine=args.engine, lang=args.lang,
        engine_options=common.engine_options(args), speed=args.speed, programme=args.programme, date=args.date,
        base_url=args.base_url, cache_dir=args.cache_dir, use_cache=not args.no_cache, force=args.force,
        limit=args.limit, since=args.since, max_chars=args.max_chars, allow_private=args.allow_private,
        lexicon_files=args.lexicon, chime=bool(args.chime), jobs=args.jobs, retry_seconds=args.retry_seconds,
        max_minutes=args.max_minutes, summary=args.summary,
    )
    options = BatchOptions(make_options, processes=args.processes, workers=args.workers, scheduler=scheduler,
                           gtts_limit=args.gtts_limit, retries=args.retries, group_by=args.group_by)
    progress, close = _progress(not args.quiet and not args.json)
    try:
        result = run_batch(options, progress=progress)
    finally:
        close()
    failed = result.count("failed")
    if args.json:
        print(json.dumps(result.summary(), ensure_ascii=False))
    elif not args.quiet:
        _report(result)
    return 1 if failed else 0


__all__ = ["cmd_batch"]
