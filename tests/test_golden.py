"""The fixture site's whole output, compared file by file with tests/golden/site.

After an intended change of output, refresh it on purpose:
    python -m pytest tests/test_golden.py --update-golden
"""

from __future__ import annotations

import difflib
import shutil
from pathlib import Path

from conftest import FIXTURES, TESTS, run_sitegen

GOLDEN = TESTS / "golden" / "site"


def _files(folder: Path) -> dict[str, Path]:
    return {p.relative_to(folder).as_posix(): p for p in sorted(folder.rglob("*")) if p.is_file()}


def test_fixture_site_matches_golden(tmp_path: Path, update_golden: bool) -> None:
    site = tmp_path / "site"
    shutil.copytree(FIXTURES / "site", site)
    result = run_sitegen("build", "--no-search", "--quiet", cwd=site)
    assert result.returncode == 0, result.stderr
    built = _files(site / "public")
    if update_golden:
        shutil.rmtree(GOLDEN, ignore_errors=True)
        shutil.copytree(site / "public", GOLDEN)
    golden = _files(GOLDEN)
    assert sorted(built) == sorted(golden), "files added or missing; run --update-golden"
    for name, path in built.items():
        want, got = golden[name].read_bytes(), path.read_bytes()
        if want != got:
            diff = difflib.unified_diff(want.decode(errors="replace").splitlines(),
                                        got.decode(errors="replace").splitlines(),
                                        f"golden/{name}", f"built/{name}", lineterm="", n=2)
            raise AssertionError("\n".join(list(diff)[:80]))
