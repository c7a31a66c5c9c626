"""Accessibility of the default theme, checked in headless Chromium.

axe-core runs on every kind of page of the example archive (this repository) and of the
fixture site, in light and dark mode; keyboard use, landmarks and headings are asserted
directly, since axe only flags some of their failures.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import ExitStack
from pathlib import Path
from typing import Any

import pytest
from browser import chromium, page_paths, serve_folder, skip_without_chromium

from conftest import FIXTURES, REPO, run_sitegen

skip_without_chromium()

from axe_playwright_python.sync_playwright import Axe  # noqa: E402
from playwright.sync_api import Browser, Page  # noqa: E402

SITES = {"example": REPO, "fixture": FIXTURES / "site"}


@pytest.fixture(scope="module")
def sites(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, tuple[str, Path]]]:
    """Each site built once and served over http on 127.0.0.1: name -> (base URL, output)."""
    with ExitStack() as stack:
        served = {}
        for name, source in SITES.items():
            output = tmp_path_factory.mktemp(f"a11y-{name}") / "public"
            result = run_sitegen("build", "--source", source, "--output", output, "--quiet")
            assert result.returncode == 0, result.stderr
            served[name] = (stack.enter_context(serve_folder(output)), output)
        yield served


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    with chromium() as launched:
        yield launched


def summary(violations: list[dict[str, Any]]) -> list[str]:
    return [f"{v['id']}: {[n['target'] for n in v['nodes']]}" for v in violations]


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("site", SITES)
def test_axe_finds_no_violations(browser: Browser, sites: dict[str, tuple[str, Path]],
                                 site: str, scheme: str) -> None:
    base, output = sites[site]
    context = browser.new_context(color_scheme=scheme)
    page = context.new_page()
    axe = Axe()
    found = {}
    paths = page_paths(output)
    # The search page once more with results on it: the search UI is part of the page.
    paths["search results"] = "/search/?q=talks"
    for kind, path in paths.items():
        page.goto(base + path)
        # Search pages are checked as readers see them: with the search UI (and results) in.
        if kind == "search":
            page.locator(".search-controls").wait_for()
        if kind == "search results":
            page.locator(".search-result").first.wait_for(timeout=10_000)
        violations = axe.run(page).response["violations"]
        if violations:
            found[f"{kind} {path}"] = summary(violations)
    context.close()
    assert found == {}


@pytest.fixture
def tab(browser: Browser) -> Iterator[Page]:
    page = browser.new_page()
    yield page
    page.close()


def test_skip_link_shows_on_focus_and_moves_focus_to_main(
        tab: Page, sites: dict[str, tuple[str, Path]]) -> None:
    base, output = sites["example"]
    tab.goto(base + page_paths(output)["article"])
    skip = tab.locator(".skip-link")
    assert skip.bounding_box()["y"] + skip.bounding_box()["height"] <= 0  # off screen
    tab.keyboard.press("Tab")
    assert tab.evaluate("document.activeElement.className") == "skip-link"
    box = skip.bounding_box()
    assert box["y"] >= 0 and box["height"] > 0  # now on screen
    outline = tab.evaluate("getComputedStyle(document.activeElement).outlineStyle")
    assert outline == "solid"
    tab.keyboard.press("Enter")
    assert tab.evaluate("document.activeElement.id") == "main"
    # The next Tab continues from the content, not from the top of the page.
    tab.keyboard.press("Tab")
    assert tab.evaluate("!!document.activeElement.closest('main')")


def test_every_focused_control_has_a_visible_outline(
        tab: Page, sites: dict[str, tuple[str, Path]]) -> None:
    base, _ = sites["fixture"]
    tab.goto(base + "/")
    for _ in range(12):
        tab.keyboard.press("Tab")
        style = tab.evaluate("""() => {
            const s = getComputedStyle(document.activeElement);
            return [document.activeElement.tagName, s.outlineStyle, parseFloat(s.outlineWidth)];
        }""")
        assert style[1] != "none" and style[2] >= 2, style


@pytest.mark.parametrize("kind", ["home", "article", "topic", "search"])
def test_search_box_is_reached_by_tab_from_the_top(
        tab: Page, sites: dict[str, tuple[str, Path]], kind: str) -> None:
    base, output = sites["fixture"]
    tab.goto(base + page_paths(output)[kind])
    if kind == "search":  # the search controls show once the index has loaded
        tab.locator(".search-controls").wait_for()
    for _ in range(15):
        tab.keyboard.press("Tab")
        if tab.evaluate("document.activeElement.matches('input[type=search]')"):
            break
    else:
        pytest.fail("the search box was not reached by Tab")
    tab.keyboard.type("border")
    tab.keyboard.press("Enter")
    tab.locator(".search-result").first.wait_for(timeout=10_000)


LANDMARKS = """() => {
  const roles = {header: 'banner', nav: 'navigation', main: 'main', footer: 'contentinfo'};
  const found = [];
  for (const [tag, role] of Object.entries(roles)) {
    for (const el of document.querySelectorAll(tag)) {
      // header and footer are landmarks only outside article, main, aside, nav, section
      if ((tag === 'header' || tag === 'footer') &&
          el.parentElement.closest('article, aside, main, nav, section')) continue;
      found.push(role);
    }
  }
  return found;
}"""


@pytest.mark.parametrize("site", SITES)
def test_landmarks_and_headings_are_in_order(
        tab: Page, sites: dict[str, tuple[str, Path]], site: str) -> None:
    base, output = sites[site]
    for kind, path in page_paths(output).items():
        tab.goto(base + path)
        roles = tab.evaluate(LANDMARKS)
        for role in ("banner", "navigation", "main", "contentinfo"):
            assert role in roles, (kind, role)
        assert roles.count("banner") == roles.count("main") == roles.count("contentinfo") == 1
        levels = [int(tag[1]) for tag in tab.locator("h1, h2, h3, h4, h5, h6").evaluate_all(
            "els => els.map(e => e.tagName)")]
        assert levels[0] == 1 and levels.count(1) == 1, (kind, levels)
        for before, after in zip(levels, levels[1:], strict=False):
            assert after <= before + 1, (kind, levels)  # no level skipped going down


def test_captions_are_figcaptions(tab: Page, sites: dict[str, tuple[str, Path]]) -> None:
    base, output = sites["example"]
    tab.goto(base + page_paths(output)["article"])
    captions = tab.locator(".article .caption")
    assert captions.count() >= 1
    parents = captions.evaluate_all("els => els.map(e => e.parentElement.tagName)")
    assert set(parents) == {"FIGCAPTION"}
    assert tab.locator("figure > figcaption").count() == tab.locator("figure").count()
