"""`canvas new`: write an empty canvas post for a company into the library."""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Mapping
from pathlib import Path

from canvascli.env import Env
from canvascli.errors import CanvasError, ExitCode, UsageError

# The reproducible-builds convention: a fixed "now", in seconds since the epoch.
SOURCE_DATE_EPOCH = "SOURCE_DATE_EPOCH"


class PostExistsError(CanvasError):
    """The company already has a post: a new one would overwrite it or share its slug."""


def new(env: Env, *, company: str, lean: bool, edit: bool, posts: Path | None) -> ExitCode:
    from canvascli.analyse.blank_canvas import blank_canvas, post_file_name, post_slug
    from canvascli.analyse.check import display_path
    from canvascli.commands.keeping import library_to_write
    from canvascli.render.safe_text import clean_line
    from canvascli.store.writing import longest_name, write_atomically

    name = _company_name(company)
    folder = library_to_write(env, posts, "write into")
    slug = post_slug(name)
    day = today(env.environ)
    path = folder / post_file_name(slug, day, jekyll="_posts" in folder.parts)
    if len(os.fsencode(path.name)) > longest_name(folder):
        raise UsageError("COMPANY is too long to name a file after; give a shorter name")
    _refuse_taken(env, folder, slug, path)
    write_atomically(path, blank_canvas(name, day, lean=lean).encode("utf-8"))
    env.stdout.write(f"{clean_line(display_path(path, env.cwd))}\n")
    env.stdout.flush()
    if edit:
        return _open_in_editor(env, path)
    return ExitCode.OK


def _company_name(company: str) -> str:
    """The name a new post is titled and named after, its spaces tidied; refused when it
    could not be one: a script's empty variable, `-`, bytes that are not UTF-8."""
    name = " ".join(company.split())
    if not name:
        raise UsageError("COMPANY is empty: give the company's name")
    try:
        name.encode("utf-8")
    except UnicodeEncodeError:
        raise UsageError("COMPANY is not UTF-8 text") from None
    # Line and paragraph separators would break the front matter's one-line title.
    if not name.isprintable():
        raise UsageError("COMPANY must be a name with no control characters")
    if not any(character.isalnum() for character in name):
        raise UsageError("COMPANY must hold a letter or a digit to name a post after")
    return name


def today(environ: Mapping[str, str]) -> dt.date:
    """Today's date, or the day of `$SOURCE_DATE_EPOCH` when it is set."""
    fixed = environ.get(SOURCE_DATE_EPOCH, "")
    if not fixed:
        return dt.date.today()
    try:
        return dt.datetime.fromtimestamp(int(fixed), dt.UTC).date()
    except (ValueError, OverflowError, OSError):
        raise UsageError(f"${SOURCE_DATE_EPOCH} is not a number of seconds: {fixed!r}") from None


def _refuse_taken(env: Env, folder: Path, slug: str, path: Path) -> None:
    """Refuse a file that exists, or a slug a post of the library already has."""
    from canvascli.analyse.check import display_path
    from canvascli.commands.opening import LibraryOptions, open_library

    if path.exists() or path.is_symlink():
        shown = display_path(path, env.cwd)
        raise PostExistsError(f"{shown} already exists; did you mean to edit it?")
    library = open_library(env, LibraryOptions(folder, unpublished=True), quiet=True)
    for summary in library:
        if summary.slug == slug:
            raise PostExistsError(
                f"the library already has '{slug}' ({summary.name}) in "
                f"{display_path(Path(summary.source), env.cwd)}; "
                f"did you mean to edit it, or to name the company '{slug}-2'?"
            )


def _open_in_editor(env: Env, path: Path) -> ExitCode:
    from canvascli.render.terminal import open_in_editor, warn

    problem = open_in_editor(env.environ, path)
    if problem is not None:
        warn(env, problem)
        return ExitCode.PROBLEMS
    return ExitCode.OK
