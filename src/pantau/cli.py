"""The ``pantau`` command line."""

from __future__ import annotations

import gc
import json
import logging
import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from pathlib import Path
from typing import IO, TYPE_CHECKING, Annotated, Any

import typer
from rich.console import Console
from rich.markup import escape

from pantau import __version__
from pantau.incidents.cli import register as register_incidents
from pantau.ner.cli import register as register_ner
from pantau.spark.cli import register as register_spark
from pantau.watch.cli import register as register_watch

if TYPE_CHECKING:  # the pipeline, the record model, the readers and the evaluator load when a command needs them
    import socket

    from rich.progress import Progress

    from pantau.evaluate import Report
    from pantau.ingest.document import Skipped
    from pantau.record import Article

app = typer.Typer(
    name="pantau",
    help="pantau: berita penegakan hukum Indonesia menjadi data terstruktur "
         "(Indonesian law-enforcement news into structured records).",
    no_args_is_help=True,
    add_completion=False,
    rich_markup_mode="rich",
)
err = Console(stderr=True)
out = Console()

Paths = Annotated[list[str], typer.Argument(help="Files, directories, .gz, .jsonl corpora, or - for stdin.")]


def _version(value: bool) -> None:
    if value:
        out.print(f"pantau {__version__}")
        raise typer.Exit()


@app.callback()
def _main(
    verbose: Annotated[bool, typer.Option("--verbose", "-v", help="Log details to stderr.")] = False,
    version: Annotated[bool, typer.Option("--version", callback=_version, is_eager=True,
                                          help="Print the version.")] = False,
) -> None:
    logging.basicConfig(level=logging.DEBUG if verbose else logging.WARNING,
                        format="%(levelname)s %(name)s: %(message)s", stream=sys.stderr)


def _require(paths: list[str]) -> None:
    from pantau.ingest.readers import InputNotFound, check_paths

    try:
        check_paths(paths)
    except InputNotFound as error:
        err.print("[red]error:[/] " + escape(str(error)), soft_wrap=True)
        raise typer.Exit(2) from None


@contextmanager
def _progress(label: str) -> Iterator[Progress | None]:
    if not err.is_terminal:
        yield None
        return
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

    progress = Progress(SpinnerColumn(), TextColumn(label), BarColumn(), MofNCompleteColumn(),
                        TextColumn("{task.fields[skipped]} skipped"), TimeElapsedColumn(),
                        console=err, transient=True)
    with progress:
        yield progress


def _extracted(paths: list[str], label: str) -> Iterator[Article | Skipped]:
    """Records in input order, with a progress bar on a terminal and a warning for each skip."""
    global _quick_exit
    _quick_exit = True
    collecting = gc.isenabled()
    if _executable and collecting:  # see main: no collection while the start-up allocates
        gc.disable()
    from pantau.ingest.document import Skipped
    from pantau.ingest.readers import read_inputs
    from pantau.pipeline import BATCH, process_all, settle  # spaCy and the vocabularies: loaded when extracting


    with _progress(label) as progress:
        task = progress.add_task(label, total=None, skipped=0) if progress else None
        skipped = 0
        # a stream on stdin may come one document at a time (a pipe from a live feed): each is written as it
        # arrives, not once the next ones have come to make up a batch
        for item in process_all(read_inputs(paths), batch=1 if "-" in paths else BATCH):
            if isinstance(item, Skipped):
                skipped += 1
                err.print("[yellow]skipped[/] " + escape(f"{item.source}: {item.reason}"), highlight=False,
                          soft_wrap=True)
            elif item.extraction_errors:  # the record stands, without the failed extractors' fields
                err.print("[yellow]partial[/] " + escape(f"{item.source}: " + "; ".join(item.extraction_errors)),
                          highlight=False, soft_wrap=True)
            if progress is not None and task is not None:
                progress.update(task, advance=1, skipped=skipped)
            if _executable and collecting and not gc.isenabled():  # the first article is done: all loaded
                settle()  # what start-up loaded stays for the process: no later collection walks it again
                gc.enable()
            yield item


def _summary(ok: int, skipped: int) -> None:
    err.print(f"[green]{ok} ok[/], [yellow]{skipped} skipped[/]")


