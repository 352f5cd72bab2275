"""`canvas cache info` and `canvas cache clear`: the on-disk index of a library."""

from __future__ import annotations

from pathlib import Path

from canvascli.commands.output import print_json
from canvascli.env import Env
from canvascli.errors import CanvasError, ExitCode
from canvascli.words import noun_for


def cache_info(env: Env, *, posts: Path | None, as_json: bool) -> ExitCode:
    from canvascli.store.files import locate_library
    from canvascli.store.index import CacheUnavailableError, Index, all_indexes, cache_dir

    location = locate_library(posts, env.environ)
    try:
        with Index.open(location.path, env.cache_dir) as index:
            info = index.info()
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
        env.stdout.write(f"{name.replace('_', ' '):<11} {clean_line(str(value))}\n")
    return ExitCode.OK


def cache_clear(env: Env) -> ExitCode:
    from canvascli.store.index import cache_dir, clear

    folder = env.cache_dir or cache_dir(env.environ)
    try:
        removed = clear(folder)
    except OSError as failure:
        raise CanvasError(f"cannot clear {folder}: {failure.strerror}") from None
    from canvascli.render.safe_text import clean_line

    shown = clean_line(str(folder))
    env.stdout.write(f"removed {removed} {noun_for(removed, 'index', 'indexes')} from {shown}\n")
    return ExitCode.OK
