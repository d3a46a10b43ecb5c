from __future__ import annotations

from pathlib import Path

import pytest

from shieldwall.core import File, ScanAbortedError
from shieldwall.core.config import load_config
from shieldwall.core.registry import build_registry
from shieldwall.core.result import SkipReason
from shieldwall.scan import plan_scan, run_scan
from tests.fakes import CountingProjectAnalyzer, DirectoryAnalyzer, MarkerAnalyzer

REGISTRY = build_registry(
    analyzers=[MarkerAnalyzer(), CountingProjectAnalyzer(), DirectoryAnalyzer()],
    include_entry_points=False,
)


def _scan(root: Path, **cli: object):  # type: ignore[no-untyped-def]
    loaded = load_config(root=root, env={}, cli=cli)
    return run_scan(plan_scan(root, loaded, REGISTRY))


def test_findings_errors_and_skips_are_all_reported(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text("ok\nDANGER(one)\n")
    (tmp_path / "b.txt").write_text("CRASH-NOW\n")
    (tmp_path / "c.bin").write_bytes(b"\x00\x01DANGER(hidden)")
    (tmp_path / "d.txt").write_bytes(b"BADBYTES \xff\xfe\n")
    (tmp_path / "e.txt").write_bytes(b"latin \xe9 DANGER(two)\n")
    (tmp_path / "x.skip").write_text("DANGER(ignored)")
    result = _scan(tmp_path, scanners=("marker",))
    assert [(f.location.path, f.message) for f in result.findings] == [
        ("a.txt", "danger one"),
        ("e.txt", "danger two"),
    ]
    errors = {e.path: e.message for e in result.errors}
    assert errors["b.txt"] == "internal error in marker: ValueError: boom"
    assert "not valid UTF-8" in errors["d.txt"]
    assert [(s.path, s.reason) for s in result.skipped] == [("c.bin", SkipReason.BINARY)]
    assert result.stats.files_scanned == 4
    assert result.rules.keys() == {"SW-TST-001", "SW-TST-002"}


def test_pool_and_in_process_give_the_same_ordered_result(tmp_path: Path) -> None:
    for i in range(400):
        (tmp_path / f"dir{i % 7}").mkdir(exist_ok=True)
        (tmp_path / f"dir{i % 7}" / f"f{i}.txt").write_text(f"x\nDANGER(n{i})\nCAUTION\n")
    serial = _scan(tmp_path, scanners=("marker",), jobs=1)
    pooled = _scan(tmp_path, scanners=("marker",), jobs=2)
    assert len(serial.findings) == 800
    assert [f.fingerprint for f in serial.findings] == [f.fingerprint for f in pooled.findings]
    assert pooled.stats.files_scanned == 400


def test_group_scopes_get_their_files_together(tmp_path: Path) -> None:
    for rel in ("a.cfg", "sub/b.cfg", "sub/c.cfg", "sub/broken.cfg"):
        path = tmp_path / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text("broken" if "broken" in rel else "fine")
    result = _scan(tmp_path, scanners=("project-count", "dir-count"))
    messages = sorted((f.scanner, f.location.path, f.message) for f in result.findings)
    assert messages == [
        ("dir-count", "a.cfg", "1 cfg files"),
        ("dir-count", "sub/b.cfg", "2 cfg files"),
        ("project-count", "a.cfg", "3 cfg files"),
    ]
    assert sorted((e.analyzer, e.path) for e in result.errors) == [
        ("dir-count", "sub/broken.cfg"),
        ("project-count", "sub/broken.cfg"),
    ]


def test_identical_issues_in_one_file_keep_distinct_fingerprints(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text("DANGER(x)\nDANGER(x)\n")
    result = _scan(tmp_path, scanners=("marker",))
    assert len({f.fingerprint for f in result.findings}) == 2


def test_vanished_file_is_an_error_not_a_crash(tmp_path: Path) -> None:
    loaded = load_config(root=tmp_path, env={}, cli={"scanners": ("marker",)})
    ghost = File(path="ghost.txt", abspath=str(tmp_path / "ghost.txt"), size=3)
    result = run_scan(plan_scan(tmp_path, loaded, REGISTRY, files=[ghost]))
    assert result.findings == ()
    assert result.errors[0].message == "ghost.txt: file vanished during the scan"


def test_virtual_files_are_scanned_from_memory(tmp_path: Path) -> None:
    loaded = load_config(root=tmp_path, env={}, cli={"scanners": ("marker",)})
    blob = File.virtual("old/app.txt", b"DANGER(old)\n", origin={"commit": "abc"})
    result = run_scan(plan_scan(tmp_path, loaded, REGISTRY, files=[blob]))
    assert [f.message for f in result.findings] == ["danger old"]


class AbortingAnalyzer(MarkerAnalyzer):
    id = "aborting"

    def analyze_file(self, file, ctx):  # type: ignore[no-untyped-def]
        raise ScanAbortedError("no advisory database; run `shieldwall db update`")


def test_abort_errors_stop_the_scan(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text("x")
    registry = build_registry(analyzers=[AbortingAnalyzer()], include_entry_points=False)
    loaded = load_config(root=tmp_path, env={})
    with pytest.raises(ScanAbortedError, match="db update"):
        run_scan(plan_scan(tmp_path, loaded, registry))


def test_files_read_only_by_group_analyzers_count_as_scanned(tmp_path: Path) -> None:
    for rel in ("a.cfg", "sub/b.cfg"):
        (tmp_path / rel).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / rel).write_text("fine")
    result = _scan(tmp_path, scanners=("project-count",))
    assert result.stats.files_scanned == 2
    assert result.stats.bytes_scanned == 8


class NotingAnalyzer(CountingProjectAnalyzer):
    id = "noting"

    def analyze(self, files, ctx):  # type: ignore[no-untyped-def]
        from shieldwall.core import ScanNote

        for file in files:
            yield ScanNote(file.path, "module source not fetched", self.id, line=2)
            yield ScanNote(file.path, "module source not fetched", self.id, line=2)


def test_notes_become_deduplicated_warnings(tmp_path: Path) -> None:
    (tmp_path / "a.cfg").write_text("x")
    registry = build_registry(analyzers=[NotingAnalyzer()], include_entry_points=False)
    loaded = load_config(root=tmp_path, env={})
    result = run_scan(plan_scan(tmp_path, loaded, registry))
    assert result.warnings == ("a.cfg:2: module source not fetched",)
    assert result.findings == () and result.errors == ()


def test_a_note_repeated_over_many_files_is_one_warning_with_a_count() -> None:
    from shieldwall.core import ScanNote
    from shieldwall.scan.run import summarise_notes

    notes = [ScanNote(f"dist/{i}.js", "minified", "secrets") for i in range(8)]
    notes.append(ScanNote("main.tf", "module not fetched", "iac", line=3))
    assert summarise_notes(notes) == (
        "minified: 8 files (dist/0.js, dist/1.js, dist/2.js, ...)",
        "main.tf:3: module not fetched",
    )
