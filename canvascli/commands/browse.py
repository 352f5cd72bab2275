"""`canvas browse`: the library in an interactive terminal browser."""

from __future__ import annotations

from functools import partial

from canvascli.commands.opening import LibraryOptions, chosen_blocks, open_library
from canvascli.env import Env
from canvascli.errors import ExitCode, UsageError


def browse(
    env: Env, *, company: str | None, block: str | None, library: LibraryOptions
) -> ExitCode:
    if not env.stdout_isatty:
        raise UsageError("browse needs a terminal; stdout is not one (try canvas list or show)")
    start = chosen_blocks([block])[0] if block else None
    opened = open_library(env, library)
    if company is not None:
        company = opened.find(company).slug
    from canvascli.browse.app import BrowseApp

    BrowseApp(
        opened,
        company=company,
        block=start,
        plain="NO_COLOR" in env.environ,
        reload=partial(open_library, env, library, quiet=True),
        environ=env.environ,
    ).run()
    return ExitCode.OK
