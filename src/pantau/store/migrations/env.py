"""Alembic environment: migrations run on the connection pantau hands over (see pantau.store.db)."""

from __future__ import annotations

from alembic import context

from pantau.store.schema import metadata

connection = context.config.attributes.get("connection")
if connection is None:  # pragma: no cover - pantau always passes its connection
    raise RuntimeError("run pantau migrations through pantau.store.db.upgrade()")


def include_object(obj, name, type_, reflected, compare_to):  # type: ignore[no-untyped-def]
    """Full-text search tables are created by hand in migrations: autogenerate leaves them alone."""
    return not (type_ == "table" and name.startswith("articles_fts"))


context.configure(connection=connection, target_metadata=metadata, render_as_batch=True,
                  include_object=include_object)
with context.begin_transaction():
    context.run_migrations()
