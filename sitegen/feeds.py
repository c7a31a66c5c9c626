"""Atom feeds: the whole site, each topic, author, section and place, and corrections.

Feeds are rendered by a Jinja template (`feed.xml`) rather than a feed
library: the theme can then adjust them like any page, autoescaping covers
every value, and the output is byte-stable without extra work.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from functools import lru_cache, partial
from typing import Any

from sitegen.archive_pages import Corrected, all_corrections
from sitegen.content import Site
from sitegen.crosslink import Links
from sitegen.markdown import to_html
from sitegen.models import Article, iso
from sitegen.opening import shown_description
from sitegen.route import Route, RouteMemo
from sitegen.slugs import slugify


def routes(site: Site, links: Links, memo: RouteMemo) -> list[Route]:
    newest = site.articles[: site.config.feed_size]
    out = [*memo.routes("/feed.xml", newest, partial(
        _one, feed_route, site, "/feed.xml", "/", site.config.title, newest, full=True))]
    out += _term_feeds(site, "topics", links.by_topic, {s: t.title for s, t in
                                                         site.topics.items()}, memo)
    out += _term_feeds(site, "authors", links.by_author, links.author_names, memo)
    out += _term_feeds(site, "sections", links.by_section, links.section_names, memo)
    out += _term_feeds(site, "places", links.by_place, links.place_names, memo)
    corrections = all_corrections(site)
    if corrections:  # an archive with no corrections has no feed of them, nor a link to one
        out.append(corrections_feed(site, corrections))
    return out


def _term_feeds(site: Site, prefix: str, index: Mapping[str, tuple[Article, ...]],
                names: Mapping[str, str], memo: RouteMemo) -> list[Route]:
    out: list[Route] = []
    for slug, articles in index.items():
        base = f"/{prefix}/{slug}/"
        title = f"{site.config.title}: {names[slug]}"
        newest = articles[::-1][: site.config.feed_size]
        out += memo.routes(f"{base}feed.xml", (*newest, names[slug]), partial(
            _one, feed_route, site, f"{base}feed.xml", base, title, newest))
    return out


def _one(make: Callable[..., Route], *args: Any, **kwargs: Any) -> list[Route]:
    return [make(*args, **kwargs)]


def feed_route(site: Site, url: str, alternate: str, title: str,
               newest_first: Sequence[Article], full: bool = False) -> Route:
    """An Atom feed of the newest `feed_size` articles; `full` includes bodies.
    Its data are made when it is rendered, by a render worker (see sitegen.parallel)."""
    newest = tuple(newest_first[: site.config.feed_size])
    data = partial(_feed_data, site, url, alternate, title, newest, full)
    return Route(url, "feed.xml", data, sitemap=False, key=(alternate, title, newest, full))


def _feed_data(site: Site, url: str, alternate: str, title: str, newest: Sequence[Article],
               full: bool) -> dict[str, Any]:
    config = site.config
    entries = [feed_entry(site, a, full) for a in newest]
    updated = max((e["updated"] for e in entries), default="1970-01-01T00:00:00+00:00")
    feed = {"title": title, "id": config.absolute(url), "self": config.absolute(url),
            "alternate": config.absolute(alternate), "updated": updated,
            "lang": config.language}
    return {"feed": feed, "entries": entries}


def corrections_feed(site: Site, corrections: Sequence[Corrected]) -> Route:
    """`/corrections/feed.xml`: the newest corrections, each linking to its place."""
    config = site.config
    entries: list[dict[str, Any]] = [{
        "title": f"Correction: {k.article.title}", "url": config.absolute(k.anchor),
        "published": iso(k.correction.date), "updated": iso(k.correction.date),
        "authors": [], "summary": k.correction.text, "content_html": None,
        "categories": [], "lang": k.article.lang,
    } for k in corrections[: config.feed_size]]
    updated = max(str(e["updated"]) for e in entries)
    url = "/corrections/feed.xml"
    feed = {"title": f"{config.title}: corrections", "id": config.absolute(url),
            "self": config.absolute(url), "alternate": config.absolute("/corrections/"),
            "updated": updated, "lang": config.language}
    return Route(url, "feed.xml", {"feed": feed, "entries": entries}, sitemap=False)


def feed_entry(site: Site, article: Article, full: bool) -> dict[str, Any]:
    config = site.config
    return {
        "title": article.title,
        "url": config.absolute(article.url),
        "published": iso(article.date),
        "updated": iso(article.updated or article.date),
        "authors": [{"name": n, "uri": config.absolute(f"/authors/{slugify(n)}/")}
                    for n in article.byline],
        "summary": shown_description(article),
        "content_html": _body_html(article.body, config.raw_html) if full else None,
        "categories": [site.topics[s].title for s in site.topic_slugs(article)],
        "lang": article.lang,
    }


@lru_cache(maxsize=128)
def _body_html(body: str, raw_html: bool) -> str:
    return to_html(body, raw_html=raw_html)
