"""A shortcut through markdown-it for the commonest block of a news body: a paragraph
on one line between blank lines, of words and punctuation that no Markdown rule acts on.

For such a line markdown-it tries ten block rules that all decline before its
paragraph rule takes it, then runs its inline parser over the text only to get
one text token back. This rule, tried first, hands the line straight to the
paragraph rule and gives the paragraph that one token itself: rendering a body
of the benchmark corpus took 161 µs before, 111 µs after. Anything else it
declines, and the parser goes on as without it, so the tokens are the ones
markdown-it makes (tests/test_markdown.py compares the two on generated Markdown).
Written here because markdown-it-py has no such shortcut; it is a rule of the
library's own kind, added the way plugins add theirs.
"""

from __future__ import annotations

import re
from functools import partial

from markdown_it import MarkdownIt
from markdown_it.rules_block import paragraph
from markdown_it.rules_block.state_block import StateBlock
from markdown_it.rules_core.state_core import StateCore
from markdown_it.token import Token

from sitegen.plain_bodies import PLAIN_START, Triggers

# The block rules known to decline a line that begins with a letter, a digit (but
# not an ordered list's number), a quotation mark or a "(", and has a blank line or
# the end after it: each needs another first character, an indent, or a next line
# of its own kind (a table's delimiter row, a setext underline). With any other
# rule active, the parser gets no shortcut.
_DECLINING_BLOCK_RULES = frozenset({
    "table", "code", "fence", "blockquote", "hr", "list", "footnote_def", "reference",
    "heading", "lheading", "html_block", "paragraph", "plain_paragraph"})

# What each known inline rule can act on, as regexes that each begin with one plain
# character: text that none of them matches is one text token. (The parser stops its
# text run at more characters than these, but where no rule acts on one it only
# carries on with the same token: an "!" not before a "[", an "&" that begins no
# entity by markdown-it's own two patterns.)
_INLINE_TRIGGERS: dict[str, tuple[str, ...]] = {
    "text": (), "newline": ("\n",), "escape": (r"\\",), "backticks": ("`",),
    "emphasis": (r"\*", "_"), "strikethrough": ("~",), "link": (r"\[", r"\]"),
    "image": (r"!\[",), "footnote_inline": (r"\^\[",), "footnote_ref": (r"\[", r"\]"),
    "autolink": ("<",), "html_inline": ("<",),
    "entity": (r"&(?i:#(?:x[a-f0-9]{1,6}|[0-9]{1,7})|[a-z][a-z0-9]{1,31});",)}
# Rules run after the inline parser, which act on nothing but the delimiters and
# brackets the inline rules above leave behind.
_PAIRING_RULES = frozenset({"balance_pairs", "emphasis", "strikethrough", "fragments_join"})

def add_shortcut(md: MarkdownIt) -> None:
    """Give `md` the shortcut, if every rule it has is one the shortcut knows about.
    Call it last, after every plugin."""
    triggers = inline_triggers(md)
    active = md.get_active_rules()
    if triggers is None or "plain_paragraph" in active["block"]:
        return
    md.block.ruler.before(active["block"][0], "plain_paragraph",
                          partial(_plain_paragraph, triggers))
    md.core.ruler.at("inline", _inline_unless_given)


def inline_triggers(md: MarkdownIt, line_breaks: bool = True) -> Triggers | None:
    """Where the inline rules of `md` can act (but for line breaks, unless
    `line_breaks`), when every rule it has is one known here (the shortcut's own
    among them); else None."""
    active = md.get_active_rules()
    if not (set(active["block"]) <= _DECLINING_BLOCK_RULES
            and set(active["inline"]) <= _INLINE_TRIGGERS.keys()
            and set(active["inline2"]) <= _PAIRING_RULES and "inline" in active["core"]):
        return None
    sources = {source for name in active["inline"] for source in _INLINE_TRIGGERS[name]
               if line_breaks or source != "\n"}
    firsts = {source[1] if source[0] == "\\" else source[0] for source in sources}
    return Triggers("".join(sorted(firsts)), re.compile("|".join(sorted(sources))))


def _plain_paragraph(triggers: Triggers, state: StateBlock, start_line: int,
                     end_line: int, silent: bool) -> bool:
    """Take a one-line paragraph at the top level (not in a list or a quote) that no
    other block rule could; give it its text token when no inline rule acts on it."""
    if silent or state.parentType != "root":
        return False
    following = start_line + 1
    if following < end_line and not state.isEmpty(following):
        return False
    if not PLAIN_START.match(state.src, state.bMarks[start_line]):
        return False
    paragraph(state, start_line, end_line, False)
    inline = state.tokens[-2]
    if not triggers.in_text(inline.content):
        inline.children = [Token("text", "", 0, content=inline.content)]
    return True


def _inline_unless_given(state: StateCore) -> None:
    """markdown-it's core `inline` rule, but for the paragraphs that already have their
    one text token: no other rule fills an inline token's children before this one."""
    for token in state.tokens:
        if token.type == "inline" and not token.children:
            token.children = []
            state.md.inline.parse(token.content, state.md, state.env, token.children)
