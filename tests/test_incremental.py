"""Incremental builds are exactly right: after any sequence of edits, the output of a
rebuild (with its caches, stamp and reused files) equals a clean full build's."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sitegen.build import BuildOptions, build

from conftest import FIXTURES, tree

ARTICLES = "content/articles"
Edit = Callable[[Path, int], None]


def _articles(site: Path) -> list[Path]:
    return sorted((site / ARTICLES).rglob("*.md"))


def _pick(site: Path, n: int) -> Path:
    files = _articles(site)
    return files[n % len(files)]


def change_body(site: Path, n: int) -> None:
    path = _pick(site, n)
    path.write_text(path.read_text() + f"\nA new paragraph number {n}.\n")


def change_title(site: Path, n: int) -> None:
    path = _pick(site, n)
    text = path.read_text()
    path.write_text(text.replace("title: ", f"title: Revised {n} ", 1))


def add_topic(site: Path, n: int) -> None:
    path = _pick(site, n)
    path.write_text(path.read_text().replace("\n---\n", f"\ntags: [Topic {n % 3}]\n---\n", 1)
                    if "\ntags:" not in path.read_text() else
                    path.read_text().replace("tags: [", f"tags: [Topic {n % 3}, ", 1))


def remove_topics(site: Path, n: int) -> None:
    path = _pick(site, n)
    lines = [line for line in path.read_text().split("\n") if not line.startswith("tags:")]
    path.write_text("\n".join(lines))


def add_article(site: Path, n: int) -> None:
    folder = site / ARTICLES / "2023/07"
    folder.mkdir(parents=True, exist_ok=True)
    (folder / f"added-{n}.md").write_text(
        f"---\ntitle: Added story {n}\ndate: 2023-07-{1 + n % 28:02d}\n"
        f"byline: [Writer {n % 2}]\ntags: [Border talks]\n---\nBody of story {n}.\n")


def delete_article(site: Path, n: int) -> None:
    if len(_articles(site)) > 2:
        _pick(site, n).unlink()


def change_date(site: Path, n: int) -> None:
    path = _pick(site, n)
    lines = path.read_text().split("\n")
    lines = [f"date: 20{10 + n % 15}-{1 + n % 12:02d}-11" if line.startswith("date:") else line
             for line in lines]
    path.write_text("\n".join(lines))


def change_template(site: Path, n: int) -> None:
    path = site / "themes/default/templates/404.html"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text('{% extends "base.html" %}{% block main %}<h1>Gone ' + str(n) +
                    "</h1>{% endblock %}")


def change_static(site: Path, n: int) -> None:
    path = site / "themes/default/static/extra.txt"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(f"static file version {n}\n")


def change_config(site: Path, n: int) -> None:
    config = site / "sitegen.toml"
    config.write_text(config.read_text().replace("page_size = ", f"page_size = {2 + n % 3}\n#", 1))


EDITS: list[Edit] = [change_body, change_title, add_topic, remove_topics, add_article,
                     delete_article, change_date, change_template, change_static, change_config]



Rounds = list[list[tuple[Edit, int]]]
EDIT_ROUNDS = st.lists(st.lists(st.tuples(st.sampled_from(EDITS), st.integers(0, 50)),
                                max_size=3), min_size=1, max_size=3)


@settings(max_examples=12, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(rounds=EDIT_ROUNDS)
def test_rebuilds_equal_clean_builds(tmp_path_factory: pytest.TempPathFactory,
                                     rounds: Rounds) -> None:
    work = tmp_path_factory.mktemp("incremental")
    site = work / "site"
    shutil.copytree(FIXTURES / "site", site, ignore=shutil.ignore_patterns(".sitegen-cache"))
    build(BuildOptions(source=site, search=False))
    for number, edits in enumerate(rounds):
        for edit, n in edits:
            edit(site, n)
        build(BuildOptions(source=site, search=False))
        clean = work / f"clean-{number}"
        shutil.copytree(site, clean, ignore=shutil.ignore_patterns(".sitegen-cache", "public"))
        build(BuildOptions(source=clean, search=False))
        assert tree(site / "public") == tree(clean / "public")
