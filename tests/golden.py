"""Golden files: compare output with ``tests/golden/<name>``; ``--update-golden`` rewrites them.

Volatile fields are normalised by one helper so that goldens survive a new version, another
machine and another day: timestamps, durations, the tool version and absolute paths (the scan
root, given by the caller, and the temporary directory). JSON and SARIF are normalised
structurally (by key); other formats by pattern.
"""

from __future__ import annotations

import difflib
import json
import re
import tempfile
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from shieldwall import __version__

GOLDEN_ROOT = Path(__file__).parent / "golden"

TIMESTAMP = "<TIMESTAMP>"
DURATION = "<DURATION>"
VERSION = "<VERSION>"
ROOT = "<ROOT>"

_ISO = re.compile(r"\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}:\d{2}(?:\.\d+)?(?:Z|[+-]\d{2}:?\d{2})?")
# "in 1.23s", "1.234 s", time="0.12" (JUnit), "duration": 1.2
_DURATION_TEXT = re.compile(r"\b(in|took) \d+(?:\.\d+)? ?s\b")
_XML_TIME = re.compile(r'\btime="\d+(?:\.\d+)?"')
_TOOL_VERSION = re.compile(r"\bshieldwall(\s+v?|/)" + re.escape(__version__) + r"\b")
# JSON keys whose values change from run to run.
_VOLATILE_KEYS = {
    "started_at": TIMESTAMP,
    "startTimeUtc": TIMESTAMP,
    "endTimeUtc": TIMESTAMP,
    "timestamp": TIMESTAMP,
    "duration_seconds": DURATION,
    "duration": DURATION,
    "tool_version": VERSION,
    "serialNumber": "<SERIAL>",  # CycloneDX: a fresh urn:uuid per document
}
# Objects that name our tool: their version is volatile (SARIF driver, JSON tool, CycloneDX tool).
_TOOL_VERSION_KEYS = ("version", "semanticVersion")


def _roots(extra: Iterable[str | Path]) -> list[str]:
    roots = [str(Path(r)) for r in extra]
    roots.append(str(Path(tempfile.gettempdir()).resolve()))
    roots.append(tempfile.gettempdir())
    variants = [*roots, *(Path(r).as_uri() for r in roots if Path(r).is_absolute())]
    # Longest first, so that a root inside the temporary directory wins over the directory.
    return sorted(set(variants), key=len, reverse=True)


def _replace_roots(text: str, roots: list[str]) -> str:
    for root in roots:
        text = text.replace(root, ROOT)
    return text


def _normalise_value(value: Any, roots: list[str]) -> Any:
    if isinstance(value, dict):
        names_us = value.get("name") == "shieldwall"
        out: dict[str, Any] = {}
        for key, item in value.items():
            if key in _VOLATILE_KEYS and item not in (None, ""):
                out[key] = _VOLATILE_KEYS[key]
            elif names_us and key in _TOOL_VERSION_KEYS and isinstance(item, str):
                out[key] = VERSION
            else:
                out[key] = _normalise_value(item, roots)
        return out
    if isinstance(value, list):
        return [_normalise_value(item, roots) for item in value]
    if isinstance(value, str):
        return _ISO.sub(TIMESTAMP, _replace_roots(value, roots))
    return value


def normalise(text: str, *, kind: str = "text", roots: Iterable[str | Path] = ()) -> str:
    """``text`` with volatile fields replaced by placeholders; ``kind`` is ``json`` or ``text``."""
    found_roots = _roots(roots)
    if kind == "json":
        data = _normalise_value(json.loads(text), found_roots)
        return json.dumps(data, indent=2, sort_keys=True, ensure_ascii=False) + "\n"
    text = _replace_roots(text, found_roots)
    text = _ISO.sub(TIMESTAMP, text)
    text = _DURATION_TEXT.sub(lambda m: f"{m.group(1)} {DURATION}", text)
    text = _XML_TIME.sub(f'time="{DURATION}"', text)
    return _TOOL_VERSION.sub(lambda m: f"shieldwall{m.group(1)}{VERSION}", text)


@dataclass(frozen=True)
class Golden:
    """Compares output with a golden file, or rewrites it when ``update`` is set."""

    update: bool
    root: Path = GOLDEN_ROOT

    def check(self, name: str, actual: str, *, roots: Iterable[str | Path] = ()) -> None:
        """Assert that ``actual`` (normalised) equals ``tests/golden/<name>``."""
        kind = "json" if name.endswith((".json", ".sarif")) else "text"
        text = normalise(actual, kind=kind, roots=roots)
        path = self.root / name
        if self.update:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text, encoding="utf-8")
            return
        assert path.exists(), f"no golden file {path}; run pytest --update-golden to create it"
        expected = path.read_text(encoding="utf-8")
        if text != expected:
            diff = "".join(
                difflib.unified_diff(
                    expected.splitlines(keepends=True),
                    text.splitlines(keepends=True),
                    fromfile=f"golden/{name}",
                    tofile="actual",
                    n=2,
                )
            )
            raise AssertionError(
                f"output differs from golden/{name} (pytest --update-golden rewrites it):\n"
                + diff[:6000]
            )
