"""Link the archive: which articles belong to each topic, author, section and month.

Computed once from the loaded site with inverted indices (one pass over the
articles), never by comparing articles pairwise.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass

from sitegen.content import Site
from sitegen.models import Article
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


def link(site: Site) -> Links:
    oldest_first = sorted(site.articles, key=lambda a: a.sort_key)
    topics: dict[str, list[Article]] = defaultdict(list)
    authors: dict[str, list[Article]] = defaultdict(list)
    sections: dict[str, list[Article]] = defaultdict(list)
    months: dict[str, list[Article]] = defaultdict(list)
    author_names: dict[str, str] = {}
    section_names: dict[str, str] = {}
    for article in oldest_first:
        for slug in site.topic_slugs(article):
            topics[slug].append(article)
        for name in dict.fromkeys(article.byline):
            authors[slugify(name)].append(article)
            author_names.setdefault(slugify(name), name)
        if article.section:
            sections[slugify(article.section)].append(article)
            section_names.setdefault(slugify(article.section), article.section)
        months[f"{article.date.year:04d}-{article.date.month:02d}"].append(article)
    return Links(_freeze(topics), _freeze(authors), author_names, _freeze(sections),
                 section_names, _freeze(months))


def _freeze(index: dict[str, list[Article]]) -> dict[str, tuple[Article, ...]]:
    return {key: tuple(index[key]) for key in sorted(index)}


@dataclass(frozen=True)
class Neighbours:
    """The stories before and after an article in one topic's timeline."""

    topic: str
    prev: Article | None
    next: Article | None


def neighbours(links: Links, article: Article, topic_slugs: tuple[str, ...],
               limit: int = 3) -> list[Neighbours]:
    """For up to `limit` of the article's topics: the previous and next story in each."""
    out = []
    for slug in topic_slugs[:limit]:
        timeline = links.by_topic.get(slug, ())
        position = timeline.index(article)
        before = timeline[position - 1] if position > 0 else None
        after = timeline[position + 1] if position + 1 < len(timeline) else None
        if before or after:
            out.append(Neighbours(slug, before, after))
    return out
