"""What one article says about the event it reports: the facts incidents are matched on.

A profile is a pure function of an article record (plus, when known, its MinHash signature and story):
the kind of event, its date, its places as Kemendagri codes (from locations and from the region of the
units acting), the seizures of the one case (a period's totals are left out), the suspects' initials
and number, the people and units named. It is small and JSON-serialisable, so the store keeps one per
article and matching never reads the records again.

Vocabulary is in ``data/incidents.toml``.
"""

from __future__ import annotations

import re
import struct
import threading
from dataclasses import dataclass, field, fields
from functools import cache
from typing import Any

from pantau.extract.dates import parse_iso_date
from pantau.extract.quantities import alternation
from pantau.extract.suspects import find_suspects
from pantau.incidents.keywords import rare_words
from pantau.incidents.names import first_word_keys
from pantau.record import Article, Person
from pantau.vocab import fold, load_toml

OTHER = "other"
SINGLE_CASE_UNITS = ("g", "pill", "plant", "ml", "package")
LOCAL_UNIT_TYPES = frozenset({"police", "bnn", "corrections", "customs", "prosecutor", "court", "military"})


@dataclass(frozen=True, slots=True)
class Amount:
    substance: str
    quantity: float
    unit: str
    approximate: bool = False


# A profile's screen: what grouping's cheap conditions read of it (``match.admissible``), as integers, so that
# the members of a busy window are screened in one numpy pass. Province codes and kinds are numbered in the
# order a process meets them; the numbers mean nothing outside it, so a pickled profile is rebuilt from its
# fields (``Profile.__reduce__``), never carried with them.
NO_DAY = -1
SCREEN = struct.Struct("=4q")
FOLLOW_UP_FLAG, OFFICIALS_FLAG, UNSCREENED_FLAG = 1, 2, 4  # UNSCREENED: a province beyond the mask's bits
MASK_BITS = 62  # Indonesia has 38 province codes: a mask of int64 holds them all
_province_bits: dict[str, int] = {}
_kind_codes: dict[str, int] = {}
_numbering = threading.Lock()


def _number(table: dict[str, int], name: str, limit: int | None = None) -> int | None:
    number = table.get(name)
    if number is None:
        with _numbering:
            number = table.get(name)
            if number is None:
                if limit is not None and len(table) >= limit:
                    return None
                number = table[name] = len(table)
    return number


def kind_code(kind: str) -> int:
    """``kind``'s number in this process (``screen_kinds`` lists them by number)."""
    code = _number(_kind_codes, kind)
    assert code is not None  # kinds are not limited
    return code


def screen_kinds() -> list[str]:
    """Every kind numbered so far, by number."""
    return sorted(_kind_codes, key=_kind_codes.__getitem__)


def screen_kind_count() -> int:
    """How many kinds are numbered so far (numbers are never taken back)."""
    return len(_kind_codes)


def province_mask(provinces: frozenset[str]) -> int | None:
    """A bit for each province (None when one has no bit left: such a profile is screened one pair at a time)."""
    mask = 0
    for code in provinces:
        bit = _number(_province_bits, code, MASK_BITS)
        if bit is None:
            return None
        mask |= 1 << bit
    return mask


