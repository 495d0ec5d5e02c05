"""Incidents of ``pantau spark``: the single-machine store's incidents, and the ones ``pantau load`` builds.

Corpus: ``events.jsonl`` (written for these tests: a courier bust in Sleman reported by three outlets
and the courier's trial four months later, a cannabis field destroyed in Deli Serdang reported by two,
another arrest in Sleman days later, two arrests in Palangka Raya reported apart and then together,
which merges their incidents, then an exact re-capture of one page and a changed re-capture of
another), ``tests/fixtures/incidents_corpus.jsonl`` (two reports of one bust and another bust) and the
seed articles. The input order is not the load order (the trial comes before the June articles, the
seeds from 2020 last), so the comparison with ``pantau ingest`` also shows that the order the job
groups in does not change these incidents.
"""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest
from typer.testing import CliRunner

from pantau.cli import app as pantau_app
from pantau.spark import schema as sch
from tests.conftest import FIXTURES, SEEDS

if TYPE_CHECKING:
    from pyspark.sql import SparkSession

    from pantau.spark.job import JobReport

INPUTS = [Path(__file__).parent / "events.jsonl", FIXTURES / "incidents_corpus.jsonl", SEEDS]
SUMMARY = ("type", "date_first", "date_last", "province_code", "regency_code", "size", "outlets")
Incidents = dict[frozenset[str], dict[str, Any]]  # record ids of the members -> the incident's summary


def _summary(row: dict[str, Any], facts: dict[str, Any], record_of: dict[str, str]) -> dict[str, Any]:
    """The comparable part of an incident: articles named by record id (store and Spark number them apart)."""
    for seizure in facts["seizures"]:
        seizure["by_article"] = {record_of[key]: values for key, values in seizure["by_article"].items()}
    return {**{name: row[name] for name in SUMMARY}, "facts": facts}


def store_incidents(db: Path) -> Incidents:
    with sqlite3.connect(db) as conn:
        record_of = {str(aid): rid for aid, rid in conn.execute("SELECT id, record_id FROM articles")}
        groups: dict[int, set[str]] = {}
        for incident, article in conn.execute("SELECT incident_id, article_id FROM incident_articles"):
            groups.setdefault(incident, set()).add(record_of[str(article)])
        conn.row_factory = sqlite3.Row
        rows = {row["id"]: dict(row) for row in conn.execute("SELECT * FROM incidents")}
    return {frozenset(members): _summary(rows[i], json.loads(rows[i]["facts"]), record_of)
            for i, members in groups.items()}


def spark_tables(out: Path) -> tuple[dict[int, str], list[dict[str, Any]], dict[int, dict[str, Any]]]:
    """(row_id -> record id, incident_members rows, incidents rows by id) of a job's output."""
    import pyarrow.parquet as pq

    from pantau.spark.load import read_records

    record_of = {row[sch.ROW_ID]: article.id for row, article in read_records(str(out))}
    members = pq.read_table(out / sch.INCIDENT_MEMBERS).to_pylist()
    incidents = {row[sch.INCIDENT_ID]: row for row in pq.read_table(out / sch.INCIDENTS).to_pylist()}
    return record_of, members, incidents


def spark_incidents(out: Path) -> Incidents:
    record_of, members, incidents = spark_tables(out)
    groups: dict[int, set[str]] = {}
    for member in members:
        groups.setdefault(member[sch.INCIDENT_ID], set()).add(record_of[member[sch.ROW_ID]])
    assert sorted(groups) == sorted(incidents)
    names = {str(row_id): record for row_id, record in record_of.items()}
    return {frozenset(ids): _summary(incidents[i], json.loads(incidents[i]["facts"]), names)
            for i, ids in groups.items()}


@pytest.fixture(scope="module")
def job(spark: SparkSession, tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, JobReport]:
    from pantau.spark.job import run

    out = tmp_path_factory.mktemp("incidents") / "out"
    return out, run(spark, [str(p) for p in INPUTS], str(out), partitions=2)


