"""Terraform modules: variables, tfvars, locals, functions, count, dynamic blocks, unknowns."""

from __future__ import annotations

from shieldwall.analyzers.iac.hcl import parse_hcl
from shieldwall.analyzers.iac.terraform import TerraformSource, load_module
from shieldwall.analyzers.iac.values import ListValue, ObjectValue, Ref, Scalar, Unknown
from tests.analyzers.iac.conftest import Run, pairs


def _module(files: dict[str, str]):  # type: ignore[no-untyped-def]
    sources = [TerraformSource(p, t) for p, t in files.items()]
    return load_module([(s, parse_hcl(s.text)) for s in sources])


def test_variables_tfvars_locals_and_functions_resolve() -> None:
    module = _module(
        {
            "variables.tf": 'variable "env" { default = "dev" }\nvariable "acl" {}\n',
            "terraform.tfvars": 'env = "prod"\n',
            "z.auto.tfvars": 'acl = "public-read"\n',
            "main.tf": (
                'locals {\n  name = "${var.env}-assets"\n'
                "  tags = merge({a = 1}, {b = upper(var.env)})\n}\n"
                'resource "aws_s3_bucket" "b" {\n'
                "  bucket = local.name\n"
                "  acl    = var.acl\n"
                "  tags   = local.tags\n"
                '  joined = join(",", concat(["x"], [lower("Y")]))\n'
                '  fmt    = format("%s-%d", var.env, 3)\n'
                '  lookup = lookup({k = 1}, "k", 0)\n'
                '  cond   = var.env == "prod" ? 30 : 7\n'
                "}\n"
            ),
        }
    )
    (res,) = module.resources
    assert res.first("bucket") == Scalar("prod-assets", 6)  # relocated to the using line
    assert res.first("acl") == Scalar("public-read", 7)
    tags = res.first("tags")
    assert isinstance(tags, ObjectValue) and tags.get("b") == Scalar("PROD", 8)
    assert res.first("joined") == Scalar("x,y", 9)
    assert res.first("fmt") == Scalar("prod-3", 10)
    assert res.first("lookup") == Scalar(1, 11)
    assert res.first("cond") == Scalar(30, 12)


def test_unresolvable_values_stay_unknown_never_guessed() -> None:
    module = _module(
        {
            "main.tf": (
                'variable "no_default" {}\n'
                "locals {\n  a = local.b\n  b = local.a\n}\n"
                'resource "aws_instance" "i" {\n'
                "  ami   = var.no_default\n"
                "  cycle = local.a\n"
                '  file  = file("user_data.sh")\n'
                "  other = aws_subnet.main.id\n"
                "  data  = data.aws_ami.ubuntu.id\n"
                "  mod   = module.vpc.subnet_id\n"
                '  tmpl  = "x-${var.no_default}"\n'
                "}\n"
            )
        }
    )
    (res,) = module.resources
    for name in ("ami", "cycle", "file", "mod", "tmpl"):
        assert isinstance(res.first(name), Unknown), name
    assert res.first("other") == Ref("aws_subnet.main", "id", 10)
    assert res.first("data") == Ref("data.aws_ami.ubuntu", "id", 11)


def test_count_zero_and_empty_for_each_are_not_created() -> None:
    module = _module(
        {
            "main.tf": (
                'variable "enabled" { default = false }\n'
                'resource "aws_s3_bucket" "off" {\n  count = var.enabled ? 1 : 0\n}\n'
                'resource "aws_s3_bucket" "none" {\n  for_each = toset([])\n}\n'
                'resource "aws_s3_bucket" "on" {\n  count = 2\n}\n'
                'resource "aws_s3_bucket" "maybe" {\n  count = var.unknown\n}\n'
            )
        }
    )
    assert [r.address for r in module.resources] == ["aws_s3_bucket.on", "aws_s3_bucket.maybe"]


def test_dynamic_blocks_expand_over_known_collections() -> None:
    module = _module(
        {
            "main.tf": (
                'variable "ports" { default = [22, 443] }\n'
                'resource "aws_security_group" "sg" {\n'
                '  dynamic "ingress" {\n'
                "    for_each = var.ports\n"
                "    content {\n"
                "      from_port   = ingress.value\n"
                "      to_port     = ingress.value\n"
                '      cidr_blocks = ["0.0.0.0/0"]\n'
                "    }\n"
                "  }\n"
                "}\n"
            )
        }
    )
    (sg,) = module.resources
    ingress = sg.first("ingress")
    assert isinstance(ingress, ListValue)
    assert [i.get("from_port") for i in ingress.items] == [Scalar(22, 6), Scalar(443, 6)]  # type: ignore[union-attr]


def test_for_expressions_over_known_lists() -> None:
    module = _module(
        {
            "main.tf": (
                'variable "names" { default = ["a", "", "b"] }\n'
                'resource "x" "y" {\n'
                '  upper = [for n in var.names : upper(n) if n != ""]\n'
                '  index = {for i, n in var.names : n => i if n != ""}\n'
                "}\n"
            )
        }
    )
    (res,) = module.resources
    upper = res.first("upper")
    assert isinstance(upper, ListValue) and [v.value for v in upper.items] == ["A", "B"]  # type: ignore[union-attr]
    index = res.first("index")
    assert isinstance(index, ObjectValue) and set(index.fields) == {"a", "b"}


def test_modules_are_noted_not_fetched() -> None:
    module = _module(
        {
            "main.tf": (
                'module "vpc" {\n  source = "terraform-aws-modules/vpc/aws"\n}\n'
                'module "local" {\n  source = "./modules/net"\n}\n'
            )
        }
    )
    messages = [n.message for n in module.notes]
    assert "not fetched" in messages[0] and "own directory" in messages[1]


def test_a_tfvars_value_changes_the_verdict(run_iac: Run) -> None:
    main = (
        'variable "public" { default = false }\n'
        'resource "aws_db_instance" "db" {\n'
        "  publicly_accessible = var.public\n"
        "}\n"
    )
    findings, _ = run_iac({"main.tf": main})
    assert ("SW-IAC-021", 3) not in pairs(findings)
    findings, _ = run_iac({"main.tf": main, "terraform.tfvars": "public = true\n"})
    assert ("SW-IAC-021", 3) in pairs(findings)


def test_unknown_value_gives_no_finding(run_iac: Run) -> None:
    findings, _ = run_iac(
        {"main.tf": 'resource "aws_db_instance" "db" {\n  publicly_accessible = var.x\n}\n'}
    )
    assert "SW-IAC-021" not in {f.rule.id for f in findings}


def test_try_skips_failures_but_not_unknowns() -> None:
    module = _module(
        {
            "main.tf": (
                'variable "owner" { default = { name = "x" } }\n'
                'resource "x" "y" {\n'
                '  missing = try(var.owner["id"], "fallback")\n'
                '  unknown = try(var.nothing ? "a" : "b", "guess")\n'
                "}\n"
            )
        }
    )
    (res,) = module.resources
    assert res.first("missing") == Scalar("fallback", 3)
    assert isinstance(res.first("unknown"), Unknown)