@dataclass(frozen=True, slots=True)
class Profile:
    """The facts of one article that decide which incident it belongs to."""

    article: str  # the article's key in whatever holds it (store id, record id)
    kind: str  # "other" when no kind of event is recognised
    date: str | None  # ISO date of the event (the record's date, else its publication)
    regencies: frozenset[str] = frozenset()  # "16.07"
    provinces: frozenset[str] = frozenset()  # "16"
    amounts: tuple[Amount, ...] = ()
    suspects: frozenset[str] = frozenset()  # initials
    suspect_count: int | None = None
    officials: frozenset[str] = frozenset()  # folded names of people with a rank or post
    named: frozenset[str] = frozenset()  # folded names of everyone else
    units: frozenset[str] = frozenset()  # canonical names of local units
    keywords: frozenset[str] = frozenset()  # stems of the rare words of the headline and lead (incidents.keywords)
    follow_up: bool = False
    outlet: str | None = None
    story: int | None = None
    signature: Any = field(default=None, compare=False)  # numpy uint64 MinHash values, when known
    # the event's day as an ordinal, read from ``date`` once: grouping compares millions of pairs' dates
    day: int | None = field(default=None, init=False, compare=False, repr=False)
    # (day or NO_DAY, flags, province mask, kind code) packed as four int64 (``SCREEN``), so that a window's
    # screens join into one array without a Python object per value: see ``province_mask``
    screen: bytes = field(default=b"", init=False, compare=False, repr=False)
    # the keys two name sets must share to name one person (``names.first_word_keys``), made once: an article's
    # officers are tested against a hundred members of other provinces in a busy window
    official_keys: frozenset[str] = field(default=frozenset(), init=False, compare=False, repr=False)
    named_keys: frozenset[str] = field(default=frozenset(), init=False, compare=False, repr=False)

    def __post_init__(self) -> None:
        parsed = parse_iso_date(self.date)
        day = parsed.toordinal() if parsed is not None else None
        object.__setattr__(self, "day", day)
        mask = province_mask(self.provinces)
        flags = (FOLLOW_UP_FLAG if self.follow_up else 0) | (OFFICIALS_FLAG if self.officials else 0) \
            | (UNSCREENED_FLAG if mask is None else 0)
        object.__setattr__(self, "screen", SCREEN.pack(NO_DAY if day is None else day, flags, mask or 0,
                                                       kind_code(self.kind)))
        if self.officials:
            object.__setattr__(self, "official_keys", first_word_keys(self.officials))
        if self.named:
            object.__setattr__(self, "named_keys", first_word_keys(self.named))

    def __reduce__(self) -> tuple[type[Profile], tuple[Any, ...]]:
        # rebuilt from the fields given to __init__: ``screen`` holds numbers of this process only
        return type(self), tuple(getattr(self, f.name) for f in fields(self) if f.init)

    @property
    def substances(self) -> frozenset[str]:
        return frozenset(a.substance for a in self.amounts)

    def to_json(self) -> dict[str, Any]:
        """The profile without its signature, as stored (the store keeps signatures apart)."""
        return {
            "article": self.article, "kind": self.kind, "date": self.date, "regencies": sorted(self.regencies),
            "provinces": sorted(self.provinces),
            "amounts": [[a.substance, a.quantity, a.unit, a.approximate] for a in self.amounts],
            "suspects": sorted(self.suspects), "suspect_count": self.suspect_count,
            "officials": sorted(self.officials), "named": sorted(self.named),
            "units": sorted(self.units), "keywords": sorted(self.keywords),
            "follow_up": self.follow_up, "outlet": self.outlet, "story": self.story,
        }

    @classmethod
    def from_json(cls, data: dict[str, Any], signature: Any = None) -> Profile:
        return cls(
            article=data["article"], kind=data["kind"], date=data["date"], regencies=frozenset(data["regencies"]),
            provinces=frozenset(data["provinces"]),
            amounts=tuple(Amount(s, float(q), u, bool(a)) for s, q, u, a in data["amounts"]),
            suspects=frozenset(data["suspects"]), suspect_count=data["suspect_count"],
            officials=frozenset(data["officials"]), named=frozenset(data["named"]), units=frozenset(data["units"]),
            keywords=frozenset(data.get("keywords", ())),  # profiles stored before keywords have none
            follow_up=data["follow_up"],
            outlet=data["outlet"], story=data["story"], signature=signature,
        )


@dataclass(frozen=True, slots=True)
class _Cues:
    kinds: tuple[tuple[str, re.Pattern[str]], ...]  # in tie-breaking order
    dominant: frozenset[str]
    follow_up: re.Pattern[str]
    lead_chars: int
    title_weight: int
    min_score: int
    seizure_points: int
    suspect_points: int
    follow_up_min: int


def _words(phrases: list[str], near: dict[str, Any] | None = None) -> re.Pattern[str]:
    """Any of ``phrases`` as whole words; with ``near``, also any of its ``words`` within ``within`` words
    of one of its ``objects``, either way round (a word that is a cue only for what it acts on)."""
    options = [alternation([fold(p) for p in phrases])]
    if near:
        words, objects = alternation([fold(p) for p in near["words"]]), alternation([fold(p) for p in near["objects"]])
        gap = rf"(?:\W+\w+){{0,{int(near['within']) - 1}}}?\W+"
        options += [rf"(?:{words}){gap}(?:{objects})", rf"(?:{objects}){gap}(?:{words})"]
    return re.compile(rf"(?<!\w)(?:{'|'.join(options)})(?!\w)")


@cache
def _cues() -> _Cues:
    data = load_toml("incidents")
    settings = data["kinds"]
    kinds = tuple((name, _words(entry["cues"], entry.get("near")))
                  for name, entry in settings.items() if isinstance(entry, dict))
    return _Cues(kinds=kinds, dominant=frozenset(settings["dominant"]), follow_up=_words(data["follow_up"]["cues"]),
                 lead_chars=settings["lead_chars"],
                 title_weight=settings["title_weight"], min_score=settings["min_score"],
                 seizure_points=settings["seizure_points"], suspect_points=settings["suspect_points"],
                 follow_up_min=data["follow_up"]["min_score"])


