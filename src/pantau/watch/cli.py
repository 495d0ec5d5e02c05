"""``pantau watch`` (collect continuously) and ``pantau sources`` (the collector's state) on the command line.

``register(app)`` adds both commands to the ``pantau`` Typer app; the collector's modules (httpx, the
store, the extraction pipeline) are imported when a command runs, so ``pantau --help`` stays fast.
"""

from __future__ import annotations

import json
import logging
import re
import signal
import threading
from pathlib import Path
from types import FrameType
from typing import TYPE_CHECKING, Annotated, Any

import typer
from rich.console import Console
from rich.markup import escape
from rich.table import Table

if TYPE_CHECKING:
    from pantau.watch.collect import RoundSummary
    from pantau.watch.sources import SourcesConfig

err = Console(stderr=True)
out = Console()
log = logging.getLogger("pantau.watch")

_DURATION = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*(s|m|h|d)?\s*$", re.I)
_UNITS = {"s": 1, "m": 60, "h": 3600, "d": 86400}


def parse_interval(value: str) -> float:
    """"10m", "90s", "1h", "1d" or a number of seconds, as seconds (at least 1)."""
    match = _DURATION.match(value)
    if not match:
        raise typer.BadParameter(f"{value!r} is not a duration like 90s, 10m, 1h or 1d")
    seconds = float(match.group(1)) * _UNITS[(match.group(2) or "s").lower()]
    if seconds < 1:
        raise typer.BadParameter("the interval must be at least 1 second")
    return seconds


class StopFlag:
    """SIGTERM or a first Ctrl-C asks the collector to stop after the page in hand; a second Ctrl-C
    interrupts at once."""

    def __init__(self) -> None:
        self.event = threading.Event()
        self._previous: dict[int, Any] = {}

    def __enter__(self) -> StopFlag:
        if threading.current_thread() is threading.main_thread():
            for number in (signal.SIGINT, signal.SIGTERM):
                self._previous[number] = signal.signal(number, self._handle)
        return self

    def __exit__(self, *exc_info: object) -> None:
        for number, handler in self._previous.items():
            signal.signal(number, handler)

    def _handle(self, number: int, _frame: FrameType | None) -> None:
        if self.event.is_set() and number == signal.SIGINT:
            raise KeyboardInterrupt
        self.event.set()
        err.print("[yellow]stopping after the pages in hand (Ctrl-C again to interrupt)[/]")


def _fail(message: str) -> typer.Exit:
    err.print(f"[red]error:[/] {escape(message)}")
    return typer.Exit(2)


def _load_sources(path: Path | None) -> SourcesConfig:
    """The sources file, or exit 2 naming what is wrong in it."""
    from pantau.watch.sources import SourcesError, load_sources

    try:
        return load_sources(path)
    except SourcesError as error:
        raise _fail(str(error)) from None


def _round_table(summary: RoundSummary) -> Table:
    table = Table(title=f"round {summary.number}", title_justify="left")
    for column in ("source", "listed", "discovered", "fetched", "new articles", "updated", "skipped", "forbidden",
                   "failed", "error"):
        table.add_column(column, justify="left" if column in ("source", "error") else "right",
                         overflow="fold" if column == "error" else "ellipsis")
    for key, result in sorted(summary.sources.items()):
        table.add_row(escape(key), *(str(value) for value in (
            result.seen, result.discovered, result.fetched, result.ingested, result.updated, result.skipped,
            result.forbidden, result.failed)), escape((result.error or "")[:300]))
    return table


