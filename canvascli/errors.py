"""Exit codes and the errors `canvas` reports to its users, each naming what it is about."""

from __future__ import annotations

from collections.abc import Sequence
from enum import IntEnum

# The most characters of one argument, name or path that a message echoes: a message is
# one line, and a 30,000-character argument echoed whole would fill the screen with it.
ECHO_LIMIT = 80
# The most characters of any one word of a message, whatever put it there (an error of the
# system quoting a file name): the net under `ECHO_LIMIT`, wide enough for a real path.
WORD_LIMIT = 200
_ELLIPSIS = "…"


def shown(text: str, limit: int = ECHO_LIMIT) -> str:
    """`text` as a message echoes it: whole, or its start and end around an ellipsis when
    it is longer than `limit` characters, so that both a name's start and a path's file
    name stay in sight."""
    if len(text) <= limit:
        return text
    kept = limit - len(_ELLIPSIS)
    head = kept - kept // 3
    return f"{text[:head]}{_ELLIPSIS}{text[len(text) - (kept - head) :]}"


def quoted(text: str) -> str:
    """`text` in single quotes, as every message quotes what the user wrote, shortened."""
    return f"'{shown(text)}'"


def short_words(message: str, limit: int = WORD_LIMIT) -> str:
    """`message` with every word (a run without white space) of more than `limit`
    characters shortened as `shown` does."""
    if len(message) <= limit:
        return message
    import re

    return re.sub(rf"\S{{{limit + 1},}}", lambda word: shown(word[0], limit), message)


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
        super().__init__(f"library {shown(path, WORD_LIMIT)}{chosen_by}: {reason}")
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
        super().__init__(f"{shown(path, WORD_LIMIT)}: {reason}")
        self.path = path
