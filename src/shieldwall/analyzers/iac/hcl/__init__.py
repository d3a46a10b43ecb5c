"""A small HCL2 parser with exact line numbers (Terraform's configuration language)."""

from __future__ import annotations

from shieldwall.analyzers.iac.hcl.ast import Attribute, Block, Body, Expr
from shieldwall.analyzers.iac.hcl.parser import HclSyntaxError, parse_hcl

__all__ = ["Attribute", "Block", "Body", "Expr", "HclSyntaxError", "parse_hcl"]
