"""``pantau spark``: the single-machine extraction, run per partition on Apache Spark, to Parquet.

    pantau spark INPUT... --out DIR [--master URL]            (or: spark-submit .../pantau/spark/job.py ...)

Stages, each a plain Spark operation (no home-made distribution layer):

1. **List** the inputs on the driver: local paths as ``pantau extract`` walks them (same order, same
   names, so records carry the same ``source``), any other URL (``s3a://``, ``hdfs://``, ``gs://``)
   through Hadoop's FileSystem, globs included.
2. **Read and pre-filter** per file: executors stream local files themselves (a WARC file is never
   held in memory whole); other URLs come through ``SparkContext.binaryFiles``. WARC records go
   through :mod:`pantau.spark.warc`, everything else through :mod:`pantau.ingest.readers`. The cheap
   :class:`~pantau.spark.prefilter.PreFilter` (domain, language, keywords) drops pages here, before
   the shuffle that spreads the survivors over ``--partitions`` tasks.
3. **Extract** with :func:`pantau.pipeline.process` in ``mapPartitions``; vocabularies, the spaCy
   lexicon and the language model load once per Python worker (workers are reused across tasks).
   Each record also gets its MinHash signature and LSH bands (:mod:`pantau.store.stories`).
4. **Stories** on Spark with the store's exact semantics (:func:`assign_stories`).
5. **Write** the record tables (:mod:`pantau.spark.schema`), partitioned by year and month, and a
   report of what every stage read, dropped and extracted (``DIR/_report``).

Counts travel as data, not accumulators: every partition emits its tally as its last element, and the
extraction output is persisted before it is counted, so a count is never doubled by a re-run stage.
"""

from __future__ import annotations

import glob
import json
import logging
import os
import sys
import time
from collections import Counter
from collections.abc import Iterable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import asdict, dataclass, field
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

import numpy as np

from pantau.ingest.document import Document, Skipped
from pantau.ingest.readers import DEFAULT_MAX_BYTES, InputNotFound, read_inputs
from pantau.pipeline import EmptyArticle, process
from pantau.spark import schema as sch
from pantau.spark.prefilter import PreFilter
from pantau.spark.warc import BAD, HTML, is_warc, iter_warc
from pantau.store.stories import DEFAULT_THRESHOLD, NUM_PERM, bands, signature, to_bytes
from pantau.store.writer import BUCKET_CAP, MAX_CANDIDATES

if TYPE_CHECKING:
    from pyspark import RDD, SparkContext
    from pyspark.sql import DataFrame, SparkSession

log = logging.getLogger(__name__)

DEFAULT_MASTER = "local[*]"
REPORT = "_report"
# The report's counters, in pipeline order. Every record read ends in exactly one of the others.
RECORDS = "records"
OUTCOMES = ("bad", "not_response", "not_html", "http_status", "filtered_domain", "filtered_language",
            "filtered_keyword", "empty", "failed", "filtered_language_record", "extracted")
MAX_EXAMPLES = 50
POSITION_BITS = 40  # row_id = file index << 40 | position in the file (a byte offset below 1 TiB, or an index)
MAX_READ_SLICES = 4096
WRITE_THREADS = 8  # one per table
ROWS_PER_FILE = 200_000  # articles per Parquet file and month; more spread a month over more tasks
_DOC, _COUNTS = 0, 1  # kinds of the reading stage's items: a document, or a partition's tally


@dataclass(frozen=True, slots=True)
class InputFile:
    """One file to read: its place in input order, its name, and whether executors open it themselves."""

    index: int
    path: str
    warc: bool
    local: bool


@dataclass(slots=True)
class JobReport:
    """What a run read, dropped and wrote: printed by the CLI and saved as ``OUT/_report``."""

    out: str
    files: int
    counts: dict[str, int]
    stories: int
    examples: list[tuple[str, str, str]] = field(default_factory=list)  # (outcome, source, reason)
    seconds: dict[str, float] = field(default_factory=dict)

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def row_id(file_index: int, position: int) -> int:
    """A record's id in this output, ordered as the inputs were given (file, then place in the file)."""
    if position >= 1 << POSITION_BITS:
        raise ValueError(f"position {position} beyond {POSITION_BITS} bits")
    return (file_index << POSITION_BITS) | position


# -- session --------------------------------------------------------------------------------------


