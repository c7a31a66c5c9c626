"""Synthetic news corpus for the build-speed benchmark, written for sitegen, Hugo and Pelican.

    python benchmarks/corpus.py N OUTDIR [--seed S] [--forms sitegen,hugo,pelican]

Every article is drawn from its own random generator seeded with `seed` and its index, so a
given seed always gives the same bytes, and the first N articles of a larger corpus are the
same articles as a corpus of N (apart from the rare title clash resolved in order).
"""

from __future__ import annotations

import argparse
import itertools
import json
import random
import shutil
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import yaml
from slugify import slugify

FORMS = ("sitegen", "hugo", "pelican")
MARKER = ".bench-corpus"
HERE = Path(__file__).resolve().parent
HUGO_LAYOUTS = HERE / "hugo_layouts"
PELICAN_TEMPLATES = HERE / "pelican_theme"

MIN_WORDS, MAX_WORDS = 300, 1500
MIN_TOPICS, MAX_TOPICS = 2, 5
YEARS = 10
START = datetime(2015, 1, 1, tzinfo=timezone(timedelta(hours=5)))

WORDS = tuple(
    """
    the a of to and in on for with from by at as after before over under between against
    about during without within across into through while since until because although
    government minister ministers officials committee parliament senate assembly court judge
    judges police army cabinet party parties leader leaders opposition coalition
    election elections vote votes voters campaign budget tax taxes revenue inflation prices
    market markets bank banks loan loans debt export exports import imports trade deal talks
    agreement treaty border province city district village capital region country nation
    people residents families workers farmers students teachers doctors patients traders
    report reports statement statements interview sources spokesperson analysts experts data
    figures survey plan plans policy policies reform reforms project projects scheme funds
    water power electricity gas fuel petrol wheat sugar cotton rice flour crops harvest
    flood floods rain rains heat drought storm weather climate river dam canal road roads
    railway airport port traffic transport bus buses hospital hospitals school schools
    university college exam exams health virus vaccine vaccines cases security attack
    attacks blast operation operations militants suspects arrest arrests case hearing
    verdict appeal petition law laws bill bills amendment order orders notice inquiry probe
    commission authority board department ministry agency company companies firm investors
    shares index growth loss losses profit jobs wages salaries pension pensions rent housing
    land property construction cricket match series team captain players coach tournament
    win wins won lost draw runs wickets goal season league festival film music book
    art artists exhibition museum heritage culture language media press journalists
    newspaper channel broadcast internet mobile phones network digital online app users
    said says told added noted warned announced claimed denied confirmed urged demanded
    rejected approved launched signed held met visited called decided expected planned
    agreed refused reported stressed promised asked insisted suggested allowed ordered
    new old big small major minor key main final early late recent local federal provincial
    national foreign public private official senior former current next last first second
    third several many few more most less other another each every some all both either
    strong weak high low rising falling long short full open closed urgent serious likely
    today yesterday tomorrow week weeks month months year years morning evening night
    monday tuesday wednesday thursday friday saturday sunday january february march april
    june july august september october november december decade record level levels rate
    rates share number numbers cost costs price demand supply shortage crisis pressure
    concern concerns issue issues question questions decision decisions support response
    effort efforts step steps move process system systems role rules limits measures
    meeting meetings session sessions summit visit visits tour delegation mission
    """.split()
)

FIRST_NAMES = tuple("Zarmeen Imran Ayesha Tariq Sana Bilal Nadia Hamza Fatima Omar".split())
LAST_NAMES = ("Zehra", "Khan", "Siddiqui", "Baloch", "Qureshi")
AUTHORS = tuple(f"{first} {last}" for first, last in itertools.product(FIRST_NAMES, LAST_NAMES))

PLACES = tuple(
    """
    Karachi Lahore Islamabad Peshawar Quetta Multan Faisalabad Hyderabad Gwadar Gilgit Sukkur
    Sialkot Kabul Delhi Dhaka Tehran Beijing Riyadh Dubai Doha Ankara Moscow London Washington
    Brussels Geneva Tokyo Colombo Kathmandu Tashkent
    """.split()
)
THEMES = (
    "elections",
    "water supply",
    "budget",
    "floods",
    "trade talks",
    "court cases",
    "transport",
    "schools",
    "power cuts",
    "security",
)
TOPICS = tuple(f"{place} {theme}" for place, theme in itertools.product(PLACES, THEMES))
# News attention is skewed: a few running stories get most articles, which is what makes
# topic pages paginate. Weight topic i by 1/(i+1)^0.8 over a seed-independent order.
_TOPIC_CUM_WEIGHTS = tuple(itertools.accumulate(1 / (i + 1) ** 0.8 for i in range(len(TOPICS))))

