"""Plan the site: every page as a Route (URL, template, plain context)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from functools import partial
from typing import Any

from sitegen import archive_pages, feeds, listings
from sitegen.article_page import article_context
from sitegen.bodies import BodiesAhead, render_body
from sitegen.content import Site
from sitegen.crosslink import STORY_TOPICS, Links, neighbours
from sitegen.intext import linker_for
from sitegen.markdown import TokenTransform
from sitegen.models import Article, iso
from sitegen.route import Route, RouteMemo, site_page
from sitegen.views import article_summary, forget_summaries, modified_iso


def plan(site: Site, links: Links, transforms: tuple[TokenTransform, ...] = (),
         memo: RouteMemo | None = None, ahead: BodiesAhead | None = None) -> list[Route]:
    """Every route of the site, in a stable order. The sitemap, made from all the others,
    comes first: it is the longest page to render (0.2 s at 10k), and a render worker
    that took it last would finish it alone.
    `memo` gives the previous plan's routes for parts made from the same objects;
    `ahead` has article bodies rendered already (see sitegen.bodies)."""
    memo = memo if memo is not None else RouteMemo()
    forget_summaries()  # holds the previous site's articles
    routes = article_routes(site, links, transforms, memo, ahead)
    routes += memo.routes("home", site.articles, partial(home_routes, site))
    routes += listings.routes(site, links, memo)
    routes += archive_pages.routes(site, memo)
    routes += _fixed_routes(site)
    routes += feeds.routes(site, links, memo)
    return [sitemap_route(routes), *routes]


def article_routes(site: Site, links: Links, transforms: tuple[TokenTransform, ...] = (),
                   memo: RouteMemo | None = None, ahead: BodiesAhead | None = None
                   ) -> list[Route]:
    """Article pages; in-text topic links come after any `transforms` given (bodies
    rendered `ahead` have none, so they are used only when there are none)."""
    memo = memo if memo is not None else RouteMemo()
    linker = linker_for(site)
    out: list[Route] = []
    related, timelines = links.related.get, links.by_topic.get
    for article in site.articles:
        # What the page reads: the article, its related list, its story timelines.
        inputs = (article, related(article.url), *transforms,
                  *map(timelines, site.topic_slugs(article)[:STORY_TOPICS]))
        make = partial(_one_route, article, site, links, transforms, linker, ahead)
        out += memo.routes(article.url, inputs, make)  # URLs never clash with part names
    return out


def _one_route(*args: Any) -> list[Route]:
    return [article_route(*args)]


def article_route(article: Article, site: Site, links: Links,
                  transforms: tuple[TokenTransform, ...] = (),
                  linker: Callable[[], TokenTransform] | None = None,
                  ahead: BodiesAhead | None = None) -> Route:
    """An article page. Its data (the Markdown body above all) is made only when
    rendered, so that the render workers share that work (see sitegen.parallel)."""
    data = partial(_article_data, article, site, links, transforms, linker, ahead)
    return Route(article.url, "article.html", data, lastmod=iso(article.updated or article.date),
                 key=_article_key(article, site, links))


def _article_key(article: Article, site: Site, links: Links) -> tuple[object, ...]:
    """The article itself, and what its page shows of its story neighbours and related."""
    story = tuple((n.topic, _fields_or_none(n.prev), _fields_or_none(n.next))
                  for n in neighbours(links, article, site.topic_slugs(article)))
    related = tuple(a.listing_fields for a in links.related.get(article.url, ()))
    return (article, story, related)


def _fields_or_none(article: Article | None) -> tuple[object, ...] | None:
    return article.listing_fields if article else None


def _article_data(article: Article, site: Site, links: Links,
                  transforms: tuple[TokenTransform, ...],
                  linker: Callable[[], TokenTransform] | None,
                  ahead: BodiesAhead | None) -> dict[str, Any]:
    body = ahead.html(article) if ahead is not None and not transforms else None
    if body is None:
        body = render_body(article, site.config.raw_html, linker, transforms)
    slugs = site.topic_slugs(article)
    story = [{"topic": {"title": site.topics[n.topic].title, "url": f"/topics/{n.topic}/"},
              "prev": _summary_or_none(n.prev), "next": _summary_or_none(n.next)}
             for n in neighbours(links, article, slugs)]
    related = [article_summary(a) for a in links.related.get(article.url, ())]
    return article_context(article, site, body, {"story": story, "related": related})


def _summary_or_none(article: Article | None) -> dict[str, Any] | None:
    return article_summary(article) if article else None


def home_routes(site: Site) -> Iterator[Route]:
    latest = modified_iso(list(site.articles[: site.config.page_size]))
    yield from listings.listing_routes(
        site, "/", list(site.articles), site.config.title, "home", feed="/feed.xml",
        lastmod=latest)


def _fixed_routes(site: Site) -> list[Route]:
    return [
        Route("/search/", "search.html", {"page": site_page(site, "Search", "/search/",
                                                              "search")}),
        Route("/404.html", "404.html", {"page": site_page(site, "Page not found", "/404.html",
                                                          "404")}, sitemap=False),
        Route("/robots.txt", "robots.txt", {"page": site_page(site, "", "/robots.txt",
                                                              "robots")}, sitemap=False),
    ]


def sitemap_route(routes: list[Route]) -> Route:
    pages = tuple((r.url, r.lastmod) for r in routes if r.sitemap and r.url.endswith("/"))
    return Route("/sitemap.xml", "sitemap.xml", partial(_sitemap_data, pages), sitemap=False,
                 key=pages)


def _sitemap_data(pages: tuple[tuple[str, str | None], ...]) -> dict[str, Any]:
    return {"entries": [{"url": url, "lastmod": lastmod} for url, lastmod in pages]}
