"""Pagefind's index made byte-stable: the same site indexed twice gives the same bytes,
and the rewritten index still answers the same searches (see test_search_browser)."""

from __future__ import annotations

import gzip
import shutil
from pathlib import Path

import cbor2

from sitegen.build import BuildOptions, build
from sitegen.pagefind_stable import SIGNATURE, stabilise

from conftest import FIXTURES, tree


def test_repeated_indexing_gives_identical_bytes(tmp_path: Path) -> None:
    trees = []
    for run in range(3):
        site = tmp_path / f"site{run}"
        shutil.copytree(FIXTURES / "search_site", site,
                        ignore=shutil.ignore_patterns(".sitegen-cache"))
        build(BuildOptions(source=site, output=tmp_path / f"out{run}"))
        trees.append(tree(tmp_path / f"out{run}" / "pagefind"))
    assert trees[0] == trees[1] == trees[2]


def test_filter_values_are_sorted_and_renamed(tmp_path: Path) -> None:
    folder = tmp_path / "pagefind"
    (folder / "filter").mkdir(parents=True)
    shuffled = ["year", [["2024", [3, 2]], ["2023", [1, 0]]]]
    (folder / "filter/en_0000000.pf_filter").write_bytes(
        gzip.compress(SIGNATURE + cbor2.dumps(shuffled)))
    meta = ["1.5.2", [], [], [["year", "en_0000000"]], [], []]
    (folder / "pagefind.en_0000000000.pf_meta").write_bytes(
        gzip.compress(SIGNATURE + cbor2.dumps(meta)))
    (folder / "pagefind-entry.json").write_text(
        '{"version":"1.5.2","languages":{"en":{"hash":"en_0000000000","page_count":4}}}')
    stabilise(folder)
    [filter_file] = (folder / "filter").iterdir()
    data = gzip.decompress(filter_file.read_bytes())
    assert cbor2.loads(data[len(SIGNATURE):]) == ["year", [["2023", [0, 1]], ["2024", [2, 3]]]]
    [meta_file] = folder.glob("*.pf_meta")
    new_meta = cbor2.loads(gzip.decompress(meta_file.read_bytes())[len(SIGNATURE):])
    assert new_meta[3] == [["year", filter_file.stem]]
    meta_name = meta_file.stem.removeprefix("pagefind.")
    assert meta_name != "en_0000000000"  # named by its new content
    assert f'"hash":"{meta_name}"' in (folder / "pagefind-entry.json").read_text()
