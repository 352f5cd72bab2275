"""`canvas list`: the companies of a library, sorted, as a table, TSV or JSON."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, NamedTuple

from canvascli.analyse.ordering import SORT_KEYS, sorted_summaries
from canvascli.commands import CANVAS_KINDS
from canvascli.commands.opening import LibraryOptions, chosen_blocks, open_library, warn
from canvascli.commands.output import (
    ViewOptions,
    check_pictures,
    draw,
    print_summaries_json,
    summaries_json,
    write_utf8,
)
from canvascli.env import Env
from canvascli.errors import ExitCode, UsageError, quoted

if TYPE_CHECKING:
    from canvascli.model import AnyBlock, Summary

DEFAULT_SORT = "name"


class Filters(NamedTuple):
    """Which companies `list` shows: of a kind, having every block of `has`, lacking every
    block of `missing` (block names as the user wrote them)."""

    kind: str | None = None
    has: Sequence[str] = ()
    missing: Sequence[str] = ()

    def keep(self, summaries: Sequence[Summary]) -> list[Summary]:
        if self.kind is not None and self.kind not in CANVAS_KINDS:
            raise UsageError(
                f"--kind must be one of {', '.join(CANVAS_KINDS)}, not {quoted(self.kind)}"
            )
        has: list[AnyBlock] = chosen_blocks(self.has)
        missing: list[AnyBlock] = chosen_blocks(self.missing)
        both = [block for block in has if block in missing]
        if both:
            raise UsageError(f"--has and --missing both name '{both[0].key}'")
        return [
            summary
            for summary in summaries
            if (self.kind is None or summary.kind == self.kind)
            and all(block in summary.coverage for block in has)
            and all(block in summary.unwritten_blocks for block in missing)
        ]


def list_companies(
    env: Env,
    *,
    library: LibraryOptions,
    sort: str | None,
    reverse: bool,
    limit: int | None,
    as_json: bool,
    view: ViewOptions,
    filters: Filters | None = None,
) -> ExitCode:
    if sort is not None and sort not in SORT_KEYS:
        raise UsageError(f"--sort must be one of {', '.join(SORT_KEYS)}, not {quoted(sort)}")
    check_pictures(view, json=as_json)
    filters = filters or Filters()
    filters.keep([])  # names and choices are checked before the library is read
    # Piped JSON and plain lines are one text that depends only on the posts and the
    # arguments: kept in the index, it is given again while every post is as it was.
    pictures = view.svg is not None or view.html is not None
    if as_json:
        shape = None if env.stdout_isatty else "list --json"
    else:
        shape = None if pictures or env.terminal_output else "list"
    question = None if shape is None else _question(shape, sort, reverse, limit, filters)
    opened = open_library(env, library, question=question)
    if opened.answer is not None:
        write_utf8(env, opened.answer)
        return ExitCode.OK
    order = sort or opened.config.sort or DEFAULT_SORT
    everyone = opened.companies().summaries
    summaries = sorted_summaries(filters.keep(everyone), order, reverse)[:limit]
    if not summaries:
        # On stderr, so that piped it says why no line came without adding one to the data
        # (JSON still prints its empty list); and no answer is kept, so that a warm run says
        # it again.
        found = "no company matches the filters in" if everyone else "no posts in"
        warn(env, f"{found} {opened.location}")
        if as_json:
            print_summaries_json(env, summaries)
            return ExitCode.OK
        if not pictures:
            return ExitCode.OK
    if question is not None:
        answer = summaries_json(summaries) if as_json else _plain_lines(summaries)
        env.stdout.write(answer)
        opened.keep_answer(answer)
        return ExitCode.OK
    if as_json:
        print_summaries_json(env, summaries)
        return ExitCode.OK
    from canvascli.render.library_views import library_table

    draw(env, lambda _width: library_table(summaries), view, title="canvas list")
    return ExitCode.OK


def _question(
    shape: str, sort: str | None, reverse: bool, limit: int | None, filters: Filters
) -> str:
    import json

    return json.dumps(
        [shape, sort, reverse, limit, filters.kind, [*filters.has], [*filters.missing]],
        ensure_ascii=False,
    )


def _plain_lines(summaries: Sequence[Summary]) -> str:
    """One line per company, tab-separated, for pipes and scripts."""
    from canvascli.render.safe_text import clean_line

    return "".join(
        f"{clean_line(summary.name)}\t{clean_line(summary.slug)}\t{summary.covered}"
        f"\t{summary.words}\n"
        for summary in summaries
    )
