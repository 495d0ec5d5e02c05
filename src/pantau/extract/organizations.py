"""Organisations: units named by kind and region, national bodies, and their hierarchy.

"Polda Kalteng" -> Polda Kalimantan Tengah (62), "Ditresnarkoba Polda Kalteng" -> Ditresnarkoba
Polda Kalimantan Tengah (parent Polda Kalimantan Tengah), "Badan Narkotika Nasional (BNN)
Provinsi NTT" -> BNNP Nusa Tenggara Timur, "Lapas Narkotika Kasongan" -> Lapas Narkotika Kasongan.
A kind written alone ("Ditresnarkoba", "Lapas" after "Lapas Narkotika Kasongan") is a further
mention of the one unit of that kind the article names; with several, it is left out.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import cache

from pantau.extract.lexicon import Annotated, Kind, lexicon
from pantau.extract.places import choose_region, short_name
from pantau.record import Organization
from pantau.regions import Region, regions
from pantau.vocab import load_toml

MAX_PLACE_WORDS = 3
# Kinds that stand for their sibling kinds as a parent: a Satresnarkoba belongs to a Polres,
# a Polresta or a Polrestabes.
PARENT_FAMILIES = {"Polres": {"Polres", "Polresta", "Polrestabes"}, "Polda": {"Polda"}}


@dataclass(slots=True)
class OrgMention:
    name: str
    type: str
    region: Region | None
    parent: str | None
    start: int
    end: int
    kind: str | None = None


@dataclass(slots=True)
class _Pending:
    kind: str
    start: int
    end: int


@dataclass(slots=True)
class OrgResult:
    mentions: list[OrgMention] = field(default_factory=list)
    covered: set[int] = field(default_factory=set)


@cache
def _overrides() -> tuple[dict[str, str], dict[str, str]]:
    data = load_toml("organizations")
    return dict(data.get("canonical", {})), dict(data.get("kind_in_province", {}))


def _province_name(region: Region) -> str:
    return regions()[region.province_code].name


def canonical_name(kind: str, region: Region) -> str:
    place = _province_name(region) if region.level == "province" else short_name(region)
    exact, by_province = _overrides()
    written_kind = by_province.get(f"{kind} {region.province_code}", kind)
    return exact.get(f"{kind} {region.code}", f"{written_kind} {place}")


def parent_name(kind: Kind, region: Region | None) -> str | None:
    """'Polres Banyuasin' -> 'Polda Sumatera Selatan'; 'Polda Kalteng' -> 'Polri'."""
    if kind.parent is None:
        return None
    parent_kind = lexicon().kinds_by_key.get(kind.parent)
    if parent_kind is not None and parent_kind.level == "province" and region is not None:
        return canonical_name(parent_kind.key, regions()[region.province_code])
    if parent_kind is not None and parent_kind.level != "province":
        return None  # e.g. a Polsek's Polres: not derivable from the region alone
    return kind.parent


def _capitalised(annotated: Annotated, index: int) -> bool:
    return index < len(annotated.doc) and annotated.doc[index].text[:1].isupper()


def _region_after(annotated: Annotated, index: int, level: str) -> tuple[Region | None, int]:
    """A registered region starting at token ``index`` (after an optional place keyword)."""
    lex = lexicon()
    doc = annotated.doc
    keyword_level = None
    if index < len(doc) and doc[index].lower_.rstrip(".") in lex.place_keywords and index + 1 < len(doc):
        keyword_level = lex.place_keywords[doc[index].lower_.rstrip(".")]
        index += 2 if doc[index + 1].text == "." else 1
    found = annotated.places.get(index)
    if found is None or not _capitalised(annotated, index):
        return None, index
    end, term = found
    wanted = keyword_level or {"any": "city", "place": None}.get(level, level)
    region = choose_region(term.regions, wanted)
    if region is None and level in ("any", "place"):
        region = choose_region(term.regions, None)
    if region is None or (level == "province" and region.level != "province"):
        return None, index
    return region, end


def _written_place(annotated: Annotated, index: int) -> int:
    """End of an unregistered place name (capitalised words) starting at ``index``."""
    stop = lexicon().stopwords
    end = index
    while end < len(annotated.doc) and end - index < MAX_PLACE_WORDS and _capitalised(annotated, end) \
            and annotated.doc[end].is_alpha and annotated.doc[end].lower_ not in stop:
        end += 1
    return end


def _parse_kind(annotated: Annotated, start: int, result: OrgResult) -> OrgMention | _Pending | None:
    end, kind = annotated.kinds[start]
    doc = annotated.doc
    cursor = end
    qualifiers: list[str] = []
    while cursor < len(doc) and doc[cursor].text in kind.qualifiers:
        qualifiers.append(doc[cursor].text)
        cursor += 1
    if kind.level == "parent":
        family = PARENT_FAMILIES.get(kind.parent or "", {kind.parent})
        parent_at = annotated.kinds.get(cursor)
        if parent_at is not None and parent_at[1].key in family and _capitalised(annotated, cursor):
            parent = _parse_kind(annotated, cursor, result)
            if isinstance(parent, OrgMention):
                result.mentions.append(parent)
                result.covered.update(range(parent.start, parent.end))
                return OrgMention(f"{kind.key} {parent.name}", kind.type, parent.region, parent.name, start,
                                  parent.end, kind.key)
        return _Pending(kind.key, start, end)
    region, region_end = _region_after(annotated, cursor, kind.level)
    if region is not None:
        if kind.level == "place":
            written = " ".join([kind.key, *qualifiers, annotated.text(cursor, region_end)])
            return OrgMention(written, kind.type, region, parent_name(kind, region), start, region_end, kind.key)
        return OrgMention(canonical_name(kind.key, region), kind.type, region, parent_name(kind, region), start,
                          region_end, kind.key)
    if kind.level == "place":
        place_end = _written_place(annotated, cursor)
        if place_end > cursor:
            name = " ".join([kind.key, *qualifiers, annotated.text(cursor, place_end)])
            return OrgMention(name, kind.type, None, kind.parent, start, place_end, kind.key)
    return _Pending(kind.key, start, end)


def _parse_national(annotated: Annotated, start: int) -> OrgMention:
    end, national = annotated.nationals[start]
    for level, kind_key in national.regional:
        region, region_end = _region_after(annotated, end, level)
        if region is not None and region.level == level:
            kind = lexicon().kinds_by_key[kind_key]
            return OrgMention(canonical_name(kind_key, region), kind.type, region, parent_name(kind, region), start,
                              region_end, kind_key)
    return OrgMention(national.name, national.type, None, national.parent, start, end)


def find_organizations(annotated: Annotated, excluded: set[int],
                       model_spans: Sequence[tuple[int, int]] = ()) -> OrgResult:
    """Organisation mentions, longest first at each token; ``excluded`` tokens are person names.
    ``model_spans``: token spans ``[start, end)`` the statistical model labels ORG where no rule entity is."""
    result = OrgResult()
    pending: list[_Pending] = []
    starts = sorted(set(annotated.kinds) | set(annotated.nationals))
    for start in starts:
        if start in result.covered or start in excluded or not _capitalised(annotated, start):
            continue
        kind_end = annotated.kinds.get(start, (0, None))[0]
        national_end = annotated.nationals.get(start, (0, None))[0]
        use_kind = kind_end >= national_end  # "BNN Provinsi NTT" (a kind) outranks "BNN" (national)
        found = _parse_kind(annotated, start, result) if use_kind else _parse_national(annotated, start)
        if isinstance(found, _Pending):
            pending.append(found)
            continue
        if found is not None:
            result.mentions.append(found)
            result.covered.update(range(found.start, found.end))
    for item in pending:
        if item.start in result.covered:
            continue
        same = {m.name for m in result.mentions if m.kind == item.kind}
        if len(same) == 1:
            match = next(m for m in result.mentions if m.kind == item.kind)
            result.mentions.append(OrgMention(match.name, match.type, match.region, match.parent, item.start,
                                              item.end, item.kind))
            result.covered.update(range(item.start, item.end))
    _merge_place_units(result.mentions)
    return result


def _merge_place_units(mentions: list[OrgMention]) -> None:
    """'Lapas Kasongan' after 'Lapas Narkotika Kasongan' is the same prison: same kind, same place."""
    place_kinds = {k.key for k in lexicon().kinds.values() if k.level == "place"}
    full: dict[tuple[str, str], str] = {}
    for mention in sorted(mentions, key=lambda m: -len(m.name)):
        if mention.kind not in place_kinds:
            continue
        place = mention.name.split()[-1].casefold()
        key = (mention.kind, place)
        if key in full and full[key] != mention.name and mention.name.startswith(mention.kind):
            mention.name = full[key]
        else:
            full.setdefault(key, mention.name)


def to_organizations(mentions: list[OrgMention], annotated: Annotated) -> list[Organization]:
    by_name: dict[str, Organization] = {}
    for mention in sorted(mentions, key=lambda m: m.start):
        org = by_name.get(mention.name)
        if org is None:
            org = by_name[mention.name] = Organization(
                name=mention.name, type=mention.type, region_code=mention.region.code if mention.region else None,
                parent=mention.parent)
        span = annotated.char_span(mention.start, mention.end)
        if span not in org.mentions:
            org.mentions.append(span)
    for org in by_name.values():
        org.mentions.sort()
    return list(by_name.values())
