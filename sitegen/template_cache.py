"""Compiled templates kept in the build cache (`.sitegen-cache/templates/`).

Compiling the default theme's 16 templates takes about 40 ms, loading them from
here 2 ms. A quick rebuild that renders a related list again (sitegen.relist)
would compile the article page's templates each time, in a rebuild of 0.2 to
0.3 s, and every full build compiles them all before forking its render workers.
Jinja's own `FileSystemBytecodeCache` reads its files without a checksum, so a
torn file could reach `marshal`; this one stores each template's code through
sitegen.cache, whose checksum and namespace turn any damaged or stale file into a
compilation. Jinja keys each entry by template name and file, and checks the
source's checksum itself.

The namespace holds the site's settings too: Jinja runs a filter on a constant
when it compiles (`{{ "/topics/"|url }}`), so the code holds the base path.
"""

from __future__ import annotations

from pathlib import Path

import jinja2
from jinja2.bccache import Bucket

from sitegen import cache

# What compiled code depends on besides its source: Jinja's version, and the
# environment's options and filters, made in sitegen.render.
_NAMESPACE = f"jinja2 {jinja2.__version__}\0" + cache.digest(
    (Path(__file__).parent / "render.py").read_bytes())


class TemplateCache(jinja2.BytecodeCache):
    """The compiled templates of the site at `root`, for these `settings` (the text of
    all the environment's filters read of the site's configuration)."""

    def __init__(self, root: Path, settings: str):
        self.root = root
        self.namespace = f"{_NAMESPACE}\0{settings}"

    def load_bytecode(self, bucket: Bucket) -> None:
        code = cache.load(self.root, self._name(bucket), self.namespace).get("code")
        if isinstance(code, bytes):
            bucket.bytecode_from_string(code)  # compiled again if the source changed

    def dump_bytecode(self, bucket: Bucket) -> None:
        cache.save(self.root, self._name(bucket), self.namespace,
                   {"code": bucket.bytecode_to_string()})

    @staticmethod
    def _name(bucket: Bucket) -> str:
        return f"templates/{bucket.key}"
