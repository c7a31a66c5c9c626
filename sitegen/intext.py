"""In-text links: the first mention of a topic in an article body links to its topic page.

A markdown-it token transform, so that Markdown structure decides where a
link may go: never in a heading, inside an existing link or image, or in
code (code spans and blocks carry no `text` tokens, so they are never seen).
The words are left exactly as written; only a link is put around them.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING

from sitegen.content import Site
from sitegen.plain_bodies import escape_html

if TYPE_CHECKING:  # markdown-it only where tokens are made: a quick rebuild makes none
    from markdown_it.token import Token

    from sitegen.markdown import TokenTransform

_WORD = re.compile(r"\w+")


@dataclass(frozen=True)
class Mention:
    """A found name: the same three methods as a regex match, which is what it replaces."""

    text: str
    begin: int
    finish: int

    def group(self) -> str:
        return self.text[self.begin : self.finish]

    def start(self) -> int:
        return self.begin

    def end(self) -> int:
        return self.finish


class NameFinder:
    """Finds topic names in text: whole words, case-insensitive, longest name first.

    One regex alternation of hundreds of names tries every name at every
    character (it was most of a 10k-article build); here each word of the
    text is looked up once in a dict of names by their first word.
    """

    def __init__(self, names: Iterable[str]):
        self.by_first_word: dict[str, list[str]] = {}
        for name in sorted({n.casefold() for n in names if n.strip()}, key=lambda n: (-len(n), n)):
            first = _WORD.search(name)
            if first and first.start() == 0:
                self.by_first_word.setdefault(first.group(), []).append(name)
        self._ascii_first_words = frozenset(
            word.encode() for word in self.by_first_word if word.isascii())

    def may_find(self, text: str) -> bool:
        """False when `text` surely holds no name: the test `finditer` makes first."""
        if text.isascii():
            return not self._ascii_first_words.isdisjoint(
                text.encode().translate(_ASCII_WORDS_LOWERED).split())
        return not self.by_first_word.keys().isdisjoint(_words(text.casefold()))

    def finditer(self, text: str) -> Iterator[Mention]:
        if text.isascii() and not self.may_find(text):
            return  # the common case, in C and on bytes: twice as fast as on str
        folded = text.casefold()
        words = _words(folded)
        if self.by_first_word.keys().isdisjoint(words):
            return  # the same test for other text, in C without a Python loop per word
        # casefold can change lengths (ß -> ss); then positions would not line up.
        same_length = len(folded) == len(text)
        scanned = folded if same_length else text.lower()
        present = self.by_first_word.keys() & set(
            words if same_length else _WORD.findall(scanned))
        # Only the words that begin a name are visited, found by regex in C: a Python
        # loop over every word of every paragraph was a tenth of a 10k-article build.
        starts = sorted((found.start(), first) for first in present
                        for found in _whole_word(first).finditer(scanned))
        position = 0
        for start, first in starts:
            if start < position:
                continue
            for name in self.by_first_word[first]:
                end = start + len(name)
                if folded[start:end] == name and not _is_word_char(folded, end):
                    yield Mention(text, start, end)
                    position = end
                    break


# Every ASCII character that `\w` does not match, mapped to a space.
_ASCII_NON_WORD = str.maketrans({c: " " for c in range(128) if not _WORD.match(chr(c))})


# For ASCII bytes: what casefolding and `_words` make of them, as a bytes.translate
# table: letters lowered, every byte `\w` does not match a space.
_ASCII_WORDS_LOWERED = bytes(
    ord(chr(c).lower()) if c < 128 and _WORD.match(chr(c)) else ord(" ") for c in range(256))


def _words(text: str) -> list[str]:
    """The words of `text` as `_WORD` finds them. For ASCII text (most paragraphs),
    blanking the other characters and splitting on spaces finds the same words in
    C four times as fast: the regex was a tenth of the time spent on article pages."""
    if text.isascii():
        return text.translate(_ASCII_NON_WORD).split()
    return _WORD.findall(text)


@functools.lru_cache(maxsize=8192)  # one per first word of a topic name
def _whole_word(word: str) -> re.Pattern[str]:
    """`word` where it stands as a whole word, as `_WORD` splits text into words."""
    return re.compile(rf"(?<!\w){re.escape(word)}(?!\w)")


def _is_word_char(text: str, index: int) -> bool:
    return index < len(text) and bool(_WORD.match(text[index]))


def topic_pattern(names: Iterable[str]) -> NameFinder | None:
    """A finder for every topic name, or None when there are no names."""
    finder = NameFinder(names)
    return finder if finder.by_first_word else None


@dataclass(frozen=True)
class LinkerRecipe:
    """What in-text links are made from, kept by sitegen.quick between builds."""

    urls: Mapping[str, str]  # casefolded topic name or alias -> topic URL
    limit: int  # topics linked per article at most


def linker_recipe(site: Site) -> LinkerRecipe | None:
    """The site's in-text link settings, or None when they are off."""
    settings = site.config.intext_links
    if not settings.enabled or settings.max_per_article < 1:
        return None
    prefix = site.config.base_path.rstrip("/")
    urls = {name: f"{prefix}/topics/{slug}/" for name, slug in site.topic_names.items()}
    return LinkerRecipe(urls, settings.max_per_article)


