"""Render again only the pages whose content changed since the last build.

Every route has a key: what its page shows apart from the site-wide settings
(`Route.change_key`; `sitegen serve` compares keys in memory). A build stores
a digest of each page's key beside the status (size, modification time,
inode) of the file it left in the output folder. The next build into the same
folder takes a page as it is, without rendering it, when its key digest is
the same and its file is still the one that build left.

The site-wide settings are the digest `settings_digest`: sitegen's own code,
its libraries' versions, the build options, the config, the topics and every
theme file. When they differ, every page is rendered (and compared byte for
byte, so unchanged files are still not rewritten). A record that is missing,
corrupt or for other settings is never trusted (see sitegen.cache).

Digests are made by pickling the key, with articles, dates and paths reduced
to stable forms first (`_BASE_TABLE`): pickle is the one fast encoder of
arbitrary nested Python values, and two keys with the same pickle are equal.
Equal keys may pickle differently (a dict in another order), which only costs
a render, never a stale page; the pickler keeps no memo, so that which parts
of a key are one shared object does not change its pickle.
"""

from __future__ import annotations

import copyreg
import datetime as dt
import hashlib
import io
import os
import pickle
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path, PurePath
from typing import Any

from sitegen import cache
from sitegen.content import Site
from sitegen.models import Article
from sitegen.route import Route
from sitegen.theme import theme_dirs

CACHE_NAME = "pages"
OUTPUTS_KEPT = 3  # output folders remembered (public/, the serve preview, one more)
_LIBRARIES = ("jinja2", "markdown-it-py", "mdit-py-plugins", "markupsafe")
_PACKAGE = Path(__file__).resolve().parent

# Size, modification time (ns), inode: not `cache.file_status`, whose change time
# moves whenever a build hard-links the file into its staging folder.
FileStatus = tuple[int, int, int]


def _stable_path(path: PurePath) -> tuple[Any, ...]:
    return (str, ("path:" + path.as_posix(),))


def _stable_datetime(value: dt.date) -> tuple[Any, ...]:
    return (str, (f"{type(value).__name__}:{value.isoformat()}",))


# Paths and dates pickle through their class's module path, which is slow and
# says nothing more than their text does.
_BASE_TABLE: dict[type, Any] = {**copyreg.dispatch_table, Path: _stable_path,
                                type(Path()): _stable_path, dt.datetime: _stable_datetime,
                                dt.date: _stable_datetime}


class KeyDigests:
    """Digests of route keys; each article's own digest is made once and stands in
    for it wherever a key holds it (most keys hold articles, many hold the same).

    An article read from a file whose content hash `sources` gives (`Site.sources`)
    is that file parsed with the site's settings, which the settings digest covers:
    its path and that hash identify it, without pickling its body."""

    def __init__(self, sources: Mapping[str, str] | None = None) -> None:
        self._sources = sources or {}
        self._articles: dict[int, bytes] = {}  # id(article) -> digest; articles outlive it
        # One pickler each for keys and for articles (an article is digested while its
        # key is being pickled), reused: making a pickler cost as much as using it.
        self._keys = _Digester({**_BASE_TABLE, Article: self._article})
        self._article_fields = _Digester(_BASE_TABLE)

    def of(self, route: Route) -> bytes | None:
        """The digest of what `route` renders, or None when its data is made on demand
        without a key (such a page is always rendered)."""
        key = route.change_key
        if callable(key):
            return None
        return self._keys.digest((route.template, key))

    def _article(self, article: Article) -> tuple[Any, ...]:
        digest = self._articles.get(id(article))
        if digest is None:
            source = self._sources.get(str(article.path))
            digest = self._articles[id(article)] = (
                f"file:{article.path.as_posix()}\0{source}".encode() if source
                else self._article_fields.digest(article))
        return (bytes, (digest,))


