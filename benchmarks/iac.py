"""IaC benchmark: shieldwall's iac scanner against checkov, in one run on the same trees.

Two trees:

* ``corpus``: the labelled IaC test corpus (``tests/corpus/iac``). Every ``shieldwall: expect``
  label is a positive and every ``expect-not`` a negative; precision and recall are computed for
  the issue types both tools check (mapping in :data:`SHARED`).
* ``large``: a Terraform codebase of many modules built by :func:`build_tree` (deterministic:
  a seeded mix of S3, IAM, security groups, RDS, EC2, KMS, CloudTrail, SQS/SNS, EKS, Lambda...
  with variables, locals, tfvars and module calls), for wall time and peak memory.

Scoring: shieldwall reports the offending attribute's line, checkov a resource's line range. A
positive counts as found by shieldwall when a finding of the mapped rule is on the labelled line,
and by checkov when a failed mapped check's range contains the line. A negative counts as a false
positive on the same terms; for checkov only when the range holds no positive of the same issue
type (benefit of the doubt for its coarser ranges). Only issue types with the same meaning are
mapped: checkov's "no ADD at all" (CKV_DOCKER_4), "no `*` action whatever the resource"
(CKV_AWS_49) and "ServiceAccount objects" (CKV_K8S_41) are not the same issues as ours.

Run: ``.venv/bin/python benchmarks/iac.py [--modules 200] [--checkov PATH] [--out FILE]``.
checkov is installed in a separate venv (``python3 -m venv /tmp/peers-iac``) and always runs with
``--skip-download`` (offline).
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import random
import resource
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.corpus import corpus_cases, read_labels  # noqa: E402

# issue type -> (shieldwall rule ids, checkov check ids)
SHARED: dict[str, tuple[frozenset[str], frozenset[str]]] = {
    name: (frozenset(sw), frozenset(ck))
    for name, sw, ck in [
        ("s3-public-acl", ["SW-IAC-001"], ["CKV_AWS_20", "CKV_AWS_57"]),
        ("s3-versioning", ["SW-IAC-004"], ["CKV_AWS_21"]),
        ("s3-access-logging", ["SW-IAC-005"], ["CKV_AWS_18"]),
        ("s3-kms", ["SW-IAC-006"], ["CKV_AWS_145"]),
        ("ebs-encryption", ["SW-IAC-010"], ["CKV_AWS_3"]),
        ("ec2-imdsv2", ["SW-IAC-011"], ["CKV_AWS_79"]),
        ("ec2-root-volume-encryption", ["SW-IAC-012"], ["CKV_AWS_8"]),
        ("rds-encryption", ["SW-IAC-020"], ["CKV_AWS_16"]),
        ("rds-public", ["SW-IAC-021"], ["CKV_AWS_17"]),
        ("rds-backup", ["SW-IAC-022"], ["CKV_AWS_133"]),
        ("rds-deletion-protection", ["SW-IAC-023"], ["CKV_AWS_293"]),
        ("rds-logs", ["SW-IAC-024"], ["CKV_AWS_129"]),
        ("rds-minor-upgrades", ["SW-IAC-026"], ["CKV_AWS_226"]),
        ("rds-iam-auth", ["SW-IAC-073"], ["CKV_AWS_161"]),
        ("dynamodb-pitr", ["SW-IAC-027"], ["CKV_AWS_28"]),
        ("elasticache-at-rest", ["SW-IAC-028"], ["CKV_AWS_29"]),
        ("elasticache-in-transit", ["SW-IAC-029"], ["CKV_AWS_30"]),
        ("redshift-encryption", ["SW-IAC-030"], ["CKV_AWS_64"]),
        ("redshift-public", ["SW-IAC-031"], ["CKV_AWS_87"]),
        ("efs-encryption", ["SW-IAC-032"], ["CKV_AWS_42"]),
        ("kms-rotation", ["SW-IAC-040"], ["CKV_AWS_7"]),
        ("cloudtrail-validation", ["SW-IAC-041"], ["CKV_AWS_36"]),
        ("cloudtrail-multi-region", ["SW-IAC-042"], ["CKV_AWS_67"]),
        ("cloudtrail-kms", ["SW-IAC-043"], ["CKV_AWS_35"]),
        ("lambda-tracing", ["SW-IAC-054"], ["CKV_AWS_50"]),
        ("ecr-immutable-tags", ["SW-IAC-058"], ["CKV_AWS_51"]),
        ("ecr-scan-on-push", ["SW-IAC-059"], ["CKV_AWS_163"]),
        ("sqs-encryption", ["SW-IAC-060"], ["CKV_AWS_27"]),
        ("sns-encryption", ["SW-IAC-061"], ["CKV_AWS_26"]),
        ("iam-admin", ["SW-IAC-100"], ["CKV_AWS_1", "CKV_AWS_62"]),
        ("iam-user-policy", ["SW-IAC-072"], ["CKV_AWS_40"]),
        ("sg-ssh-world", ["SW-IAC-110"], ["CKV_AWS_24"]),
        ("sg-rdp-world", ["SW-IAC-111"], ["CKV_AWS_25"]),
        ("sg-all-ports-world", ["SW-IAC-125"], ["CKV_AWS_277"]),
        ("azure-storage-https", ["SW-IAC-141"], ["CKV_AZURE_3"]),
        ("azure-storage-tls", ["SW-IAC-140"], ["CKV_AZURE_44"]),
        ("azure-container-public", ["SW-IAC-144"], ["CKV_AZURE_34"]),
        ("azure-postgres-ssl", ["SW-IAC-148"], ["CKV_AZURE_28", "CKV_AZURE_29"]),
        ("azure-aks-network-policy", ["SW-IAC-155"], ["CKV_AZURE_7"]),
        ("gcp-bucket-uniform-access", ["SW-IAC-170"], ["CKV_GCP_29"]),
        ("gcp-firewall-ssh", ["SW-IAC-128"], ["CKV_GCP_2"]),
        ("gcp-firewall-rdp", ["SW-IAC-129"], ["CKV_GCP_3"]),
        ("gcp-sql-ssl", ["SW-IAC-179"], ["CKV_GCP_6"]),
        ("gcp-sql-open", ["SW-IAC-180"], ["CKV_GCP_11"]),
        ("k8s-privileged", ["SW-IAC-300"], ["CKV_K8S_16"]),
        ("k8s-privilege-escalation", ["SW-IAC-301"], ["CKV_K8S_20"]),
        ("k8s-run-as-root", ["SW-IAC-302"], ["CKV_K8S_23"]),
        ("k8s-readonly-rootfs", ["SW-IAC-306"], ["CKV_K8S_22"]),
        ("k8s-cpu-limits", ["SW-IAC-307"], ["CKV_K8S_11"]),
        ("k8s-memory-limits", ["SW-IAC-308"], ["CKV_K8S_13"]),
        ("k8s-image-tag", ["SW-IAC-309"], ["CKV_K8S_14"]),
        ("k8s-liveness", ["SW-IAC-310"], ["CKV_K8S_8"]),
        ("k8s-readiness", ["SW-IAC-311"], ["CKV_K8S_9"]),
        ("k8s-seccomp", ["SW-IAC-312"], ["CKV_K8S_31"]),
        ("k8s-host-port", ["SW-IAC-313"], ["CKV_K8S_26"]),
        ("k8s-pull-policy", ["SW-IAC-316"], ["CKV_K8S_15"]),
        ("k8s-host-network", ["SW-IAC-320"], ["CKV_K8S_19"]),
        ("k8s-host-pid", ["SW-IAC-321"], ["CKV_K8S_17"]),
        ("k8s-host-ipc", ["SW-IAC-322"], ["CKV_K8S_18"]),
        ("k8s-docker-socket", ["SW-IAC-324"], ["CKV_K8S_27"]),
        ("k8s-sa-token", ["SW-IAC-325"], ["CKV_K8S_38"]),
        ("k8s-rbac-wildcard", ["SW-IAC-330"], ["CKV_K8S_49"]),
        ("docker-root-user", ["SW-IAC-220"], ["CKV_DOCKER_3", "CKV_DOCKER_8"]),
        ("docker-latest-tag", ["SW-IAC-221"], ["CKV_DOCKER_7"]),
        ("docker-healthcheck", ["SW-IAC-225"], ["CKV_DOCKER_2"]),
        ("docker-ssh-port", ["SW-IAC-229"], ["CKV_DOCKER_1"]),
    ]
}
SW_TO_ISSUE = {rule: issue for issue, (sw, _) in SHARED.items() for rule in sw}


# --------------------------------------------------------------------------------------------
# measuring a command: wall time and peak memory of its whole process tree


def _tree_rss(root_pid: int) -> int:
    """Resident memory (bytes) of a process and all its descendants, from /proc."""
    children: dict[int, list[int]] = defaultdict(list)
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            stat = Path(f"/proc/{entry}/stat").read_text()
        except OSError:
            continue
        ppid = int(stat.rsplit(")", 1)[1].split()[1])
        children[ppid].append(int(entry))
    total, stack, page = 0, [root_pid], os.sysconf("SC_PAGE_SIZE")
    while stack:
        pid = stack.pop()
        with contextlib.suppress(OSError, IndexError, ValueError):  # the process just exited
            total += int(Path(f"/proc/{pid}/statm").read_text().split()[1]) * page
        stack.extend(children.get(pid, ()))
    return total


@dataclass
class Measured:
    seconds: float
    cpu_seconds: float  # user + system of the whole tree: steadier than wall time on a busy box
    peak_bytes: int
    returncode: int


def measure(cmd: list[str], stdout_path: Path) -> Measured:
    """Run a command, sampling the process tree's memory every 50 ms."""
    peak = 0
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    with stdout_path.open("wb") as out:
        proc = subprocess.Popen(cmd, stdout=out, stderr=subprocess.DEVNULL)
        done = threading.Event()

        def sample() -> None:
            nonlocal peak
            while not done.is_set():
                peak = max(peak, _tree_rss(proc.pid))
                done.wait(0.05)

        sampler = threading.Thread(target=sample, daemon=True)
        sampler.start()
        returncode = proc.wait()
        done.set()
        sampler.join()
    seconds = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return Measured(seconds, cpu, peak, returncode)


