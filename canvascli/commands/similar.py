"""`canvas similar`: the other companies ranked by how alike their canvases read."""

from __future__ import annotations

from collections.abc import Sequence

from canvascli.commands.opening import LibraryOptions, chosen_blocks, open_library
from canvascli.commands.output import ViewOptions, check_pictures, draw, print_json
from canvascli.commands.revisions import find_named, read_named
from canvascli.env import Env
from canvascli.errors import CanvasError, ExitCode


def similar(
    env: Env,
    *,
    company: str,
    sections: Sequence[str],
    limit: int,
    library: LibraryOptions,
    as_json: bool,
    view: ViewOptions,
) -> ExitCode:
    check_pictures(view, json=as_json)
    chosen = chosen_blocks(sections)
    whole = open_library(env, library)
    named, revision = find_named(whole, company)
    target = read_named(env, whole, named, revision)
    opened = whole.companies()
    if not any(summary.slug != named.slug for summary in opened):
        raise CanvasError(
            f"similar needs at least one other company; {opened.location.path} "
            f"holds only {named.slug}"
        )
    # A company at a revision is ranked against the others, not against itself today.
    others = (canvas for canvas in opened.canvases() if canvas.slug != named.slug)
    from canvascli.analyse.similarity import rank_similar

    ranked = rank_similar(target, others, chosen)[:limit]
    if as_json:
        from canvascli.analyse.stats import library_blocks

        compared = chosen or library_blocks(opened.summaries)
        print_json(
            env,
            {
                "company": target.slug,
                "blocks": [block.key for block in compared],
                "similar": [found.to_dict() for found in ranked],
            },
        )
        return ExitCode.OK
    from canvascli.commands import SIMILAR_LIMIT
    from canvascli.render.library_views import similar_view

    command = [
        "canvas similar",
        target.slug,
        *(f"-s {block.key}" for block in chosen),
        *([f"-n {limit}"] if limit != SIMILAR_LIMIT else []),
    ]
    draw(env, lambda _width: similar_view(target, ranked, chosen), view, title=" ".join(command))
    return ExitCode.OK
