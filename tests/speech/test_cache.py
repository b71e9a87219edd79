import multiprocessing
import os
import time

import pytest
from pydub import AudioSegment

from digest.errors import InputError
from digest.speech.cache import DEFAULT_CACHE_MAX, ClipCache, cache_limit, clip_key, parse_size


def segment(value: int, milliseconds: int = 200) -> AudioSegment:
    frames = 24 * milliseconds
    return AudioSegment(data=value.to_bytes(2, "little", signed=True) * frames, sample_width=2,
                        frame_rate=24000, channels=1)


def test_miss_then_hit(tmp_path):
    cache = ClipCache(tmp_path)
    key = clip_key("gtts|en|com|normal", "Hello.", "pcm")
    assert cache.get(key) is None
    cache.put(key, segment(1000))
    assert cache.get(key).raw_data == segment(1000).raw_data
    assert cache.stats().entries == 1


def test_key_covers_engine_voice_and_text():
    keys = {
        clip_key("gtts|en|com|normal", "Hello.", "pcm"),
        clip_key("gtts|en|co.uk|normal", "Hello.", "pcm"),
        clip_key("gtts|en|com|slow", "Hello.", "pcm"),
        clip_key("gtts|fr|com|normal", "Hello.", "pcm"),
        clip_key("piper|en_US-joe-medium.onnx|63201294", "Hello.", "pcm"),
        clip_key("gtts|en|com|normal", "Hello!", "pcm"),
    }
    assert len(keys) == 6


def test_damaged_entry_is_a_miss(tmp_path):
    cache = ClipCache(tmp_path)
    key = clip_key("x", "y", "pcm")
    cache.put(key, segment(5))
    path = next(tmp_path.glob("*/*.wav"))
    path.write_bytes(path.read_bytes()[:20])
    assert cache.get(key) is None


def test_clear(tmp_path):
    cache = ClipCache(tmp_path)
    for n in range(3):
        cache.put(clip_key("x", str(n), "pcm"), segment(n))
    assert cache.clear() == 3 and cache.stats().entries == 0


def _hammer(root: str, worker: int, rounds: int) -> None:
    cache = ClipCache(root)
    for round_ in range(rounds):
        for n in range(5):
            # Same key, same content from every process: the way two runs of one article race.
            cache.put(clip_key("race", str(n), "pcm"), segment(n * 100 + 1, 300))
        # Readers in the middle of the race must see whole entries or none.
        for n in range(5):
            got = cache.get(clip_key("race", str(n), "pcm"))
            assert got is None or got.raw_data == segment(n * 100 + 1, 300).raw_data


