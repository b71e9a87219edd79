"""Speakable rules that work the same in every language we have rules for.

They deal with typography and with things no voice should read out character by character:
web addresses, e-mail addresses, hashtags, handles, emoji, shouting, brackets, quotes,
ellipses and dashes. The few words they need ("dot", "at") come from a per-language table.
"""

from __future__ import annotations

import re
from typing import Callable

Rule = Callable[[str], str]

SPOKEN_SYMBOLS = {
    "en": {"dot": "dot", "at": "at", "hashtag": "hashtag", "link": "a link"},
    "de": {"dot": "Punkt", "at": "at", "hashtag": "Hashtag", "link": "ein Link"},
    "fr": {"dot": "point", "at": "arobase", "hashtag": "hashtag", "link": "un lien"},
    "es": {"dot": "punto", "at": "arroba", "hashtag": "hashtag", "link": "un enlace"},
}
# After these a handle is a name ("via @council" is "via council"): "via at council" is not said.
_NAMING_WORDS = {
    "en": {"via", "by", "from", "to", "with", "and", "or", "of"},
    "de": {"von", "über", "mit", "und", "oder"},
    "fr": {"par", "de", "avec", "et", "ou", "via"},
    "es": {"por", "de", "con", "y", "o", "vía", "via"},
}
# Words after which a dropped link would leave the sentence hanging ("see bit.ly/x for more").
_LINK_WANTED = {
    "en": {"see", "at", "visit", "via", "read", "watch", "click", "follow", "here", "on", "from", "to", "in"},
    "de": {"unter", "auf", "hier", "siehe"},
    "fr": {"sur", "voir", "ici"},
    "es": {"en", "ver", "aquí"},
}

_EMOJI = re.compile(
    "[\U0001f000-\U0001faff\U0001fc00-\U0001ffff\u2600-\u27bf\u2b00-\u2bff\ufe0e\ufe0f\u200d\u20e3"
    "\U000e0020-\U000e007f]"
)
_TOP_LEVEL = (
    r"com|org|net|gov|edu|int|mil|info|biz|io|co|app|dev|ai|tv|news|eu|uk|us|ca|au|nz|ie|in|"
    r"de|at|ch|fr|be|nl|es|it|pt|se|no|dk|fi|pl|cz|jp|cn|br|mx|ar|za|kr|ru|tw|hk|sg|il|tr|gr|ua|ro|hu|ph|vn|ng"
    r"|ke|eg|sa|ae|qa|cl|pe|pk|bd|lk"
)
_HOST = rf"(?:[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?\.)+(?:{_TOP_LEVEL})(?![A-Za-z0-9-])"
_URL = re.compile(
    rf"(?:\b(?:https?|ftp)://[^\s<>\"]+|\bwww\.[^\s<>\"]+|(?<![\w@.-]){_HOST}(?:/[^\s<>\"]*)?)",
    re.IGNORECASE,
)
# Link shorteners and picture links: the host says nothing and the path is noise.
_SHORT_LINK = re.compile(
    r"(?<![\w@.-])(?=[a-z])(?:https?://)?(?:www\.)?(?:pic\.twitter\.com|bit\.ly|t\.co|tinyurl\.com|ow\.ly|buff\.ly"
    r"|goo\.gl|youtu\.be|dlvr\.it|trib\.al|lnkd\.in|fb\.me|amzn\.to|instagr\.am)/[^\s<>\"]*",
    re.IGNORECASE,
)
# A picture's label with nothing left to label.
_LINK_LABEL = re.compile(r"(?:^|(?<=\s))(?:Photo|Picture|Pic|Image|Video)\s*:\s*$", re.IGNORECASE)
_LAST_WORD = re.compile(r"(?<![\w'])([\w']+)\s*$")
_EMAIL = re.compile(r"(?<![\w.%+-])([A-Za-z0-9._%+-]+)@((?:[A-Za-z0-9-]+\.)+[A-Za-z]{2,})\b")
_HANDLE = re.compile(r"(?<![\w@/])@([A-Za-z0-9_]{1,30})\b")
_HASHTAG = re.compile(r"(?<![\w&#/])#([A-Za-z][A-Za-z0-9_]*)")
_TRAILING_HASHTAGS = re.compile(r"(?<=[.!?\"')])(?:\s*#[A-Za-z][A-Za-z0-9_]*)+\s*$")
_TRAILING_PUNCTUATION = ".,;:!?)]}'\""

