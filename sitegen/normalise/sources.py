"""Finding the files to import and reading them as text, whatever their encoding."""

from __future__ import annotations

import codecs
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

from sitegen.errors import SitegenError

# What a folder walk picks up; a file named on the command line is always tried.
_TEXT_SUFFIXES = {".txt", ".text"}
_HTML_SUFFIXES = {".html", ".htm", ".xhtml"}
_HTML_START = re.compile(rb"^\s*(?:<!--.*?-->\s*)*<(?:!doctype\s+html|html|head)\b", re.I | re.S)
_META_CHARSET = re.compile(rb"<meta[^>]+charset\s*=\s*[\"']?([\w-]+)", re.IGNORECASE)
# A saved page with inline scripts and styles runs to a few MB; far beyond that
# it is not an article (a dump, a video) and reading it would only waste memory.
MAX_SOURCE_BYTES = 20 * 1024 * 1024


@dataclass(frozen=True)
class RawSource:
    """One input file, decoded."""

    path: Path
    text: str
    is_html: bool


def walk(sources: Sequence[Path]) -> Iterator[Path]:
    """Each file named, and each article-like file under each folder, in sorted order."""
    for source in sources:
        if source.is_dir():
            found = (
                p
                for p in source.rglob("*")
                if p.is_file()
                and p.suffix.lower() in _TEXT_SUFFIXES | _HTML_SUFFIXES
                and not any(part.startswith(".") for part in p.relative_to(source).parts)
            )
            yield from sorted(found)
        else:
            yield source


def read_source(path: Path) -> RawSource:
    """Read and decode `path`; a `SitegenError` says why when it cannot be read."""
    try:
        size = path.stat().st_size
        if size > MAX_SOURCE_BYTES:
            raise SitegenError(
                f"file is too large ({size / 1024 / 1024:.1f} MB; the limit is "
                f"{MAX_SOURCE_BYTES // 1024 // 1024} MB)",
                path,
            )
        data = path.read_bytes()
    except OSError as exc:
        raise SitegenError(f"cannot read file: {exc.strerror or exc}", path) from exc
    is_html = path.suffix.lower() in _HTML_SUFFIXES or bool(_HTML_START.match(data[:2048]))
    text = decode(data, path, html=is_html)
    if "\x00" in text:
        raise SitegenError("binary file, not text or HTML", path)
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if not text.strip():
        raise SitegenError("file is empty", path)
    return RawSource(path, text, is_html)


def decode(data: bytes, path: Path, *, html: bool = False) -> str:
    """UTF-8 (with or without BOM), UTF-16 with BOM, a declared HTML charset, then cp1252."""
    if data.startswith(codecs.BOM_UTF8):
        return _strict(data[len(codecs.BOM_UTF8) :], "utf-8", path)
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return _strict(data, "utf-16", path)
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    if b"\x00" in data:
        raise SitegenError("binary file, not text or HTML", path)
    declared = _META_CHARSET.search(data[:4096]) if html else None
    if declared:
        try:
            return data.decode(declared.group(1).decode("ascii"))
        except (LookupError, UnicodeDecodeError):
            pass
    try:
        return data.decode("cp1252")
    except UnicodeDecodeError as exc:
        raise SitegenError("unknown encoding: not UTF-8, UTF-16 or cp1252", path) from exc


def _strict(data: bytes, encoding: str, path: Path) -> str:
    try:
        return data.decode(encoding)
    except UnicodeDecodeError as exc:
        raise SitegenError(f"invalid {encoding.upper()} at byte {exc.start}", path) from exc
