"""Run preferences: the `make`/`script`/`doctor` options an output folder's digest.toml keeps.

A daily user sets the engine, voice, speed or length once (`digest settings set speed 1.1`)
instead of repeating flags. For each preference the value is the flag's when one is given,
else digest.toml's, else the default; `resolve` says which, for `digest settings` to show.
Values from the file are checked like the flag's, and a bad one is named with the file and
its key. Naming a voice (`--voice` or `voice = ...`) without naming an engine means Piper.
The file itself (layout, comments, feed settings) belongs to digest.publish.settings.
"""

from __future__ import annotations

import math
import os
import re
from dataclasses import dataclass, fields, replace
from pathlib import Path
from typing import Any, Callable

from digest.errors import InputError
from digest.limits import DEFAULT_FEED_LIMIT, DEFAULT_MAX_CHARS, MAX_JOBS, MAX_RETRY_SECONDS, MAX_SPEED, MIN_SPEED
from digest.publish import settings as feed_settings
from digest.publish.settings import PREFERENCE_KEYS, FeedSettings, config_path, unknown_key

_LANGUAGE = re.compile(r"^[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8})*$")


def _between(low: float, high: float) -> Callable[[Any], str | None]:
    return lambda value: None if low <= value <= high else f"must be between {low:g} and {high:g}, not {value:g}"


def _at_least(low: int) -> Callable[[Any], str | None]:
    return lambda value: None if value >= low else f"must be at least {low}, not {value}"


def _engine(value: str) -> str | None:
    from digest.speech.engines import names

    return None if value in names() else f"unknown engine {value!r}; choose one of: {', '.join(names())}"


@dataclass(frozen=True)
class Preference:
    key: str
    kind: type  # str, float, int or bool
    default: Any
    help: str
    check: Callable[[Any], str | None] = lambda value: None  # a well-typed value's problem, or None
    path: bool = False  # a file path: in digest.toml relative to the folder
    engine_option: bool = False  # reaches the engine as voice.options[key]

    @property
    def flag(self) -> str:
        return "--" + self.key.replace("_", "-")


FIXED = (
    Preference("engine", str, "auto", "speech engine (piper when a voice is named)", _engine),
    Preference("lang", str, "en", "language of the articles and voice",
               lambda v: None if _LANGUAGE.match(v) else f"{v!r} is not a language code such as en or en-GB"),
    Preference("speed", float, 1.0, "tempo, without changing pitch", _between(MIN_SPEED, MAX_SPEED)),
    Preference("chime", bool, False, "a short chime between stories"),
    Preference("max_minutes", float, None, "fit the episode into about this many minutes",
               lambda v: None if v > 0 else f"must be more than 0, not {v:g}"),
    Preference("summary", int, None, "read about this many sentences of each story", _at_least(1)),
    Preference("limit", int, DEFAULT_FEED_LIMIT, "newest items taken from each feed", _at_least(1)),
    Preference("max_chars", int, DEFAULT_MAX_CHARS, "longest article text accepted", _at_least(1)),
    Preference("jobs", int, None, "utterances synthesized at once (default: per engine)", _between(1, MAX_JOBS)),
    Preference("retry_seconds", float, 90.0, "gtts: longest wait for retries of one utterance",
               _between(0, MAX_RETRY_SECONDS)),
    Preference("allow_private", bool, False, "allow URLs on private and loopback addresses"),
    Preference("keep_episodes", int, None, "sync: keep only this many newest episodes", _at_least(1)),
    Preference("keep_days", int, None, "sync: remove episodes older than this many days", _at_least(1)),
)
assert tuple(p.key for p in FIXED) == PREFERENCE_KEYS, "digest.publish.settings names the same preferences"


def preferences() -> dict[str, Preference]:
    """Every preference by key: the fixed ones, then each engine's options (as the engines declare them)."""
    from digest.speech.engines import all_options, engine_classes

    table = {p.key: p for p in FIXED}
    classes = engine_classes()
    for option in all_options():
        if option.name in table:
            continue
        owners = [cls for cls in classes.values() if any(o.name == option.name for o in cls.options)]

        def check(value, name=option.name, owners=owners):
            return next((problem for cls in owners if (problem := cls().check_option(name, value))), None)

        kind = bool if option.flag else float if option.number else str
        table[option.name] = Preference(option.name, kind, option.default, option.help, check, path=option.path,
                                        engine_option=True)
    return table


