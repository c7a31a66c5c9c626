"""Read a Markdown file with YAML front-matter into located values.

Reading is kept apart from validation (schema.py): this module knows bytes,
encodings and YAML; it returns each front-matter key with the line it is on,
so every later error can point at that line.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from sitegen.errors import SitegenError
from sitegen.plain_front_matter import plain_fields

# An archive article is a few KB; anything this large is a mistake (a pasted
# dump, a binary) and would make the build crawl, so it is refused.
MAX_FILE_BYTES = 5 * 1024 * 1024

_Loader: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


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
    front, body, body_line = split(text, display)
    plain = plain_fields(front)
    if plain is not None:  # the commonest front matter, read faster
        fields = {key: Field(value, line) for key, (value, line) in plain.items()}
        return Document(display, fields, body, body_line)
    fields, errors = read_yaml(front, display)
    return Document(display, fields, body, body_line, tuple(errors))


def read_yaml(front: str, display: Path) -> tuple[dict[str, Field], list[SitegenError]]:
    """The front matter's fields as PyYAML reads them, and the values it could not
    build; raises when it is not YAML, or not a mapping."""
    try:
        node = yaml.compose(front, Loader=_Loader)
    except yaml.YAMLError as exc:
        raise _yaml_error(exc, display) from None
    if node is None:
        return {}, []
    if not isinstance(node, yaml.MappingNode):
        raise SitegenError("front-matter must be `key: value` lines", display,
                           node.start_mark.line + 2)
    return _fields(node, display)


def load(path: Path, display: Path) -> Document:
    return parse(read_text(path, display), display)


def _fields(node: yaml.MappingNode, display: Path) -> tuple[dict[str, Field], list[SitegenError]]:
    constructor = _Loader("")
    fields: dict[str, Field] = {}
    errors: list[SitegenError] = []
    for key_node, value_node in node.value:
        line = key_node.start_mark.line + 2  # +1 for 1-based, +1 for the opening `---`
        key = str(key_node.value)
        if key in fields:
            errors.append(SitegenError(f"duplicate key '{key}'", display, line))
            continue
        try:
            value = constructor.construct_object(value_node, deep=True)
        except (yaml.YAMLError, ValueError, TypeError) as exc:
            errors.append(SitegenError(f"invalid value for '{key}': {_reason(exc)}",
                                       display, value_node.start_mark.line + 2))
            fields[key] = Field(INVALID, line)
            continue
        fields[key] = Field(value, line)
    return fields, errors


def _reason(exc: Exception) -> str:
    if isinstance(exc, yaml.MarkedYAMLError) and exc.problem:
        return exc.problem
    return str(exc)


def _yaml_error(exc: yaml.YAMLError, display: Path) -> SitegenError:
    if isinstance(exc, yaml.MarkedYAMLError):
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 2 if mark else None
        problem = exc.problem or "malformed YAML"
        context = f" ({exc.context})" if exc.context else ""
        return SitegenError(f"malformed YAML: {problem}{context}", display, line)
    return SitegenError(f"malformed YAML: {exc}", display, 1)
