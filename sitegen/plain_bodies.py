"""The commonest news body written as HTML directly: paragraphs of one line and
headings, of words and punctuation that no Markdown rule acts on, between blank
lines. Most stories are nothing else (62% of the importer's bodies of the
labelled corpus, every body of the benchmark corpus).

markdown-it makes some sixty tokens of such a body, through its block parser,
its inline parser and its core rules, only to write each paragraph's text
between `<p>` tags: 0.37 ms a benchmark body, in-text links included, a fifth of
the CPU time of a 10,000-article build; here 0.13 ms. The HTML is what
markdown-it writes (tests/test_markdown.py compares the two on generated
bodies). A body with any other line is declined whole and left to markdown-it,
so that no line needs reading in the light of the others (a list, a paragraph
that goes on to the next line, a link reference anywhere). Written by hand
because markdown-it-py cannot render without making its tokens; which lines no
block rule but the paragraph's and the heading's can take is said in
sitegen.plain_paragraphs.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Protocol, cast

if TYPE_CHECKING:  # markdown-it is imported only to make a shortcut (see `escape_html`)
    from markdown_it import MarkdownIt

    from sitegen.markdown import TokenTransform

# An ATX heading as markdown-it reads it when its words hold no "#": the marks, one
# space, and text that neither begins nor ends with white space (so no version's
# trimming can change it).
_HEADING = re.compile(r"(#{1,6}) (\S(?:.*\S)?)")

# The core rules that leave a plain body's tokens as the block and inline parsers
# made them: normalising (done before, see sitegen.markdown), joining text tokens
# (one a paragraph here), footnotes (none without a "[") and heading ids (made here).
_KNOWN_CORE_RULES = frozenset({"normalize", "block", "inline", "text_join", "footnote_tail",
                               "anchor"})
# What a plain body's HTML is made of, written by markdown-it's renderer itself unless
# a plugin gave it a rule of its own.
_RENDERED_TOKENS = ("paragraph_open", "paragraph_close", "heading_open", "heading_close",
                    "link_open", "link_close")


class TextLinks(Protocol):
    """A token transform that, of a paragraph whose one token is this text, can say
    the HTML it and markdown-it's renderer make (sitegen.intext's linker)."""

    def may_link(self, text: str) -> bool:
        """False when it would link nothing in this text (asked once of a body)."""

    def text_html(self, text: str) -> str: ...


# A letter or digit that does not open an ordered list ("1." or "1)"), a quotation
# mark or an opening bracket: news paragraphs often begin with one of those.
PLAIN_START = re.compile(r"(?![0-9]{1,9}[.)])[^\W_]|[\"'\u2018\u201c\u00ab(]")


@dataclass(frozen=True)
class Triggers:
    """Where the inline rules of a parser can act."""

    first_characters: str
    pattern: re.Pattern[str]

    def in_text(self, text: str) -> bool:
        """Whether a rule can act somewhere in `text`. Each first character is looked
        for in C first, and the pattern only where one is found: on most text it
        takes a twentieth of the time the pattern alone does."""
        return (any(character in text for character in self.first_characters)
                and self.pattern.search(text) is not None)


def escape_html(text: str) -> str:
    """markdown-it's `escapeHtml`: "&", "<", ">" and '"' as entities. Written here
    because importing it imports all of markdown-it (a tenth of a quick rebuild,
    which writes plain bodies with a shortcut it keeps, see sitegen.quick);
    tests/test_markdown.py compares the two."""
    return (text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
            .replace('"', "&quot;"))


def normalized(text: str) -> str:
    """The text as markdown-it's `normalize` rule leaves it: every line break "\n", every
    NUL U+FFFD. The rule does it with a regex that matches, and replaces, every "\n":
    7% of the time spent on a body, for text that nearly always has neither."""
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    if "\0" in text:
        text = text.replace("\0", "\ufffd")
    return text


# A block of a plain body: its heading level (0 for a paragraph) and its text.
Block = tuple[int, str]


@dataclass(frozen=True)
class BodyShortcut:
    """The shortcut for one parser: what its rules act on and how it makes heading ids."""

    acted_on: Triggers  # where an inline rule can act (a block's one line has no break)
    headings: bool  # whether the heading rule is on
    anchored: range  # the heading levels given an id
    heading_id: Callable[[str], str]

    def html(self, text: str, links: TextLinks | None = None) -> str | None:
        """The HTML of this body (normalised, see sitegen.markdown), with `links`
        made in its paragraphs; None when it is not plain."""
        blocks = self._blocks(text)
        if blocks is None:
            return None
        if links and not links.may_link(text):
            links = None
        taken: set[str] = set()  # heading ids so far
        parts = []
        for level, words in blocks:
            if not level:
                inner = links.text_html(words) if links else escape_html(words)
                parts.append(f"<p>{inner}</p>\n")
            elif level in self.anchored:
                anchor = escape_html(_unique(self.heading_id(words), taken))
                parts.append(f'<h{level} id="{anchor}">{escape_html(words)}</h{level}>\n')
            else:
                parts.append(f"<h{level}>{escape_html(words)}</h{level}>\n")
        return "".join(parts)

    def _blocks(self, text: str) -> list[Block] | None:
        """Each block of a plain body, or None when the body has any other line. All
        are read before any is written: a linker counts the links it made."""
        if self.acted_on.in_text(text):
            return None
        blocks: list[Block] = []
        after_blank = True
        for line in text.split("\n"):
            if not line.strip(" \t"):  # what markdown-it takes for a blank line
                after_blank = True
                continue
            if not after_blank or line[-1].isspace():
                return None
            after_blank = False
            if PLAIN_START.match(line):
                blocks.append((0, line))
                continue
            heading = _HEADING.fullmatch(line) if self.headings else None
            if heading is None or "#" in heading[2]:
                return None
            blocks.append((len(heading[1]), heading[2]))
        return blocks


def plain_html(shortcut: BodyShortcut | None, text: str,
               transforms: Sequence[TokenTransform] = ()) -> str | None:
    """What `markdown.to_html` makes of a plain body with these transforms, written by
    `shortcut`; None when there is none, the body is not plain or a transform cannot
    say what it makes of text."""
    if shortcut is None or len(transforms) > 1 or not all(
            hasattr(transform, "text_html") for transform in transforms):
        return None
    return shortcut.html(normalized(text), cast(TextLinks, transforms[0]) if transforms
                         else None)


def shortcut_for(md: MarkdownIt, anchored: range, heading_id: Callable[[str], str]
                 ) -> BodyShortcut | None:
    """The shortcut for `md`, whose anchors plugin gives headings of the `anchored`
    levels `heading_id`'s id; None when it has a rule the shortcut does not know."""
    from sitegen.plain_paragraphs import inline_triggers  # it imports this module

    triggers = inline_triggers(md, line_breaks=False)
    active = md.get_active_rules()
    if (triggers is None or not set(active["core"]) <= _KNOWN_CORE_RULES
            or not _renders_plainly(md)):
        return None
    return BodyShortcut(triggers, "heading" in active["block"],
                        anchored if "anchor" in active["core"] else range(0), heading_id)


def _renders_plainly(md: MarkdownIt) -> bool:
    """Whether `md` writes paragraphs, headings, links and text as markdown-it does."""
    from markdown_it.renderer import RendererHTML

    renderer = md.renderer
    if type(renderer) is not RendererHTML:
        return False
    text_rule = getattr(renderer.rules.get("text"), "__func__", None)
    return text_rule is RendererHTML.text and not any(
        name in renderer.rules for name in _RENDERED_TOKENS)


def _unique(anchor: str, taken: set[str]) -> str:
    """The anchors plugin's rule: a repeated id gets "-1", "-2" and so on."""
    unique, number = anchor, 1
    while unique in taken:
        unique = f"{anchor}-{number}"
        number += 1
    taken.add(unique)
    return unique
