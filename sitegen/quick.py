"""Rebuild after edits to article bodies alone, without loading the site.

The commonest rebuild follows an edit to an article's text after its opening,
or one within it that leaves what other pages read of it as it was (see
sitegen.opening). Such an edit changes that article's page and, for the
newest articles, the site feed (which shows whole bodies), and nothing else.
So does an edit to a word of the opening, but for the related lists, the only
other pages that read those words: `related.moved` tells from the ranking the
last full build kept which lists move, and where the theme writes the list in a
block that reads nothing else, that block is rendered again in those pages
(sitegen.relist). Where the description is made from the opening (a story
without a dek), the new one is put in the article's page and the feeds that
summarise it. A full build still loads, links and
plans the whole site before its page keys show that: seconds at 10,000
articles. This module redoes those files alone.

After each good full build without a search index (the index would change
too), `record` keeps a *state* for its output folder in the cache: the status
of every input and output file and folder as the stamp reads them (the
output's kept apart, see sitegen.output_check), the
content hash of each shown article's file (the parse cache holds what it
parsed to under that hash), which articles the site feed shows, and how
bodies were rendered (Markdown options, in-text links), and, for each story
without a dek, how many times each file that shows its description wrote it
(`opening.Described` counts them as the page or feed is rendered).
`rebuild` then reads the status of the inputs. If the only files changed are
shown articles, each differing from the version the state saw in nothing but
what of its body other pages do not read, it renders the old and the new body,
finds the old one in the article's page (and feed) and puts the new one in its
place, and does the same with the description where it changed. When the
words of an opening changed too, it first ranks again the articles whose
related lists the openings changed since the state was kept can move, and
renders the block of each list that differs from the one its page shows (the
state keeps the lists rebuilds changed), to put in place of the old block.

Why that gives the bytes a full build would: `render.passes_through`
checked, when the state was kept, that the templates read the body (and the
description) only to write it out as it is (or to test that there is one), so
all else in the file is the same for the new version (and `render.renders_alone`
the same of the related block, which reads the list alone); the old body (and
related block) is found there exactly once, and the old description exactly as many times as it was
written, overlapping occurrences counted, so each where it was written (none
can start before a write and end in it); and the output folder is as the state saw it:
every file and folder in it has the same status, so nothing there was
edited, added or removed since (by hand, or by a build into it that kept no
state). If anything else changed or any check fails, `rebuild` returns None
and the full build runs (which also reports errors). The output is checked
in a forked child while the build reads the inputs (sitegen.output_check): a
rebuild is mostly those two sets of `stat` calls.

After a rebuild the state, the stamp and the parse cache are updated, so that
quick rebuilds can follow one another.
"""

from __future__ import annotations

import importlib.util
import os
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from markupsafe import escape

from sitegen import cache, output_check, related, stamp
from sitegen.cache import file_status
from sitegen.config import SiteConfig
from sitegen.content import ARTICLES_DIR, Entry, Site, article_shelf, read_entry
from sitegen.crosslink import oldest_first_of
from sitegen.errors import SitegenError
from sitegen.intext import LinkerRecipe, linker_from, linker_recipe
from sitegen.models import Article
from sitegen.opening import body_edit, description
from sitegen.output import replace_file
from sitegen.plain_bodies import BodyShortcut, plain_html

if TYPE_CHECKING:  # sitegen.relist is imported only when a related list moved
    from sitegen.markdown import TokenTransform
    from sitegen.relist import ArticleAt, Relisted
    from sitegen.views import Texts

_FORMAT = "quick-9"  # the layout of a state; another layout is never read
FEED = "feed.xml"  # the site feed, with whole bodies (sitegen.feeds)
MAX_EDITS = 32  # more changed files than this: the full build is as quick


