"""Hand-built incidents for the detector tests (made-up regions' incidents, no article text)."""

from __future__ import annotations

import datetime

from pantau.alerts import IncidentFacts

AS_OF = datetime.datetime(2026, 3, 8, 20, 0)  # a Sunday evening: the end of ISO week 2026-W10
HISTORY_FROM = datetime.date(2024, 1, 1)


def incident(id_: int, day: datetime.date | str, *, regency: str | None = "62.71", province: str | None = None,
             type_: str = "arrest", topics: tuple[str, ...] = ("drugs",), substances: tuple[str, ...] = (),
             seizures: tuple[tuple[str, float, str], ...] = (), outlets: tuple[tuple[float, str], ...] = (),
             seen: datetime.datetime | None = None) -> IncidentFacts:
    """One incident on ``day``; ``outlets`` are (hours after the first report, outlet) of its articles."""
    if isinstance(day, str):
        day = datetime.date.fromisoformat(day)
    first = seen or datetime.datetime.combine(day, datetime.time(9))
    reports = tuple((first + datetime.timedelta(hours=h), o) for h, o in outlets) or ((first, "outlet-a"),)
    if province is None and regency is not None:
        province = regency.split(".")[0]
    return IncidentFacts(id_, type_, day, province, regency, topics, substances, seizures, reports, first)


def weekly(start_id: int, first_monday: datetime.date, counts: list[int], **kwargs: object) -> list[IncidentFacts]:
    """``counts[w]`` incidents in the w-th week from ``first_monday`` (spread Monday to Sunday)."""
    out = []
    next_id = start_id
    for week, count in enumerate(counts):
        for j in range(count):
            day = first_monday + datetime.timedelta(days=7 * week + j % 7)
            out.append(incident(next_id, day, **kwargs))  # type: ignore[arg-type]
            next_id += 1
    return out
