"""Alerts from monitoring (issue 11).

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-29 23:50:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Apply this revision."""
    op.create_table(
        "monitor_alerts",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("project_id", sa.Integer(), nullable=False),
        sa.Column("key", sa.String(length=64), nullable=False),
        sa.Column("rule_id", sa.String(length=200), nullable=False),
        sa.Column("rule_title", sa.String(length=500), nullable=False),
        sa.Column("severity", sa.String(length=10), nullable=False),
        sa.Column("source", sa.String(length=1000), nullable=False),
        sa.Column("entity", sa.String(length=500), nullable=True),
        sa.Column("count", sa.Integer(), nullable=False),
        sa.Column("first_seen", sa.DateTime(timezone=True), nullable=True),
        sa.Column("last_seen", sa.DateTime(timezone=True), nullable=True),
        sa.Column("events", sa.JSON(), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("acknowledged_by", sa.String(length=150), nullable=True),
        sa.Column("acknowledged_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("resolved_by", sa.String(length=150), nullable=True),
        sa.Column("resolved_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("resolution", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["project_id"],
            ["projects.id"],
            name=op.f("fk_monitor_alerts_project_id_projects"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_monitor_alerts")),
        sa.UniqueConstraint("project_id", "key", name=op.f("uq_monitor_alerts_project_id_key")),
    )
    op.create_index(
        op.f("ix_monitor_alerts_project_id"),
        "monitor_alerts",
        ["project_id", "status", "last_seen"],
        unique=False,
    )
    op.create_index(op.f("ix_monitor_alerts_rule_id"), "monitor_alerts", ["rule_id"], unique=False)
    op.create_table(
        "monitor_alert_findings",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("alert_id", sa.Integer(), nullable=False),
        sa.Column("finding_id", sa.Integer(), nullable=False),
        sa.Column("linked_by", sa.String(length=150), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["alert_id"],
            ["monitor_alerts.id"],
            name=op.f("fk_monitor_alert_findings_alert_id_monitor_alerts"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["finding_id"],
            ["findings.id"],
            name=op.f("fk_monitor_alert_findings_finding_id_findings"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_monitor_alert_findings")),
        sa.UniqueConstraint(
            "alert_id", "finding_id", name=op.f("uq_monitor_alert_findings_alert_id_finding_id")
        ),
    )
    op.create_index(
        op.f("ix_monitor_alert_findings_alert_id"),
        "monitor_alert_findings",
        ["alert_id"],
        unique=False,
    )
    op.create_index(
        op.f("ix_monitor_alert_findings_finding_id"),
        "monitor_alert_findings",
        ["finding_id"],
        unique=False,
    )


def downgrade() -> None:
    """Revert this revision."""
    op.drop_index(op.f("ix_monitor_alert_findings_finding_id"), table_name="monitor_alert_findings")
    op.drop_index(op.f("ix_monitor_alert_findings_alert_id"), table_name="monitor_alert_findings")
    op.drop_table("monitor_alert_findings")
    op.drop_index(op.f("ix_monitor_alerts_rule_id"), table_name="monitor_alerts")
    op.drop_index(op.f("ix_monitor_alerts_project_id"), table_name="monitor_alerts")
    op.drop_table("monitor_alerts")