def build_session(master: str | None = None, *, conf: dict[str, str] | None = None,
                  app_name: str = "pantau") -> SparkSession:
    """A SparkSession on ``master`` (default ``local[*]``, or spark-submit's own when run under it).

    Local masters bind to 127.0.0.1 (the driver would otherwise listen on the external interface)
    and run their Python workers with this interpreter, so they import this pantau.
    """
    from pyspark.sql import SparkSession

    under_submit = "PYSPARK_GATEWAY_PORT" in os.environ  # spark-submit started the JVM and set the master
    builder = SparkSession.builder.appName(app_name)
    if master or not under_submit:
        master = master or DEFAULT_MASTER
        builder = builder.master(master)
    if master and master.startswith("local"):
        os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
        os.environ.setdefault("SPARK_LOCAL_IP", "127.0.0.1")
        cores = os.cpu_count() or 1
        for key, value in {"spark.driver.bindAddress": "127.0.0.1", "spark.driver.host": "127.0.0.1",
                           "spark.ui.enabled": "false", "spark.sql.shuffle.partitions": str(4 * cores)}.items():
            builder = builder.config(key, value)
    for key, value in (conf or {}).items():
        builder = builder.config(key, value)
    return builder.getOrCreate()


# -- listing --------------------------------------------------------------------------------------


def _local_path(given: str) -> str | None:
    """The filesystem path of a local input (plain path or ``file:`` URL), ``None`` for other URLs."""
    parts = urlsplit(given)
    if parts.scheme == "" or len(parts.scheme) == 1:  # a path, or a Windows drive letter
        return given
    if parts.scheme == "file":
        return parts.path
    return None


def plan_inputs(spark: SparkSession, inputs: Iterable[str], *, via_hadoop: bool = False) -> list[InputFile]:
    """Every file under ``inputs``, in input order; directories recursively, hidden files skipped, globs expanded.

    Local paths are walked as :func:`pantau.ingest.readers.read_inputs` walks them, so sources match
    ``pantau extract``; ``via_hadoop`` lists them through Hadoop instead (as ``file:`` URIs).
    """
    from pantau.ingest.readers import _walk  # the single-machine walk: same order, same hidden-file rule

    names: list[tuple[str, bool]] = []
    for given in inputs:
        local = None if via_hadoop else _local_path(given)
        if local is None:
            names.extend((name, False) for name in _hadoop_files(spark, given))
        elif os.path.isdir(local):
            names.extend((str(path), True) for path in _walk(Path(local)))
        elif os.path.exists(local):
            names.append((local, True))
        elif any(char in local for char in "*?[") and (matches := sorted(glob.glob(local))):
            for match in matches:  # a quoted glob the shell did not expand
                paths = _walk(Path(match)) if os.path.isdir(match) else [Path(match)]
                names.extend((str(path), True) for path in paths)
        else:
            raise InputNotFound(f"no such file or directory: {given}")
    return [InputFile(index, name, is_warc(name), local) for index, (name, local) in enumerate(names)]


def _hadoop_files(spark: SparkSession, url: str) -> list[str]:
    """Files under a Hadoop URL or glob, sorted; names starting with '.' or '_' are skipped (Hadoop's rule)."""
    sc = spark.sparkContext
    jvm = sc._jvm  # type: ignore[attr-defined]
    path = jvm.org.apache.hadoop.fs.Path(url)
    fs = path.getFileSystem(sc._jsc.hadoopConfiguration())  # type: ignore[attr-defined]
    statuses = fs.globStatus(path)
    if not statuses:
        raise InputNotFound(f"no such file or directory: {url}")
    found: list[str] = []
    for status in statuses:
        if not status.isDirectory():
            found.append(status.getPath().toString())
            continue
        root = status.getPath().toString().rstrip("/")
        files = fs.listFiles(status.getPath(), True)
        batch: list[str] = []
        while files.hasNext():
            name = files.next().getPath().toString()
            relative = name[len(root):].lstrip("/") if name.startswith(root) else name.rsplit("/", 1)[-1]
            if not any(part.startswith((".", "_")) for part in relative.split("/")):
                batch.append(name)
        found.extend(sorted(batch))
    return found


# -- reading (executors) --------------------------------------------------------------------------

Outcome = tuple[int, str, Document | None, str, str | None]  # (position, outcome, document, source, reason)


