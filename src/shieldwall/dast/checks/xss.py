"""Cross-site scripting: reflected (the payload comes back at once) and stored (it shows later,
on the form's page or on any page of the site)."""

from __future__ import annotations

from shieldwall.core.finding import Finding
from shieldwall.dast import rules
from shieldwall.dast.checks.attack import Attack, Marker, found
from shieldwall.dast.evidence import make_finding
from shieldwall.dast.model import Exchange

_NON_EXECUTABLE = ("textarea", "title", "noscript", "xmp", "style", "iframe", "noembed")


def executable(body: str, at: int) -> bool:
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
    if exchange.is_html and at >= 0 and executable(exchange.body, at):
        return [found(rules.XSS_REFLECTED, attack, exchange, "reflected unescaped", tag)]
    origin = attack.endpoint.origin
    if origin:
        page = await attack.client.send("GET", origin)
        at = page.body.find(tag)
        if page.is_html and at >= 0 and executable(page.body, at):
            finding = found(rules.XSS_STORED, attack, page, f"stored and shown on {origin}", tag)
            return [finding]
    return []


def stored_xss_in(page: Exchange, markers: Marker) -> list[Finding]:
    """Stored XSS shown on ``page``: any payload tag of this scan, unescaped and executable."""
    if not page.is_html:
        return []
    findings = []
    for match in markers.pattern().finditer(page.body):
        origin = markers.sent.get(match.group(1))
        if origin is None or not executable(page.body, match.start()):
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