@dataclass(frozen=True)
class Splices:
    """What the theme lets a rebuild splice (see `render.passes_through`): a body into
    its article page, and into the site feed; and a description made from the
    body's opening (a story without a dek) into the files that show it, as display
    path -> (output file, times it wrote the description) of each."""

    page: bool
    feed: bool
    described: dict[str, tuple[tuple[str, int], ...]]
    related: bool = False  # a related list that moves may be rendered again (sitegen.relist)


@dataclass
class State:
    """What `rebuild` needs of the last build into one output folder."""

    inputs: stamp.Statuses
    articles: dict[str, str]  # display path -> content hash of the version built
    in_feed: frozenset[str]  # display paths of the articles the full-content feed shows
    feed_splices: bool  # whether their bodies may be spliced there too (else: full build)
    described: dict[str, tuple[tuple[str, int], ...]]  # see `Splices`
    linker: LinkerRecipe | None
    raw_html: bool
    language: str
    counts: dict[str, int]  # pages and files, for the report
    ranking: str | None  # the token of the related ranking kept with this build, if any
    ranked: dict[str, int]  # display path -> the article's index in that ranking
    # The site's settings, when moved related lists may be rendered again (see
    # sitegen.relist), else None; and the date texts and text directions of the listing
    # entries then, so that rendering them needs no Babel (see `views.Texts`).
    relists: SiteConfig | None = None
    listing_texts: Texts | None = None
    # What writes plain bodies as the full build did, without markdown-it (see
    # `_body_html`); None when the parser has rules it does not know.
    shortcut: BodyShortcut | None = None
    parser: cache.FileStatus | None = None  # markdown-it's, when the shortcut was kept
    # Articles whose lede's words differ from those the kept ranking read.
    reopened: set[str] = field(default_factory=set)
    # Related lists that rebuilds rendered again, by index in the kept ranking: the
    # pages show these, not the kept ranking's.
    shown: dict[int, tuple[int, ...]] = field(default_factory=dict)
    # Names this state: its `Changes`, and the statuses of the output files (kept
    # apart, see sitegen.output_check), are stored with it and read only with it.
    token: str = field(default_factory=lambda: os.urandom(8).hex())


@dataclass
class Changes:
    """What rebuilds changed of a state's first two fields, `reopened` and `shown`
    since it was kept, stored on their own: a rebuild then writes a few entries, not
    the whole state."""

    inputs: stamp.Statuses = field(default_factory=dict)
    articles: dict[str, str] = field(default_factory=dict)
    reopened: set[str] = field(default_factory=set)
    shown: dict[int, tuple[int, ...]] = field(default_factory=dict)

    def apply(self, state: State) -> None:
        state.inputs.update(self.inputs)  # only names a state holds: the order stays
        state.articles.update(self.articles)
        state.reopened |= self.reopened
        state.shown.update(self.shown)


@dataclass(frozen=True)
class Rebuilt:
    counts: dict[str, int]
    rendered: int  # pages rendered again
    written: int  # of those, files whose bytes changed


@dataclass(frozen=True)
class _Edit:
    display: str
    entry: Entry  # the file's new parse cache entry
    page: str  # its page's file under the output folder
    body: tuple[str, str] | None  # (old, new) body, or None when it did not change
    description: tuple[str, str] | None  # (old, new) description, if it changed
    in_feed: bool  # whether the site feed shows the body too
    reopens: bool  # whether the words of its lede changed (see `_related_moves`)


def _name(output: Path) -> str:
    return f"quick/{cache.digest(str(output.resolve()).encode())}"


def _namespace(options: str, token: str = "") -> str:
    return f"{_FORMAT}\0{options}\0{token}"


def forget(source: Path, output: Path) -> None:
    """Drop the state of `output`: a build is changing that folder (a state left
    behind no longer matches it, see sitegen.output_check)."""
    cache.drop(source, _name(output), _name(output) + "-changes")
    output_check.forget(source, output)


