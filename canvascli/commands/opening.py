"""Opening the library a command works on, and naming its companies and blocks."""

from __future__ import annotations

from collections.abc import Sequence
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, NamedTuple

from canvascli.env import Env
from canvascli.errors import UsageError, quoted

if TYPE_CHECKING:
    from canvascli.model import AnyBlock, Canvas, Summary
    from canvascli.store.config import LibraryConfig
    from canvascli.store.files import Location
    from canvascli.store.index import IndexDamagedError
    from canvascli.store.library import Library


class LibraryOptions(NamedTuple):
    """Which library a command reads, and how: `--posts`, `--unpublished`, `--no-cache`."""

    posts: Path | None = None
    unpublished: bool = False
    no_cache: bool = False


def warn(env: Env, message: str) -> None:
    from canvascli.render.terminal import warn as warn_on

    warn_on(env, message)


def open_library(
    env: Env, options: LibraryOptions, *, quiet: bool = False, question: str | None = None
) -> Library:
    """Load the library, with a progress bar for long builds; report each problem once.

    `quiet` shows neither: for shell completion, which must print nothing but its words.
    With a `question`, the library may hold only a kept answer (see `load_library`).
    """
    from canvascli.store.files import locate_library

    location = locate_library(options.posts, env.environ)
    return _load(env, location, library_config(location), options, quiet=quiet, question=question)


def library_config(location: Location) -> LibraryConfig:
    """The config of the library at `location`; none for the bundled sample, which is
    no one's own library."""
    from canvascli.store.config import LibraryConfig
    from canvascli.store.files import BUNDLED_ORIGIN

    if location.origin == BUNDLED_ORIGIN:
        return LibraryConfig()
    return folder_config(location.path)


def folder_config(folder: Path) -> LibraryConfig:
    """The config found from `folder` up (see `find_config`), checked."""
    from canvascli.commands import SORT_ORDERS
    from canvascli.store.config import load_config

    return load_config(folder, SORT_ORDERS)


def company_completions(env: Env, options: LibraryOptions, incomplete: str) -> list[str]:
    """The slugs a shell may complete `incomplete` to, in order; nothing if the library fails.

    They come from the index alone when it holds every post, so that a Tab press reads
    no post; otherwise the library is loaded as for any command.
    """
    from canvascli.store.files import locate_library
    from canvascli.store.library import load_indexed_names

    try:
        library = None
        if not options.no_cache:
            location = locate_library(options.posts, env.environ)
            library = load_indexed_names(
                location,
                include_unpublished=options.unpublished,
                cache_dir=env.cache_dir,
                config=library_config(location),
            )
        if library is None:
            library = open_library(env, options, quiet=True)
    except Exception:  # completion must never print a traceback into the shell
        return []
    return sorted(summary.slug for summary in library if summary.slug.startswith(incomplete))


def block_completions(incomplete: str) -> list[str]:
    """The block keys a shell may complete `incomplete` to."""
    from canvascli.model import Block

    return [block.key for block in Block if block.key.startswith(incomplete)]


def open_companies(env: Env, names: Sequence[str], options: LibraryOptions) -> list[Canvas]:
    """The named companies, from the index alone when it surely holds them.

    Otherwise the whole library is loaded, and its problems reported, as for any command.
    """
    from canvascli.store.files import locate_library
    from canvascli.store.index import IndexDamagedError
    from canvascli.store.library import load_named

    location = locate_library(options.posts, env.environ)
    config = library_config(location)
    damage: IndexDamagedError | None = None
    if not options.no_cache:
        try:
            found = load_named(
                location,
                names,
                include_unpublished=options.unpublished,
                cache_dir=env.cache_dir,
                synonyms=config.synonyms,
            )
        except IndexDamagedError as found_damage:
            found, damage = None, found_damage
        if found is not None:
            return found
    return _load(env, location, config, options, quiet=False, damage=damage).get_all(names)


def _load(
    env: Env,
    location: Location,
    config: LibraryConfig,
    options: LibraryOptions,
    *,
    quiet: bool,
    damage: IndexDamagedError | None = None,
    question: str | None = None,
) -> Library:
    from canvascli.store.files import max_post_bytes
    from canvascli.store.library import load_library

    loading = partial(
        load_library,
        location,
        include_unpublished=options.unpublished,
        use_cache=not options.no_cache,
        limit=max_post_bytes(env.environ),
        cache_dir=env.cache_dir,
        damage=damage,
        config=config,
        question=question,
    )
    if quiet:
        return loading()
    from canvascli.render.terminal import progress_bar

    with progress_bar(env, "Indexing posts") as progress:
        library = loading(progress=progress)
    for notice in library.notices:
        warn(env, notice)
    library.report_index_damage(partial(warn, env))
    reasons: dict[str, list[str]] = {}
    for problem in library.problems:
        reasons.setdefault(problem.path, []).append(problem.diagnostic.message)
    for path, messages in reasons.items():
        warn(env, f"{path}: {'; '.join(messages)}")
    return library


def refuse_repeated(companies: Sequence[Canvas | Summary]) -> None:
    """Refuse a company named twice, under any of its names."""
    slugs = [company.slug for company in companies]
    repeated = sorted({slug for slug in slugs if slugs.count(slug) > 1})
    if repeated:
        raise UsageError(f"company {quoted(repeated[0])} is given more than once")


def chosen_blocks(names: Sequence[str]) -> list[AnyBlock]:
    """The blocks named, each once, in the order first named; a name may be several,
    comma-separated (`kp,cs`), as codes are for `check --ignore`."""
    if not names:
        return []
    from canvascli.read.labels import find_any_block

    # A name that is only commas stays whole, to be refused as naming no block.
    parts = [part.strip() for name in names for part in name.split(",") if part.strip()]
    chosen: list[AnyBlock] = []
    for name in parts or names:
        block = find_any_block(name)
        if block not in chosen:
            chosen.append(block)
    return chosen
