"""Re-render one article whose body alone changed, with exactly the bytes a full build gives.

`sitegen serve` keeps the last good build's `Built` (site, links, routes,
template environment). The commonest save, a change to an article's body
that leaves its front-matter alone, cannot change most of the site:

- listings, topic, author, archive pages and the sitemap show only
  front-matter fields (title, dek, dates, byline, tags);
- related articles read each body's first `related.LEDE_CHARS` characters and
  `article_page.description` (meta tags, feed summaries) the first
  `DESCRIPTION_SOURCE_CHARS`, so an edit after `OPENING` characters changes neither;
- the article's own page shows the body, and so does the site feed
  (`/feed.xml`, full content) when the article is among its entries.

So those one or two routes are rendered again from the updated site and
written over the served files. Any other change returns None and the caller
runs the full build.
"""

from __future__ import annotations

import dataclasses
import os
from collections.abc import Mapping
from pathlib import Path

from sitegen import feeds, frontmatter, related
from sitegen.article_page import DESCRIPTION_SOURCE_CHARS
from sitegen.build import Built
from sitegen.content import parse_article
from sitegen.crosslink import Links
from sitegen.errors import SitegenError
from sitegen.intext import linker_for
from sitegen.models import Article
from sitegen.render import render
from sitegen.routes import article_route

OPENING = max(related.LEDE_CHARS, DESCRIPTION_SOURCE_CHARS)
SITE_FEED = "/feed.xml"


def body_edit(built: Built, path: Path, display: Path) -> tuple[Article, Article] | None:
    """(old, new) when the file at `path` is a shown article whose body alone changed
    after its opening; None when anything else may have changed (a full build decides)."""
    old = next((a for a in built.site.articles if a.path == display), None)
    if old is None:
        return None  # a new file, or a draft the preview does not show
    try:
        data = frontmatter.read_bytes(path, display)
        new = parse_article(data, display, built.site.config.language).article
    except (OSError, SitegenError):
        return None  # deleted or broken: the full build reports it
    if dataclasses.replace(old, body=new.body) != new:
        return None
    if old.body[:OPENING] != new.body[:OPENING]:
        return None
    return old, new


def rerender(built: Built, old: Article, new: Article, output: Path) -> tuple[Built, list[str]]:
    """Put `new` in place of `old`, render the routes that show its body into `output`;
    returns the updated state and the URLs rendered."""
    articles = tuple(new if a is old else a for a in built.site.articles)
    site = dataclasses.replace(built.site, articles=articles)
    links = _swap_links(built.links, old, new)
    fresh = [article_route(new, site, links, linker=linker_for(site))]
    if any(a is new for a in articles[: site.config.feed_size]):
        fresh.append(feeds.feed_route(site, SITE_FEED, "/", site.config.title, articles,
                                      full=True))
    # Render everything before writing anything: a template error leaves the site whole.
    rendered = [(route.output_path, render(built.env, route)) for route in fresh]
    for relative, data in rendered:
        _replace(output / relative, data)
    by_url = {route.url: route for route in fresh}
    plan = [by_url.get(route.url, route) for route in built.routes]
    return Built(site, links, plan, built.env), [route.url for route in fresh]


def _swap_links(links: Links, old: Article, new: Article) -> Links:
    """The same links with `new` wherever `old` was, so later renders see the new body."""

    def swap(index: Mapping[str, tuple[Article, ...]]) -> dict[str, tuple[Article, ...]]:
        return {key: tuple(new if a is old else a for a in group) for key, group in index.items()}

    return dataclasses.replace(
        links, by_topic=swap(links.by_topic), by_author=swap(links.by_author),
        by_section=swap(links.by_section), by_month=swap(links.by_month),
        by_place=swap(links.by_place), related=swap(links.related))


def _replace(target: Path, data: bytes) -> None:
    """Write aside and rename over, so a reader gets the old file or the new, never half."""
    try:
        if target.read_bytes() == data:
            return  # unchanged files keep their inode, as in a full build
    except OSError:
        pass
    aside = target.with_name(f".{target.name}.sitegen-new")
    aside.write_bytes(data)
    os.replace(aside, target)