def record(source: Path, output: Path, options: str, inputs: stamp.Statuses,
           outputs: stamp.Statuses, runs: list[bytes], site: Site, ranking: str | None,
           splices: Splices, counts: dict[str, int]) -> None:
    """Keep the state of a good full build into `output` (see the module doc), with
    the statuses of its files and their digests (`stamp.Digested.runs`). `ranking`
    names the related ranking it kept, if it kept the one it shows, and `splices`
    tells what the theme lets a rebuild splice."""
    if not splices.page or not site.articles:
        return
    from sitegen.markdown import body_shortcut  # both imported already by the full build
    from sitegen.views import listing_texts

    articles = {str(a.path): site.sources[str(a.path)] for a in site.articles}
    in_feed = frozenset(str(a.path) for a in site.articles[: site.config.feed_size])
    ranked = {str(a.path): i for i, a in enumerate(oldest_first_of(site))}
    state = State(inputs, articles, in_feed, splices.feed, splices.described,
                  linker_recipe(site), site.config.raw_html, site.config.language, counts,
                  ranking, ranked, site.config if splices.related else None,
                  listing_texts(site.articles) if splices.related else None,
                  body_shortcut(site.config.raw_html), _parser_status())
    cache.save(source, _name(output), _namespace(options), {"state": state})
    output_check.keep(source, output, options, state.token, outputs, runs)


def rebuild(source: Path, output: Path, options: str, inputs: stamp.Statuses,
            inputs_digest: str, check: output_check.OutputCheck) -> Rebuilt | None:
    """Redo the pages of body edits, if that is all that changed since the state was
    kept; None when a full build is needed. `inputs` are the status of the inputs now,
    `inputs_digest` their digest for the stamp, and `check` tells whether the output
    is as the state saw it (and keeps its new statuses)."""
    state, changes = _load(source, output, options)
    changed = _changed_articles(state, inputs) if state else None
    if state is None or not changed:
        return None  # no state, no edits (only the output changed), other edits
    if state.parser is None or state.parser != _parser_status():
        state.shortcut = None  # kept with another markdown-it: the parser writes bodies
    shelf = article_shelf(source, state.language)
    found = [_edit(state, shelf, source, name) for name in changed]
    edits = [edit for edit in found if edit]
    if len(edits) < len(found):
        return None  # an edit other pages can see
    # Before waiting for the output check: the kept ranking is read meanwhile.
    moves = _related_moves(state, shelf, source, edits)
    if moves is None or (moves and (state.relists is None or len(moves) > MAX_EDITS)):
        return None  # a related list changes (or may: the full build tells)
    lists = _relisted(state, shelf, source, edits, moves) if moves else []
    if lists is None or not check.same(state.token):
        return None  # an article not known, or an output changed by hand
    pages = _spliced_pages(state, output, edits, lists)
    if pages is None:
        return None
    written = sum(replace_file(output / page, data) for page, data in pages.items())
    check.keep({name: file_status(output / name)  # the file, and its folder, where replaced
                for page in pages
                for name in (page, page.rpartition("/")[0] + "/" if "/" in page else "./")})
    changes.inputs.update((name, inputs[name]) for name in changed)
    changes.reopened.update(edit.display for edit in edits if edit.reopens)
    changes.shown.update((index, now) for index, (_, now) in moves.items())
    _keep(shelf, edits, changes)
    cache.save(source, _name(output) + "-changes", _namespace(options, state.token),
               {"changes": changes})
    digest = check.digest()
    if digest is None:
        stamp.forget(source, output)  # the output statuses were not kept: build it all next
    else:
        stamp.record(source, output, inputs_digest, digest, state.counts)
    return Rebuilt(state.counts, sum(name.endswith(".html") for name in pages), written)


def _load(source: Path, output: Path, options: str) -> tuple[State | None, Changes]:
    """The state with its changes applied, and the changes."""
    state = cache.load(source, _name(output), _namespace(options)).get("state")
    if not isinstance(state, State):
        return None, Changes()
    changes = cache.load(source, _name(output) + "-changes",
                         _namespace(options, state.token)).get("changes")
    if not isinstance(changes, Changes):
        changes = Changes()
    changes.apply(state)
    return state, changes


