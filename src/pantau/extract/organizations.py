"""Organisations: units named by kind and region, national bodies, their hierarchy, and other named bodies.

"Polda Kalteng" -> Polda Kalimantan Tengah (62), "Ditresnarkoba Polda Kalteng" -> Ditresnarkoba
Polda Kalimantan Tengah (parent Polda Kalimantan Tengah), "Badan Narkotika Nasional (BNN)
Provinsi NTT" -> BNNP Nusa Tenggara Timur, "Lapas Narkotika Kasongan" -> Lapas Narkotika Kasongan.
A kind written alone ("Ditresnarkoba", "Lapas" after "Lapas Narkotika Kasongan") is a further
mention of the one unit of that kind the article names; with several, it is left out.

Police, BNN, prison and government units have canonical names; courts, prosecutors and most other bodies
are named as the text names them: by the short form it gives in brackets ("Kementerian Sosial
(Kemensos)" -> Kemensos), else by the longest form it uses ("Pengadilan Negeri Sleman ... PN Sleman").
Bodies outside the vocabulary are read from the words that make organisation names ("PT Pindad",
"Universitas Terbuka", "Amnesty International") and from the spans the statistical model labels ORG,
cleaned of the words around the name.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from typing import Any

from spacy.matcher import PhraseMatcher

from pantau.extract.lexicon import Annotated, Kind, National, lexicon, positions, title_key
from pantau.extract.places import choose_region, short_name
from pantau.record import Organization
from pantau.regions import Region, regions
from pantau.vocab import fold, load_toml

MAX_PLACE_WORDS = 3
MAX_DISTRICT_WORDS = 4
MAX_NAME_WORDS = 8  # words after a head: "Kementerian Pendidikan Tinggi, Sains, dan Teknologi" stops at the comma
MAX_BRACKET_WORDS = 3  # "(BPOM RI)"
MIN_ACRONYM_CHARS = 3  # two capitals are as often a person's initials ("DP", "MR")
# Kinds that stand for their sibling kinds as a parent: a Satresnarkoba belongs to a Polres,
# a Polresta or a Polrestabes.
PARENT_FAMILIES = {"Polres": {"Polres", "Polresta", "Polrestabes"}, "Polda": {"Polda"}}
_ACRONYM = re.compile(r"^[A-Z][A-Za-z]*[A-Z][A-Za-z]*$")  # "KPAI", "CamFi", "KemenPAN"
_CLOSING = frozenset(")")
_GLUED = re.compile(r"^[A-Z][a-z]{4,}[A-Z][a-z]{4,}")  # "KabareskrimSusno", not "ByteDance" or "WhatsApp"
_TRAILING_MARK = re.compile(r"(?<=[A-Za-z])(\d+|\([^)]*)$")


@dataclass(slots=True)
class OrgMention:
    name: str
    type: str | None
    region: Region | None
    parent: str | None
    start: int
    end: int
    kind: str | None = None
    key: str | None = None  # the organisation over all its mentions (default: the name)
    short: str | None = None  # the short form the text gives in brackets right after this mention
    prefix: str | None = None  # a sub-unit's own words before its parent's name ("Satreskrim", "Rutan")
    parent_key: str | None = None  # the key of the parent named in this mention

    @property
    def identity(self) -> str:
        return self.key or self.name


@dataclass(slots=True)
class _Pending:
    kind: Kind
    start: int
    end: int
    written: str


@dataclass(slots=True)
class OrgResult:
    mentions: list[OrgMention] = field(default_factory=list)
    covered: set[int] = field(default_factory=set)


# --- vocabulary -------------------------------------------------------------------------------------
@dataclass(frozen=True, slots=True)
class _KindRules:
    """What this module reads of a kind beyond the shared lexicon (see organizations.toml)."""

    name: str
    written: bool
    kept_forms: dict[str, str]  # folded form -> form
    parents: frozenset[str]
    keep_qualifiers: bool
    written_place: bool
    facility_words: frozenset[str]
    alone: str | None
    spellings: dict[str, str]  # folded alias -> alias as the vocabulary spells it


@dataclass(frozen=True, slots=True)
class _BodyRules:
    canonical: str
    written: bool
    spellings: dict[str, str]


@dataclass(slots=True)
class _Vocabulary:
    kinds: dict[str, Kind]  # every kind (shared lexicon and this module's own) by key
    nationals: dict[str, National]  # every national body by name
    kind_rules: dict[str, _KindRules]
    body_rules: dict[str, _BodyRules]
    matcher: PhraseMatcher  # this module's own forms: labels "KIND:key" / "NAT:name"
    heads: dict[str, str]  # folded head -> type
    head_spellings: dict[str, str]  # folded head -> head as written in the vocabulary
    head_starts: frozenset[str]  # the first word of each head, lower-cased
    weak_heads: frozenset[str]
    unit_heads: frozenset[str]
    contractions: tuple[str, ...]
    tails: frozenset[str]
    legal_names: frozenset[str]
    connectors: frozenset[str]
    openers: frozenset[str]
    not_organizations: frozenset[str]
    countries: frozenset[str]
    not_first: frozenset[str]
    not_before: frozenset[str]
    initials_cues: frozenset[str]
    breakers: frozenset[str]
    officers: frozenset[str]
    common_words: frozenset[str]
    province_names: dict[str, str]
    canonical: dict[str, str]
    kind_in_province: dict[str, str]


def _spellings(aliases: Iterable[str]) -> dict[str, str]:
    return {fold(alias): alias for alias in aliases}


def _kind_rules(entry: dict[str, Any]) -> _KindRules:
    parents = entry.get("parents") or PARENT_FAMILIES.get(entry.get("parent") or "", {entry.get("parent") or ""})
    return _KindRules(
        name=entry.get("name", entry["key"]), written=entry.get("naming") == "written",
        kept_forms=_spellings(entry.get("kept_forms", [])), parents=frozenset(p for p in parents if p),
        keep_qualifiers=entry.get("keep_qualifiers", False), written_place=entry.get("place_names") == "written",
        facility_words=frozenset(entry.get("facility_words", [])), alone=entry.get("alone"),
        spellings=_spellings(entry["aliases"]))


def _make_kind(entry: dict[str, Any]) -> Kind:
    return Kind(entry["key"], entry["type"], entry["level"], frozenset(entry.get("qualifiers", [])),
                entry.get("parent"))


def _common_words() -> frozenset[str]:
    """Words news almost never writes as proper nouns (data/pos_lexicon.tsv): "pebalap", "tahun"."""
    text = resources.files("pantau.data").joinpath("pos_lexicon.tsv").read_text(encoding="utf-8")
    rows = (line.split("\t") for line in text.split("\n") if line and not line.startswith("# "))
    return frozenset(row[0] for row in rows if len(row) > 1 and row[1] == "common")


@cache
def _vocabulary() -> _Vocabulary:
    data = load_toml("organizations")
    lex = lexicon()
    kinds = dict(lex.kinds_by_key)
    nationals = {n.name: n for n in lex.nationals.values()}
    matcher = PhraseMatcher(lex.nlp.vocab, attr="LOWER")

    def add(label: str, forms: Iterable[str]) -> None:
        patterns = [lex.nlp.make_doc(form) for form in dict.fromkeys(forms) if form.strip()]
        if patterns:
            matcher.add(label, patterns)

    for entry in data.get("extra_kind", []):
        kinds[entry["key"]] = _make_kind(entry)
        add(f"KIND:{entry['key']}", entry["aliases"])
    for entry in data.get("body", []):
        regional = tuple(sorted(entry.get("regional", {}).items()))
        nationals[entry["name"]] = National(entry["name"], entry["type"], entry.get("parent"), regional)
        add(f"NAT:{entry['name']}", entry["aliases"])
    for entry in data.get("form", []):
        add(f"KIND:{entry['kind']}" if "kind" in entry else f"NAT:{entry['national']}", [entry["form"]])
    kind_entries = [*data["kind"], *data.get("extra_kind", [])]
    body_entries = [*data["national"], *data.get("body", [])]
    names = data["names"]
    heads = {fold(head): kind for kind, words in names["heads"].items() for head in words}
    return _Vocabulary(
        kinds=kinds, nationals=nationals,
        kind_rules={entry["key"]: _kind_rules(entry) for entry in kind_entries},
        body_rules={entry["name"]: _BodyRules(entry.get("canonical", entry["name"]), entry.get("naming") == "written",
                                              _spellings(entry["aliases"])) for entry in body_entries},
        matcher=matcher, heads=heads,
        head_spellings={fold(head): head for words in names["heads"].values() for head in words},
        head_starts=frozenset(head.split()[0].casefold() for words in names["heads"].values() for head in words),
        weak_heads=frozenset(fold(w) for w in names["weak_heads"]), tails=frozenset(names["tails"]),
        unit_heads=frozenset(fold(w) for w in names["unit_heads"]), contractions=tuple(names["contractions"]),
        legal_names=frozenset(fold(w) for w in names["legal_names"]), connectors=frozenset(names["connectors"]),
        openers=frozenset(names["openers"]),
        not_organizations=frozenset(fold(w) for w in [*names["not_organizations"], *names["countries"]]),
        countries=frozenset(fold(w) for w in names["countries"]), not_first=frozenset(names["not_first"]),
        not_before=frozenset(names["not_before"]), initials_cues=frozenset(names["initials_cues"]),
        breakers=frozenset([*names["breakers"], *(w.capitalize() for table in ("weekdays", "months")
                                                   for w in load_toml("dates")[table])]),
        officers=frozenset(names["officers"]), common_words=_common_words(),
        province_names=dict(data.get("province_names", {})), canonical=dict(data.get("canonical", {})),
        kind_in_province=dict(data.get("kind_in_province", {})))


def _rules(kind: Kind) -> _KindRules:
    found = _vocabulary().kind_rules.get(kind.key)
    return found if found is not None else _KindRules(kind.key, False, {}, frozenset(), False, False, frozenset(),
                                                      None, {})


def national_name(name: str) -> str:
    """The name records give a national body: 'BNN' -> 'BNN RI' (its canonical name)."""
    rules = _vocabulary().body_rules.get(name)
    return rules.canonical if rules is not None else name


# --- names of regions and units ---------------------------------------------------------------------
def _province_name(region: Region) -> str:
    code = region.province_code
    return _vocabulary().province_names.get(code) or regions()[code].name


def _place_name(region: Region) -> str:
    return _province_name(region) if region.level == "province" else short_name(region)


def canonical_name(kind: str, region: Region) -> str:
    vocabulary = _vocabulary()
    kind_rules = vocabulary.kind_rules.get(kind)
    word = kind_rules.name if kind_rules is not None else kind
    written_kind = vocabulary.kind_in_province.get(f"{kind} {region.province_code}", word)
    return vocabulary.canonical.get(f"{kind} {region.code}", f"{written_kind} {_place_name(region)}")


def parent_name(kind: Kind, region: Region | None) -> str | None:
    """'Polres Banyuasin' -> 'Polda Sumatera Selatan'; 'Polda Kalteng' -> 'Polri'."""
    if kind.parent is None:
        return None
    parent_kind = _vocabulary().kinds.get(kind.parent)
    if parent_kind is not None and parent_kind.level == "province":
        return canonical_name(parent_kind.key, regions()[region.province_code]) if region is not None else None
    if parent_kind is not None:
        return None  # e.g. a Polsek's Polres: not derivable from the region alone
    return national_name(kind.parent)


# --- reading the text -------------------------------------------------------------------------------
@dataclass(slots=True)
class _Text:
    """One article's tokens with every kind and national form found, the shared lexicon's and this module's."""

    annotated: Annotated
    excluded: set[int]
    kinds: dict[int, tuple[int, Kind]]
    nationals: dict[int, tuple[int, National]]
    texts: list[str] = field(default_factory=list)  # each token's text, read once
    result: OrgResult = field(default_factory=OrgResult)
    aliases: dict[str, str] = field(default_factory=dict)  # folded "PT DNP" -> the key of "PT Dharma Nyata Press"

    def word(self, index: int) -> str:
        return self.texts[index] if 0 <= index < len(self.texts) else ""

    def capitalised(self, index: int) -> bool:
        return 0 <= index < len(self.texts) and self.texts[index][:1].isupper()


