"""The terminal edge: consoles for stdout and stderr, the pager, pictures, the progress bar."""

from __future__ import annotations

import errno
import io
import re
import time
from collections.abc import Callable, Iterator, Mapping
from contextlib import AbstractContextManager, contextmanager, nullcontext
from pathlib import Path
from typing import TYPE_CHECKING, NamedTuple

from rich.console import Console, RenderableType
from rich.text import Text

from canvascli.render.safe_text import clean_line
from canvascli.store.writing import write_all_atomically

if TYPE_CHECKING:
    from collections.abc import Mapping

    from rich.progress import Progress

    from canvascli.env import Env

PAGER_ENV = "CANVASCLI_PAGER"
DEFAULT_PAGER = "less -FRX"
PROGRESS_DELAY = 0.5
PICTURE_WIDTH = 120
PICTURE_HEIGHT = 50
# Rich's export_html fills {stylesheet}, {foreground}, {background} and {code}; {title} is ours.
HTML_PAGE = """\
<!DOCTYPE html>
<html>
<head>
<meta charset="UTF-8">
<title>{title}</title>
<style>
{stylesheet}
body {{
    color: {foreground};
    background-color: {background};
}}
</style>
</head>
<body>
<pre style="font-family:Menlo,'DejaVu Sans Mono',consolas,'Courier New',monospace">\
<code style="font-family:inherit">{code}</code></pre>
</body>
</html>
"""


# A width outside these bounds ($COLUMNS=0, a negative or an absurd number) is treated as
# unset, rather than drawing nothing or drawing for hours.
_LARGEST_WIDTH = 10_000


class _Console(Console):
    """A console that leaves a closed pipe to `execute`, like any other write."""

    def on_broken_pipe(self) -> None:
        # Rich's own ends the process with status 1, and points the process's stdout (even
        # for a console on stderr) at the null device.
        self.quiet = True
        raise BrokenPipeError(errno.EPIPE, "the reader has gone")


def stdout_console(env: Env, width: int | None = None) -> Console:
    """The console for data; `width` overrides the terminal's (and `$COLUMNS`)."""
    return _Console(
        file=env.stdout,
        markup=False,
        emoji=False,
        highlight=False,
        width=width,
        # Rich drops only colours for NO_COLOR; no colour system drops bold and dim too.
        color_system="auto" if env.colour else None,
        _environ=_console_environ(env.environ),
    )


def stderr_console(env: Env) -> Console:
    return _Console(
        file=env.stderr,
        markup=False,
        emoji=False,
        highlight=False,
        color_system=None if env.no_colour else "auto",
        _environ=_console_environ(env.environ),
    )


def _console_environ(environ: Mapping[str, str]) -> Mapping[str, str]:
    """The environment Rich sees: a `$COLUMNS` that is no usable width is unset."""
    columns = environ.get("COLUMNS")
    if columns is None or (columns.isdigit() and 0 < int(columns) <= _LARGEST_WIDTH):
        return environ
    return {name: value for name, value in environ.items() if name != "COLUMNS"}


def warn(env: Env, message: str) -> None:
    stderr_console(env).print(Text(f"canvas: {_one_line(message)}", style="yellow"), soft_wrap=True)


def error(env: Env, message: str) -> None:
    stderr_console(env).print(Text(f"canvas: {_one_line(message)}", style="red"), soft_wrap=True)


def _one_line(message: str) -> str:
    """A message as it is shown: cleaned, and with no word longer than a readable line,
    whatever quoted it whole (an error of the system naming a very long file)."""
    from canvascli.errors import short_words

    return short_words(clean_line(message))


def pager_command(environ: Mapping[str, str]) -> list[str]:
    """`$CANVASCLI_PAGER`, else `$PAGER`, else `less -FRX`."""
    import shlex

    chosen = environ.get(PAGER_ENV) or environ.get("PAGER") or DEFAULT_PAGER
    try:
        return shlex.split(chosen)
    except ValueError:
        return shlex.split(DEFAULT_PAGER)


def editor_command(environ: Mapping[str, str]) -> list[str]:
    """`$VISUAL`, else `$EDITOR`, split as a shell would; empty when neither is set.

    Raises `ValueError` for a command a shell could not split (an unclosed quote)."""
    import shlex

    return shlex.split(environ.get("VISUAL") or environ.get("EDITOR") or "")


NO_EDITOR = "set $VISUAL or $EDITOR to edit the post"


