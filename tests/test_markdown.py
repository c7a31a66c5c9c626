"""Markdown: CommonMark plus tables and footnotes, escaped raw HTML, stable heading ids."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from markdown_it import MarkdownIt
from markdown_it.common.utils import escapeHtml

from sitegen.intext import TopicLinker, topic_pattern
from sitegen.markdown import (
    TokenTransform,
    body_shortcut,
    markdown_rules,
    parsed_html,
    parser,
    plain_text,
    to_html,
)
from sitegen.plain_bodies import escape_html, shortcut_for
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
                     "Words and more words  ", "\u00e9t\u00e9 \u0661\u0662", "_x_ y",
                     '"Quoted," he said.', "'Single' start", "\u201cCurly\u201d quote",
                     "\u2018Curly\u2019 single", "\u00abGuillemets\u00bb", "Wow! Great!",
                     "Q&A with AT&T", "M&Ms; &T; &bogus; &x;", "&copy; 2025", "It's &#169;",
                     "Up ^ down", "Bang ![", "Tail \\", "(Reuters) Said",
                     "(1) first", "(a)"]),
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


def _markdown_it_html(text: str, raw_html: bool = False,
                      transforms: tuple[TokenTransform, ...] = ()) -> str:
    """What markdown-it itself makes of a body: no shortcut of either kind."""
    return parsed_html(markdown_rules(raw_html), text, transforms)


TOPIC_URLS = {"border talks": "/topics/border-talks/", "doha": "/topics/doha/",
              "karachi": "/topics/karachi&sons/", "ttp": "/topics/ttp/"}


def _linker(limit: int = 2) -> TopicLinker:
    pattern = topic_pattern(TOPIC_URLS)
    assert pattern is not None
    return TopicLinker(pattern, TOPIC_URLS, limit)


# The words of a plain line, topic names and what HTML escapes among them.
_PLAIN_WORDS = st.lists(st.sampled_from(
    ["Talks", "resumed", "in", "Doha", "border", "talks", "Karachi", "TTP", "1990", "said:",
     '"quoted"', "it's", "'single'", "\u201ccurly\u201d", "\u2018single\u2019", "\u00abg\u00bb",
     "Wow!", "Q&A", "AT&T;", "&bogus;", "&x;", "&amp;", "&#169;", "&#xZZ;", "^up", "(aside",
     "a > b", "x/y", "(aside)", "50%", "\u00e9t\u00e9", "\u0627\u0631\u062f\u0648", "#5", "C#",
     "well-known", "so;", "\t", "\u00a0"]), min_size=1, max_size=6).map(" ".join)

# Lines of a plain body.
_PLAIN_LINE = st.one_of(
    _PLAIN_WORDS, _PLAIN_WORDS.map(lambda w: "## " + w),
    st.sampled_from(["## Talks", "### Talks", "# Talks", "##### Talks", "## Border talks"]))
# Lines that make a body not plain, or look as if they might.
_OTHER_LINE = st.sampled_from([
    "## Talks #", "##  Talks", "#Talks", "####### Talks", "## ", "   ", "\t", "Trailing  ",
    "Trailing\u00a0", "\u00a0", "1. first", "2) second", "- item", "> quoted", "An *aside*",
    "A _b_ c", "See [it](/r/)", "Fish &amp; chips", "Said `so`", "===", "---", "Tilde ~~x~~",
    "[ref]: /url", "[^1]: note", "Claim[^1]", "End\\*", "Raw <b>bold</b>", "<div>", "    code",
    "| a | b |"])


@pytest.mark.parametrize("raw_html", [False, True])
@settings(max_examples=300, deadline=None)
@given(lines=st.lists(st.tuples(_PLAIN_LINE, st.sampled_from(["\n\n", "\n\n", "\n"])),
                      max_size=8),
       other=st.none() | st.tuples(st.integers(0, 8), _OTHER_LINE), limit=st.integers(0, 3))
def test_a_plain_body_is_written_as_markdown_it_writes_it(
        raw_html: bool, lines: list[tuple[str, str]], other: tuple[int, str] | None,
        limit: int) -> None:
    """The body shortcut (sitegen.plain_bodies) gives markdown-it's HTML, with and
    without in-text links, or declines the body."""
    if other:
        lines.insert(other[0], (other[1], "\n\n"))
    text = "".join(line + end for line, end in lines)
    shortcut = body_shortcut(raw_html)
    assert shortcut is not None
    written = shortcut.html(text)
    assert written is None or written == _markdown_it_html(text, raw_html)
    linked = shortcut.html(text, _linker(limit))
    assert (linked is None) == (written is None)
    assert linked is None or linked == _markdown_it_html(text, raw_html, (_linker(limit),))
    assert to_html(text, raw_html=raw_html, transforms=[_linker(limit)]) == _markdown_it_html(
        text, raw_html, (_linker(limit),))


def test_a_news_body_takes_the_shortcut() -> None:
    text = ("Talks resumed in Doha on Monday, officials said.\n\n## What was agreed\n\n"
            'The border talks, he said, were "useful" and it\'s a > b.\n\n'
            "## What was agreed\n\nKarachi waits. Doha again.\n")
    shortcut = body_shortcut()
    assert shortcut is not None
    assert shortcut.html(text) == _markdown_it_html(text)
    html = shortcut.html(text, _linker())
    assert html == _markdown_it_html(text, transforms=(_linker(),))
    assert html is not None and '<h2 id="what-was-agreed-1">' in html
    assert html.count('class="topic-link"') == 2  # the limit
    assert '<a href="/topics/karachi&amp;sons/"' not in html  # the third topic


@pytest.mark.parametrize("text", [
    "One line\nand its next line.\n", "An *aside* here.\n", "- a list\n", "Trailing \n",
    "## Head\nStraight after.\n", "#hashtag\n", "## Talks ##\n", "[ref]: /url\n"])
def test_any_other_body_is_left_to_markdown_it(text: str) -> None:
    shortcut = body_shortcut()
    assert shortcut is not None and shortcut.html(text) is None
    assert to_html(text) == _markdown_it_html(text)


def test_no_body_shortcut_beside_a_rule_it_does_not_know() -> None:
    typographer = MarkdownIt("commonmark", {"typographer": True}).enable("replacements")
    assert shortcut_for(typographer, range(2, 5), str) is None
    own_rule = MarkdownIt("commonmark")
    own_rule.add_render_rule("paragraph_open", lambda *args: "<p class=x>")
    assert shortcut_for(own_rule, range(2, 5), str) is None
    assert shortcut_for(MarkdownIt("commonmark"), range(2, 5), str) is not None


@given(text=st.text(alphabet="a&<>\"'; #\u00e9\n", max_size=40))
def test_the_shortcut_escapes_text_as_markdown_it_does(text: str) -> None:
    assert escape_html(text) == escapeHtml(text)
