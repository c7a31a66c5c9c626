"""Time the cross-linking stage (topic timelines and related articles) at 1k, 10k and 100k.

    python benchmarks/crosslink.py [--sizes 1000,10000,100000] [--seed 1]

Articles are generated in memory as `sitegen.models.Article` values: skewed
topics (a few running stories get most articles), a lede of about 250 words
drawn from a Zipf-like vocabulary with words peculiar to each topic mixed in,
so that text similarity has something to find. Prints the seconds for each
stage and the ratio of each size's total to the previous one's; a linear
algorithm gives a ratio close to the ratio of the sizes (10).
"""

from __future__ import annotations

import argparse
import datetime as dt
import itertools
import random
import string
import sys
import time
from collections.abc import Sequence
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sitegen import crosslink  # noqa: E402
from sitegen.config import SiteConfig  # noqa: E402
from sitegen.content import Site  # noqa: E402
from sitegen.models import Article, Topic  # noqa: E402

TOPIC_COUNT = 400
VOCABULARY = 5000
WORDS_PER_ARTICLE = 250
START = dt.datetime(2015, 1, 1, tzinfo=dt.UTC)


def _words(count: int) -> list[str]:
    """Distinct letters-only words ("aaa", "aab"...): the tokenizer skips digits."""
    combos = itertools.product(string.ascii_lowercase, repeat=4)
    return ["".join(c) for c in itertools.islice(combos, count)]


def synthetic_site(n: int, seed: int = 1) -> Site:
    rng = random.Random(seed)
    vocabulary = _words(VOCABULARY + TOPIC_COUNT * 5)
    common, peculiar = vocabulary[:VOCABULARY], vocabulary[VOCABULARY:]
    zipf = list(itertools.accumulate(1 / (i + 1) for i in range(VOCABULARY)))
    skew = list(itertools.accumulate(1 / (i + 1) ** 0.8 for i in range(TOPIC_COUNT)))
    articles = []
    for i in range(n):
        topics = sorted(set(rng.choices(range(TOPIC_COUNT), cum_weights=skew, k=3)))
        words = rng.choices(common, cum_weights=zipf, k=WORDS_PER_ARTICLE)
        for t in topics:
            words += rng.choices(peculiar[t * 5: t * 5 + 5], k=6)
        rng.shuffle(words)
        articles.append(Article(
            path=Path(f"a{i}.md"), title=f"Story {i}", slug=f"story-{i}",
            date=START + dt.timedelta(minutes=rng.randrange(10 * 365 * 24 * 60)),
            body=" ".join(words), tags=tuple(f"Topic {t}" for t in topics)))
    articles.sort(key=lambda a: a.sort_key, reverse=True)
    topic_map = {f"topic-{t}": Topic(slug=f"topic-{t}", title=f"Topic {t}")
                 for t in range(TOPIC_COUNT)}
    names = {t.title.casefold(): slug for slug, t in topic_map.items()}
    return Site(Path("."), SiteConfig(), tuple(articles), topic_map, names)


def measure(site: Site) -> tuple[float, float]:
    """Seconds for the whole link stage, and for related articles within it."""
    start = time.process_time()
    crosslink.link(site)
    total = time.process_time() - start
    oldest_first = sorted(site.articles, key=lambda a: a.sort_key)
    start = time.process_time()
    crosslink.related_articles(site, oldest_first)
    return total, time.process_time() - start


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", default="1000,10000,100000")
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args(argv)
    sizes = [int(s) for s in args.sizes.split(",")]
    print(f"{'articles':>9} {'link s':>8} {'related s':>10} {'timelines s':>12} {'ratio':>6}")
    previous: float | None = None
    for n in sizes:
        total, related = measure(synthetic_site(n, args.seed))
        ratio = f"{total / previous:6.1f}" if previous else "     -"
        print(f"{n:>9} {total:8.2f} {related:10.2f} {total - related:12.2f} {ratio}")
        previous = total
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
