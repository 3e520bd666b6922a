"""merge the three branches that all revised 0001 (webhook endpoints, backfills, read contract) into one head

Revision ID: 0005
Revises: 0002, 0003, 0004
Create Date: 2026-11-30 11:30:00

No schema change. A merge revision instead of re-pointing down_revision: databases migrated before it carry
0002, 0003 and 0004 in alembic_version, and upgrading them from there needs exactly this node. The next
migration revises 0005 (tests/db/test_migrations.py fails on two heads).
"""

revision = "0005"
down_revision = ("0002", "0003", "0004")
branch_labels = None
depends_on = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
