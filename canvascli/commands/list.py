"""`canvas list`: the companies of a library, sorted, as a table, TSV or JSON."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from operator import attrgetter
from typing import TYPE_CHECKING, Any

from canvascli.commands.opening import LibraryOptions, open_library, warn
from canvascli.commands.output import (
    ViewOptions,
    check_pictures,
    draw,
    print_summaries_json,
)
from canvascli.env import Env
from canvascli.errors import ExitCode, UsageError

if TYPE_CHECKING:
    from canvascli.model import Summary


def _folded_name(summary: Summary) -> str:
    return summary.name.casefold()


# The choices of --sort, each with the keys it sorts by, the one that decides ties first:
# sorts one key at a time, since Python's sort keeps the order of what it finds equal, are
# twice as fast on big libraries as one sort by a tuple of keys.
SORT_KEYS: dict[str, tuple[Callable[[Summary], Any], ...]] = {
    "name": (attrgetter("slug"), _folded_name),
    "slug": (attrgetter("slug"),),
    "words": (_folded_name, attrgetter("words")),
    "blocks": (_folded_name, lambda summary: len(summary.coverage) / len(summary.layout)),
}


def list_companies(
    env: Env,
    *,
    library: LibraryOptions,
    sort: str,
    reverse: bool,
    limit: int | None,
    as_json: bool,
    view: ViewOptions,
) -> ExitCode:
    if sort not in SORT_KEYS:
        raise UsageError(f"--sort must be one of {', '.join(SORT_KEYS)}, not '{sort}'")
    check_pictures(view, json=as_json)
    opened = open_library(env, library)
    summaries = sorted_summaries(opened.companies().summaries, sort, reverse)[:limit]
    if as_json:
        print_summaries_json(env, summaries)
        return ExitCode.OK
    pictures = view.svg is not None or view.html is not None
    if not pictures and not env.terminal_output:
        _print_tsv(env, summaries)
        return ExitCode.OK
    if not summaries:
        warn(env, f"no posts in {opened.location}")
        if not pictures:
            return ExitCode.OK
    from canvascli.render.library_views import library_table

    draw(env, lambda _width: library_table(summaries), view, title="canvas list")
    return ExitCode.OK


def sorted_summaries(summaries: list[Summary], sort: str, reverse: bool) -> list[Summary]:
    ordered = list(summaries)
    for key in SORT_KEYS[sort]:
        ordered.sort(key=key, reverse=reverse)
    return ordered


def _print_tsv(env: Env, summaries: Sequence[Summary]) -> None:
    """Stream plain lines, one per company, for pipes and scripts."""
    from canvascli.render.safe_text import clean_line

    write = env.stdout.write
    for summary in summaries:
        fields = (
            clean_line(summary.name),
            clean_line(summary.slug),
            summary.covered,
            str(summary.words),
        )
        write("\t".join(fields) + "\n")
