"""Store tests run against SQLite and against a real PostgreSQL server (a throw-away database).

PostgreSQL comes from ``PANTAU_TEST_PG`` (an admin URL; default postgresql://postgres@127.0.0.1:5432/postgres).
Where no server answers, PostgreSQL cases are skipped on a developer machine and fail under CI.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from functools import cache
from pathlib import Path

import pytest

PG_ADMIN = os.environ.get("PANTAU_TEST_PG", "postgresql://postgres@127.0.0.1:5432/postgres")


@cache
def postgres_available() -> bool:
    try:
        import psycopg

        with psycopg.connect(PG_ADMIN, connect_timeout=3):
            return True
    except Exception:
        return False


def _require_postgres() -> None:
    if not postgres_available():
        if os.environ.get("CI"):
            pytest.fail(f"PostgreSQL is not reachable at {PG_ADMIN} (CI must start it)")
        pytest.skip(f"PostgreSQL is not reachable at {PG_ADMIN}")


@contextmanager
def temporary_postgres() -> Iterator[str]:
    """URL of a new PostgreSQL database, dropped on exit."""
    _require_postgres()
    import psycopg
    from sqlalchemy.engine import make_url

    name = f"pantau_test_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(PG_ADMIN, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    url = make_url(PG_ADMIN).set(database=name).render_as_string(hide_password=False)
    try:
        yield url
    finally:
        with psycopg.connect(PG_ADMIN, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture
def postgres_url() -> Iterator[str]:
    with temporary_postgres() as url:
        yield url


@pytest.fixture(params=["sqlite", "postgresql"])
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'pantau.db'}"
    return str(request.getfixturevalue("postgres_url"))
