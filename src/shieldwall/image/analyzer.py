"""The image analyzer: misconfigurations of an image, from the synthetic ``image.json``.

It runs only in ``shieldwall image`` (the image command adds it to the registry), over the one
file the image view writes last: the image config and the list of files with risky modes.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Sequence
from typing import Any, ClassVar

from shieldwall.core.errors import AnalysisError
from shieldwall.core.file import File
from shieldwall.core.finding import Finding
from shieldwall.core.location import ImageLocation
from shieldwall.core.protocols import AnalysisContext, FileAnalyzer
from shieldwall.core.rule import Rule
from shieldwall.image.checks import Hit, check_config, check_modes
from shieldwall.image.model import ImageConfig
from shieldwall.image.rules import RULES
from shieldwall.image.virtual import IMAGE_JSON


class ImageAnalyzer(FileAnalyzer):
    """Root user, sensitive ports, credentials in ENV/build args, setuid and world-writable."""

    id: ClassVar[str] = "image"
    version: ClassVar[str] = "1"
    description: ClassVar[str] = "Container image configuration and file modes"

    def rules(self) -> Sequence[Rule]:
        """The image rules."""
        return RULES

    def wants(self, path: str) -> bool:
        """Only the synthetic image document."""
        return path == IMAGE_JSON

    def analyze_file(self, file: File, ctx: AnalysisContext) -> Iterator[Finding]:
        """Findings for the image config and the risky files."""
        try:
            document = json.loads(file.read_bytes())
            config = ImageConfig.model_validate(document.get("config") or {})
        except (ValueError, AttributeError) as exc:  # JSON, UTF-8 and pydantic errors
            raise AnalysisError(f"{file.path}: not an image document: {exc}") from exc
        image = str(document.get("image", ""))
        hits: list[Hit] = []
        if document.get("config"):  # a bare rootfs has no config to judge
            hits.extend(check_config(config))
        for item in document.get("risky_files") or []:
            hits.extend(_mode_hits(item))
        for hit in hits:
            yield Finding.create(
                rule=hit.rule,
                message=hit.message,
                location=ImageLocation(image=image, path=hit.subject, layer=hit.layer),
                identity=hit.subject,
                secret=hit.secret,
                secret_salt=ctx.secret_salt,
                properties=_properties(hit),
            )


def _mode_hits(item: dict[str, Any]) -> Iterator[Hit]:
    mode = int(item.get("mode", 0))
    kind = str(item.get("kind", "file"))
    path = "/" + str(item.get("path", ""))
    for rule in check_modes(mode, kind):
        yield Hit(
            rule,
            f"{kind} {path} has mode {mode:04o}",
            path,
            layer=str(item.get("layer", "")),
            layer_index=int(item.get("layer_index", 0)),
            created_by=str(item.get("created_by", "")),
        )


def _properties(hit: Hit) -> dict[str, Any]:
    props: dict[str, Any] = {}
    if hit.layer_index is not None:
        props["layer_index"] = hit.layer_index
    if hit.created_by:
        props["created_by"] = hit.created_by
    return props
