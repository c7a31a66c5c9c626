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
from collections import Counter, defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from operator import itemgetter
from pathlib import Path
from typing import Any

from sitegen import cache, parallel
from sitegen.models import Article
from sitegen.opening import LEDE_CHARS, lede_words

LIMIT = 5  # related articles shown per article
WINDOW = 6  # entries looked at on each side of the article in a topic's timeline
TERM_WINDOW = 3  # the same for a word's posting list, which is longer and noisier
TOP_TERMS = 8  # words kept per article for text similarity
TEXT_WEIGHT = 2.0
TIME_WEIGHT = 1.0
TIME_SCALE_DAYS = 30.0


@dataclass(frozen=True)
class Corpus:
    """The articles oldest first, with each one's topic slugs in the same order."""

    articles: Sequence[Article]
    topics: Sequence[tuple[str, ...]]


class _Postings:
    """Key -> article indices oldest first, and where each article sits in each list."""

    def __init__(self, lists: Mapping[str, Sequence[int]],
                 position: dict[tuple[str, int], int] | None = None):
        self.lists = lists
        self.position = position if position is not None else {
            (key, i): p for key, members in lists.items() for p, i in enumerate(members)}

    def near(self, key: str, i: int, window: int) -> Sequence[int]:
        """The articles up to `window` places before and after article `i` in `key`'s list."""
        members, p = self.lists[key], self.position[(key, i)]
        return members[max(0, p - window): p + window + 1]

    def moved(self, articles: Sequence[int], before: Sequence[Mapping[str, Any]],
              after: Sequence[Mapping[str, Any]]) -> _Postings:
        """A copy in which each of these articles is listed under the keys of `after`
        instead of those of `before`."""
        lists = dict(self.lists)
        touched: set[str] = set()
        for i in articles:
            for key in before[i].keys() - after[i].keys():
                lists[key] = [j for j in lists[key] if j != i]
            for key in after[i].keys() - before[i].keys():
                lists[key] = members = list(lists.get(key, ()))
                bisect.insort(members, i)
            touched |= before[i].keys() ^ after[i].keys()
        position = dict(self.position)
        for key in touched:
            for i in self.lists.get(key, ()):
                del position[(key, i)]
            position.update(((key, i), p) for p, i in enumerate(lists[key]))
            if not lists[key]:
                del lists[key]
        return _Postings(lists, position)


def related(corpus: Corpus, timelines: Mapping[str, Sequence[int]],
            limit: int = LIMIT) -> list[tuple[int, ...]]:
    """For each article (by index), the indices of up to `limit` related articles, best first.

    `timelines` maps a topic slug to its articles' indices, oldest first.
    """
    return Ranking(corpus, timelines, limit).best


