#!/usr/bin/env python3
"""Measure `sitegen import` on the labelled corpus in ../shared/corpora/extraction-dev.

    python benchmarks/importer.py [--corpus DIR] [--pages] [--mode text|html]

Prints, for copied text and for saved HTML: body F1 (4-token shingles, the
corpus README's metric), headline, authors and date accuracy over the pages
labelled with them. Each page goes through the importer exactly as the
command runs it (decode, normalise, render the file, read its front-matter
back). The corpus is not part of the project; without it this says so and exits 0.
"""

from __future__ import annotations

import argparse
import json
import re
import statistics
import sys
import time
from collections import Counter
from pathlib import Path
from typing import Any

import yaml

from sitegen.errors import SitegenError
from sitegen.normalise.run import normalise
from sitegen.normalise.sources import read_source
from sitegen.normalise.writer import render

DEFAULT_CORPUS = (
    Path(__file__).resolve().parents[1] / ".." / "shared" / "corpora" / "extraction-dev"
)


def shingles(text: str, n: int = 4) -> Counter[tuple[str, ...]]:
    tokens = re.findall(r"\w+", text.lower())
    return Counter(tuple(tokens[i : i + n]) for i in range(max(1, len(tokens) - n + 1)))


def body_f1(truth: str, predicted: str) -> float:
    want, got = shingles(truth), shingles(predicted)
    hit = sum((want & got).values())
    precision = hit / sum(got.values()) if got else 0.0
    recall = hit / sum(want.values()) if want else 0.0
    return 2 * precision * recall / (precision + recall) if precision + recall else 0.0


def fold(text: Any) -> str:
    return re.sub(r"\W+", " ", str(text or "").lower()).strip()


def import_page(path: Path) -> tuple[dict[str, Any], str] | str:
    """(front-matter, body) as the written file holds them, or the error message."""
    try:
        text = render(normalise(read_source(path)))
    except SitegenError as exc:
        return exc.message
    _, meta, body = text.split("---\n", 2)
    return yaml.safe_load(meta) or {}, body


def authors_match(meta: dict[str, Any], want: list[str]) -> bool:
    byline = meta.get("byline") or []
    got = {fold(a) for a in (byline if isinstance(byline, list) else [byline])}
    wanted = {fold(a) for a in want}
    return bool(got & wanted) or any(w in g or g in w for w in wanted for g in got if g)


def field_hits(meta: dict[str, Any], label: dict[str, Any]) -> dict[str, bool]:
    """For each metadata field the page is labelled with: did the import get it right."""
    hits = {}
    if "headline" in label:
        hits["headline"] = fold(meta.get("title")) == fold(label["headline"])
    if "authors" in label:
        hits["authors"] = authors_match(meta, label["authors"])
    if "date" in label:
        hits["date"] = str(meta.get("date", ""))[:10] == label["date"]
    return hits


def score(corpus: Path, mode: str, show: bool) -> dict[str, float | int]:
    labels = json.loads((corpus / "labels.json").read_text(encoding="utf-8"))
    folder, suffix = ("txt", ".txt") if mode == "text" else ("html", ".html")
    rows: dict[str, list[float]] = {
        "f1": [],
        "f1_imported": [],
        "headline": [],
        "authors": [],
        "date": [],
    }
    failures = 0
    for page_id, label in labels.items():
        result = import_page(corpus / folder / f"{page_id}{suffix}")
        meta, body = result if isinstance(result, tuple) else ({}, "")
        failures += isinstance(result, str)
        f1 = body_f1(label["body"], re.sub(r"[#*_>`\[\]()!]", " ", body))
        rows["f1"].append(f1)
        if not isinstance(result, str):
            rows["f1_imported"].append(f1)
        hits = field_hits(meta, label)
        misses = [key for key, hit in hits.items() if not hit]
        for key, hit in hits.items():
            rows[key].append(float(hit))
        if show:
            note = result if isinstance(result, str) else " ".join(misses)
            print(f"  {page_id[:8]} f1={f1:.2f} {note}")
    summary: dict[str, float | int] = {k: statistics.mean(v) for k, v in rows.items() if v}
    summary |= {f"n_{k}": len(v) for k, v in rows.items()}
    summary["failed"] = failures
    return summary


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[1])
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    parser.add_argument("--mode", choices=["text", "html"], action="append")
    parser.add_argument("--pages", action="store_true", help="print each page's score and misses")
    args = parser.parse_args()
    if not (args.corpus / "labels.json").is_file():
        print(f"corpus not found at {args.corpus}: nothing measured")
        return 0
    print(f"corpus: {args.corpus.resolve()}")
    print("input  pages failed  body F1 (imported)  headline  authors  date  seconds")
    for mode in args.mode or ["text", "html"]:
        began = time.perf_counter()
        s = score(args.corpus, mode, args.pages)
        took = time.perf_counter() - began
        print(
            f"{mode:<6} {s['n_f1']:>5} {s['failed']:>6} {s['f1']:>8.3f} ({s['f1_imported']:.3f})"
            f" {s['headline']:>9.3f} {s['authors']:>8.3f} {s['date']:>5.3f} {took:>8.1f}"
        )
    print("body F1 counts a failed page as 0, as the corpus scorer does; (imported) leaves")
    print("failed pages out. headline/authors/date are over the pages labelled with them.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
