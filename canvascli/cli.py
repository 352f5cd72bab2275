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
    from rich.console import Console

    from canvascli.library import Library
    from canvascli.models import Block, Canvas

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
        library = _quiet_library(ctx.params.get("posts"), bool(ctx.params.get("unpublished")))
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


def _stdout() -> Console:
    from rich.console import Console

    return Console(markup=False, emoji=False, highlight=False)


def _stderr() -> Console:
    from rich.console import Console

    return Console(stderr=True, markup=False, emoji=False, highlight=False)


def _warn(message: str) -> None:
    from rich.text import Text

    from canvascli.safetext import clean_line

    _stderr().print(Text(f"canvas: {clean_line(message)}", style="yellow"), soft_wrap=True)


@contextmanager
def _reporting() -> Iterator[None]:
    """Turn a `CanvasError` into one line on stderr and its exit code."""
    try:
        yield
    except CanvasError as error:
        from rich.text import Text

        from canvascli.safetext import clean_line

        _stderr().print(Text(f"canvas: {clean_line(str(error))}", style="red"), soft_wrap=True)
        raise typer.Exit(int(error.exit_code)) from None


def _quiet_library(posts: Path | None, unpublished: bool) -> Library:
    from canvascli.library import load_library, locate_library

    return load_library(locate_library(posts), include_unpublished=unpublished)


def _open_library(posts: Path | None, unpublished: bool) -> Library:
    library = _quiet_library(posts, unpublished)
    for problem in library.problems:
        _warn(problem.message)
    return library


def _blocks(names: Sequence[str]) -> list[Block]:
    from canvascli.library import find_block

    chosen: list[Block] = []
    for name in names:
        block = find_block(name)
        if block not in chosen:
            chosen.append(block)
    return chosen


def _print_json(data: object) -> None:
    from canvascli.safetext import dumps_json

    typer.echo(dumps_json(data))


SORT_KEYS = ("name", "slug", "words", "blocks")


@app.command("list")
def list_companies(
    posts: PostsOption = None,
    unpublished: UnpublishedOption = False,
    sort: Annotated[
        str,
        typer.Option(
            "--sort",
            help=f"Order by one of: {', '.join(SORT_KEYS)}.",
            show_default=True,
        ),
    ] = "name",
    reverse: Annotated[bool, typer.Option("--reverse", "-r", help="Reverse the order.")] = False,
    as_json: JsonOption = False,
) -> None:
    """List the companies in a library, with the blocks each canvas covers.

    Example: [bold]canvas list --sort words --reverse[/bold]

    Piped, it prints tab-separated lines: company, slug, blocks present, words.
    """
    with _reporting():
        if sort not in SORT_KEYS:
            raise UsageError(f"--sort must be one of {', '.join(SORT_KEYS)}, not '{sort}'")
        library = _open_library(posts, unpublished)
        canvases = _sorted(library.canvases, sort, reverse)
        if as_json:
            _print_json([_summary(canvas) for canvas in canvases])
            return
        console = _stdout()
        if not console.is_terminal:
            _print_tsv(canvases)
            return
        from canvascli.views import library_table

        if not canvases:
            _warn(f"no posts in {library.location}")
            return
        console.print(library_table(canvases))


def _sorted(canvases: list[Canvas], sort: str, reverse: bool) -> list[Canvas]:
    def key(canvas: Canvas) -> tuple[object, ...]:
        if sort == "slug":
            return (canvas.slug,)
        if sort == "words":
            return (canvas.words, canvas.name.casefold())
        if sort == "blocks":
            return (len(canvas.blocks), canvas.name.casefold())
        return (canvas.name.casefold(), canvas.slug)

    return sorted(canvases, key=key, reverse=reverse)


def _summary(canvas: Canvas) -> dict[str, object]:
    full = canvas.to_dict()
    return {
        name: full[name]
        for name in (
            "slug",
            "name",
            "source",
            "metadata",
            "coverage",
            "missing",
            "words",
            "warnings",
        )
    }


def _print_tsv(canvases: Sequence[Canvas]) -> None:
    from canvascli.models import Block
    from canvascli.safetext import clean_line

    lines = (
        "\t".join(
            (
                clean_line(canvas.name),
                clean_line(canvas.slug),
                f"{len(canvas.blocks)}/{len(Block)}",
                str(canvas.words),
            )
        )
        for canvas in canvases
    )
    sys.stdout.write("".join(f"{line}\n" for line in lines))


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
) -> None:
    """Show one company's canvas, or some of its blocks.

    Example: [bold]canvas show memsql key-partners[/bold]
    """
    with _reporting():
        if as_json and markdown:
            raise UsageError("--json and --markdown cannot be used together")
        chosen = _blocks(blocks or [])
        library = _open_library(posts, unpublished)
        canvas = library.get(company)
        if as_json:
            data = canvas.to_dict()
            if chosen:
                data["blocks"] = {
                    key: value
                    for key, value in data["blocks"].items()
                    if key in {block.key for block in chosen}
                }
            _print_json(data)
            return
        if markdown:
            from canvascli.views import markdown_view

            typer.echo(markdown_view(canvas, chosen), nl=False)
            return
        from canvascli.views import canvas_view

        _stdout().print(canvas_view(canvas, chosen))
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
        library = _open_library(posts, unpublished)
        canvases = library.get_all(companies)
        slugs = [canvas.slug for canvas in canvases]
        repeated = sorted({slug for slug in slugs if slugs.count(slug) > 1})
        if repeated:
            raise UsageError(f"company '{repeated[0]}' is given more than once")
        if as_json:
            keys = {block.key for block in chosen}
            data = []
            for canvas in canvases:
                record = canvas.to_dict()
                record["blocks"] = {k: v for k, v in record["blocks"].items() if k in keys}
                data.append(record)
            _print_json({"blocks": [block.key for block in chosen], "companies": data})
            return
        from canvascli.views import compare_view

        console = _stdout()
        console.print(compare_view(canvases, chosen, console.width))


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
    from canvascli.views import sections_table

    _stdout().print(sections_table())


def _fail_internal(error: BaseException) -> NoReturn:
    if os.environ.get(DEBUG_ENV):
        raise error
    sys.stderr.write(
        f"canvas: internal error: {type(error).__name__}: {error} "
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
