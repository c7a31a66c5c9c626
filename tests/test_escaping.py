"""Hostile values in every field come out inert in every file the build writes.

The fixture `tests/fixtures/hostile/site` puts `<script>`, `"`, `</textarea>`,
`</script>`, `onerror=` and `javascript:` URLs into titles, deks, bylines,
datelines, sections, tags, topic names, captions, credits, image alt and src,
corrections, and bodies (Markdown links and raw HTML). Values that can never be
safe (script URLs as image sources, aliases with markup) are refused by
validation instead: `tests/fixtures/hostile/invalid`.
"""

from __future__ import annotations

import gzip
import json
import shutil
from collections.abc import Iterator
from pathlib import Path

import feedparser  # type: ignore[import-untyped]
import markupsafe
import pytest
from hypothesis import given
from hypothesis import strategies as st
from lxml import etree, html  # type: ignore[import-untyped]
from markupsafe import Markup

from sitegen import render
from sitegen.config import SiteConfig
from sitegen.render import make_environment
from sitegen.theme import default_theme_dir

from conftest import FIXTURES, run_sitegen

HOSTILE = FIXTURES / "hostile"
SITE = HOSTILE / "site"
BASE_URL = "https://hostile.example/"
PAYLOAD = "<script>window.__pwned=1</script>"
# Attributes whose value a browser loads or navigates to.
URL_ATTRIBUTES = ("href", "src", "action", "formaction", "poster", "data", "srcset", "content")
BAD_SCHEMES = ("javascript:", "vbscript:", "data:")