def _file_items(task: InputFile, data: bytes | None) -> Iterator[Outcome]:
    """Each record of one file as (position, outcome, document, source, reason)."""
    import io

    if task.warc:
        stream = open(task.path, "rb") if data is None else io.BytesIO(data)  # noqa: SIM115 - closed below
        with stream:
            for item in iter_warc(stream, task.path):
                source = item.document.source if item.document else f"{task.path}@{item.offset}"
                yield item.offset, item.outcome, item.document, source, item.reason
        return
    items = read_inputs([task.path]) if data is None else _bytes_items(task.path, data)
    for position, item in enumerate(items):
        if isinstance(item, Skipped):
            yield position, BAD, None, item.source, item.reason
        else:
            yield position, HTML, item, item.source, None


def _bytes_items(name: str, data: bytes) -> Iterator[Document | Skipped]:
    """A non-WARC file read by Spark, through the single-machine readers (same kinds, same ids)."""
    import gzip
    import io
    import zlib

    from pantau.ingest.readers import _kind_of, _read_stream, _split_name

    stem, suffix, gzipped = _split_name(Path(urlsplit(name).path or name))
    if not gzipped and not data:
        yield Skipped(name, "empty file")
        return
    try:
        raw = io.BufferedReader(io.BytesIO(data))  # peek() lets the reader sniff JSON Lines
        with gzip.GzipFile(fileobj=raw) if gzipped else raw as stream:
            yield from _read_stream(stream, source=name, stem=stem, kind=_kind_of(suffix), max_bytes=DEFAULT_MAX_BYTES)
    except (OSError, EOFError, zlib.error) as error:
        yield Skipped(name, f"cannot read: {error}")


def read_partition(tasks: Iterable[tuple[InputFile, bytes | None]], prefilter: PreFilter) -> Iterator[tuple]:
    """Documents that pass the pre-filter, then this partition's tally (as its last element)."""
    counts: Counter[str] = Counter()
    examples: list[tuple[str, str, str]] = []
    for task, data in tasks:
        try:
            for position, outcome, document, source, reason in _file_items(task, data):
                counts[RECORDS] += 1
                if document is None:
                    counts[outcome] += 1
                    if outcome == BAD and len(examples) < MAX_EXAMPLES:
                        examples.append((outcome, source, reason or ""))
                    continue
                rejected = prefilter.reject(document)
                if rejected:
                    counts[f"filtered_{rejected}"] += 1
                    continue
                yield _DOC, row_id(task.index, position), document
        except Exception as error:  # an unreadable file (permissions, I/O) loses itself, never the job
            log.exception("cannot read %s", task.path)
            counts[RECORDS] += 1
            counts[BAD] += 1
            if len(examples) < MAX_EXAMPLES:
                examples.append((BAD, task.path, f"cannot read: {type(error).__name__}: {error}"))
    yield _COUNTS, dict(counts), examples, {}


# -- extraction (executors) -----------------------------------------------------------------------

_warm = False


def warm() -> None:
    """Load what every record needs (vocabularies, spaCy lexicon, language model, HTML reader) once per process.

    Python workers are reused across tasks, so this runs once per worker, not per partition.
    """
    global _warm
    if _warm:
        return
    from importlib import resources

    from pantau.extract.language import detect_language
    from pantau.extract.lexicon import lexicon
    from pantau.ingest.html import extract_html

    lexicon()
    detect_language("The language model loads on the first text that is not clearly Indonesian.")
    samples = sorted(p for p in resources.files("pantau.data").joinpath("samples").iterdir() if p.name.endswith(".txt"))
    if samples:
        process(Document(id="warm", source="warm", text=samples[0].read_text(encoding="utf-8")))
    extract_html("<html><body><p>pemanasan</p></body></html>")
    _warm = True


_POSITIONS = np.arange(NUM_PERM, dtype=np.uint64) << np.uint64(32)


def minhash_keys(values: np.ndarray) -> list[int]:
    """Each MinHash value tagged with its position: two signatures' equal positions are their keys' intersection.

    Spark compares them with the built-in, compiled ``array_intersect`` (a lambda over 128 positions
    runs interpreted, row by row, and cost more than the rest of the story joins). datasketch's
    values are below 2**32 (its ``_max_hash``), so position and value fit in one long.
    """
    if int(values.max(initial=0)) >> 32:
        raise ValueError("MinHash values wider than 32 bits")
    return (_POSITIONS | values.astype(np.uint64)).astype(np.int64).tolist()


