"""`sitegen check`: the example archive passes; broken links and anchors fail it."""

from __future__ import annotations

import shutil
from pathlib import Path

from conftest import FIXTURES, REPO, run_sitegen


def test_example_archive_passes(tmp_path: Path) -> None:
    before = sorted(p.name for p in REPO.iterdir())
    result = run_sitegen("check", "--source", REPO)
    assert result.returncode == 0, result.stderr
    assert sorted(p.name for p in REPO.iterdir()) == before  # check writes nothing


def test_broken_link_fails_naming_the_page(tmp_path: Path) -> None:
    site = tmp_path / "site"
    shutil.copytree(FIXTURES / "check/broken-link", site)
    result = run_sitegen("check", cwd=site)
    assert result.returncode == 1
    assert "2025/01/a-story-with-a-broken-link/index.html:" in result.stderr
    assert "/2025/01/no-such-story/" in result.stderr
    assert not (site / "public").exists()


def test_missing_anchor_fails(tmp_path: Path) -> None:
    site = tmp_path / "site"
    shutil.copytree(FIXTURES / "check/missing-anchor", site)
    result = run_sitegen("check", cwd=site)
    assert result.returncode == 1
    lines = [line for line in result.stderr.splitlines() if "index.html" in line]
    assert len(lines) == 1 and "#details" in lines[0]
    assert lines[0].startswith("2025/01/a-story-with-a-missing-anchor/index.html:")


def test_invalid_content_fails_check(tmp_path: Path) -> None:
    site = tmp_path / "site"
    shutil.copytree(FIXTURES / "invalid/unknown-key", site)
    result = run_sitegen("check", cwd=site)
    assert result.returncode == 1
    assert result.stderr == (site / "expected.txt").read_text()
