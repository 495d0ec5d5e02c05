import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from pantau.cli import app
from pantau.store.ingest import ingest

CORPUS = Path(__file__).parent.parent / "fixtures" / "incidents_corpus.jsonl"
LABELS = {"incidents": {"bust": {"articles": ["inc-a1", "inc-a2"]}, "other": {"articles": ["inc-b1"]}},
          "hard_negatives": [["bust", "other", "same regency, same week"]]}


def test_incidents_and_alerts_commands(tmp_path: Path) -> None:
    db = str(tmp_path / "c.db")
    ingest([str(CORPUS)], db, workers=1)
    runner = CliRunner()
    listed = runner.invoke(app, ["incidents", "--db", db, "--json"])
    assert listed.exit_code == 0, listed.output
    page = json.loads(listed.output)
    assert page["total"] == 2
    bust = next(item for item in page["items"] if item["articles"] == 2)
    shown = runner.invoke(app, ["incidents", "--db", db, "--show", str(bust["id"])])
    assert shown.exit_code == 0 and "Warta Dua" in shown.output and "same suspects" in shown.output
    assert runner.invoke(app, ["incidents", "--db", db, "--show", "9999"]).exit_code == 1
    assert runner.invoke(app, ["incidents", "--db", db, "--since", "June"]).exit_code == 2
    alerts = runner.invoke(app, ["alerts", "--db", db, "--json"])
    assert alerts.exit_code == 0 and json.loads(alerts.output)["total"] == 0  # three articles: nothing unusual
    assert runner.invoke(app, ["alerts", "--db", db, "--kind", "storm"]).exit_code == 2


def test_eval_incidents_scores_a_label_file(tmp_path: Path) -> None:
    labels = tmp_path / "labels.json"
    labels.write_text(json.dumps(LABELS), encoding="utf-8")
    result = CliRunner().invoke(app, ["eval-incidents", str(labels), str(CORPUS), "--json"])
    assert result.exit_code == 0, result.output
    report = json.loads(result.output)
    assert report["pairwise_precision"] == 1.0 and report["pairwise_recall"] == 1.0
    assert report["hard_negatives_joined"] == []
    missing = CliRunner().invoke(app, ["eval-incidents", str(labels), str(tmp_path / "none.jsonl")])
    assert missing.exit_code == 2


def test_aggregates_count_a_seizure_once_per_incident_in_sql_and_index(tmp_path: Path) -> None:
    from pantau.store.db import open_store
    from pantau.store.index import FacetIndex
    from pantau.store.queries import Filters, aggregate

    db = str(tmp_path / "a.db")
    ingest([str(CORPUS)], db, workers=1)
    engine = open_store(db)
    with engine.connect() as conn:
        by_sql = {g.key: g for g in aggregate(conn, "substance", Filters())}
        by_index = {g.key: g for g in FacetIndex.load(conn).aggregate("substance", Filters())}
    for groups in (by_sql, by_index):
        meth = groups["methamphetamine"]
        assert (meth.articles, meth.stories, meth.incidents) == (2, 2, 1)  # two outlets' own words, one bust
        assert meth.seizures == {("methamphetamine", "g"): 1200.0}
    assert by_sql == by_index


def test_a_merge_regroups_the_facets_the_index_reads(tmp_path: Path) -> None:
    """Two reports of two suspects' arrests, then a third naming both: one incident, and the index knows."""
    from pantau.store.db import open_store
    from pantau.store.index import FacetIndex
    from pantau.store.queries import Filters, aggregate

    lines = []
    for key, title, text in (
        ("m1", "Polisi Tangkap Kurir Sabu di Betung",
         "BANYUASIN - Satresnarkoba Polres Banyuasin menangkap tersangka berinisial HN (31) dengan 900 gram sabu "
         "di Kecamatan Betung, Kabupaten Banyuasin, Senin (2/6/2025)."),
        ("m2", "Pengedar Sabu Diringkus di Betung",
         "BANYUASIN - Satresnarkoba Polres Banyuasin meringkus tersangka berinisial KS (40) dengan 2,5 kilogram sabu "
         "di Kecamatan Betung, Kabupaten Banyuasin, Senin (2/6/2025)."),
        ("m3", "Dua Kurir Sabu Jaringan Lapas Dibekuk di Banyuasin",
         "BANYUASIN - Satresnarkoba Polres Banyuasin membekuk dua tersangka, HN (31) dan KS (40), dengan total 3,4 "
         "kilogram sabu di Kecamatan Betung, Kabupaten Banyuasin, Senin (2/6/2025). Dari HN disita 900 gram sabu "
         "dan dari KS 2,5 kilogram sabu."),
    ):
        lines.append(json.dumps({"id": key, "url": f"https://contoh.example/{key}", "outlet": key, "date": "2025-06-02",
                                 "title": title, "text": text}))
    first, last = tmp_path / "first.jsonl", tmp_path / "last.jsonl"
    first.write_text("\n".join(lines[:2]) + "\n", encoding="utf-8")
    last.write_text(lines[2] + "\n", encoding="utf-8")
    db = str(tmp_path / "m.db")
    ingest([str(first)], db, workers=1)
    engine = open_store(db)
    with engine.connect() as conn:
        before = FacetIndex.load(conn)
    assert before.counts["incidents"] == 2
    ingest([str(last)], db, workers=1)
    with engine.connect() as conn:
        updated = before.updated(conn)
        assert updated.counts["incidents"] == 1
        assert aggregate(conn, "substance", Filters()) == updated.aggregate("substance", Filters())
        assert conn.exec_driver_sql("SELECT COUNT(*) FROM incident_merges").scalar_one() == 1


def test_a_user_alerts_config_is_read_and_checked(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from pantau.store.alerts import CONFIG_VARIABLE, refresh_alerts
    from pantau.store.db import open_store

    db = str(tmp_path / "c.db")
    ingest([str(CORPUS)], db, workers=1)
    broken = tmp_path / "alerts.toml"
    broken.write_text("[spike]\nmin_cout = 2\n", encoding="utf-8")
    monkeypatch.setenv(CONFIG_VARIABLE, str(broken))
    engine = open_store(db)
    with engine.begin() as conn, pytest.raises(ValueError, match="min_cout"):
        refresh_alerts(conn)
