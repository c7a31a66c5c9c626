"""Slugs: lowercase ASCII words joined by `-`, safe to use as one path segment."""

from __future__ import annotations

from functools import lru_cache

from slugify import slugify as _slugify

# "Türkiye's" should read "turkiyes", not "turkiye-s": drop apostrophes first.
_APOSTROPHES = str.maketrans("", "", "'\u2019\u2018`")


# The same names (authors, topics, sections) are slugged thousands of times a
# build, and python-slugify is slow; the function is pure, so remember results.
@lru_cache(maxsize=65536)
def slugify(text: str, max_words: int | None = None) -> str:
    """Return the slug of `text`: "Pak-Afghan talks" -> "pak-afghan-talks".

    The result never contains `/`, `.` or other characters that could make a
    path climb out of the output folder. `max_words` keeps the first words only.
    """
    slug: str = _slugify(text.translate(_APOSTROPHES))
    if max_words is not None:
        slug = "-".join(slug.split("-")[:max_words])
    return slug


def is_valid_slug(text: str) -> bool:
    """True when `text` is already a slug (what `slugify` would leave as it is)."""
    return bool(text) and slugify(text) == text
