"""Threat models in the hub (issue 12): versions, threats, diffs.

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-29 23:50:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Apply this revision."""
    op.create_table(
        "threat_models",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("project_id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=150), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("latest_version", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["project_id"],
            ["projects.id"],
            name=op.f("fk_threat_models_project_id_projects"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_threat_models")),
        sa.UniqueConstraint("project_id", "name", name=op.f("uq_threat_models_project_id_name")),
    )
    op.create_table(
        "threat_model_versions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("model_id", sa.Integer(), nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("content_hash", sa.String(length=64), nullable=False),
        sa.Column("path", sa.Text(), nullable=False),
        sa.Column("title", sa.Text(), nullable=False),
        sa.Column("source", sa.Text(), nullable=False),
        sa.Column("commit", sa.String(length=64), nullable=True),
        sa.Column("branch", sa.String(length=255), nullable=True),
        sa.Column("author", sa.String(length=150), nullable=False),
        sa.Column("uploaded_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("elements", sa.Integer(), nullable=False),
        sa.Column("threats", sa.Integer(), nullable=False),
        sa.Column("blocking", sa.Integer(), nullable=False),
        sa.Column("warnings", sa.JSON(), nullable=False),
        sa.ForeignKeyConstraint(
            ["model_id"],
            ["threat_models.id"],
            name=op.f("fk_threat_model_versions_model_id_threat_models"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_threat_model_versions")),
        sa.UniqueConstraint(
            "model_id",
            "content_hash",
            name=op.f("uq_threat_model_versions_model_id_content_hash"),
        ),
        sa.UniqueConstraint(
            "model_id", "number", name=op.f("uq_threat_model_versions_model_id_number")
        ),
    )
    op.create_table(
        "threat_model_threats",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("version_id", sa.Integer(), nullable=False),
        sa.Column("threat_id", sa.String(length=400), nullable=False),
        sa.Column("rule_id", sa.String(length=100), nullable=False),
        sa.Column("title", sa.Text(), nullable=False),
        sa.Column("stride", sa.String(length=40), nullable=False),
        sa.Column("element", sa.String(length=255), nullable=False),
        sa.Column("element_type", sa.String(length=20), nullable=False),
        sa.Column("element_name", sa.Text(), nullable=False),
        sa.Column("line", sa.Integer(), nullable=False),
        sa.Column("severity", sa.String(length=10), nullable=False),
        sa.Column("severity_rank", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("status_note", sa.Text(), nullable=False),
        sa.Column("blocking", sa.Boolean(), nullable=False),
        sa.Column("cwe", sa.JSON(), nullable=False),
        sa.Column("capec", sa.JSON(), nullable=False),
        sa.Column("evidence", sa.JSON(), nullable=False),
        sa.ForeignKeyConstraint(
            ["version_id"],
            ["threat_model_versions.id"],
            name=op.f("fk_threat_model_threats_version_id_threat_model_versions"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_threat_model_threats")),
        sa.UniqueConstraint(
            "version_id",
            "threat_id",
            name=op.f("uq_threat_model_threats_version_id_threat_id"),
        ),
    )
    op.create_index(
        op.f("ix_threat_model_threats_version_id"),
        "threat_model_threats",
        ["version_id", "severity_rank"],
        unique=False,
    )


def downgrade() -> None:
    """Revert this revision."""
    op.drop_index(op.f("ix_threat_model_threats_version_id"), table_name="threat_model_threats")
    op.drop_table("threat_model_threats")
    op.drop_table("threat_model_versions")
    op.drop_table("threat_models")
