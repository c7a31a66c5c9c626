"""Dates as news pages print them, and as page metadata gives them.

Written here rather than with dateparser because the importer must *find*
dates inside lines of page furniture ("Published October 28, 2025 06:55am |
Updated ..."), tell a publication date from an update, and refuse relative
phrases ("2 hours ago"); a general parser answers "what date is this string",
which is not the question, and it happily turns "Monday" into a date.
"""

from __future__ import annotations

import datetime as dt
import email.utils
import re
from dataclasses import dataclass

from sitegen.models import DateValue

# Month names of the languages the archive is likely to hold, for pages that
# print "22 de outubro de 2010" or "25. September 2018". Keys are lowercase.
_MONTH_NAMES = {
    1: "january jan januar janvier janeiro enero gennaio januari января январь",
    2: "february feb februar février fevereiro febrero febbraio februari февраля февраль",
    3: "march mar märz mars março marzo maret марта март",
    4: "april apr avril abril aprile апреля апрель",
    5: "may mai maio mayo maggio mei мая май",
    6: "june jun juni juin junho junio giugno июня июнь",
    7: "july jul juli juillet julho julio luglio июля июль",
    8: "august aug août agosto agustus августа август",
    9: "september sep sept septembre setembro septiembre setiembre settembre сентября сентябрь",
    10: "october oct oktober octobre outubro octubre ottobre октября октябрь",
    11: "november nov novembre novembro noviembre ноября ноябрь",
    12: "december dec dezember décembre dezembro diciembre dicembre desember декабря декабрь",
}
_MONTHS = {name: number for number, names in _MONTH_NAMES.items() for name in names.split()}
_MONTH = r"(?P<month>" + "|".join(sorted(_MONTHS, key=len, reverse=True)) + r")\.?(?!\w)"
# A year may run straight into a time ("NOV 20 20194:29 AM") on pages whose
# markup put no space between two elements.
_YEAR = r"(?P<year>(?:19|20)\d\d)(?=\D|$|\d{1,2}:\d\d)"
_DAY = r"(?P<day>[0-3]?\d)(?:st|nd|rd|th|\.)?"

_WORDY = [
    re.compile(rf"\b{_MONTH}\s+{_DAY},?\s+{_YEAR}", re.IGNORECASE),
    re.compile(rf"\b{_DAY}\s+(?:of\s+|de\s+)?{_MONTH},?\s+(?:de\s+)?{_YEAR}", re.IGNORECASE),
    # "03-Nov-2025", "3/Nov/2025": a day and a month name joined by dashes or slashes.
    re.compile(rf"\b{_DAY}(?P<sep>[-/])(?P<month>[a-z]{{3,9}})\.?(?P=sep){_YEAR}", re.IGNORECASE),
]
_ISO = re.compile(
    r"\b(?P<year>(?:19|20)\d\d)(?P<sep>[-/])(?P<month>[01]\d)(?P=sep)(?P<day>[0-3]\d)"
    r"(?:[T ](?P<time>[0-2]\d:[0-5]\d(?::[0-5]\d)?)(?:\.\d+)?(?P<tz>Z|[+-][0-2]\d:?[0-5]\d)?)?"
)
# 21/06/2014, 18.11.2019, 28-10-2025, 11.14.2019: the order of day and month is a guess
# unless one of them is above 12, so these rank below every other form.
_NUMERIC = re.compile(r"\b(?P<a>[0-3]?\d)([./-])(?P<b>[0-3]?\d)\2" + _YEAR)
# "11/19/19 06:56 AM": a two-digit year is a date only when a clock time
# follows it, as bylines print it; anywhere else it may be a score or a ratio.
_SHORT_YEAR = re.compile(
    r"\b(?P<a>[0-3]?\d)([./])(?P<b>[0-3]?\d)\2(?P<year>\d\d)"
    r"(?=,?\s+(?:at\s+)?[0-2]?\d[:.][0-5]\d(?!\d))"
)
_UPDATE_WORDS = re.compile(r"updat|modif|edited|revised", re.IGNORECASE)


@dataclass(frozen=True)
class DateMention:
    """One date found in a line of text."""

    value: DateValue
    start: int
    end: int
    updated: bool = False  # introduced by "Updated", "Modified", ...
    certain: bool = True  # False when day and month order had to be guessed


def _make_date(year: int, month: int, day: int) -> dt.date | None:
    try:
        return dt.date(year, month, day)
    except ValueError:
        return None


def _wordy(match: re.Match[str]) -> dt.date | None:
    month = _MONTHS[match["month"].lower()]
    return _make_date(int(match["year"]), month, int(match["day"]))


