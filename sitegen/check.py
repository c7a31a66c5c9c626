"""`sitegen check`: validate content and config, then check every internal link.

The site is built into a temporary folder, so checking never writes into the
project. It is built with its search index, as it would be deployed; with
`--no-search` the index is skipped and links into `/pagefind/` are not checked.
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

from sitegen.build import BuildOptions, build
from sitegen.config import load_config
from sitegen.linkcheck import check_links


def run_check(source: Path, *, drafts: bool = False, search: bool = True,
              base_url: str | None = None) -> int:
    """Print every problem as `path:line: message`; 0 when there are none, else 1."""
    with tempfile.TemporaryDirectory(prefix="sitegen-check-") as folder:
        output = Path(folder) / "site"
        build(BuildOptions(source=source, output=output, drafts=drafts, search=search,
                           base_url=base_url))
        base_path = load_config(source, base_url).base_path
        problems = [p for p in check_links(output, base_path)
                    if search or f"{base_path}pagefind/" not in p.message]
    for problem in problems:
        print(str(problem), file=sys.stderr)
    if problems:
        print(f"{len(problems)} broken link(s)", file=sys.stderr)
        return 1
    print("check: content, config and every internal link are fine")
    return 0
