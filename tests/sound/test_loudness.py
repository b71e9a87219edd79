import math

import numpy as np
import pytest

from digest.sound import loudness

FFMPEG_SUMMARY = """[Parsed_ebur128_0 @ 0x55] Summary:

  Integrated loudness:
    I:         -20.8 LUFS
    Threshold: -31.0 LUFS

  Loudness range:
    LRA:         4.1 LU
    Threshold: -41.0 LUFS
    LRA low:   -23.6 LUFS
    LRA high:  -19.5 LUFS

  True peak:
    Peak:        -1.2 dBFS
"""


def test_parses_ffmpeg_ebur128_summary():
    assert loudness.parse_ebur128(FFMPEG_SUMMARY) == loudness.Loudness(-20.8, -1.2)
    silent = FFMPEG_SUMMARY.replace("-20.8 LUFS", "-inf LUFS").replace("-1.2 dBFS", "-inf dBFS")
    assert loudness.parse_ebur128(silent) == loudness.Loudness(-math.inf, -math.inf)
    with pytest.raises(ValueError):
        loudness.parse_ebur128("ffmpeg printed something else")


def test_measures_a_sine_of_known_loudness(tmp_path):
    # EBU R128 defines a full-scale 1 kHz sine as -3.01 LUFS; at a tenth of full scale, -23.01.
    rate = 24000
    t = np.arange(rate * 5) / rate
    pcm = (0.1 * np.sin(2 * np.pi * 1000 * t) * 32767).astype("<i2")
    path = tmp_path / "sine.pcm"
    path.write_bytes(pcm.tobytes())
    source = ["-f", "s16le", "-ar", str(rate), "-ac", "1", "-i", str(path)]
    assert loudness.measure(source).integrated == pytest.approx(-23.0, abs=0.2)
    measured = loudness.measure(source, ["volume=6dB"], true_peak=True)
    assert measured.integrated == pytest.approx(-17.0, abs=0.2)
    assert measured.true_peak == pytest.approx(-14.0, abs=0.3)


def test_meters_in_one_ffmpeg_are_told_apart_by_their_place_in_the_graph():
    # ffmpeg set the graph up once before the format was known (a silent summary), then for real,
    # and printed the later meter first.
    second = FFMPEG_SUMMARY.replace("Parsed_ebur128_0", "Parsed_ebur128_9").replace("-20.8", "-14.5")
    first = FFMPEG_SUMMARY.replace("Parsed_ebur128_0", "Parsed_ebur128_4")
    stale = first.replace("-20.8", "-70.0")
    found = loudness.summaries_by_meter("\n".join([stale, second.replace("-14.5", "-70.0"), second, first]))
    assert [m.integrated for m in found] == [-20.8, -14.5]


def _fake_meter(loss_db: float, limit_from: float, slope: float):
    """Loudness through the chain as a function of its make-up gain: linear, then flattened
    above `limit_from` dB of gain by a limiter that lets `slope` of each further dB through."""

    def measure_chains(chains):
        results = []
        for filters in chains:
            level_gain = float(filters[0].split("=")[1].rstrip("dB"))
            makeup = float(filters[2].split("=")[1].rstrip("dB"))
            speech = -25.0 + level_gain - loss_db
            above = max(0.0, makeup - limit_from)
            results.append(loudness.Loudness(speech + makeup - above + slope * above))
        return results

    return measure_chains


@pytest.mark.parametrize("limit_from, slope", [(99, 1.0), (14, 0.6), (10, 0.4), (0, 0.8)])
def test_plan_meets_the_target_when_the_limiter_flattens_the_gain(limit_from, slope):
    meter = _fake_meter(loss_db=9.0, limit_from=limit_from, slope=slope)
    plan = loudness.plan_mastering(-25.0, meter)
    assert plan.level_gain == pytest.approx(loudness.COMPRESSOR_INPUT_LEVEL + 25.0)
    [achieved] = meter([plan.filters()])
    assert achieved.integrated == pytest.approx(loudness.TARGET_LUFS + loudness.ENCODER_LOSS_DB, abs=0.6)


def test_silence_gets_no_processing():
    def never(chains):
        raise AssertionError("a silent episode should not be measured")

    assert loudness.plan_mastering(-math.inf, never) is None
    assert loudness.plan_mastering(-20.0, lambda chains: [loudness.Loudness(-math.inf)] * len(chains)) is None


def test_chain_ends_in_a_limiter_below_the_true_peak_ceiling():
    filters = loudness.Mastering(1.0, 12.0).filters()
    # The limiter is the last stage that changes level, and it works oversampled.
    assert (filters[-3], filters[-1]) == ("aresample=48000", "aresample=24000")
    limiter = filters[-2]
    assert limiter.startswith("alimiter=") and "level=false" in limiter
    limit = float(limiter.split("limit=")[1].split(":")[0])
    assert 20 * math.log10(limit) < loudness.TRUE_PEAK_CEILING - 1
