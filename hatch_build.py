"""Build hook: compile the optional C accelerators, never fail the install.

``shieldwall.secretstore._runscan`` finds candidate runs for the leak fingerprints at memory
speed; ``shieldwall.monitor.parsers._flatten`` flattens decoded JSON log records. Where one
cannot be compiled (no C compiler, an unusual platform) the install goes on and the package uses
its pure-Python path, with the same results, slower. Set ``SHIELDWALL_NO_NATIVE=1`` to skip them
on purpose.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path
from typing import Any

from hatchling.builders.hooks.plugin.interface import BuildHookInterface

# module -> its C source (relative to the project root); the module is placed beside it.
MODULES = {
    "shieldwall.secretstore._runscan": "src/shieldwall/secretstore/_runscan.c",
    "shieldwall.monitor.parsers._flatten": "src/shieldwall/monitor/parsers/_flatten.c",
}


def compile_extension(root: Path, module: str, source: str) -> Path:
    """Compile one extension into src/ (beside its .py siblings) and return its path."""
    from setuptools import Distribution, Extension
    from setuptools.command.build_ext import build_ext

    extension = Extension(module, [str(root / source)], extra_compile_args=["-O2"])
    with tempfile.TemporaryDirectory() as work:
        command = build_ext(Distribution({"name": "shieldwall", "ext_modules": [extension]}))
        command.build_lib = str(Path(work, "lib"))
        command.build_temp = str(Path(work, "temp"))
        command.ensure_finalized()
        command.run()
        built = Path(command.get_ext_fullpath(module))
        target = (root / source).parent / built.name
        # A new file renamed over the old one: a process that has the old module loaded keeps
        # its mapping (rewriting the mapped file in place crashes it).
        staged = target.with_name(f".{built.name}.tmp")
        shutil.copyfile(built, staged)
        staged.replace(target)
    return target


class NativeBuildHook(BuildHookInterface):  # type: ignore[type-arg]
    """Adds the compiled modules to wheels (regular and editable); warns and goes on on failure."""

    PLUGIN_NAME = "custom"

    def initialize(self, version: str, build_data: dict[str, Any]) -> None:
        """Compile, then mark the wheel platform-specific and ship the modules."""
        if self.target_name != "wheel" or os.environ.get("SHIELDWALL_NO_NATIVE"):
            return
        root = Path(self.root)
        for module, source in MODULES.items():
            try:
                built = compile_extension(root, module, source)
            except Exception as exc:  # any failure means the pure-Python path
                self.app.display_warning(
                    f"shieldwall: the C accelerator {module} was not built ({exc}); "
                    "the pure-Python path will be used"
                )
                continue
            build_data["pure_python"] = False
            build_data["infer_tag"] = True
            if version != "editable":
                relative = built.relative_to(root / "src").as_posix()
                build_data["force_include"][str(built)] = relative
