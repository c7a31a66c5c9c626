"""Metadata of a saved page, from the page's own structured data.

In order of trust: JSON-LD (schema.org NewsArticle, Article and their kin),
then OpenGraph and `article:*` meta tags, then `<meta name="author">` and
`<time datetime>`. What none of them gives stays empty.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from typing import Any

from lxml import html as lxml_html  # type: ignore[import-untyped]

from sitegen.models import DateValue, Source
from sitegen.normalise.bylines import parse_byline
from sitegen.normalise.dates import parse_iso

_ARTICLE_TYPES = re.compile(r"(Article|BlogPosting|Report)$")


@dataclass(frozen=True)
class PageMeta:
    title: str | None = None
    dek: str | None = None
    byline: tuple[str, ...] = ()
    date: DateValue | None = None
    updated: DateValue | None = None
    section: str | None = None
    source: Source | None = None


def _json_objects(value: Any) -> list[dict[str, Any]]:
    """Every object in a JSON-LD document, through lists and `@graph`."""
    if isinstance(value, list):
        return [o for item in value for o in _json_objects(item)]
    if isinstance(value, dict):
        return [value, *_json_objects(value.get("@graph", []))]
    return []


def json_ld_article(tree: Any) -> dict[str, Any]:
    """The page's first JSON-LD object typed as an article, or {}."""
    for script in tree.xpath('//script[contains(@type, "ld+json")]'):
        raw = (script.text or "").strip().removeprefix("<![CDATA[").removesuffix("]]>")
        try:
            document = json.loads(raw.rstrip(";"))
        except ValueError:
            continue  # a broken block of someone else's JSON is not our failure
        for obj in _json_objects(document):
            kinds = obj.get("@type", [])
            kinds = kinds if isinstance(kinds, list) else [kinds]
            if any(isinstance(k, str) and _ARTICLE_TYPES.search(k) for k in kinds):
                return obj
    return {}


def _text(value: Any) -> str | None:
    if isinstance(value, list):
        value = next((v for v in value if v), None)
    if isinstance(value, dict):
        value = value.get("name") or value.get("@id")
    if isinstance(value, str) and value.strip():
        return " ".join(lxml_html.fromstring(f"<p>{value}</p>").text_content().split()) or None
    return None


def _names(value: Any) -> tuple[str, ...]:
    people = value if isinstance(value, list) else [value]
    names: list[str] = []
    for person in people:
        name = _text(person)
        if name and not name.startswith("http"):
            for found in parse_byline(name) or (name,):
                if found not in names:
                    names.append(found)
    return tuple(names)


def _meta(tree: Any, *keys: str) -> str | None:
    for key in keys:
        for attr in ("property", "name", "itemprop"):
            for value in tree.xpath(f'//meta[@{attr}="{key}"]/@content'):
                if value.strip():
                    return " ".join(value.split())
    return None


def page_meta(tree: Any) -> PageMeta:
    """Everything the page's structured data says about the article."""
    ld = json_ld_article(tree)
    author_meta = _meta(tree, "author", "article:author")
    byline = _names(ld.get("author")) or (
        _names(author_meta) if author_meta and not author_meta.startswith("http") else ()
    )
    published = _text(ld.get("datePublished")) or _meta(
        tree, "article:published_time", "datePublished", "pubdate", "publishdate", "date"
    )
    times = tree.xpath("//time/@datetime")
    modified = _text(ld.get("dateModified")) or _meta(tree, "article:modified_time", "dateModified")
    publisher = _text(ld.get("publisher")) or _meta(tree, "og:site_name")
    url = _text(ld.get("url")) or _text(ld.get("mainEntityOfPage")) or _meta(tree, "og:url")
    return PageMeta(
        title=_text(ld.get("headline")) or _meta(tree, "og:title") or _first_text(tree, "//h1"),
        dek=_text(ld.get("description")) or _meta(tree, "og:description"),
        byline=byline,
        date=parse_iso(published or (times[0] if times else "")),
        updated=parse_iso(modified) if modified else None,
        section=_text(ld.get("articleSection")) or _meta(tree, "article:section"),
        source=Source(publisher, url if url and url.startswith("http") else None)
        if publisher or url
        else None,
    )


def _first_text(tree: Any, xpath: str) -> str | None:
    for element in tree.xpath(xpath):
        text = " ".join(element.text_content().split())
        if text:
            return text
    return None
