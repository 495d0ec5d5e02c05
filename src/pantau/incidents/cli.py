"""``pantau eval-incidents``: incident grouping scored against hand-labelled groups, on the command line.

``register(app)`` adds the command to the ``pantau`` Typer app.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.markup import escape
from rich.table import Table

from pantau.incidents.evaluate import GroupingReport, evaluate_grouping, load_labels
from pantau.ingest.document import Skipped
from pantau.ingest.readers import InputNotFound, check_paths, read_inputs
from pantau.pipeline import process_all
from pantau.record import Article

err = Console(stderr=True)
out = Console()


def _print(report: GroupingReport, examples: int) -> None:
    table = Table(title="pantau eval-incidents")
    table.add_column("measure")
    table.add_column("value", justify="right")
    rows = [("labelled articles", str(report.articles)), ("labelled incidents", str(report.incidents)),
            ("pairwise precision", f"{report.precision:.3f} ({report.pairs_correct}/{report.pairs_predicted})"),
            ("pairwise recall", f"{report.recall:.3f} ({report.pairs_correct}/{report.pairs_true})"),
            ("B-cubed precision", f"{report.bcubed_precision:.3f}"), ("B-cubed recall", f"{report.bcubed_recall:.3f}"),
            ("B-cubed F1", f"{report.bcubed_f1:.3f}"),
            ("hard negatives joined", f"{len(report.hard_negatives_joined)}/{report.hard_negatives}")]
    for name, value in rows:
        table.add_row(name, value)
    out.print(table)
    for title, pairs in (("wrongly joined", report.false_joins), ("missed", report.missed_joins)):
        if pairs:
            shown = ", ".join(f"{a}+{b}" for a, b in pairs[:examples])
            more = f" … {len(pairs) - examples} more (--json)" if len(pairs) > examples else ""
            out.print(f"[bold]{title}:[/] " + escape(shown) + more, soft_wrap=True, highlight=False)


def register(app: typer.Typer) -> None:
    @app.command(name="eval-incidents")
    def eval_incidents(
        labels: Annotated[Path, typer.Argument(help="Incident labels (bench/incidents/labels.json format).")],
        paths: Annotated[list[str] | None, typer.Argument(
            help="Articles to group (default: the label file's 'sources', relative to the current directory).",
            show_default=False)] = None,
        as_json: Annotated[bool, typer.Option("--json", help="Print the report as JSON.")] = False,
        examples: Annotated[int, typer.Option(help="Wrong and missed pairs to list.")] = 10,
    ) -> None:
        """Score incident grouping against labelled groups (nilai pengelompokan insiden)."""
        try:
            data = load_labels(labels)
        except (OSError, ValueError) as error:
            err.print("[red]error:[/] " + escape(f"cannot read labels {labels}: {error}"))
            raise typer.Exit(2) from None
        inputs = list(paths or data.get("sources", {}).values())
        if not inputs:
            err.print("[red]error:[/] no articles: give paths, or 'sources' in the label file")
            raise typer.Exit(2)
        try:
            check_paths(inputs)
        except InputNotFound as error:
            err.print("[red]error:[/] " + escape(str(error)), soft_wrap=True)
            raise typer.Exit(2) from None
        articles = [item for item in process_all(read_inputs(inputs)) if not isinstance(item, Skipped)]
        try:
            report = evaluate_grouping(data, [a for a in articles if isinstance(a, Article)])
        except ValueError as error:
            err.print("[red]error:[/] " + escape(str(error)), soft_wrap=True)
            raise typer.Exit(2) from None
        if as_json:
            out.print_json(json.dumps(report.to_json(), ensure_ascii=False))
        else:
            _print(report, examples)
