"""Secret-store benchmark: reads per second, and what leak fingerprints add to a secrets scan.

1. Reads per second from the embedded store (direct, and through the audit log), from the hub's
   KV v2 API (a real hub on 127.0.0.1 with SQLite, hvac as the client, through our Vault
   backend: policy check, decryption and a hash-chained audit row per read), from the minimal
   KV-v2 test server ``tests/servers/vault_kv.py`` (the client path alone; no Vault or OpenBao
   build is installable here), and from AWS Secrets Manager on moto's server.
2. Leak fingerprints: a tree of real Python source (the venv's site-packages, up to ``--megabytes``)
   with stored secrets planted in a few files; CPU time of ``shieldwall scan --scanners secrets
   --jobs 1`` without and with ``[analyzers.secrets] leak_fingerprints``. Every planted copy must
   be reported as SW-SEC-900, and nothing else.

Run from the repository root::

    .venv/bin/python benchmarks/secretstore.py --megabytes 20
"""

from __future__ import annotations

import argparse
import resource
import shutil
import statistics
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
from shieldwall.secretstore.fingerprints import save_fingerprints  # noqa: E402
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
    bench_hub(work, secrets, reads)
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


def bench_hub(work: Path, secrets: int, reads: int) -> None:
    import base64
    import os

    from tests.servers.hub_server import running_hub

    from shieldwall.hub.auth.service import create_token, create_user
    from shieldwall.hub.db.engine import make_engine, make_session_factory, transaction
    from shieldwall.hub.db.migrate import upgrade
    from shieldwall.hub.enums import TokenScope
    from shieldwall.hub.secrets.admin import put_policy, set_token_policies
    from shieldwall.hub.secrets.policy import PolicyRule
    from shieldwall.hub.settings import HubSettings

    url = f"sqlite:///{work / 'hub.sqlite3'}"
    engine = make_engine(url)
    upgrade(engine)
    with transaction(make_session_factory(engine)) as session:
        user = create_user(session, "bench", None, None, "bench")
        issued = create_token(
            session,
            user=user,
            name="b",
            scope=TokenScope.READ,
            project=None,
            expires_days=1,
            actor="b",
        )
        rules = [PolicyRule(path="secret/*", capabilities=("create", "read", "update", "list"))]
        put_policy(session, "all", rules, "bench")
        set_token_policies(session, issued.id, ["all"], "bench")
    engine.dispose()
    master = base64.b64encode(os.urandom(32)).decode()
    settings = HubSettings(database_url=url, migrate_on_start=False, secrets_master_key=master)
    with running_hub(settings) as base:
        hub = VaultBackend(base, issued.token)
        for n in range(secrets):
            hub.write(f"app/key{n}", random_value())
        rate(
            "hub KV v2 API (hvac client, SQLite, audited)",
            reads,
            lambda i: hub.read(f"app/key{i % secrets}"),
        )


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


def plant(tree: Path, store: EmbeddedStore, count: int = 3) -> list[str]:
    listed = store.list()
    planted = [*listed[: count - 1], listed[-1]]  # one of each kind of length
    for n, path in enumerate(planted):
        value = store.read(path).value
        (tree / f"leak{n}.py").write_text(
            f'DB_URL = "postgres://app:{value}@db/x"\nTOKEN = "{value}"\n'
        )
    return planted


