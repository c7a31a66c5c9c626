"""Slugs: lowercase ASCII words joined by `-`, safe to use as one path segment."""

from __future__ import annotations

import re
from functools import lru_cache

# "Türkiye's" should read "turkiyes", not "turkiye-s": drop apostrophes first.
_APOSTROPHE_MARKS = "'\u2019\u2018`"
_APOSTROPHES = str.maketrans("", "", _APOSTROPHE_MARKS)


# What python-slugify makes every slug: lowercase ASCII words joined by single dashes.
_SLUG = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
_SLUG_WORD = re.compile(r"[a-z0-9]+")


# The same names (authors, topics, sections) are slugged thousands of times a
# build, and python-slugify is slow; the function is pure, so remember results.
@lru_cache(maxsize=65536)
def slugify(text: str, max_words: int | None = None) -> str:
    """Return the slug of `text`: "Pak-Afghan talks" -> "pak-afghan-talks".

    The result never contains `/`, `.` or other characters that could make a
    path climb out of the output folder. `max_words` keeps the first words only.
    """
    if any(mark in text for mark in _APOSTROPHE_MARKS):
        text = text.translate(_APOSTROPHES)
    if text.isascii() and "&" not in text and "," not in text:
        # What python-slugify's steps make of such text (they transliterate, decode
        # HTML entities and join numbers at commas, none of which it has): its words
        # joined by dashes. Three times as fast, for the heading ids of every article;
        # tested against the library.
        slug = "-".join(_SLUG_WORD.findall(text.lower()))
    else:
        # Imported here, for the first such text: importing python-slugify (its
        # patterns, the HTML entity table) was 4 ms of a rebuild after a body edit,
        # which slugs nothing.
        from slugify import slugify as library_slugify

        slug = library_slugify(text)
    if max_words is not None:
        slug = "-".join(slug.split("-")[:max_words])
    return slug


def is_valid_slug(text: str) -> bool:
    """True when `text` is already a slug (what `slugify` would leave as it is): every
    slug has that form, and python-slugify leaves text of that form as it is."""
    return _SLUG.fullmatch(text) is not None


def heading_id(text: str) -> str:
    """The id of a body's heading: stable from its text, so that `#pak-afghan-tensions`
    links keep working."""
    return slugify(text) or "section"
