"""`canvas browse`: the library in an interactive terminal browser."""

from __future__ import annotations

from functools import partial
from typing import TYPE_CHECKING

from canvascli.commands.opening import LibraryOptions, chosen_blocks, open_library
from canvascli.env import Env
from canvascli.errors import ExitCode, UsageError

if TYPE_CHECKING:
    from canvascli.browse.app import BrowseApp


def browse(
    env: Env, *, company: str | None, block: str | None, library: LibraryOptions
) -> ExitCode:
    if not env.stdout_isatty:
        raise UsageError("browse needs a terminal; stdout is not one (try canvas list or show)")
    browser(env, company=company, block=block, library=library).run()
    return ExitCode.OK


def browser(
    env: Env, *, company: str | None, block: str | None, library: LibraryOptions
) -> BrowseApp:
    """The browser, opened at `company` (`COMPANY@REV`: as it was at REV) and `block`;
    a company or revision that cannot be opened fails here, before anything is drawn."""
    from canvascli.commands.revisions import find_named, read_named

    start = chosen_blocks([block])[0] if block else None
    opened = open_library(env, library)
    past = None
    if company is not None:
        summary, revision = find_named(opened, company)
        company = summary.slug
        if revision is not None:
            past = read_named(env, opened, summary, revision)
    from canvascli.browse.app import BrowseApp

    return BrowseApp(
        opened,
        company=company,
        block=start,
        past=past,
        plain="NO_COLOR" in env.environ,
        reload=partial(open_library, env, library, quiet=True),
        environ=env.environ,
    )
