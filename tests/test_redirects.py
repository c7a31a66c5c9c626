"""Redirects from articles' old URLs: Netlify rules and static redirect pages."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from sitegen.linkcheck import check_links
from sitegen.models import Article
from sitegen.redirects import redirect_files

BASE = "https://news.example.org/"


def article(slug: str, *aliases: str, day: int = 28, title: str = "Talks") -> Article:
    return Article(
        path=Path(f"content/articles/2025/10/{slug}.md"),
        title=title,
        date=dt.date(2025, 10, day),
        slug=slug,
        aliases=aliases,
    )


def test_no_aliases_no_files() -> None:
    assert redirect_files([article("talks")], BASE) == {}


def test_netlify_rules_are_sorted_forced_301s() -> None:
    files = redirect_files(
        [
            article("talks", "/2019/01/old-slug/", "/old/path/"),
            article("ceasefire", "/news/123.html", day=20),
        ],
        BASE,
    )
    assert files["_redirects"].decode().splitlines() == [
        "# Old URLs of articles (their `aliases`), written by sitegen.",
        "/2019/01/old-slug/ /2025/10/talks/ 301!",
        "/news/123.html /2025/10/ceasefire/ 301!",
        "/old/path/ /2025/10/talks/ 301!",
    ]


def test_each_alias_gets_a_static_redirect_page() -> None:
    files = redirect_files([article("talks", "/old/path/", "/old/bare", "/n/1.html")], BASE)
    assert sorted(files) == [
        "_redirects",
        "n/1.html",
        "old/bare/index.html",
        "old/path/index.html",
    ]
    page = files["old/path/index.html"].decode()
    assert '<meta http-equiv="refresh" content="0; url=/2025/10/talks/">' in page
    assert '<link rel="canonical" href="https://news.example.org/2025/10/talks/">' in page
    assert '<meta name="robots" content="noindex">' in page
    assert '<a href="/2025/10/talks/">Talks</a>' in page


def test_everything_in_the_page_is_escaped() -> None:
    evil = article("talks", "/old/", title='"><script>alert(1)</script>')
    page = redirect_files([evil], BASE)["old/index.html"].decode()
    assert "<script>" not in page
    assert "&quot;&gt;&lt;script&gt;alert(1)&lt;/script&gt;" in page


def test_a_sub_path_site_prefixes_both_sides() -> None:
    files = redirect_files([article("talks", "/old/")], "https://example.org/archive/")
    assert "/archive/old/ /archive/2025/10/talks/ 301!" in files["_redirects"].decode()
    page = files["old/index.html"].decode()
    assert "url=/archive/2025/10/talks/" in page
    assert 'href="https://example.org/archive/2025/10/talks/"' in page


@pytest.mark.parametrize(
    "alias",
    [
        "old/relative/",
        "/../outside/",
        "/a/../../outside/",
        "/a/./b/",
        "//evil.example.com/x/",
        "https://evil.example.com/x/",
        "/a\\..\\..\\x/",
        "/a b/",
        "/a/%2e%2e/x/",
        "/search/?q=x",
        "/old/#frag",
        "/news/*",
        "/users/:id",
        "/",
        "/index.html",
        "/_redirects",
        "",
    ],
)
def test_an_unsafe_alias_writes_nothing(alias: str) -> None:
    assert redirect_files([article("talks", alias)], BASE) == {}


def test_an_alias_of_the_articles_own_url_is_ignored() -> None:
    assert redirect_files([article("talks", "/2025/10/talks/", "/2025/10/talks")], BASE) == {}


def test_a_shared_alias_goes_to_the_earlier_article() -> None:
    files = redirect_files(
        [article("later", "/old/", day=29), article("earlier", "/old/", day=1)], BASE
    )
    assert "/old/ /2025/10/earlier/ 301!" in files["_redirects"].decode()


def test_output_is_deterministic_whatever_the_input_order() -> None:
    a = article("talks", "/b/", "/a/")
    b = article("ceasefire", "/c/", day=2)
    assert redirect_files([a, b], BASE) == redirect_files([b, a], BASE)
    assert list(redirect_files([a, b], BASE)) == sorted(redirect_files([a, b], BASE))


def test_redirect_pages_pass_the_link_checker(tmp_path: Path) -> None:
    """Written next to the article they point at, the pages have no broken link."""
    for rel, data in redirect_files([article("talks", "/old/path/", "/n/1.html")], BASE).items():
        (tmp_path / rel).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / rel).write_bytes(data)
    target = tmp_path / "2025/10/talks/index.html"
    target.parent.mkdir(parents=True)
    target.write_text("<h1>Talks</h1>")
    assert check_links(tmp_path) == []
    target.unlink()
    assert [str(e) for e in check_links(tmp_path)] == [
        "n/1.html:11: broken link to /2025/10/talks/",
        "old/path/index.html:11: broken link to /2025/10/talks/",
    ]
