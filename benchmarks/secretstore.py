"""Secret-store benchmark: reads per second, and what leak fingerprints add to a secrets scan.

1. Reads per second from the embedded store (direct, and through the audit log), and from a
   Vault-KV-v2 API with hvac as the client (``tests/servers/vault_kv.py`` on 127.0.0.1: no Vault,
   OpenBao or hub KV API is installable here, so this measures our client path, not a server).
2. Leak fingerprints: a tree of real Python source (the venv's site-packages, up to ``--megabytes``)
   with stored secrets planted in a few files; CPU time of ``shieldwall scan --scanners secrets
   --jobs 1`` against the CPU time of running :meth:`LeakFingerprints.find` over every line of the
   same files (the cost the hook would add). Planted copies must all be found, nothing else.

Run from the repository root::

    .venv/bin/python benchmarks/secretstore.py --megabytes 20
"""

from __future__ import annotations

import argparse
import resource
import shutil
import subprocess
import sys
import sysconfig
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
# The script's folder holds secrets.py, which would shadow the standard library's secrets.
sys.path[0] = str(ROOT)

from tests.servers.vault_kv import vault_kv_server  # noqa: E402

from shieldwall.secretstore import (  # noqa: E402
    AuditedBackend,
    AuditLog,
    EmbeddedStore,
    VaultBackend,
    build_fingerprints,
)
from shieldwall.secretstore.rotation import random_value  # noqa: E402


def rate(label: str, count: int, action) -> None:  # type: ignore[no-untyped-def]
    start = time.perf_counter()
    for i in range(count):
        action(i)
    elapsed = time.perf_counter() - start
    print(f"{label:<44} {count / elapsed:>10,.0f} reads/s  ({elapsed * 1000 / count:.2f} ms each)")


def bench_reads(work: Path, secrets: int, reads: int) -> EmbeddedStore:
    store = EmbeddedStore.init(work / "s.json", "benchmark passphrase")  # production KDF cost
    for n in range(secrets):
        store.write(f"app/key{n}", random_value())
    rate("embedded store, direct", reads, lambda i: store.read(f"app/key{i % secrets}"))
    audited = AuditedBackend(store, AuditLog(work / "audit.jsonl"))
    rate("embedded store, audited", reads, lambda i: audited.read(f"app/key{i % secrets}"))
    with vault_kv_server() as state:
        vault = VaultBackend(state.url, "root-token")
        for n in range(secrets):
            vault.write(f"app/key{n}", random_value())
        rate(
            "Vault KV v2 API (hvac client, local server)",
            reads,
            lambda i: vault.read(f"app/key{i % secrets}"),
        )
    bench_aws(secrets, reads)
    return store


def bench_aws(secrets: int, reads: int) -> None:
    try:
        from moto.server import ThreadedMotoServer
    except ImportError:
        print("AWS Secrets Manager: moto[server] not installed, skipped")
        return
    import os

    from shieldwall.secretstore.aws import AwsSecretsManagerBackend

    os.environ.setdefault("AWS_ACCESS_KEY_ID", "testing")
    os.environ.setdefault("AWS_SECRET_ACCESS_KEY", "testing")
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    try:
        aws = AwsSecretsManagerBackend("eu-west-1", f"http://{host}:{port}")
        for n in range(min(secrets, 20)):
            aws.write(f"app/key{n}", random_value())
        rate(
            "AWS Secrets Manager (boto3, moto server)",
            min(reads, 300),
            lambda i: aws.read(f"app/key{i % min(secrets, 20)}"),
        )
    finally:
        server.stop()


def build_tree(target: Path, megabytes: float) -> None:
    source = Path(sysconfig.get_paths()["purelib"])
    budget = int(megabytes * 1024 * 1024)
    for path in sorted(source.rglob("*.py")):
        if budget <= 0:
            break
        size = path.stat().st_size
        dest = target / path.relative_to(source)
        dest.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(path, dest)
        budget -= size


def children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def bench_fingerprints(work: Path, store: EmbeddedStore, megabytes: float) -> None:
    tree = work / "tree"
    build_tree(tree, megabytes)
    planted = store.list()[:3]
    for n, path in enumerate(planted):
        value = store.read(path).value
        (tree / f"leak{n}.py").write_text(
            f'DB_URL = "postgres://app:{value}@db/x"\nTOKEN = "{value}"\n'
        )
    files = [p for p in tree.rglob("*") if p.is_file()]
    size = sum(p.stat().st_size for p in files) / 1024 / 1024

    before = children_cpu()
    subprocess.run(
        [
            str(ROOT / ".venv/bin/shieldwall"),
            "scan",
            str(tree),
            "--scanners",
            "secrets",
            "--jobs",
            "1",
            "--no-progress",
            "--format",
            "json",
            "-o",
            str(work / "scan.json"),
        ],
        check=False,
        capture_output=True,
    )
    scan_cpu = children_cpu() - before

    fingerprints = build_fingerprints(store, owner="benchmark")
    # The scanner has each file's bytes already: time only the added work, not the reading.
    contents = [path.read_bytes() for path in files]
    start = time.process_time()
    hits = 0
    for data in contents:
        hits += sum(1 for _ in fingerprints.find(data))
    fp_cpu = time.process_time() - start
    print(f"tree: {len(files)} files, {size:.1f} MB; {len(fingerprints.digests)} fingerprints")
    print(f"secrets scan (--jobs 1)  CPU {scan_cpu:7.2f} s  ({size / scan_cpu:.2f} MB/CPU-s)")
    print(f"fingerprint pass         CPU {fp_cpu:7.2f} s  ({size / fp_cpu:.2f} MB/CPU-s)")
    print(f"added cost: {100 * fp_cpu / scan_cpu:.1f} % of the scan (target < 5 %)")
    print(f"planted copies found: {hits} of {2 * len(planted)} (no other hits possible)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--secrets", type=int, default=100)
    parser.add_argument("--reads", type=int, default=2000)
    parser.add_argument("--megabytes", type=float, default=20)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        store = bench_reads(work, args.secrets, args.reads)
        bench_fingerprints(work, store, args.megabytes)


if __name__ == "__main__":
    main()
