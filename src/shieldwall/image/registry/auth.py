"""Registry authentication: the ``WWW-Authenticate`` challenge and the token flow.

distribution's token auth (``docs/spec/auth/token.md``): a 401 names a ``Bearer`` realm, service
and scope; the client asks the realm for a token (anonymously, with Basic credentials, or with an
identity token as an OAuth2 refresh token, ``docs/spec/auth/oauth.md``) and retries with
``Authorization: Bearer <token>``. A ``Basic`` challenge is answered with the credentials as is.
Tokens and passwords never reach a log or an error message.
"""

from __future__ import annotations

import base64
import ipaddress
import json
import re
from dataclasses import dataclass, field
from urllib.parse import urlsplit

import httpx

from shieldwall.image.registry.credentials import Credentials
from shieldwall.image.registry.errors import (
    PullError,
    RegistryAuthError,
    RegistryUnreachableError,
)

_PARAM = re.compile(r'([A-Za-z_][\w-]*)\s*=\s*(?:"((?:[^"\\]|\\.)*)"|([^,\s]*))')
_MAX_TOKEN_ANSWER = 1 << 20


@dataclass(frozen=True, slots=True)
class Challenge:
    """One parsed ``WWW-Authenticate`` challenge."""

    scheme: str  # "bearer" or "basic" (lower case)
    params: dict[str, str] = field(default_factory=dict)


def parse_challenge(header: str) -> Challenge | None:
    """The first Bearer or Basic challenge of a ``WWW-Authenticate`` header, if any."""
    scheme, _, rest = header.strip().partition(" ")
    if scheme.lower() not in {"bearer", "basic"}:
        return None
    params = {
        m.group(1).lower(): m.group(2) if m.group(2) is not None else m.group(3)
        for m in _PARAM.finditer(rest)
    }
    return Challenge(
        scheme=scheme.lower(), params={k: v.replace('\\"', '"') for k, v in params.items()}
    )


def basic_header(credentials: Credentials) -> str:
    """``Basic base64(user:password)``."""
    raw = f"{credentials.username}:{credentials.password}".encode()
    return "Basic " + base64.b64encode(raw).decode("ascii")


def is_loopback(host: str) -> bool:
    """Whether ``host`` (no port) is this machine: plain HTTP to it exposes nothing."""
    host = host.strip("[]")
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def _check_realm(realm: str, credentials: Credentials, allow_http: bool) -> None:
    parts = urlsplit(realm)
    if parts.scheme not in {"http", "https"} or not parts.hostname:
        raise PullError(f"the registry names an unusable token realm {realm!r}")
    if (
        parts.scheme == "http"
        and not credentials.anonymous
        and not allow_http
        and not is_loopback(parts.hostname)
    ):
        raise RegistryAuthError(
            f"the registry's token service {realm} is plain HTTP: refusing to send credentials "
            "over it (use --plain-http if this registry is meant to be reached without TLS)"
        )


def fetch_token(
    http: httpx.Client,
    challenge: Challenge,
    scope: str,
    credentials: Credentials,
    *,
    allow_http: bool = False,
) -> str:
    """A bearer token for ``scope`` from the challenge's realm."""
    realm = challenge.params.get("realm", "")
    _check_realm(realm, credentials, allow_http)
    query = {"scope": challenge.params.get("scope") or scope}
    if challenge.params.get("service"):
        query["service"] = challenge.params["service"]
    try:
        if credentials.identity_token:
            form = {**query, "grant_type": "refresh_token", "client_id": "shieldwall"}
            form["refresh_token"] = credentials.identity_token
            response = http.post(realm, data=form)
        else:
            headers = {} if credentials.anonymous else {"Authorization": basic_header(credentials)}
            response = http.get(realm, params=query, headers=headers)
    except httpx.TransportError as exc:
        raise RegistryUnreachableError(
            f"cannot reach the registry's token service {realm}: {exc}"
        ) from exc
    if response.status_code in {401, 403}:
        raise RegistryAuthError(_refused(credentials, realm))
    if response.status_code != 200:
        raise PullError(f"token service {realm} answered HTTP {response.status_code}")
    return _token_from(response.content[:_MAX_TOKEN_ANSWER], realm)


def _token_from(body: bytes, realm: str) -> str:
    try:
        answer = json.loads(body)
        token = answer.get("token") or answer.get("access_token")
    except (ValueError, AttributeError) as exc:
        raise PullError(f"token service {realm} answered something else than JSON") from exc
    if not isinstance(token, str) or not token:
        raise PullError(f"token service {realm} answered without a token")
    return token


def _refused(credentials: Credentials, where: str) -> str:
    if credentials.anonymous:
        return f"{where} refused anonymous access; {HOW_TO_LOG_IN}"
    return f"{where} rejected the credentials from {credentials.source}; check them"


HOW_TO_LOG_IN = (
    "give credentials with `docker login` (read from ~/.docker/config.json), "
    "SHIELDWALL_REGISTRY_USERNAME and SHIELDWALL_REGISTRY_PASSWORD, "
    "or --username with --password-stdin"
)
