"""Incident grouping cost: CPU an article of ``assign_articles`` in the store writer, on the synthetic corpus.

    python bench/bench_incidents.py [--warm 4000] [--measure 2000] [--per-day 300] [--profile]
                                    [--dump assignments.tsv]
    python bench/bench_incidents.py --driver 50000 [--per-day 137] [--profile]

Synthetic records (bench/bench_store_scale.py's ``Stream``: a tenth rewrites of a recent article, one
syndicated release) are written by the real writer (``write_batch``) into a temporary SQLite store in
batches of 500: ``--warm`` articles to fill the incidents of the recent weeks, then ``--measure`` articles
whose ``assign_articles`` CPU time is reported per article (with ``--profile``, under cProfile, its top
functions). ``--dump`` writes every article's incident, role and note (article key order) to compare the
grouping of two versions of the code.

``--driver N``: the Spark driver's grouping instead (``pantau.spark.incidents``): N synthetic profiles (built
first, not timed) assigned in order in a ``LoadOrderCatalog``, in memory; prints the CPU an article and a digest
of every assignment (incident, merges, evidence, note), equal across versions that group alike. ``--per-day``
then defaults to 137 (``bench_spark.py`` dates 50,000 pages over a year).
"""

from __future__ import annotations

import argparse
import cProfile
import hashlib
import os
import pstats
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, os.path.dirname(__file__))
from sqlalchemy import select

from bench_store_scale import Stream
from pantau.store import schema as s
from pantau.store import writer
from pantau.store.db import open_store
from pantau.store.ingest import IngestSummary, write_batch
from pantau.store.stories import DEFAULT_THRESHOLD

BATCH = 500
PER_DAY, DRIVER_PER_DAY = 300, 137  # the store's bench; the Spark bench's 50,000 pages over a year


def driver(count: int, per_day: int, seed: int, profile: bool) -> None:
    """The Spark driver's grouping of ``count`` synthetic profiles: CPU an article, and a digest of the result."""
    from pantau.incidents.group import assign
    from pantau.incidents.match import match_config
    from pantau.incidents.profile import profile_of
    from pantau.spark.incidents import LoadOrderCatalog

    stream = Stream(seed, per_day, release_every=0, release_copies=0)
    profiles = [profile_of(item.article, key=str(i), signature=item.signature, story=i)
                for i, item in enumerate(stream.take(count))]
    config, catalog = match_config(), LoadOrderCatalog()
    catalog.position.update((p.article, i) for i, p in enumerate(profiles))
    digest = hashlib.sha256()
    profiler = cProfile.Profile() if profile else None
    start = time.process_time()
    if profiler is not None:
        profiler.enable()
    for p in profiles:
        done = assign(p, catalog, config)
        digest.update(f"{p.article}\t{done.incident}\t{done.created}\t{done.merged}\t{done.match}\t{done.note}\n"
                      .encode())
    if profiler is not None:
        profiler.disable()
    spent = time.process_time() - start
    incidents = sum(1 for members in catalog.members.values() if members)
    print(f"driver grouping: {spent:.1f} s CPU for {count} profiles = {spent * 1000 / count:.2f} ms an article "
          f"({per_day} a day); {incidents} incidents; assignments digest {digest.hexdigest()[:16]}")
    if profiler is not None:
        pstats.Stats(profiler).sort_stats("tottime").print_stats(25)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--warm", type=int, default=4000)
    parser.add_argument("--measure", type=int, default=2000)
    parser.add_argument("--per-day", type=int,
                        help=f"articles a day (default {PER_DAY}; with --driver {DRIVER_PER_DAY})")
    parser.add_argument("--seed", type=int, default=11)
    parser.add_argument("--profile", action="store_true")
    parser.add_argument("--dump", type=Path)
    parser.add_argument("--driver", type=int, metavar="N", help="time the Spark driver's grouping of N profiles")
    args = parser.parse_args()
    if args.driver:
        driver(args.driver, DRIVER_PER_DAY if args.per_day is None else args.per_day, args.seed, args.profile)
        return
    if args.per_day is None:
        args.per_day = PER_DAY

    # the real assign_articles, timed (and profiled) only while the measured batches are written
    real = writer.assign_articles
    spent = [0.0]
    profiler: cProfile.Profile | None = None

    def timed(*a: object, **k: object) -> object:
        start = time.process_time()
        try:
            if profiler is not None:
                return profiler.runcall(real, *a, **k)
            return real(*a, **k)
        finally:
            spent[0] += time.process_time() - start

    writer.assign_articles = timed  # type: ignore[assignment]
    stream = Stream(args.seed, args.per_day, release_every=2500, release_copies=60)
    with tempfile.TemporaryDirectory() as folder:
        engine = open_store(f"sqlite:///{folder}/incidents.db")
        summary = IngestSummary("bench")
        for _ in range(0, args.warm, BATCH):
            write_batch(engine, stream.take(BATCH), "bench", DEFAULT_THRESHOLD, summary)  # type: ignore[arg-type]
        spent[0] = 0.0
        if args.profile:
            profiler = cProfile.Profile()
        measured = 0
        for _ in range(0, args.measure, BATCH):
            write_batch(engine, stream.take(BATCH), "bench", DEFAULT_THRESHOLD, summary)  # type: ignore[arg-type]
            measured += BATCH
        print(f"assign_articles: {spent[0] * 1000 / measured:.2f} ms CPU an article "
              f"({measured} articles after {args.warm}, {args.per_day} a day)")
        if args.dump is not None:
            with engine.connect() as conn:
                rows = conn.execute(
                    select(s.articles.c.key, s.incident_articles.c.incident_id, s.incident_articles.c.role,
                           s.incident_articles.c.note)
                    .join(s.incident_articles, s.incident_articles.c.article_id == s.articles.c.id)
                    .order_by(s.articles.c.id)).all()
            with args.dump.open("w", encoding="utf-8") as out:
                for row in rows:
                    out.write(f"{row.key}\t{row.incident_id}\t{row.role}\t{row.note}\n")
            print(f"{len(rows)} assignments written to {args.dump}")
        engine.dispose()
    if profiler is not None:
        stats = pstats.Stats(profiler)
        stats.sort_stats("tottime").print_stats(25)
        stats.sort_stats("cumulative").print_callees("prefetch|assign_articles|group.py:.*\\(assign\\)")


if __name__ == "__main__":
    main()
