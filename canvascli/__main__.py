"""Where the `canvas` script and `python -m canvascli` start."""

from __future__ import annotations

import gc
import sys
from functools import partial

from canvascli import __version__

# Not `typing.TYPE_CHECKING`: importing typing costs more than the quickest runs take.
TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import TextIO

# Answered before the command line is loaded: Typer and Rich cost ten times what
# printing the version does.
VERSION_ARGUMENTS = (["--version"], ["-V"])


def main() -> None:
    """Entry point of the `canvas` script: exit codes 0, 1, 2 and 130, never a traceback."""
    if _closed_stream_refused():
        sys.exit(1)
    arguments = sys.argv[1:]
    if arguments in VERSION_ARGUMENTS:
        sys.exit(_print_version())
    from canvascli.help_screens import asks_only_for_help

    if asks_only_for_help(arguments):
        from canvascli.help_screens import print_help

        sys.exit(print_help(arguments, partial(_run_command_line, arguments)))
    sys.exit(_run_command_line(arguments))


def _closed_stream_refused() -> bool:
    """Whether stdout was closed before the run began (`canvas list >&-`), when Python gives
    it no stream at all: then one line on stderr says so, and nothing is run, since what it
    does could not be told. A closed stderr becomes the null device, so that the run goes
    on, its warnings dropped."""
    if sys.stderr is None:
        import os

        # Opened first, so that it takes the free descriptor 2 rather than a file of the run.
        sys.stderr = os.fdopen(os.open(os.devnull, os.O_WRONLY), "w", encoding="utf-8")
    if sys.stdout is not None:
        return False
    sys.stderr.write("canvas: cannot write the output: standard output is closed\n")
    sys.stderr.flush()
    return True


def _print_version() -> int:
    try:
        sys.stdout.write(f"canvas {__version__}\n")
        sys.stdout.flush()
    except BrokenPipeError:
        # As for any command whose reader has gone (see `ExitCode.BROKEN_PIPE`).
        from canvascli.env import Env

        Env.from_process().discard_stdout()
    except OSError as failure:
        return _output_failed(failure)
    return 0


def _output_failed(failure: OSError) -> int:
    """Standard output refused what `canvas` printed before any command ran: one line, as
    a command's output failing gets (see `execute`), else the error as it is."""
    from canvascli.env import Env, is_output_failure
    from canvascli.errors import ExitCode

    if not is_output_failure(failure):
        raise failure
    Env.from_process().report_output_failure(failure)
    return ExitCode.OUTPUT_FAILED


def _run_command_line(arguments: list[str], stdout: TextIO | None = None) -> int:
    """Run `canvas` (`show` and `compare` with plain arguments without loading the command
    line: see `quick_command`), loaded with the cycle collector paused.

    A run lasts a fraction of a second, and Python's cycle collector would spend a tenth of
    it sweeping, again and again, the objects that importing Typer and Rich creates (none of
    them garbage), and once more as Python exits. So it is paused while they load, and what
    exists is then set aside for good (`gc.freeze`): once here, and again before exiting.
    """
    gc.disable()
    from canvascli.commands.quick import quick_command
    from canvascli.env import Env

    env = Env.from_process()
    if stdout is not None:
        env.stdout = stdout
    command = quick_command(arguments, env.environ)
    if command is None:
        from canvascli.cli import main as run_parsed

        run = partial(run_parsed, arguments)
    else:
        from canvascli.commands import execute

        run = partial(execute, command)
    gc.freeze()
    gc.enable()
    try:
        return run(env)
    finally:
        gc.freeze()


if __name__ == "__main__":
    main()
