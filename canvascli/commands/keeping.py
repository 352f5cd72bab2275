"""What `canvas new` and `canvas fmt` share: the library they may write into."""

from __future__ import annotations

from pathlib import Path

from canvascli.env import Env
from canvascli.errors import UsageError


def library_to_write(env: Env, posts: Path | None, doing: str) -> Path:
    """The library folder, found as every command finds it; never the bundled sample,
    which belongs to the installed program and is no one's library to change."""
    from canvascli.store.files import BUNDLED_ORIGIN, locate_library

    location = locate_library(posts, env.environ, env.cwd)
    if location.origin == BUNDLED_ORIGIN:
        raise UsageError(
            f"no library to {doing}: give --posts DIR, set $CANVASCLI_POSTS, "
            "or run it in a Jekyll site (a folder with _posts/)"
        )
    return location.path
