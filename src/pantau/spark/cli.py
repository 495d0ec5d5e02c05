"""``pantau spark`` and ``pantau load``: the Spark job and the Parquet-to-store loader on the command line.

``register(app)`` adds both commands to the ``pantau`` Typer app. pyspark is imported only when
``pantau spark`` runs, so the rest of the CLI (and ``pantau load``) works without it. The command
depends on the job, never the other way round (spark-submit runs :mod:`pantau.spark.submit`).
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.markup import escape
from rich.table import Table

err = Console(stderr=True)

Inputs = Annotated[list[str], typer.Argument(
    help="WARC/WARC.gz files, JSON Lines corpora, text or HTML files, directories, globs; local paths or "
         "Hadoop URLs (s3a://, hdfs://, gs://).", show_default=False)]
Lists = list[str] | None
_LABELS = {
    "records": "records read", "bad": "bad records", "not_response": "not a response (request, metadata...)",
    "not_html": "not HTML", "http_status": "HTTP status not 2xx", "filtered_domain": "filtered by domain",
    "filtered_language": "filtered by language", "filtered_keyword": "filtered by keyword",
    "empty": "no article text", "failed": "extraction failed",
    "filtered_language_record": "filtered by the record's language", "extracted": "extracted",
}


def _conf(values: list[str] | None) -> dict[str, str]:
    conf: dict[str, str] = {}
    for value in values or []:
        key, sep, setting = value.partition("=")
        if not sep or not key.strip():
            err.print(f"[red]error:[/] --conf wants KEY=VALUE, got {value!r}")
            raise typer.Exit(2)
        conf[key.strip()] = setting.strip()
    return conf


def _print_report(report: dict[str, Any]) -> None:
    table = Table(title=f"pantau spark: {report['files']} files -> {report['out']}", title_justify="left")
    table.add_column("stage")
    table.add_column("count", justify="right")
    for key, label in _LABELS.items():
        table.add_row(label, str(report["counts"].get(key, 0)))
    table.add_row("stories", str(report["stories"]))
    table.add_row("incidents", str(report["incidents"]))
    err.print(table)
    for outcome, source, reason in report["examples"]:
        err.print(f"[yellow]{outcome}[/] " + escape(f"{source}: {reason}"), highlight=False, soft_wrap=True)
    timing = ", ".join(f"{k} {v:.1f} s" for k, v in report["seconds"].items())
    err.print(f"time: {timing}")


def spark_command(
    inputs: Inputs,
    out: Annotated[str, typer.Option("--out", "-o", help="Output directory (local path or Hadoop URL); "
                                     "its tables are replaced.", show_default=False)],
    master: Annotated[str | None, typer.Option(help="Spark master: local[N], spark://host:7077, yarn, "
                                               "k8s://... (default: spark-submit's, else local[*]).")] = None,
    keywords: Annotated[Lists, typer.Option(help="Keywords that make a page worth extracting (comma-separated, "
                                            "repeatable; replaces the shipped list; '' turns the check off).")]
    = None,
    domains: Annotated[Lists, typer.Option(help="Only these hosts and their subdomains (comma-separated, "
                                           "repeatable).")] = None,
    languages: Annotated[Lists, typer.Option(help="Languages to keep, ISO 639-1 (default: id; '' keeps all).")]
    = None,
    filter_file: Annotated[Path | None, typer.Option("--filter", help="Pre-filter vocabulary file "
                                                     "(default: the shipped data/spark_filter.toml).")] = None,
    partitions: Annotated[int | None, typer.Option(min=1, help="Extraction tasks (default: 3 per core).")]
    = None,
    threshold: Annotated[float | None, typer.Option(help="Story similarity threshold (Jaccard).")] = None,
    conf: Annotated[Lists, typer.Option("--conf", help="Spark setting KEY=VALUE (repeatable).")] = None,
) -> None:
    """Extract articles from crawls on Apache Spark into Parquet tables (ekstraksi di Spark)."""
    from pantau.ingest.readers import InputNotFound
    from pantau.spark.prefilter import PreFilter
    from pantau.store.stories import DEFAULT_THRESHOLD

    try:
        prefilter = PreFilter.from_config(filter_file, keywords=keywords, domains=domains, languages=languages)
    except (OSError, ValueError) as error:
        err.print(f"[red]error:[/] pre-filter: {error}")
        raise typer.Exit(2) from None
    settings = _conf(conf)
    try:
        import pyspark  # noqa: F401
    except ImportError:
        err.print("[red]error:[/] pyspark is not installed: pip install 'pyspark>=3.5,<5'")
        raise typer.Exit(2) from None
    from pyspark.sql import SparkSession

    from pantau.spark.job import run
    from pantau.spark.session import build_session

    existing = SparkSession.getActiveSession()
    spark = existing or build_session(master, conf=settings)
    try:
        report = run(spark, inputs, out, prefilter=prefilter, threshold=threshold or DEFAULT_THRESHOLD,
                     partitions=partitions)
    except InputNotFound as error:
        err.print(f"[red]error:[/] {error}")
        raise typer.Exit(2) from None
    finally:
        if existing is None:
            spark.stop()
    _print_report(report.as_dict())
    counts = report.counts
    if counts.get("extracted", 0) == 0 and counts.get("bad", 0) + counts.get("failed", 0) > 0:
        raise typer.Exit(1)


def load_command(
    directory: Annotated[str, typer.Argument(help="The --out directory of pantau spark.", show_default=False)],
    db: Annotated[str | None, typer.Option(help="Database URL or SQLite path (default: $PANTAU_DB, else "
                                           "pantau.db).")] = None,
    batch_size: Annotated[int, typer.Option(min=1, help="Articles per transaction.")] = 500,
    threshold: Annotated[float | None, typer.Option(help="Story similarity threshold (Jaccard).")] = None,
) -> None:
    """Load pantau spark's Parquet output into the store (muat ke basis data); re-running adds nothing."""
    from pantau.spark.load import NotSparkOutput, load
    from pantau.store.stories import DEFAULT_THRESHOLD

    try:
        summary = load(directory, db, batch_size=batch_size, threshold=threshold or DEFAULT_THRESHOLD)
    except NotSparkOutput as error:
        err.print(f"[red]error:[/] {error}")
        raise typer.Exit(2) from None
    counts = summary.counts
    err.print(f"[green]{counts['ok']} new[/], {counts['updated']} updated, {counts['unchanged']} unchanged "
              f"(run {summary.run_id})")


def register(app: typer.Typer) -> None:
    """Add ``spark`` and ``load`` to the ``pantau`` command line."""
    app.command(name="spark")(spark_command)
    app.command(name="load")(load_command)
