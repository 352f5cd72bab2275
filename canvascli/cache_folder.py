"""The per-user cache folder, found as platformdirs finds it, without importing it on Linux."""

from __future__ import annotations

import os
import sys

# Not `typing.TYPE_CHECKING`: importing typing costs more than the quickest runs take.
TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Mapping

CACHE_DIR_ENV = "CANVASCLI_CACHE_DIR"


def cache_folder(environ: Mapping[str, str]) -> str:
    """`$CANVASCLI_CACHE_DIR`, else the per-user cache folder (honours `XDG_CACHE_HOME`)."""
    given = environ.get(CACHE_DIR_ENV)
    if given:
        return given
    if sys.platform.startswith("linux") and not _may_be_android(environ):
        # platformdirs' rule on Linux, whose import costs more than printing a help screen:
        # an absolute $XDG_CACHE_HOME, else an absolute $HOME's `.cache`.
        xdg_cache = environ.get("XDG_CACHE_HOME", "")
        if os.path.isabs(xdg_cache):
            return os.path.join(xdg_cache, "canvascli")
        home = environ.get("HOME", "")
        if os.path.isabs(home):
            return os.path.join(home, ".cache", "canvascli")
    from platformdirs import user_cache_dir

    return user_cache_dir("canvascli", appauthor=False)


def _may_be_android(environ: Mapping[str, str]) -> bool:
    """Where platformdirs may take Android's folders instead (its own test, loosened)."""
    return hasattr(sys, "getandroidapilevel") or "ANDROID_DATA" in environ
