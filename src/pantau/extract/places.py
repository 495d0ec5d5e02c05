"""Places resolved to Kemendagri codes, and which of them are where the story happens.

Finding (``find_places``). A register name counts as a place when every word of it is capitalised and it
is not inside a person's name. Names that are also common words, person names or post abbreviations
("Batu", "Bima", "Karo", "DIY"; places.toml [ambiguous]) count only after a place keyword ("Kota Batu"), a
locative word ("di Bima") or a unit kind ("Polres Karo"), and not when another name goes on after them
("Jalan Bangka Raya"). A name that goes on into a district's name is that district ("Kampar Kiri", "Polsek
Padang Ratu"); "X Kota" is the city. When a regency and a city share a name, "Kabupaten X" / "Kota X"
decide; a bare name, like a dateline, means the city ("Kupang" -> Kota Kupang 53.71), a Polres the
regency. Named venues ("Kompleks Parlemen", "Bandara Soekarno-Hatta"; [landmarks]) are places of their
city, and so are national seats for a meeting or a dated statement ("rapat Paripurna DPR"; [seats]).

Salience (``to_locations``). A record's locations are the places where the reported events happen. Each
mention gets a role from the words written right before its place phrase ([salience]): a place someone
comes from, goes to, passes through, lives in, is compared with or is nicknamed after is named in
passing and does not count; nor do the places of another story's headline (a related-articles line,
"Baca juga: ..."), of a street, an outlet or a club name, of a clause set in the past, or a Jakarta
dateline. A departure ("bersepeda dari Brebes") counts only where nothing else does. A civil head's
office ("Bupati Tanah Bumbu" after the lead), a scope ("se-Jawa", a list of many provinces) counts only
where its province has other evidence; a province-level unit (Polda, BNNP, Kejati) unless the story
happens in a regency of another province, or the text puts something "di" it. A qualifier that
contradicts its place yields to the name written with its keyword ("Kabupaten Way Kanan, Sumatera
Selatan" is in Lampung). A district the NER model names bare needs its regency among the story's
places; a district implies its regency. The local dateline and the units handling the case count; a
title counts where it puts something "di" a place.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import cache, cached_property

from spacy.matcher import PhraseMatcher

from pantau.extract.lexicon import Annotated, annotate, lexicon, strip_register_prefix
from pantau.record import Location
from pantau.regions import Region, find_regions, regions
from pantau.vocab import load_toml

LOCATIVES = frozenset({"di", "ke", "dari", "asal", "wilayah", "kawasan", "daerah", "se-", "sekitar", "menuju"})

# Roles of a mention (see the module docstring).
EVENT = "event"  # counts
WEAK = "weak"  # counts where its province has counting evidence
FALLBACK = "fallback"  # counts where its province has counting evidence, or where nothing else counts
PROVINCIAL = "provincial"  # a province-level unit: counts unless the story happens in a regency elsewhere
PASSING = "passing"  # named in passing: does not count
LINK = "link"  # in another story's headline: not even a mention of this story

_LEVEL_RANK = {"province": 0, "regency": 1, "city": 1, "district": 2}
_SENTENCE_STOPS = frozenset({".", "!", "?"})
_PHRASE_MARKS = frozenset({",", "(", ")", "-", "–", "/", "."})
_YEAR = re.compile(r"^(19[5-9]\d|20\d\d)$")
_MASTHEAD = re.compile(r"\w\.(com|co|id|net|co\.id)$", re.I)  # "TRIBUNNEWS.COM", "TEMPO.CO"
_MAX_PHRASE_TOKENS = 14  # an address: "Jalan Sedap Malam, Gang Cempaka, Denpasar Timur, Bali"
_CLAUSE_TOKENS = 12  # how far back a background word or an old year still sets the place in the past


@dataclass(slots=True)
class PlaceMention:
    region: Region
    start: int  # token offsets
    end: int
    # read by the place rules (a keyword, a unit, the register); False for a name the NER model proposed,
    # whose district, when the name has several, is only a guess
    by_rules: bool = False


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


# --- vocabulary ----------------------------------------------------------------------------------------
@dataclass(frozen=True, slots=True)
class SalienceWords:
    """places.toml [salience], lower-cased; phrases as word tuples."""

    passing: dict[tuple[str, ...], str]  # cue phrase -> why ("origin", "destination", ...)
    scope: frozenset[tuple[str, ...]]
    background: frozenset[str]
    visit: tuple[str, ...]  # word beginnings: "kunjungan" also reads "kunjungannya"
    resident_words: frozenset[str]
    phrase_nouns: frozenset[str]
    link_openers: frozenset[tuple[str, ...]]
    link_opener_starts: frozenset[str]
    longest_opener: int
    headline_lower_words: frozenset[str]
    civil_units: frozenset[str]
    district_units: frozenset[str]
    venue_words: frozenset[tuple[str, ...]]
    name_heads: frozenset[str]
    name_tails: frozenset[str]
    longest_cue: int
    longest_scope: int
    cue_words: frozenset[str]  # every word of a passing, scope or background cue, and the locatives
    street_words: frozenset[str]
    address_words: frozenset[str]
    conjunctions: frozenset[str]


def _phrases(forms: Iterable[str]) -> set[tuple[str, ...]]:
    return {tuple(form.casefold().split()) for form in forms if form.strip()}


@cache
def salience_words() -> SalienceWords:
    data = load_toml("places")["salience"]
    passing: dict[tuple[str, ...], str] = {}
    for why in ("origin", "departure", "destination", "transit", "residence", "comparison", "alias"):
        for phrase in _phrases(data[why]):
            passing[phrase] = why
    scope = frozenset(_phrases(data["scope"]))
    return SalienceWords(
        passing=passing, scope=scope,
        background=frozenset(w.casefold() for w in data["background"]),
        visit=tuple(w.casefold() for w in data["visit"]),
        resident_words=frozenset(w.casefold() for w in data["resident_words"]),
        phrase_nouns=frozenset(w.casefold() for w in data["phrase_nouns"]),
        link_openers=frozenset(_phrases(data["link_openers"])),
        link_opener_starts=frozenset(p[0] for p in _phrases(data["link_openers"])),
        longest_opener=max(len(p) for p in _phrases(data["link_openers"])),
        headline_lower_words=frozenset(w.casefold() for w in data["headline_lower_words"]),
        civil_units=frozenset(data["civil_units"]),
        district_units=frozenset(data["district_units"]),
        venue_words=frozenset(_phrases(data["venue_words"])),
        name_heads=frozenset(w.casefold() for w in data["name_heads"]),
        name_tails=frozenset(w.casefold() for w in data["name_tails"]),
        longest_cue=max(len(p) for p in [*passing, *scope]),
        longest_scope=max(map(len, scope), default=0),
        cue_words=frozenset(w for p in [*passing, *scope] for w in p) | LOCATIVES
        | {w.casefold() for w in data["background"]},
        street_words=frozenset(w.casefold() for w in data["street_words"]),
        address_words=frozenset(w.casefold() for w in data["address_words"]),
        conjunctions=frozenset(w.casefold() for w in data["conjunctions"]),
    )


@cache
def _landmarks() -> tuple[PhraseMatcher, dict[str, Region]]:
    """A matcher of the named venues of places.toml [landmarks] and the national seats of [seats], and the
    region of each (by match label: 'LANDMARK:31.71', 'SEAT:31.74')."""
    nlp = lexicon().nlp
    matcher = PhraseMatcher(nlp.vocab, attr="LOWER")
    register = regions()
    by_label: dict[str, Region] = {}
    data = load_toml("places")
    for section, prefix in (("landmarks", "LANDMARK"), ("seats", "SEAT")):
        for code, forms in data[section].items():
            if not isinstance(forms, list) or code not in register:
                continue
            label = f"{prefix}:{code}"
            by_label[label] = register[code]
            matcher.add(label, [nlp.make_doc(form) for form in forms])
    return matcher, by_label


@cache
def _seat_cues() -> frozenset[str]:
    return frozenset(w.casefold() for w in load_toml("places")["seats"]["seat_cues"])


def _seat_is_place(annotated: Annotated, start: int, end: int) -> bool:
    """'rapat Paripurna DPR', 'ujar Victor di Mabes Polri, Selasa': a seat after a meeting word, or after "di"
    with the day of the event. "Dibahas di DPR" or "kasasi di Mahkamah Agung" is a process, not a place."""
    doc = annotated.doc
    i = start - 1
    while i >= 0 and start - i <= 3 and annotated.texts[i][:1].isupper():
        i -= 1
    if i < 0 or annotated.texts[i].lower() not in _seat_cues():
        return False
    if annotated.texts[i].lower() != "di":
        return True
    after = end + 1 if end < len(doc) and annotated.texts[end] == "," else end
    return after < len(doc) and (annotated.texts[after].lower() in _weekdays()
                                 or annotated.texts[after].lower() in ("kemarin", "pada"))


# --- finding -------------------------------------------------------------------------------------------
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
    keywords = lexicon().place_keywords
    texts, lowers = annotated.texts, annotated.lowers  # (no Token object per word)
    for width in (2, 1):
        start = index - width
        if start < 0:
            continue
        words = " ".join(lowers[i] for i in range(start, index) if texts[i] != ".")
        if words in keywords:
            return keywords[words], start
    if index >= 2 and texts[index - 1] == "." and lowers[index - 2] in keywords:
        return keywords[lowers[index - 2]], index - 2
    return None, index


def _written_as_name(annotated: Annotated, start: int, end: int) -> bool:
    """Every word of the name capitalised: 'Batu Bara' the regency, 'Batu bara' (coal) not."""
    texts = annotated.texts  # (Token.is_alpha is str.isalpha, Token.lower_ str.lower)
    return all(not texts[i].isalpha() or texts[i][:1].isupper() or annotated.lowers[i] == "dan"
               for i in range(start, end))


def _name_goes_on(annotated: Annotated, end: int) -> bool:
    """Whether a capitalised word continues the name after token ``end``: 'Padang Ratu', 'Metro Jakarta
    Selatan', 'Bangka Raya'. A place keyword ('Bima Kota') or a province ('Bima NTB') qualifies it instead."""
    doc = annotated.doc
    if end >= len(doc) or not doc[end].is_alpha or not annotated.texts[end][:1].isupper():
        return False
    if annotated.texts[end].lower() in lexicon().place_keywords:
        return False
    following = annotated.places.get(end)
    return following is None or all(r.level != "province" for r in following[1].regions)


