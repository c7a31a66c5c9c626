"""Site configuration: defaults with no file, validation with every error named."""

from __future__ import annotations

from pathlib import Path

import pytest

from sitegen.config import SiteConfig, load_config
from sitegen.errors import SitegenError


def test_defaults_without_a_file(tmp_path: Path) -> None:
    assert load_config(tmp_path) == SiteConfig()


def test_values_and_base_path(tmp_path: Path) -> None:
    (tmp_path / "sitegen.toml").write_text(
        'title = "Daily"\nbase_url = "https://example.org/archive"\npage_size = 10\n'
        '[publisher]\nname = "Daily Ltd"\n')
    config = load_config(tmp_path)
    assert (config.title, config.page_size, config.publisher.name) == ("Daily", 10, "Daily Ltd")
    assert config.base_url == "https://example.org/archive/"
    assert config.base_path == "/archive/"
    assert config.absolute("/2025/") == "https://example.org/archive/2025/"
    assert load_config(tmp_path, "https://preview.example/").base_path == "/"


def test_every_error_is_named(tmp_path: Path) -> None:
    (tmp_path / "sitegen.toml").write_text(
        'titel = "Daily"\npage_size = "ten"\nbase_url = "example.org"\n[publisher]\nnmae = "X"\n')
    with pytest.raises(SitegenError) as caught:
        load_config(tmp_path)
    path = tmp_path / "sitegen.toml"
    assert str(caught.value).splitlines() == [
        f"{path}:1: unknown config key 'titel': did you mean 'title'?",
        f"{path}:2: 'page_size' must be int",
        f"{path}:3: 'base_url' must be an absolute http(s) URL such as https://example.org/, "
        "not 'example.org'",
        f"{path}:4: unknown config key 'publisher.nmae': did you mean 'publisher.name'?",
    ]


def test_malformed_toml(tmp_path: Path) -> None:
    (tmp_path / "sitegen.toml").write_text('title = "unclosed\n')
    with pytest.raises(SitegenError, match=r"sitegen.toml:1: malformed TOML"):
        load_config(tmp_path)
