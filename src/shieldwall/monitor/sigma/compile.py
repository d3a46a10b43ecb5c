"""Compiling a pySigma condition tree into one Python predicate plus two prefilters.

pySigma has already applied the value modifiers (``contains`` becomes ``*x*``, ``base64offset``
an expansion, ``windash`` the dash variants, ``cidr`` a network...), so each leaf is one typed
value. Every leaf also yields the literals one of which must occur in the event's text for it to
match, and an exact-equality leaf the (field, lower-cased value) keys one of which the event must
have. The engine indexes rules by those keys (a dictionary lookup per field value of the event)
or, failing keys, by those literals (one multi-pattern pass over the event's text), so most rules
are never evaluated for an event.
"""

from __future__ import annotations

import ipaddress
import operator
import re
from collections.abc import Callable
from dataclasses import dataclass

from sigma import conditions as cond
from sigma import types as st

from shieldwall.monitor.sigma.prepared import PreparedEvent, as_text

Predicate = Callable[[PreparedEvent], bool]
# The literals one of which must appear in the event text; None means "no such guarantee".
Literals = frozenset[str] | None
# (field, lower-cased value) pairs one of which the event must have; None: no such guarantee.
Keys = frozenset[tuple[str, str]] | None
# Several such sets, each a guarantee on its own (the children of an ``and``): the engine keeps the
# one whose keys are shared by the fewest rules, the best guess at the rarest in events.
KeyOptions = tuple[frozenset[tuple[str, str]], ...]

_MIN_LITERAL = 3  # shorter literals match almost every event and only slow the prefilter down


class UnsupportedFeatureError(Exception):
    """A rule uses something the matcher cannot evaluate; the message names the feature."""


@dataclass(frozen=True, slots=True)
class Compiled:
    """A predicate and its prefilters."""

    predicate: Predicate
    literals: Literals
    key_options: KeyOptions = ()

    @property
    def keys(self) -> Keys:
        """The alternative with the fewest keys (the engine chooses with more knowledge)."""
        return min(self.key_options, key=len) if self.key_options else None


StringTest = Callable[[str], bool]


def _string_test(value: st.SigmaString, keyword: bool) -> tuple[StringTest, str, str | None]:
    """A test on a lower-cased value (or a cased one), the longest literal part, and the
    lower-cased value when the test is plain equality."""
    if value.contains_placeholder():
        raise UnsupportedFeatureError("placeholder (%name%) values need a placeholder pipeline")
    cased = isinstance(value, st.SigmaCasedString)
    parts = list(value.s)
    # The prefilter searches lower-cased text, so even a cased value's literal is lower-cased.
    longest = max((p.lower() for p in parts if isinstance(p, str)), key=len, default="")
    star = st.SpecialChars.WILDCARD_MULTI
    lead = bool(parts) and parts[0] is star
    trail = bool(parts) and parts[-1] is star
    middle = parts[int(lead) : len(parts) - int(trail)]
    if keyword:  # keywords are free-text search: a substring anywhere in the message
        lead = trail = True
    if not middle or (len(middle) == 1 and isinstance(middle[0], str)):
        first = middle[0] if middle else ""
        text = str(first) if cased else str(first).lower()
        if lead and trail:
            return (lambda v: text in v), longest, None
        if lead:
            return (lambda v: v.endswith(text)), longest, None
        if trail:
            return (lambda v: v.startswith(text)), longest, None
        return (lambda v: v == text), longest, text.lower()
    pattern = "".join(
        re.escape(p) if isinstance(p, str) else (".*" if p is star else ".") for p in middle
    )
    flags = re.DOTALL | (0 if cased else re.IGNORECASE)
    compiled = re.compile(("(?:.*)" if lead else "") + pattern + ("(?:.*)" if trail else ""), flags)
    return (lambda v: compiled.fullmatch(v) is not None), longest, None


def _any_lower(name: str, test: StringTest, cased: bool) -> Predicate:
    if cased:

        def check_cased(ev: PreparedEvent) -> bool:
            values = ev.values(name)
            return values is not None and any(test(as_text(v)) for v in values)

        return check_cased

    def check(ev: PreparedEvent) -> bool:
        values = ev.lower(name)
        return values is not None and any(test(v) for v in values)

    return check


def _number(name: str, number: float) -> Predicate:
    text = as_text(number)

    def check(ev: PreparedEvent) -> bool:
        values = ev.values(name)
        if values is None:
            return False
        for v in values:
            if isinstance(v, int | float) and not isinstance(v, bool):
                if v == number:
                    return True
            elif as_text(v).strip() == text:
                return True
        return False

    return check


