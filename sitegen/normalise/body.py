"""The body of a copied article: paragraphs, sub-headings, captions and closing credits."""

from __future__ import annotations

from dataclasses import dataclass

from sitegen.models import Image
from sitegen.normalise import lines as shapes
from sitegen.normalise.layout import Page
from sitegen.normalise.writer import heading, paragraph, table

# A dateline may open the story below this many short paragraphs (captions,
# key points) of at most this many words each.
_LEAD_BLOCKS = 2
_LEAD_WORDS = 60
# A short line in the body of fewer words than this is a label or a button.
_SHORT_WORDS = 4
# Closing credits may sit just below the last paragraph, among the page's footer.
_CREDITS_REACH = 6


@dataclass(frozen=True)
class Body:
    markdown: str
    dateline: str | None
    images: tuple[Image, ...]
    credits: tuple[str, ...]


def assemble_body(page: Page, start: int, end: int) -> Body:
    """Markdown for lines [start, end): running text kept, page furniture dropped."""
    blocks: list[str] = []
    images: list[Image] = []
    credits: list[str] = []
    indices = page.nonblank(start, end)
    skip: set[int] = set()
    for pos, index in enumerate(indices):
        if index in skip:
            continue
        line = page.lines[index]
        if shapes.is_closing_credit(line):
            credits.append(line.strip("() "))
            continue
        rows = _table_at(page, indices, pos)
        if rows:
            blocks.append(table([page.table_row(i) for i in rows]))
            skip.update(rows)
            continue
        if index in page.numbered:
            blocks.append(paragraph(line))  # an item, whatever its shape
            continue
        image, used = _caption_at(page, indices, pos)
        if image is not None:
            images.append(image)
            skip.update(used)
            continue
        block = _block(page, indices, pos)
        if block:
            blocks.append(block)
    credits += _trailing_credits(page, end, credits)
    dateline, lead, blocks = _take_dateline(blocks)
    if len(lead) == 1:  # one line above the story's opening: a photo's caption
        images.insert(0, Image(caption=lead[0], credit=None))
    return Body("\n\n".join(blocks), dateline, tuple(images), tuple(credits))


def _block(page: Page, indices: list[int], pos: int) -> str | None:
    index = indices[pos]
    line = page.lines[index]
    if page.repeated(index):
        return None  # "Advertisement", share bars and ad slots recur; prose does not
    if (
        shapes.is_prose(line)
        or shapes.is_sentence(line)
        and line.endswith((".", "?", "!", "”", '"'))
    ):
        return paragraph(line)
    before = page.lines[indices[pos - 1]] if pos > 0 else ""
    after = page.lines[indices[pos + 1]] if pos + 1 < len(indices) else ""
    if shapes.is_heading(line) and shapes.is_prose(before) and shapes.is_prose(after):
        return heading(line)
    if (
        shapes.words(line) >= _SHORT_WORDS
        and not shapes.is_link_like(line)
        and (_is_text(before) or _is_text(after))
    ):
        # Inside the story's stretch, a short line printed once beside its
        # text is the story's too: an item of a list, a product and its
        # price. A run of short lines on its own is a share bar or a menu.
        return paragraph(line)
    return None


def _is_text(line: str) -> bool:
    return shapes.is_prose(line) or shapes.is_sentence(line) and line.endswith((".", "?", "!"))


def _table_at(page: Page, indices: list[int], pos: int) -> list[int]:
    """The lines of a copied table starting at `pos`: two rows or more, else []."""
    rows = []
    for index in indices[pos:]:
        if not page.table_row(index):
            break
        rows.append(index)
    return rows if len(rows) >= 2 else []


def _caption_at(page: Page, indices: list[int], pos: int) -> tuple[Image | None, set[int]]:
    index = indices[pos]
    line = page.lines[index]
    found = shapes.caption_with_credit(line)
    if found and shapes.words(found.caption) <= 45:  # a caption, not a long paragraph
        return Image(caption=found.caption, credit=found.credit), {index}
    if shapes.credit_of(line) is not None:
        return None, {index}  # a stray credit line: furniture
    if pos + 1 < len(indices):
        credit = shapes.credit_of(page.lines[indices[pos + 1]])
        if credit is not None and shapes.words(line) < 60:
            return Image(caption=line, credit=credit or None), {index, indices[pos + 1]}
    return None, set()


def _trailing_credits(page: Page, end: int, seen: list[str]) -> list[str]:
    found = []
    for index in page.nonblank(end, end + _CREDITS_REACH):
        line = page.lines[index].strip("() ")
        if shapes.is_closing_credit(page.lines[index]) and line not in seen:
            found.append(line)
    return found


def _take_dateline(blocks: list[str]) -> tuple[str | None, list[str], list[str]]:
    """(dateline, the lines above the paragraph it opens, the body from that paragraph).

    A dateline opens a story: short paragraphs printed above it are not the
    story's text but a photo caption or a list of key points.
    """
    for pos, block in enumerate(blocks[: _LEAD_BLOCKS + 1]):
        if block.startswith(("## ", "| ")):
            break
        place, rest = shapes.split_dateline(block)
        if place is not None:
            return place, blocks[:pos], [rest, *blocks[pos + 1 :]]
        if shapes.words(block) > _LEAD_WORDS:
            break
    return None, [], blocks
