"""Skip a build whose inputs and output are exactly as the last build left them.

A rebuild with nothing changed must take well under a second even for a big
archive, so it may not load or render anything. The stamp records what the
last good build saw: the status (size, times, inode) of every input file and
every output file, and the options. If all of that is unchanged, so would
the output be, since the build is deterministic. Any difference, or a stamp
that cannot be read, means "build".
"""

from __future__ import annotations

import hashlib
import json
import marshal
import os
from collections.abc import Callable, Collection
from pathlib import Path
from typing import Any

from sitegen import __version__
from sitegen.cache import CACHE_DIR, FileStatus, file_status
from sitegen.theme import default_theme_dir

INPUT_PARTS = ("content", "themes", "sitegen.toml")
_PACKAGE = Path(__file__).resolve().parent


# File name -> its status (None: unreadable), in the order of a walk (names sorted):
# what the stamp digests, and what sitegen.quick compares file by file. A folder's
# name ends in "/" (see `_walk`).
Statuses = dict[str, FileStatus | None]


def _tree_status(root: Path, parts: tuple[str, ...], found: Statuses,
                 folders: bool = False) -> None:
    for part in parts:
        top = root / part
        if top.is_file():
            found[part] = file_status(top)
        elif top.is_dir():
            _walk(str(top), part, found, folders)


def _walk(folder: str, shown: str, found: Statuses, folders: bool) -> None:
    """Every file under `folder` in name order, as os.walk would find them (folder links
    are not followed), and with `folders` each folder too: a file added or removed
    changes its folder's status, so checking the status of the files and folders a
    walk found tells whether the tree is the same without walking it again.
    Directory entries and plain strings, not Path objects: an output folder holds
    tens of thousands of files, and this runs on every build."""
    if folders:
        found[f"{shown}/"] = file_status(folder)
    try:
        entries = sorted(os.scandir(folder), key=lambda entry: entry.name)
    except OSError:
        found[f"{shown}/"] = None
        return
    for entry in entries:
        name = f"{shown}/{entry.name}"
        try:
            is_folder = entry.is_dir()
        except OSError:  # a link loop: not a folder, and its status is None
            is_folder = False
        if is_folder:
            if not entry.is_symlink():
                _walk(entry.path, name, found, folders)
        else:
            found[name] = file_status(entry)


# Statuses digested together: the digest is made of those of runs of this many, so
# that a change to a few statuses is digested again in a run each (see `Digested`).
_RUN = 1024


def _digest(head: str, statuses: Statuses) -> str:
    return _combined(head, _run_digests(list(statuses.items())))


def _combined(head: str, runs: list[bytes]) -> str:
    return hashlib.blake2b(head.encode() + b"".join(runs)).hexdigest()


