"""Rebuild only what an article edit changes, with exactly the bytes a full build gives.

`sitegen serve` keeps the last good build's `Built` (site, links, routes,
template environment) and hands each batch of article edits here.

**A body edit that other pages do not see** (`body_edit`, `rerender`): the
commonest save, an edit after the opening, cannot change most of the site:

- listings, topic, author, archive pages and the sitemap show only
  front-matter fields (title, dek, dates, byline, tags);
- related articles and descriptions read only the body's opening (see
  sitegen.opening), so an edit after it changes neither (nor does one within
  it that leaves the description and the lede's words as they were);
- the article's own page shows the body, and so does the site feed
  (`/feed.xml`, full content) when the article is among its entries.

So those one or two routes are rendered again, with no new plan.

**Any other set of article edits** (`update`): added, changed or deleted
files are read again; the links are recomputed only where the edits can
have changed them (the term indices when an article moved between terms,
related articles when a date, topic or body opening changed); the whole site
is planned again (cheap: pages' data are made only when rendered), and only
the routes whose `Route.key` differs from the last plan's are rendered, and
the pages no longer planned are removed. A key is what a page shows besides
the site-wide settings, so a title edit renders the article, the listings,
timelines, feeds and story or related links that show it, and nothing else.

An edit that changes a site-wide setting (a tag that makes or drops a
topic), or a file that does not load, returns None: the caller runs the full
build, which reports any error.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sitegen import crosslink, feeds, frontmatter, parallel, related, routes
from sitegen.content import Site, all_topics, parse_article
from sitegen.crosslink import Links
from sitegen.errors import SitegenError
from sitegen.intext import linker_for
from sitegen.models import Article
from sitegen.opening import LEDE_READ, same_elsewhere
from sitegen.output import replace_file
from sitegen.pipeline import Built
from sitegen.redirects import redirect_files
from sitegen.render import render, site_environment, templates_using
from sitegen.route import Route, RouteMemo
from sitegen.routes import article_route

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
    return (old, new) if same_elsewhere(old, new) else None


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
    return Built(site, links, plan, built.env, built.memo), [route.url for route in fresh]


def _swap_links(links: Links, old: Article, new: Article) -> Links:
    """The same links with `new` wherever `old` was, so later renders see the new body."""
    swap = {id(old): new}
    # The ranking holds the old version, whose lede words (all it reads) are the new one's.
    return Links(**_swapped_indices(links, swap), related=_swapped(links.related, swap),
                 ranking=links.ranking)


def _swapped(index: Mapping[str, tuple[Article, ...]], swap: Mapping[int, Article]
             ) -> dict[str, tuple[Article, ...]]:
    """`index` with each article whose id is in `swap` replaced by its new version."""
    return {key: _swapped_group(group, swap) for key, group in index.items()}


def _swapped_group(group: tuple[Article, ...], swap: Mapping[int, Article]
                   ) -> tuple[Article, ...]:
    """A group with no swapped article stays the very same tuple (see RouteMemo)."""
    if swap.keys().isdisjoint(map(id, group)):
        return group
    return tuple(swap.get(id(a), a) for a in group)


def _swapped_indices(links: Links, swap: Mapping[int, Article]) -> dict[str, Any]:
    """Every field of `links` but `related`, with the swapped articles in place."""
    return {"by_topic": _swapped(links.by_topic, swap),
            "by_author": _swapped(links.by_author, swap), "author_names": links.author_names,
            "by_section": _swapped(links.by_section, swap),
            "section_names": links.section_names, "by_month": _swapped(links.by_month, swap),
            "by_place": _swapped(links.by_place, swap), "place_names": links.place_names,
            "positions": links.positions}


def _replace(target: Path, data: bytes) -> None:
    """`output.replace_file`, in a folder made first: a new page may need a new one."""
    target.parent.mkdir(parents=True, exist_ok=True)
    replace_file(target, data)


# ---------------------------------------------------------------------------
# Any set of article edits: re-plan, and render only the routes whose key changed.


@dataclass(frozen=True)
class ArticleEdits:
    """How a set of article files changed the site's articles."""

    replaced: tuple[tuple[Article, Article], ...]  # (old, new)
    added: tuple[Article, ...]
    removed: tuple[Article, ...]


