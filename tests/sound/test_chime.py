import pytest

from digest.script.utterances import Utterance
from digest.sound import chime
from digest.sound.clips import CHANNELS, SAMPLE_RATE, SAMPLE_WIDTH


def test_chime_is_short_audible_and_in_the_common_format():
    sound = chime.chime()
    assert (sound.frame_rate, sound.sample_width, sound.channels) == (SAMPLE_RATE, SAMPLE_WIDTH, CHANNELS)
    assert 400 <= len(sound) <= 900
    assert -7 < sound.max_dBFS < -5
    # It fades out: the last 50 ms are far quieter than the loudest part.
    assert sound[-50:].max_dBFS < sound.max_dBFS - 20


def test_chime_gap_has_quiet_around_the_chime():
    gap = chime.chime_gap()
    assert len(gap) == chime.LEAD_MS + len(chime.chime()) + chime.TAIL_MS
    assert gap[:chime.LEAD_MS].max == 0 and gap[-chime.TAIL_MS:].max == 0


def test_gap_after_an_utterance():
    story_start = Utterance("Next story.", 3, 1300, story_follows=True)
    inside = Utterance("A sentence.", 4, 400)
    assert chime.gap_after(story_start, True) == chime.chime_gap()
    assert chime.gap_after(story_start, False) == 1300
    assert chime.gap_after(inside, True) == 400


def test_chime_option_puts_a_chime_where_each_story_begins(tmp_path, fake_google, cli):
    import datetime as dt

    from digest.make import MakeOptions, make
    from digest.script import utterances

    one, two = tmp_path / "one.txt", tmp_path / "two.txt"
    one.write_text("First story\n\nBoats sailed.", encoding="utf-8")
    two.write_text("Second story\n\nTrains ran.", encoding="utf-8")
    common = dict(inputs=[str(one), str(two)], engine="gtts", date=dt.date(2026, 11, 25), cache_dir=tmp_path / "c")
    plain = make(MakeOptions(output_dir=tmp_path / "plain", **common))
    chimed = make(MakeOptions(output_dir=tmp_path / "chimed", chime=True, **common))
    # Two story starts: after the intro and after "Next story."
    extra = 2 * (len(chime.chime_gap()) - utterances.PAUSE_SECTION) / 1000
    assert chimed.duration - plain.duration == pytest.approx(extra, abs=0.01)
    code, _, err = cli("make", str(one), "--engine", "gtts", "--chime", "-o", tmp_path / "cli", "-q")
    assert code == 0, err
