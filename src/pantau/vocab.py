"""Access to the vocabulary data files in ``pantau/data``.

Domain vocabulary (boilerplate forms, calendar words, ranks, units, substances) lives in data
files so that it can be reviewed and extended without touching code. Each file is parsed once.
"""

from __future__ import annotations

import math
import tomllib
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any


@cache
def load_toml(name: str) -> dict[str, Any]:
    """Parse ``pantau/data/<name>.toml`` (cached: every caller shares one parse)."""
    text = resources.files("pantau.data").joinpath(f"{name}.toml").read_text(encoding="utf-8")
    return tomllib.loads(text)


def fold(text: str) -> str:
    """Case- and space-insensitive key used for vocabulary look-ups."""
    return " ".join(text.casefold().split())


WORDLIST = "small_id.msgpack.gz"  # wordfreq's bundled Indonesian list ("small": the one it ships for "id")


def _read_wordlist() -> dict[str, float]:
    """wordfreq's Indonesian list read from its data file, as ``wordfreq.get_frequency_dict("id", "small")`` reads
    it (a gzipped msgpack "cBpack": a header, then one list of words per centibel below 1), without importing
    ``wordfreq`` itself: its import (langcodes' tables, ``regex``, ftfy) cost about 0.1 s of a command's start-up.
    Raises ``ValueError`` or ``OSError`` when the file is not where or what it was."""
    import gzip
    from importlib.util import find_spec

    import msgpack

    spec = find_spec("wordfreq")
    if spec is None or not spec.submodule_search_locations:
        raise ValueError("wordfreq is not installed")
    path = Path(next(iter(spec.submodule_search_locations))) / "data" / WORDLIST
    with gzip.open(path, "rb") as handle:
        data = msgpack.load(handle, raw=False)
    header = data[0] if isinstance(data, list) and data else None
    if not isinstance(header, dict) or header.get("format") != "cB" or header.get("version") != 1:
        raise ValueError(f"unexpected wordfreq header in {path}: {header!r}")
    frequencies: dict[str, float] = {}
    for index, bucket in enumerate(data[1:]):
        frequency = 10 ** (-index / 100)  # wordfreq.cB_to_freq(-index), the same float
        for word in bucket:
            frequencies[word] = frequency
    return frequencies


@cache
def _frequencies() -> dict[str, float]:
    try:
        return _read_wordlist()
    except (OSError, ValueError, ImportError):  # another wordfreq layout: its own API
        from wordfreq import get_frequency_dict

        return get_frequency_dict("id", wordlist="small")  # type: ignore[no-any-return]


def zipf(word: str) -> float:
    """How common ``word`` (lower case) is in Indonesian, on the Zipf scale: log10 of its occurrences per billion
    words (6 is "dan", 4 "narkoba", 3 about one in a million words), from ``wordfreq``'s bundled word list.
    Words under 3 are not listed and give 0."""
    frequency = _frequencies().get(word, 0.0)
    return math.log10(frequency) + 9 if frequency > 1e-9 else 0.0
