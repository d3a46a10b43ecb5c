"""One multi-pattern pass over a chunk for every rule's keywords (Aho-Corasick).

The automaton maps each lower-case keyword to the rules that listed it; a scan of the lower-cased
chunk yields, per rule, the positions where its exact pattern is worth running. Text is handled
as Latin-1 so that one character is one byte and offsets are byte offsets.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence

import ahocorasick  # type: ignore[import-not-found]  # ships no stubs


class Prefilter:
    """An Aho-Corasick automaton over the keywords of a set of rules (by index)."""

    def __init__(self, keywords: Sequence[Sequence[str]]) -> None:
        """``keywords[i]`` are the lower-case keywords of rule ``i``."""
        owners: dict[str, list[int]] = defaultdict(list)
        for index, words in enumerate(keywords):
            for word in words:
                if index not in owners[word]:
                    owners[word].append(index)
        self._automaton = ahocorasick.Automaton()
        for word, indices in owners.items():
            self._automaton.add_word(word, (len(word), tuple(indices)))
        self._empty = not owners
        if not self._empty:
            self._automaton.make_automaton()

    def hits(self, lowered: str) -> dict[int, list[tuple[int, int]]]:
        """Rule index -> (start, end) of each keyword occurrence in ``lowered``."""
        found: dict[int, list[tuple[int, int]]] = defaultdict(list)
        if self._empty:
            return found
        for end, (length, indices) in self._automaton.iter(lowered):
            span = (end + 1 - length, end + 1)
            for index in indices:
                found[index].append(span)
        return found
