"""Helpers every test module shares: the `run` and `canvas_process` types, and `ok()`."""

from __future__ import annotations

import subprocess
from collections.abc import Callable
from typing import Protocol, TypeVar


class CommandResult(Protocol):
    """What a run of `canvas` through the `run` fixture gives back."""

    @property
    def exit_code(self) -> int: ...

    @property
    def stdout(self) -> str: ...

    @property
    def stderr(self) -> str: ...

    @property
    def output(self) -> str: ...

    @property
    def exception(self) -> BaseException | None: ...


Run = Callable[..., CommandResult]
Process = Callable[..., subprocess.CompletedProcess[str]]
Outcome = TypeVar("Outcome", bound=CommandResult)


def ok(result: Outcome) -> Outcome:
    """`result`, once it is known to have succeeded; otherwise fail showing what it printed."""
    assert result.exit_code == 0, result.output
    return result