# Acronyms that stay in capitals when shouted text around them is calmed down.
ACRONYMS = {
    "AI", "AIDS", "AP", "ATM", "BBC", "CBS", "CEO", "CFO", "CIA", "CNN", "COVID", "DC", "DNA",
    "ECB", "EU", "EV", "FBI", "FIFA", "GDP", "GPS", "HIV", "HTML", "ID", "IMF", "IPO", "IQ",
    "IT", "ITV", "LA", "LGBT", "MP", "MPS", "NASA", "NATO", "NBA", "NBC", "NFL", "NGO", "NHL",
    "NHS", "NPR", "NYC", "OPEC", "PBS", "PC", "PDF", "RNA", "SMS", "SUV", "TV", "UAE", "UEFA",
    "UFO", "UK", "UN", "UNESCO", "UNICEF", "US", "USA", "USB", "VAT", "WHO", "WTO", "EEA", "ESA",
    # Names from computing that news about software writes in capitals.
    "GNU", "API", "CPU", "GPU", "RAM", "ROM", "SSD", "SQL", "URL", "HTTP", "HTTPS", "CSS", "JSON", "XML",
    "AMD", "IBM", "AWS", "SIMD", "POSIX", "UNIX", "NASDAQ", "OS", "IOS", "AR", "VR", "ML", "LLM",
}
_VOWEL = re.compile(r"[AEIOUY]")


def is_acronym(word: str) -> bool:
    """A word in capitals that is no ordinary word in capitals: a known acronym ('NASA'), or
    one with no vowel ('GCC', 'BBC', 'NRL'), which no language writes as a word. It keeps its
    capitals, and voices spell it."""
    return word in ACRONYMS or (len(word) >= 2 and not _VOWEL.search(word.upper()))
_CAPS_WORD = re.compile(r"\b[A-Z][A-Z']*[A-Z]\b|\b[AI]\b")


# Two-letter endings said as letters ('dot A I', 'dot U K'): as words a voice says "eye" for
# 'ai', "yo" for 'io'. 'co' is said as a word ('dot co dot U K'). English only: other languages
# say some endings as words ('punto es').
_ENDINGS_SAID_AS_WORDS = {"co"}
_CAMEL_CASE = re.compile(r"(?<=[a-z])(?=[A-Z])")


def _spoken_host_part(part: str, last: bool, lang: str) -> str:
    if last and lang == "en" and len(part) == 2 and part.lower() not in _ENDINGS_SAID_AS_WORDS:
        return " ".join(part.upper())
    if part[:1].isupper() and any(c.islower() for c in part) and _CAMEL_CASE.search(part):
        return _CAMEL_CASE.sub(" ", part)  # 'ProThrityOne.com': its words, not one run of letters
    return part.lower()


def _spoken_host(host: str, lang: str) -> str:
    """'www.Determined.ai' -> 'determined dot A I', 'ProThrityOne.com' -> 'Pro Thrity One dot com'."""
    if host.lower().startswith("www."):
        host = host[4:]
    parts = [part for part in host.split(".") if part]
    return f" {SPOKEN_SYMBOLS[lang]['dot']} ".join(
        _spoken_host_part(part, index == len(parts) - 1, lang) for index, part in enumerate(parts))


def _keep_capital(text: str, match: re.Match, spoken: str) -> str:
    """`spoken` with a capital when what it replaces began a sentence with one ('Example.com')."""
    written = re.sub(r"^(?:[a-z]+://)?(?:www\.)?", "", match[0], flags=re.IGNORECASE)
    if written[:1].isupper() and _starts_sentence(text, match.start()):
        return spoken[:1].upper() + spoken[1:]
    return spoken


