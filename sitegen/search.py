"""The search index: Pagefind run over the built pages, before they are swapped in."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from sitegen.content import Site
from sitegen.errors import SitegenError


def index_site(site_dir: Path, site: Site) -> None:
    """Write `pagefind/` into the built site; a missing or failing Pagefind is an error."""
    command = [sys.executable, "-m", "pagefind_bin", "--site", str(site_dir), "--silent"]
    try:
        result = subprocess.run(command, capture_output=True, text=True, check=False)
    except OSError as exc:
        raise SitegenError(f"search: cannot run Pagefind: {exc}") from None
    if result.returncode != 0:
        detail = (result.stderr or result.stdout).strip().splitlines()
        reason = detail[-1] if detail else f"exit status {result.returncode}"
        raise SitegenError(f"search: Pagefind failed: {reason} "
                           "(install it with `pip install pagefind[bin]`, or build with "
                           "--no-search)")
