"""Related articles from inverted indices: shared topics, closeness in time, shared words.

The scoring is described in `docs/related.md`. Candidates come only from
posting lists (topic -> articles, word -> articles), and from each list only
the few entries nearest the article in time, so the work per article is
bounded and the whole pass grows linearly with the archive; no two articles
are compared unless an index brings them together.
"""

from __future__ import annotations

import bisect
import copy
import hashlib
import heapq
import math
import os
import sys
from array import array
from collections import Counter, defaultdict
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from itertools import accumulate, chain
from operator import mul
from pathlib import Path
from typing import Any

from sitegen import cache, opening, parallel
from sitegen.models import Article
from sitegen.opening import LEDE_READ, lede_words

LIMIT = 5  # related articles shown per article
WINDOW = 6  # entries looked at on each side of the article in a topic's timeline
TERM_WINDOW = 3  # the same for a word's posting list, which is longer and noisier
TOP_TERMS = 8  # words kept per article for text similarity
TEXT_WEIGHT = 2.0
TIME_WEIGHT = 1.0
TIME_SCALE_DAYS = 30.0
# Word idf is rounded to this step, so that one article more or fewer using a word
# seldom changes it (for a common word, a step is many articles): an edit to one
# opening then changes that article's vector alone, and re-ranking after it reads no
# other opening (`Ranking.reopened`, and `moved` for sitegen.quick). Sixteen steps
# a nat keep the weights' order but for near ties, which become exact ties, broken
# by first use: so the order of a lede's words counts (`opening.same_elsewhere`).
IDF_STEP = 1 / 16

# The bodies of the articles at these indices (oldest first), or None when they cannot
# all be given.
Bodies = Callable[[Sequence[int]], Mapping[int, str] | None]


@dataclass(frozen=True)
class Corpus:
    """The articles oldest first, with each one's topic slugs in the same order."""

    articles: Sequence[Article]
    topics: Sequence[tuple[str, ...]]


class _Postings:
    """Key -> article indices, ascending (oldest first). Where an article sits in a
    list is found by bisection: a dict of every (key, article) place cost more to
    build, keep and store than the look-ups it saved (over a million entries at
    100k articles)."""

    def __init__(self, lists: Mapping[str, Sequence[int]]):
        self.lists = lists

    def near(self, key: str, i: int, window: int) -> Sequence[int]:
        """The articles up to `window` places before and after article `i` in `key`'s list."""
        members = self.lists[key]
        p = bisect.bisect_left(members, i)
        return members[max(0, p - window): p + window + 1]

    def moved(self, articles: Sequence[int], before: Sequence[Mapping[str, Any]],
              after: Sequence[Mapping[str, Any]]) -> _Postings:
        """A copy in which each of these articles is listed under the keys of `after`
        instead of those of `before`."""
        lists = dict(self.lists)
        for i in articles:
            for key in before[i].keys() - after[i].keys():
                lists[key] = [j for j in lists[key] if j != i]
                if not lists[key]:
                    del lists[key]
            for key in after[i].keys() - before[i].keys():
                lists[key] = members = list(lists.get(key, ()))
                bisect.insort(members, i)
        return _Postings(lists)

    def packed(self) -> _Postings:
        """A copy whose lists are arrays: stored and read as plain bytes."""
        return _Postings({key: array("I", members) for key, members in self.lists.items()})


class _PackedVectors(Sequence[dict[str, float]]):
    """Term vectors as the kept indices store them: each one's words (as places in one
    vocabulary) and weights in flat arrays, and a dict made only for a vector that is
    read. A rebuild after an edit to an opening reads a few hundred of them: unpickling
    10,000 dicts was a third of reading the indices. Vectors set (an edit's) are held
    as given."""

    def __init__(self, vectors: Sequence[Mapping[str, float]]):
        words = list(dict.fromkeys(chain.from_iterable(vectors)))  # in order of first use
        places = {word: place for place, word in enumerate(words)}
        self._words = words
        self._places = array("I", map(places.__getitem__, chain.from_iterable(vectors)))
        self._weights = array("d", chain.from_iterable(v.values() for v in vectors))
        self._ends = array("I", accumulate(map(len, vectors), initial=0))
        self._made: dict[int, dict[str, float]] = {}
        self._set: set[int] = set()

    def __len__(self) -> int:
        return len(self._ends) - 1

    def __getitem__(self, i: int) -> dict[str, float]:  # type: ignore[override]
        vector = self._made.get(i)
        if vector is None:
            if not 0 <= i < len(self):
                raise IndexError(i)
            start, end = self._ends[i], self._ends[i + 1]
            words = self._words
            vector = self._made[i] = {words[place]: weight for place, weight in zip(
                self._places[start:end], self._weights[start:end], strict=True)}
        return vector

    def __iter__(self) -> Iterator[dict[str, float]]:
        return map(self.__getitem__, range(len(self)))

    def __setitem__(self, i: int, vector: dict[str, float]) -> None:
        self._made[i] = vector
        self._set.add(i)

    def copy(self) -> _PackedVectors:
        """A copy to set vectors in; the arrays are shared."""
        new = copy.copy(self)
        new._made, new._set = dict(self._made), set(self._set)
        return new

    def __getstate__(self) -> tuple[list[str], array[int], array[float], array[int]]:
        packed = _PackedVectors(self) if self._set else self  # the vectors set packed too
        return packed._words, packed._places, packed._weights, packed._ends

    def __setstate__(self, state: tuple[list[str], array[int], array[float], array[int]]
                     ) -> None:
        self._words, self._places, self._weights, self._ends = state
        self._made, self._set = {}, set()


