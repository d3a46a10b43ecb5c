from collections.abc import Callable
from typing import Any, TypeVar

D = TypeVar("D", bound=dict[str, Any])

def flatten(
    record: dict[str, Any], dumps: Callable[[Any], str], factory: type[D], /
) -> D | None: ...
def merge_missing(fields: dict[str, Any], extra: dict[str, Any], /) -> None: ...
