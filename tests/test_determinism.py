"""The same input gives the same bytes, whatever the environment; a killed build
never leaves a partial `public/`.
"""

from __future__ import annotations

import os
import random
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from conftest import FIXTURES, REPO, run_sitegen, tree

SITE = FIXTURES / "site"
KILLS = 20



def copy_site(source: Path, target: Path, *, reverse: bool = False) -> Path:
    """A copy of a site; `reverse` creates folders and files in the opposite order,
    so a loader that trusted directory order would see them differently."""
    paths = sorted(source.rglob("*"), reverse=reverse)
    for path in paths:
        if path.is_file():
            copied = target / path.relative_to(source)
            copied.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(path, copied)
    return target


def snapshot_theme(site: Path) -> None:
    """Give `site` its own copy of the default theme, as its site theme.

    Others edit the default theme while tests run; a copy taken once keeps
    every build of a test on the same templates.
    """
    shutil.copytree(REPO / "themes" / "default", site / "themes" / "default")


@pytest.fixture(scope="module")
def pinned(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The fixture site with its theme, copied once for every build of this module."""
    site = copy_site(SITE, tmp_path_factory.mktemp("pinned") / "site")
    snapshot_theme(site)
    return site


def build_in(tmp: Path, source: Path, env: dict[str, str], *,
             reverse: bool = False) -> dict[str, bytes]:
    """A cold build (fresh copy, so no cache) of `source` with its search index."""
    site = copy_site(source, tmp / "site", reverse=reverse)
    result = run_sitegen("build", "--source", site, "--output", tmp / "public",
                         env={**os.environ, **env})
    assert result.returncode == 0, result.stderr
    # Search included: sitegen.pagefind_stable makes Pagefind's index byte-stable too.
    return tree(tmp / "public")


BASELINE = {"PYTHONHASHSEED": "0", "LC_ALL": "C.UTF-8", "TZ": "UTC"}


@pytest.fixture(scope="module")
def reference(tmp_path_factory: pytest.TempPathFactory, pinned: Path) -> dict[str, bytes]:
    return build_in(tmp_path_factory.mktemp("reference"), pinned, BASELINE)


@pytest.mark.parametrize("env", [
    {"PYTHONHASHSEED": "4242", "LC_ALL": "C", "TZ": "Asia/Karachi"},
    # Python's UTF-8 mode off in the POSIX locale: any file opened without an
    # explicit encoding would be read or written as ASCII.
    {"PYTHONHASHSEED": "random", "LC_ALL": "POSIX", "PYTHONUTF8": "0",
     "PYTHONCOERCECLOCALE": "0", "TZ": "America/St_Johns"},
    {"PYTHONHASHSEED": "1", "LC_ALL": "C.UTF-8", "TZ": "Pacific/Kiritimati"},
], ids=["hashseed-C-karachi", "ascii-locale-st-johns", "hashseed-kiritimati"])
def test_environment_does_not_change_the_output(tmp_path: Path, pinned: Path,
                                                reference: dict[str, bytes],
                                                env: dict[str, str]) -> None:
    output = build_in(tmp_path, pinned, env)
    assert sorted(output) == sorted(reference)
    assert [name for name in reference if output[name] != reference[name]] == []


def test_directory_order_does_not_change_the_output(tmp_path: Path, pinned: Path,
                                                    reference: dict[str, bytes]) -> None:
    output = build_in(tmp_path, pinned, BASELINE, reverse=True)
    assert sorted(output) == sorted(reference)
    assert [name for name in reference if output[name] != reference[name]] == []


def test_a_killed_build_never_leaves_a_partial_site(tmp_path: Path) -> None:
    """SIGKILL at a random moment of each of 20 builds of a 300-article site.

    After every kill `public/` is absent (only until a build first completes)
    or byte-identical to a complete build: the same input gives the same output,
    so every complete state is that one. One build in the series runs to the end,
    so that most kills hit a build that replaces an existing site.
    """
    subprocess.run([sys.executable, str(REPO / "benchmarks" / "corpus.py"), "300",
                    str(tmp_path / "corpus"), "--forms", "sitegen"],
                   check=True, capture_output=True)
    site = tmp_path / "corpus" / "sitegen"
    snapshot_theme(site)
    public = tmp_path / "public"
    command = [sys.executable, "-m", "sitegen", "build", "--no-search", "--quiet",
               "--source", str(site), "--output"]
    duration = timed(command + [str(tmp_path / "reference")])
    reference = tree(tmp_path / "reference")
    seed = random.randrange(1 << 32)
    rng = random.Random(seed)
    complete_once = False
    for attempt in range(KILLS):
        where = f"seed {seed}, kill {attempt}"
        if attempt == KILLS // 4:
            # Timed on the machine as loaded now: later delays fall within a build.
            duration = timed(command + [str(public)])
        child = subprocess.Popen(command + [str(public)], stdout=subprocess.DEVNULL,
                                 stderr=subprocess.PIPE)
        time.sleep(rng.uniform(0, duration))
        child.send_signal(signal.SIGKILL)
        _, errors = child.communicate()
        assert child.returncode in (0, -signal.SIGKILL), (where, errors)
        if public.exists():
            complete_once = True
            output = tree(public)
            assert sorted(output) == sorted(reference), where
            assert [name for name in reference if output[name] != reference[name]] == [], where
        else:
            assert not complete_once, f"{where}: public/ vanished after a complete build"


def timed(command: list[str]) -> float:
    """Run a build to its end; its duration in seconds."""
    started = time.monotonic()
    result = subprocess.run(command, capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stderr
    return time.monotonic() - started
