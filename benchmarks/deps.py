"""Deps benchmark: import the PyPI + npm OSV snapshot, then collect and match 10,000+ packages.

Phases run in fresh processes (``spawn``) so each reports its own time and peak memory:

1. import: every PyPI and npm record of ``../shared/data/osv/all.jsonl.gz`` into a new index
   (time, peak RSS, index size). Target: under 60 s.
2. match: collect a corpus of lockfiles and match every package (time, peak RSS).
   Target: matching 10,000 packages in under 1 s once the index exists.
3. correctness: the same packages matched by an independent reference matcher written below from
   the OSV specification; every disagreement is listed with its reason.

The corpus is built at run time (nothing is vendored): the real installed Python environments
found on this machine (``*.dist-info/METADATA``), npm's own installed tree rewritten as a
package-lock.json v3, and requirements.txt / package-lock.json files pinning real versions of
real packages named in the snapshot (its explicit ``versions`` lists and range boundaries, and the
next patch after each boundary, which is where matchers disagree).

    python benchmarks/deps.py [--osv PATH] [--keep DIR]
"""

from __future__ import annotations

import argparse
import gzip
import json
import multiprocessing
import random
import re
import resource
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path
from typing import Any

from packaging.version import InvalidVersion, Version

DEFAULT_OSV = Path(__file__).resolve().parents[2] / "shared" / "data" / "osv" / "all.jsonl.gz"
ECOSYSTEMS = ("PyPI", "npm")


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


# ---------------------------------------------------------------- phase 1: import


def phase_import(osv: str, cache: str) -> dict[str, Any]:
    from shieldwall.vulndb.index import IndexBuilder, index_path
    from shieldwall.vulndb.sources import Parsed, read_source

    start, cpu0 = time.perf_counter(), time.process_time()
    target = index_path(Path(cache))
    builder = IndexBuilder(target, f"benchmark: {osv}")

    def wanted(items: Any) -> Any:
        for item in items:
            if item.record is None or any(
                a.package and a.package.ecosystem in ECOSYSTEMS for a in item.record.affected
            ):
                yield item if item.record is None else Parsed(item.where, item.record)

    builder.add_all(wanted(read_source(Path(osv))))
    report = builder.commit()
    return {
        "seconds": time.perf_counter() - start,
        "cpu": time.process_time() - cpu0,
        "peak_mb": peak_mb(),
        "index_mb": target.stat().st_size / 1e6,
        "records": report.records,
        "withdrawn": report.withdrawn,
        "problems": len(report.problems),
    }


# ---------------------------------------------------------------- corpus


def _bump(version: str) -> str | None:
    match = re.match(r"^(\d+)\.(\d+)\.(\d+)$", version)
    if match:
        return f"{match.group(1)}.{match.group(2)}.{int(match.group(3)) + 1}"
    return None


