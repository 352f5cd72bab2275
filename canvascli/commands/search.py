"""`canvas search`: the text of every canvas, best hits first, grouped by company."""

from __future__ import annotations

from collections.abc import Sequence

from canvascli.commands.opening import LibraryOptions, chosen_blocks, open_library, warn
from canvascli.commands.output import ViewOptions, check_pictures, draw, print_json
from canvascli.env import Env
from canvascli.errors import ExitCode, quoted, shown


def search(
    env: Env,
    *,
    query: str,
    sections: Sequence[str],
    companies: Sequence[str],
    limit: int,
    library: LibraryOptions,
    as_json: bool,
    view: ViewOptions,
) -> ExitCode:
    from canvascli.analyse.search import (
        FULL_TEXT_QUESTION,
        check_query,
        parse_query,
        search_ahead,
        search_as_made,
        search_library,
    )
    from canvascli.store.files import locate_library

    check_pictures(view, json=as_json)
    parsed = parse_query(query)
    check_query(parsed)
    chosen = chosen_blocks(sections)
    # Searching every company needs no summary but those of the posts shown, while the
    # full-text rows are of the posts as they are now (see `search_as_made`).
    everyone = not companies and not library.no_cache
    # For a big library, the search runs while every post is looked at.
    ahead = None
    if everyone:
        location = locate_library(library.posts, env.environ)
        ahead = search_ahead(location, env.cache_dir, parsed, blocks=chosen, limit=limit)
    try:
        opened = open_library(env, library, question=FULL_TEXT_QUESTION if everyone else None)
        results = search_as_made(opened, parsed, blocks=chosen, limit=limit, ahead=ahead)
    finally:
        if ahead is not None:
            ahead.stop()
    slugs: list[str] = []
    if results is None:
        if opened.answer is not None:
            opened = open_library(env, library)
        for name in companies:
            slug = opened.find(name).slug
            if slug not in slugs:
                slugs.append(slug)
        results = search_library(
            opened, parsed, blocks=chosen, slugs=slugs, limit=limit, use_cache=not library.no_cache
        )
        if results.made_from is not None and not opened.renamed:
            opened.keep_answer(results.made_from)
    for notice in results.notices:
        warn(env, notice)
    if as_json:
        print_json(env, results.to_json())
    elif results.companies:
        import shlex

        from canvascli.commands import SEARCH_LIMIT
        from canvascli.render.library_views import search_view

        command = [
            "canvas search",
            shlex.quote(query),
            *(f"-s {block.key}" for block in chosen),
            *(f"-c {slug}" for slug in slugs),
            *([f"-n {limit}"] if limit != SEARCH_LIMIT else []),
        ]
        draw(env, lambda _width: search_view(results), view, title=" ".join(command))
    if results.companies:
        return ExitCode.OK
    from canvascli.render.terminal import error

    where = "".join(
        [
            f" in {', '.join(block.title for block in chosen)}" if chosen else "",
            f" at {', '.join(shown(slug) for slug in slugs)}" if slugs else "",
        ]
    )
    error(env, f"no hits for {quoted(query)}{where}")
    return ExitCode.NOT_FOUND
