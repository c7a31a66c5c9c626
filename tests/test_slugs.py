"""Slugs are python-slugify's, whichever way they are made."""

from __future__ import annotations

from hypothesis import example, given, settings
from hypothesis import strategies as st
from slugify import slugify as library_slugify

from sitegen.slugs import is_valid_slug, slugify

# Letters of both cases, digits, dashes, punctuation, apostrophes, HTML entities,
# numbers with commas, and letters the library transliterates.
_PIECES = st.sampled_from(["a", "Z", "q", "7", "0", "-", "--", " ", "_", ".", "/", ":", "'",
                           "\u2019", "\u2018", "`", "&amp;", "&#65;", "&eacute;", "1,000", ",", "é",
                           "Ä", "ß", "İ", "Ω", "\u212a", "\t"])
_TEXT = st.lists(_PIECES, max_size=12).map("".join)


@settings(max_examples=500, deadline=None)
@given(text=_TEXT)
@example(text="Section 12: The budget talks (continued)")
def test_slugs_are_the_library_slugs_without_apostrophes(text: str) -> None:
    without = text.translate(str.maketrans("", "", "'\u2019\u2018`"))
    assert slugify(text) == library_slugify(without)
    assert slugify(text, max_words=2) == "-".join(library_slugify(without).split("-")[:2])


@settings(max_examples=500, deadline=None)
@given(text=_TEXT | st.text(max_size=8))
@example(text="pak-afghan-talks")
@example(text="-a")
@example(text="a--b")
@example(text="")
def test_a_valid_slug_is_one_slugify_leaves_as_it_is(text: str) -> None:
    assert is_valid_slug(text) == (bool(text) and library_slugify(text) == text)
