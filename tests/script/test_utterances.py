from digest.models import Script, Segment
from digest.script import utterances
from digest.script.utterances import plan_utterances


def script_of(*paragraphs: str) -> Script:
    return Script(tuple(Segment("paragraph", text, "Story") for text in paragraphs))


def test_pauses_follow_the_script_structure():
    script = Script((
        Segment("intro", "Welcome. Today, one story.", "Introduction"),
        Segment("title", "Harbour reopens.", "Harbour"),
        Segment("paragraph", "Boats sail. Fish swim.", "Harbour"),
        Segment("paragraph", "The end.", "Harbour"),
        Segment("outro", "Goodbye.", "Closing"),
    ))
    pauses = [(u.text, u.pause_after_ms) for u in plan_utterances(script, 100)]

    assert pauses == [
        ("Welcome.", utterances.PAUSE_SENTENCE),
        ("Today, one story.", utterances.PAUSE_SECTION),
        ("Harbour reopens.", utterances.PAUSE_AFTER_HEADING),
        ("Boats sail.", utterances.PAUSE_SENTENCE),
        ("Fish swim.", utterances.PAUSE_PARAGRAPH),
        ("The end.", utterances.PAUSE_SECTION),
        ("Goodbye.", 0),
    ]


def test_a_split_without_punctuation_gets_a_short_pause_and_a_clause_a_longer_one():

    long_sentence = ("When the storm came in from the west over the bay, the keeper lit the lamp "
                     "and wound the clock and wrote in the ledger before the long night began again.")
    pauses = [u.pause_after_ms for u in plan_utterances(script_of(long_sentence), 60)]
    assert pauses[0] == utterances.PAUSE_CLAUSE
    assert set(pauses[1:-1]) == {utterances.PAUSE_PHRASE}
    assert utterances.PAUSE_PHRASE < utterances.PAUSE_CLAUSE < utterances.PAUSE_SENTENCE


def test_story_starts_are_marked_for_the_chime_but_not_the_outro():
    script = Script((
        Segment("intro", "Welcome. Two stories.", "Introduction"),
        Segment("title", "One.", "One"),
        Segment("paragraph", "First body.", "One"),
        Segment("transition", "Next story.", "One"),
        Segment("paragraph", "Second body, untitled.", "Two"),
        Segment("outro", "Goodbye.", "Closing"),
    ))
    marked = [u.text for u in plan_utterances(script, 100) if u.story_follows]
    assert marked == ["Two stories.", "Next story."]
