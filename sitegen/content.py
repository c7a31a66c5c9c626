"""Load the site: every article and topic file, validated, into a frozen `Site`."""

from __future__ import annotations

import os
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from sitegen import cache, frontmatter, parallel, schema
from sitegen.config import SiteConfig, load_config
from sitegen.errors import SitegenError, raise_if_any
from sitegen.models import Article, Topic
from sitegen.slugs import slugify

ARTICLES_DIR = Path("content/articles")
TOPICS_DIR = Path("content/topics")


@dataclass(frozen=True)
class LoadedArticle:
    article: Article
    url_line: int  # the line of the key that decides the URL, for duplicate errors


@dataclass(frozen=True)
class Site:
    """Everything the later stages need, loaded and validated."""

    root: Path
    config: SiteConfig
    articles: tuple[Article, ...]  # newest first
    topics: Mapping[str, Topic]  # slug -> topic; tags without a file get one too
    topic_names: Mapping[str, str]  # casefolded title or alias -> topic slug
    # Article tags -> topic slugs, worked out once per tag list (read for every page).
    _slugs_of_tags: dict[tuple[str, ...], tuple[str, ...]] = field(
        default_factory=dict, compare=False, repr=False)

    def topic_slugs(self, article: Article) -> tuple[str, ...]:
        """The slugs of an article's tags, in the order written, without repeats."""
        slugs = self._slugs_of_tags.get(article.tags)
        if slugs is None:
            seen: dict[str, None] = {}
            for tag in article.tags:
                seen[self.topic_names.get(tag.casefold(), slugify(tag))] = None
            slugs = self._slugs_of_tags[article.tags] = tuple(seen)
        return slugs


def markdown_files(folder: Path) -> Iterator[Path]:
    """Every `*.md` under `folder` in sorted order, not following directory links.

    `os.walk` is used instead of `Path.rglob` to control symlinks: a link loop
    in `content/` must not send the build round in circles.
    """
    if not folder.is_dir():
        return
    for dirpath, dirnames, filenames in os.walk(folder):
        dirnames[:] = sorted(d for d in dirnames if not d.startswith("."))
        for name in sorted(filenames):
            if name.endswith(".md") and not name.startswith("."):
                yield Path(dirpath) / name


def parse_article(data: bytes, display: Path, default_lang: str) -> LoadedArticle:
    doc = frontmatter.parse(frontmatter.decode(data, display), display)
    article = schema.article_from(doc, default_lang)
    key = doc.fields.get("slug") or doc.fields.get("title")
    return LoadedArticle(article, key.line if key else 1)


def load_articles(root: Path, shown: Path, default_lang: str
                  ) -> tuple[list[LoadedArticle], list[SitegenError]]:
    """Every article file, parsed in parallel; unchanged files come from the cache.

    The cache is keyed by each file's content hash and shown path, so an edited,
    moved or replaced file is always parsed again.
    """
    namespace = f"articles:{default_lang}"
    known: dict[str, LoadedArticle] = cache.load(root, "articles", namespace)
    sources, errors = _read_sources(root, shown)
    keys = [f"{display}\0{cache.digest(data)}" for display, data in sources]
    missing = [i for i, key in enumerate(keys) if key not in known]

    def parse_some(indices: Sequence[int]) -> list[LoadedArticle | SitegenError]:
        out: list[LoadedArticle | SitegenError] = []
        for index in indices:
            display, data = sources[index]
            try:
                out.append(parse_article(data, display, default_lang))
            except SitegenError as exc:
                out.append(exc)
        return out

    for index, result in zip(missing, parallel.map_chunks(parse_some, missing), strict=True):
        if isinstance(result, SitegenError):
            errors.extend(_flatten(result))
        else:
            known[keys[index]] = result
    loaded = [known[key] for key in keys if key in known]
    if missing:
        cache.save(root, "articles", namespace, {key: known[key] for key in keys if key in known})
    return loaded, errors


def _read_sources(root: Path, shown: Path) -> tuple[list[tuple[Path, bytes]], list[SitegenError]]:
    sources, errors = [], []
    for path in markdown_files(root / ARTICLES_DIR):
        display = shown / path.relative_to(root)
        try:
            sources.append((display, frontmatter.read_bytes(path, display)))
        except SitegenError as exc:
            errors.append(exc)
    return sources, errors


def load_topic(path: Path, display: Path) -> Topic:
    return schema.topic_from(frontmatter.load(path, display), path)


def load_topics(root: Path, display_root: Path | None = None) -> tuple[Topic, ...]:
    """Every topic file under `root/content/topics`; raises all errors together."""
    shown = display_root if display_root is not None else root
    topics, errors = [], []
    for path in markdown_files(root / TOPICS_DIR):
        try:
            topics.append(load_topic(path, shown / path.relative_to(root)))
        except SitegenError as exc:
            errors.extend(_flatten(exc))
    raise_if_any(errors)
    return tuple(topics)


def load_site(root: Path, *, drafts: bool = False, base_url: str | None = None,
              display_root: Path | None = None) -> Site:
    """Load and validate the whole site; every error in every file is raised together."""
    shown = display_root if display_root is not None else root
    config = load_config(root, base_url)
    loaded, errors = load_articles(root, shown, config.language)
    try:
        topic_files = load_topics(root, shown)
    except SitegenError as exc:
        errors.extend(_flatten(exc))
        topic_files = ()
    errors += _duplicate_urls(loaded)
    raise_if_any(errors)
    articles = [item.article for item in loaded if drafts or not item.article.draft]
    articles.sort(key=lambda a: a.sort_key, reverse=True)
    topics = all_topics(topic_files, articles)
    return Site(root, config, tuple(articles), topics, _topic_names(topics))


def _flatten(exc: SitegenError) -> list[SitegenError]:
    return list(getattr(exc, "errors", [exc]))


def _duplicate_urls(loaded: list[LoadedArticle]) -> list[SitegenError]:
    """Two files may not claim one URL, whether as a permalink or as an alias."""
    owners: dict[str, Article] = {}
    errors = []
    for item in loaded:
        article = item.article
        for url in (article.url, *article.aliases):
            first = owners.setdefault(url.rstrip("/") + "/", article)
            if first is not article:
                errors.append(SitegenError(
                    f"duplicate URL {url}: also used by {first.path}", article.path, item.url_line))
    return errors


def _topic_names(topics: Mapping[str, Topic]) -> dict[str, str]:
    names: dict[str, str] = {}
    for topic in topics.values():
        for name in (topic.title, *topic.aliases):
            names.setdefault(name.casefold(), topic.slug)
    return names


def all_topics(files: tuple[Topic, ...], articles: Sequence[Article]) -> dict[str, Topic]:
    """Topic files plus a bare topic for each tag that has no file."""
    topics = {topic.slug: topic for topic in files}
    names = _topic_names(topics)
    for article in sorted(articles, key=lambda a: a.sort_key):
        for tag in article.tags:
            slug = names.get(tag.casefold(), slugify(tag))
            if slug and slug not in topics:
                topics[slug] = Topic(slug=slug, title=tag)
    return dict(sorted(topics.items()))
