"""idempotency_keys.queued: whether the first request queued work (its answer was 202, else 200)

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-01 13:30:00
"""

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # Rows from before were all answered as if work was queued (202) on repeat: keep that for them.
    op.add_column("idempotency_keys", sa.Column("queued", sa.Boolean(), nullable=False, server_default=sa.true()))


def downgrade() -> None:
    op.drop_column("idempotency_keys", "queued")
