"""``pantau spark``: the single-machine extraction, run per partition on Apache Spark, to Parquet.

    pantau spark INPUT... --out DIR [--master URL]       (or: spark-submit .../pantau/spark/submit.py ...)

Stages, each a plain Spark operation (no home-made distribution layer):

1. **List** the inputs on the driver (:mod:`pantau.spark.read`): local paths as ``pantau extract``
   walks them (same order, same names, so records carry the same ``source``), any other URL
   (``s3a://``, ``hdfs://``, ``gs://``) through Hadoop's FileSystem, globs included.
2. **Read and pre-filter** per file on executors: local files streamed, other URLs through
   ``SparkContext.binaryFiles``; the cheap :class:`~pantau.spark.prefilter.PreFilter` (domain,
   language, keywords) drops pages before the shuffle that spreads the survivors over
   ``--partitions`` tasks.
3. **Extract** (:mod:`pantau.spark.extract`) with :func:`pantau.pipeline.process` in
   ``mapPartitions``; each record also gets its MinHash signature, LSH bands and incident profile.
4. **Stories** on Spark SQL with the store's exact semantics (:mod:`pantau.spark.stories`).
5. **Incidents** on the driver with the store's grouping, in load order (:mod:`pantau.spark.incidents`).
6. **Write** the record tables (:mod:`pantau.spark.schema`), partitioned by year and month, the
   incident tables, and a report of what every stage read, dropped and extracted (``DIR/_report``).

Counts travel as data, not accumulators: every partition emits its tally as its last element, and the
extraction output is persisted before it is counted, so a count is never doubled by a re-run stage.
"""

from __future__ import annotations

import json
import time
from collections import Counter
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import asdict, dataclass, field
from functools import partial
from typing import TYPE_CHECKING, Any

from pantau.spark import schema as sch
from pantau.spark.extract import extract_partition, warm
from pantau.spark.incidents import collect_inputs, group_incidents, incident_frames
from pantau.spark.prefilter import PreFilter
from pantau.spark.read import MAX_EXAMPLES, OUTCOMES, RECORDS, plan_inputs, read_rdd
from pantau.spark.session import build_session
from pantau.spark.stories import assign_stories, with_stories
from pantau.store.stories import DEFAULT_THRESHOLD

if TYPE_CHECKING:
    from pyspark.sql import DataFrame, SparkSession

__all__ = ["JobReport", "build_session", "run", "warm"]  # bench/ and the CLI use these names from here

REPORT = "_report"
WRITE_THREADS = 10  # one per table
ROWS_PER_FILE = 200_000  # articles per Parquet file and month; more spread a month over more tasks


@dataclass(slots=True)
class JobReport:
    """What a run read, dropped and wrote: printed by the CLI and saved as ``OUT/_report``."""

    out: str
    files: int
    counts: dict[str, int]
    stories: int
    incidents: int
    examples: list[tuple[str, str, str]] = field(default_factory=list)  # (outcome, source, reason)
    seconds: dict[str, float] = field(default_factory=dict)

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def _tally(tallies: list[str]) -> tuple[dict[str, int], list[tuple[str, str, str]], Counter[str]]:
    """Merge the partitions' tallies: counts by outcome, examples of bad records, records by year/month."""
    counts: Counter[str] = Counter({name: 0 for name in (RECORDS, *OUTCOMES)})
    months: Counter[str] = Counter()
    examples: list[tuple[str, str, str]] = []
    for text in tallies:
        tally = json.loads(text)
        counts.update(tally["counts"])
        months.update(tally["months"])
        examples.extend(tuple(e) for e in tally["examples"])  # type: ignore[misc]
    return dict(counts), examples[:MAX_EXAMPLES], months


