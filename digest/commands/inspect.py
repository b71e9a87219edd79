"""`script`, `engines` and `doctor`: the commands that look without making anything."""

from __future__ import annotations

import json
import sys

from digest.commands.common import engine_options, inputs_of, preferred, reading
from digest.errors import InputError


def cmd_script(args) -> int:
    from digest.make import MakeOptions, gather, make_script
    from digest.publish.settings import load_settings
    from digest.script.compose import display_title, format_script

    preferred(args)
    # The same programme name `make` would speak: the flag, else the output folder's settings.
    programme = args.programme or load_settings(args.output_dir).title
    options = MakeOptions(inputs=inputs_of(args), lang=args.lang, programme=programme, date=args.date,
                          output_dir=args.output_dir, use_cache=False, **reading(args))
    lineup = gather(options)
    script = make_script(lineup.articles, options, lineup)
    if args.json:
        segments = [{"kind": s.kind, "chapter": s.chapter, "text": s.text} for s in script.segments]
        print(json.dumps({"lang": script.lang, "story_titles": [display_title(a) for a in lineup.articles],
                          "chapters": script.chapters(), "segments": segments}, ensure_ascii=False))
    else:
        sys.stdout.write(format_script(script))
    return 0


def cmd_engines(args) -> int:
    from digest.speech.engines import engine_classes

    classes = engine_classes()
    if args.json:
        listed = [{"name": name, "description": cls.description or name,
                   "options": [f"--{option.name.replace('_', '-')}" for option in cls.options],
                   **({"languages": cls().languages()} if args.languages else {})}
                  for name, cls in classes.items()]
        print(json.dumps({"engines": listed}, ensure_ascii=False))
        return 0
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
        preferred(args)
    except InputError:
        args.lang = args.lang or "en"  # a broken digest.toml is one of the findings below
    report = diagnose(args.output_dir, args.cache_dir, args.lang, engine_options(args))
    if args.json:
        print(json.dumps(report.as_json(), ensure_ascii=False))
    else:
        sys.stdout.write(report.text())
    return 0 if report.can_make else 1
