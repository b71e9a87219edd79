"""English speakable rules for letters, names and marks rather than figures.

Initialisms a voice might read as a word ("US" as "us"), acronyms, product names with Roman
numerals, wire datelines, file types, links and social-media marks. Each rule is a small
`str -> str` function; RULES lists them in the order they run, right after the abbreviations
are expanded (speakable_en.RULES puts them there).
"""

from __future__ import annotations

import re

# --- initialisms that are also words ----------------------------------------------------------

# Spelled with spaces so that both gTTS and Piper say the letters: "US" in capitals is the
# country to espeak, but a voice that lower-cases first would say the pronoun "us".
_COUNTRY_INITIALS = re.compile(r"\b(US|UK|UN|EU)\b")
# After these an all-caps "US" (left by a calmed headline: "LET US GO") is the pronoun...
_TAKES_US = {
    "let", "to", "for", "with", "join", "tell", "told", "help", "helps", "give", "gave", "show",
    "showed", "about", "from", "among", "against", "like", "than", "of", "save", "call", "follow",
    "contact", "email", "ask", "asked", "thank", "keep", "make", "made", "bring", "brought",
    "take", "took", "send", "sent", "get", "got", "hit", "lead", "led", "leave", "left", "hear",
    "heard", "see", "saw", "meet", "met", "trust", "believe", "hurt", "love", "hate", "beat",
    "beside", "behind", "before", "after", "without", "upon", "on", "at", "by", "into", "onto",
}
# ...unless a word follows that it describes ("for US voters"): these words do not.
_AFTER_PRONOUN = {
    "a", "an", "and", "or", "but", "the", "to", "in", "on", "at", "with", "for", "from", "of",
    "that", "this", "what", "how", "why", "when", "where", "if", "is", "was", "are", "all",
    "both", "now", "today", "tonight", "tomorrow", "here", "there", "again", "back", "out", "up",
    "down", "too", "also", "soon", "off", "over", "alone", "together", "know", "be", "go", "do",
}
# The lookbehinds let a match start only where its run starts, so searches stay linear.
_WORD_BEFORE = re.compile(r"(?<![A-Za-z'])([A-Za-z']+)[ \t]*$")
_WORD_AFTER = re.compile(r"(?<![ \t])[ \t]+([A-Za-z']+)")
# How far back the word before a match is looked for.
_LOOKBACK = 30


def _is_the_pronoun(text: str, match: re.Match) -> bool:
    before = _WORD_BEFORE.search(text[max(0, match.start() - _LOOKBACK):match.start()])
    if not before or before[1].lower() not in _TAKES_US:
        return False
    after = _WORD_AFTER.match(text, match.end())
    return not after or after[1].lower() in _AFTER_PRONOUN


def spell_country_initials(text: str) -> str:
    """'US troops', 'the UK' -> 'U S troops', 'the U K' (letters, never the word "us");
    'Let US go', from a calmed headline, -> 'Let us go'."""

    def replace(match: re.Match) -> str:
        if match[1] == "US" and _is_the_pronoun(text, match):
            return "us"
        return " ".join(match[1])

    return _COUNTRY_INITIALS.sub(replace, text)


RULES = [
    spell_country_initials,
]
