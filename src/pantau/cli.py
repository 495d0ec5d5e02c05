"""The ``pantau`` command line."""

from __future__ import annotations

import json
import logging
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO, Annotated

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, SpinnerColumn, TextColumn, TimeElapsedColumn
from rich.table import Table

from pantau import __version__
from pantau.evaluate import Report, doc_key, evaluate, load_gold
from pantau.ingest.document import Skipped
from pantau.ingest.readers import InputNotFound, check_paths, read_inputs
from pantau.pipeline import process_all
from pantau.record import Article, article_json_schema_text

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
    try:
        check_paths(paths)
    except InputNotFound as error:
        err.print(f"[red]error:[/] {error}")
        raise typer.Exit(2) from None


@contextmanager
def _progress(label: str) -> Iterator[Progress | None]:
    if not err.is_terminal:
        yield None
        return
    progress = Progress(SpinnerColumn(), TextColumn(label), BarColumn(), MofNCompleteColumn(),
                        TextColumn("{task.fields[skipped]} skipped"), TimeElapsedColumn(),
                        console=err, transient=True)
    with progress:
        yield progress


def _extracted(paths: list[str], label: str) -> Iterator[Article | Skipped]:
    """Records in input order, with a progress bar on a terminal and a warning for each skip."""
    with _progress(label) as progress:
        task = progress.add_task(label, total=None, skipped=0) if progress else None
        skipped = 0
        for item in process_all(read_inputs(paths)):
            if isinstance(item, Skipped):
                skipped += 1
                err.print(f"[yellow]skipped[/] {item.source}: {item.reason}", highlight=False, soft_wrap=True)
            if progress is not None and task is not None:
                progress.update(task, advance=1, skipped=skipped)
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
        if output_format == "json":
            stream.write("\n]\n")
    finally:
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
    out.print_json(article_json_schema_text())


def _fmt(value: float | None) -> str:
    return "–" if value is None else f"{value:.3f}"


def _print_report(report: Report, max_failures: int) -> None:
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
    _require([str(gold), *paths])
    try:
        expected = load_gold(gold)
    except (ValueError, json.JSONDecodeError) as error:
        err.print(f"[red]error:[/] cannot read gold file {gold}: {error}")
        raise typer.Exit(2) from None
    articles = {doc_key(item.id): item for item in _extracted(paths, "eval") if isinstance(item, Article)}
    report = evaluate(expected, articles)
    if as_json:
        out.print_json(json.dumps(report.as_dict(), ensure_ascii=False, default=list))
    else:
        _print_report(report, max_failures)
    if strict and (report.failures or report.missing_documents):
        raise typer.Exit(1)


def main() -> None:
    app()


if __name__ == "__main__":
    main()
