"""The preview's incremental rebuilds (sitegen.incremental through watch.Rebuilder) are
exactly right, and render only what an edit changes."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings

from sitegen import crosslink, incremental
from sitegen.build import BuildOptions, build
from sitegen.opening import LEDE_CHARS, OPENING
from sitegen.pipeline import build_and_keep
from sitegen.watch import BuildState, Change, Rebuilder, classify

from conftest import FIXTURES, REPO, tree
from test_incremental import EDIT_ROUNDS, Rounds

BASE = "http://127.0.0.1:8000/"
STORY = "content/articles/2025/02/first-round-ends-without-deal.md"
STORY_URL = "/2025/02/first-round-ends-without-a-deal/"
OTHER_URL = "/2024/11/harbour-festival-returns/"


def _sources(site: Path) -> dict[Path, bytes]:
    return {path: path.read_bytes() for path in site.rglob("*") if path.is_file()
            and not {"public", ".sitegen-cache"} & set(path.relative_to(site).parts)}


def _changes(site: Path, before: dict[Path, bytes], after: dict[Path, bytes]
             ) -> frozenset[Change]:
    """What the watcher would report for the files that differ."""
    paths = {path for path in before.keys() | after.keys() if before.get(path) != after.get(path)}
    return frozenset(Change(kind, path) for path in paths
                     if (kind := classify(site, path)) is not None)


def _clean_build(site: Path, folder: Path) -> Path:
    shutil.copytree(site, folder, ignore=shutil.ignore_patterns(".sitegen-cache", "public"))
    build(BuildOptions(source=folder, search=False, base_url=BASE))
    return folder / "public"


@settings(max_examples=10, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(rounds=EDIT_ROUNDS)
def test_preview_rebuilds_equal_clean_builds(tmp_path_factory: pytest.TempPathFactory,
                                             rounds: Rounds) -> None:
    work = tmp_path_factory.mktemp("preview")
    site = work / "site"
    shutil.copytree(FIXTURES / "site", site)
    served = work / "served"
    rebuilder = Rebuilder(site, served, BuildState(), None, drafts=False, base_url=BASE)
    rebuilder.full("start")
    for number, edits in enumerate(rounds):
        before = _sources(site)
        for edit, n in edits:
            edit(site, n)
        changes = _changes(site, before, _sources(site))
        if changes:
            rebuilder.rebuild(changes)
        assert tree(served) == tree(_clean_build(site, work / f"clean-{number}"))


@pytest.fixture
def kept(tmp_path: Path) -> tuple[Path, incremental.Built]:
    site = tmp_path / "site"
    shutil.copytree(FIXTURES / "site", site)
    _, built = build_and_keep(BuildOptions(source=site, search=False, base_url=BASE))
    return site, built


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text()
    assert old in text
    path.write_text(text.replace(old, new, 1))


def test_a_front_matter_edit_renders_the_pages_that_show_it(
        kept: tuple[Path, incremental.Built], tmp_path: Path) -> None:
    site, built = kept
    _edit(site / STORY, "section: World\n", "section: World\ndek: A standfirst added later.\n")
    result = incremental.update(built, [site / STORY], site / "public", drafts=False)
    assert result is not None
    urls = set(result[1])
    # The article, its listings, its topic timeline and the feeds that list it...
    assert {STORY_URL, "/", "/topics/border-talks/", "/feed.xml", "/archive/2025/02/",
            "/sections/world/"} <= urls
    assert "/sitemap.xml" not in urls  # which shows no deks
    # ...but not an unrelated story's page.
    assert OTHER_URL not in urls
    assert tree(site / "public") == tree(_clean_build(site, tmp_path / "clean"))


def test_a_body_edit_renders_the_article_and_its_feeds_only(
        kept: tuple[Path, incremental.Built], tmp_path: Path) -> None:
    site, built = kept
    path = site / STORY
    path.write_text(path.read_text() + "\nA closing paragraph, added later.\n")
    result = incremental.update(built, [path], site / "public", drafts=False)
    assert result is not None
    urls = set(result[1])
    assert STORY_URL in urls
    assert all(url.endswith("feed.xml") for url in urls - {STORY_URL})
    assert tree(site / "public") == tree(_clean_build(site, tmp_path / "clean"))


def test_a_deleted_article_removes_its_page(kept: tuple[Path, incremental.Built],
                                            tmp_path: Path) -> None:
    site, built = kept
    (site / STORY).unlink()
    result = incremental.update(built, [site / STORY], site / "public", drafts=False)
    assert result is not None
    assert STORY_URL in result[1]
    assert not (site / "public" / STORY_URL.strip("/")).exists()
    assert tree(site / "public") == tree(_clean_build(site, tmp_path / "clean"))


def test_a_new_tag_topic_or_a_broken_file_needs_the_full_build(
        kept: tuple[Path, incremental.Built]) -> None:
    site, built = kept
    _edit(site / STORY, "tags: [", "tags: [A Topic Never Seen Before, ")
    assert incremental.update(built, [site / STORY], site / "public", drafts=False) is None
    (site / STORY).write_text("---\ntitle: [unclosed\n---\nBody.\n")
    assert incremental.update(built, [site / STORY], site / "public", drafts=False) is None


def test_a_template_edit_renders_the_pages_that_use_it(
        kept: tuple[Path, incremental.Built], tmp_path: Path) -> None:
    site, built = kept
    override = site / "themes/default/templates/404.html"
    override.parent.mkdir(parents=True)
    override.write_text('{% extends "base.html" %}{% block main %}<h1>Lost</h1>{% endblock %}')
    built, urls = incremental.template_edit(built, {"404.html"}, site / "public")
    assert urls == ["/404.html"]
    assert "<h1>Lost</h1>" in (site / "public/404.html").read_text()

    # base.html is extended by every page template, but not used by feeds.
    base = site / "themes/default/templates/base.html"
    base.write_text((REPO / "themes/default/templates/base.html")
                    .read_text().replace("</footer>", "<p>Edited footer</p></footer>"))
    built, urls = incremental.template_edit(built, {"base.html"}, site / "public")
    assert STORY_URL in urls and "/404.html" in urls and "/topics/border-talks/" in urls
    assert not any(url.endswith(".xml") for url in urls)
    assert tree(site / "public") == tree(_clean_build(site, tmp_path / "clean"))


def test_related_articles_are_re_ranked_only_near_an_edited_opening(
        kept: tuple[Path, incremental.Built], tmp_path: Path,
        monkeypatch: pytest.MonkeyPatch) -> None:
    """Serve keeps the ranking through every kind of body edit, so an edit to an
    opening never ranks the whole archive again (seconds at 10k articles)."""
    site, built = kept
    path, output = site / STORY, site / "public"

    def rank_all(*args: object, **kwargs: object) -> None:
        raise AssertionError("the whole archive was ranked again")

    monkeypatch.setattr(crosslink, "rank_related", rank_all)
    head, sep, body = path.read_text().partition("\n---\n")
    long_body = body + "\nHarbour pilots waited for the tide. " * (OPENING // 30)
    path.write_text(head + sep + long_body)  # the opening edit...
    result = incremental.update(built, [path], output, drafts=False)
    assert result is not None
    path.write_text(head + sep + long_body + "\nOne line more.\n")  # ...then the fast path
    edit = incremental.body_edit(result[0], path, path)
    assert edit is not None
    built, _ = incremental.rerender(result[0], *edit, output)
    path.write_text(head + sep + "Talks " + long_body)  # and an opening edit again
    assert incremental.update(built, [path], output, drafts=False) is not None
    monkeypatch.undo()
    assert tree(output) == tree(_clean_build(site, tmp_path / "clean"))


def test_the_character_after_the_opening_re_ranks_related_articles(
        kept: tuple[Path, incremental.Built], tmp_path: Path) -> None:
    """The opening's last word counts only when the character after it ends it: an
    edit to that character alone adds a word to the opening, and the related lists it
    moves are re-ranked, as a clean build ranks them."""
    site, built = kept
    path, output = site / STORY, site / "public"
    head, sep, _ = path.read_text().partition("\n---\n")
    word = "harbour"  # a word of another story's opening
    filler = "of " * ((LEDE_CHARS - len(word)) // 3)  # words too short to count
    opening = filler.ljust(LEDE_CHARS - len(word)) + word
    path.write_text(f"{head}{sep}{opening}side tale.\n")  # the word cut: not counted
    result = incremental.update(built, [path], output, drafts=False)
    assert result is not None
    related_before = result[0].links.related
    path.write_text(f"{head}{sep}{opening} side tale.\n")  # the same first 1,000 characters
    result = incremental.update(result[0], [path], output, drafts=False)
    assert result is not None
    assert result[0].links.related != related_before
    assert tree(output) == tree(_clean_build(site, tmp_path / "clean"))
