"""Whether the output folder is as sitegen.quick's state saw it, checked in a forked
child while the build reads its inputs; the output's digest for the stamp when it
is (a build with nothing changed then needs no walk of it); and, after a quick
rebuild, the output's new statuses kept and digested for the stamp, in that child
too.

The statuses of the output files (28,000 at 10,000 articles) are kept apart from
the rest of the state, under the same token (see `quick.State.token`), so that
the child reads them alone and the build never does. This module imports
nothing heavy, so that the build forks the child before it imports sitegen.quick
and what that needs (the related ranking, the parse cache: about 0.03 s): the child then
checks on the other core while the build imports and reads its inputs, instead
of after it.
"""

from __future__ import annotations

import marshal
import os
import signal
import threading
from collections.abc import Callable
from pathlib import Path

from sitegen import cache, stamp
from sitegen.cache import file_status

_FORMAT = "outputs-2"  # the layout of the kept statuses; another layout is never read


def _name(output: Path) -> str:
    return f"quick/{cache.digest(str(output.resolve()).encode())}-outputs"


def _namespace(options: str, token: str = "") -> str:
    return f"{_FORMAT}\0{options}\0{token}"


def keep(source: Path, output: Path, options: str, token: str,
         statuses: stamp.Statuses, runs: list[bytes]) -> None:
    """Keep the statuses of `output` after a full build, for the state named `token`,
    with their `runs` (`stamp.Digested.runs`: the output's digest without making them
    again)."""
    cache.save(source, _name(output), _namespace(options),
               {"token": token, "statuses": statuses, "runs": runs})


def forget(source: Path, output: Path) -> None:
    """Drop the kept statuses of `output`: a build is changing that folder (one left
    behind no longer matches it)."""
    cache.drop(source, _name(output), _name(output) + "-changes")


class KeptOutputs:
    """The statuses kept for an output folder: those of the full build, with the
    changes quick rebuilds made since (stored on their own: a rebuild writes a few
    entries, not 28,000)."""

    def __init__(self, source: Path, output: Path, options: str):
        self.source, self.output, self.options = source, output, options
        kept = cache.load(source, _name(output), _namespace(options))
        self.token: str = kept.get("token", "")
        self.statuses: stamp.Statuses = kept.get("statuses", {})
        changed = cache.load(source, _name(output) + "-changes",
                             _namespace(options, self.token)) if self.token else {}
        self.changes: stamp.Statuses = changed.get("changes", {})
        self.statuses.update(self.changes)  # only names it holds: the order stays
        # The run digests of the statuses as they now are, kept with the last of them.
        self._runs: list[bytes] | None = (changed if self.changes else kept).get("runs")
        self._digested: stamp.Digested | None = None

    def digest(self) -> str:
        """The digest of the statuses as kept (as `stamp.output_digest` gives it), made
        so that `update` digests again only what it changes."""
        self._digested = stamp.Digested(self.output, self.statuses, self._runs)
        return self._digested.hexdigest()

    def same(self, halves: bool = False) -> bool:
        """Whether every file and folder of the output is as kept (see `stamp._walk`):
        then no page was edited, removed or added by hand. With `halves`, a forked
        child checks the second half meanwhile: a build with nothing changed waits
        for this, and it is 28,000 `stat` calls, while the build's own reading of
        its inputs is done sooner and leaves the other core idle."""
        if not self.token:
            return False
        items = list(self.statuses.items())
        half = len(items) // 2 if halves else len(items)
        helper = _forked(lambda: _same(self.output, items[half:])) if halves else None
        if helper is None:
            return _same(self.output, items)
        mine = _same(self.output, items[:half])
        _, status = os.waitpid(helper, 0)
        return mine and os.waitstatus_to_exitcode(status) == 0

    def update(self, changed: stamp.Statuses) -> str:
        """Keep the new statuses of the files a rebuild replaced (and their folders);
        the output's digest for the stamp."""
        self.changes.update(changed)
        self.statuses.update(changed)
        if self._digested is None:
            self._digested = stamp.Digested(self.output, self.statuses)
        else:
            self._digested.update(changed)
        cache.save(self.source, _name(self.output) + "-changes",
                   _namespace(self.options, self.token),
                   {"changes": self.changes, "runs": self._digested.runs})
        return self._digested.hexdigest()


