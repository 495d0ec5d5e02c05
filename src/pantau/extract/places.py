"""Places resolved to Kemendagri codes: explicit names, place keywords, datelines and unit regions.

A register name counts as a place when it is capitalised and not inside a person's name. Names that
are also common words, person names or post abbreviations ("Batu", "Bima", "Karo") count only after
a place keyword ("Kota Batu"), a locative word ("di Bima") or a unit kind ("Polres Karo"). When a
regency and a city share a name, "Kabupaten X" / "Kota X" decide; a bare name, like a dateline,
means the city ("Kupang" -> Kota Kupang 53.71), a Polres the regency.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from pantau.extract.lexicon import Annotated, lexicon, strip_register_prefix
from pantau.record import Location
from pantau.regions import Region, find_regions, regions

LOCATIVES = frozenset({"di", "ke", "dari", "asal", "wilayah", "kawasan", "daerah", "se-", "sekitar", "menuju"})


@dataclass(slots=True)
class PlaceMention:
    region: Region
    start: int  # token offsets
    end: int


@dataclass(frozen=True, slots=True)
class UnitPlace:
    """The region of an organisation mention ("Polres Banyuasin" -> 16.07) at tokens ``[start, end)``."""

    region: Region
    start: int
    end: int
    kind: str | None  # the unit kind key ("Polres"), None for a national body


@dataclass(slots=True)
class Places:
    mentions: list[PlaceMention] = field(default_factory=list)
    covered: set[int] = field(default_factory=set)  # tokens that are part of a place name


def choose_region(candidates: Iterable[Region], level: str | None) -> Region | None:
    """The region of the wanted level among same-name candidates ('regency', 'city', 'province')."""
    found = list(candidates)
    if not found:
        return None
    if level in ("province", "regency", "city", "district"):
        exact = [r for r in found if r.level == level]
        if exact:
            return exact[0]
        if level == "province":
            return None
    for preferred in ("province", "city", "regency", "district"):
        for region in found:
            if region.level == preferred:
                return region
    return found[0]


def _keyword_level(annotated: Annotated, index: int) -> tuple[str | None, int]:
    """Level announced by the keyword right before token ``index`` and the keyword's first token."""
    doc = annotated.doc
    keywords = lexicon().place_keywords
    for width in (2, 1):
        start = index - width
        if start < 0:
            continue
        words = " ".join(t.lower_ for t in doc[start:index] if t.text != ".")
        if words in keywords:
            return keywords[words], start
    if index >= 2 and doc[index - 1].text == "." and doc[index - 2].lower_ in keywords:
        return keywords[doc[index - 2].lower_], index - 2
    return None, index


def find_places(annotated: Annotated, excluded: set[int]) -> Places:
    """Every place mention outside ``excluded`` tokens (person names)."""
    doc = annotated.doc
    result = Places()
    lex = lexicon()
    for start, (end, term) in sorted(annotated.places.items()):
        if start in result.covered or any(i in excluded for i in range(start, end)):
            continue
        if not doc[start].text[:1].isupper() or start in annotated.posts or start in annotated.ranks:
            continue  # "Karo Wabprop" is a post (Kepala Biro), not Kabupaten Karo
        level, _ = _keyword_level(annotated, start)
        previous = doc[start - 1].lower_ if start > 0 else ""
        unit_level = _level_of_kind_before(annotated, start)
        if term.ambiguous and level is None and previous not in LOCATIVES and unit_level is None:
            continue
        region = choose_region(term.regions, level or unit_level)
        if region is None:
            continue
        result.mentions.append(PlaceMention(region, start, end))
        result.covered.update(range(start, end))
    # "Kecamatan X": districts only with their keyword, the register has thousands of them
    folded = annotated.source.casefold()
    if "kec" not in folded and "distrik" not in folded:
        return result
    for token in doc:
        if token.lower_.rstrip(".") in ("kecamatan", "kec", "distrik"):
            start = token.i + (2 if token.i + 1 < len(doc) and doc[token.i + 1].text == "." else 1)
            end = start
            while end < len(doc) and end - start < 4 and doc[end].text[:1].isupper():
                end += 1
            if end > start:
                name = annotated.text(start, end).casefold()
                found = lex.districts.get(name)
                if found and len(found) == 1 and not any(i in excluded for i in range(start, end)):
                    result.mentions.append(PlaceMention(found[0], start, end))
                    result.covered.update(range(start, end))
    return result


def _level_of_kind_before(annotated: Annotated, start: int) -> str | None:
    """The region level a unit kind right before ``start`` takes: 'Polres Kupang' is the regency."""
    for kind_end, kind in annotated.kinds.values():
        if kind_end == start:
            return {"any": "city", "place": "city", "parent": None}.get(kind.level, kind.level) or "city"
    return None


def dateline_region(dateline: str | None) -> Region | None:
    """The region of a dateline city: a city before a regency of the same name."""
    if not dateline:
        return None
    return choose_region(find_regions(dateline), "city") or choose_region(find_regions(dateline), None)


def region_display_name(region: Region) -> str:
    return region.name if region.level != "district" else f"Kecamatan {region.name}"


def to_locations(mentions: Iterable[PlaceMention], annotated: Annotated, *, dateline: Region | None = None,
                 units: Iterable[UnitPlace] = ()) -> list[Location]:
    """One Location per region code, with every mention; the dateline's and the units' regions need none."""
    extra = ([dateline] if dateline is not None else []) + [unit.region for unit in units]
    by_code: dict[str, Location] = {}
    register = regions()
    for mention in mentions:
        region = mention.region
        location = by_code.get(region.code)
        if location is None:
            location = by_code[region.code] = Location(
                name=region_display_name(region), level=region.level, code=region.code,
                province_code=region.province_code)
        location.mentions.append(annotated.char_span(mention.start, mention.end))
    for region in extra:
        if region.code not in by_code:
            by_code[region.code] = Location(name=region_display_name(region), level=region.level, code=region.code,
                                            province_code=region.province_code)
    for location in by_code.values():
        location.mentions.sort()
        if location.level == "province" and location.code in register:
            location.name = register[location.code].name
    return sorted(by_code.values(), key=lambda loc: (loc.mentions[0][0] if loc.mentions else -1, loc.code or ""))


def short_name(region: Region) -> str:
    return strip_register_prefix(region.name)
