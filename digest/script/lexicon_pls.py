"""W3C Pronunciation Lexicon Specification 1.0 files (what Amazon Polly takes) -> entries.

A `<lexeme>` names one or more `<grapheme>`s and says them with an `<alias>` (a respelling,
which every engine gets) and/or a `<phoneme>`. IPA phonemes (the lexicon's or the phoneme's
`alphabet="ipa"`) are kept for Piper, whose espeak phonemes are IPA; other alphabets
(x-sampa) are left out with a note in the log, and a lexeme with only those is skipped.
As in Polly, graphemes match with their case. The XML is parsed without entities, DTDs or
the network.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import TYPE_CHECKING

from digest.errors import InputError
from digest.script.lexicon import Entry, check_entry

if TYPE_CHECKING:
    from lxml import etree

log = logging.getLogger(__name__)

ANY_LANGUAGE = "*"
_XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"


def _parser() -> etree.XMLParser:
    from lxml import etree

    return etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False)


def _local(element) -> str:
    from lxml import etree

    return etree.QName(element).localname if isinstance(element.tag, str) else ""


def _text(element) -> str:
    return " ".join("".join(element.itertext()).split())


def read_pls(path: Path, data: bytes) -> dict[str, list[Entry]]:
    # lxml (a few hundredths of a second) is loaded only when a PLS lexicon is given.
    from lxml import etree

    try:
        root = etree.fromstring(data, _parser())
    except etree.XMLSyntaxError as error:
        line = error.lineno or 1
        raise InputError(f"{path}:{line}: not a valid PLS lexicon: {error.msg}") from None
    if _local(root) != "lexicon":
        raise InputError(f"{path}:{root.sourceline or 1}: not a PLS lexicon (the root is <{_local(root)}>, "
                         "not <lexicon>)")
    lang = (root.get(_XML_LANG) or "").replace("_", "-").split("-")[0].lower() or ANY_LANGUAGE
    alphabet = (root.get("alphabet") or "").lower()
    entries: list[Entry] = []
    skipped = 0
    for lexeme in root:
        if _local(lexeme) != "lexeme":
            continue
        where = f"{path}:{lexeme.sourceline or 1}"
        graphemes = [_text(g) for g in lexeme if _local(g) == "grapheme"]
        aliases = [_text(a) for a in lexeme if _local(a) == "alias"]
        phonemes = [(_text(p), (p.get("alphabet") or alphabet).lower()) for p in lexeme if _local(p) == "phoneme"]
        if not graphemes or not all(graphemes):
            raise InputError(f"{where}: a <lexeme> needs a non-empty <grapheme>")
        if not aliases and not phonemes:
            raise InputError(f"{where}: the <lexeme> for {graphemes[0]!r} has neither <alias> nor <phoneme>")
        ipa = next((text for text, kind in phonemes if kind == "ipa"), None)
        if not aliases and ipa is None:
            skipped += 1
            continue
        for grapheme in graphemes:
            entry = Entry(grapheme, aliases[0] if aliases else grapheme, where, phonemes=ipa, match_case=True)
            check_entry(entry)
            entries.append(entry)
    if skipped:
        log.info("%s: %d lexemes left out: their phonemes are not IPA and they have no <alias>", path, skipped)
    return {lang: entries}