def _read(annotated: Annotated, excluded: set[int]) -> _Text:
    vocabulary = _vocabulary()
    kinds = dict(annotated.kinds)
    nationals = dict(annotated.nationals)
    strings = annotated.doc.vocab.strings
    for match_id, start, end in vocabulary.matcher(annotated.doc):
        label = strings[match_id]
        kind_name, _, value = label.partition(":")
        table: dict[int, Any] = kinds if kind_name == "KIND" else nationals
        entry = vocabulary.kinds[value] if kind_name == "KIND" else vocabulary.nationals[value]
        current = table.get(start)
        if current is None or current[0] < end:
            table[start] = (end, entry)
    return _Text(annotated, excluded, kinds, nationals, annotated.texts)


def _bracket(text: _Text, index: int) -> tuple[int, str | None]:
    """A short form in brackets at ``index`` ("(Satreskrim)", "(BPOM RI)"): the index after it and the form."""
    if text.word(index) != "(" or not text.capitalised(index + 1):
        return index, None
    for close in range(index + 2, min(index + 2 + MAX_BRACKET_WORDS, len(text.annotated.doc))):
        if text.word(close) in _CLOSING:
            words = [text.word(i) for i in range(index + 1, close)]
            if all(w[:1].isupper() or w[:1].isdigit() for w in words):
                return close + 1, text.annotated.text(index + 1, close)
            break
    return index, None