def speak_emails(lang: str) -> Rule:
    def speak_emails(text: str) -> str:
        """'news@example.org' -> 'news at example dot org'."""
        words = SPOKEN_SYMBOLS[lang]

        def replace(match: re.Match) -> str:
            local = " ".join(re.sub(r"[_+-]+", " ", match[1].replace(".", f" {words['dot']} ")).split())
            return f"{local} {words['at']} {_spoken_host(match[2], lang)}"

        return _EMAIL.sub(replace, text)

    return speak_emails


def _without_short_links(text: str, lang: str) -> str:
    pieces: list[str] = []
    position = 0
    for match in _SHORT_LINK.finditer(text):
        link = match[0]
        trailing = ""
        while link and link[-1] in _TRAILING_PUNCTUATION:
            trailing = link[-1] + trailing
            link = link[:-1]
        before = text[position:match.start()]
        last = _LAST_WORD.search(text[max(position, match.start() - 30):match.start()])
        if last and last[1].lower() in _LINK_WANTED[lang]:
            pieces.append(before + SPOKEN_SYMBOLS[lang]["link"] + trailing)
        else:
            pieces.append(_LINK_LABEL.sub("", before).rstrip() + trailing)
        position = match.end()
    pieces.append(text[position:])
    return "".join(pieces)


def speak_urls(lang: str) -> Rule:
    def speak_urls(text: str) -> str:
        """'https://www.example.com/news?id=3' -> 'example dot com': the site, not the path.
        'Example.com' starting a sentence keeps its capital. Short links ('bit.ly/x') and
        picture links ('pic.twitter.com/x') are dropped, or are 'a link' where the sentence
        needs a word ('see bit.ly/x for more')."""
        text = _without_short_links(text, lang)

        def replace(match: re.Match) -> str:
            url = match[0]
            trailing = ""
            while url and url[-1] in _TRAILING_PUNCTUATION:
                trailing = url[-1] + trailing
                url = url[:-1]
            host = re.sub(r"^[a-z]+://", "", url, flags=re.IGNORECASE).split("/")[0].split("?")[0]
            host = host.split("#")[0].split(":")[0].split("@")[-1]
            return _keep_capital(text, match, _spoken_host(host, lang)) + trailing if host else trailing

        return _URL.sub(replace, text)

    return speak_urls


def _split_words(tag: str) -> str:
    """'BikeLanes2024' -> 'Bike Lanes 2024'; 'city_council' -> 'city council'."""
    tag = tag.replace("_", " ")
    tag = re.sub(r"(?<=[a-z])(?=[A-Z])|(?<=[A-Z])(?=[A-Z][a-z])|(?<=[A-Za-z])(?=\d)|(?<=\d)(?=[A-Za-z])", " ", tag)
    return " ".join(tag.split())


def speak_hashtags_and_handles(lang: str) -> Rule:
    def speak_hashtags_and_handles(text: str) -> str:
        """'#ClimateStrike' -> 'hashtag Climate Strike', 'follow @city_council' -> 'follow at
        city council', 'via @city_council' -> 'via city council'.

        A trail of hashtags at the very end ('... he said. #News #Town') is a label, not part
        of the sentence, and is dropped.
        """
        words = SPOKEN_SYMBOLS[lang]

        def handle(match: re.Match) -> str:
            last = _LAST_WORD.search(text[max(0, match.start() - 30):match.start()])
            naming = last is not None and last[1].lower() in _NAMING_WORDS[lang]
            return ("" if naming else words["at"] + " ") + _split_words(match[1])

        text = _TRAILING_HASHTAGS.sub("", text)
        text = _HASHTAG.sub(lambda m: f"{words['hashtag']} {_split_words(m[1])}", text)
        return _HANDLE.sub(handle, text)

    return speak_hashtags_and_handles


