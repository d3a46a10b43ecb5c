"""The hub as a secret store (issue 13): KV v2 secrets and audit.

Revision ID: 0008
Revises: 0007
Create Date: 2026-11-29 23:50:00
"""

from __future__ import annotations

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Apply this revision."""


def downgrade() -> None:
    """Revert this revision."""