@dataclass(slots=True)
class _RegionFound:
    region: Region
    end: int
    keyword: str | None  # the place keyword written before the name ("Kota")
    candidates: tuple[Region, ...]


def _region_after(text: _Text, index: int, level: str) -> _RegionFound | None:
    """A registered region starting at token ``index`` (after an optional place keyword)."""
    lex = lexicon()
    doc = text.annotated.doc
    keyword_level = keyword = None
    if index + 1 < len(doc) and doc[index].lower_.rstrip(".") in lex.place_keywords:
        keyword_level = lex.place_keywords[doc[index].lower_.rstrip(".")]
        keyword = doc[index].text.rstrip(".")
        index += 2 if doc[index + 1].text == "." else 1
    found = text.annotated.places.get(index)
    if found is None or not text.capitalised(index):
        return None
    end, term = found
    wanted = keyword_level or {"any": "city", "place": None}.get(level, level)
    region = choose_region(term.regions, wanted)
    if region is None and level in ("any", "place"):
        region = choose_region(term.regions, None)
    if region is None or (level == "province" and region.level != "province"):
        return None
    return _RegionFound(region, end, keyword, term.regions)


def _name_word(text: _Text, index: int) -> bool:
    """A capitalised word that may be part of a name: no person's name, post or rank starts there."""
    word = text.word(index)
    annotated = text.annotated
    return bool(word) and word[:1].isupper() and any(c.isalpha() for c in word) and index not in text.excluded \
        and index not in annotated.posts and index not in annotated.ranks


def _place_word(text: _Text, index: int) -> bool:
    """A capitalised word of a place name after a unit kind: read even where the people finder took it for a
    name ("Polsek Darussalam", "Polres Bandara Soekarno Hatta"); the kind before it is the stronger evidence."""
    annotated = text.annotated
    return text.capitalised(index) and index not in annotated.posts and index not in annotated.ranks


def _written_place(text: _Text, index: int) -> int:
    """End of an unregistered place name (capitalised words) starting at ``index``."""
    stop = lexicon().stopwords
    end = index
    while end < len(text.annotated.doc) and end - index < MAX_PLACE_WORDS and _place_word(text, end) \
            and text.annotated.doc[end].is_alpha and text.annotated.doc[end].lower_ not in stop:
        end += 1
        if text.word(end) == "-" and not text.annotated.doc[end - 1].whitespace_ and end + 1 < len(text.annotated.doc) \
                and not text.annotated.doc[end].whitespace_ and _place_word(text, end + 1):
            end += 1  # "Soekarno-Hatta"
    return end - 1 if end > index and text.word(end - 1) == "-" else end


def _district_after(text: _Text, index: int) -> tuple[int, Region | None]:
    """The longest district name of the register at ``index`` ("Pasar Minggu", "Padang Ratu"): its end, and
    its region when only one district bears the name."""
    districts = lexicon().districts
    best = index, None
    for end in range(index + 1, min(index + MAX_DISTRICT_WORDS, len(text.annotated.doc)) + 1):
        if not _place_word(text, end - 1):
            break
        found = districts.get(text.annotated.text(index, end).casefold())
        if found:
            best = end, found[0] if len(found) == 1 else None
    return best


def _place_words(text: _Text, index: int, level: str) -> tuple[int, Region | None]:
    """The place a unit is named after, as written: a district of the register, a registered region or
    capitalised words; a district over a shorter region ("Padang Ratu", not "Padang"), a region over longer
    capitalised words, which may be a person's name ("Lapas Tangerang Beni Hidayat")."""
    district_end, district = _district_after(text, index)
    found = _region_after(text, index, level)
    written_end = _written_place(text, index)
    if found is not None and found.end >= district_end:
        return found.end, found.region
    if district_end > index and district_end >= written_end:
        return district_end, district
    if written_end > index and found is None:
        for inner in range(index + 1, written_end):  # "Gunung Sindur Bogor": the prison, then its town
            place = text.annotated.places.get(inner)
            if place is not None and place[0] == written_end:
                return inner, district if district_end == inner else choose_region(place[1].regions, None)
    return written_end, None if found is None or found.end < written_end else found.region


# --- units of a kind --------------------------------------------------------------------------------
def _kind_word(kind: Kind, written: str) -> str:
    """The kind's word in this mention's name: as the text spells it (for kinds named as written, and kept
    forms such as "Polres Metro"), else the canonical word."""
    rules = _rules(kind)
    folded = fold(written)
    if folded in rules.kept_forms:
        return rules.kept_forms[folded]
    if rules.written:
        return rules.spellings.get(folded, written)
    return rules.name


def _add(text: _Text, mention: OrgMention) -> None:
    text.result.mentions.append(mention)
    end, _ = _bracket(text, mention.end)
    text.result.covered.update(range(mention.start, end))


def _parse_unit(text: _Text, start: int) -> OrgMention | _Pending | None:
    """The unit named from the kind or national form at ``start``, whichever is longer. Followed by a foreign
    country, the form names that country's body, as written ("Mahkamah Agung Saudi", "Bea Cukai Amerika
    Serikat")."""
    kind_end = text.kinds.get(start, (0, None))[0]
    national_end = text.nationals.get(start, (0, None))[0]
    if national_end > kind_end and _spelt_out_otherwise(text, start, national_end):
        return None
    country_end = _country_after(text, max(kind_end, national_end))
    if country_end:
        kind = text.kinds.get(start, (0, None))[1] if kind_end >= national_end else text.nationals[start][1]
        name = text.annotated.text(start, country_end)
        return OrgMention(name, kind.type if kind else None, None, None, start, country_end, key=f"~{fold(name)}")
    if kind_end and kind_end >= national_end:  # "BNN Provinsi NTT" (a kind) outranks "BNN" (national)
        return _parse_kind(text, start)
    return _parse_national(text, start) if national_end else None


