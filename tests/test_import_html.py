"""The saved-HTML importer: structured metadata first, trafilatura's text, figures."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from sitegen.errors import SitegenError
from sitegen.models import Image, Source
from sitegen.normalise.draft import Draft
from sitegen.normalise.html import draft_from_html

FIXTURES = Path(__file__).parent / "fixtures" / "import"
PKT = dt.timezone(dt.timedelta(hours=5))


def imported(name: str) -> Draft:
    path = FIXTURES / name
    return draft_from_html(path.read_text(encoding="utf-8"), path)


def test_json_ld_comes_before_opengraph() -> None:
    draft = imported("jsonld-figure.html")
    assert draft.title == "Karachi port handles record cargo as exports recover"
    assert draft.date == dt.datetime(2025, 10, 28, 9, 30, tzinfo=PKT)
    assert draft.updated == dt.datetime(2025, 10, 29, 9, 10, tzinfo=PKT)
    assert draft.byline == ("Sara Malik", "Omar Farooq")
    assert draft.section == "Business"
    assert draft.dek == "Container traffic rose by a fifth in September, the port authority said."
    assert draft.source == Source(
        "The Harbour Times", "https://harbour.example/2025/10/karachi-port-record-cargo"
    )


def test_figures_become_images_with_credits() -> None:
    draft = imported("jsonld-figure.html")
    assert draft.images == (
        Image(
            caption="Cranes load containers at the Karachi terminal on Monday.",
            credit="AFP",
            src="/images/port.jpg",
            alt="Cranes at the container terminal",
        ),
        Image(
            caption="A container ship waits outside the harbour at dawn.", src="/images/ship.jpg"
        ),
    )


def test_body_dateline_subheading_and_closing_credit() -> None:
    draft = imported("jsonld-figure.html")
    assert draft.dateline == "KARACHI"
    assert draft.body.startswith("Karachi's port handled a record volume")
    assert "\n\n## New berths\n\n" in draft.body
    assert draft.credits == ("With additional input from Reuters",)
    for furniture in ("Copyright", "Home", "Cranes load", "With additional input"):
        assert furniture not in draft.body


def test_opengraph_meta_author_and_time_when_there_is_no_json_ld() -> None:
    draft = imported("opengraph-only.html")
    assert draft.title == "Lahore schools reopen after smog closure"
    assert draft.byline == ("Nadia Hussain",)
    assert draft.date == dt.date(2025, 11, 14)
    assert draft.dek == "Air quality improved after two days of rain."
    assert draft.source == Source(None, "https://news.example/lahore-schools-reopen")
    assert draft.body.count("\n\n") == 2
    assert draft.section is None and draft.images == () and draft.updated is None


def test_page_without_an_article_fails() -> None:
    with pytest.raises(SitegenError, match="no article text found"):
        imported("no-article.html")


def test_page_without_any_date_fails() -> None:
    page = (FIXTURES / "opengraph-only.html").read_text(encoding="utf-8")
    page = page.replace('<time datetime="2025-11-14">14 November 2025</time>', "")
    with pytest.raises(SitegenError, match="no date found"):
        draft_from_html(page, Path("undated.html"))


def test_xhtml_with_an_xml_declaration_is_read() -> None:
    page = (FIXTURES / "opengraph-only.html").read_text(encoding="utf-8")
    page = '<?xml version="1.0" encoding="utf-8"?>\n' + page.removeprefix("<!DOCTYPE html>\n")
    assert (
        draft_from_html(page, Path("page.xhtml")).title
        == "Lahore schools reopen after smog closure"
    )
