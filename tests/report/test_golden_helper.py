"""The golden-file helper: what it normalises, and that it fails and rewrites as promised."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from shieldwall import __version__
from tests.golden import Golden, normalise


def test_json_is_normalised_by_key(tmp_path: Path) -> None:
    doc = {
        "tool": {"name": "shieldwall", "version": __version__},
        "package": {"name": "jinja2", "version": "2.10"},
        "started_at": "2026-01-02T03:04:05+00:00",
        "stats": {"duration_seconds": 3.2},
        "path": f"{tmp_path}/app.py",
        "note": "scanned at 2025-12-31T23:59:59.123Z",
        "serialNumber": "urn:uuid:3e671687-395b-41f5-a30f-a58921a69b79",
    }
    out = json.loads(normalise(json.dumps(doc), kind="json", roots=[tmp_path]))
    assert out == {
        "tool": {"name": "shieldwall", "version": "<VERSION>"},
        "package": {"name": "jinja2", "version": "2.10"},
        "started_at": "<TIMESTAMP>",
        "stats": {"duration_seconds": "<DURATION>"},
        "path": "<ROOT>/app.py",
        "note": "scanned at <TIMESTAMP>",
        "serialNumber": "<SERIAL>",
    }


def test_text_is_normalised_by_pattern(tmp_path: Path) -> None:
    text = (
        f"shieldwall {__version__} · {tmp_path}/src\n"
        f'<testsuites time="1.234">\n120 files scanned in 0.52s\n{tmp_path.as_uri()}/x\n'
        "jinja2 2.10 (unchanged)\n"
    )
    assert normalise(text, roots=[tmp_path]) == (
        'shieldwall <VERSION> · <ROOT>/src\n<testsuites time="<DURATION>">\n'
        "120 files scanned in <DURATION>\n<ROOT>/x\njinja2 2.10 (unchanged)\n"
    )


def test_check_fails_with_a_diff_and_update_rewrites(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text("one\ntwo\n", encoding="utf-8")
    Golden(update=False, root=tmp_path).check("a.txt", "one\ntwo\n")
    with pytest.raises(AssertionError, match=r"(?s)-two.*\+three"):
        Golden(update=False, root=tmp_path).check("a.txt", "one\nthree\n")
    Golden(update=True, root=tmp_path).check("a.txt", "one\nthree\n")
    assert (tmp_path / "a.txt").read_text(encoding="utf-8") == "one\nthree\n"


def test_missing_golden_says_how_to_create_it(tmp_path: Path) -> None:
    with pytest.raises(AssertionError, match="--update-golden"):
        Golden(update=False, root=tmp_path).check("new/b.json", "{}")
    Golden(update=True, root=tmp_path).check("new/b.json", "{}")
    assert (tmp_path / "new" / "b.json").read_text(encoding="utf-8") == "{}\n"
