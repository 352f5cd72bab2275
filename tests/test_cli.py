"""The `canvas` command as a user drives it: output, errors and exit codes."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import time
from pathlib import Path

import pytest
from typer.core import TyperGroup
from typer.main import get_command

from canvascli import __version__
from canvascli.cli import app
from canvascli.render.canvas_views import SHOWN_EXTRAS
from tests.conftest import MEMSQL_PARTNERS, PINNED_ENV, POSTS, canvas_executable
from tests.helpers import Process, Run, ok, run_in_terminal

ANSI = re.compile(r"\x1b\[")
FIXTURES = Path(__file__).resolve().parent / "data" / "posts"
COLOUR = re.compile(r"\x1b\[[0-9;]*(?:3[0-9]|4[0-9]|9[0-7])[;m]")


def command_names() -> list[str]:
    """Every command as typed after `canvas`, sub-commands included ("cache info")."""
    group = get_command(app)
    assert isinstance(group, TyperGroup)
    names: list[str] = []
    for name, command in sorted(group.commands.items()):
        if isinstance(command, TyperGroup):
            names.extend(f"{name} {sub}" for sub in sorted(command.commands))
        else:
            names.append(name)
    return names


def write_post(folder: Path, name: str, text: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


def small_post(title: str, partners: list[str] | None = None) -> str:
    partner_lines = "\n".join(f"* {partner}" for partner in partners or ["Acme Bank"])
    return (
        f"---\ntitle: {title.lower()}\n---\n\n# Business Model of {title}\n\n"
        f"## Customer Segments\n\nSmall shops.\n\n## Key Partners\n\n{partner_lines}\n"
    )


def test_a_command_named_on_the_command_line_is_built_alone_and_unchanged() -> None:
    full = get_command(app)
    assert isinstance(full, TyperGroup)
    for name, command in full.commands.items():
        narrowed = app._with_only(name)
        assert narrowed is not None, name
        group = get_command(narrowed)
        assert isinstance(group, TyperGroup)
        assert list(group.commands) == [name]
        alone = group.commands[name]
        assert [param.name for param in alone.params] == [param.name for param in command.params]
        assert alone.help == command.help
    assert app._with_only("shw") is None


def test_version_is_the_package_version(run: Run) -> None:
    assert ok(run("--version")).stdout.strip() == f"canvas {__version__}"


def test_list_piped_prints_tab_separated_lines_without_ansi(run: Run) -> None:
    result = ok(run("list"))
    assert result.stdout.splitlines() == [
        "MemSQL\tmemsql\t9/9\t449",
        "Violin Memory\tviolin-memory\t9/9\t1211",
    ]
    assert not ANSI.search(result.stdout)


def test_list_in_a_terminal_draws_a_table_with_coverage(run: Run) -> None:
    result = ok(run("list", terminal=True))
    assert "Company" in result.stdout and "Blocks" in result.stdout
    assert "●●●●●●●●● 9/9" in result.stdout
    assert "Violin Memory" in result.stdout
    assert not COLOUR.search(result.stdout), "NO_COLOR must remove every colour code"


def test_a_dumb_terminal_gets_no_escape_codes_at_all(run: Run) -> None:
    result = ok(run("list", terminal=True, env={"TERM": "dumb", "NO_COLOR": ""}))
    assert "Violin Memory" in result.stdout
    assert not ANSI.search(result.stdout)


# Select Graphic Rendition: every colour and every style (bold, dim, italic, underline).
STYLING = re.compile(rb"\x1b\[[0-9;]*m")
CONTROL = re.compile(rb"\x1b\[[0-9;?]*[A-Za-z]")
PROGRESS = re.compile(rb"\x1b\[\?25l.*?\x1b\[\?25h", re.DOTALL)
# Every command on the bundled sample, as drawn for a person.
SAMPLE_COMMANDS = [
    ["--help"],
    ["list"],
    ["show", "memsql"],
    ["show", "memsql", "--grid"],
    ["compare", "memsql", "violin-memory"],
    ["similar", "memsql"],
    ["stats"],
    ["sections"],
    ["search", "partner"],
]
TERMINAL_COMMANDS = [*SAMPLE_COMMANDS, ["check"], ["show", "no-such-company"]]


@pytest.mark.e2e
@pytest.mark.parametrize("args", TERMINAL_COMMANDS, ids=" ".join)
def test_no_color_on_a_terminal_means_no_colour_and_no_bold_or_dim(
    args: list[str], tmp_path: Path
) -> None:
    env = {
        **os.environ,
        **PINNED_ENV,
        "CANVASCLI_CACHE_DIR": str(tmp_path / "cache"),
        "CANVASCLI_PAGER": "cat",
    }
    env.pop("FORCE_COLOR", None)
    # A warm index: no progress bar, whose cursor moves are not styling, is drawn.
    subprocess.run([*canvas_executable(), "list"], env=env, capture_output=True, check=True)
    coloured = run_in_terminal(
        [*canvas_executable(), *args], env={**env, "NO_COLOR": ""}, cwd=str(tmp_path)
    )
    plain = run_in_terminal(
        [*canvas_executable(), *args], env={**env, "NO_COLOR": "1"}, cwd=str(tmp_path)
    )
    if args != ["check"]:  # all of check's findings are plain text, even in colour
        assert STYLING.search(coloured[1]), coloured  # it is a terminal, drawn in colour
    assert plain[0] == coloured[0]
    assert not STYLING.search(plain[1]), plain[1].decode()
    assert text_of(coloured[1]) == text_of(plain[1])


def text_of(terminal: bytes) -> list[bytes]:
    """The words a terminal shows, without styling, cursor moves or a progress bar (drawn
    while the cursor is hidden)."""
    return CONTROL.sub(b"", PROGRESS.sub(b"", terminal)).split()


CLOSED_PIPE_COMMANDS = [
    *SAMPLE_COMMANDS,
    ["--version"],
    ["list", "--json"],
    ["check", "--json"],
    ["export"],
    ["export", "--format", "csv"],
    ["cache", "info"],
    ["show", "--help"],
]


@pytest.mark.e2e
@pytest.mark.parametrize("when", ["before-start", "after-one-line"])
def test_a_closed_pipe_ends_every_command_quietly_with_status_0(when: str, tmp_path: Path) -> None:
    env = {**os.environ, "CANVASCLI_CACHE_DIR": str(tmp_path / "cache")}
    for args in CLOSED_PIPE_COMMANDS:
        process = subprocess.Popen(
            [*canvas_executable(), *args],
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            cwd=tmp_path,
            env=env,
        )
        assert process.stdout is not None and process.stderr is not None
        if when == "after-one-line":
            process.stdout.readline()
        process.stdout.close()  # like `head -1` leaving
        # Nothing on stderr but what a run says anyway: `check`'s summary, once it has ended.
        stderr = process.stderr.read().replace(b"0 errors, 0 warnings in 2 files\n", b"")
        assert (args, process.wait(60), stderr) == (args, 0, b"")


def run_with_closed(streams: str, args: list[str], cwd: Path) -> subprocess.CompletedProcess[str]:
    """`canvas ARGS` started with its stdout, its stderr or both closed, as `>&-` closes them."""
    return subprocess.run(
        ["sh", "-c", f'exec "$0" "$@" {streams}', *canvas_executable(), *args],
        capture_output=True,
        text=True,
        cwd=cwd,
        stdin=subprocess.DEVNULL,
        timeout=60,
        check=False,
    )


@pytest.mark.e2e
@pytest.mark.parametrize("args", [["list"], ["--version"], ["show", "memsql"], ["new", "Acme"]])
def test_a_closed_stdout_is_one_line_on_stderr_and_runs_nothing(
    args: list[str], tmp_path: Path
) -> None:
    (tmp_path / "_posts").mkdir()
    done = run_with_closed(">&-", args, tmp_path)
    assert (done.returncode, done.stdout) == (1, "")
    assert done.stderr == "canvas: cannot write the output: standard output is closed\n"
    assert list((tmp_path / "_posts").iterdir()) == []
    assert run_with_closed(">&- 2>&-", args, tmp_path).returncode == 1


@pytest.mark.e2e
def test_a_closed_stderr_drops_the_warnings_and_the_run_goes_on(tmp_path: Path) -> None:
    posts = tmp_path / "_posts"
    posts.mkdir()
    shutil.copyfile(POSTS / "memsql.md", posts / "memsql.md")
    (posts / "broken.md").write_text("---\ntitle: [x\n---\n# Broken\n", encoding="utf-8")
    done = run_with_closed("2>&-", ["list"], tmp_path)
    assert (done.returncode, done.stdout) == (
        0,
        "Broken\tbroken\t0/9\t0\nMemSQL\tmemsql\t9/9\t449\n",
    )
    done = run_with_closed("2>&-", ["show", "nothing"], tmp_path)
    assert (done.returncode, done.stdout) == (1, "")


def test_list_json_gives_a_summary_per_company(run: Run) -> None:
    data = json.loads(ok(run("list", "--json")).stdout)
    assert [entry["slug"] for entry in data] == ["memsql", "violin-memory"]
    assert data[0]["name"] == "MemSQL"
    assert len(data[0]["coverage"]) == 9 and data[0]["missing"] == []
    assert data[0]["words"] == 449
    shown = json.loads(ok(run("show", "memsql", "--json")).stdout)
    assert set(data[0]) == set(shown) - {"blocks", "lean_blocks", "extras"}
    assert {key: shown[key] for key in data[0]} == data[0]


def test_list_sorts_by_words_in_reverse(run: Run) -> None:
    result = ok(run("list", "--sort", "words", "--reverse"))
    assert [line.split("\t")[1] for line in result.stdout.splitlines()] == [
        "violin-memory",
        "memsql",
    ]


def test_list_rejects_an_unknown_sort_key(run: Run) -> None:
    result = run("list", "--sort", "colour")
    assert result.exit_code == 2
    assert "--sort must be one of name, slug, words, blocks" in result.stderr


def test_show_one_block_prints_the_eight_partners_in_order(run: Run) -> None:
    result = ok(run("show", "memsql", "key-partners"))
    positions = [result.stdout.index(f"• {partner}") for partner in MEMSQL_PARTNERS]
    assert positions == sorted(positions)
    assert "Key Resources" not in result.stdout


@pytest.mark.parametrize("alias", ["partners", "kp", "Key Partners", "key-p", "KEY_PARTNERS"])
def test_show_accepts_block_aliases(run: Run, alias: str) -> None:
    assert "MicroStrategy" in ok(run("show", "MemSQL", alias)).stdout


def test_show_whole_canvas_has_every_block(run: Run) -> None:
    result = ok(run("show", "violin"))
    for title in ("Customer Segments", "Value Propositions", "Cost Structure", "Revenue Streams"):
        assert title in result.stdout


def test_show_json_follows_the_canvas_schema(run: Run) -> None:
    data = json.loads(ok(run("show", "memsql", "partners", "--json")).stdout)
    assert set(data) >= {"slug", "name", "source", "metadata", "blocks", "extras", "warnings"}
    assert list(data["blocks"]) == ["key-partners"]
    assert data["blocks"]["key-partners"]["items"] == MEMSQL_PARTNERS


def test_show_takes_blocks_by_section_option_as_compare_and_search_do(run: Run) -> None:
    named = ok(run("show", "memsql", "channels", "key-partners")).stdout
    assert ok(run("show", "memsql", "channels", "-s", "partners")).stdout == named
    assert (
        ok(run("show", "memsql", "--section", "channels", "-s", "kp", "--no-cache")).stdout == named
    )
    refused = run("show", "memsql", "-s", "partners", "--grid")
    assert refused.exit_code == 2
    assert (
        refused.stderr
        == "canvas: --grid draws all nine blocks; leave out 'partners', or leave out --grid\n"
    )


@pytest.mark.parametrize(
    ("separate", "together"),
    [
        (["show", "memsql", "kp", "cs"], ["show", "memsql", "kp,cs"]),
        (["show", "memsql", "-s", "kp", "-s", "cs"], ["show", "memsql", "-s", " kp, cs,"]),
        (
            ["compare", "memsql", "violin", "-s", "kp", "-s", "ch"],
            ["compare", "memsql", "violin", "-s", "kp,ch"],
        ),
        (["similar", "memsql", "-s", "kp", "-s", "cs"], ["similar", "memsql", "-s", "kp,cs"]),
        (["search", "services", "-s", "cs", "-s", "kp"], ["search", "services", "-s", "cs,kp"]),
        (["list", "--has", "kp", "--has", "cs"], ["list", "--has", "kp,cs"]),
    ],
)
def test_blocks_may_be_named_comma_separated(
    run: Run, separate: list[str], together: list[str]
) -> None:
    assert ok(run(*together)).stdout == ok(run(*separate)).stdout


@pytest.mark.parametrize("name", [",", "kp,nothing"])
def test_a_comma_separated_block_that_names_nothing_is_refused(run: Run, name: str) -> None:
    result = run("show", "memsql", name)
    assert result.exit_code == 2
    missing = name if name == "," else "nothing"
    assert result.stderr.startswith(f"canvas: no block '{missing}'")


@pytest.mark.parametrize("form", [(), ("--json",), ("--markdown",)], ids=["table", "json", "md"])
def test_show_says_which_block_asked_for_is_missing_in_every_form(
    run: Run, form: tuple[str, ...]
) -> None:
    result = ok(
        run("show", "missing_cost_structure", "costs", "kp", "--posts", str(FIXTURES), *form)
    )
    assert result.stderr.endswith(
        "canvas: missing_cost_structure has no Cost Structure block "
        f"({FIXTURES / 'missing_cost_structure.md'})\n"
    )
    if form == ("--json",):
        assert json.loads(result.stdout)["slug"] == "missing_cost_structure"


def test_show_markdown_prints_the_source_of_the_section(run: Run) -> None:
    result = ok(run("show", "memsql", "key-partners", "--markdown"))
    source = (POSTS / "memsql.md").read_text(encoding="utf-8")
    assert result.stdout.startswith("### Key Partners\n")
    assert result.stdout.strip() in source


def test_unknown_company_is_one_line_with_a_suggestion(run: Run) -> None:
    result = run("show", "memsqk")
    assert result.exit_code == 1
    assert result.stdout == ""
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1
    assert re.fullmatch(r"canvas: no company 'memsqk' in .+; did you mean 'memsql'\?", lines[0])


def test_unknown_company_without_a_near_name_points_to_the_list(run: Run) -> None:
    result = run("show", "acme")
    assert result.exit_code == 1
    assert re.fullmatch(r"canvas: no company 'acme' in .+ \(see 'canvas list'\)\n", result.stderr)
    listed = ok(run("list")).stdout
    assert "acme" not in listed.lower()


def test_an_unpublished_company_is_named_with_how_to_include_it(run: Run, tmp_path: Path) -> None:
    library = tmp_path / "_posts"
    write_post(library, "acme-rockets.md", "---\ntitle: Acme Rockets\n---\n## Channels\nWeb.\n")
    draft = write_post(
        library,
        "2024-01-02-secret-labs.md",
        "---\ntitle: Secret Labs\npublished: false\n---\n## Channels\nNone.\n",
    )
    for command in (
        ["show", "secret"],
        ["compare", "acme", "secret-labs"],
        ["similar", "Secret Labs"],
        ["export", "secret-labs"],
        ["search", "none", "-c", "secret"],
    ):
        result = run(*command)
        assert result.exit_code == 1, command
        assert result.stdout == ""
        hint = f"{draft.relative_to(tmp_path)} is marked `published: false` (add --unpublished)"
        assert result.stderr.splitlines() == [
            f"canvas: no company '{command[-1]}' in _posts; {hint}"
        ], command
        assert ok(run(*command, "--unpublished")).stdout


@pytest.mark.parametrize("command", ["list", "similar memsql", "search services", "log memsql"])
def test_no_limit_shows_nothing_at_zero(run: Run, command: str) -> None:
    result = run(*command.split(), "--limit", "0")
    assert result.exit_code == 2, result.output
    assert result.stdout == ""
    assert "Invalid value for '--limit' / '-n': 0 is not in the range x>=1." in result.stderr


@pytest.mark.parametrize("found_as", ["folder", "file"])
def test_a_library_folder_from_the_environment_says_where_it_came_from(
    run: Run, tmp_path: Path, found_as: str
) -> None:
    named = tmp_path / "old-posts"
    if found_as == "file":
        named.write_text("not a folder\n", encoding="utf-8")
    reason = "no such folder" if found_as == "folder" else "not a folder"
    from_environment = run("list", env={"CANVASCLI_POSTS": str(named)})
    assert from_environment.exit_code == 1
    assert from_environment.stderr == (
        f"canvas: library {named} (from $CANVASCLI_POSTS): {reason}\n"
    )
    from_option = run("list", "--posts", str(named), env={"CANVASCLI_POSTS": str(tmp_path)})
    assert from_option.stderr == f"canvas: library {named}: {reason}\n"


@pytest.mark.parametrize(
    ("arguments", "where"),
    [
        (["--posts", "x", "list"], "canvas list --posts"),
        (["--posts=x", "list"], "canvas list --posts"),
        (["-n", "3", "search", "cloud"], "canvas search -n"),
        (["--json", "cache", "info"], "canvas cache info --json"),
    ],
)
def test_an_option_before_its_command_says_where_it_goes(
    run: Run, arguments: list[str], where: str
) -> None:
    result = run(*arguments)
    assert result.exit_code == 2
    option = arguments[0].partition("=")[0]
    assert f"{option} goes after the command: {where} …" in result.stderr
    unknown = run("--colour", "list")
    assert unknown.exit_code == 2
    assert "No such option: --colour" in unknown.stderr


def test_an_argument_that_starts_with_a_dash_is_shown_how_to_give_it(run: Run) -> None:
    refused = run("search", "-retail")
    assert refused.exit_code == 2
    said = " ".join(re.sub(r"[│╭╮╰╯─]", " ", refused.stderr).split())
    assert (
        "No such option: -retail; an argument that starts with '-' goes after '--': "
        "canvas search -- -retail"
    ) in said
    assert ok(run("search", "--", "-retail")).stdout == ok(run("search", "retail")).stdout
    for misspelt, told in (
        (["show", "memsql", "--grd"], "No such option: --grd (Possible options: --grid"),
        (["list", "-zzz"], "No such option: -z"),
        (["compare", "memsql", "violin", "-x"], "No such option: -x"),
    ):
        result = run(*misspelt)
        assert result.exit_code == 2
        assert told in result.stderr
        assert "--'" not in result.stderr


def test_ambiguous_block_lists_the_candidates(run: Run) -> None:
    result = run("show", "memsql", "key")
    assert result.exit_code == 2
    assert "key-activities, key-partners, key-resources" in result.stderr


def test_unknown_block_is_a_usage_error(run: Run) -> None:
    result = run("show", "memsql", "weather")
    assert result.exit_code == 2
    assert "no block 'weather'" in result.stderr


def test_compare_never_truncates_a_cell(run: Run) -> None:
    stdout = ok(run("compare", "memsql", "violin-memory", env={"COLUMNS": "90"})).stdout
    words = " ".join(re.sub(r"[│╭╮╰╯├┤┼─┬┴]", " ", stdout).split())
    assert "…" not in stdout
    assert "San Francisco 49ers" in words
    assert "MicroStrategy" in words


def test_compare_on_a_narrow_terminal_stacks_companies(run: Run) -> None:
    stdout = ok(
        run("compare", "memsql", "violin-memory", "-s", "partners", env={"COLUMNS": "60"})
    ).stdout
    assert "│" not in stdout
    assert stdout.index("MemSQL") < stdout.index("Violin Memory")
    assert all(len(line) <= 60 for line in stdout.splitlines())


def test_compare_json_restricts_blocks(run: Run) -> None:
    data = json.loads(ok(run("compare", "memsql", "violin", "-s", "segments", "--json")).stdout)
    assert data["blocks"] == ["customer-segments"]
    assert [company["slug"] for company in data["companies"]] == ["memsql", "violin-memory"]
    assert all(list(company["blocks"]) == ["customer-segments"] for company in data["companies"])


def test_sections_lists_the_nine_blocks(run: Run) -> None:
    data = json.loads(ok(run("sections", "--json")).stdout)
    assert len(data) == 9
    assert {"key": "key-partners", "title": "Key Partners"}.items() <= data[7].items()
    table = ok(run("sections", terminal=True)).stdout
    assert "cost-structure" in table and "partners" in table


def test_posts_option_environment_and_jekyll_folder(
    run: Run, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    write_post(tmp_path / "explicit", "acme.md", small_post("Acme"))
    write_post(tmp_path / "from-env", "globex.md", small_post("Globex"))
    write_post(tmp_path / "_posts", "2016-05-12-initech.md", small_post("Initech"))
    assert ok(run("list", "--posts", str(tmp_path / "explicit"))).stdout.startswith("Acme\tacme")
    env = {"CANVASCLI_POSTS": str(tmp_path / "from-env")}
    assert ok(run("list", env=env)).stdout.startswith("Globex\tglobex")
    assert ok(run("list")).stdout.startswith("Initech\tinitech\t")


@pytest.mark.parametrize(
    "arguments",
    [
        ("list", "--posts", ""),
        ("list", "--posts="),
        ("show", "memsql", "--posts="),
        ("compare", "memsql", "violin-memory", "--posts", ""),
        ("fmt", "--posts", ""),
        ("new", "Acme", "--posts", ""),
    ],
)
def test_an_empty_posts_folder_is_refused_not_taken_for_the_current_one(
    run: Run, tmp_path: Path, arguments: tuple[str, ...]
) -> None:
    # The folder `canvas` runs in holds a post: reading it would answer, and fmt or new
    # would change it.
    write_post(tmp_path, "acme.md", small_post("Acme"))
    before = (tmp_path / "acme.md").read_bytes()
    result = run(*arguments)
    assert result.exit_code == 2, result.output
    assert "--posts" in result.stderr and "an empty path names no folder" in result.stderr
    assert result.stdout == ""
    assert sorted(path.name for path in tmp_path.iterdir()) == ["acme.md"]
    assert (tmp_path / "acme.md").read_bytes() == before


def test_missing_library_folder_is_a_one_line_error(run: Run, tmp_path: Path) -> None:
    result = run("list", "--posts", str(tmp_path / "nowhere"))
    assert result.exit_code == 1
    assert result.stderr.strip() == f"canvas: library {tmp_path / 'nowhere'}: no such folder"


def test_unpublished_posts_are_hidden_unless_asked_for(run: Run, tmp_path: Path) -> None:
    write_post(tmp_path, "draft.md", "---\npublished: false\n---\n# Draft Co\n")
    write_post(tmp_path, "live.md", small_post("Live"))
    assert ok(run("list", "--posts", str(tmp_path))).stdout.count("\n") == 1
    shown = ok(run("list", "--posts", str(tmp_path), "--unpublished")).stdout
    assert "Draft Co" in shown


def test_a_broken_post_is_reported_once_and_the_others_still_work(run: Run, tmp_path: Path) -> None:
    write_post(tmp_path, "good.md", small_post("Good"))
    (tmp_path / "binary.md").write_bytes(b"\x00\x01\x02 not a post")
    result = ok(run("list", "--posts", str(tmp_path)))
    assert result.stdout.startswith("Good\tgood\t")
    assert result.stderr.count("binary.md") == 1
    assert "binary file" in result.stderr
    assert ok(run("show", "good", "--posts", str(tmp_path))).stdout


def test_post_text_is_never_rich_markup_nor_raw_control_codes(run: Run, tmp_path: Path) -> None:
    write_post(
        tmp_path,
        "evil.md",
        small_post(
            "Evil [bold red]Corp[/x]", ["[link=file:///etc/passwd]click[/link]", "bell\x07 \x1b[2J"]
        ),
    )
    write_post(tmp_path, "plain.md", small_post("Plain"))
    for args in (
        ["list"],
        ["show", "evil"],
        ["compare", "evil", "plain"],
        ["similar", "evil"],
        ["stats"],
    ):
        result = ok(run(*args, "--posts", str(tmp_path), terminal=True))
        for output in (result.stdout, result.stderr):
            assert "\x1b[2J" not in output and "\x07" not in output
    shown = ok(run("show", "evil", "--posts", str(tmp_path), terminal=True)).stdout
    assert "[bold red]Corp[/x]" in shown
    assert "[link=file:///etc/passwd]click[/link]" in shown
    assert "␛[2J" in shown


def test_every_command_has_help_with_an_example(run: Run) -> None:
    commands = command_names()
    assert {"list", "show", "compare", "sections"} <= set(commands)
    for name in commands:
        result = ok(run(*name.split(), "--help"))
        assert "Example:" in result.stdout, name


def test_a_post_with_several_problems_is_reported_on_one_line(run: Run, tmp_path: Path) -> None:
    write_post(tmp_path, "good.md", small_post("Good"))
    broken = "---\ntitle: [caf\xe9\n---\n" + small_post("Latin")
    (tmp_path / "latin.md").write_bytes(broken.encode("latin-1"))
    result = ok(run("list", "--posts", str(tmp_path)))
    (line,) = result.stderr.splitlines()
    assert line.startswith(f"canvas: {tmp_path / 'latin.md'}: file is not UTF-8 ")
    assert "; front matter is not valid YAML" in line


def test_cache_info_shows_a_hostile_folder_name_escaped(run: Run, tmp_path: Path) -> None:
    folder = tmp_path / "lib\x1b]52;c;cm0K\x07\x1b[2J"
    write_post(folder, "good.md", small_post("Good"))
    result = ok(run("cache", "info", "--posts", str(folder)))
    assert "lib␛]52;c;cm0K␇␛[2J" in result.stdout
    assert "\x1b" not in result.stdout and "\x07" not in result.stdout


def test_show_draws_the_first_extra_sections_and_says_how_many_more(
    run: Run, tmp_path: Path
) -> None:
    total = SHOWN_EXTRAS + 50
    notes = "".join(f"## Note {number}\n\nText {number}.\n\n" for number in range(total))
    write_post(tmp_path, "notes.md", small_post("Notes") + "\n" + notes)
    shown = ok(run("show", "notes", "--posts", str(tmp_path))).stdout
    assert f"Note {SHOWN_EXTRAS - 1} " in shown and f"Note {SHOWN_EXTRAS} " not in shown
    assert "50 more sections not shown; --markdown or --json prints them all" in shown
    markdown = ok(run("show", "notes", "--posts", str(tmp_path), "--markdown")).stdout
    assert f"## Note {total - 1}\n" in markdown
    data = json.loads(ok(run("show", "notes", "--posts", str(tmp_path), "--json")).stdout)
    assert len(data["extras"]) == total


def completion_env(shell: str, words: str) -> dict[str, str]:
    """The variables a shell's completion script sets to ask `canvas` for `words`' last word,
    as Typer's scripts for bash, zsh and fish set them."""
    if shell == "bash":
        return {
            "_CANVAS_COMPLETE": "complete_bash",
            "COMP_WORDS": words,
            "COMP_CWORD": str(len(words.split()) - (0 if words.endswith(" ") else 1)),
        }
    variables = {"_CANVAS_COMPLETE": f"complete_{shell}", "_TYPER_COMPLETE_ARGS": words}
    if shell == "fish":
        variables["_TYPER_COMPLETE_FISH_ACTION"] = "get-args"
    return variables