# A word made of parts joined by underscores: a name from program code ('max_tokens', '__init__').
_UNDERSCORED = re.compile(r"(?<![\w@#/.-])_*([A-Za-z0-9]+(?:_+[A-Za-z0-9]+)+)_*(?![\w@/-]|\.\w)|(?<![\w@#/.-])_+([A-Za-z][A-Za-z0-9]*)_+(?![\w@/-]|\.\w)")


def speak_underscored_names(text: str) -> str:
    """'max_tokens' -> 'max tokens', '__future__' -> 'future', 'STATIC_DIRS' -> 'STATIC DIRS':
    a voice reads an underscore as 'underscore', or runs the parts into one word. Handles,
    hashtags, e-mail addresses and paths ('a/b_c', 'x.y_z') are left to their own rules."""
    return _UNDERSCORED.sub(lambda m: " ".join(re.split(r"_+", m[1] or m[2])), text)


# Pointers to what a reader sees ('(pictured)', '(left)', '(seen here)'): nothing to a listener.
_VISUAL_ASIDES = {
    "en": r"(?:pictured|photographed|shown here|seen here|main picture|main image|inset)(?: ?[,:;] ?| with | in | at )[^()]{1,160}"
          r"|(?:(?:pictured|photographed|shown|seen|see|centre|center|top|bottom|far|second from|third from|from)"
          r",? )?(?:here|above|below|left|right|centre|center|top|bottom|inset|left to right|right to left)"
          r"|pictured|photographed|file (?:photo|picture|image)|main (?:picture|image|photo)|click here"
          r"|see (?:photo|picture|image|video|chart|graphic|map|box|table)",
    "de": r"(?:im Bild|Bild|Foto|links|rechts|oben|unten|Mitte)",
    "fr": r"(?:photo|en photo|à gauche|à droite|ci-dessus|ci-dessous|au centre)",
    "es": r"(?:en la foto|en la imagen|foto|izquierda|derecha|arriba|abajo|en el centro)",
}


# A sentence that only points at a link: 'Click here to read the report.'
_POINTER_SENTENCES = {
    "en": r"(?:Click|Tap) (?:here|(?:on )?(?:this|the) link)\b",
    "de": r"(?:Klicken Sie|Klick) hier\b",
    "fr": r"Cliquez ici\b",
    "es": r"(?:Haga clic|Haz clic|Pulse|Pincha) aquí",
}


def drop_visual_asides(lang: str) -> Rule:
    pattern = re.compile(rf"(?<![\s(])\s*\((?:{_VISUAL_ASIDES[lang]})\)", re.IGNORECASE)
    pointer = re.compile(rf"(?:^|(?<=[.!?] )){_POINTER_SENTENCES[lang]}[^.!?\n]{{0,300}}(?:[.!?]+|$) ?", re.IGNORECASE | re.MULTILINE)

    def drop_visual_asides(text: str) -> str:
        """'The mayor (pictured) opened it' -> 'The mayor opened it': '(pictured)', '(left)',
        '(above)', '(seen here)', '(pictured, a farm near Leeds)' point at or describe a picture
        the listener cannot see. Other words in
        brackets, and 'left' or 'here' in a sentence, are kept. A sentence that only points at
        a link ('Click here to read more.') is dropped."""
        return pointer.sub("", pattern.sub("", text))

    return drop_visual_asides


def drop_emoji(text: str) -> str:
    """Emoji and pictographs: voices either skip them or read out their Unicode names."""
    return _EMOJI.sub("", text)


def _starts_sentence(text: str, index: int) -> bool:
    while index > 0 and text[index - 1] in " \"'(\u201c\u2018":
        index -= 1
    return index == 0 or text[index - 1] in ".!?:\n"


