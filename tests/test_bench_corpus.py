"""The benchmark kit: a deterministic corpus, within its ranges, the same articles three ways."""

from __future__ import annotations

import dataclasses
import importlib
import os
import subprocess
import sys
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest
import yaml

BENCHMARKS = Path(__file__).resolve().parents[1] / "benchmarks"
# The kit is scripts, not a package: `build_speed` imports `corpus` as its sibling.
sys.path.insert(0, str(BENCHMARKS))
corpus = importlib.import_module("corpus")
build_speed = importlib.import_module("build_speed")

N = 12
SEED = 7
DESIGN_KEYS = {
    "title", "dek", "byline", "date", "updated", "dateline", "section", "tags", "images",
    "credits", "source", "slug", "lang", "draft", "aliases", "corrections",
}  # fmt: skip


@pytest.fixture(scope="module")
def outdir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("corpus")
    corpus.write_corpus(N, path, seed=SEED)
    return path


def _tree(root: Path) -> dict[str, bytes]:
    return {str(p.relative_to(root)): p.read_bytes() for p in root.rglob("*") if p.is_file()}


def _split(path: Path) -> tuple[dict[str, Any], str]:
    """Front-matter and body of a file that opens with a `---` YAML block."""
    _, head, body = path.read_text(encoding="utf-8").split("---\n", 2)
    return yaml.safe_load(head), body


def _sitegen(outdir: Path) -> list[tuple[Path, dict[str, Any], str]]:
    articles = sorted((outdir / "sitegen" / "content" / "articles").rglob("*.md"))
    return [(path, *_split(path)) for path in articles]


def _pelican_meta(path: Path) -> dict[str, str]:
    head = path.read_text(encoding="utf-8").split("\n\n", 1)[0]
    return dict(line.split(": ", 1) for line in head.splitlines())


def test_same_seed_gives_the_same_bytes(outdir: Path, tmp_path: Path) -> None:
    corpus.write_corpus(N, tmp_path, seed=SEED)
    assert _tree(tmp_path) == _tree(outdir)


def test_another_seed_gives_other_articles(outdir: Path, tmp_path: Path) -> None:
    corpus.write_corpus(N, tmp_path, seed=SEED + 1)
    assert _tree(tmp_path / "sitegen").keys() != _tree(outdir / "sitegen").keys()


def test_a_smaller_corpus_is_a_prefix_of_a_larger_one() -> None:
    assert corpus.generate(5, SEED).articles == corpus.generate(N, SEED).articles[:5]


def test_vocabulary_sizes() -> None:
    assert len(set(corpus.TOPICS)) == 300
    assert len(set(corpus.AUTHORS)) == 50


def test_word_topic_and_author_ranges(outdir: Path) -> None:
    articles = _sitegen(outdir)
    assert len(articles) == N
    for _, meta, body in articles:
        words = [token for token in body.split() if token != "##"]
        assert 300 <= len(words) <= 1500
        assert 2 <= len(meta["tags"]) <= 5
        assert len(set(meta["tags"])) == len(meta["tags"])
        assert set(meta["tags"]) <= set(corpus.TOPICS)
        assert set(meta["byline"]) <= set(corpus.AUTHORS)
        assert len(body.strip().split("\n\n")) >= 3
    assert any("\n## " in body for _, _, body in articles)
    assert any("images" in meta for _, meta, _ in articles)
    assert any("images" not in meta for _, meta, _ in articles)


def test_sitegen_form_follows_the_design(outdir: Path) -> None:
    site = outdir / "sitegen"
    config = 'title = "Bench"\nbase_url = "https://example.org/"\n'
    assert (site / "sitegen.toml").read_text(encoding="utf-8") == config
    topics = {_split(path)[0]["title"] for path in (site / "content" / "topics").glob("*.md")}
    for path, meta, _ in _sitegen(outdir):
        assert set(meta) <= DESIGN_KEYS
        assert isinstance(meta["date"], datetime) and meta["date"].tzinfo is not None
        assert path.parent.parent.name == f"{meta['date']:%Y}"
        assert path.parent.name == f"{meta['date']:%m}"
        assert path.stem == meta["slug"]
        assert set(meta["tags"]) <= topics
        for image in meta.get("images", []):
            assert image["caption"] and image["credit"] in corpus.CREDITS


def test_three_forms_hold_the_same_articles(outdir: Path) -> None:
    sitegen = {meta["slug"]: meta for _, meta, _ in _sitegen(outdir)}
    hugo_files = sorted((outdir / "hugo" / "content" / "posts").rglob("*.md"))
    hugo = {meta["slug"]: meta for meta, _ in map(_split, hugo_files)}
    pelican_files = sorted((outdir / "pelican" / "content").glob("*.md"))
    pelican = {meta["Slug"]: meta for meta in map(_pelican_meta, pelican_files)}
    assert len(sitegen) == len(hugo) == len(pelican) == N
    for slug, meta in sitegen.items():
        assert hugo[slug]["title"] == pelican[slug]["Title"] == meta["title"]
        assert hugo[slug]["date"] == meta["date"]
        assert datetime.fromisoformat(pelican[slug]["Date"]) == meta["date"]
        assert hugo[slug]["tags"] == pelican[slug]["Tags"].split(", ") == meta["tags"]
        assert hugo[slug]["authors"] == pelican[slug]["Authors"].split(", ") == meta["byline"]
    assert (outdir / "hugo" / "layouts" / "page.html").is_file()
    assert (outdir / "pelican" / "templates" / "sitemap.xml").is_file()


def test_refuses_to_write_over_a_folder_that_is_not_a_corpus(tmp_path: Path) -> None:
    (tmp_path / "notes.txt").write_text("mine", encoding="utf-8")
    with pytest.raises(FileExistsError):
        corpus.write_corpus(1, tmp_path)
    assert [p.name for p in tmp_path.iterdir()] == ["notes.txt"]


