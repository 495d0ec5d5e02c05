"""The first impression: `pantau demo` gives a store with incidents that group outlets, and every kind of alert."""

import json
from pathlib import Path

from sqlalchemy import text
from typer.testing import CliRunner

from pantau.cli import app
from pantau.incidents.evaluate import group_articles
from pantau.record import Article
from pantau.store.db import open_store


def _partition(assigned: dict[str, object]) -> list[list[str]]:
    groups: dict[object, list[str]] = {}
    for article, incident in assigned.items():
        groups.setdefault(incident, []).append(article)
    return sorted(sorted(group) for group in groups.values())


def test_demo_store_has_incidents_and_an_alert_of_each_kind(tmp_path: Path) -> None:
    db = str(tmp_path / "demo.db")
    result = CliRunner().invoke(app, ["demo", "--db", db, "--no-serve"])
    assert result.exit_code == 0, result.output
    engine = open_store(db)
    with engine.connect() as conn:
        articles = conn.execute(text("SELECT COUNT(*) FROM articles")).scalar_one()
        incidents = conn.execute(text("SELECT COUNT(*) FROM incidents")).scalar_one()
        widest = conn.execute(text("SELECT MAX(outlets) FROM incidents")).scalar_one()
        kinds = set(conn.execute(text("SELECT DISTINCT kind FROM alerts")).scalars())
        provinces = conn.execute(text("SELECT COUNT(DISTINCT province_code) FROM incidents")).scalar_one()
        records = [Article.model_validate(json.loads(r) if isinstance(r, str) else r)
                   for r in conn.execute(text("SELECT record FROM articles ORDER BY id")).scalars()]
        stored = dict(conn.execute(text("SELECT a.record_id, m.incident_id FROM incident_articles m "
                                        "JOIN articles a ON a.id = m.article_id")).all())
    assert articles > 400 and incidents < articles * 0.7  # rewrites of one event are one incident
    assert widest >= 5 and provinces >= 12
    assert kinds == {"spike", "new_ground", "viral", "record_seizure"}
    # the store's incremental grouping is the in-memory one (evaluation, Spark) on the same records in order
    assert _partition(group_articles(records)) == _partition(stored)
    again = CliRunner().invoke(app, ["demo", "--db", db, "--no-serve"])
    assert again.exit_code == 0 and "0 new" in again.output
