"""Property tests: whatever a file holds, loading and importing it either works or
raises `SitegenError` (printed as `path:line: message`), never another exception.

CI runs the fast profile `ci`; `python benchmarks/fuzz.py` runs the `long`
profile (10,000 examples per test). `HYPOTHESIS_PROFILE=long` selects it too.
"""

from __future__ import annotations

import datetime as dt
import os
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sitegen import frontmatter, schema
from sitegen.content import load_site
from sitegen.errors import SitegenError
from sitegen.normalise.run import normalise
from sitegen.normalise.sources import RawSource, decode
from sitegen.normalise.writer import article_path, render

settings.register_profile("ci", max_examples=60, deadline=None,
                          suppress_health_check=[HealthCheck.too_slow])
settings.register_profile("long", max_examples=10_000, deadline=None,
                          suppress_health_check=[HealthCheck.too_slow])
# Applied per test rather than loaded globally, so other property tests keep their settings.
PROFILE = settings.get_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))

DISPLAY = Path("content/articles/2025/10/fuzz.md")
KEYS = (*schema.ARTICLE_KEYS, *schema.IMAGE_KEYS, "name", "url", "text", "titel", "tag", "")

scalars = st.one_of(
    st.none(), st.booleans(), st.integers(), st.floats(allow_nan=True), st.text(max_size=40),
    st.dates(), st.datetimes(timezones=st.none() | st.just(dt.UTC)),
    st.sampled_from(["2025-10-28", "2025-02-30", "2025-10-28T09:10:00+05:00", "../x", "/a/b/",
                     "javascript:alert(1)", "<script>", "~", "null", "---", "0x1F", ".inf"]),
)
values = st.recursive(
    scalars,
    lambda inner: st.lists(inner, max_size=4)
    | st.dictionaries(st.sampled_from(KEYS) | st.text(max_size=8), inner, max_size=4),
    max_leaves=12,
)
front_matters = st.dictionaries(st.sampled_from(KEYS) | st.text(max_size=10), values, max_size=8)
bodies = st.text(max_size=300)


def dumped(fields: dict[str, Any]) -> str:
    """Front-matter as people write it: YAML between `---` lines."""
    return "---\n" + yaml.safe_dump(fields, allow_unicode=True, sort_keys=False) + "---\n"


# Texts that look like a file: front-matter shapes, broken ones and plain noise.
texts = st.one_of(
    st.builds(lambda f, b: dumped(f) + b, front_matters, bodies),
    st.builds(lambda f, b: f"---\n{f}\n---\n{b}", st.text(max_size=200), bodies),
    st.text(max_size=400),
)


def only_sitegen_errors(call: Callable[[], object]) -> None:
    """Run `call`; any exception but a located `SitegenError` fails the test."""
    try:
        call()
    except SitegenError as exc:
        assert str(exc)  # it has a message a user can read


def parse_and_validate(text: str) -> None:
    doc = frontmatter.parse(text, DISPLAY)
    schema.article_from(doc, "en")
    schema.topic_from(doc, Path("content/topics/fuzz.md"))


@PROFILE
@given(texts)
def test_any_text_parses_or_raises_sitegen_error(text: str) -> None:
    only_sitegen_errors(lambda: parse_and_validate(text))


@PROFILE
@given(st.binary(max_size=400) | texts.map(lambda t: t.encode("utf-8", "surrogatepass")))
def test_any_bytes_decode_or_raise_sitegen_error(data: bytes) -> None:
    only_sitegen_errors(lambda: parse_and_validate(frontmatter.decode(data, DISPLAY)))


@PROFILE
@given(st.lists(texts, min_size=1, max_size=3))
def test_any_site_loads_or_raises_sitegen_error(files: list[str]) -> None:
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        articles = root / "content" / "articles" / "2025" / "10"
        articles.mkdir(parents=True)
        for number, text in enumerate(files):
            (articles / f"article-{number}.md").write_bytes(text.encode("utf-8", "surrogatepass"))
        only_sitegen_errors(lambda: load_site(root))


def imported(source: RawSource) -> None:
    """The importer's whole path for one decoded source, up to the file it would write."""
    draft = normalise(source)
    article_path(Path("site"), draft)
    written = render(draft)
    # What the importer writes must load again as an article.
    schema.article_from(frontmatter.parse(written, DISPLAY), "en")


# Raw pages: lines that look like headlines, bylines and dates, in any order.
page_lines = st.sampled_from([
    "Council approves new bus routes", "By Hira Baig", "October 28, 2025", "2 hours ago",
    "ISLAMABAD: Officials said on Tuesday.", "Published 28 Oct 2025 09:10am", "Reuters",
    "Updated October 29, 2025", "Home", "", "—", "1. A numbered line", "## heading", "---",
]) | st.text(max_size=60)
raw_texts = st.lists(page_lines, max_size=30).map("\n".join) | st.text(max_size=400)
html_tags = st.sampled_from(["p", "h1", "h2", "article", "main", "figure", "figcaption", "div",
                             "script", "time", "span", "meta", "title", "head", "body"])
raw_html = st.one_of(
    st.lists(st.tuples(html_tags, page_lines), max_size=20).map(
        lambda parts: "<!doctype html><html><body>"
        + "".join(f"<{tag}>{text}</{tag}>" for tag, text in parts) + "</body></html>"),
    st.text(max_size=400).map(lambda text: f"<html>{text}"),
    st.just('<html><head><meta property="article:published_time" content="2025-10-28">'
            "<title>T</title></head><body><article><p>Words.</p></article></body></html>"),
)


@PROFILE
@given(raw_texts)
def test_import_of_any_text_succeeds_or_raises_sitegen_error(text: str) -> None:
    only_sitegen_errors(lambda: imported(RawSource(Path("inbox/a.txt"), text, is_html=False)))


@PROFILE
@given(raw_html)
def test_import_of_any_html_succeeds_or_raises_sitegen_error(page: str) -> None:
    only_sitegen_errors(lambda: imported(RawSource(Path("inbox/a.html"), page, is_html=True)))


@PROFILE
@given(st.binary(max_size=400), st.booleans())
def test_import_decodes_any_bytes_or_raises_sitegen_error(data: bytes, html: bool) -> None:
    only_sitegen_errors(lambda: decode(data, Path("inbox/a.txt"), html=html))
