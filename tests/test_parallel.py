"""The process pool: results in order, each chunk handed over as soon as it is done."""

from __future__ import annotations

import time
from collections.abc import Sequence
from pathlib import Path

import pytest

from sitegen import parallel

CHUNK = 100
ITEMS = 4 * CHUNK  # more than parallel.MIN_PARALLEL_ITEMS, so that workers are forked


def test_the_first_chunk_arrives_before_the_last_is_done(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The last chunk's worker waits until the caller has taken the first chunk: an
    `iter_chunks` that gave nothing before every chunk was done would make it give up
    waiting."""
    monkeypatch.setattr(parallel.os, "sched_getaffinity", lambda pid: {0, 1}, raising=False)
    monkeypatch.setattr(parallel.os, "cpu_count", lambda: 2)
    taken = tmp_path / "first-chunk-taken"

    def task(chunk: Sequence[int]) -> list[tuple[int, bool]]:
        waited = chunk[-1] == ITEMS - 1 and _appears(taken, seconds=10)
        return [(item * 2, waited) for item in chunk]

    counts, results = [], []
    for count, part in parallel.iter_chunks(task, range(ITEMS), chunk_size=CHUNK):
        taken.touch()
        counts.append(count)
        results += part
    assert [doubled for doubled, _ in results] == [item * 2 for item in range(ITEMS)]
    assert counts == [CHUNK] * 4
    assert results[-1][1], "the last chunk was done before the caller saw the first"


def _appears(path: Path, seconds: float) -> bool:
    deadline = time.monotonic() + seconds
    while not path.exists():
        if time.monotonic() > deadline:
            return False
        time.sleep(0.01)
    return True
