"""A table inside a web article, as a presenter reads it: a row a sentence, each value with its
column's name ("apache_builds: simdjson 2.3 GB/s, JSON for Modern C++ 0.098 GB/s."). A table too
big to follow by ear is left out whole, like a chart.

trafilatura writes a table as Markdown-like lines, "| a | b |", its header first and a "|---|"
rule under it.
"""

from __future__ import annotations

import re

# Beyond this a listener loses track: a presenter would sum such a table up, not read it.
MAX_ROWS = 12
MAX_COLUMNS = 5

_RULE = re.compile(r"^\|(?:\s*:?-{2,}:?\s*\|)+\s*$")


def _cells(line: str) -> list[str]:
    return [" ".join(cell.split()) for cell in line.strip().strip("|").split("|")]


def _is_table_line(line: str) -> bool:
    stripped = line.strip()
    return stripped.startswith("|") and stripped.endswith("|") and stripped.count("|") >= 2


def _spoken_rows(lines: list[str]) -> list[str]:
    rows = [_cells(line) for line in lines if not _RULE.match(line.strip())]
    has_header = len(lines) > 1 and bool(_RULE.match(lines[1].strip()))
    return spoken_table(rows, has_header=has_header)


def spoken_table(rows: list[list[str]], *, has_header: bool) -> list[str]:
    """Each row of a table as a sentence naming its values by column; [] for a table too big."""
    rows = [row for row in rows if any(row)]
    header, body = (rows[0], rows[1:]) if has_header and rows else ([], rows)
    if not body or len(body) > MAX_ROWS or max(len(row) for row in rows) > MAX_COLUMNS:
        return []
    sentences = []
    for row in body:
        first, values = (row[0], row[1:]) if len(row) > 1 else ("", row)
        named = []
        for column, value in enumerate(values, start=len(row) - len(values)):
            if not value:
                continue
            name = header[column] if column < len(header) else ""
            named.append(f"{name} {value}" if name and name.casefold() != value.casefold() else value)
        if not named:
            continue
        sentence = ", ".join(named)
        sentences.append(f"{first}: {sentence}." if first else f"{sentence[0].upper()}{sentence[1:]}.")
    return sentences


def spoken_tables(text: str) -> str:
    """`text` with each table in it replaced by its rows as sentences, one paragraph each."""
    lines = text.split("\n")
    out: list[str] = []
    index = 0
    while index < len(lines):
        if not _is_table_line(lines[index]):
            out.append(lines[index])
            index += 1
            continue
        end = index
        while end < len(lines) and _is_table_line(lines[end]):
            end += 1
        out.extend(_spoken_rows(lines[index:end]))
        index = end
    return "\n".join(out)
