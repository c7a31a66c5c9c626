"""Turning a `Draft` into the archive's Markdown file, and where that file goes."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from typing import Any

import yaml

from sitegen.normalise.draft import Draft
from sitegen.slugs import slugify

SLUG_WORDS = 8


class _FlowList(list[str]):
    """A list of short strings, written on one line: `byline: [Zarmeen Zehra]`."""


class _Dumper(yaml.CSafeDumper):
    """Deterministic YAML: keys in schema order, no line wrapping, ISO datetimes."""


def _represent_flow(dumper: _Dumper, data: _FlowList) -> yaml.Node:
    return dumper.represent_sequence("tag:yaml.org,2002:seq", data, flow_style=True)


def _represent_datetime(dumper: _Dumper, data: dt.datetime) -> yaml.Node:
    # PyYAML's default writes "2025-10-29 09:10:00+05:00"; DESIGN shows the ISO 'T' form,
    # which still resolves to a timestamp when read back.
    return dumper.represent_scalar("tag:yaml.org,2002:timestamp", data.isoformat())


_Dumper.add_representer(_FlowList, _represent_flow)
_Dumper.add_representer(dt.datetime, _represent_datetime)


def front_matter(draft: Draft) -> dict[str, Any]:
    """The front-matter mapping, in DESIGN's key order, without empty fields."""
    fields: dict[str, Any] = {"title": draft.title}
    if draft.dek:
        fields["dek"] = draft.dek
    if draft.byline:
        fields["byline"] = _FlowList(draft.byline)
    fields["date"] = draft.date
    optional = {"updated": draft.updated, "dateline": draft.dateline, "section": draft.section}
    fields.update((key, value) for key, value in optional.items() if value)
    if draft.tags:
        fields["tags"] = _FlowList(draft.tags)
    if draft.images:
        fields["images"] = [
            {k: v for k, v in vars(image).items() if v is not None} for image in draft.images
        ]
    if draft.credits:
        fields["credits"] = _FlowList(draft.credits)
    if draft.source and (draft.source.name or draft.source.url):
        fields["source"] = {k: v for k, v in vars(draft.source).items() if v is not None}
    return fields


def render(draft: Draft) -> str:
    """The complete file: `---`, YAML front-matter, `---`, the Markdown body."""
    meta = yaml.dump(
        front_matter(draft),
        Dumper=_Dumper,
        sort_keys=False,
        allow_unicode=True,
        width=1_000_000,
        default_flow_style=False,
    )
    return f"---\n{meta}---\n{clean_markdown(draft.body)}"


# A paragraph that starts like a Markdown block ("1. ", "# ", "- ", "> ") would
# change meaning when rendered; a backslash keeps it the text that was printed.
_BLOCK_START = re.compile(r"^(#{1,6}\s|[-+*]\s|>|\d{1,9}[.)]\s|={3,}|-{3,}|`{3,})")


def paragraph(text: str) -> str:
    """A printed paragraph as Markdown that renders as the same words."""
    text = " ".join(text.split())
    if not _BLOCK_START.match(text):
        return text
    if re.match(r"^\d", text):  # "1. " -> "1\. "
        return re.sub(r"^(\d+)", r"\1\\", text)
    return "\\" + text


def heading(text: str) -> str:
    return "## " + " ".join(text.split())


def table(rows: list[tuple[str, ...]]) -> str:
    """A Markdown table; the first row is its header, short rows are padded."""
    width = max(len(row) for row in rows)

    def line(cells: tuple[str, ...]) -> str:
        padded = [c.replace("|", "\\|") for c in cells] + [""] * (width - len(cells))
        return "| " + " | ".join(padded) + " |"

    return "\n".join([line(rows[0]), line(("---",) * width), *map(line, rows[1:])])


def clean_markdown(body: str) -> str:
    """Paragraphs separated by one blank line, no trailing spaces, one final newline."""
    blocks: list[str] = []
    for block in re.split(r"\n\s*\n", body.strip()):
        lines = [line.rstrip() for line in block.strip().split("\n")]
        text = "\n".join(line for line in lines if line)
        if text:
            blocks.append(text)
    return "\n\n".join(blocks) + "\n" if blocks else ""


def article_path(into: Path, draft: Draft) -> Path:
    """`<into>/content/articles/YYYY/MM/<slug>.md`, the slug from the headline."""
    slug = slugify(draft.title, max_words=SLUG_WORDS) or "article"
    return (
        into
        / "content"
        / "articles"
        / f"{draft.date.year:04d}"
        / f"{draft.date.month:02d}"
        / f"{slug}.md"
    )