# 'LOS ANGELES (Reuters) -', 'NEW YORK, May 1 (Reuters) -', 'KYIV, Ukraine (AP) —': a wire
# dateline in capitals, a detail after a comma, the agency in brackets, and a dash.
_DATELINE = re.compile(
    r"\A\s*([A-Z][A-Z.'\u00c0-\u00de-]*(?: [A-Z][A-Z.'\u00c0-\u00de-]*){0,3})"
    r"(,[^()\n,\u2013\u2014-]{1,30})?"
    r" *(?:\([^()\n]{1,40}\))? *(?:-{1,2}|[\u2013\u2014]) *(?=[A-Z\"\u201c'\u2018])"
)
# Small words that stay in lower case inside a place's name ('Rio de Janeiro').
_PLACE_PARTICLES = {"de", "da", "do", "dos", "das", "del", "la", "le", "les", "el", "of", "on", "upon",
                    "am", "an", "der", "den", "von", "van", "y", "du", "sur", "au", "aux", "di"}


def _place_name(capitals: str) -> str:
    words = capitals.split(" ")
    return " ".join(w.lower() if i and w.lower() in _PLACE_PARTICLES else w.title() for i, w in enumerate(words))


def read_datelines(text: str) -> str:
    """'LOS ANGELES (Reuters) - The studio said' -> 'Los Angeles. The studio said': the place,
    written as a name, then a full stop; the agency's name in brackets is not read."""

    def replace(match: re.Match) -> str:
        place = match[1]
        if is_acronym(place) or sum(c.isalpha() for c in place) < 3:
            return match[0]
        spoken = _place_name(place) + (match[2] or "").rstrip()
        return spoken + ("" if spoken.endswith(".") else ".") + " "

    return _DATELINE.sub(replace, text, count=1)


# A capitalised word written mid-sentence: a name, not a word that starts a sentence.
_MID_SENTENCE_NAME = re.compile(r"(?<=[\w,;] )[A-Z][a-z]+(?:['\u2019-][A-Z]?[a-z]+)*\b")


def names_in(text: str) -> frozenset[str]:
    """The words `text` writes with a capital in the middle of a sentence ('met Macron in
    Paris' -> Macron, Paris): the names a headline in capitals should keep."""
    return frozenset(_MID_SENTENCE_NAME.findall(text))


def calm_shouting(text: str, names: frozenset[str] = frozenset()) -> str:
    """'BREAKING NEWS: FERRY SAILS' -> 'Breaking news: ferry sails'; acronyms (NASA, UK) stay,
    and so do `names` ('TRUMP MEETS MACRON' -> 'Trump meets Macron' given Macron).

    Only runs of capitalised words are calmed (two or more ordinary words, six letters or
    more between them), so a lone acronym or initialism is never touched.
    """
    known = {name.lower(): name for name in names}
    words = list(_CAPS_WORD.finditer(text))
    runs: list[list[re.Match]] = []
    for word in words:
        if runs and not re.search(r"[a-z0-9]", text[runs[-1][-1].end():word.start()]):
            runs[-1].append(word)
        else:
            runs.append([word])
    pieces: list[str] = []
    position = 0
    for run in runs:
        ordinary = [w for w in run if not is_acronym(w[0]) and w[0] != "I"]
        if len(ordinary) < 2 or sum(len(w[0]) for w in ordinary) < 6:
            continue
        for word in run:
            pieces.append(text[position:word.start()])
            spoken = word[0] if is_acronym(word[0]) or word[0] == "I" else known.get(word[0].lower(), word[0].lower())
            if _starts_sentence(text, word.start()):
                spoken = spoken[:1].upper() + spoken[1:]
            pieces.append(spoken)
            position = word.end()
    pieces.append(text[position:])
    return "".join(pieces)


def asides_as_pauses(text: str) -> str:
    """'the plan (first proposed in 2021) passed' -> 'the plan, first proposed in 2021, passed'."""
    for _ in range(3):  # nested brackets, innermost first
        changed = re.sub(r"(?<!\s)\s*[(\[]([^()\[\]]*)[)\]]", lambda m: f", {m[1].strip()}," if m[1].strip() else "", text)
        if changed == text:
            break
        text = changed
    return tidy_commas(text)


