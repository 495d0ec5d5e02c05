"""Viral detector: an incident whose outlets multiply faster than incidents of its type usually do.

For each window (24 and 48 hours by default) after an incident's first report, the distinct outlets that
reported it within the window are counted. The same count over the earlier incidents of the type whose window
had closed by as_of is the reference; an incident fires when its count (so far, for a window still open) is
above the reference's ``quantile`` and at least ``min_outlets``.
"""

from __future__ import annotations

import bisect
import datetime
import heapq
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence

from pantau.alerts.common import fmt, known_at, known_since, label, province_of, region_name
from pantau.alerts.config import AlertConfig, load_config
from pantau.alerts.model import Alert, IncidentFacts, utc_naive
from pantau.alerts.stats import SortedView, quantile

Reports = list[tuple[datetime.datetime, str]]


def _timeline(incident: IncidentFacts, as_of: datetime.datetime) -> tuple[datetime.datetime, Reports]:
    """The first report's time and the reports known at as_of, in time order."""
    reports = sorted(r for r in ((utc_naive(when), outlet) for when, outlet in incident.reports) if r[0] <= as_of)
    start = reports[0][0] if reports else utc_naive(incident.first_seen)
    return start, reports


def _spread(reports: Reports, until: datetime.datetime) -> tuple[int, int]:
    """(distinct outlets, articles) reported before ``until``."""
    articles = [outlet for when, outlet in reports if when < until]
    return len({outlet.casefold().strip() for outlet in articles if outlet}), len(articles)


def _others(reference: dict[tuple[str, float], list[int]], closed: dict[tuple[int, float], int], incident_id: int,
            pool: str, hours: float) -> list[int]:
    """The sorted reference of a pool without the incident itself (when its own window has closed)."""
    values = reference.get((pool, hours), [])
    own = closed.get((incident_id, hours))
    if own is None:
        return values
    values = list(values)
    del values[bisect.bisect_left(values, own)]
    return values


def detect_viral(incidents: Iterable[IncidentFacts], as_of: datetime.datetime,
                 config: AlertConfig | None = None) -> list[Alert]:
    """One alert per recent incident that spread faster than its type's ``quantile`` in any window."""
    config = config or load_config()
    cfg = config.viral
    as_of = utc_naive(as_of)
    facts = known_at(incidents, as_of)
    windows = sorted(set(cfg.windows_hours))
    # Reference: outlets within each window for every incident whose window has closed, sorted per type.
    reference: dict[tuple[str, float], list[int]] = defaultdict(list)  # (type or "*", hours) -> outlets
    closed: dict[tuple[int, float], int] = {}  # (incident id, hours) -> its outlets, to leave it out of its own
    timelines = {}
    # What is usual now, not years ago: the outlets pantau reads change over time.
    oldest = as_of - datetime.timedelta(days=cfg.reference_days)
    for incident in facts:
        if utc_naive(incident.first_seen) < oldest:
            continue
        start, reports = _timeline(incident, as_of)
        timelines[incident.id] = (start, reports)
        for hours in windows:
            end = start + datetime.timedelta(hours=hours)
            if end <= as_of:
                outlets, _articles = _spread(reports, end)
                reference[(incident.type, hours)].append(outlets)
                reference[("*", hours)].append(outlets)
                closed[(incident.id, hours)] = outlets
    for values in reference.values():
        values.sort()

    first = as_of - datetime.timedelta(hours=cfg.eval_hours)
    alerts: list[Alert] = []
    for incident in facts:
        if incident.id not in timelines:
            continue
        start, reports = timelines[incident.id]
        if start <= first:
            continue
        best = _best(incident, start, reports, as_of, config,
                     lambda pool, hours, own=incident.id: _others(reference, closed, own, pool, hours))
        if best is not None:
            alerts.append(_alert(incident, start, best, as_of, config))
    return sorted(alerts, key=lambda a: (-a.score, a.key))


# The earlier incidents' outlets in a window, sorted, as a sequence (len and indexing): (pool, hours) -> it.
Reference = Callable[[str, float], Sequence[int]]


