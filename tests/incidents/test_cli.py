import json
from pathlib import Path

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
