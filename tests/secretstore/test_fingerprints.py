"""Leak recognition: exact copies of stored values are found, nothing else is."""

from __future__ import annotations

import json
import pickle
import urllib.parse

import pytest

from shieldwall.secretstore import EmbeddedStore, build_fingerprints, fingerprint_values
from shieldwall.secretstore import fingerprints as fp_module
from tests.secretstore.conftest import SECRET

PLAIN = "Zq8xK2mN4pR7sT1v"
WITH_SLASH = "ab/cd+ef=gh/ij"


@pytest.fixture(params=["native", "hyperscan", "python-re"])
def fingerprints(request, store: EmbeddedStore, monkeypatch):  # type: ignore[no-untyped-def]
    if request.param == "native" and fp_module._runscan is None:
        pytest.skip("the C module _runscan was not compiled at install time")
    if request.param != "native":  # the paths used where the C module could not be built
        monkeypatch.setattr(fp_module, "_runscan", None)
    if request.param == "python-re":  # the portable path, used where Hyperscan is missing
        monkeypatch.setattr(fp_module, "_scanner", fp_module._python_scanner)
    store.write("db/password", SECRET)
    store.write("api/token", PLAIN)
    store.write("odd/key", WITH_SLASH)
    store.write("short/pin", "1234")  # too short to recognise reliably: skipped
    return build_fingerprints(store, owner="team-payments")


@pytest.mark.parametrize(
    ("line", "path"),
    [
        (f'password = "{SECRET}"', "db/password"),
        (f"DB_PASSWORD={SECRET}", "db/password"),
        (f"postgres://app:{SECRET}@db:5432/x", "db/password"),
        (f"Authorization: Bearer {PLAIN}", "api/token"),
        (f"{PLAIN}", "api/token"),
        (f"key: '{WITH_SLASH}'", "odd/key"),
        (f"token={PLAIN}&other=1", "api/token"),
    ],
)
def test_finds_exact_copies(fingerprints, line: str, path: str) -> None:  # type: ignore[no-untyped-def]
    matches = list(fingerprints.find_in_line(line))
    assert [(m.path, m.owner) for m in matches] == [(path, "team-payments")]
    match = matches[0]
    assert line.encode()[match.start : match.end].decode() in {SECRET, PLAIN, WITH_SLASH}


@pytest.mark.parametrize(
    "line",
    [
        "",
        "pin = 1234",
        f'password = "{SECRET[:-1]}"',
        f'password = "{SECRET}x"',
        f"x{PLAIN}",
        PLAIN.lower(),
        "nothing to see here at all, just a long line of ordinary prose",
    ],
)
def test_no_false_positives(fingerprints, line: str) -> None:  # type: ignore[no-untyped-def]
    assert list(fingerprints.find_in_line(line)) == []


def test_two_secrets_on_one_line(fingerprints) -> None:  # type: ignore[no-untyped-def]
    found = {m.path for m in fingerprints.find_in_line(f"a={SECRET} b={PLAIN}")}
    assert found == {"db/password", "api/token"}


def test_fingerprints_hold_no_values(fingerprints) -> None:  # type: ignore[no-untyped-def]
    dumped = repr(fingerprints) + repr(fingerprints.digests)
    assert SECRET not in dumped and PLAIN not in dumped
    assert SECRET.encode() not in b"".join(fingerprints.digests)


def test_keys_differ_per_build() -> None:
    first = fingerprint_values([("a", "o", SECRET)])
    second = fingerprint_values([("a", "o", SECRET)])
    assert first.key != second.key and set(first.digests) != set(second.digests)


def test_whole_file_bytes_and_binary(fingerprints) -> None:  # type: ignore[no-untyped-def]
    data = b"\x00\xff\xfe binary junk\n" + f"x = '{SECRET}'\n".encode() + b"\x80" * 100
    matches = list(fingerprints.find(data))
    assert [m.path for m in matches] == ["db/password"]
    assert data[matches[0].start : matches[0].end] == SECRET.encode()
    assert data.count(b"\n", 0, matches[0].start) == 1  # the line a scanner would report


def test_at_start_and_end_of_data(fingerprints) -> None:  # type: ignore[no-untyped-def]
    assert [m.path for m in fingerprints.find(SECRET.encode())] == ["db/password"]
    assert len(list(fingerprints.find(f"{PLAIN}\n{PLAIN}".encode()))) == 2


def test_picklable_for_the_process_pool(fingerprints) -> None:  # type: ignore[no-untyped-def]
    clone = pickle.loads(pickle.dumps(fingerprints))  # noqa: S301 - bytes we just made
    assert [m.path for m in clone.find_in_line(f"k={SECRET}")] == ["db/password"]


def test_one_compiled_scanner_per_process_for_every_file(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    # The scanner is compiled once per set of lengths, then reused for every file a worker
    # scans (a compile per file cost more than the scan of a small file).
    monkeypatch.setattr(fp_module, "_runscan", None)
    fp_module._scanner.cache_clear()
    first = fingerprint_values([("a", "o", PLAIN)])
    for n in range(5):
        assert [m.path for m in first.find(f"v{n} = '{PLAIN}'".encode())] == ["a"]
    again = fingerprint_values([("b", "o", PLAIN[::-1])])  # another key, the same lengths
    assert [m.path for m in again.find(PLAIN[::-1].encode())] == ["b"]
    info = fp_module._scanner.cache_info()
    assert (info.misses, info.hits) == (1, 5)


def test_escaped_copies_are_recognised_and_near_misses_are_not() -> None:
    value = "pa\\ss/wörd@1Q"  # backslash, slash, non-ASCII, @: every writer escapes it
    fingerprints = fingerprint_values([("db/odd", "o", value)])
    copies = [
        json.dumps({"password": value}),  # "pa\\ss/w\u00f6rd@1Q"
        json.dumps({"password": value}, ensure_ascii=False),
        f"postgres://app:{urllib.parse.quote(value, safe='')}@db/x",
        f"password={urllib.parse.quote_plus(value, safe='')}&next=1",
    ]
    for line in copies:
        assert [m.path for m in fingerprints.find_in_line(line)] == ["db/odd"], line
    for line in (copies[0].replace("1Q", "1R"), copies[2].replace("%40", "%41"), copies[0][:-3]):
        assert list(fingerprints.find_in_line(line)) == [], line
