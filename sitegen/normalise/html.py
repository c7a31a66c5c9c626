"""Saved HTML pages to a `Draft`: structured metadata, trafilatura's main text, figures."""

from __future__ import annotations

import dataclasses
import re
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import trafilatura
from lxml import etree  # type: ignore[import-untyped]
from lxml import html as lxml_html

from sitegen.errors import SitegenError
from sitegen.models import Image
from sitegen.normalise import lines as shapes
from sitegen.normalise.bylines import parse_byline
from sitegen.normalise.dates import later_update, parse_iso
from sitegen.normalise.draft import Draft
from sitegen.normalise.html_meta import PageMeta, page_meta
from sitegen.normalise.writer import heading, paragraph

_CREDIT_CLASS = (
    "contains(@class, 'credit') or contains(@class, 'copyright') or contains(@class, 'source')"
)


def draft_from_html(source: str, path: Path) -> Draft:
    """Recover the article of a saved page; a `SitegenError` when it has none."""
    # lxml refuses a str that still declares its byte encoding; it is decoded already.
    source = re.sub(r"^\s*<\?xml[^>]*>", "", source)
    try:
        tree = lxml_html.fromstring(source)
    except (etree.ParserError, ValueError) as exc:
        raise SitegenError(f"not readable as HTML: {exc}", path) from exc
    meta = _complete(page_meta(tree), source)
    if not meta.title:
        raise SitegenError("no headline found", path)
    if meta.date is None:
        raise SitegenError("no date found", path)
    blocks = _main_text(source, path)
    images = tuple(_figures(tree))
    captions = {i.caption for i in images} | {i.credit for i in images}
    blocks, credits = _clean(blocks, meta.title, captions)
    lead, blocks = _leading_headings(_trim_tail(blocks))
    dek = meta.dek or lead
    dateline, blocks = _take_dateline(blocks)
    return Draft(
        title=meta.title,
        date=meta.date,
        updated=later_update(meta.updated, meta.date),
        body="\n\n".join(blocks),
        dek=dek if dek and not _starts_body(dek, blocks) else None,
        byline=meta.byline,
        dateline=dateline,
        section=meta.section,
        images=images,
        credits=tuple(credits),
        source=meta.source,
    )


def _complete(meta: PageMeta, source: str) -> PageMeta:
    """Fill what structured data lacked from trafilatura's own metadata search."""
    if meta.title and meta.date and meta.byline:
        return meta
    found = trafilatura.bare_extraction(source, with_metadata=True, only_with_metadata=False)
    if found is None:
        return meta
    document: dict[str, Any] = found if isinstance(found, dict) else found.as_dict()
    author, date = document.get("author") or "", document.get("date")
    authors = tuple(n for a in author.split(";") for n in parse_byline(a.strip()))
    return dataclasses.replace(
        meta,
        title=meta.title or document.get("title") or None,
        date=meta.date or (parse_iso(date) if date else None),
        byline=meta.byline or authors,
    )


def _main_text(source: str, path: Path) -> list[str]:
    xml = trafilatura.extract(
        source,
        output_format="xml",
        include_comments=False,
        include_tables=True,
        include_images=False,
        include_links=False,
        include_formatting=False,
    )
    if not xml:
        raise SitegenError("no article text found in the page", path)
    main = etree.fromstring(xml.encode("utf-8")).find("main")
    blocks = list(_blocks(main)) if main is not None else []
    if not any(shapes.is_sentence(block) for block in blocks):  # a form, a menu, a "Sign in"
        raise SitegenError("no article text found in the page", path)
    return blocks


def _flat(element: Any) -> str:
    return " ".join("".join(element.itertext()).split())