def _district_going_on(annotated: Annotated, candidates: Sequence[Region], start: int,
                       end: int) -> tuple[Region | None, int]:
    """A district whose name is the place name at ``[start, end)`` and the capitalised words after it
    ('Kampar Kiri', 'Bekasi Timur', 'Padang Ratu', 'Medan Kota'): one in a region of that place name, or else
    the only one of its name; and the end of its name."""
    texts = annotated.texts  # (Token.is_alpha is str.isalpha)
    districts = lexicon().districts
    for stop in (end + 2, end + 1):
        if stop > len(texts) or not all(texts[i].isalpha() and texts[i][:1].isupper() for i in range(end, stop)):
            continue
        found = districts.get(" ".join(texts[start:stop]).casefold(), ())
        inside = [d for d in found if any(d.code.startswith(c.code + ".") for c in candidates)]
        chosen = inside or (list(found) if len(found) == 1 else [])
        if len(chosen) == 1:
            return chosen[0], stop
    return None, end


def _city_suffix(annotated: Annotated, end: int) -> bool:
    """'Bogor Kota' (not 'Bogor, Kota Depok' or 'Bogor Kota Depok'): the city of that name."""
    doc = annotated.doc
    return end < len(doc) and annotated.texts[end] == "Kota" \
        and (end + 1 >= len(doc) or end + 1 not in annotated.places)


