"""Free-text search of findings (trigram-indexed on PostgreSQL, LIKE on SQLite): same answers."""

from __future__ import annotations

import pytest
from sqlalchemy.orm import Session, sessionmaker

from shieldwall.hub.findings import service
from shieldwall.hub.findings.service import FindingFilter, list_findings
from tests.hub.test_lifecycle import ADMIN, project, sarif, upload


def found(sessions: sessionmaker[Session], text: str, **extra: object) -> set[str]:
    with sessions() as session:
        page = list_findings(session, ADMIN, FindingFilter(text=text, **extra), 1, 100)  # type: ignore[arg-type]
        assert page.total == len(page.items)
        return {f.rule_id for f in page.items}


@pytest.mark.parametrize(
    ("text", "rules"),
    [
        ("sql_inject", {"sql_injection"}),  # rule id; "_" is literal, not a wildcard
        ("SQL_INJECTION FOUND", {"sql_injection"}),  # message, any case
        ("src/path%traversal", set()),  # "%" is literal too
        ("xss.py", {"xss"}),  # path
        ("found", {"sql_injection", "xss", "sqlXinjection"}),
        ("foundsrc", set()),  # never across two columns
        ("\x01", {"sql_injection", "xss", "sqlXinjection"}),  # control characters are dropped
    ],
)
def test_text_search(sessions: sessionmaker[Session], text: str, rules: set[str]) -> None:
    pid = project(sessions)
    upload(sessions, pid, sarif("sql_injection", "xss", "sqlXinjection"))
    assert found(sessions, text) == rules


def test_text_search_combines_with_other_filters(sessions: sessionmaker[Session]) -> None:
    pid = project(sessions)
    upload(sessions, pid, sarif("sql_injection", "xss"))
    upload(sessions, pid, sarif("xss", salt="1"), branch="feature")
    assert found(sessions, "found", project="shop", branch="feature") == {"xss"}
    assert found(sessions, "found", status=("fixed",)) == set()


def test_many_matches_take_the_cte_path(
    sessions: sessionmaker[Session], monkeypatch: pytest.MonkeyPatch
) -> None:
    pid = project(sessions)
    upload(sessions, pid, sarif("sql_injection", "xss", "sqlXinjection"))
    monkeypatch.setattr(service, "_TEXT_IDS", 1)  # more matches than ids fetched at once
    assert found(sessions, "found") == {"sql_injection", "xss", "sqlXinjection"}
    assert found(sessions, "sql_inject") == {"sql_injection"}
