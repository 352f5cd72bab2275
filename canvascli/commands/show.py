"""`canvas show`: one company's canvas, some of its blocks, its grid, Markdown or JSON."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from canvascli.commands.opening import LibraryOptions, chosen_blocks, warn
from canvascli.commands.output import (
    ViewOptions,
    canvas_json,
    check_pictures,
    draw,
    print_json,
)
from canvascli.commands.revisions import open_named
from canvascli.env import Env
from canvascli.errors import ExitCode, UsageError, quoted

if TYPE_CHECKING:
    from canvascli.model import AnyBlock, Canvas


def show(
    env: Env,
    *,
    company: str,
    blocks: Sequence[str],
    library: LibraryOptions,
    as_json: bool,
    markdown: bool,
    grid: bool,
    full: bool,
    view: ViewOptions,
) -> ExitCode:
    if as_json and markdown:
        raise UsageError("--json and --markdown cannot be used together")
    if grid and (as_json or markdown):
        raise UsageError(f"--grid cannot be used with {'--json' if as_json else '--markdown'}")
    if grid and blocks:
        raise UsageError(
            f"--grid draws all nine blocks; leave out {quoted(blocks[0])}, or leave out --grid"
        )
    if full and not grid:
        raise UsageError("--full only applies to --grid")
    check_pictures(view, json=as_json, markdown=markdown)
    chosen = chosen_blocks(blocks)
    (canvas,) = open_named(env, [company], library)
    if canvas.explains_the_canvas:
        warn(
            env,
            f"{canvas.slug} explains the canvas in general and is no company's canvas: "
            f"its sections are shown as they are ({canvas.source})",
        )
    if as_json:
        print_json(env, canvas_json(canvas, chosen))
        return _warn_of_missing_blocks(env, canvas, chosen)
    if markdown:
        from canvascli.render.canvas_views import markdown_view

        env.stdout.write(markdown_view(canvas, chosen))
        return _warn_of_missing_blocks(env, canvas, chosen)
    from canvascli.render.canvas_views import canvas_view, grid_view

    command = ["canvas show", canvas.slug, *(block.key for block in chosen)]
    if grid:
        command.extend(["--grid", "--full"] if full else ["--grid"])
    draw(
        env,
        (lambda _width: grid_view(canvas, full=full))
        if grid
        else (lambda _width: canvas_view(canvas, chosen)),
        view,
        title=" ".join(command),
    )
    return _warn_of_missing_blocks(env, canvas, chosen)


def _warn_of_missing_blocks(env: Env, canvas: Canvas, chosen: Sequence[AnyBlock]) -> ExitCode:
    """Say which of the blocks asked for the canvas lacks, whatever form it was shown in."""
    missing = [block for block in chosen if canvas.section_for(block) is None]
    if missing:
        names = ", ".join(block.title for block in missing)
        warn(env, f"{canvas.slug} has no {names} block ({canvas.source})")
    return ExitCode.OK
