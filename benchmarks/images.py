"""Image benchmark: inventory and scan a multi-layer image built from a real Debian system.

The image is built without Docker from this machine's own Debian root filesystem (installed
from real Debian packages, with its real dpkg database): one gzip layer per directory group,
plus a layer that adds a credential and one that deletes it with a whiteout. It is written as
a docker-save tarball. Then, side by side:

* floor: ``tar -tzf`` over every layer blob (decompress and walk the headers, nothing more);
* view + inventory: shieldwall's streamed layer view (every member's bytes read and the
  digests checked) and the OS inventory;
* scan: ``shieldwall image`` with the chosen scanners, in a subprocess, with its peak RSS;
* vulnerability matching: ``shieldwall image --scanners deps`` (which adds ``image-vulns``:
  every dpkg package matched by source package with dpkg ordering, plus the packages found in
  archives and binaries) against an advisory index of the OSV records given with ``--osv``
  plus one Debian:12 advisory per source package installed, synthesised from the image's own
  dpkg database (no Debian OSV data is reachable offline), half of them fixed above the
  installed version and half below, so that both outcomes are exercised at full scale.

Peak memory is measured for the full image and for its first layers only, to show that it does
not grow with the image. Trivy, Grype and Syft have no installable build here (see
PEERS.md), so the floor is the only reference.

    python benchmarks/images.py --work /tmp/imgbench [--groups usr/share,usr/bin] [--scanners image]
        [--osv ../shared/data/osv/all.jsonl.gz]
"""

from __future__ import annotations

import argparse
import hashlib
import json
import shutil
import subprocess
import sys
import tarfile
import time
from pathlib import Path

GROUPS = [
    "etc,var/lib/dpkg,usr/lib/os-release",
    "usr/bin,usr/sbin",
    "usr/share",
    "usr/include,usr/libexec",
]


def _run(argv: list[str], **kwargs: object) -> subprocess.CompletedProcess[bytes]:
    kwargs.setdefault("stdout", subprocess.PIPE)
    return subprocess.run(argv, check=True, stderr=subprocess.PIPE, **kwargs)


def _layer(work: Path, index: int, members: list[str], root: Path) -> Path:
    """A gzip layer tar of ``members`` (paths under ``root``), made by GNU tar."""
    out = work / f"layer{index}.tar.gz"
    if not out.exists():
        present = [m for m in members if (root / m).exists()]
        with out.open("wb") as handle:
            tar = subprocess.Popen(
                ["tar", "-C", str(root), "--numeric-owner", "-cf", "-", *present],
                stdout=subprocess.PIPE,
                stderr=subprocess.DEVNULL,
            )
            _run(["gzip", "-1"], stdin=tar.stdout, stdout=handle)
            tar.wait()
    return out


def _small_layer(work: Path, name: str, files: dict[str, bytes]) -> Path:
    out = work / name
    with tarfile.open(out, "w:gz", compresslevel=1) as tar:
        for path, data in files.items():
            info = tarfile.TarInfo(path)
            info.size = len(data)
            tar.addfile(info, __import__("io").BytesIO(data))
    return out


def _diff_id(blob: Path) -> str:
    import gzip

    digest = hashlib.sha256()
    with gzip.open(blob, "rb") as handle:
        while chunk := handle.read(1 << 20):
            digest.update(chunk)
    return "sha256:" + digest.hexdigest()


