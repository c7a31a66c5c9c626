"""Page weight: what a reader downloads for an article, and no script that blocks rendering."""

from __future__ import annotations

import gzip
import hashlib
from collections.abc import Iterator
from html.parser import HTMLParser
from pathlib import Path

import pytest

from conftest import FIXTURES, REPO, run_sitegen

BUDGET = 30 * 1024  # bytes, gzip -9 of an article's HTML plus its stylesheets


class HeadParser(HTMLParser):
    """Collects stylesheet links, and every <script src> with where it is and how it loads."""

    def __init__(self) -> None:
        super().__init__()
        self.in_head = False
        self.stylesheets: list[str] = []
        self.icons: list[str] = []
        self.scripts: list[tuple[str, bool, bool]] = []  # (src, in <head>, blocks rendering)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attr = dict(attrs)
        if tag == "head":
            self.in_head = True
        elif tag == "body":
            self.in_head = False
        elif tag == "link" and "stylesheet" in (attr.get("rel") or "").split():
            self.stylesheets.append(attr["href"] or "")
        elif tag == "link" and attr.get("rel") == "icon":
            self.icons.append(attr["href"] or "")
        elif tag == "script" and attr.get("src"):
            deferred = "defer" in attr or "async" in attr or attr.get("type") == "module"
            self.scripts.append((attr["src"] or "", self.in_head, not deferred))

    def handle_endtag(self, tag: str) -> None:
        if tag == "head":
            self.in_head = False


def parse(page: Path) -> HeadParser:
    parser = HeadParser()
    parser.feed(page.read_text(encoding="utf-8"))
    return parser


@pytest.fixture(scope="module", params=["example", "fixture"])
def output(request: pytest.FixtureRequest,
           tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    source = REPO if request.param == "example" else FIXTURES / "site"
    output = tmp_path_factory.mktemp(f"weight-{request.param}") / "public"
    result = run_sitegen("build", "--source", source, "--output", output, "--quiet")
    assert result.returncode == 0, result.stderr
    yield output


def articles(output: Path) -> list[Path]:
    return sorted(output.glob("[0-9][0-9][0-9][0-9]/[0-9][0-9]/*/index.html"))


def test_article_html_and_css_fit_the_budget(output: Path) -> None:
    for page in articles(output):
        stylesheets = parse(page).stylesheets
        assert stylesheets, page
        files = [page] + [output / href.lstrip("/") for href in stylesheets]
        compressed = sum(len(gzip.compress(f.read_bytes(), compresslevel=9)) for f in files)
        assert compressed <= BUDGET, (page, compressed)


def test_no_render_blocking_script_and_search_code_only_on_search(output: Path) -> None:
    pages = [p for p in output.rglob("*.html") if "pagefind" not in p.parts]
    assert len(pages) > 10
    for page in pages:
        scripts = parse(page).scripts
        assert not [src for src, in_head, blocks in scripts if in_head and blocks], page
        on_search_page = page == output / "search" / "index.html"
        if not on_search_page:
            assert scripts == [], page
    search_scripts = [src for src, _, _ in parse(output / "search" / "index.html").scripts]
    assert any("search" in src for src in search_scripts)
    assert all(not blocks for _, _, blocks in parse(output / "search" / "index.html").scripts)


def test_the_icon_name_carries_its_content_hash(output: Path) -> None:
    # /assets/ is cached for a year (netlify.toml): the build names the icon by its content.
    icons = parse(output / "index.html").icons
    assert len(icons) == 1
    icon = output / icons[0].lstrip("/")
    digest = hashlib.sha256(icon.read_bytes()).hexdigest()[:10]
    assert icon.name == f"favicon.{digest}.svg"
