"""Markdown: CommonMark plus tables and footnotes, escaped raw HTML, stable heading ids."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from sitegen.markdown import parser, plain_text, to_html


def test_headings_get_stable_ids() -> None:
    html = to_html("## Pak-Afghan tensions\n\ntext\n\n### What's next?\n")
    assert '<h2 id="pak-afghan-tensions">Pak-Afghan tensions</h2>' in html
    assert '<h3 id="whats-next">' in html


def test_tables_and_footnotes() -> None:
    html = to_html("| a | b |\n|---|---|\n| 1 | 2 |\n\nClaim.[^1]\n\n[^1]: Source.\n")
    assert "<table>" in html and "<td>1</td>" in html
    assert 'class="footnote-ref"' in html and "Source." in html


def test_quotes_are_kept_as_written() -> None:
    html = to_html("He said \"final round\" and 'soon' -- twice.\n")
    assert "&quot;final round&quot;" in html
    assert "'soon' -- twice" in html


def test_raw_html_is_escaped_unless_enabled() -> None:
    text = "<script>alert(1)</script>\n\n<b>bold</b> text\n"
    assert "<script>" not in to_html(text)
    assert "&lt;script&gt;" in to_html(text)
    assert "<b>bold</b>" in to_html(text, raw_html=True)


def test_javascript_links_are_dropped() -> None:
    html = to_html("[x](javascript:alert(1)) and <javascript:alert(2)>\n")
    assert "href" not in html


def test_plain_text_strips_markup() -> None:
    assert plain_text("## Head\n\nSome *emphasis* and `code`.\n") == "Head Some emphasis and code ."


@pytest.mark.parametrize("raw_html", [False, True])
@given(text=st.text(alphabet="ab *#|-\n\r\0\t>`[]():\u00e9", max_size=80))
def test_line_breaks_and_nuls_are_normalised_as_markdown_it_does(raw_html: bool,
                                                                  text: str) -> None:
    """sitegen normalises a body itself, not by markdown-it's own rule (see
    sitegen.markdown): the HTML is what the parser gives with its rule on."""
    reference = parser.__wrapped__(raw_html)  # a new parser, not the shared one
    reference.enable("normalize")
    assert to_html(text, raw_html=raw_html) == reference.render(text)
    assert plain_text(text) == plain_text(text.replace("\r\n", "\n").replace("\r", "\n")
                                          .replace("\0", "\ufffd"))
