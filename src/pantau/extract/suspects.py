"""Suspects of one operation: their initials ("AS (32)") and how many were arrested ("dua tersangka").

Indonesian police releases name suspects by initials, usually with their age in brackets, and give
their number in words or digits. Both are what tells two busts in one town apart, so incidents
(``pantau.incidents``) compare them; the record's ``statistics`` leaves such per-operation counts
out on purpose (they are not tallies of a period).

Vocabulary (the words that introduce a suspect, the counted nouns) is in ``data/incidents.toml``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

from pantau.extract.quantities import alternation, parse_number
from pantau.vocab import load_toml

MAX_COUNT = 500  # a count past this is a tally, not one operation's suspects


@dataclass(frozen=True, slots=True)
class Suspects:
    initials: tuple[str, ...]  # in order of first mention, without dots: "AS", "MRH"
    count: int | None  # the largest stated number of suspects, or of distinct initials


@dataclass(frozen=True, slots=True)
class _Patterns:
    after_cue: re.Pattern[str]
    with_age: re.Pattern[str]
    counted: re.Pattern[str]
    people_arrested: re.Pattern[str]


_INITIALS = r"(?P<initials>(?:[A-Z]\.?\s?){1,4}?[A-Z]\.?)(?![\w])"


def _number_pattern() -> str:
    """Digits, or a number in words from the units vocabulary ("dua", "sebelas", "dua puluh tiga"): only
    number words start a match, so the scan does not try every word of the text."""
    numbers = load_toml("units")["numbers"]
    first = alternation([*numbers["ones"], *numbers["se"]])
    scales = alternation(["belas", *numbers["small_scales"]])
    words = rf"(?:{first})(?:\s+(?:{scales}))?(?:\s+(?:{alternation(list(numbers['ones']))}))?"
    return rf"(?<![\d.,\w])(?P<number>\d{{1,3}}(?![\d.,]\d)|{words})"


@cache
def _patterns() -> _Patterns:
    vocab = load_toml("incidents")["suspects"]
    cues = alternation([*vocab["cues"], *vocab["initials_markers"]])
    markers = alternation(vocab["initials_markers"])
    number = _number_pattern()
    return _Patterns(
        # "tersangka AS", "pelaku berinisial RZ", "pria berinisial M.A.", case-sensitive initials
        after_cue=re.compile(rf"(?i:\b(?:{cues}))(?:\s+(?i:{markers}))?\s+{_INITIALS}"),
        # "AS (32)", "RZ alias Ucok (25)": initials with an age are a suspect wherever they stand
        with_age=re.compile(rf"(?<![\w.]){_INITIALS}(?:\s+(?i:alias)\s+\w+)?\s*\(\s*\d{{1,2}}\s*(?:th|tahun)?\s*\)"),
        counted=re.compile(rf"{number}\s+(?:{alternation(vocab['counted'])})\b", re.IGNORECASE),
        # "tiga orang diamankan", "dua orang yang diduga kurir berhasil diringkus": people, then an arrest
        people_arrested=re.compile(
            rf"{number}\s+orang\s+(?:[\w-]+\s+){{0,4}}?(?:{alternation(vocab['arrest_words'])})\b", re.IGNORECASE),
    )


def _label(initials: str) -> str:
    return re.sub(r"[.\s]", "", initials)


def find_suspects(text: str) -> Suspects:
    """The initials of the suspects named in ``text`` and their stated number."""
    patterns = _patterns()
    found: dict[str, int] = {}
    for pattern in (patterns.after_cue, patterns.with_age):
        for match in pattern.finditer(text):
            label = _label(match.group("initials"))
            if 2 <= len(label) <= 4:
                found.setdefault(label, match.start("initials"))
    initials = tuple(sorted(found, key=found.__getitem__))
    counts = []
    for match in [*patterns.counted.finditer(text), *patterns.people_arrested.finditer(text)]:
        number = parse_number(match.group("number"))
        if number is not None and number == int(number) and 0 < number <= MAX_COUNT:
            counts.append(int(number))
    count = max([*counts, len(initials)]) if counts or initials else None
    return Suspects(initials=initials, count=count)
