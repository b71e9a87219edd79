"""`settings`: every setting's value and where it comes from; `set` and `unset` edit digest.toml."""

from __future__ import annotations

import json
import logging

from digest.errors import InputError

log = logging.getLogger(__name__)


def _toml(value) -> str:
    if value is None:
        return "(not set)"
    if isinstance(value, bool):
        return "true" if value else "false"
    return json.dumps(value, ensure_ascii=False) if isinstance(value, str) else repr(value)


def cmd_settings(args) -> int:
    from digest.publish.preferences import set_value, show, unset_value
    from digest.publish.settings import config_path
    from digest.sync.sources import MisplacedSetting, load_sources

    folder = args.output_dir
    path = str(config_path(folder))
    if args.action == "show":
        if args.key or args.value:
            raise InputError("`digest settings` takes no KEY; use `digest settings set KEY VALUE`")
        rows = show(folder)
        try:
            load_sources(folder)
        except MisplacedSetting:
            raise  # a setting whose line landed in a [[sources]] table must not look merely unset
        except InputError as error:
            log.warning("%s", error)  # a bad source: `sync` stops on it, the settings below are right
        if args.json:
            # "source": default, file, environment or voice; "from": the file's path or the variable's name.
            listed = {row.key: {"value": row.value, "source": row.origin, "from": row.source, "help": row.help,
                                **({"note": row.note} if row.note else {})} for row in rows}
            print(json.dumps({"file": path, "settings": listed}, ensure_ascii=False))
            return 0
        width = max(len(f"{row.key} = {_toml(row.value)}") for row in rows)
        for row in rows:
            note = f" ({row.note})" if row.note else ""
            source = f"environment: {row.source}" if row.origin == "environment" else row.source
            print(f"{f'{row.key} = {_toml(row.value)}':{width}}  # {source}{note}")
        return 0
    if not args.key or (args.action == "set") != (args.value is not None):
        usage = "set KEY VALUE" if args.action == "set" else "unset KEY"
        raise InputError(f"usage: digest settings {usage} [-o DIR]")
    if args.action == "set":
        key, value, changed = set_value(folder, args.key, args.value)
        text = f"{key} = {_toml(value)} in {path}" + ("" if changed else " (already)")
    else:
        key, changed = unset_value(folder, args.key)
        value = None
        text = f"{key} " + ("removed from" if changed else "was not set in") + f" {path}"
    said = {"action": args.action, "key": key, "value": value, "changed": changed, "file": path}
    print(json.dumps(said, ensure_ascii=False) if args.json else text)
    return 0
