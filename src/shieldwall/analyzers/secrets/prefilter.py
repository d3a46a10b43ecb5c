"""One multi-pattern pass over a chunk for every rule's keywords.

The engine is Hyperscan when it is installed (x86-64 wheels), else a pure Aho-Corasick automaton
(pyahocorasick). Measured on 72 MB of text from a virtual environment's site-packages with the
311 keywords of the built-in rules: Hyperscan ~435 MB per CPU-second, pyahocorasick ~28 (see
docs/secrets.md). Both report every occurrence of every keyword, case-insensitively, as
(start, end) offsets; text is Latin-1 decoded bytes, so offsets are byte offsets.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Sequence
from typing import Any

import ahocorasick  # type: ignore[import-not-found, unused-ignore]  # ships no stubs

hyperscan: Any
try:  # the fast engine; optional because it only ships wheels for some platforms
    import hyperscan  # type: ignore[import-not-found, unused-ignore]
except ImportError:  # pragma: no cover - exercised where the wheel is missing
    hyperscan = None


class Prefilter:
    """All keywords of a set of rules (by index), found in one pass."""

    def __init__(self, keywords: Sequence[Sequence[str]], *, engine: str | None = None) -> None:
        """``keywords[i]`` are the lower-case keywords of rule ``i``; ``engine`` forces one."""
        owners: dict[str, list[int]] = defaultdict(list)
        for index, words in enumerate(keywords):
            for word in words:
                if index not in owners[word]:
                    owners[word].append(index)
        self._words = list(owners)
        self._owners = [tuple(owners[w]) for w in self._words]
        self.engine = engine or ("hyperscan" if hyperscan is not None else "ahocorasick")
        self._db: Any = None
        self._automaton: Any = None
        if not self._words:
            return
        if self.engine == "hyperscan":
            self._db = hyperscan.Database()
            self._db.compile(
                expressions=[re.escape(w).encode("latin-1") for w in self._words],
                ids=list(range(len(self._words))),
                elements=len(self._words),
                flags=[hyperscan.HS_FLAG_CASELESS] * len(self._words),
            )
        else:
            self._automaton = ahocorasick.Automaton()
            for index, word in enumerate(self._words):
                self._automaton.add_word(word, index)
            self._automaton.make_automaton()

    def hits(self, text: str) -> dict[int, list[tuple[int, int]]]:
        """Rule index -> (start, end) of each keyword occurrence in ``text`` (Latin-1)."""
        found: dict[int, list[tuple[int, int]]] = defaultdict(list)
        if not self._words:
            return found
        words, owners = self._words, self._owners

        def record(word_index: int, end: int) -> None:
            span = (end - len(words[word_index]), end)
            for rule_index in owners[word_index]:
                found[rule_index].append(span)

        if self._db is not None:

            def on_match(word_index: int, _start: int, end: int, _flags: int, _ctx: object) -> None:
                record(word_index, end)

            self._db.scan(text.encode("latin-1"), match_event_handler=on_match)
        else:
            for end, word_index in self._automaton.iter(text.lower()):
                record(word_index, end + 1)
        return found
