"""`sitegen serve`: build, serve, watch, rebuild and live-reload the browser.

Where the site is served from: `<site>/.sitegen-cache/serve/site`, never the
user's `public/`. Serve builds with a local base URL, without the search
index at first and with drafts when asked, so its output differs from a
published build; writing it into `public/` would leave a folder that must
not be deployed. The cache folder is kept between runs so a restart serves
the last site at once while it rebuilds.

Why the standard library's `ThreadingHTTPServer`: a preview server for one
maintainer needs no dependency, and a handler of our own is needed anyway to
confine paths, wait for rebuilds, inject the reload script and stream
Server-Sent Events. One thread per request lets an SSE stream stay open.

Never broken (the MkDocs lesson): `Rebuilder` (`sitegen.watch`) builds
into a staging folder and swaps it in; while it builds, `BuildState.building`
is set and every request waits for it to clear, so no one sees a half-built
site. A failed build leaves the last good site served and its error is shown
in the terminal and, over SSE, as an overlay drawn by `reload.js`. An edit to
an article's body alone is re-rendered in place instead (`sitegen.incremental`),
one file at a time written aside and renamed over, under the same wait.
"""

from __future__ import annotations

import errno
import json
import mimetypes
import sys
import threading
import time
from dataclasses import dataclass
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from importlib import resources
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

from sitegen.errors import SitegenError
from sitegen.watch import BuildState, Rebuilder, SearchIndexer, Watcher

PREFIX = "/__sitegen/"
RELOAD_TAG = b'<script src="/__sitegen/reload.js" defer></script>'
KEEPALIVE = 15.0  # seconds between SSE comments, so proxies keep the stream open
REQUEST_WAIT = 300.0  # longest a request waits for a rebuild before it gets the old site
_OCTET = "application/octet-stream"
CONTENT_TYPES = {
    ".html": "text/html; charset=utf-8", ".css": "text/css; charset=utf-8",
    ".js": "text/javascript; charset=utf-8", ".mjs": "text/javascript; charset=utf-8",
    ".json": "application/json", ".xml": "application/xml", ".txt": "text/plain; charset=utf-8",
    ".svg": "image/svg+xml", ".wasm": "application/wasm", ".pf_fragment": _OCTET,
    ".pf_index": _OCTET, ".pf_meta": _OCTET, ".pf_filter": _OCTET,
}
_FALLBACK_404 = b"<!doctype html><title>Not found</title><h1>Not found</h1>\n"


@dataclass(frozen=True)
class ServeOptions:
    source: Path
    host: str = "127.0.0.1"
    port: int = 8000
    drafts: bool = False
    search: bool = True
    base_url: str | None = None


def content_type(path: Path) -> str:
    known = CONTENT_TYPES.get(path.suffix.lower())
    return known or mimetypes.guess_type(path.name)[0] or _OCTET


def resolve_url_path(root: Path, url_path: str) -> Path | None:
    """The file or folder under `root` that a request path names, or None if it leaves root.

    The path is percent-decoded first (so `%2e%2e` is `..`), any `.` or `..`
    segment is refused outright, and the resolved path (symlinks followed)
    must still lie inside the resolved root.
    """
    decoded = unquote(url_path)
    if "\x00" in decoded or "\\" in decoded:
        return None
    parts = [part for part in decoded.split("/") if part]
    if any(part in (".", "..") for part in parts):
        return None
    base = root.resolve()
    candidate = base.joinpath(*parts).resolve()
    return candidate if candidate.is_relative_to(base) else None


def inject_reload(html: bytes) -> bytes:
    """Add the reload script before `</body>` (or at the end when there is none)."""
    at = html.lower().rfind(b"</body>")
    return html + RELOAD_TAG if at < 0 else html[:at] + RELOAD_TAG + html[at:]


class _Server(ThreadingHTTPServer):
    daemon_threads = True  # open SSE streams must not keep the process alive
    preview: Preview


