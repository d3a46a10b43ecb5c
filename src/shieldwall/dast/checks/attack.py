"""What an active check works with: the endpoint, the parameter under attack, the baseline
response, and a way to send the endpoint with that parameter changed."""

from __future__ import annotations

import difflib
import html
import itertools
import re
import secrets
from dataclasses import dataclass, field
from urllib.parse import quote, quote_plus

from shieldwall.core.finding import Finding
from shieldwall.core.rule import Rule
from shieldwall.dast.client import DastClient
from shieldwall.dast.evidence import make_finding
from shieldwall.dast.listener import CallbackListener
from shieldwall.dast.model import Endpoint, Exchange, Param, ParamIn

_COMPARE_CHARS = 20_000


@dataclass(slots=True)
class Marker:
    """Unique markers for one scan, so a payload seen later is traced to where it was sent."""

    prefix: str = field(default_factory=lambda: "sw" + secrets.token_hex(3))
    _counter: itertools.count[int] = field(default_factory=itertools.count)
    sent: dict[str, tuple[Endpoint, Param]] = field(default_factory=dict)

    def next(self) -> str:
        """A fresh marker: letters and digits only, unlikely in any page."""
        return f"{self.prefix}{next(self._counter)}x"

    def remember(self, marker: str, endpoint: Endpoint, param: Param) -> None:
        """Note where a stored payload carrying ``marker`` was sent."""
        self.sent[marker] = (endpoint, param)

    def pattern(self) -> re.Pattern[str]:
        """Matches any tag this scan's XSS payloads carry."""
        return re.compile(rf"<({re.escape(self.prefix)}\d+x)>")


@dataclass(slots=True)
class Attack:
    """One parameter of one endpoint under attack."""

    client: DastClient
    endpoint: Endpoint
    param: Param
    baseline: Exchange
    markers: Marker
    listener: CallbackListener | None = None

    async def send(self, value: str) -> Exchange:
        """The endpoint with the parameter set to ``value``."""
        return await send_endpoint(self.client, self.endpoint.with_value(self.param.name, value))

    @property
    def original(self) -> str:
        """The value a normal user sends."""
        return self.param.value


async def send_endpoint(client: DastClient, endpoint: Endpoint) -> Exchange:
    """Send an endpoint as a browser or API client would."""
    document = next((p for p in endpoint.params if p.where is ParamIn.GRAPHQL_DOCUMENT), None)
    if document is not None:
        # Variables are named after the argument: ``field.arg`` is reported, ``$arg`` is sent.
        variables = {
            p.name.rsplit(".", 1)[-1]: p.value
            for p in endpoint.params
            if p.where is ParamIn.GRAPHQL
        }
        operation = {"query": document.value, "variables": variables}
        return await client.send(endpoint.method, endpoint.full_url(), json=operation)
    raw = next((p.value for p in endpoint.params if p.where is ParamIn.XML), None)
    if raw is not None:
        headers = {"Content-Type": "application/xml"}
        return await client.send(endpoint.method, endpoint.full_url(), content=raw, headers=headers)
    form = {p.name: p.value for p in endpoint.params if p.where is ParamIn.FORM}
    body = {p.name: p.value for p in endpoint.params if p.where is ParamIn.JSON}
    return await client.send(
        endpoint.method,
        endpoint.full_url(),
        data=form or None,
        json=body or None,
    )


def without(body: str, *values: str) -> str:
    """The body with every form of the injected values removed (so reflections do not differ)."""
    for value in sorted(values, key=len, reverse=True):  # longest first: one may contain another
        if not value:
            continue
        for form in {
            value,
            html.escape(value),
            html.escape(value, quote=False),
            quote(value),
            quote_plus(value),
        }:
            body = body.replace(form, "")
    return body[:_COMPARE_CHARS]


def similar(a: Exchange, b: Exchange, a_value: str, b_value: str) -> bool:
    """Whether two responses are the same page once the injected values are removed."""
    if a.status != b.status:
        return False
    left, right = without(a.body, a_value, b_value), without(b.body, b_value, a_value)
    if left == right:
        return True
    return difflib.SequenceMatcher(None, left, right, autojunk=False).quick_ratio() > 0.98 and (
        difflib.SequenceMatcher(None, left, right, autojunk=False).ratio() > 0.98
    )


def found(
    rule: Rule, attack: Attack, exchange: Exchange, how: str, proof: str, **extra: str
) -> Finding:
    """A finding on the attacked parameter of the attacked endpoint."""
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


DELAY = 2.0


async def follows_sleep(attack: Attack, template: str) -> tuple[Exchange, str] | None:
    """(last answer, timings) when the answer's delay follows the sleep ``template`` asks for.

    Slow with a 2 s sleep, fast with a 0 s sleep of the same syntax, slow again: the zero-sleep
    control rules out a server that is merely slow, and the repeat rules out one slow moment.
    Thresholds are absolute, so a slow baseline cannot hide a real sleep. ``{d}`` in the
    template is the delay in seconds.
    """
    slow = await attack.send(attack.original + template.format(d=int(DELAY)))
    if slow.elapsed < DELAY * 0.9:
        return None
    fast = await attack.send(attack.original + template.format(d=0))
    if fast.elapsed >= DELAY * 0.5:
        # One slow moment of a loaded server must not hide a real sleep: ask once more.
        fast = await attack.send(attack.original + template.format(d=0))
        if fast.elapsed >= DELAY * 0.5:
            return None
    again = await attack.send(attack.original + template.format(d=int(DELAY)))
    if again.elapsed < DELAY * 0.9:
        return None
    timings = f"{slow.elapsed:.2f}s, {fast.elapsed:.2f}s, {again.elapsed:.2f}s"
    return again, f"responses took {timings} for sleeps of {DELAY:g}, 0 and {DELAY:g} s"
