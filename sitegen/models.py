"""The content model: frozen values that every later stage reads and none mutates."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

# A front-matter date: a calendar date, or a datetime that carries its offset.
DateValue = dt.date | dt.datetime


def as_datetime(value: DateValue) -> dt.datetime:
    """An aware datetime for sorting and feeds; a bare date counts as 00:00 UTC."""
    if isinstance(value, dt.datetime):
        return value
    return dt.datetime(value.year, value.month, value.day, tzinfo=dt.UTC)


def iso(value: DateValue) -> str:
    """RFC 3339 text, as `<time datetime>`, Atom and the sitemap want it."""
    return as_datetime(value).isoformat()


@dataclass(frozen=True)
class Image:
    caption: str | None = None
    credit: str | None = None
    src: str | None = None
    alt: str | None = None


@dataclass(frozen=True)
class Correction:
    date: DateValue
    text: str


@dataclass(frozen=True)
class Source:
    name: str | None = None
    url: str | None = None


@dataclass(frozen=True)
class Article:
    """One article file, validated. `body` is the Markdown after the front-matter."""

    path: Path  # the source file, relative to the site root
    title: str
    date: DateValue
    body: str = ""
    body_line: int = 1  # line number of the body's first line in the file
    dek: str | None = None
    byline: tuple[str, ...] = ()
    updated: DateValue | None = None
    dateline: str | None = None
    section: str | None = None
    tags: tuple[str, ...] = ()
    images: tuple[Image, ...] = ()
    credits: tuple[str, ...] = ()
    source: Source = field(default_factory=Source)
    slug: str = ""
    lang: str = "en"
    draft: bool = False
    aliases: tuple[str, ...] = ()
    corrections: tuple[Correction, ...] = ()

    @cached_property  # read a dozen times per build for each article
    def url(self) -> str:
        """The permalink `/YYYY/MM/<slug>/`, from the date as written."""
        return f"/{self.date.year:04d}/{self.date.month:02d}/{self.slug}/"

    @cached_property
    def listing_fields(self) -> tuple[object, ...]:
        """What other pages show of this article (listing entries, timelines, related and
        story links: see `views.article_summary`). Pages that show it need rendering again
        only when these change, not when the body does. Only text: digests of page keys
        pickle these for every page, and a date would cost a Python call each time; the
        type is kept because a date and a datetime show differently."""
        date = f"{type(self.date).__name__}:{self.date.isoformat()}"
        return (self.url, self.title, self.dek, self.dateline, self.lang, date,
                self.byline, self.section)

    @property
    def published(self) -> dt.datetime:
        return as_datetime(self.date)

    @property
    def modified(self) -> dt.datetime:
        return as_datetime(self.updated) if self.updated else self.published

    @cached_property  # sorted by, and compared, for every article of every build
    def sort_key(self) -> tuple[dt.datetime, str]:
        """Oldest first; the URL breaks ties so that order never depends on the disk."""
        return (self.published, self.url)


@dataclass(frozen=True)
class Topic:
    """A topic file: `content/topics/<slug>.md`, or a tag that has no file."""

    slug: str
    title: str
    aliases: tuple[str, ...] = ()
    body: str = ""
    path: Path | None = None  # None for a tag with no topic file
