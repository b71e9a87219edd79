"""Choosing and running ffmpeg: explicit choices refused with a reason, a bad PATH ffmpeg passed
over for the bundled one, errors that name the step, and the same episode from every ffmpeg."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from mutagen.mp3 import MP3

from digest.publish.tags import has_xing_header
from digest.sound import ffmpeg
from digest.sound.ffmpeg import first_error_line, probe
from digest.sound.loudness import measure_file

REAL = ffmpeg.bundled_path()
ALL_FILTERS = " ".join(ffmpeg.REQUIRED_FILTERS)


def fake_ffmpeg(folder: Path, banner: str = "ffmpeg version 6.1.1-3ubuntu5", libavutil: str = "58. 29.100",
                filters: str = ALL_FILTERS, encoders: str = "libmp3lame", work: str = "real") -> Path:
    """An `ffmpeg` script that answers the probe as told and, for real work, either runs the real
    ffmpeg (work="real") or fails the way ffmpeg 5.1 failed on an option it lacks (work="fail")."""
    folder.mkdir(parents=True, exist_ok=True)
    script = folder / "ffmpeg"
    filter_lines = "\n".join(f" ... {name}  A->A  a filter" for name in filters.split())
    encoder_lines = "\n".join(f" A..... {name}  an encoder" for name in encoders.split())
    failure = ('echo "[Parsed_ebur128_0 @ 0x55d0c3a1b2c0] Error setting option framelog to value quiet." >&2\n'
               'echo "Error initializing complex filters." >&2\necho "Conversion failed!" >&2\nexit 1')
    script.write_text(f"""#!/bin/sh
echo "$*" >> "{folder}/calls.log"
case "$2" in
  -version) printf '%s\\n' "{banner} Copyright (c) the FFmpeg developers" "libavutil      {libavutil} / {libavutil}"; exit 0;;
  -filters) printf '%s\\n' "Filters:" " T.. = Timeline support" " ------" "{filter_lines}"; exit 0;;
  -encoders) printf '%s\\n' "Encoders:" " ------" "{encoder_lines}"; exit 0;;