def _type_problem(preference: Preference, value: Any) -> str | None:
    kind = preference.kind
    if kind is float and isinstance(value, int) and not isinstance(value, bool):
        return None
    if isinstance(value, kind) and not (kind is not bool and isinstance(value, bool)):
        return None
    wanted = {bool: "true or false", int: "a whole number", float: "a number", str: "text (in quotes)"}[kind]
    return f"must be {wanted}, not {value!r}"


def problem(preference: Preference, value: Any) -> str | None:
    """What is wrong with `value` for `preference`, or None."""
    return _type_problem(preference, value) or preference.check(float(value) if preference.kind is float
                                                                else value)


def _from_file(preference: Preference, value: Any, folder: Path) -> Any:
    if preference.kind is float:
        value = float(value)
    if preference.path and value:
        value = str(Path(folder) / Path(value).expanduser())
    return value


def file_values(folder: Path) -> dict[str, Any]:
    """The preferences set in the folder's digest.toml, checked, paths made relative to the folder."""
    path = config_path(folder)
    values = feed_settings.read_values(folder)
    table = preferences()
    found = {}
    for key, value in values.items():
        if key in feed_settings.FEED_KEYS or key == feed_settings.SOURCES_KEY:
            continue
        preference = table.get(key)
        if preference is None:
            raise InputError(f"{path}: {unknown_key(key)}")
        wrong = _type_problem(preference, value) or preference.check(_from_file(preference, value, folder))
        if wrong:
            raise InputError(f"{path}: {key}: {wrong}")
        found[key] = _from_file(preference, value, folder)
    return found


@dataclass(frozen=True)
class Resolved:
    values: dict[str, Any]  # key -> the value to use (None: not set, the engine's own default)
    sources: dict[str, str]  # key -> "flag", "file", "default" or "voice" (engine implied by a voice)


def resolve(folder: Path, given: dict[str, Any]) -> Resolved:
    """Each preference in `given` (key -> the flag's value, None when not given): flag, file, default."""
    table = preferences()
    stored = file_values(folder)
    values, sources = {}, {}
    for key in given:
        if given[key] is not None:
            values[key], sources[key] = given[key], "flag"
        elif key in stored:
            values[key], sources[key] = stored[key], "file"
        else:
            values[key], sources[key] = table[key].default, "default"
    voice_named = values.get("voice") and sources.get("voice") != "default"
    if sources.get("engine") == "default" and voice_named:
        # A Piper voice names Piper: trying Google first would only delay the same answer.
        values["engine"], sources["engine"] = "piper", "voice"
    return Resolved(values, sources)


def key_for(name: str) -> str:
    """The digest.toml key a user means: `--max-minutes` and `max-minutes` mean max_minutes."""
    key = name.strip().lstrip("-").replace("-", "_")
    return "title" if key == "programme" else key


def parse_text(key: str, text: str, cwd: Path | None = None) -> Any:
    """A value typed on the command line, as the key's type: numbers, true/false, text."""
    if key in feed_settings.FEED_KEYS:
        kind = {"bool": bool, "int": int}.get(str(next(f.type for f in fields(FeedSettings) if f.name == key)), str)
        preference = None
    else:
        preference = preferences()[key]
        kind = preference.kind
    if kind is bool:
        lowered = text.strip().lower()
        if lowered in ("true", "yes", "on", "1"):
            return True
        if lowered in ("false", "no", "off", "0"):
            return False
        raise InputError(f"{key}: must be true or false, not {text!r}")
    if kind in (int, float):
        try:
            number = kind(text)
        except ValueError:
            raise InputError(f"{key}: must be {'a whole number' if kind is int else 'a number'}, not {text!r}") from None
        if kind is float and not math.isfinite(number):
            raise InputError(f"{key}: must be a number, not {text!r}")
        return number
    if preference is not None and preference.path and text:
        # Typed relative to where the command runs, as a flag would be; kept absolute in the file.
        return str((Path(cwd or Path.cwd()) / Path(text).expanduser()).resolve())
    return text


