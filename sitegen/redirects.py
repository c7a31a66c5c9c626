"""Redirects from the old URLs in articles' `aliases` to their permalinks.

Each alias gives two things, so that the old URL keeps working on any host:
a line of Netlify's `_redirects` file (a real 301), and a static page at the
old path (meta refresh plus canonical link) for hosts without redirect rules.
"""

from __future__ import annotations

import html
import re
from collections.abc import Sequence
from urllib.parse import urlsplit

from sitegen.models import Article

# The characters of a URL path (RFC 3986) that are safe everywhere an alias goes.
# Not "%": a percent-encoded alias would need a decoded file name. Not "*" nor ":",
# which Netlify reads as a splat and a placeholder. No whitespace, so a `_redirects`
# line always has exactly three fields.
_PATH_CHARS = re.compile(r"/[A-Za-z0-9._~!$&'()+,;=@/-]*")


def redirect_files(articles: Sequence[Article], base_url: str) -> dict[str, bytes]:
    """Output files for every alias: `_redirects` and one HTML page per old path.

    Keys are paths relative to the output folder. An alias that is not a clean
    site-absolute path gets no file (the core reports it); when two articles
    claim the same alias, the earlier article (by date, then URL) keeps it.
    """
    base_path = _base_path(base_url)
    targets: dict[str, tuple[str, Article]] = {}
    for article in sorted(articles, key=lambda a: a.sort_key):
        for alias in article.aliases:
            page = _file_for(alias)
            # An alias that names the article's own page would overwrite it.
            if page is not None and page != article.url[1:] + "index.html":
                targets.setdefault(alias, (page, article))
    if not targets:
        return {}
    files = {"_redirects": _netlify_rules(targets, base_path)}
    for page, article in targets.values():
        files[page] = _redirect_page(article, base_url, base_path + article.url[1:])
    return dict(sorted(files.items()))


def _base_path(base_url: str) -> str:
    path = urlsplit(base_url).path.strip("/")
    return f"/{path}/" if path else "/"


def _file_for(alias: str) -> str | None:
    """The output file of an alias's redirect page, or None when it is unsafe.

    `/old/path/` and `/old/path` give `old/path/index.html`; `/old/page.html`
    is its own file. An alias with `.` or `..` segments, `//`, a backslash, a
    scheme, a query or a fragment, or that names the site root, gives None.
    """
    if not _PATH_CHARS.fullmatch(alias):
        return None
    segments = alias.split("/")[1:]
    if any(s in ("", ".", "..") for s in segments[:-1]) or segments[-1] in (".", ".."):
        return None
    if not segments[-1]:
        segments[-1] = "index.html"
    elif not segments[-1].endswith((".html", ".htm")):
        segments.append("index.html")
    # The root page, and a folder where the `_redirects` file must go, are not ours.
    if segments == ["index.html"] or segments[0] == "_redirects":
        return None
    return "/".join(segments)


def _netlify_rules(targets: dict[str, tuple[str, Article]], base_path: str) -> bytes:
    # `301!` forces the redirect: without "!" Netlify serves the static redirect
    # page that exists at the same path ("shadowing") instead of a real 301.
    lines = sorted(
        f"{base_path}{alias[1:]} {base_path}{article.url[1:]} 301!"
        for alias, (_, article) in targets.items()
    )
    header = "# Old URLs of articles (their `aliases`), written by sitegen.\n"
    return (header + "\n".join(lines) + "\n").encode()


def _redirect_page(article: Article, base_url: str, path: str) -> bytes:
    """A page that sends readers and crawlers on to `path`, the article's permalink."""
    canonical = html.escape(base_url.rstrip("/") + article.url)
    target = html.escape(path)
    title = html.escape(article.title)
    return (
        "<!DOCTYPE html>\n"
        f'<html lang="{html.escape(article.lang)}">\n<head>\n<meta charset="utf-8">\n'
        f"<title>Moved: {title}</title>\n"
        '<meta name="robots" content="noindex">\n'
        f'<link rel="canonical" href="{canonical}">\n'
        f'<meta http-equiv="refresh" content="0; url={target}">\n'
        "</head>\n<body>\n"
        f'<p>This article has moved to <a href="{target}">{title}</a>.</p>\n'
        "</body>\n</html>\n"
    ).encode()