def completed_words(shell: str, output: str) -> list[str]:
    """The words a shell is offered, out of what `canvas` printed for it."""
    if shell == "zsh":
        return re.findall(r'"([^"]*)"', output)
    return output.split()


def completion_library(folder: Path) -> Path:
    """A library whose slugs the bundled sample does not have."""
    write_post(folder, "2016-05-01-acme-rockets.md", small_post("Acme Rockets"))
    write_post(folder, "acme-robots.md", small_post("Acme Robots"))
    write_post(folder, "zenith.md", small_post("Zenith"))
    return folder


SHELLS = ["bash", "zsh", "fish"]


def complete_in(
    canvas_process: Process,
    shell: str,
    words: str,
    *,
    cwd: Path | None = None,
    extra: dict[str, str] | None = None,
) -> list[str]:
    """What the installed `canvas` offers `shell` for the last of `words`; it prints no error."""
    completed = canvas_process(env={**completion_env(shell, words), **(extra or {})}, cwd=cwd)
    assert (completed.returncode, completed.stderr) == (0, "")
    return completed_words(shell, completed.stdout)


@pytest.mark.e2e
@pytest.mark.parametrize("shell", SHELLS)
def test_completion_follows_the_posts_option_in_every_shell(
    canvas_process: Process, tmp_path: Path, shell: str
) -> None:
    library = completion_library(tmp_path / "lib")

    def complete(words: str) -> list[str]:
        return complete_in(canvas_process, shell, words)

    assert complete(f"canvas show --posts {library} acme") == ["acme-robots", "acme-rockets"]
    assert complete(f"canvas compare acme-robots --posts {library} z") == ["zenith"]
    assert complete(f"canvas search thing --posts {library} -c ze") == ["zenith"]
    assert complete(f"canvas export --posts {library} acme-rob") == ["acme-robots"]
    assert complete(f"canvas show --posts {library} zenith key-p") == ["key-partners"]
    assert complete(f"canvas compare --posts {library} mem") == [], "not the bundled sample"


