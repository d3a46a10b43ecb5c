"""The secrets analyzer: positions, redaction, confidence, config, bad input, large files."""

from __future__ import annotations

import pickle
import re
from pathlib import Path

import pytest
from pydantic import ValidationError

from shieldwall.analyzers.secrets import SecretsAnalyzer, SecretsConfig
from shieldwall.analyzers.secrets.chunks import CHUNK, OVERLAP, iter_chunks
from shieldwall.core import AnalysisContext, AnalysisError, File, Finding, Severity
from shieldwall.core.severity import Confidence
from tests.analyzers.secrets.samples import Gen, gh

ANALYZER = SecretsAnalyzer()
TOKEN = gh(Gen(), "ghp")


def scan(data: bytes, path: str = "app/settings.py", **config: object) -> list[Finding]:
    ctx = AnalysisContext(root=".", config=SecretsConfig.model_validate(config))
    return [f for f in ANALYZER.analyze([File.virtual(path, data)], ctx) if isinstance(f, Finding)]


def test_rule_library_is_large_and_unique() -> None:
    rules = ANALYZER.rules()
    assert len(rules) >= 150
    assert len({r.id for r in rules}) == len(rules)
    assert all(r.id.startswith("SW-SEC-") and r.scanner == "secrets" for r in rules)


def test_exact_line_and_columns() -> None:
    data = f"# config\n\n    token_value = 'x'; GH = \"{TOKEN}\"\n".encode()
    (finding,) = scan(data)
    loc = finding.location
    assert (loc.start_line, loc.end_line) == (3, 3)
    line = data.decode().splitlines()[2]
    assert line[loc.start_column - 1 : loc.end_column] == TOKEN


def test_columns_count_characters_after_multibyte_text() -> None:
    data = f'nom = "café"; GH = "{TOKEN}"\n'.encode()
    (finding,) = scan(data)
    line = data.decode()
    assert line[finding.location.start_column - 1 : finding.location.end_column] == TOKEN


def test_value_never_in_finding_and_hash_is_salted() -> None:
    data = f'GH = "{TOKEN}"\n'.encode()
    (plain,) = scan(data)
    assert TOKEN not in repr(plain)
    assert plain.properties["secret_preview"] == TOKEN[:4] + "*****"
    ctx = AnalysisContext(root=".", config=SecretsConfig(), secret_salt="team-salt")
    (salted,) = list(ANALYZER.analyze([File.virtual("a.py", data)], ctx))
    assert isinstance(salted, Finding)
    assert salted.properties["secret_hash"] != plain.properties["secret_hash"]


def test_every_secret_on_a_line_is_redacted_from_each_snippet() -> None:
    other = gh(Gen(), "gho")
    findings = scan(f'A = "{TOKEN}"; B = "{other}"\n'.encode())
    assert len(findings) == 2
    for finding in findings:
        assert TOKEN not in finding.location.snippet and other not in finding.location.snippet


def test_confidence_is_lowered_not_silenced_in_tests_and_docs() -> None:
    data = f'GH = "{TOKEN}"\n'.encode()
    (normal,) = scan(data, "src/app.py")
    (in_tests,) = scan(data, "tests/unit/test_app.py")
    (in_docs,) = scan(data, "docs/setup.md")
    assert normal.confidence is Confidence.HIGH
    assert in_tests.confidence is Confidence.MEDIUM and in_docs.confidence is Confidence.MEDIUM
    assert in_tests.severity is Severity.CRITICAL


def test_wrong_checksum_is_not_reported() -> None:
    assert scan(f'GH = "{gh(Gen(), "ghp", valid=False)}"\n'.encode()) == []


def test_disabled_rules_and_generic_switch() -> None:
    generic = (
        'api_token = "a8f3K9mZq2LwX7vB4nR6tY1pE5sD0cHj"'  # shieldwall: ignore[SW-SEC-001] fixture
    )
    data = f'GH = "{TOKEN}"\n{generic}\n'.encode()
    assert {f.rule.id for f in scan(data)} == {"SW-SEC-043", "SW-SEC-001"}
    assert {f.rule.id for f in scan(data, disabled_rules=["SW-SEC-043"])} == {"SW-SEC-001"}
    assert {f.rule.id for f in scan(data, generic=False)} == {"SW-SEC-043"}


def test_entropy_threshold_is_configurable() -> None:
    data = b'api_token = "abab1212abab1212cdcd"\n'
    assert scan(data) == []
    assert [f.rule.id for f in scan(data, entropy_threshold=2.0)] == ["SW-SEC-001"]


def test_config_rejects_unknown_keys() -> None:
    with pytest.raises(ValidationError):
        SecretsConfig.model_validate({"entropy": 3})


