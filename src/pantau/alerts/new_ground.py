"""New-ground detector: the first incident of its kind (type, topic or substance) in a regency for a long time.

Cold start: the claim "first in 12 months" needs 12 months of records before the incident. When the store's
history (its earliest first-seen day, or ``history_from``) is shorter than ``min_history_days`` before the
incident, nothing is raised, since in a young store every incident would be a first.
"""

from __future__ import annotations

import bisect
import datetime
from collections import defaultdict
from collections.abc import Iterable

from pantau.alerts.common import (
    attributes_of,
    history_start,
    known_at,
    label,
    province_of,
    region_name,
    regions_of,
    span_text,
)
from pantau.alerts.config import AlertConfig, load_config
from pantau.alerts.model import Alert, IncidentFacts, event_day, utc_naive

# (event day, first seen, id): the order in which incidents happened; the id breaks ties so that of two
# incidents on the same day exactly one is the first, run after run.
Order = tuple[datetime.date, datetime.datetime, int]


def _order(incident: IncidentFacts) -> Order:
    return (event_day(incident), utc_naive(incident.first_seen), incident.id)


def detect_new_ground(incidents: Iterable[IncidentFacts], as_of: datetime.datetime, config: AlertConfig | None = None,
                      *, history_from: datetime.date | None = None) -> list[Alert]:
    """One alert per recent incident and region where at least one of its attributes had no incident in the
    ``window_days`` before it; the alert lists every such attribute."""
    config = config or load_config()
    cfg = config.new_ground
    as_of = utc_naive(as_of)
    facts = known_at(incidents, as_of)
    start = history_from or history_start(facts)
    if start is None:
        return []
    first_day = as_of.date() - datetime.timedelta(days=cfg.eval_days)
    # Whether an incident is a first depends only on its window; older incidents matter only for how long
    # the quiet lasted, and are read once below for the alerts that need it.
    cutoff = first_day - datetime.timedelta(days=cfg.window_days)
    recent = [i for i in facts if event_day(i) >= cutoff]
    # Only the regions of the evaluated incidents need a history.
    wanted = {code for i in recent if event_day(i) >= first_day for _level, code in regions_of(i, cfg.levels)}
    history: dict[tuple[str, str, str], list[Order]] = defaultdict(list)
    in_region: dict[str, list[Order]] = defaultdict(list)
    evaluated: list[tuple[IncidentFacts, list[str], list[tuple[str, str]]]] = []
    for incident in recent:
        if incident.regency_code not in wanted and province_of(incident) not in wanted:
            continue
        codes = [code for _level, code in regions_of(incident, cfg.levels) if code in wanted]
        attributes = attributes_of(incident, cfg.dimensions, cfg.ignore_topics, cfg.ignore_types)
        order = _order(incident)
        for code in codes:
            in_region[code].append(order)
            for dimension, value in attributes:
                history[(code, dimension, value)].append(order)
        if order[0] >= first_day:
            evaluated.append((incident, codes, attributes))
    for orders in (*history.values(), *in_region.values()):
        orders.sort()

    found: list[tuple[IncidentFacts, str, list[tuple[str, str, datetime.date | None]], int]] = []
    for incident, codes, attributes in evaluated:
        order = _order(incident)
        day = order[0]
        covered = (day - start).days
        if covered < cfg.min_history_days:
            continue  # cold start: the store cannot know what happened in the window before this incident
        window_start = day - datetime.timedelta(days=cfg.window_days)
        for code in codes:
            new = _new_attributes(history, code, attributes, order, window_start)
            if new:
                found.append((incident, code, new, covered))
    if not found:
        return []

    # The last incident before the cutoff of each (region, attribute) with no earlier one in the window.
    missing = {(code, d, v) for _i, code, new, _c in found for d, v, previous in new if previous is None}
    missing_regions = {code for code, _d, _v in missing}
    older: dict[tuple[str, str, str], datetime.date] = {}
    for incident in facts:
        day = event_day(incident)
        if day >= cutoff or (incident.regency_code not in missing_regions
                             and province_of(incident) not in missing_regions):
            continue
        for _level, code in regions_of(incident, cfg.levels):
            for dimension, value in attributes_of(incident, cfg.dimensions, cfg.ignore_topics, cfg.ignore_types):
                key = (code, dimension, value)
                if key in missing and (key not in older or older[key] < day):
                    older[key] = day

    alerts = []
    for incident, code, new, covered in found:
        day = event_day(incident)
        gaps: list[tuple[str, str, int | None]] = []
        for d, v, previous in new:
            before = previous or older.get((code, d, v))
            gaps.append((d, v, (day - before).days if before is not None else None))
        alerts.append(_alert(incident, code, gaps, covered, in_region[code], _order(incident), as_of, config))
    return sorted(alerts, key=lambda a: (-a.score, a.key))


