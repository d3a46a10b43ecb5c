"""One multi-pattern pass that says which rules' required literals occur in an event's text.

Hyperscan when its wheel is installed (x86-64), else pyahocorasick. Hyperscan runs with
``HS_FLAG_SINGLEMATCH``, so a literal that occurs a hundred times (``amazonaws.com`` in a
CloudTrail record) costs one callback; Aho-Corasick reports every occurrence.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

import ahocorasick  # type: ignore[import-not-found, unused-ignore]  # ships no stubs

hyperscan: Any
try:  # optional: only some platforms have wheels
    import hyperscan  # type: ignore[import-not-found, unused-ignore]
except ImportError:  # pragma: no cover - exercised where the wheel is missing
    hyperscan = None


class LiteralIndex:
    """Literal -> owning rule indexes, searched all at once."""

    def __init__(self, owners: Mapping[str, tuple[int, ...]], *, engine: str | None = None) -> None:
        """``owners`` maps each lower-case literal to the rules that require it."""
        self._owners = list(owners.values())
        words = list(owners)
        self.engine = engine or ("hyperscan" if hyperscan is not None else "ahocorasick")
        self._db: Any = None
        self._automaton: Any = None
        if not words:
            return
        if self.engine == "hyperscan":
            self._db = hyperscan.Database()
            self._db.compile(
                expressions=[re.escape(w).encode("utf-8") for w in words],
                ids=list(range(len(words))),
                elements=len(words),
                flags=[hyperscan.HS_FLAG_SINGLEMATCH] * len(words),
            )
        else:
            self._automaton = ahocorasick.Automaton()
            for index, word in enumerate(words):
                self._automaton.add_word(word, index)
            self._automaton.make_automaton()

    def __bool__(self) -> bool:
        return bool(self._owners)

    def rules_in(self, text: str) -> set[int]:
        """The indexes of the rules one of whose literals occurs in ``text`` (lower-cased)."""
        owners = self._owners
        hits: list[int] = []
        if self._db is not None:
            # The callback only records the literal: Python work per match is the cost here.
            self._db.scan(
                text.encode("utf-8", errors="surrogatepass"),
                match_event_handler=lambda index, *_: hits.append(index),
            )
        elif self._automaton is not None:
            hits.extend(index for _end, index in self._automaton.iter(text))
        found: set[int] = set()
        for index in hits:
            found.update(owners[index])
        return found
