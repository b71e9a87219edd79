import pytest

from digest.chunk import chunk_text, split_sentences


def test_sentences_respect_abbreviations_and_initials():
    text = "Mr. Smith met Dr. Jones in the U.S. on Jan. 5. J. R. Hale agreed. Did it work? Yes!"
    assert split_sentences(text) == [
        "Mr. Smith met Dr. Jones in the U.S. on Jan. 5.",
        "J. R. Hale agreed.",
        "Did it work?",
        "Yes!",
    ]


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