def test_extra_rules_file(tmp_path: Path) -> None:
    rules = tmp_path / "rules.toml"
    rules.write_text(
        '[[rules]]\nid = "SW-SEC-900"\nname = "acme-token"\ntitle = "ACME token"\n'
        "keywords = [\"acme_\"]\npattern = '''{L}(?P<secret>acme_[a-z0-9]{20}){R}'''\n"
    )
    data = b'x = "acme_k3j9x8q2m7z4v1b6n5w0"\n'
    assert [f.rule.id for f in scan(data, extra_rules=str(rules))] == ["SW-SEC-900"]
    rules.write_text('[[rules]]\nid = "SW-SEC-901"\nname = "broken"\n')
    with pytest.raises(ValidationError, match="extra_rules"):
        SecretsConfig(extra_rules=str(rules))
    with pytest.raises(ValidationError, match="cannot read"):
        SecretsConfig(extra_rules=str(tmp_path / "missing.toml"))


def test_binary_content_is_a_clear_per_file_error() -> None:
    with pytest.raises(AnalysisError, match="binary"):
        scan(b"\x00\x01\x02" + TOKEN.encode())


def test_invalid_utf8_is_scanned_without_loss() -> None:
    data = b"\xff\xfe broken \xc3(\n" + f'GH = "{TOKEN}"\n'.encode()
    (finding,) = scan(data)
    assert finding.location.start_line == 2 and finding.location.start_column == 7


def test_minified_line_keeps_provider_rules_and_drops_generic() -> None:
    filler = "var a=1;" * 2000
    password = 'var password="Tr0ub4dor&3x!";'  # shieldwall: ignore[SW-SEC-002] fixture
    data = f'{filler}{password}var t="{TOKEN}";{filler}'.encode()
    assert [f.rule.id for f in scan(data, "static/app.min.js")] == ["SW-SEC-043"]
    (finding,) = scan(data, "static/app.min.js")
    assert len(finding.location.snippet) <= 240


def test_multiline_private_key_location() -> None:
    from tests.analyzers.secrets.samples import _der, pem

    key = pem("RSA PRIVATE KEY", _der(Gen()))
    data = f"intro\n{key}\n".encode()
    (finding,) = scan(data, "deploy/id_rsa")
    body_lines = key.splitlines()[1:-1]
    assert finding.location.start_line == 3
    assert finding.location.end_line == 3 + len(body_lines) - 1
    assert finding.location.end_column == len(body_lines[-1])
    assert (
        "-----BEGIN" in finding.location.snippet
        or finding.location.snippet == body_lines[0][:4] + "*****"
    )


def test_chunks_overlap_and_cover_everything() -> None:
    data = bytes(range(256)) * 100
    chunks = list(iter_chunks(File.virtual("x", data), chunk=1000, overlap=100))
    assert chunks[-1].last and not any(c.last for c in chunks[:-1])
    assert b"".join(c.data[:1000] for c in chunks[:-1]) + chunks[-1].data == data


def test_large_file_streams_from_disk_and_finds_a_secret_across_a_chunk_boundary(
    tmp_path: Path,
) -> None:
    line = b"x = 1  # padding padding padding padding padding padding padding\n"
    lines_before = (CHUNK - 10) // len(line)
    head = line * lines_before
    pad = b"." * (CHUNK - len(head) - 10)  # the token starts 10 bytes before the boundary
    body = head + pad + TOKEN.encode() + b"\n" + line * ((OVERLAP * 3) // len(line))
    tail = f'END = "{gh(Gen(), "ghs")}"\n'.encode()
    target = tmp_path / "big.txt"
    target.write_bytes(body + tail)
    file = File(path="big.txt", abspath=str(target), size=target.stat().st_size)
    ctx = AnalysisContext(root=".", config=SecretsConfig())
    found = [f for f in ANALYZER.analyze([file], ctx) if isinstance(f, Finding)]
    assert [(f.rule.id, f.location.start_line) for f in found] == [
        ("SW-SEC-043", lines_before + 1),
        ("SW-SEC-046", lines_before + 2 + (OVERLAP * 3) // len(line)),
    ]


def test_analyzer_is_picklable_and_stateless() -> None:
    clone = pickle.loads(pickle.dumps(ANALYZER))  # noqa: S301 - our own object, as the pool does
    data = f'GH = "{TOKEN}"\n'.encode()
    ctx = AnalysisContext(root=".", config=SecretsConfig())
    first = list(clone.analyze([File.virtual("a.py", data)], ctx))
    assert first == list(ANALYZER.analyze([File.virtual("a.py", data)], ctx))


def test_both_prefilter_engines_find_the_same_keywords() -> None:
    from shieldwall.analyzers.secrets.prefilter import Prefilter, hyperscan

    keywords = [("ghp_", "token"), ("token",), ("-----begin rsa",)]
    text = "x = 'GHP_abc' # Token tokenizer\n-----BEGIN RSA PRIVATE KEY-----\n\xe9token"
    lowered = text.lower()
    expected = {
        index: sorted(
            (m.start(), m.end()) for word in words for m in re.finditer(re.escape(word), lowered)
        )
        for index, words in enumerate(keywords)
    }
    assert len(expected[0]) == 4  # GHP_ in another case, Token, the token in tokenizer, \xe9token
    engines = ["ahocorasick"] + (["hyperscan"] if hyperscan is not None else [])
    for engine in engines:
        hits = Prefilter(keywords, engine=engine).hits(text)
        assert {k: sorted(v) for k, v in hits.items()} == expected, engine
