"""Listing entries as views: their date texts and text directions, handed on."""

from __future__ import annotations

import datetime as dt
import json
import subprocess
import sys
from pathlib import Path

from sitegen.models import Article
from sitegen.views import article_summary, forget_summaries, listing_texts

ARTICLES = [
    Article(path=Path("a.md"), title="Floods", slug="floods", date=dt.date(2025, 1, 2)),
    Article(path=Path("b.md"), title="بارش", slug="barish", lang="ur",
            date=dt.datetime(2024, 9, 3, 18, 30, tzinfo=dt.UTC)),
]

# A fresh interpreter learns the texts, then makes the summaries.
LEARNED = """
import json, sys, datetime as dt
from pathlib import Path
from sitegen.models import Article
from sitegen.views import article_summary, learn_texts
dates, directions, articles = json.loads(sys.stdin.read())
learn_texts((dates, directions))
summaries = [article_summary(Article(path=Path(a["path"]), title=a["title"], slug=a["slug"],
                                     lang=a["lang"], date=dt.datetime.fromisoformat(a["date"])
                                     if "T" in a["date"] else dt.date.fromisoformat(a["date"])))
             for a in articles]
print(json.dumps([summaries, "babel" in sys.modules]))
"""


def test_learned_texts_make_the_same_summaries_without_babel() -> None:
    forget_summaries()
    made = [article_summary(a) for a in ARTICLES]
    assert made[0]["date"]["text"] == "January 2, 2025" and made[1]["dir"] == "rtl"
    dates, directions = listing_texts(ARTICLES)
    articles = [{"path": str(a.path), "title": a.title, "slug": a.slug, "lang": a.lang,
                 "date": a.date.isoformat()} for a in ARTICLES]
    result = subprocess.run([sys.executable, "-c", LEARNED], capture_output=True, text=True,
                            check=True, input=json.dumps([dates, directions, articles]))
    summaries, imported = json.loads(result.stdout)
    assert summaries == json.loads(json.dumps(made)) and imported is False


def test_an_unknown_text_is_still_written_by_babel() -> None:
    """Texts not learned (a language or date the full build did not show) are made."""
    script = ("import sys, datetime as dt; from sitegen.views import date_text, "
              "text_direction, learn_texts; learn_texts(({}, {})); "
              "print(date_text(dt.date(2020, 2, 29), 'en'), text_direction('ar'))")
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                            check=True)
    assert result.stdout.split() == ["February", "29,", "2020", "rtl"]
