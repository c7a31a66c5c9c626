"""Where things are on a copied page: the body block and the lines that carry metadata.

A page copied with select-all is the article surrounded by menus, share
buttons, related links and footers. The article body is found the way
body-text extraction has long done it for HTML (Finn et al., "BTE"): give
each line a weight, running text positive and short furniture negative, and
take the stretch of lines with the greatest total. The headline, byline and
dates are then looked for just above that stretch.
"""

from __future__ import annotations

import itertools
import re
from collections import Counter
from dataclasses import dataclass, field

from sitegen.normalise import lines as shapes
from sitegen.normalise.bylines import glued_name, starts_with_by
from sitegen.normalise.dates import DateMention, calendar_day, find_dates, split_date

# How much a line of page furniture counts against the body it interrupts,
# in words of running text. Furniture comes in runs (link lists, comment
# headers, footers): the 2nd and 3rd line of a run count double and triple, so
# that a long run cuts the body off where a single caption or ad slot does not.
_FURNITURE_WEIGHT = 4
_RUN_GROWTH = 3
# A line copied from a table has its cells separated by tabs.
_TABLE_CELLS = 3
# How far above the body the headline and metadata are looked for, in lines.
_HEADER_REACH = 30
# Lines inside the body block that may still be the byline or date lines.
_INTO_BODY = 10
# Meta lines further apart than this (in non-blank lines) are not one header.
_CLUSTER_GAP = 8
# A header prints a publication and an update date; more days than this are a list.
_LIST_DAYS = 3
# Consecutive short lines that are a menu (a drop-down copied item by item).
_MENU_RUN = 5
_PUBLISH_WORDS = re.compile(r"publish|posted|updat|modif|\bon\b", re.IGNORECASE)
_CLOCK = re.compile(r"\b\d{1,2}[:.]\d\d(?::\d\d)?\s*(?:[ap]\.?m\.?)?", re.IGNORECASE)
_FILLER = re.compile(
    r"\b(?:published|posted|updated|modified|first|last|on|at|am|pm"
    r"|(?:mon|tues|wednes|thurs|fri|satur|sun)day|mon|tue|wed|thu|fri|sat|sun)\b[.:]?",
    re.IGNORECASE,
)
_AGO = re.compile(r"\b\d+\s*\w+\s+ago\b", re.IGNORECASE)
_NUMBER = re.compile(r"\d+")
_MERIDIEM = re.compile(r"(?<=\d|\s)[ap]\.?m\.?(?!\w)")
_MONTH_WORD = re.compile(
    r"\b(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?(?=\s|\d|$)"
)
# A time stamp is a short line; three with one shape are a list's.
_STAMP_WORDS = 10
_STAMPS = 3
# "1) Item", "2. Item": a numbered item, and the non-blank lines it may take before the next.
_ITEM_NUMBER = re.compile(r"^(?P<n>\d{1,3})[.)]\s+\S")
_ITEM_REACH = 3
# Non-blank lines between two stamps of one list, at most (a long comment).
_LIST_GAP = 12
_ZONE = re.compile(r"\b(?:[A-Z]{1,2}[SD]?T|UTC|GMT|IST)\b")


def clean(line: str) -> str:
    """One line as text: no-break and zero-width spaces folded, runs of space collapsed."""
    line = line.replace("\u00a0", " ").replace("\u200b", "").replace("\ufeff", "")
    return " ".join(line.split())


@dataclass(frozen=True)
class Page:
    """The lines of a copied page, with how often each occurs."""

    lines: tuple[str, ...]
    counts: Counter[str] = field(compare=False)
    # The tab-separated cells of each line: a copied table keeps its tabs.
    cells: tuple[tuple[str, ...], ...] = field(default=(), compare=False)

    # Lines inside a list of time-stamped items (comments, teasers, feeds).
    listed: frozenset[int] = field(default=frozenset(), compare=False)
    # Items of a numbered list: "1) ...", "2) ...", "3) ..." in order.
    numbered: frozenset[int] = field(default=frozenset(), compare=False)

    @classmethod
    def of(cls, text: str) -> Page:
        raw = text.split("\n")
        lines = tuple(clean(line) for line in raw)
        cells = tuple(tuple(c for c in map(clean, line.split("\t")) if c) for line in raw)
        counts = Counter(line.casefold() for line in lines if line)
        return cls(lines, counts, cells, _stamps(lines), _numbered(lines))

    def table_row(self, index: int) -> tuple[str, ...]:
        """The cells of a row of a copied table (three or more), else ()."""
        row = self.cells[index] if index < len(self.cells) else ()
        return row if len(row) >= _TABLE_CELLS else ()

    def repeated(self, index: int) -> bool:
        """True for a line printed more than once: menus, share bars, ad slots."""
        return self.counts[self.lines[index].casefold()] > 1

    def nonblank(self, start: int, stop: int) -> list[int]:
        return [i for i in range(max(start, 0), min(stop, len(self.lines))) if self.lines[i]]


