"""Dates, bylines, captions, datelines and credits as news pages print them."""

from __future__ import annotations

import datetime as dt

import pytest

from sitegen.normalise.bylines import glued_name, parse_byline
from sitegen.normalise.dates import find_dates, parse_iso, split_date
from sitegen.normalise.lines import (
    Caption,
    caption_with_credit,
    credit_of,
    is_closing_credit,
    split_dateline,
)

D = dt.date(2025, 10, 28)


@pytest.mark.parametrize(
    "text",
    [
        "October 28, 2025",
        "28 Oct 2025",
        "2025-10-28",
        "Oct. 28, 2025 8:03 am ET",
        "Tuesday, 28 October 2025",
        "28/10/2025",
        "28 de outubro de 2025",
        "28-Oct-2025",
        "28/Oct/2025",
        "2025/10/28",
        "28-10-2025",
        "By A. Writer - 10/28/25 06:56 AM EST",  # a two-digit year before a clock time
        "Posted 28.10.25, 18:40",
    ],
)
def test_printed_date_forms(text: str) -> None:
    assert [m.value for m in find_dates(text)] == [D]


def test_published_and_updated_on_one_line() -> None:
    found = find_dates("Published October 28, 2025 06:55am | Updated 29 Oct, 2025 10:05am")
    assert [(m.value, m.updated) for m in found] == [(D, False), (dt.date(2025, 10, 29), True)]


@pytest.mark.parametrize("text", ["2 hours ago", "Updated an hour ago", "Monday 5:30PM", "3d"])
def test_relative_phrases_are_not_dates(text: str) -> None:
    assert find_dates(text) == []


@pytest.mark.parametrize("text", ["won 10/28/25 in the final", "10/28/25", "28-Foo-2025"])
def test_a_two_digit_year_without_a_clock_time_is_no_date(text: str) -> None:
    assert find_dates(text) == []


def test_a_date_printed_over_lines_needs_its_year_close_below() -> None:
    found = split_date("October 28", ["10:07", "2025"])
    assert [m.value for m in found] == [D]
    assert split_date("28 Oct", ["2025"])[0].end == len("28 Oct")
    assert split_date("October 28", ["10:07", "Share", "2025"]) == ()
    assert split_date("October 28 was a Tuesday", ["2025"]) == ()


def test_ambiguous_numeric_date_is_marked_uncertain() -> None:
    (mention,) = find_dates("04/05/2025")
    assert not mention.certain
    (sure,) = find_dates("11.14.2019")
    assert sure.certain and sure.value == dt.date(2019, 11, 14)


def test_metadata_dates_keep_their_offset_and_drop_unplaced_times() -> None:
    pkt = dt.timezone(dt.timedelta(hours=5))
    assert parse_iso("2025-10-28T09:30:00+05:00") == dt.datetime(2025, 10, 28, 9, 30, tzinfo=pkt)
    assert parse_iso("2025-10-28T04:30:00Z") == dt.datetime(2025, 10, 28, 4, 30, tzinfo=dt.UTC)
    assert parse_iso("2025-10-28T09:30:00") == D  # no offset printed: no zone invented
    assert parse_iso("Tue, 28 Oct 2025 04:30:00 +0000") == dt.datetime(
        2025, 10, 28, 4, 30, tzinfo=dt.UTC
    )
    assert parse_iso("yesterday") is None


@pytest.mark.parametrize(
    ("text", "names"),
    [
        ("By Zarmeen Zehra", ("Zarmeen Zehra",)),
        ("By Amina Khan and Bilal Ahmed", ("Amina Khan", "Bilal Ahmed")),
        ("Amina Khan | Bilal Ahmed", ("Amina Khan", "Bilal Ahmed")),
        ("Reuters", ("Reuters",)),
        ("AFP", ("AFP",)),
        ("Our Correspondent", ("Our Correspondent",)),
        ("Tom Krisher, AP Auto Writer", ("Tom Krisher",)),
        ("By BILL HOPPE | Special to the Pioneer Press", ("BILL HOPPE",)),
        ("By Meg JamesStaff Writer", ("Meg James",)),
        ("Reuters, Washington", ("Reuters",)),
        ("Share this story on Facebook", ()),
    ],
)
def test_bylines(text: str, names: tuple[str, ...]) -> None:
    assert parse_byline(text) == names


@pytest.mark.parametrize(
    ("line", "name"),
    [
        ("Jane Q. WriterView More Articles", "Jane Q. Writer"),
        ("Ann Clark RobertsMonday 5:30PM", "Ann Clark Roberts"),
        ("Search RiverGate", None),  # a brand name: one word on each side
        ("Facebook Twitter LinkedIn", None),
        ("Ronald McDonald Speaks", None),  # "Mc" is too short to end a word
    ],
)
def test_a_name_glued_to_a_link(line: str, name: str | None) -> None:
    assert glued_name(line) == name


@pytest.mark.parametrize(
    ("line", "caption", "credit"),
    [
        (
            "Ministers shake hands in Doha on Sunday. — Reuters",
            "Ministers shake hands in Doha on Sunday.",
            "Reuters",
        ),
        (
            "Protesters gather outside parliament. (AFP)",
            "Protesters gather outside parliament.",
            "AFP",
        ),
        ("A view of the old city at dusk. Photo: File", "A view of the old city at dusk.", "File"),
        ("Police stand guard in Quetta. — Photo: AFP", "Police stand guard in Quetta.", "AFP"),
    ],
)
def test_captions_with_credits(line: str, caption: str, credit: str) -> None:
    assert caption_with_credit(line) == Caption(caption, credit)


def test_a_sentence_ending_in_brackets_is_not_a_caption() -> None:
    assert caption_with_credit("Talks resumed on Monday (after a week of delays).") is None


@pytest.mark.parametrize(
    ("line", "credit"),
    [
        ("Photo: AFP", "AFP"),
        ("Image Credit: WeWork", "WeWork"),
        ("Doug Mills/The New York Times", "Doug Mills/The New York Times"),
        ("Credit...", ""),
    ],
)
def test_credit_lines(line: str, credit: str) -> None:
    assert credit_of(line) == credit


@pytest.mark.parametrize(
    ("paragraph", "place", "rest"),
    [
        ("ISLAMABAD: The talks resumed.", "ISLAMABAD", "The talks resumed."),
        ("KABUL, Oct 28 (Reuters) - The Taliban said.", "KABUL", "The Taliban said."),
        ("ISTANBUL (AP) — Ferries stopped.", "ISTANBUL", "Ferries stopped."),
        ("HAYWARD, Calif. (AP) — A man died.", "HAYWARD, Calif.", "A man died."),
        ("NEW DELHI: Deportees returned.", "NEW DELHI", "Deportees returned."),
        ("The minister said: talks will resume.", None, "The minister said: talks will resume."),
        ("A case of plague was reported.", None, "A case of plague was reported."),
    ],
)
def test_datelines(paragraph: str, place: str | None, rest: str) -> None:
    assert split_dateline(paragraph) == (place, rest)


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("With additional input from Reuters", True),
        ("Additional reporting by Sana Qureshi", True),
        ("(Reporting by A. Writer; Editing by B. Editor)", True),
        ("With Post wires", True),
        ("With the talks stalled, both sides left Istanbul on Tuesday.", False),
    ],
)
def test_closing_credits(line: str, expected: bool) -> None:
    assert is_closing_credit(line) is expected
