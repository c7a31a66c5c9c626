"""Progress display: plain lines when the output is not a terminal, nothing when quiet."""

from __future__ import annotations

import io
import shutil
from pathlib import Path

from sitegen import parallel
from sitegen.progress import PlainLines, Silent, for_terminal

from conftest import FIXTURES, run_sitegen


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


def test_plain_lines_show_nothing_of_work_never_started() -> None:
    """A build too small for progress never starts it, but still counts its pages."""
    stream = io.StringIO()
    progress = PlainLines(stream)
    progress.advance(64)
    progress.close()
    assert stream.getvalue() == ""


def test_a_small_build_writes_no_progress(tmp_path: Path) -> None:
    site = tmp_path / "site"
    shutil.copytree(FIXTURES / "site", site)
    result = run_sitegen("build", "--no-search", cwd=site)
    assert result.returncode == 0 and result.stderr == ""
    assert result.stdout.startswith("built ")


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
