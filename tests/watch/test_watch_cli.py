"""`pantau watch` and `pantau sources` as a user runs them, against a local server; a kill -9 mid-round."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

from sqlalchemy import func, select
from typer.testing import CliRunner

from pantau.cli import app
from pantau.store import schema as s
from pantau.store.db import open_store
from tests.watch.server import FixtureServer
from tests.watch.test_collect import article_html, rss

runner = CliRunner()


def _serve(server: FixtureServer, count: int, delay: float = 0.0) -> None:
    server.robots("User-agent: *\nDisallow: /privat/\n")
    for number in range(count):
        server.route(f"/berita/{number}/x", article_html(number), delay=delay)
    server.route("/rss", rss(server, [f"/berita/{n}/x" for n in range(count)] + ["/privat/1/x"]),
                 content_type="application/rss+xml")


def _sources(tmp_path: Path, server: FixtureServer, *extra: str) -> Path:
    path = tmp_path / "sources.toml"
    path.write_text('[defaults]\ndelay = 0.0\n\n[[source]]\nkey = "uji"\nname = "Kabar Uji"\n'
                    f'feeds = ["{server.url("/rss")}"]\n' + "".join(extra), encoding="utf-8")
    return path


def _read(db: str, query: Any) -> list[Any]:
    engine = open_store(db)
    try:
        with engine.connect() as conn:
            return list(conn.execute(query).scalars())
    finally:
        engine.dispose()


def _stored(db: str) -> tuple[int, int]:
    """Articles in the store, and distinct URLs among them."""
    return (_read(db, select(func.count()).select_from(s.articles))[0],
            _read(db, select(func.count(func.distinct(s.articles.c.url))))[0])


def _urls(db: str, status: str) -> set[str]:
    return set(_read(db, select(s.watch_urls.c.url).where(s.watch_urls.c.status == status)))


def test_watch_once_then_sources_table_and_json(tmp_path: Path, fixture_server: FixtureServer) -> None:
    _serve(fixture_server, 3)
    sources = _sources(tmp_path, fixture_server)
    db = str(tmp_path / "w.db")
    archive = tmp_path / "warc"
    result = runner.invoke(app, ["watch", "--once", "--sources", str(sources), "--db", db,
                                 "--archive", str(archive)])
    assert result.exit_code == 0, result.output
    assert "3 new articles" in result.output
    assert _stored(db) == (3, 3)
    assert fixture_server.hits("/privat/1/x") == 0
    assert list(archive.glob("*.warc.gz"))
    listed = runner.invoke(app, ["sources", "--db", db, "--sources", str(sources), "--json"])
    assert listed.exit_code == 0
    row = json.loads(listed.output)[0]
    assert (row["source"], row["rounds"], row["new"], row["urls"]["ingested"], row["urls"]["forbidden"]) == (
        "uji", 1, 3, 3, 1)
    table = runner.invoke(app, ["sources", "--db", db, "--sources", str(sources)])
    assert table.exit_code == 0 and "uji" in table.output


def test_watch_refuses_bad_sources_and_intervals(tmp_path: Path) -> None:
    bad = tmp_path / "bad.toml"
    bad.write_text('[[source]]\nkey = "x"\nfeeds = ["ftp://x.test/rss"]\n', encoding="utf-8")
    result = runner.invoke(app, ["watch", "--once", "--sources", str(bad), "--db", str(tmp_path / "w.db")])
    assert result.exit_code == 2 and "not an http" in result.output
    result = runner.invoke(app, ["watch", "--interval", "soon", "--db", str(tmp_path / "w.db")])
    assert result.exit_code == 2
    result = runner.invoke(app, ["watch", "--once", "--source", "nope", "--db", str(tmp_path / "w.db")])
    assert result.exit_code == 2 and "unknown source" in result.output


def test_every_source_failing_exits_non_zero(tmp_path: Path, fixture_server: FixtureServer) -> None:
    fixture_server.statuses("/rss", [500] * 50)
    sources = _sources(tmp_path, fixture_server)
    result = runner.invoke(app, ["watch", "--once", "--sources", str(sources), "--db", str(tmp_path / "w.db")])
    assert result.exit_code == 1 and "every source failed" in result.output


def _watch(sources: Path, db: str, *mode: str) -> subprocess.Popen[bytes]:
    """`pantau watch` in its own process, one article a batch; ``mode`` is --once or --interval ..."""
    return subprocess.Popen([sys.executable, "-m", "pantau.cli", "watch", *mode, "--sources", str(sources),
                             "--db", db, "--batch-size", "1"], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            env={**os.environ, "PYTHONUNBUFFERED": "1"})


def _wait_stored(process: subprocess.Popen[bytes], db: str, articles: int, seconds: float = 90) -> None:
    """Until the running collector has stored ``articles`` articles (or ended, or time is up)."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline and process.poll() is None:
        if Path(db).exists() and _stored(db)[0] >= articles:
            return
        time.sleep(0.05)


def test_a_kill_9_mid_round_loses_nothing_and_duplicates_nothing(tmp_path: Path,
                                                                  fixture_server: FixtureServer) -> None:
    count = 8
    _serve(fixture_server, count, delay=0.15)
    sources = _sources(tmp_path, fixture_server)
    db = str(tmp_path / "w.db")
    process = _watch(sources, db, "--once")
    try:
        _wait_stored(process, db, 2)
        assert process.poll() is None, process.communicate()[1].decode()[-2000:]
        os.kill(process.pid, signal.SIGKILL)
    finally:
        process.wait(10)
    before, _ = _stored(db)
    assert 2 <= before < count
    ingested_before = _urls(db, "ingested")
    assert len(ingested_before) == before
    second = _watch(sources, db, "--once")
    _out, err = second.communicate(timeout=120)
    assert second.returncode == 0, err.decode()[-2000:]
    assert _stored(db) == (count, count)
    # what was stored before the kill is never fetched again; pages fetched but not yet committed are
    assert all(fixture_server.hits(url.removeprefix(fixture_server.base_url)) == 1 for url in ingested_before)
    assert _urls(db, "ingested") == {fixture_server.url(f"/berita/{n}/x") for n in range(count)}


def test_sigterm_ends_a_looping_watch_cleanly_after_the_pages_in_hand(tmp_path: Path,
                                                                       fixture_server: FixtureServer) -> None:
    count = 8
    _serve(fixture_server, count, delay=0.2)
    sources = _sources(tmp_path, fixture_server)
    db = str(tmp_path / "w.db")
    process = _watch(sources, db, "--interval", "1h")
    _wait_stored(process, db, 1)
    process.send_signal(signal.SIGTERM)
    _out, err = process.communicate(timeout=90)
    assert process.returncode == 0, err.decode()[-2000:]
    assert "(stopped)" in err.decode(), err.decode()[-2000:]
    stored, distinct = _stored(db)
    assert 1 <= stored < count and stored == distinct
    # every page fetched was either stored or is still due: none is lost
    fetched = {fixture_server.url(f"/berita/{n}/x") for n in range(count) if fixture_server.hits(f"/berita/{n}/x")}
    assert fetched - _urls(db, "ingested") <= _urls(db, "pending")

