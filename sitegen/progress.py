"""Progress of a long build: a bar on a terminal, plain lines in a log, or nothing.

rich draws the bar (it handles terminal width, redraws and cleanup); when
standard error is not a terminal (CI logs), a line every tenth of the work
is enough to show that the build is alive.
"""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING, Protocol, TextIO

if TYPE_CHECKING:
    from rich.progress import TaskID

# Below this many pages a build is quick enough that progress is only noise.
MIN_PAGES_FOR_PROGRESS = 2000


class Progress(Protocol):
    def start(self, total: int, label: str) -> None: ...
    def advance(self, done: int) -> None: ...
    def close(self) -> None: ...


class Silent:
    def start(self, total: int, label: str) -> None:
        pass

    def advance(self, done: int) -> None:
        pass

    def close(self) -> None:
        pass


class PlainLines:
    """One line per tenth of the work, for logs that are not terminals."""

    def __init__(self, stream: TextIO):
        self.stream = stream
        self.total = self.done = self.shown = 0
        self.label = ""

    def start(self, total: int, label: str) -> None:
        self.total, self.done, self.shown, self.label = total, 0, 0, label

    def advance(self, done: int) -> None:
        if not self.total:
            return  # not started: the work was too small to show (see MIN_PAGES_FOR_PROGRESS)
        self.done += done
        tenth = self.done * 10 // self.total
        if tenth > self.shown:
            self.shown = tenth
            print(f"{self.label}: {self.done}/{self.total} ({tenth * 10}%)", file=self.stream,
                  flush=True)

    def close(self) -> None:
        pass


class Bar:
    """A rich progress bar on the terminal."""

    def __init__(self, stream: TextIO):
        from rich.console import Console
        from rich.progress import Progress as RichProgress

        self.bar = RichProgress(console=Console(file=stream), transient=True)
        self.task: TaskID | None = None

    def start(self, total: int, label: str) -> None:
        self.bar.start()
        self.task = self.bar.add_task(label, total=total)

    def advance(self, done: int) -> None:
        if self.task is not None:
            self.bar.advance(self.task, done)

    def close(self) -> None:
        self.bar.stop()


def for_terminal(quiet: bool, stream: TextIO = sys.stderr) -> Progress:
    """The progress display that suits where the output goes."""
    if quiet:
        return Silent()
    return Bar(stream) if stream.isatty() else PlainLines(stream)
