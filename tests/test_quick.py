"""Quick rebuilds (sitegen.quick): an edit to a body after its opening redoes that
article's page alone, with exactly the bytes a full build gives; every other change,
and any doubt, goes to the full build."""

from __future__ import annotations

import html
import json
import re
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import jinja2
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sitegen import output_check, pipeline, quick, stamp
from sitegen.build import BuildOptions, BuildReport, _settings, build
from sitegen.cache import file_status
from sitegen.opening import OPENING
from sitegen.render import AloneBlock, PassThrough, passes_through, render_block, renders_alone

from conftest import FIXTURES, REPO, run_sitegen, tree
from test_incremental import EDITS

OLD = "content/articles/2024/03/library-opens-late.md"  # not among the newest two
OLD_PAGE = "public/2024/03/city-library-opens-late-on-weekdays/index.html"
NEWEST = "content/articles/2025/03/border-agreement-signed.md"  # in the site feed
NEWEST_PAGE = "public/2025/03/border-agreement-signed-at-the-river/index.html"
FILLER = "Harbour pilots waited for the tide before they took the ships in. "


def _site(tmp_path: Path) -> Path:
    """The fixture site with a long body in every article and a feed of two."""
    site = tmp_path / "site"
    shutil.copytree(FIXTURES / "site", site,
                    ignore=shutil.ignore_patterns(".sitegen-cache", "public"))
    config = site / "sitegen.toml"
    config.write_text("feed_size = 2\n" + config.read_text())
    for article in (site / "content/articles").rglob("*.md"):
        article.write_text(article.read_text() + "\n" + FILLER * (OPENING // len(FILLER) + 1)
                           + "\n")
    return site


def _append(site: Path, name: str, words: str) -> None:
    path = site / name
    path.write_text(path.read_text() + f"\n{words}\n")


def _clean_tree(site: Path, where: Path) -> dict[str, bytes]:
    shutil.copytree(site, where, ignore=shutil.ignore_patterns(".sitegen-cache", "public"))
    build(BuildOptions(source=where, search=False))
    return tree(where / "public")


class FullBuilds:
    """Counts the builds that ran the full pipeline."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch):
        self.count = 0
        build_all = pipeline.build_all

        def counted(*args: object, **kwargs: object) -> tuple[pipeline.Built, set[str] | None]:
            self.count += 1
            return build_all(*args, **kwargs)  # type: ignore[arg-type]

        monkeypatch.setattr(pipeline, "build_all", counted)

    def build(self, site: Path) -> tuple[BuildReport, bool]:
        """A build of `site`, and whether it was a full one."""
        before = self.count
        report = build(BuildOptions(source=site, search=False))
        return report, self.count > before


@pytest.fixture
def full(monkeypatch: pytest.MonkeyPatch) -> FullBuilds:
    return FullBuilds(monkeypatch)


@pytest.fixture(params=[True, False], ids=["forked", "unforked"])
def forked(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> bool:
    """Builds with the output checked in a forked child, or as `sitegen serve` runs
    them: other threads, so the check and the keeping of the output's statuses run in
    the build's process."""
    if not request.param:
        monkeypatch.setattr(output_check.threading, "active_count", lambda: 2)
    return bool(request.param)


@pytest.mark.usefixtures("forked")
def test_a_body_edit_after_the_opening_renders_its_page_alone(tmp_path: Path,
                                                              full: FullBuilds) -> None:
    site = _site(tmp_path)
    first, _ = full.build(site)
    _append(site, OLD, "The mayor cut the ribbon at dusk.")
    report, was_full = full.build(site)
    assert not was_full
    assert (report.rendered, report.changed) == (1, 1)
    assert (report.pages, report.files) == (first.pages, first.files)
    assert "The mayor cut the ribbon at dusk." in (site / OLD_PAGE).read_text()
    assert tree(site / "public") == _clean_tree(site, tmp_path / "clean")


# Libraries a quick rebuild after a plain body edit needs none of, and what importing
# each cost it: markdown-it (the shortcut the state keeps writes the body) a tenth,
# PyYAML (the front matter, unchanged, is not read again) a twentieth, python-slugify
# (nothing is slugged) and Jinja and Babel (no related list moved) the rest.
NOT_IMPORTED = ("markdown_it", "yaml", "slugify", "jinja2", "babel")


def test_a_quick_rebuild_of_a_plain_body_imports_no_parser_nor_template_engine(
        tmp_path: Path) -> None:
    """In a fresh interpreter, none of `NOT_IMPORTED` is imported; the page is the one a
    full build makes."""
    site = _site(tmp_path)
    article = site / OLD
    front = article.read_text().split("---\n")[1]
    plain = "\n\n".join([FILLER.strip()] * (OPENING // len(FILLER) + 2))
    article.write_text(f"---\n{front}---\n{plain}\n")
    build(BuildOptions(source=site, search=False))
    _append(site, OLD, "\nThe mayor cut the ribbon at dusk.")  # a paragraph of its own
    script = ("import sys; from pathlib import Path; "
              "from sitegen.build import BuildOptions, build; "
              f"report = build(BuildOptions(source=Path({str(site)!r}), search=False)); "
              f"print(report.rendered, report.pages, *(name in sys.modules "
              f"for name in {NOT_IMPORTED!r}))")
    result = subprocess.run([sys.executable, "-c", script], cwd=site, capture_output=True,
                            text=True, check=True)
    rendered, pages, *imported = result.stdout.split()
    assert rendered == "1" and int(pages) > 1
    assert dict(zip(NOT_IMPORTED, imported, strict=True)) == dict.fromkeys(NOT_IMPORTED,
                                                                           "False")
    assert tree(site / "public") == _clean_tree(site, tmp_path / "clean")


def test_another_markdown_it_writes_the_bodies_itself(tmp_path: Path,
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    """The shortcut kept in the state was made from the markdown-it installed then: once
    its package file is another, the parser writes the bodies (rendering the same)."""
    site = _site(tmp_path)
    build(BuildOptions(source=site, search=False))
    monkeypatch.setattr(quick, "_parser_status", lambda: (1, 2, 3, 4))
    kept = []
    monkeypatch.setattr(quick, "plain_html", lambda shortcut, *args: kept.append(shortcut))
    _append(site, OLD, "The mayor cut the ribbon at dusk.")
    report = build(BuildOptions(source=site, search=False))
    assert report.rendered == 1 and kept and kept == [None] * len(kept)
    assert tree(site / "public") == _clean_tree(site, tmp_path / "clean")


@pytest.mark.usefixtures("forked")
def test_quick_rebuilds_follow_one_another_and_leave_a_fresh_stamp(tmp_path: Path,
                                                                  full: FullBuilds) -> None:
    site = _site(tmp_path)
    full.build(site)
    for number in range(3):
        _append(site, OLD, f"Later line {number}.")
        report, was_full = full.build(site)
        assert not was_full and report.rendered == 1
    again, was_full = full.build(site)
    assert again.fresh and not was_full
    assert tree(site / "public") == _clean_tree(site, tmp_path / "clean")


def _lose_kept_outputs(site: Path) -> None:
    [kept] = (site / ".sitegen-cache/quick").glob("*-outputs.pickle")
    kept.unlink()


def _keep_other_token(site: Path) -> None:
    """The output's statuses as they are, but kept for another state."""
    options = _settings(BuildOptions(source=site, search=False))
    kept = output_check.KeptOutputs(site, site / "public", options)
    assert kept.token and kept.same()
    output_check.keep(site, site / "public", options, "another state", kept.statuses,
                      stamp.Digested(site / "public", kept.statuses).runs)


@pytest.mark.usefixtures("forked")
@pytest.mark.parametrize("damage", [_lose_kept_outputs, _keep_other_token])
def test_without_the_output_statuses_of_this_state_the_full_build_runs(
        tmp_path: Path, full: FullBuilds, damage: Callable[[Path], None]) -> None:
    site = _site(tmp_path)
    full.build(site)
    damage(site)
    _append(site, OLD, "An edit after the kept statuses were lost.")
    _, was_full = full.build(site)
    assert was_full
    assert tree(site / "public") == _clean_tree(site, tmp_path / "clean")


def test_a_child_that_fails_to_keep_the_new_statuses_costs_a_full_build_next(
        tmp_path: Path, full: FullBuilds, monkeypatch: pytest.MonkeyPatch) -> None:
    """The forked child fails after its check: the rebuild's pages stand, and the next
    build, with nothing edited, is a full one (the kept statuses are the old ones)."""
    site = _site(tmp_path)
    full.build(site)

    def failing(self: output_check.KeptOutputs, changed: object) -> str:
        raise OSError("disk full")

    monkeypatch.setattr(output_check.KeptOutputs, "update", failing)  # the child inherits it
    _append(site, OLD, "An edit whose statuses are not kept.")
    report, was_full = full.build(site)
    assert not was_full and report.rendered == 1
    monkeypatch.undo()
    _, was_full = FullBuilds(monkeypatch).build(site)
    assert was_full
    assert tree(site / "public") == _clean_tree(site, tmp_path / "clean")


def test_the_command_line_reports_a_quick_rebuild(tmp_path: Path) -> None:
    site = _site(tmp_path)
    run_sitegen("build", "--no-search", cwd=site)
    _append(site, OLD, "A line from the command line.")
    done = run_sitegen("build", "--no-search", cwd=site)
    assert done.returncode == 0
    assert done.stdout.startswith("built ") and "rendered 1, the others unchanged" in done.stdout


def _title(site: Path) -> None:
    path = site / OLD
    path.write_text(path.read_text().replace("title: ", "title: Revised ", 1))


def _dek(site: Path) -> None:
    path = site / OLD
    path.write_text(path.read_text().replace("title: ", "dek: Longer hours.\ntitle: ", 1))


def _body_and_template(site: Path) -> None:
    _append(site, OLD, "A body edit beside a template edit.")
    template = site / "themes/default/templates/404.html"
    template.parent.mkdir(parents=True)
    template.write_text('{% extends "base.html" %}{% block main %}Gone{% endblock %}')


def _body_and_new_article(site: Path) -> None:
    _append(site, OLD, "A body edit beside a new article.")
    (site / "content/articles/2024/03/added.md").write_text(
        "---\ntitle: Added\ndate: 2024-03-09\n---\nNew.\n")


def _body_and_broken_article(site: Path) -> None:
    _append(site, OLD, "A body edit beside a broken article.")
    path = site / NEWEST
    path.write_text(path.read_text().replace("title: ", "title: [", 1))


@pytest.mark.parametrize("edit", [_title, _dek, _body_and_template,
                                  _body_and_new_article])
def test_other_edits_go_to_the_full_build(tmp_path: Path, full: FullBuilds,
                                          edit: Callable[[Path], None]) -> None:
    site = _site(tmp_path)
    full.build(site)
    edit(site)
    _, was_full = full.build(site)
    assert was_full
    assert tree(site / "public") == _clean_tree(site, tmp_path / "clean")


def test_a_broken_article_is_reported_by_the_full_build(tmp_path: Path) -> None:
    site = _site(tmp_path)
    run_sitegen("build", "--no-search", cwd=site)
    _body_and_broken_article(site)
    done = run_sitegen("build", "--no-search", cwd=site)
    assert done.returncode == 1
    assert done.stderr.startswith(f"{NEWEST}:")
    assert "Traceback" not in done.stderr


def _edit_page(site: Path) -> None:
    (site / "public/2024/11/harbour-festival-returns-after-a-decade/index.html").write_text("x")


def _remove_page(site: Path) -> None:
    (site / "public/404.html").unlink()


def _add_file(site: Path) -> None:
    (site / "public/2024/11/stray.html").write_text("left by hand")


@pytest.mark.usefixtures("forked")
@pytest.mark.parametrize("damage", [_edit_page, _remove_page, _add_file])
def test_an_output_changed_by_hand_goes_to_the_full_build(
        tmp_path: Path, full: FullBuilds, damage: Callable[[Path], None]) -> None:
    """The output is checked in a forked child, or here when other threads run."""
    site = _site(tmp_path)
    full.build(site)
    _append(site, OLD, "An edit while the output was damaged.")
    damage(site)
    _, was_full = full.build(site)
    assert was_full
    assert tree(site / "public") == _clean_tree(site, tmp_path / "clean")


@pytest.mark.usefixtures("forked")
@pytest.mark.parametrize("damage", [None, _edit_page, _remove_page, _add_file])
def test_nothing_changed_is_told_from_the_kept_output_statuses(
        tmp_path: Path, full: FullBuilds, damage: Callable[[Path], None] | None,
        monkeypatch: pytest.MonkeyPatch) -> None:
    """With nothing changed, the output's digest comes from the statuses kept for the
    quick rebuilds (checked in the child), not from a walk of the output; an output
    changed by hand is built again all the same."""
    site = _site(tmp_path)
    full.build(site)
    check = output_check.OutputCheck(site, site / "public", _settings(
        BuildOptions(source=site, search=False)))
    assert check.kept_digest() == stamp.output_digest(site / "public")
    check.cancel()
    walks = []
    output_digest = stamp.output_digest
    monkeypatch.setattr(stamp, "output_digest", lambda *args: walks.append(args) or
                        output_digest(*args))
    if damage:
        damage(site)
    report, was_full = full.build(site)
    assert was_full == bool(damage) and report.fresh == (not damage)
    assert walks == [] if not damage else len(walks) >= 1
    assert tree(site / "public") == _clean_tree(site, tmp_path / "clean")


def test_either_half_of_the_output_checked_apart_tells_a_change(tmp_path: Path) -> None:
    """The output check's child checks one half of the kept statuses and a forked
    helper the other: a file touched in either half is seen."""
    site = _site(tmp_path)
    build(BuildOptions(source=site, search=False))
    kept = output_check.KeptOutputs(site, site / "public", _settings(
        BuildOptions(source=site, search=False)))
    names = [name for name in kept.statuses if not name.endswith("/")]
    assert kept.same(halves=True) and kept.same()
    for name in (names[0], names[-1]):  # one in each half
        path = site / "public" / name
        path.write_bytes(path.read_bytes() + b" ")
        assert not kept.same(halves=True) and not kept.same()
        kept.statuses[name] = file_status(path)  # as if kept so
        assert kept.same(halves=True)


def test_a_corrupt_state_goes_to_the_full_build(tmp_path: Path, full: FullBuilds) -> None:
    site = _site(tmp_path)
    full.build(site)
    states = sorted((site / ".sitegen-cache/quick").iterdir())
    assert states
    for state in states:
        data = bytearray(state.read_bytes())
        data[-10] ^= 0xFF
        state.write_bytes(bytes(data))
    _append(site, OLD, "An edit after the state was damaged.")
    _, was_full = full.build(site)
    assert was_full
    assert tree(site / "public") == _clean_tree(site, tmp_path / "clean")


def _override(site: Path, name: str, old: str, new: str) -> None:
    """The site's own copy of a default template, with `old` replaced by `new`."""
    template = site / "themes/default/templates" / name
    template.parent.mkdir(parents=True, exist_ok=True)
    source = (REPO / "themes/default/templates" / name).read_text()
    assert old in source
    template.write_text(source.replace(old, new))


def test_a_theme_that_reads_the_body_gets_full_builds(tmp_path: Path,
                                                      full: FullBuilds) -> None:
    site = _site(tmp_path)
    _override(site, "article.html", "{{ article.body_html|safe }}",
              "{{ article.body_html|safe }}<p>{{ article.body_html|wordcount }} words</p>")
    full.build(site)
    _append(site, OLD, "Five more words are here.")
    _, was_full = full.build(site)
    assert was_full
    assert tree(site / "public") == _clean_tree(site, tmp_path / "clean")


def test_an_edit_to_a_body_the_feed_shows_is_spliced_there_too(tmp_path: Path,
                                                                full: FullBuilds) -> None:
    site = _site(tmp_path)
    full.build(site)
    _append(site, NEWEST, "The <feed> shows this body & its tail in full.")
    _append(site, OLD, "And an older story changes too.")
    report, was_full = full.build(site)
    assert not was_full and report.rendered == 2
    feed = (site / "public/feed.xml").read_text()
    assert "The &amp;lt;feed&amp;gt; shows this body &amp;amp; its tail in full." in feed
    assert "The &lt;feed&gt; shows" in (site / NEWEST_PAGE).read_text()
    assert tree(site / "public") == _clean_tree(site, tmp_path / "clean")


def test_a_feed_template_that_reads_the_body_gets_full_builds(tmp_path: Path,
                                                              full: FullBuilds) -> None:
    site = _site(tmp_path)
    _override(site, "feed.xml", "<summary>",
              "<summary>{{ (entry.content_html or '')|length }}")
    full.build(site)
    _append(site, OLD, "Not in the feed: still quick.")
    assert not full.build(site)[1]
    _append(site, NEWEST, "In the feed, whose template counts the body.")
    assert full.build(site)[1]
    assert tree(site / "public") == _clean_tree(site, tmp_path / "clean")


PAGE = PassThrough("article.html", "article", "body_html",
                   frozenset({"title", "body_html", "byline"}))


@pytest.mark.parametrize(("template", "passes"), [
    ("<h1>{{ article.title }}</h1>{{ article.body_html|safe }}", True),
    ("{{ article['body_html']|safe }}{% for a in article.byline %}{{ a }}{% endfor %}", True),
    ("{% if article.body_html %}{{ article.body_html|safe }}{% endif %}", True),
    ("{{ article.body_html }}", False),  # escaped: not the body as it is
    ("{{ article.body_html|safe|upper }}", False),
    ("{{ article.body_html|length }}", False),
    ("{% if article.body_html|length > 9 %}long{% endif %}", False),
    ("{{ article|tojson }}", False),
    ("{% set a = article %}{{ a.title }}", False),
    ("{{ article.items() }}", False),
    ("{{ article.dateline }}", False),  # a key this view does not have
    ("{{ article[key] }}", False),
    ("{% for entry in entries %}{{ entry.body_html|length }}{% endfor %}", True),
    # Output captured, where a filter or the caller may change it:
    ("{% filter lower %}{{ article.body_html|safe }}{% endfilter %}", False),
    ("{% set held %}{{ article.body_html|safe }}{% endset %}{{ held }}", False),
    ("{% macro m() %}{{ article.body_html|safe }}{% endmacro %}{{ m()|lower }}", False),
    ("{% block b %}{{ article.body_html|safe }}{% endblock %}{{ self.b()|lower }}", False),
    ("{% block b %}{{ article.body_html|safe }}{% endblock %}{{ self.b() }}", True),
])
def test_an_article_body_passes_through(template: str, passes: bool) -> None:
    env = jinja2.Environment(loader=jinja2.DictLoader({"article.html": template}))
    assert passes_through(env, PAGE) is passes


def test_a_template_changed_in_the_same_environment_is_checked_anew() -> None:
    """Parsed templates are remembered by their source, never by name alone."""
    templates = {"article.html": "{{ article.body_html|safe }}"}
    env = jinja2.Environment(loader=jinja2.DictLoader(templates))
    assert passes_through(env, PAGE)
    templates["article.html"] = "{{ article.body_html|safe|upper }}"
    assert not passes_through(env, PAGE)


@pytest.mark.parametrize(("base", "passes"), [
    ("{% block main %}{% endblock %}{{ article|tojson }}", False),  # extended: read
    ("{% block main %}{% endblock %}", True),
])
def test_only_the_templates_a_page_uses_are_read(base: str, passes: bool) -> None:
    env = jinja2.Environment(loader=jinja2.DictLoader({
        "article.html": '{% extends "base.html" %}{% block main %}'
                        "{{ article.body_html|safe }}{% endblock %}",
        "base.html": base,
        "list.html": "{{ article|tojson }}{{ entry(article) }}",  # not used by the page
    }))
    assert passes_through(env, PAGE) is passes


FEED = PassThrough("feed.xml", "entry", "content_html", frozenset({"title", "content_html"}),
                   escaped=True)


@pytest.mark.parametrize(("template", "passes"), [
    ("{% for entry in entries %}{% if entry.content_html %}<content>{{ entry.content_html }}"
     "</content>{% endif %}{% endfor %}", True),
    ("{% for entry in entries %}{{ entry.content_html|safe }}{% endfor %}", False),
    ("{% for entry in entries %}{{ entry.content_html|e }}{% endfor %}", False),
    ("{% autoescape false %}{% for entry in entries %}{{ entry.content_html }}{% endfor %}"
     "{% endautoescape %}", False),
    ("{% for entry in entries %}{{ entry.content_html[:9] }}{% endfor %}", False),
])
def test_a_feed_body_passes_through(template: str, passes: bool) -> None:
    env = jinja2.Environment(loader=jinja2.DictLoader({"feed.xml": template}))
    assert passes_through(env, FEED) is passes


RELATED = AloneBlock("article.html", "related", "related",
                     frozenset({"page", "article", "related"}))
LIST = "{% for item in related %}<li>{{ item.title }}</li>{% endfor %}"


@pytest.mark.parametrize(("template", "base", "alone"), [
    (f"{{% block related %}}{LIST}{{% endblock %}}", "", True),
    (f"{{% block related %}}{LIST}{{{{ site.title }}}}{{% endblock %}}", "", True),  # a global
    (f"{{{{ related|length }}}}{{% block related %}}{LIST}{{% endblock %}}", "", False),
    (f"{{% block related %}}{LIST}{{{{ article.title }}}}{{% endblock %}}", "", False),
    (f"{{% set site = page %}}{{% block related %}}{{{{ site }}}}{LIST}{{% endblock %}}", "",
     False),  # the global hidden
    (f"{{% for x in [1, 2] %}}{{% block related %}}{LIST}{{% endblock %}}{{% endfor %}}", "",
     False),
    (f"{{% if page %}}{{% block related %}}{LIST}{{% endblock %}}{{% endif %}}", "", False),
    (f"{{% filter upper %}}{{% block related %}}{LIST}{{% endblock %}}{{% endfilter %}}", "",
     False),
    (f"{{% block related %}}{LIST}{{% endblock %}}{{{{ self.related() }}}}", "", False),
    (f'{{% block related %}}{{% include "base.html" %}}{LIST}{{% endblock %}}', "", False),
    (LIST, "", False),  # no block
    (f'{{% extends "base.html" %}}{{% block main %}}<main>{{% block related %}}{LIST}'
     "{% endblock %}</main>{% endblock %}", "<body>{% block main %}{% endblock %}</body>", True),
    (f'{{% extends "base.html" %}}{{% block main %}}{{% block related %}}{LIST}'
     "{% endblock %}{% endblock %}",
     "{% for i in range(2) %}{% block main %}{% endblock %}{% endfor %}", False),
])
def test_a_related_block_renders_alone(template: str, base: str, alone: bool) -> None:
    env = jinja2.Environment(loader=jinja2.DictLoader(
        {"article.html": template, "base.html": base}), autoescape=True)
    env.globals["site"] = {"title": "Archive"}
    assert renders_alone(env, RELATED) is alone
    if alone:  # then the block's output is in the page, once
        related = [{"title": "A & B"}, {"title": "C"}]
        page = env.get_template("article.html").render(
            related=related, page={}, article={})
        assert page.count(render_block(env, RELATED, related)) == 1


def _punctuate_opening(site: Path, name: str) -> None:
    """The body's first full stop made an exclamation mark (or back): the lede's words
    stay the same, and so does its length, which bounds what related lists read."""
    path = site / name
    head, fence, body = path.read_text().partition("\n---\n")
    stop = min(i for i in (body.find("."), body.find("!")) if i >= 0)
    swapped = "!" if body[stop] == "." else "."
    path.write_text(f"{head}{fence}{body[:stop]}{swapped}{body[stop + 1:]}")


def test_punctuation_in_the_opening_of_a_story_with_a_dek_is_quick(tmp_path: Path,
                                                                   full: FullBuilds) -> None:
    site = _site(tmp_path)
    full.build(site)
    _punctuate_opening(site, "content/articles/2025/01/clash-at-the-river-crossing.md")
    report, was_full = full.build(site)
    assert not was_full and report.rendered == 1
    assert tree(site / "public") == _clean_tree(site, tmp_path / "clean")


HARBOUR = "content/articles/2024/11/harbour-festival-returns.md"  # no dek


def test_an_opening_edit_that_changes_a_description_is_quick(tmp_path: Path,
                                                             full: FullBuilds) -> None:
    """Without a dek, the description is the body's opening: the page's meta tags and
    the summaries of the feeds that list the story take the new one, as a full build
    writes them."""
    site = _site(tmp_path)
    full.build(site)
    _punctuate_opening(site, OLD)
    report, was_full = full.build(site)
    assert not was_full and report.rendered == 1
    page = (site / OLD_PAGE).read_text()
    assert page.count("until ten on weekdays from next month!") == 4  # 3 tags, the body
    feed = (site / "public/topics/libraries/feed.xml").read_text()
    assert "<summary>The city library will stay open until ten on weekdays from next month!" \
        in feed
    _punctuate_opening(site, NEWEST)  # has a dek; the site feed shows its body
    _punctuate_opening(site, HARBOUR)
    assert not full.build(site)[1]
    assert tree(site / "public") == _clean_tree(site, tmp_path / "clean")


def test_a_description_written_as_often_as_the_theme_says_is_spliced(
        tmp_path: Path, full: FullBuilds) -> None:
    """A theme that writes the description once more (in a condition): the page counts
    the writes as it is rendered, and a rebuild replaces that many."""
    site = _site(tmp_path)
    template = (REPO / "themes/default/templates/article.html").read_text()
    extra = '{% if article.byline %}<p class="summary">{{ page.description }}</p>{% endif %}'
    override = site / "themes/default/templates/article.html"
    override.parent.mkdir(parents=True)
    override.write_text(template.replace("{% endblock %}", extra + "{% endblock %}", 1))
    full.build(site)
    assert (site / OLD_PAGE).read_text().count('<p class="summary">The city library') == 1
    _punctuate_opening(site, OLD)
    assert not full.build(site)[1]
    assert tree(site / "public") == _clean_tree(site, tmp_path / "clean")


def test_a_description_found_elsewhere_in_the_page_gets_a_full_build(
        tmp_path: Path, full: FullBuilds) -> None:
    """A headline that is the story's description: the old description is found beyond
    the places the theme wrote it, so replacing it everywhere would be wrong."""
    site = _site(tmp_path)
    full.build(site)
    found = re.search(r'<meta name="description" content="([^"]*)"',
                      (site / OLD_PAGE).read_text())
    assert found and found[1].endswith("…")
    path = site / OLD
    path.write_text(path.read_text().replace(
        "title: City library opens late on weekdays",
        f"title: {json.dumps(html.unescape(found[1]))}\nslug: library-opens-late"))
    full.build(site)
    _punctuate_opening(site, OLD)
    assert full.build(site)[1]
    assert tree(site / "public") == _clean_tree(site, tmp_path / "clean")


CLASH = "content/articles/2025/01/clash-at-the-river-crossing.md"  # has a dek
ENVOYS = "content/articles/2025/01/envoys-agree-to-meet.md"  # has a dek
CLASH_PAGE = "public/2025/01/clash-at-the-river-crossing/index.html"


def _reword(site: Path, name: str, old: str, new: str) -> None:
    path = site / name
    text = path.read_text()
    assert text.count(old) == 1
    path.write_text(text.replace(old, new))


def test_a_word_of_the_opening_that_moves_no_related_list_is_quick(
        tmp_path: Path, full: FullBuilds) -> None:
    """The ledes' words change, the related lists do not (sitegen.related.unmoved):
    one page is rendered, in rebuild after rebuild, and the output is a clean build's."""
    site = _site(tmp_path)
    full.build(site)
    _reword(site, CLASH, "before dawn", "before dusk")
    report, was_full = full.build(site)
    assert not was_full and report.rendered == 1
    assert "before dusk" in (site / CLASH_PAGE).read_text()
    _reword(site, ENVOYS, "both states agreed", "both states pledged")
    report, was_full = full.build(site)
    assert not was_full and report.rendered == 1
    _append(site, OLD, "A tail line after two ledes changed.")
    assert not full.build(site)[1]
    assert tree(site / "public") == _clean_tree(site, tmp_path / "clean")


def _related_lists(site: Path) -> dict[str, str]:
    """Each article page's related list, as written."""
    lists = {}
    for page in (site / "public").glob("20*/*/*/index.html"):
        text = page.read_text()
        start = text.find('<aside class="related"')
        lists[str(page)] = text[start: text.find("</aside>", start)] if start >= 0 else ""
    return lists


# The clash story made to open with the agreement story's rarest words (its own gone),
# so that it climbs that story's list.
CLASH_LEDE = ("Border guards exchanged fire before dawn at the river crossing, officials "
              "said.\n\nEach side said the other had moved a marker stone overnight. "
              "Nobody was hurt.")
AGREEING_LEDE = "Border negotiations: three months, raw script, html alert."


def test_a_related_list_an_opening_edit_moves_is_rendered_again_in_place(
        tmp_path: Path, full: FullBuilds) -> None:
    """The edit moves related lists of other pages: their `related` blocks are
    rendered again and put in place (sitegen.relist), and undoing the edit puts the
    old lists back, though the kept ranking still holds them: the state keeps the
    lists the pages show."""
    site = _site(tmp_path)
    full.build(site)
    related_before = _related_lists(site)
    _reword(site, CLASH, CLASH_LEDE, AGREEING_LEDE)
    report, was_full = full.build(site)
    moved = {page for page, listed in _related_lists(site).items()
             if listed != related_before[page]}
    assert not was_full and moved - {str(site / CLASH_PAGE)}
    assert report.rendered == len(moved | {str(site / CLASH_PAGE)})
    assert tree(site / "public") == _clean_tree(site, tmp_path / "clean")
    _reword(site, CLASH, AGREEING_LEDE, CLASH_LEDE)
    assert not full.build(site)[1]
    assert _related_lists(site) == related_before
    assert tree(site / "public") == _clean_tree(site, tmp_path / "clean-again")


def test_a_related_list_rendered_again_needs_no_babel(tmp_path: Path) -> None:
    """The dates and text directions of the listing entries are kept with the state:
    rendering the lists again imports no Babel (its import alone read every time zone
    file pytz ships), and the pages are a clean build's."""
    site = _site(tmp_path)
    build(BuildOptions(source=site, search=False))
    _reword(site, CLASH, CLASH_LEDE, AGREEING_LEDE)
    script = ("import sys; from pathlib import Path; "
              "from sitegen.build import BuildOptions, build; "
              f"report = build(BuildOptions(source=Path({str(site)!r}), search=False)); "
              "print(report.rendered, 'babel' in sys.modules)")
    result = subprocess.run([sys.executable, "-c", script], cwd=site, capture_output=True,
                            text=True, check=True)
    rendered, imported = result.stdout.split()
    assert int(rendered) > 1 and imported == "False"
    assert tree(site / "public") == _clean_tree(site, tmp_path / "clean")


def test_a_theme_that_reads_the_related_list_elsewhere_gets_a_full_build(
        tmp_path: Path, full: FullBuilds) -> None:
    site = _site(tmp_path)
    _override(site, "article.html", "{% block main %}",
              "{% block main %}<p>{{ related|length }} related</p>")
    full.build(site)
    _reword(site, CLASH, "before dawn", "before dusk")  # no list moves: quick
    assert not full.build(site)[1]
    _reword(site, CLASH, CLASH_LEDE.replace("dawn", "dusk"), AGREEING_LEDE)
    assert full.build(site)[1]
    assert tree(site / "public") == _clean_tree(site, tmp_path / "clean")


def test_a_ranking_kept_by_a_build_of_another_archive_is_not_taken(
        tmp_path: Path, full: FullBuilds) -> None:
    """The cache keeps one related ranking, the last full build's: after a build with
    drafts (another archive: the draft is ranked too, and the indices shift) into
    another folder, an edit to a word of an opening in `public/` is not checked
    against that ranking, and the rebuild is a full one with a clean build's bytes."""
    site = _site(tmp_path)
    full.build(site)
    build(BuildOptions(source=site, output=tmp_path / "preview", drafts=True, search=False))
    _reword(site, CLASH, "before dawn", "before dusk")  # quick when the ranking is its own
    assert full.build(site)[1]
    assert tree(site / "public") == _clean_tree(site, tmp_path / "clean")
    _reword(site, CLASH, "before dusk", "before noon")  # the full build kept its own again
    assert not full.build(site)[1]
    assert tree(site / "public") == _clean_tree(site, tmp_path / "clean-again")


NEW_WORDS = "Zephyr quasar nimbus tundra saffron lagoon meridian cobalt. " * 2
AGREEMENT = "content/articles/2025/03/border-agreement-signed.md"  # has a dek


def test_a_lede_is_checked_with_every_lede_changed_since_the_full_build(
        tmp_path: Path, full: FullBuilds) -> None:
    """Words new to the archive, twice in one lede, move no list; the same in a second
    lede, a rebuild later, make the two stories alike: the check must see the first
    edit too, though its file did not change since, or the lists would not move."""
    site = _site(tmp_path)
    full.build(site)
    related_before = _related_lists(site)
    _reword(site, CLASH, "Border guards", f"{NEW_WORDS} Border guards")
    assert not full.build(site)[1]
    _reword(site, AGREEMENT, "The two states signed", f"{NEW_WORDS} The two states signed")
    assert not full.build(site)[1]  # the lists that move are rendered again
    assert _related_lists(site) != related_before
    assert tree(site / "public") == _clean_tree(site, tmp_path / "clean")


def _reword_opening(site: Path, name: str, n: int) -> None:
    """The body's first word replaced by another (a new word, or one others use)."""
    path = site / name
    head, fence, body = path.read_text().partition("\n---\n")
    word = ["Overnight", "Officials", "Library", "Border", "Envoys"][n % 5]
    path.write_text(f"{head}{fence}{word} {body.partition(' ')[2]}")


def _borrow_opening(site: Path, name: str, other: str) -> None:
    """The body's first paragraph replaced by another article's: the two stories now
    read alike, which moves related lists."""
    def parts(path: Path) -> tuple[str, str, list[str]]:
        head, fence, body = path.read_text().partition("\n---\n")
        return head, fence, body.split("\n\n")

    head, fence, paragraphs = parts(site / name)
    borrowed = parts(site / other)[2][0]
    (site / name).write_text(head + fence + "\n\n".join([borrowed, *paragraphs[1:]]))


EDIT_ROUNDS = st.lists(st.lists(st.tuples(
    st.sampled_from(["tail", "tail", "stop", "word", "word", "lede", "lede",
                     *range(len(EDITS))]),
    st.integers(0, 50)), max_size=3), min_size=1, max_size=4)


@settings(max_examples=10, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(rounds=EDIT_ROUNDS)
def test_quick_and_full_rebuilds_equal_clean_builds(
        tmp_path_factory: pytest.TempPathFactory, rounds: list[list[tuple[str | int, int]]]
        ) -> None:
    work = tmp_path_factory.mktemp("quick")
    site = _site(work)
    build(BuildOptions(source=site, search=False))
    for number, edits in enumerate(rounds):
        for edit, n in edits:
            articles = sorted((site / "content/articles").rglob("*.md"))
            name = str(articles[n % len(articles)].relative_to(site))
            if edit == "tail":
                _append(site, name, f"Tail line {n}.")
            elif edit == "stop":
                _punctuate_opening(site, name)
            elif edit == "word":
                _reword_opening(site, name, n)
            elif edit == "lede":
                other = articles[(n + 1 + n // len(articles)) % len(articles)]
                _borrow_opening(site, name, str(other.relative_to(site)))
            else:
                EDITS[int(edit)](site, n)
        build(BuildOptions(source=site, search=False))
        assert tree(site / "public") == _clean_tree(site, work / f"clean-{number}")
