from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from pantau.cli import app

SEEDS = Path(__file__).parent.parent / "fixtures" / "seeds"
runner = CliRunner()


@pytest.fixture
def db(tmp_path: Path) -> str:
    path = str(tmp_path / "cli.db")
    result = runner.invoke(app, ["ingest", str(SEEDS), "--db", path, "--workers", "1"])
    assert result.exit_code == 0, result.output
    assert "5 new" in result.stderr
    return path


def test_ingest_twice_reports_unchanged(db: str) -> None:
    result = runner.invoke(app, ["ingest", str(SEEDS), "--db", db, "--workers", "1"])
    assert result.exit_code == 0 and "5 unchanged" in result.stderr


def test_db_from_the_environment(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "env.db"
    monkeypatch.setenv("PANTAU_DB", str(path))
    result = runner.invoke(app, ["ingest", str(SEEDS / "004_08796327ddaf0306.txt"), "--workers", "1"])
    assert result.exit_code == 0 and path.exists()


def test_search_json_and_text(db: str) -> None:
    result = runner.invoke(app, ["search", "sabu", "--db", db, "--json"])
    assert result.exit_code == 0, result.output
    [hit] = json.loads(result.stdout)
    assert hit["id"] == "004_08796327ddaf0306" and "sabu" in hit["snippet"]
    text = runner.invoke(app, ["search", "sabu", "--db", db])
    assert "Kapolres Banyuasin Tegaskan" in text.stdout


def test_search_rejects_a_bad_date(db: str) -> None:
    result = runner.invoke(app, ["search", "sabu", "--db", db, "--since", "kemarin"])
    assert result.exit_code == 2 and "YYYY-MM-DD" in result.stderr


def test_stats_json_csv_and_table(db: str) -> None:
    result = runner.invoke(app, ["stats", "--by", "province", "--db", db, "--json"])
    groups = {g["key"]: g for g in json.loads(result.stdout)}
    assert groups["16"]["label"] == "Sumatera Selatan" and groups["16"]["articles"] == 1
    csv_out = runner.invoke(app, ["stats", "--by", "outlet", "--db", db, "--csv"]).stdout
    assert csv_out.splitlines()[0].startswith("outlet,label,articles")
    table = runner.invoke(app, ["stats", "--by", "month", "--db", db]).stdout
    assert "2024-10" in table
    bad = runner.invoke(app, ["stats", "--by", "colour", "--db", db])
    assert bad.exit_code == 2


def test_export_to_stdout_and_file(db: str, tmp_path: Path) -> None:
    result = runner.invoke(app, ["export", "people", "--db", db, "--format", "jsonl"])
    assert result.exit_code == 0
    assert len([json.loads(line) for line in result.stdout.splitlines()]) == 10
    target = tmp_path / "a.parquet"
    assert runner.invoke(app, ["export", "articles", "-f", "parquet", "-o", str(target), "--db", db]).exit_code == 0
    assert target.stat().st_size > 0
    assert runner.invoke(app, ["export", "nope", "--db", db]).exit_code == 2
    assert runner.invoke(app, ["export", "people", "-f", "parquet", "--db", db]).exit_code == 2


def test_geojson_of_province_aggregates(db: str, tmp_path: Path) -> None:
    target = tmp_path / "provinces.geojson"
    result = runner.invoke(app, ["export", "provinces", "--format", "geojson", "-o", str(target), "--db", db])
    assert result.exit_code == 0, result.output
    collection = json.loads(target.read_text(encoding="utf-8"))
    features = {f["properties"]["code"]: f["properties"] for f in collection["features"]}
    assert features["16"]["articles"] == 1 and features["16"]["name"] == "Sumatera Selatan"
    assert features["16"]["seizures"] == {"methamphetamine (g)": 28000.0, "cannabis (g)": 1185.0,
                                          "mdma (pill)": 20187.0}
    assert features["11"]["articles"] == 0
    assert all(f["geometry"]["type"] == "MultiPolygon" for f in collection["features"])
    assert runner.invoke(app, ["export", "people", "--format", "geojson", "--db", db]).exit_code == 2


def test_the_cli_ingests_in_batches_of_the_library_default() -> None:
    import inspect

    from pantau.cli import ingest
    from pantau.store.ingest import DEFAULT_BATCH

    assert inspect.signature(ingest).parameters["batch_size"].default == DEFAULT_BATCH == 500