# --------------------------------------------------------------------------------------------
# the large Terraform tree

_RESOURCES = [
    'resource "aws_s3_bucket" "{n}" {{\n  bucket = "${{local.prefix}}-{n}"\n  tags   = '
    "local.tags\n}}\n"
    'resource "aws_s3_bucket_versioning" "{n}" {{\n  bucket = aws_s3_bucket.{n}.id\n'
    "  versioning_configuration {{\n    status = var.versioning\n  }}\n}}\n"
    'resource "aws_s3_bucket_public_access_block" "{n}" {{\n  bucket = aws_s3_bucket.{n}.id\n'
    "  block_public_acls       = true\n  block_public_policy     = {flag}\n"
    "  ignore_public_acls      = true\n  restrict_public_buckets = true\n}}\n",
    'resource "aws_security_group" "{n}" {{\n  name = "${{local.prefix}}-{n}"\n'
    '  dynamic "ingress" {{\n    for_each = var.ports\n    content {{\n'
    "      from_port   = ingress.value\n      to_port     = ingress.value\n"
    '      protocol    = "tcp"\n      cidr_blocks = var.cidrs\n    }}\n  }}\n}}\n',
    'resource "aws_db_instance" "{n}" {{\n  identifier          = "${{local.prefix}}-{n}"\n'
    '  engine              = "postgres"\n  instance_class      = var.instance_class\n'
    "  storage_encrypted   = {flag}\n  publicly_accessible = var.public\n"
    "  backup_retention_period = 7\n}}\n",
    'resource "aws_iam_policy" "{n}" {{\n  name   = "${{local.prefix}}-{n}"\n'
    '  policy = jsonencode({{\n    Version = "2012-10-17"\n    Statement = [{{\n'
    '      Effect   = "Allow"\n      Action   = {action}\n      Resource = "*"\n    }}]\n  '
    "}})\n}}\n",
    'resource "aws_instance" "{n}" {{\n  ami           = var.ami\n'
    "  instance_type = var.instance_class\n  metadata_options {{\n"
    '    http_tokens = "{tokens}"\n  }}\n  root_block_device {{\n    encrypted = {flag}\n  '
    "}}\n}}\n",
    'resource "aws_kms_key" "{n}" {{\n  description         = "key {n}"\n'
    "  enable_key_rotation = {flag}\n}}\n",
    'resource "aws_cloudtrail" "{n}" {{\n  name                       = "${{local.prefix}}-{n}"\n'
    "  s3_bucket_name             = aws_s3_bucket.logs.id\n  enable_log_file_validation = {flag}\n"
    "  is_multi_region_trail      = true\n}}\n",
    'resource "aws_sqs_queue" "{n}" {{\n  name                    = "${{local.prefix}}-{n}"\n'
    "  sqs_managed_sse_enabled = {flag}\n}}\n",
    'resource "aws_eks_cluster" "{n}" {{\n  name     = "${{local.prefix}}-{n}"\n'
    "  role_arn = var.role_arn\n  vpc_config {{\n    subnet_ids             = var.subnets\n"
    '    endpoint_public_access = {flag}\n  }}\n  enabled_cluster_log_types = ["api", '
    '"audit"]\n}}\n',
    'resource "aws_lambda_function" "{n}" {{\n  function_name = "${{local.prefix}}-{n}"\n'
    '  role          = var.role_arn\n  handler       = "app.handler"\n  runtime       = '
    '"python3.12"\n'
    '  tracing_config {{\n    mode = "{tracing}"\n  }}\n}}\n',
]

