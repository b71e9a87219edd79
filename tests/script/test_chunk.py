import pytest

from digest.script.chunk import chunk_text, split_sentences


def test_sentences_respect_abbreviations_and_initials():
    text = "Mr. Smith met Dr. Jones in the U.S. on Jan. 5. J. R. Hale agreed. Did it work? Yes!"
    assert split_sentences(text) == [
        "Mr. Smith met Dr. Jones in the U.S. on Jan. 5.",
        "J. R. Hale agreed.",
        "Did it work?",
        "Yes!",
    ]


def test_letters_spelled_out_by_the_speakable_rules_end_a_sentence():
    # 'in the U.S. The' is spoken 'in the U S. The': the S is no initial.
    assert split_sentences("Troops left the U S. The W H O. They agreed. Ask U. S. Grant.") == [
        "Troops left the U S.", "The W H O.", "They agreed.", "Ask U. S. Grant."]


def test_decimal_numbers_do_not_end_sentences():
    assert split_sentences("Prices rose 3.5 percent. Wages did not.") == [
        "Prices rose 3.5 percent.", "Wages did not."]


@pytest.mark.parametrize("limit", [20, 40, 100, 400])
def test_chunks_fit_the_limit_and_lose_nothing(limit):
    text = ("The council, which has argued for years about the cost of repaving the old market square, "
            "finally voted yes on Tuesday. Shop owners were not pleased; they said so loudly, and often. "
            "Construction starts in May.")
    chunks = chunk_text(text, limit)
    assert all(0 < len(c.text) <= limit for c in chunks)
    assert " ".join(c.text for c in chunks) == " ".join(text.split())


def test_words_are_never_cut_when_they_fit():
    text = "supercalifragilistic " * 12
    for chunk in chunk_text(text, 30):
        assert set(chunk.text.split()) == {"supercalifragilistic"}


def test_a_word_longer_than_the_limit_is_cut_at_the_limit():
    chunks = chunk_text("x" * 250, 100)
    assert [len(c.text) for c in chunks] == [100, 100, 50]


def test_long_sentence_prefers_clause_boundaries():
    text = ("When the storm came in from the west over the bay, the keeper lit the lamp, "
            "wound the clock and wrote in the ledger.")
    chunks = chunk_text(text, 60)
    assert chunks[0].text.endswith(",")
    assert [c.ends_sentence for c in chunks][-1] is True
    assert not any(c.ends_sentence for c in chunks[:-1])


def test_phrase_words_are_preferred_split_points():
    text = ("The volunteers repaired the old wooden boardwalk along the northern dunes "
            "because the winter storms had broken most of its planks")
    chunks = chunk_text(text, 80)
    assert chunks[1].text.startswith("because")


def test_a_number_in_words_is_not_split_when_another_space_fits():
    text = ("The museum counted one hundred and twenty-three thousand four hundred visitors in "
            "twenty twenty-four, a record for the small town")
    for limit in (60, 80, 100):
        chunks = [c.text for c in chunk_text(text, limit)]
        assert any("one hundred and twenty-three thousand four hundred" in c for c in chunks), chunks
        assert any("twenty twenty-four" in c for c in chunks), chunks


def test_figures_stay_with_their_units_and_titles_with_their_names():
    text = "The ferry from Port Ellery carried Mr. Reyes and 1 500 passengers over 12 km of rough water last night"
    for limit in range(30, 60, 3):
        joined = [c.text for c in chunk_text(text, limit)]
        assert not any(c.endswith("Mr.") for c in joined), joined
        assert not any(c.endswith(" 1") or c.startswith("500") for c in joined), joined
        assert not any(c.endswith(" 12") or c.startswith("km") for c in joined), joined


def test_long_sentences_are_split_evenly_not_leaving_a_tiny_tail():
    text = ("The volunteers spent the whole of the wet spring repairing the boardwalk along the northern dunes "
            "of the bay again.")
    lengths = [len(c.text) for c in chunk_text(text, 100)]
    assert len(lengths) == 2
    assert min(lengths) >= 30, lengths


def test_chunks_say_whether_they_end_at_a_clause():
    text = ("When the storm came in from the west over the bay, the keeper lit the lamp "
            "and wound the clock and wrote in the ledger before the long night began again.")
    chunks = chunk_text(text, 60)
    assert chunks[0].text.endswith(",") and chunks[0].ends_clause
    assert not any(c.ends_clause for c in chunks[1:])
    assert chunks[-1].ends_sentence


def test_a_short_sentence_is_one_chunk_whatever_it_contains():
    assert [c.text for c in chunk_text("Mr. Smith paid $5. Then he left.", 100)] == ["Mr. Smith paid $5.", "Then he left."]
