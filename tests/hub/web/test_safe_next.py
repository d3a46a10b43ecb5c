from __future__ import annotations

import pytest

from shieldwall.hub.web.auth import safe_next


@pytest.mark.parametrize(
    "target",
    [
        "https://evil.example",
        "//evil.example",
        "/\\evil.example",
        "/\t/evil.example",
        "/\n/evil.example",
        "/x\\y",
        "",
        None,
        "evil",
        "/\x7f",
    ],
)
def test_anything_but_a_plain_local_path_becomes_the_root(target: str | None) -> None:
    assert safe_next(target) == "/"


@pytest.mark.parametrize("target", ["/", "/findings?severity=high&page=2", "/projects/shop"])
def test_local_paths_are_kept(target: str) -> None:
    assert safe_next(target) == target
