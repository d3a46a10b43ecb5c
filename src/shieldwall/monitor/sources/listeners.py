"""Starting and stopping the push sources a ``monitor.yaml`` names."""

from __future__ import annotations

import ssl
import sys
import threading
from collections.abc import Mapping, Sequence
from socketserver import BaseServer
from typing import BinaryIO

from shieldwall.core.errors import ConfigError
from shieldwall.monitor.config import (
    FileSourceConfig,
    HttpSourceConfig,
    SourceConfig,
    StdinSourceConfig,
    SyslogSourceConfig,
)
from shieldwall.monitor.sources.http import HttpIngestServer
from shieldwall.monitor.sources.inbox import Inbox
from shieldwall.monitor.sources.stdin import StdinReader
from shieldwall.monitor.sources.syslog import SyslogTcpServer, SyslogUdpServer
from shieldwall.monitor.sources.tls import server_context


def _tls(source: SyslogSourceConfig | HttpSourceConfig) -> ssl.SSLContext | None:
    if source.tls_certificate is None:
        return None
    if source.tls_key is None:
        raise ConfigError("tls_certificate needs tls_key")
    return server_context(source.tls_certificate, source.tls_key)


class Listeners:
    """The running push sources of one daemon, all feeding one inbox."""

    def __init__(self, inbox: Inbox) -> None:
        self.inbox = inbox
        self.servers: list[BaseServer] = []
        self.readers: list[StdinReader] = []
        self.pulls_files = False
        self._threads: list[threading.Thread] = []

    @classmethod
    def start(
        cls,
        sources: Sequence[SourceConfig],
        inbox: Inbox,
        environ: Mapping[str, str],
        stdin: BinaryIO | None = None,
    ) -> Listeners:
        """Bind and start every push source (files are polled by the daemon itself)."""
        listeners = cls(inbox)
        try:
            for source in sources:
                listeners._add(source, environ, stdin)
        except BaseException:
            listeners.stop()
            raise
        return listeners

    def _add(
        self, source: SourceConfig, environ: Mapping[str, str], stdin: BinaryIO | None
    ) -> None:
        server: BaseServer
        match source:
            case FileSourceConfig():
                self.pulls_files = True
                return
            case StdinSourceConfig():
                reader = StdinReader(stdin or sys.stdin.buffer, self.inbox, source.format)
                reader.start()
                self.readers.append(reader)
                return
            case SyslogSourceConfig(protocol="udp"):
                if source.tls_certificate is not None:
                    raise ConfigError("syslog over TLS needs protocol: tcp (RFC 5425)")
                server = self._bind(SyslogUdpServer, source.host, source.port)
            case SyslogSourceConfig():
                server = self._bind(SyslogTcpServer, source.host, source.port, _tls(source))
            case HttpSourceConfig():
                token = environ.get(source.token_env, "")
                if len(token) < 16:
                    raise ConfigError(
                        f"the http source needs a token of 16+ characters in ${source.token_env}"
                    )
                try:
                    server = HttpIngestServer(
                        (source.host, source.port),
                        self.inbox,
                        token,
                        max_body=source.max_body,
                        ack_timeout=source.ack_timeout,
                        tls=_tls(source),
                    )
                except OSError as exc:
                    raise ConfigError(
                        f"cannot listen on {source.host}:{source.port}: {exc}"
                    ) from exc
        thread = threading.Thread(target=server.serve_forever, args=(0.2,), daemon=True)
        thread.start()
        self.servers.append(server)
        self._threads.append(thread)

    def _bind(
        self,
        kind: type[SyslogUdpServer] | type[SyslogTcpServer],
        host: str,
        port: int,
        tls: ssl.SSLContext | None = None,
    ) -> BaseServer:
        try:
            if kind is SyslogTcpServer:
                return SyslogTcpServer((host, port), self.inbox, tls=tls)
            return kind((host, port), self.inbox)
        except OSError as exc:
            raise ConfigError(f"cannot listen on {host}:{port}: {exc}") from exc

    def addresses(self) -> list[tuple[str, int]]:
        """Where each server listens (the real port when 0 was configured)."""
        found: list[tuple[str, int]] = []
        for server in self.servers:
            address = server.server_address
            if isinstance(address, tuple):
                found.append((str(address[0]), int(address[1])))
        return found

    @property
    def exhausted(self) -> bool:
        """True when standard input was the only source and it has ended."""
        return (
            bool(self.readers)
            and not self.servers
            and not self.pulls_files
            and all(r.finished.is_set() for r in self.readers)
        )

    def stop(self) -> None:
        """Stop accepting; connections being read are closed."""
        for server in self.servers:
            if isinstance(server, SyslogTcpServer):
                server.closed.set()
            server.shutdown()
            server.server_close()
        for thread in self._threads:
            thread.join(timeout=5)
        self.servers.clear()
        self._threads.clear()
