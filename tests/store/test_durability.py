"""Crash safety, migrations, exports and Datasette: the store as a user relies on it."""

from __future__ import annotations

import csv
import io
import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from pantau.store.db import create_store_engine, open_store, upgrade
from pantau.store.export import export_table
from pantau.store.ingest import ingest, table_counts

SEEDS = Path(__file__).parent.parent / "fixtures" / "seeds"


def _corpus(path: Path, count: int) -> Path:
    """``count`` distinct articles built from the seed texts."""
    seeds = [p.read_text(encoding="utf-8") for p in sorted(SEEDS.glob("*.txt"))]
    with path.open("w", encoding="utf-8") as out:
        for i in range(count):
            text = seeds[i % len(seeds)] + f"\n\nCatatan redaksi nomor {i}: laporan tambahan ke-{i}."
            out.write(json.dumps({"id": f"doc-{i}", "url": f"https://contoh.id/{i}", "text": text}) + "\n")
    return path


def test_killed_ingest_resumes_to_the_same_rows_as_a_clean_run(tmp_path: Path) -> None:
    corpus = _corpus(tmp_path / "corpus.jsonl", 120)
    killed_db = tmp_path / "killed.db"
    command = [sys.executable, "-m", "pantau.cli", "ingest", str(corpus), "--db", str(killed_db),
               "--batch-size", "5", "--workers", "1"]
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 120
    committed = 0
    while time.monotonic() < deadline and process.poll() is None:
        if killed_db.exists():
            try:
                with sqlite3.connect(killed_db, timeout=1) as conn:
                    committed = conn.execute("SELECT COUNT(*) FROM articles").fetchone()[0]
            except sqlite3.OperationalError:
                committed = 0
        if committed >= 10:
            os.kill(process.pid, signal.SIGKILL)
            break
        time.sleep(0.05)
    process.wait(timeout=30)
    assert process.returncode == -signal.SIGKILL, "the ingest finished before it could be killed"
    assert 10 <= committed < 120
    resumed = ingest([str(corpus)], str(killed_db), workers=1, batch_size=5)
    assert resumed.counts["unchanged"] >= 10
    clean_db = tmp_path / "clean.db"
    ingest([str(corpus)], str(clean_db), workers=1, batch_size=50)
    killed_counts = table_counts(create_store_engine(str(killed_db)))
    clean_counts = table_counts(create_store_engine(str(clean_db)))
    killed_counts.pop("ingest_log"), clean_counts.pop("ingest_log")
    assert killed_counts == clean_counts
    assert clean_counts["articles"] == 120


def test_parallel_extraction_gives_the_same_records_as_one_process(tmp_path: Path) -> None:
    corpus = _corpus(tmp_path / "corpus.jsonl", 12)
    ingest([str(corpus)], str(tmp_path / "one.db"), workers=1)
    ingest([str(corpus)], str(tmp_path / "two.db"), workers=2)
    rows = []
    for name in ("one.db", "two.db"):
        with sqlite3.connect(tmp_path / name) as conn:
            rows.append(conn.execute("SELECT key, record FROM articles ORDER BY key").fetchall())
    assert rows[0] == rows[1] and len(rows[0]) == 12


def test_migrations_go_down_and_up(tmp_path: Path) -> None:
    engine = create_store_engine(str(tmp_path / "m.db"))
    upgrade(engine)
    with engine.connect() as conn:
        assert conn.exec_driver_sql("SELECT version_num FROM alembic_version").scalar_one() == "0014"
    from alembic import command

    from pantau.store.db import alembic_config

    config = alembic_config()
    with engine.begin() as conn:
        config.attributes["connection"] = conn
        command.downgrade(config, "base")
    with engine.connect() as conn:
        assert conn.exec_driver_sql("SELECT name FROM sqlite_master WHERE name='articles'").first() is None
    upgrade(engine)
    with engine.connect() as conn:
        assert conn.exec_driver_sql("SELECT name FROM sqlite_master WHERE name='articles_fts'").first() is not None


def test_migration_0004_builds_the_facets_and_story_sizes_the_writer_writes(tmp_path: Path) -> None:
    from alembic import command

    from pantau.store.db import alembic_config

    db = tmp_path / "f.db"
    corpus = _corpus(tmp_path / "corpus.jsonl", 8)
    ingest([str(SEEDS), str(corpus)], str(db), workers=1)
    facets_sql = "SELECT kind, key, article_id, story_id, sort_date FROM article_facets ORDER BY 1, 2, 3"
    stories_sql = "SELECT id, size, first_date, last_date, first_article_id FROM stories ORDER BY id"
    with sqlite3.connect(db) as conn:
        written = conn.execute(facets_sql).fetchall(), conn.execute(stories_sql).fetchall()
    assert {row[0] for row in written[0]} == {"all", "month", "outlet", "province", "regency", "substance", "topic"}
    assert sum(row[1] for row in written[1]) == 13
    engine = create_store_engine(str(db))
    config = alembic_config()
    with engine.begin() as conn:
        config.attributes["connection"] = conn
        command.downgrade(config, "0003")
    with sqlite3.connect(db) as conn:
        assert conn.execute("SELECT name FROM sqlite_master WHERE name = 'article_facets'").fetchone() is None
    upgrade(engine)
    engine.dispose()
    with sqlite3.connect(db) as conn:
        assert (conn.execute(facets_sql).fetchall(), conn.execute(stories_sql).fetchall()) == written


