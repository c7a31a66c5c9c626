"""Link the archive: which articles belong to each topic, author, section, place and month,
each story's neighbours and each article's related articles.

Computed once from the loaded site with inverted indices (one pass over the
articles), never by comparing articles pairwise.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, NamedTuple

from sitegen import related
from sitegen.content import Site
from sitegen.models import Article
from sitegen.related import Ranking
from sitegen.slugs import slugify


@dataclass(frozen=True)
class Links:
    """Indices from a taxonomy term to its articles, each list oldest first."""

    by_topic: Mapping[str, tuple[Article, ...]]
    by_author: Mapping[str, tuple[Article, ...]]  # author slug -> articles
    author_names: Mapping[str, str]  # author slug -> name as first printed
    by_section: Mapping[str, tuple[Article, ...]]
    section_names: Mapping[str, str]
    by_month: Mapping[str, tuple[Article, ...]]  # "YYYY-MM" -> articles
    by_place: Mapping[str, tuple[Article, ...]]  # dateline slug -> articles
    place_names: Mapping[str, str]
    positions: Mapping[tuple[str, str], int]  # (topic slug, article URL) -> index in by_topic
    related: Mapping[str, tuple[Article, ...]]  # article URL -> related articles, best first
    # What `related` was computed from, when the links were made `editable`.
    ranking: Ranking | None = field(default=None, compare=False, repr=False)
    # Names the related ranking the build kept for the next one, if it kept this one
    # (see `related.moved`).
    related_token: str | None = field(default=None, compare=False, repr=False)


class _Terms:
    """One taxonomy while it is being collected: slug -> articles, slug -> first name."""

    def __init__(self) -> None:
        self.articles: dict[str, list[Article]] = defaultdict(list)
        self.names: dict[str, str] = {}

    def add(self, name: str, article: Article) -> None:
        slug = slugify(name)
        if slug:
            self.articles[slug].append(article)
            self.names.setdefault(slug, name)


def link(site: Site, *, editable: bool = False) -> Links:
    """The links of `site`; `editable` ones keep what `sitegen.incremental` needs to
    update related articles after an edit, at a cost in memory."""
    oldest_first = oldest_first_of(site)
    ranking = rank_related(site, oldest_first, editable)
    return Links(**indices(site, oldest_first), related=related_by_url(oldest_first, ranking),
                 ranking=ranking if editable else None, related_token=ranking.token)


def oldest_first_of(site: Site) -> Sequence[Article]:
    """The site's articles (newest first, by their unique sort keys) turned round."""
    return site.articles[::-1]


def indices(site: Site, oldest_first: Sequence[Article]) -> dict[str, Any]:
    """Every field of `Links` but `related`: the cheap part of linking."""
    topics: dict[str, list[Article]] = defaultdict(list)
    months: dict[str, list[Article]] = defaultdict(list)
    authors, sections, places = _Terms(), _Terms(), _Terms()
    for article in oldest_first:
        for slug in site.topic_slugs(article):
            topics[slug].append(article)
        for name in dict.fromkeys(article.byline):
            authors.add(name, article)
        if article.section:
            sections.add(article.section, article)
        if article.dateline:
            places.add(article.dateline, article)
        months[f"{article.date.year:04d}-{article.date.month:02d}"].append(article)
    by_topic = _freeze(topics)
    positions = {(slug, a.url): p for slug, timeline in by_topic.items()
                 for p, a in enumerate(timeline)}
    return {"by_topic": by_topic, "by_author": _freeze(authors.articles),
            "author_names": authors.names, "by_section": _freeze(sections.articles),
            "section_names": sections.names, "by_month": _freeze(months),
            "by_place": _freeze(places.articles), "place_names": places.names,
            "positions": positions}


def _freeze(index: dict[str, list[Article]]) -> dict[str, tuple[Article, ...]]:
    return {key: tuple(index[key]) for key in sorted(index)}


def rank_related(site: Site, oldest_first: Sequence[Article],
                 editable: bool = False) -> Ranking:
    """Related articles by index into `oldest_first` (see `sitegen.related`); an
    editable ranking is always made anew, another may come from the last build."""
    topics = [site.topic_slugs(a) for a in oldest_first]
    timelines: dict[str, list[int]] = defaultdict(list)
    for i, slugs in enumerate(topics):
        for slug in slugs:
            timelines[slug].append(i)
    corpus = related.Corpus(oldest_first, topics)
    if editable:
        return Ranking(corpus, timelines, editable=True)
    return Ranking.stored(corpus, timelines, site.root)


def related_by_url(oldest_first: Sequence[Article], ranking: Ranking
                   ) -> dict[str, tuple[Article, ...]]:
    """Article URL -> its related articles, best first."""
    return {a.url: tuple(oldest_first[j] for j in ranking.best[i])
            for i, a in enumerate(oldest_first)}


class Neighbours(NamedTuple):
    """The stories before and after an article in one topic's timeline.
    (A named tuple: made for every article at every plan, and cheaper than a dataclass.)"""

    topic: str
    prev: Article | None
    next: Article | None


STORY_TOPICS = 3  # an article page shows previous / next for up to this many topics


def neighbours(links: Links, article: Article, topic_slugs: tuple[str, ...],
               limit: int = STORY_TOPICS) -> list[Neighbours]:
    """For up to `limit` of the article's topics: the previous and next story in each."""
    out = []
    for slug in topic_slugs[:limit]:
        timeline = links.by_topic.get(slug, ())
        position = links.positions.get((slug, article.url))
        if position is None:
            continue
        before = timeline[position - 1] if position > 0 else None
        after = timeline[position + 1] if position + 1 < len(timeline) else None
        if before or after:
            out.append(Neighbours(slug, before, after))
    return out