SECTIONS = ("Pakistan", "World", "Business", "Sport", "Culture", "Science", "Opinion", "Health")
CREDITS = ("Reuters", "AFP", "AP", "APP", "White Star", "Online", "File photo")


@dataclass(frozen=True)
class Caption:
    caption: str
    credit: str


@dataclass(frozen=True)
class Article:
    title: str
    slug: str
    dek: str
    byline: tuple[str, ...]
    date: datetime
    dateline: str | None
    section: str
    tags: tuple[str, ...]
    caption: Caption | None
    body: str

    def relpath(self) -> Path:
        """`YYYY/MM/<slug>.md`, the article's file below the articles folder (sitegen, Hugo)."""
        return Path(f"{self.date:%Y}", f"{self.date:%m}", f"{self.slug}.md")


@dataclass(frozen=True)
class Topic:
    title: str
    slug: str
    explainer: str


@dataclass(frozen=True)
class Corpus:
    seed: int
    articles: tuple[Article, ...]
    topics: tuple[Topic, ...]


def body_word_count(body: str) -> int:
    """Words of a generated body, heading words included and `##` markers not."""
    return sum(1 for token in body.split() if token != "##")


def _sentence(rng: random.Random, n: int) -> str:
    words = rng.choices(WORDS, k=n)
    if n > 8 and rng.random() < 0.4:
        cut = rng.randrange(3, n - 3)
        words[cut] += ","
    return " ".join(words).capitalize() + "."


def _sentences(rng: random.Random, n: int) -> str:
    """Sentences of 8-24 words adding up to exactly `n` words."""
    parts = []
    while n > 0:
        size = min(n, rng.randint(8, 24))
        parts.append(_sentence(rng, size))
        n -= size
    return " ".join(parts)


def _body(rng: random.Random, n_words: int) -> str:
    """Paragraphs of 40-120 words with a `##` sub-heading every few paragraphs."""
    blocks: list[str] = []
    since_heading = 0
    while n_words > 0:
        # Never open with a heading, never end on one, and leave some text under each.
        if since_heading >= 2 and n_words > 80 and rng.random() < 0.35:
            heading = rng.choices(WORDS, k=rng.randint(2, 5))
            blocks.append("## " + " ".join(heading).capitalize())
            n_words -= len(heading)
            since_heading = 0
            continue
        size = min(n_words, rng.randint(40, 120))
        blocks.append(_sentences(rng, size))
        n_words -= size
        since_heading += 1
    return "\n\n".join(blocks) + "\n"


def _tags(rng: random.Random) -> tuple[str, ...]:
    wanted = rng.randint(MIN_TOPICS, MAX_TOPICS)
    tags: list[str] = []
    while len(tags) < wanted:
        (tag,) = rng.choices(TOPICS, cum_weights=_TOPIC_CUM_WEIGHTS)
        if tag not in tags:
            tags.append(tag)
    return tuple(tags)


def _headline(rng: random.Random, taken: set[str]) -> tuple[str, str]:
    """A title and its slug, unique in the corpus: slugs are the articles' URLs."""
    while True:
        title = " ".join(rng.choices(WORDS, k=rng.randint(5, 10))).capitalize()
        slug = slugify(title)
        if slug not in taken:
            taken.add(slug)
            return title, slug


def make_article(seed: int, index: int, taken: set[str]) -> Article:
    """Article number `index`; `taken` holds the slugs already used and gets this one."""
    # A string seed is hashed with SHA-512 by `random`, so it does not depend on PYTHONHASHSEED.
    rng = random.Random(f"{seed}:{index}")
    title, slug = _headline(rng, taken)
    minutes = rng.randrange(YEARS * 365 * 24 * 60)
    caption = None
    if rng.random() < 0.4:
        caption = Caption(_sentences(rng, rng.randint(8, 20)), rng.choice(CREDITS))
    return Article(
        title=title,
        slug=slug,
        dek=_sentences(rng, rng.randint(15, 30)),
        byline=tuple(rng.sample(AUTHORS, 2 if rng.random() < 0.15 else 1)),
        date=START + timedelta(minutes=minutes),
        dateline=rng.choice(PLACES).upper() if rng.random() < 0.6 else None,
        section=rng.choice(SECTIONS),
        tags=_tags(rng),
        caption=caption,
        body=_body(rng, rng.randint(MIN_WORDS, MAX_WORDS)),
    )


