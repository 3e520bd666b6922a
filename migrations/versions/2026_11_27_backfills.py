"""backfills: bulk URL backfills and reprocess runs, their lines and items; jobs.backfill_id

Revision ID: 0003
Revises: 0001
Create Date: 2026-11-27 23:55:00
"""

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = "0003"
down_revision = "0001"
branch_labels = None
depends_on = None


def _counter(name: str) -> sa.Column:
    return sa.Column(name, sa.BigInteger(), server_default="0", nullable=False)


def upgrade() -> None:
    op.create_table(
        "backfills",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("api_key_id", sa.Uuid(), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("refresh", sa.Boolean(), nullable=False),
        sa.Column("callback_url", sa.Text(), nullable=True),
        sa.Column("rate_per_second", sa.Float(), nullable=False),
        sa.Column("filter", postgresql.JSONB(astext_type=sa.Text()), nullable=True),
        _counter("last_line"),
        _counter("prepared_through"),
        _counter("total_lines"),
        _counter("invalid_lines"),
        _counter("duplicates_in_file"),
        _counter("unique_items"),
        _counter("existing"),
        _counter("released"),
        _counter("cancelled_items"),
        sa.Column("last_release_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("finished_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.ForeignKeyConstraint(["api_key_id"], ["api_keys.id"], name=op.f("fk_backfills_api_key_id_api_keys")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_backfills")),
    )
    op.create_index("ix_backfills_status", "backfills", ["status"], unique=False)
    op.create_table(
        "backfill_lines",
        sa.Column("backfill_id", sa.Uuid(), nullable=False),
        sa.Column("line", sa.BigInteger(), nullable=False),
        sa.Column("url", sa.Text(), nullable=True),
        sa.Column("external_id", sa.Text(), nullable=True),
        sa.Column("callback_url", sa.Text(), nullable=True),
        sa.Column("error_type", sa.String(length=32), nullable=True),
        sa.Column("error_detail", sa.Text(), nullable=True),
        sa.PrimaryKeyConstraint("backfill_id", "line", name=op.f("pk_backfill_lines")),
    )
    op.create_index(
        "ix_backfill_lines_errors",
        "backfill_lines",
        ["backfill_id", "line"],
        unique=False,
        postgresql_where=sa.text("error_type IS NOT NULL"),
    )
    op.create_table(
        "backfill_items",
        sa.Column("backfill_id", sa.Uuid(), nullable=False),
        sa.Column("line", sa.BigInteger(), nullable=False),
        sa.Column("url", sa.Text(), nullable=True),
        sa.Column("normalized_url", sa.Text(), nullable=True),
        sa.Column("url_hash", sa.Uuid(), nullable=True),
        sa.Column("site", sa.String(length=255), nullable=True),
        sa.Column("external_id", sa.Text(), nullable=True),
        sa.Column("callback_url", sa.Text(), nullable=True),
        sa.Column("state", sa.String(length=16), nullable=False),
        sa.Column("article_id", sa.Uuid(), nullable=True),
        sa.Column("job_id", sa.Uuid(), nullable=True),
        sa.PrimaryKeyConstraint("backfill_id", "line", name=op.f("pk_backfill_items")),
        sa.UniqueConstraint("backfill_id", "url_hash", name=op.f("uq_backfill_items_backfill_id_url_hash")),
    )
    op.create_index(
        "ix_backfill_items_pending",
        "backfill_items",
        ["backfill_id", "line"],
        unique=False,
        postgresql_where=sa.text("state = 'pending'"),
    )
    op.add_column("jobs", sa.Column("backfill_id", sa.Uuid(), nullable=True))
    op.create_foreign_key(
        op.f("fk_jobs_backfill_id_backfills"), "jobs", "backfills", ["backfill_id"], ["id"], ondelete="SET NULL"
    )
    op.create_index("ix_jobs_backfill_id_status", "jobs", ["backfill_id", "status"], unique=False)


def downgrade() -> None:
    op.drop_index("ix_jobs_backfill_id_status", table_name="jobs")
    op.drop_constraint(op.f("fk_jobs_backfill_id_backfills"), "jobs", type_="foreignkey")
    op.drop_column("jobs", "backfill_id")
    op.drop_index(
        "ix_backfill_items_pending", table_name="backfill_items", postgresql_where=sa.text("state = 'pending'")
    )
    op.drop_table("backfill_items")
    op.drop_index(
        "ix_backfill_lines_errors", table_name="backfill_lines", postgresql_where=sa.text("error_type IS NOT NULL")
    )
    op.drop_table("backfill_lines")
    op.drop_index("ix_backfills_status", table_name="backfills")
    op.drop_table("backfills")
