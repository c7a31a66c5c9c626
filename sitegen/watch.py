"""Watch the site's sources, classify each change and rebuild what it needs.

watchdog reports every low-level event; one editor save is often several
(write a temp file, rename it over the original, touch the folder). The
`Debouncer` collects them until the sources have been quiet for
`DEBOUNCE` seconds and hands the whole batch to one callback call, so one
save gives one rebuild. Events that arrive while the callback runs (during a
rebuild) are collected into the next batch, never dropped.

Each event is classified by what it touched, because each kind deserves its
own cheapest rebuild (sitegen.incremental), always with the bytes a full
build would give:

| kind     | paths                    | rebuild                                       |
|----------|--------------------------|-----------------------------------------------|
| article  | `content/articles/**.md` | a body edit after the opening: its page and   |
|          |                          | the site feed; any other edit, addition or    |
|          |                          | deletion: the pages that show what changed    |
|          |                          | (the article, its listings, timelines, feeds, |
|          |                          | story and related links); a tag that makes a  |
|          |                          | new topic: full build                         |
| topic    | `content/topics/**.md`   | full build (topics show on every page)        |
| template | `themes/*/templates/**`  | the pages whose template is or uses it        |
| static   | `themes/*/static/**`     | copy the file (*)                             |
| config   | `sitegen.toml`           | full build                                    |

(*) A fingerprinted asset (CSS, JS, images, fonts: see theme.FINGERPRINTED) changes
its URL and so every page,
and a deleted or shadowed file changes which file wins: those get a full build.
A batch of several kinds, a file that does not load, or a state lost to a
failed build also gets a full build, which reports any error.
Anything else (editor swap files, files outside these folders) is ignored.

The search index (Pagefind) cannot be built incrementally and takes seconds,
so `SearchIndexer` rebuilds it on its own thread after each good build, from
a hard-linked snapshot of the served site, and swaps the new `pagefind/` in
when done: a reload never waits for search, and the next rebuild never
changes files under Pagefind's feet.
"""

from __future__ import annotations

import enum
import gc
import os
import shutil
import sys
import threading
import time
import traceback
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from watchdog.events import FileSystemEvent, FileSystemEventHandler
from watchdog.observers import Observer

from sitegen import incremental, stamp
from sitegen.build import BuildOptions
from sitegen.config import CONFIG_NAME, load_config
from sitegen.content import ARTICLES_DIR, TOPICS_DIR
from sitegen.errors import SitegenError
from sitegen.pipeline import Built, build_and_keep
from sitegen.search import index_site
from sitegen.theme import FINGERPRINTED, collect_assets, theme_dirs

DEBOUNCE = 0.05  # seconds of quiet that end a burst of events (an editor's save: a few ms)


class ChangeKind(enum.Enum):
    ARTICLE = "article"
    TOPIC = "topic"
    TEMPLATE = "template"
    STATIC = "static"
    CONFIG = "config"


@dataclass(frozen=True)
class Change:
    kind: ChangeKind
    path: Path  # absolute path of the file that changed


def classify(root: Path, path: Path) -> ChangeKind | None:
    """The kind of change a file event under the site `root` means, or None to ignore it."""
    try:
        rel = path.relative_to(root)
    except ValueError:
        return None
    if any(part.startswith(".") or part.endswith("~") for part in rel.parts):
        return None  # editor backups and swap files, hidden folders
    if rel == Path(CONFIG_NAME):
        return ChangeKind.CONFIG
    if rel.suffix == ".md" and rel.is_relative_to(ARTICLES_DIR):
        return ChangeKind.ARTICLE
    if rel.suffix == ".md" and rel.is_relative_to(TOPICS_DIR):
        return ChangeKind.TOPIC
    if len(rel.parts) >= 4 and rel.parts[0] == "themes":
        return {"templates": ChangeKind.TEMPLATE, "static": ChangeKind.STATIC}.get(rel.parts[2])
    return None