def build_corpus(osv: Path, out: Path, seed: int = 4) -> int:
    """Write the lockfile corpus; returns the number of packages written."""
    rng = random.Random(seed)
    pypi: dict[str, set[str]] = defaultdict(set)
    npm: dict[str, set[str]] = defaultdict(set)
    with gzip.open(osv, "rt", encoding="utf-8") as stream:
        for line in stream:
            record = json.loads(line)
            for affected in record.get("affected", []):
                package = affected.get("package") or {}
                eco, name = package.get("ecosystem"), package.get("name")
                if eco not in ECOSYSTEMS or not name:
                    continue
                bucket = pypi if eco == "PyPI" else npm
                versions = set(affected.get("versions", []))
                for rng_ in affected.get("ranges", []):
                    for event in rng_.get("events", []):
                        versions.update(v for v in event.values() if v not in {"0"})
                versions |= {b for v in list(versions) if (b := _bump(v))}
                bucket[name].update(versions)
    count = 0
    # Python: requirements files of 400 pins each (PEP 440-valid versions only: pip would refuse
    # the rest, and so does our parser).
    pins = []
    for name, versions in sorted(pypi.items()):
        valid = []
        for v in versions:
            try:
                Version(v)
            except InvalidVersion:
                continue
            valid.append(v)
        pins.extend((name, v) for v in rng.sample(sorted(valid), min(len(valid), 25)))
    rng.shuffle(pins)
    for i in range(0, len(pins), 400):
        folder = out / "py" / f"svc{i // 400:03d}"
        folder.mkdir(parents=True)
        (folder / "requirements.txt").write_text(
            "".join(f"{n}=={v}\n" for n, v in pins[i : i + 400]), encoding="utf-8"
        )
        count += len(pins[i : i + 400])
    # npm: package-lock v3 files of 300 packages, some nested under another package.
    entries = []
    for name, versions in sorted(npm.items()):
        semverish = [v for v in versions if re.match(r"^\d+\.\d+\.\d+(-[0-9A-Za-z.-]+)?$", v)]
        entries.extend((name, v) for v in rng.sample(sorted(semverish), min(len(semverish), 30)))
    rng.shuffle(entries)
    for i in range(0, len(entries), 300):
        chunk = entries[i : i + 300]
        packages: dict[str, Any] = {"": {"name": f"web{i}", "dependencies": {}}}
        for j, (name, version) in enumerate(chunk):
            key = f"node_modules/{name}"
            if key in packages:  # a second version of the same package lives nested
                key = f"node_modules/holder{j}/node_modules/{name}"
                packages[f"node_modules/holder{j}"] = {
                    "version": "1.0.0",
                    "dependencies": {name: version},
                }
                count += 1
            packages[key] = {"version": version}
            packages[""]["dependencies"][name] = version
        folder = out / "js" / f"web{i // 300:03d}"
        folder.mkdir(parents=True)
        lock = {"name": f"web{i}", "lockfileVersion": 3, "requires": True, "packages": packages}
        (folder / "package-lock.json").write_text(json.dumps(lock, indent=2), encoding="utf-8")
        count += len(chunk)
    count += _real_environments(out)
    return count


def _real_environments(out: Path) -> int:
    """Installed Python environments and npm's own tree, copied as they are."""
    count = 0
    seen_envs = 0
    roots = [Path(sys.prefix), Path(sys.base_prefix)]
    for root in roots:
        for site in root.glob("lib/python3*/site-packages"):
            seen_envs += 1
            for meta in site.glob("*.dist-info/METADATA"):
                dest = out / "env" / f"site{seen_envs}" / meta.parent.name / "METADATA"
                dest.parent.mkdir(parents=True, exist_ok=True)
                dest.write_bytes(meta.read_bytes())
                count += 1
    npm_root = Path("/usr/lib/node_modules/npm")
    if npm_root.is_dir():
        packages: dict[str, Any] = {"": {"name": "npm"}}
        for manifest in sorted(npm_root.glob("node_modules/**/package.json")):
            rel = manifest.parent.relative_to(npm_root).as_posix()
            if not rel.startswith("node_modules/"):
                continue
            try:
                data = json.loads(manifest.read_text(encoding="utf-8"))
            except (OSError, ValueError):
                continue
            if "version" in data and rel.rsplit("node_modules/", 1)[-1] == data.get("name"):
                packages[rel] = {"version": data["version"], "license": data.get("license")}
        folder = out / "npm-tree"
        folder.mkdir(parents=True, exist_ok=True)
        lock = {"name": "npm", "lockfileVersion": 3, "packages": packages}
        (folder / "package-lock.json").write_text(json.dumps(lock, indent=1), encoding="utf-8")
        count += len(packages) - 1
    return count


# ---------------------------------------------------------------- phase 2: match (ours)