class Ranking:
    """Each article's related articles (`best`, by index), ranked in parallel (see
    sitegen.parallel: each ranking only reads the indices built first).

    When `editable` (for `sitegen serve`), the indices are kept, with which
    articles use each word, so that `reopened` can re-rank only the articles an
    edit to a few openings can change, instead of all of them.
    """

    def __init__(self, corpus: Corpus, timelines: Mapping[str, Sequence[int]],
                 limit: int = LIMIT, editable: bool = False):
        ranker = _Ranker(corpus, timelines, limit, editable)
        self.best: list[tuple[int, ...]] = parallel.map_chunks(
            ranker.rank_all, range(len(corpus.articles)), chunk_size=1024)
        self._ranker = ranker if editable else None

    @classmethod
    def stored(cls, corpus: Corpus, timelines: Mapping[str, Sequence[int]],
               root: Path) -> Ranking:
        """The ranking of the last build of the site at `root` when everything it
        reads is the same, else a new one (kept for the next build).

        An edit after an article's opening, the usual correction, changes
        nothing a ranking reads, so the next build need not rank 10,000
        articles again. The digest covers every input: each article's URL,
        time, topics and opening, in order, and this module's own code.
        """
        inputs = _inputs_digest(corpus)
        kept = cache.load(root, _CACHE_NAME, _CODE_DIGEST)
        if kept.get("inputs") == inputs:
            ranking = object.__new__(cls)
            ranking.best, ranking._ranker = kept["best"], None
            return ranking
        ranking = cls(corpus, timelines)
        cache.save(root, _CACHE_NAME, _CODE_DIGEST, {"inputs": inputs, "best": ranking.best})
        return ranking

    def reopened(self, changed: Mapping[int, Article]) -> Ranking:
        """The ranking once the articles at these indices are replaced by versions whose
        body alone differs (same date, URL and topics): the same result as ranking the
        whole new corpus, computed from the words whose use the edits changed."""
        assert self._ranker is not None, "only an editable ranking can be updated"
        ranker, stale = self._ranker.reopened(changed)
        updated = object.__new__(Ranking)
        updated._ranker = ranker
        updated.best = list(self.best)
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
        self.articles = corpus.articles
        self.topic_slugs = corpus.topics
        self.idf = {slug: math.log(1 + n / len(members)) for slug, members in timelines.items()}
        self.topics = _Postings(timelines)
        counts = [Counter(lede_words(a.body)) for a in corpus.articles]
        # Word -> the articles whose opening has it (df is its length); kept only when
        # editable: at 100k articles it is tens of megabytes a build does not need.
        self.using = _using(counts) if editable else {}
        self.vectors = term_vectors(counts)
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

    def reopened(self, changed: Mapping[int, Article]) -> tuple[_Ranker, set[int]]:
        """A copy with these articles' new bodies, and the articles whose ranking may
        differ. Why it is exact: an article's ranking reads its own vector, the
        nearest entries of its words' lists, and those entries' vectors. An edit
        changes the vectors of articles that use a word whose document frequency
        moved; a changed vector moves its article in and out of word lists, and is
        read only by the articles that many places (or fewer) from it in a list."""
        new = copy.copy(self)
        new.articles = list(self.articles)
        new.using = dict(self.using)
        moved: set[str] = set()  # words whose document frequency changed
        for i, article in changed.items():
            before, after = set(lede_words(self.articles[i].body)), set(lede_words(article.body))
            for term in before - after:
                new.using[term] = [j for j in new.using[term] if j != i]
            for term in after - before:
                members = new.using[term] = list(new.using.get(term, ()))
                bisect.insort(members, i)
            moved |= before ^ after
            new.articles[i] = article
        for term in moved:
            if not new.using[term]:
                del new.using[term]
        again = set(changed).union(*(new.using.get(t, ()) for t in moved))
        counts = {j: Counter(lede_words(new.articles[j].body)) for j in sorted(again)}
        idf = {t: math.log(len(new.articles) / len(new.using[t]))  # as term_vectors
               for t in set().union(*counts.values())}
        new.vectors = list(self.vectors)
        differ = []
        for j, count in counts.items():
            vector = _vector(count, idf)
            if vector != self.vectors[j]:
                new.vectors[j] = vector
                differ.append(j)
        new.words = self.words.moved(differ, self.vectors, new.vectors)
        stale = set(differ)
        for j in differ:
            stale.update(*(self.words.near(t, j, TERM_WINDOW) for t in self.vectors[j]),
                         *(new.words.near(t, j, TERM_WINDOW) for t in new.vectors[j]))
        return new, stale


_CACHE_NAME = "related"
_CODE_DIGEST = cache.digest(Path(__file__).read_bytes())


def _inputs_digest(corpus: Corpus) -> str:
    """A digest of everything `Ranking` reads of the corpus (see `_Ranker`)."""
    hasher = hashlib.blake2b(digest_size=16)
    for article, topics in zip(corpus.articles, corpus.topics, strict=True):
        hasher.update(repr((article.url, article.published.timestamp(), topics,
                            article.body[:LEDE_CHARS])).encode())
    return hasher.hexdigest()


def term_vectors(counts: Sequence[Counter[str]]) -> list[dict[str, float]]:
    """Each opening's top TF-IDF words (from its word counts), as a unit vector (so a
    dot product is the cosine)."""
    df: Counter[str] = Counter()
    for count in counts:
        df.update(count.keys())
    idf = {t: math.log(len(counts) / n) for t, n in df.items()}
    return [_vector(count, idf) for count in counts]


def _vector(count: Counter[str], idf: Mapping[str, float]) -> dict[str, float]:
    weights = [(t, c * idf[t]) for t, c in count.items()]
    # Equal weights keep the order of first use in the text: deterministic. (A stable
    # sort, as heapq.nlargest is documented to be, in C: a third faster.)
    weights.sort(key=itemgetter(1), reverse=True)
    top = weights[:TOP_TERMS]
    norm = math.sqrt(sum(w * w for _, w in top)) or 1.0
    return {t: w / norm for t, w in top if w > 0}


def _using(counts: Sequence[Counter[str]]) -> dict[str, list[int]]:
    """Word -> the articles (by index, ascending) whose opening has it."""
    index: dict[str, list[int]] = defaultdict(list)
    for i, count in enumerate(counts):
        for term in count:
            index[term].append(i)
    return dict(index)


def _word_lists(vectors: Sequence[Mapping[str, float]]) -> dict[str, list[int]]:
    """Word -> the articles (oldest first) that have it among their top words."""
    index: dict[str, list[int]] = defaultdict(list)
    for i, vector in enumerate(vectors):
        for term in vector:
            index[term].append(i)
    return index
