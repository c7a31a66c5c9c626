"""Rules of the copied-text importer that generalise across page layouts.

Each fixture is written for the project in a shape news pages print; none is
copied from a real page.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from sitegen.models import Image
from sitegen.normalise.draft import Draft
from sitegen.normalise.layout import Page
from sitegen.normalise.lines import Caption, caption_with_credit
from sitegen.normalise.text import draft_from_text

FIXTURES = Path(__file__).parent / "fixtures" / "import"


def imported(name: str) -> Draft:
    path = FIXTURES / name
    return draft_from_text(path.read_text(encoding="utf-8"), path)


def test_a_run_of_furniture_lines_ends_the_body_before_the_comments() -> None:
    draft = imported("comments-after-story.txt")
    assert draft.body.startswith("The water level of the country's largest lake")
    assert draft.body.endswith("could make such lows more frequent.")
    assert "landing stage sit this high" not in draft.body


@pytest.mark.parametrize(
    ("name", "byline"),
    [
        ("desk-byline.txt", ("Metro News Bureau",)),  # place, desk | date
        ("login-byline.txt", ("editor",)),  # a site account's login before the date
        ("agency-after-date.txt", ("Valley Press Agency",)),  # date / time / agency
    ],
)
def test_names_printed_beside_the_date(name: str, byline: tuple[str, ...]) -> None:
    draft = imported(name)
    assert draft.title == "Port authority approves a second container terminal on the river"
    assert draft.byline == byline
    assert draft.date == dt.date(2025, 11, 3)
    assert draft.body.startswith("The port authority on Monday approved")


def test_a_copied_table_is_body_and_a_short_headline_beats_a_share_bar() -> None:
    draft = imported("standings-table.txt")
    assert draft.title == "League Standings"  # not the share bar printed below the date
    assert draft.byline == ()
    assert draft.date == dt.date(2025, 11, 1)
    assert "| Pos. | Club | Played | Points |\n| --- | --- | --- | --- |\n" in draft.body
    assert "| 8 | Castle Vale | 22 | 12 |" in draft.body
    assert draft.body.endswith("the eighth and ninth of November.")
    assert "Share this page" not in draft.body


def test_captions_closed_by_credits_and_a_caption_above_the_dateline() -> None:
    draft = imported("captions-without-and-closing-credits.txt")
    assert draft.dateline == "ALPENDORF, Austria"
    assert draft.body.startswith("The mountain railway reopened on Tuesday")
    assert draft.images == (
        Image(
            caption="Passengers board the first train to leave the valley station since the "
            "line was closed last year.",
            credit=None,
        ),
        Image(
            caption="A maintenance crew checks the new track bed above the valley station on "
            "Monday.",
            credit="Alpine Press / Karl Huber",
        ),
        Image(
            caption="The rebuilt viaduct seen from the valley road at dusk",
            credit="Karl Huber via Alpine Press",
        ),
        Image(
            caption="Commuters leave the first train at the valley station.",
            credit="ALPINE PRESS/Karl Huber",
        ),
    )
    assert "Karl Huber" not in draft.body


def test_a_title_case_line_closed_by_a_source_in_brackets_is_not_a_caption() -> None:
    line = "Why The Valley Railway Matters More Than Ever [Alpine Press]"
    assert caption_with_credit(line) is None
    assert caption_with_credit("A train crosses the rebuilt viaduct [Alpine Press]") == Caption(
        "A train crosses the rebuilt viaduct", "Alpine Press"
    )


def test_a_date_printed_over_lines_and_a_repeated_label_above_the_headline() -> None:
    draft = imported("date-over-lines.txt")
    # "Breaking News" is printed twice and sits above a long ticker line, but a
    # label of two words that recurs is a menu item, not an echoed headline.
    assert draft.title == "Harbour board approves new breakwater for the old fishing port"
    assert draft.date == dt.date(2025, 11, 3)  # "November 3" / "10:07" / "2025"
    assert draft.byline == ("Riverside Weekly Post",)
    assert draft.dateline == "PORTHAVEN"
    assert draft.body.endswith("at a cost the board put at twelve million.")


def test_a_list_of_dated_links_under_the_header_is_not_the_header() -> None:
    draft = imported("related-list-under-header.txt")
    # The related stories' dates sit nearest the body; the header is above
    # them and above a drop-down menu copied item by item.
    assert draft.title == "Harbour board approves new breakwater for the old fishing port"
    assert draft.date == dt.date(2025, 11, 3)
    # "Jane Q. WriterView More Articles": a name glued to a link is a byline.
    assert draft.byline == ("Jane Q. Writer",)
    assert draft.dek == "Fishermen say the wall should have been built ten years ago"
    assert draft.body.startswith("The harbour board on Monday approved")


def test_a_full_name_under_the_headline_beats_one_word_beside_the_date() -> None:
    draft = imported("section-beside-date.txt")  # "Politics November 3, 2025"
    assert draft.byline == ("Jane Writer",)
    assert draft.date == dt.date(2025, 11, 3)


def test_a_list_of_time_stamped_teasers_is_not_body() -> None:
    draft = imported("teasers-after-story.txt")
    assert draft.date == dt.date(2025, 11, 3)
    assert draft.body.endswith("at a cost the board put at twelve million.")
    assert "ferry company" not in draft.body.lower()


def _listed(lines: list[str]) -> list[str]:
    page = Page.of("\n".join(lines))
    return [page.lines[i] for i in sorted(page.listed)]


def test_time_stamps_that_make_a_list() -> None:
    comment = "I think the new wall will help, but the harbour should stay open all winter."
    comments = ["Sam", "2 days ago at 07:52 am", comment, "Rating: 3 Votes"] * 2
    comments += ["Ann", "3 days ago at 11:05 pm", comment]
    assert _listed(comments)[0] == "2 days ago at 07:52 am"
    assert _listed(comments)[-1] == "3 days ago at 11:05 pm"
    # A menu item printed three times is the same each time: not a list's stamps.
    assert _listed(["12:30 Report", "News", "12:30 Report", "Sport", "12:30 Report"]) == []
    # A story's own date, far from the dates of a list further down, stays out.
    story = ["Story", "November 3, 2025", *[comment] * 13, "Teaser", "November 2, 2025"]
    assert "November 3, 2025" not in _listed([*story, "T", "November 1, 2025", "October 9, 2025"])


def test_short_lines_printed_beside_the_story_text_are_kept() -> None:
    body = imported("short-lines-in-body.txt").body
    assert "\n\nHarbour tour by boat for £12\n\nBook at the harbour office\n\n" in body
    assert "Share this" not in body and "Print" not in body
    assert body.endswith("colder than the thermometer says.")


def test_a_numbered_list_of_short_items_is_body() -> None:
    body = imported("numbered-list.txt").body
    assert "A waterproof deck watch" in body
    assert body.endswith("Rope splicing kit for beginners")
    assert "shop.example.com" not in body and "Leave a comment" not in body


def test_numbers_out_of_order_make_no_list() -> None:
    assert Page.of("1) One thing\n2) Two things\n3) Three things").numbered == {0, 1, 2}
    assert Page.of("2) Two\n3) Three\n4) Four").numbered == frozenset()  # no first item
    assert Page.of("1) One\n3) Three\n4) Four").numbered == frozenset()
