"""Markdown: CommonMark plus tables and footnotes, escaped raw HTML, stable heading ids."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st
from markdown_it import MarkdownIt

from sitegen.markdown import markdown_rules, parser, plain_text, to_html
from sitegen.plain_paragraphs import add_shortcut


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
    reference = markdown_rules(raw_html)  # a new parser, without the shortcut
    reference.enable("normalize")
    assert to_html(text, raw_html=raw_html) == reference.render(text)
    assert plain_text(text) == plain_text(text.replace("\r\n", "\n").replace("\r", "\n")
                                          .replace("\0", "\ufffd"))


# Lines as a news body has them, and lines that begin or hold what Markdown acts on.
_LINE = st.one_of(
    st.sampled_from(["", "", "The minister said talks would resume.", "12 people, 3 towns",
                     "1. first", "2) second", "1990. The year", "- item", "* item", "+ x",
                     "# Head", "## Head", "> quoted", "    code", "   indented", "```",
                     "~~~", "---", "===", "***", "___", "| a | b |", "|---|---|", "a | b",
                     "[^1]: note", "[ref]: /url", "[ref]", "<div>", "<!-- c", "-->",
                     "Words and more words  ", "\u00e9t\u00e9 \u0661\u0662", "_x_ y"]),
    # Lines the shortcut would take but for what an inline rule makes of them.
    st.sampled_from(["Said `so` twice", "Fish &amp; chips", "An *aside* here", "A _b_ c",
                     "See [the report](/r/)", "At <https://example.org>", "End\\*", "Dots \\. kept",
                     "Noted^[inline note]", "Claim[^1]", "Look ![p](/p.png)", "Line  \\",
                     "Raw <b>bold</b>", "Tilde ~~x~~"]),
    st.text(alphabet="ab1. )*_#>-+|[]^:<&\\`!~=\t\u00e9", max_size=12))


@pytest.mark.parametrize("raw_html", [False, True])
@given(lines=st.lists(st.tuples(_LINE, st.sampled_from(["\n", "\n\n"])), max_size=12))
def test_the_shortcut_makes_the_tokens_markdown_it_makes(raw_html: bool,
                                                        lines: list[tuple[str, str]]) -> None:
    text = "".join(line + end for line, end in lines)
    reference = markdown_rules(raw_html)
    shortcut = parser(raw_html)
    assert ([t.as_dict() for t in shortcut.parse(text)]
            == [t.as_dict() for t in reference.parse(text)])
    assert shortcut.render(text) == reference.render(text)


def test_the_shortcut_gives_plain_paragraphs_their_text() -> None:
    md = parser()
    assert md.get_active_rules()["block"][0] == "plain_paragraph"
    plain, linked = md.parse("Talks resume in Doha.\n\nSee [the report](/r/).\n")[1::3]
    assert [child.type for child in plain.children or ()] == ["text"]
    assert [child.type for child in linked.children or ()] == [
        "text", "link_open", "text", "link_close", "text"]


def test_no_shortcut_beside_a_rule_it_does_not_know() -> None:
    md = MarkdownIt("commonmark")
    md.inline.ruler.push("mentions", lambda state, silent: False)
    add_shortcut(md)
    assert "plain_paragraph" not in md.get_active_rules()["block"]
    add_shortcut(known := MarkdownIt("commonmark"))
    assert "plain_paragraph" in known.get_active_rules()["block"]
