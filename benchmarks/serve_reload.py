"""Edit-to-reload time of `sitegen serve`: from a file save to the SSE reload event.

    python benchmarks/serve_reload.py [--sizes 1000,10000] [--edits 3] [--workdir DIR] [--search]

For each size a synthetic corpus is generated (benchmarks/corpus.py, reused when
already there), `sitegen serve --port 0` is started in a child process as a
user would run it, a client subscribes to `/__sitegen/events`, and each edit
changes one word of one article body. The time printed runs from the moment
the write returns to the moment the client reads the `reload` event. Prints
figures only; the goal (300 ms at 10k articles) is stated, never asserted.

Three edits are timed, on an article whose body is longer than the opening the
build reads for related articles and descriptions (sitegen.OPENING):
- "end": the last word of the body is replaced, the usual typo fix, which
  serve re-renders alone (the article's page and the site feed);
- "opening": the first word of the body is replaced, which may change related
  articles (computed again for the whole archive) and descriptions;
- "title": the last word of the headline is replaced, which changes the
  article's page, its listings and feeds, and the pages that link to it.
Serve prints which rebuild it ran; the table shows it beside each kind.
"""

from __future__ import annotations

import argparse
import json
import queue
import re
import socket
import statistics
import subprocess
import sys
import threading
import time
from collections.abc import Sequence
from pathlib import Path
from urllib.parse import urlsplit

from sitegen.opening import OPENING

HERE = Path(__file__).resolve().parent
GOAL = 0.300
REBUILD_KINDS = r"changed: (full build|body-only edit|article edit)"  # as serve prints them


def corpus(size: int, workdir: Path) -> Path:
    root = workdir / f"corpus-{size}"
    site = root / "sitegen"
    if not (site / "content").is_dir():
        subprocess.run([sys.executable, str(HERE / "corpus.py"), str(size), str(root),
                        "--forms", "sitegen"], check=True, stdout=subprocess.DEVNULL)
    return site


class Server:
    """`sitegen serve` in a child process; its output lines are queued as they come."""

    def __init__(self, site: Path, search: bool):
        command = [sys.executable, "-m", "sitegen", "serve", "--source", str(site), "--port", "0"]
        self.proc = subprocess.Popen(command + ([] if search else ["--no-search"]),
                                     stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        self.lines: queue.Queue[str] = queue.Queue()
        threading.Thread(target=self._drain, daemon=True).start()
        self.url = self.wait_for(r"Serving (\S+)").group(1)
        self.wait_for(r"^Watching ")  # the first build is done

    def _drain(self) -> None:
        assert self.proc.stdout is not None
        for line in self.proc.stdout:
            self.lines.put(line.rstrip("\n"))

    def wait_for(self, pattern: str, timeout: float = 900) -> re.Match[str]:
        deadline = time.monotonic() + timeout
        while True:
            line = self.lines.get(timeout=max(0.0, deadline - time.monotonic()))
            if match := re.search(pattern, line):
                return match
            if line.startswith("build failed"):
                raise RuntimeError(line)

    def stop(self) -> None:
        self.proc.send_signal(2)  # SIGINT: what Ctrl+C sends
        self.proc.wait(timeout=60)


class Events:
    """A minimal SSE client: `wait(name)` returns when that event arrives."""

    def __init__(self, url: str):
        address = urlsplit(url)
        self.sock = socket.create_connection((address.hostname, address.port), timeout=900)
        self.sock.sendall(b"GET /__sitegen/events HTTP/1.1\r\nHost: bench\r\n\r\n")
        self.file = self.sock.makefile("rb")
        self.wait("hello")

    def wait(self, name: str) -> dict[str, object]:
        current = ""
        for raw in self.file:
            line = raw.decode().rstrip("\r\n")
            if line.startswith("event: "):
                current = line[7:]
            elif line.startswith("data: ") and current == name:
                data: dict[str, object] = json.loads(line[6:])
                return data
            elif line.startswith("data: ") and current == "build-error":
                raise RuntimeError(line)
        raise RuntimeError("event stream closed")

    def close(self) -> None:
        self.sock.close()


def edit_end(path: Path, n: int) -> None:
    """Replace the last word of the body with a new one: the smallest real edit."""
    text = path.read_text(encoding="utf-8")
    head, _, last = text.rstrip("\n").rpartition(" ")
    path.write_text(f"{head} edit{n}{last[-1] if last[-1:] in '.!?' else ''}\n",
                    encoding="utf-8")


def edit_opening(path: Path, n: int) -> None:
    """Replace the first word of the body (just after the front-matter)."""
    text = path.read_text(encoding="utf-8")
    head, sep, body = text.partition("\n---\n")
    first, _, rest = body.partition(" ")
    path.write_text(f"{head}{sep}Edit{n} {rest}", encoding="utf-8")


def edit_title(path: Path, n: int) -> None:
    """Replace the last word of the headline (the URL stays: the corpus sets slugs)."""
    text = path.read_text(encoding="utf-8")
    lines = text.split("\n")
    index = next(i for i, line in enumerate(lines) if line.startswith("title: "))
    lines[index] = lines[index].rpartition(" ")[0] + f" edit{n}"
    path.write_text("\n".join(lines), encoding="utf-8")


EDITS = {"end": edit_end, "opening": edit_opening, "title": edit_title}


def long_article(site: Path, size: int) -> Path:
    """From the middle of the archive on, the first article whose body is past the opening."""
    files = sorted((site / "content" / "articles").rglob("*.md"))
    for path in files[size // 2:] + files[: size // 2]:
        body = path.read_text(encoding="utf-8").partition("\n---\n")[2]
        if len(body) > 2 * OPENING:
            return path
    raise RuntimeError("no article with a body longer than the opening")


def measure(size: int, edits: int, workdir: Path, search: bool) -> dict[str, list[float]]:
    """Times per edit kind, labelled with the rebuild serve said it ran."""
    site = corpus(size, workdir)
    target = long_article(site, size)
    original = target.read_bytes()
    server = Server(site, search)
    events = Events(server.url)
    times: dict[str, list[float]] = {kind: [] for kind in EDITS}
    rebuilt: dict[str, set[str]] = {kind: set() for kind in EDITS}
    try:
        for kind, edit in EDITS.items():
            for n in range(edits):
                edit(target, n)
                saved = time.perf_counter()
                events.wait("reload")
                times[kind].append(time.perf_counter() - saved)
                rebuilt[kind].add(server.wait_for(REBUILD_KINDS)[1])
    finally:
        events.close()
        target.write_bytes(original)
        server.stop()
    return {f"{kind} ({', '.join(sorted(rebuilt[kind]))})": times[kind] for kind in EDITS}


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="1000,10000", help="article counts, comma-separated")
    parser.add_argument("--edits", type=int, default=3, help="edits measured per size")
    parser.add_argument("--workdir", type=Path, default=Path("/tmp/sitegen-serve-bench"))
    parser.add_argument("--search", action="store_true",
                        help="also rebuild the search index in the background")
    args = parser.parse_args(argv)
    print(f"edit-to-reload (file saved -> SSE reload received), goal {GOAL * 1000:.0f} ms")
    for size in (int(s) for s in args.sizes.split(",")):
        for kind, times in measure(size, args.edits, args.workdir, args.search).items():
            print(f"{size:>6} articles, edit at {kind:<28} "
                  f"median {statistics.median(times) * 1000:8.0f} ms  "
                  f"min {min(times) * 1000:8.0f} ms  max {max(times) * 1000:8.0f} ms  "
                  f"({len(times)} edits)", flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
