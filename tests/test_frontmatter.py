"""Reading files: encodings, the `---` fences, YAML errors with their lines."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from sitegen.errors import SitegenError
from sitegen.frontmatter import load, parse
from sitegen.schema import article_from

SHOWN = Path("content/articles/a.md")


def test_fields_keep_their_lines() -> None:
    doc = parse("---\ntitle: A\n\ndate: 2025-10-28\n---\nBody\n", SHOWN)
    assert doc.fields["title"].line == 2
    assert doc.fields["date"].line == 4
    assert doc.fields["date"].value == dt.date(2025, 10, 28)
    assert doc.body == "Body\n"
    assert doc.body_line == 6


@pytest.mark.parametrize(("text", "message"), [
    ("", "content/articles/a.md:1: empty file: an article needs front-matter with a title "
         "and date"),
    ("title: A\n", "content/articles/a.md:1: no front-matter: the file must start with a line "
                   "`---`, then YAML, then `---`"),
    ("---\ntitle: A\n", "content/articles/a.md:1: front-matter is not closed: did you forget "
                        "the closing `---`?"),
    ("---\ntitle: [A\ndate: 2025-01-01\n---\n",
     "content/articles/a.md:3: malformed YAML: did not find expected ',' or ']' "
     "(while parsing a flow sequence)"),
    ("---\ntitle: A\ndate: 2025-02-30\nupdated: 2025-03-01T10:00:00\n---\n",
     "content/articles/a.md:3: invalid value for 'date': day is out of range for month\n"
     "content/articles/a.md:4: 'updated' has no UTC offset: write it as e.g. "
     "2025-10-28T09:10:00+05:00"),
    ("---\ntitle: A\ntitle: B\ndate: 2025-01-01\n---\n",
     "content/articles/a.md:3: duplicate key 'title'"),
])
def test_errors_name_file_and_line(text: str, message: str) -> None:
    with pytest.raises(SitegenError) as caught:
        article_from(parse(text, SHOWN), "en")
    assert str(caught.value) == message


def test_bom_and_crlf_are_read(tmp_path: Path) -> None:
    path = tmp_path / "a.md"
    path.write_bytes(b"\xef\xbb\xbf---\r\ntitle: A\r\ndate: 2025-01-01\r\n---\r\nBody\r\n")
    doc = load(path, SHOWN)
    assert doc.fields["title"].value == "A"
    assert doc.body == "Body\n"


@pytest.mark.parametrize(("data", "message"), [
    (b"---\ntitle: \xe9t\xe9\n---\n",
     "content/articles/a.md:2: not UTF-8 text (byte 0xe9); save the file as UTF-8"),
    (b"\x89PNG\r\n\x1a\n\x00\x00",
     "content/articles/a.md:3: binary file: not a Markdown text file"),
])
def test_undecodable_files(tmp_path: Path, data: bytes, message: str) -> None:
    path = tmp_path / "a.md"
    path.write_bytes(data)
    with pytest.raises(SitegenError) as caught:
        load(path, SHOWN)
    assert str(caught.value) == message


def test_huge_file_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "a.md"
    path.write_bytes(b"---\ntitle: A\n---\n" + b"word " * 4_200_000)
    with pytest.raises(SitegenError, match=r"file is too large \(20\.0 MB; the limit is 5 MB\)"):
        load(path, SHOWN)