@pytest.mark.e2e
@pytest.mark.parametrize("shell", SHELLS)
def test_completion_finds_the_library_as_every_command_does(
    canvas_process: Process, tmp_path: Path, shell: str
) -> None:
    from_variable = completion_library(tmp_path / "lib")
    site = tmp_path / "site"
    write_post(site / "_posts", "2020-01-01-quartz.md", small_post("Quartz"))

    def complete(words: str, cwd: Path, extra: dict[str, str] | None = None) -> list[str]:
        return complete_in(canvas_process, shell, words, cwd=cwd, extra=extra)

    posts_variable = {"CANVASCLI_POSTS": str(from_variable)}
    assert complete("canvas show ze", tmp_path, posts_variable) == ["zenith"]
    assert complete("canvas show q", site) == ["quartz"]
    assert complete("canvas show mem", tmp_path) == ["memsql"]
    assert complete("canvas compare memsql vio", tmp_path) == ["violin-memory"]


@pytest.mark.e2e
def test_completion_from_a_warm_index_parses_no_post(
    canvas_process: Process, tmp_path: Path
) -> None:
    library = completion_library(tmp_path / "lib")
    cache = {"CANVASCLI_CACHE_DIR": str(tmp_path / "cache")}
    ok_list = canvas_process("list", "--posts", str(library), env=cache)
    assert ok_list.returncode == 0, ok_list.stderr
    completed = canvas_process(
        env={
            **completion_env("bash", f"canvas show --posts {library} ze"),
            **cache,
            "PYTHONPROFILEIMPORTTIME": "1",
        }
    )
    assert completed.stdout.split() == ["zenith"]
    imported = {line.split("|")[-1].strip() for line in completed.stderr.splitlines()}
    assert "canvascli.store.library" in imported
    assert not imported & {"mistune", "frontmatter", "yaml", "canvascli.read.canvas"}


