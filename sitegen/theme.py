"""Themes: the site's own theme folder over the default theme, and their assets.

A site overrides any template or static file by putting one of the same
name in `themes/<theme>/templates` or `themes/<theme>/static`; everything
else comes from the default theme, which ships inside the package.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path

from sitegen.config import SiteConfig

# Assets whose names carry a content hash, so hosts may cache them for ever
# (netlify.toml caches /assets/ for a year): every kind a web page loads.
FINGERPRINTED = (".css", ".js", ".svg", ".png", ".jpg", ".jpeg", ".gif", ".webp", ".avif",
                 ".ico", ".woff", ".woff2")


def default_theme_dir() -> Path:
    """The default theme: inside the installed package, or in the source tree."""
    packaged = Path(__file__).parent / "_theme"
    if packaged.is_dir():
        return packaged
    return Path(__file__).resolve().parent.parent / "themes" / "default"


def theme_dirs(root: Path, config: SiteConfig) -> list[Path]:
    """Theme folders in lookup order: the site's theme first, then the default."""
    default = default_theme_dir().resolve()
    site_theme = (root / "themes" / config.theme).resolve()
    if site_theme.is_dir() and site_theme != default:
        return [site_theme, default]
    return [default]


@dataclass(frozen=True)
class Asset:
    source: Path
    url: str  # e.g. "/assets/style.3f2a9c1b0d.css"


def collect_assets(dirs: list[Path]) -> dict[str, Asset]:
    """Static files by name; the first theme folder that has a name wins."""
    assets: dict[str, Asset] = {}
    for theme in dirs:
        static = theme / "static"
        if not static.is_dir():
            continue
        for path in sorted(static.rglob("*")):
            name = path.relative_to(static).as_posix()
            if path.is_file() and name not in assets:
                assets[name] = Asset(path, "/assets/" + _fingerprinted(name, path))
    return dict(sorted(assets.items()))


def _fingerprinted(name: str, path: Path) -> str:
    if not name.endswith(FINGERPRINTED):
        return name
    digest = hashlib.sha256(path.read_bytes()).hexdigest()[:10]
    stem, _, ext = name.rpartition(".")
    return f"{stem}.{digest}.{ext}"