def _stamps(lines: tuple[str, ...]) -> frozenset[int]:
    """The lines from the first to the last time stamp of each list on the page.

    A time stamp is a short line with a date or a time ("2 days ago at 07:52
    am", "November 19, 2019 at 5:10 pm"). Three or more that differ only in
    their numbers and month names, each a few lines from the next, are the
    stamps of a list's items: comments, teasers of other stories, a feed. A
    story prints its own date once, and a menu item is the same each time.
    """
    by_shape: dict[str, list[int]] = {}
    for index, line in enumerate(lines):
        shape = _stamp_shape(line) if line else None
        if shape:
            by_shape.setdefault(shape, []).append(index)
    listed: set[int] = set()
    for found in by_shape.values():
        for run in _runs(lines, found):
            if len(run) >= _STAMPS and len({lines[i] for i in run}) > 1:
                listed.update(range(run[0], run[-1] + 1))
    return frozenset(listed)


def _runs(lines: tuple[str, ...], found: list[int]) -> list[list[int]]:
    """`found` split where more than `_LIST_GAP` non-blank lines part two stamps."""
    runs = [[found[0]]]
    for before, index in itertools.pairwise(found):
        if sum(1 for line in lines[before + 1 : index] if line) > _LIST_GAP:
            runs.append([])
        runs[-1].append(index)
    return runs


def _numbered(lines: tuple[str, ...]) -> frozenset[int]:
    """The items of numbered lists: three or more lines numbered in order, 1, 2, 3.

    A story's list of points or products; each item may be followed by a few
    lines of its own (a link, a price) before the next number.
    """
    items: set[int] = set()
    run: list[int] = []  # the items of the list being read
    last = 0  # the number of its last item
    for index, line in enumerate(lines):
        m = _ITEM_NUMBER.match(line)
        number = int(m["n"]) if m else None
        gap = sum(1 for other in lines[run[-1] + 1 : index] if other) if run else 0
        if run and (number is not None and number != last + 1 or gap > _ITEM_REACH):
            items.update(run if len(run) >= _STAMPS else [])
            run = []
        if number is not None and (run or number == 1):
            run.append(index)
            last = number
    items.update(run if len(run) >= _STAMPS else [])
    return frozenset(items)


def _stamp_shape(line: str) -> str | None:
    """The shape of a time-stamp line, its numbers and month names masked; else None."""
    if shapes.words(line) > _STAMP_WORDS or not (
        find_dates(line) or _CLOCK.search(line) or _AGO.search(line)
    ):
        return None
    return _NUMBER.sub("#", _MERIDIEM.sub("m", _MONTH_WORD.sub("M", line.casefold())))


def body_block(page: Page) -> tuple[int, int]:
    """[start, end) of the run of lines with the most running text (maximum subarray)."""
    best, best_span = 0, (0, 0)
    total, start, run = 0, 0, 0
    for index, line in enumerate(page.lines):
        if not line:
            continue
        run = 0 if _is_body_text(page, index) else run + 1
        weight = -_FURNITURE_WEIGHT * min(run, _RUN_GROWTH) if run else shapes.words(line)
        if total <= 0:
            total, start = 0, index
        total += weight
        if total > best:
            best, best_span = total, (start, index + 1)
    return best_span


def _is_body_text(page: Page, index: int) -> bool:
    line = page.lines[index]
    return (
        (shapes.is_prose(line) or bool(page.table_row(index)) or index in page.numbered)
        and not page.repeated(index)
        and index not in page.listed
    )


@dataclass(frozen=True)
class MetaLine:
    """A line that carries a date or a byline."""

    index: int
    dates: tuple[DateMention, ...]
    by_line: bool