_DISTRICT_KEYWORDS = frozenset({"kecamatan", "kec", "distrik"})


def find_places(annotated: Annotated, excluded: set[int]) -> Places:
    """Every place mention outside ``excluded`` tokens (person names)."""
    result = Places()
    lex = lexicon()
    for start, (end, term) in sorted(annotated.places.items()):
        if start in result.covered or any(i in excluded for i in range(start, end)):
            continue
        if not _written_as_name(annotated, start, end) or start in annotated.posts or start in annotated.ranks:
            continue  # "Karo Wabprop" is a post (Kepala Biro), not Kabupaten Karo
        level, _ = _keyword_level(annotated, start)
        if level == "district":
            continue  # "Kecamatan Batang Anai": a district, read below, not Kabupaten Batang
        district, district_end = _district_going_on(annotated, term.regions, start, end)
        if district is not None:
            # "Kampar Kiri", "Bekasi Timur", "Polsek Padang Ratu", "Medan Kota": the district of that name
            result.mentions.append(PlaceMention(district, start, district_end, by_rules=True))
            result.covered.update(range(start, district_end))
            continue
        previous = annotated.texts[start - 1].lower() if start > 0 else ""
        unit_level = _level_of_kind_before(annotated, start)
        if term.ambiguous and level is None and ((previous not in LOCATIVES and unit_level is None)
                                                 or _name_goes_on(annotated, end)):
            continue
        if level is None and _city_suffix(annotated, end):
            level = "city"  # "Polres Sukabumi Kota", "Polres Metro Bekasi Kota": the city's police
        region = choose_region(term.regions, level or unit_level)
        if region is None:
            continue
        result.mentions.append(PlaceMention(region, start, end, by_rules=True))
        result.covered.update(range(start, end))
    _find_landmarks(annotated, result)
    # "Kecamatan X": districts only with their keyword, the register has thousands of them
    folded = annotated.source.casefold()
    if "kec" not in folded and "distrik" not in folded:
        return result
    texts = annotated.texts  # no Token object per word
    # the keyword, with or without trailing dots: the strip only for a word that has one
    for index in [i for i, low in enumerate(annotated.lowers)
                  if low in _DISTRICT_KEYWORDS or (low[-1:] == "." and low.rstrip(".") in _DISTRICT_KEYWORDS)]:
        start = index + (2 if index + 1 < len(texts) and texts[index + 1] == "." else 1)
        end = start
        while end < len(texts) and end - start < 4 and texts[end][:1].isupper():
            end += 1
        if end > start:
            name = annotated.text(start, end).casefold()
            found = lex.districts.get(name)
            if found and len(found) == 1 and not any(i in excluded for i in range(start, end)):
                result.mentions.append(PlaceMention(found[0], start, end, by_rules=True))
                result.covered.update(range(start, end))
    return result


def _find_landmarks(annotated: Annotated, result: Places) -> None:
    matcher, by_label = _landmarks()
    strings = annotated.doc.vocab.strings
    for match_id, start, end in sorted(matcher(annotated.doc), key=lambda m: (m[1], -m[2])):
        if any(i in result.covered for i in range(start, end)):
            continue  # person names do not exclude a venue: no one is called "Istora Senayan"
        if not annotated.texts[start][:1].isupper():
            continue
        label = strings[match_id]
        if label.startswith("SEAT:") and not _seat_is_place(annotated, start, end):
            continue
        result.mentions.append(PlaceMention(by_label[label], start, end, by_rules=True))
        result.covered.update(range(start, end))


def _level_of_kind_before(annotated: Annotated, start: int) -> str | None:
    """The region level a unit kind right before ``start`` takes: 'Polres Kupang' is the regency."""
    for kind_end, kind in annotated.kinds.values():
        if kind_end == start:
            return {"any": "city", "place": "city", "parent": None}.get(kind.level, kind.level) or "city"
    return None


@cache
def _weekdays() -> frozenset[str]:
    return frozenset(day.casefold() for day in load_toml("dates")["weekdays"])


@cache
def _province_aliases() -> dict[str, Region]:
    register = regions()
    return {alias.casefold(): register[code]
            for code, aliases in load_toml("places")["province_aliases"].items() for alias in aliases}


def dateline_region(dateline: str | None) -> Region | None:
    """The region of a dateline city: a city before a regency of the same name; "Jakarta" is DKI Jakarta."""
    if not dateline:
        return None
    found = find_regions(dateline)
    return choose_region(found, "city") or choose_region(found, None) or _province_aliases().get(
        dateline.strip().casefold())


