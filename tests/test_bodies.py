"""Bodies rendered ahead by a helper process are the bodies a render worker makes, and a
build that uses them writes the very bytes of one that does not."""

from __future__ import annotations

import os
import time
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

import jinja2
import pytest

from sitegen import bodies, parallel, views
from sitegen.bodies import BodiesAhead, render_body
from sitegen.build import BuildOptions, build
from sitegen.content import Site, load_site
from sitegen.intext import linker_for

from conftest import tree

ARTICLES = parallel.MIN_PARALLEL_ITEMS + 20  # enough for a helper to be worth it
TOPICS = ("Lahore floods", "Budget", "Cotton prices")
T = TypeVar("T")


def _write_site(root: Path) -> Path:
    for n in range(ARTICLES):
        topic = TOPICS[n % len(TOPICS)]
        other = TOPICS[(n + 1) % len(TOPICS)]
        folder = root / "content" / "articles" / f"{2020 + n % 5}"
        folder.mkdir(parents=True, exist_ok=True)
        (folder / f"story-{n}.md").write_text(
            f"---\ntitle: Story {n} on {topic.lower()}\n"
            f"date: {2020 + n % 5}-0{1 + n % 9}-1{n % 10}T0{n % 10}:00:00+05:00\n"
            f"tags: [{topic}, {other}]\n---\n"
            f"The {topic.lower()} report, number {n}. *Then* {other} came up.\n\n"
            f"## Section {n}\n\n- a [link](https://example.org/{n})\n- `code {n}`\n\n"
            f"{'Café ' * (n % 4)}{topic} again, and {other}.\n",
            encoding="utf-8")
    return root


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Site:
    return load_site(_write_site(tmp_path_factory.mktemp("site")))


@pytest.fixture(autouse=True)
def helper_wanted(monkeypatch: pytest.MonkeyPatch) -> None:
    """A helper even where the test runner has threads of its own (earlier tests may
    leave some), or one core."""
    monkeypatch.setattr(bodies, "_worth_a_helper", lambda articles: True)


def test_bodies_rendered_ahead_are_the_bodies_a_worker_renders(site: Site) -> None:
    with BodiesAhead(site) as ahead:
        ahead.stop(wait=True)
    assert ahead.done == len(site.articles)
    linker = linker_for(site)
    assert linker is not None
    for article in site.articles:
        expected = render_body(article, site.config.raw_html, linker)
        assert ahead.html(article) == expected
    assert 'class="topic-link"' in expected


def test_a_stopped_helper_leaves_the_rest_to_the_workers(site: Site) -> None:
    """Stopped at once, the helper may have finished some bodies or none; those it did
    not finish are not given, and neither is an article of another site."""
    with BodiesAhead(site) as ahead:
        pass
    linker = linker_for(site)
    for i, article in enumerate(site.articles):
        html = ahead.html(article)
        if i < ahead.done:
            assert html == render_body(article, site.config.raw_html, linker)
        else:
            assert html is None
    copy = load_site(site.root).articles[0]
    assert copy == site.articles[0] and ahead.html(copy) is None


