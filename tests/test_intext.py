"""In-text topic links: first mention only, never in headings, links or code; capped."""

from __future__ import annotations

import re
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from sitegen.build import BuildOptions, build
from sitegen.intext import TopicLinker, _words, topic_pattern
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


def _mentions_word_by_word(names: list[str], text: str) -> list[tuple[int, int]]:
    """The finder's rule stated plainly: at each word, in order, the longest name that
    starts there and ends at a word's end, never overlapping the one before."""
    folded, found, position = text.casefold(), [], 0
    ordered = sorted({n.casefold() for n in names if n.strip()}, key=lambda n: (-len(n), n))
    for word in re.finditer(r"\w+", folded):
        if word.start() < position:
            continue
        for name in ordered:
            end = word.start() + len(name)
            if (re.match(r"\w+", name) and re.match(r"\w+", name).group() == word.group()
                    and folded[word.start():end] == name
                    and not re.match(r"\w", folded[end:end + 1])):
                found.append((word.start(), end))
                position = end
                break
    return found


@settings(max_examples=300, deadline=None)
@given(names=st.lists(st.text("abB1_ -é", min_size=1, max_size=6), min_size=1, max_size=5),
       text=st.text("abAB1_ -.é", max_size=40))
def test_the_finder_matches_the_plain_rule(names: list[str], text: str) -> None:
    finder = topic_pattern(names)
    found = [(m.start(), m.end()) for m in finder.finditer(text)] if finder else []
    assert found == _mentions_word_by_word(names, text)


@settings(max_examples=300, deadline=None)
@given(text=st.text(st.characters(max_codepoint=0x7F)) | st.text("aé_1 .\t\n"))
def test_words_are_the_regex_words(text: str) -> None:
    """The fast split for ASCII text finds exactly the words the regex finds."""
    assert _words(text) == re.findall(r"\w+", text)