def _spelt_out_otherwise(text: _Text, start: int, end: int) -> bool:
    """Whether the text spells out the acronym at ``[start, end)``, after capitalised words in brackets, as something
    other than the national body it names elsewhere: "Penegakan Syariat Islam (PSI)" is no party, "Pajak Bumi dan
    Bangunan (PBB)" no United Nations."""
    if end - start != 1 or not text.word(start).isupper():
        return False
    word = text.word(start)
    body = text.nationals[start][1]
    spelt = [i for i in positions(text.texts, word) if text.word(i - 1) == "("
             and text.word(i + 1) == ")" and text.capitalised(i - 2)
             and (text.capitalised(i - 3) or _joins(text, i - 3))]
    return any(not any(end == i - 1 and found is body for end, found in text.nationals.values()) for i in spelt)


def _country_after(text: _Text, index: int) -> int:
    """The end of a foreign country's name at ``index``, or 0."""
    if not text.capitalised(index):  # a country's name opens with a capital: most words are no country
        return 0
    countries = _vocabulary().countries
    for end in range(min(index + MAX_PLACE_WORDS, len(text.annotated.doc)), index, -1):
        name = fold(text.annotated.text(index, end))
        if name in countries and name != "indonesia":
            return end
    return 0


def _parse_kind(text: _Text, start: int) -> OrgMention | _Pending | None:
    end, kind = text.kinds[start]
    rules = _rules(kind)
    written = text.annotated.text(start, end)
    cursor, short = _bracket(text, end)  # "Satuan Reserse Kriminal (Satreskrim) Polres ..."
    qualifiers: list[str] = []
    while cursor < len(text.annotated.doc) and text.word(cursor) in kind.qualifiers:
        qualifiers.append(text.word(cursor))
        cursor += 1
    word = _kind_word(kind, written)
    short_word = _vocabulary().kind_rules[kind.key].spellings.get(fold(short), short) \
        if short is not None and rules.written else None
    own = " ".join([word, *qualifiers]) if rules.keep_qualifiers or kind.level == "place" else word
    short_own = " ".join([short_word, *qualifiers]) if short_word and rules.keep_qualifiers else short_word
    if kind.level == "parent" or (kind.level == "place" and (cursor in text.nationals or cursor in text.kinds)):
        parent = _parent_after(text, cursor, rules.parents if kind.level == "parent" else None)
        if parent is not None:
            _add(text, parent)
            return OrgMention(f"{own} {parent.name}", kind.type, parent.region, parent.name, start, parent.end,
                              kind.key, key=f"{kind.key}>{parent.identity}", short=short_own, prefix=own,
                              parent_key=parent.identity)
        if kind.level == "parent":
            return _Pending(kind, start, end, written)
    if rules.facility_words and text.word(cursor) in rules.facility_words:
        place_end = _written_place(text, cursor + 1)
        if place_end > cursor + 1:  # "Polres Bandara Soekarno-Hatta"
            name = f"{word} {text.annotated.text(cursor, place_end)}"
            return OrgMention(name, kind.type, None, None, start, place_end, kind.key)
    if kind.level == "place" or rules.written_place:
        place_end, region = _place_words(text, cursor, kind.level)
        if place_end > cursor:
            name = " ".join([own, text.annotated.text(cursor, place_end)])
            parent = parent_name(kind, region) if region is not None and region.level != "district" else None
            return OrgMention(name, kind.type, region, parent or (kind.parent if kind.level == "place" else None),
                              start, place_end, kind.key, key=f"{kind.key} {fold(name)}")
        return _Pending(kind, start, end, written)
    found = _region_after(text, cursor, kind.level)
    if found is None:
        return _Pending(kind, start, end, written)
    return _regional_unit(text, kind, word, short_word, found, start)


def _regional_unit(text: _Text, kind: Kind, word: str, short_word: str | None, found: _RegionFound,
                   start: int) -> OrgMention:
    rules = _rules(kind)
    region, end = found.region, found.end
    suffix = ""
    if kind.type == "police" and text.word(end) == "Kota" and end + 1 not in text.annotated.places:
        # "Polresta Bogor Kota", "Polres Metro Bekasi Kota": the city's unit, named so
        region = choose_region(found.candidates, "city") or region
        suffix, end = " Kota", end + 1
    place = _place_name(region)
    shared = {r.level for r in found.candidates if r.level in ("city", "regency")} == {"city", "regency"}
    if rules.written and found.keyword and shared:  # "Kejaksaan Negeri Kota Tangerang" is not the regency's
        place = f"{found.keyword.capitalize()} {place}"
    if rules.written or fold(word) in rules.kept_forms:
        name = f"{word} {place}{suffix}"
    else:
        name = canonical_name(kind.key, region) + suffix
    short = f"{short_word} {place}{suffix}" if short_word else None
    return OrgMention(name, kind.type, region, parent_name(kind, region), start, end, kind.key,
                      key=f"{kind.key} {region.code}{suffix}", short=short)


def _parent_after(text: _Text, index: int, parents: frozenset[str] | None) -> OrgMention | None:
    """The unit or body at ``index`` a sub-unit belongs to ("Polda Metro Jaya" after "Subdit 1 Narkoba"); any
    unit or body when ``parents`` is None ("Rutan KPK")."""
    if not text.capitalised(index):
        return None
    kind = text.kinds.get(index)
    national = text.nationals.get(index)
    if kind is not None and (national is None or kind[0] >= national[0]):
        if parents is not None and kind[1].key not in parents:
            return None
        found = _parse_kind(text, index)
    elif national is not None:
        if parents is not None and national[1].name not in parents:
            return None
        found = _parse_national(text, index)
    else:
        return None
    return found if isinstance(found, OrgMention) else None


def _parse_national(text: _Text, start: int) -> OrgMention:
    end, national = text.nationals[start]
    vocabulary = _vocabulary()
    for level, kind_key in national.regional:
        found = _region_after(text, end, level)
        if found is not None and found.region.level == level:
            kind = vocabulary.kinds[kind_key]
            return _regional_unit(text, kind, _rules(kind).name, None, found, start)
    rules = vocabulary.body_rules.get(national.name)
    if rules is None or not rules.written:
        return OrgMention(national_name(national.name), national.type, None, _parent(national.parent), start, end,
                          key=national.name)
    written = text.annotated.text(start, end)
    _, short = _bracket(text, end)
    return OrgMention(rules.spellings.get(fold(written), written), national.type, None, _parent(national.parent),
                      start, end, key=national.name, short=rules.spellings.get(fold(short), short) if short else None)


def _parent(name: str | None) -> str | None:
    return national_name(name) if name is not None else None


