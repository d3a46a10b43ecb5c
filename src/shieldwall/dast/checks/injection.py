"""Active checks, each confirmed before it reports: XSS, SQL injection, OS command injection,
path traversal, template injection and open redirect."""

from __future__ import annotations

import random
import re
from urllib.parse import urljoin, urlsplit

from shieldwall.core.finding import Finding
from shieldwall.core.rule import Rule
from shieldwall.dast import rules
from shieldwall.dast.checks.attack import Attack, Marker, similar
from shieldwall.dast.evidence import make_finding
from shieldwall.dast.model import Endpoint, Exchange, ParamIn

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
_PASSWD = re.compile(r"root:[x*!]?:0:0:")
_WIN_INI = re.compile(r"\[(?:fonts|extensions)\]\s*[\r\n]")
_NON_EXECUTABLE = ("textarea", "title", "noscript", "xmp", "style", "iframe", "noembed")
_REDIRECT_HOST = "sw-redirect.invalid"  # .invalid never resolves (RFC 2606)
_REDIRECT_NAME = re.compile(
    r"(?i)url|uri|next|redir|return|goto|dest|continue|target|forward|callback|^r$|^u$"
)
_FILE_NAME = re.compile(r"(?i)file|path|page|doc|template|include|dir|folder|name|lang|view")


def _first_error(body: str) -> re.Match[str] | None:
    for pattern in _DB_ERRORS:
        match = pattern.search(body)
        if match:
            return match
    return None


def _executable(body: str, at: int) -> bool:
    """Whether position ``at`` is outside comments and elements whose content is never markup."""
    before = body[:at].lower()
    if before.rfind("<!--") > before.rfind("-->"):
        return False
    return all(before.rfind(f"<{tag}") <= before.rfind(f"</{tag}") for tag in _NON_EXECUTABLE)


async def xss(attack: Attack) -> list[Finding]:
    """Reflected XSS (the tag comes back unescaped in HTML), then stored XSS on the form's page."""
    marker = attack.markers.next()
    attack.markers.remember(marker, attack.endpoint, attack.param)
    tag = f"<{marker}>"
    # Closes a quoted attribute of either kind, then opens a tag: body and attribute contexts.
    payload = f"'\">{tag}"
    exchange = await attack.send(payload)
    at = exchange.body.find(tag)
    if exchange.is_html and at >= 0 and _executable(exchange.body, at):
        return [_found(rules.XSS_REFLECTED, attack, exchange, "reflected unescaped", tag)]
    origin = attack.endpoint.origin
    if origin:
        page = await attack.client.send("GET", origin)
        at = page.body.find(tag)
        if page.is_html and at >= 0 and _executable(page.body, at):
            finding = _found(rules.XSS_STORED, attack, page, f"stored and shown on {origin}", tag)
            return [finding]
    return []


def stored_xss_in(page: Exchange, markers: Marker) -> list[Finding]:
    """Stored XSS shown on ``page``: any payload tag of this scan, unescaped and executable."""
    if not page.is_html:
        return []
    findings = []
    for match in markers.pattern().finditer(page.body):
        origin = markers.sent.get(match.group(1))
        if origin is None or not _executable(page.body, match.start()):
            continue
        endpoint, param = origin
        findings.append(
            make_finding(
                rules.XSS_STORED,
                page,
                f"{rules.XSS_STORED.title} in parameter {param.name}: stored and shown on "
                f"{page.url}",
                parameter=param.name,
                method=endpoint.method,
                url=endpoint.url,
                proof=match.group(0),
                details={"where": param.where.value, "shown_on": page.url},
            )
        )
    return findings


