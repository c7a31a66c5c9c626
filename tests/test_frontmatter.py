"""Reading files: encodings, the `---` fences, YAML errors with their lines."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sitegen.errors import SitegenError
from sitegen.frontmatter import load, parse
from sitegen.plain_front_matter import plain_fields
from sitegen.schema import article_from
from sitegen.yaml_front_matter import read_yaml

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


def _typed(value: object) -> object:
    """A value with the type of every part beside it: 1, True and "1" all differ."""
    if isinstance(value, dict):
        return ("dict", [(_typed(k), _typed(v)) for k, v in value.items()])
    if isinstance(value, list):
        return ("list", [_typed(v) for v in value])
    return (type(value).__name__, repr(value))


def _yaml_reading(front: str) -> dict[str, object] | None:
    """What PyYAML makes of `front`: each key's typed value and line, or None when it
    reports an error."""
    try:
        fields, errors = read_yaml(front, Path("a.md"))
    except SitegenError:
        return None
    if errors:
        return None
    return {key: (_typed(field.value), field.line) for key, field in fields.items()}


# Scalars as front matter has them, and text YAML reads as something else or rejects.
_SCALAR = st.sampled_from([
    "Doha talks", "Doha talks resume.", "yes", "No", "on", "off", "~", "null", "Null", "12",
    "012", "0o12", "0x1F", "1_000", "1:30", "3.5", "1e3", ".inf", "-5", "+5", "2025-10-28",
    "2025-02-30", "2017-09-05T20:12:00+05:00", "2025-10-28 10:00:00", "a: b", "a:b", "a #b",
    "a#b", "C#", "it's", '"q"', "'q'", "x,", "x, y", "[a]", "{a: b}", "- a", "? x", "! x",
    "&a", "*a", "|", ">", "%x", "@x", "`x", "=", "<<", "a\tb", "a ", " a", "\u00e9t\u00e9",
    "\u00a0x", "x\u00a0", "x:", "x: ", "a\u2028b", "(centre) right", "50%", "a, b.", "",
    # Single-quoted, as dumpers write a headline with ": " or a caption with a comma.
    "'Budget: what changed'", "'a, b'", "'it''s'", "''", "''''", "'a''", "'a' b", "'a'b'",
    "'#x'", "' a '", "'[a], {b}'", "'x", "'yes'", "'12'", "'a\tb'", "'\u00e9t\u00e9'",
    "'a\u2028b'", "' '"])
_KEY = st.sampled_from(["title", "tags", "date", "yes", "1", "a-b", "_x", "caption", "credit",
                        "Title", "x y"])


@st.composite
def _line_groups(draw: st.DrawFn) -> str:
    """One key and its value: a scalar, a flow list or mapping, or a block list."""
    key = draw(_KEY)
    kind = draw(st.sampled_from(["scalar", "flow list", "flow mapping", "block list",
                                 "block mappings"]))
    if kind == "scalar":
        return f"{key}{draw(st.sampled_from([': ', ':', ':  ']))}{draw(_SCALAR)}"
    items = draw(st.lists(_SCALAR, max_size=2))
    if kind == "flow list":
        separator = draw(st.sampled_from([", ", ",", " , "]))
        return f"{key}: [{separator.join(items)}]"
    if kind == "flow mapping":
        pairs = [f"{draw(_KEY)}: {item}" for item in items]
        return f"{key}: {{{', '.join(pairs)}}}"
    if kind == "block list":
        return "\n".join([f"{key}:", *(f"- {item}" for item in items)])
    lines = [f"{key}:"]
    for item in items:
        lines.append(f"- {draw(_KEY)}: {item}")
        indent = draw(st.sampled_from(["  ", "  ", " ", "   "]))
        lines += [f"{indent}{draw(_KEY)}: {draw(_SCALAR)}"] * draw(st.integers(0, 2))
    return "\n".join(lines)


@settings(max_examples=1000, deadline=None)
@given(groups=st.lists(_line_groups(), min_size=1, max_size=3))
def test_plain_front_matter_is_read_as_pyyaml_reads_it(groups: list[str]) -> None:
    """The shortcut (sitegen.plain_front_matter) gives PyYAML's fields and lines, or
    declines; it never takes what PyYAML rejects."""
    front = "\n".join(groups)
    plain = plain_fields(front)
    if plain is not None:
        assert {key: (_typed(value), line) for key, (value, line) in plain.items()} == (
            _yaml_reading(front))


@pytest.mark.parametrize("front", [
    "a: x\u2028y", "a: x\u0085y", "a:\n- yes: x", "a: {yes: x}", "a: {1: x}", "a:\n- 1: x",
    "a:\n- k: x\n  on: y", "a: x #c", "a: x:", "a: 'q'", "a: [x, [y]]", "a: 2025-02-30",
    "a: [2025-02-30]", "a:\n- k: x\n credit: y", "a:\n- k: x\n   credit: y", "a:", "a: ",
    "a: [a: b]", "a: {k: v: w}", "a: [x,]", "a: {k: x,}", "a: x\n\nb: y", "a: 1\na: 2",
    "a:\n- x\n  y: z", "a: !!str 1", "a: &x y", "a: x\tb", "a: \ufeffx",
    "a: [a{b]", "a: [a}b]", "a: {k: a]b}", "a: {k: x, k: y}", "a:\n- k: x\n  k: y",
    "a: 'x' #c", "a: 'x' ", "a: {'k': x}", "a: ['x' , y]", "a: {k: 'x',l: 'y'}", "a: ['x''']",
    "a: [x, 'y]", "a: {k: 'v, w}", "a: ['x'y, z]", "a: 'x''", "a:\n- 'x'\n- k: 'y: z'",
    "a: 'a\u0085b'", "a: 'x\u0007'", "a: ['a\u0085b']"])
def test_front_matter_the_shortcut_must_decline_or_read_alike(front: str) -> None:
    plain = plain_fields(front)
    if plain is not None:
        assert {key: (_typed(value), line) for key, (value, line) in plain.items()} == (
            _yaml_reading(front))


def test_an_article_s_front_matter_takes_the_shortcut() -> None:
    front = ("title: Pak-Afghan talks enter 'final round' as Islamabad pushes on\n"
             "dek: Taliban delegation acknowledges concerns, officials say.\n"
             "byline: [Zarmeen Zehra, Staff Reporter]\ndate: 2025-10-28T10:00:00+05:00\n"
             "tags: [Doha ceasefire, TTP]\nimages:\n- caption: Ministers (centre) meet\n"
             "  credit: Reuters\n- {caption: 'Talks resume, at last.', credit: APP}\n"
             "- caption: 'Doha: the talks'' last day'\n"
             "credits:\n- With input from Reuters")
    plain = plain_fields(front)
    assert plain is not None
    assert {key: (_typed(value), line) for key, (value, line) in plain.items()} == (
        _yaml_reading(front))
    assert plain["images"][1] == 7 and plain["date"][0].utcoffset() == dt.timedelta(hours=5)
    assert plain["images"][0][1:] == [{"caption": "Talks resume, at last.", "credit": "APP"},
                                      {"caption": "Doha: the talks' last day"}]