@app.command()
def extract(
    paths: Paths,
    output_format: Annotated[str, typer.Option("--format", "-f", help="jsonl (one record a line) or json.")]
    = "jsonl",
    output: Annotated[Path | None, typer.Option("--output", "-o", help="Write here instead of stdout.")]
    = None,
) -> None:
    """Extract one record per article (ekstrak satu rekaman per artikel), streaming, in input order."""
    if output_format not in ("jsonl", "json"):
        err.print(f"[red]error:[/] unknown format {output_format!r}: use jsonl or json")
        raise typer.Exit(2)
    from pantau.ingest.document import Skipped

    _require(paths)
    ok = skipped = 0
    stream: IO[str] = output.open("w", encoding="utf-8") if output else sys.stdout
    try:
        if output_format == "json":
            stream.write("[")
        for item in _extracted(paths, "extract"):
            if isinstance(item, Skipped):
                skipped += 1
                continue
            line = item.to_json()
            if output_format == "json":
                stream.write(("," if ok else "") + "\n" + line)
            else:
                stream.write(line + "\n")
            ok += 1
    finally:
        if output_format == "json":
            stream.write("\n]\n")  # even when interrupted: the records written so far stay a valid JSON array
        if output:
            stream.close()
        else:
            stream.flush()
    _summary(ok, skipped)
    if ok == 0 and skipped:
        raise typer.Exit(1)


@app.command()
def schema() -> None:
    """Print the JSON schema of the article record (skema rekaman artikel)."""
    from pantau.record import article_json_schema_text

    out.print_json(article_json_schema_text())


def _fmt(value: float | None) -> str:
    return "–" if value is None else f"{value:.3f}"


def _print_report(report: Report, max_failures: int) -> None:
    from rich.table import Table

    table = Table(title="pantau eval", show_lines=False)
    for column in ("field", "n", "precision", "recall", "F1 / accuracy"):
        table.add_column(column, justify="left" if column == "field" else "right")
    for name, score in report.scores.items():
        style = "green" if score.passed else "red"
        if score.kind == "accuracy":
            table.add_row(f"[{style}]{name}[/]", f"{score.correct}/{score.total}", "", "", _fmt(score.accuracy))
        else:
            table.add_row(f"[{style}]{name}[/]", f"{score.tp}/{score.tp + score.fn}", _fmt(score.precision),
                          _fmt(score.recall), _fmt(score.f1))
    out.print(table)
    if report.missing_documents:
        out.print(f"[red]missing documents:[/] {', '.join(report.missing_documents)}")
    if report.failures:
        out.print(f"[bold]{len(report.failures)} failing checks[/]")
        for failure in report.failures[:max_failures]:
            out.print(f"  {failure.doc_id} [cyan]{failure.field}[/]: expected {failure.expected!r}, "
                      f"got {failure.got!r}", highlight=False, soft_wrap=True)
        if len(report.failures) > max_failures:
            out.print(f"  … {len(report.failures) - max_failures} more (use --json for all)")


@app.command(name="eval")
def eval_command(
    gold: Annotated[Path, typer.Argument(help="Gold file, in the format of seeds/gold.json.")],
    paths: Paths,
    as_json: Annotated[bool, typer.Option("--json", help="Print the report as JSON.")] = False,
    max_failures: Annotated[int, typer.Option(help="Failing checks to list.")] = 50,
    strict: Annotated[bool, typer.Option(help="Exit 1 when any check fails.")] = False,
) -> None:
    """Score extraction against a gold file (nilai hasil ekstraksi terhadap berkas gold)."""
    from pantau.evaluate import doc_key, evaluate, load_gold
    from pantau.record import Article

    _require([str(gold), *paths])
    try:
        expected = load_gold(gold)
    except (ValueError, json.JSONDecodeError) as error:
        err.print("[red]error:[/] " + escape(f"cannot read gold file {gold}: {error}"))
        raise typer.Exit(2) from None
    articles = {doc_key(item.id): item for item in _extracted(paths, "eval") if isinstance(item, Article)}
    report = evaluate(expected, articles)
    if as_json:
        out.print_json(json.dumps(report.as_dict(), ensure_ascii=False, default=list))
    else:
        _print_report(report, max_failures)
    if strict and (report.failures or report.missing_documents):
        raise typer.Exit(1)


Db = Annotated[str | None, typer.Option("--db", envvar="PANTAU_DB",
                                         help="Database: SQLite path or URL, or postgresql://... (default pantau.db).")]


def _filters(province: str | None, regency: str | None, topic: str | None, substance: str | None,
             since: str | None, until: str | None, outlet: str | None = None):  # type: ignore[no-untyped-def]
    from pantau.store.queries import Filters

    for label, value in (("--since", since), ("--until", until)):
        if value is not None and not _is_iso_date(value):
            err.print(f"[red]error:[/] {label} takes a date as YYYY-MM-DD (or YYYY-MM), got {value!r}")
            raise typer.Exit(2)
    return Filters(province=province, regency=regency, topic=topic, substance=substance, since=since,
                   until=until, outlet=outlet)


