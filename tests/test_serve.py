"""`sitegen serve`: a real server, watcher and rebuilder on a free port against a small site."""

from __future__ import annotations

import http.client
import json
import os
import queue
import shutil
import socket
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest

from sitegen.build import BuildOptions, build
from sitegen.errors import SitegenError
from sitegen.serve import Preview, ServeOptions, resolve_url_path
from sitegen.watch import Change, ChangeKind, Debouncer, classify

from conftest import run_sitegen

CHROMIUM = Path("/usr/bin/chromium")
FIRST = "content/articles/2025/01/first.md"
FIRST_URL = "/2025/01/first-story/"


def article(title: str, body: str, day: int = 2) -> str:
    return (f'---\ntitle: "{title}"\ndate: 2025-01-{day:02d}\n'
            f"tags: [Border talks]\n---\n{body}\n")


@pytest.fixture
def site(tmp_path: Path) -> Path:
    root = tmp_path / "site"
    (root / "content/articles/2025/01").mkdir(parents=True)
    (root / FIRST).write_text(article("First story", "The river rose early."))
    (root / "content/articles/2025/01/second.md").write_text(
        article("Second story", "Talks resumed at noon.", day=3))
    (root / "themes/default/static").mkdir(parents=True)
    (root / "themes/default/static/note.txt").write_text("first note\n")
    (tmp_path / "secret.txt").write_text("outside the site\n")
    return root


@pytest.fixture
def preview(site: Path) -> Iterator[Preview]:
    running = Preview(ServeOptions(site, port=0, search=False))
    running.start()
    yield running
    running.close()
    leftover = [t.name for t in threading.enumerate() if t.name.startswith("sitegen-")]
    assert leftover == []


def request(preview: Preview, path: str, method: str = "GET") -> tuple[int, dict[str, str], bytes]:
    """One raw request: the path is sent exactly as given (no client-side normalising)."""
    address = urlsplit(preview.url)
    conn = http.client.HTTPConnection(address.hostname or "", address.port, timeout=10)
    try:
        conn.request(method, path)
        response = conn.getresponse()
        return response.status, dict(response.getheaders()), response.read()
    finally:
        conn.close()


def poll(check: Callable[[], bool], timeout: float = 10.0) -> None:
    deadline = time.monotonic() + timeout
    while not check():
        if time.monotonic() > deadline:
            raise AssertionError("condition not met in time")
        time.sleep(0.05)


def page_text(preview: Preview, path: str) -> str:
    return request(preview, path)[2].decode()


def status(preview: Preview) -> dict[str, Any]:
    result: dict[str, Any] = json.loads(request(preview, "/__sitegen/status")[2])
    return result


class EventStream:
    """Reads `/__sitegen/events` on a thread and queues each (event, data)."""

    def __init__(self, preview: Preview):
        address = urlsplit(preview.url)
        self.sock = socket.create_connection((address.hostname, address.port), timeout=30)
        self.sock.sendall(b"GET /__sitegen/events HTTP/1.1\r\nHost: x\r\n\r\n")
        self.events: queue.Queue[tuple[str, dict[str, Any]]] = queue.Queue()
        self.thread = threading.Thread(target=self._read, daemon=True)
        self.thread.start()

    def _read(self) -> None:
        name = ""
        try:
            for raw in self.sock.makefile("rb"):
                line = raw.decode().rstrip("\r\n")
                if line.startswith("event: "):
                    name = line[7:]
                elif line.startswith("data: "):
                    self.events.put((name, json.loads(line[6:])))
        except (OSError, ValueError):
            return  # closed by the test or the server

    def next(self, timeout: float = 10.0) -> tuple[str, dict[str, Any]]:
        return self.events.get(timeout=timeout)

    def close(self) -> None:
        self.sock.shutdown(socket.SHUT_RDWR)  # wakes the reader thread
        self.sock.close()
        self.thread.join(timeout=5)
        assert not self.thread.is_alive()


def test_classify_change_kinds(tmp_path: Path) -> None:
    kinds = {
        "content/articles/2025/01/a.md": ChangeKind.ARTICLE,
        "content/topics/border-talks.md": ChangeKind.TOPIC,
        "themes/theme/templates/base.html": ChangeKind.TEMPLATE,
        "themes/default/static/style.css": ChangeKind.STATIC,
        "sitegen.toml": ChangeKind.CONFIG,
        "content/articles/2025/01/.a.md.swp": None,
        "content/articles/2025/01/a.md~": None,
        "public/index.html": None,
    }
    assert {rel: classify(tmp_path, tmp_path / rel) for rel in kinds} == kinds


def test_a_burst_of_events_gives_one_rebuild(tmp_path: Path) -> None:
    batches: list[frozenset[Change]] = []
    debouncer = Debouncer(batches.append, delay=0.1)
    changes = [Change(ChangeKind.ARTICLE, tmp_path / f"{n}.md") for n in range(5)]
    for change in changes:  # like an editor's write, rename and touch of one save
        debouncer.add([change])
        time.sleep(0.02)
    poll(lambda: bool(batches))
    time.sleep(0.3)
    debouncer.close()
    assert batches == [frozenset(changes)]


