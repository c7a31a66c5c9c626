"""A Route: one output file, as a URL, the template that renders it and its data."""

from __future__ import annotations

import operator
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import cached_property
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

    @cached_property  # read several times per route by every (incremental) build
    def output_path(self) -> str:
        """The file under the output folder: "/a/" is "a/index.html"."""
        path = self.url.lstrip("/")
        return path + "index.html" if path == "" or path.endswith("/") else path


class RouteMemo:
    """The routes each part of a plan made, with the objects it made them from.

    Planning 10,000 articles takes a few hundred milliseconds, too long for a
    preview that must reload in less. Made from the very same objects (the same
    articles, the same related and timeline tuples, which `sitegen.incremental`
    keeps whenever an edit cannot have changed them), a part makes the same
    routes, so the previous plan's are taken instead. Only identity is checked:
    it is cheap and never wrong. The site-wide settings are not among the inputs,
    so a memo may only follow one made with the same settings.
    """

    def __init__(self, previous: RouteMemo | None = None):
        self._previous = previous._parts if previous else {}
        self._parts: dict[str, tuple[Sequence[object], tuple[Route, ...]]] = {}

    def routes(self, part: str, inputs: Sequence[object],
               make: Callable[[], Iterable[Route]]) -> tuple[Route, ...]:
        """The routes of the plan's `part` (a unique name), made from `inputs`."""
        old = self._previous.get(part)
        if old is not None and len(old[0]) == len(inputs) and all(
                map(operator.is_, old[0], inputs)):
            made = old[1]
        else:
            made = tuple(make())
        self._parts[part] = (inputs, made)
        return made


def site_page(site: Site, title: str, url: str, kind: str, **extra: Any) -> dict[str, Any]:
    """The `page` block every template gets: title, URL, language, kind."""
    lang = site.config.language
    return {"title": title, "url": url, "kind": kind, "lang": lang, "feed": None,
            "dir": text_direction(lang), "description": site.config.description, **extra}
