"""Spread work over the machine's cores with forked worker processes.

Fork (not spawn) is used on purpose: workers inherit the loaded site, the
plan and the Jinja environment without pickling them, which is what makes
a process pool pay off for a few milliseconds of work per page. Where fork
is missing (or for small batches) the work runs in this process.
"""

from __future__ import annotations

import gc
import multiprocessing
import os
from collections.abc import Callable, Sequence
from typing import Any, TypeVar

T = TypeVar("T")
R = TypeVar("R")

# Below this many items the cost of starting workers outweighs the gain.
MIN_PARALLEL_ITEMS = 200

# The task and items of the current pool, inherited by forked workers (see the
# module doc): only (start, stop) bounds and results cross between processes.
_JOB: tuple[Callable[[Any], Any], Sequence[Any]] | None = None


def workers() -> int:
    return max(1, min(os.cpu_count() or 1, len(os.sched_getaffinity(0))
                      if hasattr(os, "sched_getaffinity") else 1 << 16))


def map_chunks(task: Callable[[Sequence[T]], list[R]], items: Sequence[T],
               chunk_size: int = 128, done: Callable[[int], None] | None = None,
               work: int | None = None) -> list[R]:
    """`task` over consecutive chunks of `items`, results in the items' order.

    `done` is told how many items each finished chunk held (for progress). `work`
    is how many units of work the items stand for, when that is not one each.
    """
    bounds = [(i, min(i + chunk_size, len(items))) for i in range(0, len(items), chunk_size)]
    results: list[R] = []
    count = workers()
    work = len(items) if work is None else work
    if count == 1 or work < MIN_PARALLEL_ITEMS or not _can_fork():
        for start, stop in bounds:
            results += task(items[start:stop])
            if done:
                done(stop - start)
        return results
    global _JOB
    _JOB = (task, items)
    # Objects the collector has already seen are frozen, so that a collection in a
    # worker does not touch (and so copy) every page of memory it inherited. They are
    # thawed after, unless the caller had frozen some (see `sitegen.watch`).
    thaw = gc.get_freeze_count() == 0
    gc.freeze()
    try:
        with multiprocessing.get_context("fork").Pool(count) as pool:
            for part in pool.imap(_run_chunk, bounds, chunksize=1):
                results += part
                if done:
                    done(len(part))
    finally:
        _JOB = None
        if thaw:
            gc.unfreeze()
    return results


def _run_chunk(bounds: tuple[int, int]) -> list[Any]:
    assert _JOB is not None, "workers inherit the job by fork"
    task, items = _JOB
    return list(task(items[bounds[0] : bounds[1]]))


def _can_fork() -> bool:
    return "fork" in multiprocessing.get_all_start_methods()
