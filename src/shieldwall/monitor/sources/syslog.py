"""Syslog listeners: UDP (RFC 5426, one message per datagram) and TCP (RFC 6587).

On TCP each connection is framed either by octet counting (``LEN SP MSG``, RFC 6587 §3.4.1) or
by a trailing LF (non-transparent framing, §3.4.2); the first byte of each frame tells which,
as rsyslog and syslog-ng decide. A message over ``max_message`` bytes, undecodable framing or
binary data becomes a problem :class:`Message` (reported, not fatal); a connection whose
octet count is absurd is closed, since its framing can no longer be trusted.
"""

from __future__ import annotations

import socket
import socketserver
import ssl
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field

from shieldwall.monitor.parsers import LogFormat
from shieldwall.monitor.sources.inbox import Batch, Inbox, Message
from shieldwall.monitor.sources.tls import TlsServerMixin

MAX_MESSAGE = 64 * 1024
_FULL_WAIT = 5.0  # seconds a TCP reader waits for room before trying again


def _message(source: str, number: int, raw: bytes, limit: int) -> Message:
    if len(raw) > limit:
        return Message(source, number, "", f"message longer than {limit} bytes, skipped")
    if b"\x00" in raw:
        return Message(source, number, "", "binary data (NUL bytes), skipped")
    text = raw.decode("utf-8", errors="backslashreplace").rstrip("\r\n")
    return Message(source, number, text)


@dataclass(slots=True)
class FrameSplitter:
    """Incremental RFC 6587 framing of one TCP stream."""

    limit: int = MAX_MESSAGE
    buffer: bytearray = field(default_factory=bytearray)
    skipping: bool = False  # inside an over-long LF-framed message

    def feed(self, data: bytes) -> Iterator[bytes | str]:
        """Complete frames (bytes) and framing problems (str) found after adding ``data``."""
        self.buffer += data
        while self.buffer:
            if self.skipping:
                end = self.buffer.find(b"\n")
                if end < 0:
                    self.buffer.clear()
                    return
                del self.buffer[: end + 1]
                self.skipping = False
                continue
            if self.buffer[:1].isdigit():
                space = self.buffer.find(b" ", 0, 12)
                if space < 0:
                    if len(self.buffer) >= 12 or not self.buffer.isdigit():
                        raise ValueError("octet-counted frame without a length")
                    return
                length = int(self.buffer[:space])
                if length > self.limit:
                    raise ValueError(f"octet count {length} over the limit of {self.limit}")
                if len(self.buffer) < space + 1 + length:
                    return
                yield bytes(self.buffer[space + 1 : space + 1 + length])
                del self.buffer[: space + 1 + length]
                continue
            end = self.buffer.find(b"\n")
            if end < 0:
                if len(self.buffer) > self.limit:
                    self.buffer.clear()
                    self.skipping = True
                    yield f"message longer than {self.limit} bytes, skipped"
                return
            frame = bytes(self.buffer[:end])
            del self.buffer[: end + 1]
            if frame.strip(b"\r\x00 "):
                yield frame


def split_frames(data: bytes, limit: int = MAX_MESSAGE) -> list[bytes | str]:
    """Every frame of a complete TCP stream (for tests and tools)."""
    return list(FrameSplitter(limit).feed(data))


class _Counter:
    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._n = 0

    def next(self) -> int:
        with self._lock:
            self._n += 1
            return self._n


class SyslogUdpServer(socketserver.ThreadingMixIn, socketserver.UDPServer):
    """Receives syslog datagrams into the inbox; beyond its capacity they are counted as dropped."""

    daemon_threads = True
    max_packet_size = MAX_MESSAGE + 1

    def __init__(self, address: tuple[str, int], inbox: Inbox, name: str = "") -> None:
        self.inbox = inbox
        self.counter = _Counter()
        super().__init__(address, _UdpHandler)
        self.name = name or f"udp://{address[0]}:{self.server_address[1]}"

    def server_bind(self) -> None:
        """Bind with a larger receive buffer: bursts queue in the kernel, not on the floor."""
        self.socket.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4 * 1024 * 1024)
        super().server_bind()


class _UdpHandler(socketserver.BaseRequestHandler):
    server: SyslogUdpServer

    def handle(self) -> None:
        data = self.request[0]
        server = self.server
        message = _message(server.name, server.counter.next(), data, MAX_MESSAGE)
        if not server.inbox.offer(Batch(server.name, LogFormat.SYSLOG, [message])):
            server.inbox.dropped += 1


class SyslogTcpServer(TlsServerMixin, socketserver.ThreadingMixIn, socketserver.TCPServer):
    """Receives syslog over TCP (or TLS, RFC 5425), one thread per connection."""

    daemon_threads = True
    allow_reuse_address = True

    def __init__(
        self,
        address: tuple[str, int],
        inbox: Inbox,
        name: str = "",
        tls: ssl.SSLContext | None = None,
    ) -> None:
        self.tls = tls
        self.inbox = inbox
        self.counter = _Counter()
        self.closed = threading.Event()
        super().__init__(address, _TcpHandler)
        scheme = "tls" if tls is not None else "tcp"
        self.name = name or f"{scheme}://{address[0]}:{self.server_address[1]}"


class _TcpHandler(socketserver.BaseRequestHandler):
    server: SyslogTcpServer

    def handle(self) -> None:
        server = self.server
        splitter = FrameSplitter()
        sock: socket.socket = self.request
        sock.settimeout(1.0)
        while not server.closed.is_set():
            try:
                data = sock.recv(65536)
            except TimeoutError:
                continue
            except OSError:
                return
            if not data:
                return
            messages: list[Message] = []
            try:
                for frame in splitter.feed(data):
                    number = server.counter.next()
                    if isinstance(frame, str):
                        messages.append(Message(server.name, number, "", frame))
                    else:
                        messages.append(_message(server.name, number, frame, MAX_MESSAGE))
            except ValueError as exc:
                messages.append(Message(server.name, server.counter.next(), "", str(exc)))
                self._offer(messages)
                return  # the framing is lost: drop the connection, the sender reconnects
            self._offer(messages)

    def _offer(self, messages: list[Message]) -> None:
        if not messages:
            return
        batch = Batch(self.server.name, LogFormat.SYSLOG, messages)
        # Not reading the socket while the inbox is full is TCP's own back-pressure.
        while not self.server.inbox.offer(batch, timeout=_FULL_WAIT):
            if self.server.closed.is_set():
                self.server.inbox.dropped += len(messages)
                return