def region_display_name(region: Region) -> str:
    return region.name if region.level != "district" else f"Kecamatan {region.name}"


# --- salience ------------------------------------------------------------------------------------------
class _Reader:
    """The context of the mentions of one text: link lines, cue words before a place phrase, clauses."""

    def __init__(self, annotated: Annotated, place_tokens: set[int]) -> None:
        self.annotated = annotated
        self.doc = annotated.doc
        self.words = salience_words()
        self.texts = annotated.texts  # read once per article, shared with the other entity components
        self.lower = annotated.lowers
        self._line_spans: list[tuple[int, int]] | None = None
        self._place_tokens = place_tokens
        # the rest is read when a question needs it (cached properties below): many articles ask few of them

    @cached_property
    def story_year(self) -> int | None:
        """The story's own year: the one it writes most often (a forecast year or a history date is rarer)."""
        years = Counter(int(t) for t in [t for t in self.texts if len(t) == 4] if _YEAR.match(t))
        return max(years, key=lambda year: (years[year], year)) if years else None

    @cached_property
    def link_tokens(self) -> set[int]:
        return self._link_tokens(self._place_tokens)

    @cached_property
    def civil_post_ends(self) -> set[int]:
        """Tokens where a place written after (or inside: "Wali [Kota Blitar]") a civil head's post starts."""
        return {i for start, (end, post) in self.annotated.posts.items()
                if post.unit in self.words.civil_units for i in range(start + 1, end + 1)}

    @cached_property
    def lead_end(self) -> int:
        return self._lead_end()

    def _lead_end(self) -> int:
        """End of the lead: the first sentence of the first line of eight words or more (a byline or an
        outlet line comes before it)."""
        for start, end in self._lines():
            words = 0  # counted up to eight only: a line is often hundreds of tokens
            for i in range(start, end):
                if self.texts[i][:1].isalpha():
                    words += 1
                    if words == 8:
                        break
            if words < 8:
                continue
            for i in range(start, end):
                if self.texts[i] in _SENTENCE_STOPS and i + 1 < end and self.texts[i + 1][:1].isupper():
                    return i + 1
            return end
        return 0

    # link lines -----------------------------------------------------------------------------------------
    def _lines(self) -> list[tuple[int, int]]:
        if self._line_spans is not None:
            return self._line_spans
        lines: list[tuple[int, int]] = []
        start = 0
        for i in [i for i in self.annotated.line_breaks if self.texts[i].isspace()]:  # the line breaks
            if i > start:
                lines.append((start, i))
            start = i + 1
        if start < len(self.texts):
            lines.append((start, len(self.texts)))
        self._line_spans = lines
        return lines

    def _link_tokens(self, place_tokens: set[int]) -> set[int]:
        found: set[int] = set()
        starts = self.words.link_opener_starts
        # the words a link opener can start at, in order, found in one pass (most articles have none)
        openers = [i for i, low in enumerate(self.lower)
                   if low in starts or ("." in low and low.rsplit(".", 1)[-1] in starts)]
        for number, (start, end) in enumerate(self._lines()):
            if number > 0 and self._headline_like(start, end, place_tokens):
                found.update(range(start, end))
                continue
            for i in openers[bisect_left(openers, start):bisect_left(openers, end)]:
                width = self._opener_at(i, end)
                if width:
                    found.update(range(i, self._headline_end(i + width, end)))
        return found

    def _opener_at(self, i: int, line_end: int) -> int:
        """Width of a link opener ('Baca juga:') at token ``i``, with its colon; 0 when there is none. The
        scrape may glue the opener to the sentence before: '(10/6/2025).Baca juga:'."""
        first = self.lower[i].rsplit(".", 1)[-1]
        for width in range(self.words.longest_opener, 0, -1):
            if (first, *self.lower[i + 1:i + width]) in self.words.link_openers and i + width <= line_end:
                after = i + width
                while after < line_end and (self.texts[after] in (",", "!") or self.lower[after].startswith("yuk")):
                    after += 1  # "Cek Yang Lain Juga, Yuk!"
                if after < line_end and self.texts[after] == ":":
                    return after + 1 - i
                if after > i + width:
                    return after - i
                opens_line = first == self.lower[i] and (i == 0 or self.texts[i - 1].isspace())
                if opens_line and after < line_end and self.texts[after][:1].isupper():
                    return width
        return 0

    def _headline_end(self, start: int, line_end: int) -> int:
        """End of a headline written inline after a link opener: at the first word a Title-Case headline
        would capitalise but the text does not (the running text goes on there)."""
        words = 0
        for i in range(start, line_end):
            text = self.texts[i]
            if text[:1].isalpha():
                words += 1
                if text[:1].islower() and self.lower[i] not in self.words.headline_lower_words and words > 2:
                    return i
        return line_end

    def _headline_like(self, start: int, end: int, place_tokens: set[int]) -> bool:
        """A line whose words are mostly capitalised (other than places, place keywords and a headline's
        small words), with no sentence stop at its end: another story's headline, or several glued together."""
        last = end - 1
        while last >= start and self.texts[last].isspace():
            last -= 1
        if last < start or self.texts[last] in (".", ",", ":", ";") or self.texts[last].endswith("."):
            return False  # most lines: a sentence, read no further
        tokens = [i for i in range(start, end) if not self.texts[i].isspace()]
        words = [i for i in tokens if self.texts[i][:1].isalpha()]
        if not words or not self.texts[words[-1]][:1].isupper():
            return False  # a headline ends on a capitalised word; a lead cut by the scrape ("... membongkar") not
        keywords = lexicon().place_keywords
        content = [i for i in words if i not in place_tokens
                   and self.lower[i] not in self.words.headline_lower_words and self.lower[i] not in keywords]
        capitalised = [i for i in content if self.texts[i][:1].isupper()]
        return len(capitalised) >= 3 and len(capitalised) >= 0.75 * len(content)

    # cues -----------------------------------------------------------------------------------------------
    def phrase_start(self, start: int) -> int:
        """First token of the place phrase that ends in the place at ``start``: the capitalised address
        words, keywords, numbers and commas written before it ('di Jalan Sedap Malam, Denpasar')."""
        i = start
        lex = lexicon()
        while i > 0 and start - i < _MAX_PHRASE_TOKENS:
            text, lower = self.texts[i - 1], self.lower[i - 1]
            if text.isspace() or text in ("!", "?"):
                break
            before = self.texts[i - 2] if i >= 2 else ""
            if text in _PHRASE_MARKS:
                if text == "." and self.lower[i - 2] not in self.words.street_words \
                        and self.lower[i - 2] not in self.words.address_words \
                        and self.lower[i - 2] not in lex.place_keywords:
                    break  # a sentence stop, not "Jl." or "Kab."
                if text != "." and not (before[:1].isupper() or before[:1].isdigit()):
                    break
                i -= 1
                continue
            if lower in self.words.conjunctions and before[:1].isupper():
                i -= 1  # "di Bogor hingga Bali", "se-Jawa dan Lampung"
                continue
            if lower in self.words.cue_words:
                break  # "Pria Asal Medan": a headline capitalises its cue words too
            if text[:1].isupper() or text[:1].isdigit() or lower in self.words.phrase_nouns \
                    or lower in lex.place_keywords or lower in self.words.address_words:
                i -= 1
                continue
            break
        return i

    def cue_words(self, phrase_start: int) -> list[str]:
        """The lower-cased words right before a place phrase, closest first, within its clause."""
        found: list[str] = []
        i = phrase_start - 1
        while i >= 0 and len(found) < self.words.longest_cue + 1:
            text = self.texts[i]
            if text.isspace() or text in _SENTENCE_STOPS or text in (",", ";", ":", "(", ")", "\"", "“", "”"):
                break
            if text not in ("-", "–"):
                found.append(self.lower[i])
            i -= 1
        return found

    def passing_cue(self, words: Sequence[str]) -> str | None:
        back, size = tuple(words[::-1]), len(words)  # the first ``width`` words in text order: back[size - width:]
        for width in range(min(size, self.words.longest_cue), 0, -1):
            why = self.words.passing.get(back[size - width:])
            if why is not None:
                return why
        return None

    def is_scope(self, words: Sequence[str]) -> bool:
        back, size = tuple(words[::-1]), len(words)
        for width in range(1, min(size, self.words.longest_scope) + 1):  # no longer phrase is a scope
            if back[size - width:] in self.words.scope:
                return True
        return False

    def clause_before(self, start: int) -> range:
        """Tokens of the clause before ``start``, back to the sentence start (at most ``_CLAUSE_TOKENS``)."""
        i = start
        while i > 0 and start - i < _CLAUSE_TOKENS:
            text = self.texts[i - 1]
            if (text.isspace() and "\n" in text) or text in _SENTENCE_STOPS:
                break
            i -= 1
        return range(i, start)

    def in_past(self, start: int) -> bool:
        """A background word ('pernah', 'mantan') or a year two or more years before the story's own year in
        the clause before the place: 'pada 1996 di Semarang'."""
        for i in self.clause_before(start):
            if self.lower[i] in self.words.background:
                return True
            if _YEAR.match(self.texts[i]) and self.story_year and int(self.texts[i]) < self.story_year - 1:
                return True
        return False

    def is_resident(self, words: Sequence[str], phrase_start: int) -> bool:
        """'AS (29), warga Cilincing': a person's residence; not 'Warga Bogor berunjuk rasa'."""
        if not words or words[0] not in self.words.resident_words:
            return False
        before = phrase_start - 2  # the token before "warga"
        if before < 0:
            return False
        text = self.texts[before]
        return text in (",", ")") or (text[:1].isupper() and not text.isspace() and before > 0
                                      and self.texts[before - 1] not in _SENTENCE_STOPS)

    def on_street(self, start: int) -> bool:
        """'Jalan Kuningan Persada', 'Jln. Medan - Banda Aceh': the place names a street."""
        i = start - 1
        while i >= 0 and start - i < 6:
            text, lower = self.texts[i], self.lower[i]
            if lower.rstrip(".") in self.words.street_words:
                return True
            if text in (".", "-", "–") or (text[:1].isupper() and not text.isspace()):
                i -= 1
                continue
            return False
        return False

    def inside_other_name(self, start: int, end: int) -> bool:
        """'kamar Toba 2', 'Tribun Jogja', 'Bali United': the place name is part of another name."""
        return (start > 0 and self.lower[start - 1] in self.words.name_heads) or (
            end < len(self.lower) and self.lower[end] in self.words.name_tails and self.texts[end][:1].isupper())

    def is_dateline(self, start: int, end: int) -> bool:
        """'TRIBUNNEWS.COM, JAKARTA - ...', 'Jakarta-Komisi ...': a dateline left at the start of a line, after
        nothing but a byline and a masthead, in capitals or before a dash."""
        i = start - 1
        if i >= 0 and self.texts[i] == ",":
            i -= 1
        after_masthead = i >= 0 and _MASTHEAD.search(self.texts[i]) is not None
        while not after_masthead and i >= 0 and not (self.texts[i].isspace() and "\n" in self.texts[i]):
            text = self.texts[i]
            if not (text in (",", "-", "–") or text[:1].isupper() or "." in text):
                return False
            i -= 1
        follows = self.texts[end] if end < len(self.texts) else ""
        written = self.annotated.text(start, end)
        return follows in ("-", "–", "—", "|") or (written.isupper() and len(written) > 3)

    def role(self, start: int, end: int, region: Region | None = None) -> str:
        """The role of a place written at tokens ``[start, end)``, from the words before it."""
        if start in self.link_tokens:
            return LINK
        if self.is_dateline(start, end):
            # a dateline alone is no event place; a local one is (the story happens in the province's towns)
            return PASSING if region is not None and region.level == "province" else EVENT
        if self.on_street(start) or self.inside_other_name(start, end):
            return PASSING
        phrase = self.phrase_start(start)
        words = self.cue_words(phrase)
        why = self.passing_cue(words)
        if why == "destination" and any(self.lower[i].startswith(self.words.visit)
                                        for i in self.clause_before(phrase)):
            why = None  # "kunjungan kerja ke Aceh": the visit is the story
        if why == "departure":
            return FALLBACK
        if why is not None or self.is_resident(words, phrase):
            return PASSING
        if self.in_past(phrase):
            return PASSING
        if self.is_scope(words) or (start in self.civil_post_ends and start >= self.lead_end):
            return WEAK  # "Bupati Tanah Bumbu" among the guests; "KPK menahan Bupati X" in the lead is the story
        return EVENT

    def venue_without_place(self) -> bool:
        """'ditemui di Hotel JS Luwansa, Senin (21/5/2018)': an event at a named venue, dated, that the text
        places in no city (no address after the venue's name)."""
        size = len(self.lower)
        for i, lower in enumerate(self.lower):
            if lower != "di" or i + 1 >= size or i + 1 in self.link_tokens:
                continue
            if not any(tuple(self.lower[i + 1:i + 1 + width]) in self.words.venue_words
                       and (self.texts[i + 1][:1].isupper() or self.lower[i + 1].endswith("nya"))
                       for width in (2, 1)):
                continue
            end = i + 2
            while end < size and (self.texts[end][:1].isupper() or self.texts[end][:1].isdigit()
                                  or self.texts[end] in ("&", "-")) and end - i < 10:
                end += 1
            if end < size and self.texts[end] == ",":
                end += 1
            if end < size and self.lower[end] == "pada":
                end += 1
            if end < size and (self.lower[end] in _weekdays() or self.lower[end] in ("kemarin", "hari", "(")):
                return True
        return False