def phase_match(corpus: str, cache: str) -> dict[str, Any]:
    from shieldwall.analyzers.deps.collectors import collector_for
    from shieldwall.vulndb.errors import InvalidVersionError
    from shieldwall.vulndb.index import index_path
    from shieldwall.vulndb.matcher import match_package, open_index

    start, cpu0 = time.perf_counter(), time.process_time()
    files = sorted(p for p in Path(corpus).rglob("*") if p.is_file())
    inventories = []
    for path in files:
        rel = path.relative_to(corpus).as_posix()
        collector = collector_for(rel)
        if collector is not None:
            inventories.append(collector.collect(rel, path.read_text(encoding="utf-8")))
    parsed, cpu1 = time.perf_counter(), time.process_time()
    index = open_index(index_path(Path(cache)))
    matches: list[tuple[str, str, str, str, str]] = []
    packages = invalid = 0
    for inventory in inventories:
        for package in inventory.packages:
            packages += 1
            try:
                result = match_package(index, package.ecosystem, package.name, package.version)
            except InvalidVersionError:
                invalid += 1
                continue
            matches.extend(
                (inventory.path, package.ecosystem.value, package.name, package.version, a.id)
                for group in result.groups
                for a in group.advisories
            )
    done, cpu2 = time.perf_counter(), time.process_time()
    return {
        "parse_cpu": cpu1 - cpu0,
        "match_cpu": cpu2 - cpu1,
        "packages": packages,
        "invalid_versions": invalid,
        "parse_seconds": parsed - start,
        "match_seconds": done - parsed,
        "peak_mb": peak_mb(),
        "matches": sorted(set(matches)),
        "inventory": sorted(
            {
                (inv.path, p.ecosystem.value, p.name, p.version)
                for inv in inventories
                for p in inv.packages
            }
        ),
    }


# ---------------------------------------------------------------- phase 3: reference matcher

# An independent implementation, written from the OSV schema's "Evaluation" section: it shares
# no code with shieldwall.vulndb. PEP 440 ordering comes from `packaging` (the reference
# implementation of the PEP); SemVer 2.0 precedence is re-implemented here.

_SEMVER = re.compile(r"^v?(\d+)\.(\d+)\.(\d+)(?:-([0-9A-Za-z.-]+))?(?:\+[0-9A-Za-z.-]+)?$")


def ref_semver_key(text: str) -> tuple[Any, ...]:
    m = _SEMVER.match(text.strip())
    if not m:
        raise ValueError(text)
    core = (int(m.group(1)), int(m.group(2)), int(m.group(3)))
    if m.group(4) is None:
        return (core, 1, ())
    # (0, n) sorts numeric identifiers before (1, text) alphanumeric ones.
    ids = [(0, int(p), "") if p.isdigit() else (1, 0, p) for p in m.group(4).split(".")]
    return (core, 0, tuple(ids))


def ref_key(ecosystem: str, version: str) -> Any:
    if ecosystem == "PyPI":
        return Version(version)
    return ref_semver_key(version)


def ref_affected(ecosystem: str, affected: dict[str, Any], version: str) -> bool:
    try:
        key = ref_key(ecosystem, version)
    except (InvalidVersion, ValueError):
        return False
    for listed in affected.get("versions", []):
        try:
            if listed == version or ref_key(ecosystem, listed) == key:
                return True
        except (InvalidVersion, ValueError):
            continue
    for rng in affected.get("ranges", []):
        if rng.get("type") not in {"ECOSYSTEM", "SEMVER"}:
            continue
        try:
            events = []
            for event in rng.get("events", []):
                ((kind, value),) = event.items()
                zero = kind == "introduced" and value in {"0", "0.0.0-0"}
                events.append((kind, None if zero else ref_key(ecosystem, value)))
        except (InvalidVersion, ValueError):
            continue  # a range with an unparsable event cannot be evaluated
        limits = [v for k, v in events if k == "limit"]
        if limits and not any(key < v for v in limits):
            continue
        order = {"introduced": 0, "last_affected": 1, "fixed": 2}
        ordered = sorted(
            (e for e in events if e[0] != "limit"),
            key=lambda e: (e[1] is not None, e[1] if e[1] is not None else key, order[e[0]]),
        )
        vulnerable = False
        for kind, bound in ordered:
            fixed_at = kind == "fixed" and bound is not None and key >= bound
            past_last = kind == "last_affected" and bound is not None and key > bound
            if kind == "introduced" and (bound is None or key >= bound):
                vulnerable = True
            elif fixed_at or past_last:
                vulnerable = False
        if vulnerable:
            return True
    return False


