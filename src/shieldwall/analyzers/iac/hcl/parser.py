"""A recursive-descent parser from HCL2 tokens to :mod:`ast` nodes, keeping every line.

Written by hand rather than taken from ``python-hcl2``: that library gives line numbers for blocks
only (``__start_line__``), not for attributes, and its Lark grammar is several times slower.
The grammar followed is the HCL native syntax specification (hashicorp/hcl, hclsyntax/spec.md).
"""

from __future__ import annotations

from shieldwall.analyzers.iac.hcl.ast import (
    Attribute,
    BinaryOp,
    Block,
    Body,
    Call,
    Conditional,
    Expr,
    ForExpr,
    IndexOf,
    Literal,
    ObjectExpr,
    Template,
    Traversal,
    TupleExpr,
    UnaryOp,
)
from shieldwall.analyzers.iac.hcl.lexer import (
    HclSyntaxError,
    Kind,
    Token,
    scan_interpolation_end,
    tokenize,
)

__all__ = ["HclSyntaxError", "parse_hcl", "parse_template"]

# Binary operators from loosest to tightest binding (spec: "Operations").
_LEVELS: tuple[frozenset[str], ...] = (
    frozenset({"||"}),
    frozenset({"&&"}),
    frozenset({"==", "!="}),
    frozenset({"<", ">", "<=", ">="}),
    frozenset({"+", "-"}),
    frozenset({"*", "/", "%"}),
)
_MAX_DEPTH = 50  # deeper nesting is hostile input, not configuration (and would exhaust the stack)
_ESCAPES = {"n": "\n", "t": "\t", "r": "\r", '"': '"', "\\": "\\"}


def parse_hcl(text: str) -> Body:
    """The body of a whole ``.tf`` or ``.tfvars`` file."""
    parser = _Parser(tokenize(text))
    body = parser.body(top=True)
    return body


