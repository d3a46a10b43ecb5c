"""Module build information embedded in Go binaries (Go 1.18+), read from the file's bytes.

``go build`` writes a 32-byte header starting ``\\xff Go buildinf:`` into the binary's data
(``src/debug/buildinfo/buildinfo.go``): byte 14 is the pointer size, byte 15 flags; with flag
``0x2`` (Go 1.18 and later) the Go version and the module information follow the header as two
uvarint-length-prefixed strings. The module text (``src/runtime/debug/mod.go``) has ``path``,
``mod`` (the main module), ``dep`` and ``=>`` (replacement of the previous ``dep``) lines.
Go 1.13 to 1.17 store two pointers instead (to Go string headers in the data segment), resolved
here through the ELF program headers (``PT_LOAD``) when the whole file is at hand.
"""

from __future__ import annotations

import re
import struct
from dataclasses import dataclass, field
from typing import IO

MAGIC = b"\xff Go buildinf:"
ELF_MAGIC = b"\x7fELF"
_HEADER = 32
_CHUNK = 1 << 20
WINDOW = 1 << 20  # the header plus the version and module strings fit in this
_FLAG_INLINE = 0x2
_GO_VERSION = re.compile(r"^go(\d+)(?:\.(\d+))?(?:\.(\d+))?(?:(rc|beta)(\d+))?")


@dataclass(frozen=True, slots=True)
class GoModule:
    """One module linked into the binary."""

    path: str
    version: str
    main: bool = False


@dataclass(frozen=True, slots=True)
class GoBuildInfo:
    """The toolchain and modules of one binary."""

    go_version: str  # as written: "go1.21.5"
    modules: tuple[GoModule, ...] = field(default=())

    @property
    def stdlib_version(self) -> str | None:
        """The Go standard library's version as the Go vulnerability database spells it."""
        return stdlib_version(self.go_version)


def stdlib_version(go_version: str) -> str | None:
    """``go1.21.5`` -> ``1.21.5``; ``go1.22`` -> ``1.22.0``; ``go1.21rc2`` -> ``1.21.0-rc.2``."""
    found = _GO_VERSION.match(go_version.strip())
    if found is None:
        return None
    major, minor, patch, pre, pre_n = found.groups()
    version = f"{major}.{minor or 0}.{patch or 0}"
    return f"{version}-{pre}.{pre_n}" if pre else version


def _uvarint(data: bytes, pos: int) -> tuple[int, int]:
    value = shift = 0
    while pos < len(data) and shift < 64:
        byte = data[pos]
        pos += 1
        value |= (byte & 0x7F) << shift
        if byte < 0x80:
            return value, pos
        shift += 7
    raise ValueError("bad uvarint")


def _string(data: bytes, pos: int) -> tuple[bytes, int]:
    length, pos = _uvarint(data, pos)
    if length > len(data) - pos:
        raise ValueError("string past the end of the file")
    return data[pos : pos + length], pos + length


def excerpt(stream: IO[bytes]) -> bytes | None:
    """The ELF head and the build-info window of a binary read as a stream, in bounded memory.

    For executables too large to hold: the stream is scanned chunk by chunk for the header, and
    only the first bytes and the window after the header are kept (``read_build_info`` reads
    the result like the whole file). None when the file is not ELF or has no build info.
    """
    head = stream.read(64)
    if not head.startswith(ELF_MAGIC):
        return None
    tail = b""
    while chunk := stream.read(_CHUNK):
        buffer = tail + chunk
        at = buffer.find(MAGIC)
        if at >= 0:
            window = buffer[at:]
            while len(window) < WINDOW and (more := stream.read(WINDOW - len(window))):
                window += more
            return head + window[:WINDOW]
        tail = buffer[-(len(MAGIC) - 1) :]
    return None


def has_build_info(data: bytes) -> bool:
    """Whether the bytes contain a Go build-info header (cheap pre-check)."""
    return MAGIC in data


