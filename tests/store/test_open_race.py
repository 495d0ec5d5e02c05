"""Processes opening the same new store at once: one migrates, the others wait and find it current."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from tests.store.conftest import temporary_postgres

OPEN = ("import sys; from pantau.store.db import open_store; from sqlalchemy import text; "
        "e = open_store(sys.argv[1]); "
        "print(e.connect().execute(text('SELECT version_num FROM alembic_version')).scalar_one())")


def _open_at_once(url: str, processes: int = 4) -> list[tuple[int, str, str]]:
    started = [subprocess.Popen([sys.executable, "-c", OPEN, url], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                text=True) for _ in range(processes)]
    results = []
    for process in started:
        out, err = process.communicate(timeout=180)
        results.append((process.returncode, out.strip(), err[-1500:]))
    return results


@pytest.mark.parametrize("backend", ["sqlite", "postgresql"])
def test_concurrent_opens_of_a_new_store_all_succeed(backend: str, tmp_path: Path) -> None:
    if backend == "sqlite":
        results = _open_at_once(f"sqlite:///{tmp_path / 'race.db'}")
    else:
        with temporary_postgres() as url:
            results = _open_at_once(url)
    assert [code for code, _, _ in results] == [0] * len(results), [err for _, _, err in results]
    assert len({version for _, version, _ in results}) == 1


def test_a_connection_waits_out_a_lock_on_its_switch_to_wal(tmp_path: Path) -> None:
    """SQLite refuses the switch to WAL at once, without its busy wait, while another connection holds the
    lock (two new connections switching together; the last one closing a WAL file): the connect retries."""
    import sqlite3
    import threading

    from pantau.store.db import _sqlite_pragmas

    path = tmp_path / "locked.db"
    holder = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
    holder.execute("BEGIN EXCLUSIVE")
    threading.Timer(0.3, holder.execute, args=("COMMIT",)).start()
    waiting = sqlite3.connect(path, timeout=0, check_same_thread=False)
    _sqlite_pragmas(waiting, None)
    assert waiting.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    waiting.close()
    holder.close()
