"""Copied text (select-all on a news page) to a `Draft`."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from sitegen.errors import SitegenError
from sitegen.models import DateValue, Image
from sitegen.normalise import layout
from sitegen.normalise import lines as shapes
from sitegen.normalise.body import assemble_body
from sitegen.normalise.bylines import glued_name, has_role, is_desk, is_name, parse_byline
from sitegen.normalise.dates import DateMention, later_update
from sitegen.normalise.draft import Draft
from sitegen.normalise.layout import MetaLine, Page

# How far above the first header line the headline may sit, in lines.
_HEADLINE_REACH = 12
# The segments of a header line: "New Delhi, News Nation Bureau | Updated : ...".
_SEGMENTS = re.compile(r"\s*(?:[|/,•·]|\s[-–—]\s)\s*")
# "By admin -": a site account printed in place of a name, in lower case.
_LOGIN = re.compile(r"^\s*[Bb][Yy][:\s]\s*(?P<login>[a-z][\w.-]{1,30})\s*[-–—|,:]?\s*$")
_SECTION = re.compile(r"^More (?:from|in) (?P<section>\S.{0,40}?)\s*(?:»|>+)?$", re.IGNORECASE)


@dataclass(frozen=True)
class _Header:
    """Line numbers of the article's own header and where its body starts."""

    metas: list[MetaLine]
    anchor: int  # first line of the byline/date header, or the body start
    body_start: int
    body_end: int


def draft_from_text(text: str, path: Path) -> Draft:
    """Recover headline, standfirst, byline, dates, captions and body from copied text."""
    page = layout.Page.of(text)
    header = _locate(page)
    title_at = _headline(page, header)
    if title_at is None:
        raise SitegenError("no headline found", path)
    published, updated = _dates(page, header)
    if published is None:
        raise SitegenError(
            "no date found (relative dates such as '2 hours ago' are not used)", path
        )
    taken = {title_at} | {m.index for m in header.metas}
    images, caption_lines = _header_captions(page, title_at + 1, header.body_start)
    dek_at = _dek(page, title_at, header.body_start, taken | caption_lines)
    body = assemble_body(page, header.body_start, header.body_end)
    return Draft(
        title=page.lines[title_at],
        date=published,
        updated=updated,
        body=body.markdown,
        dek=page.lines[dek_at] if dek_at is not None else None,
        byline=_byline(page, header, title_at),
        dateline=body.dateline,
        section=_section(page, header.body_end),
        images=(*images, *body.images),
        credits=body.credits,
    )


def _locate(page: Page) -> _Header:
    start, end = layout.body_block(page)
    metas = layout.header_metas(page, start, end)
    if metas and metas[-1].index >= start:
        start = metas[-1].index + 1  # the standfirst before the byline read as body text
    anchor = metas[0].index if metas else start
    return _Header(metas, anchor, start, max(end, start))


def _headline(page: Page, header: _Header) -> int | None:
    candidates = page.nonblank(header.anchor - _HEADLINE_REACH, header.body_start)
    scored = [(s, i) for i in candidates if (s := _headline_score(page, i, header)) is not None]
    if not scored:
        return None
    return max(scored)[1]  # on a tie, the line nearer the byline


def _headline_score(page: Page, index: int, header: _Header) -> float | None:
    line = page.lines[index]
    n = shapes.words(line)
    if (
        not 2 <= n <= 30
        or not (line[0].isupper() or line[0].isdigit() or line[0] in "'\"‘“")
        or line.endswith((":", ",", "|", ">", "»"))
        or shapes.is_link_like(line)
        or any(m.index == index for m in header.metas)
        or shapes.credit_of(line) is not None
        or has_role(line)
        or glued_name(line)
        or shapes.caption_with_credit(line)
    ):
        return None
    score = 3.0 if 4 <= n <= 25 else 0.0
    if line.endswith(".") and not line.endswith(".."):
        score -= 2  # a sentence: standfirst or caption
    if page.repeated(index) or _printed_inside_another(page, index, header):
        # Above the byline, headlines recur in breadcrumbs, page titles and
        # galleries (a label of a word or two that recurs is a menu item);
        # below it, what recurs is a share bar or an ad slot.
        score += -2 if index >= header.anchor else 2 if n >= 4 else 0
    if line.isupper() and n <= 4:
        score -= 3  # a section label
    capitalised = sum(w[0].isupper() for w in line.split()) / n
    score += 1 if capitalised >= 0.5 else 0
    following = page.nonblank(index + 1, header.body_start)[:1]
    if following and _is_standfirst_of(line, page.lines[following[0]]):
        score += 1.5  # a headline followed by its standfirst
    if re.search(r" [/|] ", line):
        score -= 2  # separators belong to credits and breadcrumbs
    before = page.nonblank(index + 1, header.anchor)
    distance = (
        len(before) if index < header.anchor else len(page.nonblank(header.anchor, index)) + 2
    )
    return score - 0.5 * distance


def _is_standfirst_of(title: str, line: str) -> bool:
    """A standfirst is a sentence, in sentence case, longer than its headline."""
    n = shapes.words(line)
    return (
        shapes.is_sentence(line)
        and n > shapes.words(title)
        and sum(w[0].isupper() for w in line.split()) < 0.5 * n
        and not layout.date_line(line)
    )


def _printed_inside_another(page: Page, index: int, header: _Header) -> bool:
    line = page.lines[index]
    return any(
        other != line and other.endswith(line)
        for other in (page.lines[i] for i in page.nonblank(index - _HEADLINE_REACH, index))
    )


