"""Validate front-matter against the article and topic schemas (DESIGN.md).

Every problem in a file is collected, each at the line of its key, so that a
maintainer fixes them all in one pass.
"""

from __future__ import annotations

import datetime as dt
import difflib
from collections.abc import Callable
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from sitegen.errors import SitegenError, raise_if_any
from sitegen.frontmatter import INVALID, Document, Field
from sitegen.models import Article, Correction, DateValue, Image, Source, Topic
from sitegen.slugs import is_valid_slug, slugify

ARTICLE_KEYS = (
    "title", "dek", "byline", "date", "updated", "dateline", "section", "tags", "images",
    "credits", "source", "slug", "lang", "draft", "aliases", "corrections",
)
TOPIC_KEYS = ("title", "aliases")
IMAGE_KEYS = ("caption", "credit", "src", "alt")
# A slug made from a headline keeps its first words: short URLs that still read.
DEFAULT_SLUG_WORDS = 8


class _Checker:
    """Collects the errors of one document while converting its fields."""

    def __init__(self, doc: Document):
        self.doc = doc
        self.errors: list[SitegenError] = list(doc.errors)

    def error(self, message: str, line: int) -> None:
        self.errors.append(SitegenError(message, self.doc.path, line))

    def get(self, key: str, convert: Callable[[Any, int], Any], default: Any = None) -> Any:
        """Convert one field; on failure record the error and return the default."""
        found = self.doc.fields.get(key)
        if found is None or found.value is None or found.value is INVALID:
            return default
        try:
            return convert(found.value, found.line)
        except _Invalid as exc:
            self.error(f"'{key}' {exc}", found.line)
            return default

    def require(self, key: str, what: str) -> Field | None:
        found = self.doc.fields.get(key)
        if found is not None and found.value is INVALID:
            return None
        if found is None or found.value in (None, ""):
            self.error(f"missing required key '{key}' ({what})", 1 if found is None else found.line)
            return None
        return found

    def reject_unknown(self, known: tuple[str, ...]) -> None:
        for key, found in self.doc.fields.items():
            if key not in known:
                close = difflib.get_close_matches(key, known, n=1, cutoff=0.6)
                hint = (f": did you mean '{close[0]}'?" if close
                        else f"; known keys: {', '.join(known)}")
                self.error(f"unknown key '{key}'{hint}", found.line)


class _Invalid(ValueError):
    """A value of the wrong type or form; the message completes "'key' ..."."""


def _text(value: Any, line: int) -> str:
    if isinstance(value, bool) or not isinstance(value, str | int | float):
        raise _Invalid(f"must be text, not {_kind(value)}")
    return str(value).strip()


def _text_list(value: Any, line: int) -> tuple[str, ...]:
    """A list of strings; a single string is accepted as a list of one."""
    items = value if isinstance(value, list) else [value]
    out = []
    for item in items:
        if isinstance(item, bool) or not isinstance(item, str | int | float):
            raise _Invalid(f"must be a list of text, but holds {_kind(item)}")
        if str(item).strip():
            out.append(str(item).strip())
    return tuple(out)


def _tags(value: Any, line: int) -> tuple[str, ...]:
    tags = _text_list(value, line)
    for tag in tags:
        if not slugify(tag):
            raise _Invalid(f"entry '{tag}' has no letters or digits to make a topic URL from")
    return tags


def _date(value: Any, line: int) -> DateValue:
    if isinstance(value, str):
        value = _parse_iso(value.strip())
    if isinstance(value, dt.datetime):
        if value.tzinfo is None:
            raise _Invalid("has no UTC offset: write it as e.g. 2025-10-28T09:10:00+05:00")
        return value
    if isinstance(value, dt.date):
        return value
    raise _Invalid(f"must be a date (2025-10-28) or a datetime with offset, not {_kind(value)}")


def _parse_iso(text: str) -> DateValue:
    try:
        if "T" in text or " " in text:
            return dt.datetime.fromisoformat(text)
        return dt.date.fromisoformat(text)
    except ValueError:
        raise _Invalid(f"is not a valid date: '{text}' (use 2025-10-28)") from None


def _bool(value: Any, line: int) -> bool:
    if not isinstance(value, bool):
        raise _Invalid(f"must be true or false, not {_kind(value)}")
    return value


def _slug(value: Any, line: int) -> str:
    text = _text(value, line)
    if not is_valid_slug(text):
        raise _Invalid(f"'{text}' is not a slug: use lowercase words joined by '-', "
                       f"e.g. '{slugify(text) or 'my-story'}'")
    return text


def _lang(value: Any, line: int) -> str:
    text = _text(value, line)
    parts = text.split("-")
    if not (2 <= len(parts[0]) <= 3 and all(p.isascii() and p.isalnum() for p in parts)):
        raise _Invalid(f"'{text}' is not a language tag such as 'en' or 'ur'")
    return text


