"""Help screens kept on disk, so `canvas --help` prints without loading Typer and Rich."""

from __future__ import annotations

import os
import sys
import zlib

from canvascli import __version__

# Not `typing.TYPE_CHECKING`: importing typing costs more than the quickest runs take.
TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Callable, Iterator, Mapping
    from typing import TextIO

# What Typer, Click and Rich read from the environment when they draw help: a screen drawn
# under other values of these is another screen.
_DRAWING_VARIABLES = (
    "COLORTERM",
    "COLUMNS",
    "DATABRICKS_RUNTIME_VERSION",
    "FORCE_COLOR",
    "GITHUB_ACTIONS",
    "JUPYTER_COLUMNS",
    "JUPYTER_LINES",
    "LINES",
    "NO_COLOR",
    "PY_COLORS",
    "TERM",
    "TERMINAL_WIDTH",
    "TTY_COMPATIBLE",
    "TTY_INTERACTIVE",
    "TYPER_USE_RICH",
    "UNICODE_VERSION",
    "_TYPER_FORCE_DISABLE_TERMINAL",
)
_HELP_FLAGS = frozenset(("--help", "-h"))
_MAGIC = b"canvas-help 1"
# Each terminal width draws its own screens; the oldest go once there are more than this.
_KEPT_SCREENS = 64
# A kept screen longer than this is no screen `canvas` drew.
_MOST_SCREEN_BYTES = 1 << 22
# The libraries that draw the screens: a new version of one may draw them otherwise.
_DRAWING_PACKAGES = ("typer", "rich")


def asks_only_for_help(arguments: list[str]) -> bool:
    """Whether the arguments only ask for a help screen: none at all, or command words
    followed by `--help` or `-h`."""
    if not arguments:
        return True
    *words, last = arguments
    return last in _HELP_FLAGS and all(_is_command_word(word) for word in words)


def _is_command_word(word: str) -> bool:
    return word[:1].isalpha() and word.isascii() and word.replace("-", "").isalpha()


def print_help(arguments: list[str], draw: Callable[[TextIO], int]) -> int:
    """Print the help screen `arguments` ask for, as `draw` would print it to stdout, and
    return `draw`'s exit code; from the screen kept on disk when one was drawn before
    under the same conditions, else drawn now and kept for the next time.

    Only a screen drawn whole (nothing on stderr, nothing written past the text stream)
    is kept; keeping it is best effort, and a damaged screen is drawn again.
    """
    if _is_completing(os.environ):
        return draw(sys.stdout)
    folder = _screens_folder(os.environ)
    conditions = _conditions(arguments)
    path = os.path.join(folder, f"{zlib.crc32(conditions):08x}{zlib.adler32(conditions):08x}")
    kept = _read_screen(path, conditions)
    if kept is not None:
        exit_code, screen = kept
        failed = _write_out(screen)
        return exit_code if failed is None else failed
    recorder = _Recorder(sys.stdout)
    stderr_recorder = _Recorder(sys.stderr)
    sys.stderr = stderr_recorder
    try:
        exit_code = draw(recorder)  # type: ignore[arg-type]
    finally:
        sys.stderr = stderr_recorder.stream
    if recorder.whole and not stderr_recorder.written:
        _keep_screen(folder, path, conditions, exit_code, recorder.text())
    return exit_code


def _is_completing(environ: Mapping[str, str]) -> bool:
    return any(name.startswith("_") and name.endswith("_COMPLETE") for name in environ)


def _screens_folder(environ: Mapping[str, str]) -> str:
    """`help` in the cache folder the index uses."""
    from canvascli.cache_folder import cache_folder, help_screens_folder

    return help_screens_folder(cache_folder(environ))


def _conditions(arguments: list[str]) -> bytes:
    """What the screen drawn for `arguments` depends on in this process: the code and
    libraries that draw it, how the program was started, the terminal and the variables
    the drawing reads."""
    started_as = sys.orig_argv[: len(sys.orig_argv) - len(arguments)]
    conditions = [
        __version__,
        sys.version,
        sys.platform,
        repr(arguments),
        repr(started_as),
        repr(_drawing_code()),
        repr(_terminal()),
        sys.stdout.encoding,
        str(sys.stdout.errors),
        *(f"{name}={os.environ.get(name)!r}" for name in _DRAWING_VARIABLES),
    ]
    return "\0".join(conditions).encode("utf-8", "surrogateescape")


