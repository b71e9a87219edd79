"""Output failures: an unusable folder, and a disk that fills up mid-episode."""

import errno
import hashlib
import subprocess
import uuid

import feedparser
import pytest

LONG_BODY = " ".join(f"Sentence number {n} of a story that is long enough to fill a small disk." for n in range(40))


def snapshot(folder):
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in folder.iterdir()}


def test_output_folder_under_a_file_is_refused(cli, tmp_path, article_file):
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("x")
    code, _, err = cli("make", article_file, "-o", blocker / "audio", "--engine", "gtts")
    assert code == 2 and err.count("\n") == 1 and "not writable" in err


def test_output_folder_that_is_a_file_is_refused(cli, tmp_path, article_file):
    blocker = tmp_path / "audio"
    blocker.write_text("x")
    code, _, err = cli("make", article_file, "-o", blocker, "--engine", "gtts")
    assert code == 2 and "is a file" in err and blocker.read_text() == "x"


@pytest.fixture
def small_disk(tmp_path):
    """A 400 kB tmpfs when this machine lets us mount one (root in CI), else None."""
    mountpoint = tmp_path / f"disk-{uuid.uuid4().hex[:6]}"
    mountpoint.mkdir()
    mounted = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=400k", "tmpfs", str(mountpoint)],
                             capture_output=True).returncode == 0
    yield mountpoint if mounted else None
    if mounted:
        subprocess.run(["umount", str(mountpoint)], check=True)


def test_a_full_disk_fails_cleanly_and_keeps_what_was_there(cli, tmp_path, monkeypatch, small_disk, fake_google):
    out = (small_disk or tmp_path / "disk") / "audio"
    first = tmp_path / "first.txt"
    first.write_text("Short one\n\nA few words.", encoding="utf-8")
    assert cli("make", first, "-o", out, "--engine", "gtts", "-q")[0] == 0
    before = snapshot(out)

    if small_disk is None:
        # No tmpfs here: make the final write of the episode fail the way a full disk does.
        import digest.fsutil

        def no_space(path):
            raise OSError(errno.ENOSPC, "No space left on device")

        monkeypatch.setattr(digest.fsutil, "_fsync", no_space)
    big = tmp_path / "big.txt"
    big.write_text(f"Long one\n\n{LONG_BODY}", encoding="utf-8")
    code, _, err = cli("make", big, "-o", out, "--engine", "gtts", "-q")
    assert code == 1
    assert err.count("\n") == 1 and "No space left on device" in err
    assert snapshot(out) == before
    assert len(feedparser.parse(str(out / "feed.xml")).entries) == 1
