"""Text PostgreSQL cannot store is made storable the same way on both backends (issue 17, item 1)."""

from __future__ import annotations

import json
from pathlib import Path

from sqlalchemy import text

from pantau.store.db import open_store
from pantau.store.ingest import ingest
from tests.store.conftest import temporary_postgres

BODY = ("Polisi menangkap tersangka berinisial AR (30) dengan barang bukti 12 gram sabu di Kota Kupang, "
        "Senin (7/10/2024). Tersangka dijerat UU Nomor 35 Tahun 2009.")


def _corpus(path: Path) -> Path:
    rows = [
        {"id": "nul", "url": "https://contoh.example/nul", "title": "Judul\u0000 dengan NUL",
         "text": BODY.replace("sabu", "sa\u0000bu")},
        {"id": "long-url", "url": "https://contoh.example/" + "a" * 2000, "text": BODY + " Satu."},
        {"id": "i" * 600, "url": "https://contoh.example/long-id", "text": BODY + " Dua."},
        {"id": "long-outlet", "url": "https://contoh.example/outlet", "outlet": "O" * 400, "text": BODY + " Tiga."},
        {"id": "after", "url": "https://contoh.example/after", "text": BODY + " Empat."},
    ]
    path.write_text("\n".join(json.dumps(row) for row in rows) + "\n", encoding="utf-8")
    return path


def _stored(url: str) -> list[tuple[str, str, str]]:
    engine = open_store(url)
    with engine.connect() as conn:
        rows = conn.execute(text("SELECT key, record_id, record FROM articles ORDER BY record_id")).all()
    engine.dispose()
    return [(row.key, row.record_id, json.dumps(row.record if isinstance(row.record, dict)
                                                 else json.loads(row.record), sort_keys=True)) for row in rows]


def test_nul_long_urls_ids_and_outlets_store_alike_on_sqlite_and_postgresql(tmp_path: Path) -> None:
    corpus = _corpus(tmp_path / "bad.jsonl")
    sqlite_url = str(tmp_path / "s.db")
    summary = ingest([str(corpus)], sqlite_url, workers=1)
    assert summary.counts["ok"] == 5
    on_sqlite = _stored(sqlite_url)
    assert all("\x00" not in value for row in on_sqlite for value in row)
    assert max(len(row[0]) for row in on_sqlite) <= 1024 and max(len(row[1]) for row in on_sqlite) <= 256
    with temporary_postgres() as pg_url:  # skipped on a machine without PostgreSQL, required under CI
        summary = ingest([str(corpus)], pg_url, workers=1)
        assert summary.counts["ok"] == 5 and not summary.failures
        assert _stored(pg_url) == on_sqlite
        again = ingest([str(corpus)], pg_url, workers=1)
        assert again.counts["unchanged"] == 5