def bench_fingerprints(
    work: Path, store: EmbeddedStore, megabytes: float, runs: int, instructions: float
) -> None:
    tree = work / "tree"
    build_tree(tree, megabytes)
    # A real store holds values of many lengths (passwords, API keys, tokens), and every stored
    # length makes runs of that length candidates: a store of one length would flatter the hook.
    for n in range(60):
        store.write(f"varied/key{n}", random_value(16 + (n * 13) % 49))  # 49 lengths
    planted = plant(tree, store)
    files = [p for p in tree.rglob("*") if p.is_file()]
    size = sum(p.stat().st_size for p in files) / 1024 / 1024

    fingerprints = build_fingerprints(store, owner="benchmark")
    fp_file = work / "leaks.json"
    save_fingerprints(fingerprints, fp_file)
    plain_cfg = config_file(work / "plain.toml", None)
    hooked_cfg = config_file(work / "hooked.toml", fp_file)
    print(f"tree: {len(files)} files, {size:.1f} MB; {len(fingerprints.digests)} fingerprints")

    # Interleaved pairs (plain, hooked, plain, ...): the machine's speed drifts between runs, so
    # each pair's ratio is taken and the median ratio quoted (one lucky or slow run cannot move
    # it); the best of each side is printed too.
    pairs = [
        (scan(tree, work / "plain.json", plain_cfg), scan(tree, work / "hooked.json", hooked_cfg))
        for _ in range(runs)
    ]
    plain_cpu = min(p for p, _ in pairs)
    hooked_cpu = min(h for _, h in pairs)
    ratios = sorted(h / p for p, h in pairs)
    median = statistics.median(ratios)
    plain = findings(work / "plain.json")
    hooked = findings(work / "hooked.json")
    print(f"shieldwall scan --scanners secrets --jobs 1, {runs} interleaved pairs:")
    sides = (("without fingerprints  ", plain_cpu), ("with leak_fingerprints", hooked_cpu))
    for label, best in sides:
        print(f"  {label}  best CPU {best:6.2f} s ({size / best:.1f} MB/CPU-s)")
    print(
        f"  added cost: median of the pairs {100 * (median - 1):+.1f} % of the whole command "
        f"(target < 5 %); pairs {100 * (ratios[0] - 1):+.1f} % to {100 * (ratios[-1] - 1):+.1f} %"
        f"; best against best {100 * (hooked_cpu - plain_cpu) / plain_cpu:+.1f} %"
    )
    bench_in_process(tree, fp_file, runs)
    if instructions:
        bench_instructions(work, store, instructions, plain_cfg, hooked_cfg)

    leaks = [f for f in hooked if f["rule"]["id"] == "SW-SEC-900"]
    leak_files = {f"leak{n}.py" for n in range(len(planted))}
    # Nothing else changes: outside the planted files, the same findings with and without.
    unchanged = keys(plain, leak_files) == keys(hooked, leak_files)
    print(f"SW-SEC-900 findings: {len(leaks)} of {2 * len(planted)} planted copies")
    print(f"other findings: {len(plain)} without the hook, {len(hooked) - len(leaks)} with it")
    print(f"findings outside the planted files identical: {unchanged}")


def keys(found: list[dict], skip: set[str]) -> list[tuple[str, int, str]]:  # type: ignore[type-arg]
    return sorted(
        (f["location"]["path"], f["location"]["start_line"], f["rule"]["id"])
        for f in found
        if f["location"]["path"] not in skip
    )


def bench_in_process(tree: Path, fp_file: Path, runs: int) -> None:
    """The analyzer alone (no start-up, walk or report), and the candidate pass alone."""
    from shieldwall.analyzers.secrets.analyzer import SecretsAnalyzer
    from shieldwall.analyzers.secrets.config import SecretsConfig
    from shieldwall.analyzers.secrets.leaks import load_leak_fingerprints
    from shieldwall.core.file import File
    from shieldwall.core.protocols import AnalysisContext

    paths = sorted(p for p in tree.rglob("*") if p.is_file())
    files = [File(str(p.relative_to(tree)), str(p), p.stat().st_size) for p in paths]
    analyzer = SecretsAnalyzer()
    contexts = [
        AnalysisContext(root=str(tree), config=SecretsConfig(leak_fingerprints=fp))
        for fp in (None, str(fp_file))
    ]
    loaded = load_leak_fingerprints(str(fp_file))
    assert loaded is not None
    blobs = [p.read_bytes() for p in paths]

    def cpu(action) -> float:  # type: ignore[no-untyped-def]
        before = time.process_time()
        action()
        return time.process_time() - before

    best = [float("inf")] * 3
    for _ in range(runs + 1):  # the first round warms the page cache and compiles the patterns
        for n, ctx in enumerate(contexts):
            best[n] = min(best[n], cpu(lambda c=ctx: list(analyzer.analyze(files, c))))
        best[2] = min(best[2], cpu(lambda: [list(loaded.find(b)) for b in blobs]))
    plain, hooked, alone = best
    print(
        f"secrets analyzer in-process, best of {runs}: {plain:.3f} CPU-s without, {hooked:.3f} with"
    )
    print(f"  added cost: {100 * (hooked - plain) / plain:+.1f} % of the analyzer alone")
    print(f"  LeakFingerprints.find alone over the same bytes: {alone:.3f} CPU-s")


