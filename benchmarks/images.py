"""Image benchmark: inventory and scan a multi-layer image built from a real Debian system.

The image is built without Docker from this machine's own Debian root filesystem (installed
from real Debian packages, with its real dpkg database): one gzip layer per directory group,
plus a layer that adds a credential and one that deletes it with a whiteout. It is written as
a docker-save tarball. Then, side by side:

* floor: ``tar -tzf`` over every layer blob (decompress and walk the headers, nothing more);
* view + inventory: shieldwall's streamed layer view (every member's bytes read and the
  digests checked) and the OS inventory;
* scan: ``shieldwall image`` with the chosen scanners, in a subprocess, with its peak RSS.

Peak memory is measured for the full image and for its first layers only, to show that it does
not grow with the image. Trivy and Grype have no installable build here, so the floor is the
only reference.

    python benchmarks/images.py --work /tmp/imgbench [--groups usr/share,usr/bin] [--scanners image]
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
    start = time.perf_counter()
    done = subprocess.run([sys.executable, "-c", _PEAK, *argv], capture_output=True, check=False)
    elapsed = time.perf_counter() - start
    peak, cpu = done.stdout.decode().strip().splitlines()[-1].split()
    tail = done.stderr.decode(errors="replace").strip().splitlines()[-3:]
    return elapsed, float(cpu), int(peak), " | ".join(tail)


INVENTORY = """
import sys, time
from shieldwall.image.entry import Notes
from shieldwall.image.inventory import build_inventory
from shieldwall.image.target import open_image
opened = open_image(sys.argv[1])
kept, members, size = [], 0, 0
with opened.image:
    from shieldwall.image.inventory import is_inventory_path
    for e in opened.entries():
        members += 1
        size += e.size
        if e.status == "present" and is_inventory_path(e.path):
            kept.append(e)
inv = build_inventory(kept)
print(members, size, len(inv.packages), inv.describe_os(), file=sys.stderr)
"""


def main() -> int:
    """Build, then time the floor, the view + inventory and the scan."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--work", type=Path, default=Path("/tmp/shieldwall-imgbench"))
    parser.add_argument("--groups", default=";".join(GROUPS), help="';'-separated layer groups")
    parser.add_argument("--root", type=Path, default=Path("/"))
    parser.add_argument("--scanners", default="secrets,image")
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
    for name, wall, cpu, kb, out in rows:
        print(
            f"{name:34s} {wall:6.1f} s wall {cpu:6.1f} s CPU  {cpu / floor_cpu:5.2f}x floor CPU"
            f"  peak {kb / 1024:5.0f} MiB  {out}"
        )
    if report.exists():
        findings = json.loads(report.read_text())["findings"]
        print("findings:", sorted({f["rule"]["id"] for f in findings}))
    if args.clean:
        shutil.rmtree(args.work)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
