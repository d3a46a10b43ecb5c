"""A realistic ScanResult covering everything a report must show.

Every location kind (source with snippet, package with fixed versions and dependency path, image,
URL with parameter), a trace, one suppressed finding per ``SuppressionKind``, a secret finding
with its redacted preview, scan errors, skipped files, warnings and markup in a message.
"""

from __future__ import annotations

import io
from dataclasses import replace
from types import MappingProxyType

from shieldwall import __version__
from shieldwall.core import (
    Confidence,
    Finding,
    Fix,
    ImageLocation,
    PackageLocation,
    Purl,
    Reporter,
    Rule,
    RuleId,
    ScanError,
    ScanResult,
    ScanStats,
    Severity,
    SkippedFile,
    SkipReason,
    SourceLocation,
    Suppression,
    SuppressionKind,
    TraceStep,
    UrlLocation,
)

SECRET = "AKIAIOSFODNN7EXAMPLE"

SQLI = Rule.create(
    id="SW-PY-001",
    title="SQL query built from user input",
    severity=Severity.HIGH,
    scanner="sast",
    description="A request parameter reaches a SQL query without parameter binding.",
    remediation="Use bound parameters: cursor.execute(sql, (value,)).",
    cwe=["CWE-89", "CWE-943"],
    references=["https://owasp.org/Top10/A03_2021-Injection/"],
    tags=["injection"],
)
YAML_LOAD = Rule.create(
    id="SW-PY-002",
    title="Unsafe YAML load",
    severity=Severity.MEDIUM,
    scanner="sast",
    description="yaml.load with the full loader builds arbitrary objects.",
    remediation="Use yaml.safe_load.",
    cwe=["CWE-502"],
    aliases=["SW-PY-900"],
)
UNUSED = Rule.create(
    id="SW-PY-003",
    title="Use of assert for access control",
    severity=Severity.LOW,
    scanner="sast",
    confidence=Confidence.MEDIUM,
    cwe=["CWE-703"],
)
AWS_KEY = Rule.create(
    id="SW-SEC-001",
    title="AWS access key id",
    severity=Severity.CRITICAL,
    scanner="secrets",
    description="An AWS access key id is committed to the repository.",
    remediation="Revoke the key in IAM and load credentials from the environment.",
    cwe=["CWE-798"],
)
VULN_DEP = Rule.create(
    id="SW-DEP-001",
    title="Package with a known vulnerability",
    severity=Severity.HIGH,
    scanner="deps",
    description="A dependency version is affected by a published advisory.",
    remediation="Upgrade to a fixed version.",
    cwe=["CWE-1395"],
    references=["https://osv.dev/"],
)
IMAGE_SHADOW = Rule.create(
    id="SW-IMG-001",
    title="World-writable file in image",
    severity=Severity.LOW,
    scanner="image",
    cwe=["CWE-732"],
)
XSS = Rule.create(
    id="SW-DAST-001",
    title="Reflected cross-site scripting",
    severity=Severity.HIGH,
    scanner="dast",
    description="A request parameter is reflected into HTML without encoding.",
    remediation="Encode output for the HTML context.",
    cwe=["CWE-79"],
    confidence=Confidence.MEDIUM,
)
DOCKER_ROOT = Rule.create(
    id="SW-IAC-001",
    title="Container runs as root",
    severity=Severity.INFO,
    scanner="iac",
    cwe=["CWE-250"],
)

ALL_RULES = (SQLI, YAML_LOAD, UNUSED, AWS_KEY, VULN_DEP, IMAGE_SHADOW, XSS, DOCKER_ROOT)


