"""An output folder may hold what others put there: links to devices, FIFOs, huge names.
digest reads only plain files of sane sizes from it, never hangs on one, and never follows a
link out of it."""

from __future__ import annotations

import os
import subprocess
import sys
import threading
import time

import pytest

HANG_LIMIT = 30  # seconds; a hang is what these tests catch
MEMORY_LIMIT = 500 * 1024 * 1024


def digest(*args, cwd=None) -> subprocess.CompletedProcess:
    """Run digest in a child with a deadline; report how long it took and its peak memory.

    The peak is this child's own (os.wait4), not RUSAGE_CHILDREN's largest child so far, which
    would blame it for whatever ran before it in the same pytest process (a Piper run).
    """
    started = time.monotonic()
    process = subprocess.Popen([sys.executable, "-m", "digest", *map(str, args)], stdout=subprocess.PIPE,
                               stderr=subprocess.PIPE, text=True, cwd=cwd)
    hung = threading.Timer(HANG_LIMIT, process.kill)
    hung.start()
    output: dict[str, str] = {}
    readers = [threading.Thread(target=lambda name, stream: output.__setitem__(name, stream.read()), args=pair)
               for pair in (("out", process.stdout), ("err", process.stderr))]
    for reader in readers:
        reader.start()
    for reader in readers:
        reader.join()
    _, status, usage = os.wait4(process.pid, 0)
    process.returncode = os.waitstatus_to_exitcode(status)
    if not hung.is_alive():
        raise subprocess.TimeoutExpired(process.args, HANG_LIMIT)
    hung.cancel()
    result = subprocess.CompletedProcess(process.args, process.returncode, output["out"], output["err"])
    result.seconds = time.monotonic() - started
    result.peak = usage.ru_maxrss * 1024
    return result


def one_line(err: str) -> str:
    lines = [line for line in err.splitlines() if line.strip()]
    assert len(lines) == 1, err
    return lines[0]


@pytest.mark.parametrize("kind", ["link to /dev/zero", "fifo"])
def test_a_feed_that_is_a_device_or_fifo_is_moved_aside_unread(tmp_path, published, kind):
    copy = published.copy(tmp_path)
    feed = copy.folder / "feed.xml"
    feed.unlink()
    if kind == "fifo":
        os.mkfifo(feed)
    else:
        feed.symlink_to("/dev/zero")
    result = digest("feed", "-o", copy.folder)
    assert result.returncode == 0, result.stderr
    assert result.peak < MEMORY_LIMIT
    [aside] = copy.folder.glob("feed.xml.broken-*")
    assert aside.is_symlink() if kind != "fifo" else aside.is_fifo()
    assert (copy.folder / "feed.xml").read_text(encoding="utf-8").startswith("<?xml")
    assert "was not a readable feed" in result.stderr


def test_a_transcript_that_is_a_fifo_does_not_hang_the_feed(tmp_path, published):
    copy = published.copy(tmp_path)
    vtt = copy.sidecar(".vtt")
    vtt.unlink()
    os.mkfifo(vtt)
    result = digest("feed", "-o", copy.folder)
    assert result.returncode == 0, result.stderr
    assert vtt.name not in (copy.folder / "feed.xml").read_text(encoding="utf-8")
    check = digest("feed", "--check", "-o", copy.folder)
    assert check.returncode == 1 and "missing" in check.stdout


def test_a_cover_setting_that_is_a_link_is_one_clear_error(tmp_path, article_file):
    out = tmp_path / "audio"
    out.mkdir()
    (out / "art.png").symlink_to("/dev/zero")
    (out / "digest.toml").write_text('cover = "art.png"\n', encoding="utf-8")
    result = digest("make", article_file, "-o", out, "--engine", "piper", "-q")
    assert result.returncode == 2
    assert one_line(result.stderr) == f"digest: error: cover {out / 'art.png'} is a link; digest reads only plain files there"
    assert result.peak < MEMORY_LIMIT


def test_settings_that_are_a_fifo_are_one_clear_error(tmp_path, article_file):
    out = tmp_path / "audio"
    out.mkdir()
    os.mkfifo(out / "digest.toml")
    result = digest("make", article_file, "-o", out, "--engine", "piper", "-q")
    assert result.returncode == 2
    assert one_line(result.stderr) == f"digest: error: settings file {out / 'digest.toml'} is not a plain file"


def test_a_huge_cover_given_with_cover_is_refused_before_it_is_read_whole(tmp_path, article_file):
    huge = tmp_path / "huge.png"
    with huge.open("wb") as handle:
        handle.truncate(200 * 1024 * 1024)  # sparse: costs no disk
    result = digest("make", article_file, "-o", tmp_path / "audio", "--engine", "piper", "-q", "--cover", huge)
    assert result.returncode == 2
    assert one_line(result.stderr) == f"digest: error: cover {huge} is larger than 20 MB"


def test_a_very_long_programme_name_draws_its_cover_at_once():
    from digest.publish.cover import default_cover

    for name in ("A" * 3000, " ".join(["word"] * 3000), "Digest"):
        started = time.monotonic()
        assert default_cover(name).startswith(b"\x89PNG")
        assert time.monotonic() - started < 2, len(name)


def test_a_truncated_cover_is_refused_before_any_speech_and_not_remembered(tmp_path, article_file, cli):
    import io

    from PIL import Image

    buffer = io.BytesIO()
    Image.effect_noise((1400, 1400), 60).convert("RGB").save(buffer, format="PNG")
    cut = tmp_path / "cut.png"
    cut.write_bytes(buffer.getvalue()[: len(buffer.getvalue()) // 2])
    out = tmp_path / "audio"
    code, _, err = cli("make", article_file, "-o", out, "--engine", "piper", "-q", "--cover", cut)
    assert code == 2
    assert one_line(err) == f"digest: error: cover {cut} is damaged: its image data is cut short or unreadable"
    assert not (out / "digest.toml").exists() or "cut.png" not in (out / "digest.toml").read_text()


def test_control_characters_in_settings_are_one_clear_error(tmp_path, article_file, cli):
    out = tmp_path / "audio"
    out.mkdir()
    (out / "digest.toml").write_text('title = "Harbour\\u0007 News"\n', encoding="utf-8")
    code, _, err = cli("make", article_file, "-o", out, "--engine", "piper", "-q")
    assert code == 2
    assert one_line(err) == "digest: error: digest.toml: title contains control characters; remove them"


def test_control_characters_in_an_mp3s_guid_do_not_break_the_feed(tmp_path, published, cli):
    from mutagen.id3 import ID3

    copy = published.copy(tmp_path)
    tags = ID3(str(copy.mp3))
    for frame in tags.getall("TXXX"):
        if frame.desc == "DIGEST_GUID":
            frame.text = ["guid\x01with\x1bcontrols"]
    tags.save(str(copy.mp3), v2_version=4)
    code, _, err = cli("feed", "-o", copy.folder)
    assert code == 0, err
    assert "<guid isPermaLink=\"false\">guidwithcontrols</guid>" in (copy.folder / "feed.xml").read_text()
