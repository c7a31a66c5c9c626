"""The full build: load, link, plan, render and write the whole site.

sitegen.build runs it when the stamp and sitegen.quick cannot settle a build
with less.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from functools import cached_property
from pathlib import Path

import jinja2

from sitegen import crosslink, page_cache, parallel, routes, stamp
from sitegen.article_page import article_context
from sitegen.bodies import BodiesAhead
from sitegen.build import BuildOptions, BuildReport, Clock, build_report
from sitegen.content import Site, load_site
from sitegen.feeds import feed_entry
from sitegen.opening import description_writes
from sitegen.output import Staging
from sitegen.progress import MIN_PAGES_FOR_PROGRESS, Progress
from sitegen.quick import FEED, Splices
from sitegen.redirects import redirect_files
from sitegen.relist import RELATED
from sitegen.render import (
    PassThrough,
    compile_templates,
    make_environment,
    passes_through,
    render,
    renders_alone,
    site_environment,
)
from sitegen.route import Route, RouteMemo
from sitegen.search import index_site
from sitegen.theme import collect_assets, theme_dirs
from sitegen.views import article_summary


@dataclass(frozen=True)
class Built:
    """What a build computed, kept by `sitegen serve` to re-render a page without a build."""

    site: Site
    links: crosslink.Links
    routes: list[Route]
    env: jinja2.Environment
    memo: RouteMemo  # how the routes were made, for the next plan (see RouteMemo)

    @cached_property
    def pages(self) -> dict[str, Route]:
        """The routes by output path."""
        return {route.output_path: route for route in self.routes}


def build_and_keep(options: BuildOptions) -> tuple[BuildReport, Built]:
    """`build`, and what it computed, with links incremental rebuilds can update; when
    the build did not run the full pipeline, the site is still loaded and planned (not
    rendered) so that the state always matches it."""
    report, built = build_report(options, editable=True)
    if built is None:
        site = load_site(options.source, drafts=options.drafts, base_url=options.base_url,
                         display_root=options.source)
        built = plan_site(site)
    return report, built


def build_all(options: BuildOptions, output: Path, settings: str, report: BuildReport,
              clock: Clock, editable: bool
              ) -> tuple[Built, stamp.Statuses, list[page_cache.Rendered]]:
    """Build the whole site into `output` (pages whose records show them unchanged are
    kept, see sitegen.page_cache); on any error the previous output is left as it was.
    `settings` are the build options as text. Returns what was built, the status of
    every file and folder now in `output` (see sitegen.stamp) and the record of each
    page."""
    with parallel.LongLived() as heap:
        site = load_site(options.source, drafts=options.drafts, base_url=options.base_url,
                         display_root=options.source)
        clock.lap("load")
        records = page_cache.PageRecords(options.source, output,
                                         page_cache.settings_digest(site, settings))
        staging = Staging(output)
        try:
            built, pages = write_site(site, staging, report, clock, options.progress,
                                        editable, records, heap)
            if options.search:
                index_site(staging.path)
                clock.lap("search")
            staging.commit()
        finally:
            staging.discard()
        # The files the build wrote, unless the search indexer wrote some of its own.
        outputs = stamp.output_statuses(output, None if options.search else staging.produced)
        records.save(pages, outputs)
    report.files = staging.files
    report.changed = staging.written
    return built, outputs, pages


def splices(built: Built, pages: Sequence[page_cache.Rendered]) -> Splices:
    """What the theme lets sitegen.quick splice into the `pages` just built (see
    `render.passes_through`)."""
    site, env = built.site, built.env
    if not site.articles:
        return Splices(False, False, {})
    article = site.articles[0]
    view = article_context(article, site, "", {"story": [], "related": []})
    entry = frozenset(feed_entry(site, article, full=True).keys())
    page = PassThrough("article.html", "article", "body_html", frozenset(view["article"]))
    feed = PassThrough(FEED, "entry", "content_html", entry, escaped=True)
    described = [PassThrough("article.html", "page", "description", frozenset(view["page"]),
                             escaped=True),
                 PassThrough(FEED, "entry", "summary", entry, escaped=True)]
    feed_escaped = _escapes(env, FEED)
    describes = (feed_escaped and _escapes(env, "article.html")
                 and all(passes_through(env, rule) for rule in described))
    related = replace(RELATED, context_keys=frozenset(view))
    return Splices(passes_through(env, page), feed_escaped and passes_through(env, feed),
                   _description_writes(site, pages) if describes else {},
                   renders_alone(env, related))


def _escapes(env: jinja2.Environment, template: str) -> bool:
    autoescape = env.autoescape
    return bool(autoescape(template) if callable(autoescape) else autoescape)


def _description_writes(site: Site, pages: Sequence[page_cache.Rendered]
                        ) -> dict[str, tuple[tuple[str, int], ...]]:
    """Display path -> (output file, times written) of every file that wrote the
    description of an article that counts them (see `opening.Described`)."""
    files: dict[str, list[tuple[str, int]]] = {}
    for page in pages:
        for url, writes in page.description_writes:
            files.setdefault(url, []).append((page.relative, writes))
    return {str(a.path): tuple(files[a.url]) for a in site.articles if a.url in files}


def plan_site(site: Site) -> Built:
    """Link (editable) and plan the site and make its template environment; nothing
    is rendered."""
    links = crosslink.link(site, editable=True)
    memo = RouteMemo()
    plan = routes.plan(site, links, memo=memo)
    return Built(site, links, plan, site_environment(site.root, site.config), memo)


def write_site(site: Site, staging: Staging, report: BuildReport, clock: Clock,
               progress: Progress, editable: bool, records: page_cache.PageRecords,
               heap: parallel.LongLived) -> tuple[Built, list[page_cache.Rendered]]:
    """Render the site into `staging`, but for the pages `records` shows unchanged;
    `editable` keeps links that incremental rebuilds can update (see
    `crosslink.link`). Returns what was built and the record of each page."""
    # Bodies rendered in the core time that linking and planning leave idle, when every
    # page is to be rendered: after a build with records (sitegen.page_cache) few are.
    # Not for a plan kept after the build (`sitegen serve`), which would keep their
    # memory too.
    every_page = not records.pages or not staging.reused
    with BodiesAhead(site, wanted=every_page and not editable) as ahead:
        links = crosslink.link(site, editable=editable)
        clock.lap("link")
        memo = RouteMemo()
        plan = routes.plan(site, links, memo=memo, ahead=ahead)
        clock.lap("plan")
        heap.settle()  # the render workers and their results are collected as usual
        dirs = theme_dirs(site.root, site.config)
        assets = collect_assets(dirs)
        env = make_environment(dirs, site.config, assets, site.root)
        if ahead.running:
            _prepare_for_workers(plan, env, site)
        # Alias pages first: a real page at the same path must win over a redirect.
        for relative, data in redirect_files(site.articles, site.config.base_url).items():
            staging.write(relative, data)
        ahead.stop()  # the render workers now take both cores
    pages = render_plan(plan, env, staging, page_cache.KeyDigests(site.sources), records,
                        report, progress)
    report.pages = sum(1 for r in plan if r.output_path.endswith(".html"))
    for asset in assets.values():
        staging.copy(asset.url.lstrip("/"), asset.source)
    clock.lap("render")
    return Built(site, links, plan, env, memo), pages


def _prepare_for_workers(plan: list[Route], env: jinja2.Environment, site: Site) -> None:
    """Do once what every render worker would otherwise do for itself, while the
    bodies helper takes the other core: compile the templates and make each
    article's listing entry. The workers, forked after, inherit both."""
    compile_templates(env, {route.template for route in plan})
    for article in site.articles:
        article_summary(article)


