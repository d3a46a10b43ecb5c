"""The detection engine over one chunk of text: prefilter, windows, exact patterns, checks.

Provider rules run their pattern only in windows around their keyword hits; the generic rules
run on the lines around theirs. Overlaps are resolved so that one value is reported once, by the
most specific rule.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from shieldwall.analyzers.secrets import generic
from shieldwall.analyzers.secrets.checks import CHECKS
from shieldwall.analyzers.secrets.filters import is_placeholder, shannon_entropy
from shieldwall.analyzers.secrets.prefilter import Prefilter
from shieldwall.analyzers.secrets.ruleset import SecretRule
from shieldwall.core.rule import Rule

# How far before a keyword a provider pattern may start ("aws_secret_access_key = ..." where
# the keyword is "aws"; "{L}" boundaries before a prefix).
LOOKBEHIND = 200
# Lines longer than this are treated as minified for generic detection (windows are capped).
MAX_LINE_WINDOW = 2000


@dataclass(frozen=True, slots=True)
class Candidate:
    """A detected secret in a chunk: the rule, the value and its span (chunk offsets)."""

    rule: Rule
    secret: str
    start: int
    end: int
    match_start: int
    match_end: int
    provider: bool
    name: str = ""


class Detector:
    """Compiled provider rules, the two generic rules, and one prefilter over all keywords."""

    def __init__(
        self,
        rules: Sequence[SecretRule],
        generic_rules: tuple[Rule, Rule] | None,
        settings: generic.GenericSettings,
    ) -> None:
        """``generic_rules`` is (secret rule, password rule), or ``None`` to disable them."""
        self.rules = tuple(rules)
        self.generic_rules = generic_rules
        self.settings = settings
        keywords = [r.keywords for r in self.rules]
        if generic_rules is not None:
            keywords.append(generic.KEYWORDS)
        self.prefilter = Prefilter(keywords)

    def scan(self, text: str, *, config_file: bool, minified: bool) -> list[Candidate]:
        """Every secret in ``text`` (Latin-1 decoded bytes), overlaps resolved."""
        hits = self.prefilter.hits(text.lower())
        provider: list[Candidate] = []
        generic_found: list[Candidate] = []
        for index, spans in hits.items():
            if index == len(self.rules):
                if not minified:
                    generic_found += self._generic(text, spans, config_file=config_file)
            else:
                provider += self._provider(self.rules[index], text, spans)
        return resolve(provider, generic_found)

    def _provider(
        self, rule: SecretRule, text: str, spans: list[tuple[int, int]]
    ) -> Iterable[Candidate]:
        windows = _merge(
            (max(0, s - LOOKBEHIND), min(len(text), e + rule.window)) for s, e in spans
        )
        check = CHECKS[rule.check] if rule.check else None
        for start, end in windows:
            for match in rule.pattern.finditer(text, start, end):
                group = next(
                    (g for g, v in match.groupdict().items() if g.startswith("secret") and v),
                    None,
                )
                if group is None:
                    continue
                secret = _trim(match.group(group))
                if is_placeholder(secret):
                    continue
                if rule.min_entropy and shannon_entropy(secret) < rule.min_entropy:
                    continue
                if check is not None and not check(secret):
                    continue
                yield Candidate(
                    rule=rule.rule,
                    secret=secret,
                    start=match.start(group),
                    end=match.start(group) + len(secret),
                    match_start=match.start(),
                    match_end=match.end(),
                    provider=True,
                )

    def _generic(
        self, text: str, spans: list[tuple[int, int]], *, config_file: bool
    ) -> Iterable[Candidate]:
        assert self.generic_rules is not None  # noqa: S101 - only called when enabled
        secret_rule, password_rule = self.generic_rules
        for start, end in _merge(_line_window(text, s, e) for s, e in spans):
            for found in generic.find(
                text, start, end, config_file=config_file, settings=self.settings
            ):
                rule = password_rule if found.kind is generic.SecretKind.PASSWORD else secret_rule
                yield Candidate(
                    rule=rule,
                    secret=found.value,
                    start=found.start,
                    end=found.end,
                    match_start=found.start,
                    match_end=found.end,
                    provider=False,
                    name=found.name,
                )


def resolve(provider: list[Candidate], generic_found: list[Candidate]) -> list[Candidate]:
    """One finding per value: the widest provider match wins; generic yields to any provider."""
    provider.sort(key=lambda c: (c.start, -(c.end - c.start), -(c.match_end - c.match_start)))
    kept: list[Candidate] = []
    for cand in provider:
        if any(k.start <= cand.start and cand.end <= k.end for k in kept[-8:]):
            continue
        kept.append(cand)
    taken = [(k.start, k.end) for k in kept]
    for cand in sorted(generic_found, key=lambda c: c.start):
        if not any(s < cand.end and cand.start < e for s, e in taken):
            kept.append(cand)
            taken.append((cand.start, cand.end))
    kept.sort(key=lambda c: (c.start, c.rule.id))
    return kept


def _merge(windows: Iterable[tuple[int, int]]) -> list[tuple[int, int]]:
    merged: list[tuple[int, int]] = []
    for start, end in sorted(windows):
        if merged and start <= merged[-1][1]:
            if end > merged[-1][1]:
                merged[-1] = (merged[-1][0], end)
        else:
            merged.append((start, end))
    return merged


def _line_window(text: str, start: int, end: int) -> tuple[int, int]:
    line_start = text.rfind("\n", max(0, start - MAX_LINE_WINDOW), start) + 1
    if line_start == 0 and start > MAX_LINE_WINDOW:
        line_start = start - MAX_LINE_WINDOW
    line_end = text.find("\n", end, end + MAX_LINE_WINDOW)
    if line_end == -1:
        line_end = min(len(text), end + MAX_LINE_WINDOW)
    return line_start, line_end


def _trim(secret: str) -> str:
    """A multi-line value without the line breaks (real or escaped) that end its block."""
    trimmed = secret.rstrip()
    while trimmed.endswith(("\\n", "\\r")):
        trimmed = trimmed[:-2].rstrip()
    return trimmed
