"""What pages other than an article's own read of its body: the opening.

Related articles compare the words of the first `LEDE_CHARS` characters of
bodies (`lede_words`), and the description (meta tags, feed summaries) is
made from the first `DESCRIPTION_SOURCE_CHARS` (`description`). So an edit
that changes neither changes nothing but the article's own page and the
full-content site feed (`same_elsewhere`), which is what lets `sitegen serve`
(sitegen.incremental) and a rebuild (sitegen.quick) redo those alone; a rebuild
also puts a changed description where it was written (`Described`).
"""

from __future__ import annotations

import dataclasses
import re
from collections import Counter
from collections.abc import Mapping
from typing import Any

from markupsafe import Markup, escape

from sitegen.models import Article

LEDE_CHARS = 1000  # news puts the subject first: the opening is enough and keeps 100k cheap
# What `lede_words` reads: the lede and the character after it, which tells whether
# the lede's last word is cut. Whatever tells an edit to the lede by its text
# compares this much.
LEDE_READ = LEDE_CHARS + 1
DESCRIPTION_SOURCE_CHARS = 2000
DESCRIPTION_CHARS = 160
OPENING = max(LEDE_READ, DESCRIPTION_SOURCE_CHARS)
_LEDE_WORD = re.compile(r"[^\W\d_]{3,}")
_LETTERS = re.compile(r"[^\W\d_]+")  # what a lede word is made of


# Every ASCII character but a letter, mapped to a space.
_ASCII_NON_LETTER = str.maketrans({c: " " for c in range(128) if not chr(c).isalpha()})


def lede_words(body: str) -> list[str]:
    """The words of an article's opening, lowercased; numbers and short words are noise,
    and so is a word the opening's end cuts in two (a rare "word" that moves whenever
    an edit before it changes the length)."""
    opening = body[:LEDE_CHARS]
    if _LETTERS.match(body, LEDE_CHARS):  # the word at the end goes on: cut
        # Matched on the reversed text: at its start, so only the cut word is read.
        cut = _LETTERS.match(opening[::-1])
        opening = opening[: len(opening) - cut.end()] if cut else opening
    opening = opening.lower()
    if opening.isascii():  # the same words, split in C: 40% less of a 100k build's linking
        return [word for word in opening.translate(_ASCII_NON_LETTER).split() if len(word) > 2]
    return _LEDE_WORD.findall(opening)


def description(article: Article) -> str:
    """The meta description: the dek, or the body's opening words."""
    text = article.dek
    if not text:
        # Imported only here: a quick rebuild of a story with a dek needs no parser.
        from sitegen.markdown import plain_text

        text = plain_text(article.body[:DESCRIPTION_SOURCE_CHARS])
    if len(text) <= DESCRIPTION_CHARS:
        return text
    return text[: DESCRIPTION_CHARS - 1].rsplit(" ", 1)[0] + "…"


@dataclasses.dataclass(frozen=True)
class BodyEdit:
    """What other pages can see of an edit to a body alone (`body_edit`)."""

    description: bool  # the description changed (meta tags, feed summaries)
    lede: bool  # the words of the lede changed, or the order they are first used in

    @property
    def unseen(self) -> bool:
        """Whether other pages read nothing the edit changed (`same_elsewhere`)."""
        return not self.description and not self.lede


def body_edit(old: Article, new: Article) -> BodyEdit | None:
    """What changed of what other pages read, when `new` differs from `old` in nothing
    but its body; None when something else changed. The lede's words count as
    changed when they are not as many of each, first used in the same order: the
    related ranking breaks ties between word weights by first use."""
    if dataclasses.replace(old, body=new.body) != new:
        return None
    if old.body[:OPENING] == new.body[:OPENING]:
        return BodyEdit(False, False)  # the usual correction, told without reading words
    return BodyEdit(description(old) != description(new),
                    list(Counter(lede_words(old.body)).items())
                    != list(Counter(lede_words(new.body)).items()))


class Described(str):
    """The description of a story without a dek, as its page and the feeds show it:
    it counts how many times the templates write it out (autoescaped, which calls
    `__html__`), so that sitegen.quick can put a new one in exactly those places
    when an edit to the body's opening changes it (see `description_writes`)."""

    writes = 0
    url: str

    def __new__(cls, text: str, url: str) -> Described:
        described = super().__new__(cls, text)
        described.url = url  # the article's, which the counts are kept by
        return described

    def __getnewargs__(self) -> tuple[str, str]:  # type: ignore[override]
        return str(self), self.url

    def __html__(self) -> Markup:
        self.writes += 1
        return escape(str(self))


def shown_description(article: Article) -> str:
    """`description`, counting its writes where the body's opening makes it."""
    text = description(article)
    return text if article.dek else Described(text, article.url)


def description_writes(context: Mapping[str, Any]) -> tuple[tuple[str, int], ...]:
    """(article URL, times written) of each description that a page (or feed) made from
    `context` counted: the article page's own, a feed's summaries."""
    page = context.get("page")
    found = [page.get("description")] if isinstance(page, Mapping) else []
    entries = context.get("entries")
    if isinstance(entries, list):
        found += [entry.get("summary") for entry in entries if isinstance(entry, Mapping)]
    return tuple((text.url, text.writes) for text in found if isinstance(text, Described))


def same_elsewhere(old: Article, new: Article) -> bool:
    """Whether `new` differs from `old` in nothing but its body, and in nothing of the
    body that other pages read. An edit after the opening is that, and so is, within
    it, a figure or a stop changed for another as long, where the description does
    not show it (anywhere, in a story that has a dek)."""
    edit = body_edit(old, new)
    return edit is not None and edit.unseen
