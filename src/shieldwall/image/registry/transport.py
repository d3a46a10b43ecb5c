"""Which URL a registry is reached at: HTTPS, plain HTTP, or (for loopback) whichever answers.

As docker and go-containerregistry do, a registry on ``localhost``/``127.0.0.1``/``::1`` is tried
over HTTPS first and reached over plain HTTP when it does not speak TLS; any other registry is
HTTPS unless ``--plain-http`` says otherwise. A certificate that does not verify is never a
reason to fall back: that error names ``--insecure`` instead.
"""

from __future__ import annotations

import ssl

import httpx

from shieldwall.image.registry.auth import is_loopback
from shieldwall.image.registry.errors import RegistryUnreachableError
from shieldwall.image.registry.reference import Reference

_PROBE_TIMEOUT = 5.0


def candidate_urls(ref: Reference, base_url: str | None, plain_http: bool) -> list[str]:
    """The base URLs to try, best first."""
    if base_url:
        return [base_url]
    if plain_http:
        return [f"http://{ref.api_host}"]
    host = ref.api_host if ref.api_host.endswith("]") else ref.api_host.rsplit(":", 1)[0]
    if is_loopback(host):
        return [f"https://{ref.api_host}", f"http://{ref.api_host}"]
    return [f"https://{ref.api_host}"]


def _certificate_error(exc: BaseException) -> bool:
    seen: BaseException | None = exc
    while seen is not None:
        if isinstance(seen, ssl.SSLCertVerificationError):
            return True
        seen = seen.__cause__ or seen.__context__
    return "CERTIFICATE_VERIFY_FAILED" in str(exc)


def choose_url(candidates: list[str], http: httpx.Client) -> str:
    """The first candidate that answers ``/v2/`` at all (any status); the last one otherwise."""
    for url in candidates[:-1]:
        try:
            http.get(f"{url}/v2/", timeout=_PROBE_TIMEOUT).close()
        except httpx.TransportError as exc:
            if _certificate_error(exc):
                raise RegistryUnreachableError(
                    f"{url}: the registry's TLS certificate does not verify ({exc}); "
                    "for a self-signed certificate use --insecure"
                ) from exc
            continue
        return url
    return candidates[-1]
