"""`canvas stats`: an overview of a library, its block coverage and frequent terms."""

from __future__ import annotations

from canvascli.commands import STATS_TOP
from canvascli.commands.opening import LibraryOptions, open_library
from canvascli.commands.output import ViewOptions, check_pictures, draw, print_json
from canvascli.env import Env
from canvascli.errors import ExitCode


def stats(
    env: Env,
    *,
    top: int,
    library: LibraryOptions,
    as_json: bool,
    view: ViewOptions,
) -> ExitCode:
    check_pictures(view, json=as_json)
    opened = open_library(env, library).companies()
    from canvascli.analyse.stats import library_stats
    from canvascli.analyse.terms import library_terms

    terms = library_terms(opened, use_cache=not library.no_cache)
    overview = library_stats(opened.summaries, terms, top, opened.config.stop_words)
    if as_json:
        print_json(env, {"library": str(opened.location.path), **overview.to_dict()})
        return ExitCode.OK
    from canvascli.render.library_views import stats_view

    draw(
        env,
        lambda _width: stats_view(overview, opened.summaries, str(opened.location)),
        view,
        title="canvas stats" + (f" --top {top}" if top != STATS_TOP else ""),
    )
    return ExitCode.OK
