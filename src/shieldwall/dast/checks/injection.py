"""Active checks, each confirmed before it reports: OS command injection, path traversal,
template injection, open redirect, CRLF injection, SSRF and XXE. The lists of checks run on
each parameter are at the end."""

from __future__ import annotations

import random
import re
from urllib.parse import urljoin, urlsplit

from shieldwall.core.finding import Finding
from shieldwall.dast import rules
from shieldwall.dast.checks.attack import Attack, follows_sleep, found
from shieldwall.dast.checks.sqli import sql_injection
from shieldwall.dast.checks.xss import xss
from shieldwall.dast.model import Exchange, ParamIn

_PASSWD = re.compile(r"root:[x*!]?:0:0:")
_WIN_INI = re.compile(r"\[(?:fonts|extensions)\]\s*[\r\n]")
_REDIRECT_HOST = "sw-redirect.invalid"  # .invalid never resolves (RFC 2606)
_REDIRECT_NAME = re.compile(
    r"(?i)url|uri|next|redir|return|goto|dest|continue|target|forward|callback|^r$|^u$"
)
_FILE_NAME = re.compile(r"(?i)file|path|page|doc|template|include|dir|folder|name|lang|view")


# Unquoted, inside double quotes (command substitution), inside single quotes.
_SHELL_SLEEPS = (";sleep {d};", "$(sleep {d})", "';sleep {d};'")


async def command_injection(attack: Attack) -> list[Finding]:
    """The shell evaluates arithmetic only it can compute: ``$((a*b))`` prints the product.

    When the output is not shown (blind), a ``sleep`` whose delay the answer follows.
    """
    a, b = random.randint(1000, 9999), random.randint(1000, 9999)  # noqa: S311 - not crypto
    marker = attack.markers.next()
    proof = f"{marker}{a * b}"
    command = f"echo {marker}$(({a}*{b}))"
    for payload in (f";{command}", f"|{command}", f"$({command})", f"`{command}`"):
        exchange = await attack.send(attack.original + payload)
        if proof in exchange.body:
            return [found(rules.COMMAND_INJECTION, attack, exchange, "shell output", proof)]
    for template in _SHELL_SLEEPS:
        timed = await follows_sleep(attack, template)
        if timed is not None:
            exchange, how = timed
            return [
                found(rules.COMMAND_INJECTION, attack, exchange, how, "", technique="time-based")
            ]
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
                    found(rules.PATH_TRAVERSAL, attack, exchange, "a system file", match.group(0))
                ]
    return []


async def template_injection(attack: Attack) -> list[Finding]:
    """An arithmetic expression in template syntax comes back evaluated, twice with new numbers."""
    for template in ("{{%d*%d}}", "${%d*%d}", "<%%= %d*%d %%>", "#{%d*%d}"):
        exchange = await _evaluated(attack, template)
        if exchange is not None and await _evaluated(attack, template) is not None:
            return [
                found(
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
                    found(rules.OPEN_REDIRECT, attack, exchange, f"Location: {location}", location)
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
        return [found(rules.CRLF_INJECTION, attack, exchange, "an injected header", marker)]
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
    return [found(rules.SSRF, attack, exchange, how, marker)]


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
    return [found(rules.XXE, attack, exchange, how, marker)]


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
