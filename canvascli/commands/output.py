"""What commands print: JSON, and views drawn on stdout or saved as pictures."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, NamedTuple

from canvascli.env import Env
from canvascli.errors import UsageError

if TYPE_CHECKING:
    from rich.console import RenderableType

    from canvascli.model import AnyBlock, Canvas, Summary


class ViewOptions(NamedTuple):
    """Where a drawn view goes: `--no-pager`, or pictures by `--svg`, `--html`, `--width`,
    replacing existing files with `--force`."""

    no_pager: bool = False
    svg: Path | None = None
    html: Path | None = None
    width: int | None = None
    force: bool = False


def print_json(env: Env, data: object) -> None:
    from canvascli.render.safe_text import dumps_json

    env.stdout.write(dumps_json(data, pretty=env.stdout_isatty) + "\n")


def print_summaries_json(env: Env, summaries: Sequence[Summary]) -> None:
    """Write summaries as a JSON array, compact without decoding them when piped."""
    if env.stdout_isatty:
        print_json(env, [summary.to_dict() for summary in summaries])
        return
    env.stdout.write(summaries_json(summaries))


def write_utf8(env: Env, data: bytes) -> None:
    """Write the text `data` holds in UTF-8 as `env.stdout.write` would: straight to the
    binary stream beneath when that gives the same bytes, since decoding megabytes only to
    encode them again costs more than writing them."""
    import codecs
    import os

    if codecs.lookup(env.stdout.encoding).name == "utf-8" and os.linesep == "\n":
        env.stdout.flush()
        env.stdout.buffer.write(data)
        env.stdout.flush()
    else:
        env.stdout.write(data.decode("utf-8"))


def summaries_json(summaries: Sequence[Summary]) -> str:
    """Summaries as a compact JSON array on one line, written without decoding them."""
    from canvascli.render.safe_text import escape_json

    return f"[{escape_json(','.join(summary.to_json() for summary in summaries))}]\n"


def canvas_json(canvas: Canvas, chosen: Sequence[AnyBlock]) -> dict[str, object]:
    """A canvas in the documented JSON shape, keeping only the chosen blocks (all if none)."""
    data = canvas.to_dict()
    if chosen:
        keys = {block.key for block in chosen}
        for field in ("blocks", "lean_blocks"):
            data[field] = {key: value for key, value in data[field].items() if key in keys}
    return data


def check_pictures(options: ViewOptions, **other_outputs: bool) -> None:
    """Refuse --svg/--html next to an option whose output they would replace, or each other,
    or naming a file they may not write, before any work is done."""
    svg, html = options.svg, options.html
    asked = "--svg" if svg is not None else "--html" if html is not None else None
    if asked is None:
        return
    for name, given in other_outputs.items():
        if given:
            raise UsageError(f"{asked} saves the drawn view; it cannot be used with --{name}")
    if svg is not None and html is not None and svg.resolve() == html.resolve():
        raise UsageError(f"--svg and --html both name {svg}")
    from canvascli.render.file_kinds import kind_of

    for option, path in (("svg", svg), ("html", html)):
        if path is not None and kind_of(path) not in {None, option}:
            raise UsageError(
                f"--{option} {path}: a {path.suffix} file cannot hold "
                f"{'an SVG picture' if option == 'svg' else 'an HTML page'}"
            )
    from canvascli.store.writing import check_writable

    for path in (svg, html):
        if path is not None:
            check_writable(path, force=options.force)


def draw(
    env: Env,
    view: Callable[[int], RenderableType],
    options: ViewOptions,
    *,
    title: str,
) -> None:
    """Print `view(width)`, or with --svg/--html save it as pictures and print nothing.

    `title` is the command as a user would type it, without the picture options.
    """
    from canvascli.render.terminal import (
        PICTURE_WIDTH,
        Pictures,
        emit,
        save_pictures,
        stdout_console,
    )

    width = options.width
    pictures = Pictures(options.svg, options.html, width or PICTURE_WIDTH, options.force)
    if pictures.wanted:
        save_pictures(view(pictures.width), pictures, title=title)
        return
    emit(env, view(stdout_console(env, width).width), use_pager=not options.no_pager, width=width)
