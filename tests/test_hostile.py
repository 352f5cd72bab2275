"""Every command over a library of hostile posts: no traceback, no hang, no terminal injection."""

from __future__ import annotations

import builtins
import io
import json
import os
import re
import shutil
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from hypothesis import settings
from typer.core import TyperGroup
from typer.main import get_command

from canvascli.analyse.common_ground import canvas_terms
from canvascli.cli import app
from canvascli.errors import CompanyNotFoundError, quoted
from canvascli.model import CODES, Block
from canvascli.read.canvas import read_canvases, slug_from_path
from canvascli.render.canvas_views import SHOWN_EXTRAS
from canvascli.render.export import markdown_heading
from canvascli.render.safe_text import clean_line
from canvascli.store.files import locate_library, read_post
from canvascli.store.library import load_library
from tests.conftest import canvas_executable
from tests.helpers import CommandResult, Process, Run, ok

HOSTILE = Path(__file__).resolve().parent / "data" / "hostile"
# Text that only the files outside the library hold: it must never be printed.
SENTINEL = "SENTINEL-OUTSIDE-THE-LIBRARY"
DEEP = 10_000
# Twenty times every cap the reader and the views put on headings; benchmarks/pathological.py
# times far more.
HEADINGS = 20_000
FIVE_MB = 5 * 1024 * 1024
LIBRARY_TIMEOUT = 120

CONTROL_BYTES = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\ud800-\udfff]")
SGR = re.compile(r"\x1b\[[0-9;]*m")
# Rich's own progress display on a forced terminal: hide and show the cursor, erase a
# line, move up, return. Post text never produces these (it is cleaned before display).
LIVE_DISPLAY = re.compile(r"\x1b\[\?25[lh]|\x1b\[2K|\x1b\[1A|\r")


def canvas(name: str, extra: str = "") -> str:
    return (
        f"# Business Model of {name}\n\n"
        "## Customer Segments\n\nPeople who buy things.\n\n"
        f"## Channels\n\n- Web shop\n- Market stall\n{extra}"
    )


# Posts that must be reported, by path relative to the library, with the words of the reason.
COMMITTED_BAD = {
    "broken_yaml.md": ("front matter is not valid YAML",),
    "list_front_matter.md": ("front matter is a list, not a mapping",),
    "scalar_front_matter.md": ("front matter is a str, not a mapping",),
    "unterminated_front_matter.md": ("is never closed",),
    "empty.md": ("post is empty",),
    "front_matter_only.md": ("front matter but no text",),
    "acme.md": ("slug 'acme' is already used by",),
    "recursive_alias_front_matter.md": ("front matter is too large to keep", "nested more than"),
    "alias_bomb_front_matter.md": ("front matter is too large to keep", "100,000 values"),
    "huge_integer_front_matter.md": ("front matter is too large to keep", "4,000 digits"),
}
# Company names of the posts that must keep working, by slug.
COMMITTED_GOOD = {
    "memsql_copy": "MemSQL",
    "violin_memory_copy": "Violin Memory",
    "rich_markup": "[bold red]Markup[/x] Co",
    "control_sequences": "Ctl\x1b[2J\x1b[H\x07Co\x08\x08X",
    "control_sequences_in_front_matter_title": (
        "Fm\r\x1b[2J\x1b]52;c;cm0K\x07\x1b]8;;https://evil.example/\x1b\\link\x1b]8;;\x1b\\ Co"
    ),
    "utf8_bom": "Bom Co",
    "crlf_line_endings": "Crlf Co",
    "acme": "Acme Dated",
    "block_labels_in_front_matter": "Front Matter Co",
    "invisible_heading": "Invisible Heading",
    "table_of_block_names": "Table Names Co",
    # Three hundred canvases, each under a heading of its own: the first has no other title.
    "forty_canvases": "Stall 001",
    "stall-040": "Stall 040",
}
# File names that are themselves hostile: control sequences, a newline, bytes not UTF-8.
NAMED_GOOD = {
    "name_esc\x1b[2J\x1b]0;owned\x07.md": "Esc Name Co",
    "name_bel\x07_bs\x08_cr\r.md": "Bel Name Co",
    "name_newline\n.md": "Newline Name Co",
    os.fsdecode(b"name_undecodable\xff\x9b.md"): "Undecodable Name Co",
}
NAMED_BAD = {
    "binary\x1b]52;c;cm0gLXJmIH4K\x07\x1b[2J.md": ("binary file",),
    os.fsdecode(b"binary_undecodable\xff\x9b.md"): ("binary file",),
}
# Good posts the fixture writes: too big to commit, or links.
GENERATED_GOOD = {
    "deep_nested_list": "Deep Nested Co",
    "many_headings": "Many Headings Co",
    "memsql_alias": "MemSQL",
}


@dataclass
class HostileLibrary:
    root: Path
    bad: dict[str, tuple[str, ...]] = field(default_factory=dict)

    def display(self, relative: str) -> str:
        """How a post's path appears in a message."""
        return clean_line(str(self.root / relative))


