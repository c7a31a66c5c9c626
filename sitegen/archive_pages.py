"""Archive pages the big generators lack: every correction, and "on this day"."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass
from functools import partial
from itertools import groupby
from typing import Any

from sitegen.content import Site
from sitegen.models import Article, Correction, as_datetime, iso
from sitegen.route import Route, RouteMemo, site_page
from sitegen.views import article_summary, date_text, modified_iso, time_view


@dataclass(frozen=True)
class Corrected:
    """One correction with its article; `number` is its place on the article page (1-based)."""

    article: Article
    number: int
    correction: Correction

    @property
    def anchor(self) -> str:
        return f"{self.article.url}#correction-{self.number}"


def article_corrections(article: Article) -> list[Correction]:
    """An article's corrections in the order its page lists them: oldest first."""
    return sorted(article.corrections, key=lambda c: iso(c.date))


def all_corrections(site: Site) -> list[Corrected]:
    """Every correction of the site, newest first; ties by article URL, then page order."""
    found = [Corrected(a, n, c) for a in site.articles if a.corrections
             for n, c in enumerate(article_corrections(a), start=1)]
    return sorted(found, key=lambda k: (-as_datetime(k.correction.date).timestamp(),
                                        k.article.url, k.number))


def routes(site: Site, memo: RouteMemo) -> list[Route]:
    return [corrections_page(site), *on_this_day(site, memo)]


def corrections_page(site: Site) -> Route:
    corrections = all_corrections(site)
    items = [{"anchor": k.anchor, "text": k.correction.text,
              "date": time_view(k.correction.date, k.article.lang),
              "article": article_summary(k.article)} for k in corrections]
    feed = "/corrections/feed.xml" if corrections else None  # see feeds.routes
    context = {"page": site_page(site, "Corrections", "/corrections/", "corrections",
                                 feed=feed), "items": items}
    return Route("/corrections/", "corrections.html", context)


def on_this_day(site: Site, memo: RouteMemo) -> list[Route]:
    """`/on-this-day/MM-DD/` for each day that has stories, by year, and an index of days."""
    days: dict[tuple[int, int], list[Article]] = defaultdict(list)
    for article in site.articles:
        days[article.date.month, article.date.day].append(article)
    out: list[Route] = []
    for (month, day), articles in sorted(days.items()):
        key = f"{month:02d}-{day:02d}"
        out += memo.routes(f"on this day {key}", articles,
                           partial(_day_route, site, key, articles))
    out += memo.routes("on this day", out, partial(_day_index, site, out))
    return out


def _day_route(site: Site, key: str, articles: list[Article]) -> list[Route]:
    # Newest year first; within a year the newest story first, as on the home page.
    articles = sorted(articles, key=lambda a: (-a.date.year, _newest_first(a)))
    label = date_text(articles[0].date, site.config.language, "MMMM d")
    url = f"/on-this-day/{key}/"
    data = partial(_day_data, site, url, label, articles)
    return [Route(url, "on_this_day.html", data, lastmod=modified_iso(articles),
                  key=(label, tuple(a.listing_fields for a in articles)))]


def _day_index(site: Site, days: list[Route]) -> list[Route]:
    """`/on-this-day/`: the days by month, from each day page's key (label and stories)."""
    lang = site.config.language
    index = []
    for route in days:
        label, fields = route.key
        key = route.url.split("/")[2]
        month = date_text(dt.date(2000, int(key[:2]), 1), lang, "MMMM")
        index.append({"key": key, "label": label, "url": route.url, "count": len(fields),
                      "month": month})
    months = [{"label": month, "days": list(group)}
              for month, group in groupby(index, key=lambda d: str(d["month"]))]
    return [Route("/on-this-day/", "on_this_day_index.html", {
        "page": site_page(site, "On this day", "/on-this-day/", "on-this-day"),
        "months": months})]


def _day_data(site: Site, url: str, label: str, articles: list[Article]) -> dict[str, Any]:
    years = [{"year": year, "items": [article_summary(a) for a in group]}
             for year, group in groupby(articles, key=lambda a: a.date.year)]
    return {"page": site_page(site, f"On this day: {label}", url, "on-this-day"),
            "label": label, "years": years}


def _newest_first(article: Article) -> tuple[float, str]:
    return (-article.published.timestamp(), article.url)