@dataclass(slots=True)
class _Read:
    region: Region
    role: str
    span: tuple[int, int] | None  # token span of the mention, None for a dateline, unit or title place
    district_name: str | None = None  # a bare district name (no keyword), resolved again against the others


def _adjacent(reader: _Reader, first: PlaceMention, second: PlaceMention) -> bool:
    """'Kabupaten Way Kanan, Sumatera Selatan': the second place qualifies the first."""
    gap = reader.texts[first.end:second.start]
    return len(gap) <= 2 and all(text in (",", "(") for text in gap)


_ENUMERATION_GAPS = frozenset({",", "dan", "serta", "hingga", "sampai", "atau"})
_MIN_ENUMERATED_PROVINCES = 4


def _province_enumerations(reader: _Reader, mentions: list[PlaceMention]) -> set[int]:
    """Indexes of mentions in a list of four or more provinces ('Aceh, Sumatera Utara, Riau, ... hingga
    Papua'): a national scope, not the places of the story's events."""
    found: set[int] = set()
    run: list[int] = []
    for index, mention in enumerate(mentions):
        joined = run and all(text in _ENUMERATION_GAPS for text in
                             reader.lower[mentions[run[-1]].end:mention.start]) \
            and mention.start - mentions[run[-1]].end <= 2
        if mention.region.level == "province" and (joined or not run):
            run.append(index)
            continue
        if len({mentions[i].region.code for i in run}) >= _MIN_ENUMERATED_PROVINCES:
            found.update(run)
        run = [index] if mention.region.level == "province" else []
    if len({mentions[i].region.code for i in run}) >= _MIN_ENUMERATED_PROVINCES:
        found.update(run)
    return found