def linker_from(recipe: LinkerRecipe | None) -> Callable[[], TokenTransform] | None:
    """A factory of fresh per-article transforms, or None when there is nothing to link."""
    pattern = topic_pattern(recipe.urls) if recipe else None
    if recipe is None or pattern is None:
        return None
    return lambda: TopicLinker(pattern, recipe.urls, recipe.limit)


def linker_for(site: Site) -> Callable[[], TokenTransform] | None:
    return linker_from(linker_recipe(site))


class TopicLinker:
    """Links each topic once per article, for at most `limit` topics, first mention first."""

    def __init__(self, pattern: NameFinder, urls: Mapping[str, str], limit: int):
        self.pattern = pattern
        self.urls = urls  # casefolded name -> topic URL
        self.limit = limit
        self.linked: set[str] = set()  # URLs already linked in this article

    def __call__(self, tokens: list[Token]) -> list[Token]:
        in_heading = False
        for token in tokens:
            if token.type in ("heading_open", "heading_close"):
                in_heading = token.type == "heading_open"
            elif token.type == "inline" and token.children and not in_heading:
                token.children = self._link_children(token.children)
        return tokens

    def _link_children(self, children: list[Token]) -> list[Token]:
        out: list[Token] = []
        link_depth = 0
        for child in children:
            if child.type == "link_open":
                link_depth += 1
            elif child.type == "link_close":
                link_depth -= 1
            if child.type == "text" and link_depth == 0 and len(self.linked) < self.limit:
                out.extend(self._link_text(child))
            else:
                out.append(child)
        return out

    def may_link(self, text: str) -> bool:
        """False when this text surely holds nothing to link (for sitegen.plain_bodies)."""
        return len(self.linked) < self.limit and self.pattern.may_find(text)

    def text_html(self, text: str) -> str:
        """The HTML that this transform and markdown-it's renderer make of a paragraph
        whose one token is this text (for sitegen.plain_bodies)."""
        html, start = [], 0
        for begin, end, url in self._mentions(text):
            html += [escape_html(text[start:begin]),
                     f'<a href="{escape_html(url)}" class="topic-link">',
                     escape_html(text[begin:end]), "</a>"]
            start = end
        html.append(escape_html(text[start:]))
        return "".join(html)

    def _link_text(self, token: Token) -> list[Token]:
        """Split one text token around the mentions it links; unchanged if none."""
        from markdown_it.token import Token  # imported by then: it made `token`

        out: list[Token] = []
        text, start = token.content, 0
        for begin, end, url in self._mentions(text):
            if begin > start:
                out.append(_text(text[start:begin]))
            out += [Token("link_open", "a", 1, attrs={"href": url, "class": "topic-link"}),
                    _text(text[begin:end]), Token("link_close", "a", -1)]
            start = end
        if not out:
            return [token]
        if start < len(text):
            out.append(_text(text[start:]))
        return out

    def _mentions(self, text: str) -> list[tuple[int, int, str]]:
        """Where `text` mentions a topic to link, as (start, end, topic URL); those
        topics count as linked from now on."""
        found: list[tuple[int, int, str]] = []
        if len(self.linked) >= self.limit:
            return found
        for match in self.pattern.finditer(text):
            url = self.urls.get(match.group().casefold())
            if url is None or url in self.linked or len(self.linked) >= self.limit:
                continue
            self.linked.add(url)
            found.append((match.start(), match.end(), url))
        return found


def _text(content: str) -> Token:
    from markdown_it.token import Token

    return Token("text", "", 0, content=content)