def _blocks(main: Any) -> Iterator[str]:
    """Markdown blocks from trafilatura's XML: paragraphs, `##` headings, lists, quotes."""
    for element in main:
        text = _flat(element)
        if not text:
            continue
        if element.tag == "head":
            yield heading(text)
        elif element.tag == "list":
            items = [_flat(item) for item in element.iter("item")]
            yield "\n".join(f"- {item}" for item in items if item)
        elif element.tag == "quote":
            yield "> " + text
        elif element.tag == "table":
            for row in element.iter("row"):
                yield paragraph(" | ".join(_flat(cell) for cell in row))
        else:
            yield paragraph(text)


def _clean(blocks: list[str], title: str, captions: set[str | None]) -> tuple[list[str], list[str]]:
    """Drop furniture the extractor kept; move closing credits out of the body."""
    counts = Counter(blocks)
    kept: list[str] = []
    credits: list[str] = []
    for block in blocks:
        plain = block.removeprefix("## ").removeprefix("\\")
        if shapes.is_closing_credit(plain):
            credits.append(plain.strip("() "))
        elif counts[block] > 1 and not shapes.is_prose(plain):
            continue  # repeated furniture: "Advertisement", share bars
        elif plain in captions or plain == title or shapes.credit_of(plain) is not None:
            continue
        else:
            kept.append(block)
    return kept, credits


def _trim_tail(blocks: list[str]) -> list[str]:
    """Drop a closing run of short lines: "You may also like...", related links, "comments"."""
    end = len(blocks)
    while end > 0 and _is_short_line(blocks[end - 1]):
        end -= 1
    return blocks[:end] if len(blocks) - end >= 2 else blocks


def _is_short_line(block: str) -> bool:
    return not block.startswith(("- ", "> ")) and shapes.words(block) < 12


def _leading_headings(blocks: list[str]) -> tuple[str | None, list[str]]:
    """Headings before the first paragraph are the headline or standfirst, not sub-headings."""
    lead: list[str] = []
    while blocks and blocks[0].startswith("## "):
        lead.append(blocks.pop(0).removeprefix("## "))
    return (lead[-1] if lead else None), blocks


def _take_dateline(blocks: list[str]) -> tuple[str | None, list[str]]:
    if not blocks or blocks[0].startswith(("## ", "- ", "> ")):
        return None, blocks
    place, rest = shapes.split_dateline(blocks[0])
    return (place, [rest, *blocks[1:]]) if place else (None, blocks)


def _starts_body(dek: str, blocks: list[str]) -> bool:
    """A description that only repeats the first paragraph is not a standfirst."""
    first = " ".join(dek.split()).rstrip(".… ")
    return bool(blocks) and blocks[0].startswith(first[: max(40, len(first) - 5)])


def _figures(tree: Any) -> Iterator[Image]:
    """`<figure>` with a `<figcaption>` in the article: caption, credit, src, alt."""
    scope = tree.xpath("//article") or [tree]
    seen: set[str] = set()
    for figure in scope[0].xpath(".//figure[.//figcaption]"):
        image = _figure(figure)
        if image is not None and image.caption and image.caption not in seen:
            seen.add(image.caption)
            yield image


def _figure(figure: Any) -> Image | None:
    caption_element = figure.xpath(".//figcaption")[0]
    credit_elements = caption_element.xpath(f".//*[{_CREDIT_CLASS}]") or figure.xpath(
        f".//*[{_CREDIT_CLASS}]"
    )
    credit = " ".join(" ".join(e.text_content().split()) for e in credit_elements[:1]) or None
    caption = " ".join(caption_element.text_content().split())
    if credit:
        caption = caption.replace(credit, "").strip()
        credit = shapes.credit_of(credit) or credit
    else:
        found = shapes.caption_with_credit(caption)
        if found:
            caption, credit = found.caption, found.credit
    images = figure.xpath(".//img")
    src = (images[0].get("src") or images[0].get("data-src")) if images else None
    alt = images[0].get("alt") if images else None
    if not caption and not credit:
        return None
    return Image(caption=caption or None, credit=credit, src=src or None, alt=alt or None)
