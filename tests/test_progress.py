"""Progress display: plain lines when the output is not a terminal, nothing when quiet."""

from __future__ import annotations

import io

from sitegen import parallel
from sitegen.progress import PlainLines, Silent, for_terminal


def test_plain_lines_every_tenth() -> None:
    stream = io.StringIO()
    progress = PlainLines(stream)
    progress.start(100, "rendering pages")
    for _ in range(20):
        progress.advance(5)
    lines = stream.getvalue().splitlines()
    assert lines[0] == "rendering pages: 10/100 (10%)"
    assert lines[-1] == "rendering pages: 100/100 (100%)"
    assert len(lines) == 10


def test_choice_of_display() -> None:
    assert isinstance(for_terminal(True, io.StringIO()), Silent)
    assert isinstance(for_terminal(False, io.StringIO()), PlainLines)


def test_parallel_map_reports_every_item_and_keeps_order() -> None:
    counted: list[int] = []
    items = list(range(1000))
    result = parallel.map_chunks(lambda chunk: [x * 2 for x in chunk], items, chunk_size=64,
                                 done=counted.append)
    assert result == [x * 2 for x in items]
    assert sum(counted) == 1000