def register(app: typer.Typer) -> None:
    @app.command()
    def watch(
        sources: Annotated[Path | None, typer.Option(help="Sources file (TOML); default: the bundled list of "
                                                     "Indonesian outlets and official channels.")] = None,
        db: Annotated[str | None, typer.Option(help="Database URL or SQLite path (default: $PANTAU_DB or "
                                               "pantau.db).")] = None,
        once: Annotated[bool, typer.Option("--once", help="Run one round and exit (for cron, tests, CI).")] = False,
        interval: Annotated[str, typer.Option(help="Time between the starts of two rounds: 90s, 10m, 1h.")] = "10m",
        archive: Annotated[Path | None, typer.Option(help="Also write every response to WARC files in this "
                                                     "directory, for re-extraction with `pantau spark`.")] = None,
        source: Annotated[list[str] | None, typer.Option("--source", help="Only this source key (repeatable).")
                          ] = None,
        workers: Annotated[int, typer.Option(min=1, max=64, help="Extraction processes.")] = 1,
        batch_size: Annotated[int, typer.Option(min=1, max=10_000, help="Articles per store transaction.")] = 50,
        fetch_threads: Annotated[int, typer.Option(min=1, max=64, help="Hosts fetched at once.")] = 8,
    ) -> None:
        """Collect continuously (pantau): read the sources' feeds and news sitemaps, fetch new articles politely
        and ingest them. Ctrl-C or SIGTERM ends it after the pages in hand."""
        from pantau.store.db import open_store
        from pantau.watch.collect import Collector, interruptible_sleep
        from pantau.watch.http import Fetcher, FetchPolicy

        seconds = parse_interval(interval)
        config = _load_sources(sources)
        if source:
            unknown = sorted(set(source) - {item.key for item in config.sources})
            if unknown:
                raise _fail(f"unknown source(s): {', '.join(unknown)}")
            from dataclasses import replace
            config = replace(config, sources=tuple(item for item in config.sources if item.key in source))
        if not config.enabled:
            raise _fail("no enabled source to watch")
        warc = None
        if archive is not None:
            from pantau.watch.archive import WarcArchive
            try:
                warc = WarcArchive(archive)
            except OSError as error:
                raise _fail(f"cannot write the archive in {archive}: {error}") from None
        engine = open_store(db)
        terminal = err.is_terminal
        status = err.status("collecting", spinner="dots") if terminal else None
        every_failed = failed_round = False
        try:
            # each source's `delay` (sources file; 2 s by default) is the pause between requests to its host,
            # raised by robots.txt Crawl-delay: the policy's own floor would override a file's explicit choice
            policy = FetchPolicy.from_data(host_delay=0.0)
            with StopFlag() as stop, Fetcher(policy, archive=warc, sleep=interruptible_sleep(stop.event)) as fetcher:
                collector = Collector(engine, config, fetcher, workers=workers, batch_size=batch_size,
                                      fetch_threads=fetch_threads,
                                      stop=stop.event,
                                      on_progress=(lambda summary: status.update(escape(summary.line())))
                                      if status is not None else None)
                while True:
                    if status is not None:
                        status.start()
                    try:
                        summary = collector.run_round()
                    except Exception as error:  # the store unreachable, a bug: this round is lost, not the service
                        if status is not None:
                            status.stop()
                        log.exception("round %d failed", collector.rounds)
                        err.print(f"[red]round {collector.rounds} failed:[/] {escape(type(error).__name__)}: "
                                  f"{escape(str(error))[:500]}")
                        failed_round = True
                        if once or stop.event.wait(seconds):
                            break
                        continue
                    failed_round = False
                    if status is not None:
                        status.stop()
                        err.print(_round_table(summary))
                    err.print(escape(summary.line()), highlight=False)
                    if summary.alerts:
                        err.print(f"{summary.alerts} new alert(s): pantau alerts")
                    every_failed = all(result.error and not result.seen and not result.fetched
                                       for result in summary.sources.values())
                    if once or stop.event.is_set():
                        break
                    if stop.event.wait(max(0.0, seconds - summary.elapsed)):
                        break
        finally:
            if status is not None:
                status.stop()
            if warc is not None:
                warc.close()
            engine.dispose()
        if every_failed:
            err.print("[red]every source failed this round[/] (network down? see pantau sources)")
        if every_failed or failed_round:
            raise typer.Exit(1)

    @app.command(name="sources")
    def sources_command(
        db: Annotated[str | None, typer.Option(help="Database URL or SQLite path.")] = None,
        sources: Annotated[Path | None, typer.Option(help="Sources file (TOML) to list beside the state; "
                                                     "default: the bundled list.")] = None,
        as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
    ) -> None:
        """The collector's sources (sumber) with their last round: listed, new, failed, last error."""
        from pantau.store.db import open_store
        from pantau.store.watch import source_table

        config = _load_sources(sources)
        engine = open_store(db)
        try:
            with engine.connect() as conn:
                state = {row["source"]: row for row in source_table(conn)}
        finally:
            engine.dispose()
        rows = []
        for item in config.sources:
            row = state.pop(item.key, None) or {"source": item.key, "rounds": 0, "urls": {}}
            row.update(name=item.name, enabled=item.enabled, kind=item.kind, feeds=len(item.feeds),
                       sitemaps=len(item.sitemaps), listings=len(item.listings), configured=True)
            rows.append(row)
        rows.extend({**row, "configured": False} for row in state.values())  # collected before, not listed now
        if as_json:
            out.print_json(json.dumps(rows, ensure_ascii=False, default=str))
            return
        table = Table(title=f"pantau sources ({config.origin})", title_justify="left")
        for column in ("source", "on", "feeds", "rounds", "last round", "listed", "new articles", "failed",
                       "stored", "pending", "last error"):
            table.add_column(column, justify="left" if column in ("source", "last round", "last error") else "right",
                             overflow="fold" if column == "last error" else "ellipsis")
        for row in rows:
            urls = row.get("urls", {})
            table.add_row(
                escape(row["source"]) + ("" if row["configured"] else " [dim](not in file)[/]"),
                "yes" if row.get("enabled", True) else "no",
                str(row.get("feeds", 0) + row.get("sitemaps", 0) + row.get("listings", 0)),
                str(row.get("rounds", 0)), escape((row.get("last_round_at") or "-")[:19]),
                str(row.get("seen", 0)), str(row.get("new", 0)), str(row.get("failed", 0)),
                str(urls.get("ingested", 0)), str(urls.get("pending", 0)),
                escape((row.get("last_error") or "")[:300]))
        out.print(table)