@pytest.fixture(scope="module")
def public(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The hostile site built once, with its search index, as a user would."""
    output = tmp_path_factory.mktemp("hostile") / "public"
    result = run_sitegen("build", "--source", SITE, "--output", output)
    assert result.returncode == 0, result.stderr
    return output


def html_pages(public: Path) -> list[Path]:
    pages = sorted(p for p in public.rglob("*.html") if "pagefind" not in p.parts)
    assert len(pages) > 20  # every kind of page: article, lists, topics, authors, redirects
    return pages


def own_script(script: etree._Element) -> bool:
    """The site's own scripts: JSON-LD data, and files it ships under /assets/ or /pagefind/."""
    if script.get("type") == "application/ld+json":
        return True
    return script.get("src", "").startswith(("/assets/", "/pagefind/")) and not script.text


def scheme_of(url: str) -> str:
    """The scheme as a browser reads it: it drops whitespace and control characters."""
    return "".join(c for c in url if c > " ").lower()


def inert_problems(root: etree._Element) -> Iterator[str]:
    """Every element or attribute in a parsed HTML tree that could run script."""
    for script in root.iter("script"):
        if not own_script(script):
            yield f"script element: {etree.tostring(script)[:120]!r}"
    for tag in ("textarea", "iframe", "object", "embed", "base"):
        if next(root.iter(tag), None) is not None:
            yield f"<{tag}> element"
    for element in root.iter():
        if not isinstance(element.tag, str):
            continue
        for name, value in element.attrib.items():
            if name.lower().startswith("on"):
                yield f"event handler {name}={value!r} on <{element.tag}>"
            if name.lower() in URL_ATTRIBUTES and scheme_of(value).startswith(BAD_SCHEMES):
                yield f"script URL {name}={value!r} on <{element.tag}>"
    for meta in root.iter("meta"):
        if meta.get("http-equiv", "").lower() == "refresh":
            url = meta.get("content", "").partition("url=")[2]
            if scheme_of(url).startswith(BAD_SCHEMES):
                yield f"script URL in a meta refresh: {url!r}"


def test_every_page_is_inert(public: Path) -> None:
    problems = {}
    for page in html_pages(public):
        found = list(inert_problems(html.fromstring(page.read_bytes())))
        if found:
            problems[str(page.relative_to(public))] = found
    assert problems == {}


def test_hostile_values_are_shown_as_text(public: Path) -> None:
    """Escaped, not dropped: a reader sees exactly what the reporter wrote."""
    page = html.fromstring((public / "2025/06/hostile-headline/index.html").read_bytes())
    assert page.findtext(".//h1") == (
        '"><script>window.__pwned=1</script></textarea></script>'
        '<img src=x onerror="window.__pwned=1">')
    assert page.find(".//p[@class='dateline']").text == f"</textarea>{PAYLOAD}"
    body = page.find(".//div[@class='article-body']").text_content()
    assert PAYLOAD in body and "[Markdown link](javascript:window.__pwned=1)" in body
    image = page.find(".//figure/img")
    assert image.get("alt") == '" onerror="window.__pwned=1'
    assert image.get("src") == "/images/photo.jpg"


def test_json_ld_survives_a_closing_script_tag(public: Path) -> None:
    raw = (public / "2025/06/hostile-headline/index.html").read_text(encoding="utf-8")
    start = raw.index('<script type="application/ld+json">') + len(
        '<script type="application/ld+json">')
    block = raw[start : raw.index("</script>", start)]
    assert "<" not in block and ">" not in block  # so no `</script>` or `<!--` can end it
    data = json.loads(block)
    assert data["headline"].startswith('"><script>window.__pwned=1</script>')
    assert data["author"][0]["name"] == f"</script>{PAYLOAD}"
    assert data["dateline"] == f"</textarea>{PAYLOAD}"


def test_feeds_parse_and_hold_hostile_text_escaped(public: Path) -> None:
    feeds = sorted(public.rglob("feed.xml"))
    assert len(feeds) >= 8  # site, topics, sections, authors, places, corrections
    for feed in feeds:
        raw = feed.read_bytes()
        parsed = feedparser.parse(raw)
        assert not parsed.bozo, (feed, parsed.get("bozo_exception"))
        # `javascript:` may appear, as the text of a link Markdown refused to make.
        assert b"<script" not in raw.lower()
        tree = etree.fromstring(raw)
        for content in tree.iter("{http://www.w3.org/2005/Atom}content",
                                 "{http://www.w3.org/2005/Atom}summary"):
            if content.get("type") == "html" and content.text:
                # What a feed reader renders: the escaped HTML, parsed again.
                assert list(inert_problems(html.fromstring(content.text))) == []
    site_feed = feedparser.parse((public / "feed.xml").read_bytes())
    titles = [entry.title for entry in site_feed.entries]
    assert any(title.startswith('"><script>window.__pwned=1') for title in titles)


def test_sitemap_lists_only_clean_site_urls(public: Path) -> None:
    tree = etree.fromstring((public / "sitemap.xml").read_bytes())
    locs = [loc.text for loc in tree.iter("{http://www.sitemaps.org/schemas/sitemap/0.9}loc")]
    assert locs
    for loc in locs:
        assert loc.startswith(BASE_URL)
        assert not set(loc) & set("<>\"' "), loc


def test_redirects_hold_only_clean_paths(public: Path) -> None:
    lines = (public / "_redirects").read_text(encoding="utf-8").splitlines()
    rules = [line.split() for line in lines if line and not line.startswith("#")]
    assert rules == [["/old/hostile-headline/", "/2025/06/hostile-headline/", "301!"]]
    page = html.fromstring((public / "old/hostile-headline/index.html").read_bytes())
    assert list(inert_problems(page)) == []
    assert page.findtext(".//a") == page.findtext(".//title").removeprefix("Moved: ")


def fragments(public: Path) -> list[dict[str, object]]:
    """Pagefind's per-page records: gzip, a `pagefind_dcd` signature, then JSON."""
    records = []
    for path in sorted((public / "pagefind" / "fragment").glob("*.pf_fragment")):
        data = gzip.decompress(path.read_bytes())
        records.append(json.loads(data[data.index(b"{"):]))
    return records


def test_search_index_holds_the_text_not_markup(public: Path) -> None:
    """Pagefind stores what a reader sees, as plain text, but filters escaped.

    Its content holds `<script>` as characters: Pagefind's client escapes `<`
    and `>` before it builds an excerpt, and its UI shows titles and metadata
    as text. Its UI shows filter values as HTML, so the theme gives them
    escaped. The browser test proves that nothing of it runs.
    """
    records = {record["url"]: record for record in fragments(public)}
    hostile = records["/2025/06/hostile-headline/"]
    meta = hostile["meta"]
    assert isinstance(meta, dict) and meta["title"].startswith('"><script>window.__pwned=1')
    content = str(hostile["content"])
    assert f"</textarea>{PAYLOAD}" in content  # the dateline, as text
    # Markup of the page itself never reaches the index, only its text.
    assert "<a " not in content and "<figure" not in content and "&lt;" not in content
    client = (public / "pagefind" / "pagefind.js").read_text(encoding="utf-8")
    assert 'content.replace(/</g,"&lt;").replace(/>/g,"&gt;")' in client
    # Filter values, which the UI inserts as HTML, are stored escaped.
    filters = hostile["filters"]
    assert isinstance(filters, dict)
    assert filters["author"] == [
        "&lt;/script&gt;&lt;script&gt;window.__pwned=1&lt;/script&gt;",
        "Jane &#34;Quote&#34; Doe",
        "&lt;img src=x onerror=&#34;window.__pwned=1&#34;&gt;",
    ]
    assert filters["section"] == ["&lt;script&gt;window.__pwned=1&lt;/script&gt;"]
    values = [value for record in records.values() for group in record["filters"].values()
              for value in group]
    assert not [value for value in values if "<" in value or ">" in value]


@pytest.mark.parametrize("case", sorted(p.stem for p in (HOSTILE / "invalid").glob("*.md")))
def test_unsafe_values_are_refused(tmp_path: Path, case: str) -> None:
    expected = {
        "alias-javascript": "'aliases' entry 'javascript:alert(1)' must be a site path "
                            "starting with '/'",
        "alias-quote": "'aliases' entry '/old/\"onmouseover=alert(1)/' may not contain '..', "
                       "spaces, quotes or '?#<>'",
        "alias-script": "'aliases' entry '/<script>alert(1)</script>/' may not contain '..', "
                        "spaces, quotes or '?#<>'",
        "image-src-data": "'images' src 'data:text/html,<script>alert(1)</script>' must be a "
                          "relative path or an http(s) URL",
        "image-src-javascript": "'images' src 'javascript:alert(1)' must be a relative path or "
                                "an http(s) URL",
        "source-url-javascript": "'source' url 'javascript:alert(1)' must be an http(s) URL",
    }
    articles = tmp_path / "content" / "articles" / "2025" / "06"
    articles.mkdir(parents=True)
    shutil.copy(HOSTILE / "invalid" / f"{case}.md", articles)
    result = run_sitegen("build", "--no-search", cwd=tmp_path)
    assert result.returncode == 1
    assert result.stderr == f"content/articles/2025/06/{case}.md:4: {expected[case]}\n"
    assert not (tmp_path / "public").exists()


class _Html:
    """A value that says how it is written in HTML, as Markup does."""

    def __html__(self) -> str:
        return "<b>bold</b>"


@given(st.text() | st.builds(Markup, st.text()) | st.integers() | st.none()
       | st.just(_Html()))
def test_templates_escape_as_markupsafe_does(value: object) -> None:
    """sitegen's templates escape with their own function (see sitegen.render): its
    text is markupsafe's for any value, in a rendered template, in a macro's output
    and on its own."""
    env = make_environment([], SiteConfig(), {})
    template = env.from_string("{% macro m(v) %}<i>{{ v }}</i>{% endmacro %}"
                               "<p title='{{ value }}'>{{ value }}{{ m(value) }}</p>")
    expected = markupsafe.escape(value)
    assert template.render(value=value) == f"<p title='{expected}'>{expected}<i>{expected}</i></p>"
    assert str.__str__(render._escape(value)) == str.__str__(expected)


def test_compiled_templates_use_the_quick_escape() -> None:
    """The theme's templates, macros among them, call sitegen's escape: the saving of
    a tenth of rendering time would vanish silently if Jinja stopped looking it up
    among a template's globals."""
    env = make_environment([default_theme_dir()], SiteConfig(), {})
    for name in ("article.html", "partials/macros.html", "base.html"):
        assert env.get_template(name).root_render_func.__globals__["escape"] is render._escape


@given(st.text() | st.builds(Markup, st.text()) | st.integers() | st.just(_Html()))
def test_pagefind_values_are_escaped_three_times(value: object) -> None:
    """The `pagefind_text` filter, and the macro kept for site themes, give what Jinja's
    `forceescape` applied three times gives (what Pagefind's indexer needs)."""
    env = make_environment([default_theme_dir()], SiteConfig(), {})
    expected = env.from_string("{{ v|forceescape|forceescape|forceescape }}").render(v=value)
    assert env.from_string("{{ v|pagefind_text }}").render(v=value) == expected
    macro = '{% from "partials/macros.html" import pagefind_text %}{{ pagefind_text(v) }}'
    assert env.from_string(macro).render(v=value) == expected
