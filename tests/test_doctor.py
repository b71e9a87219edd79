"""`digest doctor`: one line per check with OK, WARN or FAIL and the fix; exit 1 when make cannot work."""

from __future__ import annotations

import json
import os

import pytest

from digest.sound import ffmpeg
from tests.sound.test_ffmpeg import fake_ffmpeg


@pytest.fixture(autouse=True)
def no_explicit_ffmpeg(monkeypatch):
    monkeypatch.delenv(ffmpeg.ENV_VAR, raising=False)


def run_doctor(cli, *args):
    code, out, err = cli("doctor", "--json", *map(str, args))
    report = json.loads(out)
    return code, {check["name"]: check for check in report["checks"]}, report, err


def test_a_healthy_machine_is_all_ok_and_nothing_is_written(cli, tmp_path, fake_google):
    out = tmp_path / "audio"
    code, checks, report, _ = run_doctor(cli, "-o", out, "--cache-dir", tmp_path / "clips")
    assert code == 0 and report["can_make"] is True
    assert set(checks) == {"python", "packages", "ffmpeg", "google", "piper", "cache", "output"}
    assert {check["status"] for check in checks.values()} == {"OK"}, checks
    assert "Google TTS answered" in checks["google"]["detail"]
    assert "spoke a test word" in checks["piper"]["detail"]
    assert "gTTS " in checks["packages"]["detail"] and "piper-tts " in checks["packages"]["detail"]
    assert "measured, mastered and encoded a test tone" in checks["ffmpeg"]["detail"]
    assert not out.exists() and not (tmp_path / "clips").exists()


def test_the_text_report_has_a_line_per_check_and_a_verdict(cli, tmp_path):
    code, out, _ = cli("doctor", "-o", tmp_path / "audio", "--cache-dir", tmp_path / "clips")
    lines = out.splitlines()
    assert code == 0
    # No route to Google in tests: a warning with its fix, and make still works with Piper.
    google = next(index for index, line in enumerate(lines) if line.split()[1:2] == ["google"])
    assert lines[google].startswith("WARN  google   Google TTS is not reachable")
    assert lines[google + 1].strip().startswith("fix: ") and "offline Piper voice" in lines[google + 1]
    assert all(line.split()[0] in {"OK", "WARN", "FAIL", "fix:"} for line in lines[:-1])
    assert lines[-1] == "digest can make episodes here"


def test_a_broken_ffmpeg_on_path_is_reported_and_the_bundled_one_used(cli, tmp_path, monkeypatch):
    broken = fake_ffmpeg(tmp_path / "bin", work="fail")
    monkeypatch.setenv("PATH", f"{broken.parent}{os.pathsep}{os.environ['PATH']}")
    code, checks, _, _ = run_doctor(cli, "-o", tmp_path / "audio", "--cache-dir", tmp_path / "clips")
    found = checks["ffmpeg"]
    assert code == 0
    assert found["status"] == "WARN"
    assert "bundled with digest" in found["detail"]
    assert f"the ffmpeg on PATH failed digest's test run: ffmpeg could not measure loudness ({broken}" in found["detail"]
    assert "DIGEST_FFMPEG" in found["fix"]


def test_a_named_ffmpeg_that_cannot_work_fails_and_exits_1(cli, tmp_path, monkeypatch):
    old = fake_ffmpeg(tmp_path / "bin", "ffmpeg version 4.0.2", "56. 14.100")
    monkeypatch.setenv(ffmpeg.ENV_VAR, str(old))
    code, out, _ = cli("doctor", "-o", tmp_path / "audio", "--cache-dir", tmp_path / "clips")
    assert code == 1
    line = next(line for line in out.splitlines() if line.startswith("FAIL  ffmpeg"))
    assert f"ffmpeg {old} is 4.0 (4.0.2); digest needs 4.2 or newer" in line
    assert "fix: point DIGEST_FFMPEG" in out
    assert out.splitlines()[-1] == "digest cannot make episodes here until the FAIL lines are fixed"


def test_a_broken_settings_file_and_a_cache_that_is_a_file_fail(cli, tmp_path):
    out = tmp_path / "audio"
    out.mkdir()
    (out / "digest.toml").write_text("title = [unclosed\n")
    (tmp_path / "clips").write_text("not a folder")
    code, checks, report, _ = run_doctor(cli, "-o", out, "--cache-dir", tmp_path / "clips")
    assert code == 1 and report["can_make"] is False
    assert checks["output"]["status"] == "FAIL" and "not valid TOML" in checks["output"]["detail"]
    assert checks["cache"]["status"] == "FAIL" and "is a file" in checks["cache"]["detail"]
    assert (out / "digest.toml").read_text() == "title = [unclosed\n"


def test_a_feed_that_fails_the_check_is_a_warning_with_the_fix(cli, tmp_path, published):
    copy = published.copy(tmp_path / "show")
    published_mp3 = copy.mp3
    published_mp3.unlink()  # the feed now links an episode that is gone
    code, checks, _, _ = run_doctor(cli, "-o", copy.folder, "--cache-dir", tmp_path / "clips")
    assert code == 0
    assert checks["output"]["status"] == "WARN"
    assert "feed.xml has" in checks["output"]["detail"] and "digest feed" in checks["output"]["fix"]


def test_no_voice_at_all_fails(cli, tmp_path, monkeypatch):
    from digest.speech.engines import piper_engine

    monkeypatch.setattr(piper_engine, "default_model", lambda: tmp_path / "gone.onnx")
    code, checks, _, _ = run_doctor(cli, "-o", tmp_path / "audio", "--cache-dir", tmp_path / "clips")
    assert code == 1  # Google unreachable in tests and no Piper voice: nothing can speak
    assert checks["piper"]["status"] == "FAIL" and "gone.onnx does not exist" in checks["piper"]["detail"]
    assert checks["google"]["status"] == "FAIL"
