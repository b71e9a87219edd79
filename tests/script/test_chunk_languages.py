"""Where sentences end in German and French: dates, ordinals and abbreviations, table-driven.

Each table also lists full stops that must still end a sentence.
"""

import datetime as dt

import pytest

from digest.models import Article
from digest.script.chunk import chunk_text, split_sentences
from digest.script.compose import build_script
from digest.script.utterances import PAUSE_SENTENCE, plan_utterances

SENTENCES = {
    "de": [
        ("Willkommen bei Digest, am Mittwoch, 25. November 2026. Unser Thema heute: Hafen.",
         ["Willkommen bei Digest, am Mittwoch, 25. November 2026.", "Unser Thema heute: Hafen."]),
        ("Der Umsatz stieg auf 3,5 Mio. Euro. Das freut alle.",
         ["Der Umsatz stieg auf 3,5 Mio. Euro.", "Das freut alle."]),
        ("Es kostet 2 Mrd. Euro und ca. Hundert Stellen.", ["Es kostet 2 Mrd. Euro und ca. Hundert Stellen."]),
        ("Obst, z. B. Äpfel bzw. Birnen, gab es.", ["Obst, z. B. Äpfel bzw. Birnen, gab es."]),
        ("Das Haus Nr. 5 gehört Dr. Meier und Prof. Schulz.", ["Das Haus Nr. 5 gehört Dr. Meier und Prof. Schulz."]),
        ("Ab dem 3. Oktober fährt die Fähre. Am 1. Mai nicht.",
         ["Ab dem 3. Oktober fährt die Fähre.", "Am 1. Mai nicht."]),
        ("Sie belegte den 3. Platz beim 100. Jubiläum.", ["Sie belegte den 3. Platz beim 100. Jubiläum."]),
        ("Am 25. überlegte er es sich.", ["Am 25. überlegte er es sich."]),
        ("Äpfel, Birnen usw. sind teurer.", ["Äpfel, Birnen usw. sind teurer."]),
        # These full stops do end a sentence.
        ("Äpfel, Birnen usw. Die Preise stiegen.", ["Äpfel, Birnen usw.", "Die Preise stiegen."]),
        ("Die Zahl stieg auf 25. Experten warnen.", ["Die Zahl stieg auf 25.", "Experten warnen."]),
        ("Er wurde der 3. Der Sieger kam aus Kiel.", ["Er wurde der 3.", "Der Sieger kam aus Kiel."]),
        ("Das war 2024. Dann kam mehr.", ["Das war 2024.", "Dann kam mehr."]),
        ("Es ist so. Die Fähre fährt.", ["Es ist so.", "Die Fähre fährt."]),
    ],
    "fr": [
        ("Le 3 janv. 2025 et le 4 févr. Paris a voté. Puis rien.",
         ["Le 3 janv. 2025 et le 4 févr. Paris a voté.", "Puis rien."]),
        ("En 52 av. J.-C. selon Mme. Durand.", ["En 52 av. J.-C. selon Mme. Durand."]),
        ("Le Dr. Martin habite bd. Voltaire.", ["Le Dr. Martin habite bd. Voltaire."]),
        # These full stops do end a sentence.
        ("Pommes, poires, etc. Le lendemain, rien.", ["Pommes, poires, etc.", "Le lendemain, rien."]),
        ("Ils étaient sept. Le col. Le vol.", ["Ils étaient sept.", "Le col.", "Le vol."]),
        ("Le 25 novembre 2026. Bonjour.", ["Le 25 novembre 2026.", "Bonjour."]),
    ],
    "en": [
        # English keeps its own rules: a German ordinal is a number ending a sentence.
        ("The score was 25. November was cold.", ["The score was 25.", "November was cold."]),
        ("It cost 3 Mio. Euro said so.", ["It cost 3 Mio.", "Euro said so."]),
    ],
}


@pytest.mark.parametrize(
    "lang, text, expected",
    [(lang, text, expected) for lang, rows in SENTENCES.items() for text, expected in rows],
    ids=[f"{lang}:{text}" for lang, rows in SENTENCES.items() for text, _ in rows],
)
def test_sentences(lang, text, expected):
    assert split_sentences(text, lang) == expected


def test_regional_variants_use_their_language():
    assert split_sentences("Am 25. November.", "de-AT") == ["Am 25. November."]


@pytest.mark.parametrize("limit", range(30, 70, 4))
def test_a_long_german_sentence_keeps_ordinals_and_abbreviations_with_their_words(limit):
    text = ("Der Stadtrat beschloss am Dienstag, dem 25. November 2026, einen Zuschuss von 3,5 Mio. Euro "
            "für die Fähren, die seit dem 1. Mai wieder fahren")
    chunks = [c.text for c in chunk_text(text, limit, "de")]
    assert " ".join(chunks) == text
    assert not any(c.endswith(("25.", "Mio.", " 1.")) for c in chunks[:-1]), chunks


def test_a_german_intro_is_one_sentence_with_no_pause_in_the_date():
    article = Article(title="Hafen wieder offen", body="Die Fähren fahren wieder.")
    script = build_script([article], date=dt.date(2026, 11, 25), lang="de")
    intro = [u for u in plan_utterances(script, 100) if u.segment_index == 0]
    assert intro[0].text == "Willkommen bei Digest, am Mittwoch, 25. November 2026."
    assert intro[0].pause_after_ms == PAUSE_SENTENCE


@pytest.mark.parametrize("limit", range(20, 40, 3))
def test_a_german_figure_stays_with_its_scale(limit):
    text = "Die Gemeinde erhielt zusätzlich 3,5 Mio. Euro vom Land und 2 Mrd. Euro vom Bund für neue Fähren"
    chunks = [c.text for c in chunk_text(text, limit, "de")]
    assert not any(c.endswith((" 3,5", " 2")) for c in chunks), chunks