def _unit_of(reader: _Reader, units: list[UnitPlace], mention: PlaceMention) -> UnitPlace | None:
    """The unit whose name holds the place: 'Polres Way Kanan', or 'Kejaksaan Tinggi (Kejati) Papua Barat',
    where the unit's span ends before the bracket but the place phrase goes back to it."""
    holding = next((u for u in units if u.start <= mention.start and mention.end <= u.end), None)
    if holding is not None:
        return holding
    phrase = reader.phrase_start(mention.start)
    return next((u for u in units if phrase <= u.start < mention.start and u.end <= mention.start
                 and all(not reader.texts[i].isspace() for i in range(u.start, mention.start))), None)


def _inconsistent(reader: _Reader, mentions: list[PlaceMention]) -> set[int]:
    """Indexes of mentions that a qualifier contradicts. In 'X, P' with P a larger region that does not
    hold X, the name written with its keyword or unit wins ('Kabupaten Way Kanan, Sumatera Selatan' is in
    Lampung); a bare name is a locality of P that shares a regency's or a district's name ('Kuningan, Jakarta
    Selatan', 'Kemang, Jakarta Selatan')."""
    dropped: set[int] = set()
    for index in range(len(mentions) - 1):
        first, second = mentions[index], mentions[index + 1]
        if not _adjacent(reader, first, second):
            continue
        if _LEVEL_RANK[second.region.level] >= _LEVEL_RANK[first.region.level]:
            continue
        if first.region.code.startswith(second.region.code + "."):
            continue
        keyword, _ = _keyword_level(reader.annotated, first.start)
        if first.region.level == "district" and not first.by_rules:
            # a bare district name: kept only if a region of the qualifier's name holds one of its name
            # ("Cileungsi, Bogor" is Kabupaten Bogor's; "Kemang, Jakarta Selatan" is no registered district)
            holder = _holding_qualifier(reader, first, second)
            if holder is None:
                dropped.add(index)
            elif holder != second.region:
                mentions[index + 1] = PlaceMention(holder, second.start, second.end, second.by_rules)
            continue
        written_as_unit = _level_of_kind_before(reader.annotated, first.start) is not None
        written_in_full = reader.lower[first.start] in lexicon().place_keywords  # "Kabupaten Way Kanan"
        dropped.add(index + 1 if keyword or written_as_unit or written_in_full else index)
    return dropped


