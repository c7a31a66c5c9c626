"""The parsed-article cache: unchanged files are not even read, any change is seen,
and an edit rewrites one small part of the cache, not all of it."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from sitegen import cache, content, frontmatter, parallel
from sitegen.build import BuildOptions, build

from conftest import FIXTURES, tree


@pytest.fixture
def site(tmp_path: Path) -> Path:
    root = tmp_path / "site"
    shutil.copytree(FIXTURES / "site", root, ignore=shutil.ignore_patterns(".sitegen-cache",
                                                                           "public"))
    return root


@pytest.fixture
def reads(monkeypatch: pytest.MonkeyPatch) -> list[Path]:
    """The article files each build reads (the fixture site is too small for workers);
    topic files, which are few, are always read."""
    seen: list[Path] = []
    read_bytes = frontmatter.read_bytes

    def counting(path: Path, display: Path) -> bytes:
        if "articles" in path.parts:
            seen.append(path)
        return read_bytes(path, display)

    monkeypatch.setattr(frontmatter, "read_bytes", counting)
    return seen


def articles(root: Path) -> list[Path]:
    return sorted((root / "content" / "articles").rglob("*.md"))


def test_unchanged_files_are_not_read(site: Path, reads: list[Path],
                                      monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(content, "STATUS_SETTLED_NS", 0)
    build(BuildOptions(source=site, search=False))
    edited = articles(site)[0]
    edited.write_text(edited.read_text("utf-8") + "\nOne more line.\n", "utf-8")
    reads.clear()
    build(BuildOptions(source=site, search=False))
    assert set(reads) == {edited}  # sitegen.quick may read it first, then the full build


def test_recent_files_are_read_again(site: Path, reads: list[Path]) -> None:
    """Files changed just before a build might change again unseen within one tick
    of the clock: their status is not trusted, so they are read."""
    build(BuildOptions(source=site, search=False))
    edited = articles(site)[0]
    edited.write_text(edited.read_text("utf-8") + "\nOne more line.\n", "utf-8")
    reads.clear()
    build(BuildOptions(source=site, search=False))
    assert sorted(set(reads)) == articles(site)  # the edited one maybe twice (sitegen.quick)


def test_an_edit_keeping_size_and_time_is_seen(site: Path, tmp_path: Path,
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(content, "STATUS_SETTLED_NS", 0)
    build(BuildOptions(source=site, search=False))
    edited = articles(site)[0]
    before = edited.stat()
    text = edited.read_text("utf-8")
    assert "city" in text
    edited.write_text(text.replace("city", "town", 1), "utf-8")
    os.utime(edited, ns=(before.st_atime_ns, before.st_mtime_ns))
    assert edited.stat().st_size == before.st_size
    build(BuildOptions(source=site, search=False))
    clean = tmp_path / "clean"
    shutil.copytree(site, clean, ignore=shutil.ignore_patterns(".sitegen-cache", "public"))
    build(BuildOptions(source=clean, search=False))
    assert tree(site / "public") == tree(clean / "public")


def test_an_edit_rewrites_one_cache_file(site: Path,
                                         monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(content, "STATUS_SETTLED_NS", 0)
    build(BuildOptions(source=site, search=False))
    shelf = site / ".sitegen-cache" / "articles"
    before = {path.name: path.stat().st_mtime_ns for path in shelf.iterdir()}
    assert len(before) > 1
    edited = articles(site)[0]
    edited.write_text(edited.read_text("utf-8") + "\nOne more line.\n", "utf-8")
    build(BuildOptions(source=site, search=False))
    after = {path.name: path.stat().st_mtime_ns for path in shelf.iterdir()}
    assert after.keys() == before.keys()
    assert sum(after[name] != before[name] for name in before) == 1


BIG_SITE_ARTICLES = parallel.MIN_PARALLEL_ITEMS + 40  # enough for workers to read them


def _big_site(tmp_path: Path) -> tuple[Path, Path]:
    """A site with enough articles for workers to load it: its root and article folder."""
    root = tmp_path / "site"
    folder = root / "content" / "articles" / "2025" / "03"
    folder.mkdir(parents=True)
    for n in range(BIG_SITE_ARTICLES):
        (folder / f"a{n}.md").write_text(
            f"---\ntitle: Article {n}\ndate: 2025-03-{n % 28 + 1:02d}\n---\nText {n}.\n")
    return root, folder


def test_workers_store_the_cache_of_a_big_site(tmp_path: Path,
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    """Past a few hundred files to read, workers read them and store the cache
    shards; the cache then holds exactly the files there are, and the output is
    a clean build's."""
    monkeypatch.setattr(content, "STATUS_SETTLED_NS", 0)
    root, folder = _big_site(tmp_path)
    build(BuildOptions(source=root, search=False))
    (folder / "a7.md").unlink()
    (folder / "a8.md").write_text("---\ntitle: Renamed\ndate: 2025-03-09\n---\nNew.\n")
    for path in folder.iterdir():
        os.utime(path)  # every file's status changes: all are read again
    build(BuildOptions(source=root, search=False))
    shelf = content.article_shelf(root, "en")
    files = sorted(folder.iterdir())
    kept = [shelf.get(str(path)) for path in files]  # keyed as the build shows them
    assert all(kept) and kept[files.index(folder / "a8.md")][2].article.title == "Renamed"
    stored = sum(len(cache.load(root, f"articles/{i:03x}", shelf.namespace))
                 for i in shelf.shards)
    assert stored == len(files)
    clean = tmp_path / "clean"
    shutil.copytree(root, clean, ignore=shutil.ignore_patterns(".sitegen-cache", "public"))
    build(BuildOptions(source=clean, search=False))
    assert tree(root / "public") == tree(clean / "public")


