"""`canvas search`: the text of every canvas, best hits first, grouped by company."""

from __future__ import annotations

from collections.abc import Sequence

from canvascli.commands.opening import LibraryOptions, chosen_blocks, open_library, warn
from canvascli.commands.output import ViewOptions, check_pictures, draw, print_json
from canvascli.env import Env
from canvascli.errors import ExitCode


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
    from canvascli.analyse.search import check_query, parse_query, search_library

    check_pictures(view, json=as_json)
    parsed = parse_query(query)
    check_query(parsed)
    chosen = chosen_blocks(sections)
    opened = open_library(env, library)
    slugs: list[str] = []
    for name in companies:
        slug = opened.find(name).slug
        if slug not in slugs:
            slugs.append(slug)
    results = search_library(
        opened, parsed, blocks=chosen, slugs=slugs, limit=limit, use_cache=not library.no_cache
    )
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
            f" at {', '.join(slugs)}" if slugs else "",
        ]
    )
    error(env, f"no hits for '{query}'{where}")
    return ExitCode.NOT_FOUND
