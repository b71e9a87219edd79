"""`feed`, `serve` and `episodes`: the commands that publish an output folder or look after it."""

from __future__ import annotations

import json
import shutil
import sys
from pathlib import Path

from digest.commands.common import count, folder_of
from digest.errors import InputError


def cmd_feed(args) -> int:
    from digest.fsutil import existing_folder
    from digest.publish.channel import plan_channel, publish
    from digest.publish.feed import episode_url
    from digest.publish.library import list_episodes
    from digest.publish.settings import config_path

    folder = existing_folder(folder_of(args, args.folder))
    if args.check:
        from digest.publish.check import check_folder, failed

        findings = check_folder(folder)
        failures = sum(finding.severity == "fail" for finding in findings)
        if args.json:
            print(json.dumps({"feed": str(folder / "feed.xml"), "passes": not failed(findings), "failures": failures,
                              "findings": [{"severity": f.severity, "where": f.where, "message": f.message}
                                           for f in findings]}, ensure_ascii=False))
            return 1 if failed(findings) else 0
        for finding in findings:
            print(finding)
        print(f"{folder / 'feed.xml'}: " + (count(failures, "problem") if failed(findings) else "passes"))
        return 1 if failed(findings) else 0
    channel = plan_channel(folder, args.programme, args.cover)
    path, settings = publish(folder, channel, base_url=args.base_url, language=args.lang)
    episodes = list_episodes(folder)
    if args.json:
        print(json.dumps({
            "feed": str(path), "feed_url": episode_url(settings.feed_base, path),
            "episodes": [{"path": str(e.path), "url": episode_url(settings.feed_base, e.path), "title": e.tags.title}
                         for e in episodes],
            "files": [str(path), str(folder / channel.cover_name), str(config_path(folder))],
        }, ensure_ascii=False))
        return 0
    print(f"{path} lists {count(len(episodes), 'episode')}")
    return 0


def cmd_serve(args) -> int:
    from digest.publish.serve import serve_folder

    def started(url: str, feed_url: str) -> None:
        if args.json:  # one line a script can wait for: the server is up at this address
            print(json.dumps({"folder": str(folder), "url": url, "feed_url": feed_url}), flush=True)
        else:
            print(f"serving {folder} at {url} (feed: {feed_url}); Ctrl-C stops", flush=True)

    folder = folder_of(args, args.folder)
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
    folder = folder_of(args, Path(args.words[0]) if args.words else None)
    library, found = episodes.listing(folder)
    if args.json:
        from digest.publish.feed import episode_url
        from digest.publish.settings import load_settings

        base = load_settings(folder).feed_base
        listed = [{**episodes.describe(episode, library.outputs_of(episode)), "path": str(episode.path),
                   "url": episode_url(base, episode.path)} for episode in found]
        print(json.dumps({"folder": str(folder), "episodes": listed}, ensure_ascii=False))
    elif not found:
        print(f"{folder}: no episodes")
    else:
        width = shutil.get_terminal_size().columns if sys.stdout.isatty() else None
        print("\n".join(episodes.table(found, width)))
    return 0


def _remove_episodes(args, wanted: list[str]) -> int:
    from digest.publish.episodes import describe, remove_episodes

    folder = folder_of(args)
    removals = remove_episodes(folder, wanted, dry_run=args.dry_run)
    if args.json:
        # "files" and "kept" are names in the folder; "paths" the removed files' full paths.
        listed = [{**describe(r.episode, {}), "files": [p.name for p in r.files], "kept": [p.name for p in r.kept],
                   "paths": [str(p) for p in r.files]} for r in removals]
        print(json.dumps({"folder": str(folder), "dry_run": args.dry_run, "removed": listed,
                          "feed": None if args.dry_run else str(folder / "feed.xml")}, ensure_ascii=False))
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