def date_line(line: str) -> tuple[DateMention, ...]:
    """The dates of a line that is there to print a date ("Updated 29 Oct, 2025 10:05am")."""
    mentions = find_dates(line)
    if not mentions or shapes.is_prose(line):
        return ()
    rest = without_dates(line, mentions)
    before = strip_date_words(line[: mentions[0].start])
    if (
        shapes.words(strip_date_words(rest)) <= 8
        or shapes.words(before) <= 4
        or _PUBLISH_WORDS.search(rest)
    ):
        return tuple(mentions)
    return ()


def without_dates(line: str, mentions: list[DateMention]) -> str:
    for mention in reversed(mentions):
        line = f"{line[: mention.start]} | {line[mention.end :]}"
    return line


def strip_labels(text: str) -> str:
    """`text` without clock times, zones, weekdays and "Published"/"Updated" labels."""
    return _ZONE.sub(" ", _FILLER.sub(" ", _CLOCK.sub(" ", text)))


def strip_date_words(text: str) -> str:
    """`strip_labels`, and separators too: the words left around a date."""
    text = strip_labels(text)
    return " ".join(re.sub(r"[|•·/,;:()-]+|—|–", " ", text).split())


def meta_lines(page: Page, start: int, end: int) -> list[MetaLine]:
    """Date and byline lines from a little above the body block into its first lines."""
    return _metas_in(page, page.nonblank(start - _HEADER_REACH, min(end, start + _INTO_BODY)))


def _metas_in(page: Page, indices: list[int]) -> list[MetaLine]:
    found = []
    for index in indices:
        line = page.lines[index]
        following = [page.lines[i] for i in page.nonblank(index + 1, index + 3)]
        dates = date_line(line) or split_date(line, following)
        by_line = (
            starts_with_by(line) and shapes.words(line) <= 25 and not shapes.is_prose(line)
        ) or bool(glued_name(line))
        if dates or by_line:
            found.append(MetaLine(index, dates, by_line))
    return found


def header_metas(page: Page, start: int, end: int) -> list[MetaLine]:
    """The meta lines of the article's own header, for a body block [start, end).

    Pages print lists of dated links (related stories, archives, comments)
    between the header and the story: when the lines nearest the body are
    such a list, the header is looked for above it, a menu counting as one line.
    """
    metas = header_cluster(page, meta_lines(page, start, end), start)
    while _dated_list(metas):
        top = metas[0].index
        above = header_cluster(page, _metas_in(page, _reach_above(page, top, _HEADER_REACH)), top)
        joined = above and len(page.nonblank(above[-1].index + 1, top)) <= _CLUSTER_GAP
        if not joined or any(m.by_line for m in above):
            return above
        metas = above + metas  # the list goes on upwards
    return metas


def _dated_list(metas: list[MetaLine]) -> bool:
    """Three or more lines dated on different days, and no byline: a list of links."""
    days = {calendar_day(d.value) for m in metas for d in m.dates}
    return len(days) >= _LIST_DAYS and not any(m.by_line for m in metas)


def _reach_above(page: Page, top: int, units: int) -> list[int]:
    """The non-blank lines above `top`, up to `units` of them, a run of menu items counting once."""
    taken: list[int] = []
    index = top - 1
    while index >= 0 and units > 0:
        run = index
        while run >= 0 and _menu_item(page.lines[run]):
            run -= 1
        if index - run >= _MENU_RUN:
            taken.extend(range(index, run, -1))
            index, units = run, units - 1
            continue
        if page.lines[index]:
            taken.append(index)
            units -= 1
        index -= 1
    return sorted(i for i in taken if page.lines[i])


def _menu_item(line: str) -> bool:
    return bool(line) and shapes.words(line) <= 4 and not find_dates(line)


def header_cluster(page: Page, metas: list[MetaLine], start: int) -> list[MetaLine]:
    """The meta lines that belong together nearest the body: the article's own header."""
    if not metas:
        return []
    near = [m for m in metas if m.index < start + _INTO_BODY]
    cluster = [near[-1]] if near else [metas[0]]
    for meta in reversed(near[:-1]):
        if len(page.nonblank(meta.index + 1, cluster[0].index)) > _CLUSTER_GAP:
            break
        cluster.insert(0, meta)
    return cluster
