"""The lead's masthead and dateline: "BALANGANEWS, PALANGKA RAYA – Upaya ...".

Indonesian leads open with an outlet, a city, or both, before a dash or bar:
"Kupang - ", "KabarNTB, Mataram – ", "Jbm.co.id-TABANAN | ", "KORANHARIANBANYUASIN.ID – ",
"BANDUNG, KOMPAS.com - ", "Serang, Banten (ANTARA News) - ", "JAKARTA (Pos Kota) – ".
Each segment of the prefix is classified as a place (Kemendagri register and known datelines) or
an outlet (domain names, masthead words from ``data/lead.toml``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

from pantau.regions import is_place_name
from pantau.vocab import load_toml

MAX_PREFIX = 90
MAX_SEGMENT_WORDS = 5

# The prefix ends at a dash or bar: an en/em dash or bar with any spacing, a double hyphen, or a
# single hyphen with a space on at least one side (a bare hyphen is part of a word).
_SEPARATOR = re.compile(r"\s*(?:[–—|]+|-{2,})\s*|\s+-\s*|\s*-\s+")
_DASH = re.compile("[–—|-]")  # what every separator holds: a lead without one skips the separator search
_PAREN = re.compile(r"\(([^()]{1,40})\)")
_WORD = re.compile(r"[^\s]+")


@dataclass(frozen=True, slots=True)
class Dateline:
    outlet: str | None
    place: str | None
    end: int  # offset in the paragraph where the story text starts


@cache
def _vocab() -> tuple[tuple[str, ...], re.Pattern[str]]:
    data = load_toml("lead")
    affixes = tuple(a.casefold() for a in data["outlet_affixes"])
    domains = "|".join(re.escape(d) for d in sorted(data["domains"], key=len, reverse=True))
    domain = re.compile(rf"^[\w\-]+(?:\.[\w\-]+)*\.(?:{domains})$", re.I)
    return affixes, domain


def is_masthead_word(word: str) -> bool:
    """One of the words outlet names are built of ("detik", "tribun", "news"): ``lead.toml`` ``outlet_affixes``."""
    return word.casefold() in _vocab()[0]


def _is_domain(word: str) -> bool:
    word = word.rstrip(".,")
    return "." in word and bool(_vocab()[1].match(word))  # (a domain has a dot: most words need no pattern)


# "Liputan6.com, JakartaPasokan nikel ...": a masthead and a dateline whose end tag the scraper dropped, so the
# place is glued to the story's first word
_GLUED_DATELINE = re.compile(
    r"(?P<outlet>\S+),\s*(?P<place>[A-Z][A-Za-z]*?[a-z](?: [A-Z][a-z]+)*?)(?P<story>[A-Z][a-z])")


def unglue_dateline(line: str) -> str:
    """``line`` with a glued dateline set apart by a dash ("Liputan6.com, Jakarta - Pasokan ..."); other lines
    as they are."""
    found = _GLUED_DATELINE.match(line)
    if found is None or not _is_domain(found["outlet"]) or not is_place_name(found["place"]):
        return line
    return f"{found['outlet']}, {found['place']} - {line[found.start('story'):]}"


def _split_domain_dash(segment: str) -> list[str]:
    """'Jbm.co.id-TABANAN' -> ['Jbm.co.id', 'TABANAN']."""
    match = re.match(r"^([\w\-]+(?:\.[\w]+)+)-(\w.*)$", segment)
    if match and _is_domain(match.group(1)):
        return [match.group(1), match.group(2)]
    return [segment]


def _segments(prefix: str) -> list[str]:
    parts: list[str] = []
    for outside_or_inside in re.split(r"(\([^()]*\))", prefix):
        chunk = outside_or_inside.strip()
        if chunk.startswith("(") and chunk.endswith(")"):
            chunk = chunk[1:-1]
        for piece in re.split(r"\s*,\s*", chunk):
            if piece.strip():
                parts.extend(_split_domain_dash(piece.strip()))
    return parts


def _name_like(segment: str) -> bool:
    words = segment.split()
    if not words or len(words) > MAX_SEGMENT_WORDS:
        return False
    return all(w[0].isupper() or w[0].isdigit() or _is_domain(w) for w in words)


def is_outlet_like(segment: str) -> bool:
    affixes, _ = _vocab()
    for word in segment.split():
        if _is_domain(word):
            return True
        folded = word.casefold()
        if any(folded.startswith(a) or folded.endswith(a) for a in affixes):
            return True
    return False


def _plausible_place(segment: str) -> bool:
    """An unregistered segment read as a dateline: 'LOS ANGELES' yes, 'Kapolres Banyuasin AKBP Rury' no."""
    return segment.isupper() or len(segment.split()) <= 2


def _plausible_outlet(segment: str) -> bool:
    """An unlisted masthead: one word or all capitals ('SUMSELUPDATE'), not 'Kapolres Banyuasin AKBP Rury'."""
    return segment.isupper() or len(segment.split()) == 1


def _title_case(place: str) -> str:
    return " ".join(w[:1].upper() + w[1:].lower() if w.isupper() or w.islower() else w
                    for w in place.split())


def _outlet_name(segment: str) -> str:
    """The masthead of an outlet segment: its domain word when it has one
    ('Laporan Wartawan Tribunnews.com' -> 'Tribunnews.com')."""
    return next((w for w in segment.split() if _is_domain(w)), segment)


def _dashless_prefix(paragraph: str) -> tuple[str, int] | None:
    """'JAKARTA, KOMPAS.com Calon ...' and 'REPUBLIKA.CO.ID, Mengurangi ...': a prefix ending in a
    domain-name masthead with no dash after it."""
    for match in _WORD.finditer(paragraph[: MAX_PREFIX + 20]):
        word = match.group(0)
        if _is_domain(word.rstrip(",")):
            end = match.end()
            rest = paragraph[end:]
            if rest[:1] in (",", " ") and rest.lstrip(", ")[:1].isupper():
                return paragraph[: end].rstrip(","), end + (len(rest) - len(rest.lstrip(", ")))
            return None
    return None


def parse_dateline(paragraph: str) -> Dateline | None:
    """The outlet and dateline opening ``paragraph``, or ``None`` when it opens with the story."""
    has_dash = _DASH.search(paragraph, 0, MAX_PREFIX + 4) is not None
    separator = _SEPARATOR.search(paragraph, 0, MAX_PREFIX + 4) if has_dash else None
    if separator is not None and separator.start() > 0:
        prefix, end = paragraph[: separator.start()], separator.end()
    else:
        dashless = _dashless_prefix(paragraph)
        if dashless is None:
            return None
        prefix, end = dashless
    if len(prefix) > MAX_PREFIX or not paragraph[end:].strip():
        return None
    segments = _segments(prefix)
    if not segments or not all(_name_like(s) for s in segments):
        return None
    outlet = place = None
    unknown: list[str] = []
    for segment in segments:
        if is_place_name(segment):
            place = place or segment
        elif is_outlet_like(segment):
            outlet = outlet or _outlet_name(segment)
        else:
            unknown.append(segment)
    if place is None and unknown and _plausible_place(unknown[0]):
        place = unknown.pop(0)
    if outlet is None and unknown and _plausible_outlet(unknown[0]):
        outlet = unknown.pop(0)
    if unknown:
        return None
    return Dateline(outlet=outlet, place=_title_case(place) if place else None, end=end)
