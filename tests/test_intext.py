"""In-text topic links: first mention only, never in headings, links or code; capped."""

from __future__ import annotations

import re
from pathlib import Path

from sitegen.build import BuildOptions, build
from sitegen.intext import TopicLinker, topic_pattern
from sitegen.markdown import to_html

URLS = {"border talks": "/topics/border-talks/", "ttp": "/topics/ttp/",
        "tehreek-e-taliban pakistan": "/topics/ttp/", "doha": "/topics/doha/"}


def render(text: str, limit: int = 5) -> str:
    pattern = topic_pattern(URLS)
    assert pattern is not None
    return to_html(text, transforms=[TopicLinker(pattern, URLS, limit)])


def links(html: str) -> list[tuple[str, str]]:
    return re.findall(r'<a href="([^"]+)" class="topic-link">([^<]+)</a>', html)


def test_first_mention_links_and_keeps_the_words() -> None:
    html = render("The BORDER TALKS resumed. Border talks again.")
    assert links(html) == [("/topics/border-talks/", "BORDER TALKS")]
    assert "Border talks again." in html


def test_an_alias_counts_as_the_topic() -> None:
    html = render("Tehreek-e-Taliban Pakistan (TTP) said.")
    assert links(html) == [("/topics/ttp/", "Tehreek-e-Taliban Pakistan")]


def test_whole_words_only() -> None:
    assert links(render("Dohars and TTPs are not topics.")) == []


def test_headings_links_and_code_are_skipped() -> None:
    text = ("## Border talks\n\n"
            "[Doha](https://example.org/) and `TTP` here.\n\n"
            "```\nDoha\n```\n\n"
            "Then Border talks, TTP and Doha.\n")
    html = render(text)
    assert links(html) == [("/topics/border-talks/", "Border talks"), ("/topics/ttp/", "TTP"),
                           ("/topics/doha/", "Doha")]
    assert '<h2 id="border-talks">Border talks</h2>' in html
    assert "<code>TTP</code>" in html


def test_at_most_the_limit() -> None:
    assert len(links(render("Border talks, TTP and Doha.", limit=2))) == 2


def test_switched_off_by_config(tmp_path: Path) -> None:
    root = tmp_path
    article = root / "content" / "articles" / "2025" / "10" / "a.md"
    article.parent.mkdir(parents=True)
    article.write_text("---\ntitle: A\ndate: 2025-10-01\ntags: [Doha]\n---\nIn Doha.\n", "utf-8")
    build(BuildOptions(source=root, search=False))
    page = root / "public" / "2025" / "10" / "a" / "index.html"
    assert 'class="topic-link"' in page.read_text("utf-8")
    (root / "sitegen.toml").write_text("[intext_links]\nenabled = false\n", "utf-8")
    build(BuildOptions(source=root, search=False))
    assert 'class="topic-link"' not in page.read_text("utf-8")
