"""backfills.failure: why a `failed` backfill ended (an upload whose lease lapsed)

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-30 15:00:00
"""

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("backfills", sa.Column("failure", sa.Text(), nullable=True))


def downgrade() -> None:
    op.drop_column("backfills", "failure")
