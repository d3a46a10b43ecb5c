"""The BerkeleyDB ``Packages`` file of RHEL 8 and older, CentOS 7 and Amazon Linux 2.

rpm up to 4.16 kept one header blob per installed package in a Berkeley DB *hash* database
(``var/lib/rpm/Packages``). The layout read here is Berkeley DB's on-disk format
(``dbinc/db_page.h``, ``dbinc/hash.h``): page 0 is the hash metadata page (magic ``0x061561``,
page size, last page number, in the byte order of the machine that wrote it); every hash page
(types ``P_HASH_UNSORTED``=2 and ``P_HASH``=13) starts with a 26-byte header, then an index of
2-byte item offsets; items alternate key and data; an item is ``H_KEYDATA`` (the bytes follow its
type byte) or ``H_OFFPAGE`` (a chain of ``P_OVERFLOW``=7 pages holding ``tlen`` bytes, each page's
byte count in its ``hf_offset`` field). Keys are package numbers; key 0 is rpm's counter.
Encrypted or checksummed databases are refused.
"""

from __future__ import annotations

import struct

from shieldwall.image.errors import ImageError

HASH_MAGIC = 0x061561
P_HASH_UNSORTED, P_OVERFLOW, P_HASHMETA, P_HASH = 2, 7, 8, 13
H_KEYDATA, H_OFFPAGE = 1, 3
PAGE_HEADER = 26
_MAX_PAGES = 1 << 20
_MAX_VALUE = 64 << 20


class BdbError(ImageError):
    """A file that is not a readable Berkeley DB hash database."""


def _order(data: bytes) -> str:
    if len(data) < 512:
        raise BdbError("not a Berkeley DB file: too short")
    for order in ("<", ">"):
        if struct.unpack_from(order + "I", data, 12)[0] == HASH_MAGIC:
            return order
    raise BdbError("not a Berkeley DB hash database (bad magic)")


def bdb_values(data: bytes) -> list[bytes]:
    """The data items of every key/data pair whose key is not rpm's counter (key 0)."""
    order = _order(data)
    pagesize, encrypt, page_type, metaflags = (
        struct.unpack_from(order + "I", data, 20)[0], data[24], data[25], data[26],
    )  # fmt: skip
    last = struct.unpack_from(order + "I", data, 32)[0]
    if page_type != P_HASHMETA or pagesize < 512 or pagesize > 65536 or pagesize & (pagesize - 1):
        raise BdbError(f"not a Berkeley DB hash database (page type {page_type}, size {pagesize})")
    if encrypt or metaflags & 0x1:
        raise BdbError("encrypted or checksummed Berkeley DB databases are not supported")
    if last > _MAX_PAGES or (last + 1) * pagesize > len(data):
        raise BdbError(f"truncated: {last + 1} pages of {pagesize} bytes declared")
    values: list[bytes] = []
    for pgno in range(1, last + 1):
        page = data[pgno * pagesize : (pgno + 1) * pagesize]
        if page[25] not in {P_HASH, P_HASH_UNSORTED}:
            continue
        items = _items(page, order, pagesize)
        for key, value in zip(items[0::2], items[1::2], strict=False):
            if _resolve(data, key, order, pagesize) == b"\0\0\0\0":
                continue  # rpm's "next package number" record
            values.append(_resolve(data, value, order, pagesize))
    return values


def _items(page: bytes, order: str, pagesize: int) -> list[bytes]:
    entries = struct.unpack_from(order + "H", page, 20)[0]
    if PAGE_HEADER + 2 * entries > pagesize:
        raise BdbError("hash page with more entries than fit")
    offsets = struct.unpack_from(f"{order}{entries}H", page, PAGE_HEADER)
    items = []
    for i, offset in enumerate(offsets):
        end = pagesize if i == 0 else offsets[i - 1]  # items are packed from the page's end
        if not PAGE_HEADER <= offset < end <= pagesize:
            raise BdbError(f"hash item offset {offset} out of the page")
        items.append(page[offset:end])
    return items


def _resolve(data: bytes, item: bytes, order: str, pagesize: int) -> bytes:
    if item[0] == H_KEYDATA:
        return item[1:]
    if item[0] != H_OFFPAGE or len(item) < 12:
        raise BdbError(f"unsupported hash item type {item[0]} (duplicates are not used by rpm)")
    pgno, total = struct.unpack_from(order + "II", item, 4)
    if total > _MAX_VALUE:
        raise BdbError(f"overflow item of {total} bytes")
    out = bytearray()
    seen = 0
    while pgno and len(out) < total:
        seen += 1
        if seen > _MAX_PAGES or (pgno + 1) * pagesize > len(data):
            raise BdbError(f"overflow chain broken at page {pgno}")
        page = data[pgno * pagesize : (pgno + 1) * pagesize]
        if page[25] != P_OVERFLOW:
            raise BdbError(f"page {pgno} in an overflow chain is not an overflow page")
        length = struct.unpack_from(order + "H", page, 22)[0]  # hf_offset: bytes on the page
        out += page[PAGE_HEADER : PAGE_HEADER + length]
        pgno = struct.unpack_from(order + "I", page, 16)[0]  # next_pgno
    if len(out) != total:
        raise BdbError(f"overflow item is {len(out)} bytes, {total} declared")
    return bytes(out)
