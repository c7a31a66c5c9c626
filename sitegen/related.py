"""Related articles from inverted indices: shared topics, closeness in time, shared words.

The scoring is described in `docs/related.md`. Candidates come only from
capped posting lists (a topic's nearby stories, a rare word's articles), so
the work per article is bounded and the whole pass grows linearly with the
archive; no two articles are compared unless an index brings them together.
"""

from __future__ import annotations

import heapq
import math
import re
from collections import Counter, defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from sitegen.models import Article

LIMIT = 5  # related articles shown per article
TOPIC_WINDOW = 8  # stories taken from each side of the article in each topic's timeline
TOP_TERMS = 12  # words kept per article for text similarity
POSTING_CAP = 40  # a word in more articles' top words than this is too common to find candidates
LEDE_CHARS = 1500  # news puts the subject first: the opening is enough and keeps 100k cheap
TEXT_WEIGHT = 2.0
TIME_WEIGHT = 1.0
TIME_SCALE_DAYS = 30.0
_WORD = re.compile(r"[^\W\d_]{3,}")


@dataclass(frozen=True)
class Corpus:
    """The articles oldest first, with each one's topic slugs in the same order."""

    articles: Sequence[Article]
    topics: Sequence[tuple[str, ...]]


def related(corpus: Corpus, timelines: Mapping[str, Sequence[int]],
            limit: int = LIMIT) -> list[tuple[int, ...]]:
    """For each article (by index), the indices of up to `limit` related articles, best first.

    `timelines` maps a topic slug to its articles' indices, oldest first.
    """
    n = len(corpus.articles)
    idf = {slug: math.log(1 + n / len(members)) for slug, members in timelines.items()}
    position = {(slug, i): p for slug, members in timelines.items()
                for p, i in enumerate(members)}
    vectors = term_vectors([a.body for a in corpus.articles])
    postings = _postings(vectors)
    days = [a.published.timestamp() / 86400 for a in corpus.articles]
    urls = [a.url for a in corpus.articles]
    out = []
    for i in range(n):
        candidates = _candidates(i, corpus.topics[i], timelines, position, vectors[i], postings)
        scored = []
        for j in candidates:
            shared = set(corpus.topics[i]).intersection(corpus.topics[j])
            topic = sum(idf[s] for s in sorted(shared))
            text = sum(w * vectors[j].get(t, 0.0) for t, w in sorted(vectors[i].items()))
            closeness = 1 / (1 + abs(days[i] - days[j]) / TIME_SCALE_DAYS)
            score = round(topic + TEXT_WEIGHT * text + TIME_WEIGHT * closeness, 9)
            # Ties: the higher score, then the newer article, then the URL.
            scored.append((-score, -days[j], urls[j], j))
        out.append(tuple(item[3] for item in heapq.nsmallest(limit, scored)))
    return out


def _candidates(i: int, topics: tuple[str, ...], timelines: Mapping[str, Sequence[int]],
                position: Mapping[tuple[str, int], int], vector: Mapping[str, float],
                postings: Mapping[str, Sequence[int]]) -> set[int]:
    """Articles that share a topic (nearby in its timeline) or a distinctive word."""
    found: set[int] = set()
    for slug in topics:
        members = timelines[slug]
        p = position[(slug, i)]
        found.update(members[max(0, p - TOPIC_WINDOW): p + TOPIC_WINDOW + 1])
    for term in vector:
        found.update(postings.get(term, ()))
    found.discard(i)
    return found


def tokens(body: str) -> list[str]:
    """The words of an article's opening, lowercased; numbers and short words are noise."""
    return _WORD.findall(body[:LEDE_CHARS].lower())


def term_vectors(bodies: Sequence[str]) -> list[dict[str, float]]:
    """Each body's top TF-IDF words, as a unit vector (so a dot product is the cosine).

    Bodies are tokenised twice rather than keeping every word list: at 100k
    articles the word lists would need gigabytes, a second pass only seconds.
    """
    df: Counter[str] = Counter()
    for body in bodies:
        df.update(set(tokens(body)))
    n = len(bodies)
    vectors = []
    for body in bodies:
        weights = {t: c * math.log(n / df[t]) for t, c in Counter(tokens(body)).items()}
        top = heapq.nlargest(TOP_TERMS, sorted(weights.items()), key=lambda tw: tw[1])
        norm = math.sqrt(sum(w * w for _, w in top)) or 1.0
        vectors.append({t: w / norm for t, w in top if w > 0})
    return vectors


def _postings(vectors: Sequence[Mapping[str, float]]) -> dict[str, list[int]]:
    """Word -> articles that have it among their top words; common words are dropped."""
    index: dict[str, list[int]] = defaultdict(list)
    for i, vector in enumerate(vectors):
        for term in vector:
            index[term].append(i)
    return {t: members for t, members in index.items() if len(members) <= POSTING_CAP}
