"""`Env`: the streams, terminal, environment and folders a run of `canvas` works with."""

from __future__ import annotations

import errno
import os
import sys
from collections.abc import Mapping
from copy import copy
from pathlib import Path
from typing import TextIO

from canvascli.cache_folder import CACHE_DIR_ENV

DEFAULT_WIDTH = 80
# How writing to standard output fails besides its reader going away (`BrokenPipeError`).
_OUTPUT_ERRNOS = frozenset((errno.ENOSPC, errno.EDQUOT, errno.EFBIG, errno.EIO))


def is_output_failure(failure: BaseException) -> bool:
    """Whether `failure` is a standard stream refusing what is written to it (`canvas list
    > /dev/full`): a file of canvas's own that cannot be written is an error naming it."""
    return (
        isinstance(failure, OSError)
        and not isinstance(failure, BrokenPipeError)
        and failure.filename is None
        and failure.errno in _OUTPUT_ERRNOS
    )


class Env:
    """What a command may touch of the process running it, so a test can hand it others.

    `stdout` and `stderr` are text streams with a binary `.buffer` underneath. A plain
    class rather than a dataclass: building one of those costs every run a millisecond.
    """

    __slots__ = (
        "cache_dir",
        "cwd",
        "debug",
        "environ",
        "program_name",
        "stderr",
        "stderr_isatty",
        "stdin_isatty",
        "stdout",
        "stdout_isatty",
        "width",
    )

    def __init__(
        self,
        *,
        stdout: TextIO,
        stderr: TextIO,
        stdout_isatty: bool,
        stderr_isatty: bool,
        environ: Mapping[str, str],
        cwd: Path,
        cache_dir: Path | None,
        width: int,
        debug: bool = False,
        program_name: str | None = None,
        stdin_isatty: bool = False,
    ) -> None:
        self.stdout = stdout
        self.stderr = stderr
        self.stdout_isatty = stdout_isatty
        self.stderr_isatty = stderr_isatty
        self.environ = environ
        self.cwd = cwd
        # None: the store's default, the user's cache folder.
        self.cache_dir = cache_dir
        self.width = width
        self.debug = debug
        # How usage messages name the program; None: as the process was started.
        self.program_name = program_name
        # Whether a person can answer a question: only then does a command ask one.
        self.stdin_isatty = stdin_isatty

    @classmethod
    def from_process(cls) -> Env:
        """The environment of this process: its standard streams, variables and folder."""
        environ = dict(os.environ)
        _escape_what_cannot_be_encoded(sys.stdout)
        stdout_isatty = sys.stdout.isatty()
        return cls(
            stdout=sys.stdout,
            stderr=sys.stderr,
            stdout_isatty=stdout_isatty,
            stderr_isatty=sys.stderr.isatty(),
            environ=environ,
            cwd=Path.cwd(),
            cache_dir=Path(environ[CACHE_DIR_ENV]) if environ.get(CACHE_DIR_ENV) else None,
            width=columns(environ, sys.stdout if stdout_isatty else None),
            stdin_isatty=sys.stdin is not None and sys.stdin.isatty(),
        )

    def with_debug(self, debug: bool) -> Env:
        changed = copy(self)
        changed.debug = debug
        return changed

    @property
    def force_color(self) -> bool:
        """`$FORCE_COLOR` asks for terminal output even into a pipe."""
        return bool(self.environ.get("FORCE_COLOR"))

    @property
    def terminal_output(self) -> bool:
        """Whether stdout is drawn for a person: a terminal, or forced to be treated as one."""
        return self.stdout_isatty or self.force_color

    @property
    def colour(self) -> bool:
        """Whether stdout gets colours: a terminal output, unless NO_COLOR or TERM=dumb.

        An empty NO_COLOR counts as unset, as the convention (and Rich) has it.
        """
        if self.no_colour or self.environ.get("TERM", "").lower() == "dumb":
            return False
        return self.terminal_output

    @property
    def no_colour(self) -> bool:
        """`$NO_COLOR` asks for no colour and no other styling (bold, dim) either."""
        return bool(self.environ.get("NO_COLOR"))

    def report_output_failure(self, failure: OSError) -> None:
        """One line on stderr for output that could not be written, and what is left of
        it dropped, so flushing it at exit does not fail again with a traceback."""
        try:
            self.stderr.write(f"canvas: cannot write the output: {failure.strerror}\n")
            self.stderr.flush()
        except OSError:
            pass  # stderr is as full: the exit status alone tells
        self.discard_stdout()

    def discard_stdout(self) -> None:
        """Point stdout's file descriptor at the null device, once a reader has gone away,
        so flushing what is left at exit does not fail a second time."""
        try:
            descriptor = self.stdout.fileno()
        except (OSError, ValueError):
            return  # an in-memory stream: nothing will flush it to a closed pipe
        null = os.open(os.devnull, os.O_WRONLY)
        os.dup2(null, descriptor)
        os.close(null)


_ESCAPE_ERRORS = "canvascli.escape"


def _escaped(failure: UnicodeError) -> tuple[str, int]:
    """What cannot be encoded, as JSON writes it (`\\u2019`, a surrogate pair beyond the
    basic plane): readable text, and still the same JSON, in any encoding."""
    if not isinstance(failure, UnicodeEncodeError):
        raise failure
    units = failure.object[failure.start : failure.end].encode("utf-16-be", "surrogatepass")
    escapes = "".join(
        f"\\u{int.from_bytes(units[at : at + 2], 'big'):04x}" for at in range(0, len(units), 2)
    )
    return escapes, failure.end


def _escape_what_cannot_be_encoded(stream: TextIO) -> None:
    """Make `stream`, when its encoding is not UTF-8 (`LC_ALL=C` without Python's UTF-8
    mode, `PYTHONIOENCODING=ascii`), write escapes for the characters it cannot encode:
    posts hold any character, and a run must not stop at the first it cannot print."""
    import codecs

    try:
        if codecs.lookup(stream.encoding).name in {"utf-8", "utf-16", "utf-32"}:
            return
        codecs.register_error(_ESCAPE_ERRORS, _escaped)
        stream.reconfigure(errors=_ESCAPE_ERRORS)  # type: ignore[attr-defined]
    except (AttributeError, LookupError, TypeError, ValueError):
        pass  # not a stream of text over bytes: it is written as it is


def columns(environ: Mapping[str, str], terminal: TextIO | None) -> int:
    """`$COLUMNS` when it is a positive number, else the terminal's width, else 80."""
    given = environ.get("COLUMNS", "")
    if given.isdigit() and int(given) > 0:
        return int(given)
    if terminal is not None:
        try:
            return os.get_terminal_size(terminal.fileno()).columns or DEFAULT_WIDTH
        except (OSError, ValueError):
            pass
    return DEFAULT_WIDTH
