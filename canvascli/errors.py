"""Exit codes and the errors `canvas` reports to its users, each naming what it is about."""

from __future__ import annotations

from collections.abc import Sequence
from enum import IntEnum


class ExitCode(IntEnum):
    OK = 0
    NOT_FOUND = 1
    PROBLEMS = 1
    USAGE = 2
    # Users have always seen 1 for these; the names say what happened.
    INTERNAL_ERROR = 1
    ABORTED = 1
    # The reader of stdout went away (`canvas list | head -1`): not a failure. Whether it
    # goes before or after the last write depends only on timing, and output that fitted in
    # the pipe ends with 0 anyway, so 0 is the only status a script can count on.
    BROKEN_PIPE = 0
    # Standard output refused what was written: a full disk, a file size limit, I/O error.
    OUTPUT_FAILED = 1
    INTERRUPTED = 130


class CanvasError(Exception):
    """An error with a one-line message meant for the person at the terminal."""

    exit_code: ExitCode = ExitCode.NOT_FOUND


class LibraryError(CanvasError):
    """The library folder is missing or cannot be read."""

    def __init__(self, path: str, reason: str, origin: str | None = None) -> None:
        chosen_by = f" (from {origin})" if origin else ""
        super().__init__(f"library {path}{chosen_by}: {reason}")
        self.path = path


class UsageError(CanvasError):
    """Arguments that make no sense together."""

    exit_code = ExitCode.USAGE


class NameLookupError(CanvasError):
    """A name that matches nothing, or more than one thing."""

    def __init__(self, message: str, name: str, candidates: Sequence[str] = ()) -> None:
        super().__init__(message)
        self.name = name
        self.candidates = tuple(candidates)


class CompanyNotFoundError(NameLookupError):
    pass


class AmbiguousCompanyError(CompanyNotFoundError):
    """A name that fits more than one company: the user has to say which."""

    exit_code = ExitCode.USAGE


class BlockNotFoundError(NameLookupError):
    exit_code = ExitCode.USAGE


class OutputError(CanvasError):
    """An output file that cannot be written."""

    def __init__(self, path: str, reason: str) -> None:
        super().__init__(f"{path}: {reason}")
        self.path = path
