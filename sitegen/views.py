"""Plain data for templates: articles and links as dicts of strings.

Templates receive only these values, never model objects or builder
functions, so a theme cannot reach back into the build.
"""

from __future__ import annotations

import datetime as dt
from functools import lru_cache
from typing import Any

from babel import Locale, UnknownLocaleError
from babel.dates import format_date

from sitegen.models import Article, DateValue, as_datetime, iso
from sitegen.slugs import slugify

View = dict[str, Any]


@lru_cache(maxsize=64)
def _locale(lang: str) -> Locale:
    try:
        return Locale.parse(lang.replace("-", "_"))
    except (UnknownLocaleError, ValueError):
        return Locale.parse("en")


@lru_cache(maxsize=64)
def text_direction(lang: str) -> str:
    """"rtl" for scripts written right to left (Urdu, Arabic...), else "ltr"."""
    return "rtl" if _locale(lang).character_order == "right-to-left" else "ltr"


@lru_cache(maxsize=65536)
def date_text(value: dt.date, lang: str, pattern: str = "long") -> str:
    """A date written in the article's own language, e.g. "October 28, 2025"."""
    return str(format_date(value, pattern, locale=_locale(lang)))


def time_view(value: DateValue, lang: str) -> View:
    """What a `<time>` element needs: the machine value and the words."""
    day = value.date() if isinstance(value, dt.datetime) else value
    return {"iso": iso(value), "text": date_text(day, lang), "day": day.isoformat()}


def author_link(name: str) -> View:
    return {"name": name, "url": f"/authors/{slugify(name)}/"}


# id(article) -> (the article, its summary): keyed by identity, since hashing a
# frozen article hashes every field, for each of the ~20 listings it is in. The
# article is kept so that its id cannot be reused while the entry stands.
_summaries: dict[int, tuple[Article, View]] = {}


def article_summary(article: Article) -> View:
    """An article as a listing entry: enough for a headline, dek and byline.

    Memoised: an article appears in a dozen listings and related lists, and
    templates only read the dict. `routes.plan` forgets the memo for each site.
    """
    known = _summaries.get(id(article))
    if known is None:
        known = _summaries[id(article)] = (article, _summary(article))
    return known[1]


def forget_summaries() -> None:
    _summaries.clear()


def _summary(article: Article) -> View:
    return {
        "url": article.url,
        "title": article.title,
        "dek": article.dek,
        "dateline": article.dateline,
        "lang": article.lang,
        "dir": text_direction(article.lang),
        "date": time_view(article.date, article.lang),
        "byline": [author_link(name) for name in article.byline],
        "section": section_link(article.section) if article.section else None,
    }


def section_link(name: str) -> View:
    return {"name": name, "url": f"/sections/{slugify(name)}/"}


def month_key(article: Article) -> str:
    return f"{article.date.year:04d}-{article.date.month:02d}"


def modified_iso(articles: list[Article]) -> str | None:
    """The newest change among some articles, for feeds and sitemap lastmod."""
    if not articles:
        return None
    return max(as_datetime(a.updated or a.date) for a in articles).isoformat()
