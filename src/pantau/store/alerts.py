"""Early-warning alerts in the store: computed after an ingest from the incidents, kept by key.

The detectors (:mod:`pantau.alerts`) are pure; this module gives them the store's incidents as
``IncidentFacts`` and stores what they raise. An ingest evaluates the days its incidents happened on
(two days after each, so a bust reported over two days is one evaluation) and the present, so a
crawl of last year's news raises last year's alerts, and a live collection raises today's. An alert
is upserted by key: its first-seen time stays, its figures and incidents follow the data.
"""

from __future__ import annotations

import datetime
import os
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, and_, bindparam, func, insert, select, text, true, update

from pantau.alerts.config import AlertConfig, load_config
from pantau.alerts.detectors import detect_all_at_times
from pantau.alerts.model import Alert, IncidentFacts, utc_naive
from pantau.extract.dates import parse_iso_date
from pantau.incidents.profile import outlet_key
from pantau.store import schema as s
from pantau.store.db import json_value

UTC = datetime.UTC
CONFIG_VARIABLE = "PANTAU_ALERTS_CONFIG"  # a TOML file whose keys override data/alerts.toml
EVALUATION_LAG = datetime.timedelta(days=2)  # an event is evaluated this long after its day
COVERAGE_GAP = 60  # days without any incident that end a store's continuous coverage


def coverage_start(days: Iterable[datetime.date], max_gap: int = COVERAGE_GAP) -> datetime.date | None:
    """The first day of the store's latest continuous coverage: no gap of more than ``max_gap`` days
    between incidents after it. A store holding a few old articles and a year of collection has a year of
    history, not five: "none in 12 months" is only known where pantau was reading."""
    ordered = sorted(set(days))
    if not ordered:
        return None
    start = ordered[-1]
    for earlier in reversed(ordered[:-1]):
        if (start - earlier).days > max_gap:
            break
        start = earlier
    return start


def _naive(value: Any) -> datetime.datetime | None:
    """A stored time (a datetime, or ISO text from SQLite) as naive UTC, the detectors' scale."""
    if value is None:
        return None
    return utc_naive(datetime.datetime.fromisoformat(value) if isinstance(value, str) else value)


def _day_time(value: str | None) -> datetime.datetime | None:
    day = parse_iso_date(value)
    return datetime.datetime.combine(day, datetime.time()) if day else None


def incident_facts(conn: Connection) -> list[IncidentFacts]:
    """Every dated incident as the detectors read it. A report's time is its publication (else event)
    date: what matters is when the world could read it, not when it was crawled."""
    reports: dict[int, list[tuple[datetime.datetime, str]]] = {}
    for row in conn.execute(text(
            "SELECT m.incident_id, a.outlet, a.published, a.sort_date FROM incident_articles m "
            "JOIN articles a ON a.id = m.article_id")):
        # an article with neither an event nor a publication date cannot be placed in a week: an archive
        # of undated pages ingested today is not today's news
        when = _day_time(row.published) or _day_time(row.sort_date)
        if when is not None:  # the viral detector counts outlets: one outlet however it is written
            reports.setdefault(row.incident_id, []).append((when, outlet_key(row.outlet) or ""))
    topics: dict[int, set[str]] = {}
    for row in conn.execute(text(
            "SELECT DISTINCT m.incident_id, t.topic FROM incident_articles m "
            "JOIN topics t ON t.article_id = m.article_id")):
        topics.setdefault(row.incident_id, set()).add(row.topic)
    found = []
    for row in conn.execute(text("SELECT id, type, date_first, province_code, regency_code, facts, first_seen "
                                 "FROM incidents ORDER BY id")):
        facts = json_value(row.facts, {})
        seizures = tuple((z["substance"], float(z["quantity"]), z["unit"]) for z in facts.get("seizures", []))
        seen = sorted(reports.get(row.id, []))
        if not seen:
            continue  # no article of it is dated
        first_seen = seen[0][0]
        found.append(IncidentFacts(
            id=row.id, type=row.type, date=datetime.date.fromisoformat(row.date_first) if row.date_first else None,
            province_code=row.province_code, regency_code=row.regency_code,
            topics=tuple(sorted(topics.get(row.id, ()))), substances=tuple(sorted({z[0] for z in seizures})),
            seizures=seizures, reports=tuple(seen), first_seen=first_seen))
    return found


def evaluation_times(days: Iterable[datetime.date], now: datetime.datetime) -> list[datetime.datetime]:
    """The as-of times to evaluate: the end of the day two days after each event day, and now."""
    now = _naive(now) or now
    times = {min(datetime.datetime.combine(day + EVALUATION_LAG, datetime.time(23, 59, 59)), now) for day in days}
    times.add(now)
    return sorted(times)


