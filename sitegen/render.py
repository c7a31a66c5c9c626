"""Render routes to bytes with Jinja2 (autoescape on for HTML and XML)."""

from __future__ import annotations

from collections.abc import Collection, Mapping
from pathlib import Path
from typing import Any

import jinja2
import jinja2.meta
from jinja2 import nodes

from sitegen.config import SiteConfig
from sitegen.errors import SitegenError
from sitegen.route import Route
from sitegen.theme import Asset


def make_environment(theme_dirs: list[Path], config: SiteConfig,
                     assets: Mapping[str, Asset]) -> jinja2.Environment:
    """A Jinja environment that looks up templates in the site theme, then the default."""
    loader = jinja2.ChoiceLoader([jinja2.FileSystemLoader(d / "templates") for d in theme_dirs])
    env = _Environment(
        loader=loader,
        auto_reload=False,  # a build's templates do not change under it: no stat per page
        autoescape=jinja2.select_autoescape(["html", "xml"]),
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    base_path = config.base_path
    env.filters["url"] = lambda path: _site_url(base_path, str(path))
    env.filters["absolute"] = lambda path: config.absolute(str(path))
    env.globals.update(site=_site_view(config), assets={k: a.url for k, a in assets.items()})
    return env


class _Environment(jinja2.Environment):
    """Looks a template's `item.url` up as a key first when `item` is a dict, as all
    template data are (see sitegen.views). Jinja's own order (attribute, then key)
    raises and catches an AttributeError for every such lookup, which was a third
    of the time spent rendering a listing page."""

    def getattr(self, obj: Any, attribute: str) -> Any:
        if type(obj) is dict:
            try:
                return obj[attribute]
            except KeyError:
                pass
        return super().getattr(obj, attribute)


def _site_url(base_path: str, path: str) -> str:
    """A site path under the base path: "/2025/" becomes "/archive/2025/"."""
    if not path.startswith("/") or path.startswith("//"):
        return path
    return base_path.rstrip("/") + path


def _site_view(config: SiteConfig) -> dict[str, Any]:
    return {"title": config.title, "description": config.description,
            "base_url": config.base_url, "language": config.language,
            "publisher": {"name": config.publisher.name, "url": config.publisher.url}}


def render(env: jinja2.Environment, route: Route) -> bytes:
    """One route's bytes; a broken template is reported as the user's error."""
    try:
        template = env.get_template(route.template)
        return template.render(route.data()).encode("utf-8")
    except jinja2.TemplateSyntaxError as exc:
        raise SitegenError(f"template error: {exc.message}", exc.filename or exc.name,
                           exc.lineno) from None
    except jinja2.TemplateNotFound as exc:
        raise SitegenError(f"template not found: {exc.name}") from None
    except jinja2.UndefinedError as exc:
        raise SitegenError(f"template error while rendering {route.url}: {exc.message}",
                           _template_file(env, route.template)) from None


def templates_using(env: jinja2.Environment, changed: set[str], names: set[str]) -> set[str]:
    """Those of the templates `names` that are, extend, include or import one of the
    `changed` templates, directly or through others. A template that names another by
    a variable may use any, so it counts as using them all."""
    graph: dict[str, set[str] | None] = {}

    def references(name: str) -> set[str] | None:
        if name not in graph:
            graph[name] = set()  # a cycle (a broken theme) must not recurse forever
            try:
                source = env.loader.get_source(env, name)[0] if env.loader else ""
                found = set(jinja2.meta.find_referenced_templates(env.parse(source)))
            except (jinja2.TemplateNotFound, jinja2.TemplateSyntaxError):
                found = set()  # rendering reports it
            graph[name] = None if None in found else {str(n) for n in found}
        return graph[name]

    def uses(name: str, seen: frozenset[str]) -> bool:
        refs = references(name)
        if name in changed or refs is None:
            return True
        return any(uses(ref, seen | {name}) for ref in refs if ref not in seen)

    return {name for name in names if uses(name, frozenset())}


BODY = "body_html"


def body_passes_through(env: jinja2.Environment, view_keys: Collection[str]) -> bool:
    """Whether the templates write `article.body_html` only as it is, with
    `{{ article.body_html|safe }}`, and read nothing else of `article` that could
    hold it (only its `view_keys`, never the whole of it): then an article page
    is the same around its body whatever the body (sitegen.quick relies on it).
    Any template that cannot be read counts as reading the body."""
    for name in env.list_templates():
        try:
            source = env.loader.get_source(env, name)[0] if env.loader else ""
            tree = env.parse(source)
        except jinja2.TemplateError:
            return False
        if not _passes_body_through(tree, set(view_keys) - {BODY}):
            return False
    return True


def _passes_body_through(tree: nodes.Template, other_keys: set[str]) -> bool:
    allowed: set[int] = set()  # the `article` names read in the ways the doc allows
    for output in tree.find_all(nodes.Output):
        for child in output.nodes:
            if (isinstance(child, nodes.Filter) and child.name == "safe" and not child.args
                    and not child.kwargs and child.dyn_args is None
                    and child.dyn_kwargs is None):
                found = _article_lookup(child.node)
                if found and found[1] == BODY:
                    allowed.add(id(found[0]))
    for node in tree.find_all((nodes.Getattr, nodes.Getitem)):
        found = _article_lookup(node)
        if found and found[1] in other_keys:
            allowed.add(id(found[0]))
    return all(id(name) in allowed for name in tree.find_all(nodes.Name)
               if name.name == "article")


def _article_lookup(node: nodes.Node | None) -> tuple[nodes.Name, str] | None:
    """The `article` name and "key" when `node` is `article.key` or `article["key"]`."""
    if not isinstance(node, nodes.Getattr | nodes.Getitem):
        return None
    name = node.node
    if not isinstance(name, nodes.Name) or name.name != "article":
        return None
    if isinstance(node, nodes.Getattr):
        return name, str(node.attr)
    if isinstance(node.arg, nodes.Const) and isinstance(node.arg.value, str):
        return name, node.arg.value
    return None


def _template_file(env: jinja2.Environment, name: str) -> str | None:
    try:
        source = env.loader.get_source(env, name) if env.loader else None
    except jinja2.TemplateNotFound:
        return None
    return source[1] if source else None