def test_completion_names_commands_groups_and_options_around_the_command_built(
    run: Run, tmp_path: Path
) -> None:
    library = completion_library(tmp_path / "lib")

    def complete(words: str) -> list[str]:
        return ok(run(env=completion_env("bash", words))).stdout.split()

    assert complete("canvas sh") == ["show"]
    assert complete("canvas cache ") == ["info", "clear"]
    assert complete("canvas cache info --j") == ["--json"]
    assert complete(f"canvas --debug show --posts {library} ze") == ["zenith"]
    assert complete(f"canvas list --posts {library} --kind l") == ["lean"]
    assert complete(f"canvas nothing --posts {library} ze") == []


def unpublished_post(title: str) -> str:
    return small_post(title).replace("---\n", "---\npublished: false\n", 1)


def test_completion_from_the_index_follows_posts_added_removed_and_unpublished(
    run: Run, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    library = completion_library(tmp_path / "lib")

    def complete(words: str) -> list[str]:
        asked = completion_env("bash", f"canvas show --posts {library} {words}")
        return ok(run(env=asked)).stdout.split()

    def index_later() -> None:
        """`canvas list`, as if run long after the library's folder last changed, so that
        its walk is trusted until the folder changes again."""
        now_ns = time.time_ns()
        with monkeypatch.context() as patched:
            patched.setattr(time, "time_ns", lambda: now_ns + 60_000_000_000)
            ok(run("list", "--posts", str(library)))

    assert complete("ac") == ["acme-robots", "acme-rockets"]
    index_later()
    assert complete("ac") == ["acme-robots", "acme-rockets"]
    write_post(library, "acme-rovers.md", small_post("Acme Rovers"))
    (library / "acme-robots.md").unlink()
    assert complete("ac") == ["acme-rockets", "acme-rovers"]
    write_post(library, "acme-hidden.md", unpublished_post("Acme Hidden"))
    index_later()
    assert complete("ac") == ["acme-rockets", "acme-rovers"]
    assert complete("--unpublished ac") == ["acme-hidden", "acme-rockets", "acme-rovers"]
    assert complete("--no-cache ac") == ["acme-rockets", "acme-rovers"]
    # A Tab press reads no post: one edited in place is offered as the index last saw it,
    # until a command reads the library again.
    write_post(library, "acme-rovers.md", unpublished_post("Acme Rovers"))
    assert complete("acme-r") == ["acme-rockets", "acme-rovers"]
    assert complete("--no-cache acme-r") == ["acme-rockets"]
    index_later()
    assert complete("acme-r") == ["acme-rockets"]


@pytest.mark.parametrize("columns", ["0", "-5", "99999999", "wide"])
@pytest.mark.parametrize(
    "args",
    [
        ("show", "memsql", "--no-pager"),
        ("stats", "--no-pager"),
        ("search", "tableau", "--no-pager"),
        ("similar", "memsql", "--no-pager"),
        ("sections",),
        ("compare", "memsql", "violin-memory", "--no-pager"),
    ],
    ids=lambda args: args[0],
)
def test_a_terminal_width_that_is_no_width_is_ignored(
    run: Run, args: tuple[str, ...], columns: str
) -> None:
    drawn = ok(run(*args, terminal=True, env={"COLUMNS": columns}))
    default = ok(run(*args, terminal=True, env={"COLUMNS": "80"}))
    assert drawn.stdout.strip()
    assert drawn.stdout == default.stdout