def _is_iso_date(value: str) -> bool:
    import re

    return re.fullmatch(r"\d{4}(-\d{2}(-\d{2})?)?", value) is not None


Province = Annotated[str | None, typer.Option(help="Kemendagri province code, e.g. 16.")]
Regency = Annotated[str | None, typer.Option(help="Kemendagri regency/city code, e.g. 16.07.")]
Topic = Annotated[str | None, typer.Option(help="Topic key, e.g. drugs.")]
Substance = Annotated[str | None, typer.Option(help="Substance key, e.g. methamphetamine.")]
Since = Annotated[str | None, typer.Option(help="From this date (YYYY-MM-DD).")]
Until = Annotated[str | None, typer.Option(help="Up to this date (YYYY-MM-DD).")]


@app.command()
def ingest(
    paths: Paths,
    db: Db = None,
    batch_size: Annotated[int, typer.Option(
        min=1, help="Articles per transaction; a batch reads its candidate incidents once, so a larger one costs "
                    "the writer less an article.")] = 500,
    workers: Annotated[int | None, typer.Option(help="Extraction processes (default: 2 or the cores).")] = None,
    threshold: Annotated[float | None, typer.Option(help="Story similarity threshold (Jaccard).")] = None,
) -> None:
    """Extract and store articles (ekstrak dan simpan); re-running adds no duplicates."""
    from pantau.store.ingest import ingest as run_ingest
    from pantau.store.stories import DEFAULT_THRESHOLD

    _require(paths)
    with _progress("ingest") as progress:
        task = progress.add_task("ingest", total=None, skipped=0) if progress else None

        def on_batch(summary):  # type: ignore[no-untyped-def]
            if progress is not None and task is not None:
                skipped = summary.counts["skipped"] + summary.counts["failed"]
                progress.update(task, completed=summary.processed, skipped=skipped)

        summary = run_ingest(paths, db, batch_size=batch_size, workers=workers,
                             threshold=threshold or DEFAULT_THRESHOLD, on_batch=on_batch)
    for source, reason in summary.failures:
        err.print("[red]failed[/] " + escape(f"{source}: {reason}"), highlight=False, soft_wrap=True)
    counts = summary.counts
    err.print(f"[green]{counts['ok']} new[/], {counts['updated']} updated, {counts['unchanged']} unchanged, "
              f"[yellow]{counts['skipped']} skipped[/], [red]{counts['failed']} failed[/] (run {summary.run_id})")
    if summary.processed and counts["ok"] + counts["updated"] + counts["unchanged"] == 0:
        raise typer.Exit(1)


def _styled_snippet(snippet: str) -> str:
    from pantau.store.search import HIGHLIGHT_END, HIGHLIGHT_START

    return escape(snippet).replace(HIGHLIGHT_START, "[bold yellow]").replace(HIGHLIGHT_END, "[/]")


