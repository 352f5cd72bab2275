"""How views are laid out: whole slugs, names and numbers at any width, clean piped lines,
nested lists and tables inside a block, a readable measure, and headers without repeats."""

from __future__ import annotations

import json
import re
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

from benchmarks.generate import generate_library
from canvascli.render.canvas_views import READING_MEASURE
from canvascli.render.library_views import SIMILAR_BLOCKS_SHOWN
from tests.conftest import REPO
from tests.helpers import Run, ok

Golden = Callable[[str, str], None]
# Copied beside each run, so that the path the views print is the same on every machine.
THREE_SOURCE = REPO / "tests" / "data" / "three_companies"
THREE = "three_companies"
SLUGS = ["contoso-cloud", "fabrikam-storage", "northwind-analytics"]
NAME_WORDS = ["Contoso", "Cloud", "Fabrikam", "Storage", "Northwind", "Analytics"]
SGR = re.compile(r"\x1b\[[0-9;]*m")
NESTED_AND_TABLE = """\
---
title: Acme Rockets
---
# Acme Rockets

### Customer Segments
- Small firms
  - bakeries that open before dawn and want their orders confirmed the night before
  - cafes
- Large firms

### Key Partners
| Partner | Role | Since |
|---|---|---|
| Tableau | reseller | 2015 |
| Amazon Web Services | cloud | 2016 |
"""


@pytest.fixture(autouse=True)
def three_companies(tmp_path: Path) -> None:
    """The three companies beside the folder every run starts in."""
    shutil.copytree(THREE_SOURCE, tmp_path / THREE)


def whole(word: str, output: str) -> bool:
    """True when `word` is printed unbroken, not cut at a line's end."""
    return re.search(rf"(?<![\w-]){re.escape(word)}(?![\w-])", output) is not None


def drawn(run: Run, *args: str, columns: int) -> str:
    """A view as a terminal of `columns` shows it, without its styles."""
    result = ok(run(*args, terminal=True, env={"COLUMNS": str(columns)}))
    return SGR.sub("", result.stdout)


@pytest.mark.parametrize("columns", [60, 80])
@pytest.mark.parametrize(
    "command",
    [
        ["list", "--posts", THREE],
        ["stats", "--posts", THREE],
        ["similar", "northwind", "--posts", THREE],
        ["search", "microsoft", "--posts", THREE],
    ],
    ids=["list", "stats", "similar", "search"],
)
def test_slugs_names_and_numbers_are_never_broken(
    run: Run, command: list[str], columns: int
) -> None:
    output = drawn(run, *command, columns=columns)
    assert all(len(line) <= columns for line in output.splitlines()), output
    shown_slugs = [slug for slug in SLUGS if slug in output]
    if command[0] in ("list", "similar"):
        assert shown_slugs == SLUGS or shown_slugs == SLUGS[:2], output
    for word in [*shown_slugs, *NAME_WORDS]:
        assert whole(word, output), f"{word!r} broken at {columns} columns:\n{output}"
    for number in re.findall(r"\d[\d,.]*\d|\d", output):
        assert whole(number, output)


@pytest.mark.parametrize("columns", [41, 44, 50])
def test_list_on_a_narrow_terminal_counts_blocks_rather_than_break_a_slug(
    run: Run, columns: int
) -> None:
    """Too narrow for the marks beside whole slugs, the blocks are counted without them."""
    output = drawn(run, "list", "--posts", THREE, columns=columns)
    assert all(len(line) <= columns for line in output.splitlines()), output
    for word in [*SLUGS, *NAME_WORDS, "Words", "9/9", "103"]:
        assert whole(word, output), f"{word!r} broken at {columns} columns:\n{output}"
    assert ("●" in output) == (columns >= 50), output


def test_list_never_cuts_a_number_or_a_slug_at_any_width_that_holds_them(run: Run) -> None:
    """From the width a whole slug first fits up: each table is chosen only where Rich
    draws it whole."""
    for columns in range(34, 64):
        output = drawn(run, "list", "--posts", str(REPO / "posts"), columns=columns)
        assert all(len(line) <= columns for line in output.splitlines()), output
        for word in ["memsql", "violin-memory", "449", "1,211", "9/9", "Words"]:
            assert whole(word, output), f"{word!r} broken at {columns} columns:\n{output}"


