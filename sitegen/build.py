"""A build: nothing when nothing changed (sitegen.stamp), the pages of body edits
alone when that is all that changed (sitegen.quick), else the full build
(sitegen.pipeline). Returns a report of what it did."""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from sitegen import stamp
from sitegen.output_check import OutputCheck
from sitegen.progress import Progress, Silent

if TYPE_CHECKING:
    from sitegen.pipeline import Built


@dataclass(frozen=True)
class BuildOptions:
    source: Path = Path(".")
    output: Path | None = None  # default: <source>/public
    drafts: bool = False
    search: bool = True
    base_url: str | None = None
    progress: Progress = field(default_factory=Silent, compare=False)


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


class Clock:
    def __init__(self, report: BuildReport):
        self.report = report
        self.start = self.last = time.perf_counter()

    def lap(self, stage: str) -> None:
        now = time.perf_counter()
        self.report.timings[stage] = now - self.last
        self.last = now


def build(options: BuildOptions) -> BuildReport:
    """Build the site; on any error the previous output is left as it was."""
    return build_report(options)[0]


def _settings(options: BuildOptions) -> str:
    """The options the output depends on, as text (the indexer's version among them)."""
    indexer: str | bool = False
    if options.search:
        from sitegen.search import indexer_version  # costs a rebuild without search

        indexer = indexer_version()
    return repr((options.drafts, indexer, options.base_url))


def build_report(options: BuildOptions, editable: bool = False
                 ) -> tuple[BuildReport, Built | None]:
    """The build's report, and what the full build computed (None when it did not
    run); `editable` keeps links that incremental rebuilds can update."""
    report = BuildReport()
    clock = Clock(report)
    output = options.output or options.source / "public"
    settings = _settings(options)
    check = None if options.search else OutputCheck(options.source, output, settings)
    try:
        inputs = stamp.input_statuses(options.source)
        inputs_digest = stamp.inputs_digest(inputs, settings)
        counts = stamp.is_fresh(options.source, output, inputs_digest,
                                check.kept_digest if check else None)
        if counts is not None:
            report.fresh, report.pages, report.files = True, counts["pages"], counts["files"]
            report.seconds = time.perf_counter() - clock.start
            return report, None
        # Imported only now: the output check's child is already at work, and a build
        # with nothing changed needs none of it.
        from sitegen import quick

        rebuilt = None if check is None else quick.rebuild(
            options.source, output, settings, inputs, inputs_digest, check)
    finally:
        if check:
            check.cancel()
    if rebuilt is not None:
        report.pages, report.files = rebuilt.counts["pages"], rebuilt.counts["files"]
        report.rendered, report.changed = rebuilt.rendered, rebuilt.written
        report.seconds = time.perf_counter() - clock.start
        return report, None
    stamp.forget(options.source, output)
    quick.forget(options.source, output)
    # Imported only here: a build that the stamp or sitegen.quick settles needs none of
    # it, and importing it would take longer than such a build does.
    from sitegen import pipeline

    built, outputs, pages = pipeline.build_all(options, output, settings, report, clock, editable)
    counts = {"pages": report.pages, "files": report.files}
    digested = stamp.Digested(output, outputs)
    stamp.record(options.source, output, inputs_digest, digested.hexdigest(), counts)
    if not options.search:
        quick.record(options.source, output, settings, inputs, outputs, digested.runs,
                     built.site, built.links.related_token, pipeline.splices(built, pages),
                     counts)
    report.seconds = time.perf_counter() - clock.start
    return report, built
