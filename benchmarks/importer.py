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

DEFAULT_CORPUS = Path(__file__).resolve().parents[1] / ".." / "shared" / "corpora" / "extraction-dev"


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


def score(corpus: Path, mode: str, show: bool) -> dict[str, float | int]:
    labels = json.loads((corpus / "labels.json").read_text(encoding="utf-8"))
    folder, suffix = ("txt", ".txt") if mode == "text" else ("html", ".html")
    rows: dict[str, list[float]] = {"f1": [], "headline": [], "authors": [], "date": []}
    failures = 0
    for page_id, label in labels.items():
        result = import_page(corpus / folder / f"{page_id}{suffix}")
        meta, body = result if isinstance(result, tuple) else ({}, "")
        failures += isinstance(result, str)
        f1 = body_f1(label["body"], re.sub(r"[#*_>`\[\]()!]", " ", body))
        rows["f1"].append(f1)
        checks = {
            "headline": lambda: fold(meta.get("title")) == fold(label["headline"]),
            "authors": lambda: authors_match(meta, label["authors"]),
            "date": lambda: str(meta.get("date", ""))[:10] == label["date"],
        }
        misses = [k for k, check in checks.items() if k in label and not check()]
        for key in checks.keys() & label.keys():
            rows[key].append(float(key not in misses))
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
    print(f"{'input':<6} {'pages':>5} {'body F1':>8} {'headline':>9} {'authors':>8} {'date':>6}"
          f" {'failed':>7} {'seconds':>8}")
    for mode in args.mode or ["text", "html"]:
        began = time.perf_counter()
        s = score(args.corpus, mode, args.pages)
        took = time.perf_counter() - began
        print(f"{mode:<6} {s['n_f1']:>5} {s['f1']:>8.3f} {s['headline']:>9.3f} {s['authors']:>8.3f}"
              f" {s['date']:>6.3f} {s['failed']:>7} {took:>8.1f}")
        print(f"{'':<6} {'':>5} {'':>8} {'(n=' + str(s['n_headline']) + ')':>9}"
              f" {'(n=' + str(s['n_authors']) + ')':>8} {'(n=' + str(s['n_date']) + ')':>6}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