esac
{f'exec "{REAL}" "$@"' if work == "real" else failure}
""")
    script.chmod(0o755)
    return script


def work_calls(script: Path) -> int:
    log = script.parent / "calls.log"
    lines = log.read_text().splitlines() if log.exists() else []
    return sum(1 for line in lines if not line.endswith(("-version", "-filters", "-encoders")))


@pytest.fixture
def path_with(monkeypatch):
    def put_first(folder: Path) -> None:
        monkeypatch.setenv("PATH", f"{folder}{os.pathsep}{os.environ['PATH']}")

    return put_first


@pytest.fixture(autouse=True)
def no_explicit_ffmpeg(monkeypatch):
    monkeypatch.delenv(ffmpeg.ENV_VAR, raising=False)


@pytest.mark.parametrize("banner, libavutil, release", [
    ("ffmpeg version 4.2.2-static", "56. 31.100", (4, 2)),
    ("ffmpeg version 5.1.9-0+deb12u1", "57. 28.100", (5, 1)),
    ("ffmpeg version n7.1", "59. 39.100", (7, 1)),
    # git snapshots carry no release number: the libavutil they ship tells it.
    ("ffmpeg version N-113290-g7a2b", "58. 29.100", (6, 1)),
    ("ffmpeg version N-90000-gdeadbeef", "56. 31.100", (4, 2)),
])
def test_the_release_is_read_from_the_banner_or_the_libraries(tmp_path, banner, libavutil, release):
    found = probe(str(fake_ffmpeg(tmp_path, banner, libavutil)))
    assert found.release == release
    assert found.missing == ()


def test_filters_and_encoders_a_build_lacks_are_listed(tmp_path):
    found = probe(str(fake_ffmpeg(tmp_path, filters="volume aresample atempo aselect ebur128", encoders="aac")))
    assert set(found.missing) == {"acompressor", "alimiter", "libmp3lame"}


def _error_line(err: str) -> str:
    lines = [line for line in err.splitlines() if line.strip()]
    assert len(lines) == 1, err
    return lines[0]


@pytest.mark.parametrize("kind, expected", [
    ("missing", r"ffmpeg {path} does not exist"),
    ("folder", r"ffmpeg {path} is not an executable program"),
    ("not ffmpeg", r"{path} is not ffmpeg: `-version` printed 'Usage: convert \[options\]'"),
    ("too old", r"ffmpeg {path} is 4\.1 \(4\.1\.11-0\+deb10u1\); digest needs 4\.2 or newer"),
    ("git too old", r"ffmpeg {path} is 4\.0 \(N-89000-gabc\); digest needs 4\.2 or newer"),
    ("no lame", r"ffmpeg {path} \(6\.1\.1-3ubuntu5\), named by DIGEST_FFMPEG, lacks libmp3lame"),
])
def test_digest_ffmpeg_is_refused_with_one_line_naming_it(cli, tmp_path, article_file, monkeypatch, kind, expected):
    import re

    target = tmp_path / "bin" / "ffmpeg"
    if kind == "folder":
        target.mkdir(parents=True)
    elif kind == "not ffmpeg":
        target.parent.mkdir()
        target.write_text("#!/bin/sh\necho 'Usage: convert [options]'\n")
        target.chmod(0o755)
    elif kind == "too old":
        target = fake_ffmpeg(target.parent, "ffmpeg version 4.1.11-0+deb10u1", "56. 22.100")
    elif kind == "git too old":
        target = fake_ffmpeg(target.parent, "ffmpeg version N-89000-gabc", "56. 14.100")
    elif kind == "no lame":
        target = fake_ffmpeg(target.parent, encoders="aac libopus")
    monkeypatch.setenv(ffmpeg.ENV_VAR, str(target))
    out = tmp_path / "audio"
    code, _, err = cli("make", article_file, "-o", out, "--engine", "piper", "-q")
    assert code == 2
    line = _error_line(err)
    assert re.fullmatch("digest: error: " + expected.format(path=re.escape(str(target))) + ".*", line), line
    assert not list(out.glob("*.mp3"))


def test_the_folder_setting_picks_an_ffmpeg_and_a_bad_one_is_refused(cli, tmp_path, article_file):
    out = tmp_path / "audio"
    out.mkdir()
    chosen = fake_ffmpeg(tmp_path / "mine")
    (out / "digest.toml").write_text(f'ffmpeg = "{chosen}"\n')
    code, _, err = cli("make", article_file, "-o", out, "--engine", "piper", "-q")
    assert code == 0, err
    assert work_calls(chosen) >= 3  # the test run, then the episode's measurements and encode
    (out / "digest.toml").write_text('ffmpeg = "tools/ffmpeg-nowhere"\n')
    code, _, err = cli("make", article_file, "-o", out, "--engine", "piper", "-q", "--force")
    assert code == 2
    assert _error_line(err) == f"digest: error: ffmpeg {out / 'tools/ffmpeg-nowhere'} does not exist"


def test_an_old_ffmpeg_on_path_is_passed_over_for_the_bundled_one_with_one_line(cli, tmp_path, article_file,
                                                                                  path_with):
    old = fake_ffmpeg(tmp_path / "bin", "ffmpeg version 3.4.8-0ubuntu0.2", "55. 78.100")
    path_with(old.parent)
    code, out, err = cli("make", article_file, "-o", tmp_path / "audio", "--engine", "piper", "-q")
    assert code == 0, err
    assert work_calls(old) == 0
    assert _error_line(err) == (f"digest: warning: using the bundled ffmpeg {probe(REAL).version}: the ffmpeg on "
                                f"PATH cannot be used: ffmpeg {old} is 3.4 (3.4.8-0ubuntu0.2); digest needs 4.2 "
                                f"or newer")
    assert has_xing_header(next((tmp_path / "audio").glob("*.mp3")))


def test_a_path_ffmpeg_lacking_a_filter_is_passed_over(cli, tmp_path, article_file, path_with):
    stripped = fake_ffmpeg(tmp_path / "bin", filters="volume aresample atempo aselect acompressor ebur128")
    path_with(stripped.parent)
    code, _, err = cli("make", article_file, "-o", tmp_path / "audio", "--engine", "piper", "-q")
    assert code == 0, err
    assert "lacks alimiter" in _error_line(err)
    assert work_calls(stripped) == 0


def test_a_path_ffmpeg_that_fails_the_test_run_is_passed_over_and_the_verdict_remembered(tmp_path, article_file,
                                                                                        path_with):
    broken = fake_ffmpeg(tmp_path / "bin", work="fail")
    env = {**os.environ, "PATH": f"{broken.parent}{os.pathsep}{os.environ['PATH']}",
           "XDG_CACHE_HOME": str(tmp_path / "cache")}

    def make(*extra: str) -> subprocess.CompletedProcess:
        return subprocess.run([sys.executable, "-m", "digest", "make", str(article_file), "-o", str(tmp_path / "a"),
                               "--engine", "piper", "-q", *extra], capture_output=True, text=True, env=env)

    first = make()
    assert first.returncode == 0, first.stderr
    line = _error_line(first.stderr)
    assert line.startswith("digest: warning: using the bundled ffmpeg")
    # The reason names the step, the binary, its version and ffmpeg's first error, not its last.
    assert (f"failed digest's test run: ffmpeg could not measure loudness ({broken}, version 6.1.1-3ubuntu5): "
            f"ebur128: Error setting option framelog to value quiet.") in line
    assert "Conversion failed" not in line
    assert work_calls(broken) == 1
    second = make("--force")
    assert second.returncode == 0 and "using the bundled ffmpeg" in second.stderr
    assert work_calls(broken) == 1  # the verdict was remembered, not tested again
    remembered = json.loads((tmp_path / "cache" / "digest" / "ffmpeg-checks.json").read_text())
    assert any(key.startswith(f"{broken}|") and "framelog" in value for key, value in remembered["tests"].items())
    assert any(key.startswith(f"{broken}|") and value["version"] == "6.1.1-3ubuntu5"
               for key, value in remembered["probes"].items())


@pytest.mark.parametrize("failing, said", [
    # Its libraries half-upgraded by apt while digest started: it runs, prints nothing, exits 127.
    ("version", "did not say its version (ffmpeg: error while loading shared libraries: libavdevice.so.59"),
    # Killed mid-test (the OOM killer): the test run's verdict is not the binary's.
    ("work", "failed digest's test run: ffmpeg could not measure loudness"),
])
def test_a_path_ffmpeg_failing_once_is_asked_again_next_run_not_passed_over_for_good(tmp_path, article_file,
                                                                                     failing, said):
    flaky = fake_ffmpeg(tmp_path / "bin")
    marker = tmp_path / "failing-now"
    marker.touch()
    failure = {"version": ('[ "$2" = -version ] && { echo "ffmpeg: error while loading shared libraries: '
                           'libavdevice.so.59: cannot open shared object file" >&2; exit 127; }'),
               "work": 'case "$2" in -version|-filters|-encoders) ;; *) kill -9 $$;; esac'}[failing]
    lines = flaky.read_text().splitlines()
    lines.insert(1, f'[ -e "{marker}" ] && {{ {failure}; }}')
    flaky.write_text("\n".join(lines) + "\n")
    env = {**os.environ, "PATH": f"{flaky.parent}{os.pathsep}{os.environ['PATH']}",
           "XDG_CACHE_HOME": str(tmp_path / "cache")}

    def make() -> subprocess.CompletedProcess:
        return subprocess.run([sys.executable, "-m", "digest", "make", str(article_file), "-o", str(tmp_path / "a"),
                               "--engine", "piper", "-q", "--force"], capture_output=True, text=True, env=env)

    first = make()
    assert first.returncode == 0, first.stderr
    line = _error_line(first.stderr)
    assert line.startswith("digest: warning: using the bundled ffmpeg") and said in line, line
    marker.unlink()  # the upgrade finished; memory is back
    calls_before = work_calls(flaky)
    second = make()
    assert (second.returncode, second.stderr) == (0, "")
    assert work_calls(flaky) > calls_before  # this time it made the episode


def test_a_named_ffmpeg_that_fails_its_test_run_is_refused_before_any_speech(cli, tmp_path, article_file,
                                                                              monkeypatch):
    broken = fake_ffmpeg(tmp_path / "bin", work="fail")
    monkeypatch.setenv(ffmpeg.ENV_VAR, str(broken))
    code, _, err = cli("make", article_file, "-o", tmp_path / "audio", "--engine", "piper", "-q")
    assert code == 2
    assert _error_line(err) == (
        f"digest: error: ffmpeg {broken}, named by DIGEST_FFMPEG, failed digest's test run: ffmpeg could not "
        f"measure loudness ({broken}, version 6.1.1-3ubuntu5): ebur128: Error setting option framelog to value quiet.")


def test_a_step_that_fails_mid_run_names_the_step_binary_version_and_first_error(tmp_path, monkeypatch):
    from digest.errors import DigestError
    from digest.sound.stitch import encode

    monkeypatch.setenv(ffmpeg.ENV_VAR, REAL)
    spool = tmp_path / "episode.pcm"
    spool.write_bytes(b"\x10\x20" * 24000)
    with pytest.raises(DigestError) as failure:
        encode(spool, tmp_path / "no-such-folder" / "episode.mp3")
    message = str(failure.value)
    assert message.startswith(f"ffmpeg could not master and encode the episode ({REAL}, version {probe(REAL).version}): ")
    assert "No such file or directory" in message


@pytest.mark.parametrize("stderr, expected", [
    ("[Parsed_ebur128_0 @ 0x55d0c3a1b2c0] Error setting option framelog to value quiet.\n"
     "[AVFilterGraph @ 0x55d0c3a1a100] Error initializing filter 'ebur128' with args 'framelog=quiet'\n"
     "Error reinitializing filters!\nFailed to inject frame into filter network: Option not found\n"
     "Error while processing the decoded data for stream #0:0\nConversion failed!\n",
     "ebur128: Error setting option framelog to value quiet."),
    ("Input #0, s16le, from 'x.pcm':\n  Duration: 00:00:01.00, bitrate: 384 kb/s\n"
     "[AVFilterGraph @ 0x1f2e3d] No such filter: 'alimiter'\nError initializing complex filters.\n"
     "Invalid argument\n", "AVFilterGraph: No such filter: 'alimiter'"),
    ("Unknown encoder 'libmp3lame'\n", "Unknown encoder 'libmp3lame'"),
    ("Input #0\nsomething odd happened\n", "something odd happened"),
    ("", ""),
])
def test_the_first_error_line_is_the_one_that_explains(stderr, expected):
    assert first_error_line(stderr) == expected


def _reference_loudness(mp3: Path):
    # One meter for every episode: the bundled ffmpeg measures what each ffmpeg made.
    with ffmpeg.trying(probe(REAL)):
        return measure_file(mp3)


def _ffmpegs_to_compare() -> list[str]:
    """The bundled ffmpeg, the one on PATH, and those named in DIGEST_TEST_FFMPEGS (CI adds 4.2)."""
    named = [path for path in os.environ.get("DIGEST_TEST_FFMPEGS", "").split(os.pathsep) if path]
    found = [REAL, *([ffmpeg.path_ffmpeg()] if ffmpeg.path_ffmpeg() else [])]
    return list(dict.fromkeys([*found, *named]))


@pytest.mark.slow
def test_every_ffmpeg_at_hand_makes_the_same_episode_to_the_same_targets(cli, tmp_path, monkeypatch):
    from digest.samples import sample_path

    results = {}
    cache = tmp_path / "clips"
    for index, binary in enumerate(_ffmpegs_to_compare()):
        monkeypatch.setenv(ffmpeg.ENV_VAR, binary)
        out = tmp_path / f"audio{index}"
        code, _, err = cli("make", sample_path(""), "-o", out, "--engine", "piper", "--speed", "1.25",
                           "--chime", "--date", "2024-05-01", "--cache-dir", cache, "-q")
        assert code == 0, f"{binary}: {err}"
        mp3 = next(out.glob("*.mp3"))
        loudness = _reference_loudness(mp3)
        assert abs(loudness.integrated - -16.0) <= 1.0, (binary, loudness)
        assert loudness.true_peak <= -1.5, (binary, loudness)
        assert has_xing_header(mp3), binary
        cues = [line.split(" --> ") for line in mp3.with_suffix(".vtt").read_text().splitlines() if " --> " in line]
        chapters = json.loads(mp3.with_suffix(".chapters.json").read_text())["chapters"]
        length = MP3(mp3).info.length
        assert _seconds(cues[-1][1]) <= length + 0.05, binary  # the last words are in the file
        results[binary] = ([_seconds(start) for start, _ in cues], [c["startTime"] for c in chapters], length)
    first_cues, first_chapters, first_length = next(iter(results.values()))
    assert len(first_cues) > 10 and len(first_chapters) >= 2
    for binary, (cues, chapters, length) in results.items():
        assert len(cues) == len(first_cues) and len(chapters) == len(first_chapters), binary
        assert max(abs(a - b) for a, b in zip(cues, first_cues)) <= 0.05, binary
        assert max(abs(a - b) for a, b in zip(chapters, first_chapters)) <= 0.05, binary
        assert abs(length - first_length) <= 0.05, (binary, length, first_length)


def _seconds(stamp: str) -> float:
    hours, minutes, seconds = stamp.strip().split(" ")[0].split(":")
    return int(hours) * 3600 + int(minutes) * 60 + float(seconds)