def build_hostile_library(base: Path) -> HostileLibrary:
    """The committed cases copied beside the ones too big, binary or special to commit."""
    root = base / "library"
    shutil.copytree(HOSTILE, root, ignore=shutil.ignore_patterns(".gitattributes"))
    library = HostileLibrary(root, dict(COMMITTED_BAD))
    outside = base / "outside"
    outside.mkdir()
    (outside / "secret.md").write_text(canvas(SENTINEL), encoding="utf-8")

    def post(relative: str, data: bytes | str, reason: tuple[str, ...] | None = None) -> Path:
        path = root / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data.encode("utf-8") if isinstance(data, str) else data)
        if reason is not None:
            library.bad[relative] = reason
        return path

    post("latin1.md", canvas("Caf\xe9 Co").encode("latin-1"), ("file is not UTF-8",))
    post(
        "latin1_broken_yaml.md",
        ("---\ntitle: [caf\xe9\n---\n" + canvas("Latin Yaml Co")).encode("latin-1"),
        ("file is not UTF-8", "front matter is not valid YAML"),
    )
    post("utf16.md", canvas("Utf16 Co").encode("utf-16"), ("file is UTF-16, not UTF-8",))
    post("nul_bytes.md", b"# Business Model of Nul\x00Co\n\x00\x01\x02", ("binary file",))
    paragraph = ("Revenue comes from subscriptions and services. " * 20).strip() + "\n\n"
    big = canvas("Five Megabytes Co") + "\n" + paragraph * (FIVE_MB // len(paragraph) + 1)
    post(
        "five_megabytes.md",
        big.encode("utf-8")[:FIVE_MB],
        (f"is {FIVE_MB:,} bytes, over the 2,097,152-byte limit; skipped",),
    )
    deep_list = "- " * DEEP + "bottom of the list\n"
    deep_quote = "> " * DEEP + "bottom of the quote\n"
    post("deep_nested_list.md", canvas("Deep Nested Co", f"\n{deep_list}\n{deep_quote}"))
    headings = "".join(f"## h{number}\n" for number in range(HEADINGS))
    post("many_headings.md", canvas("Many Headings Co", f"\n{headings}"))
    for relative, reason in NAMED_BAD.items():
        post(relative, b"\x00binary\x1b[2J", reason)
    for relative, name in NAMED_GOOD.items():
        post(relative, canvas(name))

    (root / "fifo").mkdir()
    os.mkfifo(root / "fifo" / "x.md")
    library.bad["fifo/x.md"] = ("is not a regular file",)
    (root / "folder" / "x.md").mkdir(parents=True)
    library.bad["folder/x.md"] = ("is a folder, not a post",)
    (root / "loop_a.md").symlink_to("loop_b.md")
    (root / "loop_b.md").symlink_to("loop_a.md")
    library.bad["loop_a.md"] = library.bad["loop_b.md"] = ("symlink loop",)
    (root / "outside_link.md").symlink_to(outside / "secret.md")
    library.bad["outside_link.md"] = ("symlink points outside the library; not followed",)
    (root / "outside_folder").symlink_to(outside, target_is_directory=True)
    (root / "memsql_alias.md").symlink_to("memsql_copy.md")

    unreadable = post("unreadable.md", canvas("Unreadable Co"))
    unreadable.chmod(0)
    if not os.access(unreadable, os.R_OK):  # root reads it anyway, as a good post
        library.bad["unreadable.md"] = ("Permission denied",)
    post("private/hidden.md", canvas("Hidden Co")).parent.chmod(0)
    if not os.access(root / "private", os.R_OK):
        library.bad["private"] = ("folder cannot be read", "the posts in it are skipped")
    return library


@pytest.fixture(scope="session")
def hostile(tmp_path_factory: pytest.TempPathFactory) -> HostileLibrary:
    return build_hostile_library(tmp_path_factory.mktemp("hostile"))


@pytest.fixture(scope="module")
def warm_cache(hostile: HostileLibrary, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A cache folder already holding the library's index."""
    cache = tmp_path_factory.mktemp("warm-cache")
    subprocess.run(
        [*canvas_executable(), "list", "--posts", str(hostile.root)],
        env={**os.environ, "CANVASCLI_CACHE_DIR": str(cache), "NO_COLOR": "1"},
        capture_output=True,
        stdin=subprocess.DEVNULL,
        timeout=LIBRARY_TIMEOUT,
        check=False,  # the tests that use the index say what went wrong, if anything did
    )
    return cache


@dataclass(frozen=True)
class Call:
    """One run of a command: its arguments, its documented exit status, what stdout shows."""

    args: tuple[str, ...]
    status: int = 0
    shows: tuple[str, ...] = ()
    env: tuple[tuple[str, str], ...] = ()


GOOD = {
    **COMMITTED_GOOD,
    **GENERATED_GOOD,
    **{slug_from_path(relative): name for relative, name in NAMED_GOOD.items()},
}
GOOD_SLUGS = tuple(GOOD)
# A CSV row is an item or paragraph of a block: a canvas whose blocks are all empty has none.
TEXT_SLUGS = tuple(slug for slug in GOOD_SLUGS if slug != "table_of_block_names")
GOOD_NAMES = tuple(clean_line(name) for name in GOOD.values())
MARKUP = ("[bold red]Markup[/x] Co", "[link=file:///etc/passwd]click me[/link]", "[/x] [/]")
NARROW = (("COLUMNS", "60"),)
WIDE = (("COLUMNS", "250"),)

# Each command as typed after `canvas`, with the calls that exercise it; `--posts` is added
# to every command that takes it. A new command is one more line here.
COMMANDS: dict[str, list[Call]] = {
    "list": [
        Call(("list",), shows=GOOD_NAMES, env=WIDE),  # wide: the table must not fold a name
        Call(("list", "--json"), shows=tuple(f'"slug":"{slug}"' for slug in GOOD_SLUGS)),
        Call(("list", "--sort", "words", "--reverse", "--limit", "5")),
    ],
    "show": [
        Call(("show", "rich_markup"), shows=MARKUP),
        Call(("show", "control_sequences"), shows=("Ctl␛[2J␛[H␇Co␈␈X", "␛]8;;https://evil")),
        Call(
            ("show", "many_headings"),
            shows=(f"{HEADINGS - SHOWN_EXTRAS:,} more sections not shown",),
        ),
        Call(("show", "deep_nested_list", "channels"), shows=("bottom of the list",)),
        Call(("show", "rich_markup", "--json"), shows=('"[bold red]Markup[/x] Co"',)),
        Call(("show", "control_sequences", "--markdown"), shows=("␛]52;c;",)),
        Call(("show", "nul_bytes"), status=1),
        *(Call(("show", slug), shows=(clean_line(name),)) for slug, name in COMMITTED_GOOD.items()),
        *(Call(("show", slug_from_path(name))) for name in NAMED_GOOD),
    ],
    "compare": [
        # Stacked at 60 columns, each name on a line of its own: its first 40 characters fit.
        *(
            Call(
                ("compare", *GOOD_SLUGS[start : start + 6]),
                shows=tuple(name[:40] for name in GOOD_NAMES[start : start + 6]),
                env=NARROW,
            )
            for start in range(0, len(GOOD_SLUGS), 6)
        ),
        Call(("compare", "rich_markup", "control_sequences", "memsql_copy"), shows=MARKUP[2:]),
        Call(("compare", "rich_markup", "many_headings", "--json")),
    ],
    "similar": [Call(("similar", "memsql_copy")), Call(("similar", "rich_markup", "--json"))],
    "stats": [Call(("stats",), env=WIDE), Call(("stats", "--json"))],
    "search": [
        Call(("search", "financial services"), shows=("MemSQL", "Violin Memory")),
        Call(("search", "[bold red]", "--json")),
    ],
    "check": [Call(("check",), status=1), Call(("check", "--json"), status=1)],
    "export": [
        # CSV first: the cold and uncached cells run only the first call, and JSON of the
        # hundred thousand headings is 24 MB, which takes seconds to write whatever the mode.
        Call(("export", "--format", "csv"), shows=tuple(f",{slug}," for slug in TEXT_SLUGS)),
        Call(("export", "--format", "json"), shows=tuple(f'"{slug}"' for slug in GOOD_SLUGS)),
        Call(("export", "rich_markup", "--format", "markdown"), shows=MARKUP[:1]),
    ],
    "site": [Call(("site", "-o", "site"), shows=("canvas pages;",))],
    "sections": [Call(("sections",)), Call(("sections", "--json"))],
    "cache info": [Call(("cache", "info"))],
    # The library is in no git repository: the posts are reported, then the one error.
    "log": [
        Call(("log", "rich_markup"), status=1),
        Call(("log", "memsql_copy", "--json"), status=1),
    ],
    "config": [Call(("config",)), Call(("config", "--json"))],
}
# Commands that never read a post, so never report one.
READ_NO_POSTS = {"sections", "cache info", "config"}
# A linter's findings are its output: bad posts are reported on stdout, a summary on stderr.
FINDS_ON_STDOUT = {"check"}
MODES = ("cold", "warm", "no-cache", "colour")


def command_options(name: str) -> set[str]:
    command = get_command(app)
    for part in name.split():
        assert isinstance(command, TyperGroup)
        command = command.commands[part]
    return {option for parameter in command.params for option in parameter.opts}


def rule_cases() -> list[object]:
    return [
        pytest.param(name, mode, id=f"{name}-{mode}")
        for name in COMMANDS
        for mode in MODES
        if mode != "no-cache" or "--no-cache" in command_options(name)
    ]


def test_the_table_covers_every_command() -> None:
    from tests.test_cli import command_names

    # `cache clear` reads no post and deletes indexes: nothing a post could attack. `browse`
    # needs a terminal; it is driven through the whole library below. `new` reads only
    # slugs, and `fmt` refuses posts as a linter reports them: tests/test_fmt.py drives it
    # through the same library.
    assert set(COMMANDS) == set(command_names()) - {"cache clear", "browse", "new", "fmt"}


def test_browse_opens_and_zooms_every_post_and_lists_the_broken_ones(
    hostile: HostileLibrary, tmp_path: Path
) -> None:
    import asyncio

    from textual.widgets import Static

    from canvascli.browse.app import BrowseApp, CanvasScreen, ZoomScreen
    from canvascli.store.files import locate_library
    from canvascli.store.library import load_library

    library = load_library(locate_library(hostile.root, {}), cache_dir=tmp_path)
    # Every post, and of a post holding many canvases its first and last: the canvases
    # between are read and drawn the same way, each costing a whole screen to draw.
    by_post: dict[str, list[str]] = {}
    for summary in library:
        by_post.setdefault(summary.source, []).append(summary.slug)
    chosen = [slug for slugs in by_post.values() for slug in dict.fromkeys(slugs[:1] + slugs[-1:])]
    assert len(chosen) < len(library.summaries)
    opened: list[str] = []

    async def browse_all() -> str:
        app = BrowseApp(library)
        async with app.run_test(size=(120, 40)) as pilot:
            for summary in (library.find(slug) for slug in chosen):
                app.open_company(summary.slug, None)
                await pilot.pause()
                assert isinstance(app.screen, CanvasScreen), summary.slug
                await pilot.press("enter")
                assert isinstance(app.screen, ZoomScreen), summary.slug
                opened.append(summary.slug)
            app.pop_screen()
            app.pop_screen()
            await pilot.pause()
            return str(app.query_one("#problems", Static).render())

    problems = asyncio.run(browse_all())
    assert opened == chosen
    assert {library.find(slug).source for slug in opened} == set(by_post)
    assert "rich_markup" in opened
    for path in hostile.bad:
        assert hostile.display(path) in problems, path


def summary_lines(stderr: str) -> list[str]:
    """A linter's stderr without the frames of its progress bar (drawn in colour mode)."""
    return [line for line in stderr.splitlines() if not line.startswith("Checking posts")]


@dataclass(frozen=True)
class Outcome:
    """What one run printed and how it ended, whether in-process or in a process."""

    status: int
    stdout: str
    stderr: str


def from_process(completed: subprocess.CompletedProcess[str]) -> Outcome:
    return Outcome(completed.returncode, completed.stdout, completed.stderr)


def from_run(result: CommandResult) -> Outcome:
    # In-process, an exception that escaped the command is held by the result, not printed.
    raised = getattr(result, "exception", None)
    assert raised is None or isinstance(raised, SystemExit), f"raised {raised!r}\n{result.output}"
    return Outcome(result.exit_code, result.stdout, result.stderr)


def check_rule(
    result: Outcome,
    call: Call,
    library: HostileLibrary,
    *,
    reads_posts: bool,
    colour: bool,
    findings_on_stdout: bool = False,
) -> None:
    """The rule every command obeys over hostile posts."""
    output = result.stdout + result.stderr
    context = f"canvas {call.args!r}\n--- stdout\n{result.stdout}\n--- stderr\n{result.stderr}"
    assert "Traceback" not in output, context
    assert "internal error" not in output, context
    assert result.status == call.status, context
    assert SENTINEL not in output, context
    stdout, stderr = result.stdout, result.stderr
    if colour:
        stdout, stderr = SGR.sub("", stdout), LIVE_DISPLAY.sub("", SGR.sub("", stderr))
    for stream in (stdout, stderr):
        assert "\x1b" not in stream, context
        assert not CONTROL_BYTES.search(stream), context
    for text in call.shows:
        assert text in stdout, f"{text!r} missing from {context}"

    if findings_on_stdout and "--json" in call.args:
        found_paths = {finding["path"] for finding in json.loads(stdout)["findings"]}
        unreported = [path for path in library.bad if str(library.root / path) not in found_paths]
        assert not unreported, context
        assert len(summary_lines(stderr)) == 1, context
        return
    if findings_on_stdout:
        findings = stdout.splitlines()
        for relative in library.bad:
            prefix = f"{library.display(relative)}:"
            matching = [line for line in findings if line.startswith(prefix)]
            assert matching, f"{relative!r} not reported\n{context}"
            # check words some reasons its own way; each finding carries a documented code.
            codes = {line[len(prefix) :].split(": ", 1)[1].split()[0] for line in matching}
            assert codes <= set(CODES), f"{relative!r}\n{context}"
        assert len(summary_lines(stderr)) == 1, context
        return
    lines = stderr.splitlines()
    reported: set[int] = set()
    if reads_posts:
        for relative, reasons in library.bad.items():
            prefix = f"canvas: {library.display(relative)}: "
            found = [index for index, line in enumerate(lines) if line.startswith(prefix)]
            assert len(found) == 1, f"{relative!r} reported {len(found)} times\n{context}"
            assert all(reason in lines[found[0]] for reason in reasons), context
            reported.update(found)
    others = [line for index, line in enumerate(lines) if index not in reported]
    assert len(others) == (0 if call.status == 0 else 1), context


def cell_calls(name: str, mode: str) -> list[Call]:
    calls = COMMANDS[name]
    # Cold and without the index, each call parses the whole library again.
    return calls[:1] if mode in ("cold", "no-cache") else calls


def cell_arguments(
    name: str, call: Call, mode: str, library: Path, caches: tuple[Path, Path]
) -> tuple[list[str], dict[str, str]]:
    """The arguments and environment of one call in one mode; `caches` is (warm, cold)."""
    warm, cold = caches
    args = list(call.args)
    if "--posts" in command_options(name):
        args += ["--posts", str(library)]
    env = {"CANVASCLI_CACHE_DIR": str(warm), **dict(call.env)}
    if mode == "cold":
        env["CANVASCLI_CACHE_DIR"] = str(cold)
    elif mode == "no-cache":
        args.append("--no-cache")
    elif mode == "colour":
        env.update(NO_COLOR="", FORCE_COLOR="1", CANVASCLI_PAGER="cat")
    return args, env


def check_cell(name: str, mode: str, call: Call, outcome: Outcome, library: HostileLibrary) -> None:
    check_rule(
        outcome,
        call,
        library,
        reads_posts=name not in READ_NO_POSTS,
        colour=mode == "colour",
        findings_on_stdout=name in FINDS_ON_STDOUT,
    )
    if mode == "colour" and call.args == ("list",):
        assert SGR.search(outcome.stdout), "FORCE_COLOR must colour the table"


@pytest.mark.parametrize(("name", "mode"), rule_cases())
def test_every_command_obeys_the_rule_over_a_hostile_library(
    name: str, mode: str, hostile: HostileLibrary, warm_cache: Path, run: Run, tmp_path: Path
) -> None:
    for call in cell_calls(name, mode):
        args, env = cell_arguments(name, call, mode, hostile.root, (warm_cache, tmp_path / "cold"))
        if mode == "colour":
            # A pager started in-process would write past the captured stdout, so the screen
            # is made tall enough for none to start; the process cells below go through one.
            env["LINES"] = "1000000"
        outcome = from_run(run(*args, terminal=mode == "colour", env=env))
        check_cell(name, mode, call, outcome, hostile)


def process_cells() -> list[object]:
    """Each command's first call in colour, the one that pages, and a cold list."""
    (paged,) = (call for call in COMMANDS["show"] if "many_headings" in call.args)
    cells = [(name, "colour", COMMANDS[name][0]) for name in COMMANDS]
    cells += [("show", "colour", paged), ("list", "cold", COMMANDS["list"][0])]
    return [
        pytest.param(name, mode, call, id=f"{' '.join(call.args)}-{mode}")
        for name, mode, call in cells
    ]


@pytest.mark.e2e
@pytest.mark.parametrize(("name", "mode", "call"), process_cells())
def test_the_installed_command_obeys_the_rule_over_a_hostile_library(
    name: str,
    mode: str,
    call: Call,
    hostile: HostileLibrary,
    warm_cache: Path,
    canvas_process: Process,
    tmp_path: Path,
) -> None:
    """A real process: real bytes on a pipe, a pager (`cat`) for the tallest view."""
    args, env = cell_arguments(name, call, mode, hostile.root, (warm_cache, tmp_path / "cold"))
    outcome = from_process(canvas_process(*args, env=env, timeout=LIBRARY_TIMEOUT))
    check_cell(name, mode, call, outcome, hostile)


@pytest.fixture
def small_site(tmp_path: Path) -> Path:
    """A library of the two seeds with links in and out, beside a folder it must not read."""
    library = tmp_path / "site" / "library"
    library.mkdir(parents=True)
    for name in ("memsql_copy.md", "violin_memory_copy.md"):
        shutil.copy(HOSTILE / name, library / name)
    (library / "memsql_alias.md").symlink_to("memsql_copy.md")
    outside = tmp_path / "site" / "outside"
    outside.mkdir()
    (outside / "secret.md").write_text(canvas(SENTINEL), encoding="utf-8")
    (library / "outside_link.md").symlink_to(outside / "secret.md")
    return library


def path_arguments(library: Path) -> list[str]:
    secret = library.parent / "outside" / "secret.md"
    return [
        "../outside/secret",
        "../outside/secret.md",
        str(secret),
        "/etc/passwd",
        "../../etc/passwd",
        "memsql_copy\x00../outside/secret.md",
        "~root",
        "~/.ssh/id_rsa",
        "*",
        "*.md",
        "..",
        "$HOME",
    ]


@pytest.fixture
def opened(monkeypatch: pytest.MonkeyPatch) -> list[Path]:
    """Every path the process opens from now on, by any of Python's ways to open a file."""
    paths: list[Path] = []
    real_open, real_os_open = builtins.open, os.open

    def record(file: object) -> None:
        if isinstance(file, str | bytes | os.PathLike):
            paths.append(Path(os.fsdecode(file)).resolve())

    def spy_open(file: Any, *args: Any, **kwargs: Any) -> Any:
        record(file)
        return real_open(file, *args, **kwargs)

    def spy_os_open(path: Any, *args: Any, **kwargs: Any) -> int:
        record(path)
        return real_os_open(path, *args, **kwargs)

    monkeypatch.setattr(builtins, "open", spy_open)
    monkeypatch.setattr(io, "open", spy_open)
    monkeypatch.setattr(os, "open", spy_os_open)
    return paths


def test_company_arguments_are_names_never_paths(
    run: Run, small_site: Path, opened: list[Path]
) -> None:
    for argument in path_arguments(small_site):
        for args in (["show", argument], ["compare", "memsql_copy", argument]):
            result = run(*args, "--posts", str(small_site), "--no-cache")
            assert result.exit_code == 1, result.output
            assert result.stdout == ""
            # Shortened as every echo of an argument is: the paths run long.
            message = f"canvas: no company {clean_line(quoted(argument))} in {small_site}"
            assert result.stderr.splitlines()[-1].startswith(message), result.stderr
            assert SENTINEL not in result.output
    library = small_site.resolve()
    assert opened, "the spy saw no file opened at all"
    assert [path for path in opened if not path.is_relative_to(library)] == []


def test_the_api_looks_companies_up_by_name_only(small_site: Path, opened: list[Path]) -> None:
    library = load_library(locate_library(small_site, environ={}), use_cache=False)
    for argument in path_arguments(small_site):
        with pytest.raises(CompanyNotFoundError, match=r"^no company "):
            library.get(argument)
    assert sorted(summary.slug for summary in library) == [
        "memsql_alias",
        "memsql_copy",
        "violin_memory_copy",
    ]
    assert all(path.is_relative_to(small_site.resolve()) for path in opened)


def test_the_library_folder_may_be_a_symlink(small_site: Path, run: Run, tmp_path: Path) -> None:
    linked = tmp_path / "linked-library"
    linked.symlink_to(small_site, target_is_directory=True)
    outputs = []
    for folder in (small_site, linked, small_site):
        result = run("list", "--posts", str(folder))
        assert result.exit_code == 0, result.stderr
        assert result.stderr == (
            f"canvas: {folder / 'outside_link.md'}: "
            "symlink points outside the library; not followed\n"
        )
        outputs.append(result.stdout)
        shown = run("show", "memsql_alias", "partners", "--posts", str(folder))
        assert "MicroStrategy" in shown.stdout, shown.stderr
        assert SENTINEL not in result.stdout + shown.stdout + shown.stderr
    assert outputs[0] == outputs[1] == outputs[2]
    assert [line.split("\t")[1] for line in outputs[0].splitlines()] == [
        "memsql_alias",
        "memsql_copy",
        "violin_memory_copy",
    ]


def test_a_post_over_the_size_limit_is_skipped_with_its_size(run: Run, tmp_path: Path) -> None:
    (tmp_path / "small.md").write_text(canvas("Small Co"), encoding="utf-8")
    big = tmp_path / "big.md"
    big.write_text(canvas("Big Co") + "x" * 2000, encoding="utf-8")
    size = big.stat().st_size
    result = run("list", "--posts", str(tmp_path), env={"CANVASCLI_MAX_BYTES": "1000"})
    assert result.exit_code == 0
    assert result.stdout.startswith("Small Co\tsmall\t")
    assert result.stderr == (
        f"canvas: {big}: is {size:,} bytes, over the 1,000-byte limit; skipped\n"
    )
    relaxed = run("list", "--posts", str(tmp_path), env={"CANVASCLI_MAX_BYTES": "9000"})
    assert "Big Co\tbig\t" in relaxed.stdout and relaxed.stderr == ""


def test_a_post_of_exactly_the_size_limit_is_read_and_one_byte_more_is_not(
    run: Run, tmp_path: Path
) -> None:
    post = tmp_path / "edge.md"
    post.write_text(canvas("Edge Co"), encoding="utf-8")
    size = post.stat().st_size
    for limit in (size, size + 1):
        result = ok(run("list", "--posts", str(tmp_path), env={"CANVASCLI_MAX_BYTES": str(limit)}))
        assert result.stdout.startswith("Edge Co\tedge\t") and result.stderr == ""
    # From the index made under a higher limit, as without it.
    refused = f"{post}: is {size:,} bytes, over the {size - 1:,}-byte limit; skipped"
    lower = {"CANVASCLI_MAX_BYTES": str(size - 1)}
    for cache in ((), ("--no-cache",)):
        shown = run("show", "edge", "--posts", str(tmp_path), *cache, env=lower)
        assert shown.exit_code == 1 and shown.stdout == ""
        assert shown.stderr.endswith(f"{post} was not read: {refused.partition(': ')[2]}\n")
        result = ok(run("list", "--posts", str(tmp_path), *cache, env=lower))
        assert result.stdout == ""
        assert refused in result.stderr


# Brackets a line leaves open: each was looked through to the line's end, again and again.
OPEN_BRACKETS = 200_000


@pytest.mark.e2e
def test_headings_and_labels_of_brackets_left_open_are_read_at_once(
    canvas_process: Process, tmp_path: Path
) -> None:
    library = tmp_path / "brackets"
    library.mkdir()
    (library / "brackets.md").write_text(
        "# Acme" + " (" * OPEN_BRACKETS + "\n\n## Customer Segments\n\n- Shops\n\n"
        "**Key Partners " + "[" * OPEN_BRACKETS + "**\n\n- Banks\n",
        encoding="utf-8",
    )
    # Each run is given a minute (`canvas_process`): the brackets took hours.
    outcomes = [
        canvas_process("list", "--json", "--posts", str(library), *extra)
        for extra in ((), (), ("--no-cache",))
    ]
    assert {outcome.stdout for outcome in outcomes} == {outcomes[0].stdout}
    (company,) = json.loads(outcomes[0].stdout)
    assert company["slug"] == "brackets"
    assert "customer-segments" in company["coverage"]


@pytest.mark.e2e
@pytest.mark.parametrize(("left_open", "times"), [("<!--", OPEN_BRACKETS), ("<", 1_000_000)])
def test_an_html_block_of_comments_or_tags_left_open_is_read_at_once(
    canvas_process: Process, tmp_path: Path, left_open: str, times: int
) -> None:
    library = tmp_path / "html"
    library.mkdir()
    (library / "html.md").write_text(
        "# Acme\n\n## Channels\n\n<div>" + left_open * times + "\n\n## Key Partners\n\n- Banks\n",
        encoding="utf-8",
    )
    # Each run is given a minute (`canvas_process`): the openings took hours.
    shown = canvas_process("show", "html", "key-partners", "--json", "--posts", str(library))
    assert shown.returncode == 0, shown.stderr
    assert json.loads(shown.stdout)["blocks"]["key-partners"]["items"] == ["Banks"]


@pytest.mark.e2e
def test_a_heading_of_two_hundred_thousand_words_is_read_at_once(
    canvas_process: Process, tmp_path: Path
) -> None:
    library = tmp_path / "words"
    library.mkdir()
    (library / "words.md").write_text(
        "# Acme\n\n## " + "Key Partners: " * 100_000 + "\n\n- Banks\n\n## Channels\n\n- Web\n",
        encoding="utf-8",
    )
    # A minute (`canvas_process`): every leading phrase of the heading was tried as a
    # label, which took time growing with the square of its words.
    listed = canvas_process("list", "--json", "--posts", str(library), "--no-cache")
    assert listed.returncode == 0, listed.stderr
    (company,) = json.loads(listed.stdout)
    assert "channels" in company["coverage"]


@pytest.mark.e2e
@pytest.mark.parametrize("padding", [" " * 200_000, "\t " * 100_000])
def test_a_yaml_canvas_line_padded_with_white_space_is_read_at_once(
    canvas_process: Process, tmp_path: Path, padding: str
) -> None:
    library = tmp_path / "yaml"
    library.mkdir()
    keys = ("customer_segments", "value_propositions", "channels", "key_partners")
    lines = "".join(f"{key}: Web\n" for key in keys)
    (library / "padded.md").write_text(
        f"# Acme\n\n```yaml\n{lines}key_resources: Boats{padding}and crews # a note{padding}\n"
        f"- Harbour{padding}berth\n```\n",
        encoding="utf-8",
    )
    # A minute (`canvas_process`): a key's or an item's value before the white space
    # ending its line took time growing with the square of the white space inside it.
    shown = canvas_process("show", "padded", "--json", "--posts", str(library), "--no-cache")
    assert shown.returncode == 0, shown.stderr
    resources = json.loads(shown.stdout)["blocks"]["key-resources"]
    assert resources["paragraphs"] == [f"Boats{padding}and crews"]
    assert resources["items"] == [f"Harbour{padding}berth"]


def quadrupling_ratio(read: Callable[[int], object], start: int = 64) -> float:
    """How many times longer `read(4 * n)` takes than `read(n)`: about 4 where time grows
    linearly with n, 16 where it grows with its square.

    n doubles from `start` until `read(n)` takes long enough to be timed, so that a reading
    whose time grows with a power of n fails in a second or two rather than hanging.
    """

    def seconds(size: int) -> float:
        best = float("inf")
        for _ in range(3):
            began = time.perf_counter()
            read(size)
            best = min(best, time.perf_counter() - began)
        return best

    size = start
    while (taken := seconds(size)) < 0.02 and size < 1 << 24:
        size *= 2
    return seconds(4 * size) / taken


def read_post_text(text: str) -> None:
    read_canvases(text, "post.md")


CANVAS_BODY = "\n\n## Channels\n\n- Web\n\n## Key Partners\n\n- Banks\n"


def _chart(kind: str, line: str) -> str:
    return f"# Acme\n\n```mermaid\n{kind}\n{line}\nend\n```\n{CANVAS_BODY}"


# Posts of n repeats of what a pattern looked through again and again: each was read in
# time growing with the square of n or its cube.
GROWING_POSTS: dict[str, Callable[[int], str]] = {
    # A run of white space before a front matter title's canvas phrase was shared out
    # between the `\s*` of the patterns around a name every way there is: a title of a
    # thousand spaces took a minute, of two thousand, eight.
    "title-spaces": lambda n: (
        f'---\ntitle: "Acme{" " * n}x Business Model Canvas"\n---\n{CANVAS_BODY}'
    ),
    "title-bracket-spaces": lambda n: (
        f'---\ntitle: "Business Model Canvas ({" " * n}x"\n---\n{CANVAS_BODY}'
    ),
    "project-name-tabs": lambda n: (
        f'---\nproject_name: "Acme{chr(9) * n}x Lean Canvas"\n---\n{CANVAS_BODY}'
    ),
    # A long number, as a course heading's "3주차" would start.
    "heading-digits": lambda n: f"# Week {'1' * n} notes{CANVAS_BODY}",
    # A Mermaid group's title left open, and tags left open in a chart's node.
    "chart-group-spaces": lambda n: _chart("flowchart TD", f"subgraph a [{' ' * n}x"),
    "chart-group-tags": lambda n: _chart("flowchart TD", "subgraph " + "<" * n),
    "chart-node-tags": lambda n: _chart("mindmap", "  root((Acme))\n    " + "<" * n),
    # A TOML key of many dotted parts, in each place a key is written: Python's TOML parser
    # took a minute over one of 64,000.
    "toml-dotted-key": lambda n: f"+++\n{'a.' * n}b = 1\n+++\n{CANVAS_BODY}",
    "toml-dotted-table": lambda n: f"+++\n[[{'a . ' * n}b]]\n+++\n{CANVAS_BODY}",
    "toml-dotted-inline-key": lambda n: "+++\nx = {" + '"a".' * n + f"b = 1}}\n+++\n{CANVAS_BODY}",
    # A line running many bold labels into one another: the text after each label was
    # read from it to the line's end again.
    "run-in-bold-labels": lambda n: f"# Acme\n\n]{'**Problem:** a ' * n}\n{CANVAS_BODY}",
    "run-in-glossed-labels": lambda n: f"# Acme\n\n{'**Problem** (why?) **UVP** – a ' * n}\n",
    # An HTML table's row of many cells: each cell's column was looked for from the row's
    # first column again.
    "html-table-row-cells": lambda n: f"# Acme\n\n<table><tr>{'<td>a' * n}</table>\n{CANVAS_BODY}",
}


@pytest.mark.parametrize("post", GROWING_POSTS.values(), ids=GROWING_POSTS.keys())
def test_a_post_is_read_in_time_growing_linearly_whatever_it_repeats(
    post: Callable[[int], str],
) -> None:
    assert quadrupling_ratio(lambda n: read_post_text(post(n))) < 7


@pytest.mark.parametrize("parts", [101, 102, 10_000])
def test_a_toml_key_nested_too_deep_is_refused_as_too_large(parts: int) -> None:
    (canvas,) = read_canvases(f"+++\n{'a.' * (parts - 1)}b = 1\n+++\n{CANVAS_BODY}", "post.md")
    assert [(d.code, d.message) for d in canvas.diagnostics if d.severity == "error"] == [
        ("CV108", "front matter is too large to keep (nested more than 100 deep); ignored")
    ]
    assert canvas.metadata == {}
    assert [section.heading for section in canvas.sections] == ["Channels", "Key Partners"]


def test_dots_in_toml_strings_and_shallow_keys_are_front_matter_as_written() -> None:
    dots = "a." * 300
    written = f"title = \"Acme {dots}\"\nnote = '{dots}'\n{'k.' * 99}v = 1.5\n"
    (canvas,) = read_canvases(f"+++\n{written}+++\n{CANVAS_BODY}", "post.md")
    assert canvas.metadata["title"] == f"Acme {dots}"
    assert canvas.metadata["note"] == dots
    assert not [d for d in canvas.diagnostics if d.code == "CV108"]


def test_typo_tolerance_reads_a_bounded_number_of_a_posts_texts(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # Each label-like line naming no block was read again with typo tolerance, up to a
    # millisecond each: a post of 100,000 such lines, 2 MB, took a minute or more.
    import canvascli.read.labels as labels

    tolerant = labels._within_reach
    calls: list[str] = []

    def counted(text: str, names: list[tuple[str, frozenset[str]]]) -> list[str]:
        calls.append(text)
        return tolerant(text, names)

    monkeypatch.setattr(labels, "_within_reach", counted)

    def lookups(lines: int) -> int:
        calls.clear()
        labels._read_label.cache_clear()
        body = "".join(f"Section {number}: text\n\n" for number in range(lines))
        (canvas,) = read_canvases(f"# Acme\n\n{body}## Chanels\n\n- web\n", "post.md")
        # A typo among the first texts of a post is still read as the block it misspells.
        assert canvas.sections[-1].heading == "Chanels"
        assert canvas.sections[-1].block is Block.CHANNELS
        return len(calls)

    assert lookups(2 * labels.FUZZY_TEXTS) == lookups(8 * labels.FUZZY_TEXTS)


def test_html_cells_spanning_far_are_read_in_bounded_memory(tmp_path: Path) -> None:
    # Each cell spanning 100 rows and 100 columns marked 10,000 places in the grid: 58 KB of
    # them took 2.5 GB and a minute, and this post would have taken far more of both.
    post = tmp_path / "spans.md"
    cells = '<td rowspan="100" colspan="100">a' * 20_000
    post.write_text(f"# Acme\n\n<table><tr>{cells}</table>\n{CANVAS_BODY}", encoding="utf-8")
    # In a process of its own, allowed a gigabyte of memory and two minutes.
    script = (
        "import resource, sys\n"
        "from pathlib import Path\n"
        "from canvascli.model import Block\n"
        "from canvascli.read.canvas import read_canvases\n"
        "resource.setrlimit(resource.RLIMIT_AS, (1 << 30, 1 << 30))\n"
        "(canvas,) = read_canvases(Path(sys.argv[1]).read_text(encoding='utf-8'), 'spans.md')\n"
        "print(list(canvas.blocks[Block.KEY_PARTNERS].items))\n"
    )
    read = subprocess.run(
        [sys.executable, "-c", script, str(post)],
        capture_output=True,
        text=True,
        timeout=LIBRARY_TIMEOUT,
        check=False,
    )
    assert read.returncode == 0, read.stderr
    assert read.stdout == "['Banks']\n"


def test_a_padded_heading_read_line_by_line_is_read_in_linear_time(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # A post nested too deeply for the Markdown parser is read line by line, and its
    # heading's text was tried to end at each space of a run before the line's end.
    def too_deep(body: str) -> None:
        raise RecursionError

    monkeypatch.setattr("canvascli.read.canvas.plain_tokens", too_deep)
    (read,) = read_canvases("# Acme\n", "post.md")
    assert "CV106" in {diagnostic.code for diagnostic in read.diagnostics}
    assert quadrupling_ratio(lambda n: read_post_text(f"# Acme{' ' * n}Co #\n{CANVAS_BODY}")) < 7


def test_the_terms_of_an_item_padded_with_white_space_are_found_in_linear_time() -> None:
    # A YAML canvas keeps an item's white space as written; `compare` and `stats` looked
    # for its leading name through each run again from every space in it, and a run of
    # 100,000 spaces hung them.
    def terms(n: int) -> None:
        (canvas,) = read_canvases(
            "# Acme\n\n```yaml\ncustomer_segments: Shops\nvalue_propositions: Cheap\n"
            f"key_activities: Selling\nchannels:\n  - Web{' ' * n}shop, and more\n"
            "key_partners:\n  - Banks\n```\n",
            "post.md",
        )
        canvas_terms(canvas)

    assert quadrupling_ratio(terms) < 7


def test_a_title_of_many_hashes_is_exported_in_linear_time() -> None:
    # `canvas export --format markdown` escapes a heading's closing run of '#'; the run was
    # searched for from every '#' of each run in the title, and 40,000 took five seconds.
    assert quadrupling_ratio(lambda n: markdown_heading(1, f"Acme {'#' * n}x ##")) < 7


def test_a_line_of_bold_labels_after_a_stray_mark_is_read() -> None:
    # Found by mutating the wild posts: the line was cut before each label, and its first
    # cut (`]`) held none, which no text could be added to.
    (canvas,) = read_canvases("# Acme\n\n]**Problem:** a **Solution:** b **UVP:** c\n", "post.md")
    assert "Problem: a Solution: b UVP: c" in str(canvas.extras)


def test_bold_labels_run_into_one_line_are_cut_where_a_label_opens_with_its_colon() -> None:
    # A label is cut at when a colon or a spaced dash follows it, or the rest of the line
    # is only a bracketed gloss: `**UVP** (why us?)` runs on into more text, so is no cut.
    line = (
        "**Problem:** Slow boats. **Solution:** Fast boats. **UVP** (why us?) "
        "**Customer Segments** – Shops. **Channels**: Web. **Revenue Streams** (fees)"
    )
    (canvas,) = read_canvases(f"# Acme\n\n{line}\n", "post.md")
    assert [(section.heading, section.paragraphs) for section in canvas.sections] == [
        ("Problem", ("Slow boats.",)),
        ("Solution", ("Fast boats. UVP (why us?)",)),
        ("Customer Segments", ("Shops.",)),
        ("Channels", ("Web.",)),
        ("Revenue Streams", ("(fees)",)),
    ]


def test_a_post_the_reader_fails_on_is_one_line_and_hides_no_other(
    run: Run, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    for name in ("acme", "faulty", "zeta"):
        (tmp_path / f"{name}.md").write_text(canvas(name.title()), encoding="utf-8")
    read = read_canvases

    def failing(text: str, source: str, *args: Any) -> Any:
        if source.endswith("faulty.md"):
            raise IndexError("list index out of range")
        return read(text, source, *args)

    monkeypatch.setattr("canvascli.read.canvas.read_canvases", failing)
    listed = ok(run("list", "--posts", str(tmp_path), "--no-cache"))
    assert [line.split("\t")[0] for line in listed.stdout.splitlines()] == ["Acme", "Zeta"]
    faulty = tmp_path / "faulty.md"
    assert listed.stderr == (
        f"canvas: {faulty}: could not be read (internal error: IndexError); skipped\n"
    )
    checked = run("check", "--posts", str(tmp_path), "--no-cache")
    assert "\nfaulty.md:1:1: CV303 could not be read (internal error: IndexError); skipped\n" in (
        checked.stdout
    )
    assert checked.stderr == "1 error, 14 warnings in 3 files\n"
    formatted = run("fmt", "--posts", str(tmp_path))
    assert formatted.exit_code == 1
    assert formatted.stderr == (
        "canvas: faulty.md: could not be read (internal error: IndexError); skipped\n"
        "0 files reformatted, 2 files left unchanged, 1 file not formatted\n"
    )


def test_the_five_megabyte_post_parses_when_the_limit_allows_it(hostile: HostileLibrary) -> None:
    path = hostile.root / "five_megabytes.md"
    parsed = read_post(path, hostile.root, limit=8 * 1024 * 1024).canvas
    assert parsed.name == "Five Megabytes Co"
    assert parsed.words > 600_000


# Every library the tests hold, and the one bundled with the package.
DATA = HOSTILE.parent
LIBRARIES = {
    **{name: DATA / name for name in ("wild", "hostile", "posts", "other_sections")},
    "three_companies": DATA / "three_companies",
    "bundled": DATA.parent.parent / "posts",
}
WHOLE_LIBRARY_CALLS = [
    ("list",),
    ("list", "--json"),
    ("list", "--kind", "lean"),
    ("list", "--kind", "business"),
    ("list", "--has", "channels"),
    ("list", "--missing", "channels", "--sort", "date"),
    ("list", "--sort", "date"),
    ("stats",),
    ("stats", "--json"),
    ("search", "customers"),
    ("search", "customers", "--json"),
    ("sections",),
    ("export", "--format", "json"),
    ("export", "--format", "csv"),
    ("export", "--format", "markdown"),
    ("check",),
    ("check", "--json"),
    ("check", "--all"),
]


# The everyday run samples; HYPOTHESIS_PROFILE=thorough runs every call on more companies.
THOROUGH = settings().max_examples > 100
COMPANIES_SAMPLED = 20 if THOROUGH else 3

# Calls that also build an index afresh in the everyday run: one per kind of stored data.
COLD_CALLS = {("list", "--json"), ("stats", "--json"), ("search", "customers"), ("check",)}


def company_calls(listed: list[dict[str, Any]], sampled: int) -> list[tuple[str, ...]]:
    """Some companies shown three ways, compared with the next and ranked against: the
    first two canvases of one post that holds several (of each, when thorough), and a few
    spread over the rest (each call reads the whole library afresh once)."""
    slugs = [row["slug"] for row in listed]
    by_post: dict[str, list[str]] = {}
    for row in listed:
        by_post.setdefault(row["source"], []).append(row["slug"])
    several = [canvases[:2] for canvases in by_post.values() if len(canvases) > 1]
    pairs = several if THOROUGH else several[:1]
    spread = slugs[:: max(1, len(slugs) // sampled)][:sampled]
    chosen = sorted({*spread, *(slug for pair in pairs for slug in pair)}, key=slugs.index)
    calls: list[tuple[str, ...]] = []
    for slug, following in zip(chosen, [*chosen[1:], chosen[0]], strict=True):
        calls += [("show", slug), ("show", slug, "--json"), ("show", slug, "--grid")]
        calls += [("similar", slug, "--json")]
        if following != slug:
            calls.append(("compare", slug, following))
    return calls


def library_answer(run: Run, args: tuple[str, ...], library: Path, env: dict[str, str]) -> str:
    """What one call prints on stdout and how it ends, once it is known not to have broken."""
    result = from_run(run(*args, "--posts", str(library), "--no-pager", env=env))
    context = f"canvas {args!r} ({env})\n{result.stdout}\n{result.stderr}"
    assert "Traceback" not in result.stdout + result.stderr, context
    assert "internal error" not in result.stderr, context
    assert not CONTROL_BYTES.search(result.stdout.replace("\t", "")), context
    assert not CONTROL_BYTES.search(result.stderr), context
    return f"{result.status}\n{result.stdout}"


@pytest.mark.parametrize("library", LIBRARIES.values(), ids=LIBRARIES.keys())
def test_every_library_reads_the_same_warm_cold_and_without_the_index(
    library: Path, run: Run, tmp_path: Path
) -> None:
    """Each command over each library prints the same whether the index is built, reused,
    built afresh for it alone, or not used at all."""
    warm = {"CANVASCLI_CACHE_DIR": str(tmp_path / "warm"), "COLUMNS": "120"}
    listed = json.loads(library_answer(run, ("list", "--json"), library, warm).split("\n", 1)[1])
    # The hostile posts are slow to read by design, and the matrix above already runs
    # every command over them warm, cold and without the index.
    whole = [
        args for args in WHOLE_LIBRARY_CALLS if THOROUGH or library != HOSTILE or args in COLD_CALLS
    ]
    sampled = 1 if library == HOSTILE and not THOROUGH else COMPANIES_SAMPLED
    for number, args in enumerate([*whole, *company_calls(listed, sampled)]):
        answer = library_answer(run, args, library, warm)
        assert library_answer(run, args, library, warm) == answer, args
        if args[0] != "sections":
            assert library_answer(run, (*args, "--no-cache"), library, warm) == answer, args
        if args in WHOLE_LIBRARY_CALLS and (THOROUGH or args in COLD_CALLS):
            cold = {**warm, "CANVASCLI_CACHE_DIR": str(tmp_path / f"cold-{number}")}
            assert library_answer(run, args, library, cold) == answer, args