def _changed_articles(state: State, inputs: stamp.Statuses) -> list[str] | None:
    """The names of the input files changed since the state was kept, if they are
    all article files that were there then, and not too many; else None."""
    if inputs.keys() != state.inputs.keys():
        return None  # a file added or removed
    changed = [name for name, status in inputs.items() if state.inputs[name] != status]
    prefix = ARTICLES_DIR.as_posix() + "/"
    if len(changed) > MAX_EDITS or not all(n.startswith(prefix) for n in changed):
        return None
    return changed


def _edit(state: State, shelf: cache.Shelf, source: Path, name: str) -> _Edit | None:
    """The edit of one article file, if it is a shown article whose body alone changed,
    in nothing other pages read (`opening.body_edit`), or in the words of its lede
    (when the build kept its related ranking) or its description (where only its
    page shows it, see `Splices`)."""
    display = str(source / name)
    known = state.articles.get(display)
    old_entry: Entry | None = shelf.get(display)
    if known is None or old_entry is None or old_entry[1] != known:
        return None  # not shown, or the cache holds another version
    if display in state.in_feed and not state.feed_splices:
        return None
    entry = read_entry(source / name, Path(display), old_entry, state.language)
    if isinstance(entry, SitegenError):
        return None  # the full build reports it
    old, new = old_entry[2].article, entry[2].article
    seen = body_edit(old, new)
    if (seen is None or (seen.lede and state.ranking is None)
            or (seen.description and display not in state.described)):
        return None
    return _Edit(display, entry, old.url.lstrip("/") + "index.html",
                 (old.body, new.body) if old.body != new.body else None,
                 (description(old), description(new)) if seen.description else None,
                 display in state.in_feed, seen.lede)


def _related_moves(state: State, shelf: cache.Shelf, source: Path, edits: list[_Edit]
                   ) -> dict[int, tuple[tuple[int, ...], tuple[int, ...]]] | None:
    """The related lists that differ from what the pages show, by index in the kept
    ranking (see `related.moved`): none when no lede's words changed in this rebuild
    (the pages show the ranking of the ledes as they are), else as `related.moved`
    tells with every article whose lede changed since the state was kept; None when
    that cannot be told."""
    if not any(edit.reopens for edit in edits):
        return {}
    reopened = state.reopened | {edit.display for edit in edits if edit.reopens}
    if state.ranking is None or len(reopened) > MAX_EDITS:
        return None
    article_at = _article_at(state, shelf, edits)
    changed = {state.ranked[display]: article_at(state.ranked[display])
               for display in sorted(reopened)}
    if None in changed.values():
        return None

    def bodies(indices: Sequence[int]) -> dict[int, str] | None:
        found = {index: article_at(index) for index in indices}
        return {i: a.body for i, a in found.items() if a} if None not in found.values() else None

    return related.moved(source, state.ranking,
                         {i: a for i, a in changed.items() if a}, state.shown, bodies)


def _article_at(state: State, shelf: cache.Shelf, edits: list[_Edit]) -> ArticleAt:
    """The articles by their index in the kept ranking: those edited in this rebuild as
    they are now, the others as the last build (full or quick) saw them, from the parse
    cache (None when it does not hold that version)."""
    displays = {index: display for display, index in state.ranked.items()}
    edited = {edit.display: edit.entry for edit in edits}

    def article_at(index: int) -> Article | None:
        display = displays.get(index)
        entry: Entry | None = None if display is None else edited.get(display, shelf.get(display))
        if display is None or entry is None or (
                display not in edited and entry[1] != state.articles.get(display)):
            return None
        return entry[2].article

    return article_at


