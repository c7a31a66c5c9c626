"""The article page: its template data, metadata and JSON-LD NewsArticle."""

from __future__ import annotations

import json
from typing import Any

from sitegen.archive_pages import article_corrections
from sitegen.config import SiteConfig
from sitegen.content import Site
from sitegen.models import Article, Image, iso
from sitegen.opening import shown_description
from sitegen.views import View, article_summary, author_link, text_direction, time_view


def article_view(article: Article, site: Site, body_html: str) -> View:
    """Everything the article template shows."""
    return {
        **article_summary(article),
        "body_html": body_html,
        # The names as one text, for a meta field: the template's `map(attribute=...)`
        # and `join` filters took a fifth of the time an article page took to render.
        "byline_names": ", ".join(article.byline),
        "updated": time_view(article.updated, article.lang) if article.updated else None,
        "images": [_image_view(image) for image in article.images],
        "credits": list(article.credits),
        "corrections": [{"id": f"correction-{n}", "date": time_view(c.date, article.lang),
                         "text": c.text}
                        for n, c in enumerate(article_corrections(article), start=1)],
        "source": {"name": article.source.name, "url": article.source.url},
        "topics": [{"title": site.topics[s].title, "url": f"/topics/{s}/"}
                   for s in site.topic_slugs(article)],
    }


def _image_view(image: Image) -> View:
    return {"caption": image.caption, "credit": image.credit, "src": image.src,
            "alt": image.alt if image.alt is not None else (image.caption or "")}


def article_context(article: Article, site: Site, body_html: str,
                    extra: dict[str, Any]) -> dict[str, Any]:
    """The template context of one article page, with its body rendered; `extra` adds
    cross-links."""
    config = site.config
    view = article_view(article, site, body_html)
    page = {
        "kind": "article",
        "feed": None,
        "title": article.title,
        "description": shown_description(article),
        "url": article.url,
        "lang": article.lang,
        "dir": text_direction(article.lang),
        "image": next((i.src for i in article.images if i.src), None),
        "published": iso(article.date),
        "modified": iso(article.updated) if article.updated else None,
        "tags": [t["title"] for t in view["topics"]],
        "section": article.section,
        "jsonld": json_ld(article, view, config),
    }
    return {"page": page, "article": view, **extra}


def json_ld(article: Article, view: View, config: SiteConfig) -> str:
    """NewsArticle structured data, safe to place inside a `<script>` element."""
    data: dict[str, Any] = {
        "@context": "https://schema.org",
        "@type": "NewsArticle",
        "headline": article.title,
        "alternativeHeadline": article.dek,
        "datePublished": iso(article.date),
        "dateModified": iso(article.updated or article.date),
        "author": [{"@type": "Person", "name": a["name"], "url": config.absolute(a["url"])}
                   for a in (author_link(n) for n in article.byline)],
        "dateline": article.dateline,
        "articleSection": article.section,
        "keywords": [t["title"] for t in view["topics"]],
        "image": [_image_ld(image, config) for image in article.images if image.src],
        "inLanguage": article.lang,
        "mainEntityOfPage": config.absolute(article.url),
        "url": config.absolute(article.url),
        "publisher": _publisher_ld(config),
    }
    clean = {key: value for key, value in data.items() if value not in (None, [], "")}
    text = json.dumps(clean, ensure_ascii=False, sort_keys=False, separators=(",", ":"))
    # JSON allows these escapes and HTML then cannot see `</script>` or `<!--`.
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def _image_ld(image: Image, config: SiteConfig) -> dict[str, Any]:
    src = image.src or ""
    url = config.absolute(src) if src.startswith("/") else src
    data = {"@type": "ImageObject", "url": url, "caption": image.caption,
            "creditText": image.credit}
    return {k: v for k, v in data.items() if v}


def _publisher_ld(config: SiteConfig) -> dict[str, Any]:
    publisher: dict[str, Any] = {"@type": "Organization", "name": config.publisher.name}
    if config.publisher.url:
        publisher["url"] = config.publisher.url
    if config.publisher.logo:
        publisher["logo"] = {"@type": "ImageObject", "url": config.publisher.logo}
    return publisher