def reference(osv: Path, inventory: list[tuple[str, str, str, str]]) -> set[tuple[str, ...]]:
    by_package: dict[tuple[str, str], list[tuple[str, dict[str, Any]]]] = defaultdict(list)
    with gzip.open(osv, "rt", encoding="utf-8") as stream:
        for line in stream:
            record = json.loads(line)
            if record.get("withdrawn"):
                continue
            for affected in record.get("affected", []):
                package = affected.get("package") or {}
                eco = package.get("ecosystem")
                if eco in ECOSYSTEMS:
                    by_package[(eco, ref_name(eco, package["name"]))].append(
                        (record["id"], affected)
                    )
    found = set()
    for path, eco, name, version in inventory:
        for advisory_id, affected in by_package.get((eco, ref_name(eco, name)), []):
            if ref_affected(eco, affected, version):
                found.add((path, eco, name, version, advisory_id))
    return found


def ref_name(ecosystem: str, name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower() if ecosystem == "PyPI" else name.lower()


# ---------------------------------------------------------------- main


def run_phase(func: Any, *args: Any) -> Any:
    with multiprocessing.get_context("spawn").Pool(1) as pool:
        return pool.apply(func, args)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--osv", type=Path, default=DEFAULT_OSV)
    parser.add_argument("--keep", type=Path, help="build the corpus and index here and keep them")
    args = parser.parse_args()
    work = args.keep or Path(tempfile.mkdtemp(prefix="sw-deps-bench-"))
    cache, corpus = work / "cache", work / "corpus"
    corpus.mkdir(parents=True, exist_ok=True)

    imported = run_phase(phase_import, str(args.osv), str(cache))
    print(
        f"import   {imported['records']} PyPI+npm advisories in {imported['seconds']:.2f} s "
        f"({imported['cpu']:.2f} CPU-s), "
        f"peak {imported['peak_mb']:.0f} MB, index {imported['index_mb']:.1f} MB "
        f"({imported['withdrawn']} withdrawn dropped, {imported['problems']} problems)"
    )
    written = build_corpus(args.osv, corpus)
    print(
        f"corpus   {written} packages in {sum(1 for p in corpus.rglob('*') if p.is_file())} files"
    )
    ours = run_phase(phase_match, str(corpus), str(cache))
    print(
        f"match    {ours['packages']} packages: parse {ours['parse_seconds']:.2f} s "
        f"({ours['parse_cpu']:.2f} CPU-s), match {ours['match_seconds']:.2f} s "
        f"({ours['match_cpu']:.2f} CPU-s), peak {ours['peak_mb']:.0f} MB, "
        f"{len(ours['matches'])} (package, advisory) matches, "
        f"{ours['invalid_versions']} invalid versions"
    )
    ref = reference(args.osv, [tuple(i) for i in ours["inventory"]])
    mine = {tuple(m) for m in ours["matches"]}
    only_ours, only_ref = sorted(mine - ref), sorted(ref - mine)
    print(
        f"agree    {len(mine & ref)} matches in common; {len(only_ours)} only ours, "
        f"{len(only_ref)} only reference"
    )
    for label, rows in (("only ours", only_ours), ("only reference", only_ref)):
        for row in rows[:40]:
            print(f"  {label}: {' '.join(row)}")
        if len(rows) > 40:
            print(f"  ... {len(rows) - 40} more")


if __name__ == "__main__":
    main()