class Debouncer:
    """Coalesce changes and call `callback` once per quiet period, on its own thread."""

    def __init__(self, callback: Callable[[frozenset[Change]], None],
                 delay: float = DEBOUNCE):
        self._callback = callback
        self._delay = delay
        self._pending: set[Change] = set()
        self._last = 0.0
        self._closed = False
        self._cond = threading.Condition()
        self._thread = threading.Thread(target=self._run, name="sitegen-debounce", daemon=True)
        self._thread.start()

    def add(self, changes: Iterable[Change]) -> None:
        with self._cond:
            self._pending.update(changes)
            self._last = time.monotonic()
            self._cond.notify_all()

    def close(self) -> None:
        with self._cond:
            self._closed = True
            self._cond.notify_all()
        self._thread.join()

    def _next_batch(self) -> frozenset[Change] | None:
        """Wait for changes, then for `delay` seconds without new ones."""
        with self._cond:
            while not self._closed:
                if not self._pending:
                    self._cond.wait()
                    continue
                quiet = time.monotonic() - self._last
                if quiet >= self._delay:
                    batch = frozenset(self._pending)
                    self._pending.clear()
                    return batch
                self._cond.wait(self._delay - quiet)
        return None

    def _run(self) -> None:
        while (batch := self._next_batch()) is not None:
            self._callback(batch)


class _Handler(FileSystemEventHandler):
    def __init__(self, root: Path, debouncer: Debouncer):
        self._root = root
        self._debouncer = debouncer

    def on_any_event(self, event: FileSystemEvent) -> None:
        if event.event_type in ("opened", "closed_no_write"):
            return  # reads, not changes
        paths = [event.src_path, getattr(event, "dest_path", "")]
        changes = []
        for raw in paths:
            if not raw:
                continue
            path = Path(raw.decode() if isinstance(raw, bytes) else raw)
            kind = classify(self._root, path)
            if kind is not None:
                changes.append(Change(kind, path))
        if changes:
            self._debouncer.add(changes)


class Watcher:
    """watchdog observing `content/`, `themes/` and the config file of one site.

    The site root itself is watched without recursion (for `sitegen.toml`):
    watching it recursively would also report every file of `public/` and of
    the serve cache, which serve itself writes.
    """

    def __init__(self, root: Path, callback: Callable[[frozenset[Change]], None],
                 delay: float = DEBOUNCE):
        self.root = root.resolve()
        self._debouncer = Debouncer(callback, delay)
        handler = _Handler(self.root, self._debouncer)
        self._observer = Observer()
        self._observer.schedule(handler, str(self.root), recursive=False)
        for name in ("content", "themes"):
            folder = self.root / name
            if folder.is_dir():
                self._observer.schedule(handler, str(folder), recursive=True)
        self._observer.daemon = True
        self._observer.start()

    def close(self) -> None:
        self._observer.stop()
        self._observer.join()
        self._debouncer.close()


class BuildState:
    """The served site's epoch (good builds so far), last error, and whether a build runs.

    `lock` is held by whoever changes or snapshots the output folder (a
    build, a static copy, the search indexer), so they never overlap.
    Requests wait on `building`; event streams wait for the snapshot to change.
    """

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self._cond = threading.Condition()
        self._building = False
        self._epoch = 0
        self._error: str | None = None
        self._closed = False

    @contextmanager
    def building(self) -> Iterator[None]:
        with self.lock:
            with self._cond:
                self._building = True
            try:
                yield
            finally:
                with self._cond:
                    self._building = False
                    self._cond.notify_all()

    def finish(self, error: str | None) -> None:
        """Record a build's outcome: a new epoch when it succeeded, else its error."""
        with self._cond:
            if error is None:
                self._epoch += 1
            self._error = error
            self._cond.notify_all()

    def snapshot(self) -> tuple[int, str | None]:
        with self._cond:
            return self._epoch, self._error

    def wait_ready(self, timeout: float) -> None:
        with self._cond:
            self._cond.wait_for(lambda: not self._building or self._closed, timeout)

    def wait_change(self, seen: tuple[int, str | None],
                    timeout: float) -> tuple[int, str | None] | None:
        """The new snapshot once it differs from `seen` (or `seen` at timeout); None: closed."""
        with self._cond:
            self._cond.wait_for(lambda: self._closed or (self._epoch, self._error) != seen,
                                timeout)
            return None if self._closed else (self._epoch, self._error)

    def close(self) -> None:
        with self._cond:
            self._closed = True
            self._cond.notify_all()


