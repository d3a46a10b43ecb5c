"""Threat-model benchmark: shieldwall's model and rules against OWASP pytm, on the same system.

1. ``examples/vulnerable-shop`` modelled in both (``threatmodel.yaml`` here, the pytm DSL in
   :data:`PYTM_SHOP`, with the same elements, flows, boundaries and properties pytm can express).
   Both tools' threats are listed side by side per element, and each threat is checked against
   the findings of ``shieldwall scan`` of the example (sast, secrets, iac): a threat counts as
   evidenced when a finding located in the element's code/IaC shares one of its CWE ids (pytm's
   CWE ids are parsed from its threat references; CWE pillars excluded for both).
2. A synthetic model of 500 elements (200 components, 250 flows, 50 others) built the same way in
   both tools; CPU seconds to load it and derive the threats (target: under one second).

Run: ``.venv/bin/python benchmarks/threatmodel.py [--pytm-python /tmp/tm-peer-venv/bin/python]``.
pytm is installed in its own venv: ``python3 -m venv /tmp/tm-peer-venv &&
/tmp/tm-peer-venv/bin/pip install pytm``.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from collections import Counter, defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
EXAMPLE = ROOT / "examples" / "vulnerable-shop"

from tests.threatmodel.test_scale import big_model  # noqa: E402

from shieldwall.threatmodel.engine import PILLARS, analyse  # noqa: E402
from shieldwall.threatmodel.evidence import link, read_findings  # noqa: E402
from shieldwall.threatmodel.load import load_model_file, parse_model  # noqa: E402
from shieldwall.threatmodel.rules import builtin_rules  # noqa: E402

# pytm names elements by display name; map them to our ids for the side-by-side table.
PYTM_SHOP = r"""
import json, sys, time
from pytm import TM, Actor, Boundary, Dataflow, Datastore, ExternalEntity, Server
from pytm import Data, Classification
TM.reset()
tm = TM("vulnerable-shop"); tm.description = "A Flask web shop on AWS"
internet = Boundary("internet"); aws = Boundary("aws")
vpc = Boundary("vpc"); vpc.inBoundary = aws
cluster = Boundary("cluster"); cluster.inBoundary = vpc
customer = Data("customer-data", classification=Classification.SENSITIVE, isPII=True)
orders = Data("orders", classification=Classification.RESTRICTED, isPII=True)
catalogue = Data("catalogue", classification=Classification.PUBLIC)
shopper = Actor("shopper")
operator = Actor("operator"); operator.isAdmin = True
web = Server("shop-web"); web.inBoundary = cluster
web.controls.sanitizesInput = False; web.controls.encodesOutput = False
web.controls.hasAccessControl = True; web.controls.authenticatesSource = False
web.usesSessionTokens = True; web.usesEnvironmentVariables = True
db = Datastore("orders-db"); db.inBoundary = vpc; db.isSQL = True
db.controls.isEncrypted = False; db.storesPII = True; db.storesSensitiveData = True
bucket = Datastore("assets-bucket"); bucket.inBoundary = aws; bucket.isSQL = False
feed = ExternalEntity("feed-provider"); feed.inBoundary = internet
def flow(src, dst, name, proto, port, enc, auth, data):
    f = Dataflow(src, dst, name); f.protocol = proto; f.dstPort = port
    f.controls.isEncrypted = enc; f.controls.authenticatesSource = auth; f.data = data
    return f
flow(shopper, web, "shopper-web", "HTTPS", 443, True, False, [customer, orders, catalogue])
flow(operator, web, "operator-admin", "HTTPS", 443, True, True, [])
flow(web, db, "web-db", "postgres", 5432, False, True, [customer, orders, catalogue])
flow(web, bucket, "web-bucket", "HTTPS", 443, True, True, [])
flow(web, feed, "web-feed", "HTTPS", 443, True, False, [catalogue])
"""
PYTM_BIG = r"""
import json, sys, time
from pytm import TM, Actor, Boundary, Dataflow, Datastore, ExternalEntity, Server, Process
from pytm import Data, Classification
TM.reset()
tm = TM("big"); tm.description = "500 elements"
kinds = [Server, Server, Process, Datastore, Datastore, Datastore, ExternalEntity]
bounds = [Boundary(f"b{i}") for i in range(20)]
for i in range(1, 20):
    bounds[i].inBoundary = bounds[i - 1]
