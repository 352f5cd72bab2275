"""`show` and `compare` bound without the command line: the same binding, or none at all."""

from __future__ import annotations

from functools import partial

import pytest

from canvascli.cli import app
from canvascli.commands.quick import quick_command
from tests.helpers import Run

BOUND_ALIKE = [
    ["show", "memsql"],
    ["show", "memsql", "key-partners", "channels"],
    ["show", "memsql", "--json", "key-partners"],
    ["show", "mem", "--markdown", "--unpublished", "--no-cache"],
    ["show", "memsql", "--grid", "--full", "--no-pager", "--force"],
    ["show", "memsql", "--grid", "--grid"],
    ["compare", "memsql", "violin-memory"],
    ["compare", "memsql", "--diff", "violin-memory", "--json"],
    ["compare", "memsql", "violin-memory", "--unpublished", "--no-cache", "--no-pager"],
    ["compare", "memsql"],
    ["show", "memsql", "--posts", "library"],
    ["show", "--posts=library", "memsql", "--posts", "other/library"],
    ["show", "memsql", "--posts", "-folder"],
    ["compare", "memsql", "--posts", "--json", "violin-memory"],
    ["compare", "a", "b", "c", "d", "e", "f", "g"],
]

LEFT_TO_THE_COMMAND_LINE = [
    [],
    ["list"],
    ["show"],
    ["compare", "--json"],
    ["show", "memsql", "--help"],
    ["show", "memsql", "-h"],
    ["show", "memsql", "--posts"],
    ["show", "memsql", "--posts", ""],
    ["show", "memsql", "--posts="],
    ["show", "memsql", "--post", "posts"],
    ["show", "memsql", "--width", "80", "--svg", "memsql.svg"],
    ["show", "memsql", "--diff"],
    ["show", "--", "-memsql"],
    ["compare", "memsql", "violin-memory", "-s", "partners"],
    ["compare", "memsql", "violin-memory", "--grid"],
    ["compare", "memsql", "violin-memory", "--debug"],
    ["--debug", "show", "memsql"],
    ["show", "memsql", "-"],
]


def bound(command: object) -> dict[str, object]:
    assert isinstance(command, partial)
    return {"function": command.func.__name__, **command.keywords}


@pytest.mark.parametrize("argv", BOUND_ALIKE, ids=" ".join)
def test_plain_arguments_are_bound_as_the_command_line_binds_them(argv: list[str]) -> None:
    parsed = app.parse(argv, "canvas")
    assert bound(quick_command(argv, {})) == bound(parsed)


@pytest.mark.parametrize("argv", LEFT_TO_THE_COMMAND_LINE, ids=" ".join)
def test_anything_else_is_left_to_the_command_line(argv: list[str]) -> None:
    assert quick_command(argv, {}) is None


def test_completion_is_left_to_the_command_line() -> None:
    environ = {"_CANVAS_COMPLETE": "complete_bash", "COMP_WORDS": "canvas show mem"}
    assert quick_command(["show", "mem"], environ) is None


def test_a_company_missing_is_reported_in_one_line(run: Run) -> None:
    result = run("compare", "memsql", "nobody-at-all")
    assert result.exit_code == 1
    assert result.stderr.count("\n") == 1
    assert "nobody-at-all" in result.stderr
