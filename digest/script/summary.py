"""Extractive summaries of one story: about N of its own sentences, in their original order.

Offline and deterministic: nothing is downloaded, and the same text always gives the same
summary. Which sentences are kept:
- a news story opens with its lead, so the first sentences are kept (the lead baseline);
- a story that opens with an anecdote (a scene, a quotation, the writer's "I", a question, or
  an opening that shares few words with the rest) keeps its most central sentences instead,
  ranked by LexRank: TF-IDF cosine similarity between sentences, then PageRank on that graph
  restarting more often near the top (the anecdote itself is left for last);
- a quotation that spans several sentences is kept whole or left out whole;
- a sentence that needs the one before it (it opens with "He", "This", "But", "However", ...,
  or with a short phrase and a pronoun, "In 1994, she ...", or is an unattributed quote after
  a quoted one) is kept only with that sentence, and that one with its own, so the
  summary never ends on, or holds, a "He said ..." whose "he" was left out.
Sentences are split by the chunker's own splitter, so summaries and speech agree on them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cached_property

import numpy as np

from digest.read.clean import clean_text, paragraphs
from digest.script.chunk import split_sentences

# Words that make a sentence lean on the one before it, by language; multi-word ones too.
_NEEDS_BEFORE = {
    "en": """he she they it this that these those his her their its him them such both neither
             but however also and or so yet still moreover furthermore meanwhile instead nevertheless
             nonetheless then thus therefore hence besides otherwise likewise similarly accordingly
             indeed anyway again further later afterwards
             |in addition|as a result|for example|for instance|in fact|even so|that said|by contrast
             |in contrast|on the other hand|the latter|the former|at the same time|even then""",
    "de": """er sie es dies diese dieser dieses diesen dessen deren aber doch jedoch auch außerdem zudem
             dabei damit deshalb daher allerdings trotzdem dennoch ebenso stattdessen""",
    "fr": """il elle ils elles ce cette ces cela ceci mais cependant pourtant aussi ainsi donc puis alors
             toutefois néanmoins |en outre|par ailleurs|de plus""",
    "es": """él ella ellos ellas esto este esta estos estas eso esa pero también además así entonces
             aunque |sin embargo|por eso|por ello|en cambio""",
}
# Pronouns that point back even after an opening phrase: "In 1994, she joined ...".
_POINTERS = {
    "en": {"he", "she", "they", "it", "this", "these", "those", "his", "her", "their", "its"},
    "de": {"er", "sie", "es"},
    "fr": {"il", "elle", "ils", "elles"},
    "es": {"él", "ella", "ellos", "ellas"},
}
# More words than this before the first comma: a clause of its own, not an opening phrase.
_OPENING_PHRASE_WORDS = 12
# The writer or the listener in the opening sentence: a personal story, not a lead. ("us" is
# left out: casefolded, it is also the US; a capital I is looked for on its own.)
_PERSONAL = {
    "en": {"me", "my", "we", "our", "you", "your"},
    "de": {"ich", "mich", "mir", "mein", "meine", "wir", "uns", "unser", "unsere", "du"},
    "fr": {"je", "j", "me", "moi", "mon", "ma", "mes", "nous", "notre", "nos", "tu"},
    "es": {"yo", "me", "mi", "mis", "nosotros", "nuestro", "nuestra", "tú"},
}
# Openings that set a scene rather than report ("It was just after dawn when ...").
_SCENE_OPENERS = {
    "en": ("imagine", "picture", "it was", "on a", "on an", "one morning", "one day", "one evening",
           "one night", "once"),
}
# Words that carry no topic, left out when sentences are compared.
_STOPWORDS = frozenset("""
    a an the and or but if of to in on at by for with from as is are was were be been being it its this that
    these those he she they them his her their we our you your i me my not no so than then there here what
    which who whom whose when where why how all any each more most other some such only own same too very can
    will would should could may might must do does did has have had said says say also into over after before
    about up down out just one two new
    der die das und oder ein eine ist sind war nicht mit von zu den dem des auf für im es sie er le la les et
    un une des est sont pas avec pour dans du au el los las y en es son con por para del que
