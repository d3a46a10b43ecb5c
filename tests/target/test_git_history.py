"""Git history and staged scanning: added lines at real line numbers, errors, collapsing."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from shieldwall.analyzers.secrets import SecretsAnalyzer
from shieldwall.core import AnalysisContext, File, Finding, GitError, UsageError
from shieldwall.core.redaction import secret_hash
from shieldwall.scan.history import collapse_history
from shieldwall.target.git_history import (
    check_repository,
    history_warnings,
    iter_history,
    iter_staged,
)
from tests.analyzers.secrets.samples import Gen, gh
from tests.gitrepo import GitRepo

TOKEN = gh(Gen(), "ghp")
OTHER = gh(Gen(), "ghp")


def commit(repo: GitRepo, message: str, date: str) -> str:
    repo.git("add", "-A")
    repo.git("commit", "-q", "-m", message, f"--date={date}")
    return repo.git("rev-parse", "HEAD").strip()


def scan(files: list[File]) -> list[Finding]:
    analyzer = SecretsAnalyzer()
    out = analyzer.analyze(files, AnalysisContext(root="."))
    return [f for f in out if isinstance(f, Finding)]


@pytest.fixture
def repo(tmp_path: Path) -> GitRepo:
    repo = GitRepo(tmp_path / "repo")
    repo.write("app/settings.py", "DEBUG = False\nNAME = 'shop'\n")
    repo.write("README.md", "# shop\n")
    commit(repo, "initial", "2024-01-01T10:00:00+00:00")
    return repo


def test_history_yields_only_added_lines_at_their_real_line_numbers(repo: GitRepo) -> None:
    repo.write("app/settings.py", f"DEBUG = False\nNAME = 'shop'\n\nGITHUB_TOKEN = '{TOKEN}'\n")
    sha = commit(repo, "add token", "2024-01-02T10:00:00+00:00")
    files = list(iter_history(repo.path))
    newest = files[0]
    assert newest.path == "app/settings.py"
    assert newest.origin["commit"] == sha
    assert newest.origin["author"] == "Test Author <author@example.com>"
    assert newest.origin["date"].startswith("2024-01-02T10:00:00")
    lines = newest.read_text().split("\n")
    assert lines[3] == f"GITHUB_TOKEN = '{TOKEN}'"
    assert lines[:3] == ["", "", ""]  # unchanged lines are blank, not repeated
    findings = scan([newest])
    assert [(f.rule.id, f.location.start_line, f.location.start_column) for f in findings] == [
        ("SW-SEC-043", 4, 17)
    ]
    assert findings[0].properties["commit"] == sha


def test_same_secret_across_commits_collapses_to_its_first_introduction(repo: GitRepo) -> None:
    repo.write("app/settings.py", f"DEBUG = False\nGITHUB_TOKEN = '{TOKEN}'\n")
    first = commit(repo, "add token", "2024-01-02T10:00:00+00:00")
    repo.write("app/settings.py", f"DEBUG = True\nGITHUB_TOKEN = '{TOKEN}'\n")
    commit(repo, "debug on", "2024-01-03T10:00:00+00:00")
    repo.git("checkout", "-q", "-b", "feature")
    repo.write("deploy/env.sh", f"export GH='{TOKEN}'\nexport OTHER='{OTHER}'\n")
    last = commit(repo, "copy token", "2024-01-04T10:00:00+00:00")
    repo.git("checkout", "-q", "main")

    raw = scan(list(iter_history(repo.path)))
    assert len({f.fingerprint for f in raw}) == len(raw)  # kept apart per commit until collapsed
    collapsed = collapse_history(raw)
    by_secret = {f.properties["secret_hash"]: f for f in collapsed}
    assert len(collapsed) == 2
    token = by_secret[secret_hash(TOKEN)]
    assert token.properties["commit"] == first
    assert token.location.path == "app/settings.py"
    assert token.location.start_line == 2
    assert token.properties["commit_count"] == 2  # "debug on" changed line 1 only
    assert token.properties["latest_commit"] == last
    assert [f.properties["commit_count"] for f in collapsed].count(1) == 1


def test_history_collapse_fingerprint_matches_a_work_tree_scan(repo: GitRepo) -> None:
    repo.write("app/settings.py", f"GITHUB_TOKEN = '{TOKEN}'\n")
    commit(repo, "token", "2024-01-02T10:00:00+00:00")
    collapsed = collapse_history(scan(list(iter_history(repo.path))))
    on_disk = scan([File.virtual("app/settings.py", (repo.path / "app/settings.py").read_bytes())])
    assert [f.fingerprint for f in collapsed] == [f.fingerprint for f in on_disk]


def test_since_and_max_commits_limit_the_range(repo: GitRepo) -> None:
    base = repo.git("rev-parse", "HEAD").strip()
    repo.write("a.txt", "one\n")
    commit(repo, "a", "2024-01-02T10:00:00+00:00")
    repo.write("b.txt", "two\n")
    commit(repo, "b", "2024-01-03T10:00:00+00:00")
    assert {f.path for f in iter_history(repo.path, since=base)} == {"a.txt", "b.txt"}
    assert [f.path for f in iter_history(repo.path, max_commits=1)] == ["b.txt"]
    assert {f.path for f in iter_history(repo.path)} >= {"a.txt", "b.txt", "README.md"}


def test_all_branches_by_default_only_head_when_asked(repo: GitRepo) -> None:
    repo.git("checkout", "-q", "-b", "side")
    repo.write("side.txt", "side\n")
    commit(repo, "side", "2024-01-02T10:00:00+00:00")
    repo.git("checkout", "-q", "main")
    assert "side.txt" in {f.path for f in iter_history(repo.path)}
    assert "side.txt" not in {f.path for f in iter_history(repo.path, all_branches=False)}


def test_unusual_paths_deletions_and_binary_files(repo: GitRepo) -> None:
    repo.write('dir with space/ünïcode "q".txt', "hello\n")
    (repo.path / "blob.bin").write_bytes(b"\x00\x01\x02secret")
    (repo.path / "README.md").unlink()
    commit(repo, "odd", "2024-01-02T10:00:00+00:00")
    paths = {f.path for f in iter_history(repo.path, max_commits=1)}
    assert paths == {'dir with space/ünïcode "q".txt'}


def test_staged_scans_exactly_the_index(repo: GitRepo) -> None:
    repo.write("app/settings.py", f"DEBUG = False\nNAME = 'shop'\nTOKEN = '{TOKEN}'\n")
    repo.git("add", "app/settings.py")
    repo.write(
        "app/settings.py", f"DEBUG = False\nNAME = 'shop'\nTOKEN = '{TOKEN}'\nX = '{OTHER}'\n"
    )
    repo.write("untracked.py", f"T = '{OTHER}'\n")
    files = list(iter_staged(repo.path))
    assert [f.path for f in files] == ["app/settings.py"]
    assert files[0].origin["staged"] == "true"
    findings = scan(files)
    assert [(f.rule.id, f.location.start_line) for f in findings] == [("SW-SEC-043", 3)]


def test_staged_in_a_repository_without_commits(tmp_path: Path) -> None:
    repo = GitRepo(tmp_path / "fresh")
    repo.write("x.py", f"T = '{TOKEN}'\n")
    repo.git("add", "x.py")
    assert [f.path for f in iter_staged(repo.path)] == ["x.py"]
    assert list(iter_history(repo.path)) == []


def test_not_a_repository_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(GitError, match="not a git repository"):
        list(iter_history(tmp_path))
    with pytest.raises(GitError, match="no such directory"):
        list(iter_staged(tmp_path / "missing"))


def test_bad_ref_and_bad_count_are_clear_errors(repo: GitRepo) -> None:
    with pytest.raises(GitError, match="does not exist"):
        list(iter_history(repo.path, since="no-such-branch"))
    with pytest.raises(UsageError, match="at least 1"):
        list(iter_history(repo.path, max_commits=0))


def test_bare_repository_history_works_but_staged_is_an_error(
    repo: GitRepo, tmp_path: Path
) -> None:
    repo.write("app/settings.py", f"GITHUB_TOKEN = '{TOKEN}'\n")
    commit(repo, "token", "2024-01-02T10:00:00+00:00")
    bare = tmp_path / "bare.git"
    subprocess.run(["git", "clone", "-q", "--bare", str(repo.path), str(bare)], check=True)
    assert check_repository(bare).bare
    assert [f.rule.id for f in scan(list(iter_history(bare)))] == ["SW-SEC-043"]
    with pytest.raises(GitError, match="bare repository"):
        list(iter_staged(bare))


def test_shallow_clone_warns(repo: GitRepo, tmp_path: Path) -> None:
    repo.write("a.txt", "a\n")
    commit(repo, "a", "2024-01-02T10:00:00+00:00")
    shallow = tmp_path / "shallow"
    subprocess.run(
        ["git", "clone", "-q", "--depth=1", f"file://{repo.path}", str(shallow)], check=True
    )
    assert history_warnings(shallow) and "shallow" in history_warnings(shallow)[0]
    assert history_warnings(repo.path) == ()
    assert list(iter_history(shallow))  # still scans what is there


def test_many_commits_stream(repo: GitRepo) -> None:
    for i in range(60):
        repo.write("log.txt", "".join(f"line {n}\n" for n in range(i + 1)))
        repo.git("add", "-A")
        repo.git("commit", "-q", "-m", f"c{i}")
    iterator = iter_history(repo.path)
    first = next(iterator)  # the newest commit arrives before git has finished
    assert first.path == "log.txt" and first.read_text().split("\n")[59] == "line 59"
    rest = list(iterator)
    assert len([f for f in rest if f.path == "log.txt"]) == 59
