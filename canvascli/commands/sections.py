"""`canvas sections`: the nine blocks, their keys and the names each accepts."""

from __future__ import annotations

from canvascli.commands.output import print_json
from canvascli.env import Env
from canvascli.errors import ExitCode


def sections(env: Env, *, as_json: bool) -> ExitCode:
    from canvascli.model import Block

    if as_json:
        print_json(
            env,
            [
                {
                    "key": block.key,
                    "title": block.title,
                    "abbreviation": block.abbreviation,
                    "aliases": list(block.aliases),
                }
                for block in Block
            ],
        )
        return ExitCode.OK
    from canvascli.render.library_views import sections_table
    from canvascli.render.terminal import emit

    emit(env, sections_table(), use_pager=False)
    return ExitCode.OK