# Words that introduce or attribute a quotation: next to one, its edge is a pause.
SPEECH_VERBS = {
    "en": {"said", "says", "say", "asked", "asks", "told", "tells", "added", "adds", "wrote", "writes",
           "tweeted", "posted", "replied", "replies", "declared", "shouted", "explained", "insisted",
           "warned", "stated", "noted", "announced", "argued", "claimed", "continued", "recalled",
           "admitted", "whispered", "cried", "yelled", "answered", "according"},
    "de": {"sagte", "sagt", "sagten", "fragte", "fragt", "erklärte", "erklärt", "betonte", "schrieb",
           "meinte", "antwortete", "warnte"},
    "fr": {"dit", "a dit", "déclare", "déclaré", "explique", "expliqué", "affirme", "affirmé", "ajoute",
           "ajouté", "demande", "demandé", "répond", "répondu"},
    "es": {"dijo", "dice", "afirmó", "explicó", "señaló", "añadió", "aseguró", "preguntó", "respondió"},
}
# After these a quotation is more often a name than speech: 'told "CBS This Morning" co-host'.
_TAKES_A_NAME = {"told", "tells", "according"}
# A quotation in double marks, any style; bounded so an unclosed mark costs little.
_QUOTATION = re.compile(
    "\u201c([^\u201c\u201d\n]{1,600})\u201d|\u201e([^\u201c\u201e\n]{1,600})\u201c"
    "|\"([^\"\n]{1,600})\"|\u00ab([^\u00ab\u00bb\n]{1,600})\u00bb"
)
_ENDS_WITH_PAUSE = ",.;:!?\u2014\u2013\u2026-"


def _words(text: str) -> list[str]:
    return [word.lower() for word in re.findall(r"[^\W\d_]+", text)]


def keep_quote_boundaries(lang: str) -> Rule:
    def keep_quote_boundaries(text: str) -> str:
        """'The mayor said "We will rebuild" and left' -> 'The mayor said, "We will rebuild", and
        left': where a quotation meets the words that introduce or attribute it with no
        punctuation between, a comma keeps the pause its marks gave a reader, once they are
        dropped. A quotation inside a sentence ('called it "a disaster"') gets none."""
        verbs = SPEECH_VERBS[lang]
        pieces: list[str] = []
        position = 0
        for match in _QUOTATION.finditer(text):
            inner = next(group for group in match.groups() if group is not None).strip()
            speech = inner[:1].isupper()
            lead = text[position:match.start()]
            word_before = lead.rstrip()[-1:].isalpha() and _words(lead[-30:])[-1:] or []
            introduced = speech and bool(set(word_before) & (verbs - _TAKES_A_NAME))
            if introduced:
                lead = lead.rstrip() + ", "
            elif lead and (lead[-1].isalnum() or lead[-1] in ",;:"):
                lead += " "  # 'said,“Now”': the words would run together
            pieces.append(lead + match[0])
            after = text[match.end():match.end() + 40]
            follows = after.lstrip()[:1]
            if follows.isalnum():
                attributed = introduced or bool(set(_words(after)[:4]) & verbs)
                if speech and attributed and inner[-1:] not in _ENDS_WITH_PAUSE:
                    pieces.append(",")
                if not after[:1].isspace():
                    pieces.append(" ")
            position = match.end()
        pieces.append(text[position:])
        return "".join(pieces)

    return keep_quote_boundaries


def drop_quotes(text: str) -> str:
    """Quotation marks are not spoken; apostrophes inside words ("don't", "'90s") stay."""
    text = re.sub(r"[\"\u201c\u201d\u201e\u201f\u00ab\u00bb]", "", text)
    text = re.sub(r"[\u2018\u2019\u201a\u201b]", "'", text)
    # A single quote is an apostrophe between letters, or before a decade ('90s).
    letter = "A-Za-z0-9\u00c0-\u024f"
    return re.sub(rf"(?<![{letter}])'(?!\d0s\b)|(?<=[{letter}])'(?![{letter}])", "", text)


