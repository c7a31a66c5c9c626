"""Screenshots of the example archive for the README, saved to docs/screenshots/.

    python benchmarks/screenshots.py [--out docs/screenshots]

Builds this repository's archive into a temporary folder, serves it on 127.0.0.1 and
photographs the home page, an article (desktop 1280 px and phone 375 px wide) and a topic
page in Debian's chromium through Playwright. Each shot is the top of the page as a reader
first sees it (one screen high, not the whole page), so the PNGs stay small.
"""

from __future__ import annotations

import argparse
import functools
import subprocess
import sys
import tempfile
import threading
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

from playwright.sync_api import sync_playwright

REPO = Path(__file__).resolve().parent.parent
DESKTOP = {"width": 1280, "height": 800}
PHONE = {"width": 375, "height": 740}


class QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        pass


def shots(output: Path) -> list[tuple[str, str, dict[str, int]]]:
    """(file name, site path, viewport) of each screenshot."""
    article = sorted(output.glob("[0-9][0-9][0-9][0-9]/[0-9][0-9]/*/index.html"))[0]
    article_path = "/" + article.parent.relative_to(output).as_posix() + "/"
    # The topic with the most stories shows a timeline best.
    topics = sorted((output / "topics").glob("*/index.html"),
                    key=lambda p: (-p.read_text(encoding="utf-8").count("timeline-entry"), p))
    topic_path = "/" + topics[0].parent.relative_to(output).as_posix() + "/"
    return [
        ("home.png", "/", DESKTOP),
        ("article-desktop.png", article_path, DESKTOP),
        ("article-phone.png", article_path, PHONE),
        ("topic.png", topic_path, DESKTOP),
    ]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--out", type=Path, default=REPO / "docs" / "screenshots")
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        output = Path(tmp) / "public"
        subprocess.run([sys.executable, "-m", "sitegen", "build", "--source", str(REPO),
                        "--output", str(output), "--quiet"], check=True)
        server = ThreadingHTTPServer(
            ("127.0.0.1", 0), functools.partial(QuietHandler, directory=str(output)))
        threading.Thread(target=server.serve_forever, daemon=True).start()
        base = f"http://127.0.0.1:{server.server_address[1]}"
        try:
            with sync_playwright() as playwright:
                browser = playwright.chromium.launch(executable_path="/usr/bin/chromium", args=[
                    "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                    "--disable-component-update", "--disable-sync"])
                for name, path, viewport in shots(output):
                    phone = viewport is PHONE
                    page = browser.new_page(viewport=viewport, device_scale_factor=2 if phone
                                            else 1, is_mobile=phone, color_scheme="light")
                    page.goto(base + path)
                    page.screenshot(path=args.out / name)
                    page.close()
                    print(f"{args.out / name}  {path}  {viewport['width']} px")
                browser.close()
        finally:
            server.shutdown()
            server.server_close()


if __name__ == "__main__":
    main()