def _resolve_pending(text: _Text, pending: list[_Pending]) -> None:
    """A kind written alone is a further mention of the one unit of that kind the article names, else of the
    national body it means alone ("Bea Cukai"), else of its sub-unit of the one body it belongs to."""
    result = text.result
    vocabulary = _vocabulary()
    for item in pending:
        if item.start in result.covered:
            continue
        same = {m.identity: m for m in result.mentions if m.kind == item.kind.key}
        rules = _rules(item.kind)
        if len(same) == 1:
            match = next(iter(same.values()))
            mention = OrgMention(match.name, match.type, match.region, match.parent, item.start, item.end,
                                 match.kind, key=match.key, prefix=match.prefix, parent_key=match.parent_key)
        elif not same and rules.alone is not None and rules.alone in vocabulary.nationals:
            national = vocabulary.nationals[rules.alone]
            mention = OrgMention(_kind_word(item.kind, item.written), national.type, None, _parent(national.parent),
                                 item.start, item.end, key=national.name)
        elif not same and item.kind.level == "parent":
            bodies = {m.identity: m for m in result.mentions if m.identity in rules.parents and m.kind is None}
            if len(bodies) != 1:
                continue
            body = next(iter(bodies.values()))
            own = _kind_word(item.kind, item.written)
            mention = OrgMention(f"{own} {body.name}", item.kind.type, None, body.name, item.start, item.end,
                                 item.kind.key, key=f"{item.kind.key}>{body.identity}", prefix=own,
                                 parent_key=body.identity)
        else:
            continue
        result.mentions.append(mention)
        result.covered.update(range(item.start, item.end))


# --- other named bodies -----------------------------------------------------------------------------
def _head_at(text: _Text, index: int) -> tuple[int, str] | None:
    """A head word of organisation names at ``index`` ("Kementerian", "Rumah Sakit", "PT"): its end and folded
    form. An acronym head must be written in capitals; a head after a title word heads no organisation
    ("Peraturan Pemerintah")."""
    vocabulary = _vocabulary()
    if text.word(index).casefold() not in vocabulary.head_starts or not text.capitalised(index) \
            or (index > 0 and text.word(index - 1) in vocabulary.not_before):
        return None
    if index > 0 and fold(f"{text.word(index - 1)} {text.word(index)}") in vocabulary.countries:
        return None  # "Amerika Serikat"
    for width in (3, 2, 1):
        end = index + width
        if end > len(text.annotated.doc):
            continue
        folded = fold(text.annotated.text(index, end))
        spelled = vocabulary.head_spellings.get(folded)
        if spelled is not None and (not spelled.isupper() or text.annotated.text(index, end) == spelled):
            return end, folded
    return None


def _name_end(text: _Text, index: int, head: str) -> int:
    """End of the name words from ``index``, right after the ``head``: capitalised words, with connectors and
    hyphens between them, up to MAX_NAME_WORDS. A unit or body the rules found ends the name ("Satgas CTOC Polda
    Bali"), and so does another head ("Ministry of Interior ... Pemerintah Pakistan"), a date word, or a
    connector right after an acronym head ("RS dan ...")."""
    vocabulary = _vocabulary()
    doc = text.annotated.doc
    numbers = vocabulary.heads[head] == "education"  # "SMPN 184"
    legal = head in vocabulary.legal_names  # "PT Bank Bukopin Tbk"
    end = index
    while end < len(doc) and end - index < MAX_NAME_WORDS:
        if end in text.result.covered:  # "Satgasus Mabes Polri", "Fraksi Partai Keadilan Sejahtera"
            unit = next((m for m in text.result.mentions if m.start == end), None)
            return unit.end if unit is not None and (end > index or head in vocabulary.unit_heads) else end
        if doc[end].text in vocabulary.breakers or (end > index and not legal and _head_at(text, end)):
            break
        if _name_word(text, end) or (numbers and end == index and doc[end].text.isdigit()) \
                or (_joins(text, end) and (end > index or not vocabulary.head_spellings[head].isupper())):
            end += 1
        else:
            break
    return end


def _joins(text: _Text, index: int, *, in_tail: bool = False) -> bool:
    """A connector or a hyphen at ``index`` inside one name ("Kelautan dan Perikanan", "Saint-Germain"), not
    between two ("Pemerintah Indonesia dan Pemerintah Pakistan", "PT Pindad dan Amnesty International")."""
    doc = text.annotated.doc
    word = text.word(index)
    vocabulary = _vocabulary()
    if index < 1 or not (_name_word(text, index - 1) and _name_word(text, index + 1)):
        return False
    if word == "-":
        return not doc[index - 1].whitespace_ and not doc[index].whitespace_
    if word not in vocabulary.connectors:
        return False
    after = index + 1
    place = text.annotated.places.get(after)
    return not (_head_at(text, after) or after in text.result.covered or (not in_tail and _tail_after(text, after))
                or fold(text.word(index - 1)) in vocabulary.countries or fold(text.word(after)) in vocabulary.countries
                or (place is not None and not _name_word(text, place[0])))


def _tail_after(text: _Text, index: int) -> bool:
    """Whether the capitalised words from ``index`` end with a tail word ("Amnesty International")."""
    tails = _vocabulary().tails
    end = index
    while end < len(text.annotated.doc) and end - index < MAX_NAME_WORDS and _name_word(text, end):
        if text.word(end) in tails:
            return True
        end += 1
    return False


def _cut_after_place(text: _Text, start: int, end: int) -> int:
    """A name that reaches past a place ends with the place ("Dinas Pendidikan DKI Jakarta"; a name the rules did
    not know may follow it)."""
    index = start
    while index < end:
        place = text.annotated.places.get(index)
        if place is not None and place[0] < end:
            return place[0]
        index = place[0] if place is not None else index + 1
    return end


def _cut_after_acronym(text: _Text, start: int, end: int) -> int:
    """A name that goes on from an acronym with one or two capitalised words ends at the acronym: the words are a
    person's name ("Departemen Komunikasi BI Agusman")."""
    for index in range(start, end - 1):
        if text.word(index).isupper() and len(text.word(index)) > 1 and end - index <= 3 \
                and _name_like(text, index + 1, end, min_words=1) \
                and not any(i in text.result.covered for i in range(index, end)):
            return index + 1
    return end


def _full_places(text: _Text, start: int, end: int) -> tuple[str, Region | None]:
    """The text of tokens ``[start, end)`` with each region written by its full name ("Provinsi NTT" ->
    "Provinsi Nusa Tenggara Timur", "Pemprov DKI" -> "Pemprov DKI Jakarta"), and the region it ends with."""
    parts: list[str] = []
    index = start
    annotated = text.annotated
    region = None
    while index < end:
        place = annotated.places.get(index)
        region = None
        if place is not None and place[0] <= end:
            region = choose_region(place[1].regions, None)
            parts.append(_place_name(region) if region is not None else annotated.text(index, place[0]))
            last = place[0] - 1
            index = place[0]
        else:
            parts.append(annotated.doc[index].text)
            last = index
            index += 1
        if index < end and annotated.doc[last].whitespace_:
            parts.append(" ")
    return "".join(parts), region