def _relisted(state: State, shelf: cache.Shelf, source: Path, edits: list[_Edit],
              moves: dict[int, tuple[tuple[int, ...], tuple[int, ...]]]
              ) -> list[Relisted] | None:
    assert state.relists is not None and state.listing_texts is not None
    # Imported only here: the template engine costs more than a rebuild without it.
    from sitegen.relist import relisted

    return relisted(source, state.relists, state.listing_texts,
                    _article_at(state, shelf, edits), moves)


def _spliced_pages(state: State, output: Path, edits: list[_Edit], lists: list[Relisted]
                   ) -> dict[str, bytes] | None:
    """Each file showing an edited body, with the new body (and description) in place
    of the old, and each page with a related list that moved, with the new list;
    None if an old one is not found exactly where it should be."""
    linker = linker_from(state.linker)
    texts: dict[str, str] = {}
    for edit in edits:
        if edit.description is not None:  # autoescaped, as `opening.Described` is
            old, new = (str(escape(text)) for text in edit.description)
            for name, writes in state.described[edit.display]:
                if not _splice(texts, output, name, old, new, writes):
                    return None
        if edit.body is None:
            continue
        # As `article_page.article_context` renders a body (a fresh linker per body)...
        page = [_body_html(state, body, (linker(),) if linker else ()) for body in edit.body]
        if not _splice(texts, output, edit.page, page[0], page[1]):
            return None
        if edit.in_feed:  # ...and as `feeds.feed_entry` does, autoescaped by the template
            feed = [str(escape(_body_html(state, body))) for body in edit.body]
            if not _splice(texts, output, FEED, feed[0], feed[1]):
                return None
    for name, was, now in lists:
        if not _splice(texts, output, name, was, now):
            return None
    return {name: text.encode("utf-8") for name, text in texts.items()}


def _body_html(state: State, text: str, transforms: tuple[TokenTransform, ...] = ()) -> str:
    """The body's HTML as `markdown.to_html` makes it: written by the shortcut the state
    kept when the body is plain, without importing markdown-it (a tenth of a rebuild),
    else by the parser."""
    html = plain_html(state.shortcut, text, transforms)
    if html is None:
        from sitegen.markdown import to_html

        html = to_html(text, raw_html=state.raw_html, transforms=transforms)
    return html


def _parser_status() -> cache.FileStatus | None:
    """The status of markdown-it's package file, found without importing it: another
    version (an upgrade rewrites the file) may write bodies otherwise."""
    spec = importlib.util.find_spec("markdown_it")
    return file_status(spec.origin) if spec is not None and spec.origin else None


def _splice(texts: dict[str, str], output: Path, name: str, old: str, new: str,
            writes: int = 1) -> bool:
    """Put `new` in place of `old` in the text of the output file `name` (read into
    `texts` when first needed), where the templates wrote `old` `writes` times; False
    unless `old` is found exactly that often, overlapping occurrences counted, and both
    are non-empty (a template may test them). Each write is found where it was
    made, so there is no other: in particular none that starts in the text before a
    write and ends within it."""
    if name not in texts:
        try:
            texts[name] = (output / name).read_bytes().decode("utf-8")
        except (OSError, UnicodeDecodeError):
            return False
    if not old or not new or _occurrences(texts[name], old, writes + 1) != writes:
        return False
    texts[name] = texts[name].replace(old, new)
    return True


def _occurrences(text: str, part: str, most: int) -> int:
    """How many times `part` occurs in `text`, overlapping ones too, counting up to
    `most`."""
    found, start = 0, text.find(part)
    while start >= 0 and found < most:
        found += 1
        start = text.find(part, start + 1)
    return found


def _keep(shelf: cache.Shelf, edits: list[_Edit], changes: Changes) -> None:
    """Bring the parse cache and the state's articles up to the versions just built."""
    shards: dict[int, dict[str, Any]] = {}
    for edit in edits:
        index = shelf.index(edit.display)
        shards.setdefault(index, dict(shelf.entries(index)))[edit.display] = edit.entry
        changes.articles[edit.display] = edit.entry[1]
    for index, entries in shards.items():
        shelf.store(index, entries)
