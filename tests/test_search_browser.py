"""Search in a real browser: the fixture site built under /archive/ and served over http.

Headless Debian Chromium driven by Playwright; the site is published under a sub-path,
so every test also checks that search works when the base URL is not the host root.
"""

from __future__ import annotations

import functools
import threading
from collections.abc import Iterator
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest
from browser import chromium, skip_without_chromium

from sitegen.build import BuildOptions, build

from conftest import FIXTURES

PREFIX = "/archive"

skip_without_chromium()

from playwright.sync_api import Browser, ConsoleMessage, Page, expect  # noqa: E402


class SubPathHandler(SimpleHTTPRequestHandler):
    """Serves the output folder at /archive/, as a host publishing the site under a path."""

    def do_GET(self) -> None:
        # The host's root is not the site's: answer the browser's own favicon probe there.
        if self.path == "/favicon.ico":
            self.send_response(204)
            self.end_headers()
            return
        super().do_GET()

    def translate_path(self, path: str) -> str:
        if not path.startswith(PREFIX + "/"):
            return str(Path(self.directory) / "no such file")
        return super().translate_path(path[len(PREFIX):])

    def log_message(self, format: str, *args: Any) -> None:
        pass


@pytest.fixture(scope="module")
def base_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    output = tmp_path_factory.mktemp("search-browser") / "public"
    handler = functools.partial(SubPathHandler, directory=str(output))
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    url = f"http://127.0.0.1:{server.server_address[1]}{PREFIX}/"
    build(BuildOptions(source=FIXTURES / "search_site", output=output, base_url=url))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield url
    server.shutdown()
    server.server_close()


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    with chromium() as launched:
        yield launched


@pytest.fixture
def page(browser: Browser) -> Iterator[Page]:
    """A fresh page that fails the test if the site logs any console error."""
    errors: list[str] = []
    page = browser.new_page()

    def on_console(message: ConsoleMessage) -> None:
        if message.type == "error":
            errors.append(f"{message.text} at {message.location['url']}")

    page.on("console", on_console)
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    yield page
    page.close()
    assert errors == []


def titles(page: Page, count: int) -> list[str]:
    links = page.locator(".search-result-link")
    expect(links).to_have_count(count)
    return links.all_inner_texts()


def test_typed_word_finds_its_article_first_and_stays_in_the_url(page: Page,
                                                                  base_url: str) -> None:
    page.goto(base_url + "search/")
    page.locator("#search-q").press_sequentially("marmalade")
    assert titles(page, 1)[0] == "Strike ends with a deal on shifts"
    link = page.locator(".search-result-link").first
    assert link.get_attribute("href") == "/archive/2024/02/strike-ends-with-a-deal-on-shifts/"
    assert page.url == base_url + "search/?q=marmalade"
    page.reload()
    assert titles(page, 1) == ["Strike ends with a deal on shifts"]


def test_header_search_box_leads_to_results(page: Page, base_url: str) -> None:
    page.goto(base_url + "2023/05/dockers-walk-out-over-night-shifts/")
    page.fill("#site-search-q", "tractor")
    page.press("#site-search-q", "Enter")
    page.wait_for_url(base_url + "search/?q=tractor")
    assert titles(page, 1) == ["Storm floods the harbour road"]


def test_topic_filter_narrows_results(page: Page, base_url: str) -> None:
    filter_data: list[str] = []
    page.on("request", lambda r: filter_data.append(r.url) if "/pagefind/filter/" in r.url
            else None)
    page.goto(base_url + "search/?q=harbour")
    assert len(titles(page, 4)) == 4
    expect(page.get_by_role("status")).to_have_text("4 results for “harbour”")
    # The filters' data is the biggest part of a first query: fetched only when opened.
    assert filter_data == []
    page.locator(".search-filters summary").click()
    page.locator(".search-filter-label", has_text="Dock strike").click()
    assert sorted(titles(page, 2)) == ["Dockers walk out over night shifts",
                                       "Strike ends with a deal on shifts"]
    assert filter_data
    expect(page.get_by_role("status")).to_have_text("2 results for “harbour”")
    expect(page.locator(".search-filter-label", has_text="Business")).to_have_text(
        "Business (2)")


def test_newest_first(page: Page, base_url: str) -> None:
    page.goto(base_url + "search/?q=harbour")
    titles(page, 4)
    page.select_option("#search-sort", "newest")
    expect(page).to_have_url(base_url + "search/?q=harbour&sort=newest")
    expect(page.locator(".search-result-link")).to_have_text([
        "Monsoon rains return to the coast", "Strike ends with a deal on shifts",
        "Storm floods the harbour road", "Dockers walk out over night shifts"])


def test_newest_first_across_languages(page: Page, base_url: str) -> None:
    # Each language is its own index; newest first must interleave them by date.
    page.goto(base_url + "search/?sort=newest")
    page.locator(".search-filters summary").click()
    page.locator(".search-filter-label", has_text="Sana Baloch").click()
    assert titles(page, 2) == ["کراچی میں موسلا دھار بارش", "Monsoon rains return to the coast"]


def test_urdu_article_found_by_an_urdu_word(page: Page, base_url: str) -> None:
    page.goto(base_url + "search/?q=بندرگاہ")
    assert titles(page, 1) == ["کراچی میں موسلا دھار بارش"]


def test_without_javascript_the_page_points_to_the_archive(browser: Browser,
                                                           base_url: str) -> None:
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(base_url + "search/?q=harbour")
    notice = page.locator("main p.notice").first
    assert "needs JavaScript" in notice.inner_text()
    # Order and filters need the script: without it they are not offered at all.
    expect(page.locator(".search-controls")).to_be_hidden()
    hrefs = notice.locator("a").evaluate_all("links => links.map(a => a.getAttribute('href'))")
    assert hrefs == ["/archive/archive/", "/archive/topics/"]
    context.close()
