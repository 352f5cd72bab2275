"""`canvas cache info` and `canvas cache clear`: the on-disk index of a library, and with
`--all` everything canvas keeps in its cache folder."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from canvascli.commands.output import print_json
from canvascli.env import Env
from canvascli.errors import CanvasError, ExitCode, UsageError
from canvascli.words import noun_for


def cache_info(env: Env, *, posts: Path | None, as_json: bool) -> ExitCode:
    """Describe the library's index as it is on disk; inspecting it never writes."""
    from canvascli.store.files import locate_library
    from canvascli.store.index import CacheUnavailableError, all_indexes, cache_dir, describe_index

    location = locate_library(posts, env.environ)
    try:
        info = describe_index(location.path, env.cache_dir)
    except CacheUnavailableError as failure:
        raise CanvasError(str(failure)) from None
    data = {
        "cache_dir": str(env.cache_dir or cache_dir(env.environ)),
        "indexes": len(all_indexes(env.cache_dir)),
        "library": str(location.path),
        "index": str(info.path),
        "size_bytes": info.size_bytes,
        "posts": info.posts,
        "schema": info.schema,
    }
    if as_json:
        print_json(env, data)
        return ExitCode.OK
    from canvascli.render.safe_text import clean_line

    for name, value in data.items():
        shown = "none yet" if value is None else str(value)
        env.stdout.write(f"{name.replace('_', ' '):<11} {clean_line(shown)}\n")
    return ExitCode.OK


def cache_clear(
    env: Env, *, posts: Path | None, every: bool, yes: bool, confirm: Callable[[str], bool]
) -> ExitCode:
    """Remove the index of the library in hand, or with `every` all of them and the kept
    help screens, once `yes` or, on a terminal, `confirm` agrees."""
    from canvascli.store.index import cache_dir

    folder = env.cache_dir or cache_dir(env.environ)
    try:
        if every:
            return _clear_every_index(env, folder, yes=yes, confirm=confirm)
        return _clear_one_index(env, folder, posts)
    except OSError as failure:
        raise CanvasError(f"cannot clear {folder}: {failure.strerror}") from None


def _clear_one_index(env: Env, folder: Path, posts: Path | None) -> ExitCode:
    from canvascli.render.safe_text import clean_line
    from canvascli.store.files import locate_library
    from canvascli.store.index import clear_library, index_path

    library = posts if posts is not None else locate_library(None, env.environ).path
    # A library that is gone may still have an index worth removing; a name with neither
    # folder nor index is a mistake (a typo), never "nothing to remove".
    if not index_path(library, folder).exists():
        locate_library(library, env.environ)
    removed = clear_library(library, folder)
    if removed is None:
        env.stdout.write(clean_line(f"no index of {library} in {folder}") + "\n")
    else:
        env.stdout.write(clean_line(f"removed the index of {library} from {folder}") + "\n")
    return ExitCode.OK


def _clear_every_index(
    env: Env, folder: Path, *, yes: bool, confirm: Callable[[str], bool]
) -> ExitCode:
    from canvascli.cache_folder import clear_help_screens, clear_kept_patterns, help_screens_folder
    from canvascli.render.safe_text import clean_line
    from canvascli.store.index import all_indexes, clear

    if not yes:
        if not env.stdin_isatty:
            raise UsageError("cache clear --all removes every library's index; add --yes to do so")
        indexes = len(all_indexes(folder))
        screens = _kept_screens(help_screens_folder(str(folder)))
        if indexes == 0 and screens == 0:
            # Nothing worth asking about: kept patterns are only a quicker start.
            clear_kept_patterns(str(folder))
            env.stdout.write(clean_line(f"removed 0 indexes from {folder}") + "\n")
            return ExitCode.OK
        if not confirm(clean_line(f"Remove {_what(indexes, screens)} from {folder}?")):
            env.stderr.write("canvas: nothing removed\n")
            return ExitCode.ABORTED
    indexes = clear(folder)
    screens = clear_help_screens(str(folder))
    clear_kept_patterns(str(folder))
    env.stdout.write(clean_line(f"removed {_what(indexes, screens)} from {folder}") + "\n")
    return ExitCode.OK


def _kept_screens(folder: str) -> int:
    import os

    try:
        return sum(
            1
            for entry in os.scandir(folder)
            if entry.name.isalnum() and entry.is_file(follow_symlinks=False)
        )
    except OSError:
        return 0


def _what(indexes: int, screens: int) -> str:
    """`2 indexes`, and `and 3 kept help screens` when there are any."""
    what = f"{indexes} {noun_for(indexes, 'index', 'indexes')}"
    if screens:
        what += f" and {screens} kept help {noun_for(screens, 'screen', 'screens')}"
    return what
