"""The pronunciation dictionary's matching rules, and how its Piper phonemes reach the utterances."""

import time

import pytest

from digest.errors import InputError
from digest.models import Script, Segment
from digest.script.lexicon import Entry, Lexicon, apply_lexicon, check_entry, merge, phonemize
from digest.script.utterances import plan_utterances


def lexicon(*entries: Entry) -> Lexicon:
    for entry in entries:
        check_entry(entry)
    return Lexicon(entries)


def word(text: str, say: str, **options) -> Entry:
    return Entry(text, say, "test.toml:1", **options)


def test_whole_words_only():
    lex = lexicon(word("Quorvix", "kwor-vicks"))
    assert lex.respell("Quorvix and Quorvixes, unQuorvix, Quorvix's") == "Kwor-vicks and Quorvixes, unQuorvix, Kwor-vicks's"


def test_case_insensitive_by_default_and_capitalised_at_a_sentence_start():
    lex = lexicon(word("zanbar", "zan-bar"))
    assert lex.respell("ZANBAR and zanbar. Zanbar!") == "Zan-bar and zan-bar. Zan-bar!"


def test_an_entry_in_capitals_matches_only_capitals():
    lex = lexicon(word("WX", "double-you ex"), word("ODD", "oh dee dee"))
    assert lex.respell("WX told us odd news; ODD too") == "Double-you ex told us odd news; Oh dee dee too"


def test_match_case_overrides_the_default_rule_both_ways():
    sensitive = lexicon(word("Brindle", "brin-dul", match_case=True))
    assert sensitive.respell("Brindle met a brindle dog") == "Brin-dul met a brindle dog"
    insensitive = lexicon(word("XQ", "ex cue", match_case=False))
    assert insensitive.respell("xq and XQ") == "ex cue and Ex cue"


def test_phrases_match_across_any_whitespace_and_longest_wins():
    lex = lexicon(word("Tallo", "tah-lo"), word("Tallo Vance", "tah-lo vans"))
    assert lex.respell("Tallo  Vance met Tallo\nVance and Tallo.") == "Tah-lo vans met Tah-lo vans and Tah-lo."


def test_a_respelling_is_not_respelled_again():
    lex = lexicon(word("aa", "bb"), word("bb", "cc"))
    assert lex.respell("aa bb") == "bb cc"


def test_punctuation_in_a_word_is_literal():
    lex = lexicon(word("C++", "see plus plus"), word("a.b", "ay dot bee"))
    assert lex.respell("C++ beats axb and a.b") == "See plus plus beats axb and ay dot bee"


def test_pattern_entries_with_groups_run_whole_word():
    lex = lexicon(word(r"v(\d+)", r"version \1", regex=True))
    assert lex.respell("v2 ships, not v2x or kv3") == "version 2 ships, not v2x or kv3"


@pytest.mark.parametrize("bad, message", [
    (word(r"(a+)+b", "x", regex=True), "repeats a group that repeats"),
    (word(r"(\w*x?)*", "x", regex=True), "repeats a group that repeats"),
    (word(r"([a-z]", "x", regex=True), "does not compile"),
    (word(r"v(\d+)", r"version \2", regex=True), "refers to a group"),
    (word("zorb", " "), "empty respelling"),
    (word("zorb", "zorrb", phonemes="[[  ]]"), "empty phonemes"),
    (word(r"z\w+", "zed", phonemes="zɛd", regex=True), "cannot have phonemes"),
])
def test_unusable_entries_are_refused_with_their_place(bad, message):
    with pytest.raises(InputError, match=message) as caught:
        check_entry(bad)
    assert str(caught.value).startswith("test.toml:1: ")


def test_a_slow_pattern_is_stopped_by_its_time_bound(monkeypatch):
    # Backtracking the nested-quantifier check lets through: a lazy star repeated a fixed 20 times.
    entry = word(r"(?:.*?,){20}P", "x", regex=True)
    check_entry(entry)
    monkeypatch.setattr("digest.script.lexicon.PATTERN_SECONDS", 0.2)
    lex = Lexicon([entry])
    start = time.monotonic()
    with pytest.raises(InputError, match=r"test.toml:1: the pattern .* took over 0.2 s"):
        lex.respell("a," * 25)
    assert time.monotonic() - start < 5


def test_later_layers_replace_and_remove_entries():
    builtin = [word("Quorvix", "kwor-vix"), word("Zanbar", "zan-bar")]
    user = [word("quorvix", "kwor-vicks"), Entry("ZANBAR", "", "user.toml:2", removes=True)]
    merged = Lexicon(merge(builtin, user))
    assert merged.respell("Quorvix and Zanbar") == "Kwor-vicks and Zanbar"


def test_apply_lexicon_respells_every_segment_and_carries_phonemes():
    script = Script((Segment("intro", "Today: Quorvix news.", "Introduction"),
                     Segment("paragraph", "Quorvix grew. Zanbar did not.", "Story")))
    lex = lexicon(word("Quorvix", "kwor-vix", phonemes="[[ kwˈɔːɹvɪks ]]"), word("Zanbar", "zan-bar"))
    spoken = apply_lexicon(script, lex)
    assert [s.text for s in spoken.segments] == ["Today: Kwor-vix news.", "Kwor-vix grew. Zan-bar did not."]
    assert spoken.phonemes == (("Kwor-vix", "kwˈɔːɹvɪks"),)
    assert [s.chapter for s in spoken.segments] == ["Introduction", "Story"]


def test_utterances_carry_piper_phonemes_only_where_an_entry_has_them():
    script = apply_lexicon(Script((Segment("paragraph", "Quorvix grew. Zanbar did not.", "Story"),)),
                           lexicon(word("Quorvix", "kwor-vix", phonemes="kwˈɔːɹvɪks"), word("Zanbar", "zan-bar")))
    first, second = plan_utterances(script, 100)
    assert first.text == "Kwor-vix grew." and first.phonemized == "[[ kwˈɔːɹvɪks ]] grew."
    assert first.text_for(True) == "[[ kwˈɔːɹvɪks ]] grew." and first.text_for(False) == "Kwor-vix grew."
    assert second.phonemized is None and second.text_for(True) == "Zan-bar did not."


def test_phonemize_leaves_text_without_those_respellings_alone():
    assert phonemize("Nothing here.", (("Kwor-vix", "kwˈɔːɹvɪks"),)) is None
    assert phonemize("Nothing here.", ()) is None


def test_an_entry_with_phonemes_alone_leaves_the_text_as_written():
    lex = lexicon(word("Zanbar", "Zanbar", phonemes="zˈænbɑːɹ"))
    phonemes = {}
    assert lex.respell("ZANBAR and zanbar", phonemes) == "ZANBAR and zanbar"
    assert phonemes == {"ZANBAR": "zˈænbɑːɹ", "zanbar": "zˈænbɑːɹ"}


def test_thousands_of_entries_cost_little_on_a_long_article():
    entries = [word(f"zq{n:04d}x", f"entry {n}") for n in range(5000)]
    lex = Lexicon(entries)
    text = " ".join("zq0042x" if n % 50 == 0 else "ordinary" for n in range(20000))
    start = time.perf_counter()
    said = lex.respell(text)
    assert time.perf_counter() - start < 2  # an alternation tried whole at every position took minutes
    assert said.count("entry 42") == 400 and "zq" not in said
