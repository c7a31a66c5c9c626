"""Plain data for templates: articles and links as dicts of strings.

Templates receive only these values, never model objects or builder
functions, so a theme cannot reach back into the build.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from functools import lru_cache
from typing import TYPE_CHECKING, Any

from sitegen.models import Article, DateValue, as_datetime, iso
from sitegen.slugs import slugify

if TYPE_CHECKING:  # Babel is imported when a text is first asked for (see `Texts`)
    from babel import Locale

View = dict[str, Any]

# Date texts ("YYYY-MM-DD\0lang\0pattern" -> "October 28, 2025") and text directions
# (lang -> "ltr"), memoised in plain dicts rather than with lru_cache so that they can
# be handed on: a full build keeps those of its listing entries (`listing_texts`), and a
# rebuild that renders related lists again (sitegen.relist) learns them back
# (`learn_texts`) rather than importing Babel, whose import alone reads every time zone
# file pytz ships (about 0.03 s of a rebuild that takes 0.3 s).
Texts = tuple[dict[str, str], dict[str, str]]
_date_texts: dict[str, str] = {}
_directions: dict[str, str] = {}


@lru_cache(maxsize=64)
def _locale(lang: str) -> Locale:
    from babel import Locale, UnknownLocaleError

    try:
        return Locale.parse(lang.replace("-", "_"))
    except (UnknownLocaleError, ValueError):
        return Locale.parse("en")


def text_direction(lang: str) -> str:
    """"rtl" for scripts written right to left (Urdu, Arabic...), else "ltr"."""
    direction = _directions.get(lang)
    if direction is None:
        order = _locale(lang).character_order
        direction = _directions[lang] = "rtl" if order == "right-to-left" else "ltr"
    return direction


def date_text(value: dt.date, lang: str, pattern: str = "long") -> str:
    """A date written in the article's own language, e.g. "October 28, 2025"."""
    key = _date_key(value, lang, pattern)
    text = _date_texts.get(key)
    if text is None:
        from babel.dates import format_date

        text = _date_texts[key] = str(format_date(value, pattern, locale=_locale(lang)))
    return text


def _date_key(value: dt.date, lang: str, pattern: str) -> str:
    return f"{value.isoformat()}\0{lang}\0{pattern}"


def listing_texts(articles: Sequence[Article]) -> Texts:
    """The date texts and text directions that the listing entries of these articles
    show (see `article_summary`)."""
    dates = {}
    for article in articles:
        day = _day(article.date)
        dates[_date_key(day, article.lang, "long")] = date_text(day, article.lang)
    return dates, {lang: text_direction(lang) for lang in {a.lang for a in articles}}


def learn_texts(texts: Texts) -> None:
    """Take texts that `listing_texts` gave (in another process) as known."""
    _date_texts.update(texts[0])
    _directions.update(texts[1])


def _day(value: DateValue) -> dt.date:
    return value.date() if isinstance(value, dt.datetime) else value


def time_view(value: DateValue, lang: str) -> View:
    """What a `<time>` element needs: the machine value and the words."""
    day = _day(value)
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
