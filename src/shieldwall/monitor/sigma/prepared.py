"""An event prepared once for matching: lower-cased values computed on first use."""

from __future__ import annotations

from shieldwall.monitor.event import Event, FieldValue

_MISSING = object()


def as_text(value: object) -> str:
    """The text form Sigma compares strings against (booleans as ``true``/``false``)."""
    if isinstance(value, bool):
        return "true" if value else "false"
    return "" if value is None else str(value)


class PreparedEvent:
    """Per-event caches shared by every rule evaluated against the event."""

    __slots__ = ("_lower", "_raw_lower", "event", "fields")

    def __init__(self, event: Event) -> None:
        self.event = event
        self.fields = event.fields
        self._raw_lower: str | None = None
        self._lower: dict[str, tuple[str, ...] | None] = {}

    @property
    def raw_lower(self) -> str:
        """The raw line lower-cased, computed when a keyword first needs it (few rules do)."""
        if self._raw_lower is None:
            self._raw_lower = self.event.raw.lower()
        return self._raw_lower

    def lower(self, name: str) -> tuple[str, ...] | None:
        """The lower-cased text values of a field (a list field has several); ``None`` if absent."""
        # get(), not try/except: most lookups are a new event's first, and a raise costs more.
        cached = self._lower.get(name, _MISSING)
        if cached is not _MISSING:
            return cached  # type: ignore[return-value]
        value: FieldValue = self.fields.get(name)
        if type(value) is str:
            result: tuple[str, ...] | None = (value.lower(),)
        elif value is None and name not in self.fields:
            result = None
        elif isinstance(value, tuple):
            result = tuple(as_text(v).lower() for v in value)
        else:
            result = (as_text(value).lower(),)
        self._lower[name] = result
        return result

    def remember(self, name: str, lowered: tuple[str, ...]) -> None:
        """Store what :meth:`lower` would compute for ``name`` (a caller that had the value)."""
        self._lower[name] = lowered

    def values(self, name: str) -> tuple[object, ...] | None:
        """The raw values of a field as a tuple; ``None`` if absent."""
        if name not in self.fields:
            return None
        value = self.fields[name]
        return value if isinstance(value, tuple) else (value,)

    def text(self) -> str:
        """Everything a literal can occur in: the raw line and every value, lower-cased."""
        raw = self.event.raw
        parts = [raw]
        for value in self.fields.values():
            if type(value) is str:
                # Most values are cut from the line itself: a literal in one is in the line.
                # ASCII only, where lower() maps character by character (no final sigma).
                if not (value.isascii() and value in raw):
                    parts.append(value)
            elif isinstance(value, tuple):
                parts.extend(map(as_text, value))
            else:
                parts.append(as_text(value))
        # One lower() over the joined text costs far less than one per value.
        return "\n".join(parts).lower()
