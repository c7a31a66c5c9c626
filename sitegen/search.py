"""The search index: Pagefind run over the built pages, before they are swapped in.

Only article pages carry `data-pagefind-body`, so Pagefind would skip every
other page anyway; the glob below keeps it from even reading them, which is
what makes indexing faster than a plain `pagefind --site` over the same
folder. Pagefind splits the index by each page's `<html lang>` by itself.
"""

from __future__ import annotations

import subprocess
import sys
from importlib import metadata
from pathlib import Path

import cbor2

from sitegen.errors import SitegenError
from sitegen.pagefind_stable import stabilise

# The binary that ships in the `pagefind[bin]` wheel; tests swap this to simulate a failure.
PAGEFIND: tuple[str, ...] = (sys.executable, "-m", "pagefind_bin")

# Article pages only: /YYYY/MM/<slug>/index.html (see the URL table in DESIGN.md).
ARTICLE_GLOB = "[0-9][0-9][0-9][0-9]/[0-9][0-9]/*/index.html"


def indexer_version() -> str:
    """Which Pagefind would index: part of what a build's output depends on."""
    try:
        return f"{PAGEFIND} {metadata.version('pagefind_bin')}"
    except metadata.PackageNotFoundError:
        return f"{PAGEFIND} (not installed)"


def pagefind_command(site_dir: Path) -> list[str]:
    """The command line that indexes the articles of `site_dir` into `site_dir/pagefind/`."""
    return [*PAGEFIND, "--site", str(site_dir), "--glob", ARTICLE_GLOB, "--silent"]


def index_site(site_dir: Path) -> None:
    """Write `pagefind/` into the built site; a missing or failing Pagefind is an error."""
    try:
        result = subprocess.run(pagefind_command(site_dir), capture_output=True, text=True,
                                check=False)
    except OSError as exc:
        raise SitegenError(f"search: cannot run Pagefind ({exc.strerror or exc}); "
                           f"{_HINT}") from None
    if result.returncode != 0:
        detail = (result.stderr or result.stdout).strip().splitlines()
        reason = detail[-1].strip() if detail else f"exit status {result.returncode}"
        raise SitegenError(f"search: Pagefind failed: {reason}; {_HINT}")
    try:
        stabilise(site_dir / "pagefind")
    except (OSError, ValueError, KeyError, TypeError, cbor2.CBORError) as exc:
        raise SitegenError(f"search: unexpected Pagefind output ({exc})") from None


_HINT = "install it with `pip install 'pagefind[bin]'`, or build with --no-search"
