"""Layout of the default theme in headless Chromium: widths, measure, dark mode, print, Urdu.

The example archive (this repository) and the fixture site are built once and served over
http on 127.0.0.1; every assertion is on what the browser computed, not on the CSS text.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import ExitStack
from pathlib import Path

import pytest
from browser import chromium, page_paths, serve_folder, skip_without_chromium

from conftest import FIXTURES, REPO, run_sitegen

skip_without_chromium()

from playwright.sync_api import Browser, Page  # noqa: E402

SITES = {"example": REPO, "fixture": FIXTURES / "site"}
WIDTHS = [320, 375, 768, 1280]
URDU_ARTICLE = "/2024/12/library-urdu-reading-room/"


@pytest.fixture(scope="module")
def sites(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, tuple[str, Path]]]:
    """Each site built once and served over http on 127.0.0.1: name -> (base URL, output)."""
    with ExitStack() as stack:
        served = {}
        for name, source in SITES.items():
            output = tmp_path_factory.mktemp(f"layout-{name}") / "public"
            result = run_sitegen("build", "--source", source, "--output", output, "--quiet")
            assert result.returncode == 0, result.stderr
            served[name] = (stack.enter_context(serve_folder(output)), output)
        yield served


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    with chromium() as launched:
        yield launched


@pytest.fixture
def tab(browser: Browser) -> Iterator[Page]:
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    yield page
    page.close()


@pytest.mark.parametrize("width", WIDTHS)
def test_no_page_scrolls_sideways(browser: Browser, sites: dict[str, tuple[str, Path]],
                                  width: int) -> None:
    page = browser.new_page(viewport={"width": width, "height": 800})
    wide = {}
    for site, (base, output) in sites.items():
        paths = {**page_paths(output), "search": "/search/?q=talks"}
        if site == "fixture":
            paths["urdu article"] = URDU_ARTICLE
        for kind, path in paths.items():
            page.goto(base + path)
            if kind == "search":  # measured with the results in, the widest state
                page.locator(".search-result").first.wait_for(timeout=10_000)
            scroll, inner = page.evaluate(
                "[document.documentElement.scrollWidth, window.innerWidth]")
            if scroll > inner:
                wide[f"{site} {kind}"] = scroll
    page.close()
    assert wide == {}


# Characters per line of a paragraph: its width over the mean advance of its own text,
# measured in the paragraph's computed font.
CHARS_PER_LINE = """p => {
  const style = getComputedStyle(p);
  const context = document.createElement('canvas').getContext('2d');
  context.font = style.font;
  const text = p.textContent;
  return p.clientWidth / (context.measureText(text).width / text.length);
}"""


@pytest.mark.parametrize("site", SITES)
def test_body_lines_stay_a_readable_length(tab: Page, sites: dict[str, tuple[str, Path]],
                                           site: str) -> None:
    base, output = sites[site]
    tab.goto(base + page_paths(output)["article"])
    paragraph = tab.locator(".article-body p:not(.dateline)").first
    chars = paragraph.evaluate(CHARS_PER_LINE)
    assert 45 <= chars <= 80


def background_lightness(page: Page) -> float:
    """Mean of the body's background R, G, B, from 0 (black) to 255 (white)."""
    rgb = page.evaluate("getComputedStyle(document.body).backgroundColor")
    channels = [int(c) for c in rgb[rgb.index("(") + 1:rgb.index(")")].split(",")[:3]]
    return sum(channels) / 3


def test_dark_mode_follows_the_reader_setting(tab: Page,
                                              sites: dict[str, tuple[str, Path]]) -> None:
    base, output = sites["example"]
    tab.goto(base + page_paths(output)["article"])
    tab.emulate_media(color_scheme="light")
    assert background_lightness(tab) > 200
    tab.emulate_media(color_scheme="dark")
    assert background_lightness(tab) < 50
    text = tab.evaluate("getComputedStyle(document.querySelector('.article-body p')).color")
    assert text.startswith("rgb(2")  # light text on the dark background


def test_print_hides_navigation_and_prints_link_urls(tab: Page,
                                                     sites: dict[str, tuple[str, Path]]) -> None:
    base, output = sites["fixture"]
    tab.goto(base + "/2025/02/mediators-propose-joint-patrols/")
    tab.emulate_media(media="print")
    for selector in (".site-nav", ".site-search", ".skip-link"):
        assert tab.locator(selector).evaluate("e => getComputedStyle(e).display") == "none"
    links = tab.locator("main a[href]:not([href^='#'])")
    assert links.count() >= 2
    for href, after in links.evaluate_all(
            "links => links.map(a => [a.getAttribute('href'),"
            " getComputedStyle(a, '::after').content])"):
        assert after == f'" ({href})"'
    # A footnote reference points within the sheet: no URL is printed after it.
    footnote = tab.locator("main a[href^='#']").first
    assert footnote.evaluate("a => getComputedStyle(a, '::after').content") == "none"
    tab.emulate_media(media="screen")
    assert tab.locator(".site-nav").evaluate("e => getComputedStyle(e).display") != "none"


def test_urdu_article_is_right_to_left_in_an_urdu_font(tab: Page,
                                                       sites: dict[str, tuple[str, Path]]) -> None:
    base, _ = sites["fixture"]
    tab.goto(base + URDU_ARTICLE)
    html = tab.locator("html")
    assert (html.get_attribute("lang"), html.get_attribute("dir")) == ("ur", "rtl")
    body = tab.locator(".article-body p").first
    assert body.evaluate("p => getComputedStyle(p).direction") == "rtl"
    assert "Noto Nastaliq Urdu" in body.evaluate("p => getComputedStyle(p).fontFamily")
    # The date in Urdu: the month's Urdu name, as babel writes it for lang: ur.
    assert tab.locator(".article-meta time").first.inner_text() == "5 دسمبر، 2024"
    # The site's own header stays English and left to right around the story.
    header = tab.locator(".site-header")
    assert header.get_attribute("lang") == "en"
    assert header.evaluate("h => getComputedStyle(h).direction") == "ltr"


def test_urdu_article_is_found_by_an_urdu_word(tab: Page,
                                               sites: dict[str, tuple[str, Path]]) -> None:
    # As tests/test_search_browser.py does for its own fixture: an English search page
    # merges in the Urdu index, so an Urdu word finds the Urdu story.
    base, _ = sites["fixture"]
    tab.goto(base + "/search/?q=مطالعہ")
    result = tab.locator(".search-result-title").first
    result.wait_for(timeout=10_000)
    assert result.inner_text() == "کتب خانے میں اردو مطالعہ گاہ کھل گئی"
