"""Render routes to bytes with Jinja2 (autoescape on for HTML and XML)."""

from __future__ import annotations

import weakref
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, cast

import jinja2
import jinja2.meta
import markupsafe
from jinja2 import nodes
from markupsafe import Markup

from sitegen.config import SiteConfig
from sitegen.errors import SitegenError
from sitegen.route import Route
from sitegen.template_cache import TemplateCache
from sitegen.theme import Asset, collect_assets, theme_dirs


def make_environment(theme_dirs: list[Path], config: SiteConfig,
                     assets: Mapping[str, Asset], site_root: Path | None = None
                     ) -> jinja2.Environment:
    """A Jinja environment that looks up templates in the site theme, then the default,
    and keeps them compiled in the build cache of the site at `site_root`, if given."""
    loader = jinja2.ChoiceLoader([jinja2.FileSystemLoader(d / "templates") for d in theme_dirs])
    env = _Environment(
        loader=loader,
        bytecode_cache=TemplateCache(site_root, repr(config)) if site_root else None,
        auto_reload=False,  # a build's templates do not change under it: no stat per page
        autoescape=jinja2.select_autoescape(["html", "xml"]),
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters["url"] = site_url_filter(config.base_path)
    env.filters["absolute"] = lambda path: config.absolute(str(path))
    env.filters["pagefind_text"] = pagefind_text
    env.globals.update(site=_site_view(config), assets={k: a.url for k, a in assets.items()})
    return env


def site_environment(root: Path, config: SiteConfig) -> jinja2.Environment:
    """The environment of the site at `root`: its theme and assets, its compiled
    templates kept in its build cache."""
    dirs = theme_dirs(root, config)
    return make_environment(dirs, config, collect_assets(dirs), root)


def _escaped_by_markupsafe(text: str) -> str:
    return str(markupsafe.escape(text))


# Text escaped, as text: markupsafe 3's escaping in C, or (markupsafe 2 has none: its
# whole `escape` was C) markupsafe's `escape`.
_escape_text: Callable[[str], str] = (getattr(markupsafe, "_escape_inner", None)
                                      or _escaped_by_markupsafe)


def _escape(value: Any) -> str:
    """The text of `markupsafe.escape(value)`, for the output of `{{ }}` alone: an
    autoescaped template calls it for every `{{ }}` (over a hundred times per article
    page) and only joins its results into the page, so the commonest value, a plain
    string, is escaped in C and left a plain string. Made a `Markup`, as markupsafe
    does (in Python, asking the string for `__html__` first), it took three times as
    long: a tenth of all rendering time."""
    kind = type(value)
    if kind is str:
        return _escape_text(value)
    if kind is Markup:
        return cast(Markup, value)  # already safe; markupsafe returns an equal copy
    escaped: Markup = markupsafe.escape(value)
    return escaped


def pagefind_text(value: Any) -> Markup:
    """The `pagefind_text` filter: a value for a `data-pagefind-filter` attribute.

    Pagefind's indexer decodes entities twice (the HTML, then the value again):
    escaped three times, the value is stored escaped once, so that any UI that inserts
    it as HTML (Pagefind's own does) shows `<img onerror=…>` as text; the theme's
    search.js decodes it once and sets it with textContent. The same as Jinja's
    `forceescape` three times over, which took three filter calls and a macro call
    per value: a fifth of the time an article page took to render."""
    text = value.__html__() if hasattr(value, "__html__") else str(value)
    return Markup(_escape_text(_escape_text(_escape_text(text))))


class _Template(jinja2.Template):
    """A template whose code escapes with `_escape`: compiled templates look `escape`
    up among their module's globals (the names Jinja imports there) at each call."""

    @classmethod
    def from_code(cls, environment: jinja2.Environment, code: Any,
                  globals: Any, uptodate: Any = None) -> jinja2.Template:
        template = super().from_code(environment, code, globals, uptodate)
        template.root_render_func.__globals__["escape"] = _escape
        return template


class _Environment(jinja2.Environment):
    """Looks a template's `item.url` up as a key first when `item` is a dict, as all
    template data are (see sitegen.views). Jinja's own order (attribute, then key)
    raises and catches an AttributeError for every such lookup, which was a third
    of the time spent rendering a listing page."""

    template_class = _Template

    def getattr(self, obj: Any, attribute: str) -> Any:
        if type(obj) is dict:
            try:
                return obj[attribute]
            except KeyError:
                pass
        return super().getattr(obj, attribute)


def site_url_filter(base_path: str) -> Callable[[Any], str]:
    """The `url` filter: a site path under the base path, so that "/2025/" becomes
    "/archive/2025/"; any other URL as it is. Templates use it on nearly every link
    (tens of thousands of times in a build), so a site at the root of its host, the
    usual case, takes the shortest way."""
    prefix = base_path.rstrip("/")

    def site_url(path: Any) -> str:
        text = path if type(path) is str else str(path)
        if prefix and text.startswith("/") and not text.startswith("//"):
            return prefix + text
        return text

    return site_url


def _site_view(config: SiteConfig) -> dict[str, Any]:
    return {"title": config.title, "description": config.description,
            "base_url": config.base_url, "language": config.language,
            "publisher": {"name": config.publisher.name, "url": config.publisher.url}}


def render(env: jinja2.Environment, route: Route,
           context: Mapping[str, Any] | None = None) -> bytes:
    """One route's bytes, from `context` if given (else the route's data); a broken
    template is reported as the user's error."""
    try:
        template = env.get_template(route.template)
        return template.render(route.data() if context is None else context).encode("utf-8")
    except jinja2.TemplateSyntaxError as exc:
        raise SitegenError(f"template error: {exc.message}", exc.filename or exc.name,
                           exc.lineno) from None
    except jinja2.TemplateNotFound as exc:
        raise SitegenError(f"template not found: {exc.name}") from None
    except jinja2.UndefinedError as exc:
        raise SitegenError(f"template error while rendering {route.url}: {exc.message}",
                           _template_file(env, route.template)) from None
    except (OSError, UnicodeError) as exc:  # a template file unreadable, or not UTF-8
        raise SitegenError(f"cannot read {route.template} or a template it uses "
                           f"(save templates as UTF-8): {exc}",
                           _template_file(env, route.template)) from None


def compile_templates(env: jinja2.Environment, names: set[str]) -> None:
    """Compile these templates and those they name into `env`'s cache, ahead of use.
    Only a speed-up: a template that cannot be read or compiled is left for `render`
    to report, and one named by a variable is compiled when it is used."""
    reached: set[str] = set()
    for name in names:
        try:
            reached |= _reachable(env, name) or {name}
        except (OSError, UnicodeError):
            reached.add(name)
    for name in sorted(reached):
        try:
            env.get_template(name)
        except (jinja2.TemplateError, OSError, UnicodeError):
            pass  # reported, with its file, when a page using it is rendered


def templates_using(env: jinja2.Environment, changed: set[str], names: set[str]) -> set[str]:
    """Those of the templates `names` that are, extend, include or import one of the
    `changed` templates, directly or through others. A template that names another by
    a variable may use any, so it counts as using them all."""
    graph: dict[str, set[str] | None] = {}

    def uses(name: str, seen: frozenset[str]) -> bool:
        refs = _references(env, name, graph)
        if name in changed or refs is None:
            return True
        return any(uses(ref, seen | {name}) for ref in refs if ref not in seen)

    return {name for name in names if uses(name, frozenset())}


def _references(env: jinja2.Environment, name: str, graph: dict[str, set[str] | None]
                ) -> set[str] | None:
    """The templates `name` extends, includes or imports; None when it names one by a
    variable (it may use any). `graph` remembers the answers."""
    if name not in graph:
        graph[name] = set()  # a cycle (a broken theme) must not recurse forever
        try:
            found = set(jinja2.meta.find_referenced_templates(_tree(env, name)))
        except (jinja2.TemplateNotFound, jinja2.TemplateSyntaxError):
            found = set()  # rendering reports it
        graph[name] = None if None in found else {str(n) for n in found}
    return graph[name]


# Templates parsed, by environment and name, with the source each was parsed from:
# the checks of what a theme lets sitegen.quick do read the same templates over and
# over (22 parses, a sixth of a second at the end of every full build). The trees
# are only read; an edited template (`sitegen serve`) replaces its entry.
_TREES: weakref.WeakKeyDictionary[jinja2.Environment, dict[str, tuple[str, nodes.Template]]] = (
    weakref.WeakKeyDictionary())


def _tree(env: jinja2.Environment, name: str) -> nodes.Template:
    """Template `name` parsed; raises what reading or parsing it raises."""
    source = env.loader.get_source(env, name)[0] if env.loader else ""
    trees = _TREES.setdefault(env, {})
    known = trees.get(name)
    if known is None or known[0] != source:
        known = trees[name] = (source, env.parse(source))
    return known[1]


def _reachable(env: jinja2.Environment, start: str) -> set[str] | None:
    """`start` and every template it uses, directly or through others; None when one
    of them names a template by a variable."""
    graph: dict[str, set[str] | None] = {}
    found, waiting = set(), [start]
    while waiting:
        name = waiting.pop()
        if name in found:
            continue
        found.add(name)
        refs = _references(env, name, graph)
        if refs is None:
            return None
        waiting += refs
    return found


@dataclass(frozen=True)
class PassThrough:
    """A value that `template`, and the templates it uses, must write out only as it
    is: `variable.key` (the article page's `article.body_html`, a feed's
    `entry.content_html`), written either `{{ variable.key|safe }}` (`escaped`
    False) or `{{ variable.key }}` autoescaped (`escaped` True), or tested with
    `{% if variable.key %}`; and nothing else of `variable` read but its
    `other_keys`, never the whole of it."""

    template: str
    variable: str
    key: str
    other_keys: frozenset[str]
    escaped: bool = False


def passes_through(env: jinja2.Environment, rule: PassThrough) -> bool:
    """Whether the templates keep to `rule`: then a page is the same around the value,
    whatever the value (while it stays non-empty), which sitegen.quick relies on. A
    template that cannot be read, or turns autoescaping off or on, fails."""
    names = _reachable(env, rule.template)
    for name in env.list_templates() if names is None else sorted(names):
        try:
            tree = _tree(env, name)
        except jinja2.TemplateError:
            return False
        if not _keeps_to(tree, rule):
            return False
    return True


def _keeps_to(tree: nodes.Template, rule: PassThrough) -> bool:
    if any(tree.find_all((nodes.ScopedEvalContextModifier, nodes.EvalContextModifier))):
        return False  # `{% autoescape %}`: what a bare value writes would depend on it
    if not _output_kept(tree):
        return False
    allowed: set[int] = set()  # the `variable` names read in the ways the rule allows
    returned = {id(output) for node in tree.find_all((nodes.Macro, nodes.CallBlock))
                for output in node.find_all(nodes.Output)}
    for output in tree.find_all(nodes.Output):
        if id(output) in returned:
            continue  # written into a value its caller may change (see `_output_kept`)
        for child in output.nodes:
            found = _lookup(_written(child, rule.escaped), rule.variable)
            if found and found[1] == rule.key:
                allowed.add(id(found[0]))
    for test in tree.find_all(nodes.If):
        found = _lookup(test.test, rule.variable)
        if found and found[1] == rule.key:
            allowed.add(id(found[0]))
    for node in tree.find_all((nodes.Getattr, nodes.Getitem)):
        found = _lookup(node, rule.variable)
        if found and found[1] in rule.other_keys and found[1] != rule.key:
            allowed.add(id(found[0]))
    for loop in tree.find_all(nodes.For):  # a loop may bind it (a feed's entries)
        allowed.update(map(id, loop.target.find_all(nodes.Name)))
        if isinstance(loop.target, nodes.Name):
            allowed.add(id(loop.target))
    return all(id(name) in allowed for name in tree.find_all(nodes.Name)
               if name.name == rule.variable)


@dataclass(frozen=True)
class AloneBlock:
    """A block of `template` that alone reads `variable` of the page context (the
    article page's `related` block and list), among the other `context_keys`."""

    template: str
    block: str
    variable: str
    context_keys: frozenset[str]


def renders_alone(env: jinja2.Environment, rule: AloneBlock) -> bool:
    """Whether the block is written into every page of `rule.template` once, as it is,
    the same as `render_block` renders it from `rule.variable` alone, which nothing
    else in the page reads: then sitegen.quick may put the block rendered from a new
    value in place of the old one. That holds when the template defines the block
    where nothing but enclosing blocks can leave it out or repeat it (nor in the
    templates it extends), no template reads the variable outside it or writes a
    block by `self`, nothing captures or filters output or turns autoescaping on or
    off, and the block reads nothing but the variable and the environment's globals,
    which neither the page context nor any template sets."""
    names = _reachable(env, rule.template)
    trees = _parsed(env, names) if names is not None else None
    if trees is None or rule.template not in trees:
        return False
    found = [b for b in trees[rule.template].find_all(nodes.Block) if b.name == rule.block]
    if len(found) != 1 or not _placed_once(trees, rule.block):
        return False
    block = found[0]
    inside = {id(node) for node in block.find_all(nodes.Node)}
    stored: set[str] = set()
    for tree in trees.values():
        if (any(tree.find_all((nodes.ScopedEvalContextModifier, nodes.EvalContextModifier)))
                or not _output_kept(tree) or _calls_self_blocks(tree)):
            return False
        if any(name.name == rule.variable and id(name) not in inside
               for name in tree.find_all(nodes.Name)):
            return False
        stored |= _stored_names(tree, inside)
    hidden = stored | rule.context_keys - {rule.variable}  # a global of that name is not read
    reads = _reads(env, block)
    return (reads <= {rule.variable, *env.globals} and not reads & hidden
            and not any(block.find_all((nodes.Include, nodes.Import, nodes.FromImport))))


def render_block(env: jinja2.Environment, rule: AloneBlock, value: object) -> str:
    """The block's output when its variable is `value` (see `renders_alone`)."""
    template = env.get_template(rule.template)
    context = template.new_context({rule.variable: value})
    return str(env.concat(template.blocks[rule.block](context)))


def _parsed(env: jinja2.Environment, names: set[str]) -> dict[str, nodes.Template] | None:
    trees = {}
    for name in sorted(names):
        try:
            trees[name] = _tree(env, name)
        except (jinja2.TemplateError, OSError, UnicodeError):
            return None
    return trees


def _placed_once(trees: Mapping[str, nodes.Template], block: str) -> bool:
    """Whether every definition of `block`, and of each block around one, in these
    templates sits directly in its template or in another block: not in a loop,
    condition, macro or call, which could write it any number of times."""
    waiting, seen = [block], set()
    while waiting:
        name = waiting.pop()
        seen.add(name)
        for tree in trees.values():
            if any(_ancestors(tree, node) is None for node in tree.find_all(nodes.Extends)):
                return False  # an `extends` within anything: the parent may change
            for node in tree.find_all(nodes.Block):
                if node.name != name:
                    continue
                around = _ancestors(tree, node)
                if around is None:
                    return False
                waiting += [outer.name for outer in around if outer.name not in seen]
    return True


def _ancestors(tree: nodes.Template, target: nodes.Node) -> list[nodes.Block] | None:
    """The blocks around `target`, outermost first; None when something else is."""
    def path(node: nodes.Node) -> list[nodes.Node] | None:
        for child in node.iter_child_nodes():
            if child is target:
                return [node]
            below = path(child)
            if below is not None:
                return [node, *below]
        return None

    around = path(tree) or []
    if not all(isinstance(node, nodes.Template | nodes.Block) for node in around):
        return None
    return [node for node in around if isinstance(node, nodes.Block)]


def _reads(env: jinja2.Environment, block: nodes.Block) -> set[str]:
    """The names the block reads from the context, globals among them (which
    `find_undeclared_variables` leaves out for the environment it is given: so it is
    given one with `env`'s filters and tests, and no globals)."""
    bare = jinja2.Environment()
    bare.filters, bare.tests, bare.globals = env.filters, env.tests, {}
    body = nodes.Template(list(block.body))
    body.set_environment(bare)
    return set(jinja2.meta.find_undeclared_variables(body))


def _stored_names(tree: nodes.Template, inside: set[int]) -> set[str]:
    """The names a template sets or imports outside the nodes `inside`."""
    stored = {name.name for name in tree.find_all(nodes.Name)
              if name.ctx in ("store", "param") and id(name) not in inside}
    stored.update(node.target for node in tree.find_all(nodes.Import) if id(node) not in inside)
    for imported in tree.find_all(nodes.FromImport):
        if id(imported) not in inside:
            stored.update(name if isinstance(name, str) else name[1] for name in imported.names)
    stored.update(macro.name for macro in tree.find_all(nodes.Macro) if id(macro) not in inside)
    return stored


def _calls_self_blocks(tree: nodes.Template) -> bool:
    """Whether the template writes a block again by `self.name()`."""
    return any(isinstance(node.node, nodes.Name) and node.node.name == "self"
               for node in tree.find_all(nodes.Getattr))


def _output_kept(tree: nodes.Template) -> bool:
    """Whether what the template writes goes into the page as it is, but for what
    macros and `{% call %}` bodies write (a value the caller may filter), which
    `_keeps_to` does not take as written: no `{% filter %}` or `{% set %}` block
    captures output, and a block's output (`self.name()`, `super()`) is only written
    out as it is."""
    if any(tree.find_all((nodes.FilterBlock, nodes.AssignBlock))):
        return False
    bare = {id(child) for output in tree.find_all(nodes.Output) for child in output.nodes}
    for call in tree.find_all(nodes.Call):
        callee = call.node
        block = ((isinstance(callee, nodes.Name) and callee.name == "super")
                 or (isinstance(callee, nodes.Getattr) and isinstance(callee.node, nodes.Name)
                     and callee.node.name == "self"))
        if block and id(call) not in bare:
            return False
    return True


def _written(child: nodes.Node, escaped: bool) -> nodes.Node | None:
    """What an output's part writes: itself, autoescaped, when `escaped`; else the value
    under a plain `|safe`, as it is."""
    if escaped:
        return child
    if (isinstance(child, nodes.Filter) and child.name == "safe" and not child.args
            and not child.kwargs and child.dyn_args is None and child.dyn_kwargs is None):
        return child.node
    return None


def _lookup(node: nodes.Node | None, variable: str) -> tuple[nodes.Name, str] | None:
    """The name and "key" when `node` is `variable.key` or `variable["key"]`."""
    if not isinstance(node, nodes.Getattr | nodes.Getitem):
        return None
    name = node.node
    if not isinstance(name, nodes.Name) or name.name != variable:
        return None
    if isinstance(node, nodes.Getattr):
        return name, str(node.attr)
    if isinstance(node.arg, nodes.Const) and isinstance(node.arg.value, str):
        return name, node.arg.value
    return None


def _template_file(env: jinja2.Environment, name: str) -> str | None:
    try:
        source = env.loader.get_source(env, name) if env.loader else None
    except (jinja2.TemplateNotFound, OSError, UnicodeError):
        return None
    return source[1] if source else None