def make_topic(seed: int, title: str) -> Topic:
    rng = random.Random(f"{seed}:topic:{title}")
    return Topic(title=title, slug=slugify(title), explainer=_sentences(rng, rng.randint(20, 60)))


def generate(n: int, seed: int = 1) -> Corpus:
    taken: set[str] = set()
    articles = tuple(make_article(seed, i, taken) for i in range(n))
    used = {tag for article in articles for tag in article.tags}
    # Only topics that have articles: Hugo and Pelican make no page for an unused tag.
    topics = tuple(make_topic(seed, title) for title in TOPICS if title in used)
    return Corpus(seed=seed, articles=articles, topics=topics)


class _Dumper(yaml.SafeDumper):
    """Writes datetimes as ISO 8601 with a `T`, as DESIGN.md shows and every parser reads."""


_Dumper.add_representer(
    datetime,
    lambda dumper, value: dumper.represent_scalar("tag:yaml.org,2002:timestamp", value.isoformat()),
)


def front_matter(data: dict[str, Any], body: str) -> str:
    """A Markdown file with YAML front-matter; flow lists as in DESIGN.md, lines never folded."""
    head = yaml.dump(data, Dumper=_Dumper, sort_keys=False, default_flow_style=None, width=1 << 20)
    return f"---\n{head}---\n{body}"


def _write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8", newline="\n")


def sitegen_article(article: Article) -> str:
    data: dict[str, Any] = {"title": article.title, "dek": article.dek}
    data["byline"] = list(article.byline)
    data["date"] = article.date
    if article.dateline:
        data["dateline"] = article.dateline
    data["section"] = article.section
    data["tags"] = list(article.tags)
    if article.caption:
        data["images"] = [{"caption": article.caption.caption, "credit": article.caption.credit}]
    data["slug"] = article.slug
    return front_matter(data, article.body)


def write_sitegen(corpus: Corpus, root: Path) -> None:
    _write(root / "sitegen.toml", 'title = "Bench"\nbase_url = "https://example.org/"\n')
    for article in corpus.articles:
        _write(root / "content" / "articles" / article.relpath(), sitegen_article(article))
    for topic in corpus.topics:
        text = front_matter({"title": topic.title}, topic.explainer + "\n")
        _write(root / "content" / "topics" / f"{topic.slug}.md", text)


HUGO_CONFIG = """\
baseURL = "https://example.org/"
title = "Bench"
locale = "en"
# Topic names as written ("Karachi water supply"), as sitegen and Pelican show them.
titleCaseStyle = "none"
# sitegen makes no page listing the "posts" folder, and the 404 page is not compared.
disableKinds = ["section", "404"]

[pagination]
pagerSize = 20

[taxonomies]
tag = "tags"

[outputs]
home = ["html", "rss"]
page = ["html"]
taxonomy = ["html"]
term = ["html", "rss"]

# Same URLs as sitegen: /YYYY/MM/<slug>/, /topics/<slug>/ and feed.xml files.
[permalinks.page]
posts = "/:year/:month/:slug/"

[permalinks.taxonomy]
tags = "/topics/"

[permalinks.term]
tags = "/topics/:slug/"

[outputFormats.rss]
baseName = "feed"

[services.rss]
limit = 20

[sitemap]
filename = "sitemap.xml"
"""


def hugo_article(article: Article) -> str:
    params: dict[str, Any] = {"dek": article.dek, "section": article.section}
    if article.dateline:
        params["dateline"] = article.dateline
    if article.caption:
        params["caption"] = article.caption.caption
        params["credit"] = article.caption.credit
    data: dict[str, Any] = {"title": article.title, "date": article.date, "slug": article.slug}
    data["authors"] = list(article.byline)
    data["tags"] = list(article.tags)
    data["params"] = params
    return front_matter(data, article.body)


def write_hugo(corpus: Corpus, root: Path) -> None:
    _write(root / "hugo.toml", HUGO_CONFIG)
    shutil.copytree(HUGO_LAYOUTS, root / "layouts")
    for article in corpus.articles:
        _write(root / "content" / "posts" / article.relpath(), hugo_article(article))