def _iso(match: re.Match[str]) -> DateValue | None:
    day = _make_date(int(match["year"]), int(match["month"]), int(match["day"]))
    if day is None or not match["time"] or not match["tz"]:
        # Without an offset a time cannot be placed: keep the calendar date only.
        return day
    return parse_iso(match.group(0))


def _numeric(match: re.Match[str]) -> tuple[dt.date | None, bool]:
    a, b, year = int(match["a"]), int(match["b"]), int(match["year"])
    year += 2000 if year < 100 else 0  # "11/19/19": printed two-digit years are this century
    if a > 12:
        return _make_date(year, b, a), True
    if b > 12:
        return _make_date(year, a, b), True
    return _make_date(year, b, a), False  # day first, as most of the world writes it


def _raw_mentions(line: str) -> list[tuple[int, int, DateValue, bool]]:
    found: list[tuple[int, int, DateValue, bool]] = []
    for pattern in _WORDY:
        for m in pattern.finditer(line):
            if m["month"].lower() in _MONTHS and (value := _wordy(m)) is not None:
                found.append((m.start(), m.end(), value, True))
    for m in _ISO.finditer(line):
        if (iso_value := _iso(m)) is not None:
            found.append((m.start(), m.end(), iso_value, True))
    for pattern in (_NUMERIC, _SHORT_YEAR):
        for m in pattern.finditer(line):
            numeric, certain = _numeric(m)
            if numeric is not None:
                found.append((m.start(), m.end(), numeric, certain))
    return found


# "November 20" or "20 Nov" alone on a line: a date whose year is printed apart.
_MONTH_DAY = [
    re.compile(rf"^{_MONTH}\s+{_DAY}$", re.IGNORECASE),
    re.compile(rf"^{_DAY}\s+{_MONTH}$", re.IGNORECASE),
]
_BARE_YEAR = re.compile(r"^(?:19|20)\d\d$")


def split_date(line: str, following: list[str]) -> tuple[DateMention, ...]:
    """A date printed over short lines: "November 20", a clock time, then "2019".

    Date widgets print the day and month, the time and the year as elements of
    their own, which copying puts on lines of their own. The year must follow
    within two lines; a day and a month alone give no date.
    """
    if not any(pattern.match(line) for pattern in _MONTH_DAY):
        return ()
    year = next((other for other in following[:2] if _BARE_YEAR.match(other)), None)
    if year is None:
        return ()
    return tuple(
        DateMention(m.value, m.start, len(line), m.updated, m.certain)
        for m in find_dates(f"{line} {year}")
    )


def find_dates(line: str) -> list[DateMention]:
    """Every absolute date in `line`, left to right, overlapping matches removed."""
    mentions: list[DateMention] = []
    last_end = 0
    for start, end, value, certain in sorted(_raw_mentions(line), key=lambda f: (f[0], -f[1])):
        if start < last_end:
            continue
        updated = bool(_UPDATE_WORDS.search(line[last_end:start]))
        mentions.append(DateMention(value, start, end, updated, certain))
        last_end = end
    return mentions


def parse_iso(text: str) -> DateValue | None:
    """A metadata date ("2019-11-19T12:48:14Z", "Mon, 18 Nov 2019 ...") or None.

    A time without an offset is dropped rather than given an invented zone.
    """
    text = text.strip()
    if not text:
        return None
    fixed = re.sub(r"Z$", "+00:00", text)
    fixed = re.sub(r"([+-]\d\d)(\d\d)$", r"\1:\2", fixed)
    value: dt.datetime | None
    try:
        value = dt.datetime.fromisoformat(fixed)
    except ValueError:
        value = _parse_rfc2822(text)
    if value is None:
        mentions = find_dates(text)
        return mentions[0].value if mentions and mentions[0].certain else None
    if value.tzinfo is None:
        return value.date()
    return value


def _parse_rfc2822(text: str) -> dt.datetime | None:
    try:
        return email.utils.parsedate_to_datetime(text)
    except (TypeError, ValueError, IndexError):
        return None


def calendar_day(value: DateValue) -> dt.date:
    """The date part of a date or datetime, for comparing publication and update."""
    return value.date() if isinstance(value, dt.datetime) else value


def later_update(updated: DateValue | None, published: DateValue) -> DateValue | None:
    """`updated` when it is after `published`; an update on the same moment is no update."""
    if updated is None:
        return None
    if isinstance(updated, dt.datetime) and isinstance(published, dt.datetime):
        return updated if updated > published else None
    return updated if calendar_day(updated) > calendar_day(published) else None
