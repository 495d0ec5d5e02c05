"""Store benchmark: ingest into SQLite and PostgreSQL (extraction on 2 cores), then search latency.

    python bench/bench_store.py [--count 100000] [--pg postgresql://postgres@127.0.0.1:5432/postgres]
                                [--skip-pg] [--queries 300]

Goals (issue 5): ingest >= 300 articles/s into SQLite with extraction on 2 cores; search p95 < 50 ms
on 100k articles. The synthetic corpus (bench/synthetic.py) is cached under bench/results/.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import sys
import time
import uuid
from pathlib import Path

sys.path.insert(0, os.path.dirname(__file__))
from pantau.store.db import open_store
from pantau.store.ingest import ingest
from pantau.store.queries import Filters
from pantau.store.search import search
from synthetic import corpus

RESULTS = Path(__file__).parent / "results"
QUERIES = ["sabu", "ganja", "ekstasi", "Kapolres", "pengedar narkoba", "barang bukti", "tembakau gorila",
           "Satresnarkoba", "tersangka", "Pemalang", "Banyuasin", "Kupang", "Tabanan", "hukum", "pil koplo"]


def corpus_file(count: int) -> Path:
    RESULTS.mkdir(exist_ok=True)
    path = RESULTS / f"synthetic-{count}.jsonl"
    if not path.exists():
        with path.open("w", encoding="utf-8") as out:
            for item in corpus(count):
                out.write(json.dumps(item, ensure_ascii=False) + "\n")
    return path


def timed_ingest(path: Path, url: str, label: str, count: int) -> None:
    start = time.perf_counter()
    summary = ingest([str(path)], url, workers=2, batch_size=500)
    elapsed = time.perf_counter() - start
    print(f"ingest into {label}: {summary.processed} articles in {elapsed:.1f} s = {count / elapsed:.0f} articles/s "
          f"(2 extraction processes; {dict(summary.counts)})")


def search_latency(url: str, label: str, queries: int) -> None:
    rng = random.Random(3)
    engine = open_store(url)
    timings = []
    with engine.connect() as conn:
        search(conn, "sabu")
        for _ in range(queries):
            query = rng.choice(QUERIES)
            filters = Filters(province=rng.choice([None, None, "16", "33", "53"]),
                              since=rng.choice([None, "2022-01-01"]))
            start = time.perf_counter()
            search(conn, query, filters, limit=20)
            timings.append((time.perf_counter() - start) * 1000)
    engine.dispose()
    timings.sort()
    p95 = timings[int(len(timings) * 0.95) - 1]
    print(f"search on {label}: {queries} queries, p50 {statistics.median(timings):.1f} ms, p95 {p95:.1f} ms "
          f"(goal p95 < 50 ms: {'met' if p95 < 50 else 'NOT met'})")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--count", type=int, default=100_000)
    parser.add_argument("--pg", default=os.environ.get("PANTAU_TEST_PG", "postgresql://postgres@127.0.0.1:5432/postgres"))
    parser.add_argument("--skip-pg", action="store_true")
    parser.add_argument("--queries", type=int, default=300)
    args = parser.parse_args()
    path = corpus_file(args.count)
    sqlite_path = RESULTS / f"bench-{args.count}.db"
    for suffix in ("", "-wal", "-shm"):
        Path(str(sqlite_path) + suffix).unlink(missing_ok=True)
    timed_ingest(path, str(sqlite_path), "SQLite", args.count)
    search_latency(str(sqlite_path), "SQLite", args.queries)
    if args.skip_pg:
        return
    import psycopg
    from sqlalchemy.engine import make_url

    name = f"pantau_bench_{uuid.uuid4().hex[:8]}"
    with psycopg.connect(args.pg, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    url = make_url(args.pg).set(database=name).render_as_string(hide_password=False)
    try:
        timed_ingest(path, url, "PostgreSQL", args.count)
        search_latency(url, "PostgreSQL", args.queries)
    finally:
        with psycopg.connect(args.pg, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


if __name__ == "__main__":
    main()