def _drawing_code() -> list[tuple[str, int, int]]:
    """The size and time of every source file of this package and of the libraries'
    first files: an edit or an upgrade of either draws the screens anew."""
    from importlib.machinery import PathFinder

    files = list(_python_files(os.path.dirname(__file__)))
    for package in _DRAWING_PACKAGES:
        spec = PathFinder.find_spec(package)
        if spec is not None and spec.origin:
            files.append(spec.origin)
    states = []
    for file in files:
        info = os.stat(file)
        states.append((file, info.st_size, info.st_mtime_ns))
    return states


def _python_files(folder: str) -> Iterator[str]:
    with os.scandir(folder) as entries:
        for entry in entries:
            if entry.name.endswith(".py"):
                yield entry.path
            elif entry.is_dir(follow_symlinks=False) and entry.name != "__pycache__":
                yield from _python_files(entry.path)


def _terminal() -> tuple[bool, bool, tuple[int, ...] | None]:
    """Whether stdout and stderr are terminals, and the size Rich would find."""
    size = None
    for descriptor in (0, 1, 2):
        try:
            size = tuple(os.get_terminal_size(descriptor))
            break
        except OSError:
            continue
    return sys.stdout.isatty(), sys.stderr.isatty(), size


def _read_screen(path: str, conditions: bytes) -> tuple[int, str] | None:
    """The exit code and screen kept at `path`, if it is whole and drawn under `conditions`."""
    from canvascli.cache_folder import read_kept_file

    data = read_kept_file(path, _MOST_SCREEN_BYTES)
    if data is None:
        return None
    header, _, rest = data.partition(b"\n")
    parts = header.split(b" ")
    if len(parts) != 5 or b" ".join(parts[:2]) != _MAGIC:
        return None
    exit_code, length, checksum = parts[2:]
    if not (exit_code.isdigit() and length.isdigit() and checksum.isdigit()):
        return None
    kept_conditions, screen = rest[: int(length)], rest[int(length) :]
    if kept_conditions != conditions or zlib.crc32(rest) != int(checksum):
        return None
    return int(exit_code), screen.decode("utf-8", "surrogateescape")


def _write_out(screen: str) -> int | None:
    """Print a kept screen; the exit status when standard output refuses it."""
    try:
        sys.stdout.write(screen)
        sys.stdout.flush()
    except BrokenPipeError:
        from canvascli.env import Env

        Env.from_process().discard_stdout()
    except OSError as failure:
        from canvascli.env import Env, is_output_failure
        from canvascli.errors import ExitCode

        if not is_output_failure(failure):
            raise
        Env.from_process().report_output_failure(failure)
        return ExitCode.OUTPUT_FAILED
    return None


def _keep_screen(folder: str, path: str, conditions: bytes, exit_code: int, text: str) -> None:
    rest = conditions + text.encode("utf-8", "surrogateescape")
    header = b"%s %d %d %d\n" % (_MAGIC, exit_code, len(conditions), zlib.crc32(rest))
    from canvascli.cache_folder import write_kept_file

    if write_kept_file(path, header + rest):
        try:
            _forget_oldest(folder)
        except OSError:
            pass


def _forget_oldest(folder: str) -> None:
    with os.scandir(folder) as entries:
        screens = sorted(
            (entry for entry in entries if entry.name.isalnum()),
            key=lambda entry: entry.stat().st_mtime_ns,
        )
    for screen in screens[:-_KEPT_SCREENS]:
        _remove(screen.path)


def _remove(path: str) -> None:
    try:
        os.unlink(path)
    except OSError:
        pass


class _Recorder:
    """A text stream that passes everything on to `stream` and keeps a copy."""

    def __init__(self, stream: TextIO) -> None:
        self.stream = stream
        self.written: list[str] = []
        # Bytes written past the text stream are not kept: such a screen is not kept.
        self.whole = True

    def write(self, text: str) -> int:
        # Passed on first: Click tells text streams from binary ones by what fails.
        count = self.stream.write(text)
        self.written.append(text)
        return count

    def text(self) -> str:
        return "".join(self.written)

    @property
    def buffer(self) -> object:
        self.whole = False
        return self.stream.buffer

    def __getattr__(self, name: str) -> object:
        return getattr(self.stream, name)
