"""Talk to the app under test: a WSGI or ASGI app in this process, or a live URL.

Each role gets its own client, so its cookie jar (the session a login set) is its own. In-process
apps go through httpx's WSGI and ASGI transports; an exception the app raises is caught and turned
into :class:`AppCrashed`, so the test reports the *app's* failure, not ours.
"""

from __future__ import annotations

import asyncio
import importlib
import inspect
import sys
from pathlib import Path
from typing import Any, Literal

import httpx

from shieldwall.core.errors import ConfigError

__all__ = ["AppClient", "AppCrashed", "load_app", "make_client"]

# https, so that Secure cookies (which a hardened app sets) are sent back as a browser would.
_BASE = "https://testserver"
_TIMEOUT = httpx.Timeout(30.0)


class AppCrashed(Exception):
    """The application raised instead of answering (in-process) or could not be reached (live)."""


def load_app(spec: str, search_dir: Path) -> Any:
    """Import ``module:attribute`` (``attribute()`` is called when it ends in ``()``)."""
    module_name, _, attribute = spec.partition(":")
    if not module_name or not attribute:
        raise ConfigError(f"app {spec!r}: expected 'module:attribute'")
    # The plan's directory is importable, like a conftest's: apps usually sit beside the tests.
    if str(search_dir) not in sys.path:
        sys.path.insert(0, str(search_dir))
    try:
        target: Any = importlib.import_module(module_name)
    except Exception as exc:  # the app's import failing is the app's problem: say which
        raise ConfigError(f"app {spec!r}: import failed: {type(exc).__name__}: {exc}") from exc
    factory = attribute.endswith("()")
    for part in attribute.removesuffix("()").split("."):
        try:
            target = getattr(target, part)
        except AttributeError as exc:
            raise ConfigError(f"app {spec!r}: no attribute {part!r}") from exc
    return target() if factory else target


def _is_asgi(app: Any) -> bool:
    call = app if inspect.isfunction(app) else getattr(app, "__call__", None)  # noqa: B004
    return inspect.iscoroutinefunction(call)


class AppClient:
    """A synchronous client for one role, whatever the app's interface."""

    def __init__(self, client: httpx.Client | httpx.AsyncClient, runner: asyncio.Runner | None):
        """Wrap a sync client, or an async one driven by ``runner`` (ASGI)."""
        self._client = client
        self._runner = runner

    def request(self, method: str, path: str, **kwargs: Any) -> httpx.Response:
        """Send a request; an app exception or an unreachable server is :class:`AppCrashed`."""
        try:
            if isinstance(self._client, httpx.AsyncClient):
                assert self._runner is not None  # noqa: S101 - set together in make_client
                return self._runner.run(self._client.request(method, path, **kwargs))
            return self._client.request(method, path, **kwargs)
        except httpx.TransportError as exc:
            raise AppCrashed(f"{method} {path}: cannot reach the app: {exc}") from exc
        except Exception as exc:  # whatever the app raised: it is the app's failure
            raise AppCrashed(
                f"{method} {path}: the app raised {type(exc).__name__}: {exc}"
            ) from exc

    def set_header(self, name: str, value: str) -> None:
        """Send ``name: value`` with every later request (a bearer token after login)."""
        self._client.headers[name] = value

    def close(self) -> None:
        """Release connections (and the event loop of an ASGI client)."""
        if isinstance(self._client, httpx.AsyncClient):
            assert self._runner is not None  # noqa: S101
            self._runner.run(self._client.aclose())
            self._runner.close()
        else:
            self._client.close()


def make_client(
    app: Any,
    base_url: str | None,
    interface: Literal["auto", "wsgi", "asgi"],
    headers: dict[str, str],
) -> AppClient:
    """A fresh client (its own cookies) for the in-process ``app`` or the live ``base_url``."""
    common: dict[str, Any] = {"headers": headers, "timeout": _TIMEOUT, "follow_redirects": False}
    if base_url is not None:
        return AppClient(httpx.Client(base_url=base_url, **common), None)
    asgi = interface == "asgi" or (interface == "auto" and _is_asgi(app))
    if asgi:
        transport = httpx.ASGITransport(app=app)
        return AppClient(
            httpx.AsyncClient(transport=transport, base_url=_BASE, **common), asyncio.Runner()
        )
    return AppClient(
        httpx.Client(transport=httpx.WSGITransport(app=app), base_url=_BASE, **common), None
    )