PELICAN_CONFIG = """\
from pathlib import Path

AUTHOR = "Bench"
SITENAME = "Bench"
SITEURL = "https://example.org"
RELATIVE_URLS = False
PATH = "content"
OUTPUT_PATH = "output"
TIMEZONE = "Asia/Karachi"
DEFAULT_LANG = "en"
DEFAULT_PAGINATION = 20
PAGINATION_PATTERNS = (
    (1, "{url}", "{save_as}"),
    (2, "{base_name}/page/{number}/", "{base_name}/page/{number}/index.html"),
)
# Same URLs as sitegen: /YYYY/MM/<slug>/ and /topics/<slug>/.
ARTICLE_URL = "{date:%Y}/{date:%m}/{slug}/"
ARTICLE_SAVE_AS = "{date:%Y}/{date:%m}/{slug}/index.html"
TAG_URL = "topics/{slug}/"
TAG_SAVE_AS = "topics/{slug}/index.html"
FEED_DOMAIN = SITEURL
FEED_ALL_ATOM = "feed.xml"
TAG_FEED_ATOM = "topics/{slug}/feed.xml"
FEED_MAX_ITEMS = 20
CATEGORY_FEED_ATOM = None
AUTHOR_FEED_ATOM = None
AUTHOR_FEED_RSS = None
TRANSLATION_FEED_ATOM = None
# Pelican has no sitemap of its own; a direct template (templates/sitemap.xml) writes one.
DIRECT_TEMPLATES = ["index", "tags", "categories", "authors", "archives", "sitemap"]
SITEMAP_SAVE_AS = "sitemap.xml"
TEMPLATE_EXTENSIONS = [".html", ".xml"]
THEME_TEMPLATES_OVERRIDES = [str(Path(__file__).resolve().parent / "templates")]
# An empty list stops Pelican from loading whatever namespace plugins are installed.
PLUGINS = []
LOAD_CONTENT_CACHE = False
CACHE_CONTENT = False
DELETE_OUTPUT_DIRECTORY = True
SOCIAL = ()
LINKS = ()
"""


def pelican_article(article: Article) -> str:
    meta = {
        "Title": article.title,
        "Date": article.date.isoformat(),
        "Slug": article.slug,
        "Authors": ", ".join(article.byline),
        "Category": article.section,
        "Tags": ", ".join(article.tags),
        "Summary": article.dek,
    }
    if article.dateline:
        meta["Dateline"] = article.dateline
    if article.caption:
        meta["Caption"] = article.caption.caption
        meta["Credit"] = article.caption.credit
    head = "".join(f"{key}: {value}\n" for key, value in meta.items())
    return f"{head}\n{article.body}"


def write_pelican(corpus: Corpus, root: Path) -> None:
    _write(root / "pelicanconf.py", PELICAN_CONFIG)
    shutil.copytree(PELICAN_TEMPLATES, root / "templates")
    for article in corpus.articles:
        _write(root / "content" / f"{article.slug}.md", pelican_article(article))


WRITERS = {"sitegen": write_sitegen, "hugo": write_hugo, "pelican": write_pelican}


def read_marker(outdir: Path) -> dict[str, Any] | None:
    """What corpus `outdir` holds (articles, seed, forms), or None if it holds none of ours."""
    try:
        data: dict[str, Any] = json.loads((outdir / MARKER).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return data


def write_corpus(n: int, outdir: Path, seed: int = 1, forms: Sequence[str] = FORMS) -> Corpus:
    """Generate `n` articles and write them to `outdir/<form>/` for each of `forms`.

    `outdir` must be empty, missing, or a corpus written here before (which is replaced):
    the form folders are deleted first, so never point this at a folder of real work.
    """
    unknown = sorted(set(forms) - set(FORMS))
    if unknown:
        raise ValueError(f"unknown form(s) {', '.join(unknown)}; choose from {', '.join(FORMS)}")
    if outdir.exists() and any(outdir.iterdir()) and read_marker(outdir) is None:
        raise FileExistsError(f"{outdir} is not empty and holds no benchmark corpus")
    corpus = generate(n, seed)
    for form in FORMS:
        shutil.rmtree(outdir / form, ignore_errors=True)
    for form in forms:
        WRITERS[form](corpus, outdir / form)
    marker = {"articles": n, "seed": seed, "forms": list(forms)}
    _write(outdir / MARKER, json.dumps(marker) + "\n")
    return corpus


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("n", type=int, help="number of articles")
    parser.add_argument("outdir", type=Path)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--forms", default=",".join(FORMS), help="comma-separated subset")
    args = parser.parse_args(argv)
    try:
        corpus = write_corpus(args.n, args.outdir, args.seed, args.forms.split(","))
    except (ValueError, FileExistsError) as error:
        parser.error(str(error))
    print(f"{len(corpus.articles)} articles, {len(corpus.topics)} topics -> {args.outdir}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