_VARIABLES = """\
variable "versioning" {
  default = "Enabled"
}
variable "ports" {
  default = [22, 443]
}
variable "cidrs" {
  default = ["10.0.0.0/8"]
}
variable "instance_class" {
  default = "db.t3.micro"
}
variable "public" {
  default = false
}
variable "ami" {}
variable "role_arn" {}
variable "subnets" {
  default = []
}
"""


def build_tree(root: Path, modules: int, seed: int = 7) -> int:
    """Write ``modules`` module directories of a fictional platform; returns the file count."""
    rng = random.Random(seed)
    count = 0
    for m in range(modules):
        module = root / "modules" / f"service-{m:03d}"
        module.mkdir(parents=True)
        blocks = []
        for r in range(rng.randint(6, 14)):
            template = rng.choice(_RESOURCES)
            blocks.append(
                template.format(
                    n=f"r{r}",
                    flag=rng.choice(["true", "false"]),
                    action=rng.choice(['"*"', '["s3:GetObject"]', '["iam:PassRole"]']),
                    tokens=rng.choice(["required", "optional"]),
                    tracing=rng.choice(["Active", "PassThrough"]),
                )
            )
        (module / "main.tf").write_text("\n".join(blocks))
        (module / "variables.tf").write_text(_VARIABLES)
        (module / "locals.tf").write_text(
            f'locals {{\n  prefix = "svc-{m:03d}-${{var.env}}"\n'
            '  tags   = { team = "platform", service = "svc" }\n}\n'
            'variable "env" {\n  default = "prod"\n}\n'
        )
        (module / "outputs.tf").write_text('output "prefix" {\n  value = local.prefix\n}\n')
        if m % 3 == 0:
            (module / "terraform.tfvars").write_text(
                'public = true\ncidrs = ["0.0.0.0/0"]\nversioning = "Suspended"\n'
            )
            count += 1
        count += 4
    env = root / "envs" / "prod"
    env.mkdir(parents=True)
    calls = "".join(
        f'module "service_{m:03d}" {{\n  source = "../../modules/service-{m:03d}"\n'
        f'  ami    = "ami-123"\n  role_arn = "arn:aws:iam::1:role/x"\n}}\n'
        for m in range(modules)
    )
    (env / "main.tf").write_text(calls)
    return count + 1


