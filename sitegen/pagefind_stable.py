"""Make Pagefind's output byte-stable, as the rest of the build is.

Pagefind writes each filter's values in hash-map order, which changes from
run to run, and names the filter files (and the metadata file that lists
them) by a hash of those bytes. Here each filter file is decoded (CBOR after
a "pagefind_dcd" signature, gzipped), its values sorted, and every name that
depends on it recomputed. The data means the same to Pagefind's script; only
its order and the file names change. cbor2 reads and writes the CBOR.
"""

from __future__ import annotations

import gzip
import hashlib
import json
from pathlib import Path
from typing import Any

import cbor2

SIGNATURE = b"pagefind_dcd"


def stabilise(pagefind_dir: Path) -> None:
    """Rewrite `pagefind_dir`'s filter and metadata files in a canonical form."""
    renamed = {}
    for path in sorted((pagefind_dir / "filter").glob("*.pf_filter")):
        name, values = _read(path)
        canonical = [name, sorted(([value, sorted(pages)] for value, pages in values),
                                  key=lambda entry: str(entry[0]))]
        renamed[path.stem] = _replace_file(path, canonical, "filter/{}.pf_filter", 7)
    entry_path = pagefind_dir / "pagefind-entry.json"
    entry = json.loads(entry_path.read_text(encoding="utf-8"))
    for info in entry["languages"].values():
        meta_path = pagefind_dir / f"pagefind.{info['hash']}.pf_meta"
        meta = _renamed(_read(meta_path), renamed)
        info["hash"] = _replace_file(meta_path, meta, "pagefind.{}.pf_meta", 10)
    entry["languages"] = dict(sorted(entry["languages"].items()))  # also hash-map order
    entry_path.write_text(json.dumps(entry, ensure_ascii=False, separators=(",", ":")),
                          encoding="utf-8")


def _read(path: Path) -> Any:
    data = gzip.decompress(path.read_bytes())
    if not data.startswith(SIGNATURE):
        raise ValueError(f"{path}: not a Pagefind data file")
    return cbor2.loads(data[len(SIGNATURE):])


def _replace_file(path: Path, value: Any, pattern: str, digits: int) -> str:
    """Write `value` under a name made of its language and content hash; returns the name."""
    raw = SIGNATURE + cbor2.dumps(value)
    language = path.name.removeprefix("pagefind.").split("_", 1)[0]
    name = f"{language}_{hashlib.sha256(raw).hexdigest()[:digits]}"
    path.unlink()
    # mtime=0: a gzip header otherwise records the time, and the bytes would differ.
    (path.parent.parent if "/" in pattern else path.parent).joinpath(
        pattern.format(name)).write_bytes(gzip.compress(raw, mtime=0))
    return name


def _renamed(value: Any, names: dict[str, str]) -> Any:
    """`value` with every string that names an old file replaced by its new name, and
    the list of (filter, file) pairs, which Pagefind writes in hash-map order, sorted."""
    if isinstance(value, str):
        return names.get(value, value)
    if not isinstance(value, list):
        return value
    items = [_renamed(item, names) for item in value]
    new_names = set(names.values())
    if items and all(isinstance(i, list) and len(i) == 2 and isinstance(i[1], str)
                     and i[1] in new_names for i in items):
        items.sort()
    return items