def build(work: Path, groups: list[str], root: Path) -> tuple[Path, list[Path]]:
    """The docker-save tarball and its layer blobs."""
    work.mkdir(parents=True, exist_ok=True)
    layers = [_layer(work, i, g.split(","), root) for i, g in enumerate(groups)]
    key = "AKIA" + "QWERTYUIOPASDFGH"
    layers.append(
        _small_layer(work, "secret.tar.gz", {"root/.aws/credentials": f"id = {key}\n".encode()})
    )
    layers.append(_small_layer(work, "cleanup.tar.gz", {"root/.aws/.wh.credentials": b""}))
    steps = [f"ADD {g} /" for g in groups] + ["COPY credentials /root/.aws/", "RUN rm creds"]
    config = {
        "architecture": "amd64",
        "os": "linux",
        "config": {"User": "1000"},
        "rootfs": {"type": "layers", "diff_ids": [_diff_id(x) for x in layers]},
        "history": [{"created_by": s} for s in steps],
    }
    image = work / "image.tar"
    raw_config = json.dumps(config).encode()
    with tarfile.open(image, "w") as tar:
        names = []
        for i, blob in enumerate(layers):
            name = f"l{i}/layer.tar"  # docker-save keeps gzip blobs as they came
            tar.add(blob, arcname=name)
            names.append(name)
        manifest = [{"Config": "config.json", "RepoTags": ["bench:1"], "Layers": names}]
        for name, data in (("config.json", raw_config), ("manifest.json", json.dumps(manifest))):
            payload = data if isinstance(data, bytes) else data.encode()
            info = tarfile.TarInfo(name)
            info.size = len(payload)
            tar.addfile(info, __import__("io").BytesIO(payload))
    return image, layers


def floor(layers: list[Path]) -> tuple[float, float]:
    """Wall and CPU seconds for ``tar -tzf`` over every layer (tar and its gzip child)."""
    wall = cpu = 0.0
    for blob in layers:
        w, c, _, _ = measure(["tar", "-tzf", str(blob)])
        wall, cpu = wall + w, cpu + c
    return wall, cpu


_PEAK = (
    "import resource, subprocess, sys; "
    "done = subprocess.run(sys.argv[1:], capture_output=True); "
    "sys.stderr.write(done.stderr.decode(errors='replace')); "
    "r = resource.getrusage(resource.RUSAGE_CHILDREN); "
    "print(r.ru_maxrss, r.ru_utime + r.ru_stime)"
)


def measure(argv: list[str]) -> tuple[float, float, int, str]:
    """Wall and CPU seconds, peak RSS (KiB, largest process of the run), the stderr tail.

    A fresh wrapper process per run, so one run's peak never leaks into the next.
    """
    return measure_env(argv, None)


def measure_env(argv: list[str], env: dict[str, str] | None) -> tuple[float, float, int, str]:
    """:func:`measure` with an environment."""
    start = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-c", _PEAK, *argv], capture_output=True, check=False, env=env
    )
    elapsed = time.perf_counter() - start
    peak, cpu = done.stdout.decode().strip().splitlines()[-1].split()
    tail = done.stderr.decode(errors="replace").strip().splitlines()[-3:]
    return elapsed, float(cpu), int(peak), " | ".join(tail)


INVENTORY = """
import sys
from shieldwall.image.inventory import InventoryCollector
from shieldwall.image.target import open_image
opened = open_image(sys.argv[1])
collector, members, size = InventoryCollector(), 0, 0
with opened.image:
    for e in opened.entries():
        members += 1
        size += e.size
        collector.add(e)
inv = collector.finish()
print(members, size, len(inv.packages), len(inv.language), inv.describe_os(), file=sys.stderr)
"""


def _image_status(layers: list[Path]) -> str:
    """The dpkg status file as the image ships it (layers may be cached from an earlier run)."""
    for blob in layers:
        with tarfile.open(blob, "r:gz") as tar:
            for member in tar:
                if member.name.lstrip("./") == "var/lib/dpkg/status" and member.isfile():
                    handle = tar.extractfile(member)
                    return handle.read().decode(errors="replace") if handle else ""
    return ""


def debian_advisories(layers: list[Path], out: Path) -> int:
    """One synthetic Debian:12 advisory per installed source package (see the docstring)."""
    from shieldwall.image.packages import parse_dpkg_status

    packages = parse_dpkg_status(_image_status(layers))
    sources = sorted({(p.source_name, p.source_version) for p in packages})
    with out.open("w") as handle:
        for n, (name, version) in enumerate(sources):
            # Even: fixed just above the installed version (affected); odd: already fixed.
            fixed = f"{version}+bench1" if n % 2 == 0 else f"{version}~bench1"
            record = {
                "id": f"BENCH-DEBIAN-{n:05d}",
                "modified": "2026-11-01T00:00:00Z",
                "summary": "synthetic benchmark advisory",
                "affected": [
                    {
                        "package": {"ecosystem": "Debian:12", "name": name},
                        "ranges": [
                            {"type": "ECOSYSTEM", "events": [{"introduced": "0"}, {"fixed": fixed}]}
                        ],
                    }
                ],
            }
            handle.write(json.dumps(record) + "\n")
    return len(sources)