def _holding_qualifier(reader: _Reader, district: PlaceMention, qualifier: PlaceMention) -> Region | None:
    """The region named by ``qualifier`` (any of the same name: Kota or Kabupaten Bogor) that holds a district
    of the name written at ``district``."""
    name = reader.annotated.text(district.start, district.end)
    districts = [r for r in find_regions(name) if r.level == "district"]
    holders = [qualifier.region, *find_regions(reader.annotated.text(qualifier.start, qualifier.end))]
    return next((h for h in holders if h.level != "district"
                 and any(d.code.startswith(h.code + ".") for d in districts)), None)


def _unit_role(reader: _Reader, unit: UnitPlace, kept_spans: list[tuple[int, int]]) -> str | None:
    """The role of a unit's region; None when the unit's place name was not read as a place."""
    if unit.start in reader.link_tokens:
        return LINK
    inside = [s for s in range(unit.start, unit.end) if s in reader.annotated.places]
    if inside and not any(unit.start <= s and e <= unit.end for s, e in kept_spans):
        return None  # "Polsek Padang Ratu": the name goes on, no Kota Padang
    if reader.in_past(unit.start):
        return PASSING
    kind = lexicon().kinds_by_key.get(unit.kind or "")
    if unit.kind in reader.words.civil_units and unit.start in reader.annotated.posts:
        return WEAK  # "Bupati Tanah Bumbu": a person's office
    if kind is not None and kind.level == "province":
        return EVENT if reader.cue_words(reader.phrase_start(unit.start))[:1] == ["di"] else PROVINCIAL
    return EVENT


# "di" with no letter on either side: the tokenizer never splits between two letters, so a title without this
# has no token "di"
_DI_WORD = re.compile(r"(?<![^\W\d_])di(?![^\W\d_])")


def _title_reads(title: str) -> list[_Read]:
    """The places a title puts something at ("Pria di Depok Ditangkap"). A title capitalises every word, so a
    name counts there only after "di" ("Ribuan Tual Kayu" is no Kota Tual)."""
    if not _DI_WORD.search(title.lower()):  # no word "di", no place read: most titles need no tokenising
        return []
    annotated = annotate(title)
    found = find_places(annotated, set())
    reader = _Reader(annotated, set())
    reader.link_tokens = set()  # a title is the story's own headline
    reads = []
    for mention in found.mentions:
        if mention.region.level == "district" or reader.cue_words(reader.phrase_start(mention.start))[:1] != ["di"]:
            continue
        reads.append(_Read(mention.region, reader.role(mention.start, mention.end, mention.region), None))
    return reads


