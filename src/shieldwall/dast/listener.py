"""The callback listener: proof of SSRF is the target connecting back to the scanning host.

A minimal HTTP/1.0 responder started in the scan's event loop. It records the path of every
request it receives; a payload's unique marker in a recorded path proves that the target
fetched the URL the scanner sent.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field

_MAX_LINE = 8192
_READ_TIMEOUT = 5.0


@dataclass(slots=True)
class CallbackListener:
    """Listens on ``host`` (an ephemeral port) until :meth:`close`."""

    host: str = "127.0.0.1"
    seen: dict[str, str] = field(default_factory=dict)  # marker path -> peer address
    _server: asyncio.Server | None = None
    port: int = 0

    async def start(self) -> None:
        """Bind and start serving."""
        self._server = await asyncio.start_server(self._handle, self.host, 0)
        self.port = self._server.sockets[0].getsockname()[1]

    def url(self, marker: str) -> str:
        """The URL whose fetch proves a callback."""
        host = f"[{self.host}]" if ":" in self.host else self.host
        return f"http://{host}:{self.port}/{marker}"

    async def wait_for(self, marker: str, seconds: float) -> str | None:
        """The peer that requested ``marker`` within ``seconds``, or None."""
        deadline = asyncio.get_running_loop().time() + seconds
        while True:
            peer = self.seen.get(marker)
            if peer is not None or asyncio.get_running_loop().time() >= deadline:
                return peer
            await asyncio.sleep(0.05)

    async def _handle(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            line = await asyncio.wait_for(reader.readline(), _READ_TIMEOUT)
            parts = line[:_MAX_LINE].decode("latin-1").split()
            if len(parts) >= 2:
                peer = writer.get_extra_info("peername")
                self.seen[parts[1].lstrip("/").split("?")[0]] = str(peer[0] if peer else "")
            writer.write(b"HTTP/1.0 200 OK\r\nContent-Length: 2\r\n\r\nok")
            await writer.drain()
        except (TimeoutError, OSError, ValueError):
            pass
        finally:
            writer.close()

    async def close(self) -> None:
        """Stop listening."""
        if self._server is not None:
            self._server.close()
            await self._server.wait_closed()
