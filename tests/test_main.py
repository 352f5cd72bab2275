"""`main(argv, env)`: where what goes wrong becomes one line on stderr and an exit code."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest

from canvascli.cli import main
from canvascli.commands import SORT_ORDERS
from canvascli.commands import list as list_command
from canvascli.env import Env, columns
from canvascli.errors import ExitCode
from tests.conftest import canvas_executable, captured_env, written
from tests.helpers import Run


def failing_list(monkeypatch: pytest.MonkeyPatch, failure: BaseException) -> None:
    """Make `canvas list` raise `failure` once it runs, as a fault deep inside would."""

    def fail(env: Env, **arguments: object) -> ExitCode:
        raise failure

    monkeypatch.setattr(list_command, "list_companies", fail)


def test_a_canvas_error_is_its_message_and_its_exit_code(run: Run, tmp_path: Path) -> None:
    missing = run("show", "nosuch", "--posts", str(tmp_path))
    assert missing.exit_code == ExitCode.NOT_FOUND
    assert missing.exit_code == 1
    assert (
        missing.stderr == f"canvas: no company 'nosuch' in {tmp_path}, which holds no companies\n"
    )
    assert missing.stdout == ""
    refused = run("show", "memsql", "--full")
    assert refused.exit_code == ExitCode.USAGE
    assert refused.exit_code == 2
    assert refused.stderr == "canvas: --full only applies to --grid\n"


def test_a_usage_error_is_typers_message_and_exit_status_2(run: Run) -> None:
    result = run("show")
    assert result.exit_code == 2
    assert result.stderr.startswith("Usage: canvas show [OPTIONS] COMPANY [BLOCK]...\n")
    assert "Missing argument 'COMPANY'." in result.stderr
    assert result.stdout == ""


@pytest.mark.parametrize(
    ("failure", "code", "message"),
    [
        (KeyboardInterrupt(), 130, "\ncanvas: interrupted\n"),
        (BrokenPipeError(), 0, ""),  # the reader has gone: nothing to say
    ],
    ids=["ctrl-c", "broken-pipe"],
)
def test_ctrl_c_and_a_closed_pipe_end_the_run_with_their_exit_status(
    run: Run, monkeypatch: pytest.MonkeyPatch, failure: BaseException, code: int, message: str
) -> None:
    failing_list(monkeypatch, failure)
    result = run("list")
    assert result.exit_code == code
    assert result.stderr == message


def test_an_internal_error_is_one_clean_line_without_a_traceback(
    run: Run, monkeypatch: pytest.MonkeyPatch
) -> None:
    post = os.fsdecode(b"post-\x1b[2J\x9b-\xff.md")
    failing_list(monkeypatch, RuntimeError(f"cannot read {post}\nsecond"))
    result = run("list")
    assert result.exit_code == ExitCode.INTERNAL_ERROR
    assert result.exit_code == 1
    (line,) = result.stderr.splitlines()
    assert line == (
        "canvas: internal error: RuntimeError: cannot read post-␛[2J\\x9b-\\xff.md second "
        "(run again with --debug for the traceback)"
    )
    assert result.exception is None


def test_debug_raises_an_internal_error_again_for_its_traceback(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    failing_list(monkeypatch, RuntimeError("deep inside"))
    env, _ = captured_env(dict(os.environ), tmp_path)
    with pytest.raises(RuntimeError, match="deep inside"):
        main(["--debug", "list"], env)
    assert written(env.stderr) == b""


@pytest.mark.e2e
def test_a_closed_pipe_ends_a_real_run_quietly(tmp_path: Path) -> None:
    reader, writer = os.pipe()
    os.close(reader)
    try:
        completed = subprocess.run(
            [*canvas_executable(), "sections"],
            stdout=writer,
            stderr=subprocess.PIPE,
            stdin=subprocess.DEVNULL,
            cwd=tmp_path,
            check=False,
            timeout=60,
        )
    finally:
        os.close(writer)
    assert completed.returncode == ExitCode.BROKEN_PIPE
    assert completed.returncode == 0
    assert completed.stderr == b""


@pytest.mark.parametrize(
    ("environ", "colour"),
    [
        ({}, False),
        ({"FORCE_COLOR": "1"}, True),
        ({"FORCE_COLOR": "1", "NO_COLOR": "1"}, False),
        ({"FORCE_COLOR": "1", "NO_COLOR": ""}, True),
        ({"FORCE_COLOR": "1", "TERM": "dumb"}, False),
    ],
)
def test_colour_follows_force_color_no_color_and_a_dumb_terminal(
    environ: dict[str, str], colour: bool, tmp_path: Path
) -> None:
    env, _ = captured_env(environ, tmp_path)
    assert env.colour is colour
    assert env.terminal_output is ("FORCE_COLOR" in environ)


def test_the_width_is_columns_else_80_off_a_terminal() -> None:
    assert columns({"COLUMNS": "132"}, None) == 132
    assert columns({"COLUMNS": "wide"}, None) == 80
    assert columns({}, None) == 80


def test_the_sort_orders_the_help_offers_are_the_ones_list_sorts_by() -> None:
    from canvascli.analyse.ordering import SORT_KEYS

    assert tuple(SORT_KEYS) == SORT_ORDERS
