"""Secrets in response bodies and JavaScript files, found by the secrets analyzer's own rules.

The detector (provider rules plus generic detection) is the one ``shieldwall scan`` uses, so a
key a scan would flag in a repository is flagged when a live app serves it. A finding carries
the secrets rule (``SW-SEC-…``), a URL location, a salted hash and a redacted preview: the value
itself is masked in the message and throughout the recorded evidence.
"""

from __future__ import annotations

from shieldwall.analyzers.secrets.analyzer import build_detector
from shieldwall.analyzers.secrets.config import SecretsConfig
from shieldwall.core.finding import Finding
from shieldwall.core.redaction import redact
from shieldwall.dast.evidence import make_finding
from shieldwall.dast.model import Exchange

# Bodies are capped by the client already (1 MB); secrets hide near the top of bundles too.
_MAX_SCANNED = 1_000_000
_MINIFIED_LINE = 1000
_SCANNED_TYPES = ("html", "javascript", "json", "text/", "xml", "ecmascript")


def _minified(text: str) -> bool:
    """Long average lines (bundles): name-based generic detection would only add noise there."""
    return len(text) > 4096 and len(text) / (text.count("\n") + 1) > _MINIFIED_LINE


def wants_secrets_scan(exchange: Exchange) -> bool:
    """Text responses (pages, scripts, JSON, plain text) with a body."""
    return bool(exchange.body) and any(kind in exchange.content_type for kind in _SCANNED_TYPES)


def secrets_in(exchange: Exchange, config: SecretsConfig | None = None) -> list[Finding]:
    """One finding per secret the secrets rules detect in the response body.

    ``config`` is the project's ``[analyzers.secrets]`` slice: disabled rules, extra rules and
    the generic rules' thresholds apply to responses as to files.
    """
    if not wants_secrets_scan(exchange):
        return []
    # The detector works on Latin-1 text of the raw bytes (as for files): round-trip through it.
    text = exchange.body[:_MAX_SCANNED].encode("utf-8").decode("latin-1")
    detector = build_detector(config or SecretsConfig())
    candidates = detector.scan(text, config_file=False, minified=_minified(text))
    values = [c.secret.encode("latin-1").decode("utf-8", "replace") for c in candidates]
    findings = []
    for candidate, value in zip(candidates, values, strict=True):
        rule = candidate.rule
        findings.append(
            make_finding(
                rule,
                exchange,
                f"{rule.title} in the response body ({redact(value)})",
                proof=value,
                hide=tuple(values),  # every secret of the page: excerpts can overlap
                secret=value,
                details={"content_type": exchange.content_type.split(";")[0]},
            )
        )
    return findings
