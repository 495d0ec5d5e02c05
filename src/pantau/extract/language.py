"""Language of a document (ISO 639-1), so that non-Indonesian pages are marked, not misread.

A text dense in Indonesian function words and free of Malay-only words is Indonesian without
further ado (most of pantau's input, at a tenth of the cost). Everything else goes to py3langid, a
character n-gram model that ships with its package; its short or low-confidence answers are checked
against the function words again, because n-gram models confuse short Indonesian with Malay,
Italian or Tagalog. Word lists: ``data/language.toml``.
"""

from __future__ import annotations

import re
from functools import cache

from pantau.vocab import load_toml

SAMPLE_CHARS = 1200  # n-gram cost grows with length; 1,200 characters decide as well as 3,000
CONFIDENT = 0.95
MIN_MARKER_SHARE = 0.12
CLEARLY_INDONESIAN_SHARE = 0.15
MIN_MALAY_MARKERS = 2
MIN_WORDS_FOR_SHORTCUT = 40
MIN_WORDS = 4
_WORD = re.compile(r"[^\W\d_]+")


@cache
def _identifier():  # type: ignore[no-untyped-def]
    from py3langid.langid import MODEL_FILE, LanguageIdentifier

    return LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)


@cache
def _markers() -> tuple[frozenset[str], frozenset[str]]:
    data = load_toml("language")
    return frozenset(data["indonesian_markers"]), frozenset(data["malay_markers"])


def _words(text: str) -> list[str]:
    return [w.casefold() for w in _WORD.findall(text[:SAMPLE_CHARS])]


def indonesian_marker_share(text: str) -> float:
    words = _words(text)
    if not words:
        return 0.0
    indonesian, _ = _markers()
    return sum(1 for w in words if w in indonesian) / len(words)


def detect_language(text: str) -> str | None:
    """ISO 639-1 code of ``text``'s language, or ``None`` when there is too little text to tell."""
    words = _words(text)
    if len(words) < MIN_WORDS:
        return None
    indonesian, malay = _markers()
    share = len([w for w in words if w in indonesian]) / len(words)
    malay_like = len(malay.intersection(words)) >= MIN_MALAY_MARKERS  # distinct words, not repeats
    if not malay_like and len(words) >= MIN_WORDS_FOR_SHORTCUT and share >= CLEARLY_INDONESIAN_SHARE:
        return "id"
    code, probability = _identifier().classify(text[:SAMPLE_CHARS])
    if code in ("id", "ms"):
        return "ms" if malay_like else "id"
    if float(probability) < CONFIDENT and share >= MIN_MARKER_SHARE and not malay_like:
        return "id"
    return str(code)
