"""Bytes of a document -> text, weighing what the server and the page claim about their charset.

Servers and pages often lie about their encoding, so the claims are tried in order of how
rarely they are wrong: a byte-order mark; valid UTF-8 (non-UTF-8 text almost never happens to
be valid UTF-8); the charset in the Content-Type header; the page's own <meta> or XML
declaration; then the detection used for plain files. A claim is only taken if the bytes
decode under it without errors.
"""

from __future__ import annotations

import codecs
import re

from digest.read.decode import _bom_encoding, decode_text, looks_binary

_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.IGNORECASE)
_XML_ENCODING = re.compile(rb"""^\s*<\?xml[^>]+encoding\s*=\s*["']([A-Za-z0-9_.:-]+)["']""")
_SNIFF_BYTES = 4096


def declared_charset(data: bytes) -> str | None:
    """The charset a page declares about itself near its top, if any."""
    head = data[:_SNIFF_BYTES]
    match = _XML_ENCODING.match(head) or _META_CHARSET.search(head)
    return match.group(1).decode("ascii") if match else None


def _codec(name: str | None) -> str | None:
    if not name:
        return None
    try:
        return codecs.lookup(name.strip()).name
    except LookupError:
        return None


def decode_document(data: bytes, name: str, header_charset: str | None = None) -> str:
    if _bom_encoding(data) or looks_binary(data):
        return decode_text(data, name)
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    for claimed in (header_charset, declared_charset(data)):
        codec = _codec(claimed)
        if codec and codec != "utf-8":
            try:
                return data.decode(codec)
            except UnicodeDecodeError:
                continue
    return decode_text(data, name)
