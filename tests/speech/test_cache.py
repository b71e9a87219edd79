import multiprocessing
import os

from pydub import AudioSegment

from digest.speech.cache import ClipCache, clip_key


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