class OutputCheck:
    """`KeptOutputs.same` for `output`, worked out in a forked child started now: each
    of the check and the build's reading of its inputs is tens of thousands of `stat`
    calls, a few microseconds each here, and there are two cores. The child then
    digests the output as kept (which is all a build with nothing changed needs of
    it, instead of walking it), waits for the statuses a rebuild changed, keeps them
    and sends back the new digest. Where a child cannot be forked safely (no fork, or
    other threads running, as in `sitegen serve`), all of it runs here when asked."""

    def __init__(self, source: Path, output: Path, options: str):
        self._args = (source, output, options)
        self._kept: KeptOutputs | None = None
        self._same = False  # whether the output is as `_kept` (read without a child)
        self._digest: str | None = None
        self._child: int | None = None
        self._answered = b""  # what the child has answered so far
        if hasattr(os, "fork") and threading.active_count() == 1:
            self._answers, answer = os.pipe()  # child -> build
            questions, self._questions = os.pipe()  # build -> child
            self._child = os.fork()
            if self._child == 0:
                os.close(self._answers)
                os.close(self._questions)
                os._exit(_serve_in_child(self._args, questions, answer))
            os.close(questions)
            os.close(answer)

    def same(self, token: str) -> bool:
        """Whether the output is as kept for the state named `token`."""
        if self._child is None:
            kept = self._kept_here()
            return kept is not None and kept.token == token
        return bool(token) and self._answer(0) == token

    def kept_digest(self) -> str | None:
        """The output's digest (as `stamp.output_digest` gives it), when the output is
        as kept for any state; else None."""
        if self._child is None:
            kept = self._kept_here()
            return None if kept is None else kept.digest()
        return self._answer(1) or None

    def keep(self, changed: stamp.Statuses) -> None:
        """Keep the statuses a rebuild changed (once `same` said yes); the child does it
        while the build stores the rest of its state."""
        if self._child is None:
            assert self._kept is not None
            self._digest = self._kept.update(changed)
            return
        try:
            os.write(self._questions, marshal.dumps(changed, 2))
        except OSError:
            pass  # the child is gone: `digest` tells
        os.close(self._questions)  # the end of the question
        self._questions = -1

    def digest(self) -> str | None:
        """The output's digest once `keep` kept the changes, or None when the child
        failed to."""
        if self._child is None:
            return self._digest
        try:
            return self._rest().decode() or None
        finally:
            self.cancel()

    def cancel(self) -> None:
        """Stop the child, if it is still there, and close the pipes."""
        if self._child is None:
            return
        try:
            os.kill(self._child, signal.SIGKILL)
        except ProcessLookupError:
            pass  # exited, not yet waited for
        os.waitpid(self._child, 0)
        self._child = None
        for pipe in (self._answers, self._questions):
            if pipe >= 0:  # -1: closed already
                os.close(pipe)

    def _kept_here(self) -> KeptOutputs | None:
        """Without a child: the kept statuses, read once, when the output is as kept."""
        if self._kept is None:
            self._kept = KeptOutputs(*self._args)
            self._same = self._kept.same()
        return self._kept if self._same else None

    def _answer(self, line: int) -> str:
        """The child's answer on this line (0: the token, 1: the kept digest); "" when
        the output is not as kept or the child is gone."""
        while self._answered.count(b"\n") <= line:
            part = os.read(self._answers, 65536)
            if not part:
                return ""
            self._answered += part
        return self._answered.split(b"\n")[line].decode()

    def _rest(self) -> bytes:
        """What the child sends after its two lines, up to the end."""
        self._answer(1)
        return self._answered.split(b"\n", 2)[-1] + _read_all(self._answers)


def _same(output: Path, items: list[tuple[str, cache.FileStatus | None]]) -> bool:
    root = str(output)
    return all(file_status(f"{root}/{name}") == status for name, status in items)


def _forked(check: Callable[[], bool]) -> int | None:
    """A child that exits 0 when `check()` says yes, else 1; None when none could be
    forked."""
    try:
        child = os.fork()
    except OSError:
        return None
    if child == 0:
        try:
            os._exit(0 if check() else 1)
        finally:
            os._exit(2)
    return child


def _serve_in_child(args: tuple[Path, Path, str], questions: int, answer: int) -> int:
    """The child's work: the kept token (or nothing) when the output is as kept, and
    its digest, each on a line; then, if the build sends the statuses it changed, the
    new digest. Its exit status."""
    try:
        kept = KeptOutputs(*args)
        same = kept.same(halves=True)
        os.write(answer, f"{kept.token}\n".encode() if same else b"\n")
        os.write(answer, f"{kept.digest()}\n".encode() if same else b"\n")
        changed = _read_all(questions)
        if changed:
            os.write(answer, kept.update(marshal.loads(changed)).encode())
        return 0
    except BaseException:  # the child must never go on as a second build
        return 2


def _read_all(pipe: int) -> bytes:
    """What comes through `pipe`, up to the end."""
    found = b""
    while part := os.read(pipe, 65536):
        found += part
    return found