def test_migration_0009_indexes_the_facet_words_the_writer_writes(tmp_path: Path) -> None:
    from alembic import command

    from pantau.store.db import alembic_config
    from pantau.store.queries import Filters
    from pantau.store.search import search

    db = tmp_path / "s.db"
    ingest([str(SEEDS), str(_corpus(tmp_path / "corpus.jsonl", 8))], str(db), workers=1)
    words_sql = "SELECT id, search_facets FROM articles ORDER BY id"
    spread = [Filters(), Filters(province="16"), Filters(topic="drugs", since="2020-12"), Filters(until="2020")]

    def state(engine: Any) -> tuple[Any, ...]:
        with sqlite3.connect(db) as conn:
            words = [(i, sorted(w.split())) for i, w in conn.execute(words_sql)]
        with engine.connect() as conn:
            found = [[h.record_id for h in search(conn, q, f, limit=50)] for q in ("narkoba", "sabu") for f in spread]
        return words, found

    engine = create_store_engine(str(db))
    written = state(engine)
    assert all(words for _, words in written[0]) and any(written[1]) and not all(written[1])
    config = alembic_config()
    with engine.begin() as conn:
        config.attributes["connection"] = conn
        command.downgrade(config, "0008")
    with sqlite3.connect(db) as conn:
        assert "search_facets" not in {row[1] for row in conn.execute("PRAGMA table_info(articles)")}
        assert conn.execute("SELECT COUNT(*) FROM articles_fts WHERE articles_fts MATCH 'narkoba'").fetchone()[0]
    upgrade(engine)
    assert state(engine) == written
    engine.dispose()


def test_migration_0005_groups_a_stored_corpus_into_the_incidents_the_writer_makes(tmp_path: Path) -> None:
    from alembic import command

    from pantau.store.db import alembic_config

    db = tmp_path / "i.db"
    corpus = _corpus(tmp_path / "corpus.jsonl", 8)
    ingest([str(SEEDS), str(corpus)], str(db), workers=1)
    incidents_sql = ("SELECT i.type, i.date_first, i.regency_code, i.size, GROUP_CONCAT(a.key, ' ') FROM incidents i "
                     "JOIN incident_articles m ON m.incident_id = i.id JOIN articles a ON a.id = m.article_id "
                     "GROUP BY i.id ORDER BY 5")
    def grouped(conn: sqlite3.Connection) -> list[tuple[object, ...]]:
        rows = [(*row[:4], " ".join(sorted(row[4].split()))) for row in conn.execute(incidents_sql)]
        return sorted(rows, key=str)

    with sqlite3.connect(db) as conn:
        written = grouped(conn)
        assert conn.execute("SELECT COUNT(*) FROM incident_articles").fetchone()[0] == 13
    engine = create_store_engine(str(db))
    config = alembic_config()
    with engine.begin() as conn:
        config.attributes["connection"] = conn
        command.downgrade(config, "0004")
    with sqlite3.connect(db) as conn:
        assert conn.execute("SELECT name FROM sqlite_master WHERE name = 'incidents'").fetchone() is None
    upgrade(engine)
    engine.dispose()
    with sqlite3.connect(db) as conn:
        rebuilt = grouped(conn)
    # the writer assigns in input order, the migration by date: the same groups either way on this corpus
    assert rebuilt == written
    assert 1 < len(written) < 13  # copies grouped, distinct events apart


@pytest.fixture
def seeded(tmp_path: Path) -> str:
    url = str(tmp_path / "seeded.db")
    ingest([str(SEEDS)], url, workers=1)
    return url


def test_exports_csv_jsonl_parquet(seeded: str, tmp_path: Path) -> None:
    import pyarrow.parquet as pq

    engine = open_store(seeded)
    with engine.connect() as conn:
        buffer = io.StringIO()
        assert export_table(conn, "people", "csv", buffer) == 10
        rows = list(csv.DictReader(io.StringIO(buffer.getvalue())))
        assert {"name", "rank", "position", "organization"} <= set(rows[0])
        assert "Rury Prastowo" in {r["name"] for r in rows}
        buffer = io.StringIO()
        assert export_table(conn, "articles", "jsonl", buffer) == 5
        first = json.loads(buffer.getvalue().splitlines()[0])
        assert first["record"]["id"] == first["record_id"]
        assert "search_facets" not in first and "body" in first  # the index's words are not data
        with (tmp_path / "org.parquet").open("wb") as stream:
            count = export_table(conn, "organizations", "parquet", stream)
        table = pq.read_table(tmp_path / "org.parquet")
        assert table.num_rows == count > 0 and "region_code" in table.column_names
        with (tmp_path / "empty.parquet").open("wb") as stream:
            assert export_table(conn, "quotes", "parquet", stream) >= 0
        with pytest.raises(ValueError, match="unknown table"):
            export_table(conn, "sqlite_master", "csv", io.StringIO())


def test_sqlite_file_opens_in_datasette_with_full_text_search(seeded: str) -> None:
    datasette_app = pytest.importorskip("datasette.app")
    import asyncio

    async def query() -> tuple[int, dict]:
        ds = datasette_app.Datasette([seeded])
        await ds.invoke_startup()
        name = Path(seeded).stem
        tables = await ds.client.get(f"/{name}.json")
        found = await ds.client.get(f"/{name}/articles.json?_search=sabu&_shape=objects")
        return tables.status_code, found.json()

    status, found = asyncio.run(query())
    assert status == 200
    assert [row["record_id"] for row in found["rows"]] == ["004_08796327ddaf0306"]


def test_plain_sqlite_reads_the_store(seeded: str) -> None:
    with sqlite3.connect(seeded) as conn:
        hits = conn.execute("SELECT rowid FROM articles_fts WHERE articles_fts MATCH 'ganja'").fetchall()
        assert len(hits) == 1
    engine = open_store(seeded)
    with engine.connect() as conn:
        from pantau.store.schema import articles

        assert len(conn.execute(select(articles.c.id)).all()) == 5
