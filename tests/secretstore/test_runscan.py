"""The C candidate scanner agrees with its Python twins, byte for byte."""

from __future__ import annotations

import json
import os
import pickle
import random
import re

import pytest

from shieldwall.secretstore import fingerprints as fp_module
from shieldwall.secretstore.fingerprints import (
    fingerprint_values,
    load_fingerprints,
    save_fingerprints,
)

runscan = fp_module._runscan
needs_native = pytest.mark.skipif(
    runscan is None, reason="the C module _runscan was not compiled at install time"
)

DELIMS = b" \t\r\n\f\v\"'`,;()[]{}<>=:@/&?"
RUN = re.compile(rb"[^\s\"'`,;()\[\]{}<>=:@/&?]+")
WORD = re.compile(rb"[^\s\"'`,;()\[\]{}<>]+")


def test_the_module_is_built_where_ci_requires_it() -> None:
    # CI sets this: a C compiler is there, so a silent fall-back would hide a broken build.
    if os.environ.get("SHIELDWALL_REQUIRE_NATIVE"):
        assert runscan is not None


@needs_native
def test_probe_equals_the_python_twin() -> None:
    rnd = random.Random(7)
    for length in range(70):
        for _ in range(5):
            raw = bytes(rnd.randrange(256) for _ in range(length))
            seed = rnd.getrandbits(64)
            assert runscan.probe(raw, seed) == fp_module._probe_hash(raw, seed)


def _random_text(rnd: random.Random, size: int) -> bytes:
    alphabet = b"abcXYZ019_-.+~%\xc3\xa9\x00\xff" + DELIMS
    weights = [6] * 19 + [1] * len(DELIMS)
    return bytes(rnd.choices(alphabet, weights=weights, k=size))


def _reference(data: bytes, part: set[int], word: set[int]) -> list[tuple[int, int]]:
    spans = {m.span() for m in RUN.finditer(data) if m.end() - m.start() in part}
    spans |= {m.span() for m in WORD.finditer(data) if m.end() - m.start() in word}
    return sorted(spans)


@needs_native
@pytest.mark.parametrize("size", [0, 1, 7, 63, 64, 65, 127, 128, 129, 1000, 5000])
def test_every_run_of_a_stored_length_with_an_open_filter(size: int) -> None:
    # With every probe bit set, the C module must return exactly the runs of stored lengths:
    # at block edges (64 bytes), at the data's edges, across blocks, for both delimiter sets.
    rnd = random.Random(size)
    for _ in range(20):
        data = _random_text(rnd, size)
        part = {rnd.randrange(8, 40) for _ in range(4)}
        word = {rnd.randrange(8, 40) for _ in range(2)}
        part_map = bytes(1 if n in part else 0 for n in range(max(part) + 1))
        word_map = bytes(1 if n in word else 0 for n in range(max(word) + 1))
        min_run = 1 << (min(part | word).bit_length() - 1)
        found = runscan.candidate_runs(
            data, fp_module._CLASSES, part_map, word_map, 1, b"\xff" * 8192, 16, min_run
        )
        assert sorted(set(found)) == _reference(data, part, word)


@needs_native
def test_long_runs_and_tiny_minimum() -> None:
    data = b"x" * 300 + b" " + b"y" * 8 + b"\n" + b"z" * 200
    part_map = bytes(1 if n in {8, 200, 300} else 0 for n in range(301))
    found = runscan.candidate_runs(
        data, fp_module._CLASSES, part_map, b"", 1, b"\xff" * 8192, 16, 8
    )
    assert found == [(0, 300), (301, 309), (310, 510)]


@needs_native
def test_bad_arguments_are_refused() -> None:
    with pytest.raises(ValueError, match="classes must be 256 bytes"):
        runscan.candidate_runs(b"abc", b"\x00", b"", b"", 1, b"\xff" * 8192, 16, 8)
    with pytest.raises(ValueError, match="power of two"):
        runscan.candidate_runs(b"abc", fp_module._CLASSES, b"", b"", 1, b"\xff" * 8192, 16, 12)


def test_native_and_portable_paths_find_the_same_copies(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    rnd = random.Random(3)
    alphabet = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789+/=:@_-"
    values = ["".join(rnd.choices(alphabet, k=rnd.randrange(8, 70))) for _ in range(60)]
    fingerprints = fingerprint_values((f"p{n}", "o", v) for n, v in enumerate(values))
    blobs = []
    for _ in range(40):
        data = bytearray(_random_text(rnd, 3000))
        for value in rnd.sample(values, 3):
            at = rnd.randrange(len(data))
            data[at:at] = b" " + value.encode() + rnd.choice([b" ", b"\n", b'"', b"@", b"&"])
        blobs.append(bytes(data))
    native = [fingerprints.matches(b) for b in blobs]
    monkeypatch.setattr(fp_module, "_runscan", None)
    portable = [fingerprints.matches(b) for b in blobs]
    assert native == portable
    assert sum(map(len, portable)) >= 60  # values holding a delimiter are not always whole


def test_probes_are_saved_and_an_old_file_still_works(tmp_path) -> None:  # type: ignore[no-untyped-def]
    value = "Zq8xK2mN4pR7sT1v"
    fingerprints = fingerprint_values([("a", "o", value)])
    saved = tmp_path / "fp.json"
    save_fingerprints(fingerprints, saved)
    loaded = load_fingerprints(saved)
    assert (loaded.probes, loaded.probe_bits) == (fingerprints.probes, fingerprints.probe_bits)
    assert [m.path for m in loaded.find(f"x = {value}".encode())] == ["a"]
    body = json.loads(saved.read_text())
    del body["probes"], body["probe_bits"]  # a file written before probes existed
    saved.write_text(json.dumps(body))
    old = load_fingerprints(saved)
    assert old.probe_bits == 0
    assert [m.path for m in old.find(f"x = {value}".encode())] == ["a"]


def test_a_bad_probe_size_is_a_malformed_file(tmp_path) -> None:  # type: ignore[no-untyped-def]
    saved = tmp_path / "fp.json"
    save_fingerprints(fingerprint_values([("a", "o", "Zq8xK2mN4pR7sT1v")]), saved)
    body = json.loads(saved.read_text())
    body["probe_bits"] = 40
    saved.write_text(json.dumps(body))
    with pytest.raises(fp_module.SecretConfigError, match="malformed"):
        load_fingerprints(saved)


@needs_native
def test_the_bound_scanner_equals_the_one_shot_call_and_pickles() -> None:
    rnd = random.Random(11)
    part_map = bytes(1 if n in {8, 9, 13, 30} else 0 for n in range(31))
    word_map = bytes(1 if n == 13 else 0 for n in range(14))
    args = (fp_module._CLASSES, part_map, word_map, 5, b"\x5a" * 8192, 16, 8)
    scanner = runscan.Scanner(*args)
    clone = pickle.loads(pickle.dumps(scanner))  # noqa: S301 - bytes we just made
    for size in (0, 5, 64, 65, 300, 4000):
        data = _random_text(rnd, size)
        expected = runscan.candidate_runs(data, *args)
        assert scanner.runs(data) == expected == clone.runs(data)
    with pytest.raises(ValueError, match="power of two"):
        runscan.Scanner(*args[:-1], 12)
    with pytest.raises(TypeError):
        scanner.runs("not bytes")  # type: ignore[arg-type]
