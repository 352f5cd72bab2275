"""The `canvas` command: arguments in, calls to the library, output and exit codes out."""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, NoReturn

import typer

from canvascli import __version__
from canvascli.errors import CanvasError, ExitCode, UsageError

if TYPE_CHECKING:
    from canvascli.library import Library
    from canvascli.models import Block, Canvas, Summary

DEBUG_ENV = "CANVASCLI_DEBUG"

app = typer.Typer(
    name="canvas",
    help="Browse and compare Business Model Canvas write-ups (Markdown posts with front matter).",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    rich_markup_mode="rich",
    context_settings={"help_option_names": ["-h", "--help"]},
)


def _complete_company(ctx: typer.Context, incomplete: str) -> list[str]:
    try:
        library = _quiet_library(
            ctx.params.get("posts"),
            bool(ctx.params.get("unpublished")),
            bool(ctx.params.get("no_cache")),
        )
    except Exception:  # completion must never print a traceback into the shell
        return []
    return [canvas.slug for canvas in library if canvas.slug.startswith(incomplete)]


def _complete_block(incomplete: str) -> list[str]:
    from canvascli.models import Block

    return [block.key for block in Block if block.key.startswith(incomplete)]


PostsOption = Annotated[
    Path | None,
    typer.Option(
        "--posts",
        metavar="DIR",
        help="Library folder. Default: $CANVASCLI_POSTS, else ./_posts, else the bundled sample.",
        show_default=False,
    ),
]
UnpublishedOption = Annotated[
    bool, typer.Option("--unpublished", help="Include posts marked `published: false`.")
]
NoCacheOption = Annotated[
    bool,
    typer.Option("--no-cache", help="Read every post afresh, without the on-disk index."),
]
NoPagerOption = Annotated[
    bool, typer.Option("--no-pager", help="Never send output through a pager.")
]
JsonOption = Annotated[
    bool, typer.Option("--json", help="Print JSON (schema in the README) instead of a table.")
]
CompanyArgument = Annotated[
    str,
    typer.Argument(
        metavar="COMPANY",
        help="Slug, name (any case) or unique prefix.",
        autocompletion=_complete_company,
        show_default=False,
    ),
]


def _version(value: bool) -> None:
    if value:
        typer.echo(f"canvas {__version__}")
        raise typer.Exit()


@app.callback()
def _main(
    version: Annotated[
        bool,
        typer.Option(
            "--version", "-V", callback=_version, is_eager=True, help="Show the version and exit."
        ),
    ] = False,
    debug: Annotated[
        bool, typer.Option("--debug", help="Show a traceback when something goes wrong.")
    ] = False,
) -> None:
    """Browse and compare Business Model Canvas write-ups from the terminal.

    Run [bold]canvas list[/bold] to see the companies, [bold]canvas show memsql[/bold]
    for one canvas, [bold]canvas compare memsql violin-memory[/bold] side by side.
    """
    if debug:
        os.environ[DEBUG_ENV] = "1"


def _warn(message: str) -> None:
    from canvascli.terminal import warn

    warn(message)


@contextmanager
def _reporting() -> Iterator[None]:
    """Turn a `CanvasError` into one line on stderr and its exit code."""
    try:
        yield
    except CanvasError as failure:
        from canvascli.terminal import error

        error(str(failure))
        raise typer.Exit(int(failure.exit_code)) from None


def _quiet_library(posts: Path | None, unpublished: bool, no_cache: bool = False) -> Library:
    from canvascli.library import load_library, locate_library

    return load_library(
        locate_library(posts), include_unpublished=unpublished, use_cache=not no_cache
    )


def _open_library(posts: Path | None, unpublished: bool, no_cache: bool) -> Library:
    """Load the library, with a progress bar for long builds; report each problem once."""
    from canvascli.library import load_library, locate_library
    from canvascli.terminal import progress_bar

    location = locate_library(posts)
    with progress_bar("Indexing posts") as progress:
        library = load_library(
            location, include_unpublished=unpublished, use_cache=not no_cache, progress=progress
        )
    for notice in library.notices:
        _warn(notice)
    reasons: dict[str, list[str]] = {}
    for problem in library.problems:
        reasons.setdefault(problem.path, []).append(problem.diagnostic.message)
    for path, messages in reasons.items():
        _warn(f"{path}: {'; '.join(messages)}")
    return library


def _blocks(names: Sequence[str]) -> list[Block]:
    from canvascli.library import find_block

    chosen: list[Block] = []
    for name in names:
        block = find_block(name)
        if block not in chosen:
            chosen.append(block)
    return chosen


def _canvas_json(canvas: Canvas, chosen: Sequence[Block]) -> dict[str, object]:
    """A canvas in the documented JSON shape, keeping only the chosen blocks (all if none)."""
    data = canvas.to_dict()
    if chosen:
        keys = {block.key for block in chosen}
        data["blocks"] = {key: value for key, value in data["blocks"].items() if key in keys}
    return data


