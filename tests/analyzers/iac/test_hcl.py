"""The HCL2 parser: structure, exact lines, templates, heredocs and syntax errors."""

from __future__ import annotations

import pytest

from shieldwall.analyzers.iac.hcl import HclSyntaxError, parse_hcl
from shieldwall.analyzers.iac.hcl.ast import (
    BinaryOp,
    Call,
    Conditional,
    ForExpr,
    Literal,
    ObjectExpr,
    Template,
    Traversal,
    TupleExpr,
)

SOURCE = """\
# comment
resource "aws_s3_bucket" "b" {
  bucket = "name-${var.env}" // trailing comment
  count  = 2
  /* block
     comment */
  tags = {
    Name  = "x"
    "k-2" = 1
  }
  policy = <<-EOT
    {"a": 1}
    EOT
  list = [1, 2.5, true, null]
  cond = var.public ? "public-read" : "private"
  math = 1 + 2 * 3 >= 7 && !false
  loop = [for s in var.names : upper(s) if s != ""]
  splat = aws_instance.web[*].id
  versioning {
    enabled = true
  }
}
"""


def test_blocks_attributes_and_lines() -> None:
    body = parse_hcl(SOURCE)
    (block,) = body.blocks
    assert (block.type, block.labels, block.line, block.end_line) == (
        "resource",
        ("aws_s3_bucket", "b"),
        2,
        22,
    )
    lines = {a.name: a.line for a in block.body.attributes}
    assert lines == {
        "bucket": 3, "count": 4, "tags": 7, "policy": 11, "list": 14,
        "cond": 15, "math": 16, "loop": 17, "splat": 18,
    }  # fmt: skip
    (nested,) = block.body.blocks
    assert (nested.type, nested.line, nested.body.attributes[0].line) == ("versioning", 19, 20)


def test_expression_kinds() -> None:
    attrs = {a.name: a.expr for a in parse_hcl(SOURCE).blocks[0].body.attributes}
    assert isinstance(attrs["bucket"], Template)
    assert attrs["bucket"].parts[0] == "name-"
    assert attrs["bucket"].parts[1] == Traversal("var", ("env",), 3)
    assert attrs["count"] == Literal(2, 4)
    assert isinstance(attrs["tags"], ObjectExpr)
    assert attrs["policy"] == Literal('{"a": 1}\n', 12)  # <<- strips the indentation
    assert isinstance(attrs["list"], TupleExpr)
    assert [i.value for i in attrs["list"].items] == [1, 2.5, True, None]  # type: ignore[union-attr]
    assert isinstance(attrs["cond"], Conditional)
    assert isinstance(attrs["math"], BinaryOp) and attrs["math"].op == "&&"
    assert isinstance(attrs["loop"], ForExpr) and attrs["loop"].condition is not None
    assert attrs["splat"] == Traversal("aws_instance", ("web", "*", "id"), 18)


def test_nested_template_with_quotes_and_escapes() -> None:
    body = parse_hcl('a = "x-${lookup(var.m, "k", "d")}-\\"q\\"-$${literal}"\n')
    expr = body.attributes[0].expr
    assert isinstance(expr, Template)
    assert isinstance(expr.parts[1], Call)
    assert expr.parts[2] == '-"q"-${literal}'


@pytest.mark.parametrize(
    ("text", "line", "message"),
    [
        ('resource "a" "b" {\n  x = \n}\n', 2, "expected a value"),
        ('resource "a" "b" {\n  x = 1\n', 3, "never closed"),
        ('a = "unterminated\n', 1, "newline in a quoted string"),
        ("a = <<EOF\nno end\n", 1, "never closed"),
        ("a = 1 2\n", 1, "after a value"),
        ("a = @\n", 1, "unexpected character"),
    ],
)
def test_syntax_errors_name_the_line(text: str, line: int, message: str) -> None:
    with pytest.raises(HclSyntaxError) as info:
        parse_hcl(text)
    assert info.value.line == line
    assert message in str(info.value)


def test_deep_nesting_is_refused_not_a_crash() -> None:
    text = "a = " + "[" * 500 + "]" * 500 + "\n"
    with pytest.raises(HclSyntaxError, match="nesting deeper"):
        parse_hcl(text)


def test_one_line_block_and_object_with_commas() -> None:
    body = parse_hcl('variable "x" { default = { a = 1, b = [1,\n 2] } }\n')
    (block,) = body.blocks
    default = block.body.attributes[0].expr
    assert isinstance(default, ObjectExpr) and len(default.items) == 2
