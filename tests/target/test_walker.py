from __future__ import annotations

import os
from pathlib import Path

import pytest

from shieldwall.core.errors import UsageError
from shieldwall.core.result import SkipReason
from shieldwall.target.walker import WalkCounters, WalkOptions, walk


def _tree(root: Path, files: dict[str, str]) -> None:
    for rel, text in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)


def _paths(root: Path, **options: object) -> list[str]:
    return [f.path for f in walk(root, WalkOptions(**options))]  # type: ignore[arg-type]


def test_gitignore_at_every_level_with_negation(tmp_path: Path) -> None:
    _tree(
        tmp_path,
        {
            ".gitignore": "*.log\nbuild/\n",
            "keep.py": "",
            "debug.log": "",
            "build/out.py": "",
            "sub/.gitignore": "!important.log\nlocal.py\n",
            "sub/important.log": "",
            "sub/other.log": "",
            "sub/local.py": "",
            "sub/deeper/local.py": "",
            "other/local.py": "",
        },
    )
    assert _paths(tmp_path) == [
        ".gitignore",
        "keep.py",
        "other/local.py",
        "sub/.gitignore",
        "sub/important.log",
    ]


def test_shieldwallignore_and_configured_excludes(tmp_path: Path) -> None:
    _tree(
        tmp_path,
        {
            ".shieldwallignore": "fixtures/\n",
            "a.py": "",
            "fixtures/x.py": "",
            "vendor/lib.py": "",
            "docs/readme.md": "",
        },
    )
    assert _paths(tmp_path, exclude=("vendor/", "*.md")) == [".shieldwallignore", "a.py"]


def test_vcs_directories_are_never_walked(tmp_path: Path) -> None:
    _tree(tmp_path, {".git/config": "", "a.py": ""})
    assert _paths(tmp_path) == ["a.py"]


def test_large_files_are_reported_not_silently_dropped(tmp_path: Path) -> None:
    _tree(tmp_path, {"small.txt": "x", "big.txt": "x" * 5000})
    counters = WalkCounters()
    files = list(walk(tmp_path, WalkOptions(max_file_size=1000), counters))
    assert [f.path for f in files] == ["small.txt"]
    assert [(s.path, s.reason) for s in counters.skipped] == [("big.txt", SkipReason.TOO_LARGE)]


def test_symlinks_out_of_the_tree_are_not_followed(tmp_path: Path) -> None:
    outside = tmp_path / "outside"
    _tree(outside, {"secret.txt": "x"})
    root = tmp_path / "root"
    _tree(root, {"a.txt": "a", "dir/b.txt": "b"})
    (root / "escape.txt").symlink_to(outside / "secret.txt")
    (root / "escape_dir").symlink_to(outside, target_is_directory=True)
    (root / "inside.txt").symlink_to(root / "a.txt")
    (root / "loop").symlink_to(root, target_is_directory=True)
    counters = WalkCounters()
    files = [f.path for f in walk(root, WalkOptions(), counters)]
    assert files == ["a.txt", "dir/b.txt"]
    reasons = {s.path: s.reason for s in counters.skipped}
    assert reasons == {
        "escape.txt": SkipReason.SYMLINK_OUTSIDE,
        "escape_dir": SkipReason.SYMLINK_OUTSIDE,
    }


@pytest.mark.skipif(os.geteuid() == 0, reason="root can read anything")
def test_unreadable_directory_is_reported(tmp_path: Path) -> None:
    _tree(tmp_path, {"locked/a.txt": "x", "b.txt": "y"})
    (tmp_path / "locked").chmod(0)
    counters = WalkCounters()
    try:
        files = [f.path for f in walk(tmp_path, WalkOptions(), counters)]
    finally:
        (tmp_path / "locked").chmod(0o755)
    assert files == ["b.txt"]
    assert counters.skipped[0].reason is SkipReason.UNREADABLE


def test_single_file_target(tmp_path: Path) -> None:
    _tree(tmp_path, {"one.py": "x = 1\n"})
    files = list(walk(tmp_path / "one.py", WalkOptions()))
    assert [(f.path, f.size) for f in files] == [("one.py", 6)]


def test_missing_target_is_a_usage_error(tmp_path: Path) -> None:
    with pytest.raises(UsageError, match="no such file or directory"):
        list(walk(tmp_path / "nope", WalkOptions()))


def test_walk_is_lazy(tmp_path: Path) -> None:
    _tree(tmp_path, {f"d{i}/f.txt": "" for i in range(50)})
    iterator = walk(tmp_path, WalkOptions())
    assert next(iterator).path == "d0/f.txt"


def test_lockfiles_have_a_larger_size_limit(tmp_path: Path) -> None:
    _tree(tmp_path, {"package-lock.json": "x" * 5000, "notes.json": "x" * 5000})
    counters = WalkCounters()
    files = [f.path for f in walk(tmp_path, WalkOptions(max_file_size=1000), counters)]
    assert files == ["package-lock.json"]
    assert [s.path for s in counters.skipped] == ["notes.json"]