""".split())

# Fewer sentences than this: too few to judge how the opening relates to the rest.
_JUDGE_OVERLAP_FROM = 6
# An opening whose words overlap the rest of the story less than this (cosine of TF-IDF
# vectors) is not a summary of it: an anecdote, a scene, an aside.
LOW_OVERLAP = 0.08
_DAMPING = 0.85
_ANECDOTE_SENTENCES = 3
# Sentences ranked at most, and compared with the opening at most: a 300,000-character text has
# thousands, and a TF-IDF table of them all would take hundreds of megabytes.
_MOST_RANKED = 300


def _language(lang: str) -> str:
    return lang.split("-")[0].split("_")[0].lower()


def _starters(lang: str) -> tuple[frozenset[str], tuple[str, ...]]:
    text = _NEEDS_BEFORE.get(_language(lang), "")
    single, *phrases = text.split("|")
    return frozenset(single.split()), tuple(" ".join(p.split()) for p in phrases)


def _words(text: str) -> list[str]:
    return re.findall(r"[^\W_]+", text.casefold())


def _outside_quotes(text: str) -> str:
    return re.sub(r'"[^"]*"?', " ", text)


def needs_before(sentence: str, lang: str = "en") -> bool:
    """Whether `sentence` opens with a word that points back ("He", "This", "However", ...),
    or with a short phrase and then a pronoun ("In 1994, she joined ...")."""
    words = _words(sentence.lstrip("\"'(["))
    if not words:
        return False
    single, phrases = _starters(lang)
    opening = " ".join(words[:4])
    if words[0] in single or any(opening == p or opening.startswith(p + " ") for p in phrases):
        return True
    phrase, comma, rest = sentence.partition(",")
    after = _words(rest)[:1]
    return bool(comma and after and len(_words(phrase)) <= _OPENING_PHRASE_WORDS
                and after[0] in _POINTERS.get(_language(lang), ()))


def _is_bare_quote(sentence: str) -> bool:
    """'"Nobody should have to be brave."': a quotation with no one named as saying it."""
    return sentence.startswith('"') and not re.search(r"[^\W\d_]", _outside_quotes(sentence))


def _terms(text: str) -> list[str]:
    terms = []
    for word in _words(text):
        if word in _STOPWORDS or (len(word) < 3 and not word.isdigit()):
            continue
        if len(word) > 4 and word.endswith("s") and not word.endswith("ss"):
            word = word[:-1]  # "lanes" and "lane" are one term
        terms.append(word)
    return terms


def _tfidf(sentences: list[str]) -> np.ndarray:
    """One row per sentence: term counts weighted by how rare the term is in this story."""
    terms = [_terms(s) for s in sentences]
    vocabulary = {term: index for index, term in enumerate(sorted({t for ts in terms for t in ts}))}
    counts = np.zeros((len(sentences), max(len(vocabulary), 1)))
    for row, sentence_terms in enumerate(terms):
        for term in sentence_terms:
            counts[row, vocabulary[term]] += 1
    document_frequency = (counts > 0).sum(axis=0)
    idf = np.log((1 + len(sentences)) / (1 + document_frequency)) + 1
    return counts * idf


def _cosine(a: np.ndarray, b: np.ndarray) -> float:
    norms = float(np.linalg.norm(a) * np.linalg.norm(b))
    return float(a @ b) / norms if norms else 0.0


def centrality(sentences: list[str], prior: np.ndarray | None = None) -> np.ndarray:
    """LexRank scores: how much each sentence resembles the others, weighted by theirs.

    `prior` (optional, one weight per sentence) is where the random walk restarts: earlier
    sentences can be favoured, as a reader's attention is (biased LexRank)."""
    count = len(sentences)
    if count < 2:
        return np.ones(count)
    vectors = _tfidf(sentences)
    norms = np.linalg.norm(vectors, axis=1)
    norms[norms == 0] = 1.0
    unit = vectors / norms[:, None]
    similarity = unit @ unit.T
    np.fill_diagonal(similarity, 0.0)
    totals = similarity.sum(axis=1)
    # A sentence sharing no word with any other spreads its weight evenly.
    transition = np.where(totals[:, None] > 0, similarity / np.where(totals > 0, totals, 1)[:, None], 1 / count)
    restart = np.full(count, 1 / count) if prior is None else prior / prior.sum()
    scores = np.full(count, 1 / count)
    for _ in range(200):
        updated = (1 - _DAMPING) * restart + _DAMPING * (transition.T @ scores)
        if np.abs(updated - scores).sum() < 1e-10:
            return updated
        scores = updated
    return scores


def opening_kind(sentences: list[str], lang: str = "en") -> str:
    """'lead' for a news opening; otherwise why the opening is an anecdote: 'quote', 'personal',
    'question', 'scene' or 'off topic' (it shares few words with the rest of the story)."""
    if not sentences:
        return "lead"
    first = sentences[0]
    if first.startswith('"'):
        return "quote"
    unquoted = _outside_quotes(first)
    if set(_words(unquoted)) & _PERSONAL.get(_language(lang), set()) or (
            _language(lang) == "en" and re.search(r"\bI\b", unquoted)):
        return "personal"
    if first.rstrip("\"') ").endswith("?"):
        return "question"
    opening = " ".join(_words(first)[:2])
    if any(opening == o or opening.startswith(o + " ") for o in _SCENE_OPENERS.get(_language(lang), ())):
        return "scene"
    if len(sentences) >= _JUDGE_OVERLAP_FROM:
        vectors = _tfidf(sentences[:_MOST_RANKED])
        if _cosine(vectors[:2].sum(axis=0), vectors[2:].sum(axis=0)) < LOW_OVERLAP:
            return "off topic"
    return "lead"


