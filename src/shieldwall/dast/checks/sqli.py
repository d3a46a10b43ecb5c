"""SQL injection: error-based, boolean differential, and time-based with a control request."""

from __future__ import annotations

import re

from shieldwall.core.finding import Finding
from shieldwall.dast import rules
from shieldwall.dast.checks.attack import Attack, follows_sleep, found, similar
from shieldwall.dast.model import Exchange

_DB_ERRORS = (
    re.compile(r"sqlite3?\.(?:Operational|Programming)Error|SQLite error|SQLITE_ERROR"),
    re.compile(r"unrecognized token: \"|near \"[^\"]{0,40}\": syntax error"),  # SQLite
    re.compile(r"You have an error in your SQL syntax|mysqli?_fetch|MySQLSyntaxErrorException"),
    re.compile(
        r"Unknown column '[^']+' in|check the manual that corresponds to your (?:MySQL|Maria)"
    ),
    re.compile(r"PG::SyntaxError|PSQLException|syntax error at or near \"|pg_query\(\)"),
    re.compile(r"unterminated quoted string at or near|psycopg2?\.errors\."),
    re.compile(r"Unclosed quotation mark after the character string|SqlException"),
    re.compile(r"Microsoft OLE DB Provider for (?:SQL Server|ODBC)|ODBC SQL Server Driver"),
    re.compile(r"\bORA-\d{5}\b|quoted string not properly terminated"),
    re.compile(r"SQLSTATE\[\w+\]|JDBCException|org\.hibernate\.QueryException"),
)


def _first_error(body: str) -> re.Match[str] | None:
    # JSON APIs (GraphQL errors, REST error objects) escape the quotes the signatures expect.
    unescaped = body.replace('\\"', '"') if '\\"' in body else body
    for pattern in _DB_ERRORS:
        match = pattern.search(body) or pattern.search(unescaped)
        if match:
            return match
    return None


async def sql_injection(attack: Attack) -> list[Finding]:
    """Error-based, then boolean differential (two true/false pairs must agree)."""
    baseline_error = _first_error(attack.baseline.body)
    exchange = await attack.send(attack.original + "'\"")
    error = _first_error(exchange.body)
    if error and not baseline_error:
        return [
            found(
                rules.SQL_INJECTION,
                attack,
                exchange,
                "a database error",
                error.group(0),
                technique="error-based",
            )
        ]
    for cond in ("' AND '{a}'='{b}", " AND {a}={b}"):
        hit = await _boolean(attack, cond)
        if hit:
            return [hit]
    timed = await _time_based(attack)
    return [timed] if timed else []


async def _boolean(attack: Attack, condition: str) -> Finding | None:
    base = attack.baseline
    pairs = (("1", "1", "1", "2"), ("7", "7", "7", "8"))
    last: Exchange | None = None
    for a1, b1, a2, b2 in pairs:
        true_value = attack.original + condition.format(a=a1, b=b1)
        false_value = attack.original + condition.format(a=a2, b=b2)
        true_ex = await attack.send(true_value)
        if not similar(true_ex, base, true_value, attack.original):
            return None
        false_ex = await attack.send(false_value)
        if similar(false_ex, base, false_value, attack.original):
            return None
        last = false_ex
    assert last is not None  # noqa: S101 - the loop ran
    return found(
        rules.SQL_INJECTION,
        attack,
        last,
        "a true condition keeps the page and a false one changes it",
        "",
        technique="boolean",
        condition=condition,
    )


# MySQL/MariaDB (and SQLite builds with a sleep function), PostgreSQL, SQL Server; string and
# numeric contexts. {d} is the delay in seconds.
_SLEEPS = (
    "' AND SLEEP({d}) AND '1'='1",
    " AND SLEEP({d})",
    "' AND 1=(SELECT 1 FROM PG_SLEEP({d})) AND '1'='1",
    " AND 1=(SELECT 1 FROM PG_SLEEP({d}))",
    "';WAITFOR DELAY '0:0:{d}'--",
    ";WAITFOR DELAY '0:0:{d}'--",
)


async def _time_based(attack: Attack) -> Finding | None:
    """A delay that follows the requested sleep (see ``follows_sleep``)."""
    for template in _SLEEPS:
        timed = await follows_sleep(attack, template)
        if timed is not None:
            exchange, how = timed
            return found(rules.SQL_INJECTION, attack, exchange, how, "", technique="time-based")
    return None