data = [Data(f"a{i}", classification=Classification.SENSITIVE, isPII=i % 2 == 0) for i in range(20)]
actors = [Actor(f"u{i}") for i in range(10)]
comps = []
for i in range(200):
    c = kinds[i % 7](f"c{i}"); c.inBoundary = bounds[i % 20]; comps.append(c)
for i in range(250):
    src = actors[i % 10] if i % 7 == 0 else comps[i % 200]
    f = Dataflow(src, comps[(i * 7 + 1) % 200], f"f{i}")
    f.protocol = "HTTP" if i % 4 == 0 else "HTTPS"; f.data = [data[i % 20]]
"""
PYTM_RUN = r"""
start = time.process_time()
tm.check(); tm.resolve()
elapsed = time.process_time() - start
import re
CWE = re.compile(r"cwe.mitre.org/data/definitions/(\d+)")
out = []
for f in tm.findings:
    cwe = sorted({"CWE-" + n for n in CWE.findall(f.references or "")})
    out.append({"sid": f.threat_id, "element": str(getattr(f.element, "name", f.target)),
                "severity": f.severity, "title": f.description, "cwe": cwe})
json.dump({"findings": out, "seconds": elapsed}, sys.stdout)
"""


def run_pytm(python: str, model: str) -> dict[str, object]:
    """Run a pytm model in the peer venv; its findings and the CPU time of check+resolve."""
    done = subprocess.run(
        [python, "-c", model + PYTM_RUN], capture_output=True, text=True, timeout=600, check=False
    )
    if done.returncode != 0:
        raise SystemExit(f"pytm failed:\n{done.stderr[-3000:]}")
    return json.loads(done.stdout)


def scan_example(tmp: Path) -> Path:
    """The JSON report of shieldwall scan of the example (no deps: it needs an advisory DB)."""
    report = tmp / "scan.json"
    subprocess.run(
        [
            str(ROOT / ".venv" / "bin" / "shieldwall"),
            "scan",
            str(EXAMPLE),
            "--scanners",
            "secrets,sast,iac",
            "--format",
            "json",
            "-o",
            str(report),
            "-q",
            "--no-progress",
        ],
        check=False,
        capture_output=True,
        timeout=600,
    )
    return report


def claims_section(findings: list[object] | tuple[object, ...]) -> list[str]:
    """Model claims against the example's IaC (pytm has no equivalent): the honest model, then
    one that claims the public, unencrypted RDS instance is private and encrypted."""
    from shieldwall.threatmodel.claims import CLAIM_RULE_IDS
    from shieldwall.threatmodel.iac import load_resources

    text = (EXAMPLE / "threatmodel.yaml").read_text()
    wrong = text.replace(
        "    exposure: internet  # publicly_accessible = true in infra/main.tf\n",
        "    exposure: private\n",
    ).replace("encryption_at_rest: false", "encryption_at_rest: true")
    out = ["", "## Model claims vs IaC (no pytm equivalent)", ""]
    out += ["| model | CPU s (read IaC + check) | contradictions |", "|---|---:|---:|"]
    claim_ids = set(CLAIM_RULE_IDS.values())
    for label, source in (("as shipped", text), ("claims RDS private + encrypted", wrong)):
        start = time.process_time()
        resources, _ = load_resources(EXAMPLE)
        model = parse_model(source, "threatmodel.yaml")
        analysed = analyse(model, builtin_rules(), findings, resources=resources)  # type: ignore[arg-type]
        seconds = time.process_time() - start
        found = sorted(t.id for t in analysed.threats if t.rule.id in claim_ids)
        out.append(f"| {label} | {seconds:.3f} | {len(found)} {', '.join(found)} |")
    return out


def main() -> None:
    """Print the comparison as Markdown."""
    parser = argparse.ArgumentParser()
    parser.add_argument("--pytm-python", default="/tmp/tm-peer-venv/bin/python")
    parser.add_argument("--out", type=Path)
    args = parser.parse_args()
    lines: list[str] = []
    with tempfile.TemporaryDirectory() as tmp:
        findings = read_findings(scan_example(Path(tmp)))
    model = load_model_file(EXAMPLE / "threatmodel.yaml", display="threatmodel.yaml")
    ours = analyse(model, builtin_rules(), findings)
    peer = run_pytm(args.pytm_python, PYTM_SHOP)
    linked = link(model.components, findings)

    def pytm_evidence(element: str, cwe: list[str]) -> bool:
        return any((f.cwe - PILLARS) & set(cwe) for f in linked.get(element, ()))

    peer_by_element: dict[str, list[dict[str, object]]] = defaultdict(list)
    for f in peer["findings"]:  # type: ignore[union-attr]
        peer_by_element[str(f["element"])].append(f)
    ours_by_element: dict[str, list[object]] = defaultdict(list)
    for t in ours.threats:
        ours_by_element[t.element.id].append(t)
    lines += [
        "## vulnerable-shop, side by side",
        "",
        f"scanner findings (sast, secrets, iac): {len(findings)}; linked to a component: "
        f"{sum(len(v) for v in linked.values())}",
        "",
        "| element | shieldwall threats | evidenced | pytm threats | evidenced |",
        "|---|---:|---:|---:|---:|",
    ]
    elements = sorted(set(ours_by_element) | set(peer_by_element))
    total = Counter()
    for element in elements:
        mine = ours_by_element.get(element, [])
        theirs = peer_by_element.get(element, [])
        mine_ev = sum(1 for t in mine if t.evidenced)  # type: ignore[attr-defined]
        theirs_ev = sum(1 for f in theirs if pytm_evidence(element, f["cwe"]))  # type: ignore[arg-type]
        total.update(ours=len(mine), ours_ev=mine_ev, peer=len(theirs), peer_ev=theirs_ev)
        lines.append(f"| {element} | {len(mine)} | {mine_ev} | {len(theirs)} | {theirs_ev} |")
    ours_total = f"{total['ours']} | {total['ours_ev']}"
    lines.append(f"| **total** | {ours_total} | {total['peer']} | {total['peer_ev']} |")
    lines += ["", "### Evidenced threats", ""]
    for t in ours.threats:
        if t.evidenced:
            rules = ", ".join(sorted({f.rule_id for f in t.evidence}))
            lines.append(f"- shieldwall {t.id} {t.rule.rule.title}: {rules}")
    for element, items in sorted(peer_by_element.items()):
        for f in items:
            if pytm_evidence(element, f["cwe"]):  # type: ignore[arg-type]
                lines.append(f"- pytm {f['sid']}@{element} {f['title']} ({', '.join(f['cwe'])})")  # type: ignore[arg-type]
    lines += ["", "## 500 elements", ""]
    text = big_model()
    rules = builtin_rules()
    start = time.process_time()
    big = parse_model(text, "big.yaml")
    analysed = analyse(big, rules)
    ours_seconds = time.process_time() - start
    peer_big = run_pytm(args.pytm_python, PYTM_BIG)
    lines += [
        "| tool | CPU s (load + threats) | threats |",
        "|---|---:|---:|",
        f"| shieldwall | {ours_seconds:.3f} | {len(analysed.threats)} |",
        f"| pytm (check + resolve only) | {peer_big['seconds']:.3f} "  # type: ignore[str-format]
        f"| {len(peer_big['findings'])} |",  # type: ignore[arg-type]
    ]
    lines += claims_section(findings)
    report = "\n".join(lines) + "\n"
    sys.stdout.write(report)
    if args.out:
        args.out.write_text(report)


if __name__ == "__main__":
    main()
