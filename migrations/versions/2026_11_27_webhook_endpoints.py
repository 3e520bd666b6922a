"""webhook endpoints (410 Gone disables a key+URL), replay schedule start, delivery listing indexes

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-27 12:00:00
"""

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "webhook_endpoints",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("api_key_id", sa.Uuid(), nullable=False),
        sa.Column("url", sa.Text(), nullable=False),
        sa.Column("url_hash", sa.String(length=64), nullable=False),
        sa.Column("disabled_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("disabled_reason", sa.Text(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.ForeignKeyConstraint(["api_key_id"], ["api_keys.id"], name=op.f("fk_webhook_endpoints_api_key_id_api_keys")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_webhook_endpoints")),
        sa.UniqueConstraint("api_key_id", "url_hash", name=op.f("uq_webhook_endpoints_api_key_id_url_hash")),
    )
    op.add_column("webhook_deliveries", sa.Column("schedule_start", sa.Integer(), server_default="0", nullable=False))
    op.create_index(
        "ix_webhook_deliveries_key_listing", "webhook_deliveries", ["api_key_id", "created_at", "id"], unique=False
    )
    op.create_index("ix_webhook_deliveries_listing", "webhook_deliveries", ["created_at", "id"], unique=False)


def downgrade() -> None:
    op.drop_index("ix_webhook_deliveries_listing", table_name="webhook_deliveries")
    op.drop_index("ix_webhook_deliveries_key_listing", table_name="webhook_deliveries")
    op.drop_column("webhook_deliveries", "schedule_start")
    op.drop_table("webhook_endpoints")
