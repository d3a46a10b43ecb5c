"""Threat models in the hub (issue 12): versions, threats, diffs.

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-29 23:50:00
"""

from __future__ import annotations

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Apply this revision."""


def downgrade() -> None:
    """Revert this revision."""