def _print_json(data: object) -> None:
    from canvascli.safetext import dumps_json

    sys.stdout.write(dumps_json(data, pretty=sys.stdout.isatty()) + "\n")


SORT_KEYS = ("name", "slug", "words", "blocks")


@app.command("list")
def list_companies(
    posts: PostsOption = None,
    unpublished: UnpublishedOption = False,
    sort: Annotated[
        str,
        typer.Option("--sort", help=f"Order by one of: {', '.join(SORT_KEYS)}.", show_default=True),
    ] = "name",
    reverse: Annotated[bool, typer.Option("--reverse", "-r", help="Reverse the order.")] = False,
    limit: Annotated[
        int | None,
        typer.Option(
            "--limit", "-n", min=0, help="Show at most this many companies.", show_default=False
        ),
    ] = None,
    as_json: JsonOption = False,
    no_cache: NoCacheOption = False,
    no_pager: NoPagerOption = False,
) -> None:
    """List the companies in a library, with the blocks each canvas covers.

    Example: [bold]canvas list --sort words --reverse --limit 10[/bold]

    Piped, it prints tab-separated lines: company, slug, blocks present, words.
    """
    with _reporting():
        if sort not in SORT_KEYS:
            raise UsageError(f"--sort must be one of {', '.join(SORT_KEYS)}, not '{sort}'")
        library = _open_library(posts, unpublished, no_cache)
        summaries = _sorted(library.summaries, sort, reverse)[:limit]
        if as_json:
            _print_json([summary.to_dict() for summary in summaries])
            return
        if not sys.stdout.isatty() and not os.environ.get("FORCE_COLOR"):
            _print_tsv(summaries)
            return
        if not summaries:
            _warn(f"no posts in {library.location}")
            return
        from canvascli.terminal import emit
        from canvascli.views import library_table

        emit(library_table(summaries), use_pager=not no_pager)


def _sorted(summaries: list[Summary], sort: str, reverse: bool) -> list[Summary]:
    def key(summary: Summary) -> tuple[object, ...]:
        if sort == "slug":
            return (summary.slug,)
        if sort == "words":
            return (summary.words, summary.name.casefold())
        if sort == "blocks":
            return (len(summary.coverage), summary.name.casefold())
        return (summary.name.casefold(), summary.slug)

    return sorted(summaries, key=key, reverse=reverse)


def _print_tsv(summaries: Sequence[Summary]) -> None:
    """Stream plain lines, one per company, for pipes and scripts."""
    from canvascli.models import Block
    from canvascli.safetext import clean_line

    total = len(Block)
    write = sys.stdout.write
    for summary in summaries:
        fields = (
            clean_line(summary.name),
            clean_line(summary.slug),
            f"{len(summary.coverage)}/{total}",
            str(summary.words),
        )
        write("\t".join(fields) + "\n")


@app.command()
def show(
    company: CompanyArgument,
    blocks: Annotated[
        list[str] | None,
        typer.Argument(
            metavar="BLOCK",
            help="Blocks to show: key, title, alias or prefix. Default: all.",
            autocompletion=_complete_block,
            show_default=False,
        ),
    ] = None,
    posts: PostsOption = None,
    unpublished: UnpublishedOption = False,
    as_json: JsonOption = False,
    markdown: Annotated[
        bool, typer.Option("--markdown", help="Print the source Markdown of the sections.")
    ] = False,
    no_cache: NoCacheOption = False,
    no_pager: NoPagerOption = False,
) -> None:
    """Show one company's canvas, or some of its blocks.

    Example: [bold]canvas show memsql key-partners[/bold]
    """
    with _reporting():
        if as_json and markdown:
            raise UsageError("--json and --markdown cannot be used together")
        chosen = _blocks(blocks or [])
        library = _open_library(posts, unpublished, no_cache)
        canvas = library.get(company)
        if as_json:
            _print_json(_canvas_json(canvas, chosen))
            return
        if markdown:
            from canvascli.views import markdown_view

            sys.stdout.write(markdown_view(canvas, chosen))
            return
        from canvascli.terminal import emit
        from canvascli.views import canvas_view

        emit(canvas_view(canvas, chosen), use_pager=not no_pager)
        missing = [block for block in chosen if block not in canvas.blocks]
        if missing:
            names = ", ".join(block.title for block in missing)
            _warn(f"{canvas.slug} has no {names} block ({canvas.source})")


