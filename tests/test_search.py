"""The search index: what Pagefind indexes, per language, and how a failing Pagefind is reported."""

from __future__ import annotations

import gzip
import json
import shutil
import sys
from pathlib import Path

import pytest

from sitegen import search
from sitegen.build import BuildOptions, build
from sitegen.cli import main

from conftest import FIXTURES, tree

SITE = FIXTURES / "search_site"


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    output = tmp_path_factory.mktemp("search") / "public"
    build(BuildOptions(source=SITE, output=output))
    return output


def fragments(site: Path) -> dict[str, dict[str, object]]:
    """Every indexed page's record, by URL (Pagefind writes each gzipped with a signature)."""
    records = {}
    for path in (site / "pagefind" / "fragment").iterdir():
        data = gzip.decompress(path.read_bytes())
        record = json.loads(data[data.index(b"{"):])
        records[record["url"]] = record
    return records



def test_each_language_gets_its_own_index(built: Path) -> None:
    entry = json.loads((built / "pagefind" / "pagefind-entry.json").read_text())
    counts = {lang: info["page_count"] for lang, info in entry["languages"].items()}
    assert counts == {"en": 4, "ur": 1}


def test_only_articles_are_indexed(built: Path) -> None:
    assert sorted(fragments(built)) == [
        "/2023/05/dockers-walk-out-over-night-shifts/",
        "/2023/11/storm-floods-the-harbour-road/",
        "/2024/02/strike-ends-with-a-deal-on-shifts/",
        "/2024/08/monsoon-rains-return-to-the-coast/",
        "/2024/09/karachi-rain-urdu/",
    ]


def test_meta_filters_and_sort_of_an_article(built: Path) -> None:
    record = fragments(built)["/2024/02/strike-ends-with-a-deal-on-shifts/"]
    assert record["meta"] == {"title": "Strike ends with a deal on shifts", "date": "2024-02-19",
                              "dateline": "PORT TOWN", "byline": "Amina Qureshi, Bilal Khan"}
    assert record["filters"] == {"topic": ["Dock strike"], "section": ["Business"],
                                 "author": ["Amina Qureshi", "Bilal Khan"], "year": ["2024"]}
    # Hidden filter and meta holders feed Pagefind but must not repeat in the searchable text.
    assert str(record["content"]).count("Bilal Khan") == 1


@pytest.mark.parametrize(("command", "message"), [
    (("/nonexistent/pagefind",), "search: cannot run Pagefind"),
    ((sys.executable, "-c", "import sys; sys.exit('index exploded')"),
     "search: Pagefind failed: index exploded"),
])
def test_failing_pagefind_fails_the_build_and_keeps_the_site(
        built: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str], command: tuple[str, ...], message: str) -> None:
    site, output = tmp_path / "site", tmp_path / "public"
    shutil.copytree(SITE, site, ignore=shutil.ignore_patterns(".sitegen-cache"))
    build(BuildOptions(source=site, output=output))
    before = tree(output)
    # An edit, so that the next build has work to do and runs Pagefind again.
    article = next((site / "content/articles").rglob("*.md"))
    article.write_text(article.read_text() + "\nOne more paragraph.\n")
    monkeypatch.setattr(search, "PAGEFIND", command)
    assert main(["build", "--source", str(site), "--output", str(output)]) == 1
    err = capsys.readouterr().err
    assert message in err and "--no-search" in err and "Traceback" not in err
    assert tree(output) == before


def test_no_search_skips_pagefind(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(search, "PAGEFIND", ("/nonexistent/pagefind",))
    output = tmp_path / "public"
    assert main(["build", "--source", str(SITE), "--output", str(output), "--no-search",
                 "--quiet"]) == 0
    assert (output / "search" / "index.html").is_file()
    assert not (output / "pagefind").exists()
