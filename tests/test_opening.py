"""What other pages read of a body (sitegen.opening): an edit that leaves it as it was
may be redone in the article's own page alone."""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sitegen.models import Article
from sitegen.opening import OPENING, description, lede_words, same_elsewhere

LEDE = "Flood waters rose by 12 feet in the valley on Monday, officials said. "
BODY = LEDE * (OPENING // len(LEDE) + 2)


def _article(body: str = BODY, dek: str | None = "Rivers burst their banks.") -> Article:
    return Article(path=Path("content/articles/a.md"), title="Floods", date=dt.date(2025, 1, 2),
                   body=body, dek=dek, slug="floods")


@pytest.mark.parametrize(("old", "new", "same"), [
    (_article(), _article(BODY + "A last line."), True),  # after the opening
    (_article(), _article(BODY.replace("12", "14", 1)), True),  # a figure; the dek stays
    (_article(dek=None), _article(BODY.replace("12", "14", 1), dek=None), False),  # shown
    (_article(), _article(BODY.replace("valley", "plain", 1)), False),  # a word of the lede
    # The same words in another order: related ranking breaks weight ties by first use.
    (_article(), _article(BODY.replace("Flood waters rose", "Waters flood rose", 1)), False),
    (_article(), _article(BODY.replace("Flood waters rose", "Flood waters went", 1)), False),
    (_article(), dataclasses.replace(_article(BODY + "!"), title="Floods again"), False),
    (_article(), _article(dek="Rivers burst."), False),
])
def test_same_elsewhere(old: Article, new: Article, same: bool) -> None:
    assert same_elsewhere(old, new) is same


def test_what_it_compares() -> None:
    assert lede_words("The 3 new MPs, sworn in") == ["the", "new", "mps", "sworn"]
    long = _article(dek=None)
    assert description(long).endswith("…") and len(description(long)) <= 160
    assert description(_article()) == "Rivers burst their banks."


@settings(max_examples=300, deadline=None)
@given(body=st.text(st.characters(max_codepoint=0x7F)) | st.text("aB é_1 .\nİ"))
def test_lede_words_are_the_regex_words(body: str) -> None:
    """The split for ASCII openings finds what the rule's regex finds: runs of three
    or more letters in the lowercased opening, but for a word its end cuts."""
    opening = body[:1000]
    if re.match(r"[^\W\d_]", body[1000:1001]):
        opening = re.sub(r"[^\W\d_]+\Z", "", opening)
    assert lede_words(body) == re.findall(r"[^\W\d_]{3,}", opening.lower())


@given(shift=st.integers(0, 12))
def test_a_word_the_opening_cuts_is_not_counted(shift: int) -> None:
    """Whatever the edit before it does to the length, no fragment of a word enters."""
    body = "," * shift + " " + "journalism " * 100
    assert set(lede_words(body)) == {"journalism"}
    assert lede_words("word " * 199 + "tail end") == ["word"] * 199 + ["tail"]
    assert lede_words("word " * 199 + "tailend") == ["word"] * 199