def update(built: Built, paths: Iterable[Path], output: Path, *,
           drafts: bool) -> tuple[Built, list[str]] | None:
    """Bring `output` (the output of `built`) up to date after the article files at
    `paths` were added, changed or deleted: exactly the bytes a full build would give.

    Returns the new state and the URLs written or removed, or None when the change
    needs a full build: a file that does not load (the full build reports it), or
    an edit that changes the site-wide settings every page shows (the topics).
    """
    found = _reload(built.site, paths, drafts)
    if found is None:
        return None
    site, edits = found
    links = _relink(built, site, edits)
    memo = RouteMemo(built.memo)
    plan = routes.plan(site, links, memo=memo)
    after = Built(site, links, plan, built.env, memo)
    fresh = [route for route in plan if not _same_page(built.pages.get(route.output_path), route)]
    # Render everything before writing anything: a template error leaves the site whole.
    files = {route.output_path: render(built.env, route) for route in fresh}
    files.update(_redirects_changed(built.site, site, edits, after.pages.keys()))
    gone = [route for path, route in built.pages.items() if path not in after.pages]
    for relative, data in files.items():
        _replace(output / relative, data)
    for route in gone:
        _remove(output, route.output_path)
    return after, [route.url for route in fresh + gone]


def _same_page(old: Route | None, new: Route) -> bool:
    """Whether `new` renders what `old` did: the same route (reused by the memo), or
    an equal key (the template is compared too: a key says what, not how)."""
    return old is new or (old is not None and old.template == new.template
                          and old.change_key == new.change_key)


def _reload(site: Site, paths: Iterable[Path], drafts: bool
            ) -> tuple[Site, ArticleEdits] | None:
    """The site with these article files read again, or None (see `update`)."""
    by_path = {article.path: article for article in site.articles}
    replaced, added, removed = [], [], []
    for path in sorted(set(paths)):
        display = display_path(site, path)
        old = by_path.pop(display, None)
        try:
            new = _read_shown(path, display, site.config.language, drafts)
        except (OSError, SitegenError):
            return None  # broken: the full build reports it
        if new is not None:
            by_path[display] = new
        if old is not None and new is not None:
            replaced.append((old, new))
        elif new is not None:
            added.append(new)
        elif old is not None:
            removed.append(old)
    if added or removed or any(old.sort_key != new.sort_key for old, new in replaced):
        articles = sorted(by_path.values(), key=lambda a: a.sort_key, reverse=True)
    else:  # the order stands: swap the new versions in
        swap = {id(old): new for old, new in replaced}
        articles = [swap.get(id(article), article) for article in site.articles]
    claims_changed = added or any((old.url, old.aliases) != (new.url, new.aliases)
                                  for old, new in replaced)
    if claims_changed and _claims_a_url_twice(articles):
        return None  # the full build names both files
    if any(old.tags != new.tags for old, new in replaced) or added or removed:
        files = tuple(sorted((t for t in site.topics.values() if t.path is not None),
                             key=lambda t: str(t.path)))  # in load order, as load_site
        if all_topics(files, articles) != site.topics:
            return None  # a tag that makes or drops a topic: in-text links change everywhere
    # The topics stand (checked above), so the tags -> slugs memo holds for the new site.
    rebuilt = dataclasses.replace(site, articles=tuple(articles))
    return rebuilt, ArticleEdits(tuple(replaced), tuple(added), tuple(removed))


def _read_shown(path: Path, display: Path, lang: str, drafts: bool) -> Article | None:
    """The article in a file; None when the file is gone or is a draft not shown."""
    if not path.exists():
        return None
    article = parse_article(frontmatter.read_bytes(path, display), display, lang).article
    return None if article.draft and not drafts else article


def display_path(site: Site, path: Path) -> Path:
    """The path an article file has in messages and in `Article.path`."""
    return site.root / path.resolve().relative_to(site.root.resolve())


def _claims_a_url_twice(articles: Iterable[Article]) -> bool:
    seen: set[str] = set()
    for article in articles:
        for url in (article.url, *article.aliases):
            normal = url.rstrip("/") + "/"
            if normal in seen:
                return True
            seen.add(normal)
    return False


def _index_inputs(site: Site, article: Article) -> tuple[object, ...]:
    """What `crosslink.indices` reads of an article."""
    return (article.url, article.sort_key, article.date, site.topic_slugs(article),
            article.byline, article.section, article.dateline)