@dataclass(slots=True)
class AlertRun:
    new: list[Alert]
    updated: int
    evaluations: int


def _row(alert: Alert) -> dict[str, Any]:
    return {"kind": alert.kind, "title": alert.title, "title_id": alert.title_id, "reason": alert.reason,
            "score": float(alert.score), "region_code": alert.region_code, "province_code": alert.province_code,
            "period": alert.period, "incident_ids": list(alert.incident_ids),
            "numbers": {k: float(v) for k, v in alert.numbers.items()}, "raised_at": alert.raised_at}


def refresh_alerts(conn: Connection, days: Iterable[datetime.date] = (), *, now: datetime.datetime | None = None,
                   config: AlertConfig | None = None) -> AlertRun:
    """Evaluate the detectors at ``evaluation_times(days, now)`` and upsert what they raise."""
    config = config or load_config(os.environ.get(CONFIG_VARIABLE) or None)
    now = now or datetime.datetime.now(UTC)
    facts = incident_facts(conn)
    if not facts:
        return AlertRun([], 0, 0)
    history_from = coverage_start(f.first_seen.date() for f in facts)
    raised: dict[str, Alert] = {}
    times = evaluation_times(days, now)
    # The same as detect_all at each time, in time order, at a cost linear in the incidents and times.
    for _as_of, alerts in detect_all_at_times(facts, times, config, history_from=history_from):
        for alert in alerts:
            raised[alert.key] = alert  # a later evaluation of the same key has the fuller figures
    existing: set[str] = set()
    keys = sorted(raised)
    for start in range(0, len(keys), 500):
        existing.update(conn.execute(select(s.alerts.c.key).where(s.alerts.c.key.in_(keys[start:start + 500])))
                        .scalars())
    stamp = now.astimezone(UTC) if now.tzinfo else now.replace(tzinfo=UTC)
    new = [raised[k] for k in keys if k not in existing]
    if new:
        conn.execute(insert(s.alerts), [{"key": a.key, **_row(a), "first_seen": stamp, "updated_at": stamp}
                                        for a in new])
    changed = [raised[k] for k in keys if k in existing]
    if changed:
        conn.execute(update(s.alerts).where(s.alerts.c.key == bindparam("a_key")).values(
            **{name: bindparam(f"a_{name}") for name in _row(changed[0])}, updated_at=bindparam("a_updated_at")),
            [{"a_key": a.key, **{f"a_{k}": v for k, v in _row(a).items()}, "a_updated_at": stamp} for a in changed])
    return AlertRun(new, len(changed), len(times))


def run_days(conn: Connection, run_id: str) -> list[datetime.date]:
    """The event days of the incidents an ingest run wrote articles into."""
    rows = conn.execute(text(
        "SELECT DISTINCT i.date_first, i.date_last FROM ingest_log l JOIN articles a ON a.key = l.article_key "
        "JOIN incident_articles m ON m.article_id = a.id JOIN incidents i ON i.id = m.incident_id "
        "WHERE l.run_id = :run AND l.status IN ('ok', 'updated')"), {"run": run_id}).all()
    days: set[datetime.date] = set()
    for row in rows:
        for value in row:
            if value:
                try:
                    days.add(datetime.date.fromisoformat(value))
                except ValueError:
                    continue
    return sorted(days)


def list_alerts(conn: Connection, since: datetime.date | None = None, kind: str | None = None, limit: int = 50,
                offset: int = 0) -> tuple[int, list[dict[str, Any]]]:
    """Stored alerts evaluated on or after ``since``, latest evaluation first (then strongest)."""
    condition = true()
    if since is not None:
        condition = and_(condition, s.alerts.c.raised_at >= datetime.datetime.combine(since, datetime.time(),
                                                                                        tzinfo=UTC))
    if kind:
        condition = and_(condition, s.alerts.c.kind == kind)
    total = conn.execute(select(func.count()).select_from(s.alerts).where(condition)).scalar_one()
    rows = conn.execute(select(s.alerts).where(condition)
                        .order_by(s.alerts.c.raised_at.desc(), s.alerts.c.score.desc(), s.alerts.c.key)
                        .limit(limit).offset(offset)).mappings().all()
    items = []
    for row in rows:
        item = dict(row)
        item["incident_ids"] = json_value(item["incident_ids"])
        item["numbers"] = json_value(item["numbers"])
        for name in ("raised_at", "first_seen", "updated_at"):
            value = _naive(item[name])
            item[name] = value.isoformat() + "Z" if value else None
        items.append(item)
    return int(total), items
