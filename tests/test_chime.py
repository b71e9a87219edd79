from digest import chime
from digest.audio import CHANNELS, SAMPLE_RATE, SAMPLE_WIDTH
from digest.synth import Utterance


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
