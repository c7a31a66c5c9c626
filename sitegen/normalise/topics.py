"""Proposing tags: the site's topics whose name or alias the article mentions."""

from __future__ import annotations

import re
from collections.abc import Iterable

from sitegen.models import Topic


def _mentions(name: str, text: str) -> bool:
    # Whole words only: the topic "TTP" must not match inside "HTTP".
    return re.search(rf"(?<!\w){re.escape(name)}(?!\w)", text, re.IGNORECASE) is not None


def propose_tags(text: str, topics: Iterable[Topic]) -> tuple[str, ...]:
    """The titles of the topics named in `text`, in the order the topics are given."""
    found: list[str] = []
    for topic in topics:
        names = (topic.title, *topic.aliases)
        if topic.title not in found and any(n.strip() and _mentions(n, text) for n in names):
            found.append(topic.title)
    return tuple(found)
