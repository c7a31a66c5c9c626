"""What the browser tests share: Debian's Chromium, and built sites served on 127.0.0.1.

Browser tests are skipped only where `CI` is unset and Chromium is missing; in
CI a missing browser fails loudly instead.
"""

from __future__ import annotations

import functools
import os
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from http import HTTPStatus
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

if TYPE_CHECKING:
    from playwright.sync_api import Browser

CHROMIUM = Path("/usr/bin/chromium")
# The flags keep Chromium from reaching for the network, which this machine does not have.
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync"]


def skip_without_chromium() -> None:
    """Call at module level, before importing Playwright."""
    if "CI" not in os.environ and not CHROMIUM.exists():
        pytest.skip("Debian chromium is not installed", allow_module_level=True)


class SiteHandler(SimpleHTTPRequestHandler):
    """A quiet static host: unknown paths get the site's 404 page with a 404 status."""

    def send_error(self, code: int, message: str | None = None,
                   explain: str | None = None) -> None:
        page = Path(self.directory) / "404.html"
        if code != HTTPStatus.NOT_FOUND or not page.exists():
            super().send_error(code, message, explain)
            return
        body = page.read_bytes()
        self.send_response(code)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: Any) -> None:
        pass


@contextmanager
def serve_folder(folder: Path) -> Iterator[str]:
    """Serve `folder` over http on a free loopback port; yields its base URL."""
    server = ThreadingHTTPServer(("127.0.0.1", 0),
                                 functools.partial(SiteHandler, directory=str(folder)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


def first_dir(folder: Path) -> str:
    return sorted(p.name for p in folder.iterdir() if p.is_dir())[0]


def page_paths(output: Path) -> dict[str, str]:
    """One URL of each kind of page, found in the output so that new content needs no edit."""
    article = sorted(output.glob("[0-9][0-9][0-9][0-9]/[0-9][0-9]/*/index.html"))[0]
    return {
        "home": "/",
        "article": "/" + article.parent.relative_to(output).as_posix() + "/",
        "topic": f"/topics/{first_dir(output / 'topics')}/",
        "author": f"/authors/{first_dir(output / 'authors')}/",
        "archive": "/archive/",
        "search": "/search/",
        "404": "/no/such/page/",
    }


@contextmanager
def chromium() -> Iterator[Browser]:
    """Debian's headless Chromium driven by Playwright (never a downloaded browser)."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()
