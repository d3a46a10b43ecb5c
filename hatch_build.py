"""Build hook: compile the optional C accelerator of leak recognition, never fail the install.

``shieldwall.secretstore._runscan`` finds candidate runs for the leak fingerprints at memory
speed. Where it cannot be compiled (no C compiler, an unusual platform) the install goes on and
the package uses its pure-Python path (Hyperscan or ``re``), with the same results, slower.
Set ``SHIELDWALL_NO_NATIVE=1`` to skip it on purpose.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path
from typing import Any

from hatchling.builders.hooks.plugin.interface import BuildHookInterface

MODULE = "shieldwall.secretstore._runscan"
SOURCE = "src/shieldwall/secretstore/_runscan.c"


def compile_extension(root: Path) -> Path:
    """Compile the extension into src/ (beside its .py siblings) and return its path."""
    from setuptools import Distribution, Extension
    from setuptools.command.build_ext import build_ext

    extension = Extension(MODULE, [str(root / SOURCE)], extra_compile_args=["-O2"])
    with tempfile.TemporaryDirectory() as work:
        command = build_ext(Distribution({"name": "shieldwall", "ext_modules": [extension]}))
        command.build_lib = str(Path(work, "lib"))
        command.build_temp = str(Path(work, "temp"))
        command.ensure_finalized()
        command.run()
        built = Path(command.get_ext_fullpath(MODULE))
        target = root / "src" / "shieldwall" / "secretstore" / built.name
        # A new file renamed over the old one: a process that has the old module loaded keeps
        # its mapping (rewriting the mapped file in place crashes it).
        staged = target.with_name(f".{built.name}.tmp")
        shutil.copyfile(built, staged)
        staged.replace(target)
    return target


class NativeBuildHook(BuildHookInterface):  # type: ignore[type-arg]
    """Adds the compiled module to wheels (regular and editable); warns and goes on on failure."""

    PLUGIN_NAME = "custom"

    def initialize(self, version: str, build_data: dict[str, Any]) -> None:
        """Compile, then mark the wheel platform-specific and ship the module."""
        if self.target_name != "wheel" or os.environ.get("SHIELDWALL_NO_NATIVE"):
            return
        root = Path(self.root)
        try:
            built = compile_extension(root)
        except Exception as exc:  # any failure means the pure-Python path
            self.app.display_warning(
                f"shieldwall: the C accelerator of leak recognition was not built ({exc}); "
                "the pure-Python path will be used"
            )
            return
        build_data["pure_python"] = False
        build_data["infer_tag"] = True
        if version != "editable":
            relative = built.relative_to(root / "src").as_posix()
            build_data["force_include"][str(built)] = relative
