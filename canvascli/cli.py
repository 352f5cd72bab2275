"""The `canvas` command line: its options, arguments and help, and `main`, which runs it."""

# No `from __future__ import annotations` here: Typer reads the annotations of the command
# it runs on every run, and annotations kept as strings would be compiled each time.
import errno
import inspect
import os
from collections.abc import Mapping, Sequence
from contextlib import redirect_stderr, redirect_stdout
from functools import partial
from pathlib import Path
from typing import Annotated, Any

import typer
from typer._click.core import Context
from typer._click.exceptions import ClickException, NoSuchOption
from typer.core import TyperArgument, TyperCommand, TyperGroup

from canvascli import __version__
from canvascli.commands import (
    CANVAS_KINDS,
    MAX_COMPARED,
    MIN_COMPARED,
    SEARCH_LIMIT,
    SIMILAR_LIMIT,
    SORT_ORDERS,
    STATS_TOP,
    Command,
    execute,
)
from canvascli.commands.quick import quick_command
from canvascli.env import Env
from canvascli.errors import ExitCode, UsageError


class _CommandLine(typer.Typer):
    """A Typer app that builds only the command it is asked for, and returns it unrun.

    Typer turns every command's signature into Click parameters before parsing anything;
    when the first argument names a command exactly, the others are never needed.
    """

    def parse(
        self,
        argv: Sequence[str],
        program_name: str | None,
        *,
        plain: bool = False,
        environ: Mapping[str, str] | None = None,
    ) -> Command | int:
        """The command `argv` asks for, bound to its arguments; or, when parsing ends the
        run (help, version, a usage error, shown as Typer shows them), its exit code.

        `plain` ($NO_COLOR) draws help and usage errors without colour, bold or dim.
        `environ` holds the variables through which a shell asks for completions."""
        completing = _completion_words(environ or {}, program_name)
        if completing is not None:
            named = self._with_only(completing[0]) if completing else None
        else:
            named = self._with_only(argv[0]) if argv else None
        _style_typer(plain=plain, drawing=completing is None and self._asks_for_help(argv))
        try:
            parsed = typer.Typer.__call__(
                named or self, args=list(argv), prog_name=program_name, standalone_mode=False
            )
        except ClickException as failure:
            from typer.rich_utils import rich_format_error

            _style_typer(plain=plain, drawing=True)
            rich_format_error(_shortened(_placed(failure, argv), argv))
            return failure.exit_code
        except typer.Abort:
            from typer.rich_utils import rich_abort_error

            _style_typer(plain=plain, drawing=True)
            rich_abort_error()
            return ExitCode.ABORTED
        return parsed if callable(parsed) else int(parsed or 0)

    def _asks_for_help(self, argv: Sequence[str]) -> bool:
        """Whether Typer will draw help: asked for, or no command (or a group alone) given."""
        groups = {info.name for info in self.registered_groups}
        return (
            not argv or "--help" in argv or "-h" in argv or (len(argv) == 1 and argv[0] in groups)
        )

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


def _placed(failure: ClickException, argv: Sequence[str]) -> ClickException:
    """`failure`, or, for an option of the command given before it (`canvas --posts DIR
    list`), an error that says where the option goes rather than that there is none; for
    an argument that starts with '-' (`canvas search -retail`), one that says how to give it.
    """
    if not isinstance(failure, NoSuchOption) or failure.ctx is None:
        return failure
    group, option = failure.ctx.command, failure.option_name
    if not isinstance(group, TyperGroup):
        return _dashed_argument(failure, argv)
    words = [failure.ctx.command_path]
    for word in argv:
        command = group.get_command(failure.ctx, word) if isinstance(group, TyperGroup) else None
        if command is None:
            continue
        words.append(word)
        if isinstance(command, TyperGroup):
            group = command
            continue
        if any(option in (*param.opts, *param.secondary_opts) for param in command.params):
            where = f"{' '.join(words)} {option} …"
            return NoSuchOption(
                option, f"{option} goes after the command: {where}", ctx=failure.ctx
            )
        break
    return failure