def _place_after(text: _Text, index: int) -> tuple[int, str] | None:
    """A region right after a bracketed short form ("(BPKAD) Kota Sorong"): its end and written name."""
    found = _region_after(text, index, "any")
    if found is None:
        return None
    place = _place_name(found.region)
    return found.end, f"{found.keyword.capitalize()} {place}" if found.keyword else place


def _short_form(text: _Text, name: str, short: str | None) -> str | None:
    """A bracketed form that names the organisation: shorter than the name, no place, no common acronym; an
    acronym, or a contraction of the name ("Kemenpora", "Pansel"), not a place ("... Medan (Kualanamu)")."""
    if short is None or len(short) >= len(name) or fold(short) in _vocabulary().not_organizations:
        return None
    if not _ACRONYM.match(short.split()[0]) and short[:1].casefold() != name[:1].casefold():
        return None
    if lexicon().places.get(fold(short)) is not None or fold(short) in lexicon().place_keywords:
        return None
    return short


def _generic(text: _Text, start: int, end: int, kind: str | None, head: str | None) -> OrgMention | None:
    """The organisation named by tokens ``[start, end)`` and the short form in brackets after them."""
    vocabulary = _vocabulary()
    if end <= start:
        return None
    region = None
    if any(_GLUED.match(text.word(i)) for i in range(start, end)):
        return None  # "JakartaManchester United": words of two sentences run together by the scraper
    if kind == "government":
        name, region = _full_places(text, start, end)
    else:
        name = text.annotated.text(start, end)
    name = _TRAILING_MARK.sub("", name)  # "PT Sarinah22", "PT Indosat Tbk(acd": a footnote or a broken bracket
    if fold(name) in vocabulary.not_organizations or fold(name.split()[0]) in vocabulary.not_organizations:
        return None
    after, written_short = _bracket(text, end)
    inside = next((m for m in text.result.mentions if m.start == end + 1 and m.end == after - 1), None)
    if inside is not None:  # "Badan Usaha Logistik (Perum Bulog)": the body the rules know, written out
        return OrgMention(inside.name, inside.type, inside.region, inside.parent, start, end, inside.kind,
                          key=inside.key, prefix=inside.prefix, parent_key=inside.parent_key)
    short = _short_form(text, name, written_short)
    key = text.aliases.get(fold(name), f"~{fold(name)}")
    if written_short is not None and head in vocabulary.legal_names:
        if written_short in ("Persero", "Tbk"):
            name, end = f"{name} ({written_short})", after  # "PT ASDP Indonesia Ferry (Persero)"
        elif short is not None:
            text.aliases[fold(f"{text.word(start)} {short}")] = key  # "PT DNP" is "PT Dharma Nyata Press (DNP)"
        short = None
    if short is not None:
        place = _place_after(text, after)
        if place is not None:
            short = f"{short} {place[1]}"  # "Badan Pengelola Keuangan dan Aset Daerah (BPKAD) Kota Sorong"
    return OrgMention(name, kind, region, None, start, end, key=key, short=short)


def _name_like(text: _Text, start: int, end: int, min_words: int = 2) -> bool:
    """Whether tokens ``[start, end)`` read like a person's name: two or more capitalised words, none a place,
    country, acronym or connector ("Amien Rais", not "Amerika Serikat" or "dan Keamanan Belanda")."""
    vocabulary = _vocabulary()
    annotated = text.annotated
    return end - start >= min_words and all(
        _name_word(text, i) and not text.word(i).isupper() and i not in annotated.places
        and fold(text.word(i)) not in vocabulary.countries and text.word(i) not in vocabulary.tails
        and annotated.doc[i].lower_.rstrip(".") not in lexicon().place_keywords for i in range(start, end))


def _contraction(text: _Text, index: int) -> bool:
    """A ministry's contracted name ("Kemenpora", "Kemendagri", "KemenPAN"), not a common word ("Kemenangan")."""
    word = text.word(index)
    vocabulary = _vocabulary()
    if not word.startswith(vocabulary.contractions):
        return False
    return any(word.startswith(prefix) and len(word) > len(prefix) + 1 and word[len(prefix)].isalpha()
               for prefix in vocabulary.contractions) and word.isalpha() and word.casefold() not in \
        vocabulary.common_words and fold(word) not in vocabulary.heads  # not "Kementerian" alone


def _contraction_names(text: _Text) -> None:
    """Ministries written by their contracted names, with the capitals that may follow ("Kemenpan RB")."""
    prefixes = _vocabulary().contractions
    words = text.texts
    # a capitalised prefix ("Kemen") starts only capitalised words: those are the few to look at
    candidates = text.annotated.capitalised if all(p[:1].isupper() for p in prefixes) else range(len(words))
    for index in [i for i in candidates if words[i].startswith(prefixes)]:
        if index in text.result.covered or not _contraction(text, index):
            continue
        end = index + 1
        while end < len(text.annotated.doc) and end - index <= 2 and text.word(end).isupper() \
                and end not in text.result.covered and len(text.word(end)) > 1:
            end += 1
        mention = _generic(text, index, end, "government", None)
        if mention is not None:
            _add(text, mention)


def _head_names(text: _Text, spans: Sequence[tuple[int, int]]) -> None:
    """Names opened by a head word: "Kementerian Sekretariat Negara", "PT Pindad", "SMPN 184 Jakarta Timur". Where
    the model labels an organisation from the head on, the name ends where the model's does: a person's name
    often follows ("Ketua Umum Partai Amanat Nasional Amien Rais")."""
    vocabulary = _vocabulary()
    model_ends = {start: end for start, end in spans}
    starts = vocabulary.head_starts
    after = 0  # the end of the last name read
    words = text.texts
    lowers = text.annotated.lowers  # (a token whose lower-case form is ASCII folds to it: names.cue_zone)
    for index in [i for i in text.annotated.capitalised
                  if lowers[i] in starts or (not lowers[i].isascii() and words[i].casefold() in starts)]:
        if index < after:
            continue
        head = None if index in text.result.covered else _head_at(text, index)  # no person's name: "Universitas"
        if head is None or max(text.kinds.get(index, (0, None))[0], text.nationals.get(index, (0, None))[0]) > head[0]:
            continue  # "Kepolisian Resor kota": a unit kind without its region, no name of its own
        head_end, folded = head
        kind = vocabulary.heads[folded]
        end = _cut_after_place(text, head_end, _name_end(text, head_end, folded))
        if folded not in vocabulary.legal_names:
            end = _cut_after_acronym(text, head_end, end)
        if head_end < model_ends.get(index, end) < end and _name_like(text, model_ends[index], end):
            end = model_ends[index]
        words = end - head_end
        _, short = _bracket(text, end)
        if words == 0 or (folded in vocabulary.weak_heads and words < 2 and short is None):
            after = head_end
            continue
        mention = _generic(text, index, end, kind, folded)
        if mention is not None:
            _add(text, mention)
        after = end


