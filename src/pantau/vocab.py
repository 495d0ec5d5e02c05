"""Access to the vocabulary data files in ``pantau/data``.

Domain vocabulary (boilerplate forms, calendar words, ranks, units, substances) lives in data
files so that it can be reviewed and extended without touching code. Each file is parsed once.
"""

from __future__ import annotations

import math
import tomllib
from functools import cache
from importlib import resources
from typing import Any


@cache
def load_toml(name: str) -> dict[str, Any]:
    """Parse ``pantau/data/<name>.toml`` (cached: every caller shares one parse)."""
    text = resources.files("pantau.data").joinpath(f"{name}.toml").read_text(encoding="utf-8")
    return tomllib.loads(text)


def fold(text: str) -> str:
    """Case- and space-insensitive key used for vocabulary look-ups."""
    return " ".join(text.casefold().split())


@cache
def _frequencies() -> dict[str, float]:
    from wordfreq import get_frequency_dict

    return get_frequency_dict("id", wordlist="small")  # type: ignore[no-any-return]


def zipf(word: str) -> float:
    """How common ``word`` (lower case) is in Indonesian, on the Zipf scale: log10 of its occurrences per billion
    words (6 is "dan", 4 "narkoba", 3 about one in a million words), from ``wordfreq``'s bundled word list.
    Words under 3 are not listed and give 0."""
    frequency = _frequencies().get(word, 0.0)
    return math.log10(frequency) + 9 if frequency > 1e-9 else 0.0
