"""Whether the output folder is as sitegen.quick's state saw it, checked in a forked
child while the build reads the status of its inputs.

A module of its own, importing nothing heavy, so that a build forks the child
before it imports sitegen.quick and what that needs (markdown-it, the related
ranking: about 0.1 s): the child then imports and checks on the other core while
the build imports and reads its inputs, instead of after it.
"""

from __future__ import annotations

import os
import signal
import threading
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from sitegen.quick import State


class OutputCheck:
    """`quick.same_output` for the state of `output`, worked out in a forked child
    started now: each of the check and the build's reading of its inputs is tens of
    thousands of `stat` calls, a few microseconds each here, and there are two cores.
    Where a child cannot be forked safely (no fork, or other threads running, as in
    `sitegen serve`), the check runs here when asked."""

    def __init__(self, source: Path, output: Path, options: str):
        self.output = output
        self._child: int | None = None
        if hasattr(os, "fork") and threading.active_count() == 1:
            self._child = os.fork()
            if self._child == 0:
                os._exit(_check_in_child(source, output, options))

    def same(self, state: State) -> bool:
        """Whether every file and folder of the output is as `state` saw it."""
        if self._child is None:
            from sitegen.quick import same_output

            return same_output(state, self.output)
        _, status = os.waitpid(self._child, 0)
        self._child = None
        return os.waitstatus_to_exitcode(status) == 0

    def cancel(self) -> None:
        if self._child is not None:
            os.kill(self._child, signal.SIGKILL)
            os.waitpid(self._child, 0)
            self._child = None


def _check_in_child(source: Path, output: Path, options: str) -> int:
    """The child's exit status: 0 when the output is as the state saw it."""
    try:
        from sitegen.quick import output_as_kept

        return 0 if output_as_kept(source, output, options) else 1
    except BaseException:  # the child must never go on as a second build
        return 2
