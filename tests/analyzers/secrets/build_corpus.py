"""Write the labelled corpus of every provider rule from ``samples.py``.

Run ``python -m tests.analyzers.secrets.build_corpus`` after adding a rule; the files are
committed, so the corpus test reads fixed inputs. Labels go in a ``.expect`` sidecar because
several formats (PEM, JSON, .netrc) have no comment syntax that would leave the value intact.
"""

from __future__ import annotations

from pathlib import Path

from shieldwall.analyzers.secrets.ruleset import builtin_rules
from tests.analyzers.secrets.samples import Block, build

CORPUS = Path(__file__).resolve().parents[2] / "corpus" / "secrets"


def _block(item: str | Block) -> Block:
    return (item, 0) if isinstance(item, str) else item


def render(rule_id: str, name: str) -> tuple[str, str, str]:
    """(file name, content, sidecar) of one rule's corpus file."""
    sample = build(name)
    lines: list[str] = []
    labels: list[str] = []
    for kind, items in (("expect", sample.pos), ("expect-not", sample.neg)):
        for item in items:
            text, offset = _block(item)
            labels.append(f"{kind} {rule_id} {len(lines) + 1 + offset}")
            lines += text.split("\n")
            lines.append("")
    return f"{rule_id}{sample.ext}", "\n".join(lines), "\n".join(labels) + "\n"


def main() -> None:
    """Write every provider rule's corpus file and sidecar."""
    CORPUS.mkdir(parents=True, exist_ok=True)
    for rule in builtin_rules():
        filename, content, sidecar = render(rule.rule.id, rule.name)
        (CORPUS / filename).write_text(content, encoding="utf-8")
        (CORPUS / (filename + ".expect")).write_text(sidecar, encoding="utf-8")


if __name__ == "__main__":
    main()
