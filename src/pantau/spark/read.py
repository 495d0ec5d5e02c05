"""Listing and reading the inputs of ``pantau spark``: files in input order, records with their row ids.

Local paths are walked on the driver as ``pantau extract`` walks them; other URLs are listed through
Hadoop's FileSystem. Executors then read each file: local ones streamed, others through
``SparkContext.binaryFiles``; WARC records go through :mod:`pantau.spark.warc`, everything else
through :mod:`pantau.ingest.readers`, and the pre-filter drops pages before any shuffle. Every
partition ends with its tally (counts by outcome, examples of bad records), carried as data.
"""

from __future__ import annotations

import glob
import logging
import os
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from pantau.ingest.document import Document, Skipped
from pantau.ingest.readers import DEFAULT_MAX_BYTES, InputNotFound, read_inputs
from pantau.spark.prefilter import PreFilter
from pantau.spark.warc import BAD, HTML, is_warc, iter_warc

if TYPE_CHECKING:
    from pyspark import RDD, SparkContext
    from pyspark.sql import SparkSession

log = logging.getLogger(__name__)

# The report's counters, in pipeline order. Every record read ends in exactly one of the others.
RECORDS = "records"
OUTCOMES = ("bad", "not_response", "not_html", "http_status", "filtered_domain", "filtered_language",
            "filtered_keyword", "empty", "failed", "filtered_language_record", "extracted")
MAX_EXAMPLES = 50
POSITION_BITS = 40  # row_id = file index << 40 | position in the file (a byte offset below 1 TiB, or an index)
MAX_READ_SLICES = 4096
DOC, COUNTS = 0, 1  # kinds of the reading stage's items: a document, or a partition's tally


@dataclass(frozen=True, slots=True)
class InputFile:
    """One file to read: its place in input order, its name, and whether executors open it themselves."""

    index: int
    path: str
    warc: bool
    local: bool



def row_id(file_index: int, position: int) -> int:
    """A record's id in this output, ordered as the inputs were given (file, then place in the file)."""
    if position >= 1 << POSITION_BITS:
        raise ValueError(f"position {position} beyond {POSITION_BITS} bits")
    return (file_index << POSITION_BITS) | position



# -- listing (driver) --------------------------------------------------------------------------------------


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
                yield DOC, row_id(task.index, position), document
        except Exception as error:  # an unreadable file (permissions, I/O) loses itself, never the job
            log.exception("cannot read %s", task.path)
            counts[RECORDS] += 1
            counts[BAD] += 1
            if len(examples) < MAX_EXAMPLES:
                examples.append((BAD, task.path, f"cannot read: {type(error).__name__}: {error}"))
    yield COUNTS, dict(counts), examples, {}

def read_rdd(sc: SparkContext, files: list[InputFile], prefilter: PreFilter) -> RDD:
    """Documents passing ``prefilter`` and each partition's tally: local files parallelised by name (executors
    stream them), others through ``binaryFiles``."""
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
