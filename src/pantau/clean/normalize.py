"""Unicode and white-space normalisation of scraped text."""

from __future__ import annotations

import re
import unicodedata
from functools import cache

from pantau.vocab import load_toml

_INVISIBLE = re.compile("[\u200b\u200c\u200d\u2060\ufeff\u00ad]")
_SPACES = re.compile(r"[ \t\u00a0\u2000-\u200a\u202f\u205f\u3000]+")
# "Jakarta\n-\nSingapura ...": a dateline split over three lines by the page layout.
_SPLIT_DATELINE = re.compile(r"\A\s*([^\n]{1,60})\n\s*([-–—|]{1,2})\s*\n")


@cache
def _glued_verb() -> re.Pattern[str]:
    """A capitalised word with a speech verb glued to it by the scraper ("Mahendramengatakan"): the verbs of
    ``data/quotes.toml`` that introduce a quote, long enough never to end a name by chance."""
    verbs = sorted((v for v in load_toml("quotes")["cues"]["before_verbs"] if len(v) >= 8), key=len, reverse=True)
    return re.compile(rf"\b([A-Z][a-z]{{2,}})({'|'.join(map(re.escape, verbs))})\b")


MAX_RUN = 200  # characters without a space: past this, a "word" is line noise (no Indonesian word is that long)
_LONG_RUN = re.compile(rf"\S{{{MAX_RUN + 1},}}")
_RUN_PIECE = 100


def _break_run(match: re.Match[str]) -> str:
    run = match.group(0)
    return " ".join(run[i:i + _RUN_PIECE] for i in range(0, len(run), _RUN_PIECE))


def normalize_text(text: str) -> str:
    """NFC, unified line breaks, no invisible characters, single spaces, trimmed lines, speech verbs glued to
    the word before them set apart, runs of over 200 characters without a space cut every 100 (the
    tokenizer's affix search is quadratic in a token's length: 10,000 "%" took 20 s)."""
    text = _INVISIBLE.sub("", unicodedata.normalize("NFC", text))
    text = _LONG_RUN.sub(_break_run, text)
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\u2028", "\n").replace("\u2029", "\n")
    text = _SPLIT_DATELINE.sub(r"\1 \2 ", text, count=1)
    lines = (_SPACES.sub(" ", line).strip() for line in text.split("\n"))
    return _glued_verb().sub(r"\1 \2", "\n".join(lines))
