"""Indexes for the newest-first findings list.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-29 22:12:00
"""

from __future__ import annotations

from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Apply this revision."""
    with op.batch_alter_table("findings", schema=None) as batch_op:
        batch_op.create_index(
            "ix_findings_project_status_id", ["project_id", "status", "id"], unique=False
        )
        batch_op.create_index("ix_findings_project_id_id", ["project_id", "id"], unique=False)


def downgrade() -> None:
    """Revert this revision."""
    with op.batch_alter_table("findings", schema=None) as batch_op:
        batch_op.drop_index("ix_findings_project_id_id")
        batch_op.drop_index("ix_findings_project_status_id")
