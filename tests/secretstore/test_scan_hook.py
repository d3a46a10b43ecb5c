"""`shieldwall scan` with leak fingerprints: exact copies of stored secrets are SW-SEC-900."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from shieldwall.analyzers.secrets import SecretsAnalyzer, SecretsConfig
from shieldwall.analyzers.secrets.analyzer import build_detector
from shieldwall.cli.app import app
from shieldwall.core import AnalysisContext, File
from shieldwall.core.errors import ConfigError
from shieldwall.secretstore import EmbeddedStore
from shieldwall.secretstore.fingerprints import (
    build_fingerprints,
    load_fingerprints,
    save_fingerprints,
)

DB = "Pg-9fQ2xL7vNc4Kw8Rt"  # shieldwall: ignore[SW-SEC-001] test values, never real
API = "api-7Hd93kQpZx1mWv5s"  # shieldwall: ignore[SW-SEC-001]


@pytest.fixture
def fingerprints_file(store: EmbeddedStore, tmp_path: Path) -> Path:
    store.write("db/password", DB)
    store.write("app/api-key", API)
    out = tmp_path / "fp" / "leaks.json"
    save_fingerprints(build_fingerprints(store, "team-payments"), out)
    return out


def _tree(root: Path) -> None:
    root.mkdir()
    # Line 2 is a password assignment the generic rule sees too: one finding, SW-SEC-900.
    (root / "settings.py").write_text(f'DEBUG = True\nDB_PASSWORD = "{DB}"\nOTHER = "{DB}x"\n')
    # In a log line no rule would flag; and a near miss (one character off) that must not match.
    (root / "app.log").write_text(
        f"INFO start\nDEBUG calling with key={API} ok\nDEBUG key={API[:-1]}Z\n"
    )
    (root / "tests").mkdir()
    (root / "tests" / "fixture.txt").write_text(f"{DB}\n")


def _scan(root: Path, fp: Path | None, out: Path) -> tuple[int, str, list[dict[str, object]]]:
    config = root / "shieldwall.toml"
    if fp is not None:
        config.write_text(f'[analyzers.secrets]\nleak_fingerprints = "{fp}"\n')
    result = CliRunner().invoke(
        app,
        [
            "scan",
            str(root),
            "--scanners",
            "secrets",
            "--no-progress",
            "-f",
            "json",
            "-o",
            str(out),
        ],
    )
    text = result.output + (out.read_text() if out.exists() else "")
    findings = json.loads(out.read_text())["findings"] if out.exists() else []
    return result.exit_code, text, findings


def test_scan_names_the_leaked_stored_secret(fingerprints_file: Path, tmp_path: Path) -> None:
    root = tmp_path / "tree"
    _tree(root)
    code, text, findings = _scan(root, fingerprints_file, tmp_path / "out.json")
    assert code == 1, text
    leaks = sorted(
        (f["location"]["path"], f["location"]["start_line"], f["properties"]["secret_path"])  # type: ignore[index]
        for f in findings
        if f["rule"]["id"] == "SW-SEC-900"  # type: ignore[index]
    )
    assert leaks == [
        ("app.log", 2, "app/api-key"),
        ("settings.py", 2, "db/password"),
        ("tests/fixture.txt", 1, "db/password"),
    ]
    for finding in findings:
        if finding["rule"]["id"] == "SW-SEC-900":  # type: ignore[index]
            assert finding["severity"] == "critical" and finding["confidence"] == "high"
            assert finding["properties"]["owner"] == "team-payments"  # type: ignore[index]
            assert "shieldwall secrets rotate" in str(finding["message"])
    # The generic finding on the same bytes is replaced, not doubled.
    on_line_2 = [
        f["rule"]["id"]  # type: ignore[index]
        for f in findings
        if f["location"]["path"] == "settings.py" and f["location"]["start_line"] == 2  # type: ignore[index]
    ]
    assert on_line_2 == ["SW-SEC-900"]
    assert DB not in text and API not in text


def test_a_relative_path_is_relative_to_the_config_file(
    fingerprints_file: Path, tmp_path: Path
) -> None:
    root = tmp_path / "tree"
    _tree(root)
    relative = Path("..") / fingerprints_file.relative_to(tmp_path)  # from tree/shieldwall.toml
    code, text, findings = _scan(root, relative, tmp_path / "out.json")  # cwd is elsewhere
    assert code == 1, text
    assert any(f["rule"]["id"] == "SW-SEC-900" for f in findings)  # type: ignore[index]


def test_without_fingerprints_nothing_changes(tmp_path: Path) -> None:
    root = tmp_path / "tree"
    _tree(root)
    _, _, findings = _scan(root, None, tmp_path / "out.json")
    assert findings and all(f["rule"]["id"] != "SW-SEC-900" for f in findings)  # type: ignore[index]


def test_analyzer_negatives(fingerprints_file: Path) -> None:
    """Near misses: a prefix, a longer token, a different case, a value split across lines."""
    config = SecretsConfig(leak_fingerprints=str(fingerprints_file))
    ctx = AnalysisContext(root=".", config=config)
    text = f"a={DB}0\nb={DB[:-1]}\nc={DB.lower()}\nd={DB[:8]}\n{DB[8:]}\ne=x{API}\n"
    file = File(path="notes.txt", abspath="", size=len(text), data=text.encode())
    found = list(
        SecretsAnalyzer().analyze_file(
            file, ctx, build_detector(config), load_fingerprints(fingerprints_file)
        )
    )
    assert [f for f in found if getattr(f, "rule", None) and f.rule.id == "SW-SEC-900"] == []


def test_fingerprint_file_holds_no_value_and_is_private(fingerprints_file: Path) -> None:
    raw = fingerprints_file.read_text()
    assert DB not in raw and API not in raw
    assert fingerprints_file.stat().st_mode & 0o777 == 0o600
    loaded = load_fingerprints(fingerprints_file)
    assert {path for path, _ in loaded.digests.values()} == {"db/password", "app/api-key"}


def test_bad_fingerprint_file_is_a_config_error(tmp_path: Path) -> None:
    from shieldwall.analyzers.secrets.leaks import load_leak_fingerprints

    bad = tmp_path / "bad.json"
    bad.write_text('{"format": "something else"}')
    with pytest.raises(ConfigError, match="leak_fingerprints"):
        load_leak_fingerprints(str(bad))
    with pytest.raises(ConfigError, match="cannot read"):
        load_leak_fingerprints(str(tmp_path / "absent.json"))


def test_history_scan_finds_a_removed_copy(fingerprints_file: Path, tmp_path: Path) -> None:
    from tests.gitrepo import GitRepo

    repo = GitRepo(tmp_path / "repo")
    repo.write("deploy.log", f"connecting with {API}\n")
    repo.commit("add log")
    repo.git("rm", "-q", "deploy.log")
    repo.commit("remove log")
    (repo.path / "shieldwall.toml").write_text(
        f'[analyzers.secrets]\nleak_fingerprints = "{fingerprints_file}"\n'
    )
    out = tmp_path / "history.json"
    result = CliRunner().invoke(
        app,
        [
            "scan",
            str(repo.path),
            "--git-history",
            "--scanners",
            "secrets",
            "--no-progress",
            "-f",
            "json",
            "-o",
            str(out),
        ],
    )
    findings = json.loads(out.read_text())["findings"]
    leaks = [f for f in findings if f["rule"]["id"] == "SW-SEC-900"]
    assert result.exit_code == 1 and len(leaks) == 1, result.output
    assert leaks[0]["properties"]["secret_path"] == "app/api-key"
    assert leaks[0]["location"]["path"] == "deploy.log"
    assert API not in result.output + out.read_text()


def test_image_scan_finds_a_copy_in_a_root_filesystem(
    fingerprints_file: Path, tmp_path: Path
) -> None:
    rootfs = tmp_path / "rootfs"
    (rootfs / "etc" / "app").mkdir(parents=True)
    (rootfs / "etc" / "os-release").write_text("ID=debian\n")
    (rootfs / "etc" / "app" / "app.conf").write_text(f"token {DB}\n")
    config = tmp_path / "sw.toml"
    config.write_text(f'[analyzers.secrets]\nleak_fingerprints = "{fingerprints_file}"\n')
    out = tmp_path / "image.json"
    args = ["image", str(rootfs), "--scanners", "secrets", "--config", str(config)]
    result = CliRunner().invoke(app, [*args, "--no-progress", "-f", "json", "-o", str(out)])
    findings = json.loads(out.read_text())["findings"]
    assert [(f["rule"]["id"], f["location"]["path"]) for f in findings] == [
        ("SW-SEC-900", "etc/app/app.conf")
    ], result.output
    assert DB not in result.output + out.read_text()
