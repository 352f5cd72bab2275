"""`canvas compare` with two to six companies: layouts, common ground, --diff and --json."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.conftest import REPO
from tests.helpers import Process, Run, ok

Golden = Callable[[str, str], None]
THREE = REPO / "tests" / "data" / "three_companies"
THREE_SLUGS = ["northwind-analytics", "contoso-cloud", "fabrikam-storage"]
COLOUR = re.compile(r"\x1b\[[0-9;]*(?:3[0-9]|4[0-9]|9[0-7])[;m]")


def write_company(folder: Path, name: str, partners: list[str], segments: str = "Shops.") -> None:
    folder.mkdir(parents=True, exist_ok=True)
    items = "\n".join(f"* {partner}" for partner in partners)
    slug = name.lower().replace(" ", "-")
    (folder / f"{slug}.md").write_text(
        f"---\ntitle: {slug}\n---\n\n# Business Model of {name}\n\n"
        f"## Customer Segments\n\n{segments}\n\n## Key Partners\n\n{items}\n",
        encoding="utf-8",
    )


def common_ground_lines(stdout: str) -> list[str]:
    """The lines of the closing common-ground table, as plain text."""
    return stdout[stdout.index("Common ground") :].splitlines()


@pytest.mark.parametrize("width", [80, 120, 200])
def test_bundled_pair_matches_the_golden_file(run: Run, golden: Golden, width: int) -> None:
    result = ok(run("compare", "memsql", "violin-memory", env={"COLUMNS": str(width)}))
    assert all(len(line) <= width for line in result.stdout.splitlines())
    golden(f"compare_memsql_violin_{width}.txt", result.stdout)


@pytest.mark.parametrize("width", [80, 120, 200])
def test_three_way_compare_matches_the_golden_file(run: Run, golden: Golden, width: int) -> None:
    result = ok(run("compare", *THREE_SLUGS, "--posts", str(THREE), env={"COLUMNS": str(width)}))
    assert all(len(line) <= width for line in result.stdout.splitlines())
    golden(f"compare_three_companies_{width}.txt", result.stdout)


def test_the_bundled_pair_share_financial_services_and_microsoft(run: Run) -> None:
    stdout = ok(run("compare", "memsql", "violin-memory", env={"COLUMNS": "120"})).stdout
    ground = " ".join(common_ground_lines(stdout))
    assert re.search(r"Customer Segments\s+│\s+◆Financial Services\s+│ MemSQL, Violin", ground)
    assert re.search(r"Key Partners\s+│\s+◆Microsoft\s+│ MemSQL \(Microsoft Azure\), Vio", ground)
    table = stdout[: stdout.index("Common ground")]
    assert "• ◆Microsoft Azure" in table
    assert "◆Microsoft, Intel" in table
    assert "◆Financial Services" in table


def test_the_shared_mark_survives_no_color_and_colour_adds_a_style(run: Run) -> None:
    args = ("compare", "memsql", "violin", "-s", "kp", "--no-pager")
    plain = ok(run(*args, terminal=True)).stdout
    assert "◆Microsoft Azure" in plain and not COLOUR.search(plain)
    coloured = ok(run(*args, terminal=True, env={"NO_COLOR": ""})).stdout
    assert re.search(r"\x1b\[1;35m◆Microsoft Azure", coloured)


def test_three_companies_list_who_shares_each_term(run: Run) -> None:
    stdout = ok(run("compare", *THREE_SLUGS, "--posts", str(THREE), env={"COLUMNS": "200"})).stdout
    ground = "\n".join(common_ground_lines(stdout))
    assert re.search(r"◆Microsoft\s+│ all 3 \(Northwind Analytics: Microsoft Azure\)", ground)
    assert re.search(r"◆Healthcare\s+│ Northwind Analytics \(Healthcare providers\), Fab", ground)
    assert re.search(r"◆Universities\s+│ .*Contoso Cloud \(University research labs\)", ground)
    assert "◆Tableau" in ground and "Deloitte" not in ground


@pytest.mark.parametrize("count", [1, 7])
def test_compare_takes_two_to_six_companies(run: Run, tmp_path: Path, count: int) -> None:
    for number in range(7):
        write_company(tmp_path, f"Company {number}", ["Intel"])
    slugs = [f"company-{number}" for number in range(count)]
    result = run("compare", *slugs, "--posts", str(tmp_path))
    assert result.exit_code == 2
    assert result.stderr.strip() == f"canvas: compare takes 2 to 6 companies, not {count}"


def test_six_companies_in_a_normal_terminal_come_in_two_bands_of_three(
    run: Run, tmp_path: Path
) -> None:
    names = [f"Company {number}" for number in range(6)]
    for name in names:
        write_company(tmp_path, name, ["Intel", f"Partner {name}"])
    slugs = [name.lower().replace(" ", "-") for name in names]
    stdout = ok(run("compare", *slugs, "--posts", str(tmp_path), env={"COLUMNS": "120"})).stdout
    lines = stdout.splitlines()
    headers = [line for line in lines if "│ Company 0" in line or "│ Company 3" in line]
    assert len(headers) == 2
    assert [re.findall(r"Company \d", header) for header in headers[:2]] == [
        ["Company 0", "Company 1", "Company 2"],
        ["Company 3", "Company 4", "Company 5"],
    ]
    assert all(len(line) <= 120 for line in stdout.splitlines())
    assert re.search(r"◆Intel\s+│ all 6", stdout)


def test_six_companies_fit_in_one_table_on_a_wide_terminal(run: Run, tmp_path: Path) -> None:
    for number in range(6):
        write_company(tmp_path, f"Company {number}", ["Intel"])
    slugs = [f"company-{number}" for number in range(6)]
    stdout = ok(run("compare", *slugs, "--posts", str(tmp_path), env={"COLUMNS": "200"})).stdout
    assert len([line for line in stdout.splitlines() if "│ Company 0" in line]) == 1


def test_a_narrow_terminal_stacks_three_companies_and_lists_the_common_ground(
    run: Run,
) -> None:
    stdout = ok(
        run("compare", *THREE_SLUGS, "--posts", str(THREE), "-s", "kp", env={"COLUMNS": "60"})
    ).stdout
    assert "│" not in stdout
    assert all(len(line) <= 60 for line in stdout.splitlines())
    assert stdout.index("Northwind") < stdout.index("Contoso Cloud") < stdout.index("Fabrikam")
    assert "  ◆Microsoft — all 3 (Northwind Analytics: Microsoft Azure)" in stdout


def test_diff_hides_shared_items_and_leaves_what_differs(run: Run) -> None:
    stdout = ok(run("compare", "memsql", "violin", "-s", "kp", "--diff")).stdout
    assert "Microsoft Azure" not in stdout
    assert "• Tableau" in stdout and "• MicroStrategy" in stdout
    assert "Microsoft, Intel" in stdout, "paragraphs stay, unmarked"
    assert "◆" not in stdout.replace("marked ◆", "")
    assert "Common ground" not in stdout
    assert "Hidden by --diff: 1 shared list item." in stdout


def test_diff_says_when_a_whole_cell_was_shared(run: Run, tmp_path: Path) -> None:
    write_company(tmp_path, "Acme", ["Intel", "Oracle"])
    write_company(tmp_path, "Globex", ["Oracle", "Intel"])
    stdout = ok(run("compare", "acme", "globex", "--posts", str(tmp_path), "--diff")).stdout
    assert stdout.count("(all shared)") == 2
    assert "Shops." in stdout


def test_json_includes_the_common_ground(run: Run) -> None:
    data = json.loads(ok(run("compare", "memsql", "violin", "--json")).stdout)
    assert data["blocks"][0] == "customer-segments" and data["diff"] is False
    assert {"block": "key-partners", "term": "Microsoft"}.items() <= data["common"][-1].items()
    microsoft = next(term for term in data["common"] if term["term"] == "Microsoft")
    assert microsoft == {
        "block": "key-partners",
        "term": "Microsoft",
        "key": "microsoft",
        "companies": ["memsql", "violin-memory"],
        "matches": {"memsql": ["Microsoft Azure"], "violin-memory": ["Microsoft"]},
    }
    memsql = data["companies"][0]
    assert "Microsoft Azure" in memsql["blocks"]["key-partners"]["items"]


def test_json_with_diff_leaves_shared_items_out(run: Run) -> None:
    data = json.loads(ok(run("compare", "memsql", "violin", "-s", "kp", "--diff", "--json")).stdout)
    assert data["diff"] is True
    partners = data["companies"][0]["blocks"]["key-partners"]
    assert "Microsoft Azure" not in partners["items"]
    assert "Microsoft Azure" not in [entry["text"] for entry in partners["entries"]]
    assert "Tableau" in partners["items"]
    assert [term["term"] for term in data["common"]] == ["Microsoft"]


def test_shared_terms_from_untrusted_posts_print_as_written(run: Run, tmp_path: Path) -> None:
    evil = "[bold]Evil[/bold] Bank\x1b[2J"
    write_company(tmp_path, "Acme", [evil, "Intel"])
    write_company(tmp_path, "Globex", [evil])
    result = ok(
        run("compare", "acme", "globex", "--posts", str(tmp_path), "--no-pager", terminal=True)
    )
    assert "\x1b[2J" not in result.stdout
    assert "◆[bold]Evil[/bold] Bank␛[2J" in common_ground_lines(result.stdout)[4]


@pytest.mark.e2e
def test_the_installed_command_shows_the_common_ground(
    canvas_process: Process,
) -> None:
    result = canvas_process(
        "compare", "memsql", "violin-memory", "-s", "kp", env={"COLUMNS": "100", "NO_COLOR": "1"}
    )
    assert result.returncode == 0, result.stderr
    assert "• ◆Microsoft Azure" in result.stdout
    assert "Common ground" in result.stdout
    assert result.stderr == ""


WILD = REPO / "tests" / "data" / "wild"


def test_piped_views_are_drawn_as_rich_draws_them(run: Run) -> None:
    """Piped without colour, the view is drawn without Rich's console; with a variable that
    makes Rich treat the pipe as a terminal, Rich draws it. Both give the same bytes, for
    posts from the wild at widths from the narrowest wide table up, with and without --diff."""
    listed = json.loads(ok(run("list", "--json", "--posts", str(WILD))).stdout)
    slugs = sorted(company["slug"] for company in listed)
    chosen = [
        (slugs[number], slugs[number + 1], *(slugs[number + 2 :][:1] if number % 3 == 0 else []))
        for number in range(0, len(slugs) - 2, 9)
    ]
    # Markdown tables in a block are drawn by Rich in both cases.
    chosen.append(("checklist_and_data_table", "pipe_table_first_column", "italian_lean_table"))
    for companies in chosen:
        for width, extra in ((80, []), (97, ["--diff"]), (131, []), (200, [])):
            args = ["compare", *companies, *extra, "--posts", str(WILD)]
            plain = run(*args, env={"COLUMNS": str(width)})
            drawn = run(*args, env={"COLUMNS": str(width), "TTY_INTERACTIVE": "0"})
            assert plain.exit_code == drawn.exit_code == 0, (companies, plain.output)
            assert plain.stdout == drawn.stdout, (companies, width, extra)


def _changed_signature(line: str, width: int) -> list[int]:
    return []


@pytest.mark.parametrize("wrapping", [None, _changed_signature])
def test_piped_compare_is_drawn_by_rich_when_its_private_wrapping_changes(
    run: Run, monkeypatch: pytest.MonkeyPatch, wrapping: Callable[..., list[int]] | None
) -> None:
    """The plain view wraps text with a function private to Rich: with a Rich that moved or
    changed it, Rich draws the view, and the output is the same."""
    from canvascli.render import plain_compare

    args = ["compare", "memsql", "violin-memory", "--posts", str(REPO / "posts")]
    expected = ok(run(*args, env={"COLUMNS": "120"})).stdout
    monkeypatch.setattr(plain_compare, "_RICH_WRAPS", wrapping)
    assert ok(run(*args, env={"COLUMNS": "120"})).stdout == expected


# Prose of one-cell characters, of wide and joining ones, and words too long for a column.
_WORDS = st.sampled_from(
    ["data", "Cloud", "Acme’s", "—", "◆", "x" * 40, "数据库", "e\u0301te", "🙂", "a\u00a0b", "…"]
)
_TEXTS = st.lists(_WORDS, min_size=1, max_size=30).map(" ".join)
_BLOCK = st.lists(
    st.tuples(st.sampled_from(["", "* ", "  * "]), _TEXTS), min_size=1, max_size=5
).map(lambda lines: "\n".join(f"{mark}{text}" for mark, text in lines))


@settings(max_examples=20, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    blocks=st.lists(st.tuples(_BLOCK, _BLOCK), min_size=2, max_size=2),
    width=st.integers(80, 160),
    diff=st.booleans(),
)
def test_piped_views_of_any_prose_are_drawn_as_rich_draws_them(
    run: Run,
    tmp_path_factory: pytest.TempPathFactory,
    blocks: list[tuple[str, str]],
    width: int,
    diff: bool,
) -> None:
    folder = tmp_path_factory.mktemp("posts")
    for name, (segments, partners) in zip(["Alpha One", "Beta Two"], blocks, strict=True):
        (folder / f"{name.split()[0].lower()}.md").write_text(
            f"# Business Model of {name}\n\n## Customer Segments\n\n{segments}\n\n"
            f"## Key Partners\n\n{partners}\n\n## Channels\n\nShops and Cloud.\n",
            encoding="utf-8",
        )
    args = ["compare", "alpha", "beta", "--no-cache", "--posts", str(folder)]
    args += ["--diff"] if diff else []
    plain = ok(run(*args, env={"COLUMNS": str(width)}))
    drawn = ok(run(*args, env={"COLUMNS": str(width), "TTY_INTERACTIVE": "0"}))
    assert plain.stdout == drawn.stdout


def test_a_name_inside_a_longer_one_is_shared_on_its_own_by_more_companies(
    run: Run, tmp_path: Path
) -> None:
    """ "Microsoft" is shared by all three, "Microsoft Azure" by two: both are common ground,
    each with its own companies."""
    partners = {"acme": "Microsoft Azure", "globex": "Microsoft Azure", "initech": "Microsoft"}
    for slug, partner in partners.items():
        (tmp_path / f"{slug}.md").write_text(
            f"# Business Model of {slug.title()}\n\n## Key Partners\n\n* {partner}\n", "utf-8"
        )
    shown = ok(run("compare", *partners, "--posts", str(tmp_path), "--json")).stdout
    common = [(term["term"], term["companies"]) for term in json.loads(shown)["common"]]
    assert common == [
        ("Microsoft", ["acme", "globex", "initech"]),
        ("Microsoft Azure", ["acme", "globex"]),
    ]


def test_a_list_items_leading_name_is_a_term_up_to_six_words(run: Run, tmp_path: Path) -> None:
    six = "small regional rail freight operators abroad"
    seven = "large national road haulage firms at home"
    for slug in ("acme", "globex"):
        (tmp_path / f"{slug}.md").write_text(
            f"# Business Model of {slug.title()}\n\n## Key Partners\n\n"
            f"* {six}: for {slug}\n* {seven}: for {slug}\n",
            encoding="utf-8",
        )
    shown = ok(run("compare", "acme", "globex", "--posts", str(tmp_path), "--json")).stdout
    assert [term["term"] for term in json.loads(shown)["common"]] == [six]
