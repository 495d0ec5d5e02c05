"""The first impression: `pantau demo` gives a store with incidents that group outlets, and every kind of alert."""

from pathlib import Path

from sqlalchemy import text
from typer.testing import CliRunner

from pantau.cli import app
from pantau.store.db import open_store


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
    assert articles > 400 and incidents < articles * 0.7  # rewrites of one event are one incident
    assert widest >= 5 and provinces >= 12
    assert kinds == {"spike", "new_ground", "viral", "record_seizure"}
    again = CliRunner().invoke(app, ["demo", "--db", db, "--no-serve"])
    assert again.exit_code == 0 and "0 new" in again.output
