"""Site configuration: an optional `sitegen.toml` at the site root.

With no file every default applies. The file is validated once; every
problem is reported together, each at its line.
"""

from __future__ import annotations

import dataclasses
import difflib
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from sitegen.errors import SitegenError, raise_if_any

CONFIG_NAME = "sitegen.toml"


@dataclass(frozen=True)
class Publisher:
    name: str = "sitegen archive"
    url: str | None = None
    logo: str | None = None


@dataclass(frozen=True)
class InTextLinks:
    """Links from the first mention of a topic in an article body to the topic page."""

    enabled: bool = True
    max_per_article: int = 5


@dataclass(frozen=True)
class SiteConfig:
    title: str = "News archive"
    description: str = "A news archive built with sitegen."
    base_url: str = "http://127.0.0.1:8000/"
    language: str = "en"
    theme: str = "default"  # site theme folder: themes/<theme>/ (optional; overrides)
    page_size: int = 20
    timeline_page_size: int = 50
    feed_size: int = 50
    raw_html: bool = False  # raw HTML in Markdown is escaped unless this is on
    publisher: Publisher = field(default_factory=Publisher)
    intext_links: InTextLinks = field(default_factory=InTextLinks)

    @property
    def base_path(self) -> str:
        """The path the site is published under: "/" or e.g. "/archive/"."""
        return urlsplit(self.base_url).path or "/"

    def absolute(self, url: str) -> str:
        """An absolute URL for a site path such as `/2025/10/slug/`."""
        return self.base_url.rstrip("/") + url


_SCALARS: dict[str, type] = {
    "title": str, "description": str, "base_url": str, "language": str, "theme": str,
    "page_size": int, "timeline_page_size": int, "feed_size": int, "raw_html": bool,
}
_TABLES: dict[str, type] = {"publisher": Publisher, "intext_links": InTextLinks}


def load_config(root: Path, base_url: str | None = None) -> SiteConfig:
    """Read `sitegen.toml` under `root` (if any); `base_url` overrides the file's."""
    path = root / CONFIG_NAME
    values: dict[str, Any] = {}
    if path.is_file():
        values = _read_toml(path)
    if base_url is not None:
        values["base_url"] = base_url
    return config_from(values, path)


def _read_toml(path: Path) -> dict[str, Any]:
    # Imported here: a rebuild that the stamp or sitegen.quick settles reads no config,
    # and the parser's import is 4 ms of its quarter second.
    import tomllib

    try:
        return tomllib.loads(path.read_text(encoding="utf-8-sig"))
    except tomllib.TOMLDecodeError as exc:
        line = re.search(r"line (\d+)", str(exc))
        line_number = int(line.group(1)) if line else None
        raise SitegenError(f"malformed TOML: {exc}", path, line_number) from None
    except (OSError, UnicodeDecodeError) as exc:
        raise SitegenError(f"cannot read config: {exc}", path) from None


def config_from(values: dict[str, Any], path: Path) -> SiteConfig:
    errors: list[SitegenError] = []
    kwargs: dict[str, Any] = {}
    text = path.read_text(encoding="utf-8-sig") if path.is_file() else ""
    for key, value in values.items():
        line = _line_of(text, key)
        if key in _TABLES:
            kwargs[key] = _table(key, value, path, line, errors)
        elif key in _SCALARS:
            if _type_ok(value, _SCALARS[key]):
                kwargs[key] = value
            else:
                errors.append(SitegenError(f"'{key}' must be {_SCALARS[key].__name__}", path, line))
        else:
            errors.append(_unknown(key, [*_SCALARS, *_TABLES], path, line))
    errors += _check_values(kwargs, path, text)
    raise_if_any(errors)
    config = SiteConfig(**kwargs)
    if not config.base_url.endswith("/"):
        config = dataclasses.replace(config, base_url=config.base_url + "/")
    return config


def _table(key: str, value: Any, path: Path, line: int | None,
           errors: list[SitegenError]) -> Any:
    cls = _TABLES[key]
    if not isinstance(value, dict):
        errors.append(SitegenError(f"'{key}' must be a table ([{key}])", path, line))
        return cls()
    known = {f.name: f.type for f in dataclasses.fields(cls)}
    good = {}
    for sub, sub_value in value.items():
        if sub not in known:
            errors.append(_unknown(f"{key}.{sub}", [f"{key}.{k}" for k in known], path, line))
        elif sub_value is not None and not _type_ok(sub_value, _python_type(str(known[sub]))):
            errors.append(SitegenError(f"'{key}.{sub}' has the wrong type", path, line))
        else:
            good[sub] = sub_value
    return cls(**good)


def _python_type(annotation: str) -> type:
    return {"bool": bool, "int": int}.get(annotation.split(" ")[0], str)


def _type_ok(value: Any, wanted: type) -> bool:
    if wanted is int:
        return isinstance(value, int) and not isinstance(value, bool)
    return isinstance(value, wanted)


def _check_values(kwargs: dict[str, Any], path: Path, text: str) -> list[SitegenError]:
    errors = []
    for key in ("page_size", "timeline_page_size", "feed_size"):
        if key in kwargs and kwargs[key] < 1:
            errors.append(SitegenError(f"'{key}' must be 1 or more", path, _line_of(text, key)))
    url = kwargs.get("base_url")
    if url is not None and urlsplit(url).scheme not in ("http", "https"):
        errors.append(SitegenError(
            f"'base_url' must be an absolute http(s) URL such as https://example.org/, not '{url}'",
            path, _line_of(text, "base_url")))
    return errors


def _unknown(key: str, known: list[str], path: Path, line: int | None) -> SitegenError:
    close = difflib.get_close_matches(key, known, n=1, cutoff=0.6)
    hint = f": did you mean '{close[0]}'?" if close else ""
    return SitegenError(f"unknown config key '{key}'{hint}", path, line)


def _line_of(text: str, key: str) -> int | None:
    """tomllib gives no positions, so find the line a key is set on (or its table)."""
    last = key.split(".")[-1]
    pattern = re.compile(rf"^\s*(\[{re.escape(last)}\]|{re.escape(last)}\s*=)", re.M)
    match = pattern.search(text)
    return text.count("\n", 0, match.start()) + 1 if match else None
