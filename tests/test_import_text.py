"""The copied-text importer on fixtures in the shapes news pages print."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from sitegen.errors import SitegenError
from sitegen.models import Image
from sitegen.normalise.draft import Draft
from sitegen.normalise.text import draft_from_text
from sitegen.normalise.writer import render

FIXTURES = Path(__file__).parent / "fixtures" / "import"


def imported(name: str) -> Draft:
    path = FIXTURES / name
    return draft_from_text(path.read_text(encoding="utf-8"), path)


def test_sample_article_every_field() -> None:
    draft = imported("pak-afghan-talks-final-round.txt")
    assert draft.title == (
        "Pak-Afghan last-ditch talks enter 'final round' as Islamabad pushes for resolution"
    )
    assert draft.dek == (
        "Taliban delegation acknowledges Islamabad's terrorism concerns but shifts stance "
        "on instructions from Kabul, say sources"
    )
    assert draft.byline == ("Zarmeen Zehra",)
    assert draft.date == dt.date(2025, 10, 28)
    assert draft.updated is None
    assert draft.dateline is None  # none is printed
    assert draft.section == "Pakistan"
    assert draft.images == (
        Image(
            caption="Defence Minister Khawaja Muhammad Asif (centre right) shakes hands with "
            "Afghan Defence Minister Mullah Mohammad Yaqoob Mujahid, following the signing of "
            "a ceasefire agreement in Doha on October 19, 2025.",
            credit="Reuters",
        ),
    )
    assert draft.credits == ("With additional input from Reuters",)
    assert draft.tags == ()
    assert draft.source is None


def test_sample_article_body() -> None:
    body = imported("pak-afghan-talks-final-round.txt").body
    assert body.startswith("The Pakistani delegation and mediator Turkiye")
    assert body.endswith("to ensure peace and stability.")
    assert "\n\n## Pak-Afghan tensions\n\n" in body
    for furniture in ("Advertisement", "Next Story", "More From Pakistan", "— Reuters"):
        assert furniture not in body
    assert "“precision strikes”" in body  # quotes as printed
    assert all(not line.endswith(" ") for line in body.split("\n"))
    assert "\n\n\n" not in body
    assert body.count("\n\n") == 17  # 18 blocks: 17 paragraphs and one sub-heading


def test_ap_dateline_several_authors_and_photo_credit() -> None:
    draft = imported("ap-dateline.txt")
    assert draft.title == "Ferry operators strike as Bosporus traffic grinds to a halt"
    assert draft.byline == ("Leyla Demir", "Jonathan Park")
    assert draft.date == dt.date(2025, 10, 28)
    assert draft.dateline == "ISTANBUL"
    assert draft.body.startswith("Ferry crews across Istanbul walked off the job")
    assert draft.images == (
        Image(
            caption="Commuters wait at the Kadikoy pier in Istanbul on Tuesday, Oct. 28, 2025.",
            credit="AP Photo/Emre Kaya",
        ),
    )
    for furniture in ("Share", "Advertisement", "Read more", "Trending", "Copyright"):
        assert furniture not in draft.body


def test_reuters_dateline_agency_byline_published_and_updated() -> None:
    draft = imported("reuters-dateline.txt")
    assert draft.byline == ("Reuters",)
    assert draft.date == dt.date(2025, 10, 28)
    assert draft.updated == dt.date(2025, 10, 29)
    assert draft.dateline == "KABUL"
    assert draft.body.startswith("The Taliban administration will reopen")
    assert "## Border reopening" in draft.body
    assert draft.credits == ("Reporting by Mohammad Yunus Yawar; Editing by Sharon Singleton",)
    assert "Our Standards" not in draft.body


def test_city_colon_dateline_correspondent_and_file_photo() -> None:
    draft = imported("city-colon.txt")
    assert draft.dateline == "ISLAMABAD"
    assert draft.byline == ("Our Correspondent",)
    assert draft.date == dt.date(2025, 10, 28)
    assert draft.body.startswith("The federal cabinet on Tuesday approved")
    assert draft.images == (
        Image(
            caption="A farmer prepares his field for sowing on the outskirts of Lahore.",
            credit="File",
        ),
    )
    assert draft.credits == ("Additional reporting by Sana Qureshi",)
    assert "Comments are closed" not in draft.body


def test_pipe_separated_authors_iso_date_and_dash_credit() -> None:
    draft = imported("several-authors.txt")
    assert draft.byline == ("Amina Khan", "Bilal Ahmed")
    assert draft.date == dt.date(2025, 10, 28)
    assert draft.dateline is None
    assert draft.images == (
        Image(
            caption="Members of the survey team cross the Baltoro glacier in August.", credit="AFP"
        ),
    )
    assert "Related stories" not in draft.body
    assert "Floods displace" not in draft.body


def test_page_with_only_a_relative_date_fails() -> None:
    with pytest.raises(SitegenError, match="no date found") as caught:
        imported("no-date.txt")
    assert caught.value.path == FIXTURES / "no-date.txt"


def test_page_without_headline_fails() -> None:
    text = "\n".join(["Home", "News", "", "2025-10-28", ""] + ["word " * 3] * 3)
    with pytest.raises(SitegenError, match="no headline found"):
        draft_from_text(text, Path("x.txt"))


LINES = st.sampled_from(
    [
        "",
        "By Ann Lee and Bo Chan",
        "October 28, 2025",
        "2 hours ago",
        "Advertisement",
        "Headline: about the thing that happened 'today'",
        "ISLAMABAD: Talks went on for many hours on Monday, officials said in a statement.",
        "A photo of the talks in Doha on Sunday. — Reuters",
        "Photo: AFP",
        "1. A paragraph that starts like a numbered list item and goes on for a while.",
        "More From Pakistan",
    ]
) | st.text(max_size=60)


@settings(max_examples=150, deadline=None)
@given(st.lists(LINES, max_size=30))
def test_any_text_gives_a_draft_or_a_located_error(lines: list[str]) -> None:
    try:
        draft = draft_from_text("\n".join(lines), Path("any.txt"))
    except SitegenError as exc:
        assert exc.path == Path("any.txt")
        return
    _, meta, _ = render(draft).split("---\n", 2)
    assert yaml.safe_load(meta)["title"] == draft.title
