"""alerts: early warnings (spike, new ground, viral, record seizure) stored with their first-seen time

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-06 00:10:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "alerts",
        sa.Column("key", sa.String(length=300), nullable=False),
        sa.Column("kind", sa.String(length=32), nullable=False),
        sa.Column("title", sa.Text(), nullable=False),
        sa.Column("title_id", sa.Text(), nullable=True),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("score", sa.Float(), nullable=False),
        sa.Column("region_code", sa.String(length=16), nullable=True),
        sa.Column("province_code", sa.String(length=4), nullable=True),
        sa.Column("period", sa.String(length=16), nullable=True),
        sa.Column("incident_ids", sa.JSON(), nullable=False),
        sa.Column("numbers", sa.JSON(), nullable=False),
        sa.Column("raised_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("first_seen", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("key", name=op.f("pk_alerts")),
    )
    op.create_index("ix_alerts_first_seen", "alerts", ["first_seen"])
    op.create_index("ix_alerts_kind", "alerts", ["kind", "first_seen"])


def downgrade() -> None:
    op.drop_table("alerts")
