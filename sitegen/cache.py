"""The persistent build cache in `<site>/.sitegen-cache/`.

Entries are keyed by content hashes (of a source file's bytes) and by a
*namespace* that names everything else the entry depends on (sitegen's
version, the theme and config hashes). A cache file that is corrupt, from
another version or unreadable is detected by its checksum and header and
simply rebuilt: the cache can make a build faster, never different.
"""

from __future__ import annotations

import hashlib
import os
import pickle
import zlib
from pathlib import Path
from typing import Any

from sitegen import __version__
from sitegen.parallel import collector_paused

CACHE_DIR = ".sitegen-cache"
_MAGIC = b"sitegen-cache-2\n"
_CHECKSUM_BYTES = 4


def digest(data: bytes) -> str:
    return hashlib.blake2b(data, digest_size=16).hexdigest()


def cache_path(root: Path, name: str) -> Path:
    return root / CACHE_DIR / f"{name}.pickle"


def load(root: Path, name: str, namespace: str) -> dict[str, Any]:
    """The stored mapping, or an empty one when missing, stale or corrupt."""
    path = cache_path(root, name)
    try:
        raw = path.read_bytes()
    except OSError:
        return {}
    header = _MAGIC + _namespace_bytes(namespace)
    # A view, not a slice: a copy of the body would double the memory a large entry
    # (the related indices: 90 MB at 100k articles) takes while it is read.
    body = memoryview(raw)[len(header) + _CHECKSUM_BYTES :]
    checksum = raw[len(header) : len(header) + _CHECKSUM_BYTES]
    if not raw.startswith(header) or _checksum(body) != checksum:
        return {}
    try:
        with collector_paused():
            value = pickle.loads(body)
    except Exception:  # any unpickling failure means "rebuild it", never "crash"
        return {}
    return value if isinstance(value, dict) else {}


def save(root: Path, name: str, namespace: str, value: dict[str, Any]) -> bytes:
    """Store atomically (write aside, rename), so a killed build leaves no torn file.
    Returns the value pickled, as stored (see `Shelf.store`)."""
    path = cache_path(root, name)
    body = pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        checksum = _checksum(body)
        temporary = path.with_suffix(f".tmp-{os.getpid()}")
        with temporary.open("wb") as out:  # the body not copied onto the header
            out.write(_MAGIC + _namespace_bytes(namespace) + checksum)
            out.write(body)
        os.replace(temporary, path)
    except OSError:
        pass  # a cache that cannot be written only costs speed next time
    return body


# Size, modification and change times (ns), inode.
FileStatus = tuple[int, int, int, int]


def _checksum(body: bytes | memoryview) -> bytes:
    """CRC-32: it finds a torn or damaged file (what a cache must not trust) four
    times faster than a cryptographic hash, and the parse cache is 60 MB at 10k."""
    return zlib.crc32(body).to_bytes(_CHECKSUM_BYTES, "big")


def file_status(path: str | os.PathLike[str]) -> FileStatus | None:
    """A file's size, modification and change times (ns) and inode, or None when it
    cannot be read: any edit, replacement or `touch` changes one of them."""
    try:
        status = os.stat(path)
    except OSError:
        return None
    return (status.st_size, status.st_mtime_ns, status.st_ctime_ns, status.st_ino)


def _namespace_bytes(namespace: str) -> bytes:
    return f"{__version__}:{namespace}\n".encode()


class Shelf:
    """A mapping too big to store whole on every build (the parsed articles): its
    entries are spread over `shards` files by their key, each stored on its own, so
    that one edit costs one small file, and separate processes can store separate
    shards at once."""

    def __init__(self, root: Path, name: str, namespace: str, shards: int = 256):
        # The shard count in the namespace: with another count a key lives elsewhere.
        self.root, self.name, self.namespace = root, name, f"{namespace}\0{shards}"
        # Each shard is read when first needed: a rebuild after one edit reads one.
        self._shards: list[dict[str, Any] | None] = [None] * shards

    @property
    def shards(self) -> range:
        return range(len(self._shards))

    def index(self, key: str) -> int:
        """The shard that holds `key`."""
        return zlib.crc32(key.encode()) % len(self._shards)

    def get(self, key: str) -> Any:
        return self.entries(self.index(key)).get(key)

    def entries(self, index: int) -> dict[str, Any]:
        """The entries of shard `index` (not to be changed: see `store`)."""
        shard = self._shards[index]
        if shard is None:
            shard = self._shards[index] = load(self.root, self._shard_name(index),
                                               self.namespace)
        return shard

    def store(self, index: int, entries: dict[str, Any]) -> bytes | None:
        """Make these the entries of shard `index`; its file is written only if they
        differ from what it held. Returns them pickled as written, else None, for a
        process that stores shards for another (see `received`)."""
        if entries == self.entries(index):
            return None
        self._shards[index] = entries
        return save(self.root, self._shard_name(index), self.namespace, entries)

    def received(self, index: int, stored: bytes | None) -> dict[str, Any]:
        """The entries of shard `index` after another process `store`d them and sent
        what that returned: the same pickle, so they are pickled only once."""
        if stored is not None:
            with collector_paused():
                self._shards[index] = pickle.loads(stored)
        return self.entries(index)

    def _shard_name(self, index: int) -> str:
        return f"{self.name}/{index:02x}"
