"""Cross-linking of a small site: topic timelines, story navigation, corrections, on this day."""

from __future__ import annotations

from pathlib import Path

import feedparser

from sitegen.build import BuildOptions, build
from sitegen.content import Site, load_site
from sitegen.crosslink import link, neighbours
from sitegen.routes import plan

STORY = [  # (slug, date, title); written out of order on purpose
    ("round-three", "2025-10-28", "Talks enter final round"),
    ("first-clash", "2025-08-12", "Border clash"),
    ("ceasefire", "2025-10-19", "Ceasefire signed in Doha"),
    ("talks-open", "2025-09-03", "Talks open"),
    ("round-two", "2025-10-25", "Second round of talks"),
]


def write_article(root: Path, slug: str, date: str, title: str, extra: str = "",
                  body: str = "Body text.") -> None:
    path = root / "content" / "articles" / date[:4] / date[5:7] / f"{slug}.md"
    path.parent.mkdir(parents=True, exist_ok=True)
    front = f"title: {title}\nslug: {slug}\ndate: {date}\n{extra}"
    path.write_text(f"---\n{front}---\n{body}\n", "utf-8")


def story_site(root: Path) -> Site:
    for slug, date, title in STORY:
        write_article(root, slug, date, title,
                      "tags: [Border talks, Trade]\ndateline: ISLAMABAD\n")
    write_article(root, "cricket", "2024-10-28", "Cricket final", "tags: [Cricket]\n")
    write_article(root, "fixed", "2025-10-19", "A story corrected twice", "corrections:\n"
                  "  - {date: 2025-10-21, text: Second fix.}\n"
                  "  - {date: 2025-10-20, text: First fix.}\n")
    write_article(root, "older-fix", "2025-01-05", "Older", "corrections:\n"
                  "  - {date: 2025-01-06, text: Old fix.}\n")
    return load_site(root)


def test_timeline_is_oldest_first(tmp_path: Path) -> None:
    links = link(story_site(tmp_path))
    slugs = [a.slug for a in links.by_topic["border-talks"]]
    assert slugs == ["first-clash", "talks-open", "ceasefire", "round-two", "round-three"]


def test_topic_page_groups_months_and_marks_latest(tmp_path: Path) -> None:
    site = story_site(tmp_path)
    route = next(r for r in plan(site, link(site)) if r.url == "/topics/border-talks/")
    data = route.data()
    months = data["months"]
    assert [m["key"] for m in months] == ["2025-08", "2025-09", "2025-10"]
    latest = [i["url"] for m in months for i in m["items"] if i["latest"]]
    assert latest == ["/2025/10/round-three/"]
    assert data["latest"]["url"] == "/topics/border-talks/#latest"


def test_prev_next_in_topic(tmp_path: Path) -> None:
    site = story_site(tmp_path)
    links = link(site)
    middle = next(a for a in site.articles if a.slug == "ceasefire")
    (border, trade) = neighbours(links, middle, site.topic_slugs(middle))
    assert (border.topic, trade.topic) == ("border-talks", "trade")
    assert border.prev and border.prev.slug == "talks-open"
    assert border.next and border.next.slug == "round-two"
    first = next(a for a in site.articles if a.slug == "first-clash")
    (only, _) = neighbours(links, first, site.topic_slugs(first))
    assert only.prev is None and only.next and only.next.slug == "talks-open"


def test_timeline_pages_have_stable_urls(tmp_path: Path) -> None:
    (tmp_path / "sitegen.toml").write_text("timeline_page_size = 2\n", "utf-8")
    site = story_site(tmp_path)
    urls = [r.url for r in plan(site, link(site)) if r.url.startswith("/topics/border-talks/")]
    assert urls[:3] == ["/topics/border-talks/", "/topics/border-talks/page/2/",
                        "/topics/border-talks/page/3/"]


def test_topic_index_most_recent_first(tmp_path: Path) -> None:
    site = story_site(tmp_path)
    route = next(r for r in plan(site, link(site)) if r.url == "/topics/")
    assert [t["title"] for t in route.context["recent"]] == ["Border talks", "Trade", "Cricket"]
    assert [g["letter"] for g in route.context["letters"]] == ["B", "C", "T"]


def test_corrections_newest_first_with_feed(tmp_path: Path) -> None:
    story_site(tmp_path)
    build(BuildOptions(source=tmp_path, search=False))
    html = (tmp_path / "public" / "corrections" / "index.html").read_text("utf-8")
    order = [html.index(text) for text in ("Second fix.", "First fix.", "Old fix.")]
    assert order == sorted(order)
    assert 'href="/2025/10/fixed/#correction-2"' in html
    article = (tmp_path / "public" / "2025" / "10" / "fixed" / "index.html").read_text("utf-8")
    assert 'id="correction-2"' in article
    feed = feedparser.parse((tmp_path / "public" / "corrections" / "feed.xml").read_bytes())
    assert [e.summary for e in feed.entries] == ["Second fix.", "First fix.", "Old fix."]


def test_on_this_day_lists_years(tmp_path: Path) -> None:
    story_site(tmp_path)
    build(BuildOptions(source=tmp_path, search=False))
    public = tmp_path / "public"
    html = (public / "on-this-day" / "10-28" / "index.html").read_text("utf-8")
    assert html.index(">2025<") < html.index("Talks enter final round")
    assert html.index("Talks enter final round") < html.index(">2024<")
    assert html.index(">2024<") < html.index("Cricket final")
    assert not (public / "on-this-day" / "01-01").exists()
    for page in ("index.html", "archive/index.html"):
        assert 'href="/on-this-day/"' in (public / page).read_text("utf-8")


def test_places_from_datelines(tmp_path: Path) -> None:
    story_site(tmp_path)
    build(BuildOptions(source=tmp_path, search=False))
    place = tmp_path / "public" / "places" / "islamabad"
    assert "Talks enter final round" in (place / "index.html").read_text("utf-8")
    assert len(feedparser.parse((place / "feed.xml").read_bytes()).entries) == 5
