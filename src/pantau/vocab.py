"""Access to the vocabulary data files in ``pantau/data``.

Domain vocabulary (boilerplate forms, calendar words, ranks, units, substances) lives in data
files so that it can be reviewed and extended without touching code. Each file is parsed once.
"""

from __future__ import annotations

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
