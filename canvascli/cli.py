"""The `canvas` command: arguments in, calls to the library, output and exit codes out."""

# No `from __future__ import annotations` here: Typer reads the annotations of the command
# it runs on every run, and annotations kept as strings would be compiled each time.
import os
import sys
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from operator import attrgetter
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, NoReturn

import typer

from canvascli import __version__
from canvascli.errors import CanvasError, ExitCode, OutputError, UsageError

if TYPE_CHECKING:
    from rich.console import RenderableType

    from canvascli.model import AnyBlock, Canvas, Summary
    from canvascli.store.files import Location
    from canvascli.store.library import Library

DEBUG_ENV = "CANVASCLI_DEBUG"


class _CommandLine(typer.Typer):
    """A Typer app that, run from the command line, builds only the command it is asked for.

    Typer turns every command's signature into Click parameters before parsing anything;
    when the first argument names a command exactly, the others are never needed.
    """

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        named = self._with_only(sys.argv[1]) if not args and not kwargs and sys.argv[1:] else None
        return typer.Typer.__call__(named or self, *args, **kwargs)

    def _with_only(self, name: str) -> typer.Typer | None:
        """A copy of the app holding only the command or group `name`, or None if none is."""
        from copy import copy

        from typer.main import get_command_name

        commands = [
            info
            for info in self.registered_commands
            if info.callback is not None
            and (info.name or get_command_name(info.callback.__name__)) == name
        ]
        groups = [info for info in self.registered_groups if info.name == name]
        if not commands and not groups:
            return None
        narrowed = copy(self)
        narrowed.registered_commands = commands
        narrowed.registered_groups = groups
        return narrowed


