"""Google misbehaving in the middle of a real run: the run must finish or fail cleanly."""

import datetime as dt
import json

import pytest
from mutagen.id3 import ID3

from digest.errors import EngineError
from digest.make import MakeOptions, make
from tests.conftest import route_to
from tests.fakegoogle import FakeGoogle

DATE = dt.date(2026, 11, 25)
BODY = "\n\n".join(
    f"Paragraph {word} tells how the river changed in year {n}, and who noticed it first."
    for n, word in enumerate(["one", "two", "three", "four", "five", "six"], start=1)
)


@pytest.fixture
def story(tmp_path):
    path = tmp_path / "river.txt"
    path.write_text(f"River notes\n\n{BODY}\n", encoding="utf-8")
    return path


def run(story, out, engine="gtts", **options):
    return make(MakeOptions(inputs=[str(story)], output_dir=out, engine=engine, date=DATE, **options))


def clean_duration(monkeypatch, story, tmp_path) -> float:
    with FakeGoogle() as google:
        route_to(monkeypatch, google)
        return run(story, tmp_path / "clean", use_cache=False).duration


# Each of these utterances fails twice, each in its own way, before it is answered.
FLAKY = {"one": "429", "three": "500", "five": "503", "Welcome": "reset"}


def test_transient_faults_are_retried_and_reported(monkeypatch, story, tmp_path):
    expected = clean_duration(monkeypatch, story, tmp_path)

    def first_attempts_fail(text, earlier):
        return next((fault for word, fault in FLAKY.items() if word in text and earlier < 2), None)

    with FakeGoogle(text_faults=first_attempts_fail, retry_after=0) as google:
        route_to(monkeypatch, google)
        result = run(story, tmp_path / "audio", use_cache=False)
    failed = [r for r in google.requests if r.status != 200]
    assert sorted({r.status for r in failed}, key=str) == sorted({429, 500, 503, None}, key=str)
    assert len(failed) == 2 * len(FLAKY)
    assert result.retries == len(failed)
    assert result.requests == google.count == result.clips + len(failed)
    assert result.duration == pytest.approx(expected, abs=0.05)


def test_a_slow_answer_only_slows_the_run(monkeypatch, story, tmp_path):
    with FakeGoogle(faults=lambda n: "slow" if n == 2 else None) as google:
        route_to(monkeypatch, google)
        result = run(story, tmp_path / "audio")
    assert result.retries == 0 and result.requests == result.clips


def test_final_failure_names_the_chunk_and_the_next_run_resumes(monkeypatch, story, tmp_path):
    doomed = "Paragraph four"
    with FakeGoogle(text_faults=lambda text, _: "500" if doomed in text else None) as google:
        route_to(monkeypatch, google)
        with pytest.raises(EngineError, match=r"gtts gave up on 'Paragraph four tells how"):
            run(story, tmp_path / "audio", retry_seconds=1)
        first_requests = [r.text for r in google.requests if r.status == 200]
    assert not list((tmp_path / "audio").glob("*.mp3"))

    with FakeGoogle() as google:
        route_to(monkeypatch, google)
        result = run(story, tmp_path / "audio")
    assert result.cache_hits == len(set(first_requests))
    assert result.requests == result.clips - result.cache_hits
    assert any(doomed in r.text for r in google.requests)


def test_auto_falls_back_to_piper_when_google_gives_up_mid_run(monkeypatch, story, tmp_path):
    with FakeGoogle(faults=lambda n: "503" if n > 3 else None) as google:
        route_to(monkeypatch, google)
        result = run(story, tmp_path / "audio", engine="auto", retry_seconds=0.5)
    assert result.engine == "piper"
    assert "gave up" in result.fallback_reason
    tags = ID3(str(result.mp3_path))
    assert str(tags["TXXX:DIGEST_ENGINE"]) == "piper"
    assert "gave up" in str(tags["TXXX:DIGEST_FALLBACK"])
    summary = result.summary()
    assert summary["engine"] == "piper" and json.dumps(summary)