def _run_digests(items: list[tuple[str, FileStatus | None]], start: int = 0,
                 stop: int | None = None) -> list[bytes]:
    """The digest of each run of statuses (in walk order) from run `start` to `stop`.
    marshal writes them four times faster than repr, and version 2 writes no
    references, so equal statuses give equal bytes whatever objects they share."""
    stop = -(-len(items) // _RUN) if stop is None else stop
    return [hashlib.blake2b(marshal.dumps(items[run * _RUN : (run + 1) * _RUN], 2),
                            digest_size=16).digest() for run in range(start, stop)]


class Digested:
    """`output_digest` of statuses that change a few at a time, kept up to date run by
    run: for sitegen.output_check, which digests the 28,000 output statuses once while
    the quick rebuild works, not after it (about 0.01 s)."""

    def __init__(self, output: Path, statuses: Statuses, runs: list[bytes] | None = None):
        """`runs`: the `runs` of a Digested of these statuses, when kept (they are not
        made again: a build with nothing changed waited for that)."""
        self._head = str(output.resolve())
        self._items = list(statuses.items())
        self._runs = _run_digests(self._items) if runs is None else list(runs)
        self._at: dict[str, int] = {}  # name -> index in `_items`, made for `update`

    @property
    def runs(self) -> list[bytes]:
        """The digest of each run of statuses, to keep with them."""
        return list(self._runs)

    def update(self, changed: Statuses) -> None:
        """As `dict.update` would change the statuses: a new name goes last."""
        if not self._at:
            self._at = {name: index for index, (name, _) in enumerate(self._items)}
        runs = set()
        for name, status in changed.items():
            index = self._at.setdefault(name, len(self._items))
            if index == len(self._items):
                self._items.append((name, status))
            else:
                self._items[index] = (name, status)
            runs.add(index // _RUN)
        for run in sorted(runs):  # in order: a new run goes last
            self._runs[run : run + 1] = _run_digests(self._items, run, run + 1)

    def hexdigest(self) -> str:
        return _combined(self._head, self._runs)


def input_statuses(source: Path) -> Statuses:
    """The status of every file a build reads: the site's content, themes and config,
    the default theme and sitegen's own code (an edited checkout keeps its version)."""
    found: Statuses = {}
    _tree_status(source, INPUT_PARTS, found)
    theme = default_theme_dir()
    _tree_status(theme.parent, (theme.name,), found)
    for module in sorted(_PACKAGE.rglob("*.py")):
        found[f"sitegen:{module.relative_to(_PACKAGE).as_posix()}"] = file_status(module)
    return found


def inputs_digest(inputs: Statuses, options: str) -> str:
    return _digest(f"{__version__}\0{options}\n", inputs)


def output_statuses(output: Path, files: Collection[str] | None = None) -> Statuses:
    """The status of every file and folder in the output folder (see `_walk`). When
    `files` names every file there, as a build knows, they and their folders are
    looked up in the order a walk would find them, instead of walking: listing
    14,000 folders was most of the time."""
    found: Statuses = {}
    if not output.is_dir():
        return found
    found["./"] = file_status(output)
    if files is None:
        _tree_status(output, tuple(sorted(p.name for p in output.iterdir())), found,
                     folders=True)
        return found
    names = dict.fromkeys(os.path.normpath(file).replace(os.sep, "/") for file in files)
    for name in list(names):
        folder = name.rpartition("/")[0]
        while folder and folder + "/" not in names:  # its folders, each once
            names[folder + "/"] = None
            folder = folder.rpartition("/")[0]
    root = str(output)
    for name in sorted(names, key=_walk_order):
        found[name] = file_status(f"{root}/{name}")
    return found


def _walk_order(name: str) -> str:
    """A key that sorts names part by part, as a walk sorts each folder by name: with
    NUL, which no name holds, between the parts, a folder comes before what is in it
    and right after the names its own name begins ("a" < "a\0b" < "a-b"). Sorting the
    parts as tuples took a third of the time the statuses took."""
    return name.rstrip("/").replace("/", "\0")


def output_digest(output: Path, statuses: Statuses | None = None) -> str:
    """The digest of the output folder's files, walked now unless `statuses` says
    what they are."""
    return _digest(str(output.resolve()), output_statuses(output) if statuses is None
                   else statuses)


STAMPS_KEPT = 8  # output folders remembered; older ones are forgotten (it only costs a build)


def _stamps_path(source: Path) -> Path:
    return source / CACHE_DIR / "last-builds.json"


def _read_stamps(source: Path) -> dict[str, dict[str, Any]]:
    """Output folder -> the stamp of its last good build, oldest first; {} if unreadable."""
    try:
        stamps = json.loads(_stamps_path(source).read_text())
    except (OSError, ValueError):
        return {}
    return stamps if isinstance(stamps, dict) else {}


def _write_stamps(source: Path, stamps: dict[str, dict[str, Any]]) -> None:
    """Store atomically; a stamp that cannot be written only costs speed."""
    path = _stamps_path(source)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        aside = path.with_suffix(f".tmp-{os.getpid()}")
        aside.write_text(json.dumps(stamps))
        os.replace(aside, path)
    except OSError:
        pass


def is_fresh(source: Path, output: Path, inputs: str,
             kept_digest: Callable[[], str | None] | None = None) -> dict[str, int] | None:
    """The last build's counts when nothing changed since it, else None; `inputs`
    is the `inputs_digest` now, and `kept_digest` gives the output's digest when it
    can tell it without walking the folder (see sitegen.output_check), else None."""
    stamp = _read_stamps(source).get(str(output.resolve()))
    if not isinstance(stamp, dict) or not output.is_dir():
        return None
    if stamp.get("inputs") != inputs:
        return None
    if stamp.get("output") != ((kept_digest and kept_digest()) or output_digest(output)):
        return None
    counts = stamp.get("counts")
    return counts if isinstance(counts, dict) else None


def record(source: Path, output: Path, inputs: str, output_digest: str,
           counts: dict[str, int]) -> None:
    """Remember a good build into `output` (whose `output_digest` is as given), and
    the last few other output folders'. `inputs` is the `inputs_digest` taken before
    the build read anything: a file edited while it ran then differs from the stamp,
    and the next build sees it."""
    stamps = _read_stamps(source)
    key = str(output.resolve())
    stamps.pop(key, None)
    stamps[key] = {"inputs": inputs, "output": output_digest, "counts": counts}
    _write_stamps(source, dict(list(stamps.items())[-STAMPS_KEPT:]))


def forget(source: Path, output: Path) -> None:
    stamps = _read_stamps(source)
    if stamps.pop(str(output.resolve()), None) is not None:
        _write_stamps(source, stamps)