@pytest.mark.parametrize(("where", "position"), [("first", 0), ("last", -1)])
def test_one_word_edit_changes_only_the_body(outdir: Path, tmp_path: Path, where: str,
                                             position: int) -> None:
    source, meta, body = _sitegen(outdir)[0]
    article = tmp_path / source.name
    article.write_bytes(source.read_bytes())
    assert build_speed.edit_article(article, where).endswith(f"{where} word of")
    edited_meta, edited_body = _split(article)
    assert edited_meta == meta
    words, edited = body.split(), edited_body.split()
    changed = [i for i, (a, b) in enumerate(zip(words, edited, strict=True)) if a != b]
    assert changed == [range(len(words))[position]]


def test_the_dek_edit_removes_the_dek_alone(outdir: Path, tmp_path: Path) -> None:
    source, meta, body = _sitegen(outdir)[0]
    article = tmp_path / source.name
    article.write_bytes(source.read_bytes())
    build_speed.edit_article(article, "dek")
    edited_meta, edited_body = _split(article)
    assert "dek" in meta and edited_meta == {k: v for k, v in meta.items() if k != "dek"}
    assert edited_body == body


def test_a_build_is_measured_from_cold(tmp_path: Path) -> None:
    (tmp_path / "public").mkdir()
    (tmp_path / "public" / "stale.html").write_text("old", encoding="utf-8")
    # The stale file must be gone: the script fails if `public` still exists.
    script = "import pathlib as p; p.Path('public').mkdir(); p.Path('public/a').write_text('a')"
    gen = build_speed.Generator("sitegen", tmp_path, (sys.executable, "-c", script), "public", ())
    run = build_speed.cold_build(gen, tmp_path)
    assert (run.exit_code, run.files, run.error) == (0, 1, "")
    assert run.wall > 0 and run.cpu > 0 and run.max_rss_mb > 1


def test_a_failing_generator_is_a_table_row_not_a_crash(tmp_path: Path) -> None:
    missing = build_speed.Generator("hugo", tmp_path, ("/nonexistent/hugo",), "public", ())
    script = (sys.executable, "-c", "import sys; print('bad | input'); sys.exit(3)")
    failing = build_speed.Generator("pelican", tmp_path, script, "output", ())
    results = {
        "hugo": build_speed.cold_build(missing, tmp_path),
        "pelican": build_speed.cold_build(failing, tmp_path),
    }
    table = build_speed.comparison_table(results)
    assert "| hugo | failed (cannot start /nonexistent/hugo" in table
    assert "| pelican | failed (exit 3: bad / input) |" in table


def test_tree_memory_sums_the_tree_and_drops_a_sample_that_straddles_a_fork(
        monkeypatch: pytest.MonkeyPatch) -> None:
    """A process tree's memory is the PSS of each member; a sample during which the
    tree changed is dropped, as its parent and child were read on either side of a
    fork (or an exit) and their shared pages counted twice."""
    child = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(30)"])
    try:
        me = os.getpid()
        alone = build_speed._tree_pss_kb(child.pid)
        with_child = build_speed._tree_pss_kb(me)
        assert alone and with_child and with_child > alone
        listings = iter([{me}, {me, child.pid}])  # a fork between the two listings
        monkeypatch.setattr(build_speed, "_tree_pids", lambda root: next(listings))
        assert build_speed._tree_pss_kb(me) is None
    finally:
        child.kill()
        child.wait()


def test_only_the_memory_round_samples_and_times_come_from_the_others(tmp_path: Path) -> None:
    """Sampling a tree's memory costs CPU beside the build, so a timed run does not
    sample; the table takes medians of the timed runs and memory from all."""
    script = "x = bytearray(60_000_000); import time; time.sleep(0.6)"
    argv = (sys.executable, "-c", script)
    timed = build_speed.measure(argv, tmp_path, tmp_path / "timed.log")
    sampled = build_speed.measure(argv, tmp_path, tmp_path / "sampled.log", tree_memory=True)
    assert timed.tree_pss_mb == 0 and sampled.tree_pss_mb > 50
    runs = [dataclasses.replace(timed, wall=wall, cpu=wall / 2) for wall in (3.0, 1.0, 2.0)]
    summary = build_speed.summarise(runs, [dataclasses.replace(sampled, wall=99.0, cpu=99.0)])
    assert (summary.wall, summary.cpu) == (2.0, 1.0)
    assert summary.tree_pss_mb == sampled.tree_pss_mb
    assert summary.max_rss_mb == max(timed.max_rss_mb, sampled.max_rss_mb)


def test_the_table_shows_the_spread_of_the_ratio_over_rounds() -> None:
    """Each round's times are set against each other: the median ratio alone would hide
    a generator that is faster in some rounds and slower in others."""
    def summary(*walls: float) -> Any:
        runs = [build_speed.Run(0, wall, wall, 100.0, 100.0, 10, "") for wall in walls]
        return build_speed.summarise(runs)

    results = {"sitegen": summary(6.0, 5.0, 4.0), "hugo": summary(4.5, 6.0, 6.0)}
    table = build_speed.comparison_table(results)
    hugo_row = next(line for line in table.splitlines() if line.startswith("| hugo |"))
    assert hugo_row.endswith("| 0.75–1.50 |")  # 4.5/6.0 in round 1, 6.0/4.0 in round 3
    assert "| 1.20 |" in hugo_row  # the medians' ratio: 6.0/5.0
    one_round = {"sitegen": summary(6.0), "hugo": summary(4.5)}
    assert build_speed.comparison_table(one_round).endswith("| n/a |")