def extract_partition(items: Iterable[tuple], prefilter: PreFilter, threshold: float) -> Iterator[tuple]:
    """Rows of :func:`schema.extracted_columns`: one per record, then this partition's tally row.

    The tallies of the reading stage arrive as items too and leave as tally rows.
    """
    warm()
    counts: Counter[str] = Counter()
    months: Counter[str] = Counter()
    examples: list[tuple[str, str, str]] = []
    blank = (None,) * (len(sch.extracted_columns()) - 1)
    for item in items:
        if item[0] == _COUNTS:
            yield (*blank, json.dumps({"counts": item[1], "examples": item[2], "months": {}}))
            continue
        _, rid, document = item
        try:
            article = process(document)
        except EmptyArticle:
            counts["empty"] += 1
            continue
        except Exception as error:  # one bad page never loses the others
            log.exception("extraction failed for %s", document.source)
            counts["failed"] += 1
            if len(examples) < MAX_EXAMPLES:
                examples.append(("failed", document.source, f"{type(error).__name__}: {error}"))
            continue
        if not prefilter.language_ok(article.language):
            counts["filtered_language_record"] += 1
            continue
        counts["extracted"] += 1
        values = signature(article.body)
        year, month = sch.partition_of(article)
        months[f"{year}/{month}"] += 1
        yield (rid, *sch.record_row(article), to_bytes(values), minhash_keys(values), bands(values, threshold),
               year, month, None)
    yield (*blank, json.dumps({"counts": counts, "examples": examples, "months": months}))


# -- stories (Spark SQL) --------------------------------------------------------------------------


def assign_stories(records: DataFrame, threshold: float = DEFAULT_THRESHOLD) -> DataFrame:
    """(row_id, story_id) of every record that joins an earlier record's story: the store's semantics.

    The store (``pantau.store.writer``) gives each article, in load order, the story of the most
    similar earlier article at or above ``threshold`` among its candidates, else a new story.
    Candidates share an LSH bucket with it; a bucket stops taking members at ``BUCKET_CAP`` articles
    (template text every report shares), and only the ``MAX_CANDIDATES`` sharing the most buckets
    are compared. Here the same, with load order = (year, month, row_id), which is the order in
    which ``pantau load`` writes the output, so the store re-derives the same groups:

    * rank each article in each (band, bucket) by load order; ranks above the cap neither look up
      nor are found;
    * join looking-up articles to earlier members by bucket, count shared buckets, keep the top
      candidates, compare signatures, take the best (ties: the last compared, as the store does);
    * the story is the root of the resulting forest ("best earlier match" links), found by pointer
      jumping: O(log depth) joins. ``story_id`` is the ``row_id`` of the story's first article.

    Records absent from the result open their own story (:func:`with_stories`).
    """
    from pyspark.sql import Window
    from pyspark.sql import functions as F

    order = F.concat_ws("/", sch.YEAR, sch.MONTH, F.lpad(F.col(sch.ROW_ID).cast("string"), 20, "0"))
    base = records.select(sch.ROW_ID, order.alias("ord"), sch.BANDS)
    entries = (base.select(sch.ROW_ID, "ord", F.explode(sch.BANDS).alias("b"))
               .select(sch.ROW_ID, "ord", F.col("b.band").alias("band"), F.col("b.bucket").alias("bucket"))
               .withColumn("rank", F.row_number().over(Window.partitionBy("band", "bucket").orderBy("ord")))
               .where(F.col("rank") <= BUCKET_CAP))
    lookups = entries.select(F.col(sch.ROW_ID).alias("x"), F.col("ord").alias("x_ord"), "bucket")
    members = entries.select(F.col(sch.ROW_ID).alias("c"), F.col("ord").alias("c_ord"), "bucket")
    hits = (lookups.join(members, "bucket").where(F.col("c_ord") < F.col("x_ord"))
            .groupBy("x", "c", "c_ord").agg(F.count(F.lit(1)).alias("hits")))
    top = (hits.withColumn("pos", F.row_number().over(
        Window.partitionBy("x").orderBy(F.col("hits").desc(), F.col("c_ord").asc())))
        .where(F.col("pos") <= MAX_CANDIDATES))
    keys = records.select(sch.ROW_ID, sch.KEYS)
    # the store's similarity, np.mean(a == b): equal positions / NUM_PERM (exact in floating point)
    same = F.size(F.array_intersect("x_keys", "c_keys"))
    scored = (top.join(keys.withColumnRenamed(sch.ROW_ID, "x").withColumnRenamed(sch.KEYS, "x_keys"), "x")
              .join(keys.withColumnRenamed(sch.ROW_ID, "c").withColumnRenamed(sch.KEYS, "c_keys"), "c")
              .withColumn("score", same / F.lit(float(NUM_PERM)))
              .where(F.col("score") >= F.lit(threshold)))
    links = (scored.withColumn("best", F.row_number().over(
        Window.partitionBy("x").orderBy(F.col("score").desc(), F.col("pos").desc())))
        .where(F.col("best") == 1).select(F.col("x").alias(sch.ROW_ID), F.col("c").alias("parent")))
    links = links.localCheckpoint()
    while True:  # pointer jumping: each pass replaces a parent by its parent's parent
        up = links.alias("e").join(links.alias("p"), F.col("e.parent") == F.col("p." + sch.ROW_ID), "left")
        links = up.select(F.col("e." + sch.ROW_ID).alias(sch.ROW_ID),
                          F.coalesce(F.col("p.parent"), F.col("e.parent")).alias("parent"),
                          F.col("p.parent").isNotNull().alias("moved")).localCheckpoint()
        if links.where("moved").isEmpty():
            break
        links = links.drop("moved")
    return links.select(sch.ROW_ID, F.col("parent").alias(sch.STORY_ID))


