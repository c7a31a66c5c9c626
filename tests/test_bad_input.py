"""The bad-input matrix: every case is a clear `path:line: message`, exit 1, no
traceback, and the previous `public/` stays byte-identical."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

from conftest import FIXTURES, run_sitegen, tree

ARTICLES = Path("content/articles/2025/03")
GOOD = "---\ntitle: Fine\ndate: 2025-03-01\n---\nBody.\n"


def write(name: str, data: bytes | str) -> Callable[[Path], None]:
    def make(site: Path) -> None:
        path = site / ARTICLES / name
        if isinstance(data, str):
            path.write_text(data, encoding="utf-8")
        else:
            path.write_bytes(data)
    return make


def dangling_link(site: Path) -> None:
    (site / ARTICLES / "gone.md").symlink_to(site / "nowhere.md")


def symlink_loop(site: Path) -> None:
    (site / ARTICLES / "loop-a.md").symlink_to(site / ARTICLES / "loop-b.md")
    (site / ARTICLES / "loop-b.md").symlink_to(site / ARTICLES / "loop-a.md")
    (site / ARTICLES / "again").symlink_to(site / "content")  # a folder loop is not followed


def duplicate(site: Path) -> None:
    text = (site / ARTICLES / "border-agreement-signed.md").read_text()
    (site / ARTICLES / "copy.md").write_text(text)


CASES: dict[str, tuple[Callable[[Path], None], str]] = {
    "malformed-yaml": (write("a.md", "---\ntitle: [x\ndate: 2025-03-01\n---\n"),
                       f"{ARTICLES}/a.md:3: malformed YAML"),
    "missing-fence": (write("a.md", "title: x\ndate: 2025-03-01\n"),
                      f"{ARTICLES}/a.md:1: no front-matter"),
    "missing-title": (write("a.md", "---\ndate: 2025-03-01\n---\n"),
                      f"{ARTICLES}/a.md:1: missing required key 'title'"),
    "missing-date": (write("a.md", "---\ntitle: x\n---\n"),
                     f"{ARTICLES}/a.md:1: missing required key 'date'"),
    "wrong-type": (write("a.md", "---\ntitle: x\ndate: 2025-03-01\ndraft: 'yes'\n---\n"),
                   f"{ARTICLES}/a.md:4: 'draft' must be true or false, not 'yes'"),
    "impossible-date": (write("a.md", "---\ntitle: x\ndate: 2025-02-30\n---\n"),
                        f"{ARTICLES}/a.md:3: invalid value for 'date': day is out of range"),
    "unknown-key": (write("a.md", "---\ntitle: x\ndate: 2025-03-01\nsection_: y\n---\n"),
                    f"{ARTICLES}/a.md:4: unknown key 'section_': did you mean 'section'?"),
    "duplicate-url": (duplicate, f"{ARTICLES}/copy.md:2: duplicate URL /2025/03/"),
    "slug-dotdot": (write("a.md", "---\ntitle: x\ndate: 2025-03-01\nslug: ../../etc\n---\n"),
                    f"{ARTICLES}/a.md:4: 'slug' '../../etc' is not a slug"),
    "slug-slash": (write("a.md", "---\ntitle: x\ndate: 2025-03-01\nslug: a/b\n---\n"),
                   f"{ARTICLES}/a.md:4: 'slug' 'a/b' is not a slug"),
    "alias-dotdot": (write("a.md", "---\ntitle: x\ndate: 2025-03-01\naliases: [/a/../../b/]\n"
                                   "---\n"), f"{ARTICLES}/a.md:4: 'aliases' entry"),
    "alias-absolute-url": (write("a.md", "---\ntitle: x\ndate: 2025-03-01\n"
                                         "aliases: ['//evil.example/x']\n---\n"),
                           f"{ARTICLES}/a.md:4: 'aliases' entry"),
    "empty-file": (write("a.md", ""), f"{ARTICLES}/a.md:1: empty file"),
    "huge-file": (write("a.md", "---\ntitle: x\ndate: 2025-03-01\n---\n" + "word " * 4_200_000),
                  f"{ARTICLES}/a.md: file is too large (20.0 MB"),
    "binary-file": (write("a.md", b"\x7fELF\x02\x01\x01\x00\x00\x00"),
                    f"{ARTICLES}/a.md:1: binary file"),
    "not-utf8": (write("a.md", "---\ntitle: café\ndate: 2025-03-01\n---\n".encode("cp1252")),
                 f"{ARTICLES}/a.md:2: not UTF-8 text (byte 0xe9)"),
    # Tests run as root, who may read any file: a dangling link gives the same
    # OSError path as a permission error.
    "unreadable": (dangling_link, f"{ARTICLES}/gone.md: cannot read file"),
    "symlink-loop": (symlink_loop, f"{ARTICLES}/loop-a.md: cannot read file"),
}



@pytest.fixture(scope="module")
def built_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    site = tmp_path_factory.mktemp("bad") / "site"
    shutil.copytree(FIXTURES / "site", site)
    assert run_sitegen("build", "--no-search", cwd=site).returncode == 0
    return site


@pytest.mark.parametrize("case", sorted(CASES))
@pytest.mark.parametrize("command", ["build", "check"])
def test_bad_input(case: str, command: str, built_site: Path, tmp_path: Path) -> None:
    site = tmp_path / "site"
    shutil.copytree(built_site, site, symlinks=True)
    before = tree(site / "public")
    make, message = CASES[case]
    make(site)
    result = run_sitegen(command, "--no-search", cwd=site)
    assert result.returncode == 1, result.stdout
    assert "Traceback" not in result.stderr
    assert result.stderr.startswith(message), result.stderr
    assert ":" in result.stderr.split(" ", 1)[0]  # path:line: or path:
    assert tree(site / "public") == before


@pytest.mark.parametrize("data", [
    b"\xef\xbb\xbf" + GOOD.encode(),
    GOOD.replace("\n", "\r\n").encode(),
])
def test_bom_and_crlf_build_like_plain_files(data: bytes, tmp_path: Path) -> None:
    """A BOM or Windows line ends are not errors: the article builds as if plain."""
    site = tmp_path / "site"
    shutil.copytree(FIXTURES / "site", site)
    (site / ARTICLES / "fine.md").write_bytes(data)
    result = run_sitegen("build", "--no-search", cwd=site)
    assert result.returncode == 0, result.stderr
    page = (site / "public/2025/03/fine/index.html").read_text()
    assert "<p>Body.</p>" in page and "\r" not in page


@pytest.mark.parametrize("command", ["build", "check", "serve"])
def test_a_source_folder_that_is_not_there_is_an_error(command: str, tmp_path: Path) -> None:
    """A mistyped --source names no site: nothing is built there, and the user is told."""
    missing = tmp_path / "sitte"
    result = run_sitegen(command, "--source", missing, "--no-search")
    assert result.returncode == 1
    assert result.stderr == f"{missing}: no such folder: --source names the site's folder\n"
    assert not missing.exists()
