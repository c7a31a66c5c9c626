"""Front matter read by PyYAML's parser: each key's value with the line it is on, and
the values YAML could not build (see sitegen.frontmatter, which imports this module
only when it reads front matter that sitegen.plain_front_matter does not).
"""

from __future__ import annotations

from pathlib import Path

import yaml

from sitegen.errors import SitegenError
from sitegen.frontmatter import INVALID, Field

_Loader: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


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
