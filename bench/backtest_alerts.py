"""Backtest of the alert detectors on a store: what they would have raised, week by week, for a person to read.

    python bench/backtest_alerts.py --db STORE [--history-from first|coverage] [--limit 50]

Every week from the store's first to its last incident is evaluated at its end (Sunday 23:59, plus the days
after each incident, as an ingest does), over the incidents first seen by then. ``--history-from first``
counts the store's history from its first incident (what the detectors would assume if pantau had been
reading all along); ``coverage`` (the default, and what an ingest uses) from its latest continuous
coverage. Prints each alert once, with its figures and the headlines of its incidents, and a count by kind.
"""

from __future__ import annotations

import argparse
import datetime
from collections import Counter

from sqlalchemy import text

from pantau.alerts.config import load_config
from pantau.alerts.detectors import detect_all_at_times
from pantau.store.alerts import coverage_start, evaluation_times, incident_facts
from pantau.store.db import open_store


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--db", required=True)
    parser.add_argument("--history-from", choices=("first", "coverage"), default="coverage")
    parser.add_argument("--limit", type=int, default=50, help="alerts to print in full")
    args = parser.parse_args()
    engine = open_store(args.db)
    with engine.connect() as conn:
        facts = incident_facts(conn)
        titles = {row.incident_id: row.title for row in conn.execute(text(
            "SELECT m.incident_id, MIN(a.title) AS title FROM incident_articles m "
            "JOIN articles a ON a.id = m.article_id GROUP BY m.incident_id"))}
    if not facts:
        print("no incidents")
        return
    days = [f.date or f.first_seen.date() for f in facts]
    first, last = min(days), max(days)
    history_from = first if args.history_from == "first" else coverage_start(f.first_seen.date() for f in facts)
    weeks = [first + datetime.timedelta(days=6 - first.weekday() + 7 * i)
             for i in range((last - first).days // 7 + 2)]
    times = evaluation_times([*days, *weeks], datetime.datetime.combine(last, datetime.time()) +
                             datetime.timedelta(days=8))
    config = load_config()
    raised = {}
    for _as_of, alerts in detect_all_at_times(facts, times, config, history_from=history_from):
        for alert in alerts:
            raised.setdefault(alert.key, alert)
    print(f"{len(facts)} incidents, {first} .. {last}; history from {history_from}; {len(times)} evaluations")
    print("alerts by kind:", dict(Counter(a.kind for a in raised.values())) or "none")
    for alert in sorted(raised.values(), key=lambda a: (a.kind, a.period or ""))[:args.limit]:
        print(f"\n[{alert.kind}] {alert.period} {alert.region_code or alert.province_code or ''}: {alert.reason}")
        for incident in alert.incident_ids[:5]:
            print(f"    #{incident} {titles.get(incident) or ''}")


if __name__ == "__main__":
    main()