def set_value(folder: Path, name: str, text: str) -> tuple[str, Any, bool]:
    """Check and store one setting in digest.toml; returns (key, stored value, whether the file changed)."""
    key = key_for(name)
    if key in feed_settings.FEED_KEYS:
        value = parse_text(key, text)
        Path(folder).mkdir(parents=True, exist_ok=True)
        before = feed_settings.read_values(folder).get(key)
        stored = getattr(feed_settings.remember(folder, **{key: value}), key)
        return key, stored, before != stored
    table = preferences()
    if key not in table:
        raise InputError(unknown_key(key))
    value = parse_text(key, text)
    wrong = problem(table[key], value)
    if wrong:
        raise InputError(f"{key}: {wrong}; {config_path(folder)} is unchanged")
    feed_settings.load_settings(folder)  # a broken file is reported, not overwritten
    Path(folder).mkdir(parents=True, exist_ok=True)
    if key == "lang" and not config_path(folder).exists():
        # As a first make would: the first episodes' language becomes the channel's.
        feed_settings.remember(folder, seed={"language": value})
    return key, value, feed_settings.edit(folder, key, value)


def unset_value(folder: Path, name: str) -> tuple[str, bool]:
    """Remove one setting from digest.toml, so that its default applies; returns whether the file changed."""
    key = key_for(name)
    if key not in feed_settings.FEED_KEYS and key not in preferences():
        raise InputError(unknown_key(key))
    return key, feed_settings.edit(folder, key, remove=True)


@dataclass(frozen=True)
class Shown:
    key: str
    value: Any
    source: str  # as `digest settings` prints it: "default", the file's path, "DIGEST_FFMPEG"...
    help: str
    origin: str = "default"  # "default", "file", "environment", "voice" (an engine implied by a voice)
    note: str = ""  # what else to know: the file's value the environment overrides


def show(folder: Path, given: dict[str, Any] | None = None) -> list[Shown]:
    """Every setting of the folder with its effective value and where it comes from.

    Two values may come from the environment, which wins over the file: the ffmpeg to run
    (DIGEST_FFMPEG) and the clip cache's size limit (DIGEST_CACHE_MAX, which `make --cache-max`
    overrides for one run).
    """
    table = preferences()
    resolved = resolve(folder, {key: (given or {}).get(key) for key in table})
    path = str(config_path(folder))
    where = {"file": path, "default": "default", "flag": "flag", "voice": "implied by voice"}
    rows = [Shown(key, resolved.values[key], where[resolved.sources[key]], table[key].help, resolved.sources[key])
            for key in table]
    stored = feed_settings.read_values(folder)
    current = feed_settings.load_settings(folder)
    for key in feed_settings.FEED_KEYS:
        origin = "file" if key in stored else "default"
        rows.append(Shown(key, getattr(current, key), path if origin == "file" else "default", "feed", origin))
    return [_environment(row) for row in rows] + [_cache_max()]


def _environment(row: Shown) -> Shown:
    from digest.sound.ffmpeg import ENV_VAR

    named = os.environ.get(ENV_VAR, "").strip()
    if row.key != "ffmpeg" or not named:
        return row
    note = f"overrides {row.source}'s {_quoted(row.value)}" if row.origin == "file" else ""
    return replace(row, value=named, source=ENV_VAR, origin="environment", note=note)


def _cache_max() -> Shown:
    from digest.speech.cache import ENV_VAR, cache_limit, format_size

    help = f"clip cache size limit, set by {ENV_VAR} (make --cache-max for one run)"
    try:
        limit, source = cache_limit()
    except InputError as error:  # a bad DIGEST_CACHE_MAX is shown, not a reason to show nothing
        return Shown("cache_max", os.environ.get(ENV_VAR, ""), ENV_VAR, help, "environment", note=str(error))
    origin = "environment" if source == ENV_VAR else "default"
    return Shown("cache_max", format_size(limit), source, help, origin)


def _quoted(value: Any) -> str:
    return f'"{value}"' if isinstance(value, str) else str(value)