class _Handler(BaseHTTPRequestHandler):
    server: _Server
    server_version = "sitegen-serve"

    def log_message(self, format: str, *args: Any) -> None:
        """Quiet: every page load fetches many files, which would bury build messages."""

    def do_HEAD(self) -> None:
        self._dispatch(head=True)

    def do_GET(self) -> None:
        self._dispatch(head=False)

    def _dispatch(self, head: bool) -> None:
        path = urlsplit(self.path).path or "/"
        preview = self.server.preview
        if path == PREFIX + "events" and not head:
            self._events(preview.state)
        elif path == PREFIX + "reload.js":
            self._send(HTTPStatus.OK, content_type(Path(path)), preview.reload_script, head)
        elif path == PREFIX + "status":
            epoch, error = preview.state.snapshot()
            body = json.dumps({"epoch": epoch, "error": error}).encode()
            self._send(HTTPStatus.OK, CONTENT_TYPES[".json"], body, head)
        else:
            preview.state.wait_ready(REQUEST_WAIT)
            self._file(preview.output, path, head)

    def _file(self, root: Path, path: str, head: bool) -> None:
        target = resolve_url_path(root, path)
        if target is not None and target.is_dir():
            if not path.endswith("/"):
                query = urlsplit(self.path).query
                self._redirect(urlsplit(self.path).path + "/" + (f"?{query}" if query else ""))
                return
            target = target / "index.html"
        if target is None or not target.is_file():
            self._not_found(root, head)
            return
        try:
            body = target.read_bytes()
        except OSError:  # swapped away between the check and the read
            self._not_found(root, head)
            return
        self._send(HTTPStatus.OK, content_type(target), body, head)

    def _not_found(self, root: Path, head: bool) -> None:
        page = root / "404.html"
        body = page.read_bytes() if page.is_file() else _FALLBACK_404
        self._send(HTTPStatus.NOT_FOUND, CONTENT_TYPES[".html"], body, head)

    def _redirect(self, location: str) -> None:
        self.send_response(HTTPStatus.MOVED_PERMANENTLY)
        self.send_header("Location", location)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def _send(self, status: HTTPStatus, ctype: str, body: bytes, head: bool) -> None:
        if ctype.startswith("text/html"):
            body = inject_reload(body)
        self.send_response(status)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        # Every response may change with the next save: never let the browser cache it.
        self.send_header("Cache-Control", "no-store")
        self.end_headers()
        if not head:
            self.wfile.write(body)

    def _events(self, state: BuildState) -> None:
        """Stream build events until the client leaves or the server closes."""
        self.send_response(HTTPStatus.OK)
        self.send_header("Content-Type", "text/event-stream")
        self.send_header("Cache-Control", "no-store")
        self.end_headers()
        seen = state.snapshot()
        try:
            self._event("hello", {"epoch": seen[0], "error": seen[1]})
            while (now := state.wait_change(seen, KEEPALIVE)) is not None:
                if now == seen:
                    self.wfile.write(b": keepalive\n\n")
                    self.wfile.flush()
                elif now[1] is not None:
                    self._event("build-error", {"error": now[1]})
                elif now[0] != seen[0]:
                    self._event("reload", {"epoch": now[0]})
                else:
                    self._event("ok", {"epoch": now[0]})
                seen = now
        except (BrokenPipeError, ConnectionResetError):
            return  # the page went away (reloaded or closed)

    def _event(self, name: str, data: dict[str, Any]) -> None:
        self.wfile.write(f"event: {name}\ndata: {json.dumps(data)}\n\n".encode())
        self.wfile.flush()


class Preview:
    """The running preview: HTTP server, watcher, rebuilder and search indexer."""

    def __init__(self, options: ServeOptions):
        self.options = options
        self.source = options.source.resolve()
        self.work = self.source / ".sitegen-cache" / "serve"
        self.output = self.work / "site"
        self.state = BuildState()
        self.reload_script = resources.files("sitegen").joinpath("static/reload.js").read_bytes()
        self._httpd = _bind(options.host, options.port)
        self._httpd.preview = self
        host, port = self._httpd.server_address[:2]
        self.url = f"http://{host!s}:{port}/"
        self._thread = threading.Thread(target=self._httpd.serve_forever, daemon=True,
                                        name="sitegen-http")
        # The site links to the address it is served at, whatever the config says.
        base_url = options.base_url or self.url
        indexer = SearchIndexer(self.state, self.output) if options.search else None
        # The source as given (often relative) so that errors name files as the user does.
        self.rebuilder = Rebuilder(options.source, self.output, self.state, indexer,
                                   drafts=options.drafts, base_url=base_url)
        self._watcher: Watcher | None = None

    def start(self) -> None:
        """Serve, watch, then build once; a failed first build still serves (its error).

        The watcher starts before the first build so that a save made during it
        is not lost: it queues a rebuild that runs as soon as the first one ends.
        """
        self._thread.start()
        self._watcher = Watcher(self.source, self.rebuilder.rebuild)
        self.rebuilder.full("start")

    def close(self) -> None:
        """Stop watching, end open event streams, stop serving and the search indexer."""
        if self._watcher is not None:
            self._watcher.close()
        self.state.close()
        self._httpd.shutdown()
        self._httpd.server_close()
        self._thread.join()
        self.rebuilder.close()


def _bind(host: str, port: int) -> _Server:
    try:
        return _Server((host, port), _Handler)
    except OSError as exc:
        if exc.errno == errno.EADDRINUSE:
            raise SitegenError(f"cannot serve on {host}:{port}: the port is already in use; "
                               "stop the other server or pick another with --port "
                               "(--port 0 picks a free one)") from None
        raise SitegenError(f"cannot serve on {host}:{port}: {exc.strerror or exc}") from None


def serve(source: Path, *, host: str = "127.0.0.1", port: int = 8000, drafts: bool = False,
          search: bool = True, base_url: str | None = None) -> int:
    """Run the preview until Ctrl+C; a port that cannot be used raises `SitegenError`."""
    preview = Preview(ServeOptions(source, host, port, drafts, search, base_url))
    try:
        print(f"Serving {preview.url} (Ctrl+C to stop)", flush=True)
        preview.start()
        print(f"Watching {preview.source} for changes", flush=True)
        while True:
            time.sleep(3600)
    except KeyboardInterrupt:
        print("Stopped.", file=sys.stderr)
    finally:
        preview.close()
    return 0
