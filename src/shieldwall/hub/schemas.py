"""Schemas shared by every slice: the page envelope."""

from __future__ import annotations

from typing import Generic, TypeVar

from pydantic import BaseModel

T = TypeVar("T")


class PagePublic(BaseModel, Generic[T]):
    """A page of a list endpoint."""

    items: list[T]
    total: int
    page: int
    page_size: int
