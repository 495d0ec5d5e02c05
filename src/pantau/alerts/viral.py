"""Viral detector: an incident whose outlets multiply faster than incidents of its type usually do.

For each window (24 and 48 hours by default) after an incident's first report, the distinct outlets that
reported it within the window are counted. The same count over the earlier incidents of the type whose window
had closed by as_of is the reference; an incident fires when its count (so far, for a window still open) is
above the reference's ``quantile`` and at least ``min_outlets``.
"""

from __future__ import annotations

import bisect
import datetime
from collections import defaultdict
from collections.abc import Iterable

from pantau.alerts.common import fmt, known_at, label, province_of, region_name
from pantau.alerts.config import AlertConfig, load_config
from pantau.alerts.model import Alert, IncidentFacts, utc_naive
from pantau.alerts.stats import quantile

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
        best: tuple[float, dict[str, float], str] | None = None
        for hours in windows:
            outlets, articles = _spread(reports, start + datetime.timedelta(hours=hours))
            if outlets < cfg.min_outlets:
                continue
            pool = incident.type
            others = _others(reference, closed, incident.id, pool, hours)
            if len(others) < cfg.min_history:
                pool = "*"  # too few of its type: compare with every type
                others = _others(reference, closed, incident.id, pool, hours)
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
        if best is not None:
            alerts.append(_alert(incident, start, best, as_of, config))
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
