"""What a `make` (or `script`) run was asked for, checked before any work starts."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path

from digest.errors import InputError
from digest.limits import DEFAULT_FEED_LIMIT, DEFAULT_MAX_CHARS, MAX_JOBS, MAX_RETRY_SECONDS, MAX_SPEED, MIN_SPEED
from digest.models import Voice
from digest.publish.outputs import own_files
from digest.read import ReadSettings
from digest.read.clean import clean_line
from digest.script.lexicon import Lexicon
from digest.script.lexicon_files import load_lexicon
from digest.speech.cache import cache_limit, check_cache_dir, default_cache_dir


@dataclass
class MakeOptions:
    inputs: list[str]
    output_dir: Path = Path("audio")
    engine: str = "auto"
    lang: str = "en"
    # The engines' own options by name (gtts: tld, slow; piper: voice); absent means the default.
    engine_options: dict = field(default_factory=dict)
    speed: float = 1.0
    jobs: int | None = None
    title: str | None = None
    programme: str | None = None  # None: the folder's digest.toml title ("Digest" by default)
    date: dt.date | None = None
    base_url: str | None = None
    cache_dir: Path | None = None
    use_cache: bool = True
    # Bytes the clip cache is pruned to after the run; None: DIGEST_CACHE_MAX, else the default
    # (digest.speech.cache.cache_limit, which also takes a digest.toml setting once one exists).
    cache_max: int | None = None
    force: bool = False
    retry_seconds: float = 90.0
    cover: Path | None = None
    limit: int = DEFAULT_FEED_LIMIT
    since: dt.date | None = None
    max_minutes: float | None = None
    summary: int | None = None  # about this many sentences of each story; None: all of it
    max_chars: int = DEFAULT_MAX_CHARS
    allow_private: bool = False
    chime: bool = False
    # --lexicon files, after the built-in dictionary and the output folder's pronunciations.toml.
    lexicon_files: list[Path] = field(default_factory=list)
    lexicon: Lexicon = field(init=False, repr=False)

    def __post_init__(self) -> None:
        if not self.inputs:
            raise InputError("no input given; pass an article file, or - for stdin")
        if not MIN_SPEED <= self.speed <= MAX_SPEED:
            raise InputError(f"--speed must be between {MIN_SPEED} and {MAX_SPEED}, not {self.speed}")
        if self.jobs is not None and not 1 <= self.jobs <= MAX_JOBS:
            raise InputError(f"--jobs must be between 1 and {MAX_JOBS}, not {self.jobs}")
        if not 0 <= self.retry_seconds <= MAX_RETRY_SECONDS:
            raise InputError(f"--retry-seconds must be between 0 and {MAX_RETRY_SECONDS}, not {self.retry_seconds}")
        # Titles end up in XML, ID3 tags and file names: same cleaning as article titles.
        if self.title is not None:
            self.title = clean_line(self.title)
            if not self.title:
                raise InputError("--title cannot be empty")
        if self.programme is not None:
            self.programme = clean_line(self.programme)
            if not self.programme:
                raise InputError("--programme cannot be empty")
        if self.max_minutes is not None and not self.max_minutes > 0:
            raise InputError(f"--max-minutes must be more than 0, not {self.max_minutes:g}")
        if self.summary is not None and self.summary < 1:
            raise InputError(f"--summary must be at least 1 sentence, not {self.summary}")
        _ = self.read_settings  # validates --limit and --max-chars now, before any work
        if self.cache_max is not None and self.cache_max < 0:
            raise InputError(f"--cache-max cannot be negative, not {self.cache_max}")
        if self.use_cache:
            cache_limit(self.cache_max)  # a bad DIGEST_CACHE_MAX stops the run before any work
            check_cache_dir(self.cache_dir or default_cache_dir())
        self.output_dir = Path(self.output_dir)
        # Read now, so that a bad entry stops the run before any input is read or spoken.
        self.lexicon = load_lexicon(self.lang, self.output_dir, [Path(p) for p in self.lexicon_files])

    @property
    def read_settings(self) -> ReadSettings:
        # A folder input leaves out what digest itself published there.
        return ReadSettings(max_chars=self.max_chars, allow_private=self.allow_private, limit=self.limit,
                            since=self.since, own_files=own_files())

    @property
    def voice(self) -> Voice:
        return Voice(lang=self.lang, options={k: v for k, v in self.engine_options.items() if v is not None})
