"""Rules of the copied-text importer that generalise across page layouts.

Each fixture is written for the project in a shape news pages print; none is
copied from a real page.
"""

from __future__ import annotations

from pathlib import Path

from sitegen.normalise.draft import Draft
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