async def sql_injection(attack: Attack) -> list[Finding]:
    """Error-based, then boolean differential (two true/false pairs must agree)."""
    baseline_error = _first_error(attack.baseline.body)
    exchange = await attack.send(attack.original + "'\"")
    error = _first_error(exchange.body)
    if error and not baseline_error:
        return [
            _found(
                rules.SQL_INJECTION,
                attack,
                exchange,
                "a database error",
                error.group(0),
                technique="error-based",
            )
        ]
    for cond in ("' AND '{a}'='{b}", " AND {a}={b}"):
        found = await _boolean(attack, cond)
        if found:
            return [found]
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
    return _found(
        rules.SQL_INJECTION,
        attack,
        last,
        "a true condition keeps the page and a false one changes it",
        "",
        technique="boolean",
        condition=condition,
    )


_DELAY = 2.0
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
    """A delay that follows the requested sleep: slow, then fast with a zero sleep, then slow.

    The zero-sleep control with the same syntax rules out a server that is merely slow, and the
    repeat rules out one slow moment; all three must agree.
    """
    # Thresholds are absolute: a slow baseline must not hide a real sleep.
    for template in _SLEEPS:
        slow = await attack.send(attack.original + template.format(d=int(_DELAY)))
        if slow.elapsed < _DELAY * 0.9:
            continue
        fast = await attack.send(attack.original + template.format(d=0))
        if fast.elapsed >= _DELAY * 0.5:
            continue
        again = await attack.send(attack.original + template.format(d=int(_DELAY)))
        if again.elapsed >= _DELAY * 0.9:
            timings = f"{slow.elapsed:.2f}s, {fast.elapsed:.2f}s, {again.elapsed:.2f}s"
            how = f"responses took {timings} for sleeps of {_DELAY:g}, 0 and {_DELAY:g} s"
            return _found(rules.SQL_INJECTION, attack, again, how, "", technique="time-based")
    return None


async def command_injection(attack: Attack) -> list[Finding]:
    """The shell evaluates arithmetic only it can compute: ``$((a*b))`` prints the product."""
    a, b = random.randint(1000, 9999), random.randint(1000, 9999)  # noqa: S311 - not crypto
    marker = attack.markers.next()
    proof = f"{marker}{a * b}"
    command = f"echo {marker}$(({a}*{b}))"
    for payload in (f";{command}", f"|{command}", f"$({command})", f"`{command}`"):
        exchange = await attack.send(attack.original + payload)
        if proof in exchange.body:
            return [_found(rules.COMMAND_INJECTION, attack, exchange, "shell output", proof)]
    return []


async def path_traversal(attack: Attack) -> list[Finding]:
    """Known file contents (/etc/passwd, win.ini) that were not in the normal response."""
    value = attack.original
    if not (_FILE_NAME.search(attack.param.name) or "." in value or "/" in value):
        return []
    payloads = (
        "../" * 10 + "etc/passwd",
        "/etc/passwd",
        "file:///etc/passwd",  # URL parameters fetched with a library that speaks file:
        "....//" * 10 + "etc/passwd",
        "..\\" * 10 + "windows\\win.ini",
    )
    for payload in payloads:
        exchange = await attack.send(payload)
        for signature in (_PASSWD, _WIN_INI):
            match = signature.search(exchange.body)
            if match and not signature.search(attack.baseline.body):
                return [
                    _found(rules.PATH_TRAVERSAL, attack, exchange, "a system file", match.group(0))
                ]
    return []


async def template_injection(attack: Attack) -> list[Finding]:
    """An arithmetic expression in template syntax comes back evaluated, twice with new numbers."""
    for template in ("{{%d*%d}}", "${%d*%d}", "<%%= %d*%d %%>", "#{%d*%d}"):
        exchange = await _evaluated(attack, template)
        if exchange is not None and await _evaluated(attack, template) is not None:
            return [
                _found(
                    rules.TEMPLATE_INJECTION,
                    attack,
                    exchange,
                    f"the template expression {template} evaluated",
                    "",
                )
            ]
    return []


async def _evaluated(attack: Attack, template: str) -> Exchange | None:
    a, b = random.randint(1000, 9999), random.randint(1000, 9999)  # noqa: S311 - not crypto
    product = str(a * b)
    if product in attack.baseline.body:
        return None
    exchange = await attack.send(attack.original + template % (a, b))
    return exchange if product in exchange.body else None