def _score(pattern: re.Pattern[str], title: str, lead: str, title_weight: int) -> int:
    return title_weight * len(pattern.findall(title)) + len(pattern.findall(lead))


def event_kinds() -> tuple[str, ...]:
    """Every kind of incident: the kinds of ``data/incidents.toml``, then ``OTHER``."""
    return (*(kind for kind, _ in _cues().kinds), OTHER)


def event_kind(article: Article, amounts: tuple[Amount, ...], suspects: frozenset[str]) -> str:
    """The kind of event the article reports, ``OTHER`` when none is recognised."""
    cues = _cues()
    title, lead = fold(article.title or ""), fold(article.body[:cues.lead_chars])
    best, best_score = OTHER, cues.min_score - 1
    for kind, pattern in cues.kinds:
        score = _score(pattern, title, lead, cues.title_weight)
        if kind == "seizure" and amounts:
            score += cues.seizure_points
        if kind == "arrest" and suspects:
            score += cues.suspect_points
        if kind in cues.dominant and score >= cues.min_score:
            return kind
        if score > best_score:
            best, best_score = kind, score
    return best


def is_follow_up(article: Article) -> bool:
    """A trial or sentencing report: it follows an earlier case rather than reporting a new one."""
    cues = _cues()
    title, lead = fold(article.title or ""), fold(article.body[:cues.lead_chars])
    return _score(cues.follow_up, title, lead, cues.title_weight) >= cues.follow_up_min


_WEB_NAME = re.compile(r"^(?:https?://)?(?:www\.|m\.)?|(?:\.(?:co\.id|com|net|org|id|news|co))+/?$")


def outlet_key(name: str | None) -> str | None:
    """One key for the ways one outlet is written: "Tribunnews", "tribunnews.com", "www.tribunnews.com" and
    "TRIBUNNEWS" are one outlet when counting how many outlets carried an incident."""
    if not name:
        return None
    key = _WEB_NAME.sub("", name.strip().casefold())
    return "".join(ch for ch in key if ch.isalnum()) or None


def _amounts(article: Article) -> tuple[Amount, ...]:
    found = {(z.substance, float(z.quantity), z.unit, z.qualifier is not None)
             for z in article.seizures
             if z.period is None and z.quantity is not None and z.quantity > 0 and z.unit in SINGLE_CASE_UNITS}
    return tuple(Amount(*values) for values in sorted(found))


def _places(article: Article) -> tuple[frozenset[str], frozenset[str]]:
    regencies: set[str] = set()
    provinces: set[str] = set()
    codes = [loc.code for loc in article.locations] + [o.region_code for o in article.organizations]
    codes += [loc.province_code for loc in article.locations]
    for code in codes:
        if not code:
            continue
        provinces.add(code[:2])
        if len(code) >= 5:
            regencies.add(code[:5])
    return frozenset(regencies), frozenset(provinces)


_TRAILING_INITIALS = re.compile(r"\s+([A-Z]{2,3})(?![\w])")


def _person_name(article: Article, person: Person) -> str:
    """The folded name, with the initials that follow a one-word name in the text ("Fariz RM", a common way
    to write a public figure's name): a first name alone names too many people to match on."""
    if " " not in person.name.strip():
        for _, end in person.mentions:
            found = _TRAILING_INITIALS.match(article.body, end)
            if found:
                return fold(f"{person.name} {found.group(1)}")
    return fold(person.name)


def profile_of(article: Article, key: str | None = None, *, signature: Any = None,
               story: int | None = None) -> Profile:
    """The incident-matching facts of ``article``; ``key`` names it (default: its record id)."""
    amounts = _amounts(article)
    suspects = find_suspects(article.body)
    initials = frozenset(suspects.initials)
    regencies, provinces = _places(article)
    return Profile(
        article=key if key is not None else article.id,
        kind=event_kind(article, amounts, initials),
        date=article.date or article.published,
        regencies=regencies, provinces=provinces, amounts=amounts,
        suspects=initials, suspect_count=suspects.count,
        officials=frozenset(_person_name(article, p) for p in article.people if p.name and (p.rank or p.position)),
        named=frozenset(_person_name(article, p) for p in article.people if p.name and not (p.rank or p.position)),
        units=frozenset(o.name for o in article.organizations if o.type in LOCAL_UNIT_TYPES and o.region_code),
        keywords=rare_words(article.title, article.body, (p.name for p in article.people if p.name)),
        follow_up=is_follow_up(article), outlet=article.outlet, story=story, signature=signature,
    )
