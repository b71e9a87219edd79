"""`sources`: what `digest sync` reads, kept in the output folder's digest.toml."""

from __future__ import annotations

import json
from pathlib import Path

from digest.commands.common import count, folder_of
from digest.errors import InputError


def cmd_sources(args) -> int:
    from digest.sync import sources

    folder = folder_of(args)
    action, rest = (args.words[0], args.words[1:]) if args.words else ("list", [])
    takes = {"list": 0, "add": 1, "remove": 1, "import": 1}
    if action not in takes:
        raise InputError(f"unknown sources action {action!r} (list, add, remove, import)")
    if len(rest) != takes[action]:
        what = {"list": "nothing", "add": "one URL, folder or file", "remove": "one NAME", "import": "one OPML file"}
        raise InputError(f"`digest sources {action}` takes {what[action]}")
    if action != "add" and (args.name or args.limit is not None or args.lang):
        raise InputError("--name, --limit and --lang go with `digest sources add`")
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
    elif action in ("add", "remove"):
        if action == "add":
            source = sources.add_source(folder, rest[0], name=args.name, limit=args.limit, lang=args.lang)
            text = f"added {source.name!r}: {source.url} to {folder / 'digest.toml'}"
        else:
            source = sources.remove_source(folder, rest[0])
            text = f"removed {source.name!r}: {source.url} from {folder / 'digest.toml'}"
        said = {"action": action, "source": source.as_json(), "file": str(folder / "digest.toml")}
        print(json.dumps(said, ensure_ascii=False) if args.json else text)
    else:
        imported = sources.import_opml(folder, Path(rest[0]))
        if args.json:
            print(json.dumps({"action": "import", "added": [source.as_json() for source in imported.added],
                              "already": imported.already, "file": str(folder / "digest.toml")}, ensure_ascii=False))
            return 0
        for source in imported.added:
            print(f"added {source.name!r}: {source.url}")
        print(f"{count(len(imported.added), 'source')} added to {folder / 'digest.toml'}"
              + (f", {len(imported.already)} already there" if imported.already else ""))
    return 0
