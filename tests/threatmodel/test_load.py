"""Model validation: every problem reported with its line, nothing lost, bad input refused."""

from __future__ import annotations

from pathlib import Path

import pytest

from shieldwall.threatmodel.errors import ModelError
from shieldwall.threatmodel.load import load_model_file, parse_model
from shieldwall.threatmodel.yamlsource import MAX_MODEL_BYTES

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "vulnerable-shop" / "threatmodel.yaml"


def issues(text: str) -> list[tuple[int | None, str]]:
    with pytest.raises(ModelError) as caught:
        parse_model(text, "m.yaml")
    return [(i.line, i.message) for i in caught.value.issues]


def test_example_model_loads() -> None:
    model = load_model_file(EXAMPLE)
    assert model.name == "vulnerable-shop"
    assert {c.id for c in model.components} == {
        "shop-web",
        "orders-db",
        "assets-bucket",
        "feed-provider",
    }
    web_db = next(f for f in model.flows if f.id == "web-db")
    assert web_db.encrypted is False
    shopper = next(f for f in model.flows if f.id == "shopper-web")
    assert shopper.encrypted is True  # implied by https


def test_every_problem_with_its_line() -> None:
    text = """\
assets: [{id: cc, classification: restricted, pii: true}]
components:
  - id: api
    kind: api
    stores: [cc, nope]
  - {id: api, kind: database}
flows:
  - {id: f1, from: api, to: ghost}
boundaries:
  - {id: a, parent: b}
  - {id: b, parent: a}
"""
    found = issues(text)
    assert (6, "duplicate id 'api' (first defined on line 3)") in found
    assert (3, "api: stored asset 'nope' is not defined") in found
    assert (8, "f1: target 'ghost' is not defined") in found
    assert any(line == 10 and "boundary cycle" in msg for line, msg in found)
    assert len(found) == 4


def test_schema_errors_name_the_line_and_field() -> None:
    text = "components:\n  - id: api\n    kind: databse\n    colour: red\n"
    found = issues(text)
    assert found[0][0] == 3 and "components.0.kind" in found[0][1]
    assert found[1][0] == 4 and "Extra inputs are not permitted" in found[1][1]


def test_invalid_yaml_has_a_line() -> None:
    assert issues("name: x\ncomponents: [\n  {id: a\n")[0][0] is not None


def test_duplicate_keys_are_errors() -> None:
    found = issues("name: a\nname: b\n")
    assert found == [(2, "duplicate key 'name'")]


def test_bad_ids_and_unknown_kinds() -> None:
    found = issues("components:\n  - {id: '1bad id', kind: api}\n")
    assert found[0][0] == 2 and "ids start with a letter" in found[0][1]


def test_self_cycle_and_long_cycle() -> None:
    assert "boundary cycle: a -> a" in issues("boundaries: [{id: a, parent: a}]\n")[0][1]
    text = "boundaries:\n" + "".join(
        f"  - {{id: b{i}, parent: b{(i + 1) % 5}}}\n" for i in range(5)
    )
    assert len(issues(text)) == 1  # one cycle, reported once


def test_risk_entries_are_validated() -> None:
    base = "components: [{id: api, kind: api}]\nrisks:\n"
    found = issues(base + "  - {threat: SW-TM-001@api, status: accepted}\n")
    assert "accepted needs an owner and expires" in found[0][1]
    found = issues(base + "  - {threat: SW-TM-001@api, status: mitigated}\n")
    assert "mitigated needs a reference" in found[0][1]
    found = issues(base + "  - {threat: SW-TM-001@gone, status: false_positive}\n")
    assert "element 'gone' is not defined" in found[0][1]


def test_empty_model_is_valid() -> None:
    assert parse_model("", "m.yaml").components == ()


def test_top_level_must_be_a_mapping() -> None:
    assert "must be a mapping" in issues("- a\n- b\n")[0][1]


def test_binary_and_invalid_utf8_and_huge(tmp_path: Path) -> None:
    binary = tmp_path / "bin.yaml"
    binary.write_bytes(b"\x00\x01\x02name: x")
    with pytest.raises(ModelError, match="binary"):
        load_model_file(binary)
    latin = tmp_path / "latin.yaml"
    latin.write_bytes(b"name: ok\ndescription: caf\xe9\n")
    with pytest.raises(ModelError, match=r"latin.yaml:2: file is not valid UTF-8"):
        load_model_file(latin)
    huge = tmp_path / "huge.yaml"
    huge.write_bytes(b"#" * (MAX_MODEL_BYTES + 1))
    with pytest.raises(ModelError, match="over"):
        load_model_file(huge)
    with pytest.raises(ModelError, match="cannot read"):
        load_model_file(tmp_path / "missing.yaml")


def test_alias_bomb_is_refused() -> None:
    lines = ["a0: &a0 [x, x, x, x, x, x, x, x, x, x]"]
    lines += [f"a{i}: &a{i} [{', '.join([f'*a{i - 1}'] * 10)}]" for i in range(1, 8)]
    with pytest.raises(ModelError, match="aliases"):
        parse_model("\n".join(lines) + "\n", "bomb.yaml")


def test_sidecar_risks_override_the_model(tmp_path: Path) -> None:
    model = tmp_path / "tm.yaml"
    model.write_text(
        "components: [{id: api, kind: api}]\n"
        "risks: [{threat: SW-TM-078@api, status: mitigated, reference: PR-1}]\n"
    )
    (tmp_path / "tm.risks.yaml").write_text(
        "risks:\n  - threat: SW-TM-078@api\n    status: false_positive\n    reason: no UI\n"
    )
    loaded = load_model_file(model)
    assert [(r.threat, r.status.value, r.line) for r in loaded.risks] == [
        ("SW-TM-078@api", "false_positive", 2)
    ]
    (tmp_path / "tm.risks.yaml").write_text("risks: [{threat: SW-TM-1@nope, status: open}]\n")
    with pytest.raises(ModelError, match=r"tm.risks.yaml:1: risk SW-TM-1@nope"):
        load_model_file(model)
