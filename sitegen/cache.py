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
from dataclasses import dataclass
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


def drop(root: Path, *names: str) -> None:
    """Remove these entries; one that cannot be removed is left (the caller's key
    then no longer matches it)."""
    for name in names:
        try:
            cache_path(root, name).unlink(missing_ok=True)
        except OSError:
            pass


def load(root: Path, name: str, namespace: str) -> dict[str, Any]:
    """The stored mapping, or an empty one when missing, stale or corrupt."""
    found = _read(cache_path(root, name), namespace)
    return {} if found is None else found


def _read(path: Path, namespace: str, expected: bytes | None = None) -> dict[str, Any] | None:
    """The mapping stored at `path`, or None when missing, stale or corrupt, or when
    its checksum is not `expected` (if given)."""
    try:
        raw = path.read_bytes()
    except OSError:
        return None
    header = _MAGIC + _namespace_bytes(namespace)
    # A view, not a slice: a copy of the body would double the memory a large entry
    # (the related indices: 90 MB at 100k articles) takes while it is read.
    body = memoryview(raw)[len(header) + _CHECKSUM_BYTES :]
    checksum = raw[len(header) : len(header) + _CHECKSUM_BYTES]
    if (not raw.startswith(header) or _checksum(body) != checksum
            or expected is not None and checksum != expected):
        return None
    try:
        with collector_paused():
            value = pickle.loads(body)
    except Exception:  # any unpickling failure means "rebuild it", never "crash"
        return None
    return value if isinstance(value, dict) else None


def save(root: Path, name: str, namespace: str, value: dict[str, Any]) -> None:
    """Store atomically (write aside, rename), so a killed build leaves no torn file."""
    _write(cache_path(root, name), namespace, pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL))


def _write(path: Path, namespace: str, body: bytes) -> bytes | None:
    """Store `body` at `path` atomically; its checksum, or None when it could not be
    written (a cache that cannot be written only costs speed next time)."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        checksum = _checksum(body)
        temporary = path.with_suffix(f".tmp-{os.getpid()}")
        with temporary.open("wb") as out:  # the body not copied onto the header
            out.write(_MAGIC + _namespace_bytes(namespace) + checksum)
            out.write(body)
        os.replace(temporary, path)
    except OSError:
        return None
    return checksum


@dataclass(frozen=True)
class Stored:
    """How a process takes in a shard that another one stored (see `Shelf.received`):
    the checksum of the file written, or the pickle itself if none could be."""

    checksum: bytes | None
    pickled: bytes | None = None


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

    # 1,024 shards: some 10 articles each at 10,000, so that a quick rebuild that reads a
    # few dozen articles (sitegen.quick, the related lists) reads a fourth of what 256
    # made it read; a full build reads and writes them all either way.
    def __init__(self, root: Path, name: str, namespace: str, shards: int = 1024):
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

    def store(self, index: int, entries: dict[str, Any]) -> Stored | None:
        """Make these the entries of shard `index`; its file is written only if they
        differ from what it held. Returns what a process that stores shards for
        another sends it (see `received`), or None when nothing changed."""
        if entries == self.entries(index):
            return None
        self._shards[index] = entries
        pickled = pickle.dumps(entries, protocol=pickle.HIGHEST_PROTOCOL)
        checksum = _write(self._path(index), self.namespace, pickled)
        return Stored(checksum) if checksum is not None else Stored(None, pickled)

    def received(self, index: int, stored: Stored | None) -> dict[str, Any] | None:
        """The entries of shard `index` after another process `store`d them and sent
        this. The parent reads the file the worker wrote rather than have the worker
        send it: piping the 70 MB of a 10k-article cache cost the parent more than a
        fifth of a second, with the workers waiting on full pipes. None when the file
        is no longer the one written (another build replaced it since): the caller
        reads that shard's files again."""
        if stored is None:
            return self.entries(index)
        entries: dict[str, Any] | None
        if stored.pickled is not None:
            with collector_paused():
                entries = pickle.loads(stored.pickled)
        else:
            entries = _read(self._path(index), self.namespace, stored.checksum)
            if entries is None:
                return None
        self._shards[index] = entries
        return entries

    def _path(self, index: int) -> Path:
        return cache_path(self.root, self._shard_name(index))

    def _shard_name(self, index: int) -> str:
        return f"{self.name}/{index:03x}"
