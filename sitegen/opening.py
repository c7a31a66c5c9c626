"""What pages other than an article's own read of its body: the opening.

Related articles compare the first `LEDE_CHARS` characters of bodies, and the
description (meta tags, feed summaries) is made from the first
`DESCRIPTION_SOURCE_CHARS`. So an edit after the first `OPENING` characters
changes nothing but the article's own page and the full-content site feed,
which is what lets `sitegen serve` (sitegen.incremental) and a rebuild
(sitegen.quick) redo those alone.
"""

from __future__ import annotations

import dataclasses

from sitegen.models import Article

LEDE_CHARS = 1000  # news puts the subject first: the opening is enough and keeps 100k cheap
DESCRIPTION_SOURCE_CHARS = 2000
OPENING = max(LEDE_CHARS, DESCRIPTION_SOURCE_CHARS)


def only_tail_changed(old: Article, new: Article) -> bool:
    """Whether `new` differs from `old` in nothing but its body after the opening."""
    return (old.body[:OPENING] == new.body[:OPENING]
            and dataclasses.replace(old, body=new.body) == new)
