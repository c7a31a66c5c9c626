"""Write the built site: into a staging folder beside the output, then swap it in.

The swap is one `renameat2(RENAME_EXCHANGE)` system call where Linux offers
it, so a reader or a killed build never sees a half-written `public/`.
Python has no binding for it, hence ctypes; elsewhere two renames are used.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import os
import shutil
from collections.abc import Iterable
from pathlib import Path

from sitegen.errors import SitegenError

STAGING_PREFIX = ".sitegen-staging-"
_AT_FDCWD = -100
_RENAME_EXCHANGE = 2


class Staging:
    """A fresh folder to build into; `commit()` swaps it into place."""

    def __init__(self, output: Path):
        self.output = output.resolve()
        self.output.parent.mkdir(parents=True, exist_ok=True)
        _remove_stale(self.output.parent)
        self.path = self.output.parent / f"{STAGING_PREFIX}{self.output.name}-{os.getpid()}"
        if self.path.exists():
            shutil.rmtree(self.path)
        self.path.mkdir()
        self.written = 0

    def write(self, relative: str, data: bytes) -> None:
        target = self.target(relative)
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)
        self.written += 1

    def copy(self, relative: str, source: Path) -> None:
        target = self.target(relative)
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(source, target)
        self.written += 1

    def target(self, relative: str) -> Path:
        """The file for an output path, refusing any path that leaves the folder."""
        target = (self.path / relative).resolve()
        if not target.is_relative_to(self.path) or target == self.path:
            raise SitegenError(f"refusing to write outside the output folder: {relative}")
        return target

    def commit(self) -> None:
        """Swap the staged site into place and remove the previous one."""
        if self.output.exists() and not self.output.is_dir():
            raise SitegenError(f"output path exists and is not a folder: {self.output}")
        if self.output.exists() and _exchange(self.path, self.output):
            shutil.rmtree(self.path)
            return
        old = self.path.with_name(self.path.name + "-old")
        if self.output.exists():
            os.rename(self.output, old)
        os.rename(self.path, self.output)
        shutil.rmtree(old, ignore_errors=True)

    def discard(self) -> None:
        shutil.rmtree(self.path, ignore_errors=True)


def _exchange(a: Path, b: Path) -> bool:
    """Atomically swap two paths; False where the system cannot."""
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


def tree_files(folder: Path) -> Iterable[Path]:
    return sorted(p for p in folder.rglob("*") if p.is_file())
