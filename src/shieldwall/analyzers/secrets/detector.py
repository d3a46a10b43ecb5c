"""The detection engine over one chunk of text: prefilter, windows, exact patterns, checks.

Provider rules run their pattern only in windows around their keyword hits; the generic rules
run on the lines around theirs. Overlaps are resolved so that one value is reported once, by the
most specific rule.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

from shieldwall.analyzers.secrets import generic
from shieldwall.analyzers.secrets.checks import CHECKS
from shieldwall.analyzers.secrets.filters import is_placeholder, shannon_entropy
from shieldwall.analyzers.secrets.prefilter import Prefilter
from shieldwall.analyzers.secrets.ruleset import SecretRule
from shieldwall.core.rule import Rule

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
        hits = self.prefilter.hits(text)
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
        """Anchored attempts only: a match starts within ``lookbehind`` before a keyword hit.

        Trying ``pattern.match`` at those few positions (instead of searching a window) keeps
        the cost per hit constant, whatever the window size.
        """
        check = CHECKS[rule.check] if rule.check else None
        seen: set[tuple[int, int]] = set()
        covered = -1  # starts before this offset were tried (hits are in text order)
        for keyword_start, keyword_end in sorted(spans):
            end = min(len(text), keyword_end + rule.window)
            first = max(0, keyword_start - rule.lookbehind, covered)
            for pos in range(first, keyword_start + 1):
                match = rule.pattern.match(text, pos, end)
                if match is None:
                    continue
                covered = max(covered, match.end())
                if match.span() not in seen:
                    seen.add(match.span())
                    candidate = self._candidate(rule, match, check)
                    if candidate is not None:
                        yield candidate
                break
            covered = max(covered, keyword_start + 1)

    @staticmethod
    def _candidate(
        rule: SecretRule, match: re.Match[str], check: Callable[[str], bool] | None
    ) -> Candidate | None:
        group = next(
            (g for g, v in match.groupdict().items() if g.startswith("secret") and v), None
        )
        if group is None:
            return None
        secret = _trim(match.group(group))
        if is_placeholder(secret):
            return None
        if rule.min_entropy and shannon_entropy(secret) < rule.min_entropy:
            return None
        if check is not None and not check(secret):
            return None
        return Candidate(
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
        by_line: dict[tuple[int, int], list[int]] = {}
        for start, end in spans:
            by_line.setdefault(_line_window(text, start, end), []).append(start)
        for (line_start, line_end), starts in by_line.items():
            for found in generic.find(
                text,
                starts,
                line_start,
                line_end,
                config_file=config_file,
                settings=self.settings,
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
