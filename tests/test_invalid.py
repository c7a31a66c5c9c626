"""One fixture per invalid input: the exact `path:line: message`, exit 1, nothing written."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from conftest import FIXTURES, run_sitegen

CASES = sorted(p.name for p in (FIXTURES / "invalid").iterdir())


@pytest.mark.parametrize("case", CASES)
def test_invalid_site_fails_with_exact_message(case: str, tmp_path: Path) -> None:
    site = tmp_path / case
    shutil.copytree(FIXTURES / "invalid" / case, site)
    expected = (site / "expected.txt").read_text()
    result = run_sitegen("build", "--no-search", cwd=site)
    assert result.returncode == 1
    assert result.stderr == expected
    assert "Traceback" not in result.stderr
    assert not (site / "public").exists()


def test_every_error_of_a_batch_is_reported(tmp_path: Path) -> None:
    """Errors in several files are all printed, not only the first one."""
    for case in ("missing-title", "unknown-key"):
        shutil.copytree(FIXTURES / "invalid" / case, tmp_path, dirs_exist_ok=True)
        # both cases use the same file name: give each its own
        src = tmp_path / "content/articles/2025/01/a.md"
        src.rename(src.with_name(f"{case}.md"))
    result = run_sitegen("build", "--no-search", cwd=tmp_path)
    assert result.returncode == 1
    assert result.stderr.splitlines() == [
        "content/articles/2025/01/missing-title.md:1: missing required key 'title' (the headline)",
        "content/articles/2025/01/unknown-key.md:4: unknown key 'bylin': did you mean 'byline'?",
    ]


def test_usage_error_exits_2() -> None:
    result = run_sitegen("build", "--no-such-option")
    assert result.returncode == 2
