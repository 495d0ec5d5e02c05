"""Opening a store: database URL, engine settings per dialect, and schema migrations.

``PANTAU_DB`` or ``--db`` names the database: a path or ``sqlite:///`` URL for SQLite (default
``pantau.db`` in the working directory), a ``postgresql://`` URL for a server. Opening a store
brings its schema to the newest Alembic revision, so every command works on a fresh file.
"""

from __future__ import annotations

import json
import os
import time
from collections.abc import Iterator, Sequence
from importlib import resources
from typing import Any

from alembic import command
from alembic.config import Config
from sqlalchemy import Connection, Engine, Table, create_engine, event, inspect
from sqlalchemy.engine import make_url
from sqlalchemy.exc import OperationalError

DEFAULT_DB = "pantau.db"
IN_CHUNK = 500  # values per IN list or multi-row statement


def database_url(value: str | None = None) -> str:
    """SQLAlchemy URL for ``value`` (a URL or a SQLite file path), ``$PANTAU_DB``, or ``pantau.db``."""
    value = value or os.environ.get("PANTAU_DB") or DEFAULT_DB
    if "://" not in value:
        return f"sqlite:///{value}"
    url = make_url(value)
    if url.drivername in ("postgresql", "postgres"):
        url = url.set(drivername="postgresql+psycopg")
    return url.render_as_string(hide_password=False)


JOURNAL_MODE_WAIT = 30.0  # seconds a new connection retries a busy switch to WAL before giving up


def _sqlite_pragmas(dbapi_connection, _record) -> None:  # type: ignore[no-untyped-def]
    cursor = dbapi_connection.cursor()
    # WAL: readers (the dashboard) never block the writer; synchronous=NORMAL is still crash-safe in WAL
    _set_wal(cursor)
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.close()


def _set_wal(cursor: Any) -> None:
    """Switch to WAL, retrying while another connection holds the lock the switch needs.

    SQLite answers "database is locked" at once, without its busy wait, when two connections to a new file
    switch it to WAL together (each holds a shared lock and both want the exclusive one: waiting would
    deadlock), and likewise while the last connection to a WAL file is cleaning up at close. Processes that
    open a new store at the same moment (``pantau serve`` and ``pantau watch`` started together) meet both.
    """
    import sqlite3

    deadline = time.monotonic() + JOURNAL_MODE_WAIT
    pause = 0.01
    while True:
        try:
            cursor.execute("PRAGMA journal_mode=WAL")
            return
        except sqlite3.OperationalError as error:
            if "locked" not in str(error) or time.monotonic() > deadline:  # SQLITE_BUSY reads "locked"
                raise
            time.sleep(pause)
            pause = min(pause * 2, 0.25)


def _read_only_sqlite(dbapi_connection, _record) -> None:  # type: ignore[no-untyped-def]
    dbapi_connection.execute("PRAGMA query_only=ON")


def _read_only_postgresql(dbapi_connection, _record) -> None:  # type: ignore[no-untyped-def]
    with dbapi_connection.cursor() as cursor:
        cursor.execute("SET SESSION CHARACTERISTICS AS TRANSACTION READ ONLY")
    dbapi_connection.commit()


def _custom_plans_postgresql(dbapi_connection, _record) -> None:  # type: ignore[no-untyped-def]
    """Plan every statement for its own values, never once for all.

    psycopg prepares a statement on the server from its fifth run on a connection, and from the fifth run of the
    prepared statement PostgreSQL may keep one generic plan for any values. A search's values decide its plan (a
    facet word in 26 articles of 100,000 or in half of them): the generic plan walked every article newest
    first testing each one, and a search with seven filters took 2.3-3.6 s instead of 5-8 ms from the eleventh
    search on a pooled connection on. Planning a search costs 1-3 ms.
    """
    with dbapi_connection.cursor() as cursor:
        cursor.execute("SET plan_cache_mode = force_custom_plan")
    dbapi_connection.commit()


