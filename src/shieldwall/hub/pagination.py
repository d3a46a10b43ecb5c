"""Pages of list results: ``{"items": [...], "total": N, "page": P, "page_size": S}``."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Generic, TypeVar

from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session

T = TypeVar("T")
MAX_PAGE_SIZE = 500


@dataclass(frozen=True, slots=True)
class Page(Generic[T]):
    """One page of results and the total count."""

    items: Sequence[T]
    total: int
    page: int
    page_size: int


def paginate(
    session: Session, query: Select[T], page: int, page_size: int, total: int | None = None
) -> Page[T]:
    """Run ``query`` for one page (1-based) and count all matching rows (unless ``total``)."""
    page = max(page, 1)
    page_size = min(max(page_size, 1), MAX_PAGE_SIZE)
    if total is None:
        total = (
            session.scalar(select(func.count()).select_from(query.order_by(None).subquery())) or 0
        )
    items = session.scalars(query.limit(page_size).offset((page - 1) * page_size)).all()
    return Page(items=items, total=total, page=page, page_size=page_size)
