"""The fake must satisfy gTTS's own, unmodified client code, in-process and in a subprocess.

conftest's autouse `offline` fixture fences the network off for every test here.
"""

from __future__ import annotations

import contextlib
import io
import os
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

import gtts
import imageio_ffmpeg
import pytest

from tests.fakegoogle import MIN_SECONDS, SECONDS_PER_CHAR, FakeGoogle

FFMPEG = imageio_ffmpeg.get_ffmpeg_exe()
GTTS_CLI = Path(sys.executable).parent / "gtts-cli"
SAMPLE_RATE = 24000
LEAD = "The quick brown fox jumps over the lazy dog."


@pytest.fixture
def start_google(monkeypatch):
    """Like conftest's fake_google, but with options: start_google(latency=0.5)."""
    with contextlib.ExitStack() as stack:

        def start(**options) -> FakeGoogle:
            google = stack.enter_context(FakeGoogle(**options))
            for name, value in google.env.items():
                monkeypatch.setenv(name, value)
            return google

        yield start


def speak(text: str, **options) -> bytes:
    buffer = io.BytesIO()
    gtts.gTTS(text, **options).write_to_fp(buffer)
    return buffer.getvalue()


def decoded_seconds(mp3: Path) -> float:
    """Decode fully with ffmpeg; any decoder complaint fails the test."""
    run = subprocess.run(
        [FFMPEG, "-v", "error", "-i", str(mp3), "-f", "s16le", "-ac", "1", "-ar", str(SAMPLE_RATE), "-"],
        capture_output=True,
    )
    assert run.returncode == 0 and not run.stderr, run.stderr.decode(errors="replace")
    return len(run.stdout) / (2 * SAMPLE_RATE)


def expected_seconds(text: str) -> float:
    return max(MIN_SECONDS, SECONDS_PER_CHAR * len(text))


def gtts_cli(google: FakeGoogle, *args: str) -> subprocess.CompletedProcess:
    if GTTS_CLI.exists():
        command = [str(GTTS_CLI)]
    else:  # gtts.cli has no __main__; call the same entry point the script would
        command = [sys.executable, "-c", "from gtts.cli import tts_cli; tts_cli()"]
    return subprocess.run(
        [*command, *args], env={**os.environ, **google.env}, capture_output=True, text=True, timeout=60
    )


def test_gtts_in_process_gets_decodable_speech_length_mp3(fake_google, tmp_path):
    mp3 = tmp_path / "lead.mp3"
    mp3.write_bytes(speak(LEAD))

    assert mp3.read_bytes()[:2] == b"\xff\xf3"  # MPEG-2 layer III, like Google's
    assert decoded_seconds(mp3) == pytest.approx(expected_seconds(LEAD), abs=0.03)
    assert [r.text for r in fake_google.requests] == [LEAD]


def test_requests_record_text_lang_host_and_speed(fake_google):
    speak("Bonjour tout le monde.", lang="fr", tld="co.uk", slow=True)
    speak("Hello.")

    first, second = fake_google.requests
    assert (first.text, first.lang, first.host, first.slow, first.status) == (
        "Bonjour tout le monde.", "fr", "translate.google.co.uk", True, 200,
    )
    assert (second.lang, second.host, second.slow) == ("en", "translate.google.com", False)
    assert fake_google.count == 2


def test_long_text_is_one_request_per_gtts_chunk(fake_google, tmp_path):
    text = " ".join([LEAD] * 6)

    mp3 = tmp_path / "long.mp3"
    mp3.write_bytes(speak(text))

    assert fake_google.count == len(gtts.gTTS(text).get_bodies()) > 1
    total = sum(expected_seconds(r.text) for r in fake_google.requests)
    assert decoded_seconds(mp3) == pytest.approx(total, abs=0.03 * fake_google.count)


def test_gtts_cli_subprocess_writes_mp3_that_grows_with_text(tmp_path):
    short, long = tmp_path / "short.mp3", tmp_path / "long.mp3"
    with FakeGoogle() as google:
        for text, out in (("Hi.", short), (LEAD * 2, long)):
            run = gtts_cli(google, text, "--tld", "ie", "--output", str(out))
            assert run.returncode == 0, run.stderr

    assert decoded_seconds(short) == pytest.approx(MIN_SECONDS, abs=0.03)
    assert decoded_seconds(long) == pytest.approx(expected_seconds(LEAD * 2), abs=0.03)
    assert {r.host for r in google.requests} == {"translate.google.ie"}


def test_concurrent_requests_are_served_in_parallel(start_google):
    latency, workers = 0.5, 4
    google = start_google(latency=latency)
    start = threading.Barrier(workers)
    failures = []

    def work(n):
        start.wait()
        try:
            speak(f"Sentence number {n}.")
        except Exception as e:  # surfaced below; threads swallow exceptions
            failures.append(e)

    threads = [threading.Thread(target=work, args=(n,)) for n in range(workers)]
    began = time.monotonic()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    elapsed = time.monotonic() - began

    assert not failures
    assert google.count == workers
    assert elapsed < 2 * latency, f"{workers} requests took {elapsed:.2f}s: served serially?"


def test_429_is_a_gtts_error_with_retry_after(start_google):
    google = start_google(faults=lambda n: "429", retry_after=7)

    with pytest.raises(gtts.tts.gTTSError) as caught:
        speak("Hello.")

    assert caught.value.rsp.status_code == 429
    assert caught.value.rsp.headers["Retry-After"] == "7"
    assert [r.status for r in google.requests] == [429]


@pytest.mark.parametrize("fault", ["500", "503"])
def test_server_errors_are_gtts_errors(start_google, fault):
    start_google(faults=lambda n: fault)

    with pytest.raises(gtts.tts.gTTSError, match="Upstream API error") as caught:
        speak("Hello.")

    assert caught.value.rsp.status_code == int(fault)
    assert "Retry-After" not in caught.value.rsp.headers


def test_faults_are_chosen_by_request_number(start_google):
    google = start_google(faults=lambda n: "500" if n == 1 else None)

    with pytest.raises(gtts.tts.gTTSError):
        speak("First try.")
    assert speak("Second try.")[:2] == b"\xff\xf3"
    assert [r.status for r in google.requests] == [500, 200]


def test_reset_fails_without_response_and_without_hidden_retries(start_google):
    google = start_google(faults=lambda n: "reset")

    with pytest.raises(gtts.tts.gTTSError, match="Failed to connect") as caught:
        speak("Hello.")

    assert caught.value.rsp is None
    assert [r.status for r in google.requests] == [None]


def test_noaudio_is_a_200_without_audio(start_google):
    start_google(faults=lambda n: "noaudio")

    with pytest.raises(gtts.tts.gTTSError) as caught:
        speak("Hello.")

    assert caught.value.rsp.status_code == 200


def test_slow_answer_trips_gtts_timeout(start_google):
    start_google(faults=lambda n: "slow")

    began = time.monotonic()
    with pytest.raises(gtts.tts.gTTSError) as caught:
        speak("Hello.", timeout=0.3)

    assert caught.value.rsp is None
    assert time.monotonic() - began < 2


def test_connect_to_other_hosts_is_refused():
    with FakeGoogle() as google:
        port = int(google.proxy_url.rsplit(":", 1)[1])
        with socket.create_connection(("127.0.0.1", port)) as sock:
            sock.sendall(b"CONNECT example.com:443 HTTP/1.1\r\nHost: example.com:443\r\n\r\n")
            status_line = sock.makefile("rb").readline()

    assert status_line.split()[1] == b"502"
    assert google.count == 0
