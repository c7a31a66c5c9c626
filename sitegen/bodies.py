"""Article bodies rendered ahead, with the core time a full build leaves idle while it
loads, links and plans.

Rendering a body (Markdown to HTML, with in-text topic links) is a third of the
render stage, yet it reads nothing that linking and planning make: only the body,
the raw-HTML setting and the site's topic names, all known once the site is
loaded. Much of linking and planning, though, runs in the parent process alone:
one core of two sat idle for seconds of a 10,000-article build. So a forked
helper renders bodies in the site's order (newest first, the order in which the
render stage takes article pages) into memory it shares with the parent, until
the render stage is about to begin and stops it. It runs at the scheduler's idle
priority, so it takes only the time no other process of the build wants: the
related ranking's pool still gets both cores, and the helper fills the parts that
run on one (building the ranking's indices, planning). The render workers, forked
after that, inherit the shared memory: they take the bodies the helper finished
and render the others themselves.

The helper renders each body with `render_body`, the very function a render
worker calls, from the same inputs, so the bytes cannot differ. The parent reads
how far the helper got only after the helper has exited (`waitpid`), so no body
is read while it is being written.
"""

from __future__ import annotations

import gc
import mmap
import os
import signal
import struct
import threading
from collections.abc import Callable, Sequence
from types import TracebackType

from sitegen import parallel
from sitegen.content import Site
from sitegen.intext import linker_for
from sitegen.markdown import TokenTransform, to_html
from sitegen.models import Article

# At most this much shared memory for rendered bodies: at 100,000 articles the
# helper stops here (about 40,000 bodies) rather than add a gigabyte to the build's
# peak; while it runs, every page of the site the parent touches is copied, so that
# a longer run costs more again (measured: 3.6-3.9 GB at 100k with 256 MB, up to
# 4.2 GB with 512 MB).
MAX_SHARED_BYTES = 256 << 20
_COUNT = struct.Struct("<Q")  # how many bodies are done, at the start of the memory
_SLOT = struct.Struct("<QQ")  # then one (offset, length) per article


def render_body(article: Article, raw_html: bool,
                linker: Callable[[], TokenTransform] | None,
                transforms: tuple[TokenTransform, ...] = ()) -> str:
    """An article page's body HTML: `transforms`, then in-text links by a fresh linker
    (it counts the links it made in one body)."""
    steps = (*transforms, linker()) if linker else transforms
    return to_html(article.body, raw_html=raw_html, transforms=steps)


class BodiesAhead:
    """The helper and what it rendered (nothing when not `wanted`). Use it as a context
    manager, so that the helper is stopped whatever happens; `stop` it before forking
    the render workers. The routes that use it keep its memory."""

    def __init__(self, site: Site, wanted: bool = True):
        self._articles = site.articles
        self._position = {id(article): i for i, article in enumerate(site.articles)}
        self._data_start = _COUNT.size + _SLOT.size * len(site.articles)
        self._memory: mmap.mmap | None = None
        self._helper: int | None = None
        self.done = 0  # bodies finished, known once the helper is stopped
        if not wanted or not _worth_a_helper(len(site.articles)):
            return
        # Room for HTML four times the bodies' length, enough for tags and links.
        room = min(4 * sum(len(article.body) for article in site.articles), MAX_SHARED_BYTES)
        self._memory = mmap.mmap(-1, self._data_start + room)
        self._helper = os.fork()
        if self._helper == 0:
            _helper_main(self._memory, self._data_start, site)

    def __enter__(self) -> BodiesAhead:
        return self

    def __exit__(self, kind: type[BaseException] | None, error: BaseException | None,
                 trace: TracebackType | None) -> None:
        self.stop()

    @property
    def running(self) -> bool:
        """Whether the helper was started and not yet stopped (it may have finished, or
        filled its memory)."""
        return self._helper is not None

    def stop(self, wait: bool = False) -> None:
        """End the helper (let it finish first when `wait`); from then on `html` gives
        the bodies it finished."""
        if self._helper is None:
            return
        if not wait:
            os.kill(self._helper, signal.SIGKILL)
        os.waitpid(self._helper, 0)
        self._helper = None
        assert self._memory is not None
        self.done = _COUNT.unpack_from(self._memory, 0)[0]

    def html(self, article: Article) -> str | None:
        """The body HTML of this article of the site, if the helper finished it."""
        i = self._position.get(id(article))
        if i is None or i >= self.done or self._articles[i] is not article:
            return None
        assert self._memory is not None
        offset, length = _SLOT.unpack_from(self._memory, _COUNT.size + _SLOT.size * i)
        return self._memory[offset: offset + length].decode("utf-8")


def _worth_a_helper(articles: int) -> bool:
    """Only a build with a spare core and enough articles gains, and only a process
    without threads may fork safely (`sitegen serve` has several)."""
    return (articles >= parallel.MIN_PARALLEL_ITEMS and parallel.workers() > 1
            and parallel.can_fork() and threading.active_count() == 1)


def _helper_main(memory: mmap.mmap, data_start: int, site: Site) -> None:
    """The helper process: render bodies in order into `memory` until it is full or the
    parent stops it; never returns."""
    try:
        _idle_priority()
        gc.freeze()  # the inherited site is never collected here: do not touch its pages
        gc.enable()
        _fill(memory, data_start, site.articles, site.config.raw_html, linker_for(site))
    finally:
        os._exit(0)  # the parent goes on with the build; never run its exit handlers here


def _idle_priority() -> None:
    """Run only when a core would otherwise be idle (Linux's SCHED_IDLE), or else at the
    lowest priority there is. It held a core before, the ranking running in the parent
    alone meanwhile, and once it had rendered every body that core sat idle."""
    try:
        if hasattr(os, "SCHED_IDLE"):
            os.sched_setscheduler(0, os.SCHED_IDLE, os.sched_param(0))
        else:
            os.nice(19)
    except OSError:
        pass  # an ordinary priority only costs the build some speed


def _fill(memory: mmap.mmap, data_start: int, articles: Sequence[Article], raw_html: bool,
          linker: Callable[[], TokenTransform] | None) -> None:
    cursor = data_start
    for i, article in enumerate(articles):
        html = render_body(article, raw_html, linker).encode("utf-8")
        end = cursor + len(html)
        if end > len(memory):
            return
        memory[cursor:end] = html
        _SLOT.pack_into(memory, _COUNT.size + _SLOT.size * i, cursor, len(html))
        _COUNT.pack_into(memory, 0, i + 1)  # last: the body and its slot are written
        cursor = end