def read_build_info(data: bytes) -> GoBuildInfo | None:
    """The build information of a Go binary; None when there is none (not Go, or pre-1.18)."""
    start = data.find(MAGIC)
    while start >= 0:
        if len(data) - start >= _HEADER and data[start + 14] in {4, 8}:
            if not data[start + 15] & _FLAG_INLINE:
                return _pointer_format(data, start)
            try:
                go_version, pos = _string(data, start + _HEADER)
                mod_text, _ = _string(data, pos)
            except ValueError:
                return None
            text = _strip_sentinels(mod_text).decode("utf-8", errors="replace")
            return GoBuildInfo(go_version.decode("utf-8", errors="replace"), tuple(_modules(text)))
        start = data.find(MAGIC, start + 1)
    return None


def _segments(data: bytes) -> tuple[str, list[tuple[int, int, int]]]:
    """Byte order and ``(vaddr, offset, filesz)`` of the ELF file's ``PT_LOAD`` segments."""
    if not data.startswith(ELF_MAGIC) or len(data) < 64 or data[4] not in {1, 2}:
        raise ValueError("not an ELF file")
    order = "<" if data[5] == 1 else ">"
    wide = data[4] == 2
    if wide:
        (phoff,) = struct.unpack_from(order + "Q", data, 0x20)
        phentsize, phnum = struct.unpack_from(order + "HH", data, 0x36)
    else:
        (phoff,) = struct.unpack_from(order + "I", data, 0x1C)
        phentsize, phnum = struct.unpack_from(order + "HH", data, 0x2A)
    segments = []
    for n in range(min(phnum, 256)):
        at = phoff + n * phentsize
        if at + (56 if wide else 32) > len(data):
            raise ValueError("program header past the end of the file")
        if wide:
            kind, _, offset, vaddr, _, filesz = struct.unpack_from(order + "IIQQQQ", data, at)
        else:
            kind, offset, vaddr, _, filesz = struct.unpack_from(order + "IIIII", data, at)
        if kind == 1:  # PT_LOAD
            segments.append((vaddr, offset, filesz))
    return order, segments


def _read_at(data: bytes, segments: list[tuple[int, int, int]], addr: int, size: int) -> bytes:
    for vaddr, offset, filesz in segments:
        if vaddr <= addr and addr + size <= vaddr + filesz:
            start = offset + addr - vaddr
            if start + size <= len(data):
                return data[start : start + size]
    raise ValueError(f"address {addr:#x} is not in the file")


def _pointer_format(data: bytes, start: int) -> GoBuildInfo | None:
    """Go 1.13-1.17: the header holds pointers to the version and module string headers."""
    size = data[start + 14]
    pointer = "Q" if size == 8 else "I"
    try:
        order, segments = _segments(data)
        order = ">" if data[start + 15] else order  # the flags byte is the big-endian marker
        strings = []
        for slot in (start + 16, start + 16 + size):
            (address,) = struct.unpack_from(order + pointer, data, slot)
            header = _read_at(data, segments, address, 2 * size)
            text_at, length = struct.unpack_from(order + pointer * 2, header)
            if length > WINDOW:
                return None
            strings.append(_read_at(data, segments, text_at, length))
    except (ValueError, struct.error):
        return None
    text = _strip_sentinels(strings[1]).decode("utf-8", errors="replace")
    return GoBuildInfo(strings[0].decode("utf-8", errors="replace"), tuple(_modules(text)))


def _strip_sentinels(text: bytes) -> bytes:
    # The linker wraps the module text in 16-byte sentinels (cmd/go/internal/modload.ModInfoProg).
    if len(text) >= 33 and text[-17] == 0x0A:
        return text[16:-16]
    return text


def _modules(text: str) -> list[GoModule]:
    modules: list[GoModule] = []
    for line in text.splitlines():
        parts = line.split("\t")
        if parts[0] == "mod" and len(parts) >= 3:
            modules.append(GoModule(parts[1], parts[2], main=True))
        elif parts[0] == "dep" and len(parts) >= 3:
            modules.append(GoModule(parts[1], parts[2]))
        elif parts[0] == "=>" and len(parts) >= 3 and modules:
            # A replace directive: the code linked is the replacement's.
            replaced = modules.pop()
            modules.append(GoModule(parts[1], parts[2], main=replaced.main))
    return modules
