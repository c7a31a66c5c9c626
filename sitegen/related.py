"""Related articles from inverted indices: shared topics, closeness in time, shared words.

The scoring is described in `docs/related.md`. Candidates come only from
posting lists (topic -> articles, word -> articles), and from each list only
the few entries nearest the article in time, so the work per article is
bounded and the whole pass grows linearly with the archive; no two articles
are compared unless an index brings them together.
"""

from __future__ import annotations

import heapq
import math
import re
from collections import Counter, defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from operator import itemgetter

from sitegen import parallel
from sitegen.models import Article

LIMIT = 5  # related articles shown per article
WINDOW = 6  # entries looked at on each side of the article in a topic's timeline
TERM_WINDOW = 3  # the same for a word's posting list, which is longer and noisier
TOP_TERMS = 8  # words kept per article for text similarity
LEDE_CHARS = 1000  # news puts the subject first: the opening is enough and keeps 100k cheap
TEXT_WEIGHT = 2.0
TIME_WEIGHT = 1.0
TIME_SCALE_DAYS = 30.0
_WORD = re.compile(r"[^\W\d_]{3,}")


@dataclass(frozen=True)
class Corpus:
    """The articles oldest first, with each one's topic slugs in the same order."""

    articles: Sequence[Article]
    topics: Sequence[tuple[str, ...]]


class _Postings:
    """Key -> article indices oldest first, and where each article sits in each list."""

    def __init__(self, lists: Mapping[str, Sequence[int]]):
        self.lists = lists
        self.position = {(key, i): p for key, members in lists.items()
                         for p, i in enumerate(members)}

    def near(self, key: str, i: int, window: int) -> Sequence[int]:
        """The articles up to `window` places before and after article `i` in `key`'s list."""
        members, p = self.lists[key], self.position[(key, i)]
        return members[max(0, p - window): p + window + 1]


def related(corpus: Corpus, timelines: Mapping[str, Sequence[int]],
            limit: int = LIMIT) -> list[tuple[int, ...]]:
    """For each article (by index), the indices of up to `limit` related articles, best first.

    `timelines` maps a topic slug to its articles' indices, oldest first.
    The articles are ranked in parallel (see sitegen.parallel): each ranking
    only reads the indices built here.
    """
    ranker = _Ranker(corpus, timelines, limit)
    return parallel.map_chunks(ranker.rank_all, range(len(corpus.articles)), chunk_size=1024)


class _Ranker:
    """The indices related articles are found from, and the ranking of one article."""

    def __init__(self, corpus: Corpus, timelines: Mapping[str, Sequence[int]], limit: int):
        n = len(corpus.articles)
        self.limit = limit
        self.topic_slugs = corpus.topics
        self.idf = {slug: math.log(1 + n / len(members)) for slug, members in timelines.items()}
        self.topics = _Postings(timelines)
        self.vectors = term_vectors([a.body for a in corpus.articles])
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


def tokens(body: str) -> list[str]:
    """The words of an article's opening, lowercased; numbers and short words are noise."""
    return _WORD.findall(body[:LEDE_CHARS].lower())


def term_vectors(bodies: Sequence[str]) -> list[dict[str, float]]:
    """Each body's top TF-IDF words, as a unit vector (so a dot product is the cosine).

    Each opening is tokenised once; its word counts are kept until the document
    frequencies are known (only the opening is read, so at 100k articles they
    stay a few hundred megabytes at most).
    """
    counts = [Counter(tokens(body)) for body in bodies]
    df: Counter[str] = Counter()
    for count in counts:
        df.update(count.keys())
    idf = {t: math.log(len(bodies) / n) for t, n in df.items()}
    vectors = []
    for count in counts:
        weights = [(t, c * idf[t]) for t, c in count.items()]
        # Equal weights keep the order of first use in the text: deterministic.
        top = heapq.nlargest(TOP_TERMS, weights, key=itemgetter(1))
        norm = math.sqrt(sum(w * w for _, w in top)) or 1.0
        vectors.append({t: w / norm for t, w in top if w > 0})
    return vectors


def _word_lists(vectors: Sequence[Mapping[str, float]]) -> dict[str, list[int]]:
    """Word -> the articles (oldest first) that have it among their top words."""
    index: dict[str, list[int]] = defaultdict(list)
    for i, vector in enumerate(vectors):
        for term in vector:
            index[term].append(i)
    return index
