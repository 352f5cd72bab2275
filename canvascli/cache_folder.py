"""The per-user cache folder, found as platformdirs finds it, without importing it on Linux."""

from __future__ import annotations

import os
import stat
import sys

# Not `typing.TYPE_CHECKING`: importing typing costs more than the quickest runs take.
TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Callable, Mapping

CACHE_DIR_ENV = "CANVASCLI_CACHE_DIR"
# The folder inside the cache folder where help screens are kept (see `help_screens`).
HELP_SCREENS_FOLDER = "help"
# The folder inside the cache folder where the reader's compiled patterns are kept (see
# `canvascli.kept_patterns`).
PATTERNS_FOLDER = "patterns"
# A help screen is kept while it is written under its name plus this and a process id.
PARTIAL_SCREEN_SUFFIX = ".part"


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


def read_kept_file(path: str, most: int) -> bytes | None:
    """What a file kept in the cache folder holds; None unless it is a regular file (a
    named pipe put there would hold a run forever, and a link to a device would never
    end) of at most `most` bytes, or when it cannot be read."""
    try:
        descriptor = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0))
    except OSError:
        return None
    try:
        found = os.fstat(descriptor)
        if not stat.S_ISREG(found.st_mode) or found.st_size > most:
            return None
        with os.fdopen(descriptor, "rb", closefd=False) as kept:
            return kept.read(most + 1)
    except OSError:
        return None
    finally:
        os.close(descriptor)


def write_kept_file(path: str, data: bytes) -> bool:
    """Put `data` in the cache folder's file `path`, whole or not at all, making its folder
    if need be; False when it could not be written (best effort, as a cache is)."""
    temporary = f"{path}.{os.getpid()}{PARTIAL_SCREEN_SUFFIX}"
    try:
        os.makedirs(os.path.dirname(path), exist_ok=True)
        # Made afresh, never opened through what is there: the name is easy to guess,
        # and a link planted under it in a shared cache folder would be written through.
        descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW, 0o644)
    except OSError:
        return False
    try:
        with os.fdopen(descriptor, "wb") as kept:
            kept.write(data)
        os.replace(temporary, path)
    except OSError:
        try:
            os.unlink(temporary)
        except OSError:
            pass
        return False
    return True


def help_screens_folder(cache: str) -> str:
    """Where the help screens are kept in the cache folder `cache`."""
    return os.path.join(cache, HELP_SCREENS_FOLDER)


def patterns_folder(cache: str) -> str:
    """Where the reader's compiled patterns are kept in the cache folder `cache`."""
    return os.path.join(cache, PATTERNS_FOLDER)


def clear_kept_patterns(cache: str) -> None:
    """Delete the reader's kept patterns from the cache folder `cache`, and their folder
    once empty. Only files named as they are named go: anything else is left alone."""
    _clear_kept_files(patterns_folder(cache), _is_kept_patterns_name, _is_kept_patterns_name)


def _is_kept_patterns_name(name: str) -> bool:
    """`cpython-311-<16 hex digits>`, or such a name with `.<pid>.part` after it."""
    _, dash, digest = name.partition(".")[0].rpartition("-")
    return bool(dash) and len(digest) == 16 and all(digit in "0123456789abcdef" for digit in digest)


def clear_help_screens(cache: str) -> int:
    """Delete the help screens kept in the cache folder `cache`, and screens left half
    written, then their folder once empty; the number of whole screens removed.

    Only files named as screens are named go: anything else put there is left alone.
    """
    return _clear_kept_files(help_screens_folder(cache), _is_screen_name, str.isalnum)


def _is_screen_name(name: str) -> bool:
    """A screen's name, or one left half written."""
    return name.isalnum() or PARTIAL_SCREEN_SUFFIX in name


def _clear_kept_files(
    folder: str, is_ours: Callable[[str], bool], is_counted: Callable[[str], bool]
) -> int:
    """Delete the files of `folder` whose names `is_ours` owns, then the folder once empty;
    the number removed whose names `is_counted` counts. A folder of the user's own inside
    it, though named as ours are, stays."""
    removed = 0
    try:
        entries = list(os.scandir(folder))
    except (FileNotFoundError, NotADirectoryError):
        return 0
    for entry in entries:
        if not (is_ours(entry.name) and entry.is_file(follow_symlinks=False)):
            continue
        try:
            os.unlink(entry.path)
        except FileNotFoundError:
            continue
        removed += is_counted(entry.name)
    try:
        os.rmdir(folder)
    except OSError:  # something else is in it: not ours to remove
        pass
    return removed
