"""The commonest front matter read without PyYAML's parser: one `key: value` line per
key, each value a plain or single-quoted scalar, a flow list or mapping of them
(`tags: [Doha, TTP]`), or a block list of them or of such mappings (`images:` with
`- caption: ...` lines).

PyYAML's parser is C, but it asks its Python resolver about every scalar and
builds a node for each, which the constructor then walks: 0.10 ms for a
benchmark article's front matter, a fifth of loading it; here 0.03 ms. Each
line is split once, and each value is still given its type by PyYAML's own
resolver and constructor (so "2025-10-28" is a date and "yes" a bool, as
before); only finding the values in the text is done by hand. Anything that is
not plainly of this form (a double quote, a comment, a nested block, a key
twice, a character YAML treats specially) gives None, and the caller reads the
text with PyYAML as before, so the fields are always the ones PyYAML makes
(tests/test_frontmatter.py compares the two on generated front matter).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import yaml

_LOADER: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
# Resolving and constructing a scalar keep no state: one instance serves every file.
_CONSTRUCTOR = _LOADER("")
# Typed here: the stubs leave the resolver's method untyped.
_RESOLVE: Callable[[type[yaml.Node], str, tuple[bool, bool]], str] = _CONSTRUCTOR.resolve

# A key and, unless a block list follows on the next lines, its value.
_KEY = re.compile(r"([A-Za-z_][A-Za-z0-9_-]{0,63}):(?: (.+))?")
# What may not begin a plain scalar here (YAML's indicators, a space).
_NOT_FIRST = frozenset("-?:,[]{}#&*!|>'\"%@` ")
# Within a flow list or mapping, a plain scalar may not hold these either.
_FLOW_INDICATORS = frozenset(",[]{}#:")
_STR = "tag:yaml.org,2002:str"
# A single-quoted scalar on one line: its quotes are doubled within. YAML dumpers quote
# a headline with ": " in it, or a caption with a comma in a flow mapping, this way.
_QUOTED = r"'(?:[^']|'')*'"
_QUOTED_SCALAR = re.compile(_QUOTED)
# One item of a flow list, or one `key: value` entry of a flow mapping, and the comma
# after it (none after the last). A comma inside quotes is not a separator.
_FLOW_ITEM = re.compile(rf" *({_QUOTED}|[^,]*?) *(,|$)")
_FLOW_ENTRY = re.compile(rf" *([^,]*?): ({_QUOTED}|[^,]*?) *(,|$)")

# A value and the 1-based line of its key in the file (the opening `---` is line 1).
Located = tuple[Any, int]

# What reading a part gives when it is not of the plain form (None is a value).
_NOT_PLAIN = object()


def plain_fields(front: str) -> dict[str, Located] | None:
    """Each key's value and line, when all of `front` is of the plain form; else None
    (see the module doc)."""
    lines = front.split("\n")
    fields: dict[str, Located] = {}
    index = 0
    while index < len(lines):
        found = _KEY.fullmatch(lines[index])
        if found is None or found[1] in fields:
            return None
        line = index + 2
        if found[2] is None:  # a block list: its items are the lines after
            value, index = _block_list(lines, index + 1)
        else:
            value, index = _value(found[2]), index + 1
        if value is _NOT_PLAIN:
            return None
        fields[found[1]] = (value, line)
    return fields


def _block_list(lines: list[str], start: int) -> tuple[Any, int]:
    """The list whose items begin with "- " on the lines from `start`, and the index of
    the line after it; _NOT_PLAIN when it is not a list of plain values or of
    mappings of them (a mapping's other keys on lines indented two spaces)."""
    items: list[Any] = []
    index = start
    while index < len(lines) and lines[index].startswith("- "):
        if _KEY.fullmatch(lines[index], 2) is None:
            items.append(_value(lines[index][2:]))
            index += 1
        else:
            mapping, index = _item_mapping(lines, index)
            items.append(mapping)
        if items[-1] is _NOT_PLAIN:
            return _NOT_PLAIN, index
    return (items if items else _NOT_PLAIN), index


def _item_mapping(lines: list[str], start: int) -> tuple[Any, int]:
    """The mapping of a list item that begins at line `start`, and the index of the
    line after it; _NOT_PLAIN when it is not a mapping of plain values."""
    mapping: dict[str, Any] = {}
    index = start
    while index == start or index < len(lines) and lines[index].startswith("  "):
        entry = _KEY.fullmatch(lines[index], 2)
        # Its keys are resolved as values are: "yes" would be True, so not plain.
        if entry is None or entry[2] is None or _scalar(entry[1]) != entry[1]:
            return _NOT_PLAIN, index
        value = mapping[entry[1]] = _value(entry[2])
        if value is _NOT_PLAIN:
            return _NOT_PLAIN, index
        index += 1
    return mapping, index


def _value(text: str) -> Any:
    """A scalar's value or a flow list's or mapping's, or _NOT_PLAIN."""
    if text[:1] == "[" and text[-1:] == "]":
        return _list(text[1:-1])
    if text[:1] == "{" and text[-1:] == "}":
        return _flow_mapping(text[1:-1])
    if text[:1] == "'":
        return _quoted(text)
    return _scalar(text)


def _flow_mapping(inside: str) -> Any:
    """The mapping of a flow mapping's `key: value` entries, or _NOT_PLAIN."""
    entries = _flow_parts(_FLOW_ENTRY, inside)
    if entries is None:
        return _NOT_PLAIN
    mapping: dict[str, Any] = {}
    for key, text in entries:
        value = _flow_scalar(text)
        if value is _NOT_PLAIN or _flow_scalar(key) != key:
            return _NOT_PLAIN
        mapping[key] = value
    return mapping


def _list(inside: str) -> Any:
    """The items of a flow list, or _NOT_PLAIN."""
    if not inside.strip(" "):
        return [] if not inside else _NOT_PLAIN
    parts = _flow_parts(_FLOW_ITEM, inside)
    if parts is None:
        return _NOT_PLAIN
    items = []
    for (text,) in parts:
        value = _flow_scalar(text)
        if value is _NOT_PLAIN:
            return _NOT_PLAIN
        items.append(value)
    return items


def _flow_parts(pattern: re.Pattern[str], inside: str) -> list[tuple[str, ...]] | None:
    """The groups of each comma-separated part of a flow collection (but the comma's),
    or None when a part does not match `pattern`."""
    parts, at = [], 0
    while True:
        found = pattern.match(inside, at)
        if found is None:
            return None
        *groups, comma = found.groups()
        parts.append(tuple(groups))
        if not comma:
            return parts
        at = found.end()


def _flow_scalar(text: str) -> Any:
    """A scalar's value within a flow list or mapping, or _NOT_PLAIN."""
    if text[:1] == "'":
        return _quoted(text)
    return _scalar(text) if _FLOW_INDICATORS.isdisjoint(text) else _NOT_PLAIN


def _quoted(text: str) -> Any:
    """The text of a single-quoted scalar that is all of `text`, or _NOT_PLAIN. Only a
    doubled quote is an escape in it; a tab or an odd character is left to PyYAML."""
    inside = text[1:-1]
    if _QUOTED_SCALAR.fullmatch(text) is None or not inside.isprintable():
        return _NOT_PLAIN
    return inside.replace("''", "'")


def _scalar(text: str) -> Any:
    """A plain scalar's value, as PyYAML resolves and constructs it, or _NOT_PLAIN."""
    if (not text or text[0] in _NOT_FIRST or text[-1] == " " or not text.isprintable()
            or ": " in text or " #" in text or text[-1] == ":"):
        return _NOT_PLAIN
    tag: str = _RESOLVE(yaml.ScalarNode, text, (True, False))
    if tag == _STR:
        return text
    try:
        return _CONSTRUCTOR.yaml_constructors[tag](_CONSTRUCTOR, yaml.ScalarNode(tag, text))
    except (yaml.YAMLError, ValueError, TypeError, KeyError):
        return _NOT_PLAIN  # PyYAML reports it, with its reason