@dataclass(frozen=True)
class _Sentence:
    text: str
    paragraph: int


class Summary:
    """One story's sentences, ready to be cut to any length: `text(n)` keeps about n of them.

    Built once per story (the ranking is the costly part), so fitting an episode to a time can
    try many lengths.
    """

    def __init__(self, body: str, lang: str = "en") -> None:
        self.lang = lang
        self.sentences = [_Sentence(s, index) for index, paragraph in enumerate(paragraphs(clean_text(body)))
                          for s in split_sentences(paragraph, lang)]
        self.kind = opening_kind([s.text for s in self.sentences], lang)

    @property
    def method(self) -> str:
        return "lead" if self.kind == "lead" else "centrality"

    def __len__(self) -> int:
        return len(self.sentences)

    @cached_property
    def _together(self) -> list[tuple[int, int]]:
        """For each sentence, the first and last of the sentences that must come with it. They
        are always a run: its quote, and the run of the sentence before when it leans on it."""
        texts = [s.text for s in self.sentences]
        together: list[tuple[int, int]] = []
        for block in _quote_blocks(self.sentences):
            first, last = block[0], block[-1]
            if first > 0 and (needs_before(texts[first], self.lang)
                              or (_is_bare_quote(texts[first]) and '"' in texts[first - 1])):
                first = together[first - 1][0]
            together.extend((first, last) for _ in block)
        return together

    @cached_property
    def _order(self) -> list[int]:
        """The sentences in the order they are wanted: first to last, or most central first."""
        if self.method == "lead":
            return list(range(len(self)))
        # The anecdote itself (its first paragraph, up to three sentences) is colour, not news:
        # it comes last, whatever its score; of the rest, what comes soon after it is favoured.
        opening = {i for i, s in enumerate(self.sentences[:_ANECDOTE_SENTENCES]) if s.paragraph == 0}
        after = np.array([max(i - len(opening), 0) for i in range(len(self))], dtype=float)
        # Only the first sentences of a very long text are ranked, which bounds time and memory;
        # the rest follow in order.
        ranked = min(len(self), _MOST_RANKED)
        scores = centrality([s.text for s in self.sentences[:ranked]], prior=1 / (1 + after[:ranked]))
        order = sorted(range(ranked), key=lambda i: (i in opening, -round(float(scores[i]), 12), i))
        return order + list(range(ranked, len(self)))

    def pick(self, count: int) -> list[int]:
        """The indexes of about `count` sentences (never more, unless one quote or chain that
        cannot be split is longer), in their original order."""
        if count >= len(self):
            return list(range(len(self)))
        chosen = np.zeros(len(self), dtype=bool)
        total = 0
        for index in self._order:
            first, last = self._together[index]
            new = last + 1 - first - int(chosen[first:last + 1].sum())
            if new and total + new <= count:
                chosen[first:last + 1] = True
                total += new
                if total == count:
                    break
        if not total:
            # Every choice is a quote or chain longer than `count`: the shortest, first wanted.
            first, last = self._together[min(self._order, key=lambda i: self._together[i][1] - self._together[i][0])]
            chosen[first:last + 1] = True
        return np.flatnonzero(chosen).tolist()

    def text(self, count: int) -> str:
        """About `count` sentences, paragraphs kept apart as in the story."""
        kept: list[list[str]] = []
        paragraph = None
        for index in self.pick(count):
            sentence = self.sentences[index]
            if sentence.paragraph != paragraph:
                kept.append([])
                paragraph = sentence.paragraph
            kept[-1].append(sentence.text)
        return "\n\n".join(" ".join(group) for group in kept)


def _quote_blocks(sentences: list[_Sentence]) -> list[list[int]]:
    """Runs of sentences joined by an open quotation mark. A quote left open at a paragraph's
    end goes on when the next paragraph opens with a quotation mark (the print convention for
    a long quote); otherwise it was a stray mark and ends there."""
    blocks: list[list[int]] = []
    inside = False
    for index, sentence in enumerate(sentences):
        marks = sentence.text.count('"')
        if inside and index and sentence.paragraph != sentences[index - 1].paragraph:
            if sentence.text.startswith('"'):
                marks -= 1
            else:
                inside = False
        if inside:
            blocks[-1].append(index)
        else:
            blocks.append([index])
        if marks % 2:
            inside = not inside
    return blocks


def summarize(body: str, count: int, lang: str = "en") -> str:
    """About `count` sentences of `body`; the whole text, cleaned, when it has no more."""
    return Summary(body, lang).text(count)


def sentence_count(body: str, lang: str = "en") -> int:
    return len(Summary(body, lang))