# 'and then . . . nothing': an ellipsis typed as spaced full stops.
_SPACED_ELLIPSIS = re.compile(r"(?<![\s.])\s*\.(?: \.){2,}")


# English words a sentence cannot end on: articles, prepositions, conjunctions, possessives.
_OPEN_WORDS = "|".join(("a", "an", "the", "of", "to", "in", "on", "at", "by", "for", "with", "from", "into",
                        "and", "or", "but", "nor", "than", "whose", "my", "your", "our", "their"))
_AFTER_OPEN_WORD = re.compile(rf"\b((?i:{_OPEN_WORDS}))[ ]?\.{{3,}}[ ]?")


def ellipses_as_pauses(text: str) -> str:
    """'and then... nothing', 'and then . . . nothing' -> 'and then, nothing': before a word in
    lower case an ellipsis is a pause; a trailing or sentence-ending one is a full stop."""
    text = _SPACED_ELLIPSIS.sub("...", text.replace("\u2026", "..."))
    text = re.sub(r"^\s*\.{3,}\s*", "", text)
    # (?<![\s.]): a match starts where its spaces or dots start, never inside them (linear time).
    # 'was one of ... Diana's friends': after a word no sentence ends on, the ellipsis marks
    # words left out of a quotation, and the sentence goes on.
    text = _AFTER_OPEN_WORD.sub(r"\1 ", text)
    text = re.sub(r"(?<![\s.])\s*\.{3,}(?=\s*(?:$|[A-Z\u00c0-\u00de\"]))", ".", text)
    return re.sub(r"(?<![\s.])\s*\.{3,}\s*", ", ", text)


def dashes_as_pauses(text: str) -> str:
    """Em and en dashes, and spaced hyphens, between words are a comma's pause; a list item's
    dash before the first word is not said."""
    text = re.sub(r"^[ ]?[-\u2012-\u2015][ ]+(?=\S)", "", text)
    text = re.sub(r"(?<=\d)\s*[\u2012\u2013]\s*(?=\d)", "-", text)
    text = re.sub(r"(?<!\s)\s*[\u2012-\u2015]\s*|(?<!\s)\s+-{1,3}\s+|(?<=\w)--+(?=\w)", ", ", text)
    return tidy_commas(text)


def tidy_commas(text: str) -> str:
    """Commas left next to other punctuation, doubled, or at the start, by the rules above."""
    text = re.sub(r"(?<!\s)\s+,", ",", text)
    text = re.sub(r",(?:\s*,)+", ",", text)
    text = re.sub(r",\s*([.;:!?])", r"\1", text)
    text = re.sub(r"([.;:!?])\s*,", r"\1", text)
    text = re.sub(r"^\s*,\s*", "", text)
    return re.sub(r"(?<!\s)\s*,\s*$", "", text)


def tidy_spaces(text: str) -> str:
    """One space between words and none before punctuation, and one full stop where a page's
    dropped reference ('network.[3].') or a rule left two, after all the rules."""
    text = re.sub(r"[ \t]{2,}", " ", text)
    text = re.sub(r"(?<![.\s])\s*\.\s*\.(?!\.)", ".", text)
    text = re.sub(r"(?<! ) +([,.;:!?])", r"\1", text)
    return text.strip()


def typography_rules(lang: str) -> list[Rule]:
    """The language-neutral rules, in the order they run (before any language's own rules)."""
    return [
        drop_emoji,
        speak_emails(lang),
        speak_urls(lang),
        speak_hashtags_and_handles(lang),
        speak_underscored_names,
        read_datelines,
        calm_shouting,
        keep_quote_boundaries(lang),
        drop_quotes,
        drop_visual_asides(lang),
        asides_as_pauses,
        ellipses_as_pauses,
        dashes_as_pauses,
    ]