def _shortened(failure: ClickException, argv: Sequence[str]) -> ClickException:
    """`failure` with each argument it quotes shortened as every message of `canvas`
    shortens what it echoes, so that a very long one leaves the error readable."""
    from canvascli.errors import ECHO_LIMIT, short_words, shown

    # Half as long: Typer draws the message in a box of the terminal's width.
    most = ECHO_LIMIT // 2
    message = failure.message
    for word in sorted({word for word in argv if len(word) > most}, key=len, reverse=True):
        message = message.replace(word, shown(word, most))
    failure.message = short_words(message)
    return failure


def _dashed_argument(failure: NoSuchOption, argv: Sequence[str]) -> ClickException:
    """For a command that takes arguments, a word that starts with one '-' and reads as no
    short option (`-retail`, not `-x`), with the `--` that lets it through as an argument;
    else `failure`, which names the options it may have meant."""
    assert failure.ctx is not None
    takes_arguments = any(isinstance(param, TyperArgument) for param in failure.ctx.command.params)
    typed = [
        word
        for word in argv
        if word.startswith(failure.option_name) and not word.startswith("--") and len(word) > 2
    ]
    if not takes_arguments or not typed or failure.possibilities:
        return failure
    return NoSuchOption(
        failure.option_name,
        f"No such option: {typed[0]}; an argument that starts with '-' goes after '--': "
        f"{failure.ctx.command_path} -- {typed[0]}",
        ctx=failure.ctx,
    )


def _completion_words(environ: Mapping[str, str], program_name: str | None) -> list[str] | None:
    """When a shell asks for completions, the words before the one being completed, after
    the program's name, up to the first that may name a command; else None.

    The variables are those Typer's completion scripts set (`COMP_WORDS` from bash,
    `_TYPER_COMPLETE_ARGS` from the others). A command word still being typed is left
    out, since completing it needs every command."""
    from typer._click.utils import _detect_program_name

    variable = f"_{program_name or _detect_program_name()}_COMPLETE"
    if variable.replace("-", "_").upper() not in environ:
        return None
    from typer._click.shell_completion import split_arg_string

    line = environ.get("COMP_WORDS", environ.get("_TYPER_COMPLETE_ARGS", ""))
    words = split_arg_string(line)[1:]
    typed = len(words) if line[-1:].isspace() else len(words) - 1
    if environ.get("COMP_CWORD", "").isdecimal():
        typed = min(typed, int(environ["COMP_CWORD"]) - 1)
    return [word for word in words[:typed] if not word.startswith("-")][:1]


app = _CommandLine(
    name="canvas",
    help="Browse and compare Business Model Canvas write-ups (Markdown posts with front matter).",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    rich_markup_mode="rich",
    context_settings={"help_option_names": ["-h", "--help"]},
)


def _complete_company(ctx: typer.Context, incomplete: str) -> list[str]:
    from canvascli.commands.opening import LibraryOptions, company_completions

    # While completing, options are not converted: --posts is still the string typed.
    posts = ctx.params.get("posts")
    chosen = LibraryOptions(
        Path(posts) if posts else None,
        bool(ctx.params.get("unpublished")),
        bool(ctx.params.get("no_cache")),
    )
    return company_completions(Env.from_process(), chosen, incomplete)


def _complete_block(incomplete: str) -> list[str]:
    from canvascli.commands.opening import block_completions

    return block_completions(incomplete)


def _complete_kind(incomplete: str) -> list[str]:
    return [kind for kind in CANVAS_KINDS if kind.startswith(incomplete)]


def _block_option(help_text: str, *names: str) -> Any:
    """An option naming a block, repeatable, with completion."""
    return typer.Option(
        *names,
        metavar="BLOCK",
        help=help_text,
        autocompletion=_complete_block,
        show_default=False,
    )


def _given_path(value: str) -> Path:
    """A post or folder given on the command line; an empty one (an unset variable in a
    script) is refused rather than taken for the current folder and every post in it, and
    `-`, standard input to many tools, rather than looked for as a file and not found."""
    if not value:
        raise typer.BadParameter("an empty path names no post or folder")
    if value == "-":
        raise UsageError(
            "PATH '-': posts are read from files, not standard input; "
            "save the post and name its file (./- for a file named '-')"
        )
    return Path(value)


def _paths_argument(verb: str) -> Any:
    """`PATH...`, the posts and folders a command that works on files is given."""
    return typer.Argument(
        metavar="PATH",
        parser=_given_path,
        help=f"Posts or folders to {verb}. Default: the library (see --posts).",
        show_default=False,
    )


