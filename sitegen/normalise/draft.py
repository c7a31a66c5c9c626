"""The importer's result for one source: the fields it found, nothing guessed."""

from __future__ import annotations

from dataclasses import dataclass

from sitegen.models import DateValue, Image, Source


@dataclass(frozen=True)
class Draft:
    """An article as recovered from a raw page, ready to be written as Markdown.

    Every optional field stays empty unless the page printed it: the writer
    leaves empty fields out of the front-matter instead of writing nulls.
    """

    title: str
    date: DateValue
    body: str
    dek: str | None = None
    byline: tuple[str, ...] = ()
    updated: DateValue | None = None
    dateline: str | None = None
    section: str | None = None
    tags: tuple[str, ...] = ()
    images: tuple[Image, ...] = ()
    credits: tuple[str, ...] = ()
    source: Source | None = None