@app.command()
def search(
    query: Annotated[str, typer.Argument(help="Words to find in title and body.")],
    db: Db = None, province: Province = None, regency: Regency = None, topic: Topic = None,
    substance: Substance = None, since: Since = None, until: Until = None,
    limit: Annotated[int, typer.Option(min=1, max=1000)] = 20,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """Full-text search of stored articles (cari artikel), ranked, with highlighted snippets."""
    from pantau.store.db import open_store
    from pantau.store.search import HIGHLIGHT_END, HIGHLIGHT_START
    from pantau.store.search import search as run_search

    filters = _filters(province, regency, topic, substance, since, until)
    engine = open_store(db)
    with engine.connect() as conn:
        hits = run_search(conn, query, filters, limit)
    if as_json:
        rows = [h.as_dict() | {"snippet": h.snippet.replace(HIGHLIGHT_START, "").replace(HIGHLIGHT_END, "")}
                for h in hits]
        out.print_json(json.dumps(rows, ensure_ascii=False))
        return
    if not hits:
        err.print("no articles found")
        return
    for hit in hits:
        out.print(f"[bold]{escape_markup(hit.title or '(tanpa judul)')}[/]  [dim]{hit.record_id} · "
                  f"{escape_markup(hit.outlet or '-')} · {hit.date or '-'}[/]", highlight=False)
        out.print("  " + _styled_snippet(" ".join(hit.snippet.split())), highlight=False)


def escape_markup(value: str) -> str:
    from rich.markup import escape

    return escape(value)


@app.command()
def stats(
    by: Annotated[str, typer.Option(help="province, regency, month, substance, outlet or topic.")] = "province",
    db: Db = None, province: Province = None, regency: Regency = None, topic: Topic = None,
    substance: Substance = None, since: Since = None, until: Until = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
    as_csv: Annotated[bool, typer.Option("--csv", help="Print CSV.")] = False,
) -> None:
    """Aggregates (rekap): articles, stories, incidents, seizures, cases and suspects per group; an incident
    (one event, however many outlets reported it) counts once."""
    from pantau.store.db import open_store
    from pantau.store.queries import GROUPINGS, aggregate

    if by not in GROUPINGS:
        err.print(f"[red]error:[/] --by takes one of {', '.join(GROUPINGS)}, got {by!r}")
        raise typer.Exit(2)
    filters = _filters(province, regency, topic, substance, since, until)
    engine = open_store(db)
    with engine.connect() as conn:
        groups = aggregate(conn, by, filters)
    if as_json:
        out.print_json(json.dumps([g.as_dict() for g in groups], ensure_ascii=False))
        return
    if as_csv:
        import csv

        writer = csv.writer(sys.stdout)
        writer.writerow([by, "label", "articles", "stories", "incidents", "substance", "unit", "total", "cases",
                         "suspects"])
        for g in groups:
            for (sub, unit), total in sorted(g.seizures.items()) or [(("", ""), "")]:
                writer.writerow([g.key, g.label, g.articles, g.stories, g.incidents, sub, unit, total, g.cases,
                                 g.suspects])
        return
    from rich.table import Table

    table = Table(title=f"pantau stats --by {by}")
    seized_column = "seizures (once per incident)"
    for column in (by, "articles", "stories", "incidents", seized_column, "cases", "suspects"):
        table.add_column(column, justify="left" if column in (by, seized_column) else "right")
    for g in groups:
        seized = "\n".join(f"{sub}: {total:,.6g} {unit}" for (sub, unit), total in sorted(g.seizures.items()))
        label = g.label if g.label == g.key else f"{g.label} ({g.key})"
        table.add_row(escape_markup(label), str(g.articles), str(g.stories), str(g.incidents), escape_markup(seized),
                      f"{g.cases:,.0f}", f"{g.suspects:,.0f}")
    out.print(table)


@app.command()
def export(
    table_name: Annotated[str, typer.Argument(metavar="TABLE", help="articles, people, seizures, ..., provinces")],
    output_format: Annotated[str, typer.Option("--format", "-f", help="csv, jsonl, parquet or geojson.")] = "csv",
    output: Annotated[Path | None, typer.Option("--output", "-o", help="File to write (stdout for csv/jsonl).")]
    = None,
    db: Db = None,
) -> None:
    """Export a table (ekspor tabel) as CSV, JSON Lines or Parquet; `provinces --format geojson` for the map."""
    from pantau.store.db import open_store
    from pantau.store.export import FORMATS, export_geojson, export_table
    from pantau.store.schema import EXPORTABLE

    if output_format == "geojson":
        if table_name != "provinces":
            err.print("[red]error:[/] --format geojson exports per-province aggregates: use TABLE 'provinces'")
            raise typer.Exit(2)
        engine = open_store(db)
        with engine.connect() as conn:
            if output is None:
                count = export_geojson(conn, sys.stdout)
            else:
                with output.open("w", encoding="utf-8") as stream:
                    count = export_geojson(conn, stream)
        err.print(f"{count} province features exported")
        return
    if table_name not in EXPORTABLE:
        err.print(f"[red]error:[/] unknown table {table_name!r}: use one of {', '.join(sorted(EXPORTABLE))}")
        raise typer.Exit(2)
    if output_format not in FORMATS:
        err.print(f"[red]error:[/] unknown format {output_format!r}: use one of {', '.join(FORMATS)}")
        raise typer.Exit(2)
    if output_format == "parquet" and output is None:
        err.print("[red]error:[/] parquet needs --output FILE")
        raise typer.Exit(2)
    engine = open_store(db)
    with engine.connect() as conn:
        if output is None:
            count = export_table(conn, table_name, output_format, sys.stdout)
        else:
            mode = "wb" if output_format == "parquet" else "w"
            with output.open(mode, **({} if mode == "wb" else {"encoding": "utf-8", "newline": ""})) as stream:
                count = export_table(conn, table_name, output_format, stream)
    err.print(f"{count} rows exported from {table_name}")


@app.command()
def serve(
    db: Db = None,
    host: Annotated[str, typer.Option(help="Address to bind (127.0.0.1: this machine only).")] = "127.0.0.1",
    port: Annotated[int, typer.Option(min=1, max=65535)] = 8000,
    workers: Annotated[int, typer.Option(min=1, max=64, help="Server processes (one per core).")] = 1,
    index: Annotated[bool, typer.Option("--index/--no-index", help="Keep an in-memory facet index of the store "
                                        "(fast counts and aggregates; ~1.4 KB an article per process).")] = True,
) -> None:
    """Serve the REST API and the dashboard (jalankan dasbor), read-only over the database."""
    import os

    import uvicorn

    from pantau.api.app import create_app
    from pantau.store.db import database_url, open_store

    os.environ["PANTAU_INDEX"] = "1" if index else "0"
    err.print(f"pantau: dasbor di http://{host}:{port}/  ·  API di http://{host}:{port}/docs"
              + ("  (indeks dimuat dulu / loading the index first)" if index else ""))
    if workers == 1:
        uvicorn.run(create_app(db, index=index), host=host, port=port, log_level="warning")
        return
    open_store(db).dispose()  # migrate once, before the workers start
    os.environ["PANTAU_DB"] = database_url(db)
    from uvicorn.supervisors import Multiprocess

    config = uvicorn.Config("pantau.api.app:app_from_environment", factory=True, host=host, port=port,
                            workers=workers, log_level="warning")
    Multiprocess(config, sockets=[tcp_listener(config)]).run()


def tcp_listener(config: Any) -> socket.socket:
    """The workers' shared listening socket, known to be TCP.

    uvicorn creates it without a protocol number, so asyncio does not see its connections as TCP and
    leaves Nagle's algorithm on: every keep-alive response then waits ~40 ms for the client's delayed
    ACK. Re-wrapping the descriptor lets Python read the protocol back (IPPROTO_TCP), and asyncio
    sets TCP_NODELAY on each accepted connection, as it does for a single-process server.
    """
    import socket

    listener = socket.socket(fileno=config.bind_socket().detach())
    listener.set_inheritable(True)
    return listener


@app.command()
def demo(
    db: Annotated[str, typer.Option("--db", help="SQLite file for the demo.")] = "pantau-demo.db",
    host: Annotated[str, typer.Option()] = "127.0.0.1",
    port: Annotated[int, typer.Option(min=1, max=65535)] = 8000,
    no_serve: Annotated[bool, typer.Option("--no-serve", help="Ingest only, do not start the dashboard.")] = False,
) -> None:
    """Ingest the bundled demo corpus and start the dashboard (demo)."""
    from importlib import resources

    from pantau.store.ingest import ingest as run_ingest

    data = resources.files("pantau.data")
    # the founding articles, and 411 articles written for the project by fictional outlets over 15 months:
    # rewrites of one event by several outlets, a spike, a viral video, a record seizure
    inputs = [str(data.joinpath("samples")), str(data.joinpath("demo").joinpath("articles.jsonl"))]
    summary = run_ingest(inputs, db)
    counts = summary.counts
    err.print(f"demo: {counts['ok']} new, {counts['unchanged']} unchanged articles in {db}")
    if not no_serve:
        serve(db=db, host=host, port=port)


register_ner(app)
register_spark(app)
register_incidents(app)
register_watch(app)


# Set by a command that loaded the extraction pipeline (spaCy, the lexicon, the vocabularies): ``main`` then ends the
# process without tearing those objects down one by one, which took about a tenth of a second of a one-article
# ``pantau extract``.
_quick_exit = False
# Set by ``main``: the process is the ``pantau`` executable, not a test invoking ``app``. A command that extracts then
# pauses the garbage collector while it imports spaCy and builds the vocabularies and the lexicon for the first
# article (over a hundred thousand objects, none of them garbage: its collections cost about 0.1 s of CPU of a
# one-article run), and
# freezes what that loaded before collecting again.
_executable = False


def main() -> None:
    """The ``pantau`` executable. After a command that extracted, the output is flushed and logging shut down, and
    the process ends with the command's exit status straight away (``os._exit``): nothing else is left to do but
    free memory the system takes back anyway. ``app`` itself (as tests invoke it) always returns normally."""
    global _executable
    _executable = True
    try:
        app()
    except SystemExit as done:
        if not _quick_exit or not (done.code is None or isinstance(done.code, int)):
            raise
        code = done.code or 0
    else:  # app() ends in sys.exit: not reached, unless typer changes
        if not _quick_exit:
            return
        code = 0
    for stream in (sys.stdout, sys.stderr):
        with suppress(OSError, ValueError):  # a closed pipe: nothing left to write to
            stream.flush()
    logging.shutdown()
    os._exit(code)


if __name__ == "__main__":
    main()