def _tail_names(text: _Text) -> None:
    """Names closed by a tail word: "Saudi Press Agency", "Amnesty International", "Bologna FC"."""
    vocabulary = _vocabulary()
    tails = vocabulary.tails
    for index in [i for i, word in enumerate(text.texts) if word in tails]:  # the few tail words, in one pass
        if index in text.result.covered or index in text.excluded:
            continue
        start = index
        while start > 0 and index - start < MAX_NAME_WORDS and start - 1 not in text.result.covered:
            before = text.word(start - 1)
            if before.isupper() and not text.word(start).isupper():
                break  # "HAM Amnesty International": an acronym of its own before the name
            if before in vocabulary.breakers or before in vocabulary.officers \
                    or not ((_place_word(text, start - 1) and before not in vocabulary.openers
                                                      and any(c.isalpha() for c in before))
                                                     or _joins(text, start - 1, in_tail=True)):
                break  # "Amnesty International" even where "Amnesty" was read as a person
            start -= 1
        while start < index and (text.word(start) in vocabulary.connectors or (
                text.word(start).casefold() in vocabulary.common_words and _opens_sentence(text, start))):
            start += 1  # "Pemain Bologna FC": a sentence's first word, not "Musim Mas Group"
        if start == index:
            continue
        mention = _generic(text, start, index + 1, None, None)
        if mention is not None:
            _add(text, mention)


def _opens_sentence(text: _Text, index: int) -> bool:
    """Whether the word at ``index`` opens a sentence or a line."""
    return index == 0 or text.word(index - 1) in (".", "!", "?", '"', "“", "”") or "\n" in text.word(index - 1)


def _person_like(text: _Text, name: str) -> bool:
    """Whether ``name`` stands for a person somewhere in the text: after a title ("Prof Taruna Ikrar"), after
    "tersangka", "Sdr.", "inisial", or before an age or sex in brackets ("AJ (34)", "ESS (perempuan, 53 tahun)")."""
    vocabulary = _vocabulary()
    lex = lexicon()
    doc = text.annotated.doc
    first = name.split()[0]
    size = len(lex.nlp.make_doc(name))
    for i in positions(text.annotated.texts, first):
        start = doc[i].idx
        if text.annotated.source[start:start + len(name)] != name:
            continue
        before = i - 2 if i > 1 and doc[i - 1].text == "." else i - 1
        cue = doc[before].lower_ if before >= 0 else ""
        after = i + size
        bracket = doc[after + 1].text if after + 1 < len(doc) and doc[after].text == "(" else ""
        if cue in vocabulary.initials_cues or title_key(cue) in lex.prefix_titles \
                or title_key(cue) in lex.academic_titles or bracket[:1].isdigit() or bracket[:1].islower():
            return True
    return False


def _acronym(word: str) -> bool:
    return bool(_ACRONYM.match(word)) and len(word) >= MIN_ACRONYM_CHARS


def _model_names(text: _Text, spans: Sequence[tuple[int, int]]) -> None:
    """Acronyms the statistical model labels ORG ("OECD", "GIK UGM", "ASOD"). The model alone also labels people,
    events, products, laws, people's initials and any capitalised phrase abbreviated in brackets ("Rencana
    Anggaran Biaya (RAB)"); on the development articles its other names added no organisation the head and tail
    words had not found."""
    vocabulary = _vocabulary()
    for start, end in _joined(spans):
        while start < end and (not _name_word(text, start) or text.word(start) in vocabulary.openers):
            start += 1
        stop = start
        while stop < end and text.word(stop) != "(" and stop not in text.excluded:
            stop += 1
        end = stop
        while end > start and not _name_word(text, end - 1):
            end -= 1
        if end <= start or any(i in text.result.covered for i in range(start, end)):
            continue
        if text.word(start) in vocabulary.not_first or text.annotated.doc[start].lower_ in lexicon().street_words:
            continue  # "Desa Tanah Manis", "Dermaga Batu Ampar"
        words = [text.word(i) for i in range(start, end)]
        if not all(_acronym(word) and _organisation_acronym(text, word, spans) for word in words):
            continue
        mention = _generic(text, start, end, None, None)
        if mention is not None:
            _add(text, mention)


def _organisation_acronym(text: _Text, word: str, spans: Sequence[tuple[int, int]]) -> bool:
    """Whether the acronym ``word`` names an organisation: used twice, never for a person ("tersangka AJ",
    "AJ (34)") or after a law word ("UU ITE"); where the text spells it out, as a capitalised name that opens
    with a head word, closes with a tail word or is itself labelled ORG ("ASEAN Senior Officials on Drug Matters
    (ASOD)"), not as a common phrase ("pemutusan hubungan kerja (PHK)", "Warga Binaan Pemasyarakatan (WBP)");
    where it does not, after an officer's title ("Rektor UGM", "Direktur Utama GIK UGM"): the model alone
    labels products, services, events and initials as well ("KRL", "TikTok", "SEA Games", "HYL")."""
    vocabulary = _vocabulary()
    places = [i for i, token in enumerate(text.annotated.texts) if token == word]  # no Token object per word
    if len(places) < 2 or fold(word) in vocabulary.not_organizations or _person_like(text, word):
        return False
    tagged = {i for s, e in spans for i in range(s, e)}
    defined = False
    for i in places:
        before = text.word(i - 1) if i else ""
        if before in vocabulary.not_before or fold(before) in vocabulary.not_organizations:
            return False
        if before != "(" or text.word(i + 1) != ")":
            continue
        defined = True
        start = i - 1
        while start > 0 and i - start <= MAX_NAME_WORDS and (_name_word(text, start - 1) or _joins(text, start - 1)):
            start -= 1
        long_form = range(start, i - 1)
        if not long_form or text.word(start) in vocabulary.not_first or text.word(start) in vocabulary.not_before:
            continue
        if _head_at(text, start) or text.word(i - 2) in vocabulary.tails \
                or any(j in tagged or j in text.result.covered for j in long_form):
            return True
    return not defined and any(_after_officer(text, i) for i in places)


