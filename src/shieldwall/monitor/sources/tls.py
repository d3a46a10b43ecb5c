"""TLS for the TCP listeners: syslog over TLS (RFC 5425) and HTTPS ingest.

The accepting thread only wraps the socket; the handshake runs in the connection's own thread
(``finish_request``), so a slow or plain-text client cannot stall the listener. A failed
handshake closes that connection and is counted in ``tls_failures``.
"""

from __future__ import annotations

import ssl
import threading
from pathlib import Path
from typing import Any

from shieldwall.core.errors import ConfigError

HANDSHAKE_TIMEOUT = 10.0


def server_context(certificate: Path, key: Path) -> ssl.SSLContext:
    """A server context (TLS 1.2 or later) with the listener's certificate and key."""
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.minimum_version = ssl.TLSVersion.TLSv1_2
    try:
        context.load_cert_chain(certificate, key)
    except (OSError, ssl.SSLError) as exc:
        raise ConfigError(f"cannot load the TLS certificate {certificate}: {exc}") from exc
    return context


class TlsServerMixin:
    """Mix into a ``socketserver`` TCP server; ``tls`` ``None`` keeps it plain."""

    tls: ssl.SSLContext | None = None
    tls_failures = 0
    _tls_lock = threading.Lock()

    def get_request(self) -> tuple[Any, Any]:
        """Accept, and wrap in TLS without handshaking yet."""
        sock, address = super().get_request()  # type: ignore[misc]
        if self.tls is None:
            return sock, address
        return self.tls.wrap_socket(sock, server_side=True, do_handshake_on_connect=False), address

    def finish_request(self, request: Any, client_address: Any) -> None:
        """Handshake in the connection's thread, then serve it."""
        if isinstance(request, ssl.SSLSocket):
            try:
                request.settimeout(HANDSHAKE_TIMEOUT)
                request.do_handshake()
            except (ssl.SSLError, OSError):
                with self._tls_lock:
                    self.tls_failures += 1
                return  # socketserver's shutdown_request closes the connection
        super().finish_request(request, client_address)  # type: ignore[misc]