def test_serves_the_site_with_the_reload_script(preview: Preview, site: Path) -> None:
    code, headers, body = request(preview, FIRST_URL)
    assert code == 200 and headers["Content-Type"] == "text/html; charset=utf-8"
    assert b"The river rose early." in body
    assert body.count(b'<script src="/__sitegen/reload.js" defer></script></body>') == 1
    assert preview.output.is_relative_to(site / ".sitegen-cache")
    assert not (site / "public").exists()
    code, headers, body = request(preview, "/__sitegen/reload.js")
    assert code == 200 and headers["Content-Type"].startswith("text/javascript")
    assert b"EventSource" in body


def test_build_output_has_no_reload_script(site: Path, tmp_path: Path) -> None:
    build(BuildOptions(site, tmp_path / "out", search=False))
    assert not any(b"__sitegen" in p.read_bytes() for p in (tmp_path / "out").rglob("*.html"))


def test_edit_changes_the_page_and_sends_reload(preview: Preview, site: Path) -> None:
    stream = EventStream(preview)
    try:
        assert stream.next()[0] == "hello"
        (site / FIRST).write_text(article("First story", "The river rose late."))
        assert stream.next()[0] == "reload"
        assert "The river rose late." in page_text(preview, FIRST_URL)
    finally:
        stream.close()


LONG = "content/articles/2025/01/long.md"
LONG_URL = "/2025/01/long-story/"


def long_body(ending: str, opening: str = "Flood waters reached the bridge.") -> str:
    """A body well past the opening the related and description code read."""
    middle = "\n\n".join(f"Paragraph {n} tells of the river and the town." for n in range(80))
    assert len(opening) + len(middle) > 2000
    return f"{opening}\n\n{middle}\n\n{ending}"


def tree(root: Path) -> dict[str, bytes]:
    """Every file under `root` but the search index, by relative path."""
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in root.rglob("*")
            if p.is_file() and p.relative_to(root).parts[0] != "pagefind"}


def assert_equals_full_build(preview: Preview, site: Path, tmp_path: Path) -> None:
    work = Path(tempfile.mkdtemp(dir=tmp_path))
    shutil.copytree(site, work / "site", ignore=shutil.ignore_patterns(".sitegen-cache"))
    build(BuildOptions(work / "site", work / "full", search=False, base_url=preview.url))
    assert tree(preview.output) == tree(work / "full")


def edit_and_wait(preview: Preview, site: Path, text: str,
                  capsys: pytest.CaptureFixture[str]) -> str:
    """Write the long article, wait for the reload; the rebuild's terminal line."""
    stream = EventStream(preview)
    try:
        assert stream.next()[0] == "hello"
        capsys.readouterr()
        (site / LONG).write_text(text)
        assert stream.next()[0] == "reload"
    finally:
        stream.close()
    return next(line for line in capsys.readouterr().out.splitlines()
                if line.startswith("article changed"))


