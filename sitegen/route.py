"""A Route: one output file, as a URL, the template that renders it and its data."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from sitegen.content import Site
from sitegen.views import text_direction


@dataclass(frozen=True)
class Route:
    url: str  # site path: "/2025/10/slug/" or "/feed.xml"
    template: str
    # The template data, or a function that makes it when the page is rendered.
    context: Mapping[str, Any] | Callable[[], Mapping[str, Any]]
    lastmod: str | None = None  # for the sitemap; None leaves it out there
    sitemap: bool = True
    # What the page shows, apart from the site-wide settings (config, topics, theme),
    # as a value that is equal between two plans exactly when the page's bytes are
    # (see sitegen.incremental). None: the context is plain data and is compared itself.
    key: Any = None

    @property
    def change_key(self) -> Any:
        """The value compared between plans. A made-on-demand context without a key
        compares unequal to everything, so its page is always rendered again."""
        return self.key if self.key is not None else self.context

    def data(self) -> Mapping[str, Any]:
        return self.context() if callable(self.context) else self.context

    @property
    def output_path(self) -> str:
        """The file under the output folder: "/a/" is "a/index.html"."""
        path = self.url.lstrip("/")
        return path + "index.html" if path == "" or path.endswith("/") else path


def site_page(site: Site, title: str, url: str, kind: str, **extra: Any) -> dict[str, Any]:
    """The `page` block every template gets: title, URL, language, kind."""
    lang = site.config.language
    return {"title": title, "url": url, "kind": kind, "lang": lang, "feed": None,
            "dir": text_direction(lang), "description": site.config.description, **extra}