def test_a_full_shared_memory_stops_the_helper_early(site: Site,
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(bodies, "MAX_SHARED_BYTES", 3000)
    with BodiesAhead(site) as ahead:
        ahead.stop(wait=True)
    assert 0 < ahead.done < len(site.articles)


def _build(source: Path, output: Path) -> dict[str, bytes]:
    report = build(BuildOptions(source=source, output=output, search=False))
    assert report.pages > ARTICLES
    return tree(output)


def test_a_build_with_bodies_rendered_ahead_writes_the_same_bytes(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The helper finishes every body (or, with little memory, a few) before the render
    stage, and the output is that of a build without a helper."""
    source = _write_site(tmp_path / "site")
    monkeypatch.setattr(bodies, "_worth_a_helper", lambda articles: False)
    without = _build(source, tmp_path / "without")
    monkeypatch.setattr(bodies, "_worth_a_helper", lambda articles: True)
    used: list[int] = []
    stop = BodiesAhead.stop

    def stop_when_done(self: BodiesAhead, wait: bool = False) -> None:
        stop(self, wait=True)
        used.append(self.done)

    monkeypatch.setattr(BodiesAhead, "stop", stop_when_done)
    assert _build(source, tmp_path / "with") == without
    monkeypatch.setattr(bodies, "MAX_SHARED_BYTES", 3000)
    assert _build(source, tmp_path / "with-few") == without
    assert used[0] == ARTICLES and 0 < used[-1] < ARTICLES


@pytest.mark.skipif(not hasattr(os, "SCHED_IDLE"), reason="Linux's idle scheduling class")
def test_the_helper_runs_at_idle_priority_and_leaves_pools_both_cores(
        site: Site, monkeypatch: pytest.MonkeyPatch) -> None:
    """The helper takes only core time nothing else of the build wants: the related
    ranking's pool still gets a process per core while it runs."""
    monkeypatch.setattr(parallel.os, "sched_getaffinity", lambda pid: {0, 1}, raising=False)
    monkeypatch.setattr(parallel.os, "cpu_count", lambda: 2)
    monkeypatch.setattr(bodies, "_fill", lambda *args: time.sleep(60))  # stays running
    with BodiesAhead(site) as ahead:
        assert ahead.running and parallel.workers() == 2
        helper = ahead._helper
        assert helper is not None
        deadline = time.monotonic() + 10
        while os.sched_getscheduler(helper) != os.SCHED_IDLE and time.monotonic() < deadline:
            time.sleep(0.01)
        assert os.sched_getscheduler(helper) == os.SCHED_IDLE
        assert os.sched_getscheduler(0) != os.SCHED_IDLE  # the parent's is untouched
        ahead.stop()
        assert not ahead.running and ahead.done == 0


def test_only_a_build_that_renders_every_page_has_a_helper(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """After a build with records of its pages, a rebuild renders the few pages whose
    inputs changed: rendering every body ahead would only take a core from ranking."""
    source = _write_site(tmp_path / "site")
    wanted: list[bool] = []
    start = BodiesAhead.__init__

    def recorded(self: BodiesAhead, site: Site, **options: bool) -> None:
        wanted.append(options["wanted"])
        start(self, site, **options)

    monkeypatch.setattr(BodiesAhead, "__init__", recorded)
    _build(source, tmp_path / "public")
    first = next((source / "content" / "articles").rglob("*.md"))
    # A headline edit: other pages show it, so the rebuild is a full one.
    first.write_text(first.read_text(encoding="utf-8").replace("title: ", "title: New ", 1),
                     encoding="utf-8")
    _build(source, tmp_path / "public")
    _build(source, tmp_path / "elsewhere")
    assert wanted == [True, False, True]


def test_what_every_worker_would_repeat_is_done_once_in_the_parent(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """While the helper renders, the parent compiles the templates and makes the listing
    entries; the render workers, forked after, inherit them and redo neither."""
    monkeypatch.setattr(parallel.os, "sched_getaffinity", lambda pid: {0, 1}, raising=False)
    monkeypatch.setattr(parallel.os, "cpu_count", lambda: 2)
    log = tmp_path / "made-by"

    def logged(kind: str, original: Callable[..., T]) -> Callable[..., T]:
        def call(*args: object, **kwargs: object) -> T:
            with log.open("a", encoding="utf-8") as out:
                out.write(f"{kind} {os.getpid()}\n")
            return original(*args, **kwargs)
        return call

    monkeypatch.setattr(jinja2.Environment, "compile",
                        logged("template", jinja2.Environment.compile))
    monkeypatch.setattr(views, "_summary", logged("entry", views._summary))
    _build(_write_site(tmp_path / "site"), tmp_path / "public")
    made = [line.split() for line in log.read_text(encoding="utf-8").splitlines()]
    assert {kind for kind, _ in made} == {"template", "entry"}
    assert {pid for _, pid in made} == {str(os.getpid())}
    entries = [kind for kind, _ in made if kind == "entry"]
    assert len(entries) == ARTICLES
