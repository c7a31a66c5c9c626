"""Compiled templates kept in the build cache (sitegen.template_cache): used while
their source is the same, compiled again when it changed or the file is damaged."""

from __future__ import annotations

from pathlib import Path

import jinja2
import pytest

from sitegen.config import SiteConfig
from sitegen.render import make_environment


def _theme(tmp_path: Path, source: str) -> Path:
    theme = tmp_path / "theme"
    (theme / "templates").mkdir(parents=True, exist_ok=True)
    (theme / "templates" / "page.html").write_text(source)
    return theme


def _render(theme: Path, site: Path, compiled: list[str]) -> str:
    """The page rendered by a fresh environment, noting each template compiled."""
    env = make_environment([theme], SiteConfig(), {}, site)
    compile_source = env.compile

    def counted(source: str, name: str | None = None, *args: object, **kwargs: object
                ) -> object:
        compiled.append(str(name))
        return compile_source(source, name, *args, **kwargs)  # type: ignore[call-overload]

    env.compile = counted  # type: ignore[method-assign]
    return env.get_template("page.html").render(title="A & B")


def test_a_template_is_compiled_once_while_its_source_stays(tmp_path: Path) -> None:
    site, compiled = tmp_path / "site", []
    theme = _theme(tmp_path, "<h1>{{ title }}</h1>")
    assert _render(theme, site, compiled) == "<h1>A &amp; B</h1>"
    assert _render(theme, site, compiled) == "<h1>A &amp; B</h1>"
    assert compiled == ["page.html"]
    _theme(tmp_path, "<h2>{{ title }}</h2>")
    assert _render(theme, site, compiled) == "<h2>A &amp; B</h2>"
    assert compiled == ["page.html", "page.html"]


@pytest.mark.parametrize("damage", [b"", b"sitegen-cache-2\n", b"\x00" * 64])
def test_a_damaged_compiled_template_is_compiled_again(tmp_path: Path, damage: bytes) -> None:
    site, compiled = tmp_path / "site", []
    theme = _theme(tmp_path, "<p>{{ title|upper }}</p>")
    _render(theme, site, compiled)
    [stored] = (site / ".sitegen-cache" / "templates").glob("*.pickle")
    stored.write_bytes(stored.read_bytes()[:40] + damage)
    assert _render(theme, site, compiled) == "<p>A &amp; B</p>"
    assert compiled == ["page.html", "page.html"]


def test_without_a_site_nothing_is_kept(tmp_path: Path) -> None:
    env = make_environment([_theme(tmp_path, "x")], SiteConfig(), {})
    assert env.bytecode_cache is None
    assert isinstance(make_environment([], SiteConfig(), {}, tmp_path).bytecode_cache,
                      jinja2.BytecodeCache)


def test_code_compiled_for_one_base_path_is_not_used_for_another(tmp_path: Path) -> None:
    """Jinja runs `url` on a constant when it compiles: the code holds the base path."""
    theme, site = _theme(tmp_path, '<a href="{{ "/topics/"|url }}">'), tmp_path / "site"
    for base in ("https://example.org/", "https://example.org/archive/", "https://example.org/"):
        env = make_environment([theme], SiteConfig(base_url=base), {}, site)
        expected = "/archive/topics/" if base.endswith("archive/") else "/topics/"
        assert env.get_template("page.html").render() == f'<a href="{expected}">'
