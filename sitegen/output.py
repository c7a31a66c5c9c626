"""Write the built site: into a staging folder beside the output, then swap it in.

The swap is one `renameat2(RENAME_EXCHANGE)` system call where Linux offers
it, so a reader or a killed build never sees a half-written `public/`.
Python has no binding for it, hence ctypes; elsewhere two renames are used.

The staging folder starts as hard links to the previous output, and a file
whose new bytes equal the old ones is left alone: unchanged files are never
rewritten (their times and inodes stay, so rsync and hosts see no change).
A changed file is written aside and renamed over its link, so the previous
output is never modified in place.

The tree the swap takes out is kept as the spare, the next build's staging
folder: most of its files are already links to the live ones, so bringing it
up to date costs what the last build changed, where making 10,000 folders
and links anew and removing the old tree cost seconds. It is trusted for
nothing: every file in it that is not the very inode of the live file is
linked again, and whatever the live output does not have is removed.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

from sitegen.errors import SitegenError

STAGING_PREFIX = ".sitegen-staging-"
SPARE_SUFFIX = "-spare"
# Folders rebuilt whole by another tool (Pagefind rewrites files in place),
# which must never share inodes with the live output.
NOT_REUSED = ("pagefind",)
_AT_FDCWD = -100
_RENAME_EXCHANGE = 2


class Staging:
    """A fresh folder to build into; `commit()` swaps it into place."""

    def __init__(self, output: Path):
        self.output = output.resolve()
        self.output.parent.mkdir(parents=True, exist_ok=True)
        _remove_stale(self.output.parent)
        self.path = self.output.parent / f"{STAGING_PREFIX}{self.output.name}-{os.getpid()}"
        self.spare = self.output.parent / f"{STAGING_PREFIX}{self.output.name}{SPARE_SUFFIX}"
        if self.path.exists():
            shutil.rmtree(self.path)
        self.reused: set[str] = set()
        self._empty: set[str] = set()  # folders linked with nothing in them
        if not self.output.is_dir():
            shutil.rmtree(self.spare, ignore_errors=True)  # the spare of an output now gone
            self.path.mkdir()
        elif _claim(self.spare, self.path):
            self.reused, self._empty = _link_tree(self.output, self.path)
        else:
            self.path.mkdir()
            self.reused, self._empty = _link_tree(self.output, self.path, fresh=True)
        self.produced: set[str] = set()
        self._folders: set[str] = set()
        self.written = 0  # files whose bytes changed

    def write(self, relative: str, data: bytes) -> None:
        self.record(relative, self.store(relative, data))

    def store(self, relative: str, data: bytes) -> bool:
        """Put one file in place unless its bytes are unchanged; True if written.

        Only touches the file system, so render workers call it in parallel and
        the parent process `record`s their results.
        """
        target = self.target(relative)
        if relative not in self.reused:
            # A new file in the staging folder, which nothing reads: written in place.
            self._make_folder(os.path.dirname(target))
            _write_new(target, data)
            return True
        return replace_file(target, data)  # a link to the live output: never written through

    def _make_folder(self, folder: str) -> None:
        if folder in self._folders:  # one mkdir per folder, not per file
            return
        try:  # nearly always the folder is new and its parent is there: one call
            os.mkdir(folder)
        except FileExistsError:
            pass
        except FileNotFoundError:
            os.makedirs(folder, exist_ok=True)
        self._folders.add(folder)

    def record(self, relative: str, changed: bool) -> None:
        self.produced.add(relative)
        self.written += changed

    def copy(self, relative: str, source: Path) -> None:
        self.write(relative, source.read_bytes())

    @property
    def files(self) -> int:
        return len(self.produced)

    def prune(self) -> None:
        """Remove what the previous output had and this build did not produce, and the
        folders left empty (only those can be: each produced file's folder was made)."""
        gone = self.reused - self.produced
        for relative in sorted(gone):
            (self.path / relative).unlink(missing_ok=True)
        candidates = self._empty | {os.path.dirname(relative) for relative in gone}
        for folder in sorted(candidates, key=lambda f: f.count("/"), reverse=True):
            while folder:  # up to, never including, the staging folder itself
                try:
                    os.rmdir(self.path / folder)
                except OSError:
                    break  # not empty (or already gone): nor are the folders above
                folder = os.path.dirname(folder)

    def target(self, relative: str) -> Path:
        """The file for an output path, refusing any path that leaves the folder.

        The check is on the path's text: the staging folder holds no links to
        folders (`_link_tree` recreates folders, links files, skips symlinks), so no path
        that stays inside it as text can lead outside it.
        """
        normal = os.path.normpath(relative)
        if os.path.isabs(normal) or normal in (".", "..") or normal.startswith("../"):
            raise SitegenError(f"refusing to write outside the output folder: {relative}")
        return self.path / normal

    def commit(self) -> None:
        """Swap the staged site into place and keep the previous one as the spare."""
        self.prune()
        if self.output.exists() and not self.output.is_dir():
            raise SitegenError(f"output path exists and is not a folder: {self.output}")
        if self.output.exists() and _exchange(self.path, self.output):
            self._keep_as_spare(self.path)
            return
        old = self.path.with_name(self.path.name + "-old")
        if self.output.exists():
            os.rename(self.output, old)
        os.rename(self.path, self.output)
        self._keep_as_spare(old)

    def _keep_as_spare(self, tree: Path) -> None:
        """Keep `tree` as the next build's staging folder, unless this build changed
        more than half of the files: such a tree would hold a second copy of most of
        the site on disk, and bringing it up to date would cost about what linking
        the live output anew does."""
        if not tree.exists():
            return
        if self.written * 2 > len(self.produced) or not _claim(tree, self.spare):
            shutil.rmtree(tree, ignore_errors=True)

    def discard(self) -> None:
        """After a failed build: what was staged is kept as the spare (the next
        build checks every file of it), so the live output stays as it was."""
        self._keep_as_spare(self.path)


def _exchange(a: Path, b: Path) -> bool:
    """Atomically swap two paths; False where the system cannot."""
    # Imported here: a quick rebuild (sitegen.quick) uses this module only for
    # `replace_file`, and ctypes would be a few milliseconds of its quarter second.
    import ctypes
    import ctypes.util

    libc_name = ctypes.util.find_library("c")
    if libc_name is None:
        return False
    libc = ctypes.CDLL(libc_name, use_errno=True)
    renameat2 = getattr(libc, "renameat2", None)
    if renameat2 is None:
        return False
    result = renameat2(_AT_FDCWD, os.fsencode(a), _AT_FDCWD, os.fsencode(b), _RENAME_EXCHANGE)
    return bool(result == 0)


def _remove_stale(parent: Path) -> None:
    """Remove staging folders left by builds that were killed."""
    for stale in parent.glob(STAGING_PREFIX + "*"):
        pid = stale.name.rsplit("-", 2)[-2] if stale.name.endswith("-old") else \
            stale.name.rsplit("-", 1)[-1]
        if pid.isdigit() and not _alive(int(pid)):
            shutil.rmtree(stale, ignore_errors=True)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _claim(tree: Path, name: Path) -> bool:
    """Rename `tree` to `name` unless something is there; False if it could not be.

    Of two builds that race for one name only one rename succeeds: renaming a
    folder onto a folder that has files fails.
    """
    if name.exists():
        return False
    try:
        os.rename(tree, name)
    except OSError:
        return False
    return True


def _link_tree(source: Path, target: Path, fresh: bool = False
               ) -> tuple[set[str], set[str]]:
    """Make `target` (an empty folder when `fresh`, else an earlier output) a tree of
    hard links to every file of `source`; returns the files' relative paths and those
    of the folders that hold nothing. Symbolic links are left out: a build makes
    none, and one in the staging folder could lead a write outside it.

    Walked with scandir because a DirEntry carries the inode without a stat
    call: a file of an earlier output that is already a link to the live one
    costs one name lookup.
    """
    linked: set[str] = set()
    empty: set[str] = set()

    def walk(relative_dir: str, source_dir: str, target_dir: str, fresh: bool) -> None:
        with os.scandir(source_dir) as entries:
            wanted = {entry.name: entry for entry in entries if not entry.is_symlink()
                      and (relative_dir or entry.name not in NOT_REUSED)}
        present: dict[str, os.DirEntry[str]] = {}
        if not fresh:
            with os.scandir(target_dir) as entries:
                present = {entry.name: entry for entry in entries}
        if not wanted and relative_dir:
            empty.add(relative_dir)
        for name in [name for name, mine in present.items() if _stale(mine, wanted.get(name))]:
            _remove(present.pop(name))
        for name, theirs in wanted.items():
            relative = f"{relative_dir}/{name}" if relative_dir else name
            mine = present.get(name)
            if _is_folder(theirs):
                if mine is None:
                    os.mkdir(f"{target_dir}/{name}")
                walk(relative, theirs.path, f"{target_dir}/{name}", mine is None)
            elif (mine is not None and mine.inode() == theirs.inode()) or _relink(
                    theirs.path, f"{target_dir}/{name}"):
                linked.add(relative)
            elif relative_dir:  # e.g. another file system: the file is written anew,
                empty.add(relative_dir)  # or its folder may be left empty

    walk("", str(source), str(target), fresh)
    return linked, empty


def _stale(mine: os.DirEntry[str], theirs: os.DirEntry[str] | None) -> bool:
    """Whether an entry of the spare has no live counterpart of its kind."""
    return theirs is None or _is_folder(theirs) != _is_folder(mine)


def _is_folder(entry: os.DirEntry[str]) -> bool:
    return entry.is_dir(follow_symlinks=False)


def _remove(entry: os.DirEntry[str]) -> None:
    if _is_folder(entry):
        shutil.rmtree(entry.path)
    else:
        os.unlink(entry.path)


def _relink(source: str, target: str) -> bool:
    """Make `target` a hard link to `source`, in place of any file there; False where
    the system cannot."""
    try:
        try:
            os.link(source, target)
        except FileExistsError:
            os.unlink(target)
            os.link(source, target)
    except OSError:
        return False
    return True


def replace_file(path: Path, data: bytes) -> bool:
    """Put `data` at `path` unless the file there holds it already; whether it wrote.
    Written aside and renamed over: a reader (or a hard link to the same file) sees the
    old bytes or the new, never half, and an unchanged file keeps its inode."""
    if _same_bytes(path, data):
        return False
    aside = path.with_name(f".{path.name}.sitegen-new")
    _write_new(aside, data)
    os.replace(aside, path)
    return True


def _write_new(path: str | Path, data: bytes) -> None:
    """Write a file with plain system calls: `Path.write_bytes` builds a buffered file
    object around them, a third of the time spent writing 10,000 pages."""
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o666)
    try:
        with memoryview(data) as view:
            written = 0
            while written < len(view):  # a regular file takes it all at once, but may not
                written += os.write(descriptor, view[written:])
    finally:
        os.close(descriptor)


def _same_bytes(path: Path, data: bytes) -> bool:
    try:
        return path.stat().st_size == len(data) and path.read_bytes() == data
    except OSError:
        return False