# --------------------------------------------------------------------------------------------
# running both tools and scoring


def run_shieldwall(tree: Path, work: Path, tag: str) -> tuple[Measured, list[dict]]:
    out = work / f"shieldwall-{tag}.json"
    cmd = [sys.executable, "-m", "shieldwall", "scan", str(tree), "--scanners", "iac",
           "--format", "json", "-o", str(out)]  # fmt: skip
    measured = measure(cmd, work / f"shieldwall-{tag}.stdout")
    data = json.loads(out.read_text())
    return measured, data["findings"]


def run_checkov(checkov: str, tree: Path, work: Path, tag: str) -> tuple[Measured, list[dict]]:
    out = work / f"checkov-{tag}.json"
    cmd = [checkov, "-d", str(tree), "--skip-download", "-o", "json", "--quiet", "--compact"]
    measured = measure(cmd, out)
    raw = json.loads(out.read_text() or "[]")
    reports = raw if isinstance(raw, list) else [raw]
    failed = [c for r in reports for c in r.get("results", {}).get("failed_checks", [])]
    return measured, failed


@dataclass
class Score:
    tp: int = 0
    fp: int = 0
    fn: int = 0

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 0.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 0.0


def corpus_labels(tree: Path) -> tuple[set, set]:
    """(issue, path, line) positives and negatives of the shared issue types."""
    positives, negatives = set(), set()
    base = tree / "iac"
    for entries in corpus_cases_at(base).values():
        for entry in entries:
            labels = read_labels(entry)
            prefix = entry.relative_to(base).as_posix() + "/" if entry.is_dir() else ""
            for rel, rule, line in labels.expected:
                if rule in SW_TO_ISSUE:
                    positives.add((SW_TO_ISSUE[rule], "iac/" + prefix + rel, line))
            for rel, rule, line in labels.negatives:
                if rule in SW_TO_ISSUE:
                    negatives.add((SW_TO_ISSUE[rule], "iac/" + prefix + rel, line))
    return positives, negatives


