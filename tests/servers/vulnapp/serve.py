"""Serve the vulnerable app with uvicorn on an ephemeral port of 127.0.0.1, in a thread."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager

import uvicorn
from starlette.types import ASGIApp


@contextmanager
def running_app(app: ASGIApp) -> Iterator[str]:
    """Serve ``app`` until the block ends; yields its base URL (no trailing slash)."""
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    config = uvicorn.Config(
        app,
        log_level="critical",
        lifespan="off",
        ws="none",
        server_header=False,
        date_header=False,
        access_log=False,
        timeout_keep_alive=30,  # fewer idle connections closed just as the scanner reuses them
    )
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            raise RuntimeError("the test app did not start")
        time.sleep(0.02)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=10)
        sock.close()


@contextmanager
def running_vulnapp(external_url: str = "") -> Iterator[str]:
    """The vulnerable app, linking to ``external_url`` (an out-of-scope server)."""
    from tests.servers.vulnapp.app import create_app

    with running_app(create_app(external_url)) as url:
        yield url
