"""Alembic environment: migrations run on the connection pantau hands over (see pantau.store.db)."""

from __future__ import annotations

from alembic import context

from pantau.store.schema import metadata

connection = context.config.attributes.get("connection")
if connection is None:  # pragma: no cover - pantau always passes its connection
    raise RuntimeError("run pantau migrations through pantau.store.db.upgrade()")
context.configure(connection=connection, target_metadata=metadata, render_as_batch=True)
with context.begin_transaction():
    context.run_migrations()