class _Digester:
    """A digest of the pickle of a value, with `table` reducing some types first."""

    def __init__(self, table: Mapping[type, Any]):
        self._buffer = io.BytesIO()
        self._pickler = pickle.Pickler(self._buffer, protocol=pickle.HIGHEST_PROTOCOL)
        self._pickler.dispatch_table = table
        # No memo: with one, a value met twice is written the second time as a
        # reference, so equal keys pickled differently whenever their parts were the
        # same object in one build and equal copies in the next (articles read from
        # the cache or parsed anew), and every page was rendered again. Keys hold no
        # cycles, which is what the memo is for.
        self._pickler.fast = True

    def digest(self, value: object) -> bytes:
        self._buffer.seek(0)
        self._buffer.truncate()
        self._pickler.dump(value)
        with self._buffer.getbuffer() as pickled:
            return hashlib.blake2b(pickled, digest_size=16).digest()


def settings_digest(site: Site, options: str) -> str:
    """What every page depends on besides its key (see the module doc)."""
    digest = hashlib.blake2b(options.encode())
    for name in sorted(_PACKAGE.rglob("*.py")):
        digest.update(name.relative_to(_PACKAGE).as_posix().encode() + b"\0")
        digest.update(name.read_bytes())
    for library in _LIBRARIES:
        digest.update(f"{library}={_version(library)}\0".encode())
    digest.update(_Digester(_BASE_TABLE).digest((site.config, site.topics)))
    for folder in theme_dirs(site.root, site.config):
        for path in sorted(p for p in folder.rglob("*") if p.is_file()):
            digest.update(path.relative_to(folder).as_posix().encode() + b"\0")
            digest.update(path.read_bytes())
    return digest.hexdigest()


def _version(library: str) -> str:
    try:
        return metadata.version(library)
    except metadata.PackageNotFoundError:
        return "absent"


@dataclass(frozen=True)
class Rendered:
    """One page of a build: its output path, its key digest (None: it has no key), and
    how many times it wrote the descriptions that count their writes, by article URL
    (see `opening.Described`), which a page taken as it is keeps from its record."""

    relative: str
    digest: bytes | None
    description_writes: tuple[tuple[str, int], ...] = ()


class PageRecords:
    """The pages of the last build into one output folder: key digest, file status and
    description writes."""

    def __init__(self, root: Path, output: Path, settings: str):
        self.root, self.output, self.settings = root, str(output.resolve()), settings
        # Every output folder's records, kept for `save`: loading them again there
        # costs a fifth of a second at 10k pages. A build into another folder that
        # saves in between is then forgotten, which only costs it renders.
        self._stored = cache.load(root, CACHE_NAME, "")
        mine = self._stored.get(self.output)
        self.pages: dict[str, tuple[bytes, FileStatus, tuple[tuple[str, int], ...]]] = {}
        if isinstance(mine, tuple) and len(mine) == 2 and mine[0] == settings:
            self.pages = mine[1]

    def unchanged(self, relative: str, digest: bytes | None, staged: Path) -> bool:
        """Whether the file for `relative`, hard-linked into staging as `staged`, is
        the one the last build wrote for a key with this digest."""
        known = self.pages.get(relative)
        return (digest is not None and known is not None and known[0] == digest
                and known[1] == _status(staged))

    def kept(self, relative: str, digest: bytes | None) -> Rendered:
        """The record of a page `unchanged` has shown to be as the last build left it."""
        return Rendered(relative, digest, self.pages[relative][2])

    def save(self, pages: Iterable[Rendered],
             statuses: Mapping[str, cache.FileStatus | None]) -> None:
        """Record the pages just committed into the output folder, whose files have
        these statuses (see sitegen.stamp: read once for both)."""
        records = {}
        for page in pages:
            full = statuses.get(page.relative)  # size, mtime, ctime, inode: all but ctime
            if page.digest is not None and full is not None:
                records[page.relative] = (page.digest, (full[0], full[1], full[3]),
                                          page.description_writes)
        stored = self._stored
        stored.pop(self.output, None)
        stored[self.output] = (self.settings, records)
        cache.save(self.root, CACHE_NAME, "", dict(list(stored.items())[-OUTPUTS_KEPT:]))


def _status(path: Path | str) -> FileStatus | None:
    try:
        status = os.stat(path)
    except OSError:
        return None
    return (status.st_size, status.st_mtime_ns, status.st_ino)