@app.command()
def compare(
    companies: Annotated[
        list[str],
        typer.Argument(
            metavar="COMPANY",
            help="Two or more companies: slug, name or unique prefix.",
            autocompletion=_complete_company,
            show_default=False,
        ),
    ],
    section: Annotated[
        list[str] | None,
        typer.Option(
            "--section",
            "-s",
            metavar="BLOCK",
            help="Only this block (repeatable). Default: all nine.",
            autocompletion=_complete_block,
            show_default=False,
        ),
    ] = None,
    posts: PostsOption = None,
    unpublished: UnpublishedOption = False,
    as_json: JsonOption = False,
    no_cache: NoCacheOption = False,
    no_pager: NoPagerOption = False,
) -> None:
    """Compare companies side by side, a row per block and a column per company.

    Example: [bold]canvas compare memsql violin-memory -s partners -s segments[/bold]

    On a terminal narrower than 80 columns the companies are stacked under each block.
    """
    from canvascli.models import Block

    with _reporting():
        if len(companies) < 2:
            raise UsageError("compare needs at least two companies")
        chosen = _blocks(section or []) or list(Block)
        library = _open_library(posts, unpublished, no_cache)
        canvases = library.get_all(companies)
        slugs = [canvas.slug for canvas in canvases]
        repeated = sorted({slug for slug in slugs if slugs.count(slug) > 1})
        if repeated:
            raise UsageError(f"company '{repeated[0]}' is given more than once")
        if as_json:
            records = [_canvas_json(canvas, chosen) for canvas in canvases]
            _print_json({"blocks": [block.key for block in chosen], "companies": records})
            return
        from canvascli.terminal import emit, stdout_console
        from canvascli.views import compare_view

        width = stdout_console().width
        emit(compare_view(canvases, chosen, width), use_pager=not no_pager)


@app.command()
def sections(as_json: JsonOption = False) -> None:
    """List the nine canvas blocks with their keys and the names each accepts.

    Example: [bold]canvas sections[/bold]
    """
    from canvascli.models import Block

    if as_json:
        _print_json(
            [
                {
                    "key": block.key,
                    "title": block.title,
                    "abbreviation": block.abbreviation,
                    "aliases": list(block.aliases),
                }
                for block in Block
            ]
        )
        return
    from canvascli.terminal import stdout_console
    from canvascli.views import sections_table

    stdout_console().print(sections_table())


cache_app = typer.Typer(
    help="Inspect or clear the on-disk index that makes large libraries fast.",
    no_args_is_help=True,
)
app.add_typer(cache_app, name="cache")


@cache_app.command("info")
def cache_info(posts: PostsOption = None, as_json: JsonOption = False) -> None:
    """Show where the index of a library is, how big it is, and how many posts it holds.

    Example: [bold]canvas cache info --posts _posts[/bold]
    """
    from canvascli.cache import CacheUnavailableError, Index, all_indexes, cache_dir
    from canvascli.library import locate_library

    with _reporting():
        location = locate_library(posts)
        try:
            with Index.open(location.path) as index:
                info = index.info()
        except CacheUnavailableError as failure:
            raise CanvasError(str(failure)) from None
        data = {
            "cache_dir": str(cache_dir()),
            "indexes": len(all_indexes()),
            "library": str(location.path),
            "index": str(info.path),
            "size_bytes": info.size_bytes,
            "posts": info.posts,
            "schema": info.schema,
        }
        if as_json:
            _print_json(data)
            return
        from canvascli.safetext import clean_line

        for name, value in data.items():
            typer.echo(f"{name.replace('_', ' '):<11} {clean_line(str(value))}")


@cache_app.command("clear")
def cache_clear() -> None:
    """Delete every index in the cache folder; the next run rebuilds what it needs.

    Example: [bold]canvas cache clear[/bold]
    """
    from canvascli.cache import cache_dir, clear

    with _reporting():
        try:
            removed = clear()
        except OSError as failure:
            raise CanvasError(f"cannot clear {cache_dir()}: {failure.strerror}") from None
        typer.echo(f"removed {removed} index{'es' if removed != 1 else ''} from {cache_dir()}")


def _fail_internal(error: BaseException) -> NoReturn:
    if os.environ.get(DEBUG_ENV):
        raise error
    from canvascli.safetext import clean_line

    # The message may quote a post's name or text, so it is cleaned like any other.
    sys.stderr.write(
        f"canvas: internal error: {type(error).__name__}: {clean_line(str(error))} "
        "(run again with --debug for the traceback)\n"
    )
    sys.exit(ExitCode.NOT_FOUND)


def main() -> None:
    """Entry point of the `canvas` script: exit codes 0, 1, 2 and 130, never a traceback."""
    if "--debug" in sys.argv[1:]:
        os.environ[DEBUG_ENV] = "1"
    try:
        app()
    except KeyboardInterrupt:
        sys.stderr.write("\ncanvas: interrupted\n")
        sys.exit(ExitCode.INTERRUPTED)
    except BrokenPipeError:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        sys.exit(ExitCode.NOT_FOUND)
    except Exception as error:
        _fail_internal(error)