def related(corpus: Corpus, timelines: Mapping[str, Sequence[int]],
            limit: int = LIMIT) -> list[tuple[int, ...]]:
    """For each article (by index), the indices of up to `limit` related articles, best first.

    `timelines` maps a topic slug to its articles' indices, oldest first.
    """
    return Ranking(corpus, timelines, limit).best


class Ranking:
    """Each article's related articles (`best`, by index), ranked in parallel (see
    sitegen.parallel: each ranking only reads the indices built first).

    When `editable` (for `sitegen serve`, and to be kept for the next build), the
    indices are kept, with which articles use each word, so that `reopened` can
    re-rank only the articles an edit to a few openings can change, instead of all
    of them.
    """

    def __init__(self, corpus: Corpus, timelines: Mapping[str, Sequence[int]],
                 limit: int = LIMIT, editable: bool = False):
        ranker = _Ranker(corpus, timelines, limit, editable)
        self.best: list[tuple[int, ...]] = parallel.map_chunks(
            ranker.rank_all, range(len(corpus.articles)), chunk_size=1024)
        self._ranker = ranker if editable else None
        self.token: str | None = None  # names the kept state this equals (see `_keep`)

    @classmethod
    def stored(cls, corpus: Corpus, timelines: Mapping[str, Sequence[int]],
               root: Path) -> Ranking:
        """The ranking of the last build of the site at `root`, brought up to date, and
        kept (with its indices) for the next build.

        An edit after an article's opening, the usual correction, changes nothing a
        ranking reads: the kept ranking is the answer. An edit within a few openings
        (same articles, dates and topics) is what `reopened` is for: it re-ranks the
        articles such an edit can move, a fraction of ranking 10,000 articles again.
        Anything else is ranked anew. What is kept says which openings it was made
        from by their digests, and the code of this module and of sitegen.opening is
        in the cache's key. The indices are kept apart and read only for `reopened`.
        """
        frame = _frame_digest(corpus)
        openings = [_opening_digest(article) for article in corpus.articles]
        kept = _kept(root, frame, len(openings))
        if kept is not None:
            changed = {i: article for i, (article, digest, was)
                       in enumerate(zip(corpus.articles, openings, kept.openings, strict=True))
                       if digest != was}
            if not changed:
                return cls._made(kept.best, None, kept.token)
            ranker = (_kept_indices(root, kept.token) if len(changed) <= MAX_REOPENED
                      else None)
            if ranker is not None:
                ranker.articles = corpus.articles  # all but the changed as they were
                ranking = cls._made(kept.best, ranker).reopened(
                    changed, ranker.words_used(set(changed)))
                _keep(root, frame, openings, ranking)
                return ranking
        ranking = cls(corpus, timelines, editable=True)
        _keep(root, frame, openings, ranking)
        return ranking

    @classmethod
    def _made(cls, best: list[tuple[int, ...]], ranker: _Ranker | None,
              token: str | None = None) -> Ranking:
        """A ranking of these results (made before), updatable when `ranker` is given."""
        ranking = object.__new__(cls)
        ranking.best, ranking._ranker, ranking.token = best, ranker, token
        return ranking

    def reopened(self, changed: Mapping[int, Article],
                 before: Mapping[int, set[str]] | None = None) -> Ranking:
        """The ranking once the articles at these indices are replaced by versions whose
        body alone differs (same date, URL and topics): the same result as ranking the
        whole new corpus, computed from the words whose use the edits changed.
        `before` has the words of their old openings, when the ranking no longer
        holds the old articles."""
        assert self._ranker is not None, "only an editable ranking can be updated"
        if before is None:
            before = {i: set(lede_words(self._ranker.articles[i].body)) for i in changed}
        reopened = self._ranker.reopened(changed, before)
        assert reopened is not None, "an editable ranking holds every article"
        ranker, stale = reopened
        updated = Ranking._made(list(self.best), ranker)
        ordered = sorted(stale)
        for i, best in zip(ordered, ranker.rank_all(ordered), strict=True):
            updated.best[i] = best
        return updated