def _alias(value: Any, line: int) -> tuple[str, ...]:
    aliases = _text_list(value, line)
    for alias in aliases:
        if not alias.startswith("/") or alias.startswith("//") or "\\" in alias:
            raise _Invalid(f"entry '{alias}' must be a site path starting with '/'")
        if ".." in alias.split("/") or any(c in alias for c in "?#\"'<> \t"):
            raise _Invalid(f"entry '{alias}' may not contain '..', spaces, quotes or '?#<>'")
    return aliases


def _kind(value: Any) -> str:
    names = {dict: "a mapping", list: "a list", bool: "true/false", type(None): "nothing"}
    return names.get(type(value), f"'{value}'")


def _mapping(value: Any, keys: tuple[str, ...], what: str) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise _Invalid(f"entries must be mappings with keys {', '.join(keys)}")
    unknown = sorted(set(map(str, value)) - set(keys))
    if unknown:
        close = difflib.get_close_matches(unknown[0], keys, n=1)
        hint = f": did you mean '{close[0]}'?" if close else ""
        raise _Invalid(f"{what} has unknown key '{unknown[0]}'{hint}")
    return value


def _images(value: Any, line: int) -> tuple[Image, ...]:
    if not isinstance(value, list):
        raise _Invalid("must be a list of {caption, credit, src, alt}")
    images = []
    for item in value:
        entry = _mapping(item, IMAGE_KEYS, "an image")
        fields = {k: (_text(v, line) if v is not None else None) for k, v in entry.items()}
        if src := fields.get("src"):
            fields["src"] = _link(src, "src", relative=True)
        images.append(Image(**fields))
    return tuple(images)


def _corrections(value: Any, line: int) -> tuple[Correction, ...]:
    if not isinstance(value, list):
        raise _Invalid("must be a list of {date, text}")
    out = []
    for item in value:
        entry = _mapping(item, ("date", "text"), "a correction")
        if "date" not in entry or "text" not in entry:
            raise _Invalid("entries need both 'date' and 'text'")
        out.append(Correction(_date(entry["date"], line), _text(entry["text"], line)))
    return tuple(out)


def _source(value: Any, line: int) -> Source:
    entry = _mapping(value, ("name", "url"), "source")
    fields = {k: (_text(v, line) if v is not None else None) for k, v in entry.items()}
    if url := fields.get("url"):
        fields["url"] = _link(url, "url", relative=False)
    return Source(**fields)


def _link(url: str, what: str, *, relative: bool) -> str:
    """A URL that is safe in `href`/`src`: http(s), or a path when `relative`.

    Any other scheme (`javascript:`, `data:`, `vbscript:`) could run script when a
    reader or a feed reader follows it. urlsplit drops tabs and newlines as
    browsers do, so `java\tscript:` is seen as the scheme it is.
    """
    try:
        parts = urlsplit(url)
    except ValueError:
        raise _Invalid(f"{what} '{url}' is not a valid URL") from None
    if parts.scheme.lower() in ("http", "https") and parts.netloc:
        return url
    if relative and not parts.scheme and not parts.netloc:
        return url
    allowed = "a relative path or an http(s) URL" if relative else "an http(s) URL"
    raise _Invalid(f"{what} '{url}' must be {allowed}")


def article_from(doc: Document, default_lang: str) -> Article:
    """Validate a parsed article file; raises every problem found in it."""
    check = _Checker(doc)
    check.reject_unknown(ARTICLE_KEYS)
    title_field = check.require("title", "the headline")
    date_field = check.require("date", "e.g. date: 2025-10-28")
    title = check.get("title", _text, "") if title_field else ""
    date = check.get("date", _date) if date_field else None
    slug = check.get("slug", _slug) or slugify(title, max_words=DEFAULT_SLUG_WORDS)
    if title and not slug:
        check.error("cannot make a slug from the title: add a 'slug' key", title_field.line
                    if title_field else 1)
    article = Article(
        path=doc.path, title=title, date=date or dt.date(1970, 1, 1), body=doc.body,
        body_line=doc.body_line, dek=check.get("dek", _text), slug=slug,
        byline=check.get("byline", _text_list, ()), updated=check.get("updated", _date),
        dateline=check.get("dateline", _text), section=check.get("section", _text),
        tags=check.get("tags", _tags, ()), images=check.get("images", _images, ()),
        credits=check.get("credits", _text_list, ()), source=check.get("source", _source, Source()),
        lang=check.get("lang", _lang, default_lang), draft=check.get("draft", _bool, False),
        aliases=check.get("aliases", _alias, ()),
        corrections=check.get("corrections", _corrections, ()),
    )
    raise_if_any(check.errors)
    return article


def topic_from(doc: Document, path: Path) -> Topic:
    """Validate a topic file; its slug is its file name."""
    check = _Checker(doc)
    check.reject_unknown(TOPIC_KEYS)
    slug = path.stem
    if not is_valid_slug(slug):
        check.error(f"topic file name '{path.name}' is not a slug: rename it to "
                    f"'{slugify(slug) or 'topic'}.md'", 1)
    title = check.get("title", _text, "") or slug.replace("-", " ")
    aliases = check.get("aliases", _text_list, ())
    raise_if_any(check.errors)
    return Topic(slug=slug, title=title, aliases=aliases, body=doc.body, path=doc.path)