def open_in_editor(
    environ: Mapping[str, str],
    post: Path,
    handing_over: Callable[[], AbstractContextManager[object]] = nullcontext,
) -> str | None:
    """Open `post` in the user's editor and wait for it: None when it exits cleanly, else
    the one line that says why not (`NO_EDITOR` when none is set).

    `handing_over` gives the terminal to the editor for as long as it runs."""

    try:
        editor = editor_command(environ)
    except ValueError as problem:
        return f"cannot read the editor command: {problem}"
    if not editor:
        return NO_EDITOR
    return run_editor(editor, post, handing_over)


def run_editor(
    editor: list[str],
    post: Path,
    handing_over: Callable[[], AbstractContextManager[object]] = nullcontext,
) -> str | None:
    """Run the `editor` command on `post` and wait for it: None when it exits cleanly, else
    the one line that says why not."""
    import subprocess

    with handing_over():
        try:
            status = subprocess.run([*editor, str(post)], check=False).returncode
        except OSError as problem:
            return f"cannot run {editor[0]}: {problem.strerror or problem}"
    return f"{editor[0]} exited with status {status}" if status else None


_STYLE_CODE = re.compile(r"\x1b\[[0-9;]*m")


def _without_trailing_space(line: str) -> str:
    """A line without the spaces that end it; style codes among them are kept."""
    end = len(line)
    codes: list[str] = []
    while end:
        if line[end - 1] == " ":
            end -= 1
            continue
        start = line.rfind("\x1b[", 0, end)
        if line[end - 1] != "m" or start < 0 or not _STYLE_CODE.fullmatch(line, start, end):
            break
        codes.append(line[start:end])
        end = start
    return line[:end] + "".join(reversed(codes))


def without_trailing_spaces(text: str) -> str:
    """Text without the padding Rich puts at the end of lines, so pipes get clean lines."""
    return "\n".join(_without_trailing_space(line) for line in text.split("\n"))


def emit(
    env: Env, renderable: RenderableType, *, use_pager: bool = True, width: int | None = None
) -> None:
    """Print to stdout without trailing spaces; in a terminal, output taller than the screen
    goes through a pager."""
    console = stdout_console(env, width)
    with console.capture() as captured:
        console.print(renderable)
    text = without_trailing_spaces(captured.get())
    if not (use_pager and console.is_terminal and console.is_interactive):
        console.file.write(text)
        return
    if text.count("\n") <= console.height:
        console.file.write(text)
        return
    import subprocess

    try:
        subprocess.run(pager_command(env.environ), input=text, text=True, check=False)
    except OSError:
        console.file.write(text)


class Pictures(NamedTuple):
    """Where to save a view as pictures, and at how many columns to draw it."""

    svg: Path | None = None
    html: Path | None = None
    width: int = PICTURE_WIDTH
    force: bool = False

    @property
    def wanted(self) -> bool:
        return self.svg is not None or self.html is not None


def picture_console(width: int) -> Console:
    """A recording console that ignores the environment, so equal views give equal files."""
    return Console(
        file=io.StringIO(),
        record=True,
        width=width,
        height=PICTURE_HEIGHT,
        color_system="truecolor",
        force_terminal=True,
        force_interactive=False,
        no_color=False,
        legacy_windows=False,
        markup=False,
        emoji=False,
        highlight=False,
        _environ={},
    )


def html_page_format(title: str) -> str:
    """The HTML page template with its <title> filled in, escaped for HTML and `str.format`."""
    import html

    escaped = html.escape(clean_line(title)).replace("{", "{{").replace("}", "}}")
    return HTML_PAGE.replace("{title}", escaped, 1)


def save_pictures(renderable: RenderableType, pictures: Pictures, *, title: str) -> None:
    """Draw `renderable` once at `pictures.width` columns and save it as SVG and/or HTML.

    `title` (the command that drew it) heads the SVG's window and names the HTML page.
    Both are saved or neither is.
    """
    console = picture_console(pictures.width)
    console.print(renderable)
    files: list[tuple[Path, bytes]] = []
    if pictures.svg is not None:
        svg = console.export_svg(title=clean_line(title), clear=False)
        files.append((pictures.svg, svg.encode("utf-8")))
    if pictures.html is not None:
        page = console.export_html(code_format=html_page_format(title), clear=False)
        files.append((pictures.html, page.encode("utf-8")))
    write_all_atomically(files, force=pictures.force)


@contextmanager
def progress_bar(env: Env, label: str) -> Iterator[Callable[[int, int], None]]:
    """A progress callback drawing a bar on a terminal stderr once work passes half a second."""
    console = stderr_console(env)
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
