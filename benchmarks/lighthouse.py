"""Lighthouse scores of the example archive: an article page and a topic page.

    python benchmarks/lighthouse.py [--runs 1] [--form-factor mobile|desktop]

Builds this repository's archive into a temporary folder, serves it on 127.0.0.1 the way
Netlify would (gzip, the CSP and cache headers of netlify.toml), and runs npm `lighthouse`
with Debian's chromium on each page. Lighthouse is installed on first use with
`npm install --prefix .lighthouse lighthouse` (the folder is git-ignored). It prints the
four category scores (performance, accessibility, best practices, SEO) and judges nothing;
docs/lighthouse.md records the figures.
"""

from __future__ import annotations

import argparse
import functools
import gzip
import json
import os
import subprocess
import sys
import tempfile
import threading
import tomllib
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
PREFIX = REPO / ".lighthouse"
LIGHTHOUSE = PREFIX / "node_modules" / ".bin" / "lighthouse"
CHROMIUM = "/usr/bin/chromium"
CATEGORIES = ["performance", "accessibility", "best-practices", "seo"]
COMPRESSIBLE = (".html", ".css", ".js", ".json", ".xml", ".svg", ".txt")


def netlify_csp() -> str:
    """The Content-Security-Policy the site is deployed with, read from netlify.toml."""
    config = tomllib.loads((REPO / "netlify.toml").read_text(encoding="utf-8"))
    for rule in config["headers"]:
        if rule["for"] == "/*":
            return str(rule["values"]["Content-Security-Policy"])
    raise SystemExit("netlify.toml has no /* headers rule")


class HostHandler(SimpleHTTPRequestHandler):
    """A static host like Netlify: gzip for text, CSP everywhere, long cache for /assets/."""

    csp = ""

    def send_head(self) -> Any:
        path = Path(self.translate_path(self.path))
        if path.is_dir():
            path = path / "index.html"
        accepts_gzip = "gzip" in self.headers.get("Accept-Encoding", "")
        if not (accepts_gzip and path.is_file() and path.suffix in COMPRESSIBLE):
            return super().send_head()
        body = gzip.compress(path.read_bytes(), compresslevel=6)
        self.send_response(200)
        self.send_header("Content-Type", self.guess_type(str(path)))
        self.send_header("Content-Encoding", "gzip")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        return _Body(body)

    def end_headers(self) -> None:
        self.send_header("Content-Security-Policy", self.csp)
        self.send_header("X-Content-Type-Options", "nosniff")
        if self.path.startswith(("/assets/", "/pagefind/")):
            self.send_header("Cache-Control", "public, max-age=31536000, immutable")
        else:
            self.send_header("Cache-Control", "public, max-age=0, must-revalidate")
        super().end_headers()

    def log_message(self, format: str, *args: Any) -> None:
        pass


class _Body:
    """The file-like object send_head returns: copyfile() reads it, then it is closed."""

    def __init__(self, data: bytes) -> None:
        self.data = data

    def read(self, size: int = -1) -> bytes:
        data, self.data = self.data, b""
        return data

    def close(self) -> None:
        pass


def ensure_lighthouse() -> None:
    if not LIGHTHOUSE.exists():
        subprocess.run(["npm", "install", "--prefix", str(PREFIX), "--no-audit", "--no-fund",
                        "lighthouse"], check=True)


def scores(url: str, form_factor: str, report: Path) -> dict[str, int]:
    flags = ["--headless", "--no-sandbox", "--disable-gpu"]
    command = [str(LIGHTHOUSE), url, "--quiet", "--output=json", f"--output-path={report}",
               f"--only-categories={','.join(CATEGORIES)}",
               f"--chrome-flags={' '.join(flags)}"]
    if form_factor == "desktop":
        command.append("--preset=desktop")
    subprocess.run(command, check=True, env={**os.environ, "CHROME_PATH": CHROMIUM})
    result = json.loads(report.read_text(encoding="utf-8"))
    return {name: round(result["categories"][name]["score"] * 100) for name in CATEGORIES}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--runs", type=int, default=1, help="runs per page; the median is kept")
    parser.add_argument("--form-factor", choices=["mobile", "desktop"], default="mobile")
    args = parser.parse_args()
    ensure_lighthouse()
    with tempfile.TemporaryDirectory() as tmp:
        output = Path(tmp) / "public"
        subprocess.run([sys.executable, "-m", "sitegen", "build", "--source", str(REPO),
                        "--output", str(output), "--quiet"], check=True)
        article = sorted(output.glob("[0-9][0-9][0-9][0-9]/[0-9][0-9]/*/index.html"))[0]
        topic = sorted((output / "topics").glob("*/index.html"))[0]
        HostHandler.csp = netlify_csp()
        server = ThreadingHTTPServer(
            ("127.0.0.1", 0), functools.partial(HostHandler, directory=str(output)))
        threading.Thread(target=server.serve_forever, daemon=True).start()
        base = f"http://127.0.0.1:{server.server_address[1]}/"
        version = subprocess.run([str(LIGHTHOUSE), "--version"], check=True,
                                 capture_output=True, text=True).stdout.strip()
        print(f"lighthouse {version}, {args.form_factor}, median of {args.runs} run(s)")
        print(f"{'page':<60} " + " ".join(f"{name:>14}" for name in CATEGORIES))
        try:
            for page in (article, topic):
                path = page.parent.relative_to(output).as_posix() + "/"
                runs = [scores(base + path, args.form_factor, Path(tmp) / "report.json")
                        for _ in range(args.runs)]
                median = {name: sorted(run[name] for run in runs)[len(runs) // 2]
                          for name in CATEGORIES}
                print(f"/{path:<59} " + " ".join(f"{median[name]:>14}" for name in CATEGORIES))
        finally:
            server.shutdown()
            server.server_close()


if __name__ == "__main__":
    main()