def _to_number(value: object) -> float | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        return value
    try:
        return float(as_text(value))
    except ValueError:
        return None


_COMPARE = {
    st.SigmaCompareExpression.CompareOperators.LT: operator.lt,
    st.SigmaCompareExpression.CompareOperators.LTE: operator.le,
    st.SigmaCompareExpression.CompareOperators.GT: operator.gt,
    st.SigmaCompareExpression.CompareOperators.GTE: operator.ge,
    st.SigmaCompareExpression.CompareOperators.NEQ: operator.ne,
}


def _compare(name: str, value: st.SigmaCompareExpression) -> Predicate:
    op = _COMPARE[value.op]
    bound = value.number.number

    def check(ev: PreparedEvent) -> bool:
        values = ev.values(name)
        if values is None:
            return False
        numbers = (_to_number(v) for v in values)
        return any(n is not None and op(n, bound) for n in numbers)

    return check


def _cidr(name: str, value: st.SigmaCIDRExpression) -> Predicate:
    network = value.network

    def check(ev: PreparedEvent) -> bool:
        for v in ev.values(name) or ():
            try:
                if ipaddress.ip_address(as_text(v).strip("[]")) in network:
                    return True
            except ValueError:
                continue
        return False

    return check


def _regex(name: str | None, value: st.SigmaRegularExpression) -> Predicate:
    flags = 0
    for flag in value.flags:
        flags |= value.sigma_to_python_flags[flag]
    pattern = value.regexp
    text = pattern.to_plain() if isinstance(pattern, st.SigmaString) else str(pattern)
    try:
        compiled = re.compile(text, flags)
    except re.error as exc:
        raise UnsupportedFeatureError(f"re: pattern not valid in Python re ({exc})") from exc
    if name is None:
        return lambda ev: compiled.search(ev.event.raw) is not None
    needed = required_literal(text) if not flags else None
    if needed is not None:
        # ``.+:assumed-role/aws:.+`` backtracks over every position of every ARN; a substring
        # test rules almost all of them out first.
        def check_literal(ev: PreparedEvent) -> bool:
            for v in ev.values(name) or ():
                value = as_text(v)
                if needed in value and compiled.search(value):
                    return True
            return False

        return check_literal

    def check(ev: PreparedEvent) -> bool:
        return any(compiled.search(as_text(v)) for v in ev.values(name) or ())

    return check


_REGEX_STRUCTURE = frozenset("([{|\\")
_REGEX_SPECIAL = frozenset(".^$*+?")


def required_literal(pattern: str) -> str | None:
    """The longest run of plain characters every match of ``pattern`` contains, or ``None``.

    Conservative: only patterns without groups, classes, alternation, escapes or counted
    repetition, where a run of plain characters is required as it is (a ``?`` or ``*`` after
    a run makes its last character optional, so that character is dropped).
    """
    if any(c in _REGEX_STRUCTURE for c in pattern):
        return None
    runs: list[str] = []
    current: list[str] = []
    for char in pattern:
        if char in _REGEX_SPECIAL:
            if char in "?*" and current:
                current.pop()
            runs.append("".join(current))
            current = []
        else:
            current.append(char)
    runs.append("".join(current))
    best = max(runs, key=len)
    return best if len(best) >= _MIN_LITERAL else None


def _null(name: str) -> Predicate:
    def check(ev: PreparedEvent) -> bool:
        values = ev.values(name)
        return values is None or all(v is None or v == "" for v in values)

    return check


def _field_ref(name: str, other: str) -> Predicate:
    def check(ev: PreparedEvent) -> bool:
        left, right = ev.lower(name), ev.lower(other)
        return left is not None and right is not None and bool(set(left) & set(right))

    return check


def _literal(text: str) -> Literals:
    return frozenset({text}) if len(text) >= _MIN_LITERAL else None