def render_plan(plan: list[Route], env: jinja2.Environment, staging: Staging,
                keys: page_cache.KeyDigests, records: page_cache.PageRecords,
                report: BuildReport, progress: Progress) -> list[page_cache.Rendered]:
    """Render the routes in parallel into `staging`, but for the pages `records` shows
    unchanged (by their `keys`); the record of each page."""

    def render_some(some: Sequence[Route]) -> list[tuple[page_cache.Rendered, bool | None]]:
        """The record of each page, and whether its file was written (None if it was
        not rendered)."""
        out: list[tuple[page_cache.Rendered, bool | None]] = []
        for route in some:
            relative, digest = route.output_path, keys.of(route)
            if relative in staging.reused and records.unchanged(
                    relative, digest, staging.target(relative)):
                out.append((records.kept(relative, digest), None))
            else:
                context = route.data()
                written = staging.store(relative, render(env, route, context))
                page = page_cache.Rendered(relative, digest, description_writes(context))
                out.append((page, written))
        return out

    if len(plan) >= MIN_PAGES_FOR_PROGRESS:
        progress.start(len(plan), "rendering pages")
    pages = []
    try:
        for page, written in parallel.map_chunks(
                render_some, plan, chunk_size=64, done=progress.advance):
            staging.record(page.relative, bool(written))
            report.rendered += written is not None and page.relative.endswith(".html")
            pages.append(page)
    finally:
        progress.close()
    return pages