class _Ranker:
    """The indices related articles are found from, and the ranking of one article."""

    def __init__(self, corpus: Corpus, timelines: Mapping[str, Sequence[int]], limit: int,
                 editable: bool = False):
        n = len(corpus.articles)
        self.limit = limit
        # Only for `reopened`; not kept with the indices (see `_keep`), which the parse
        # cache would duplicate.
        self.articles = corpus.articles
        self.topic_slugs = corpus.topics
        self.idf = {slug: math.log(1 + n / len(members)) for slug, members in timelines.items()}
        self.topics = _Postings(timelines)
        counts = [Counter(lede_words(a.body)) for a in corpus.articles]
        using = _using(counts)
        # Word -> the articles whose opening has it (df is its length); kept only when
        # editable: tens of megabytes at 100k articles, for `reopened` and `words_used`.
        self.using = using if editable else {}
        self.vectors: list[dict[str, float]] | _PackedVectors = term_vectors(counts, using)
        self.words = _Postings(_word_lists(self.vectors))
        self.days = [a.published.timestamp() / 86400 for a in corpus.articles]
        self.urls = [a.url for a in corpus.articles]

    def rank_all(self, indices: Sequence[int]) -> list[tuple[int, ...]]:
        return [self.rank(i) for i in indices]

    def rank(self, i: int) -> tuple[int, ...]:
        scores: dict[int, float] = defaultdict(float)
        for slug in self.topic_slugs[i]:
            for j in self.topics.near(slug, i, WINDOW):
                scores[j] += self.idf[slug]
        vectors = self.vectors
        for term, weight in vectors[i].items():
            for j in self.words.near(term, i, TERM_WINDOW):
                scores[j] += TEXT_WEIGHT * weight * vectors[j][term]
        scores.pop(i, None)
        # Ties: the higher score, then the newer article, then the URL. Scores are
        # compared in integer nanounits so float noise cannot reorder equal ones.
        days, urls = self.days, self.urls
        day = days[i]
        ranked = [(-int(1e9 * (s + TIME_WEIGHT / (1 + abs(day - days[j]) / TIME_SCALE_DAYS))),
                   -days[j], urls[j], j) for j, s in scores.items()]
        return tuple(item[3] for item in heapq.nsmallest(self.limit, ranked))

    def words_used(self, articles: set[int]) -> dict[int, set[str]]:
        """The words of each of these articles' openings, as the indices have them."""
        found: dict[int, set[str]] = {i: set() for i in articles}
        for term, members in self.using.items():  # each list ascending
            for i in articles:
                at = bisect.bisect_left(members, i)
                if at < len(members) and members[at] == i:
                    found[i].add(term)
        return found

    def reopened(self, changed: Mapping[int, Article], before_words: Mapping[int, set[str]],
                 bodies: Bodies | None = None) -> tuple[_Ranker, set[int]] | None:
        """A copy with these articles' new bodies (`before_words`: their old openings'
        words), and the articles whose ranking may differ; None when that needs the
        openings of articles it does not hold (kept indices hold none) and `bodies`
        cannot give them (see `_bodies`). Why it is
        exact: an article's ranking reads its own vector, the nearest entries of its
        words' lists, and those entries' vectors. An edit changes the vectors of the
        edited articles and of those that use a word whose idf moved; a changed vector
        moves its article in and out of word lists, and is read only by the articles
        that many places (or fewer) from it in a list."""
        new = copy.copy(self)
        new.using = dict(self.using)
        moved: set[str] = set()  # words whose use the edits changed
        for i in changed:
            before, after = before_words[i], set(lede_words(changed[i].body))
            for term in before - after:
                new.using[term] = array("I", (j for j in new.using[term] if j != i))
            for term in after - before:
                members = new.using[term] = array("I", new.using.get(term, ()))
                bisect.insort(members, i)
            moved |= before ^ after
        count = len(self.days)
        again = set(changed)
        for term in moved:
            was, now = len(self.using.get(term, ())), len(new.using[term])
            if not now:
                del new.using[term]
            elif not was or word_idf(count, was) != word_idf(count, now):
                again.update(new.using[term])  # the users of a word whose idf moved
        unchanged = self._bodies(sorted(again - changed.keys()), bodies)
        if unchanged is None:
            return None
        new.articles = [changed.get(i, a) for i, a in enumerate(self.articles)]
        counts = {j: Counter(lede_words(changed[j].body if j in changed else unchanged[j]))
                  for j in sorted(again)}
        idf = {t: word_idf(count, len(new.using[t])) for t in set().union(*counts.values())}
        new.vectors = self.vectors.copy()
        differ = []
        for j, word_counts in counts.items():
            vector = _vector(word_counts, idf)
            if list(vector.items()) != list(self.vectors[j].items()):  # order counts too
                new.vectors[j] = vector
                differ.append(j)
        new.words = self.words.moved(differ, self.vectors, new.vectors)
        stale = set(differ)
        for j in differ:
            stale.update(*(self.words.near(t, j, TERM_WINDOW) for t in self.vectors[j]),
                         *(new.words.near(t, j, TERM_WINDOW) for t in new.vectors[j]))
        return new, stale

    def _bodies(self, indices: Sequence[int], bodies: Bodies | None) -> Mapping[int, str] | None:
        """The bodies of these unedited articles, which use a word whose idf an edit
        moved: from the articles held, else from `bodies` unless there are too many."""
        if not indices or len(self.articles) == len(self.days):
            return {j: self.articles[j].body for j in indices}
        if bodies is None or len(indices) > MAX_REVECTORED:
            return None
        return bodies(indices)


