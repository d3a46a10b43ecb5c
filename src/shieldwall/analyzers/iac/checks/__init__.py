"""Checks written in Python, for what the YAML condition language cannot say simply.

IAM documents (wildcards, public principals, privilege escalation), security group port ranges,
and Dockerfile instructions.
"""

from __future__ import annotations

from shieldwall.analyzers.iac.checks.base import DockerfileCheck
from shieldwall.analyzers.iac.checks.cloud_network import CLOUD_NETWORK_CHECKS
from shieldwall.analyzers.iac.checks.dockerfile import DOCKERFILE_CHECKS
from shieldwall.analyzers.iac.checks.env_secrets import ENV_SECRET_CHECKS
from shieldwall.analyzers.iac.checks.iam import IAM_CHECKS
from shieldwall.analyzers.iac.checks.network import NETWORK_CHECKS
from shieldwall.analyzers.iac.policy import Check

PYTHON_CHECKS: tuple[Check, ...] = (
    *IAM_CHECKS,
    *NETWORK_CHECKS,
    *CLOUD_NETWORK_CHECKS,
    *ENV_SECRET_CHECKS,
)

__all__ = ["DOCKERFILE_CHECKS", "PYTHON_CHECKS", "DockerfileCheck"]
