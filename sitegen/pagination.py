"""Split a listing into pages with stable URLs: `/x/`, `/x/page/2/`, `/x/page/3/`..."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any, TypeVar

T = TypeVar("T")


@dataclass(frozen=True)
class Page:
    number: int  # 1-based
    count: int
    url: str
    items: Sequence[Any]
    base_url: str

    def view(self) -> dict[str, Any]:
        """The pager as template data: links to the previous, next and every page."""
        return {
            "number": self.number,
            "count": self.count,
            "prev": page_url(self.base_url, self.number - 1) if self.number > 1 else None,
            "next": page_url(self.base_url, self.number + 1) if self.number < self.count else None,
            "first": self.base_url,
            "last": page_url(self.base_url, self.count),
        }


def page_url(base_url: str, number: int) -> str:
    return base_url if number == 1 else f"{base_url}page/{number}/"


def paginate(base_url: str, items: Sequence[T], size: int) -> Iterator[Page]:
    """Pages of `size` items; an empty listing still has its first page."""
    count = max(1, -(-len(items) // size))
    for index in range(count):
        chunk = items[index * size : (index + 1) * size]
        yield Page(index + 1, count, page_url(base_url, index + 1), chunk, base_url)
