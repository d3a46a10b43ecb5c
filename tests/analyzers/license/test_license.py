"""License normalisation and the deny/allow policy."""

from __future__ import annotations

import pickle
from pathlib import Path

import pytest

from shieldwall.analyzers.license import LicenseAnalyzer, LicenseConfig
from shieldwall.analyzers.license.spdx import canonical_ids, normalize, permitted
from shieldwall.core import AnalysisContext, AnalysisError, File, Finding


@pytest.mark.parametrize(
    ("declared", "spdx"),
    [
        ("MIT", "MIT"),
        ("mit", "MIT"),
        ("MIT License", "MIT"),
        ("Apache 2.0", "Apache-2.0"),
        ("GPL-2.0+", "GPL-2.0-or-later"),
        ("(MIT OR Apache-2.0)", "MIT OR Apache-2.0"),
        ("Apache-2.0 WITH LLVM-exception", "Apache-2.0 WITH LLVM-exception"),
    ],
)
def test_normalisation(declared: str, spdx: str) -> None:
    parsed = normalize(declared)
    assert parsed.spdx == spdx and not parsed.unknown


@pytest.mark.parametrize("declared", ["", "UNKNOWN", "MIT License AND", "BSD"])
def test_unknown_or_invalid(declared: str) -> None:
    parsed = normalize(declared)
    assert parsed.expression is None or parsed.unknown


def test_policy_evaluation() -> None:
    deny = canonical_ids(["AGPL-3.0"])  # a deprecated id is upgraded to AGPL-3.0-only
    assert deny == {"AGPL-3.0-only"}

    def ok(text: str, allow: frozenset[str] = frozenset()) -> bool:
        parsed = normalize(text)
        assert parsed.expression is not None
        return permitted(parsed.expression, deny, allow)

    assert not ok("AGPL-3.0-only")
    assert ok("MIT OR AGPL-3.0-only")
    assert not ok("MIT AND AGPL-3.0-only")
    assert ok("MIT", frozenset({"MIT", "Apache-2.0"}))
    assert not ok("BSD-3-Clause", frozenset({"MIT"}))
    assert ok("BSD-3-Clause OR MIT", frozenset({"MIT"}))


def run(tmp_path: Path, name: str, text: str, config: LicenseConfig) -> list[Finding]:
    path = tmp_path / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)
    analyzer = pickle.loads(pickle.dumps(LicenseAnalyzer()))  # noqa: S301 - as the pool does
    assert analyzer.wants(name)
    ctx = AnalysisContext(root=str(tmp_path), config=config)
    return [
        f
        for f in analyzer.analyze([File(name, str(path), path.stat().st_size)], ctx)
        if isinstance(f, Finding)
    ]


LOCK = """{"lockfileVersion": 3, "packages": {"": {},
 "node_modules/a": {"version": "1.0.0", "license": "MIT"},
 "node_modules/b": {"version": "1.0.0", "license": "BSD-3-Clause"},
 "node_modules/c": {"version": "1.0.0"}}}"""


def test_allow_list(tmp_path: Path) -> None:
    findings = run(tmp_path, "package-lock.json", LOCK, LicenseConfig(allow=("MIT",)))
    assert sorted((f.rule.id, f.location.name) for f in findings) == [  # type: ignore[union-attr]
        ("SW-LIC-001", "b"),
        ("SW-LIC-002", "c"),
    ]
    assert (
        "not in the allow list" in findings[0].message
        or "not in the allow list" in findings[1].message
    )


def test_report_unknown_off_and_custom_deny(tmp_path: Path) -> None:
    config = LicenseConfig(deny=("BSD-3-Clause",), report_unknown=False)
    findings = run(tmp_path, "package-lock.json", LOCK, config)
    assert [(f.rule.id, f.location.name) for f in findings] == [("SW-LIC-001", "b")]  # type: ignore[union-attr]


def test_bad_lockfile_is_an_analysis_error(tmp_path: Path) -> None:
    with pytest.raises(AnalysisError, match="not valid JSON"):
        run(tmp_path, "composer.lock", "{broken", LicenseConfig())


def test_unknown_config_key_is_rejected() -> None:
    with pytest.raises(ValueError, match="extra"):
        LicenseConfig(denied=("MIT",))  # type: ignore[call-arg]
