"""Spread work over the machine's cores with forked worker processes.

Fork (not spawn) is used on purpose: workers inherit the loaded site, the
plan and the Jinja environment without pickling them, which is what makes
a process pool pay off for a few milliseconds of work per page. Where fork
is missing (or for small batches) the work runs in this process.
"""

from __future__ import annotations

import gc
import os
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from typing import Any, TypeVar

T = TypeVar("T")
R = TypeVar("R")

# Below this many items the cost of starting workers outweighs the gain.
MIN_PARALLEL_ITEMS = 200

# The task and items of the current pool, inherited by forked workers (see the
# module doc): only (start, stop) bounds and results cross between processes.
_JOB: tuple[Callable[[Any], Any], Sequence[Any]] | None = None


def workers() -> int:
    """How many processes a pool should use: a core each."""
    return max(1, min(os.cpu_count() or 1, len(os.sched_getaffinity(0))
                      if hasattr(os, "sched_getaffinity") else 1 << 16))


def map_chunks(task: Callable[[Sequence[T]], list[R]], items: Sequence[T],
               chunk_size: int = 128, done: Callable[[int], None] | None = None,
               work: int | None = None) -> list[R]:
    """`task` over consecutive chunks of `items`, results in the items' order.

    `done` is told how many items each finished chunk held (for progress). `work`
    is how many units of work the items stand for, when that is not one each.
    """
    results: list[R] = []
    for count, part in iter_chunks(task, items, chunk_size, work):
        results += part
        if done:
            done(count)
    return results


def iter_chunks(task: Callable[[Sequence[T]], list[R]], items: Sequence[T],
                chunk_size: int = 128, work: int | None = None
                ) -> Iterator[tuple[int, list[R]]]:
    """`map_chunks` as it goes: (items in the chunk, its results) for each chunk in
    order, each as soon as it is done, so that the caller uses one chunk's results
    while the workers make the next; a caller that waited for all of them left a
    core idle meanwhile (a fifth of a second of loading 10,000 articles)."""
    bounds = [(i, min(i + chunk_size, len(items))) for i in range(0, len(items), chunk_size)]
    count = workers()
    work = len(items) if work is None else work
    if count == 1 or work < MIN_PARALLEL_ITEMS or not can_fork():
        for start, stop in bounds:
            yield stop - start, task(items[start:stop])
        return
    global _JOB
    _JOB = (task, items)
    # Objects the collector has already seen are frozen, so that a collection in a
    # worker does not touch (and so copy) every page of memory it inherited. They are
    # thawed after, unless the caller had frozen some (see `sitegen.watch`).
    thaw = gc.get_freeze_count() == 0
    gc.freeze()
    try:
        # Imported only here: a rebuild that the stamp or sitegen.quick settles starts no
        # pool, and the import is 6 ms of its quarter second.
        import multiprocessing

        with multiprocessing.get_context("fork").Pool(count) as pool:
            parts = pool.imap(_run_chunk, bounds, chunksize=1)
            for (start, stop), part in zip(bounds, parts, strict=True):
                yield stop - start, part
    finally:
        _JOB = None
        if thaw:
            gc.unfreeze()


def _run_chunk(bounds: tuple[int, int]) -> list[Any]:
    assert _JOB is not None, "workers inherit the job by fork"
    task, items = _JOB
    return list(task(items[bounds[0] : bounds[1]]))


def can_fork() -> bool:
    import multiprocessing  # see `iter_chunks`

    return "fork" in multiprocessing.get_all_start_methods()


class LongLived:
    """The cycle collector's rules while a build makes what lasts until it ends: the
    site, its links and its plan, values without reference cycles. Until `settle()`
    the collector is paused, then what exists is frozen, so that the collector never
    visits it again. Without this, the parent's collections walked the growing site
    again and again: half a second of a 10k build, seconds at 100k.

    It stays frozen after the build, on purpose: thawed, it cost one more full
    collection (0.2 s at 10k), and Python's own collection at exit. Dropped frozen
    objects are still freed at once; only the few cycles among them (the template
    environment, a few hundred objects) wait for a thaw, which `sitegen.watch`
    does before each full build."""

    def __enter__(self) -> LongLived:
        self._collecting = gc.isenabled()
        gc.disable()
        return self

    def settle(self) -> None:
        """What exists now lasts until the build ends; collect what comes after."""
        gc.freeze()
        if self._collecting:
            gc.enable()

    def __exit__(self, *exc: object) -> None:
        if self._collecting:
            gc.enable()


@contextmanager
def collector_paused() -> Iterator[None]:
    """No cycle collection while a batch of acyclic values is made (unpickled or
    received): each collection would visit everything made so far."""
    collecting = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if collecting:
            gc.enable()
