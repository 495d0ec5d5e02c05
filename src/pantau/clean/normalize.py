"""Unicode and white-space normalisation of scraped text."""

from __future__ import annotations

import re
import unicodedata

_INVISIBLE = re.compile("[\u200b\u200c\u200d\u2060\ufeff\u00ad]")
_SPACES = re.compile(r"[ \t\u00a0\u2000-\u200a\u202f\u205f\u3000]+")
# "Jakarta\n-\nSingapura ...": a dateline split over three lines by the page layout.
_SPLIT_DATELINE = re.compile(r"\A\s*([^\n]{1,60})\n\s*([-–—|]{1,2})\s*\n")


def normalize_text(text: str) -> str:
    """NFC, unified line breaks, no invisible characters, single spaces, trimmed lines."""
    text = _INVISIBLE.sub("", unicodedata.normalize("NFC", text))
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\u2028", "\n").replace("\u2029", "\n")
    text = _SPLIT_DATELINE.sub(r"\1 \2 ", text, count=1)
    lines = (_SPACES.sub(" ", line).strip() for line in text.split("\n"))
    return "\n".join(lines)