class Rebuilder:
    """Runs each rebuild the change kinds call for, into the served folder."""

    def __init__(self, source: Path, output: Path, state: BuildState,
                 indexer: SearchIndexer | None, *, drafts: bool, base_url: str):
        self.source, self.output, self.state = source, output, state
        self._indexer = indexer
        self._options = BuildOptions(source, output, drafts=drafts, search=False,
                                     base_url=base_url)
        # The last good build's state, for the body-edit fast path; None after a
        # failed build, whose sources the state no longer describes.
        self._built: Built | None = None

    def full(self, reason: str) -> None:
        self._run(reason, self._build)

    def rebuild(self, changes: frozenset[Change]) -> None:
        kinds = {change.kind for change in changes}
        reason = ", ".join(sorted(kind.value for kind in kinds)) + " changed"
        if kinds == {ChangeKind.STATIC}:
            self._run(reason, lambda: self._copy_static(changes) or self._build())
        elif kinds == {ChangeKind.ARTICLE}:
            paths = {change.path for change in changes}
            self._run(reason, lambda: (len(paths) == 1 and self._body_edit(next(iter(paths))))
                      or self._article_edits(paths) or self._build())
        elif kinds == {ChangeKind.TEMPLATE}:
            self._run(reason, lambda: self._template_edits(changes) or self._build())
        else:
            self._run(reason, self._build)

    def close(self) -> None:
        if self._indexer is not None:
            self._indexer.close()

    def _run(self, reason: str, action: Callable[[], str]) -> None:
        start = time.perf_counter()
        error = None
        with self.state.building():
            try:
                summary = action()
            except SitegenError as exc:
                error = str(exc)
            except Exception as exc:  # a bug must not stop the preview: show it like an error
                traceback.print_exc()
                error = f"internal error: {type(exc).__name__}: {exc}"
            if error is not None:
                self._built = None
            self.state.finish(error)
        if error is not None:
            print(f"build failed ({reason}); serving the last good site:\n{error}",
                  file=sys.stderr, flush=True)
            return
        print(f"{reason}: {summary}; serving it after {time.perf_counter() - start:.2f} s",
              flush=True)
        if self._indexer is not None:
            self._indexer.request()

    def _build(self) -> str:
        """A full build; the last search index is carried over until the new one is ready."""
        index, kept = self.output / "pagefind", self.output.parent / "pagefind-kept"
        if index.is_dir():
            shutil.rmtree(kept, ignore_errors=True)
            index.rename(kept)
        gc.unfreeze()  # the previous state's objects may be collected again (see below)
        try:
            report, self._built = build_and_keep(self._options)
            # The kept state is a million long-lived objects at 10k articles: frozen, the
            # collector no longer scans them during each incremental rebuild, where a
            # full collection would add a few hundred milliseconds. Acyclic garbage is
            # still freed at once; cycles wait for the next full build.
            gc.freeze()
            return f"full build: {report.summary()}"
        finally:
            if kept.is_dir() and self.output.is_dir() and not index.exists():
                kept.rename(index)

    def _body_edit(self, path: Path) -> str:
        """Re-render what an article's body edit changes (sitegen.incremental); "" when
        the change needs a full build."""
        if self._built is None or not self.output.is_dir():
            return ""
        display = self.source / path.relative_to(self.source.resolve())
        edit = incremental.body_edit(self._built, path, display)
        if edit is None:
            return ""
        # A later full build must not trust a stamp that predates this write.
        stamp.forget(self.source, self.output)
        self._built, urls = incremental.rerender(self._built, *edit, self.output)
        return f"body-only edit: re-rendered {', '.join(urls)}"

    def _article_edits(self, paths: set[Path]) -> str:
        """Render the pages whose data the edits changed (sitegen.incremental); "" when
        the change needs a full build."""
        if self._built is None or not self.output.is_dir():
            return ""
        stamp.forget(self.source, self.output)
        result = incremental.update(self._built, paths, self.output,
                                    drafts=self._options.drafts)
        if result is None:
            return ""
        self._built, urls = result
        return f"article edit: wrote {len(urls)} page(s)"

    def _template_edits(self, changes: frozenset[Change]) -> str:
        """Render the pages whose templates use a changed one; "" for a full build."""
        if self._built is None or not self.output.is_dir():
            return ""
        names = set()
        for change in changes:
            parts = change.path.relative_to(self.source.resolve()).parts
            names.add("/".join(parts[3:]))  # themes/<theme>/templates/<name>
        stamp.forget(self.source, self.output)
        self._built, urls = incremental.template_edit(self._built, names, self.output)
        return f"template edit: wrote {len(urls)} page(s)"

    def _copy_static(self, changes: frozenset[Change]) -> str:
        """Copy changed static files in place; "" when that would not equal a full build."""
        if not self.output.is_dir():
            return ""
        config = load_config(self.source, self._options.base_url)
        assets = collect_assets(theme_dirs(self.source, config))
        by_source = {asset.source.resolve(): asset for asset in assets.values()}
        found = [by_source.get(change.path.resolve()) for change in changes]
        if any(a is None or a.url.endswith(FINGERPRINTED) for a in found):
            return ""
        for asset in found:
            assert asset is not None  # checked above; for mypy
            target = self.output / asset.url.lstrip("/")
            temp = target.with_name(f".{target.name}.tmp")
            shutil.copyfile(asset.source, temp)
            os.replace(temp, target)  # readers see the old file or the new, never half
        return f"copied {len(found)} static file(s)"


