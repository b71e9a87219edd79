"""Google Translate's speech through the gTTS library.

Google rate-limits this endpoint, so every request passes through one shared semaphore, and
429s, 5xx answers and dropped connections are retried with exponential backoff and jitter,
honouring Retry-After, within a cap on the total time spent waiting.
"""

from __future__ import annotations

import logging
import random
import re
import threading
import time
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

from digest.errors import EngineError, InputError
from digest.models import Clip, Voice
from digest.speech.engines.base import Engine, EngineOption

if TYPE_CHECKING:
    import requests
    from gtts import gTTSError

log = logging.getLogger(__name__)


# Google domains that gTTS's documentation lists as giving a distinct accent, plus the others
# Google serves Translate from; anything else is a typo that would fail with a DNS error.
KNOWN_TLDS = {
    "com", "us", "ca", "co.uk", "com.au", "co.in", "ie", "co.za", "com.ng", "com.ph", "co.nz",
    "com.sg", "fr", "de", "es", "com.mx", "pt", "com.br", "it", "nl", "be", "ch", "at", "pl",
    "ru", "com.tr", "co.jp", "co.kr", "cn", "com.hk", "com.tw", "se", "no", "dk", "fi",
    "com.ar", "cl", "com.co", "com.pe", "co.id", "com.vn", "co.th", "com.eg", "com.sa", "ae",
    "co.il", "gr", "cz", "hu", "ro", "ua",
}
_RETRYABLE_STATUS = {408, 425, 429, 500, 502, 503, 504}


class GoogleUnavailable(EngineError):
    """Google could not be reached at all (no network, DNS failure, connection refused)."""

    def __init__(self, message: str, cause: str):
        super().__init__(message)
        # Which utterance failed is noise when nothing could be reached: `cause` is the short form.
        self.cause = cause


@dataclass(frozen=True)
class RetryPolicy:
    attempts: int = 6
    # gTTS reports a refused connection and a reset mid-answer alike (no response); a dead
    # network rarely heals within seconds, so these get fewer attempts than HTTP errors.
    connect_attempts: int = 4
    base_delay: float = 0.5
    max_delay: float = 20.0
    max_total_wait: float = 90.0


QUICK_PROBE = RetryPolicy(attempts=2, connect_attempts=2, base_delay=0.2, max_delay=1.0, max_total_wait=2.0)


# gTTS and requests (with urllib3 and ssl, a tenth of a second) are imported only when this
# engine is used: every run lists the engines' options, and a Piper run needs neither.


def _lang(code: str) -> str:
    from gtts.lang import _fallback_deprecated_lang

    return _fallback_deprecated_lang(code)


def supported_languages() -> dict[str, str]:
    from gtts.lang import tts_langs

    return tts_langs()


def _retry_after(response) -> float | None:
    value = response.headers.get("Retry-After") if response is not None else None
    if value and re.fullmatch(r"\s*\d+(\.\d+)?\s*", value):
        return float(value)
    return None


class GttsEngine(Engine):
    description = "Google Translate voices via gTTS (online)"
    name = "gtts"
    max_chars = 100  # gTTS's own per-request limit
    clip_format = "mp3"
    default_jobs = 8
    max_concurrent_requests = 8
    options = (
        EngineOption("tld", "gtts: Google domain for the accent, e.g. co.uk (default: com)", default="com",
                     metavar="DOMAIN"),
        EngineOption("slow", "gtts: slower speech", default=False, flag=True),
    )

    def __init__(self, policy: RetryPolicy = RetryPolicy(), timeout: tuple[float, float] = (5.0, 30.0)):
        super().__init__()
        self.policy = policy
        self.timeout = timeout
        self._slots = threading.BoundedSemaphore(self.max_concurrent_requests)
        self._lock = threading.Lock()
        # requests.Session is not thread-safe; one per worker thread, each kept alive.
        self._local = threading.local()

    def limit_retries(self, seconds: float) -> None:
        """Cap the time spent waiting between retries of one utterance."""
        self.policy = replace(self.policy, max_total_wait=seconds, max_delay=min(self.policy.max_delay, seconds))

    def languages(self) -> dict[str, str]:
        return supported_languages()

    def check_option(self, name: str, value) -> str | None:
        if name == "tld" and value not in KNOWN_TLDS:
            return f"unknown accent domain {value!r}; try com, co.uk, com.au, ca, co.in, ie, co.za"
        return None

    def check(self, voice: Voice) -> None:
        lang = _lang(voice.lang)
        if lang not in supported_languages():
            raise InputError(
                f"language {voice.lang!r} is not supported by gtts; `digest engines --languages` lists them"
            )
        tld = self.option(voice, "tld")
        if tld not in KNOWN_TLDS:
            raise InputError(f"unknown accent domain --tld {tld!r}; try com, co.uk, com.au, ca, co.in, ie, co.za")

    def identity(self, voice: Voice) -> str:
        slow = "slow" if self.option(voice, "slow") else "normal"
        return f"gtts|{_lang(voice.lang)}|{self.option(voice, 'tld')}|{slow}"

    def _count(self, retry: bool = False) -> None:
        with self._lock:
            if retry:
                self.retries += 1
            else:
                self.requests += 1

    def _session(self) -> requests.Session:
        session = getattr(self._local, "session", None)
        if session is None:
            import requests

            session = self._local.session = requests.Session()
        return session

    def _request(self, text: str, voice: Voice) -> bytes:
        from digest.speech.engines.gtts_transport import PooledGTTS

        tts = PooledGTTS(
            text,
            lang=_lang(voice.lang),
            tld=self.option(voice, "tld"),
            slow=bool(self.option(voice, "slow")),
            lang_check=False,
            timeout=self.timeout,
            session=self._session(),
        )
        with self._slots:
            self._count()
            return b"".join(tts.stream())

    def synthesize(self, text: str, voice: Voice, policy: RetryPolicy | None = None) -> Clip:
        from gtts import gTTSError

        policy = policy or self.policy
        waited = 0.0
        reached_google = False
        for attempt in range(1, policy.attempts + 1):
            try:
                audio = self._request(text, voice)
            except gTTSError as error:
                response = error.rsp
                reached_google = reached_google or response is not None
                status = response.status_code if response is not None else None
                retryable = status is None or status in _RETRYABLE_STATUS
                limit = policy.attempts if status is not None else min(policy.attempts, policy.connect_attempts)
                if not retryable or attempt >= limit:
                    raise self._final_error(text, error, reached_google) from error
                delay = _retry_after(response) or min(policy.max_delay, policy.base_delay * 2 ** (attempt - 1))
                delay *= random.uniform(0.8, 1.2)
                if waited + delay > policy.max_total_wait:
                    raise self._final_error(text, error, reached_google) from error
                log.debug("gtts: %s; retry %d in %.1fs", error, attempt, delay)
                self._count(retry=True)
                time.sleep(delay)
                waited += delay
                continue
            if not audio:
                raise EngineError(f"gtts returned no audio for {_quote(text)}")
            return Clip(audio, "mp3")
        raise AssertionError("unreachable")

    def _final_error(self, text: str, error: gTTSError, reached_google: bool) -> EngineError:
        message = f"gtts gave up on {_quote(text)}: {error}"
        if reached_google:
            return EngineError(message)
        # gTTS appends "Probable cause: Unknown" when it has no guess, which tells a listener nothing.
        cause = re.sub(r"\.?\s*Probable cause: Unknown\.?$", "", str(error)).strip()
        return GoogleUnavailable(message, f"Google could not be reached: {cause or 'no answer'}")


def _quote(text: str) -> str:
    return repr(text if len(text) <= 50 else text[:47] + "...")