app = _CommandLine(
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
    from canvascli.model import Block

    return [block.key for block in Block if block.key.startswith(incomplete)]


def _sections_option(help_text: str) -> Any:
    """`--section/-s BLOCK`, repeatable, with completion; each command says what it limits."""
    return typer.Option(
        "--section",
        "-s",
        metavar="BLOCK",
        help=help_text,
        autocompletion=_complete_block,
        show_default=False,
    )


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
SvgOption = Annotated[
    Path | None,
    typer.Option(
        "--svg",
        metavar="FILE",
        help="Save the view as an SVG picture (at --width columns) instead of printing it.",
        show_default=False,
    ),
]
HtmlOption = Annotated[
    Path | None,
    typer.Option(
        "--html",
        metavar="FILE",
        help="Save the view as an HTML page (at --width columns) instead of printing it.",
        show_default=False,
    ),
]
WidthOption = Annotated[
    int | None,
    typer.Option(
        "--width",
        metavar="N",
        min=20,
        max=1000,
        help="Draw at N columns. Default: the terminal's width; 120 for --svg and --html.",
        show_default=False,
    ),
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
    from canvascli.render.terminal import warn

    warn(message)


@contextmanager
def _reporting() -> Iterator[None]:
    """Turn a `CanvasError` into one line on stderr and its exit code."""
    try:
        yield
    except CanvasError as failure:
        from canvascli.render.terminal import error

        error(str(failure))
        raise typer.Exit(int(failure.exit_code)) from None


def _quiet_library(posts: Path | None, unpublished: bool, no_cache: bool = False) -> "Library":
    from canvascli.store.files import locate_library
    from canvascli.store.library import load_library

    return load_library(
        locate_library(posts), include_unpublished=unpublished, use_cache=not no_cache
    )


def _open_library(posts: Path | None, unpublished: bool, no_cache: bool) -> "Library":
    """Load the library, with a progress bar for long builds; report each problem once."""
    from canvascli.store.files import locate_library

    return _load_library(locate_library(posts), unpublished, no_cache)


def _open_canvases(
    posts: Path | None, unpublished: bool, no_cache: bool, names: Sequence[str]
) -> list["Canvas"]:
    """The named companies, from the index alone when it surely holds them.

    Otherwise the whole library is loaded, and its problems reported, as for any command.
    """
    from canvascli.store.files import locate_library
    from canvascli.store.library import load_named

    location = locate_library(posts)
    if not no_cache:
        found = load_named(location, names, include_unpublished=unpublished)
        if found is not None:
            return found
    return _load_library(location, unpublished, no_cache).get_all(names)


def _load_library(location: "Location", unpublished: bool, no_cache: bool) -> "Library":
    from canvascli.render.terminal import progress_bar
    from canvascli.store.library import load_library

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


def _blocks(names: Sequence[str]) -> list["AnyBlock"]:
    from canvascli.read.labels import find_any_block

    chosen: list[AnyBlock] = []
    for name in names:
        block = find_any_block(name)
        if block not in chosen:
            chosen.append(block)
    return chosen


def _canvas_json(canvas: "Canvas", chosen: Sequence["AnyBlock"]) -> dict[str, object]:
    """A canvas in the documented JSON shape, keeping only the chosen blocks (all if none)."""
    data = canvas.to_dict()
    if chosen:
        keys = {block.key for block in chosen}
        for field in ("blocks", "lean_blocks"):
            data[field] = {key: value for key, value in data[field].items() if key in keys}
    return data


def _print_json(data: object) -> None:
    from canvascli.render.safe_text import dumps_json

    sys.stdout.write(dumps_json(data, pretty=sys.stdout.isatty()) + "\n")


def _print_summaries_json(summaries: Sequence["Summary"]) -> None:
    """Write summaries as a JSON array, compact without decoding them when piped."""
    if sys.stdout.isatty():
        _print_json([summary.to_dict() for summary in summaries])
        return
    from canvascli.render.safe_text import escape_json

    text = escape_json(",".join(summary.to_json() for summary in summaries))
    sys.stdout.write("[")
    sys.stdout.write(text)
    sys.stdout.write("]\n")


def _check_pictures(svg: Path | None, html: Path | None, **other_outputs: bool) -> None:
    """Refuse --svg/--html next to an option whose output they would replace, or each other."""
    asked = "--svg" if svg is not None else "--html" if html is not None else None
    if asked is None:
        return
    for name, given in other_outputs.items():
        if given:
            raise UsageError(f"{asked} saves the drawn view; it cannot be used with --{name}")
    if svg is not None and html is not None and svg.resolve() == html.resolve():
        raise UsageError(f"--svg and --html both name {svg}")


def _draw(
    view: Callable[[int], "RenderableType"],
    *,
    title: str,
    svg: Path | None,
    html: Path | None,
    width: int | None,
    no_pager: bool = False,
) -> None:
    """Print `view(width)`, or with --svg/--html save it as pictures and print nothing.

    `title` is the command as a user would type it, without the picture options.
    """
    from canvascli.render.terminal import (
        PICTURE_WIDTH,
        Pictures,
        emit,
        save_pictures,
        stdout_console,
    )

    pictures = Pictures(svg, html, width or PICTURE_WIDTH)
    if pictures.wanted:
        save_pictures(view(pictures.width), pictures, title=title)
        return
    emit(view(stdout_console(width).width), use_pager=not no_pager, width=width)


def _folded_name(summary: "Summary") -> str:
    return summary.name.casefold()


# The choices of --sort, each with the keys it sorts by, the one that decides ties first:
# sorts one key at a time, since Python's sort keeps the order of what it finds equal, are
# twice as fast on big libraries as one sort by a tuple of keys.
SORT_KEYS: dict[str, tuple[Callable[["Summary"], Any], ...]] = {
    "name": (attrgetter("slug"), _folded_name),
    "slug": (attrgetter("slug"),),
    "words": (_folded_name, attrgetter("words")),
    "blocks": (_folded_name, lambda summary: len(summary.coverage) / len(summary.layout)),
}


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
    svg: SvgOption = None,
    html: HtmlOption = None,
    width: WidthOption = None,
) -> None:
    """List the companies in a library, with the blocks each canvas covers.

    Example: [bold]canvas list --sort words --reverse --limit 10[/bold]

    Piped, it prints tab-separated lines: company, slug, blocks present out of those its
    kind of canvas has (a whole Lean Canvas is 9/9), words.
    With --svg or --html it saves the table instead: [bold]canvas list --svg list.svg[/bold]
    """
    with _reporting():
        if sort not in SORT_KEYS:
            raise UsageError(f"--sort must be one of {', '.join(SORT_KEYS)}, not '{sort}'")
        _check_pictures(svg, html, json=as_json)
        library = _open_library(posts, unpublished, no_cache)
        summaries = _sorted(library.summaries, sort, reverse)[:limit]
        if as_json:
            _print_summaries_json(summaries)
            return
        pictures = svg is not None or html is not None
        if not pictures and not sys.stdout.isatty() and not os.environ.get("FORCE_COLOR"):
            _print_tsv(summaries)
            return
        if not summaries:
            _warn(f"no posts in {library.location}")
            if not pictures:
                return
        from canvascli.render.library_views import library_table

        _draw(
            lambda _width: library_table(summaries),
            title="canvas list",
            svg=svg,
            html=html,
            width=width,
            no_pager=no_pager,
        )


def _sorted(summaries: list["Summary"], sort: str, reverse: bool) -> list["Summary"]:
    ordered = list(summaries)
    for key in SORT_KEYS[sort]:
        ordered.sort(key=key, reverse=reverse)
    return ordered


def _print_tsv(summaries: Sequence["Summary"]) -> None:
    """Stream plain lines, one per company, for pipes and scripts."""
    from canvascli.render.safe_text import clean_line

    write = sys.stdout.write
    for summary in summaries:
        fields = (
            clean_line(summary.name),
            clean_line(summary.slug),
            summary.covered,
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
    grid: Annotated[
        bool,
        typer.Option(
            "--grid",
            help=(
                "Draw the nine blocks as Osterwalder's grid, a Lean Canvas as Ash Maurya's; "
                "long blocks end in '+N more lines'."
            ),
        ),
    ] = False,
    full: Annotated[
        bool, typer.Option("--full", help="With --grid: every line of every block, none cut.")
    ] = False,
    no_cache: NoCacheOption = False,
    no_pager: NoPagerOption = False,
    svg: SvgOption = None,
    html: HtmlOption = None,
    width: WidthOption = None,
) -> None:
    """Show one company's canvas, or some of its blocks.

    Example: [bold]canvas show memsql key-partners[/bold]

    The canvas as nine boxes: [bold]canvas show memsql --grid[/bold] (stacked below 100
    columns). Saved as a picture: [bold]canvas show memsql --grid --svg memsql.svg[/bold]
    A Lean Canvas is shown in its own order: problem, solution, unique value
    proposition, unfair advantage, segments, key metrics, channels, costs, revenue.
    """
    with _reporting():
        if as_json and markdown:
            raise UsageError("--json and --markdown cannot be used together")
        if grid and (as_json or markdown):
            raise UsageError(f"--grid cannot be used with {'--json' if as_json else '--markdown'}")
        if grid and blocks:
            raise UsageError(
                f"--grid draws all nine blocks; leave out '{blocks[0]}', or leave out --grid"
            )
        if full and not grid:
            raise UsageError("--full only applies to --grid")
        _check_pictures(svg, html, json=as_json, markdown=markdown)
        chosen = _blocks(blocks or [])
        (canvas,) = _open_canvases(posts, unpublished, no_cache, [company])
        if as_json:
            _print_json(_canvas_json(canvas, chosen))
            return
        if markdown:
            from canvascli.render.canvas_views import markdown_view

            sys.stdout.write(markdown_view(canvas, chosen))
            return
        from canvascli.render.canvas_views import canvas_view, grid_view

        command = ["canvas show", canvas.slug, *(block.key for block in chosen)]
        if grid:
            command.extend(["--grid", "--full"] if full else ["--grid"])
        _draw(
            (lambda _width: grid_view(canvas, full=full))
            if grid
            else (lambda _width: canvas_view(canvas, chosen)),
            title=" ".join(command),
            svg=svg,
            html=html,
            width=width,
            no_pager=no_pager,
        )
        missing = [block for block in chosen if canvas.section_for(block) is None]
        if missing:
            names = ", ".join(block.title for block in missing)
            _warn(f"{canvas.slug} has no {names} block ({canvas.source})")


MIN_COMPARED = 2
MAX_COMPARED = 6


@app.command()
def compare(
    companies: Annotated[
        list[str],
        typer.Argument(
            metavar="COMPANY",
            help=f"{MIN_COMPARED} to {MAX_COMPARED} companies: slug, name or unique prefix.",
            autocompletion=_complete_company,
            show_default=False,
        ),
    ],
    section: Annotated[
        list[str] | None,
        _sections_option(
            "Only this block (repeatable). Default: all nine, or a Lean Canvas's nine."
        ),
    ] = None,
    diff: Annotated[
        bool,
        typer.Option("--diff", help="Hide the list items the companies share; leave what differs."),
    ] = False,
    posts: PostsOption = None,
    unpublished: UnpublishedOption = False,
    as_json: JsonOption = False,
    no_cache: NoCacheOption = False,
    no_pager: NoPagerOption = False,
    svg: SvgOption = None,
    html: HtmlOption = None,
    width: WidthOption = None,
) -> None:
    """Compare 2 to 6 companies side by side, a row per block and a column per company.

    Example: [bold]canvas compare memsql violin-memory -s partners -s segments[/bold]

    Terms two or more companies share in a block (after normalising case, punctuation,
    plurals and names inside longer names) are marked with ◆ and listed at the end as
    their common ground. On a terminal narrower than 80 columns the companies are stacked
    under each block; when they do not fit side by side, they are split into bands.
    A Lean Canvas beside a Business Model Canvas lines up the blocks both kinds have
    first (Value Propositions beside Unique Value Proposition), then the others.
    """
    from canvascli.model import comparison_rows

    with _reporting():
        if not MIN_COMPARED <= len(companies) <= MAX_COMPARED:
            raise UsageError(
                f"compare takes {MIN_COMPARED} to {MAX_COMPARED} companies, not {len(companies)}"
            )
        _check_pictures(svg, html, json=as_json)
        named = _blocks(section or [])
        canvases = _open_canvases(posts, unpublished, no_cache, companies)
        slugs = [canvas.slug for canvas in canvases]
        repeated = sorted({slug for slug in slugs if slugs.count(slug) > 1})
        if repeated:
            raise UsageError(f"company '{repeated[0]}' is given more than once")
        chosen = named or list(comparison_rows(canvases))
        from canvascli.analyse.common_ground import common_ground

        ground = common_ground(canvases, chosen)
        if as_json:
            from canvascli.analyse.common_ground import without_shared

            shown = [without_shared(canvas, ground) if diff else canvas for canvas in canvases]
            _print_json(
                {
                    "blocks": [block.key for block in chosen],
                    "companies": [_canvas_json(canvas, chosen) for canvas in shown],
                    "common": ground.to_list(),
                    "diff": diff,
                }
            )
            return
        from canvascli.render.library_views import compare_view

        command = [
            "canvas compare",
            *slugs,
            *(f"-s {block.key}" for block in named),
            *(["--diff"] if diff else []),
        ]
        _draw(
            lambda drawn_width: compare_view(canvases, chosen, drawn_width, ground, diff=diff),
            title=" ".join(command),
            svg=svg,
            html=html,
            width=width,
            no_pager=no_pager,
        )


@app.command()
def similar(
    company: CompanyArgument,
    section: Annotated[
        list[str] | None,
        _sections_option("Compare only this block (repeatable). Default: every block."),
    ] = None,
    limit: Annotated[
        int,
        typer.Option("--limit", "-n", min=1, help="Show at most this many companies."),
    ] = 10,
    posts: PostsOption = None,
    unpublished: UnpublishedOption = False,
    as_json: JsonOption = False,
    no_cache: NoCacheOption = False,
    no_pager: NoPagerOption = False,
) -> None:
    """Rank the other companies by how alike their canvases read to COMPANY's.

    Example: [bold]canvas similar memsql --section partners --limit 5[/bold]

    The score is the TF-IDF cosine of the two canvases' words, block by block (0: nothing
    in common, 1: the same words); each company is shown with the blocks that add most.
    Lean Canvas blocks count too; a Lean and a Business Model Canvas meet in the blocks
    both kinds have.
    """
    with _reporting():
        chosen = _blocks(section or [])
        library = _open_library(posts, unpublished, no_cache)
        target = library.get(company)
        if len(library) < 2:
            raise CanvasError(
                f"similar needs at least one other company; {library.location.path} "
                f"holds only {target.slug}"
            )
        from canvascli.analyse.similarity import rank_similar

        ranked = rank_similar(target, library.canvases(), chosen)[:limit]
        if as_json:
            from canvascli.analyse.stats import library_blocks

            compared = chosen or library_blocks(library.summaries)
            _print_json(
                {
                    "company": target.slug,
                    "blocks": [block.key for block in compared],
                    "similar": [found.to_dict() for found in ranked],
                }
            )
            return
        from canvascli.render.library_views import similar_view
        from canvascli.render.terminal import emit

        emit(similar_view(target, ranked, chosen), use_pager=not no_pager)


STATS_TOP = 5


@app.command()
def stats(
    top: Annotated[
        int,
        typer.Option("--top", min=1, help="How many frequent terms to show per block."),
    ] = STATS_TOP,
    posts: PostsOption = None,
    unpublished: UnpublishedOption = False,
    as_json: JsonOption = False,
    no_cache: NoCacheOption = False,
    no_pager: NoPagerOption = False,
    svg: SvgOption = None,
    html: HtmlOption = None,
    width: WidthOption = None,
) -> None:
    """Give an overview of a library: companies, block coverage, most frequent terms.

    Example: [bold]canvas stats --top 10[/bold]

    Coverage is a company-by-block matrix for up to 20 companies, counts per block (with
    a few of the companies lacking each) beyond. Terms are counted as in compare's
    common ground.
    """
    with _reporting():
        _check_pictures(svg, html, json=as_json)
        library = _open_library(posts, unpublished, no_cache)
        from canvascli.analyse.stats import library_stats
        from canvascli.analyse.terms import library_terms

        overview = library_stats(
            library.summaries, library_terms(library, use_cache=not no_cache), top
        )
        if as_json:
            _print_json({"library": str(library.location.path), **overview.to_dict()})
            return
        from canvascli.render.library_views import stats_view

        _draw(
            lambda _width: stats_view(overview, library.summaries, str(library.location)),
            title="canvas stats" + (f" --top {top}" if top != STATS_TOP else ""),
            svg=svg,
            html=html,
            width=width,
            no_pager=no_pager,
        )


@app.command()
def sections(as_json: JsonOption = False) -> None:
    """List the nine canvas blocks with their keys and the names each accepts.

    Example: [bold]canvas sections[/bold]
    """
    from canvascli.model import Block

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
    from canvascli.render.library_views import sections_table
    from canvascli.render.terminal import stdout_console

    stdout_console().print(sections_table())


@app.command()
def search(
    query: Annotated[
        str,
        typer.Argument(
            metavar="QUERY",
            help='Words (all must match), "quoted phrases" and prefix* words.',
            show_default=False,
        ),
    ],
    section: Annotated[
        list[str] | None,
        _sections_option(
            "Only in this block (repeatable). Default: every block and extra section."
        ),
    ] = None,
    company: Annotated[
        list[str] | None,
        typer.Option(
            "--company",
            "-c",
            metavar="COMPANY",
            help="Only in this company's canvas (repeatable): slug, name or unique prefix.",
            autocompletion=_complete_company,
            show_default=False,
        ),
    ] = None,
    limit: Annotated[
        int,
        typer.Option(
            "--limit",
            "-n",
            min=1,
            help="Show at most this many hits in all, the best ones.",
            show_default=True,
        ),
    ] = 20,
    posts: PostsOption = None,
    unpublished: UnpublishedOption = False,
    as_json: JsonOption = False,
    no_cache: NoCacheOption = False,
    no_pager: NoPagerOption = False,
) -> None:
    """Search the text of every canvas, best hits first, grouped by company.

    Example: [bold]canvas search "financial services" --section segments[/bold]

    Words must all match, in any English form: [bold]segment[/bold] finds "segments".
    A "quoted phrase" must match as written; [bold]retail*[/bold] finds words starting "retail".
    Any other character is read as text, never as an operator.
    No hits: a message on stderr and exit status 1.
    """
    from canvascli.analyse.search import check_query, parse_query, search_library

    with _reporting():
        parsed = parse_query(query)
        check_query(parsed)
        chosen = _blocks(section or [])
        library = _open_library(posts, unpublished, no_cache)
        slugs: list[str] = []
        for name in company or []:
            slug = library.find(name).slug
            if slug not in slugs:
                slugs.append(slug)
        results = search_library(
            library, parsed, blocks=chosen, slugs=slugs, limit=limit, use_cache=not no_cache
        )
        for notice in results.notices:
            _warn(notice)
        if as_json:
            _print_json(results.to_json())
        elif results.companies:
            from canvascli.render.library_views import search_view
            from canvascli.render.terminal import emit

            emit(search_view(results), use_pager=not no_pager)
        if not results.companies:
            from canvascli.render.terminal import error

            where = "".join(
                [
                    f" in {', '.join(block.title for block in chosen)}" if chosen else "",
                    f" at {', '.join(slugs)}" if slugs else "",
                ]
            )
            error(f"no hits for '{query}'{where}")
            raise typer.Exit(int(ExitCode.NOT_FOUND))


@app.command()
def check(
    paths: Annotated[
        list[Path] | None,
        typer.Argument(
            metavar="PATH",
            help="Posts or folders to check. Default: the library (see --posts).",
            show_default=False,
        ),
    ] = None,
    posts: PostsOption = None,
    strict: Annotated[
        bool, typer.Option("--strict", help="Fail (exit 1) on warnings too, not only errors.")
    ] = False,
    ignore: Annotated[
        list[str] | None,
        typer.Option(
            "--ignore",
            metavar="CODE",
            help="Do not report this code (repeatable, or comma-separated), e.g. CV302.",
            show_default=False,
        ),
    ] = None,
    as_json: Annotated[
        bool, typer.Option("--json", help="Print the findings as JSON (schema in the README).")
    ] = False,
) -> None:
    """Check posts for problems, one line per finding: [bold]path:line:col: CODE message[/bold].

    Example: [bold]canvas check _posts --strict[/bold]

    Every post is read afresh, published or not. A summary line goes to stderr.

    Exit status 1 when there are errors (with --strict, warnings too), else 0.

    The codes, their severities and the JSON report are described in the README.
    """
    from canvascli.analyse.check import check_targets, display_path, folder_targets, path_targets
    from canvascli.render.terminal import progress_bar
    from canvascli.store.files import locate_library

    with _reporting():
        ignored = _codes(ignore or [])
        if paths and posts is not None:
            raise UsageError("give PATHs or --posts, not both")
        if paths:
            targets, unreadable = path_targets(paths)
        else:
            location = locate_library(posts)
            targets = folder_targets(location.path, display_path(location.path))
            unreadable = []
        if not targets and not unreadable:
            _warn("no posts to check")
        with progress_bar("Checking posts") as progress:
            report = check_targets(targets, ignore=ignored, progress=progress, earlier=unreadable)
        if as_json:
            _print_json(report.to_dict())
        else:
            from canvascli.render.safe_text import clean_line

            sys.stdout.writelines(
                clean_line(finding.format()) + "\n" for finding in report.findings
            )
            sys.stdout.flush()
        sys.stderr.write(report.summary() + "\n")
        if report.failed(strict=strict):
            raise typer.Exit(int(ExitCode.PROBLEMS))


def _codes(values: Sequence[str]) -> set[str]:
    """Finding codes from repeatable, comma-separated option values; unknown ones refused."""
    from canvascli.model import CODES

    codes = {code.strip().upper() for value in values for code in value.split(",") if code.strip()}
    unknown = sorted(codes - CODES.keys())
    if unknown:
        raise UsageError(f"unknown code '{unknown[0]}' (the codes are listed in the README)")
    return codes


@app.command()
def export(
    companies: Annotated[
        list[str] | None,
        typer.Argument(
            metavar="COMPANY",
            help="Companies to export: slug, name or unique prefix. Default: every company.",
            autocompletion=_complete_company,
            show_default=False,
        ),
    ] = None,
    output_format: Annotated[
        str | None,
        typer.Option(
            "--format",
            "-f",
            metavar="FORMAT",
            help="json, csv or markdown. Default: from the -o file's extension, else json.",
            show_default=False,
        ),
    ] = None,
    output: Annotated[
        str | None,
        typer.Option(
            "--output",
            "-o",
            metavar="FILE",
            help="Write to FILE (atomically) instead of stdout; '-' is stdout. Markdown of "
            "several companies needs a folder: one file per company.",
            show_default=False,
        ),
    ] = None,
    force: Annotated[bool, typer.Option("--force", help="Overwrite existing files.")] = False,
    posts: PostsOption = None,
    unpublished: UnpublishedOption = False,
    no_cache: NoCacheOption = False,
) -> None:
    """Export canvases as JSON, CSV (one row per company, block and entry) or Markdown.

    Example: [bold]canvas export --format csv -o canvases.csv[/bold]

    JSON is an array of canvases in the schema of the README.

    CSV has the columns company, slug, block, kind, position, text.

    Markdown is a post in the bundled samples' format; several go into a folder given by -o.
    """
    from canvascli.render.export import FORMATS, check_writable, format_for

    with _reporting():
        chosen = output_format.lower() if output_format else format_for(output) or "json"
        chosen = "markdown" if chosen == "md" else chosen
        if chosen not in FORMATS:
            raise UsageError(f"--format must be one of {', '.join(FORMATS)}, not '{chosen}'")
        destination = None if output in {None, "-"} else Path(str(output))
        if destination is not None and chosen != "markdown":
            check_writable(destination, force=force)  # before the work, not after it
        library = _open_library(posts, unpublished, no_cache)
        canvases = library.get_all(companies) if companies else list(library.canvases())
        slugs = [canvas.slug for canvas in canvases]
        repeated = sorted({slug for slug in slugs if slugs.count(slug) > 1})
        if repeated:
            raise UsageError(f"company '{repeated[0]}' is given more than once")
        if not canvases:
            _warn(f"no companies to export in {library.location}")
        if chosen == "markdown":
            _export_markdown(canvases, destination, force=force)
            return
        from canvascli.render.export import to_csv, to_json

        if chosen == "csv" and _is_terminal(destination):
            # A terminal is not a file: no byte-order mark.
            text = to_csv(canvases, bom=False, line_end="\n")
        elif chosen == "csv" and destination is None:
            # Standard output shows control characters as symbols, so no CR line ends.
            text = to_csv(canvases, line_end="\n")
        elif chosen == "csv":
            text = to_csv(canvases)
        else:
            text = to_json(canvases)
        _deliver(text, destination, force=force)


def _is_terminal(destination: Path | None) -> bool:
    return destination is None and sys.stdout.isatty()


def _deliver(text: str, destination: Path | None, *, force: bool) -> None:
    """Exact UTF-8 bytes to a file; on standard output, control characters made visible.

    Whatever reads a pipe may be a terminal in the end, so a post's escape sequences never
    reach standard output raw; `-o FILE` keeps them byte for byte.
    """
    if destination is not None:
        from canvascli.render.export import write_atomically

        write_atomically(destination, text.encode("utf-8"), force=force)
        return
    from canvascli.render.safe_text import clean

    sys.stdout.flush()
    sys.stdout.buffer.write(clean(text).encode("utf-8", "surrogateescape"))
    sys.stdout.flush()


def _export_markdown(
    canvases: Sequence["Canvas"], destination: Path | None, *, force: bool
) -> None:
    """One canvas to stdout or a file; several, or any number into a folder, one file each."""
    from canvascli.render.export import check_writable, markdown_file_name, to_markdown

    into_folder = destination is not None and (destination.is_dir() or len(canvases) > 1)
    if not into_folder:
        if len(canvases) > 1:
            raise UsageError(
                f"markdown export of {len(canvases)} companies needs -o FOLDER "
                "(one file per company)"
            )
        if canvases:
            _deliver(to_markdown(canvases[0]), destination, force=force)
        return
    assert destination is not None
    if not destination.is_dir():
        try:
            destination.mkdir()
        except OSError as failure:
            raise OutputError(
                str(destination), f"cannot create folder: {failure.strerror}"
            ) from None
    files = [destination / markdown_file_name(canvas) for canvas in canvases]
    for path in files:
        check_writable(path, force=force)
    for canvas, path in zip(canvases, files, strict=True):
        _deliver(to_markdown(canvas), path, force=force)


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
    from canvascli.store.files import locate_library
    from canvascli.store.index import CacheUnavailableError, Index, all_indexes, cache_dir

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
        from canvascli.render.safe_text import clean_line

        for name, value in data.items():
            typer.echo(f"{name.replace('_', ' '):<11} {clean_line(str(value))}")


@cache_app.command("clear")
def cache_clear() -> None:
    """Delete every index in the cache folder; the next run rebuilds what it needs.

    Example: [bold]canvas cache clear[/bold]
    """
    from canvascli.store.index import cache_dir, clear

    with _reporting():
        try:
            removed = clear()
        except OSError as failure:
            raise CanvasError(f"cannot clear {cache_dir()}: {failure.strerror}") from None
        typer.echo(f"removed {removed} index{'es' if removed != 1 else ''} from {cache_dir()}")


def _fail_internal(error: BaseException) -> NoReturn:
    if os.environ.get(DEBUG_ENV):
        raise error
    from canvascli.render.safe_text import clean_line

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
