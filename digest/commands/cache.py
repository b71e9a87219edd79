"""`cache`: what the clip cache holds, and pruning or clearing it."""

from __future__ import annotations

import json

from digest.commands.common import count
from digest.errors import InputError


def cmd_cache(args) -> int:
    from digest.publish.cover import MAX_KEPT_COVERS, forget_kept_covers, kept_covers
    from digest.speech.cache import ClipCache, cache_limit, check_cache_dir, default_cache_dir, format_size

    cache = ClipCache(args.cache_dir or default_cache_dir())
    # Covers are kept beside the default clip folder: they go with it, not with a --cache-dir.
    with_covers = args.cache_dir is None
    check_cache_dir(cache.root)
    if (args.max is not None or args.older_than is not None) and args.action != "prune":
        raise InputError("--max and --older-than go with `digest cache prune`")
    if args.older_than is not None and args.older_than < 0:
        raise InputError(f"--older-than cannot be negative, not {args.older_than:g}")
    if args.action == "clear":
        removed = cache.clear()
        said = {"removed": removed}
        text = f"removed {count(removed, 'clip')} from {cache.root}"
        if with_covers:
            said["removed_covers"] = covers = forget_kept_covers()
            text += f", and {count(covers, 'kept cover')}"
    elif args.action == "prune":
        limit = args.max if args.max is not None or args.older_than is not None else cache_limit()[0]
        report = cache.prune(max_bytes=limit, older_than_days=args.older_than)
        said = {"removed": report.removed, "freed_bytes": report.freed, "clips": report.entries,
                "bytes": report.bytes, "limit_bytes": limit, "in_use_bytes": report.in_use_bytes}
        text = (f"removed {count(report.removed, 'clip')} ({format_size(report.freed)}) from {cache.root}; "
                f"{count(report.entries, 'clip')}, {format_size(report.bytes)} left")
        if limit is not None and report.bytes > limit:
            text += f"\n{format_size(report.in_use_bytes)} are clips in use by a running `digest make`; kept"
    else:
        stats = cache.stats()
        limit, source = cache_limit()
        said = {"clips": stats.entries, "bytes": stats.bytes, "limit_bytes": limit, "limit_source": source}
        text = (f"folder: {cache.root}\nclips:  {stats.entries}\nsize:   {format_size(stats.bytes)}\n"
                f"limit:  {format_size(limit)} ({'default' if source == 'default' else source}; "
                f"`make --cache-max` sets it per run)")
        if with_covers:
            folder, covers, size = kept_covers()
            said.update(covers=covers, covers_bytes=size, covers_folder=str(folder))
            text += (f"\ncovers: {covers}, {format_size(size)} in {folder} (drawn or scaled once, "
                     f"the {MAX_KEPT_COVERS} last used kept)")
    print(json.dumps({"action": args.action, "folder": str(cache.root), **said}) if args.json else text)
    return 0