def _findings() -> list[Finding]:
    sqli = Finding.create(
        rule=SQLI,
        message="user input from request.args['id'] reaches cursor.execute",
        location=SourceLocation(
            path="app/views.py",
            start_line=42,
            end_line=42,
            start_column=5,
            end_column=48,
            snippet='cursor.execute("SELECT * FROM t WHERE id=" + uid)',
        ),
        trace=(
            TraceStep(
                SourceLocation("app/views.py", 40, snippet="uid = request.args['id']"),
                "source: request.args",
            ),
            TraceStep(SourceLocation("app/views.py", 41, snippet="q = base + uid"), "propagates"),
            TraceStep(
                SourceLocation("app/views.py", 42, start_column=5, end_column=48), "sink: execute"
            ),
        ),
        fix=Fix(
            replacement='cursor.execute("SELECT * FROM t WHERE id=%s", (uid,))',
            description="Bind the parameter",
        ),
    )
    secret = Finding.create(
        rule=AWS_KEY,
        message=f"AWS access key id {SECRET} in settings",
        location=SourceLocation(
            path="config/settings.py", start_line=7, snippet=f'AWS_KEY = "{SECRET}"'
        ),
        secret=SECRET,
        properties={"detector": "aws-access-key-id", "entropy": 3.68},
    )
    dep = Finding.create(
        rule=VULN_DEP,
        message="jinja2 2.10 is affected by GHSA-462w-v97r-4m45 (sandbox escape)",
        location=PackageLocation(
            path="requirements.txt",
            purl=Purl("pkg:pypi/jinja2@2.10"),
            name="jinja2",
            version="2.10",
            ecosystem="PyPI",
            line=3,
            dependency_path=("flask@1.0", "jinja2@2.10"),
        ),
        severity=Severity.CRITICAL,
        fix=Fix(fixed_versions=("2.10.1", "3.1.3"), description="Upgrade jinja2"),
        properties={"advisory": "GHSA-462w-v97r-4m45", "aliases": ["CVE-2019-10906"]},
    )
    image = Finding.create(
        rule=IMAGE_SHADOW,
        message="/etc/app.conf is world-writable",
        location=ImageLocation(image="shop:1.4", path="/etc/app.conf", layer="sha256:5f70bf18a086"),
    )
    xss = Finding.create(
        rule=XSS,
        message='parameter q is reflected: <script>alert(1)</script> & "quotes" | pipe',
        location=UrlLocation(url="http://127.0.0.1:8000/search?q=x", method="GET", parameter="q"),
    )
    yaml_inline = Finding.create(
        rule=YAML_LOAD,
        message="yaml.load without SafeLoader",
        location=SourceLocation(path="app/loader.py", start_line=12, snippet="yaml.load(data)"),
    )
    baseline = Finding.create(
        rule=YAML_LOAD,
        message="yaml.load without SafeLoader",
        location=SourceLocation(path="scripts/seed.py", start_line=3, snippet="yaml.load(f)"),
    )
    ignored = Finding.create(
        rule=DOCKER_ROOT,
        message="Dockerfile has no USER instruction",
        location=SourceLocation(path="Dockerfile", start_line=1, snippet="FROM python:3.11"),
    )
    vex = Finding.create(
        rule=VULN_DEP,
        message="urllib3 1.24 is affected by CVE-2019-11324",
        location=PackageLocation(
            path="requirements.txt",
            purl=Purl("pkg:pypi/urllib3@1.24"),
            name="urllib3",
            version="1.24",
            ecosystem="PyPI",
            line=4,
        ),
    )
    return [
        sqli,
        secret,
        dep,
        image,
        xss,
        replace(yaml_inline, suppression=Suppression(SuppressionKind.INLINE, "input is trusted")),
        replace(baseline, suppression=Suppression(SuppressionKind.BASELINE)),
        replace(
            ignored,
            suppression=Suppression(SuppressionKind.IGNORE, "dev image only", "2099-12-31"),
        ),
        replace(vex, suppression=Suppression(SuppressionKind.VEX, "vulnerable_code_not_present")),
    ]


def sample_result() -> ScanResult:
    """The realistic result every report test writes."""
    return ScanResult(
        target="examples/shop",
        findings=tuple(_findings()),
        errors=(
            ScanError("app/broken.py", "app/broken.py: not valid UTF-8 (byte 17)", "sast"),
            ScanError("charts/values.yaml", "YAML parse error at line 3: <tab> found", "iac"),
        ),
        skipped=(
            SkippedFile("static/logo.png", SkipReason.BINARY),
            SkippedFile("data/dump.sql", SkipReason.TOO_LARGE, "12.0 MB > 5.0 MB"),
        ),
        stats=ScanStats(
            files_scanned=120,
            bytes_scanned=482_113,
            files_skipped=2,
            files_ignored=31,
            duration_seconds=1.2345,
            findings_by_analyzer=MappingProxyType(
                {"dast": 1, "deps": 2, "iac": 1, "image": 1, "sast": 3, "secrets": 1}
            ),
        ),
        rules=MappingProxyType({RuleId(r.id): r for r in ALL_RULES}),
        analyzers=("sast", "secrets", "deps", "iac", "image", "dast"),
        warnings=("ignore entry for SW-IAC-009 expired on 2024-01-01 and no longer suppresses",),
        started_at="2026-11-29T21:00:00+00:00",
        tool_version=__version__,
    )


def empty_result() -> ScanResult:
    """A clean scan: nothing found, nothing failed."""
    return ScanResult(
        target="clean",
        findings=(),
        rules=MappingProxyType({RuleId(UNUSED.id): UNUSED}),
        analyzers=("sast",),
        started_at="2026-11-29T21:00:00+00:00",
        tool_version=__version__,
    )


def render(reporter: Reporter, result: ScanResult, *, color: bool = False) -> str:
    """What a reporter writes for a result."""
    stream = io.StringIO()
    reporter.write(result, stream, color=color)
    return stream.getvalue()