class _Parser:
    def __init__(self, tokens: list[Token]) -> None:
        self.tokens = tokens
        self.pos = 0
        self.depth = 0

    # -- token helpers -------------------------------------------------------------------
    @property
    def tok(self) -> Token:
        return self.tokens[self.pos]

    def advance(self) -> Token:
        token = self.tokens[self.pos]
        if token.kind is not Kind.EOF:
            self.pos += 1
        return token

    def at_op(self, text: str) -> bool:
        return self.tok.kind is Kind.OP and self.tok.text == text

    def expect_op(self, text: str) -> Token:
        if not self.at_op(text):
            raise HclSyntaxError(f"expected {text!r}, found {self._describe()}", self.tok.line)
        return self.advance()

    def skip_newlines(self) -> None:
        while self.tok.kind is Kind.NEWLINE:
            self.pos += 1

    def _describe(self) -> str:
        token = self.tok
        if token.kind is Kind.EOF:
            return "end of file"
        if token.kind is Kind.NEWLINE:
            return "end of line"
        return repr(token.text[:20])

    # -- bodies ---------------------------------------------------------------------------
    def body(self, *, top: bool) -> Body:
        attributes: list[Attribute] = []
        blocks: list[Block] = []
        while True:
            self.skip_newlines()
            token = self.tok
            if token.kind is Kind.EOF:
                if not top:
                    raise HclSyntaxError("block is never closed with '}'", token.line)
                break
            if not top and self.at_op("}"):
                break
            if token.kind is not Kind.IDENT:
                raise HclSyntaxError(
                    f"expected an attribute or block name, found {self._describe()}", token.line
                )
            self.advance()
            if self.at_op("="):
                self.advance()
                attributes.append(Attribute(token.text, self.expression(), token.line))
                self._end_of_item()
            else:
                blocks.append(self.block(token))
        return Body(tuple(attributes), tuple(blocks))

    def _end_of_item(self) -> None:
        if self.tok.kind in (Kind.NEWLINE, Kind.EOF) or self.at_op("}"):
            return
        raise HclSyntaxError(f"unexpected {self._describe()} after a value", self.tok.line)

    def block(self, name: Token) -> Block:
        labels: list[str] = []
        while not self.at_op("{"):
            token = self.advance()
            if token.kind is Kind.STRING or token.kind is Kind.IDENT:
                labels.append(token.text)
            else:
                raise HclSyntaxError(
                    f"block {name.text!r}: expected a label or '{{', found {token.text!r}",
                    token.line,
                )
        self.advance()
        self._enter()
        body = self.body(top=False)
        self.depth -= 1
        end = self.expect_op("}")
        return Block(name.text, tuple(labels), body, name.line, end.line)

    def _enter(self) -> None:
        self.depth += 1
        if self.depth > _MAX_DEPTH:
            raise HclSyntaxError(f"nesting deeper than {_MAX_DEPTH} levels", self.tok.line)

    # -- expressions ----------------------------------------------------------------------
    def expression(self) -> Expr:
        self._enter()
        try:
            return self._conditional()
        finally:
            self.depth -= 1

    def _conditional(self) -> Expr:
        cond = self._binary(0)
        if not self.at_op("?"):
            return cond
        self.advance()
        self.skip_newlines()
        then = self.expression()
        self.skip_newlines()
        self.expect_op(":")
        self.skip_newlines()
        otherwise = self.expression()
        return Conditional(cond, then, otherwise, cond.line)

    def _binary(self, level: int) -> Expr:
        if level == len(_LEVELS):
            return self._unary()
        left = self._binary(level + 1)
        while self.tok.kind is Kind.OP and self.tok.text in _LEVELS[level]:
            op = self.advance().text
            self.skip_newlines()
            right = self._binary(level + 1)
            left = BinaryOp(op, left, right, left.line)
        return left

    def _unary(self) -> Expr:
        if self.at_op("!") or self.at_op("-"):
            token = self.advance()
            return UnaryOp(token.text, self._unary(), token.line)
        return self._postfix(self._primary())

    def _postfix(self, expr: Expr) -> Expr:
        steps: list[str | Expr] = []
        while True:
            if self.at_op("."):
                self.advance()
                token = self.advance()
                if token.kind is Kind.OP and token.text == "*":
                    steps.append("*")
                elif token.kind in (Kind.IDENT, Kind.NUMBER):
                    steps.append(token.text)
                else:
                    raise HclSyntaxError(
                        f"expected a name after '.', found {token.text!r}", token.line
                    )
            elif self.at_op("["):
                self.advance()
                self.skip_newlines()
                if self.at_op("*"):
                    self.advance()
                    steps.append("*")
                else:
                    steps.append(self.expression())
                self.skip_newlines()
                self.expect_op("]")
            else:
                break
        if not steps:
            return expr
        if isinstance(expr, Traversal):
            return Traversal(expr.root, expr.steps + tuple(steps), expr.line)
        return IndexOf(expr, tuple(steps), expr.line)

    def _primary(self) -> Expr:
        token = self.tok
        match token.kind:
            case Kind.NUMBER:
                self.advance()
                text = token.text
                number: int | float = float(text) if any(c in text for c in ".eE") else int(text)
                return Literal(number, token.line)
            case Kind.STRING:
                self.advance()
                return parse_template(token.text, token.line, quoted=True)
            case Kind.HEREDOC:
                self.advance()
                return parse_template(token.text, token.line, quoted=False)
            case Kind.IDENT:
                return self._identifier()
            case Kind.OP if token.text == "(":
                self.advance()
                self.skip_newlines()
                inner = self.expression()
                self.skip_newlines()
                self.expect_op(")")
                return inner
            case Kind.OP if token.text == "[":
                return self._tuple()
            case Kind.OP if token.text == "{":
                return self._object()
            case _:
                raise HclSyntaxError(f"expected a value, found {self._describe()}", token.line)

    def _identifier(self) -> Expr:
        token = self.advance()
        name = token.text
        if name == "true" or name == "false":
            return Literal(name == "true", token.line)
        if name == "null":
            return Literal(None, token.line)
        if self.at_op("("):
            return self._call(token)
        return Traversal(name, (), token.line)

    def _call(self, name: Token) -> Expr:
        self.advance()
        args: list[Expr] = []
        expand = False
        while True:
            self.skip_newlines()
            if self.at_op(")"):
                break
            args.append(self.expression())
            self.skip_newlines()
            if self.at_op("..."):
                self.advance()
                expand = True
                self.skip_newlines()
            if self.at_op(","):
                self.advance()
                continue
            self.skip_newlines()
            if not self.at_op(")"):
                raise HclSyntaxError(
                    f"{name.text}(): expected ',' or ')', found {self._describe()}", self.tok.line
                )
        self.advance()
        return Call(name.text, tuple(args), name.line, expand)

    def _tuple(self) -> Expr:
        start = self.advance()
        self.skip_newlines()
        if self.tok.kind is Kind.IDENT and self.tok.text == "for":
            return self._for(start, closing="]")
        items: list[Expr] = []
        while True:
            self.skip_newlines()
            if self.at_op("]"):
                break
            items.append(self.expression())
            self.skip_newlines()
            if self.at_op(","):
                self.advance()
            elif not self.at_op("]"):
                raise HclSyntaxError(
                    f"expected ',' or ']', found {self._describe()}", self.tok.line
                )
        self.advance()
        return TupleExpr(tuple(items), start.line)

    def _object(self) -> Expr:
        start = self.advance()
        self.skip_newlines()
        if self.tok.kind is Kind.IDENT and self.tok.text == "for":
            return self._for(start, closing="}")
        items: list[tuple[Expr, Expr]] = []
        while True:
            self.skip_newlines()
            if self.at_op("}"):
                break
            key = self._object_key()
            if not (self.at_op("=") or self.at_op(":")):
                raise HclSyntaxError(
                    f"expected '=' or ':', found {self._describe()}", self.tok.line
                )
            self.advance()
            self.skip_newlines()
            items.append((key, self.expression()))
            if self.at_op(","):
                self.advance()
            elif not (self.tok.kind is Kind.NEWLINE or self.at_op("}")):
                raise HclSyntaxError(
                    f"expected ',' or a new line, found {self._describe()}", self.tok.line
                )
        self.advance()
        return ObjectExpr(tuple(items), start.line)

    def _object_key(self) -> Expr:
        token = self.tok
        nxt = self.tokens[self.pos + 1]
        # A bare name before = or : is a literal key, not a variable (spec: "Collection Values").
        if token.kind is Kind.IDENT and nxt.kind is Kind.OP and nxt.text in {"=", ":"}:
            self.advance()
            return Literal(token.text, token.line)
        return self.expression()

    def _for(self, start: Token, closing: str) -> Expr:
        self.advance()  # "for"
        first = self.advance()
        key_var: str | None = None
        value_var = first.text
        if self.at_op(","):
            self.advance()
            key_var, value_var = first.text, self.advance().text
        token = self.advance()
        if token.text != "in":
            raise HclSyntaxError("expected 'in' in a for expression", token.line)
        collection = self.expression()
        self.skip_newlines()
        self.expect_op(":")
        self.skip_newlines()
        key_expr: Expr | None = None
        value_expr = self.expression()
        if closing == "}":
            self.skip_newlines()
            self.expect_op("=>")
            self.skip_newlines()
            key_expr, value_expr = value_expr, self.expression()
            if self.at_op("..."):
                self.advance()
        self.skip_newlines()
        condition: Expr | None = None
        if self.tok.kind is Kind.IDENT and self.tok.text == "if":
            self.advance()
            condition = self.expression()
            self.skip_newlines()
        self.expect_op(closing)
        return ForExpr(
            key_var,
            value_var,
            collection,
            key_expr,
            value_expr,
            condition,
            closing == "}",
            start.line,
        )