def corpus_cases_at(base: Path) -> dict[str, list[Path]]:
    import tests.corpus as corpus_module

    saved = corpus_module.CORPUS_ROOT
    corpus_module.CORPUS_ROOT = base.parent
    try:
        return corpus_cases(base.name)
    finally:
        corpus_module.CORPUS_ROOT = saved


def score_shieldwall(findings: list[dict], positives: set, negatives: set) -> Score:
    hits = set()
    for f in findings:
        issue = SW_TO_ISSUE.get(f["rule"]["id"])
        if issue:
            hits.add((issue, f["location"]["path"], f["location"]["start_line"]))
    score = Score()
    score.tp = len(positives & hits)
    score.fn = len(positives - hits)
    score.fp = len(negatives & hits)
    return score


def score_checkov(failed: list[dict], positives: set, negatives: set) -> Score:
    ranges: dict[tuple[str, str], list[tuple[int, int]]] = defaultdict(list)
    for check in failed:
        for issue, (_, ck_ids) in SHARED.items():
            if check["check_id"] in ck_ids:
                path = check["file_path"].lstrip("/")
                start, end = check["file_line_range"]
                ranges[(issue, path)].append((start, end))
    score = Score()
    for issue, path, line in positives:
        if any(a <= line <= b for a, b in ranges.get((issue, path), ())):
            score.tp += 1
        else:
            score.fn += 1
    for issue, path, line in negatives:
        for a, b in ranges.get((issue, path), ()):
            covers_positive = any(
                p_issue == issue and p_path == path and a <= p_line <= b
                for p_issue, p_path, p_line in positives
            )
            if a <= line <= b and not covers_positive:
                score.fp += 1
                break
    return score


def _figures(m: Measured) -> dict[str, float]:
    return {
        "seconds": round(m.seconds, 2),
        "cpu_seconds": round(m.cpu_seconds, 2),
        "peak_mb": m.peak_bytes >> 20,
    }


def _ratio(theirs: float, ours: float) -> float | None:
    return round(theirs / ours, 1) if ours else None


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--modules", type=int, default=200)
    parser.add_argument(
        "--checkov", default=os.environ.get("CHECKOV", "/tmp/peers-iac/bin/checkov")
    )
    parser.add_argument("--out", type=Path, default=None, help="write the figures as JSON")
    args = parser.parse_args()
    if not Path(args.checkov).exists():
        print(f"checkov not found at {args.checkov}: python3 -m venv /tmp/peers-iac && "
              "/tmp/peers-iac/bin/pip install checkov")  # fmt: skip
        return 2
    with tempfile.TemporaryDirectory(prefix="iac-bench-") as tmp:
        work = Path(tmp)
        corpus = work / "corpus"
        shutil.copytree(ROOT / "tests" / "corpus" / "iac", corpus / "iac")
        large = work / "large"
        files = build_tree(large, args.modules)
        report: dict[str, object] = {"large_tree_files": files, "modules": args.modules}
        positives, negatives = corpus_labels(corpus)
        report["labels"] = {"positives": len(positives), "negatives": len(negatives),
                            "issue_types": len(SHARED)}  # fmt: skip
        for tag, tree in (("corpus", corpus), ("large", large)):
            sw_m, sw_findings = run_shieldwall(tree, work, tag)
            ck_m, ck_failed = run_checkov(args.checkov, tree, work, tag)
            entry = {
                "shieldwall": _figures(sw_m) | {"findings": len(sw_findings)},
                "checkov": _figures(ck_m) | {"failed_checks": len(ck_failed)},
                "speedup": _ratio(ck_m.seconds, sw_m.seconds),
                "cpu_ratio": _ratio(ck_m.cpu_seconds, sw_m.cpu_seconds),
                "memory_ratio": _ratio(ck_m.peak_bytes, sw_m.peak_bytes),
            }
            if tag == "corpus":
                sw = score_shieldwall(sw_findings, positives, negatives)
                ck = score_checkov(ck_failed, positives, negatives)
                entry["shared_issue_types"] = {
                    name: {"tp": s.tp, "fp": s.fp, "fn": s.fn,
                           "precision": round(s.precision, 3), "recall": round(s.recall, 3)}
                    for name, s in (("shieldwall", sw), ("checkov", ck))
                }  # fmt: skip
            report[tag] = entry
            print(f"{tag}: {json.dumps(entry, indent=2)}")
        if args.out:
            args.out.write_text(json.dumps(report, indent=2) + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