def vuln_index(work: Path, layers: list[Path], osv: Path | None) -> tuple[dict[str, str], int]:
    """A cache directory whose index holds the synthetic Debian and the given OSV records."""
    import os

    env = {**os.environ, "SHIELDWALL_CACHE_DIR": str(work / "cache")}
    synthetic = work / "debian-bench.jsonl"
    count = debian_advisories(layers, synthetic)
    shieldwall = str(Path(sys.executable).with_name("shieldwall"))
    merged = work / "advisories.jsonl"
    with merged.open("wb") as out:
        out.write(synthetic.read_bytes())
        if osv is not None:
            import gzip

            with gzip.open(osv) if osv.suffix == ".gz" else osv.open("rb") as source:
                out.write(source.read())
    _run([shieldwall, "db", "import", str(merged)], env=env)
    return env, count


def main() -> int:
    """Build, then time the floor, the view + inventory and the scan."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--work", type=Path, default=Path("/tmp/shieldwall-imgbench"))
    parser.add_argument("--groups", default=";".join(GROUPS), help="';'-separated layer groups")
    parser.add_argument("--root", type=Path, default=Path("/"))
    parser.add_argument("--scanners", default="secrets,image")
    parser.add_argument("--osv", type=Path, help="More OSV records (.jsonl[.gz]) for the index.")
    parser.add_argument("--no-vulns", action="store_true", help="Skip the matching row.")
    parser.add_argument("--clean", action="store_true", help="Delete the work dir afterwards.")
    args = parser.parse_args()
    groups = args.groups.split(";")
    image, layers = build(args.work, groups, args.root)
    compressed = sum(b.stat().st_size for b in layers)
    print(f"image: {len(layers)} layers, {compressed / 1e6:.0f} MB compressed")
    floor_wall, floor_cpu = floor(layers)
    print(f"{'floor: tar -tzf every layer':34s} {floor_wall:6.1f} s wall {floor_cpu:6.1f} s CPU")
    python = sys.executable
    rows = [("view + inventory", *measure([python, "-c", INVENTORY, str(image)]))]
    shieldwall = str(Path(python).with_name("shieldwall"))
    scan = [shieldwall, "image", str(image), "--scanners", args.scanners, "--no-progress"]
    report = args.work / "report.json"
    rows.append(
        (
            f"shieldwall image ({args.scanners})",
            *measure([*scan, "-f", "json", "-o", str(report), "-q"]),
        )
    )
    vuln_report = args.work / "vulns.json"
    if not args.no_vulns:
        env, count = vuln_index(args.work, layers, args.osv)
        print(f"advisory index: {count} synthetic Debian:12 advisories + {args.osv or 'nothing'}")
        vulns = [shieldwall, "image", str(image), "--scanners", "deps", "--offline"]
        rows.append(
            (
                "shieldwall image (deps+image-vulns)",
                *measure_env(
                    [*vulns, "--no-progress", "-q", "-f", "json", "-o", str(vuln_report)], env
                ),
            )
        )
    for name, wall, cpu, kb, out in rows:
        print(
            f"{name:34s} {wall:6.1f} s wall {cpu:6.1f} s CPU  {cpu / floor_cpu:5.2f}x floor CPU"
            f"  peak {kb / 1024:5.0f} MiB  {out}"
        )
    if report.exists():
        findings = json.loads(report.read_text())["findings"]
        print("findings:", sorted({f["rule"]["id"] for f in findings}))
    if vuln_report.exists():
        findings = json.loads(vuln_report.read_text())["findings"]
        os_hits = [f for f in findings if f["rule"]["id"] == "SW-IMG-006"]
        sources = {f["properties"]["source_package"] for f in os_hits}
        print(f"vulnerability findings: {len(os_hits)} SW-IMG-006 on {len(sources)} sources")
    if args.clean:
        shutil.rmtree(args.work)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
