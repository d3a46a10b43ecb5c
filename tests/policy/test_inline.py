from __future__ import annotations

import pytest

from shieldwall.policy.inline import parse_directive


@pytest.mark.parametrize(
    "line",
    [
        "x = eval(s)  # shieldwall: ignore[SW-TST-001] input is a constant",
        "eval(s); // shieldwall: ignore[SW-TST-001] input is a constant",
        "eval(s); /* shieldwall: ignore[SW-TST-001] input is a constant */",
        "SELECT 1; -- shieldwall: ignore[SW-TST-001] input is a constant",
        "<x/> <!-- shieldwall: ignore[SW-TST-001] input is a constant -->",
        "key=1 ; shieldwall: ignore[SW-TST-001] input is a constant",
        "REM shieldwall: ignore[SW-TST-001] input is a constant",
        "{# shieldwall: ignore[SW-TST-001] input is a constant #}",
    ],
)
def test_directive_in_every_comment_syntax(line: str) -> None:
    directive = parse_directive(line)
    assert directive is not None
    assert directive.covers("SW-TST-001")
    assert not directive.covers("SW-TST-002")
    assert directive.reason == "input is a constant"


def test_several_rules_wildcard_and_aliases() -> None:
    several = parse_directive("# shieldwall: ignore[SW-A-1, sw-b-2]")
    assert several is not None and several.covers("SW-B-2") and several.reason == ""
    wildcard = parse_directive("# shieldwall: ignore[*] generated file")
    assert wildcard is not None and wildcard.covers("ANY-THING-1")
    aliased = parse_directive("# shieldwall: ignore[SW-OLD-1]")
    assert aliased is not None and aliased.covers("SW-NEW-1", aliases=("SW-OLD-1",))


@pytest.mark.parametrize(
    "line",
    [
        'message = "shieldwall: ignore[SW-TST-001]"',  # not in a comment
        "# shieldwall: ignore SW-TST-001",  # no brackets
        "# shieldwall: ignored[SW-TST-001]",
        "# nothing to see",
    ],
)
def test_non_directives(line: str) -> None:
    assert parse_directive(line) is None
