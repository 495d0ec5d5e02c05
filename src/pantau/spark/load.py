"""``pantau load DIR --db URL``: the Spark job's Parquet tables into a pantau store, idempotently.

The Parquet rows are turned back into :class:`pantau.record.Article` records (the child tables
rejoin their article by ``row_id``, in ``ordinal`` order) and written by the store's own batch writer
(:func:`pantau.store.ingest.write_batch`), exactly as ``pantau ingest`` writes them: articles are keyed
by URL, else content hash, so loading the same output again finds every article unchanged and adds
no rows (only the ingest log records the run). The MinHash signature comes from the Parquet file.

Records are written month partition by month partition, in ``row_id`` order within each (the order
the Spark job grouped stories in), so the store forms the same stories as the job's ``story_id``.
Only pyarrow is needed, not Spark: a store is one database, written from one machine. One month's
records are held in memory at a time.
"""

from __future__ import annotations

import uuid
from collections import defaultdict
from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from pantau.record import Article
from pantau.spark import schema as sch
from pantau.store.stories import DEFAULT_THRESHOLD, from_bytes
from pantau.store.writer import Extracted

if TYPE_CHECKING:
    import pyarrow.dataset as ds

    from pantau.store.ingest import IngestSummary

DEFAULT_BATCH = 500


class NotSparkOutput(FileNotFoundError):
    """The directory holds no ``articles`` table written by ``pantau spark``."""


def _dataset(directory: str, table: str) -> ds.Dataset | None:
    import pyarrow as pa
    import pyarrow.dataset as ds
    import pyarrow.fs as pafs

    # year/month stay strings ("2024", "03", "unknown"): no type inference on partition values
    partitioning = ds.partitioning(pa.schema([(sch.YEAR, pa.string()), (sch.MONTH, pa.string())]), flavor="hive")
    uri = directory.rstrip("/") + "/" + table
    scheme = urlsplit(uri).scheme
    if scheme in ("s3a", "s3n"):
        uri = "s3" + uri[len(scheme):]
    if scheme and len(scheme) > 1:
        filesystem, path = pafs.FileSystem.from_uri(uri)
    else:
        filesystem, path = pafs.LocalFileSystem(), uri
    info = filesystem.get_file_info(path)
    if info.type != pafs.FileType.Directory:
        return None
    return ds.dataset(path, format="parquet", partitioning=partitioning, filesystem=filesystem)


def _partitions(articles: ds.Dataset) -> list[tuple[str, str]]:
    table = articles.to_table(columns=list(sch.PARTITIONS))
    return sorted(set(zip(*(table.column(c).to_pylist() for c in sch.PARTITIONS), strict=True)))


def _children(dataset: ds.Dataset | None, year: str, month: str, fields: list[str]) -> dict[int, list[dict[str, Any]]]:
    import pyarrow.compute as pc

    grouped: dict[int, list[dict[str, Any]]] = defaultdict(list)
    if dataset is None:
        return grouped
    where = (pc.field(sch.YEAR) == year) & (pc.field(sch.MONTH) == month)
    table = dataset.to_table(columns=[sch.ROW_ID, sch.ORDINAL, *fields], filter=where)
    for row in table.sort_by([(sch.ROW_ID, "ascending"), (sch.ORDINAL, "ascending")]).to_pylist():
        grouped[row[sch.ROW_ID]].append({name: row[name] for name in fields})
    return grouped


def read_records(directory: str) -> Iterator[tuple[dict[str, Any], Article]]:
    """(articles row, rebuilt record) for every article of a ``pantau spark`` output, in load order.

    Raises :class:`NotSparkOutput` at once (not on first iteration) when there is no articles table.
    """
    articles = _dataset(directory, sch.ARTICLES)
    if articles is None:
        raise NotSparkOutput(f"no {sch.ARTICLES} table under {directory} (is it the --out of pantau spark?)")
    return _records(articles, {name: _dataset(directory, name) for name in sch.child_models()})


def _records(articles: ds.Dataset, children: dict[str, ds.Dataset | None]) -> Iterator[tuple[dict[str, Any], Article]]:
    import pyarrow.compute as pc

    own = [c.name for c in sch.article_fields()]
    columns = [c.name for c in sch.table_columns(sch.ARTICLES)]
    for year, month in _partitions(articles):
        where = (pc.field(sch.YEAR) == year) & (pc.field(sch.MONTH) == month)
        rows = articles.to_table(columns=columns, filter=where).sort_by(sch.ROW_ID).to_pylist()
        facts = {name: _children(children[name], year, month, [c.name for c in sch.model_columns(model)])
                 for name, model in sch.child_models().items()}
        for row in rows:
            data: dict[str, Any] = {name: row[name] for name in own}
            for name, grouped in facts.items():
                data[name] = grouped.get(row[sch.ROW_ID], [])
            yield row, Article.model_validate(data)


def load(directory: str, url: str | None = None, *, batch_size: int = DEFAULT_BATCH,
         threshold: float = DEFAULT_THRESHOLD,
         on_batch: Callable[[IngestSummary], None] | None = None) -> IngestSummary:
    """Write every record under ``directory`` into the store at ``url``; returns counts by status."""
    from pantau.ingest.document import Skipped
    from pantau.store.db import StatisticsKeeper, open_store, refresh_planner_statistics
    from pantau.store.ingest import IngestSummary, write_batch

    records = read_records(directory)  # a directory that is not Spark output fails before the store opens
    engine = open_store(url)
    summary = IngestSummary(run_id=uuid.uuid4().hex[:12])
    statistics = StatisticsKeeper(engine)
    try:
        batch: list[Extracted | Skipped] = []
        for row, article in records:
            batch.append(Extracted(article, from_bytes(row[sch.SIGNATURE])))
            if len(batch) >= batch_size:
                write_batch(engine, batch, summary.run_id, threshold, summary)
                statistics.wrote(len(batch))
                batch = []
                if on_batch is not None:
                    on_batch(summary)
        if batch:
            write_batch(engine, batch, summary.run_id, threshold, summary)
            if on_batch is not None:
                on_batch(summary)
        refresh_planner_statistics(engine)
    finally:
        engine.dispose()
    return summary