def _best(incident: IncidentFacts, start: datetime.datetime, reports: Reports, as_of: datetime.datetime,
          config: AlertConfig, others_of: Reference) -> tuple[float, dict[str, float], str] | None:
    """The window in which the incident spread furthest above its reference, if any."""
    cfg = config.viral
    best: tuple[float, dict[str, float], str] | None = None
    for hours in sorted(set(cfg.windows_hours)):
        outlets, articles = _spread(reports, start + datetime.timedelta(hours=hours))
        if outlets < cfg.min_outlets:
            continue
        pool = incident.type
        others = others_of(pool, hours)
        if len(others) < cfg.min_history:
            pool = "*"  # too few of its type: compare with every type
            others = others_of(pool, hours)
            if len(others) < cfg.min_history:
                continue  # cold start
        threshold = quantile(others, cfg.quantile)
        if outlets <= threshold:
            continue
        score = outlets / max(threshold, 1.0)
        elapsed = min(hours, (as_of - start).total_seconds() / 3600.0)
        numbers = {"outlets": float(outlets), "articles": float(articles), "window_hours": float(hours),
                   "elapsed_hours": round(elapsed, 2), "threshold": threshold, "quantile": cfg.quantile,
                   "reference_incidents": float(len(others)),
                   "reference_median": quantile(others, 0.5), "pooled_types": 1.0 if pool == "*" else 0.0}
        if best is None or score > best[0]:
            best = (score, numbers, pool)
    return best


class _Histogram(SortedView[int]):
    """A sorted sequence of small integers held as counts, optionally without one occurrence of a value."""

    def __init__(self, counts: dict[int, int], total: int, without: int | None = None) -> None:
        self._values = sorted(v for v, n in counts.items() if n)
        self._ends: list[int] = []  # index one past each value's last occurrence
        end = 0
        for value in self._values:
            end += counts[value] - (1 if value == without else 0)
            self._ends.append(end)
        self._len = total - (1 if without is not None else 0)

    def _at(self, index: int) -> int:
        return self._values[bisect.bisect_right(self._ends, index)]


# An incident's part of the reference while it holds: (from, until (excluded), type, hours, outlets, id).
_Part = tuple[datetime.datetime, datetime.datetime, str, float, int, int]