def create_store_engine(url: str | None = None, *, read_only: bool = False) -> Engine:
    """An engine on ``url``; ``read_only`` makes every connection refuse writes (for the API)."""
    resolved = database_url(url)
    # a server answers many readers at once: enough pooled connections that requests never queue
    options = {"pool_size": 20, "max_overflow": 20} if read_only else {}
    engine = create_engine(resolved, future=True, **options)
    if engine.dialect.name == "sqlite":
        event.listen(engine, "connect", _sqlite_pragmas)
        if read_only:
            event.listen(engine, "connect", _read_only_sqlite)
    elif engine.dialect.name == "postgresql":
        event.listen(engine, "connect", _custom_plans_postgresql)
        if read_only:
            event.listen(engine, "connect", _read_only_postgresql)
    return engine


def alembic_config() -> Config:
    config = Config()
    config.set_main_option("script_location", str(resources.files("pantau.store").joinpath("migrations")))
    return config


MIGRATION_WAIT = 300.0  # seconds a process waits for another one's migration of the same store


def upgrade(engine: Engine, revision: str = "head") -> None:
    """Bring the schema to ``revision`` (idempotent), one process at a time.

    Two processes opening a new store at once (``pantau serve`` and ``pantau watch`` started together) would
    both find no schema and both create it. PostgreSQL serialises them with an advisory lock held to the end
    of the migration's transaction. SQLite's driver runs DDL outside any transaction, so the migration takes
    the write lock itself (BEGIN IMMEDIATE): it is atomic, and the second process waits for it, then finds
    the schema current. A store already at ``revision`` is only read: opening it takes no lock.
    """
    config = alembic_config()
    if revision == "head" and _at_head(engine, config):
        return
    deadline = time.monotonic() + MIGRATION_WAIT
    while True:
        try:
            with engine.connect() as connection:
                if connection.dialect.name == "sqlite":
                    connection.exec_driver_sql("BEGIN IMMEDIATE")
                elif connection.dialect.name == "postgresql":
                    connection.exec_driver_sql("SELECT pg_advisory_xact_lock(hashtext('pantau.store.migrate'))")
                config.attributes["connection"] = connection
                command.upgrade(config, revision)
                connection.commit()
            return
        except OperationalError as error:
            if "locked" not in str(error) or time.monotonic() > deadline:
                raise
            time.sleep(0.2)


def _at_head(engine: Engine, config: Config) -> bool:
    from alembic.runtime.migration import MigrationContext
    from alembic.script import ScriptDirectory

    with engine.connect() as connection:
        current = set(MigrationContext.configure(connection).get_current_heads())
    return bool(current) and current == set(ScriptDirectory.from_config(config).get_heads())


def open_store(url: str | None = None) -> Engine:
    """An engine on an up-to-date store."""
    engine = create_store_engine(url)
    upgrade(engine)
    return engine


MULTI_ROW_VALUES = 5000  # rows a server-side insert statement carries, as one array a column


def marks(count: int) -> str:
    """``count`` bound parameters for ``driver_rows`` and ``driver_insert``: "?, ?, ?"."""
    return ", ".join("?" * count)


def _driver_sql(conn: Connection, sql: str) -> str:
    """``sql`` with ``?`` for each bound parameter, in the driver's own parameter style (positional styles only)."""
    style = conn.dialect.paramstyle
    if style == "qmark":
        return sql
    mark = {"format": "%s", "pyformat": "%s", "numeric": ":{}"}.get(style)
    if mark is None:  # SQLite and psycopg, the stores' drivers, are positional
        raise ValueError(f"driver parameter style {style!r} is not supported")
    pieces = sql.split("?")
    return pieces[0] + "".join(mark.format(i + 1) + piece for i, piece in enumerate(pieces[1:]))


