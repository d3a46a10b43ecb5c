from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from shieldwall.core.errors import RegistryError
from shieldwall.core.registry import build_registry
from tests.fakes import MarkerAnalyzer, NoopAnalyzer

PLUGIN_MODULE = """
from tests.fakes import NoopAnalyzer

class ThirdPartyAnalyzer(NoopAnalyzer):
    id = "third-party"
"""


@pytest.fixture
def installed_plugin(tmp_path: Path) -> Iterator[Path]:
    """A real distribution with a ``shieldwall.analyzers`` entry point, found on sys.path."""
    (tmp_path / "sw_thirdparty.py").write_text(PLUGIN_MODULE)
    dist = tmp_path / "sw_thirdparty-1.0.dist-info"
    dist.mkdir()
    (dist / "METADATA").write_text("Metadata-Version: 2.1\nName: sw-thirdparty\nVersion: 1.0\n")
    (dist / "entry_points.txt").write_text(
        "[shieldwall.analyzers]\nthird-party = sw_thirdparty:ThirdPartyAnalyzer\n"
    )
    sys.path.insert(0, str(tmp_path))
    yield tmp_path
    sys.path.remove(str(tmp_path))
    sys.modules.pop("sw_thirdparty", None)


def test_entry_point_plugins_join_the_builtins(installed_plugin: Path) -> None:
    registry = build_registry(analyzers=[MarkerAnalyzer()])
    assert set(registry.analyzers) >= {"marker", "third-party"}


def test_duplicate_ids_fail() -> None:
    with pytest.raises(RegistryError, match="share the id 'noop'"):
        build_registry(analyzers=[NoopAnalyzer(), NoopAnalyzer()], include_entry_points=False)


def test_unknown_scanner_lists_the_known_ones() -> None:
    registry = build_registry(analyzers=[MarkerAnalyzer()], include_entry_points=False)
    with pytest.raises(RegistryError, match="known: marker"):
        registry.analyzer("nope")
    assert [r.id for r in registry.all_rules().values()] == ["SW-TST-001", "SW-TST-002"]


def test_plugin_refs_are_imported_only_when_used() -> None:
    from shieldwall.core.registry import PluginRef

    module = "tests.lazy_plugin_probe"
    sys.modules.pop(module, None)
    registry = build_registry(
        analyzers=[
            PluginRef("noop", "tests.fakes", "NoopAnalyzer"),
            PluginRef("probe", module, "X"),
        ],
        include_entry_points=False,
    )
    assert set(registry.analyzers) == {"noop", "probe"}
    assert registry.analyzer("noop").id == "noop"
    assert module not in sys.modules, "an analyzer not asked for was imported"
    with pytest.raises(RegistryError, match="probe"):
        registry.analyzer("probe")


def test_a_ref_whose_plugin_has_another_id_fails() -> None:
    from shieldwall.core.registry import PluginRef

    registry = build_registry(
        analyzers=[PluginRef("other", "tests.fakes", "NoopAnalyzer")], include_entry_points=False
    )
    with pytest.raises(RegistryError, match="calls itself 'noop'"):
        registry.analyzer("other")
