"""`canvas new`: write an empty canvas post for a company into the library."""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Mapping
from pathlib import Path

from canvascli.env import Env
from canvascli.errors import CanvasError, ExitCode, UsageError, quoted

# The reproducible-builds convention: a fixed "now", in seconds since the epoch.
SOURCE_DATE_EPOCH = "SOURCE_DATE_EPOCH"


class PostExistsError(CanvasError):
    """The company already has a post: a new one would overwrite it or share its slug."""


def new(env: Env, *, company: str, lean: bool, edit: bool, posts: Path | None) -> ExitCode:
    from canvascli.analyse.check import display_path
    from canvascli.commands.keeping import library_to_write
    from canvascli.render.blank_canvas import blank_canvas, post_file_name, post_slug
    from canvascli.render.safe_text import clean_line
    from canvascli.store.writing import longest_name, write_atomically

    name = _company_name(company)
    folder = library_to_write(env, posts, "write into")
    slug = post_slug(name)
    day = today(env.environ)
    path = folder / post_file_name(slug, day, jekyll="_posts" in folder.parts)
    if len(os.fsencode(path.name)) > longest_name(folder):
        raise UsageError("COMPANY is too long to name a file after; give a shorter name")
    editor = _editor(env) if edit else None
    _refuse_taken(env, folder, slug, path)
    blank = blank_canvas(name, day, lean=lean).encode("utf-8")
    write_atomically(path, blank)
    shown = clean_line(display_path(path, env.cwd))
    if editor is not None:
        from canvascli.render.terminal import run_editor

        problem = run_editor(editor, path)
        if problem is not None:
            return _after_failed_editor(env, path, blank, problem, shown)
    env.stdout.write(f"{shown}\n")
    env.stdout.flush()
    return ExitCode.OK


class EditorError(CanvasError):
    """`--edit` with no editor that could be run: refused before the post is written."""


def _editor(env: Env) -> list[str]:
    """The editor command `--edit` runs, known to be one that can be started."""
    import shutil

    from canvascli.render.terminal import NO_EDITOR, editor_command

    nothing_written = "no post written (leave out --edit to write it alone)"
    try:
        editor = editor_command(env.environ)
    except ValueError as problem:
        raise EditorError(f"cannot read the editor command: {problem}; {nothing_written}") from None
    if not editor:
        raise EditorError(f"{NO_EDITOR}; {nothing_written}")
    if shutil.which(editor[0]) is None:
        raise EditorError(f"cannot run {editor[0]}: no such program; {nothing_written}")
    return editor


def _after_failed_editor(env: Env, path: Path, blank: bytes, problem: str, shown: str) -> ExitCode:
    """After an editor that failed: the post is removed when it is still the blank canvas
    written for it, as if `canvas new` had not run; else it is kept, and printed as when
    all went well."""
    from canvascli.render.terminal import error

    try:
        untouched = path.read_bytes() == blank and not path.is_symlink()
    except OSError:
        untouched = False
    if untouched:
        path.unlink(missing_ok=True)
        error(env, f"{problem}; {shown} was removed, as nothing was written in it")
        return ExitCode.PROBLEMS
    if path.exists():
        env.stdout.write(f"{shown}\n")
        env.stdout.flush()
        error(env, f"{problem}; {shown} is kept with what was written in it")
    else:
        error(env, f"{problem}; {shown} is gone")
    return ExitCode.PROBLEMS


def _company_name(company: str) -> str:
    """The name a new post is titled and named after, as given but for the spaces around it
    (a tab or line break inside it is a space); refused when it could not be one: a
    script's empty variable, `-`, bytes that are not UTF-8."""
    name = "".join(" " if character.isspace() else character for character in company).strip()
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
        raise UsageError(
            f"${SOURCE_DATE_EPOCH} is not a number of seconds: {quoted(fixed)}"
        ) from None


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