def test_similar_never_breaks_a_slug_a_name_or_a_score_at_any_width_from_30(
    run: Run, tmp_path: Path
) -> None:
    """Each table is chosen only where Rich draws it whole; below them, each company is a
    few lines of its own."""
    generate_library(tmp_path / "generated", 12)
    libraries = {
        "posts": REPO / "posts",
        THREE: tmp_path / THREE,
        "generated": tmp_path / "generated",
    }
    for library, company in (
        ("posts", "memsql"),
        (THREE, "northwind"),
        ("generated", "acme-data-0"),
    ):
        piped = ok(run("similar", company, "--posts", str(libraries[library]), "--json")).stdout
        ranked = json.loads(piped)["similar"]
        words = {word for found in ranked for word in found["name"].split()}
        chips = {
            f"{block['title']} {block['score']:.2f}"
            for found in ranked
            for block in found["blocks"][:SIMILAR_BLOCKS_SHOWN]
        }
        for columns in range(30, 81):
            output = drawn(
                run,
                *("similar", company, "--posts", str(libraries[library]), "--no-pager"),
                columns=columns,
            )
            assert all(len(line) <= columns for line in output.splitlines()), output
            for word in [*(found["slug"] for found in ranked), *words]:
                assert whole(word, output), f"{word!r} broken at {columns} columns:\n{output}"
            for found in ranked:
                assert whole(f"{found['score']:.2f}", output), f"{columns} columns:\n{output}"
            lines = [line.strip(" ,") for line in output.splitlines()]
            for chip in chips:
                assert any(chip in line for line in lines), f"{chip!r} at {columns}:\n{output}"


def test_at_80_columns_the_slug_column_keeps_its_width_and_prose_wraps(run: Run) -> None:
    output = drawn(run, "similar", "northwind", "--posts", THREE, columns=80)
    rows = [line for line in output.splitlines() if "contoso-cloud" in line]
    assert len(rows) == 1 and "Contoso Cloud" in rows[0] and "0.22" in rows[0], output
    assert "Customer Segments 0.04," in output


def test_at_60_columns_similar_puts_name_and_slug_in_one_column(run: Run) -> None:
    lines = drawn(run, "similar", "northwind", "--posts", THREE, columns=60).splitlines()
    name = next(number for number, line in enumerate(lines) if "Contoso Cloud" in line)
    assert lines[name + 1].strip().startswith("contoso-cloud"), lines


def test_at_60_columns_list_keeps_slugs_whole_and_wraps_names(run: Run) -> None:
    lines = drawn(run, "list", "--posts", THREE, columns=60).splitlines()
    assert any(re.match(r" +Northwind +northwind-analytics +●", line) for line in lines), lines


def test_at_60_columns_stats_draws_each_companys_marks_in_a_row(run: Run) -> None:
    output = drawn(run, "stats", "--posts", THREE, columns=60)
    assert re.search(r"Northwind Analytics +●●●●●●●●● 9/9", output), output
    assert "CS 3 · VP 3" in output


def test_a_term_is_never_parted_from_its_count(run: Run) -> None:
    for columns in (60, 80):
        output = drawn(run, "stats", "--posts", THREE, columns=columns)
        assert "Universities 2" in output and "Financial Services 2" in output, output


VIEWS = {
    "show_memsql_80": ["show", "memsql"],
    "show_nested_and_table_80": ["show", "acme", "--posts", "posts"],
    "stats_three_companies_80": ["stats", "--posts", THREE],
    "similar_northwind_80": ["similar", "northwind", "--posts", THREE],
    "sections_80": ["sections"],
    "list_three_companies_80": ["list", "--posts", THREE],
}


@pytest.mark.parametrize("name", VIEWS)
def test_piped_views_match_their_golden_files(
    run: Run, golden: Golden, tmp_path: Path, name: str
) -> None:
    (tmp_path / "posts").mkdir()
    (tmp_path / "posts" / "acme.md").write_text(NESTED_AND_TABLE, encoding="utf-8")
    result = ok(run(*VIEWS[name], env={"COLUMNS": "80"}))
    golden(f"{name}.txt", result.stdout)


@pytest.mark.parametrize(
    "command",
    [
        ["show", "memsql", "--no-pager"],
        ["show", "memsql", "--grid", "--no-pager"],
        ["compare", "memsql", "violin", "--no-pager"],
        ["similar", "memsql", "--no-pager"],
        ["search", "storage", "--no-pager"],
        ["stats", "--no-pager"],
        ["list", "--no-pager"],
        ["sections"],
        ["check", str(REPO / "tests" / "data" / "posts")],
    ],
)
@pytest.mark.parametrize("terminal", [False, True], ids=["piped", "terminal"])
def test_no_line_ends_in_spaces(run: Run, command: list[str], terminal: bool) -> None:
    output = run(*command, terminal=terminal).stdout
    assert output.strip()
    for line in SGR.sub("", output).splitlines():
        assert line == line.rstrip(), repr(line)


def test_nested_items_hang_under_their_parents_text(run: Run, tmp_path: Path) -> None:
    (tmp_path / "posts").mkdir()
    (tmp_path / "posts" / "acme.md").write_text(NESTED_AND_TABLE, encoding="utf-8")
    lines = ok(run("show", "acme", "cs", "--posts", "posts", env={"COLUMNS": "60"})).stdout
    body = lines.splitlines()
    parent = next(line for line in body if "Small firms" in line)
    child = next(line for line in body if "bakeries" in line)
    wrapped = body[body.index(child) + 1]
    assert parent.index("Small") == child.index("•")
    assert wrapped.index(wrapped.strip()) == child.index("bakeries")
    assert next(line for line in body if "Large firms" in line).startswith("• Large")