def test_spark_writes_the_incidents_of_pantau_ingest(job: tuple[Path, JobReport], tmp_path: Path) -> None:
    out, report = job
    db = tmp_path / "ingest.db"
    result = CliRunner().invoke(pantau_app, ["ingest", *map(str, INPUTS), "--db", str(db)])
    assert result.exit_code == 0, result.output
    expected = store_incidents(db)
    got = spark_incidents(out)
    assert got == expected
    assert report.incidents == len(got) == 11 and report.counts["extracted"] == 20
    bust = got[frozenset({"ev-a1", "ev-a2", "ev-a3", "ev-a4"})]  # three outlets' reports and the trial
    assert (bust["type"], bust["size"], bust["outlets"], bust["regency_code"]) == ("arrest", 4, 3, "34.04")
    assert bust["facts"]["seizures"][0]["quantity"] == 2400.0 and bust["facts"]["follow_ups"] == 1
    assert got[frozenset({"ev-b1", "ev-b2"})]["type"] == "destruction"
    assert frozenset({"ev-c1"}) in got and frozenset({"inc-a1", "inc-a2"}) in got
    assert frozenset({"ev-d1", "ev-d2", "ev-d3"}) in got  # the joint report merged two incidents


def test_membership_rows(job: tuple[Path, JobReport]) -> None:
    """Every row has one; the re-captures follow their article; the id is the opening row's."""
    out, _ = job
    record_of, members, incidents = spark_tables(out)
    assert sorted(m[sch.ROW_ID] for m in members) == sorted(record_of)
    by_record: dict[str, list[dict[str, Any]]] = {}
    for member in members:
        by_record.setdefault(record_of[member[sch.ROW_ID]], []).append(member)
    [trial] = by_record["ev-a4"]
    [first, copy] = sorted(by_record["ev-a2"], key=lambda m: m[sch.ROW_ID])
    assert trial["role"] == "follow_up" and first["role"] == "report"
    assert trial[sch.INCIDENT_ID] == first[sch.INCIDENT_ID] == min(m[sch.ROW_ID] for m in by_record["ev-a1"])
    assert copy[sch.INCIDENT_ID] == first[sch.INCIDENT_ID]
    assert copy["note"] == f"unchanged copy of row {first['row_id']}"
    old, new = sorted(by_record["ev-c1"], key=lambda m: m[sch.ROW_ID])
    assert old["note"] == f"replaced by row {new['row_id']}" and old[sch.INCIDENT_ID] == new[sch.INCIDENT_ID]
    assert incidents[first[sch.INCIDENT_ID]]["first_seen"] == "2025-03-11"  # the earliest publication date
    [joint] = by_record["ev-d3"]
    assert "merged 1 incident" in joint["note"] and joint[sch.INCIDENT_ID] == by_record["ev-d1"][0][sch.INCIDENT_ID]


def test_pantau_load_builds_the_same_incidents(job: tuple[Path, JobReport], tmp_path: Path) -> None:
    from pantau.spark.load import load

    out, _ = job
    db = tmp_path / "load.db"
    summary = load(str(out), str(db))
    assert (summary.counts["ok"], summary.counts["updated"], summary.counts["unchanged"]) == (18, 1, 1)
    assert store_incidents(db) == spark_incidents(out)


def test_grouping_wants_load_order() -> None:
    from pantau.spark.incidents import GroupingInput, group_incidents
    from pantau.store.stories import signature, to_bytes

    def item(row_id: int, month: str) -> GroupingInput:
        profile = {"article": str(row_id), "kind": "other", "date": None, "regencies": [], "provinces": [],
                   "amounts": [], "suspects": [], "suspect_count": None, "officials": [], "named": [], "units": [],
                   "follow_up": False, "outlet": None, "story": None}
        text = to_bytes(signature(f"teks nomor {row_id} tentang hal lain"))
        return GroupingInput(row_id, "2025", month, row_id, json.dumps(profile), text, str(row_id), None, None, None)

    assert group_incidents([item(5, "01"), item(1, "02")]).count == 2
    with pytest.raises(ValueError, match="load order"):
        group_incidents([item(1, "02"), item(5, "01")])