def driver_rows(conn: Connection, sql: str, parameters: Sequence[Any] = ()) -> list[tuple[Any, ...]]:
    """Rows of ``sql`` as the driver's own tuples, for reads of many rows (building SQLAlchemy rows for a
    million values costs more than the query). ``sql`` is fixed text with ``?`` for each bound parameter,
    rewritten to the driver's own style."""
    cursor = conn.connection.dbapi_connection.cursor()  # type: ignore[union-attr]
    try:
        cursor.execute(_driver_sql(conn, sql), tuple(parameters))
        return list(cursor.fetchall())
    finally:
        cursor.close()


def driver_insert(conn: Connection, table: Table, columns: Sequence[str], rows: Sequence[Sequence[Any]], *,
                  skip_existing: bool = False) -> None:
    """Insert ``rows`` (tuples in the order of ``columns``) through the driver's own cursor: for the writer's bulk
    rows of plain values (integers, text, bytes), where SQLAlchemy's per-row parameter processing costs more than
    the insert (a batch writes tens of thousands of lookup keys). SQLite runs one statement for each row
    (``executemany``), PostgreSQL multi-row statements. ``skip_existing``: a row whose key is already stored is
    left as it is (``ON CONFLICT DO NOTHING``, on both backends)."""
    if not rows:
        return
    names = ", ".join(f'"{table.c[name].name}"' for name in columns)  # columns of the schema only
    tail = " ON CONFLICT DO NOTHING" if skip_existing else ""
    cursor = conn.connection.dbapi_connection.cursor()  # type: ignore[union-attr]
    try:
        if conn.dialect.name == "sqlite":  # in-process: one prepared statement run for each row is the fastest
            cursor.executemany(f'INSERT INTO "{table.name}" ({names}) VALUES ({marks(len(columns))}){tail}', rows)
            return
        # a server: a column an array, MULTI_ROW_VALUES rows a statement, not one statement (and round trip) a row;
        # the statement's text is short and the same every time, so the driver parses it once
        types = ", ".join(f"?::{table.c[name].type.compile(dialect=conn.dialect)}[]" for name in columns)
        sql = _driver_sql(conn, f'INSERT INTO "{table.name}" ({names}) SELECT * FROM unnest({types}){tail}')
        step = MULTI_ROW_VALUES
        for start in range(0, len(rows), step):
            cursor.execute(sql, [list(column) for column in zip(*rows[start:start + step], strict=True)])
    finally:
        cursor.close()


ANALYZE_GROWTH = 1.25  # re-ANALYZE once the store has grown (or shrunk) by this factor since the last one
RECHECK_ARTICLES = 2_000  # a long write looks at the statistics again after at least this many new articles


def refresh_planner_statistics(engine: Engine) -> bool:
    """ANALYZE a store whose planner statistics are missing or out of date; True when it ran.

    Without statistics the planner guesses row counts and can pick a plan that scans every facet of a kind
    instead of the few rows of a filter: on PostgreSQL a search with two facet filters took 1.8 s at 10,000
    articles (a nested loop over both facets' rows, estimated at one row each) and 7 ms once analysed.
    PostgreSQL's autovacuum analyses by itself when it is on, but not right after a bulk load, and some servers
    run without it; there the store is vacuumed as well (``_refresh``). A store never analysed has no
    ``pg_stats`` rows for its articles (``pg_class.reltuples`` alone would not tell: CREATE INDEX and VACUUM
    set it too); one that was has its count then in ``reltuples``.
    """
    return _refresh(engine)[0]


def _refresh(engine: Engine) -> tuple[bool, int]:
    """``refresh_planner_statistics``, and how many articles the store holds."""
    with engine.connect() as conn:
        articles = conn.exec_driver_sql("SELECT COUNT(*) FROM articles").scalar_one()
        analysed = _analysed_articles(conn)
    if analysed is not None and analysed / ANALYZE_GROWTH <= articles <= analysed * ANALYZE_GROWTH:
        return False, articles
    if engine.dialect.name == "postgresql":
        # VACUUM as well, outside a transaction as it must be: the writer inserts each new article and then
        # updates it with its story, and until a VACUUM the first version stays in the table and in every index
        # (the posting lists a search reads were twice as long: 29 -> 20 ms for "sabu" at 343,000 articles), and
        # bitmap counts can skip only pages the visibility map marks. 4-7 s at 343,000 articles.
        with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            conn.exec_driver_sql("VACUUM ANALYZE")
        return True, articles
    with engine.begin() as conn:
        conn.exec_driver_sql("ANALYZE")
    return True, articles


