"""The terminal edge: consoles for stdout and stderr, the pager, and the progress bar."""

from __future__ import annotations

import os
import shlex
import subprocess
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING

from rich.console import Console, RenderableType
from rich.text import Text

from canvascli.safetext import clean_line

if TYPE_CHECKING:
    from rich.progress import Progress

PAGER_ENV = "CANVASCLI_PAGER"
DEFAULT_PAGER = "less -FRX"
PROGRESS_DELAY = 0.5


def stdout_console() -> Console:
    return Console(markup=False, emoji=False, highlight=False)


def stderr_console() -> Console:
    return Console(stderr=True, markup=False, emoji=False, highlight=False)


def warn(message: str) -> None:
    stderr_console().print(Text(f"canvas: {clean_line(message)}", style="yellow"), soft_wrap=True)


def error(message: str) -> None:
    stderr_console().print(Text(f"canvas: {clean_line(message)}", style="red"), soft_wrap=True)


def pager_command() -> list[str]:
    """`$CANVASCLI_PAGER`, else `$PAGER`, else `less -FRX`."""
    chosen = os.environ.get(PAGER_ENV) or os.environ.get("PAGER") or DEFAULT_PAGER
    try:
        return shlex.split(chosen)
    except ValueError:
        return shlex.split(DEFAULT_PAGER)


def emit(renderable: RenderableType, *, use_pager: bool = True) -> None:
    """Print to stdout; in a terminal, output taller than the screen goes through a pager."""
    console = stdout_console()
    if not (use_pager and console.is_terminal and console.is_interactive):
        console.print(renderable)
        return
    with console.capture() as captured:
        console.print(renderable)
    text = captured.get()
    if text.count("\n") <= console.height:
        console.file.write(text)
        return
    try:
        subprocess.run(pager_command(), input=text, text=True, check=False)
    except OSError:
        console.file.write(text)


@contextmanager
def progress_bar(label: str) -> Iterator[Callable[[int, int], None]]:
    """A progress callback drawing a bar on a terminal stderr once work passes half a second."""
    console = stderr_console()
    started = time.monotonic()
    progress: Progress | None = None
    task = None

    def update(done: int, total: int) -> None:
        nonlocal progress, task
        if progress is None:
            if not console.is_terminal or time.monotonic() - started < PROGRESS_DELAY:
                return
            from rich.progress import (
                BarColumn,
                MofNCompleteColumn,
                Progress,
                TextColumn,
                TimeElapsedColumn,
            )

            progress = Progress(
                TextColumn(label),
                BarColumn(),
                MofNCompleteColumn(),
                TimeElapsedColumn(),
                console=console,
                transient=True,
            )
            progress.start()
            task = progress.add_task(label, total=total)
        assert task is not None
        progress.update(task, completed=done, total=total)

    try:
        yield update
    finally:
        if progress is not None:
            progress.stop()
