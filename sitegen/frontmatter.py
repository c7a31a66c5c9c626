"""Read a Markdown file with YAML front-matter into located values.

Reading is kept apart from validation (schema.py): this module knows bytes,
encodings and YAML; it returns each front-matter key with the line it is on,
so every later error can point at that line. The values are read by
sitegen.plain_front_matter when the front matter is of its plain form, else by
sitegen.yaml_front_matter, with PyYAML's parser.

Both are imported only when front matter is read (PyYAML costs about 0.01 s): a
quick rebuild after an edit that left the front matter as it was takes the
fields it had (`sitegen.content.parse_article`) and never needs them.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sitegen.errors import SitegenError

# An archive article is a few KB; anything this large is a mistake (a pasted
# dump, a binary) and would make the build crawl, so it is refused.
MAX_FILE_BYTES = 5 * 1024 * 1024

# Stands for a value that YAML could not build; its error is in Document.errors.
INVALID = object()


@dataclass(frozen=True)
class Field:
    """One front-matter value and the 1-based line of its key."""

    value: Any
    line: int


@dataclass(frozen=True)
class Document:
    path: Path
    fields: dict[str, Field]
    body: str
    body_line: int  # 1-based line of the body's first line
    # Values YAML itself could not build (e.g. 2025-02-30): reported with the
    # schema's own errors so that the user sees every problem at once.
    errors: tuple[SitegenError, ...] = ()


def read_bytes(path: Path, display: Path) -> bytes:
    """A content file's bytes; unreadable and oversized files are errors."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise SitegenError(f"cannot read file: {exc.strerror or exc}", display) from None
    if len(data) > MAX_FILE_BYTES:
        size = len(data) / 1024 / 1024
        limit = MAX_FILE_BYTES // 1024 // 1024
        raise SitegenError(f"file is too large ({size:.1f} MB; the limit is {limit} MB)", display)
    return data


def decode(data: bytes, display: Path) -> str:
    """Decode a content file: UTF-8 with or without BOM; CRLF becomes LF."""
    if b"\0" in data:
        line = data[: data.index(b"\0")].count(b"\n") + 1
        raise SitegenError("binary file: not a Markdown text file", display, line)
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise SitegenError(
            f"not UTF-8 text (byte 0x{data[exc.start]:02x}); save the file as UTF-8",
            display,
            line,
        ) from None
    return text.replace("\r\n", "\n").replace("\r", "\n")


def read_text(path: Path, display: Path) -> str:
    return decode(read_bytes(path, display), display)


def split(text: str, display: Path) -> tuple[str, str, int]:
    """Split `---` front-matter from the body; returns (yaml, body, body_line)."""
    if not text.strip():
        raise SitegenError("empty file: an article needs front-matter with a title and date",
                           display, 1)
    if not text.startswith("---\n"):
        raise SitegenError(
            "no front-matter: the file must start with a line `---`, then YAML, then `---`",
            display, 1)
    lines = text.split("\n")
    for index in range(1, len(lines)):
        if lines[index].rstrip() in ("---", "..."):
            front = "\n".join(lines[1:index])
            body = "\n".join(lines[index + 1 :])
            return front, body, index + 2
    raise SitegenError(
        "front-matter is not closed: did you forget the closing `---`?", display, 1)


def parse(text: str, display: Path) -> Document:
    """Parse a whole file's text into a Document; errors carry the file line."""
    return parse_split(display, *split(text, display))


def parse_split(display: Path, front: str, body: str, body_line: int) -> Document:
    """The Document of a file's parts, as `split` gives them."""
    from sitegen.plain_front_matter import plain_fields
    from sitegen.yaml_front_matter import read_yaml

    plain = plain_fields(front)
    if plain is not None:  # the commonest front matter, read faster
        fields = {key: Field(value, line) for key, (value, line) in plain.items()}
        return Document(display, fields, body, body_line)
    fields, errors = read_yaml(front, display)
    return Document(display, fields, body, body_line, tuple(errors))


def load(path: Path, display: Path) -> Document:
    return parse(read_text(path, display), display)
