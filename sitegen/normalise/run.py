"""The import command: every source to a file, failures reported, the batch goes on."""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from pathlib import Path
from typing import TextIO

from sitegen.content import load_topics
from sitegen.errors import SitegenError
from sitegen.frontmatter import MAX_FILE_BYTES
from sitegen.models import Topic
from sitegen.normalise.draft import Draft
from sitegen.normalise.sources import RawSource, read_source, walk
from sitegen.normalise.text import draft_from_text
from sitegen.normalise.topics import propose_tags
from sitegen.normalise.writer import article_path, render


def normalise(source: RawSource, topics: Sequence[Topic] = ()) -> Draft:
    """The draft article for one decoded source, with tags proposed from `topics`."""
    if source.is_html:
        from sitegen.normalise.html import draft_from_html

        draft = draft_from_html(source.text, source.path)
    else:
        draft = draft_from_text(source.text, source.path)
    text = "\n".join(filter(None, (draft.title, draft.dek, draft.body)))
    return dataclasses.replace(draft, tags=propose_tags(text, topics))


def run_import(
    sources: Sequence[Path],
    into: Path,
    *,
    dry_run: bool = False,
    force: bool = False,
    stdout: TextIO,
    stderr: TextIO,
) -> int:
    """Import every source (files, or folders walked in sorted order); 1 if any failed."""
    failed = False
    try:
        topics: Sequence[Topic] = load_topics(into)
    except SitegenError as exc:
        print(f"{exc}\n(topic files could not be read: no tags proposed)", file=stderr)
        topics, failed = (), True
    for path in walk(sources):
        try:
            draft = normalise(read_source(path), topics)
            target, content = article_path(into, draft), _rendered(draft, path)
        except SitegenError as exc:
            print(str(exc) if exc.path else f"{path}: {exc}", file=stderr)
            failed = True
            continue
        if dry_run:
            print(f"{target}\n{content}", file=stdout)
        elif _write(target, content, force=force, stderr=stderr):
            print(target, file=stdout)
    return 1 if failed else 0


def _rendered(draft: Draft, path: Path) -> str:
    """The article file, refused when the build would refuse it for its size."""
    content = render(draft)
    size = len(content.encode("utf-8"))
    if size > MAX_FILE_BYTES:
        raise SitegenError(
            f"the article would be {size / 1024 / 1024:.1f} MB; the build's limit is "
            f"{MAX_FILE_BYTES // 1024 // 1024} MB",
            path,
        )
    return content


def _write(target: Path, content: str, *, force: bool, stderr: TextIO) -> bool:
    """Write `content` unless a different file is there and `force` is off."""
    if target.exists() and not force and target.read_bytes() != content.encode("utf-8"):
        print(
            f"{target}: exists with different content; not overwritten (use --force)", file=stderr
        )
        return False
    target.parent.mkdir(parents=True, exist_ok=True)
    temporary = target.with_name(f".{target.name}.tmp")
    temporary.write_bytes(content.encode("utf-8"))
    temporary.replace(target)  # never a half-written article
    return True
