"""The web app's settings (issue 8): notification channels and rules, mentions, issue links.

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-29 23:50:00
"""

from __future__ import annotations

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Apply this revision."""


def downgrade() -> None:
    """Revert this revision."""