class SearchIndexer:
    """Rebuilds the Pagefind index on its own thread; requests while busy coalesce."""

    def __init__(self, state: BuildState, output: Path):
        self._state, self._output = state, output
        self._snapshot = output.parent / "search-src"
        self._wanted = threading.Event()
        self._closed = False
        self._thread = threading.Thread(target=self._run, name="sitegen-search", daemon=True)
        self._thread.start()

    def request(self) -> None:
        self._wanted.set()

    def close(self) -> None:
        self._closed = True
        self._wanted.set()
        self._thread.join()

    def _run(self) -> None:
        while self._wanted.wait() and not self._closed:
            self._wanted.clear()
            start = time.perf_counter()
            try:
                self._index_once()
            except SitegenError as exc:
                print(f"search index not updated: {exc}", file=sys.stderr, flush=True)
                continue
            print(f"search index updated, {time.perf_counter() - start:.2f} s", flush=True)

    def _index_once(self) -> None:
        top = self._output

        def skip_index(folder: str, names: list[str]) -> list[str]:
            return ["pagefind"] if Path(folder) == top else []

        with self._state.lock:
            shutil.rmtree(self._snapshot, ignore_errors=True)
            # Hard links: fast, and a build writes new files rather than rewriting these.
            shutil.copytree(top, self._snapshot, copy_function=os.link, ignore=skip_index)
        index_site(self._snapshot)
        with self._state.lock:
            index, old = top / "pagefind", self._output.parent / "pagefind-old"
            shutil.rmtree(old, ignore_errors=True)
            if index.exists():
                index.rename(old)
            (self._snapshot / "pagefind").rename(index)
            shutil.rmtree(old, ignore_errors=True)
