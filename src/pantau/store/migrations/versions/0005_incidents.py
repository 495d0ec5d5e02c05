"""incidents: one real-world event counted once however many articles report it

Adds the incident tables and each facet row's incident (aggregates count a fact once per incident),
and groups the articles already stored into incidents, oldest first, as an
ingest would have (``pantau.store.incidents.backfill``).

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-05 23:30:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "incidents",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("type", sa.String(length=32), nullable=False),
        sa.Column("date_first", sa.String(length=10), nullable=True),
        sa.Column("date_last", sa.String(length=10), nullable=True),
        sa.Column("province_code", sa.String(length=4), nullable=True),
        sa.Column("regency_code", sa.String(length=16), nullable=True),
        sa.Column("size", sa.Integer(), server_default="0", nullable=False),
        sa.Column("outlets", sa.Integer(), server_default="0", nullable=False),
        sa.Column("first_seen", sa.DateTime(timezone=True), nullable=True),
        sa.Column("last_seen", sa.DateTime(timezone=True), nullable=True),
        sa.Column("facts", sa.JSON(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_incidents")),
    )
    op.create_index("ix_incidents_date_first", "incidents", ["date_first"])
    op.create_index("ix_incidents_province_code", "incidents", ["province_code", "date_first"])
    op.create_index("ix_incidents_size", "incidents", ["size", "id"])
    op.create_table(
        "incident_articles",
        sa.Column("article_id", sa.Integer(), nullable=False),
        sa.Column("incident_id", sa.Integer(), nullable=False),
        sa.Column("role", sa.String(length=16), nullable=False),
        sa.Column("note", sa.Text(), nullable=True),
        sa.Column("profile", sa.JSON(), nullable=False),
        sa.ForeignKeyConstraint(["article_id"], ["articles.id"], name=op.f("fk_incident_articles_article_id_articles")),
        sa.ForeignKeyConstraint(["incident_id"], ["incidents.id"],
                                name=op.f("fk_incident_articles_incident_id_incidents")),
        sa.PrimaryKeyConstraint("article_id", name=op.f("pk_incident_articles")),
    )
    op.create_index(op.f("ix_incident_articles_incident_id"), "incident_articles", ["incident_id"])
    op.create_table(
        "incident_keys",
        sa.Column("key", sa.String(length=600), nullable=False),
        sa.Column("incident_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["incident_id"], ["incidents.id"], name=op.f("fk_incident_keys_incident_id_incidents")),
        sa.PrimaryKeyConstraint("key", "incident_id", name=op.f("pk_incident_keys")),
        sqlite_with_rowid=False,
    )
    op.create_index("ix_incident_keys_incident_id", "incident_keys", ["incident_id"])
    op.create_table(
        "incident_merges",
        sa.Column("old_id", sa.Integer(), nullable=False),
        sa.Column("new_id", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("old_id", name=op.f("pk_incident_merges")),
    )
    op.create_index(op.f("ix_incident_merges_new_id"), "incident_merges", ["new_id"])

    with op.batch_alter_table("article_facets") as batch:
        batch.add_column(sa.Column("incident_id", sa.Integer(), nullable=True))

    from pantau.store.incidents import backfill

    backfill(op.get_bind())


def downgrade() -> None:
    with op.batch_alter_table("article_facets") as batch:
        batch.drop_column("incident_id")
    op.drop_table("incident_merges")
    op.drop_table("incident_keys")
    op.drop_table("incident_articles")
    op.drop_table("incidents")
