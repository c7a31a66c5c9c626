"""Markdown to HTML with markdown-it-py: CommonMark, tables, footnotes, heading ids."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from functools import lru_cache

from markdown_it import MarkdownIt
from markdown_it.token import Token
from mdit_py_plugins.anchors import anchors_plugin
from mdit_py_plugins.footnote import footnote_plugin

from sitegen.plain_bodies import BodyShortcut, normalized, plain_html, shortcut_for
from sitegen.plain_paragraphs import add_shortcut
from sitegen.slugs import heading_id

# A step between parsing and rendering, such as adding in-text topic links.
TokenTransform = Callable[[list[Token]], list[Token]]

# The heading levels given a stable id.
ANCHORED_LEVELS = range(2, 5)


@lru_cache(maxsize=2)
def parser(raw_html: bool = False) -> MarkdownIt:
    """One parser per setting, reused for every article (building one is slow): the
    Markdown `markdown_rules` reads, with a shortcut that makes the same tokens faster
    (see sitegen.plain_paragraphs)."""
    md = markdown_rules(raw_html)
    add_shortcut(md)
    return md


def markdown_rules(raw_html: bool) -> MarkdownIt:
    """A new parser of the Markdown sitegen reads.

    Typographer is off so that quotes stay as the reporter wrote them.
    """
    md = MarkdownIt("commonmark", {"html": raw_html, "typographer": False})
    md.enable("table")
    if not raw_html:  # their rules would only see the option and return: not asked at all
        md.disable(["html_block", "html_inline"])
    md.disable("normalize")  # done by `plain_bodies.normalized`, the same, faster
    md.use(footnote_plugin)
    # Stable ids from the heading text, so `#pak-afghan-tensions` links keep working.
    md.use(anchors_plugin, min_level=ANCHORED_LEVELS[0], max_level=ANCHORED_LEVELS[-1],
           slug_func=heading_id)
    return md


@lru_cache(maxsize=2)
def body_shortcut(raw_html: bool = False) -> BodyShortcut | None:
    """What writes a plain body without the parser (see sitegen.plain_bodies)."""
    return shortcut_for(parser(raw_html), ANCHORED_LEVELS, heading_id)


def to_html(text: str, *, raw_html: bool = False,
            transforms: Sequence[TokenTransform] = ()) -> str:
    """Render an article or topic body to HTML: a plain one without the parser when
    the transforms, if any, can say what they make of its text (see
    sitegen.plain_bodies)."""
    plain = plain_html(body_shortcut(raw_html), text, transforms)
    return plain if plain is not None else parsed_html(parser(raw_html), normalized(text),
                                                       transforms)


def parsed_html(md: MarkdownIt, text: str, transforms: Sequence[TokenTransform] = ()) -> str:
    """The HTML `md` makes of `text`, with `transforms` between parsing and rendering."""
    env: dict[str, object] = {}
    tokens = md.parse(text, env)
    for transform in transforms:
        tokens = transform(tokens)
    html: str = md.renderer.render(tokens, md.options, env)
    return html


def plain_text(text: str) -> str:
    """The words of a Markdown body without markup, for descriptions and indexing."""
    words = []
    for token in parser().parse(normalized(text)):
        for child in token.children or ():
            if child.type in ("text", "code_inline"):
                words.append(child.content)
    return " ".join(" ".join(words).split())
