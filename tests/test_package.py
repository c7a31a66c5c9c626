"""The wheel carries the default theme, so an installed sitegen builds any folder."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

from conftest import FIXTURES, REPO


def test_wheel_builds_a_site_outside_the_repository(tmp_path: Path) -> None:
    subprocess.run([sys.executable, "-m", "pip", "wheel", "-q", "--no-deps", str(REPO),
                    "-w", str(tmp_path / "dist")], check=True, capture_output=True, timeout=300)
    wheel = next((tmp_path / "dist").glob("sitegen-*.whl"))
    unpacked = tmp_path / "installed"
    zipfile.ZipFile(wheel).extractall(unpacked)
    assert (unpacked / "sitegen/_theme/templates/article.html").is_file()
    site = tmp_path / "elsewhere"
    shutil.copytree(FIXTURES / "site", site)
    # Only the unpacked wheel is on the path: not the source tree and its themes/.
    env = {**os.environ, "PYTHONPATH": str(unpacked)}
    result = subprocess.run([sys.executable, "-c", "import sys, runpy; sys.path.remove('') "
                             "if '' in sys.path else None; runpy.run_module('sitegen', "
                             "run_name='__main__')", "build", "--no-search"],
                            cwd=site, env=env, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    assert (site / "public/2025/01/clash-at-the-river-crossing/index.html").is_file()
    probe = subprocess.run([sys.executable, "-c", "import sitegen.theme as t; "
                            "print(t.default_theme_dir())"], cwd=site, env=env,
                           capture_output=True, text=True, check=True)
    assert probe.stdout.strip() == str(unpacked / "sitegen/_theme")