def test_two_processes_writing_the_same_entries_never_corrupt_them(tmp_path):
    context = multiprocessing.get_context("spawn")
    workers = [context.Process(target=_hammer, args=(str(tmp_path), w, 40)) for w in range(2)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(60)
    assert [w.exitcode for w in workers] == [0, 0]
    cache = ClipCache(tmp_path)
    for n in range(5):
        assert cache.get(clip_key("race", str(n), "pcm")).raw_data == segment(n * 100 + 1, 300).raw_data
    leftovers = [p for p in tmp_path.rglob("*") if p.is_file() and p.name.startswith(".tmp-")]
    assert leftovers == []
    assert sorted(os.listdir(tmp_path)) == sorted({clip_key("race", str(n), "pcm")[:2] for n in range(5)})


# -- size limit, LRU and claims --



@pytest.mark.parametrize("text, size", [
    ("200MB", 200_000_000), ("1G", 1_000_000_000), ("500M", 500_000_000), ("123456", 123_456),
    ("1.5gb", 1_500_000_000), ("2 GiB", 2 * 2**30), ("64k", 64_000), ("0", 0),
])
def test_parse_size(text, size):
    assert parse_size(text) == size


@pytest.mark.parametrize("text", ["", "lots", "-5MB", "5 XB", "1e9", "MB"])
def test_parse_size_refuses_what_is_not_a_size(text):
    with pytest.raises(InputError, match="not a size"):
        parse_size(text)


def test_limit_comes_from_the_flag_then_the_environment_then_a_setting(monkeypatch):
    monkeypatch.delenv("DIGEST_CACHE_MAX", raising=False)
    assert cache_limit() == (DEFAULT_CACHE_MAX, "default")
    assert cache_limit(setting=7) == (7, "setting")
    monkeypatch.setenv("DIGEST_CACHE_MAX", "2MB")
    assert cache_limit(setting=7) == (2_000_000, "DIGEST_CACHE_MAX")
    assert cache_limit(5, setting=7) == (5, "--cache-max")
    monkeypatch.setenv("DIGEST_CACHE_MAX", "big")
    with pytest.raises(InputError, match="DIGEST_CACHE_MAX"):
        cache_limit()


def _filled(root, count, age_step=60.0):
    """`count` one-size clips, clip 0 used longest ago; returns (cache, keys, bytes per clip)."""
    cache = ClipCache(root)
    keys = [clip_key("x", str(n), "pcm") for n in range(count)]
    now = time.time()
    for n, key in enumerate(keys):
        cache.put(key, segment(n + 1))
        stamp = now - (count - n) * age_step
        os.utime(cache._path(key), (stamp, stamp))
    return cache, keys, cache.stats().bytes // count


def test_prune_removes_the_least_recently_used_until_under_the_limit(tmp_path):
    cache, keys, each = _filled(tmp_path, 6)
    assert cache.get(keys[0]) is not None  # a hit makes clip 0 the most recently used
    report = ClipCache(tmp_path).prune(max_bytes=3 * each)
    assert (report.removed, report.entries, report.bytes) == (3, 3, 3 * each)
    assert [cache.get(key) is not None for key in keys] == [True, False, False, False, True, True]


def test_prune_older_than_days_only_removes_old_clips(tmp_path):
    cache, keys, _ = _filled(tmp_path, 4, age_step=86400)  # used 4, 3, 2 and 1 days ago
    report = ClipCache(tmp_path).prune(older_than_days=2.5)
    assert report.removed == 2
    assert [cache.get(key) is not None for key in keys] == [False, False, True, True]


def test_prune_never_removes_clips_this_run_claimed_even_over_the_limit(tmp_path):
    cache, keys, each = _filled(tmp_path, 4)
    cache.claim(keys[:3])  # the three oldest
    report = cache.prune(max_bytes=each)
    assert report.removed == 1 and report.in_use_bytes == report.bytes == 3 * each
    assert [cache.get(key) is not None for key in keys] == [True, True, True, False]
    cache.release()
    assert cache.prune(max_bytes=each).entries == 1
    assert not list((tmp_path / ".runs").glob("*.keys"))


def _claim_and_wait(root: str, keys: list[str], ready, stop: str) -> None:
    cache = ClipCache(root)
    cache.claim(keys)
    ready.set()
    # Polls a file rather than waiting on an Event: a process killed while waiting on one
    # leaves the parent's set() hanging.
    deadline = time.monotonic() + 30
    while not os.path.exists(stop) and time.monotonic() < deadline:
        time.sleep(0.02)
    cache.release()


def test_prune_keeps_clips_another_process_claimed_and_forgets_a_killed_one(tmp_path):
    cache, keys, each = _filled(tmp_path, 4)
    context = multiprocessing.get_context("spawn")
    ready, stop = context.Event(), tmp_path / "stop"
    other = context.Process(target=_claim_and_wait, args=(str(tmp_path), keys[:2], ready, str(stop)))
    other.start()
    try:
        assert ready.wait(30)
        assert ClipCache(tmp_path).prune(max_bytes=0).removed == 2
        assert [cache.get(key) is not None for key in keys] == [True, True, False, False]
        other.kill()  # dies holding its claim: the OS drops its lock, the marker is stale
        other.join(30)
        report = ClipCache(tmp_path).prune(max_bytes=0)
        assert report.removed == 2 and report.entries == 0
        assert list((tmp_path / ".runs").iterdir()) == []
    finally:
        stop.touch()
        other.join(30)


def test_prune_sweeps_temporary_files_of_killed_writes(tmp_path):
    cache, _, _ = _filled(tmp_path, 1)
    folder = next(p for p in tmp_path.iterdir() if p.name != ".runs" and p.is_dir())
    old, new = folder / ".tmp-old.wav", folder / ".tmp-new.wav"
    old.write_bytes(b"x")
    new.write_bytes(b"x")
    os.utime(old, (time.time() - 7200,) * 2)
    cache.prune(max_bytes=10**9)
    assert (old.exists(), new.exists()) == (False, True)


def test_the_first_writer_of_a_clip_wins_unless_its_entry_is_damaged(tmp_path):
    """Two processes that synthesized the same line at once both stitch the clip that stays."""
    cache, key = ClipCache(tmp_path), "ab" + "0" * 62
    cache.put(key, segment(100))
    cache.put(key, segment(200))  # the second rendition of the same line is dropped
    assert cache.get(key).raw_data == segment(100).raw_data
    cache._path(key).write_bytes(b"not a wav")
    cache.put(key, segment(300))
    assert cache.get(key).raw_data == segment(300).raw_data
    assert [p.name for p in cache._path(key).parent.iterdir()] == [f"{key}.wav"]  # no temporary files left
