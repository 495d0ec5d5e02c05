"""Store at scale: grow a store to a million synthetic articles and measure the writer, search and aggregates
at checkpoints on the way.

    python bench/bench_store_scale.py [--checkpoints 10000,100000,1000000] [--db bench/results/scale.db]
                                      [--pg postgresql://postgres@127.0.0.1:5432/postgres] [--queries 100]

The bulk bypasses extraction: records are built from what bench/synthetic.py generated (its Facts), with
their MinHash signatures, and written by the real writer (``write_batch``) in batches of ``--bulk-batch``.
Dates advance with the article count (``--per-day`` articles a day, as a collection grows in time), a tenth
of the articles are rewrites of a recent one by another outlet, and every ``--release-every`` articles one
press release is syndicated ``--release-copies`` times within a day (the big LSH buckets).

At each checkpoint: ``--probe-batches`` batches of 500 through ``write_batch`` (writer wall and CPU time per
batch; one of them carries a syndicated release), then search p50/p95/p99 per filter kind (the API's
filters and some combinations), aggregate latency per grouping, and store size per article. With
``--ingest N`` the whole ``ingest`` (extraction on 2 processes) of N fresh articles is timed there too.
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import random
import statistics
import sys
import tempfile
import time
import uuid
from collections.abc import Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, os.path.dirname(__file__))
from sqlalchemy import Connection, Engine, text

from pantau.store import writer
from pantau.store.db import StatisticsKeeper, open_store, refresh_planner_statistics
from pantau.store.index import FacetIndex
from pantau.store.ingest import IngestSummary, ingest, write_batch
from pantau.store.queries import Filters, aggregate
from pantau.store.read import list_articles
from pantau.store.search import search
from pantau.store.stories import DEFAULT_THRESHOLD, signature
from pantau.store.writer import Extracted
from synthetic import OUTLETS, article_with_facts, record

RESULTS = Path(__file__).parent / "results"
START = datetime.date(2019, 1, 1)
QUERIES = ["sabu", "ganja", "ekstasi", "Kapolres", "pengedar narkoba", "barang bukti", "tembakau gorila",
           "Satresnarkoba", "tersangka", "Pemalang", "Banyuasin", "Kupang", "Tabanan", "hukum", "pil koplo"]


class Stream:
    """Synthetic extracted articles, in the order a collection would store them."""

    def __init__(self, seed: int, per_day: int, release_every: int, release_copies: int) -> None:
        self.rng = random.Random(seed)
        self.per_day = per_day
        self.release_every = release_every
        self.release_copies = release_copies
        self.index = 0
        self.recent: list[tuple[dict[str, str], object]] = []
        self.pending_release = 0
        self.release: tuple[dict[str, str], object] | None = None

    def date(self) -> str:
        return (START + datetime.timedelta(days=self.index // self.per_day)).isoformat()

    def _one(self) -> Extracted:
        rng, index = self.rng, self.index
        self.index += 1
        if self.release_every and index and index % self.release_every == 0:
            self.release = article_with_facts(rng, index)
            self.pending_release = self.release_copies
        if self.pending_release and self.release is not None:
            # the same release on another portal: same text, another masthead line
            self.pending_release -= 1
            item, facts = self.release
            outlet = f"{rng.choice(OUTLETS)}-{self.pending_release}"
            copy = {**item, "id": f"rel-{index}", "url": f"https://rilis.id/{index}",
                    "text": f"{outlet} – " + item["text"].split("– ", 1)[-1]}
            return self._extracted(copy, facts, outlet)
        if self.recent and rng.random() < 0.1:
            item, facts = rng.choice(self.recent)
            paragraphs = item["text"].split("\n\n")
            lead = paragraphs[0].split("– ", 1)[-1]
            outlet = rng.choice(OUTLETS)
            copy = {"id": f"syn-{index}", "url": f"https://lain.id/{index}", "title": item["title"],
                    "text": "\n\n".join([f"{outlet} – {lead}", *paragraphs[2:], paragraphs[1]])}
            return self._extracted(copy, facts, outlet)
        item, facts = article_with_facts(rng, index)
        item["url"] = f"https://contoh.id/{index}"
        self.recent.append((item, facts))
        del self.recent[:-500]
        return self._extracted(item, facts, None)

    def _extracted(self, item: dict[str, str], facts: object, outlet: str | None) -> Extracted:
        article = record(item, facts, self.date(), outlet)  # type: ignore[arg-type]
        return Extracted(article, signature(article.body))

    def take(self, count: int) -> list[Extracted]:
        return [self._one() for _ in range(count)]


def _ms(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(len(ordered) * q))] * 1000


STAGES: dict[str, float] = {}  # CPU seconds by writer stage since the last reset


def _timed(name: str, function: Callable[..., Any]) -> Callable[..., Any]:
    def timed(*args: Any, **kwargs: Any) -> Any:
        start = time.process_time()
        try:
            return function(*args, **kwargs)
        finally:
            STAGES[name] = STAGES.get(name, 0.0) + time.process_time() - start
    return timed


writer._assign_stories = _timed("stories", writer._assign_stories)
ASSIGN_INCIDENTS = writer.assign_articles
writer.assign_articles = _timed("incidents", ASSIGN_INCIDENTS)


def incidents(on: bool) -> None:
    """Incident grouping on or off in the writer (off: the bulk of a store grown only for stories and search)."""
    writer.assign_articles = _timed("incidents", ASSIGN_INCIDENTS if on else lambda *args, **kwargs: [])


def _write(engine: Engine, batch: list[Extracted]) -> tuple[float, float]:
    wall, cpu = time.perf_counter(), time.process_time()
    write_batch(engine, batch, "scale", DEFAULT_THRESHOLD, IngestSummary("scale"))  # type: ignore[arg-type]
    return time.perf_counter() - wall, time.process_time() - cpu


def grow(engine: Engine, stream: Stream, target: int, bulk: int) -> None:
    start = time.perf_counter()
    done = stream.index
    statistics = StatisticsKeeper(engine)  # as ingest keeps them: PostgreSQL plans from none otherwise
    while stream.index < target:
        batch = stream.take(min(bulk, target - stream.index))
        _write(engine, batch)
        statistics.wrote(len(batch))
        if stream.index % 50_000 < bulk:
            rate = (stream.index - done) / (time.perf_counter() - start)
            print(f"  grown to {stream.index:,} ({rate:.0f} articles/s)", flush=True)


def probe_writer(engine: Engine, stream: Stream, batches: int) -> None:
    walls, cpus = [], []
    incidents(True)
    STAGES.clear()
    for number in range(batches):
        if number == batches - 1 and stream.release_copies:
            # the last probe carries a release syndicated to every portal (its big LSH buckets)
            stream.pending_release, stream.release = min(stream.release_copies, 500), article_with_facts(
                stream.rng, stream.index)
        wall, cpu = _write(engine, stream.take(500))
        walls.append(wall)
        cpus.append(cpu)
    stages = ", ".join(f"{name} {spent / batches:.2f} s" for name, spent in sorted(STAGES.items()))
    print(f"  writer per 500-article batch: wall median {statistics.median(walls):.2f} s "
          f"(min {min(walls):.2f}, max {max(walls):.2f}), CPU median {statistics.median(cpus):.2f} s, "
          f"with a {stream.release_copies}-copy release {walls[-1]:.2f} s wall; "
          f"= {500 / statistics.median(walls):.0f} articles/s written; CPU a batch by stage: {stages}", flush=True)


def filter_kinds() -> dict[str, list[Filters]]:
    provinces, regencies = ["16", "33", "53", "31", "73"], ["16.07", "33.27", "53.71", "51.02", "11.01"]
    outlets, substances = OUTLETS[:4], ["methamphetamine", "cannabis", "mdma"]
    return {
        "none": [Filters()],
        "province": [Filters(province=p) for p in provinces],
        "regency": [Filters(regency=r) for r in regencies],
        "topic": [Filters(topic="drugs")],
        "substance": [Filters(substance=s) for s in substances],
        "outlet": [Filters(outlet=o) for o in outlets],
        "since": [Filters(since="2022-01-01")],
        "since+until": [Filters(since="2021-01-01", until="2021-06")],
        "province+substance": [Filters(province=p, substance=s) for p in provinces for s in substances],
        "province+since": [Filters(province=p, since="2022-01-01") for p in provinces],
        "regency+substance+until": [Filters(regency=r, substance="methamphetamine", until="2020") for r in regencies],
        "outlet+topic+since": [Filters(outlet=o, topic="drugs", since="2021-03") for o in outlets],
        "all seven": [Filters(province="16", regency="16.07", topic="drugs", substance="methamphetamine",
                              outlet=OUTLETS[0], since="2019-01-01", until="2030")],
    }


def _page(conn: Connection, index: FacetIndex, query: str, filters: Filters) -> None:
    """What ``GET /api/articles?q=...`` computes for a query not cached yet: the ranked page and its total."""
    list_articles(conn, filters, query, 1, 20, index)


def probe_search(engine: Engine, queries: int) -> None:
    """Search latency per filter kind: ``search.search`` (the CLI's search: hits only), and
    ``read.list_articles`` with a query (the API's page: hits and total). Wall and CPU time (SQLite works in
    this process: CPU time is what the query costs on a machine other processes share)."""
    rng = random.Random(3)
    worst = {"sql": 0.0, "api": 0.0}
    with engine.connect() as conn:
        start = time.perf_counter()
        index = FacetIndex.load(conn)
        print(f"  facet index load {time.perf_counter() - start:.1f} s", flush=True)
        search(conn, "sabu")
        for kind, choices in filter_kinds().items():
            for path in ("sql", "api"):
                walls, cpus = [], []
                for _ in range(queries):
                    query, filters = rng.choice(QUERIES), rng.choice(choices)
                    wall, cpu = time.perf_counter(), time.process_time()
                    if path == "sql":
                        search(conn, query, filters, limit=20)
                    else:
                        _page(conn, index, query, filters)
                    walls.append(time.perf_counter() - wall)
                    cpus.append(time.process_time() - cpu)
                worst[path] = max(worst[path], _ms(walls, 0.95))
                print(f"  search {path} {kind:>24}: p50 {_ms(walls, 0.5):6.1f} ms  p95 {_ms(walls, 0.95):6.1f} ms  "
                      f"p99 {_ms(walls, 0.99):6.1f} ms  (CPU p50 {_ms(cpus, 0.5):6.1f}  p95 {_ms(cpus, 0.95):6.1f})",
                      flush=True)
    for path, p95 in worst.items():
        print(f"  search {path} worst p95 {p95:.1f} ms (goal < 50 ms: {'met' if p95 < 50 else 'NOT met'})", flush=True)


def probe_aggregates(engine: Engine) -> None:
    """Aggregate latency per grouping: SQL (``queries.aggregate``) and on the API's facet index."""
    with engine.connect() as conn:
        index = FacetIndex.load(conn)
        for by in ("province", "regency", "month", "substance", "outlet", "topic"):
            for label, filters in (("", Filters()), (" province=33", Filters(province="33"))):
                start = time.perf_counter()
                groups = aggregate(conn, by, filters)
                sql = (time.perf_counter() - start) * 1000
                start = time.perf_counter()
                index.aggregate(by, filters)
                api = (time.perf_counter() - start) * 1000
                print(f"  aggregate by {by + label:>20}: SQL {sql:8.1f} ms, facet index {api:7.1f} ms "
                      f"({len(groups)} groups)", flush=True)


def store_size(engine: Engine, url: str, articles: int) -> None:
    with engine.connect() as conn:
        if engine.dialect.name == "sqlite":
            size = conn.execute(text("SELECT page_count * page_size FROM pragma_page_count(), pragma_page_size()")
                                ).scalar_one()
        else:
            size = conn.execute(text("SELECT pg_database_size(current_database())")).scalar_one()
    print(f"  store size {size / 1e9:.2f} GB = {size / articles / 1024:.1f} KiB per article", flush=True)


def probe_ingest(url: str, count: int, offset: int) -> None:
    from synthetic import corpus
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "fresh.jsonl"
        with path.open("w", encoding="utf-8") as out:
            for item in corpus(count, seed=offset):
                item["url"] = f"https://segar.id/{offset}/{item['id']}"
                out.write(json.dumps(item, ensure_ascii=False) + "\n")
        start = time.perf_counter()
        summary = ingest([str(path)], url, workers=2, batch_size=500)
        elapsed = time.perf_counter() - start
    print(f"  ingest (extraction on 2 processes) of {summary.processed} fresh articles: {elapsed:.1f} s = "
          f"{summary.processed / elapsed:.0f} articles/s", flush=True)


def _rss_mb() -> int:
    with open("/proc/self/status", encoding="ascii") as status:
        for line in status:
            if line.startswith("VmRSS"):
                return int(line.split()[1]) // 1024
    return 0


def _pymalloc_arenas() -> int:
    """Python's small-object arenas (1 MiB each) now: what the interpreter's own heap holds of the RSS."""
    with tempfile.TemporaryFile(mode="w+") as out:
        saved = os.dup(2)
        os.dup2(out.fileno(), 2)
        try:
            sys._debugmallocstats()
        finally:
            os.dup2(saved, 2)
            os.close(saved)
        out.seek(0)
        for line in out:
            if line.startswith("# arenas allocated current"):
                return int(line.split("=")[-1].replace(",", ""))
    return 0


def probe_rss(count: int, per_day: int) -> None:
    """Main-process RSS after each batch of an ingest (extraction on 2 processes) of ``count`` articles
    into a fresh SQLite store: flat when extraction waits for the writer and each batch's incident lookups
    read a window of the same size. ``per_day`` 0: events on random days of 2019-2025 (a backlog), where every
    month's window fills as the store grows, and with it what a batch reads."""
    from synthetic import corpus
    samples: list[tuple[int, int, int]] = []

    def sample(summary: IngestSummary) -> None:
        if summary.processed % 2500 == 0:
            samples.append((summary.processed, _rss_mb(), _pymalloc_arenas()))

    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "input.jsonl"
        with path.open("w", encoding="utf-8") as out:
            for item in corpus(count, per_day=per_day or None):
                out.write(json.dumps(item, ensure_ascii=False) + "\n")
        start = time.perf_counter()
        summary = ingest([str(path)], str(Path(folder) / "store.db"), workers=2, batch_size=500, on_batch=sample)
        elapsed = time.perf_counter() - start
    dates = f"{per_day} articles a day" if per_day else "random days of 2019-2025"
    print(f"ingest of {summary.processed} articles ({dates}): {elapsed:.0f} s = "
          f"{summary.processed / elapsed:.0f} articles/s; main-process RSS (MB) / Python's arenas (MiB) every "
          "2,500 articles: " + ", ".join(f"{n}: {mb} / {arenas}" for n, mb, arenas in samples), flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--checkpoints", default="10000,100000,1000000")
    parser.add_argument("--db", type=Path, default=RESULTS / "scale.db")
    parser.add_argument("--pg", help="a PostgreSQL server URL: the store is a fresh database on it (with --keep: "
                                     "the URL's database, continued and kept)")
    parser.add_argument("--bulk-batch", type=int, default=2000)
    parser.add_argument("--probe-batches", type=int, default=4)
    parser.add_argument("--queries", type=int, default=100)
    parser.add_argument("--ingest", type=int, default=0, help="articles to ingest through extraction per checkpoint")
    parser.add_argument("--per-day", type=int, default=300)
    parser.add_argument("--release-every", type=int, default=20_000)
    parser.add_argument("--release-copies", type=int, default=200)
    parser.add_argument("--seed", type=int, default=11)
    parser.add_argument("--bulk-incidents", choices=("on", "off"), default="on",
                        help="off: the bulk is written without incident grouping (probes always group)")
    parser.add_argument("--keep", action="store_true",
                        help="continue the store at --db, or the database --pg names (migrated to this version), "
                             "instead of starting afresh")
    parser.add_argument("--rss", type=int, default=0,
                        help="only ingest this many articles through extraction and print the RSS as it goes "
                             "(dated --per-day articles a day; --per-day 0: random days, a backlog)")
    args = parser.parse_args()
    if args.rss:
        probe_rss(args.rss, args.per_day)
        return
    checkpoints = [int(c) for c in args.checkpoints.split(",")]
    database = None
    if args.pg and args.keep:  # the URL names the database to continue (created when missing), kept afterwards
        import psycopg
        from sqlalchemy.engine import make_url

        name = make_url(args.pg).database
        with psycopg.connect(make_url(args.pg).set(database="postgres").render_as_string(hide_password=False),
                             autocommit=True) as conn:
            if conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", (name,)).fetchone() is None:
                conn.execute(f'CREATE DATABASE "{name}"')
        url = args.pg
    elif args.pg:
        import psycopg
        from sqlalchemy.engine import make_url

        database = f"pantau_scale_{uuid.uuid4().hex[:8]}"
        with psycopg.connect(args.pg, autocommit=True) as conn:
            conn.execute(f'CREATE DATABASE "{database}"')
        url = make_url(args.pg).set(database=database).render_as_string(hide_password=False)
    else:
        args.db.parent.mkdir(parents=True, exist_ok=True)
        if not args.keep:
            for suffix in ("", "-wal", "-shm"):
                Path(str(args.db) + suffix).unlink(missing_ok=True)
        url = str(args.db)
    began = time.perf_counter()
    engine = open_store(url)
    stream = Stream(args.seed, args.per_day, args.release_every, args.release_copies)
    with engine.connect() as conn:
        stream.index = conn.execute(text("SELECT COUNT(*) FROM articles")).scalar_one()
    if stream.index:
        print(f"continuing a store of {stream.index:,} articles (opened and migrated in "
              f"{time.perf_counter() - began:.0f} s)", flush=True)
    try:
        for checkpoint in checkpoints:
            incidents(args.bulk_incidents == "on")
            grow(engine, stream, checkpoint, args.bulk_batch)
            refresh_planner_statistics(engine)
            print(f"at {stream.index:,} articles ({time.perf_counter() - began:.0f} s since start):", flush=True)
            if args.probe_batches:
                probe_writer(engine, stream, args.probe_batches)
                refresh_planner_statistics(engine)
            probe_search(engine, args.queries)
            probe_aggregates(engine)
            store_size(engine, url, stream.index)
            if args.ingest:
                probe_ingest(url, args.ingest, stream.index)
    finally:
        engine.dispose()
        if database:
            import psycopg

            with psycopg.connect(args.pg, autocommit=True) as conn:
                conn.execute(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)')


if __name__ == "__main__":
    main()
