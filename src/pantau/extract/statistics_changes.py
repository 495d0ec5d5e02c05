"""Stated changes of case statistics: is "turun 7%" what the story's own figures say?

A story often states a change ("turun 7%", "naik 15 persen", "penurunan jumlah kasus narkoba
sebesar 7%") beside the figures it summarises. The change is checked against the figures of the
same measure and subject for consecutive years, or an explicit "dari N menjadi M" pair, and a flag
is put on the later figure: ``stated_change_consistent`` when the direction agrees and the stated
percentage is within ``tolerance_points`` of the computed change (which also accepts a newsroom's
rounded or truncated figure: 121 -> 112 is -7.4 %, so "turun 7%" is consistent), else
``stated_change_inconsistent``. A statement that could speak of two different series is left
unchecked. Vocabulary: ``data/statistics.toml`` [changes], the measure nouns and subject cues.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import cache
from typing import Protocol

from pantau.extract.statistics_periods import Period, phrases
from pantau.vocab import fold, load_toml

CONSISTENT = "stated_change_consistent"
INCONSISTENT = "stated_change_inconsistent"


class _Sentence(Protocol):
    start: int
    end: int
    paragraph: int


class _Count(Protocol):
    measure: str
    subject: str | None
    value: float
    start: int
    end: int
    lead: int
    period: Period | None
    flags: list[str]

    @property
    def sentence(self) -> _Sentence: ...


@dataclass(frozen=True)
class Change:
    start: int
    direction: int
    percent: float
    measure: str | None
    subject: str | None
    period: str | None
    paragraph: int


@dataclass(frozen=True)
class _Vocab:
    change: re.Pattern[str]
    down: frozenset[str]
    measure_in_text: re.Pattern[str]
    measure_of: dict[str, str]
    subject_cue: re.Pattern[str]
    subject_key: dict[str, str]
    window: int
    tolerance: float
    from_tail: re.Pattern[str]
    to_tail: re.Pattern[str]


@cache
def _vocab() -> _Vocab:
    data = load_toml("statistics")
    changes = data["changes"]
    measure_of = {fold(n): name for name, spec in data["measures"].items() for n in spec["nouns"]}
    subject_key = {fold(cue): key for key, cues in data["subjects"]["cues"].items() for cue in cues}
    return _Vocab(
        change=re.compile(
            rf"(?<![\w-])(?P<verb>{phrases([*changes['down'], *changes['up']])})(?![\w-])"
            rf"(?P<mid>(?:\s+[^\s\d%.;!?]+){{0,{int(changes['max_words'])}}}?)"
            r"\s+(?P<pct>\d+(?:[.,]\d+)?)\s*(?:%|persen(?![\w-]))", re.I),
        down=frozenset(fold(w) for w in changes["down"]),
        measure_in_text=re.compile(rf"(?<![\w-])(?P<noun>{phrases(measure_of)})(?![\w-])", re.I),
        measure_of=measure_of,
        subject_cue=re.compile(rf"(?<![\w-]){phrases(subject_key)}(?![\w-])", re.I),
        subject_key=subject_key,
        window=int(data["window"]["change"]),
        tolerance=float(changes["tolerance_points"]),
        from_tail=re.compile(r"(?<![\w-])dari\s*$", re.I),
        to_tail=re.compile(r"(?<![\w-])(?:menjadi|jadi|ke)\s*$", re.I),
    )


def _last(matches: Iterable[re.Match[str]]) -> re.Match[str] | None:
    found = list(matches)
    return found[-1] if found else None


def stated_changes(body: str, spans: list[tuple[int, int]], sentences: Sequence[_Sentence],
                   periods: list[Period]) -> list[Change]:
    """The stated changes in the given paragraphs (start, end), with what they speak of."""
    v = _vocab()
    starts = [s.start for s in sentences]
    out = []
    for m in (m for lo, hi in spans for m in v.change.finditer(body, lo, hi)):
        i = bisect.bisect_right(starts, m.start()) - 1
        if i < 0 or not sentences[i].start <= m.start() < sentences[i].end:
            continue
        sentence = sentences[i]
        # What changed is named between the change word and the figure ("penurunan jumlah kasus
        # narkoba sebesar 7%") or before the change word ("Jumlah kasus curanmor turun 30 persen").
        mid = m["mid"]
        lead = body[sentence.start:m.start()]
        noun = v.measure_in_text.search(mid) or _last(v.measure_in_text.finditer(lead))
        cue = v.subject_cue.search(mid) or _last(v.subject_cue.finditer(lead))
        period = next((p.value for p in periods if 0 <= p.start - m.end() <= 3 and p.end <= sentence.end), None)
        out.append(Change(
            start=m.start(),
            direction=-1 if fold(m["verb"]) in v.down else 1,
            percent=float(m["pct"].replace(",", ".")),
            measure=v.measure_of[fold(noun["noun"])] if noun else None,
            subject=v.subject_key[fold(cue.group())] if cue else None,
            period=period,
            paragraph=sentence.paragraph,
        ))
    return out


def _pairs(counts: Sequence[_Count], body: str) -> list[tuple[_Count, _Count]]:
    """Figures to compare: consecutive years of one measure and subject, and "dari N ... menjadi M"."""
    v = _vocab()
    by_year: dict[tuple[str, str | None, int], _Count] = {}
    for c in counts:
        if c.period and c.period.value.isdigit():
            by_year.setdefault((c.measure, c.subject, int(c.period.value)), c)
    pairs = []
    for (measure, subject, year), later in by_year.items():
        earlier = by_year.get((measure, subject, year - 1))
        if earlier is not None:
            pairs.append((earlier, later))
    paired = {id(later) for _, later in pairs}
    for i, first in enumerate(counts):
        if not v.from_tail.search(body, first.sentence.start, first.lead):
            continue
        for second in counts[i + 1:]:
            if second.sentence != first.sentence:
                break
            if (second.measure == first.measure and id(second) not in paired
                    and v.to_tail.search(body, first.end, second.lead)):
                pairs.append((first, second))
                paired.add(id(second))
                break
    return pairs


def check_changes(counts: Sequence[_Count], changes: list[Change], body: str) -> None:
    """Flag the later figure of each compared pair against the nearest compatible stated change."""
    v = _vocab()
    pairs = _pairs(counts, body)

    def fits(change: Change, pair: tuple[_Count, _Count]) -> bool:
        earlier, later = pair
        return (change.paragraph in (earlier.sentence.paragraph, later.sentence.paragraph)
                and abs(change.start - later.start) <= v.window
                and change.measure in (None, later.measure)
                and change.subject in (None, later.subject)
                and change.period in (None, later.period.value if later.period else None))

    usable = []
    for change in changes:
        kinds = {(p[1].measure, p[1].subject) for p in pairs if fits(change, p)}
        if len(kinds) == 1:  # a statement that could speak of two different series is left unchecked
            usable.append(change)
    for pair in pairs:
        earlier, later = pair
        options = [c for c in usable if fits(c, pair)]
        if not options or earlier.value == 0:
            continue
        change = min(options, key=lambda c: abs(c.start - later.start))
        computed = (later.value - earlier.value) / earlier.value * 100
        agrees = computed != 0 and (computed > 0) == (change.direction > 0)
        close = abs(abs(computed) - change.percent) <= v.tolerance
        later.flags.append(CONSISTENT if agrees and close else INCONSISTENT)
