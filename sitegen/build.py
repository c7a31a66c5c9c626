"""The build: load, link, plan, render, write; returns a report of what it did."""

from __future__ import annotations

import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

import jinja2

from sitegen import crosslink, page_cache, parallel, routes, stamp
from sitegen.content import Site, load_site
from sitegen.output import Staging
from sitegen.progress import MIN_PAGES_FOR_PROGRESS, Progress, Silent
from sitegen.redirects import redirect_files
from sitegen.render import make_environment, render
from sitegen.route import Route, RouteMemo
from sitegen.search import index_site, indexer_version
from sitegen.theme import collect_assets, theme_dirs


@dataclass(frozen=True)
class BuildOptions:
    source: Path = Path(".")
    output: Path | None = None  # default: <source>/public
    drafts: bool = False
    search: bool = True
    base_url: str | None = None
    progress: Progress = field(default_factory=Silent, compare=False)


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


@dataclass
class BuildReport:
    pages: int = 0
    files: int = 0
    changed: int = 0  # files whose bytes differ from the previous build
    rendered: int = 0  # routes rendered; the others were unchanged (see page_cache)
    seconds: float = 0.0
    timings: dict[str, float] = field(default_factory=dict)

    fresh: bool = False  # nothing changed since the last build, so nothing was done

    def summary(self) -> str:
        if self.fresh:
            return (f"nothing changed: {self.pages} pages ({self.files} files) up to date, "
                    f"checked in {self.seconds:.2f} s")
        built = f"built {self.pages} pages ({self.files} files) in {self.seconds:.2f} s"
        if self.rendered < self.pages:
            return f"{built}; rendered {self.rendered}, the others unchanged"
        return built


class _Clock:
    def __init__(self, report: BuildReport):
        self.report = report
        self.start = self.last = time.perf_counter()

    def lap(self, stage: str) -> None:
        now = time.perf_counter()
        self.report.timings[stage] = now - self.last
        self.last = now


def build(options: BuildOptions) -> BuildReport:
    """Build the site; on any error the previous output is left as it was."""
    return _build(options)[0]


def build_and_keep(options: BuildOptions) -> tuple[BuildReport, Built]:
    """`build`, and what it computed, with links incremental rebuilds can update; when
    the output was already fresh, the site is still loaded and planned (not rendered)
    so that the state always matches it."""
    report, built = _build(options, editable=True)
    if built is None:
        site = load_site(options.source, drafts=options.drafts, base_url=options.base_url,
                         display_root=options.source)
        built = plan_site(site)
    return report, built


def _build(options: BuildOptions, editable: bool = False) -> tuple[BuildReport, Built | None]:
    report = BuildReport()
    clock = _Clock(report)
    output = options.output or options.source / "public"
    settings = repr((options.drafts, options.search and indexer_version(), options.base_url))
    inputs = stamp.inputs_digest(options.source, settings)
    counts = stamp.is_fresh(options.source, output, inputs)
    if counts is not None:
        report.fresh, report.pages, report.files = True, counts["pages"], counts["files"]
        report.seconds = time.perf_counter() - clock.start
        return report, None
    stamp.forget(options.source, output)
    site = load_site(options.source, drafts=options.drafts, base_url=options.base_url,
                     display_root=options.source)
    clock.lap("load")
    records = page_cache.PageRecords(options.source, output,
                                     page_cache.settings_digest(site, settings))
    staging = Staging(output)
    try:
        built, digests = write_site(site, staging, report, clock, options.progress, editable,
                                    records)
        if options.search:
            index_site(staging.path)
            clock.lap("search")
        staging.commit()
    finally:
        staging.discard()
    records.save(digests)
    report.files = staging.files
    report.changed = staging.written
    stamp.record(options.source, output, inputs, {"pages": report.pages,
                                                  "files": report.files})
    report.seconds = time.perf_counter() - clock.start
    return report, built


def plan_site(site: Site) -> Built:
    """Link (editable) and plan the site and make its template environment; nothing
    is rendered."""
    links = crosslink.link(site, editable=True)
    memo = RouteMemo()
    plan = routes.plan(site, links, memo=memo)
    dirs = theme_dirs(site.root, site.config)
    env = make_environment(dirs, site.config, collect_assets(dirs))
    return Built(site, links, plan, env, memo)


def write_site(site: Site, staging: Staging, report: BuildReport, clock: _Clock,
               progress: Progress, editable: bool, records: page_cache.PageRecords
               ) -> tuple[Built, list[tuple[str, bytes | None]]]:
    """Render the site into `staging`, but for the pages `records` shows unchanged;
    `editable` keeps links that incremental rebuilds can update (see
    `crosslink.link`). Returns what was built and each page's key digest."""
    links = crosslink.link(site, editable=editable)
    clock.lap("link")
    memo = RouteMemo()
    plan = routes.plan(site, links, memo=memo)
    clock.lap("plan")
    dirs = theme_dirs(site.root, site.config)
    assets = collect_assets(dirs)
    env = make_environment(dirs, site.config, assets)
    # Alias pages first: a real page at the same path must win over a redirect.
    for relative, data in redirect_files(site.articles, site.config.base_url).items():
        staging.write(relative, data)

    keys = page_cache.KeyDigests()

    def render_some(some: Sequence[Route]) -> list[tuple[str, bool | None, bytes | None]]:
        """(output path, whether written or None if not rendered, key digest) of each."""
        out: list[tuple[str, bool | None, bytes | None]] = []
        for route in some:
            relative, digest = route.output_path, keys.of(route)
            if relative in staging.reused and records.unchanged(
                    relative, digest, staging.target(relative)):
                out.append((relative, None, digest))
            else:
                out.append((relative, staging.store(relative, render(env, route)), digest))
        return out

    if len(plan) >= MIN_PAGES_FOR_PROGRESS:
        progress.start(len(plan), "rendering pages")
    digests = []
    try:
        for relative, written, digest in parallel.map_chunks(
                render_some, plan, chunk_size=64, done=progress.advance):
            staging.record(relative, bool(written))
            report.rendered += written is not None and relative.endswith(".html")
            digests.append((relative, digest))
    finally:
        progress.close()
    report.pages = sum(1 for r in plan if r.output_path.endswith(".html"))
    for asset in assets.values():
        staging.copy(asset.url.lstrip("/"), asset.source)
    clock.lap("render")
    return Built(site, links, plan, env, memo), digests