def _sections_option(help_text: str) -> Any:
    """`--section/-s BLOCK`; each command says what it limits."""
    return _block_option(help_text, "--section", "-s")


def _library_folder(value: str) -> Path:
    """A library folder given on the command line; an empty one (an unset variable in a
    script) is refused rather than taken for the current folder."""
    if not value:
        raise typer.BadParameter("an empty path names no folder")
    return Path(value)


def _file_to_write(value: str) -> str:
    """A file to write given on the command line; an empty name (an unset variable in a
    script) is refused rather than taken for the current folder, where files would land."""
    if not value:
        raise typer.BadParameter("an empty path names no file")
    return value


def _picture_file(value: str) -> Path:
    if value.endswith(("/", os.sep)):
        raise typer.BadParameter(f"'{value}' ends in '/', so it names a folder; give a file name")
    return Path(_file_to_write(value))


PostsOption = Annotated[
    Path | None,
    typer.Option(
        "--posts",
        metavar="DIR",
        parser=_library_folder,
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
    bool, typer.Option("--json", help="Print JSON (schema in docs/json.md) instead of text.")
]
SvgOption = Annotated[
    Path | None,
    typer.Option(
        "--svg",
        metavar="FILE",
        parser=_picture_file,
        help="Save the view as an SVG picture (at --width columns) instead of printing it.",
        show_default=False,
    ),
]
HtmlOption = Annotated[
    Path | None,
    typer.Option(
        "--html",
        metavar="FILE",
        parser=_picture_file,
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
ForceOption = Annotated[
    bool,
    typer.Option(
        "--force", help="Replace a file that exists (a regular file only) instead of refusing."
    ),
]
# How every command's help says a company is named, now and as it was.
COMPANY_NAMES = "slug, name (any case), or a prefix or word only it has"
AT_REVISION = "COMPANY@REV for it as it was at a git revision or on a day (YYYY-MM-DD)"
CompanyArgument = Annotated[
    str,
    typer.Argument(
        metavar="COMPANY",
        help=f"{COMPANY_NAMES.capitalize()}; {AT_REVISION}.",
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
    # `main` reads --debug from the arguments before they are parsed, so that a fault while
    # parsing is covered too; it is declared here for the help and to be accepted.


@app.command("list")
def list_companies(
    posts: PostsOption = None,
    unpublished: UnpublishedOption = False,
    sort: Annotated[
        str | None,
        typer.Option(
            "--sort",
            metavar="ORDER",
            help=f"Order by one of: {', '.join(SORT_ORDERS)}."
            " Default: the library config's sort, else name.",
            show_default=False,
        ),
    ] = None,
    reverse: Annotated[bool, typer.Option("--reverse", "-r", help="Reverse the order.")] = False,
    limit: Annotated[
        int | None,
        typer.Option(
            "--limit",
            "-n",
            min=1,
            metavar="N",
            help="Show at most this many companies.",
            show_default=False,
        ),
    ] = None,
    kind: Annotated[
        str | None,
        typer.Option(
            "--kind",
            metavar="KIND",
            help=f"Only canvases of this kind: {', '.join(CANVAS_KINDS)}.",
            autocompletion=_complete_kind,
            show_default=False,
        ),
    ] = None,
    has: Annotated[
        list[str] | None,
        _block_option(
            "Only companies with this block written (repeatable: with all of them).", "--has"
        ),
    ] = None,
    missing: Annotated[
        list[str] | None,
        _block_option(
            "Only companies without this block or with its heading empty"
            " (repeatable: without any of them).",
            "--missing",
        ),
    ] = None,
    as_json: JsonOption = False,
    no_cache: NoCacheOption = False,
    no_pager: NoPagerOption = False,
    svg: SvgOption = None,
    html: HtmlOption = None,
    width: WidthOption = None,
    force: ForceOption = False,
) -> Command:
    """List the companies in a library, with the blocks each canvas covers.

    Example: [bold]canvas list --sort words --reverse --limit 10[/bold];
    [bold]canvas list --missing channels --sort date[/bold]. By date is by the front matter
    `date`, else the date a Jekyll file name starts with; undated posts come last.

    Piped, it prints tab-separated lines: company, slug, blocks written out of those its
    kind of canvas has (a whole Lean Canvas is 9/9; an empty heading is not written), words.
    With --svg or --html it saves the table instead: [bold]canvas list --svg list.svg[/bold]
    """
    from canvascli.commands.list import Filters
    from canvascli.commands.list import list_companies as command
    from canvascli.commands.opening import LibraryOptions
    from canvascli.commands.output import ViewOptions

    return partial(
        command,
        library=LibraryOptions(posts, unpublished, no_cache),
        sort=sort,
        reverse=reverse,
        limit=limit,
        as_json=as_json,
        view=ViewOptions(no_pager, svg, html, width, force),
        filters=Filters(kind, has or (), missing or ()),
    )


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
    sections: Annotated[
        list[str] | None,
        _sections_option("Only this block (repeatable), as a BLOCK argument names it."),
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
    force: ForceOption = False,
) -> Command:
    """Show one company's canvas, or some of its blocks.

    Example: [bold]canvas show memsql key-partners[/bold]

    The canvas as nine boxes: [bold]canvas show memsql --grid[/bold] (stacked below 100
    columns). Saved as a picture: [bold]canvas show memsql --grid --svg memsql.svg[/bold]

    A Lean Canvas is shown in its own order: problem, solution, unique value
    proposition, unfair advantage, segments, key metrics, channels, costs, revenue.
    """
    from canvascli.commands.opening import LibraryOptions
    from canvascli.commands.output import ViewOptions
    from canvascli.commands.show import show as command

    return partial(
        command,
        company=company,
        # `-s` as in compare, similar and search: the same blocks as arguments.
        blocks=[*(blocks or []), *(sections or [])],
        library=LibraryOptions(posts, unpublished, no_cache),
        as_json=as_json,
        markdown=markdown,
        grid=grid,
        full=full,
        view=ViewOptions(no_pager, svg, html, width, force),
    )


@app.command()
def compare(
    companies: Annotated[
        list[str],
        typer.Argument(
            metavar="COMPANY",
            help=f"{MIN_COMPARED} to {MAX_COMPARED} companies: {COMPANY_NAMES}; {AT_REVISION}.",
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
    force: ForceOption = False,
) -> Command:
    """Compare 2 to 6 companies side by side, a row per block and a column per company.

    Example: [bold]canvas compare memsql violin-memory -s partners -s segments[/bold]

    Terms two or more companies share in a block (after normalising case, punctuation,
    plurals and names inside longer names) are marked with ◆ and listed at the end as
    their common ground. On a terminal narrower than 80 columns the companies are stacked
    under each block; when they do not fit side by side, they are split into bands.
    A Lean Canvas beside a Business Model Canvas lines up the blocks both kinds have
    first (Value Propositions beside Unique Value Proposition), then the others.
    """
    from canvascli.commands.compare import compare as command
    from canvascli.commands.opening import LibraryOptions
    from canvascli.commands.output import ViewOptions

    return partial(
        command,
        companies=companies,
        sections=section or [],
        diff=diff,
        library=LibraryOptions(posts, unpublished, no_cache),
        as_json=as_json,
        view=ViewOptions(no_pager, svg, html, width, force),
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
        typer.Option("--limit", "-n", min=1, metavar="N", help="Show at most this many companies."),
    ] = SIMILAR_LIMIT,
    posts: PostsOption = None,
    unpublished: UnpublishedOption = False,
    as_json: JsonOption = False,
    no_cache: NoCacheOption = False,
    no_pager: NoPagerOption = False,
    svg: SvgOption = None,
    html: HtmlOption = None,
    width: WidthOption = None,
    force: ForceOption = False,
) -> Command:
    """Rank the other companies by how alike their canvases read to COMPANY's.

    Example: [bold]canvas similar memsql --section partners --limit 5[/bold]

    The score is the TF-IDF cosine of the two canvases' words, block by block (0: nothing
    in common, 1: the same words); each company is shown with the blocks that add most.
    Lean Canvas blocks count too; a Lean and a Business Model Canvas meet in the blocks
    both kinds have.
    """
    from canvascli.commands.opening import LibraryOptions
    from canvascli.commands.output import ViewOptions
    from canvascli.commands.similar import similar as command

    return partial(
        command,
        company=company,
        sections=section or [],
        limit=limit,
        library=LibraryOptions(posts, unpublished, no_cache),
        as_json=as_json,
        view=ViewOptions(no_pager, svg, html, width, force),
    )


@app.command()
def stats(
    top: Annotated[
        int,
        typer.Option(
            "--top", min=1, metavar="N", help="How many frequent terms to show per block."
        ),
    ] = STATS_TOP,
    posts: PostsOption = None,
    unpublished: UnpublishedOption = False,
    as_json: JsonOption = False,
    no_cache: NoCacheOption = False,
    no_pager: NoPagerOption = False,
    svg: SvgOption = None,
    html: HtmlOption = None,
    width: WidthOption = None,
    force: ForceOption = False,
) -> Command:
    """Give an overview of a library: companies, block coverage, most frequent terms.

    Example: [bold]canvas stats --top 10[/bold]

    Coverage is a company-by-block matrix for up to 20 companies, counts per block (with
    a few of the companies lacking each) beyond. Terms are counted as in compare's
    common ground.
    """
    from canvascli.commands.opening import LibraryOptions
    from canvascli.commands.output import ViewOptions
    from canvascli.commands.stats import stats as command

    return partial(
        command,
        top=top,
        library=LibraryOptions(posts, unpublished, no_cache),
        as_json=as_json,
        view=ViewOptions(no_pager, svg, html, width, force),
    )


@app.command()
def sections(as_json: JsonOption = False) -> Command:
    """List the nine canvas blocks with their keys and the names each accepts.

    Example: [bold]canvas sections[/bold]
    """
    from canvascli.commands.sections import sections as command

    return partial(command, as_json=as_json)


@app.command()
def browse(
    company: Annotated[
        str | None,
        typer.Argument(
            metavar="COMPANY",
            help=f"Open at this company: {COMPANY_NAMES}; {AT_REVISION}.",
            autocompletion=_complete_company,
            show_default=False,
        ),
    ] = None,
    block: Annotated[
        str | None,
        typer.Argument(
            metavar="BLOCK",
            help="With COMPANY: open at this block (key, title, alias or prefix).",
            autocompletion=_complete_block,
            show_default=False,
        ),
    ] = None,
    posts: PostsOption = None,
    unpublished: UnpublishedOption = False,
    no_cache: NoCacheOption = False,
) -> Command:
    """Browse the library in the terminal: filter, read, search and compare canvases.

    Example: [bold]canvas browse[/bold]; [bold]canvas browse memsql channels[/bold]
    opens there. Type to filter, enter opens, arrows or h j k l move between boxes,
    / searches, space marks and c compares, ? lists every key, q quits (ctrl+q while
    typing in the filter, where q is a letter).
    """
    from canvascli.commands.browse import browse as command
    from canvascli.commands.opening import LibraryOptions

    return partial(
        command,
        company=company,
        block=block,
        library=LibraryOptions(posts, unpublished, no_cache),
    )


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
            help=f"Only in this company's canvas (repeatable): {COMPANY_NAMES}.",
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
            metavar="N",
            help="Show at most this many hits in all, the best ones.",
            show_default=True,
        ),
    ] = SEARCH_LIMIT,
    posts: PostsOption = None,
    unpublished: UnpublishedOption = False,
    as_json: JsonOption = False,
    no_cache: NoCacheOption = False,
    no_pager: NoPagerOption = False,
    svg: SvgOption = None,
    html: HtmlOption = None,
    width: WidthOption = None,
    force: ForceOption = False,
) -> Command:
    """Search the text of every canvas, best hits first, grouped by company.

    Example: [bold]canvas search "financial services" --section segments[/bold]

    Words must all match, in any English form: [bold]segment[/bold] finds "segments".
    A "quoted phrase" must match as written; [bold]retail*[/bold] finds words starting "retail".
    Any other character is read as text, never as an operator.
    No hits: a message on stderr and exit status 1.
    """
    from canvascli.commands.opening import LibraryOptions
    from canvascli.commands.output import ViewOptions
    from canvascli.commands.search import search as command

    return partial(
        command,
        query=query,
        sections=section or [],
        companies=company or [],
        limit=limit,
        library=LibraryOptions(posts, unpublished, no_cache),
        as_json=as_json,
        view=ViewOptions(no_pager, svg, html, width, force),
    )


@app.command()
def check(
    paths: Annotated[list[Path] | None, _paths_argument("check")] = None,
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
        bool, typer.Option("--json", help="Print the findings as JSON (schema in docs/check.md).")
    ] = False,
    list_codes: Annotated[
        bool,
        typer.Option("--list-codes", help="List every finding code with its severity and meaning."),
    ] = False,
    explain: Annotated[
        str | None,
        typer.Option(
            "--explain",
            metavar="CODE",
            help="Explain one code at length, with an example, e.g. --explain CV203.",
            show_default=False,
        ),
    ] = None,
    everything: Annotated[
        bool,
        typer.Option(
            "--all", help="Also report notes that are off by default (CV208: notes, appendix…)."
        ),
    ] = False,
    no_cache: NoCacheOption = False,
) -> Command:
    """Check posts for problems, one line per finding: [bold]path:line:col: CODE message[/bold].

    Example: [bold]canvas check _posts --strict[/bold]

    Every post is checked, published or not. A summary line goes to stderr.

    The library is checked through its index: only new and changed posts are read.

    Exit status 1 when there are errors (with --strict, warnings too), else 0.

    The codes and their severities: [bold]canvas check --list-codes[/bold]; one at
    length: [bold]canvas check --explain CV203[/bold].
    """
    if list_codes:
        from canvascli.commands.check import list_codes as listing

        return listing
    if explain is not None:
        from canvascli.commands.check import explain_code

        return partial(explain_code, code=explain)
    from canvascli.commands.check import check as command

    return partial(
        command,
        paths=paths or [],
        posts=posts,
        strict=strict,
        ignore=ignore or [],
        as_json=as_json,
        everything=everything,
        use_cache=not no_cache,
    )


@app.command()
def export(
    companies: Annotated[
        list[str] | None,
        typer.Argument(
            metavar="COMPANY",
            help=f"Companies to export: {COMPANY_NAMES}; {AT_REVISION}. Default: every company.",
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
            parser=_file_to_write,
            help="Write to FILE (atomically) instead of stdout; '-' is stdout. Markdown of "
            "several companies needs a folder: one file per company.",
            show_default=False,
        ),
    ] = None,
    force: ForceOption = False,
    bom: Annotated[
        bool,
        typer.Option(
            "--bom", help="Start CSV with a byte-order mark, for spreadsheets such as Excel."
        ),
    ] = False,
    posts: PostsOption = None,
    unpublished: UnpublishedOption = False,
    no_cache: NoCacheOption = False,
) -> Command:
    """Export canvases as JSON, CSV (one row per company, block and entry) or Markdown.

    Example: [bold]canvas export --format csv -o canvases.csv[/bold]

    JSON is an array of canvases in the schema of docs/json.md.

    CSV has the columns company, slug, block, kind, position, text.

    Markdown is a post in the bundled samples' format; several go into a folder given by -o.
    """
    from canvascli.commands.export import export as command
    from canvascli.commands.opening import LibraryOptions

    return partial(
        command,
        companies=companies or [],
        output_format=output_format,
        output=output,
        force=force,
        library=LibraryOptions(posts, unpublished, no_cache),
        bom=bom,
    )


@app.command()
def site(
    output: Annotated[
        str,
        typer.Option(
            "--output",
            "-o",
            metavar="DIR",
            help="The folder to write the site into: new, empty, or a site built before "
            "(then only what changed is rewritten).",
        ),
    ],
    posts: PostsOption = None,
    unpublished: UnpublishedOption = False,
    no_cache: NoCacheOption = False,
) -> Command:
    """Write the library as a static web site: a page per canvas, compare and search.

    Example: [bold]canvas site -o site[/bold], then open site/index.html in a browser.

    The site makes no request outside its folder, and works opened from disk.
    """
    from canvascli.commands.opening import LibraryOptions
    from canvascli.commands.site import site as command

    return partial(command, output=output, library=LibraryOptions(posts, unpublished, no_cache))


@app.command("log")
def log_history(
    company: CompanyArgument,
    count: Annotated[
        int | None,
        typer.Option(
            "--limit",
            "-n",
            metavar="N",
            min=1,
            help="Only the N newest commits. Default: every one.",
            show_default=False,
        ),
    ] = None,
    posts: PostsOption = None,
    unpublished: UnpublishedOption = False,
    as_json: JsonOption = False,
    no_cache: NoCacheOption = False,
    no_pager: NoPagerOption = False,
) -> Command:
    """List the git commits that changed a company's post, and the blocks each changed.

    Newest first, each with the blocks it added, removed or edited; renames of the post are
    followed.

    Example: [bold]canvas log memsql -n 5[/bold]; [bold]canvas log memsql@v1[/bold] lists
    the commits up to v1.

    See a past version with [bold]canvas show memsql@HEAD~3[/bold], or what changed since a
    day with [bold]canvas compare memsql@2024-01-01 memsql --diff[/bold] (docs/history.md).
    """
    from canvascli.commands.log import log as command
    from canvascli.commands.opening import LibraryOptions
    from canvascli.commands.output import ViewOptions

    return partial(
        command,
        company=company,
        count=count,
        library=LibraryOptions(posts, unpublished, no_cache),
        as_json=as_json,
        view=ViewOptions(no_pager),
    )


@app.command()
def new(
    company: Annotated[
        str,
        typer.Argument(
            metavar="COMPANY", help="The company's name, as its title.", show_default=False
        ),
    ],
    lean: Annotated[
        bool, typer.Option("--lean", help="Write a Lean Canvas instead of a Business Model Canvas.")
    ] = False,
    edit: Annotated[
        bool, typer.Option("--edit", help="Open the new post in $VISUAL, else $EDITOR.")
    ] = False,
    posts: PostsOption = None,
) -> Command:
    """Write a new, empty canvas post for COMPANY into the library, and print its path.

    Example: [bold]canvas new "Acme Rockets" --edit[/bold]

    The post has front matter (layout, title, today's date), a title line and the nine
    block headings in canonical order, each with a one-line prompt in an HTML comment.
    In a Jekyll [bold]_posts[/bold] folder it is named YYYY-MM-DD-slug.md, elsewhere slug.md.
    An existing file or a slug already in the library is never overwritten.
    """
    from canvascli.commands.new import new as command

    return partial(command, company=company, lean=lean, edit=edit, posts=posts)


@app.command()
def fmt(
    paths: Annotated[list[Path] | None, _paths_argument("format")] = None,
    check: Annotated[
        bool,
        typer.Option(
            "--check", help="Change nothing; list the posts that would change, and exit 1 if any."
        ),
    ] = False,
    diff: Annotated[
        bool, typer.Option("--diff", help="Change nothing; print a unified diff of each change.")
    ] = False,
    posts: PostsOption = None,
) -> Command:
    """Rewrite posts into the canonical form of a canvas, changing nothing they say.

    Example: [bold]canvas fmt _posts --check[/bold]

    Block headings are spelt as the blocks' titles, at one level, in the post's own order;
    bullets become "-" and blank lines are evened out. Every word, link, table, extra
    section and the front matter are kept as written, and the post reads as the same
    canvas afterwards. A post that is no canvas, or that cannot be read whole, is left
    alone with one line saying why (exit status 1); the others are still formatted.
    """
    from canvascli.commands.fmt import fmt as command

    return partial(command, paths=paths or [], posts=posts, check=check, diff=diff)


cache_app = typer.Typer(
    help="Inspect or clear the on-disk index that makes large libraries fast.",
    no_args_is_help=True,
)
app.add_typer(cache_app, name="cache")


@cache_app.command("info")
def cache_info(posts: PostsOption = None, as_json: JsonOption = False) -> Command:
    """Show where the index of a library is, how big it is, and how many posts it holds.

    Example: [bold]canvas cache info --posts _posts[/bold]
    """
    from canvascli.commands.cache import cache_info as command

    return partial(command, posts=posts, as_json=as_json)


def _confirm(question: str) -> bool:
    return typer.confirm(question, err=True)


@cache_app.command("clear")
def cache_clear(
    posts: Annotated[
        Path | None,
        typer.Option(
            "--posts",
            metavar="DIR",
            parser=_library_folder,
            help="The library whose index to remove; found as every command finds it.",
            show_default=False,
        ),
    ] = None,
    every: Annotated[
        bool,
        typer.Option(
            "--all",
            help="Remove everything canvas keeps in its cache folder: every library's index"
            " and the kept help screens.",
        ),
    ] = False,
    yes: Annotated[
        bool,
        typer.Option("--yes", "-y", help="With --all: do not ask first (needed with no terminal)."),
    ] = False,
) -> Command:
    """Remove the index of a library; the next run rebuilds it.

    Example: [bold]canvas cache clear --posts _posts[/bold]

    With --all, every library's index in the cache folder goes, and the kept help screens;
    on a terminal canvas asks first, elsewhere it needs --yes.
    """
    from canvascli.commands.cache import cache_clear as command

    return partial(command, posts=posts, every=every, yes=yes, confirm=_confirm)


@app.command("config")
def config(posts: PostsOption = None, as_json: JsonOption = False) -> Command:
    """Show the library config in effect, each setting with the file it comes from.

    Example: [bold]canvas config --posts _posts[/bold]

    The config is [bold]canvas.toml[/bold], or a [bold]\\[tool.canvascli][/bold] table in
    [bold]pyproject.toml[/bold], in the library's folder or the first folder above it that
    has one, up to the top of its git repository. A canvas.toml holding
    [bold]sort = "date"[/bold] makes [bold]canvas list[/bold] sort by date; one whose
    [bold]\\[synonyms][/bold] table says [bold]"Wen wir bedienen" = "customer-segments"[/bold]
    reads that heading as Customer Segments.

    Command options win over it. Every key: docs/config.md.
    """
    from canvascli.commands.config import show_config

    return partial(show_config, posts=posts, as_json=as_json)


class _Command(TyperCommand):
    """A command whose usage line names its arguments as people write them: `COMPANY`,
    `COMPANY...` for several, `[BLOCK]...` when they may be left out, never `{COMPANY}`."""

    def collect_usage_pieces(self, ctx: Context) -> list[str]:
        pieces = [self.options_metavar] if self.options_metavar else []
        for param in self.get_params(ctx):
            if isinstance(param, TyperArgument):
                name = (param.metavar or param.name or "").upper()
                shown = name if param.required else f"[{name}]"
                pieces.append(f"{shown}..." if param.nargs != 1 else shown)
        return pieces


def _reflowed(text: str) -> str:
    """Help text with each paragraph on one line, so that the help is wrapped only to the
    terminal's width, never also where the source happens to break its lines."""
    paragraphs = inspect.cleandoc(text).split("\n\n")
    return "\n\n".join(" ".join(paragraph.split()) for paragraph in paragraphs)


def _finish_commands(group: typer.Typer) -> None:
    for info in group.registered_commands:
        info.cls = _Command
        if info.callback is not None and info.callback.__doc__:
            info.help = _reflowed(info.callback.__doc__)
    for sub in group.registered_groups:
        if sub.typer_instance is not None:
            _finish_commands(sub.typer_instance)


_finish_commands(app)


def _style_typer(*, plain: bool, drawing: bool) -> None:
    """Typer's help and errors with no styling at all when `plain` (Rich itself drops only
    colours), and as usual otherwise, also when runs in one process differ.

    Its module is imported only to draw help or an error: it costs a third of a second."""
    import sys

    if "typer.rich_utils" not in sys.modules and not (plain and drawing):
        return
    import typer.rich_utils

    typer.rich_utils.COLOR_SYSTEM = None if plain else "auto"


def main(argv: Sequence[str], env: Env) -> ExitCode:
    """Run `canvas` with `argv`, the arguments after the program's name, in `env`.

    `--debug` is read here, once: with it an unexpected error shows its traceback.
    """
    quick = quick_command(argv, env.environ)
    if quick is not None:
        return execute(quick, env)
    return execute(partial(_parse_and_run, argv), env.with_debug("--debug" in argv))


def _parse_and_run(argv: Sequence[str], env: Env) -> ExitCode:
    # Typer and Click print help, versions and usage errors on sys.stdout and sys.stderr.
    with redirect_stdout(env.stdout), redirect_stderr(env.stderr):
        try:
            parsed = app.parse(argv, env.program_name, plain=env.no_colour, environ=env.environ)
        except SystemExit as leaving:
            # Typer (and Rich under it) end the process with 1 when the reader of help has
            # gone, and with 0 once shell completion is installed.
            if not leaving.code:
                return ExitCode.OK
            raise BrokenPipeError(errno.EPIPE, "the reader has gone") from None
    return ExitCode(parsed) if isinstance(parsed, int) else parsed(env)
