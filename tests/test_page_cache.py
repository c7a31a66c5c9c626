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
    a, b = article("A"), article("B")  # kept: digests are memoised by id, as in a build
    first = digests.of(Route("/", "list.html", {}, key=(a, "x")))
    assert first != digests.of(Route("/", "list.html", {}, key=(b, "x")))
    assert first != digests.of(Route("/", "list.html", {}, key=(a, "y")))
    assert first != digests.of(Route("/", "other.html", {}, key=(a, "x")))


def test_an_article_read_from_a_file_is_known_by_its_path_and_content_hash() -> None:
    """With the site's file hashes, an article's part of a key is its file's hash:
    the body is not pickled, yet another version of the file gives another digest."""
    path = str(article("A").path)
    route = Route("/", "list.html", {}, key=(article("A"),))
    first = KeyDigests({path: "hash-1"}).of(route)
    assert first == KeyDigests({path: "hash-1"}).of(Route("/", "list.html", {},
                                                          key=(article("A"),)))
    assert first != KeyDigests({path: "hash-2"}).of(route)
    assert first != KeyDigests().of(route)  # not from a file: pickled whole
