"""Declared license strings to SPDX expressions (license-expression), and policy evaluation.

Registries hold free text: ``MIT``, ``Apache 2.0``, trove classifiers such as ``MIT License``,
composer arrays meaning "any of". Known spellings are mapped to SPDX ids first; the rest is parsed
as an SPDX expression, where deprecated ids are upgraded (``GPL-2.0+`` to ``GPL-2.0-or-later``).
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from functools import lru_cache

from license_expression import (  # type: ignore[import-untyped]
    ExpressionError,
    LicenseExpression,
    LicenseSymbol,
    LicenseWithExceptionSymbol,
    Licensing,
    get_spdx_licensing,
)

# Common non-SPDX spellings (trove classifiers and registry free text) with one clear meaning.
ALIASES = {
    "mit license": "MIT",
    "the mit license": "MIT",
    "apache 2.0": "Apache-2.0",
    "apache 2": "Apache-2.0",
    "apache-2": "Apache-2.0",
    "apache license 2.0": "Apache-2.0",
    "apache license, version 2.0": "Apache-2.0",
    "apache software license": "Apache-2.0",
    "isc license": "ISC",
    "isc license (iscl)": "ISC",
    "bsd-3": "BSD-3-Clause",
    "new bsd license": "BSD-3-Clause",
    "simplified bsd license": "BSD-2-Clause",
    "mozilla public license 2.0 (mpl 2.0)": "MPL-2.0",
    "gnu general public license v2 (gplv2)": "GPL-2.0-only",
    "gnu general public license v3 (gplv3)": "GPL-3.0-only",
    "gnu lesser general public license v3 (lgplv3)": "LGPL-3.0-only",
    "gnu lesser general public license v2 or later (lgplv2+)": "LGPL-2.0-or-later",
    "gnu affero general public license v3": "AGPL-3.0-only",
    "gnu affero general public license v3 or later (agplv3+)": "AGPL-3.0-or-later",
    "python software foundation license": "PSF-2.0",
    "the unlicense (unlicense)": "Unlicense",
    "public domain": "LicenseRef-Public-Domain",
}


@lru_cache(maxsize=1)
def licensing() -> Licensing:
    """The SPDX licensing index (built once per process; it is large)."""
    return get_spdx_licensing()


@dataclass(frozen=True, slots=True)
class Normalized:
    """A declared license as an SPDX expression, or why it is not one."""

    declared: str
    expression: LicenseExpression | None
    unknown: tuple[str, ...] = ()
    error: str = ""

    @property
    def spdx(self) -> str:
        """The rendered SPDX expression ("" when it could not be parsed)."""
        return str(self.expression.render()) if self.expression is not None else ""


def normalize(declared: str) -> Normalized:
    """Parse a declared license into an SPDX expression."""
    text = ALIASES.get(declared.strip().lower(), declared.strip())
    if not text or text.upper() in {"UNKNOWN", "NONE", "UNLICENSED", "SEE LICENSE IN LICENSE"}:
        return Normalized(declared, None, error="no license declared")
    try:
        expression = licensing().parse(text, validate=False)
    except ExpressionError as exc:
        return Normalized(declared, None, error=f"not an SPDX expression ({exc})")
    if expression is None:
        return Normalized(declared, None, error="no license declared")
    unknown = tuple(
        key
        for key in licensing().unknown_license_keys(expression)
        if not key.startswith("LicenseRef-")
    )
    return Normalized(declared, expression, unknown=unknown)


def permitted(expression: LicenseExpression, deny: Collection[str], allow: Collection[str]) -> bool:
    """Whether some choice the expression offers avoids every denied (and non-allowed) license.

    ``A OR B`` is permitted when either is; ``A AND B`` needs both; an exception (``WITH``) is
    judged by its license.
    """
    lic = licensing()

    def ok(node: object) -> bool:
        if isinstance(node, LicenseWithExceptionSymbol):
            return ok(node.license_symbol)
        if isinstance(node, LicenseSymbol):
            key = str(node.key)
            return key not in deny and (not allow or key in allow)
        if isinstance(node, lic.AND):
            return all(ok(arg) for arg in node.args)
        if isinstance(node, lic.OR):
            return any(ok(arg) for arg in node.args)
        return False

    return ok(expression)


def canonical_ids(ids: Collection[str]) -> frozenset[str]:
    """SPDX ids of a policy list, with deprecated ids upgraded (``AGPL-3.0`` to ``-only``)."""
    out = set()
    for value in ids:
        parsed = normalize(value)
        out.add(parsed.spdx if parsed.expression is not None else value)
    return frozenset(out)
