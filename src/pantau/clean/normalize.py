"""Unicode and white-space normalisation of scraped text."""

from __future__ import annotations

import re
import unicodedata
from functools import cache

from pantau.clean.dateline import is_masthead_word, unglue_dateline
from pantau.vocab import load_toml, zipf

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


# Two words glued where a scraper dropped the tag between them: a word and a capitalised word ("MusisiFariz",
# "wilayahCengkareng"), or initials and a word ("RMmenjalani", "HIVatau"). Split only when the first piece is
# a common Indonesian word (``GLUE_MIN_ZIPF`` or more on wordfreq's Zipf scale; after initials, the word):
# a name glued to what follows ("KusmantoKasus") is left whole, since its own glued tail ("Wibowomeninggal")
# cannot be told from a name and would make one up; brand names glue
# uncommon pieces ("WhatsApp", "TikTok") and stay whole, and so do outlet names, whose pieces may be common
# words and places ("detikSumut", "TribunLombok": set apart, "Sumut" would read as a place of the story).
_GLUED_WORDS = re.compile(r"\b([A-Za-z]?[a-z]{3,})([A-Z][a-z]{3,})")
_GLUED_INITIALS = re.compile(r"\b([A-Z]{2,5})([a-z]{4,})\b")
GLUE_MIN_ZIPF = 3.5


def _split_words(match: re.Match[str]) -> str:
    left, right = match.group(1), match.group(2)
    if zipf(left.lower()) >= GLUE_MIN_ZIPF and not (is_masthead_word(left) or is_masthead_word(right)):
        return f"{left} {right}"
    return match.group(0)


def _split_initials(match: re.Match[str]) -> str:
    initials, word = match.group(1), match.group(2)
    return f"{initials} {word}" if zipf(word) >= GLUE_MIN_ZIPF else match.group(0)


_LETTERS = re.compile(r"[^\W\d_]+")


def _title_case(line: str) -> bool:
    """A line of mostly capitalised words: headlines, often a list of related ones glued together, where a glued
    pair marks the end of one headline ("... Tak Bisa DatangSidang Kasus ..."); set apart, the two would read
    as one name."""
    words = _LETTERS.findall(line)
    return len(words) >= 6 and sum(w[0].isupper() for w in words) > 0.6 * len(words)


def unglue(text: str) -> str:
    """``text`` with glued words set apart (see ``_GLUED_WORDS``), and a dateline glued to the story's first word
    set apart by a dash; lines of headlines are left as they are (``_title_case``)."""
    lines = []
    for line in text.split("\n"):
        if not _title_case(line):
            line = unglue_dateline(line)
            line = _GLUED_INITIALS.sub(_split_initials, _GLUED_WORDS.sub(_split_words, line))
        lines.append(line)
    return "\n".join(lines)


MAX_RUN = 200  # characters without a space: past this, a "word" is line noise (no Indonesian word is that long)
_LONG_RUN = re.compile(rf"\S{{{MAX_RUN + 1},}}")
_RUN_PIECE = 100


def _break_run(match: re.Match[str]) -> str:
    run = match.group(0)
    return " ".join(run[i:i + _RUN_PIECE] for i in range(0, len(run), _RUN_PIECE))


def normalize_text(text: str) -> str:
    """NFC, unified line breaks, no invisible characters, single spaces, trimmed lines, speech verbs glued to
    the word before them and other glued words set apart (``unglue``), runs of over 200 characters without a
    space cut every 100 (the tokenizer's affix search is quadratic in a token's length: 10,000 "%" took 20 s)."""
    text = _INVISIBLE.sub("", unicodedata.normalize("NFC", text))
    text = _LONG_RUN.sub(_break_run, text)
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\u2028", "\n").replace("\u2029", "\n")
    text = _SPLIT_DATELINE.sub(r"\1 \2 ", text, count=1)
    lines = (_SPACES.sub(" ", line).strip() for line in text.split("\n"))
    return unglue(_glued_verb().sub(r"\1 \2", "\n".join(lines)))
