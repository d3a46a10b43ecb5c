"""Data-flow diagrams: Mermaid (always) and Graphviz DOT, rendered to SVG when ``dot`` exists.

Trust boundaries become nested subgraphs/clusters; stores are cylinders, actors are plain boxes;
an element with blocking threats is outlined in red when an analysis is given.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import zlib
from collections.abc import Iterator, Mapping
from enum import StrEnum

from shieldwall.core.errors import ReportError, UsageError
from shieldwall.threatmodel.engine import Analysis
from shieldwall.threatmodel.model import Flow, ThreatModel
from shieldwall.threatmodel.vocabulary import ComponentKind

_STORES = frozenset({ComponentKind.DATABASE, ComponentKind.OBJECT_STORAGE, ComponentKind.QUEUE})
_SAFE_ID = re.compile(r"[^A-Za-z0-9_]")
DOT_TIMEOUT_SECONDS = 60


class DiagramFormat(StrEnum):
    """The diagram formats."""

    MERMAID = "mermaid"
    DOT = "dot"
    SVG = "svg"


def _node_id(element_id: str) -> str:
    # Ids may hold ".", ":" and "-"; diagram languages do not like them. The suffix keeps
    # "a-b" and "a_b" apart.
    return f"n_{_SAFE_ID.sub('_', element_id)}_{zlib.crc32(element_id.encode()) % 10_000:04d}"


def _flow_label(flow: Flow) -> str:
    port = f":{flow.port}" if flow.port is not None else ""
    marks = ("" if flow.encrypted else " [plain]") + ("" if flow.authenticated else " [no auth]")
    return f"{flow.name} ({flow.protocol}{port}){marks}"


def _hot_elements(analysis: Analysis | None) -> Mapping[str, int]:
    counts: dict[str, int] = {}
    if analysis is not None:
        for threat in analysis.threats:
            if threat.blocking:
                counts[threat.element.id] = counts.get(threat.element.id, 0) + 1
    return counts


def _children(
    model: ThreatModel,
) -> tuple[dict[str | None, list[str]], dict[str | None, list[str]]]:
    boundaries: dict[str | None, list[str]] = {}
    for b in model.boundaries:
        boundaries.setdefault(b.parent, []).append(b.id)
    members: dict[str | None, list[str]] = {}
    for c in model.components:
        members.setdefault(c.boundary, []).append(c.id)
    for a in model.actors:
        members.setdefault(a.boundary, []).append(a.id)
    return boundaries, members


def to_mermaid(model: ThreatModel, analysis: Analysis | None = None) -> str:
    """The model as a Mermaid flowchart."""
    hot = _hot_elements(analysis)
    names = {b.id: b.name for b in model.boundaries}
    boundaries, members = _children(model)
    shapes = {c.id: c for c in model.components}
    lines = ["flowchart LR"]

    def node(element_id: str, indent: str) -> str:
        component = shapes.get(element_id)
        label = _mermaid_text(component.name if component else _actor_name(model, element_id))
        nid = _node_id(element_id)
        if component is None:
            return f'{indent}{nid}["{label}"]'
        if component.kind in _STORES:
            return f'{indent}{nid}[("{label}")]'
        return f'{indent}{nid}("{label}")'

    def emit(parent: str | None, depth: int) -> Iterator[str]:
        indent = "  " * (depth + 1)
        for element_id in members.get(parent, []):
            yield node(element_id, indent)
        for boundary_id in boundaries.get(parent, []):
            yield f'{indent}subgraph {_node_id(boundary_id)}["{_mermaid_text(names[boundary_id])}"]'
            yield from emit(boundary_id, depth + 1)
            yield f"{indent}end"

    lines.extend(emit(None, 0))
    for flow in model.flows:
        arrow = "-->" if flow.encrypted else "-.->"
        label = _mermaid_text(_flow_label(flow))
        lines.append(f'  {_node_id(flow.source)} {arrow}|"{label}"| {_node_id(flow.target)}')
    nodes = set(shapes) | {a.id for a in model.actors}
    lines.extend(
        f"  style {_node_id(element_id)} stroke:#c00,stroke-width:3px"
        for element_id in sorted(hot)
        if element_id in nodes
    )
    return "\n".join(lines) + "\n"


def _actor_name(model: ThreatModel, element_id: str) -> str:
    return next((a.name for a in model.actors if a.id == element_id), element_id)


def _mermaid_text(text: str) -> str:
    # Mermaid has no escape for '"' inside a quoted label; use its entity syntax.
    return text.replace('"', "#quot;").replace("\n", " ")


def _dot_text(text: str) -> str:
    return text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", " ")


def to_dot(model: ThreatModel, analysis: Analysis | None = None) -> str:
    """The model as a Graphviz digraph."""
    hot = _hot_elements(analysis)
    names = {b.id: b.name for b in model.boundaries}
    boundaries, members = _children(model)
    shapes = {c.id: c for c in model.components}
    lines = [
        "digraph threatmodel {",
        '  rankdir=LR; graph [fontname="Helvetica"]; node [fontname="Helvetica"];',
        '  edge [fontname="Helvetica", fontsize=10];',
    ]

    def node(element_id: str, indent: str) -> str:
        component = shapes.get(element_id)
        label = _dot_text(component.name if component else _actor_name(model, element_id))
        if component is None or component.kind is ComponentKind.EXTERNAL_SERVICE:
            shape = "box"  # DFD convention: external entities are rectangles
        elif component.kind in _STORES:
            shape = "cylinder"
        else:
            shape = "ellipse"
        colour = ', color="#cc0000", penwidth=3' if element_id in hot else ""
        return f'{indent}{_node_id(element_id)} [label="{label}", shape={shape}{colour}];'

    def emit(parent: str | None, depth: int) -> Iterator[str]:
        indent = "  " * (depth + 1)
        for element_id in members.get(parent, []):
            yield node(element_id, indent)
        for boundary_id in boundaries.get(parent, []):
            yield f"{indent}subgraph cluster_{_node_id(boundary_id)} {{"
            label = _dot_text(names[boundary_id])
            yield f'{indent}  label="{label}"; style=dashed; color="#cc0000";'
            yield from emit(boundary_id, depth + 1)
            yield f"{indent}}}"

    lines.extend(emit(None, 0))
    for flow in model.flows:
        style = "solid" if flow.encrypted else "dashed"
        label = _dot_text(_flow_label(flow))
        edge = f"{_node_id(flow.source)} -> {_node_id(flow.target)}"
        lines.append(f'  {edge} [label="{label}", style={style}];')
    lines.append("}")
    return "\n".join(lines) + "\n"


def render_svg(dot_source: str, *, dot_binary: str | None = None) -> bytes:
    """Render DOT to SVG with Graphviz; a clear error when ``dot`` is not installed."""
    binary = dot_binary or shutil.which("dot")
    if binary is None:
        raise UsageError(
            "SVG needs Graphviz's 'dot' on PATH (apt install graphviz); "
            "or use --format mermaid or --format dot"
        )
    try:
        done = subprocess.run(
            [binary, "-Tsvg"],
            input=dot_source.encode("utf-8"),
            capture_output=True,
            timeout=DOT_TIMEOUT_SECONDS,
            check=False,
        )
    except (OSError, subprocess.TimeoutExpired) as exc:
        raise ReportError(f"dot failed: {exc}") from exc
    if done.returncode != 0:
        message = done.stderr.decode("utf-8", "replace").strip()
        raise ReportError(f"dot failed: {message}")
    return done.stdout
