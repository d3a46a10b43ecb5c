"""Push sources: syslog over UDP and TCP, the HTTP ingest endpoint, and standard input.

Files are pulled by :mod:`shieldwall.monitor.follow`; these sources push messages into one
bounded :class:`Inbox` that the daemon drains each cycle.
"""

from __future__ import annotations

from shieldwall.monitor.sources.http import HttpIngestServer
from shieldwall.monitor.sources.inbox import Batch, Inbox, Message
from shieldwall.monitor.sources.stdin import StdinReader
from shieldwall.monitor.sources.syslog import SyslogTcpServer, SyslogUdpServer, split_frames

__all__ = [
    "Batch",
    "HttpIngestServer",
    "Inbox",
    "Message",
    "StdinReader",
    "SyslogTcpServer",
    "SyslogUdpServer",
    "split_frames",
]
