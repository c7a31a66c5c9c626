"""The error types of sitegen.

Every problem a user can cause is a `SitegenError`: it knows the file and,
where known, the line, and prints as `path:line: message`. The command line
prints these and never a traceback.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path


class SitegenError(Exception):
    """A problem with the user's input, located in a file where possible."""

    def __init__(self, message: str, path: Path | str | None = None, line: int | None = None):
        super().__init__(message)
        self.message = message
        self.path = Path(path) if path is not None else None
        self.line = line

    def __str__(self) -> str:
        if self.path is None:
            return self.message
        if self.line is None:
            return f"{self.path}: {self.message}"
        return f"{self.path}:{self.line}: {self.message}"

    def sort_key(self) -> tuple[str, int, str]:
        return (str(self.path or ""), self.line or 0, self.message)


class ErrorList(SitegenError):
    """Several problems found together; all of them are reported at once."""

    def __init__(self, errors: Iterable[SitegenError]):
        self.errors = sorted(errors, key=SitegenError.sort_key)
        super().__init__("\n".join(str(e) for e in self.errors))

    def __str__(self) -> str:
        return "\n".join(str(e) for e in self.errors)


def raise_if_any(errors: list[SitegenError]) -> None:
    """Raise every collected error together, or do nothing when there are none."""
    if len(errors) == 1:
        raise errors[0]
    if errors:
        raise ErrorList(errors)
