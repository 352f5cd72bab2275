"""One function per command: keyword arguments and an `Env` in, an exit code out."""

from __future__ import annotations

from collections.abc import Callable

from canvascli.env import Env, is_output_failure
from canvascli.errors import CanvasError, ExitCode

# A command with its arguments bound, waiting for the environment to run in.
Command = Callable[[Env], ExitCode]

# Choices and bounds the command line declares in its help, kept here, where importing
# them costs nothing, rather than in the command modules that need the heavy ones.
SORT_ORDERS = ("name", "slug", "words", "blocks", "date")
CANVAS_KINDS = ("business", "lean", "mixed")
MIN_COMPARED = 2
MAX_COMPARED = 6
STATS_TOP = 5
SIMILAR_LIMIT = 10
SEARCH_LIMIT = 20


def execute(command: Command, env: Env) -> ExitCode:
    """Run `command`: the one place where what goes wrong becomes a message and an exit code.

    With `env.debug`, an unexpected error is raised again, for its traceback.
    """
    try:
        code = command(env)
        env.stdout.flush()
    except CanvasError as failure:
        from canvascli.render.terminal import error

        error(env, str(failure))
        return failure.exit_code
    except KeyboardInterrupt:
        env.stderr.write("\ncanvas: interrupted\n")
        return ExitCode.INTERRUPTED
    except BrokenPipeError:
        env.discard_stdout()
        return ExitCode.BROKEN_PIPE
    except OSError as failure:
        if env.debug or not is_output_failure(failure):
            return _unexpected(env, failure)
        env.report_output_failure(failure)
        return ExitCode.OUTPUT_FAILED
    except Exception as failure:
        return _unexpected(env, failure)
    return code


def _unexpected(env: Env, failure: Exception) -> ExitCode:
    """A one-line report of an error no message was written for; with --debug, raised."""
    if env.debug:
        raise failure
    from canvascli.errors import short_words
    from canvascli.render.safe_text import clean_line

    # The message may quote a post's name or text, so it is cleaned like any other.
    env.stderr.write(
        f"canvas: internal error: {type(failure).__name__}: "
        f"{short_words(clean_line(str(failure)))} "
        "(run again with --debug for the traceback)\n"
    )
    return ExitCode.INTERNAL_ERROR