async def open_redirect(attack: Attack) -> list[Finding]:
    """A redirect (Location) to a host we chose."""
    value = attack.original
    redirecting = 300 <= attack.baseline.status < 400
    if not (
        redirecting or _REDIRECT_NAME.search(attack.param.name) or value.startswith(("/", "http"))
    ):
        return []
    for payload in (f"https://{_REDIRECT_HOST}/", f"//{_REDIRECT_HOST}/"):
        exchange = await attack.send(payload)
        location = exchange.header("location")
        if 300 <= exchange.status < 400 and location:
            host = urlsplit(urljoin(exchange.url, location.strip())).hostname
            if host == _REDIRECT_HOST:
                return [
                    _found(rules.OPEN_REDIRECT, attack, exchange, f"Location: {location}", location)
                ]
    return []


async def crlf_injection(attack: Attack) -> list[Finding]:
    """A header of our own appears when CR LF and a header line follow the value.

    Only values the server already echoes into a response header are tried: no other
    parameter can inject one, so the check costs nothing elsewhere.
    """
    value = attack.original
    if not value or not any(value in header for _, header in attack.baseline.headers):
        return []
    marker = attack.markers.next()
    exchange = await attack.send(f"{value}\r\nX-Shieldwall-Injected: {marker}")
    if exchange.header("x-shieldwall-injected") == marker:
        return [_found(rules.CRLF_INJECTION, attack, exchange, "an injected header", marker)]
    return []


_URL_NAME = re.compile(
    r"(?i)url|uri|link|src|source|dest|callback|webhook|feed|host|proxy|fetch|image|load|endpoint"
)
_CALLBACK_WAIT = 1.0


async def ssrf(attack: Attack) -> list[Finding]:
    """The target requests a unique URL on the scanner's callback listener."""
    listener = attack.listener
    value = attack.original
    if listener is None or not (_URL_NAME.search(attack.param.name) or value.startswith("http")):
        return []
    marker = attack.markers.next()
    exchange = await attack.send(listener.url(marker))
    peer = await listener.wait_for(marker, _CALLBACK_WAIT)
    if peer is None:
        return []
    how = f"the server fetched {listener.url(marker)} (connection from {peer})"
    return [_found(rules.SSRF, attack, exchange, how, marker)]


async def xxe(attack: Attack) -> list[Finding]:
    """An XML body whose external entity points at the callback listener gets fetched."""
    listener = attack.listener
    if listener is None or attack.param.where is not ParamIn.XML:
        return []
    marker = attack.markers.next()
    document = (
        '<?xml version="1.0"?>'
        f'<!DOCTYPE r [<!ENTITY sw SYSTEM "{listener.url(marker)}">]><r>&sw;</r>'
    )
    exchange = await attack.send(document)
    peer = await listener.wait_for(marker, _CALLBACK_WAIT)
    if peer is None:
        return []
    how = f"the parser fetched the external entity {listener.url(marker)} (from {peer})"
    return [_found(rules.XXE, attack, exchange, how, marker)]


def _found(
    rule: Rule, attack: Attack, exchange: Exchange, how: str, proof: str, **extra: str
) -> Finding:
    endpoint: Endpoint = attack.endpoint
    return make_finding(
        rule,
        exchange,
        f"{rule.title} in parameter {attack.param.name}: {how}",
        parameter=attack.param.name,
        method=endpoint.method,
        url=endpoint.url,
        proof=proof,
        details={"where": attack.param.where.value, **extra},
    )


CHECKS = (
    xss,
    sql_injection,
    command_injection,
    path_traversal,
    template_injection,
    open_redirect,
    crlf_injection,
    ssrf,
)
# An XML body is one document, not a value: only the XXE check applies to it.
XML_CHECKS = (xxe,)