def _after_officer(text: _Text, index: int) -> bool:
    """Whether an officer's title or post stands before ``index``, with at most one word or acronym between
    ("Rektor UGM", "Direktur Utama GIK UGM", "Juru Bicara KPK")."""
    officers = _vocabulary().officers
    post_ends = {end for end, _ in text.annotated.posts.values()}
    for before in (index - 1, index - 2):
        if before < 0:
            return False
        if text.word(before) in officers or before + 1 in post_ends:
            return True
        if not text.capitalised(before):
            return False
    return False


def _joined(spans: Sequence[tuple[int, int]]) -> list[tuple[int, int]]:
    """Adjacent model spans as one ("GIK" + "UGM")."""
    joined: list[tuple[int, int]] = []
    for start, end in sorted(spans):
        if joined and joined[-1][1] == start:
            joined[-1] = (joined[-1][0], end)
        else:
            joined.append((start, end))
    return joined


def _post_units(text: _Text) -> None:
    """Units named after a written place that only a post names ("Kapolsek Rawalumbu AKP ..."): the rules of
    people cannot resolve a district the place lexicon does not hold."""
    vocabulary = _vocabulary()
    for start, (end, post) in sorted(text.annotated.posts.items()):
        kind = vocabulary.kinds.get(post.unit)
        if kind is None or not _rules(kind).written_place or start in text.result.covered:
            continue
        place_end, region = _place_words(text, end, kind.level)
        if place_end > end:
            name = f"{_rules(kind).name} {text.annotated.text(end, place_end)}"
            _add(text, OrgMention(name, kind.type, region, None, end, place_end, kind.key,
                                  key=f"{kind.key} {fold(name)}"))


def _merge_generic(mentions: list[OrgMention]) -> None:
    """A generic name that begins another one written before it names the same body ("Satgas Gakkum" after
    "Satgas Gakkum Ops Damai Cartenz")."""
    named = {m.identity: m for m in mentions if m.identity.startswith("~")}
    generic = sorted(named.values(), key=lambda m: -len(m.name))
    for mention in mentions:
        if not mention.identity.startswith("~"):
            continue
        longer = next((m for m in generic if len(m.name) > len(mention.name) and m.start < mention.start
                       and m.name.startswith(mention.name + " ")), None)
        if longer is not None:
            mention.key, mention.name, mention.short = longer.key, longer.name, longer.short or mention.short


# --- the article's organisations --------------------------------------------------------------------
def find_organizations(annotated: Annotated, excluded: set[int],
                       model_spans: Sequence[tuple[int, int]] = ()) -> OrgResult:
    """Organisation mentions, longest first at each token; ``excluded`` tokens are person names.
    ``model_spans``: token spans ``[start, end)`` the statistical model labels ORG where no rule entity is."""
    text = _read(annotated, excluded)
    result = text.result
    pending: list[_Pending] = []
    for start in sorted(set(text.kinds) | set(text.nationals)):
        if start in result.covered or not text.capitalised(start):
            continue  # a vocabulary form outranks the people finder: "Utama Perum Bulog" is no person
        found = _parse_unit(text, start)
        if isinstance(found, _Pending):
            pending.append(found)
        elif found is not None:
            _add(text, found)
    _resolve_pending(text, pending)
    _post_units(text)
    _head_names(text, model_spans)
    _contraction_names(text)
    _tail_names(text)
    _model_names(text, model_spans)
    _merge_place_units(result.mentions)
    _merge_generic(result.mentions)
    _settle_names(result.mentions)
    return result


def _merge_place_units(mentions: list[OrgMention]) -> None:
    """'Lapas Kasongan' after 'Lapas Narkotika Kasongan' is the same prison: same kind, same place."""
    place_kinds = {k.key for k in _vocabulary().kinds.values() if k.level == "place"}
    full: dict[tuple[str, str], OrgMention] = {}
    for mention in sorted(mentions, key=lambda m: -len(m.name)):
        if mention.kind not in place_kinds or mention.prefix is not None:
            continue
        place = mention.name.split()[-1].casefold()
        key = (mention.kind, place)
        first = full.setdefault(key, mention)
        if first is not mention and first.name != mention.name and mention.name.startswith(mention.kind):
            mention.name, mention.key = first.name, first.key


def _settle_names(mentions: list[OrgMention]) -> None:
    """One name for each organisation over its mentions: the bracketed short form the text gives, else its
    longest form; a sub-unit's name ends with its parent's."""
    groups: dict[str, list[OrgMention]] = {}
    for mention in sorted(mentions, key=lambda m: m.start):
        groups.setdefault(mention.identity, []).append(mention)
    names: dict[str, str] = {}
    for key, group in groups.items():
        if group[0].prefix is None:
            names[key] = next((m.short for m in group if m.short), None) or max((m.name for m in group), key=len)
    children = [(key, group) for key, group in groups.items() if group[0].prefix is not None]
    for key, group in sorted(children, key=lambda item: item[1][0].end - item[1][0].start):  # inner units first
        own = next((m.short for m in group if m.short), None) or max((m.prefix or "" for m in group), key=len)
        parent = names.get(group[0].parent_key or "")
        if parent is not None:
            names[key] = f"{own} {parent}"
            for mention in group:
                mention.parent = parent
        else:
            names[key] = max((m.name for m in group), key=len)
    for mention in mentions:
        mention.name = names[mention.identity]


def to_organizations(mentions: list[OrgMention], annotated: Annotated) -> list[Organization]:
    """One Organization per organisation. Mentions made elsewhere (a person's unit) take the name this module
    gave the same body or unit: "BNN" -> "BNN RI", a court post's unit -> the court as the text names it."""
    named = {m.key: m.name for m in mentions if m.key is not None}
    by_unit = {(m.kind, m.region.code): m.name for m in mentions if m.key is not None and m.kind and m.region}
    by_name: dict[str, Organization] = {}
    for mention in sorted(mentions, key=lambda m: m.start):
        name = mention.name
        if mention.key is None:
            name = named.get(name) or (by_unit.get((mention.kind, mention.region.code)) if mention.region else None) \
                or national_name(name)
        org = by_name.get(name)
        if org is None:
            parent = named.get(mention.parent or "", _parent(mention.parent))
            org = by_name[name] = Organization(
                name=name, type=mention.type, region_code=mention.region.code if mention.region else None,
                parent=parent)
        span = annotated.char_span(mention.start, mention.end)
        if span not in org.mentions:
            org.mentions.append(span)
    for org in by_name.values():
        org.mentions.sort()
    return list(by_name.values())
