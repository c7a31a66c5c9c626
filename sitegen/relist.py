"""Related lists rendered again in the article pages that show them, for sitegen.quick.

An edit to a word of an article's opening can move it into or out of other
articles' related lists (`related.moved` tells which). Where the theme writes the
list in a block of its own that reads nothing else (`render.renders_alone`, checked
when the full build keeps its state), a rebuild renders that block for the list a
page shows and for its new list, from the listing entries of the articles in them
(title, URL, date: nothing a body edit changes), and sitegen.quick puts the one in
place of the other. The template environment is made only when a list moved:
importing Jinja for it costs about 0.015 s. The entries' date texts are those the
full build kept (`views.listing_texts`): Babel would cost twice as much again.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from pathlib import Path

from sitegen.config import SiteConfig
from sitegen.models import Article
from sitegen.render import AloneBlock, render_block, site_environment
from sitegen.views import Texts, article_summary, learn_texts

# The article page's related list: the `related` block of article.html, which alone
# reads the page's `related` (the other keys are filled in by the full build).
RELATED = AloneBlock("article.html", "related", "related", frozenset())

# An article by its index in the related ranking (oldest first), None when not known.
ArticleAt = Callable[[int], Article | None]

# A list moved: (its page's file under the output folder, old HTML, new HTML).
Relisted = tuple[str, str, str]


def relisted(root: Path, config: SiteConfig, texts: Texts, article_at: ArticleAt,
             moves: Mapping[int, tuple[tuple[int, ...], tuple[int, ...]]]
             ) -> list[Relisted] | None:
    """The related block of each article page whose list moved (index -> (list
    shown, new list)), as it is and as it becomes; None when an article is not known.
    `root` and `config` are the site's, as the full build that kept the state saw them
    (its theme and settings have not changed since), and `texts` the dates and text
    directions of its listing entries (`views.listing_texts`)."""
    learn_texts(texts)  # what the entries show of them, without Babel
    env = site_environment(root, config)
    found = []
    for index, lists in moves.items():
        owner = article_at(index)
        entries = [[article_at(i) for i in listed] for listed in lists]
        if owner is None or any(None in listed for listed in entries):
            return None
        was, now = (render_block(env, RELATED, [article_summary(a) for a in listed if a])
                    for listed in entries)
        found.append((owner.url.lstrip("/") + "index.html", was, now))
    return found
