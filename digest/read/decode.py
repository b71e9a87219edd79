"""Bytes -> text for article files, refusing binary data instead of reading it aloud."""

from __future__ import annotations

import codecs

from digest.errors import InputError

# Control characters other than tab, newline, carriage return and form feed practically never
# occur in prose; a handful of them means we were handed an image, archive or executable.
_TEXT_CONTROLS = {9, 10, 12, 13}
_MAX_CONTROL_RATIO = 0.02
# A stray bell or escape character in a short note is a typo, not a sign of binary data.
_MIN_CONTROLS_FOR_BINARY = 4


def _bom_encoding(data: bytes) -> str | None:
    for bom, name in (
        (codecs.BOM_UTF32_LE, "utf-32"),
        (codecs.BOM_UTF32_BE, "utf-32"),
        (codecs.BOM_UTF8, "utf-8-sig"),
        (codecs.BOM_UTF16_LE, "utf-16"),
        (codecs.BOM_UTF16_BE, "utf-16"),
    ):
        if data.startswith(bom):
            return name
    return None


def looks_binary(data: bytes) -> bool:
    sample = data[:65536]
    if not sample:
        return False
    if b"\x00" in sample:
        return True
    controls = sum(1 for byte in sample if byte < 32 and byte not in _TEXT_CONTROLS)
    return controls >= _MIN_CONTROLS_FOR_BINARY and controls / len(sample) > _MAX_CONTROL_RATIO


def decode_text(data: bytes, name: str) -> str:
    """Decode an article's bytes.

    UTF-8 first (nearly everything today), then a byte-order mark, then Windows-1252, which is
    what most non-UTF-8 Western news text turns out to be, then charset-normalizer's detection
    for the rest. Raises InputError when the bytes are binary or no encoding fits cleanly.
    """
    bom = _bom_encoding(data)
    if bom:
        try:
            return data.decode(bom)
        except UnicodeDecodeError as error:
            raise InputError(f"{name}: starts with a {bom} byte-order mark but is not valid {bom}") from error
    if looks_binary(data):
        raise InputError(f"{name}: looks like a binary file, not text")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("cp1252")
    except UnicodeDecodeError:
        pass
    # Imported only here (a hundredth of a second): UTF-8 or Windows-1252 answers nearly every time.
    import charset_normalizer

    best = charset_normalizer.from_bytes(data).best()
    if best is not None and best.chaos < 0.1:
        return str(best)
    raise InputError(f"{name}: is not UTF-8 text and its encoding could not be recognised")
