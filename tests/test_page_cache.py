"""Page key digests: equal keys give one digest however their parts were made."""

from __future__ import annotations

import datetime as dt
import pickle
from pathlib import Path

from sitegen.models import Article
from sitegen.page_cache import KeyDigests
from sitegen.route import Route


def article(title: str) -> Article:
    return Article(path=Path("content/articles/a.md"), title=title, date=dt.date(2025, 1, 2),
                   body="Body.", byline=("Amina Qureshi",), slug="a")


def test_equal_keys_of_shared_or_copied_parts_have_one_digest() -> None:
    """Articles read from the cache are copies; parsed in this build they may share
    parts. Either way a page's key digest must be the same, or every page of a
    rebuild would be rendered again."""
    lang = "".join(["e", "n"])
    shared = Route("/", "list.html", {}, key=(lang, lang, article("A")))
    copied = Route("/", "list.html", {}, key=(lang, "en", pickle.loads(pickle.dumps(article("A")))))
    assert shared.key == copied.key
    assert KeyDigests().of(shared) == KeyDigests().of(copied)


def test_different_keys_have_different_digests() -> None:
    digests = KeyDigests()
    first = digests.of(Route("/", "list.html", {}, key=(article("A"), "x")))
    assert first != digests.of(Route("/", "list.html", {}, key=(article("B"), "x")))
    assert first != digests.of(Route("/", "list.html", {}, key=(article("A"), "y")))
    assert first != digests.of(Route("/", "other.html", {}, key=(article("A"), "x")))
