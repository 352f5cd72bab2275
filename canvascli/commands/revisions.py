"""Companies named at a revision, `COMPANY@REV`: a canvas as its post was in git history."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from canvascli.commands.opening import LibraryOptions, open_companies, open_library
from canvascli.env import Env
from canvascli.errors import CompanyNotFoundError, UsageError, quoted

if TYPE_CHECKING:
    from canvascli.model import Canvas, Summary
    from canvascli.store.library import Library


def names_revision(name: str) -> bool:
    return "@" in name


def open_named(env: Env, names: Sequence[str], options: LibraryOptions) -> list[Canvas]:
    """The named companies, each as it is now or, named `COMPANY@REV`, as it was at REV."""
    if not any(names_revision(name) for name in names):
        return open_companies(env, names, options)
    library = open_library(env, options)
    return [canvas_named(env, library, name) for name in names]


def find_named(library: Library, name: str) -> tuple[Summary, str | None]:
    """The company `name` names, and the revision it names, if any.

    A company whose own name holds `@` is found by that name first: the plain name wins."""
    from canvascli.store.history import split_revision

    try:
        return library.find(name), None
    except CompanyNotFoundError:
        parts = split_revision(name)
        if parts is None:
            raise
        company, revision = parts
        if not company.strip():
            raise UsageError(f"{quoted(name)} names no company before '@'") from None
        return library.find(company), revision


def canvas_named(env: Env, library: Library, name: str) -> Canvas:
    """The canvas `name` names in `library`, read at its revision if it names one."""
    return read_named(env, library, *find_named(library, name))


def read_named(env: Env, library: Library, summary: Summary, revision: str | None) -> Canvas:
    """The canvas of `summary`, as it is now or, given a `revision`, as it was then."""
    if revision is None:
        return library.canvas(summary)
    from canvascli.store.files import max_post_bytes
    from canvascli.store.history import canvas_at

    canvas, commit = canvas_at(
        Path(summary.source),
        revision,
        env.environ,
        part=summary.part,
        limit=max_post_bytes(env.environ),
        synonyms=library.config.synonyms,
    )
    return canvas._replace(
        slug=f"{summary.slug}@{commit.short}",
        name=f"{canvas.name} @ {commit.short} ({commit.day})",
    )
