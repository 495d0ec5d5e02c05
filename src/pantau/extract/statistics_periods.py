"""Periods of case statistics: "pada 2023", "sepanjang 2024", "semester I 2025", "per 14 Agustus 2017".

A period phrase is read with a normalised value (a year "2024", a month "2024-06", an interval
"2024-01/2024-06", an as-of date "2017-08-14"), whether it says "over a period" (strong:
"sepanjang 2024", "periode April-Mei 2025") or may only date an event (weak: "pada Juni 2025"),
and its span. The record keeps the year (:func:`record_period`). Counts claim the period phrase of
their own clause (:func:`claim_periods`); counts without one may refer back to an earlier period
(:func:`referred_period`) or belong to a story that opens as a period report (:func:`lead_period`).
Vocabulary: ``data/statistics.toml`` [periods].
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from functools import cache
from typing import Any

from pantau.extract.quantities import alternation
from pantau.vocab import fold, load_toml

# ``(?<![\d.,/])(?:19|20)\d\d(?![\d/])``, written digit first (the look-behind after the first digit), so that the
# engine looks for a "1" or "2" in C and tries the rest only there.
_YEAR = re.compile(r"(?:1(?<![\d.,/]1)9|2(?<![\d.,/]2)0)\d\d(?![\d/])")
_WORD_CONTINUES = re.compile(r"[\w/]|-\d")
_PARAGRAPH = re.compile(r"[^\n]+")
_COMPARISON = re.compile(
    r"(?<![\w-])(?:dibanding\w*|ketimbang|daripada|dari|sedangkan|sementara|menjadi)(?![\w-])", re.I)
_CONTRAST = re.compile(r"(?<![\w-])(?:sedangkan|sementara|adapun|namun|tetapi|sedang)(?![\w-])", re.I)


def phrases(words: list[str] | set[str] | dict[str, Any]) -> str:
    """Case-folded regex alternation of phrases, longest first, as one group (used with re.I)."""
    return f"(?:{alternation([fold(w) for w in words])})"


@dataclass(frozen=True)
class Period:
    start: int
    end: int
    value: str  # "2024", "2024-06", "2024-01/2024-06", "2017-08-14" or "2020/2024"
    strong: bool  # says "over a period", not only "when"


@dataclass(frozen=True)
class _Vocab:
    pattern: re.Pattern[str]
    months: dict[str, int]
    halves: dict[str, int]
    quarters: dict[str, int]
    strong_cues: frozenset[str]
    not_after: re.Pattern[str]
    anaphora: re.Pattern[str]
    first: int
    last: int
    lead_paragraphs: int
    lead_min_words: int


@cache
def _vocab() -> _Vocab:
    pv = load_toml("statistics")["periods"]
    number_words = load_toml("statistics")["numbers"]
    year = r"(?:19|20)\d\d"
    month = phrases(pv["months"])
    joiner = phrases(pv["range_joiners"])
    halves_quarters = phrases([*pv["halves"], *pv["quarters"]])
    pattern = re.compile(
        rf"(?<![\w-])(?:"
        rf"(?P<asof_cue>{phrases(pv['as_of_cues'])})\s+(?:tanggal\s+)?(?P<ad>\d{{1,2}})\s+(?P<am>{month})"
        rf"\s+(?P<ay>{year})"
        rf"|(?:(?P<hqcue>{phrases(pv['strong_cues'])})\s+)?(?P<hq>{halves_quarters})\s+(?:tahun\s+)?(?P<hqy>{year})"
        rf"|(?:{phrases(pv['month_range_cues'])}\s+)?(?:bulan\s+)?(?P<m1>{month})\s*{joiner}\s*"
        rf"(?:bulan\s+)?(?P<m2>{month})\s+(?:tahun\s+)?(?P<mry>{year})"
        rf"|(?:(?:dari|sejak|antara|periode|tahun|pada|selama|sepanjang)\s+)?(?:tahun\s+)?(?P<y1>{year})\s*{joiner}"
        rf"\s*(?:tahun\s+)?(?P<y2>{year})"
        rf"|(?P<smcue>{phrases(pv['month_cues'])})\s+(?:bulan\s+)?(?P<sm>{month})\s+(?:tahun\s+)?"
        rf"(?P<smy>{year})"
        rf"|(?P<ycue>{phrases(pv['year_cues'])})\s+(?P<y>{year})"
        rf")(?![\w/-])",
        re.I,
    )
    count = rf"(?:\d+|{phrases({**number_words['units'], **number_words['teens']})})"
    return _Vocab(
        pattern=pattern,
        months={fold(k): int(v) for k, v in pv["months"].items()},
        halves={fold(k): int(v) for k, v in pv["halves"].items()},
        quarters={fold(k): int(v) for k, v in pv["quarters"].items()},
        strong_cues=frozenset(fold(c) for c in pv["strong_cues"]),
        not_after=re.compile(rf"(?<![\w-]){phrases(pv['not_after'])}\s*$|(?:nomor|no\.?)\s*\d+\s*$", re.I),
        anaphora=re.compile(
            rf"(?<![\w-])(?:{phrases(pv['anaphora'])}|selama\s+{count}\s+{phrases(pv['durations'])})(?![\w-])", re.I),
        first=int(pv["first_year"]),
        last=int(pv["last_year"]),
        lead_paragraphs=int(pv["lead_paragraphs"]),
        lead_min_words=int(pv["lead_min_words"]),
    )


def find_periods(body: str, spans: list[tuple[int, int]], count_nouns: frozenset[str]) -> list[Period]:
    """Period phrases in the given paragraphs (start, end), in text order.

    Every period form contains a four-digit year, so phrases are looked for only just before a year
    instead of at every position of the text. A year followed by a measure noun ("pada 2016 kasus")
    is left to the count (``count_nouns``: first words of the measure nouns)."""
    v = _vocab()
    found: list[Period] = []
    for lo, hi in spans:
        for year in _YEAR.finditer(body, lo, hi):
            window = max(lo, year.start() - 60)
            m = next((m for m in v.pattern.finditer(body, window, year.end()) if m.end() == year.end()), None)
            if m is None or _WORD_CONTINUES.match(body, m.end()):
                continue
            if v.not_after.search(body, max(lo, m.start() - 24), m.start()):
                continue
            value = _value(m, v)
            following = body[m.end():m.end() + 20].split()
            if value is None or (m["y"] and following and fold(following[0]) in count_nouns):
                continue
            period = Period(m.start(), m.end(), value, _is_strong(m, v))
            while found and found[-1].end > period.start:  # overlapping: keep the longer phrase
                if found[-1].end - found[-1].start >= period.end - period.start:
                    break
                found.pop()
            else:
                found.append(period)
    return found


def _is_strong(m: re.Match[str], v: _Vocab) -> bool:
    if m["m1"] or m["y1"] or m["hq"]:
        return True  # a range, a half or a quarter is a span of time whatever its cue
    cue = m["smcue"] or m["ycue"] or m["asof_cue"]
    return cue is not None and fold(cue) in v.strong_cues


def _value(m: re.Match[str], v: _Vocab) -> str | None:
    def year(group: str) -> int | None:
        value = int(m[group])
        return value if v.first <= value <= v.last else None

    if m["asof_cue"]:
        y = year("ay")
        try:
            return dt.date(y, v.months[fold(m["am"])], int(m["ad"])).isoformat() if y else None
        except ValueError:
            return None
    if m["hq"]:
        y, key = year("hqy"), fold(m["hq"])
        if y is None:
            return None
        if key in v.halves:
            lo, hi = (1, 6) if v.halves[key] == 1 else (7, 12)
        else:
            lo, hi = 3 * v.quarters[key] - 2, 3 * v.quarters[key]
        return f"{y}-{lo:02d}/{y}-{hi:02d}"
    if m["m1"]:
        y, lo, hi = year("mry"), v.months[fold(m["m1"])], v.months[fold(m["m2"])]
        return f"{y}-{lo:02d}/{y}-{hi:02d}" if y and lo < hi else None
    if m["y1"]:
        y1, y2 = year("y1"), year("y2")
        return f"{y1}/{y2}" if y1 and y2 and y1 < y2 else None
    if m["sm"]:
        y = year("smy")
        return f"{y}-{v.months[fold(m['sm'])]:02d}" if y else None
    y = year("y")
    return str(y) if y else None


def claim_periods(counts: list[tuple[int, int, int, int]], periods: list[Period],
                  body: str) -> list[tuple[Period | None, bool]]:
    """The period of each count (lead, end, sentence start, sentence end): a period right after it in
    its clause ("121 kasus pada 2023"), else the nearest earlier one in its sentence that no other
    count has taken that way, unless a contrast opens a new period in between, else the first later
    one in its sentence with no other number and no comparison in between. Each comes with whether
    it is that last, late kind (which may as well date the case as bound the count)."""
    trailing: list[Period | None] = []
    for _, end, _, sentence_end in counts:
        following = next((p for p in periods if p.start >= end), None)
        found = None
        if following is not None and following.start < sentence_end and following.start - end <= 30:
            gap = body[end:following.start]
            if not re.search(r"[,;:\d]", gap) and not _COMPARISON.search(gap):
                found = following
        trailing.append(found)
    claimed = {id(p) for p in trailing if p is not None}
    out: list[tuple[Period | None, bool]] = []
    for (lead, end, sentence_start, sentence_end), own in zip(counts, trailing, strict=True):
        if own is not None:
            out.append((own, False))
            continue
        earlier = [p for p in periods if sentence_start <= p.start and p.end <= lead and id(p) not in claimed]
        # "Pada 2023 terjadi 50 kasus, sedangkan ... 60 kasus": a contrast opens a new period.
        if earlier and not _CONTRAST.search(body, earlier[-1].end, lead):
            out.append((earlier[-1], False))
            continue
        # "... mengungkap 120 kasus narkoba di wilayahnya sepanjang 2024": the sentence's closing period.
        later = [p for p in periods if end <= p.start and p.end <= sentence_end and id(p) not in claimed]
        if later and not earlier and not _COMPARISON.search(body, end, later[0].start) \
                and not re.search(r"\d", body[end:later[0].start]):
            out.append((later[0], True))
        else:
            out.append((None, False))
    return out


def referred_period(body: str, sentence: tuple[int, int], lead: int, periods: list[Period]) -> Period | None:
    """The period a count's sentence refers back to ("dari periode tersebut", "selama 6 bulan"):
    the latest period written before that phrase."""
    phrase = _vocab().anaphora.search(body, sentence[0], max(lead, sentence[0]))
    if phrase is None:
        phrase = _vocab().anaphora.search(body, sentence[0], sentence[1])
    if phrase is None:
        return None
    earlier = [p for p in periods if p.end <= phrase.start()]
    return earlier[-1] if earlier else None


def lead_period(body: str, count_nouns: frozenset[str]) -> Period | None:
    """The period of a story that opens as a period report: a strong period phrase within one year in
    its first paragraphs (bylines and other short lines are not paragraphs). A span of years there
    ("proyek periode 2008-2022") dates the events of a case, not a tally."""
    v = _vocab()
    seen = 0
    for paragraph in _PARAGRAPH.finditer(body):
        if len(paragraph.group(0).split()) < v.lead_min_words:
            continue
        strong = [p for p in find_periods(body, [paragraph.span()], count_nouns)
                  if p.strong and "/" not in record_period(p.value)]
        if strong:
            return strong[0]
        seen += 1
        if seen == v.lead_paragraphs:
            return None
    return None


def all_periods(body: str, count_nouns: frozenset[str]) -> list[Period]:
    return find_periods(body, [p.span() for p in _PARAGRAPH.finditer(body)], count_nouns)


def record_period(value: str) -> str:
    """The record's period: the year of a period within one year ("2025-04/2025-05" is "2025"); a
    range of years stays as it is ("2020/2024")."""
    years = {part[:4] for part in value.split("/")}
    return years.pop() if len(years) == 1 else value


def months_of(value: str) -> tuple[int, int]:
    """A period as (first, last) month numbers counted from year 0, for containment checks."""
    def bounds(part: str) -> tuple[int, int]:
        y = int(part[:4]) * 12
        if len(part) == 4:
            return y + 1, y + 12
        m = y + int(part[5:7])
        return (y + 1, m) if len(part) == 10 else (m, m)  # an as-of date counts from January
    parts = value.split("/")
    return bounds(parts[0])[0], bounds(parts[-1])[1]
