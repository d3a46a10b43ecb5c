from __future__ import annotations

from pathlib import Path

import pytest

from shieldwall.core.config import load_config, parse_size
from shieldwall.core.errors import ConfigError
from tests.fakes import MarkerConfig


def test_precedence_defaults_file_env_cli(tmp_path: Path) -> None:
    (tmp_path / "shieldwall.toml").write_text('fail_on = "medium"\njobs = 3\nexclude = ["a/"]\n')
    loaded = load_config(
        root=tmp_path,
        env={"SHIELDWALL_JOBS": "5", "SHIELDWALL_SCANNERS": "secrets, deps"},
        cli={"fail_on": "critical", "max_file_size": None},
    )
    config = loaded.config
    assert config.fail_on == "critical" and loaded.sources["fail_on"] == "cli:--fail-on"
    assert config.jobs == 5 and loaded.sources["jobs"] == "env:SHIELDWALL_JOBS"
    assert config.exclude == ("a/",) and loaded.sources["exclude"].startswith("file:")
    assert config.scanners == ("secrets", "deps")
    assert loaded.sources["max_file_size"] == "default"


def test_pyproject_tool_table_and_parent_discovery(tmp_path: Path) -> None:
    (tmp_path / ".git").mkdir()
    (tmp_path / "pyproject.toml").write_text('[tool.shieldwall]\nfail_on = "low"\n')
    sub = tmp_path / "src" / "pkg"
    sub.mkdir(parents=True)
    loaded = load_config(root=sub, env={})
    assert loaded.config.fail_on == "low"
    assert loaded.path == tmp_path / "pyproject.toml"


def test_discovery_stops_at_repository_root(tmp_path: Path) -> None:
    (tmp_path / "shieldwall.toml").write_text('fail_on = "low"\n')
    repo = tmp_path / "repo"
    (repo / ".git").mkdir(parents=True)
    assert load_config(root=repo, env={}).config.fail_on == "high"


def test_unknown_key_names_the_key_and_file(tmp_path: Path) -> None:
    config = tmp_path / "shieldwall.toml"
    config.write_text('fail_on = "high"\nfial_on = "low"\n')
    with pytest.raises(ConfigError, match=r"shieldwall\.toml.*unknown key 'fial_on'"):
        load_config(root=tmp_path, env={})


def test_bad_values_are_clear_errors(tmp_path: Path) -> None:
    config = tmp_path / "shieldwall.toml"
    config.write_text('fail_on = "severe"\n')
    with pytest.raises(ConfigError, match="'fail_on'"):
        load_config(root=tmp_path, env={})
    config.write_text("fail_on = \n")
    with pytest.raises(ConfigError, match="invalid TOML"):
        load_config(root=tmp_path, env={})
    config.write_text("")
    with pytest.raises(ConfigError, match="SHIELDWALL_JOBS"):
        load_config(root=tmp_path, env={"SHIELDWALL_JOBS": "many"})
    with pytest.raises(ConfigError, match="not found"):
        load_config(root=tmp_path, config_path=tmp_path / "missing.toml", env={})


def test_ignore_entries_need_a_reason(tmp_path: Path) -> None:
    (tmp_path / "shieldwall.toml").write_text('[[ignore]]\nrule = "SW-SEC-001"\n')
    with pytest.raises(ConfigError, match="reason"):
        load_config(root=tmp_path, env={})
    (tmp_path / "shieldwall.toml").write_text('[[ignore]]\nreason = "x"\n')
    with pytest.raises(ConfigError, match="at least one of rule, path or fingerprint"):
        load_config(root=tmp_path, env={})


def test_analyzer_slice_is_validated(tmp_path: Path) -> None:
    (tmp_path / "shieldwall.toml").write_text('[analyzers.marker]\ncrash_on = "X"\n')
    loaded = load_config(root=tmp_path, env={})
    config = loaded.analyzer_config("marker", MarkerConfig)
    assert isinstance(config, MarkerConfig) and config.crash_on == "X"
    (tmp_path / "shieldwall.toml").write_text('[analyzers.marker]\ncrash = "X"\n')
    loaded = load_config(root=tmp_path, env={})
    with pytest.raises(ConfigError, match=r"\[analyzers\.marker\] unknown key 'crash'"):
        loaded.analyzer_config("marker", MarkerConfig)


@pytest.mark.parametrize(
    ("text", "expected"), [("2MB", 2 * 1024**2), ("512k", 512 * 1024), ("1 GiB", 1024**3), (7, 7)]
)
def test_parse_size(text: object, expected: int) -> None:
    assert parse_size(text) == expected


def test_parse_size_rejects_garbage() -> None:
    with pytest.raises(ValueError, match="not a size"):
        parse_size("lots")
