"""`sitegen import`: raw articles (copied text, saved HTML) to archive Markdown files."""

from __future__ import annotations

from sitegen.normalise.run import run_import

__all__ = ["run_import"]