def _relink(built: Built, site: Site, edits: ArticleEdits) -> Links:
    """`crosslink.link(site)`, reusing what the edits cannot have changed: the indices
    when no article moved between terms, related articles when no article changed
    what they are computed from, and else re-ranking only the articles whose related
    list an edit to a few openings can change (see `related.Ranking.reopened`)."""
    old_site, links = built.site, built.links
    swap = {id(old): new for old, new in edits.replaced}
    membership_same = not edits.added and not edits.removed and all(
        _index_inputs(old_site, old) == _index_inputs(site, new) for old, new in edits.replaced)
    oldest_first = crosslink.oldest_first_of(site)
    fields = (_swapped_indices(links, swap) if membership_same
              else crosslink.indices(site, oldest_first))
    reopened = [(old, new) for old, new in edits.replaced
                if old.body[:LEDE_READ] != new.body[:LEDE_READ]]
    if membership_same and not reopened:
        return Links(**fields, related=_swapped(links.related, swap), ranking=links.ranking)
    if membership_same and links.ranking is not None:
        # Same articles in the same order (the sort keys stand): the same indices.
        index = {id(article): i for i, article in enumerate(crosslink.oldest_first_of(old_site))}
        ranking = links.ranking.reopened({index[id(old)]: new for old, new in reopened})
        return Links(**fields, related=_rerelated(links, swap, oldest_first, ranking),
                     ranking=ranking)
    ranking = crosslink.rank_related(site, oldest_first, editable=True)
    return Links(**fields, related=crosslink.related_by_url(oldest_first, ranking),
                 ranking=ranking)


def _rerelated(links: Links, swap: Mapping[int, Article], oldest_first: Sequence[Article],
               ranking: related.Ranking) -> dict[str, tuple[Article, ...]]:
    """`crosslink.related_by_url` after `ranking` was re-ranked, keeping each article's
    previous tuple (with the swapped articles in) where its list is the same."""
    old = links.related
    assert links.ranking is not None
    before = links.ranking.best
    out = {}
    for i, article in enumerate(oldest_first):
        if ranking.best[i] == before[i]:
            out[article.url] = _swapped_group(old[article.url], swap)
        else:
            out[article.url] = tuple(oldest_first[j] for j in ranking.best[i])
    return out


def _redirects_changed(old_site: Site, site: Site, edits: ArticleEdits,
                       pages: Collection[str]) -> dict[str, bytes]:
    """The alias files (`_redirects`, redirect pages) whose bytes the edits changed.
    A real page at the same path wins over a redirect, as in a full build."""
    touched = [*edits.added, *edits.removed, *(a for pair in edits.replaced for a in pair)]
    if not any(article.aliases for article in touched) and not any(
            old.url != new.url or old.sort_key != new.sort_key for old, new in edits.replaced):
        return {}
    before = redirect_files(old_site.articles, old_site.config.base_url)
    after = redirect_files(site.articles, site.config.base_url)
    return {path: data for path, data in after.items()
            if before.get(path) != data and path not in pages}


def template_edit(built: Built, changed: set[str], output: Path) -> tuple[Built, list[str]]:
    """Render again the pages whose template is, or uses, one of the `changed` template
    names (paths under a theme's `templates/`), with a fresh template environment."""
    env = site_environment(built.site.root, built.site.config)
    users = templates_using(env, changed, {route.template for route in built.routes})
    fresh = [route for route in built.routes if route.template in users]
    # One page of each template first, before any file is written: a template error
    # (the usual result of a half-finished edit) then leaves the served site whole.
    probes = {route.template: route for route in fresh}
    written = {route.output_path: render(env, route) for route in probes.values()}

    def render_some(some: Sequence[Route]) -> list[str]:
        for route in some:
            _replace(output / route.output_path, written.get(route.output_path)
                     or render(env, route))
        return [route.url for route in some]

    urls = parallel.map_chunks(render_some, fresh, chunk_size=64)
    return Built(built.site, built.links, built.routes, env, built.memo), urls


def _remove(output: Path, relative: str) -> None:
    """Delete a page no longer planned, and the folders it leaves empty."""
    target = output / relative
    target.unlink(missing_ok=True)
    folder = target.parent
    while folder != output and folder.is_dir() and not any(folder.iterdir()):
        folder.rmdir()
        folder = folder.parent