def to_locations(mentions: Iterable[PlaceMention], annotated: Annotated, *, dateline: Region | None = None,
                 units: Iterable[UnitPlace] = (), title: str | None = None) -> list[Location]:
    """One Location per region where the story happens (the module docstring says which), with its mentions;
    the dateline's, the units' and the title's regions need none."""
    ordered = sorted(mentions, key=lambda m: (m.start, m.end))  # a new list: qualifiers may be read again
    place_tokens = {i for m in ordered for i in range(m.start, m.end)}
    reader = _Reader(annotated, place_tokens)
    dropped = _inconsistent(reader, ordered)
    enumerated = _province_enumerations(reader, ordered)
    unit_list = list(units)
    reads: list[_Read] = []
    for index, mention in enumerate(ordered):
        if index in dropped:
            continue
        role = reader.role(mention.start, mention.end, mention.region)
        if role == EVENT and index in enumerated:
            role = WEAK  # "Aceh, Sumatera Utara, Riau, Kepulauan Riau, ...": a national scope
        if index > 0 and _adjacent(reader, ordered[index - 1], mention) and reads \
                and reads[-1].span == (ordered[index - 1].start, ordered[index - 1].end) \
                and reads[-1].role == WEAK and role == EVENT:
            role = reads[-1].role  # "Bupati Tanah Bumbu, Kalimantan Selatan": one phrase, one role
        unit = _unit_of(reader, unit_list, mention)
        if unit is not None and role != LINK:
            role = _unit_role(reader, unit, [(mention.start, mention.end)]) or PASSING
        bare_district = mention.region.level == "district" and not mention.by_rules
        reads.append(_Read(mention.region, role, (mention.start, mention.end),
                           annotated.text(mention.start, mention.end) if bare_district else None))
    kept_spans = [r.span for r in reads if r.span is not None and r.role != LINK]
    spans_read = {(r.span[0], r.span[1]): r.region for r in reads if r.span is not None and r.role != LINK}
    for unit in unit_list:
        inside = [region for (s, e), region in spans_read.items() if unit.start <= s and e <= unit.end]
        if any(not unit.region.code.startswith(region.code + ".") for region in inside):
            continue  # its place, read in the text, stands for it ("Polres Metro Bekasi Kota": Kota Bekasi)
        role = _unit_role(reader, unit, kept_spans)
        if role is not None:
            # a unit named after a district needs it placed by the story ("Rutan Guntur" is in Jakarta, not
            # in Demak's Guntur), unless it polices that district and the register has one of that name
            district = unit.region.name if unit.region.level == "district" else None
            if district is not None and unit.kind in reader.words.district_units \
                    and len([r for r in find_regions(district) if r.level == "district"]) == 1:
                district = None
            reads.append(_Read(unit.region, role, None, district))
    if title:
        reads += _title_reads(title)
    if dateline is not None and dateline.level == "district":
        dateline = _supported_district(dateline.name, reads)
    if dateline is not None and dateline.level != "province":
        reads.append(_Read(dateline, EVENT, None))
    _resolve_bare_districts(reads)
    kept = _kept_regions(reads, reader.lead_end)
    if not kept and dateline is not None and dateline.level == "province" \
            and reader.venue_without_place():
        kept = {dateline.code: dateline}
    register = regions()
    for region in list(kept.values()):
        parent = register.get(region.code.rsplit(".", 1)[0]) if region.level == "district" else None
        if parent is not None:
            kept.setdefault(parent.code, parent)  # an event in Kecamatan Denpasar Timur is one in Kota Denpasar
    return _locations(kept, reads, annotated)


def _supported_district(name: str, reads: list[_Read]) -> Region | None:
    """The district of that name in a regency, or else in a province, the story names as an event place (a
    dateline "Martapura": one in Sumatera Selatan, one in Kalimantan Selatan); None when neither decides."""
    evidence = [r.region for r in reads if r.role in (EVENT, PROVINCIAL) and r.district_name is None
                and r.region.level != "district"]
    regencies = {region.code for region in evidence if region.level in ("regency", "city")}
    provinces = {region.province_code for region in evidence}
    found = [r for r in find_regions(name) if r.level == "district"]
    for supported in ([r for r in found if r.code.rsplit(".", 1)[0] in regencies],
                      [r for r in found if r.province_code in provinces]):
        if len(supported) == 1:
            return supported[0]
    return None


def _resolve_bare_districts(reads: list[_Read]) -> None:
    """A district named without its keyword (the model's places) needs its regency, or else its province, among
    the story's places: 'Cipayung' is in Jakarta Timur and in Depok, 'Kemang' the only registered one is in
    Bogor while the news often means the Jakarta area."""
    for read in reads:
        if read.district_name is not None:
            region = _supported_district(read.district_name, reads)
            if region is None:
                read.role = PASSING
            else:
                read.region = region


def _kept_regions(reads: list[_Read], lead_end: int) -> dict[str, Region]:
    """The regions of the story's events, from the mentions' roles (see the constants). Where nothing else
    counts, the fallbacks of the lead count ("250 tahanan kabur dari Rutan Pekanbaru"), or else all of them."""
    counting = {r.region.code: r.region for r in reads if r.role == EVENT}
    provinces = {region.province_code for region in counting.values()}
    local = {region.province_code for region in counting.values() if region.level != "province"}
    fallbacks = [r for r in reads if r.role == FALLBACK]
    in_lead = [r for r in fallbacks if r.span is not None and r.span[0] < lead_end]
    chosen = [] if counting else in_lead or fallbacks
    kept = dict(counting)
    for read in reads:
        province = read.region.province_code
        if (read.role == WEAK and province in provinces) \
                or (read.role == FALLBACK and (province in provinces or read in chosen)) \
                or (read.role == PROVINCIAL and (province in provinces or not local)):
            kept.setdefault(read.region.code, read.region)
    return kept


def _locations(kept: dict[str, Region], reads: list[_Read], annotated: Annotated) -> list[Location]:
    register = regions()
    by_code: dict[str, Location] = {}
    for code, region in kept.items():
        name = register[code].name if region.level == "province" and code in register else region_display_name(region)
        by_code[code] = Location(name=name, level=region.level, code=code, province_code=region.province_code)
    for read in reads:
        location = by_code.get(read.region.code)
        if location is not None and read.span is not None and read.role != LINK:
            span = annotated.char_span(*read.span)
            if span not in location.mentions:
                location.mentions.append(span)
    for location in by_code.values():
        location.mentions.sort()
    return sorted(by_code.values(), key=lambda loc: (loc.mentions[0][0] if loc.mentions else -1, loc.code or ""))


def short_name(region: Region) -> str:
    return strip_register_prefix(region.name)
