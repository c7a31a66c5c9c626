"""The staging folder: paths stay inside it, and the live output is never written through."""

from __future__ import annotations

from pathlib import Path

import pytest

from sitegen.errors import SitegenError
from sitegen.output import Staging


@pytest.mark.parametrize("relative", ["../x.html", "/etc/passwd", "a/../../x.html", "", ".",
                                      "a/.."])
def test_paths_that_leave_the_folder_are_refused(tmp_path: Path, relative: str) -> None:
    staging = Staging(tmp_path / "public")
    with pytest.raises(SitegenError, match="refusing to write outside"):
        staging.target(relative)
    staging.discard()


def test_new_files_and_replaced_files(tmp_path: Path) -> None:
    output = tmp_path / "public"
    first = Staging(output)
    first.write("a/b/index.html", b"old")
    first.write("same.html", b"same")
    first.commit()
    live = output / "a/b/index.html"
    live_inode = live.stat().st_ino

    second = Staging(output)
    second.write("a/b/index.html", b"new")
    second.write("same.html", b"same")
    second.write("c/d/new.html", b"fresh")
    # Before the swap, the live file is untouched: the change went to a new inode.
    assert live.read_bytes() == b"old"
    assert (second.path / "a/b/index.html").stat().st_ino != live_inode
    assert second.written == 2  # the changed file and the new one, not the same bytes
    second.commit()
    assert (output / "a/b/index.html").read_bytes() == b"new"
    assert (output / "c/d/new.html").read_bytes() == b"fresh"


def test_files_not_produced_again_are_removed_with_the_folders_they_leave_empty(
        tmp_path: Path) -> None:
    output = tmp_path / "public"
    first = Staging(output)
    for relative in ("gone/deep/page.html", "kept/page.html", "kept/old.html", "top.html"):
        first.write(relative, b"x")
    first.commit()
    (output / "stray/empty").mkdir(parents=True)  # an empty folder left by someone

    second = Staging(output)
    second.write("kept/page.html", b"x")
    second.commit()
    folders = sorted(p.relative_to(output).as_posix() for p in output.rglob("*"))
    assert folders == ["kept", "kept/page.html"]
