"""`--help` of every command reads well at 80 columns: whole paragraphs, plain usage lines."""

from __future__ import annotations

import re
from itertools import pairwise

import pytest
from typer.core import TyperGroup
from typer.main import get_command

from canvascli.cli import app
from tests.helpers import Run, ok

WIDTH = 80
# Rich pads help text by one column on each side.
TEXT_WIDTH = WIDTH - 2


def command_names() -> list[str]:
    """Every command as typed after `canvas`, groups' own commands included."""
    names: list[str] = []
    pending: list[tuple[str, object]] = [("", get_command(app))]
    while pending:
        name, command = pending.pop(0)
        if isinstance(command, TyperGroup):
            pending.extend(
                (f"{name} {sub}".strip(), command.commands[sub]) for sub in command.commands
            )
        else:
            names.append(name)
    return sorted(names)


def help_text(run: Run, name: str) -> str:
    return ok(run(*name.split(), "--help", env={"COLUMNS": str(WIDTH)})).stdout


def prose_lines(shown: str) -> list[str]:
    """The help's own text: what lies between the usage line and the first panel."""
    lines = shown.splitlines()
    start = next(number for number, line in enumerate(lines) if "Usage:" in line) + 1
    end = next(number for number, line in enumerate(lines) if line.startswith("╭"))
    return [line.strip() for line in lines[start:end]]


@pytest.mark.parametrize("name", command_names())
def test_help_paragraphs_break_only_where_the_width_makes_them(run: Run, name: str) -> None:
    prose = prose_lines(help_text(run, name))
    assert any(prose), f"canvas {name} --help has no text"
    for line, following in pairwise(prose):
        if line and following:
            next_word = following.split()[0]
            assert len(line) + 1 + len(next_word) > TEXT_WIDTH, (
                f"canvas {name} --help breaks early:\n{line}\n{following}"
            )


EXPECTED_USAGE = {
    "show": "canvas show [OPTIONS] COMPANY [BLOCK]...",
    "compare": "canvas compare [OPTIONS] COMPANY...",
    "similar": "canvas similar [OPTIONS] COMPANY",
    "search": "canvas search [OPTIONS] QUERY",
    "export": "canvas export [OPTIONS] [COMPANY]...",
    "check": "canvas check [OPTIONS] [PATH]...",
    "browse": "canvas browse [OPTIONS] [COMPANY] [BLOCK]",
    "log": "canvas log [OPTIONS] COMPANY",
    "new": "canvas new [OPTIONS] COMPANY",
    "fmt": "canvas fmt [OPTIONS] [PATH]...",
}


@pytest.mark.parametrize("name", command_names())
def test_usage_lines_name_arguments_as_people_write_them(run: Run, name: str) -> None:
    usage = next(line for line in help_text(run, name).splitlines() if "Usage:" in line)
    shown = usage.split("Usage:", 1)[1].strip()
    assert not re.search(r"[{}]", shown), shown
    assert shown == EXPECTED_USAGE.get(name, f"canvas {name} [OPTIONS]")
