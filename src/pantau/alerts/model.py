"""What the early-warning detectors read (``IncidentFacts``) and what they raise (``Alert``).

Both are plain frozen values: the detectors never touch the store, so they can be run on a store's
incidents, on a backtest slice of them, or on synthetic incidents built from counts (bench/bench_alerts.py).
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class IncidentFacts:
    """What detectors read about one incident (one real-world event, however many articles report it)."""

    id: int
    type: str  # "seizure", "arrest", "raid", "destruction", "prison", "viral", "clash", "other"
    date: datetime.date | None  # event date (start of its range)
    province_code: str | None  # "62"
    regency_code: str | None  # "62.71"
    topics: tuple[str, ...]  # pantau topic keys ("drugs",)
    substances: tuple[str, ...]  # canonical substance keys ("methamphetamine",)
    seizures: tuple[tuple[str, float, str], ...]  # merged (substance, quantity, unit); unit g/pill/plant/ml/package
    reports: tuple[tuple[datetime.datetime, str], ...]  # (first seen or published, outlet), one per article
    first_seen: datetime.datetime


@dataclass(frozen=True, slots=True)
class Alert:
    """One early warning. ``key`` is its identity: re-running a detector on the same facts never makes a
    second alert, it makes the same key again (with figures that may have grown)."""

    key: str  # "spike:62.71:topic:drugs:2026-W10"
    kind: str  # "spike" | "new_ground" | "viral" | "record_seizure"
    title: str  # short English text
    reason: str  # why, in numbers
    score: float  # strength, comparable within a kind
    region_code: str | None
    province_code: str | None
    period: str | None  # ISO week "2026-W10" or ISO date
    incident_ids: tuple[int, ...]
    numbers: dict[str, float]  # the figures behind `reason`
    raised_at: datetime.datetime  # the as-of time the detector was evaluated at
    title_id: str = ""  # the same title in Indonesian

    def __hash__(self) -> int:
        # `numbers` is a dict, so the generated hash would fail; the key is the identity anyway.
        return hash(self.key)


def utc_naive(moment: datetime.datetime) -> datetime.datetime:
    """One comparable time scale: aware times are converted to UTC, naive ones are taken as UTC already
    (the store keeps naive UTC); mixing both would raise TypeError on comparison."""
    if moment.tzinfo is not None:
        return moment.astimezone(datetime.UTC).replace(tzinfo=None)
    return moment


def event_day(incident: IncidentFacts) -> datetime.date:
    """The day an incident happened: its event date, else the day it was first seen."""
    return incident.date if incident.date is not None else utc_naive(incident.first_seen).date()


def iso_week(day: datetime.date) -> str:
    """ISO week label ("2026-W03") of a day."""
    year, week, _ = day.isocalendar()
    return f"{year}-W{week:02d}"


def week_index(day: datetime.date) -> int:
    """A running number of the week (Monday to Sunday) holding ``day``: consecutive weeks differ by 1."""
    return (day.toordinal() - day.weekday()) // 7


def week_monday(index: int) -> datetime.date:
    """The Monday of the week numbered ``index`` by ``week_index``."""
    # Ordinal 1 (0001-01-01) is a Monday, so Mondays are the ordinals 7q + 1.
    return datetime.date.fromordinal(index * 7 + 1)