def test_body_edit_after_the_opening_rerenders_only_its_pages(
        preview: Preview, site: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert "article edit: wrote" in edit_and_wait(  # a new article
        preview, site, article("Long story", long_body("The end came at dawn.")), capsys)
    line = edit_and_wait(
        preview, site, article("Long story", long_body("The end came at dusk.")), capsys)
    assert f"body-only edit: re-rendered {LONG_URL}, /feed.xml" in line
    assert "The end came at dusk." in page_text(preview, LONG_URL)
    assert "The end came at dusk." in page_text(preview, "/feed.xml")
    assert_equals_full_build(preview, site, tmp_path)


def test_edit_in_the_opening_or_front_matter_renders_what_it_changes(
        preview: Preview, site: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    edit_and_wait(preview, site, article("Long story", long_body("The end.")), capsys)
    line = edit_and_wait(preview, site, article(
        "Long story", long_body("The end.", opening="Flood waters closed the bridge.")), capsys)
    assert "article edit: wrote" in line
    assert "Flood waters closed the bridge." in page_text(preview, LONG_URL)
    assert_equals_full_build(preview, site, tmp_path)
    line = edit_and_wait(preview, site, article(
        "Long story, retitled", long_body("The end.", opening="Flood waters closed the bridge.")),
        capsys)
    assert "article edit: wrote" in line
    assert_equals_full_build(preview, site, tmp_path)


def test_broken_front_matter_keeps_old_page_and_fixing_clears(preview: Preview,
                                                               site: Path) -> None:
    stream = EventStream(preview)
    try:
        stream.next()
        (site / FIRST).write_text('---\ntitle: "First story\ndate: [\n---\nBroken.\n')
        name, data = stream.next()
        assert name == "build-error" and f"{FIRST}:" in data["error"]
        assert status(preview)["error"] == data["error"]
        assert "The river rose early." in page_text(preview, FIRST_URL)
        (site / FIRST).write_text(article("First story", "The river is fixed."))
        assert stream.next()[0] == "reload"
        assert status(preview)["error"] is None
        assert "The river is fixed." in page_text(preview, FIRST_URL)
    finally:
        stream.close()


def test_static_file_change_is_copied(preview: Preview, site: Path) -> None:
    assert page_text(preview, "/assets/note.txt") == "first note\n"
    epoch = status(preview)["epoch"]
    (site / "themes/default/static/note.txt").write_text("second note\n")
    poll(lambda: page_text(preview, "/assets/note.txt") == "second note\n")
    poll(lambda: bool(status(preview)["epoch"] == epoch + 1))


@pytest.mark.parametrize("path", [
    "/../secret.txt", "/../../../etc/passwd", "/%2e%2e/secret.txt", "/%2E%2E/%2e%2e/etc/passwd",
    "/2025/..%2f..%2f..%2fsecret.txt", "/link/secret.txt", "/leak.txt", "/a%00b",
])
def test_traversal_attempts_get_404(preview: Preview, site: Path, path: str) -> None:
    (preview.output / "link").symlink_to(site.parent, target_is_directory=True)
    (preview.output / "leak.txt").symlink_to(site.parent / "secret.txt")
    code, headers, body = request(preview, path)
    assert code == 404 and b"outside the site" not in body and b"root:" not in body


def test_resolve_url_path_stays_inside(tmp_path: Path) -> None:
    (tmp_path / "a").mkdir()
    assert resolve_url_path(tmp_path, "/a/") == tmp_path.resolve() / "a"
    assert resolve_url_path(tmp_path, "/a/%2e%2e/%2e%2e/x") is None


def test_content_types(preview: Preview) -> None:
    for name in ("x.wasm", "x.pf_fragment", "x.pf_index", "x.pf_meta", "x.pf_filter",
                 "x.json"):
        (preview.output / name).write_bytes(b"\0")
    expected = {
        "/x.wasm": "application/wasm", "/x.pf_fragment": "application/octet-stream",
        "/x.pf_index": "application/octet-stream", "/x.pf_meta": "application/octet-stream",
        "/x.pf_filter": "application/octet-stream", "/x.json": "application/json",
        "/feed.xml": "application/xml", "/": "text/html; charset=utf-8",
    }
    css = next(preview.output.glob("assets/style.*.css")).name
    expected[f"/assets/{css}"] = "text/css; charset=utf-8"
    assert {path: request(preview, path)[1]["Content-Type"] for path in expected} == expected


def test_folders_redirect_and_missing_paths_get_the_404_page(preview: Preview) -> None:
    code, headers, _ = request(preview, "/2025/01/first-story?x=1")
    assert code == 301 and headers["Location"] == "/2025/01/first-story/?x=1"
    code, _, body = request(preview, "/no/such/page/")
    assert code == 404 and body.startswith((preview.output / "404.html").read_bytes()[:200])
    assert b"/__sitegen/reload.js" in body
    assert request(preview, "/", method="HEAD")[0] == 200


def test_port_in_use_is_a_clear_error(site: Path) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        with pytest.raises(SitegenError, match="already in use"):
            Preview(ServeOptions(site, port=port))
        result = run_sitegen("serve", "--source", site, "--port", port)
    assert result.returncode == 1
    assert "already in use" in result.stderr and "Traceback" not in result.stderr


def test_search_index_is_built_in_the_background(site: Path) -> None:
    running = Preview(ServeOptions(site, port=0, search=True))
    try:
        running.start()
        poll(lambda: request(running, "/pagefind/pagefind-entry.json")[0] == 200, timeout=30)
    finally:
        running.close()


@pytest.mark.skipif(not CHROMIUM.exists() and not os.environ.get("CI"),
                    reason="needs Debian's chromium at /usr/bin/chromium")
def test_browser_reloads_after_edit_and_shows_errors(preview: Preview, site: Path) -> None:
    from playwright.sync_api import expect, sync_playwright

    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=str(CHROMIUM), args=[
            "--no-sandbox", "--disable-gpu", "--disable-background-networking",
            "--disable-component-update", "--disable-sync"])
        try:
            page = browser.new_page()
            page.goto(preview.url + FIRST_URL.lstrip("/"))
            page.wait_for_selector("html[data-sitegen-live]", state="attached")
            (site / FIRST).write_text(article("First story", "Browser sees this."))
            expect(page.get_by_text("Browser sees this.")).to_be_visible(timeout=10_000)
            (site / FIRST).write_text("---\ntitle: x\ndate: 2025-01-02\n<b>x</b>: 1\n---\n")
            overlay = page.locator("#sitegen-error-overlay")
            expect(overlay).to_contain_text(f"{FIRST}:", timeout=10_000)
            expect(overlay).to_contain_text("<b>x</b>")  # shown as text, not as markup
            (site / FIRST).write_text(article("First story", "Fixed again."))
            expect(page.get_by_text("Fixed again.")).to_be_visible(timeout=10_000)
            expect(overlay).to_have_count(0)
        finally:
            browser.close()
