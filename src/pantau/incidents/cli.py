"""Incidents and alerts on the command line: ``pantau incidents``, ``pantau alerts``, ``pantau eval-incidents``.

``register(app)`` adds the commands to the ``pantau`` Typer app; store modules are imported when a
command runs.
"""

from __future__ import annotations

import datetime
import json
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.console import Console
from rich.markup import escape
from rich.table import Table

if TYPE_CHECKING:
    from pantau.incidents.evaluate import GroupingReport

err = Console(stderr=True)
out = Console()


def _print_incident(found: dict) -> None:  # type: ignore[type-arg]
    out.print(f"[bold]#{found['id']}[/] " + escape(found["title"] or "-"), highlight=False)
    out.print(escape(f"{found['type']} · {found['date_first'] or '-'} … {found['date_last'] or '-'} · "
                     f"{found['regency'] or found['province'] or '-'} · {found['articles']} articles, "
                     f"{found['outlets']} outlets"), highlight=False)
    for seizure in found["facts"].get("seizures", []):
        low, high = seizure["min"], seizure["max"]
        spread = "" if low == high else f" (articles say {low:,.6g}-{high:,.6g})"
        out.print(escape(f"  seized: {seizure['substance']} {seizure['quantity']:,.6g} {seizure['unit']}{spread}"),
                  highlight=False)
    for item in found["timeline"]:
        out.print(escape(f"  {item['date'] or '-'}  {item['outlet'] or '-'}: {item['title'] or item['id']}"
                         f"  [{item['role']}] {item['note'] or ''}"), highlight=False, soft_wrap=True)


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


Db = Annotated[str | None, typer.Option("--db", envvar="PANTAU_DB",
                                         help="Database: SQLite path or URL, or postgresql://... (default pantau.db).")]


def _date(value: str | None, option: str) -> str | None:
    if value is None:
        return None
    try:
        datetime.date.fromisoformat(value)
    except ValueError:
        err.print(f"[red]error:[/] {option} takes a date as YYYY-MM-DD, got {escape(repr(value))}")
        raise typer.Exit(2) from None
    return value


def register(app: typer.Typer) -> None:
    @app.command()
    def incidents(
        db: Db = None,
        q: Annotated[str | None, typer.Option("--q", help="Full-text query over the incidents' articles.")] = None,
        province: Annotated[str | None, typer.Option(help="Province code, e.g. 16.")] = None,
        regency: Annotated[str | None, typer.Option(help="Regency code, e.g. 16.07.")] = None,
        substance: Annotated[str | None, typer.Option(help="Substance key, e.g. methamphetamine.")] = None,
        kind: Annotated[str | None, typer.Option("--type", help="seizure, arrest, raid, destruction, prison, "
                                                 "viral, clash or other.")] = None,
        since: Annotated[str | None, typer.Option(help="Events from YYYY-MM-DD.")] = None,
        until: Annotated[str | None, typer.Option(help="Events until YYYY-MM-DD.")] = None,
        limit: Annotated[int, typer.Option(min=1, max=1000)] = 20,
        show: Annotated[int | None, typer.Option(help="Show one incident with its articles.")] = None,
        as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
    ) -> None:
        """Incidents (insiden): one event counted once, however many outlets reported it."""
        from pantau.store.db import open_store
        from pantau.store.incident_reads import get_incident, list_incidents
        from pantau.store.queries import Filters

        filters = Filters(province=province, regency=regency, substance=substance,
                          since=_date(since, "--since"), until=_date(until, "--until"))
        engine = open_store(db)
        with engine.connect() as conn:
            if show is not None:
                found = get_incident(conn, show)
                if found is None:
                    err.print(f"[red]error:[/] no incident {show}")
                    raise typer.Exit(1)
                if as_json:
                    out.print_json(json.dumps(found, ensure_ascii=False, default=str))
                    return
                _print_incident(found)
                return
            page = list_incidents(conn, filters, q, kind, 1, limit)
        if as_json:
            out.print_json(json.dumps(page.as_dict(), ensure_ascii=False, default=str))
            return
        table = Table(title=f"pantau incidents ({page.total})")
        for column in ("id", "type", "date", "place", "articles", "outlets", "seizures", "title"):
            table.add_column(column, justify="right" if column in ("id", "articles", "outlets") else "left")
        for item in page.items:
            seized = "; ".join(f"{z['substance']} {z['quantity']:,.6g} {z['unit']}" for z in item["seizures"])
            table.add_row(str(item["id"]), item["type"], item["date_first"] or "-",
                          escape(item["regency"] or item["province"] or "-"), str(item["articles"]),
                          str(item["outlets"]), escape(seized), escape(item["title"] or "-"))
        out.print(table)

    @app.command()
    def alerts(
        db: Db = None,
        since: Annotated[str | None, typer.Option(help="Alerts evaluated from YYYY-MM-DD.")] = None,
        kind: Annotated[str | None, typer.Option(help="spike, new_ground, viral or record_seizure.")] = None,
        limit: Annotated[int, typer.Option(min=1, max=10_000)] = 50,
        as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
    ) -> None:
        """Early warnings (peringatan dini): spikes, new ground, viral incidents, record seizures."""
        from pantau.alerts.detectors import KINDS
        from pantau.store.alerts import list_alerts
        from pantau.store.db import open_store

        if kind is not None and kind not in KINDS:
            err.print(f"[red]error:[/] --kind takes one of {', '.join(KINDS)}")
            raise typer.Exit(2)
        day = _date(since, "--since")
        engine = open_store(db)
        with engine.connect() as conn:
            total, items = list_alerts(conn, datetime.date.fromisoformat(day) if day else None, kind, limit)
        if as_json:
            out.print_json(json.dumps({"total": total, "items": items}, ensure_ascii=False, default=str))
            return
        table = Table(title=f"pantau alerts ({total})")
        for column in ("kind", "period", "region", "why", "incidents"):
            table.add_column(column)
        for item in items:
            table.add_row(item["kind"], item["period"] or "-", item["region_code"] or item["province_code"] or "-",
                          escape(item["reason"]), ", ".join(str(i) for i in item["incident_ids"][:8]))
        out.print(table)


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
        from pantau.incidents.evaluate import evaluate_grouping, load_labels
        from pantau.ingest.document import Skipped
        from pantau.ingest.readers import InputNotFound, check_paths, read_inputs
        from pantau.pipeline import process_all
        from pantau.record import Article

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