def _new_attributes(history: dict[tuple[str, str, str], list[Order]], code: str, attributes: list[tuple[str, str]],
                    order: Order, window_start: datetime.date) -> list[tuple[str, str, datetime.date | None]]:
    """(dimension, value, day of the previous incident with it) of each attribute the incident at ``order`` is
    the first of in region ``code`` since ``window_start``; the previous day is None when ``history`` (event
    orders per (region, dimension, value), sorted) holds none before it."""
    new: list[tuple[str, str, datetime.date | None]] = []
    for dimension, value in attributes:
        orders = history[(code, dimension, value)]
        position = bisect.bisect_left(orders, order)
        previous = orders[position - 1][0] if position else None
        if previous is None or previous < window_start:
            new.append((dimension, value, previous))
    return new


def _alert(incident: IncidentFacts, code: str, new: list[tuple[str, str, int | None]], covered: int,
           region_orders: list[Order], order: Order, as_of: datetime.datetime, config: AlertConfig) -> Alert:
    cfg = config.new_ground
    day = order[0]
    # Days of quiet: since the previous incident with the attribute, or the whole covered history.
    gaps = [gap if gap is not None else covered for _d, _v, gap in new]
    dimension, value, first_gap = new[0]
    place = region_name(code)
    window_start = day - datetime.timedelta(days=cfg.window_days)
    # How busy the region otherwise was in the window: a first drug case in a region with 40 other incidents
    # that year says more than one in a region pantau hardly ever hears from.
    lo = bisect.bisect_left(region_orders, (window_start, datetime.datetime.min, -1))
    hi = bisect.bisect_left(region_orders, order)
    others = hi - lo
    parts = []
    for (d, v, gap), _g in zip(new, gaps, strict=True):
        since = f"previous {gap} days before" if gap is not None else f"none since records began {covered} days before"
        parts.append(f"{d} {label(d, v, 'en', config)} ({since})")
    reason = (f"first in {cfg.window_days} days in {code}: " + "; ".join(parts)
              + f"; {others} other incidents in the region in that window")
    label_en = label(dimension, value, "en", config)
    label_id = label(dimension, value, "id", config)
    return Alert(
        key=f"new_ground:{code}:{incident.id}",
        kind="new_ground",
        title=f"First {label_en} incident in {place} in {span_text(cfg.window_days, 'en')}",
        title_id=f"Kasus {label_id} pertama di {place} dalam {span_text(cfg.window_days, 'id')}",
        reason=reason,
        # Years of quiet before the incident (the longest of its new attributes).
        score=round(max(gaps) / 365.0, 3),
        region_code=code,
        province_code=code.split(".")[0],
        period=day.isoformat(),
        incident_ids=(incident.id,),
        numbers={"gap_days": float(first_gap if first_gap is not None else covered),
                 "max_gap_days": float(max(gaps)), "window_days": float(cfg.window_days),
                 "history_days": float(covered), "new_attributes": float(len(new)),
                 "region_incidents_in_window": float(others)},
        raised_at=as_of,
    )


class NewGroundTracker:
    """``detect_new_ground`` at rising as-of times, the incidents added as they become known.

    Each (region, attribute) and each region keeps the event order of its known incidents, so an evaluation
    reads only the incidents of its ``eval_days`` and, for each, its predecessor and the region's incidents
    in its window (both by bisection), never the whole history."""

    def __init__(self, config: AlertConfig) -> None:
        self.config = config
        self.history: dict[tuple[str, str, str], list[Order]] = defaultdict(list)
        self.in_region: dict[str, list[Order]] = defaultdict(list)
        self.by_day: dict[datetime.date, list[tuple[IncidentFacts, list[str], list[tuple[str, str]]]]] = (
            defaultdict(list))

    def add(self, incident: IncidentFacts) -> None:
        cfg = self.config.new_ground
        codes = [code for _level, code in regions_of(incident, cfg.levels)]
        if not codes:
            return  # in no region: neither evaluated nor anyone's history
        attributes = attributes_of(incident, cfg.dimensions, cfg.ignore_topics, cfg.ignore_types)
        order = _order(incident)
        for code in codes:
            bisect.insort(self.in_region[code], order)
            for dimension, value in attributes:
                bisect.insort(self.history[(code, dimension, value)], order)
        self.by_day[order[0]].append((incident, codes, attributes))

    def evaluate(self, as_of: datetime.datetime, start: datetime.date | None) -> list[Alert]:
        """What ``detect_new_ground`` returns at ``as_of`` on the incidents added so far (all known at as_of)
        with the history starting on ``start``."""
        if start is None:
            return []
        cfg = self.config.new_ground
        today = as_of.date()
        alerts = []
        for back in range(cfg.eval_days, -1, -1):
            day = today - datetime.timedelta(days=back)
            covered = (day - start).days
            if covered < cfg.min_history_days:
                continue  # cold start, as in detect_new_ground
            window_start = day - datetime.timedelta(days=cfg.window_days)
            for incident, codes, attributes in self.by_day.get(day, ()):
                order = _order(incident)
                for code in codes:
                    new = _new_attributes(self.history, code, attributes, order, window_start)
                    if new:
                        # (dimension, value, days since the previous incident with it, None when there is none)
                        gaps = [(d, v, (day - previous).days if previous is not None else None)
                                for d, v, previous in new]
                        alerts.append(_alert(incident, code, gaps, covered, self.in_region[code], order, as_of,
                                             self.config))
        return sorted(alerts, key=lambda a: (-a.score, a.key))
