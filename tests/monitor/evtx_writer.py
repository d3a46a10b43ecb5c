"""A small EVTX writer for tests: real files (file header, one chunk, records in binary XML with
inline names, CRC32 checksums) that any EVTX reader, the ``evtx`` library included, parses.

Written from the format description in libyal's "Windows XML Event Log (EVTX)" document; it
emits plain elements, attributes and string values only (no templates and no dependency
identifiers), which the ``evtx`` reader accepts and which is all these tests need.
"""

from __future__ import annotations

import struct
import zlib
from dataclasses import dataclass, field
from datetime import UTC, datetime

CHUNK_SIZE = 65536
_EPOCH = datetime(1601, 1, 1, tzinfo=UTC)


@dataclass
class Element:
    """An XML element: attributes, then either text or children."""

    name: str
    attributes: dict[str, str] = field(default_factory=dict)
    text: str | None = None
    children: list[Element] = field(default_factory=list)


def _filetime(when: datetime) -> int:
    return int((when - _EPOCH).total_seconds() * 10_000_000)


class _Chunk:
    def __init__(self) -> None:
        self.data = bytearray(b"\x00" * 512)
        self.names: dict[str, int] = {}

    def _name(self, name: str) -> bytes:
        # The name reference is an offset in the chunk; a new name is written right after it.
        position = len(self.data) + 4
        if name in self.names:
            return struct.pack("<I", self.names[name])
        self.names[name] = position
        encoded = name.encode("utf-16-le")
        return struct.pack("<IIHH", position, 0, 0, len(name)) + encoded + b"\x00\x00"

    def _value(self, text: str) -> None:
        self.data += b"\x05\x01" + struct.pack("<H", len(text)) + text.encode("utf-16-le")

    def _element(self, element: Element) -> None:
        start = len(self.data)
        token = 0x41 if element.attributes else 0x01
        self.data += bytes([token]) + struct.pack("<I", 0)
        self.data += self._name(element.name)
        if element.attributes:
            size_at = len(self.data)
            self.data += b"\x00\x00\x00\x00"
            items = list(element.attributes.items())
            for index, (key, value) in enumerate(items):
                self.data += bytes([0x46 if index < len(items) - 1 else 0x06])
                self.data += self._name(key)
                self._value(value)
            struct.pack_into("<I", self.data, size_at, len(self.data) - size_at - 4)
        if element.text is None and not element.children:
            self.data += b"\x03"
        else:
            self.data += b"\x02"
            if element.text is not None:
                self._value(element.text)
            for child in element.children:
                self._element(child)
            self.data += b"\x04"
        struct.pack_into("<I", self.data, start + 1, len(self.data) - start - 5)

    def record(self, record_id: int, when: datetime, root: Element) -> int:
        offset = len(self.data)
        self.data += b"\x2a\x2a\x00\x00" + struct.pack("<IQQ", 0, record_id, _filetime(when))
        self.data += b"\x0f\x01\x01\x00"
        self._element(root)
        self.data += b"\x00"
        size = len(self.data) - offset + 4
        self.data += struct.pack("<I", size)
        struct.pack_into("<I", self.data, offset + 4, size)
        return offset


def event(
    record_id: int,
    when: datetime,
    channel: str,
    provider: str,
    event_id: int,
    data: dict[str, str],
    computer: str = "WS01.corp.example",
    user_data: str | None = None,
) -> Element:
    """The XML of one Windows event, as Windows writes it."""
    stamp = when.strftime("%Y-%m-%dT%H:%M:%S.%fZ")
    system = Element(
        "System",
        children=[
            Element("Provider", {"Name": provider}),
            Element("EventID", text=str(event_id)),
            Element("TimeCreated", {"SystemTime": stamp}),
            Element("EventRecordID", text=str(record_id)),
            Element("Channel", text=channel),
            Element("Computer", text=computer),
        ],
    )
    fields = [Element(k, text=v) for k, v in data.items()]
    body = (
        Element("UserData", children=[Element(user_data, children=fields)])
        if user_data  # e.g. 1102: <UserData><LogFileCleared><SubjectUserName>...
        else Element(
            "EventData", children=[Element("Data", {"Name": k}, text=v) for k, v in data.items()]
        )
    )
    return Element(
        "Event",
        {"xmlns": "http://schemas.microsoft.com/win/2004/08/events/event"},
        children=[system, body],
    )


def write_evtx(records: list[tuple[int, datetime, Element]]) -> bytes:
    """A complete EVTX file holding ``records`` in one chunk."""
    chunk = _Chunk()
    last = 0
    for record_id, when, root in records:
        last = chunk.record(record_id, when, root)
    free = len(chunk.data)
    if free > CHUNK_SIZE:
        raise ValueError("too many records for one chunk")
    data = chunk.data + b"\x00" * (CHUNK_SIZE - free)
    first_id, last_id = records[0][0], records[-1][0]
    header = b"ElfChnk\x00" + struct.pack(
        "<QQQQIIII", 1, len(records), first_id, last_id, 128, last, free, 0
    )
    data[: len(header)] = header
    struct.pack_into("<I", data, 52, zlib.crc32(bytes(data[512:free])))
    struct.pack_into("<I", data, 124, zlib.crc32(bytes(data[:120] + data[128:512])))
    file_header = bytearray(
        b"ElfFile\x00" + struct.pack("<QQQIHHHH", 0, 0, last_id + 1, 128, 1, 3, 4096, 1)
    )
    file_header += b"\x00" * (124 - len(file_header))
    file_header += struct.pack("<I", zlib.crc32(bytes(file_header[:120])))
    file_header += b"\x00" * (4096 - len(file_header))
    return bytes(file_header) + bytes(data)
