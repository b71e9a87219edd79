"""The clip cache under a size limit across whole `make` runs, and runs sharing one cache."""

import json
import threading

from digest.make import MakeOptions, make
from digest.speech.cache import ClipCache

WORDS = "harbour ferry storm captain tide pier crane market council bridge river school".split()


def _article(folder, n):
    path = folder / f"story{n}.txt"
    paragraphs = [f"Story {n}, part {p}: the {WORDS[(n + p) % 12]} and the {WORDS[(n * 3 + p) % 12]} "
                  f"were in the news on day {n * 10 + p}." for p in range(4)]
    path.write_text(f"Story number {n}\n\n" + "\n\n".join(paragraphs) + "\n", encoding="utf-8")
    return path


def _make(cli, *argv):
    code, out, err = cli("make", *argv, "--engine", "gtts", "--json", "-q")
    assert code == 0, err
    return json.loads(out), err


def test_episodes_totalling_three_times_the_limit_leave_the_cache_under_it(cli, tmp_path, fake_google):
    cache_dir = tmp_path / "clips"
    articles = [_article(tmp_path, n) for n in range(4)]
    first, _ = _make(cli, articles[0], "-o", tmp_path / "audio", "--cache-dir", cache_dir)
    one_episode = ClipCache(cache_dir).stats().bytes
    limit = int(one_episode * 1.4)  # room for one episode and a bit: four episodes are ~3x it
    made = one_episode
    for article in articles[1:]:
        _, err = _make(cli, article, "-o", tmp_path / "audio", "--cache-dir", cache_dir, "--cache-max", str(limit))
        made += ClipCache(cache_dir).stats().bytes  # upper bound of what this run added
        assert ClipCache(cache_dir).stats().bytes <= limit
        assert "over its" not in err
    assert made >= 3 * limit * 0.9 and ClipCache(cache_dir).stats().bytes <= limit
    before = fake_google.count
    again, _ = _make(cli, articles[-1], "-o", tmp_path / "audio", "--cache-dir", cache_dir,
                     "--cache-max", str(limit), "--force")
    assert again["tts_requests"] == 0 and fake_google.count == before and again["cache_hits"] == again["clips"]
    # The first episode's own clips (not its intro and outro, shared by all) were pruned.
    rerun, _ = _make(cli, articles[0], "-o", tmp_path / "audio", "--cache-dir", cache_dir, "--cache-max", str(limit))
    assert 0 < rerun["tts_requests"] < first["clips"]


def test_a_run_whose_clips_exceed_the_limit_keeps_them_and_warns(cli, tmp_path, fake_google):
    cache_dir = tmp_path / "clips"
    result, err = _make(cli, _article(tmp_path, 0), "-o", tmp_path / "audio", "--cache-dir", cache_dir,
                        "--cache-max", "1000")
    assert ClipCache(cache_dir).stats().entries == result["clips"]
    assert "over its 0.0 MB limit" in err and "in use by this run" in err


def _paused_run(tmp_path, cache_dir, article, monkeypatch):
    """Start a `make` that stops after synthesis, before stitching; returns (thread, go, results).

    Clips made by this run are joined as they come; clips it found in the cache are joined after the pause."""
    import digest.make

    paused, go, results = threading.Event(), threading.Event(), {}
    real_synthesize_all = digest.make.synthesize_all

    def synthesize_all_then_wait(*args, **kwargs):
        report = real_synthesize_all(*args, **kwargs)
        paused.set()
        assert go.wait(60)
        return report

    monkeypatch.setattr(digest.make, "synthesize_all", synthesize_all_then_wait)
    options = MakeOptions(inputs=[str(article)], output_dir=tmp_path / "audio", engine="gtts", cache_dir=cache_dir)

    def run():
        try:
            results["result"] = make(options)
        except BaseException as error:  # reported by the test
            results["error"] = error

    thread = threading.Thread(target=run)
    thread.start()
    assert paused.wait(60), results
    return thread, go, results


def test_a_prune_during_another_run_keeps_the_clips_it_holds(cli, tmp_path, fake_google, monkeypatch):
    cache_dir = tmp_path / "clips"
    _make(cli, _article(tmp_path, 1), "-o", tmp_path / "other", "--cache-dir", cache_dir)
    thread, go, results = _paused_run(tmp_path, cache_dir, _article(tmp_path, 2), monkeypatch)
    try:
        requests_so_far = fake_google.count
        claimed = {key for marker in (cache_dir / ".runs").glob("*.keys") for key in marker.read_text().split()}
        before = {path.stem for path in cache_dir.glob("*/*.wav")}
        assert claimed < before  # the earlier episode's own clips are not claimed
        code, out, _ = cli("cache", "prune", "--max", "0", "--cache-dir", cache_dir)
        assert code == 0 and "in use by a running `digest make`" in out
        assert {path.stem for path in cache_dir.glob("*/*.wav")} == claimed
    finally:
        go.set()
        thread.join(120)
    result = results["result"]
    assert result.mp3_path.exists() and fake_google.count == requests_so_far  # nothing said twice
    assert ClipCache(cache_dir).stats().entries == result.clips


def test_a_clip_that_vanishes_under_a_run_is_synthesized_again(cli, tmp_path, fake_google, monkeypatch, capsys):
    cache_dir = tmp_path / "clips"
    # Found in the cache, so not yet joined when the run pauses after synthesis.
    _make(cli, _article(tmp_path, 3), "-o", tmp_path / "other", "--cache-dir", cache_dir)
    capsys.readouterr()
    thread, go, results = _paused_run(tmp_path, cache_dir, _article(tmp_path, 3), monkeypatch)
    try:
        requests_so_far = fake_google.count
        assert cli("cache", "clear", "--cache-dir", cache_dir)[0] == 0  # ignores claims, as `rm` would
    finally:
        go.set()
        thread.join(120)
    result = results["result"]
    assert result.mp3_path.exists() and result.duration > 1
    assert fake_google.count == requests_so_far + result.clips
    # Logged through the handler the CLI configured on stderr.
    assert capsys.readouterr().err.count("vanished from the cache; synthesizing it again") == result.clips
