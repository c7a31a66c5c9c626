"""The staging folder: paths stay inside it, and the live output is never written through."""

from __future__ import annotations

import shutil
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


def _tree(folder: Path) -> dict[str, tuple[bytes, int] | None]:
    """Every path under `folder`: a file's bytes and inode, None for a folder."""
    return {path.relative_to(folder).as_posix():
            (path.read_bytes(), path.stat().st_ino) if path.is_file() else None
            for path in sorted(folder.rglob("*"))}


def test_the_swapped_out_tree_is_the_next_staging_folder_and_trusted_for_nothing(
        tmp_path: Path) -> None:
    output = tmp_path / "public"
    for content in (b"one", b"two"):  # two builds: the spare is one build behind
        first = Staging(output)
        first.write("a/page.html", content)
        first.write("kept.html", b"kept")
        first.write("old/gone.html", b"gone")
        first.commit()
    spare = first.spare
    assert spare.is_dir() and not first.path.exists()
    # Damage the spare every way it could be: a stray file, a file changed in
    # place (a new inode), a folder where a file belongs, a search index.
    (spare / "stray.html").write_bytes(b"stray")
    (spare / "kept.html").unlink()
    (spare / "kept.html").write_bytes(b"tampered")
    (spare / "old/gone.html").unlink()
    (spare / "old/gone.html").mkdir()
    (spare / "pagefind").mkdir()
    (spare / "pagefind/index.js").write_bytes(b"old index")

    second = Staging(output)
    assert not spare.exists()  # claimed, not copied
    assert _tree(second.path) == _tree(output)  # the same files, as links to the live ones
    assert second.reused == {"a/page.html", "kept.html", "old/gone.html"}
    second.write("a/page.html", b"three")
    second.write("kept.html", b"kept")
    second.commit()
    assert (output / "a/page.html").read_bytes() == b"three"
    assert sorted(_tree(output)) == ["a", "a/page.html", "kept.html"]


def test_a_failed_build_leaves_the_output_alone_and_its_staging_as_the_spare(
        tmp_path: Path) -> None:
    output = tmp_path / "public"
    kept = ("one.html", "two.html", "three.html")
    first = Staging(output)
    for name in ("page.html", *kept):
        first.write(name, b"good")
    first.commit()
    before = _tree(output)
    failed = Staging(output)
    failed.write("page.html", b"half")
    for name in kept:
        failed.write(name, b"good")
    failed.discard()
    assert _tree(output) == before
    assert failed.spare.is_dir()

    after = Staging(output)
    assert _tree(after.path) == before  # the half-written page is linked to the live one
    for name in ("page.html", *kept):
        after.write(name, b"good")
    after.commit()
    assert _tree(output) == before


def test_without_a_live_output_a_left_over_spare_is_removed(tmp_path: Path) -> None:
    output = tmp_path / "public"
    for _ in range(2):
        staging = Staging(output)
        staging.write("page.html", b"x")
        staging.commit()
    shutil.rmtree(output)
    staging = Staging(output)
    assert not staging.spare.exists() and _tree(staging.path) == {}
    staging.discard()


def test_a_tree_most_of_whose_files_changed_is_not_kept(tmp_path: Path) -> None:
    output = tmp_path / "public"
    for content in (b"one", b"two", b"three"):
        staging = Staging(output)
        staging.write("a.html", content)
        staging.write("b.html", content)
        staging.write("same.html", b"same")
        staging.commit()
        # Two of three files changed: the old tree would be mostly a second copy.
        assert not staging.spare.exists()
    staging = Staging(output)
    staging.write("a.html", b"four")
    for name in ("b.html", "same.html", "c.html"):
        staging.write(name, (output / name).read_bytes() if name != "c.html" else b"new")
    staging.commit()
    assert staging.spare.is_dir()  # two of four written: half, so kept