def run(spark: SparkSession, inputs: list[str], out: str, *, prefilter: PreFilter | None = None,
        threshold: float = DEFAULT_THRESHOLD, partitions: int | None = None, via_hadoop: bool = False) -> JobReport:
    """Read, pre-filter, extract, group into stories and incidents, write ``out``; returns what each stage counted."""
    from pyspark import StorageLevel
    from pyspark.sql import functions as F

    prefilter = prefilter if prefilter is not None else PreFilter.from_config()
    seconds: dict[str, float] = {}
    started = time.perf_counter()
    files = plan_inputs(spark, inputs, via_hadoop=via_hadoop)
    sc = spark.sparkContext
    documents = read_rdd(sc, files, prefilter)
    target = partitions or 3 * sc.defaultParallelism
    if partitions or documents.getNumPartitions() < target:
        documents = documents.repartition(target)  # spread one large WARC file's pages over every core
    rows = documents.mapPartitions(partial(extract_partition, prefilter=prefilter, threshold=threshold))
    frame = spark.createDataFrame(rows, sch.spark_schema(sch.extracted_columns()), verifySchema=False)
    frame = frame.persist(StorageLevel.MEMORY_AND_DISK)  # extraction runs once: counts and records come from here
    frame.count()
    tallies = frame.where(F.col(sch.TALLY).isNotNull()).select(sch.TALLY).collect()
    counts, examples, months = _tally([row[0] for row in tallies])
    records = frame.where(F.col(sch.TALLY).isNull()).drop(sch.TALLY)
    total = counts["extracted"]
    seconds["extract"] = time.perf_counter() - started

    mark = time.perf_counter()
    links = assign_stories(records, threshold)
    story_count = total - links.count()
    seconds["stories"] = time.perf_counter() - mark

    mark = time.perf_counter()
    # One shuffle puts each month in few tasks (one file per month and table for ROWS_PER_FILE records),
    # and every table is written from it: the child tables keep its partitioning.
    spread = max(1, -(-max(months.values(), default=0) // ROWS_PER_FILE))
    final = (with_stories(records, links).drop(sch.KEYS, sch.BANDS)
             .repartition(F.col(sch.YEAR), F.col(sch.MONTH), F.pmod(F.col(sch.ROW_ID), F.lit(spread)))
             .persist(StorageLevel.MEMORY_AND_DISK))
    final.count()
    frame.unpersist()
    base = out.rstrip("/")
    tables = {sch.ARTICLES: final}
    for name, model in sch.child_models().items():
        fields = [c.name for c in sch.model_columns(model)]
        tables[name] = (final.select(sch.ROW_ID, F.col("id").alias(sch.ARTICLE_ID), sch.YEAR, sch.MONTH,
                                     F.posexplode(name).alias(sch.ORDINAL, "item"))
                        .select(sch.ROW_ID, sch.ARTICLE_ID, sch.ORDINAL,
                                *[F.col(f"item.{f}").alias(f) for f in fields], sch.YEAR, sch.MONTH))
    # The driver groups incidents over the cached frame before the writes, not beside them: run side by
    # side, its collection waited for the write tasks and the whole stage took as long.
    grouping = time.perf_counter()
    grouped = group_incidents(collect_inputs(final))
    seconds["incidents"] = time.perf_counter() - grouping
    # Ten independent jobs, eight on one cached frame: run them side by side, so that their fixed
    # scheduling and commit latencies overlap instead of adding up.
    with ThreadPoolExecutor(max_workers=WRITE_THREADS) as pool:
        done: list[Future[None]] = [
            pool.submit(_write, table.select(*[c.name for c in sch.table_columns(name)]), f"{base}/{name}")
            for name, table in tables.items()]
        done += [pool.submit(_write_whole, table, f"{base}/{name}")
                 for name, table in incident_frames(spark, grouped).items()]
        for future in done:
            future.result()
    seconds["write"] = time.perf_counter() - mark - seconds["incidents"]
    seconds["total"] = time.perf_counter() - started
    report = JobReport(out=out, files=len(files), counts=counts, stories=story_count, incidents=grouped.count,
                       examples=examples, seconds=seconds)
    spark.createDataFrame([(json.dumps(report.as_dict(), ensure_ascii=False),)], "value string") \
        .coalesce(1).write.mode("overwrite").text(f"{base}/{REPORT}")
    final.unpersist()
    return report


def _write(frame: DataFrame, path: str) -> None:
    frame.sortWithinPartitions(sch.YEAR, sch.MONTH, sch.ROW_ID).write.mode("overwrite") \
        .partitionBy(*sch.PARTITIONS).parquet(path)


def _write_whole(frame: DataFrame, path: str) -> None:
    """An unpartitioned table (the incident tables: few rows, spanning months)."""
    frame.write.mode("overwrite").parquet(path)
