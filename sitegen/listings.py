"""Listing pages: topics, authors, sections, places and the date archive."""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from functools import partial
from itertools import groupby
from typing import Any

from sitegen.content import Site
from sitegen.crosslink import Links
from sitegen.markdown import to_html
from sitegen.models import Article
from sitegen.pagination import Page, paginate
from sitegen.route import Route, RouteMemo, site_page
from sitegen.views import article_summary, date_text, modified_iso, month_key


def routes(site: Site, links: Links, memo: RouteMemo) -> list[Route]:
    """Each part comes from `memo` when made from the same articles (see RouteMemo)."""
    out = [*memo.routes("topics", tuple(links.by_topic.values()),
                        partial(topic_index, site, links))]
    for slug, articles in links.by_topic.items():
        out += memo.routes(f"timeline {slug}", articles, partial(timeline, site, slug, articles))
    out += term_pages(site, "authors", "Authors", links.by_author, links.author_names, memo)
    out += term_pages(site, "sections", "Sections", links.by_section, links.section_names, memo)
    out += term_pages(site, "places", "Places", links.by_place, links.place_names, memo)
    out += memo.routes("archive", tuple(links.by_month.values()),
                       partial(archive_index, site, links))
    for key, articles in links.by_month.items():
        out += memo.routes(f"month {key}", articles, partial(month_pages, site, key, articles))
    return out


def listing_routes(site: Site, base_url: str, newest_first: Sequence[Article], heading: str,
                   kind: str, *, feed: str | None = None, lastmod: str | None = None,
                   intro_html: str = "") -> Iterator[Route]:
    """A paginated list of articles, newest first: home, author, section, month.
    Each page's data are made when it is rendered, by a render worker."""
    for page in paginate(base_url, newest_first, site.config.page_size):
        data = partial(_listing_data, site, page, heading, kind, feed, intro_html)
        key = (_fields(page.items), page.number, page.count, heading, kind, feed, intro_html)
        yield Route(page.url, "list.html", data,
                    lastmod=lastmod or modified_iso(list(page.items)), key=key)


def _fields(articles: Sequence[Article]) -> tuple[tuple[object, ...], ...]:
    """What a listing shows of its articles: the key of its page (see Route.key)."""
    return tuple(a.listing_fields for a in articles)


def _listing_data(site: Site, page: Page, heading: str, kind: str, feed: str | None,
                  intro_html: str) -> dict[str, Any]:
    title = heading if page.number == 1 else f"{heading} (page {page.number})"
    return {
        "page": site_page(site, title, page.url, kind, feed=feed),
        "heading": heading,
        "intro_html": intro_html if page.number == 1 else "",
        "items": [article_summary(a) for a in page.items],
        "pager": page.view(),
    }


def topic_index(site: Site, links: Links) -> Iterator[Route]:
    """`/topics/`: most recently active first, then an A-Z index."""
    entries: list[dict[str, Any]] = []
    for slug, articles in links.by_topic.items():
        first, last = articles[0], articles[-1]
        entries.append({
            "title": site.topics[slug].title, "url": f"/topics/{slug}/", "count": len(articles),
            "first": date_text(first.date, site.config.language, "MMM y"),
            "last": date_text(last.date, site.config.language, "MMM y"),
            "sort": last.published.timestamp(),
        })
    # Most recent activity first; topics last active together stay in A-Z order.
    recent = sorted(entries, key=lambda e: (-e["sort"], str(e["title"]).casefold(), e["url"]))
    alphabetical = sorted(entries, key=lambda e: (str(e["title"]).casefold(), e["url"]))
    letters = [{"letter": letter, "topics": list(group)} for letter, group in
               groupby(alphabetical, key=lambda e: str(e["title"])[:1].upper())]
    context = {"page": site_page(site, "Topics", "/topics/", "topics"),
               "recent": recent, "letters": letters}
    yield Route("/topics/", "topics.html", context, lastmod=modified_iso(list(site.articles)))


