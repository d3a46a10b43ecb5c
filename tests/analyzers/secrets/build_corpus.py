"""Write the labelled corpus of every provider rule from ``samples.py``.

Run ``python -m tests.analyzers.secrets.build_corpus`` after adding a rule; the files are
committed, so the corpus test reads fixed inputs. Labels go in a ``.expect`` sidecar because
several formats (PEM, JSON, .netrc) have no comment syntax that would leave the value intact.

It also writes the leak fingerprints of SW-SEC-900's corpus (``fixtures/leaks.json``, named by
``SW-SEC-900.log.config.toml``) from :data:`LEAK_STORED`, only when the file does not already
fingerprint exactly those values: its key is random, so a rewrite would change it for nothing.
"""

from __future__ import annotations

from pathlib import Path

from shieldwall.analyzers.secrets.ruleset import builtin_rules
from shieldwall.secretstore.errors import SecretConfigError
from shieldwall.secretstore.fingerprints import (
    fingerprint_values,
    load_fingerprints,
    save_fingerprints,
)
from tests.analyzers.secrets.samples import Block, build

CORPUS = Path(__file__).resolve().parents[2] / "corpus" / "secrets"
LEAK_FINGERPRINTS = CORPUS / "fixtures" / "leaks.json"
# The "secret store" of SW-SEC-900's corpus: (path, owner, value); made-up test values that
# appear in tests/corpus/secrets/SW-SEC-900.log and nowhere else.
LEAK_STORED = (
    ("db/app-password", "team-shop", "Kp4nW8zR1tYq6sVb"),
    ("ci/deploy-key", "team-platform", "dk-7Hq2Lw9Xv4Tn6Rz3"),
)


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


def write_leak_fingerprints() -> None:
    """Write the SW-SEC-900 corpus's fingerprints unless the file already holds these values."""
    try:
        current = load_fingerprints(LEAK_FINGERPRINTS)
        if len(current.digests) == len(LEAK_STORED) and all(
            [(m.path, m.owner) for m in current.matches(value.encode())] == [(path, owner)]
            for path, owner, value in LEAK_STORED
        ):
            return
    except SecretConfigError:
        pass  # missing or unreadable: write it
    save_fingerprints(fingerprint_values(LEAK_STORED), LEAK_FINGERPRINTS)


def main() -> None:
    """Write every provider rule's corpus file and sidecar, and the leak fingerprints."""
    CORPUS.mkdir(parents=True, exist_ok=True)
    write_leak_fingerprints()
    for rule in builtin_rules():
        filename, content, sidecar = render(rule.rule.id, rule.name)
        (CORPUS / filename).write_text(content, encoding="utf-8")
        (CORPUS / (filename + ".expect")).write_text(sidecar, encoding="utf-8")


if __name__ == "__main__":
    main()
