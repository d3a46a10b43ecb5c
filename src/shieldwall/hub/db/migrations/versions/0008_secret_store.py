"""The hub as a secret store (issue 13): KV v2 secrets and audit.

Revision ID: 0008
Revises: 0007
Create Date: 2026-11-29 23:50:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Apply this revision."""
    op.create_table(
        "kv_secrets",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("mount", sa.String(length=100), nullable=False),
        sa.Column("path", sa.String(length=500), nullable=False),
        sa.Column("current_version", sa.Integer(), nullable=False),
        sa.Column("max_versions", sa.Integer(), nullable=False),
        sa.Column("cas_required", sa.Boolean(), nullable=False),
        sa.Column("custom_metadata", sa.JSON(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_kv_secrets")),
        sa.UniqueConstraint("mount", "path", name=op.f("uq_kv_secrets_mount_path")),
    )
    op.create_table(
        "kv_versions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("secret_id", sa.Integer(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("deleted_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("destroyed", sa.Boolean(), nullable=False),
        sa.Column("wrapped_key", sa.Text(), nullable=False),
        sa.Column("key_nonce", sa.String(length=32), nullable=False),
        sa.Column("nonce", sa.String(length=32), nullable=False),
        sa.Column("ciphertext", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["secret_id"],
            ["kv_secrets.id"],
            name=op.f("fk_kv_versions_secret_id_kv_secrets"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_kv_versions")),
        sa.UniqueConstraint("secret_id", "version", name=op.f("uq_kv_versions_secret_id_version")),
    )
    op.create_table(
        "kv_policies",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.Column("rules", sa.JSON(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_kv_policies")),
        sa.UniqueConstraint("name", name=op.f("uq_kv_policies_name")),
    )
    op.create_table(
        "kv_token_policies",
        sa.Column("token_id", sa.Integer(), nullable=False),
        sa.Column("policy_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["policy_id"],
            ["kv_policies.id"],
            name=op.f("fk_kv_token_policies_policy_id_kv_policies"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["token_id"],
            ["api_tokens.id"],
            name=op.f("fk_kv_token_policies_token_id_api_tokens"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("token_id", "policy_id", name=op.f("pk_kv_token_policies")),
    )
    op.create_table(
        "kv_auth_roles",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.Column("bound_service_account_names", sa.JSON(), nullable=False),
        sa.Column("bound_service_account_namespaces", sa.JSON(), nullable=False),
        sa.Column("policies", sa.JSON(), nullable=False),
        sa.Column("ttl_seconds", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_kv_auth_roles")),
        sa.UniqueConstraint("name", name=op.f("uq_kv_auth_roles_name")),
    )
    op.create_table(
        "kv_db_roles",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.Column("member_of", sa.JSON(), nullable=False),
        sa.Column("ttl_seconds", sa.Integer(), nullable=False),
        sa.Column("max_ttl_seconds", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_kv_db_roles")),
        sa.UniqueConstraint("name", name=op.f("uq_kv_db_roles_name")),
    )
    op.create_table(
        "kv_leases",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("lease_id", sa.String(length=200), nullable=False),
        sa.Column("role", sa.String(length=100), nullable=False),
        sa.Column("username", sa.String(length=100), nullable=False),
        sa.Column("owner", sa.String(length=150), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("revoked_at", sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_kv_leases")),
        sa.UniqueConstraint("lease_id", name=op.f("uq_kv_leases_lease_id")),
    )
    op.create_table(
        "secret_audit_sources",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("source", sa.String(length=64), nullable=False),
        sa.Column("label", sa.String(length=300), nullable=False),
        sa.Column("last_seq", sa.Integer(), nullable=False),
        sa.Column("last_hash", sa.String(length=64), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_secret_audit_sources")),
        sa.UniqueConstraint("source", name=op.f("uq_secret_audit_sources_source")),
    )


def downgrade() -> None:
    """Revert this revision."""
    op.drop_table("secret_audit_sources")
    op.drop_table("kv_auth_roles")
    op.drop_table("kv_leases")
    op.drop_table("kv_db_roles")
    op.drop_table("kv_token_policies")
    op.drop_table("kv_policies")
    op.drop_table("kv_versions")
    op.drop_table("kv_secrets")