def timeline(site: Site, slug: str, articles: Sequence[Article]) -> Iterator[Route]:
    """A topic's story, oldest first and grouped by month, 50 to a page."""
    pages = list(paginate(f"/topics/{slug}/", articles, site.config.timeline_page_size))
    for page in pages:
        data = partial(_timeline_data, site, slug, page, pages[-1].url, articles)
        key = (_fields(page.items), page.number, page.count, len(articles),
               articles[-1].listing_fields, pages[-1].url)
        yield Route(page.url, "topic.html", data, lastmod=modified_iso(list(page.items)),
                    key=key)


def _timeline_data(site: Site, slug: str, page: Page, last_page_url: str,
                   articles: Sequence[Article]) -> dict[str, Any]:
    topic = site.topics[slug]
    base = f"/topics/{slug}/"
    title = topic.title if page.number == 1 else f"{topic.title} (page {page.number})"
    return {
        "page": site_page(site, title, page.url, "topic", feed=f"{base}feed.xml"),
        "topic": {"title": topic.title, "url": base, "count": len(articles),
                  "body_html": to_html(topic.body) if page.number == 1 else ""},
        "months": _months(page.items, articles[-1], site.config.language),
        "latest": {"url": last_page_url + "#latest", "title": articles[-1].title},
        "pager": page.view(),
    }


def _months(articles: Sequence[Article], newest: Article, lang: str) -> list[dict[str, Any]]:
    months = []
    for key, group in groupby(articles, key=month_key):
        items = list(group)
        entries = [{**article_summary(a), "latest": a is newest} for a in items]
        months.append({"key": key, "label": date_text(items[0].date, lang, "MMMM y"),
                       "items": entries})
    return months


def term_pages(site: Site, prefix: str, heading: str, index: Mapping[str, Sequence[Article]],
               names: Mapping[str, str], memo: RouteMemo) -> list[Route]:
    """`/authors/`, `/authors/<slug>/` and feeds; the same for sections."""
    out = [*memo.routes(prefix, (*index.values(), *names.values()),
                        partial(_term_index, site, prefix, heading, index, names))]
    for slug, articles in index.items():
        base = f"/{prefix}/{slug}/"
        out += memo.routes(base, (*articles, names[slug]), partial(
            listing_routes, site, base, articles[::-1], names[slug], prefix.rstrip("s"),
            feed=f"{base}feed.xml"))
    return out


def _term_index(site: Site, prefix: str, heading: str, index: Mapping[str, Sequence[Article]],
                names: Mapping[str, str]) -> list[Route]:
    terms = [{"name": names[slug], "url": f"/{prefix}/{slug}/", "count": len(articles)}
             for slug, articles in index.items()]
    terms.sort(key=lambda t: (str(t["name"]).casefold(), t["url"]))
    context = {"page": site_page(site, heading, f"/{prefix}/", prefix), "heading": heading,
               "terms": terms}
    return [Route(f"/{prefix}/", "terms.html", context)]


def archive_index(site: Site, links: Links) -> Iterator[Route]:
    """`/archive/` and `/archive/YYYY/`."""
    lang = site.config.language
    years: dict[str, list[dict[str, Any]]] = {}
    for key, articles in sorted(links.by_month.items(), reverse=True):
        year, month = key.split("-")
        years.setdefault(year, []).append({
            "label": date_text(articles[0].date, lang, "MMMM"), "count": len(articles),
            "url": f"/archive/{year}/{month}/"})
    summary = [{"year": y, "url": f"/archive/{y}/", "months": m,
                "count": sum(int(x["count"]) for x in m)} for y, m in years.items()]
    yield Route("/archive/", "archive.html", {
        "page": site_page(site, "Archive", "/archive/", "archive"), "years": summary})
    for entry in summary:
        year = str(entry["year"])
        yield Route(f"/archive/{year}/", "archive.html", {
            "page": site_page(site, f"Archive: {year}", f"/archive/{year}/", "archive"),
            "years": [entry]})


def month_pages(site: Site, key: str, articles: Sequence[Article]) -> Iterator[Route]:
    """`/archive/YYYY/MM/`, paginated."""
    year, month = key.split("-")
    label = date_text(articles[0].date, site.config.language, "MMMM y")
    yield from listing_routes(site, f"/archive/{year}/{month}/", articles[::-1],
                              f"Archive: {label}", "archive")