def bench_instructions(
    work: Path,
    store: EmbeddedStore,
    megabytes: float,
    plain_cfg: Path,
    hooked_cfg: Path,
) -> None:
    """Instruction counts under callgrind: the same total on every run, whatever the load."""
    if shutil.which("valgrind") is None:
        print("instructions: valgrind is not installed, skipped")
        return
    small = work / "small"
    build_tree(small, megabytes)
    plant(small, store)
    empty = work / "empty"
    empty.mkdir()
    (empty / "a.py").write_text("x = 1\n")
    counts = {
        (name, label): instructions_of(tree, work / "i.json", cfg)
        for name, tree in (("tree", small), ("start-up", empty))
        for label, cfg in (("plain", plain_cfg), ("hooked", hooked_cfg))
    }
    size = sum(p.stat().st_size for p in small.rglob("*") if p.is_file()) / 1024 / 1024
    print(f"instructions (valgrind --tool=callgrind), {size:.1f} MB tree, start-up = 1-file tree:")
    for name in ("tree", "start-up"):
        plain, hooked = counts[name, "plain"], counts[name, "hooked"]
        added = 100 * (hooked - plain) / plain
        print(f"  {name:<9} {plain:>15,} without  {hooked:>15,} with  ({added:+.2f} %)")
    scan_plain = counts["tree", "plain"] - counts["start-up", "plain"]
    scan_hooked = counts["tree", "hooked"] - counts["start-up", "hooked"]
    print(
        f"  scan alone (tree less start-up): {scan_plain:,} without, {scan_hooked:,} with "
        f"({100 * (scan_hooked - scan_plain) / scan_plain:+.2f} %)"
    )


def instructions_of(tree: Path, out: Path, config: Path) -> int:
    import re

    done = subprocess.run(
        [
            "valgrind",
            "--tool=callgrind",
            "--callgrind-out-file=/dev/null",
            *command(tree, out, config),
        ],
        check=False,
        capture_output=True,
        text=True,
    )
    found = re.search(r"Collected : (\d+)", done.stderr)
    if found is None:
        raise RuntimeError(f"callgrind gave no count: {done.stderr[-500:]}")
    return int(found.group(1))


def config_file(path: Path, fingerprints: Path | None) -> Path:
    path.write_text(
        f'[analyzers.secrets]\nleak_fingerprints = "{fingerprints}"\n' if fingerprints else ""
    )
    return path


def command(tree: Path, out: Path, config: Path) -> list[str]:
    return [
        str(ROOT / ".venv/bin/shieldwall"),
        "scan",
        str(tree),
        "--scanners",
        "secrets",
        "--jobs",
        "1",
        "--no-progress",
        "--config",
        str(config),
        "--format",
        "json",
        "-o",
        str(out),
    ]


def scan(tree: Path, out: Path, config: Path) -> float:
    before = children_cpu()
    subprocess.run(command(tree, out, config), check=False, capture_output=True)
    return children_cpu() - before


def findings(out: Path) -> list[dict]:  # type: ignore[type-arg]
    import json

    return json.loads(out.read_text())["findings"]  # type: ignore[no-any-return]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--secrets", type=int, default=100)
    parser.add_argument("--reads", type=int, default=2000)
    parser.add_argument("--megabytes", type=float, default=20)
    parser.add_argument("--runs", type=int, default=10, help="interleaved pairs of scan runs")
    parser.add_argument(
        "--instructions",
        type=float,
        default=0,
        metavar="MB",
        help="also count instructions under valgrind on a tree of MB megabytes (6 is ~5 min)",
    )
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        store = bench_reads(work, args.secrets, args.reads)
        bench_fingerprints(work, store, args.megabytes, args.runs, args.instructions)


if __name__ == "__main__":
    main()
