"""`show` and `compare` bound straight from plain arguments, without loading the command line.

Typer and Click take longer to import than either command takes to draw a canvas from a warm
index. When the arguments are only company and block names, on/off flags and `--posts`,
binding them needs none of it; anything else (another option with a value, help, `--`,
completion, an unknown flag) is left to the command line, which parses it, reports it and
draws help as always.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from functools import partial
from typing import TYPE_CHECKING

from canvascli.commands import Command

if TYPE_CHECKING:
    from canvascli.commands.opening import LibraryOptions
    from canvascli.commands.output import ViewOptions

# The on/off flags each command declares, by the keyword each one sets.
_LIBRARY_FLAGS = {"--unpublished": "unpublished", "--no-cache": "no_cache"}
_VIEW_FLAGS = {"--no-pager": "no_pager", "--force": "force"}
# The one option with a value read here: the library's folder.
_POSTS = "--posts"
_FLAGS = {
    "show": {"--json": "as_json", "--markdown": "markdown", "--grid": "grid", "--full": "full"},
    "compare": {"--json": "as_json", "--diff": "diff"},
}


def quick_command(argv: Sequence[str], environ: Mapping[str, str]) -> Command | None:
    """The `show` or `compare` that `argv` asks for, bound as the command line binds it;
    None when `argv` asks for anything the command line alone knows how to read."""
    if not argv or argv[0] not in _FLAGS or _completing(environ):
        return None
    flags = _FLAGS[argv[0]]
    names: list[str] = []
    chosen: dict[str, bool] = {}
    posts: str | None = None
    arguments = iter(argv[1:])
    for argument in arguments:
        if not argument.startswith("-"):
            names.append(argument)
        elif argument in flags:
            chosen[flags[argument]] = True
        elif argument in _LIBRARY_FLAGS or argument in _VIEW_FLAGS:
            chosen[_LIBRARY_FLAGS.get(argument) or _VIEW_FLAGS[argument]] = True
        elif argument == _POSTS or argument.startswith(f"{_POSTS}="):
            # As Click reads it: the next argument, whatever it looks like, or what follows
            # "=", the last one given counting.
            posts = argument.partition("=")[2] if "=" in argument else next(arguments, "")
            if not posts:
                return None
        else:
            return None
    if not names:
        return None
    return _BINDERS[argv[0]](names, chosen, _library(chosen, posts))


def _completing(environ: Mapping[str, str]) -> bool:
    """Whether a shell asks for completions (`_CANVAS_COMPLETE` under any program name)."""
    return any(name.endswith("_COMPLETE") for name in environ)


def _library(chosen: Mapping[str, bool], posts: str | None) -> LibraryOptions:
    from pathlib import Path

    from canvascli.commands.opening import LibraryOptions

    return LibraryOptions(
        None if posts is None else Path(posts),
        chosen.get("unpublished", False),
        chosen.get("no_cache", False),
    )


def _view(chosen: Mapping[str, bool]) -> ViewOptions:
    from canvascli.commands.output import ViewOptions

    return ViewOptions(chosen.get("no_pager", False), None, None, None, chosen.get("force", False))


def _show(names: list[str], chosen: Mapping[str, bool], library: LibraryOptions) -> Command:
    from canvascli.commands.show import show

    return partial(
        show,
        company=names[0],
        blocks=names[1:],
        library=library,
        as_json=chosen.get("as_json", False),
        markdown=chosen.get("markdown", False),
        grid=chosen.get("grid", False),
        full=chosen.get("full", False),
        view=_view(chosen),
    )


def _compare(names: list[str], chosen: Mapping[str, bool], library: LibraryOptions) -> Command:
    from canvascli.commands.compare import compare

    return partial(
        compare,
        companies=names,
        sections=[],
        diff=chosen.get("diff", False),
        library=library,
        as_json=chosen.get("as_json", False),
        view=_view(chosen),
    )


_BINDERS: dict[str, Callable[[list[str], Mapping[str, bool], LibraryOptions], Command]] = {
    "show": _show,
    "compare": _compare,
}