def with_stories(records: DataFrame, links: DataFrame) -> DataFrame:
    """``records`` with ``story_id``: the linked story, else the record opens its own."""
    from pyspark.sql import functions as F

    return (records.join(links.withColumnRenamed(sch.STORY_ID, "linked"), sch.ROW_ID, "left")
            .withColumn(sch.STORY_ID, F.coalesce("linked", sch.ROW_ID)).drop("linked"))


# -- the job (driver) -----------------------------------------------------------------------------


def _read_rdd(sc: SparkContext, files: list[InputFile], prefilter: PreFilter) -> RDD:
    parts = []
    local = [(f, None) for f in files if f.local]
    if local:
        slices = max(1, min(len(local), MAX_READ_SLICES))
        parts.append(sc.parallelize(local, slices))
    remote = [f for f in files if not f.local]
    if remote:
        by_name = sc.broadcast({f.path: f for f in remote})
        names = ",".join(f.path.replace(",", "\\,") for f in remote)
        parts.append(sc.binaryFiles(names, minPartitions=max(1, min(len(remote), MAX_READ_SLICES)))
                     .map(lambda pair: (by_name.value[pair[0]], pair[1])))
    if not parts:
        return sc.parallelize([], 1).mapPartitions(partial(read_partition, prefilter=prefilter))
    rdd = parts[0] if len(parts) == 1 else sc.union(parts)
    return rdd.mapPartitions(partial(read_partition, prefilter=prefilter))


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
    """Read, pre-filter, extract, group into stories and write ``out``; returns what each stage counted."""
    from pyspark import StorageLevel
    from pyspark.sql import functions as F

    prefilter = prefilter if prefilter is not None else PreFilter.from_config()
    seconds: dict[str, float] = {}
    started = time.perf_counter()
    files = plan_inputs(spark, inputs, via_hadoop=via_hadoop)
    sc = spark.sparkContext
    documents = _read_rdd(sc, files, prefilter)
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
    # Eight independent jobs on one cached frame: run them side by side, so that their fixed
    # scheduling and commit latencies overlap instead of adding up.
    with ThreadPoolExecutor(max_workers=WRITE_THREADS) as pool:
        done = [pool.submit(_write, table.select(*[c.name for c in sch.table_columns(name)]), f"{base}/{name}")
                for name, table in tables.items()]
        for future in done:
            future.result()
    seconds["write"] = time.perf_counter() - mark
    seconds["total"] = time.perf_counter() - started
    report = JobReport(out=out, files=len(files), counts=counts, stories=story_count, examples=examples,
                       seconds=seconds)
    spark.createDataFrame([(json.dumps(report.as_dict(), ensure_ascii=False),)], "value string") \
        .coalesce(1).write.mode("overwrite").text(f"{base}/{REPORT}")
    final.unpersist()
    return report


def _write(frame: DataFrame, path: str) -> None:
    frame.sortWithinPartitions(sch.YEAR, sch.MONTH, sch.ROW_ID).write.mode("overwrite") \
        .partitionBy(*sch.PARTITIONS).parquet(path)


def main() -> None:
    """Entry point for ``spark-submit .../pantau/spark/job.py INPUT... --out DIR``."""
    import typer

    from pantau.spark.cli import spark_command

    app = typer.Typer(add_completion=False)
    app.command()(spark_command)
    app()


if __name__ == "__main__":
    main()
