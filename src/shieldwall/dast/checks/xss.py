"""Cross-site scripting: reflected (the payload comes back at once) and stored (it shows later,
on the form's page or on any page of the site)."""

from __future__ import annotations

from html.parser import HTMLParser

from shieldwall.core.finding import Finding
from shieldwall.dast import rules
from shieldwall.dast.checks.attack import Attack, Marker, found
from shieldwall.dast.evidence import make_finding
from shieldwall.dast.jscontext import context_at, in_code, scripts_with
from shieldwall.dast.model import Exchange

# Inside these a tag is text, not markup. Script data counts too: a tag reflected inside a
# script is no XSS by itself; the script-context payloads below decide.
_NON_EXECUTABLE = (
    "textarea",
    "title",
    "noscript",
    "xmp",
    "style",
    "iframe",
    "noembed",
    "script",
)


def executable(body: str, at: int) -> bool:
    """Whether position ``at`` is outside comments and elements whose content is never markup."""
    before = body[:at].lower()
    if before.rfind("<!--") > before.rfind("-->"):
        return False
    return all(before.rfind(f"<{tag}") <= before.rfind(f"</{tag}") for tag in _NON_EXECUTABLE)


class _StartTags(HTMLParser):
    """The names of the start tags an HTML tokenizer reads (script data stays text)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.names: set[str] = set()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        del attrs  # only the names matter
        self.names.add(tag)


def parsed_as_tag(body: str, marker: str) -> bool:
    """Whether the HTML tokenizer reads ``<marker>`` as an element, outside non-markup content."""
    parser = _StartTags()
    parser.feed(body)
    parser.close()
    at = body.find(f"<{marker}>")
    return marker in parser.names and at >= 0 and executable(body, at)


async def xss(attack: Attack) -> list[Finding]:
    """Reflected XSS (the tag comes back unescaped in HTML, or the value breaks out of a
    script string), then stored XSS on the form's page."""
    marker = attack.markers.next()
    attack.markers.remember(marker, attack.endpoint, attack.param)
    tag = f"<{marker}>"
    # Closes a quoted attribute of either kind, then opens a tag: body and attribute contexts.
    payload = f"'\">{tag}"
    exchange = await attack.send(payload)
    if exchange.is_html and parsed_as_tag(exchange.body, marker):
        return [found(rules.XSS_REFLECTED, attack, exchange, "reflected unescaped", tag)]
    if exchange.is_html and scripts_with(exchange.body, marker):
        in_script = await _script_context(attack)
        if in_script:
            return in_script
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


async def _script_context(attack: Attack) -> list[Finding]:
    """The value is reflected inside a script: break out of its string, or out of the element.

    A plain marker first tells which context the value lands in (the first probe's quotes may
    have changed it). Confirmed by parsing the answer: the JavaScript lexer must read our
    marker as an identifier (code), or the HTML tokenizer must read our tag as an element after
    ``</script>``.
    """
    plain = attack.markers.next()
    probe = await attack.send(plain)
    contexts = {context_at(block.source, at) for block, at in scripts_with(probe.body, plain)}
    for context in contexts:
        quote = context.text[0] if context is not None else ""
        code = attack.markers.next()
        value = f"{quote}-{code}-{quote}" if quote else f"{attack.original}-{code}"
        exchange = await attack.send(value)
        if any(in_code(block.source, code) for block, _ in scripts_with(exchange.body, code)):
            where = f"a {quote} string" if quote else "script code"
            how = f"the value breaks out of {where} inside <script> and runs as code"
            return [found(rules.XSS_REFLECTED, attack, exchange, how, code, context="script")]
    closing = attack.markers.next()
    exchange = await attack.send(f"</script><{closing}>")
    if parsed_as_tag(exchange.body, closing):
        how = "the value closes the <script> element and opens a tag of its own"
        proof = f"</script><{closing}>"
        return [found(rules.XSS_REFLECTED, attack, exchange, how, proof, context="script")]
    return []