def word_idf(articles: int, using: int) -> float:
    """The idf of a word that `using` of the `articles` openings have, to `IDF_STEP`."""
    return round(math.log(articles / using) / IDF_STEP) * IDF_STEP


def moved(root: Path, token: str, changed: Mapping[int, Article],
          shown: Mapping[int, tuple[int, ...]], bodies: Bodies | None = None
          ) -> dict[int, tuple[tuple[int, ...], tuple[int, ...]]] | None:
    """The related lists that differ from what the pages show once the articles at
    these indices are replaced by versions whose body alone differs, as index ->
    (list shown, new list). The pages show the ranking kept under `token` (see
    `_keep`) but for the lists in `shown`. None when that cannot be told without the
    whole site: the state is missing or too many articles changed. An edit that
    moved a word's idf changes the vectors of the other articles that use it, which
    are read from their bodies, by index, from `bodies` (None when it cannot give
    them: None then too). For sitegen.quick, which rebuilds without loading the
    site."""
    kept = _load_kept(root)
    if kept is None or kept.token != token or len(changed) > MAX_REOPENED:
        return None
    ranker = _kept_indices(root, token)
    if ranker is None or not all(0 <= i < len(kept.best) for i in (*changed, *shown)):
        return None
    reopened = ranker.reopened(changed, ranker.words_used(set(changed)), bodies)
    if reopened is None:
        return None
    new, stale = reopened
    # A list shown differs from the kept ranking: it is checked whatever the edits.
    lists = {i: (shown.get(i, kept.best[i]), new.rank(i)) for i in sorted(stale | shown.keys())}
    return {i: (was, now) for i, (was, now) in lists.items() if was != now}


_CACHE_NAME = "related"
_INDICES_NAME = "related-indices"
# The code that makes what is kept: this module, and the words it reads.
_CODE_DIGEST = cache.digest(Path(__file__).read_bytes() + Path(opening.__file__).read_bytes())
# More openings changed than this: ranking anew costs about as much as re-ranking.
MAX_REOPENED = 64
# More unedited articles than this to re-weigh after an edit moved the idf of words
# they use: reading their openings and re-ranking costs about as much as the full build.
MAX_REVECTORED = 1000


def _frame_digest(corpus: Corpus) -> str:
    """A digest of all `Ranking` reads of the corpus but the openings: each article's
    URL, time and topics, in order."""
    hasher = hashlib.blake2b(digest_size=16)
    for article, topics in zip(corpus.articles, corpus.topics, strict=True):
        hasher.update(repr((article.url, article.published.timestamp(), topics)).encode())
    return hasher.hexdigest()


def _opening_digest(article: Article) -> bytes:
    return hashlib.blake2b(article.body[:LEDE_READ].encode(), digest_size=16).digest()