def test_a_shelf_of_another_shard_count_reads_nothing_stored(tmp_path: Path) -> None:
    """With another shard count a key lives in another shard: a shelf never reads a
    layout other than its own (the entry would be missed, or one left in an old shard
    would be taken as current), it starts empty."""
    keys = [f"content/articles/a{n}.md" for n in range(40)]
    old = cache.Shelf(tmp_path, "articles", "articles:en", shards=64)
    for index in old.shards:
        old.store(index, {key: key.upper() for key in keys if old.index(key) == index})
    again = cache.Shelf(tmp_path, "articles", "articles:en", shards=64)
    assert all(again.get(key) == key.upper() for key in keys)
    other = cache.Shelf(tmp_path, "articles", "articles:en", shards=256)
    assert all(other.get(key) is None for key in keys)


def _shard_stored_by_a_worker(root: Path) -> tuple[cache.Shelf, int, dict[str, str]]:
    """A shelf as a worker leaves it, having stored one shard for the parent."""
    worker = cache.Shelf(root, "articles", "articles:en")
    entries = {f"content/articles/a{n}.md": f"parsed {n}" for n in range(3)}
    return worker, worker.index(next(iter(entries))), entries


def test_the_parent_takes_in_a_shard_from_the_file_the_worker_wrote(tmp_path: Path) -> None:
    worker, index, entries = _shard_stored_by_a_worker(tmp_path)
    stored = worker.store(index, entries)
    assert stored is not None and stored.pickled is None  # a checksum, not the articles
    assert cache.Shelf(tmp_path, "articles", "articles:en").received(index, stored) == entries


def test_a_shard_file_replaced_since_the_worker_wrote_it_is_not_taken(tmp_path: Path) -> None:
    """Another build may store the same shard in between: what the parent would read
    is then not what its worker parsed, and it reads those files again itself."""
    worker, index, entries = _shard_stored_by_a_worker(tmp_path)
    stored = worker.store(index, entries)
    other_build = cache.Shelf(tmp_path, "articles", "articles:en")
    other_build.store(index, {key: "parsed differently" for key in entries})
    assert cache.Shelf(tmp_path, "articles", "articles:en").received(index, stored) is None


def test_a_shard_that_could_not_be_written_is_sent_whole(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    worker, index, entries = _shard_stored_by_a_worker(tmp_path)
    monkeypatch.setattr(cache.os, "replace", _refuse)
    stored = worker.store(index, entries)
    assert stored is not None and stored.checksum is None
    assert cache.Shelf(tmp_path, "articles", "articles:en").received(index, stored) == entries


def _refuse(*args: object) -> None:
    raise PermissionError("read-only cache folder")


def test_articles_whose_shard_was_replaced_are_read_again(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """When a shard written by a worker cannot be taken in, the site still loads whole:
    the parent parses that shard's files itself."""
    root, _ = _big_site(tmp_path)
    taken_in = cache.Shelf.received
    refused: list[int] = []

    def received(shelf: cache.Shelf, index: int, stored: cache.Stored | None
                 ) -> dict[str, object] | None:
        if stored is not None and not refused:
            refused.append(index)
            return None
        return taken_in(shelf, index, stored)

    monkeypatch.setattr(cache.Shelf, "received", received)
    site = content.load_site(root)
    assert refused
    assert sorted(a.title for a in site.articles) == sorted(
        f"Article {n}" for n in range(BIG_SITE_ARTICLES))


@pytest.mark.parametrize(("source", "display"), [
    (".", None), (".", "."), ("site", None), ("site", "shown/there"), ("site", "/srv/site"),
    ("./site/", "../elsewhere/")])
def test_articles_are_named_by_their_display_path(
        site: Path, monkeypatch: pytest.MonkeyPatch, source: str, display: str | None) -> None:
    """Each article's path is the display root joined to its place under the source,
    as pathlib joins them, whatever form the two are given in (the parent names the
    files by slicing text)."""
    monkeypatch.chdir(site if source == "." else site.parent)
    root = Path(source)
    shown = root if display is None else Path(display)
    loaded = content.load_site(root, drafts=True, display_root=shown)
    expected = {shown / path.relative_to(site) for path in articles(site)}
    assert {article.path for article in loaded.articles} == expected
    assert {str(article.path) for article in loaded.articles} == {str(p) for p in expected}


FRONT = "---\ntitle: Floods close the coast road\ndate: 2025-03-09\ntags: [Floods]\n---\n"


def test_a_body_edit_keeps_the_fields_a_front_matter_edit_reads_again(
        monkeypatch: pytest.MonkeyPatch) -> None:
    """A version with the same front matter is the known article with the new body,
    the front matter not read again; any change to it is read."""
    shown = Path("content/articles/a.md")
    known = content.parse_article(f"{FRONT}Water rose.\n".encode(), shown, "en")
    edited = f"{FRONT}Water rose overnight.\n\nThe road shut.\n".encode()
    fresh = content.parse_article(edited, shown, "en")
    monkeypatch.setattr(frontmatter, "parse_split", None)  # not called: a call would fail
    assert content.parse_article(edited, shown, "en", known) == fresh
    monkeypatch.undo()
    for other_front in (FRONT.replace("Floods close", "Storm closes"),
                        FRONT.replace("[Floods]", "[Floods, Roads]"),
                        FRONT.replace("\n---\n", "\nlang: ur\n---\n", 1)):
        text = f"{other_front}Water rose.\n"
        assert content.parse_article(text.encode(), shown, "en", known) == \
            content.parse_article(text.encode(), shown, "en") != known
