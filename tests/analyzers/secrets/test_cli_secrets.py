"""End to end through the CLI: work tree, --git-history and --staged, nothing leaked."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from shieldwall.cli.app import app
from tests.analyzers.secrets.samples import Gen, gh
from tests.gitrepo import GitRepo

TOKEN = gh(Gen(), "ghp")
# The first CLI call imports every analyzer and reporter (~10 s on a loaded machine).
pytestmark = pytest.mark.slow


@pytest.fixture
def repo(tmp_path: Path) -> GitRepo:
    repo = GitRepo(tmp_path / "repo")
    repo.write("app.py", f'A = 1\nGH = "{TOKEN}"\n')
    repo.commit("one")
    repo.write("app.py", f'A = 2\nGH = "{TOKEN}"\n')
    repo.commit("two")
    repo.git("rm", "-q", "app.py")
    repo.commit("remove")
    return repo


def run(args: list[str], out: Path) -> tuple[int, str, list[dict[str, object]]]:
    result = CliRunner().invoke(
        app, ["scan", *args, "--scanners", "secrets", "--no-progress", "-f", "json", "-o", str(out)]
    )
    text = result.output + (out.read_text() if out.exists() else "")
    findings = json.loads(out.read_text())["findings"] if out.exists() else []
    return result.exit_code, text, findings


def test_work_tree_scan_misses_a_removed_secret_history_finds_it(
    repo: GitRepo, tmp_path: Path
) -> None:
    code, text, findings = run([str(repo.path)], tmp_path / "tree.json")
    assert code == 0 and findings == []
    code, text, findings = run([str(repo.path), "--git-history"], tmp_path / "history.json")
    assert code == 1
    assert TOKEN not in text
    (finding,) = findings
    location = finding["location"]
    assert isinstance(location, dict) and location["path"] == "app.py"
    assert location["start_line"] == 2
    properties = finding["properties"]
    assert isinstance(properties, dict)
    assert (
        properties["commit_count"] == 1
        and properties["author"] == "Test Author <author@example.com>"
    )


def test_staged_scans_only_the_index(repo: GitRepo, tmp_path: Path) -> None:
    repo.write("new.py", f'K = "{TOKEN}"\n')
    code, _, findings = run([str(repo.path), "--staged"], tmp_path / "unstaged.json")
    assert code == 0 and findings == []  # in the work tree, not staged
    repo.git("add", "new.py")
    code, text, findings = run([str(repo.path), "--staged"], tmp_path / "staged.json")
    assert code == 1 and TOKEN not in text
    assert [(f["location"]["path"], f["location"]["start_line"]) for f in findings] == [  # type: ignore[index]
        ("new.py", 1)
    ]


def test_bad_ref_is_a_clear_error(repo: GitRepo, tmp_path: Path) -> None:
    code, text, _ = run([str(repo.path), "--git-history", "--since", "nope"], tmp_path / "x.json")
    assert code in (2, 3) and "nope" in text
