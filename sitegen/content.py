"""Load the site: every article and topic file, validated, into a frozen `Site`."""

from __future__ import annotations

import os
import time
from collections import defaultdict
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field, replace
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
    front: str  # the digest of the front matter's text (see `parse_article`)


@dataclass(frozen=True)
class Site:
    """Everything the later stages need, loaded and validated."""

    root: Path
    config: SiteConfig
    articles: tuple[Article, ...]  # newest first
    topics: Mapping[str, Topic]  # slug -> topic; tags without a file get one too
    topic_names: Mapping[str, str]  # casefolded title or alias -> topic slug
    # Article file (display path) -> content hash of the bytes it was read from, as
    # loaded: sitegen.quick keeps it, sitegen.incremental's edits do not update it.
    sources: Mapping[str, str] = field(default_factory=dict, compare=False, repr=False)
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
    """Every `*.md` under `folder` in sorted order, not following directory links."""
    return map(Path, markdown_file_names(folder))


def markdown_file_names(folder: Path) -> Iterator[str]:
    """`markdown_files` as text (`str` of each path): making 10,000 `Path`s, and their
    display paths, was most of what loading did before its workers started.

    `os.walk` is used instead of `Path.rglob` to control symlinks: a link loop
    in `content/` must not send the build round in circles.
    """
    if not folder.is_dir():
        return
    for dirpath, dirnames, filenames in os.walk(folder):
        dirnames[:] = sorted(d for d in dirnames if not d.startswith("."))
        for name in sorted(filenames):
            if name.endswith(".md") and not name.startswith("."):
                yield os.path.join(dirpath, name)


def parse_article(data: bytes, display: Path, default_lang: str,
                  known: LoadedArticle | None = None) -> LoadedArticle:
    """The article in a file's bytes. When `known` was parsed from a version of the
    file with the same front matter, it is that article with the new body: the front
    matter alone makes the rest of it (`schema.article_from`), and not reading it
    again spares a rebuild after a body edit importing PyYAML."""
    front, body, body_line = frontmatter.split(frontmatter.decode(data, display), display)
    front_digest = cache.digest(front.encode())
    if known is not None and known.front == front_digest:
        article = replace(known.article, body=body, body_line=body_line)
        return LoadedArticle(article, known.url_line, front_digest)
    doc = frontmatter.parse_split(display, front, body, body_line)
    article = schema.article_from(doc, default_lang)
    key = doc.fields.get("slug") or doc.fields.get("title")
    return LoadedArticle(article, key.line if key else 1, front_digest)


def load_articles(root: Path, shown: Path, default_lang: str
                  ) -> tuple[list[LoadedArticle], dict[str, str], list[SitegenError]]:
    """Every article file, read and parsed in parallel, and each file's content hash
    by display path; unchanged files come from the cache without being read.

    Each cache entry holds a file's content hash and what it parsed to, so an edited,
    moved or replaced file is always parsed again. Like git's index, an entry also
    holds the file's status (size, times, inode) when it was read: a file whose
    status is the same is taken as unchanged without reading it, which is most of
    what a rebuild after one edit would otherwise spend here. Each worker stores
    the cache shards whose files it read, so storing the cache is parallel too.
    """
    shelf = article_shelf(root, default_lang)
    paths = list(markdown_file_names(root / ARTICLES_DIR))
    keys = _display_names(paths, root / ARTICLES_DIR, shown / ARTICLES_DIR)
    entries: list[Entry | None] = [shelf.get(key) for key in keys]
    unread = {i for i, (path, entry) in enumerate(zip(paths, entries, strict=True))
              if entry is None or entry[0] is None or entry[0] != cache.file_status(path)}
    members: dict[int, list[int]] = defaultdict(list)  # shard -> its files
    for i, key in enumerate(keys):
        members[shelf.index(key)].append(i)

    def refresh(shards: Sequence[int]) -> list[_Refreshed]:
        """Read these shards' unread files and store the shards; for each shard with
        files read: which, their errors, and how the shard was stored (see
        `cache.Shelf.received`)."""
        refreshed = []
        for shard in shards:
            kept, read, failed = {}, [], []
            for i in members[shard]:
                entry: Entry | SitegenError | None = entries[i]
                if i in unread:
                    entry = read_entry(Path(paths[i]), Path(keys[i]), entries[i],
                                       default_lang)
                    read.append(i)
                if isinstance(entry, SitegenError):
                    failed.append(entry)
                elif entry is not None:
                    kept[keys[i]] = entry
            stored = shelf.store(shard, kept)  # also forgets the files gone from it
            if read:
                refreshed.append((shard, read, failed, stored))
        return refreshed

    errors: list[SitegenError] = []
    # Each shard is taken in as it comes, while the workers read the next ones.
    # Four shards a task: a task per shard cost more in passing tasks than it read.
    for _, refreshed in parallel.iter_chunks(refresh, shelf.shards, chunk_size=4,
                                             work=len(unread)):
        for shard, read, failed, stored in refreshed:
            kept = shelf.received(shard, stored)
            if kept is None:  # its file was replaced since: this process reads them
                [(shard, read, failed, _)] = refresh([shard])
                kept = shelf.entries(shard)
            for i in read:
                entries[i] = kept.get(keys[i])
            for error in failed:
                errors.extend(_flatten(error))
    return ([entry[2] for entry in entries if entry],
            {key: entry[1] for key, entry in zip(keys, entries, strict=True) if entry}, errors)


def _display_names(names: Sequence[str], folder: Path, shown: Path) -> list[str]:
    """`str(shown / Path(name).relative_to(folder))` of each of these files that
    `markdown_file_names(folder)` found, by slicing text (see there)."""
    inside = len(os.path.join(str(folder), ""))  # what each name begins with
    prefix = os.path.join(str(shown), "")
    return [prefix + name[inside:] for name in names]


# What a worker sends back of one shard (see `load_articles`): its index, the files it
# read, those that failed, and how it stored the shard (None: unchanged).
_Refreshed = tuple[int, list[int], list[SitegenError], cache.Stored | None]


def article_shelf(root: Path, default_lang: str) -> cache.Shelf:
    """The parse cache: `Entry`s by display path."""
    return cache.Shelf(root, "articles", f"articles-2:{default_lang}")


# A cache entry: the file's status when read (None when too recent to trust, see
# `read_entry`), its content hash, and what it parsed to.
Entry = tuple[cache.FileStatus | None, str, LoadedArticle]

# A file changed again within the same tick of a coarse file-system clock keeps its
# status; so a status is only recorded for a file last changed this long before it
# was read (git calls the others "racily clean" and checks their contents).
STATUS_SETTLED_NS = 2_000_000_000


def read_entry(path: Path, display: Path, known: Entry | None,
               default_lang: str) -> Entry | SitegenError:
    """The cache entry for one file, parsed again only when its bytes changed."""
    status = cache.file_status(path)  # before reading: a change while reading shows next time
    try:
        data = frontmatter.read_bytes(path, display)
        digest = cache.digest(data)
        loaded = known[2] if known and known[1] == digest else parse_article(
            data, display, default_lang, known[2] if known else None)
    except SitegenError as exc:
        return exc
    if status is not None and max(status[1], status[2]) > time.time_ns() - STATUS_SETTLED_NS:
        status = None
    return (status, digest, loaded)


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
    loaded, sources, errors = load_articles(root, shown, config.language)
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
    return Site(root, config, tuple(articles), topics, _topic_names(topics), sources=sources)


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
