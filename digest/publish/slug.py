"""File names from titles that stay inside the output folder on every platform."""

from __future__ import annotations

import re
import unicodedata

MAX_SLUG = 60


def slugify(text: str, fallback: str = "episode") -> str:
    """ASCII letters, digits and single hyphens only, so no '..', '/', NUL or odd Unicode survives."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")
    if len(slug) > MAX_SLUG:
        slug = slug[:MAX_SLUG].rsplit("-", 1)[0] or slug[:MAX_SLUG]
    return slug or fallback
