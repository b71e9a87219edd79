"""What the commands share: the folder a command works on, the inputs, and the preferences
that fill every option not given as a flag."""

from __future__ import annotations

from pathlib import Path

from digest.errors import InputError


def count(number: int, noun: str) -> str:
    return f"{number} {noun}{'' if number == 1 else 's'}"


def inputs_of(args) -> list[str]:
    from digest.samples import sample_path

    inputs = list(args.inputs)
    if args.sample is not None:
        inputs.insert(0, str(sample_path(args.sample)))
    if not inputs:
        raise InputError("no input given; pass an article file, - for stdin, or --sample")
    return inputs


def preferred(args) -> None:
    """Fill each option not given as a flag from the output folder's digest.toml, else its default."""
    from digest.publish.preferences import preferences, resolve

    dests = {key: key if key in vars(args) else f"engine_{key}" for key in preferences()}
    given = {key: getattr(args, dest) for key, dest in dests.items() if dest in vars(args)}
    table, resolved = preferences(), resolve(args.output_dir, given)
    for key, value in resolved.values.items():
        if table[key].engine_option and resolved.sources[key] == "default":
            continue  # left to the engine, which knows its own default
        setattr(args, dests[key], value)


def reading(args) -> dict:
    return {"limit": args.limit, "since": args.since, "max_minutes": args.max_minutes, "summary": args.summary,
            "max_chars": args.max_chars, "allow_private": args.allow_private, "lexicon_files": args.lexicon}


def folder_of(args, positional: Path | None = None) -> Path:
    """The output folder a command works on: DIR or -o DIR (the same one if both), else audio."""
    given = [path for path in (positional, args.output_dir) if path is not None]
    if len(given) == 2 and given[0] != given[1]:
        raise InputError(f"two folders given ({given[0]} and -o {given[1]}); give one")
    return given[0] if given else Path("audio")


def warmed_engine(args):
    """The engine `args` name (digest.speech.engines.Engine), already loading its voice in the
    background; None when no engine of that name is installed, which making the episode reports."""
    from digest.models import Voice
    from digest.speech.engines import get_engine

    try:
        engine = get_engine(args.engine)
    except InputError:
        return None
    engine.warm_up(Voice(lang=args.lang, options=engine_options(args)))
    return engine


def engine_options(args) -> dict:
    """The engines' own options given as flags (--tld, --voice...), by option name."""
    return {name[len("engine_"):]: value for name, value in vars(args).items()
            if name.startswith("engine_") and value is not None}