class StatisticsKeeper:
    """Keeps the planner's statistics current while one run writes batch after batch (ingest, load, watch).

    Analysing only when a run ends left a long first ingest into PostgreSQL planned from no statistics at all:
    each batch's story refresh (the first article of a story, ``min(id)`` over its articles) was planned as a
    walk of the primary key from the oldest article, so every batch cost more than the one before (one
    statement took 10 s at 38,000 articles, and the ingest all but stopped). The keeper looks once the run has
    written ``RECHECK_ARTICLES``, then again each time it has written a quarter of the store (``ANALYZE_GROWTH``):
    a handful of ANALYZEs for a run that grows a store a hundredfold.
    """

    def __init__(self, engine: Engine, *, at_least: int | None = None) -> None:
        self.engine = engine
        self.at_least = RECHECK_ARTICLES if at_least is None else at_least
        self.written = 0
        # the first look after ``at_least`` articles: a short run leaves it to the look at its end (counting a
        # million-article PostgreSQL store takes seconds), and planning blind costs little in a small store
        self.due = self.at_least

    def wrote(self, articles: int) -> bool:
        """Count ``articles`` more written (callers give their whole batch: unchanged and skipped items only bring
        a look forward, and a look analyses only a store that has grown); True when the store was analysed now."""
        self.written += articles
        if self.written < self.due:
            return False
        ran, stored = _refresh(self.engine)
        self.due = self.written + max(self.at_least, int(stored * (ANALYZE_GROWTH - 1)))
        return ran


def _analysed_articles(conn: Connection) -> float | None:
    """How many articles the store held at its last ANALYZE, or None when it was never analysed."""
    if conn.dialect.name == "postgresql":
        if conn.exec_driver_sql("SELECT 1 FROM pg_stats WHERE schemaname = current_schema() "
                                "AND tablename = 'articles' LIMIT 1").first() is None:
            return None
        count = conn.exec_driver_sql("SELECT reltuples FROM pg_class WHERE oid = 'articles'::regclass").scalar_one()
        return float(count) if count is not None and count >= 0 else None
    if not conn.exec_driver_sql("SELECT 1 FROM sqlite_master WHERE name = 'sqlite_stat1'").first():
        return None
    row = conn.exec_driver_sql("SELECT stat FROM sqlite_stat1 WHERE tbl = 'articles' "
                               "AND idx = 'ix_articles_sort_date'").first()
    return float(row[0].split()[0]) if row else None


def current_tables(engine: Engine) -> set[str]:
    return set(inspect(engine).get_table_names())


def json_value(value: Any, default: Any = None) -> Any:
    """A JSON column's value as Python: drivers give it parsed (PostgreSQL, SQLAlchemy's JSON type) or as text
    (raw SQL on SQLite); missing, ``default``."""
    if value is None or value == "":
        return default
    return json.loads(value) if isinstance(value, str) else value


def chunks(values: Sequence[Any], size: int = IN_CHUNK) -> Iterator[Sequence[Any]]:
    """``values`` in slices of ``size``: IN lists and multi-row statements both backends accept."""
    for start in range(0, len(values), size):
        yield values[start:start + size]


def dialect_insert(conn: Connection, table: Any) -> Any:
    """The dialect's own INSERT, which has ``on_conflict_do_nothing`` / ``on_conflict_do_update`` on both
    backends (SQLAlchemy Core's generic insert has no upsert)."""
    if conn.dialect.name == "postgresql":
        from sqlalchemy.dialects.postgresql import insert
    else:
        from sqlalchemy.dialects.sqlite import insert
    return insert(table)