def compile_value(name: str | None, value: st.SigmaType, rename: Callable[[str], str]) -> Compiled:
    """One leaf: a field (or, with ``name`` None, the raw message) tested against one value."""
    if isinstance(value, st.SigmaExpansion):
        children = [compile_value(name, v, rename) for v in value.values]
        return any_of(children)
    if isinstance(value, st.SigmaString):
        test, longest, exact = _string_test(value, keyword=name is None)
        if name is None:
            return Compiled(lambda ev: test(ev.raw_lower), _literal(longest))
        cased = isinstance(value, st.SigmaCasedString)
        # A cased value equal to the field's value is equal lower-cased too: the key still holds.
        options = (frozenset({(name, exact)}),) if exact is not None else ()
        return Compiled(_any_lower(name, test, cased), _literal(longest), options)
    if name is None:
        if isinstance(value, st.SigmaRegularExpression):
            return Compiled(_regex(None, value), None)
        if isinstance(value, st.SigmaNumber):  # a keyword written as a bare number: its digits
            digits = as_text(value.number)
            return Compiled(lambda ev: digits in ev.raw_lower, _literal(digits))
        raise UnsupportedFeatureError(f"keyword of type {type(value).__name__}")
    match value:
        case st.SigmaNumber():
            return Compiled(_number(name, value.number), _literal(as_text(value.number)))
        case st.SigmaRegularExpression():
            return Compiled(_regex(name, value), None)
        case st.SigmaCIDRExpression():
            return Compiled(_cidr(name, value), None)
        case st.SigmaCompareExpression():
            return Compiled(_compare(name, value), None)
        case st.SigmaNull():
            return Compiled(_null(name), None)
        case st.SigmaExists():
            want = value.exists
            return Compiled(lambda ev: (ev.values(name) is not None) is want, None)
        case st.SigmaBool():
            text = as_text(value.boolean)
            return Compiled(lambda ev: text in (ev.lower(name) or ()), None)
        case st.SigmaFieldReference():
            if value.starts_with or value.ends_with:
                raise UnsupportedFeatureError("fieldref with startswith/endswith")
            return Compiled(_field_ref(name, rename(value.field)), None)
        case _:
            raise UnsupportedFeatureError(f"value type {type(value).__name__}")


def any_of(children: list[Compiled]) -> Compiled:
    """The disjunction of compiled children: its literals are the union of theirs."""
    predicates = tuple(c.predicate for c in children)
    literals: Literals = frozenset()
    keys: Keys = frozenset()
    for child in children:
        literals = None if literals is None or child.literals is None else literals | child.literals
        keys = None if keys is None or child.keys is None else keys | child.keys
    options = (keys,) if keys else ()
    if len(predicates) == 1:
        return Compiled(predicates[0], literals, children[0].key_options)
    return Compiled(_either(predicates), literals, options)


# Two or three operands joined by ``or``/``and`` directly: any()/all() over a generator built a
# generator per evaluation, most of the cost of a rule whose leaves are cheap.
def _either(predicates: tuple[Predicate, ...]) -> Predicate:
    if len(predicates) == 2:
        first, second = predicates
        return lambda ev: first(ev) or second(ev)
    if len(predicates) == 3:
        first, second, third = predicates
        return lambda ev: first(ev) or second(ev) or third(ev)
    return lambda ev: any(p(ev) for p in predicates)


def _both(predicates: tuple[Predicate, ...]) -> Predicate:
    if len(predicates) == 2:
        first, second = predicates
        return lambda ev: first(ev) and second(ev)
    if len(predicates) == 3:
        first, second, third = predicates
        return lambda ev: first(ev) and second(ev) and third(ev)
    return lambda ev: all(p(ev) for p in predicates)


def _and(children: list[Compiled]) -> Compiled:
    # Cheapest-to-fail first would need statistics; literal-bearing leaves are usually selective.
    ordered = sorted(children, key=lambda c: c.literals is None)
    predicates = tuple(c.predicate for c in ordered)
    known = [c.literals for c in children if c.literals is not None]
    # Any one child's requirement holds for the conjunction; the fewest, longest literals win.
    literals = min(known, key=lambda s: (len(s), -min(map(len, s)))) if known else None
    # Every child's key sets are guarantees for the conjunction: keep them all for the engine.
    options = tuple(option for c in children for option in c.key_options)
    if len(predicates) == 1:
        return Compiled(predicates[0], literals, options)
    return Compiled(_both(predicates), literals, options)


def compile_condition(node: object, rename: Callable[[str], str]) -> Compiled:
    """The predicate of a parsed Sigma condition tree."""
    match node:
        case cond.ConditionAND():
            return _and([compile_condition(a, rename) for a in node.args])
        case cond.ConditionOR():
            return any_of([compile_condition(a, rename) for a in node.args])
        case cond.ConditionNOT():
            inner = compile_condition(node.args[0], rename).predicate
            return Compiled(lambda ev: not inner(ev), None)
        case cond.ConditionFieldEqualsValueExpression():
            return compile_value(rename(node.field), node.value, rename)
        case cond.ConditionValueExpression():
            return compile_value(None, node.value, rename)
        case _:
            raise UnsupportedFeatureError(f"condition node {type(node).__name__}")