def parse_template(raw: str, line: int, *, quoted: bool) -> Expr:
    """A string or heredoc body as a literal or a :class:`Template` of text and expressions."""
    parts: list[str | Expr] = []
    buf: list[str] = []
    pos, size, cur_line = 0, len(raw), line
    directive = False
    while pos < size:
        ch = raw[pos]
        if quoted and ch == "\\" and pos + 1 < size:
            pos = _escape(raw, pos, buf)
            continue
        if ch in "$%" and raw.startswith(ch + "{", pos + 1):
            buf.append(ch + "{")  # $${ and %%{ escape a literal sequence
            pos += 3
            continue
        if ch in "$%" and raw.startswith("{", pos + 1):
            end = scan_interpolation_end(raw, pos + 2, cur_line)
            inner = raw[pos + 2 : end].strip().strip("~").strip()
            if buf:
                parts.append("".join(buf))
                buf = []
            if ch == "%":
                directive = True  # %{if}/%{for}: the result is not known statically
            else:
                inner_parser = _Parser(tokenize(inner, cur_line))
                inner_parser.skip_newlines()
                parts.append(inner_parser.expression())
            cur_line += raw.count("\n", pos, end)
            pos = end + 1
            continue
        if ch == "\n":
            cur_line += 1
        buf.append(ch)
        pos += 1
    if buf:
        parts.append("".join(buf))
    if not directive and all(isinstance(p, str) for p in parts):
        return Literal("".join(p for p in parts if isinstance(p, str)), line)
    return Template(tuple(parts), line, directive)


def _escape(raw: str, pos: int, buf: list[str]) -> int:
    nxt = raw[pos + 1]
    if nxt in _ESCAPES:
        buf.append(_ESCAPES[nxt])
        return pos + 2
    if nxt == "u" and pos + 6 <= len(raw):
        try:
            buf.append(chr(int(raw[pos + 2 : pos + 6], 16)))
        except ValueError:
            buf.append(raw[pos : pos + 2])
            return pos + 2
        return pos + 6
    buf.append(raw[pos : pos + 2])
    return pos + 2
