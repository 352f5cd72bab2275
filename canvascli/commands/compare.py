"""`canvas compare`: companies side by side, with the common ground they share."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from canvascli.commands import MAX_COMPARED, MIN_COMPARED
from canvascli.commands.opening import (
    LibraryOptions,
    chosen_blocks,
    refuse_repeated,
)
from canvascli.commands.output import (
    ViewOptions,
    canvas_json,
    check_pictures,
    draw,
    print_json,
)
from canvascli.commands.revisions import open_named
from canvascli.env import Env
from canvascli.errors import ExitCode, UsageError

if TYPE_CHECKING:
    from canvascli.analyse.common_ground import CommonGround
    from canvascli.model import AnyBlock, Canvas


def compare(
    env: Env,
    *,
    companies: Sequence[str],
    sections: Sequence[str],
    diff: bool,
    library: LibraryOptions,
    as_json: bool,
    view: ViewOptions,
) -> ExitCode:
    from canvascli.model import comparison_rows

    if not MIN_COMPARED <= len(companies) <= MAX_COMPARED:
        raise UsageError(
            f"compare takes {MIN_COMPARED} to {MAX_COMPARED} companies, not {len(companies)}"
        )
    check_pictures(view, json=as_json)
    named = chosen_blocks(sections)
    canvases = open_named(env, companies, library)
    refuse_repeated(canvases)
    chosen = named or list(comparison_rows(canvases))
    from canvascli.analyse.common_ground import common_ground

    ground = common_ground(canvases, chosen)
    if as_json:
        from canvascli.analyse.common_ground import without_shared

        shown = [without_shared(canvas, ground) if diff else canvas for canvas in canvases]
        print_json(
            env,
            {
                "blocks": [block.key for block in chosen],
                "companies": [canvas_json(canvas, chosen) for canvas in shown],
                "common": ground.to_list(),
                "diff": diff,
            },
        )
        return ExitCode.OK
    if _plain_compare(env, canvases, chosen, ground, diff=diff, view=view):
        return ExitCode.OK
    from canvascli.render.library_views import compare_view

    command = [
        "canvas compare",
        *(canvas.slug for canvas in canvases),
        *(f"-s {block.key}" for block in named),
        *(["--diff"] if diff else []),
    ]
    draw(
        env,
        lambda drawn_width: compare_view(canvases, chosen, drawn_width, ground, diff=diff),
        view,
        title=" ".join(command),
    )
    return ExitCode.OK


def _plain_compare(
    env: Env,
    canvases: Sequence[Canvas],
    chosen: Sequence[AnyBlock],
    ground: CommonGround,
    *,
    diff: bool,
    view: ViewOptions,
) -> bool:
    """Print the view without loading Rich's console, when it goes to no terminal and is
    drawn without colour, as the plain drawing can; whether it was printed."""
    if env.terminal_output or view.svg or view.html or view.width is not None:
        return False
    from canvascli.render.plain_compare import compare_text, console_width, plain_drawable

    if not plain_drawable(env.environ, getattr(env.stdout, "encoding", None)):
        return False
    text = compare_text(canvases, chosen, console_width(env.environ), ground, diff=diff)
    if text is None:
        return False
    env.stdout.write(text)
    return True