def _dek(page: Page, title_at: int, body_start: int, taken: set[int]) -> int | None:
    """The standfirst: the first sentence after the headline that is not metadata."""
    title = page.lines[title_at].casefold()
    for index in page.nonblank(title_at + 1, body_start):
        line = page.lines[index]
        if index in taken or line.casefold() == title:
            continue
        if shapes.is_sentence(line) and not page.repeated(index):
            return index
    return None


def _header_captions(page: Page, start: int, stop: int) -> tuple[list[Image], set[int]]:
    """Photo captions between the headline and the body, with the lines they used."""
    images: list[Image] = []
    used: set[int] = set()
    indices = page.nonblank(start, stop)
    for pos, index in enumerate(indices):
        line = page.lines[index]
        found = shapes.caption_with_credit(line)
        if found:
            images.append(Image(caption=found.caption, credit=found.credit))
            used.add(index)
            continue
        follower = indices[pos + 1] if pos + 1 < len(indices) else None
        credit = shapes.credit_of(page.lines[follower]) if follower is not None else None
        if credit is not None and shapes.is_sentence(line) and not page.repeated(index):
            images.append(Image(caption=line, credit=credit or None))
            used.update({index, follower} if follower is not None else {index})
    return images, used


def _dates(page: Page, header: _Header) -> tuple[DateValue | None, DateValue | None]:
    mentions = [d for m in header.metas for d in m.dates]
    if not mentions:
        mentions = _fallback_dates(page, header)
    ranked = sorted(mentions, key=lambda d: (not d.certain, d.updated))
    if not ranked:
        return None, None
    published = ranked[0].value
    updates = (later_update(d.value, published) for d in mentions if d.updated)
    return published, next((u for u in updates if u is not None), None)


def _fallback_dates(page: Page, header: _Header) -> list[DateMention]:
    """A "First published ..." line under the story, when the header printed no date."""
    for index in page.nonblank(header.body_end, header.body_end + 15):
        dates = layout.date_line(page.lines[index])
        if dates:
            return list(dates)
    return []


def _byline(page: Page, header: _Header, title_at: int) -> tuple[str, ...]:
    for meta in header.metas:
        if meta.by_line:
            names = parse_byline(
                layout.strip_labels(_before_date(page.lines[meta.index], meta.dates))
            )
            if names:
                return names
    beside = next(
        (
            names
            for meta in header.metas
            if meta.dates and (names := _names_beside_date(page.lines[meta.index], meta.dates))
        ),
        (),
    )
    if len(beside) == 1 and " " not in beside[0]:
        # One word beside the date may be an agency or a section label
        # ("Reuters", "Nissan"): a full name printed under the headline wins.
        below = _name_line(page, header, title_at)
        return below if below and " " in below[0] else beside
    return beside or _name_line(page, header, title_at)


def _before_date(line: str, dates: tuple[DateMention, ...]) -> str:
    return line[: dates[0].start] if dates else line


def _names_beside_date(line: str, dates: tuple[DateMention, ...]) -> tuple[str, ...]:
    """ "Reuters November 18, 2019" or "November 18, 2019 by Joe Rossignol".

    Also "Riverton, Metro News Bureau | 3 November 2025" (a desk named beside
    its place), "By editor - 2025-11-03" (a site account's login) and
    "November 3, 2025 / 10:07 AM / Valley Press" (a name closing the line).
    """
    raw_before = line[: dates[0].start]
    before = layout.strip_date_words(raw_before).strip()
    after = line[dates[-1].end :]
    by_after = re.search(r"\b[Bb][Yy]\s+(?P<names>[A-Z].*)$", after)
    if by_after:
        return parse_byline(by_after["names"])
    desks = [s for s in _SEGMENTS.split(raw_before) if is_desk(s)]
    if desks:
        return (desks[-1],)
    if before and is_name(before):
        return parse_byline(before)
    login = _LOGIN.match(raw_before)
    if login:
        return (login["login"],)
    closing = _SEGMENTS.split(after)[-1].strip()
    return (closing,) if shapes.words(closing) >= 2 and is_name(closing) else ()


def _name_line(page: Page, header: _Header, title_at: int) -> tuple[str, ...]:
    """A line that is only a name, just after the headline or beside the header's date.

    Above the headline only a name printed beside a date counts ("Molly Wood /
    Ideas / 11.14.2019 / headline"): menus sit there too.
    """
    below = page.nonblank(title_at + 1, header.body_start)[:6]
    above = sorted(
        (
            i
            for i in reversed(page.nonblank(title_at - 3, title_at))
            if _above(title_at, header) and _beside_date(header, i)
        ),
        key=lambda i: shapes.words(page.lines[i]) < 2,  # "Molly Wood" before "Ideas"
    )
    dated = {m.index for m in header.metas if m.dates}  # read by _names_beside_date
    for index in below + above:
        line = page.lines[index]
        if index not in dated and shapes.words(line) <= 8 and not shapes.is_sentence(line):
            names = parse_byline(line)
            if names and (len(names[0].split()) >= 2 or _beside_date(header, index)):
                return names
    return ()


def _beside_date(header: _Header, index: int) -> bool:
    return any(m.dates and abs(m.index - index) <= 2 for m in header.metas)


def _above(index: int, header: _Header) -> bool:
    """True when the header's first date or byline line is above line `index`."""
    return bool(header.metas) and header.metas[0].index < index


def _section(page: Page, body_end: int) -> str | None:
    """ "More From Pakistan" under the story names its section."""
    for index in page.nonblank(body_end, body_end + 25):
        m = _SECTION.match(page.lines[index])
        if m and shapes.words(m["section"]) <= 4:
            return m["section"]
    return None