def test_a_table_inside_a_block_is_drawn_as_a_table(run: Run, tmp_path: Path) -> None:
    (tmp_path / "posts").mkdir()
    (tmp_path / "posts" / "acme.md").write_text(NESTED_AND_TABLE, encoding="utf-8")
    output = ok(run("show", "acme", "kp", "--posts", "posts")).stdout
    assert "|" not in output and "•" not in output, output
    lines = output.splitlines()
    header = next(line for line in lines if line.startswith("Partner"))
    row = next(line for line in lines if "Amazon Web Services" in line)
    assert header.index("Role") == row.index("cloud")
    assert header.index("Since") == row.index("2016")


def test_a_table_right_after_a_list_is_drawn_as_a_table(run: Run) -> None:
    wild = str(REPO / "tests" / "data" / "wild")
    output = ok(run("show", "checklist_and_data_table", "cost", "--posts", wild)).stdout
    assert "• Laundry fees, the van and locker rent" in output
    assert " | " not in output, output
    assert re.search(r"^January +£1,900 +£2,600$", output, re.MULTILINE), output


def test_a_table_too_wide_for_a_grid_box_names_each_cell_in_a_row(run: Run, tmp_path: Path) -> None:
    (tmp_path / "posts").mkdir()
    (tmp_path / "posts" / "acme.md").write_text(NESTED_AND_TABLE, encoding="utf-8")
    output = ok(run("show", "acme", "--grid", "--posts", "posts", env={"COLUMNS": "120"})).stdout
    assert "• Partner: Tableau;" in output, output
    for word in ("Tableau", "reseller", "Amazon", "Services", "2016"):
        assert whole(word, output), output


def test_a_table_cell_in_compare_is_a_table_too(run: Run, tmp_path: Path) -> None:
    (tmp_path / "posts").mkdir()
    (tmp_path / "posts" / "acme.md").write_text(NESTED_AND_TABLE, encoding="utf-8")
    other = NESTED_AND_TABLE.replace("Acme Rockets", "Beta Boats")
    (tmp_path / "posts" / "beta.md").write_text(other, encoding="utf-8")
    output = ok(run("compare", "acme", "beta", "-s", "kp", "--posts", "posts")).stdout
    cells = output[: output.index("Common ground")]
    assert "Tableau | reseller" not in cells and "Amazon Web Services" in cells, output


def test_show_wraps_prose_to_a_readable_measure_on_a_wide_terminal(run: Run) -> None:
    wide = ok(run("show", "memsql", env={"COLUMNS": "200"})).stdout
    assert max(len(line) for line in wide.splitlines()) == READING_MEASURE
    narrow = ok(run("show", "memsql", env={"COLUMNS": "80"})).stdout
    assert max(len(line) for line in narrow.splitlines()) == 80


@pytest.mark.parametrize("command", [["show", "memsql", "--grid"], ["compare", "memsql", "violin"]])
def test_grid_and_compare_still_use_the_full_width(run: Run, command: list[str]) -> None:
    output = ok(run(*command, env={"COLUMNS": "200"})).stdout
    assert max(len(line) for line in output.splitlines()) == 200


@pytest.mark.parametrize("file_name", ["2020-01-02-rocket-bakery.md", "42.md", "README.md"])
def test_a_canvas_without_a_name_shows_its_slug_once(
    run: Run, tmp_path: Path, file_name: str
) -> None:
    (tmp_path / "posts").mkdir()
    (tmp_path / "posts" / file_name).write_text("### Customer Segments\nBakers\n", "utf-8")
    slug = ok(run("list", "--posts", "posts")).stdout.split("\t")[1]
    for command in (["show", slug], ["show", slug, "--grid"], ["search", "bakers"]):
        header = ok(run(*command, "--posts", "posts")).stdout.splitlines()[0]
        folded = header.casefold().replace("-", " ")
        assert folded.count(slug.replace("-", " ").casefold()) == 1, (command, header)


def test_a_named_canvas_still_shows_its_slug(run: Run) -> None:
    assert ok(run("show", "memsql")).stdout.splitlines()[0] == "MemSQL  memsql"


@pytest.mark.parametrize("columns", [1, 2, 3, 4, 5])
def test_a_terminal_a_few_columns_wide_is_drawn_for_at_its_width(run: Run, columns: int) -> None:
    """`$COLUMNS` of 1 to 5 is a width to draw at, however little fits, not one to ignore."""
    from rich.cells import cell_len

    env = {"COLUMNS": str(columns)}
    for command in (
        ["compare", "memsql", "violin-memory"],
        ["show", "memsql"],
        ["stats"],
        ["search", "banks"],
        ["similar", "memsql"],
    ):
        stdout = ok(run(*command, env=env)).stdout
        assert max(map(cell_len, stdout.splitlines())) <= columns, command
    compare = ["compare", "memsql", "violin-memory"]
    drawn = ok(run(*compare, env={**env, "TTY_INTERACTIVE": "0"})).stdout
    assert ok(run(*compare, env=env)).stdout == drawn
