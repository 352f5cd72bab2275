"""`canvas log`: the commits that changed one company's post, newest first."""

from __future__ import annotations

from pathlib import Path

from canvascli.commands.opening import LibraryOptions, open_library
from canvascli.commands.output import ViewOptions, draw, print_json
from canvascli.env import Env
from canvascli.errors import ExitCode


def log(
    env: Env,
    *,
    company: str,
    count: int | None,
    library: LibraryOptions,
    as_json: bool,
    view: ViewOptions,
) -> ExitCode:
    from canvascli.commands.revisions import find_named
    from canvascli.store.files import max_post_bytes
    from canvascli.store.history import post_log

    opened = open_library(env, library)
    summary, revision = find_named(opened, company)
    at, changes = post_log(
        Path(summary.source),
        env.environ,
        part=summary.part,
        limit=max_post_bytes(env.environ),
        count=count,
        until=revision,
        synonyms=opened.config.synonyms,
    )
    if as_json:
        print_json(
            env,
            {
                "company": summary.slug,
                "source": summary.source,
                "revision": None if at is None else at.to_dict(),
                "commits": [change.to_dict() for change in changes],
            },
        )
        return ExitCode.OK
    from canvascli.render.history_views import log_view

    named = summary.slug if at is None else f"{summary.slug}@{at.short}"
    command = ["canvas log", named, *([f"-n {count}"] if count is not None else [])]
    draw(
        env,
        lambda _width: log_view(named, summary.source, changes),
        view,
        title=" ".join(command),
    )
    return ExitCode.OK