class ViralTracker:
    """``detect_viral`` at rising as-of times, the incidents added as they become known.

    An incident's outlets in a closed window never change, so each incident enters the reference of a window
    once (when it is known and its window has closed) and leaves it once (``reference_days`` after it was
    first seen): the reference is a histogram of outlet counts per (type, window) updated at those moments.
    An evaluation reads only the incidents that may still be within ``eval_hours`` of their first report."""

    _END = datetime.datetime.max

    def __init__(self, config: AlertConfig) -> None:
        self.config = config
        self.windows = sorted(set(config.viral.windows_hours))
        self.entering: list[tuple[datetime.datetime, int, _Part]] = []  # heap by `from`
        self.leaving: list[tuple[datetime.datetime, int, _Part]] = []  # heap by `until`
        self.counts: dict[tuple[str, float], dict[int, int]] = defaultdict(lambda: defaultdict(int))
        self.totals: dict[tuple[str, float], int] = defaultdict(int)
        self.holding: dict[tuple[int, float], _Part] = {}  # (incident id, hours) -> its part now held
        self.recent: dict[int, tuple[IncidentFacts, Reports, datetime.datetime | None]] = {}
        self.expiring: list[tuple[datetime.datetime, int, int]] = []  # heap: (no longer evaluated from, seq, id)
        self.added = 0

    def add(self, incident: IncidentFacts) -> None:
        cfg = self.config.viral
        known = known_since(incident)
        seen = utc_naive(incident.first_seen)
        reports = sorted((utc_naive(when), outlet) for when, outlet in incident.reports)
        first_report = reports[0][0] if reports else None
        # In detect_viral an incident's timeline starts at its first report known at as_of, else at its first
        # seen time (with no report known yet): one phase, or two when the first report comes after it is known.
        if first_report is None or first_report <= known:
            phases = [(known, self._END, first_report or seen)]
        else:
            phases = [(known, first_report, seen), (first_report, self._END, first_report)]
        # In the reference while first seen within reference_days before as_of (inclusive).
        reference_end = seen + datetime.timedelta(days=cfg.reference_days) + datetime.timedelta(microseconds=1)
        for since, until, start in phases:
            for hours in self.windows:
                end = start + datetime.timedelta(hours=hours)
                enter, leave = max(since, end), min(until, reference_end)
                if enter < leave:
                    outlets, _articles = _spread(reports, end)
                    self.added += 1
                    heapq.heappush(self.entering, (enter, self.added, (enter, leave, incident.type, hours, outlets,
                                                                       incident.id)))
        # Evaluated while its timeline starts within eval_hours before as_of; it starts at the latest at
        # max(first seen, first report).
        self.added += 1
        self.recent[self.added] = (incident, reports, first_report)
        latest = max(seen, first_report) if first_report is not None else seen
        heapq.heappush(self.expiring, (latest + datetime.timedelta(hours=cfg.eval_hours), self.added, self.added))

    def _hold(self, part: _Part, sign: int) -> None:
        _since, _until, type_, hours, outlets, id_ = part
        for pool in (type_, "*"):
            self.counts[(pool, hours)][outlets] += sign
            self.totals[(pool, hours)] += sign
        if sign > 0:
            self.holding[(id_, hours)] = part
        elif self.holding.get((id_, hours)) is part:
            del self.holding[(id_, hours)]

    def evaluate(self, as_of: datetime.datetime) -> list[Alert]:
        """What ``detect_viral`` returns at ``as_of`` on the incidents added so far (all known at as_of)."""
        cfg = self.config.viral
        while self.entering and self.entering[0][0] <= as_of:
            _enter, seq, part = heapq.heappop(self.entering)
            self._hold(part, 1)
            heapq.heappush(self.leaving, (part[1], seq, part))
        while self.leaving and self.leaving[0][0] <= as_of:
            self._hold(heapq.heappop(self.leaving)[2], -1)
        first = as_of - datetime.timedelta(hours=cfg.eval_hours)
        while self.expiring and self.expiring[0][0] <= as_of:
            self.recent.pop(heapq.heappop(self.expiring)[2], None)
        oldest = as_of - datetime.timedelta(days=cfg.reference_days)

        def others_of(pool: str, hours: float, own: int) -> Sequence[int]:
            part = self.holding.get((own, hours))
            return _Histogram(self.counts[(pool, hours)], self.totals[(pool, hours)],
                              part[4] if part is not None else None)

        alerts: list[Alert] = []
        for incident, all_reports, first_report in self.recent.values():
            if utc_naive(incident.first_seen) < oldest:
                continue
            reports = [r for r in all_reports if r[0] <= as_of]
            start = first_report if first_report is not None and first_report <= as_of else utc_naive(
                incident.first_seen)
            if start <= first:
                continue
            best = _best(incident, start, reports, as_of, self.config,
                         lambda pool, hours, own=incident.id: others_of(pool, hours, own))
            if best is not None:
                alerts.append(_alert(incident, start, best, as_of, self.config))
        return sorted(alerts, key=lambda a: (-a.score, a.key))


def _alert(incident: IncidentFacts, start: datetime.datetime, best: tuple[float, dict[str, float], str],
           as_of: datetime.datetime, config: AlertConfig) -> Alert:
    score, numbers, pool = best
    hours = int(numbers["window_hours"])
    outlets = int(numbers["outlets"])
    kind_en = label("type", incident.type, "en", config)
    kind_id = label("type", incident.type, "id", config)
    code = incident.regency_code or province_of(incident)
    place = region_name(code) if code else None
    of_type = "incidents of all types" if pool == "*" else f"{kind_en} incidents"
    so_far = "" if numbers["elapsed_hours"] >= hours else f" (so far, {fmt(numbers['elapsed_hours'])} h in)"
    reason = (f"{outlets} outlets in the first {hours} h{so_far} vs {fmt(numbers['threshold'])} at the "
              f"{round(numbers['quantile'] * 100)}th percentile of {int(numbers['reference_incidents'])} earlier "
              f"{of_type} (median {fmt(numbers['reference_median'])}); {int(numbers['articles'])} articles")
    where_en = f" in {place}" if place else ""
    where_id = f" di {place}" if place else ""
    return Alert(
        key=f"viral:{incident.id}",
        kind="viral",
        title=f"Fast-spreading {kind_en}{where_en}: {outlets} outlets in {hours} h",
        title_id=f"Kasus {kind_id}{where_id} cepat menyebar: {outlets} media dalam {hours} jam",
        reason=reason,
        score=round(score, 3),  # times the type's usual top spread
        region_code=code,
        province_code=province_of(incident),
        period=start.date().isoformat(),
        incident_ids=(incident.id,),
        numbers=numbers,
        raised_at=as_of,
    )
