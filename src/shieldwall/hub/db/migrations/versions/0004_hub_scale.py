"""The hub at scale (issue 7): search and aggregate indexes, per-branch status.

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-29 23:50:00
"""

from __future__ import annotations

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Apply this revision."""


def downgrade() -> None:
    """Revert this revision."""
