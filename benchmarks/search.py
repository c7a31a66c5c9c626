"""Search benchmark: sitegen's indexing against the plain Pagefind CLI, and a first query's bytes.

    python benchmarks/search.py [--sizes 1000 10000] [--memory-size 50000] [--workdir DIR]

For each size it writes the synthetic corpus (benchmarks/corpus.py), builds it with
`--no-search`, then indexes the same built pages twice: the way `sitegen build` does
(sitegen.search) and with `pagefind --site` as a user would run it. Each run is a fresh
child process, so its peak memory is its own. The largest size is then served over http and
opened in headless Chromium to add up the bytes a first query fetches: everything under
/pagefind/ and the search page's own script and stylesheet, file by file.
Prints figures; asserts nothing.
"""

from __future__ import annotations

import argparse
import functools
import gzip
import json
import shutil
import subprocess
import sys
import tempfile
import threading
from collections.abc import Sequence
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import urlsplit

HERE = Path(__file__).resolve().parent
sys.path[:0] = [str(HERE), str(HERE.parent)]

import corpus  # noqa: E402  (benchmarks/corpus.py, the shared synthetic corpus)

from sitegen import search  # noqa: E402

QUERY = "flood"
# Run a command and report its wall time and the peak RSS of the biggest process it started.
MEASURE = (
    "import resource, subprocess, sys, time\n"
    "t = time.perf_counter()\n"
    "subprocess.run(sys.argv[1:], check=True, stdout=subprocess.DEVNULL)\n"
    "print(time.perf_counter() - t, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)\n"
)


def measured(command: Sequence[str]) -> tuple[float, int]:
    """(seconds, peak KiB) of one run of `command`."""
    out = subprocess.run([sys.executable, "-c", MEASURE, *command], check=True,
                         capture_output=True, text=True).stdout.split()
    return float(out[0]), int(out[1])


def built_site(n: int, workdir: Path) -> Path:
    """The corpus of `n` articles, built without search."""
    root = workdir / f"corpus-{n}"
    corpus.write_corpus(n, root, forms=("sitegen",))
    output = root / "public"
    subprocess.run([sys.executable, "-m", "sitegen", "build", "--no-search", "--quiet",
                    "--source", str(root / "sitegen"), "--output", str(output)],
                   check=True, cwd=HERE.parent)
    return output


def index_ours(site: Path) -> tuple[float, int]:
    shutil.rmtree(site / "pagefind", ignore_errors=True)
    return measured(search.pagefind_command(site))


def index_cli(site: Path) -> tuple[float, int]:
    shutil.rmtree(site / "pagefind", ignore_errors=True)
    return measured([*search.PAGEFIND, "--site", str(site), "--silent"])


def compare(n: int, site: Path) -> None:
    cli_s, cli_kib = index_cli(site)
    ours_s, ours_kib = index_ours(site)  # last, so the site keeps sitegen's index
    print(f"{n:>6} articles: sitegen {ours_s:6.2f} s {ours_kib / 1024:7.0f} MiB | "
          f"Pagefind CLI {cli_s:6.2f} s {cli_kib / 1024:7.0f} MiB | "
          f"time ratio {ours_s / cli_s:.2f}, memory ratio {ours_kib / cli_kib:.2f}")


class QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


def search_file(url: str) -> bool:
    """Whether a response belongs to search: Pagefind's files or the search page's assets."""
    path = urlsplit(url).path
    return path.startswith("/pagefind/") or path.startswith("/assets/search.")


def first_query_bytes(site: Path) -> dict[str, tuple[int, int]]:
    """Each search file a first query fetches: (bytes as served, bytes if the host gzips text)."""
    from playwright.sync_api import Response, sync_playwright

    server = ThreadingHTTPServer(("127.0.0.1", 0),
                                 functools.partial(QuietHandler, directory=str(site)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    bodies: dict[str, bytes] = {}

    def keep(response: Response) -> None:
        if search_file(response.url) and response.status == 200:
            bodies[response.url] = response.body()

    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path="/usr/bin/chromium", args=[
                "--no-sandbox", "--disable-gpu", "--disable-background-networking"])
            page = browser.new_page()
            page.on("response", keep)
            page.goto(f"http://127.0.0.1:{server.server_address[1]}/search/?q={QUERY}")
            page.locator(".search-result-link").first.wait_for()
            page.wait_for_load_state("networkidle")
            browser.close()
    finally:
        server.shutdown()
        server.server_close()
    # Pagefind's index, fragment and wasm files are gzipped already; JS, CSS and JSON are not.
    text = (".js", ".css", ".json")
    # Keyed by path and query: Pagefind fetches its entry file twice, once with ?ts=.
    return {url.split("/", 3)[3]: (len(body), len(gzip.compress(body))
                                   if urlsplit(url).path.endswith(text) else len(body))
            for url, body in bodies.items()}


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000])
    parser.add_argument("--memory-size", type=int, default=50000,
                        help="also print sitegen's indexing memory at this size (0: skip)")
    parser.add_argument("--workdir", type=Path, help="keep the corpora here (default: temp)")
    args = parser.parse_args(argv)
    workdir = args.workdir or Path(tempfile.mkdtemp(prefix="sitegen-search-bench-"))
    site = None
    for n in args.sizes:
        site = built_site(n, workdir)
        compare(n, site)
    if site is not None:
        files = first_query_bytes(site)
        for path, (raw, gz) in sorted(files.items(), key=lambda item: -item[1][1]):
            print(f"  {raw / 1024:7.1f} KiB {gz / 1024:7.1f} KiB gzipped  {path}")
        served = sum(raw for raw, _ in files.values())
        zipped = sum(gz for _, gz in files.values())
        entry = json.loads((site / "pagefind" / "pagefind-entry.json").read_text())
        pages = sum(lang["page_count"] for lang in entry["languages"].values())
        print(f"first query {QUERY!r} on {pages} indexed articles, {len(files)} files: "
              f"{served:,} bytes as served, {zipped:,} bytes with gzip on text files "
              f"(goal: 300,000)")
    if args.memory_size:
        big = built_site(args.memory_size, workdir)
        seconds, kib = index_ours(big)
        print(f"{args.memory_size:>6} articles: sitegen indexing {seconds:.1f} s, "
              f"peak {kib / 1024:.0f} MiB")
    if args.workdir is None:
        shutil.rmtree(workdir)
    return 0


if __name__ == "__main__":
    sys.exit(main())