@dataclass(frozen=True)
class _Kept:
    """What the last build kept of its ranking (see `_keep`)."""

    frame: str  # `_frame_digest` of the corpus it ranked
    openings: list[bytes]  # `_opening_digest` of each article, oldest first
    best: list[tuple[int, ...]]
    token: str  # names the indices kept with it


def _load_kept(root: Path) -> _Kept | None:
    """The ranking the last build kept, if any and whole."""
    kept = cache.load(root, _CACHE_NAME, _CODE_DIGEST)
    frame, openings = kept.get("frame"), kept.get("openings")
    best, token = kept.get("best"), kept.get("token")
    if (not isinstance(frame, str) or not isinstance(openings, list)
            or not isinstance(best, list) or not isinstance(token, str)
            or len(openings) != len(best)):
        return None
    return _Kept(frame, openings, best, token)


def _kept(root: Path, frame: str, count: int) -> _Kept | None:
    """The ranking the last build kept, if made from the same articles, dates and
    topics (`frame`): `count` articles."""
    kept = _load_kept(root)
    return kept if kept and kept.frame == frame and len(kept.best) == count else None


def _kept_indices(root: Path, token: str) -> _Ranker | None:
    """The indices kept with the ranking named by `token`."""
    kept = cache.load(root, _INDICES_NAME, f"{_CODE_DIGEST}\0{token}")
    ranker = kept.get("ranker")
    return ranker if isinstance(ranker, _Ranker) else None


def _keep(root: Path, frame: str, openings: list[bytes], ranking: Ranking) -> None:
    """Store the ranking and, apart, its indices (without the articles, which the parse
    cache holds) for the next build, then let this one drop the indices. A random
    token in both says which indices go with which ranking."""
    ranker = ranking._ranker
    assert ranker is not None
    stored = copy.copy(ranker)
    stored.articles = ()
    stored.topics, stored.words = ranker.topics.packed(), ranker.words.packed()
    if not isinstance(ranker.vectors, _PackedVectors):  # packed already when read back
        stored.vectors = _PackedVectors(ranker.vectors)
    token = os.urandom(8).hex()
    cache.save(root, _INDICES_NAME, f"{_CODE_DIGEST}\0{token}", {"ranker": stored})
    cache.save(root, _CACHE_NAME, _CODE_DIGEST, {"frame": frame, "openings": openings,
                                                 "best": ranking.best, "token": token})
    ranking._ranker, ranking.token = None, token


def term_vectors(counts: Sequence[Counter[str]],
                 using: Mapping[str, Sequence[int]] | None = None) -> list[dict[str, float]]:
    """Each opening's top TF-IDF words (from its word counts), as a unit vector (so a
    dot product is the cosine). `using` is `_using(counts)`, if made already."""
    idf = {t: word_idf(len(counts), len(members))  # df: how many openings use it
           for t, members in (_using(counts) if using is None else using).items()}
    return [_vector(count, idf) for count in counts]


def _vector(count: Counter[str], idf: Mapping[str, float]) -> dict[str, float]:
    terms = list(count)
    weights = list(map(mul, count.values(), map(idf.__getitem__, terms)))  # in C
    # The heaviest first; equal weights keep the order of first use in the text:
    # deterministic. (A stable sort, as heapq.nlargest is documented to be, in C: a
    # third faster; sorting places rather than (word, weight) pairs, a fifth more.)
    top = sorted(range(len(terms)), key=weights.__getitem__, reverse=True)[:TOP_TERMS]
    norm = math.sqrt(sum(weights[i] * weights[i] for i in top)) or 1.0
    # Interned: one object per word across all vectors (and `_using`), which pickle
    # then stores once. The kept indices a quick rebuild reads load twice as fast.
    return {sys.intern(terms[i]): weights[i] / norm for i in top if weights[i] > 0}


def _using(counts: Sequence[Counter[str]]) -> dict[str, array[int]]:
    """Word -> the articles (by index, ascending) whose opening has it. Arrays: a
    tenth of the memory of lists of ints, and stored and read as plain bytes (this is
    most of the kept indices, which a quick rebuild reads)."""
    index: dict[str, list[int]] = defaultdict(list)
    for i, count in enumerate(counts):
        for term in count:
            index[term].append(i)
    return {sys.intern(term): array("I", members) for term, members in index.items()}


def _word_lists(vectors: Sequence[Mapping[str, float]]) -> dict[str, list[int]]:
    """Word -> the articles (oldest first) that have it among their top words."""
    index: dict[str, list[int]] = defaultdict(list)
    for i, vector in enumerate(vectors):
        for term in vector:
            index[term].append(i)
    return index
