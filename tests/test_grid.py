"""`canvas show --grid`: the nine boxes, shortening, the narrow fallback and usage errors."""

from __future__ import annotations

import io
import json
import re
from collections.abc import Callable
from itertools import pairwise
from pathlib import Path
from typing import Any

import pytest
from rich.console import Console

from canvascli.model import Block
from canvascli.render.canvas_views import GRID_MIN_WIDTH, GRID_TALL_BOX_LINES, grid_order, grid_view
from canvascli.store.files import locate_library
from canvascli.store.library import load_library
from tests.conftest import GOLDEN, MEMSQL_PARTNERS, POSTS
from tests.helpers import Process, Run, ok

Golden = Callable[[str, str], None]
FIXTURES = Path(__file__).resolve().parent / "data" / "posts"
MORE = re.compile(r"\+(\d+) more lines?")
SGR = re.compile(r"\x1b\[[0-9;]*m")
BORDERS = re.compile(r"[│┌┐└┘├┤┬┴┼─]")


def grid(run: Run, *args: str, columns: int = 120) -> str:
    return ok(run("show", *args, "--grid", env={"COLUMNS": str(columns)})).stdout


def grid_columns(output: str, row: str) -> list[list[str]]:
    """The text of each column of the grid's top or bottom row, line by line, borders removed."""
    lines = output.splitlines()
    top = next(number for number, line in enumerate(lines) if line.startswith("┌"))
    middle = next(number for number, line in enumerate(lines) if line.startswith("├"))
    bottom = next(number for number, line in enumerate(lines) if line.startswith("└"))
    first, last = (top, middle) if row == "top" else (middle, bottom)
    borders = [x for x, character in enumerate(lines[first]) if character in "┌┬┐├┤"]
    return [
        [line[left + 1 : right].strip() for line in lines[first + 1 : last]]
        for left, right in pairwise(borders)
    ]


def top_row_column(output: str, index: int) -> list[str]:
    return grid_columns(output, "top")[index]


def squeezed(text: str) -> str:
    """Text without spaces, line breaks, bullets or rules: what is left when folding ignored."""
    return re.sub(r"[\s•─]", "", text)


def words(text: str) -> list[str]:
    return BORDERS.sub(" ", text).split()


@pytest.mark.parametrize("columns", [80, 120, 200])
def test_grid_matches_the_golden_file(run: Run, golden: Golden, columns: int) -> None:
    golden(f"grid_memsql_{columns}.txt", grid(run, "memsql", columns=columns))


def test_long_canvas_grid_matches_the_golden_file(run: Run, golden: Golden) -> None:
    golden("grid_violin_memory_120.txt", grid(run, "violin-memory"))


def test_full_grid_matches_the_golden_file(run: Run, golden: Golden) -> None:
    golden("grid_memsql_120_full.txt", grid(run, "memsql", "--full"))


@pytest.mark.parametrize("columns", [100, 120, 157, 200])
def test_grid_fills_the_width_and_its_borders_join(run: Run, columns: int) -> None:
    lines = grid(run, "memsql", columns=columns).splitlines()
    drawn = lines[1:]
    assert all(len(line) == columns for line in drawn)
    top, bottom = drawn[0], drawn[-1]
    middle = next(line for line in drawn if line.startswith("├") and "┴" in line)
    assert top.startswith("┌") and top.endswith("┐") and top.count("┬") == 4
    assert middle.endswith("┤") and middle.count("┴") == 4 and middle.count("┬") == 1
    assert bottom.startswith("└") and bottom.endswith("┘") and bottom.count("┴") == 1
    assert bottom.index("┴") == middle.index("┬")
    for x, character in enumerate(top):
        if character == "┬":
            assert middle[x] == "┴", "every top-row border must reach the bottom row"
    rows = drawn[1 : drawn.index(middle)]
    dividers = [line for line in rows if "├" in line[1:]]
    assert len(dividers) == 1, "the rules under Key Activities and Customer Relationships align"
    assert dividers[0].count("├") == 2 and dividers[0].count("┤") == 2


def test_grid_places_each_block_as_on_the_printed_canvas(run: Run) -> None:
    lines = grid(run, "memsql").splitlines()
    titles = lines[2]
    assert titles.index("Key Partners") < titles.index("Key Activities")
    assert titles.index("Key Activities") < titles.index("Value Propositions")
    assert titles.index("Value Propositions") < titles.index("Customer")
    assert titles.index("Customer") < titles.index("Customer Segments")
    assert top_row_column("\n".join(lines), 1).index("Key Resources") > 0
    assert top_row_column("\n".join(lines), 3).index("Channels") > 0
    bottom_titles = next(line for line in lines if "Cost Structure" in line)
    assert bottom_titles.index("Cost Structure") < bottom_titles.index("Revenue Streams")


def test_a_long_box_ends_with_how_many_lines_it_hides(run: Run) -> None:
    shortened = top_row_column(grid(run, "memsql"), 0)
    full = top_row_column(grid(run, "memsql", "--full"), 0)
    matches = [(line, MORE.fullmatch(line)) for line in shortened]
    marker, match = next((line, match) for line, match in matches if match)
    hidden = int(match.group(1))
    shown = [line for line in shortened[: shortened.index(marker)] if line]
    assert shown == [line for line in full if line][: len(shown)]
    assert len(shown) + hidden == len([line for line in full if line])
    assert len(shortened[: shortened.index(marker) + 1]) <= GRID_TALL_BOX_LINES
    partners = [f"• {partner}" for partner in MEMSQL_PARTNERS[:3]]
    assert set(partners) <= set(full)
    assert not set(partners) & set(shortened)


def block_text(canvas: dict[str, Any], block: Block) -> str:
    entries = canvas["blocks"][block.key]["entries"]
    return " ".join([block.title, *(entry["text"] for entry in entries)])


@pytest.mark.parametrize("columns", [GRID_MIN_WIDTH, 120, 200])
def test_full_grid_shows_every_character_of_every_block(run: Run, columns: int) -> None:
    canvas = json.loads(ok(run("show", "violin-memory", "--json")).stdout)
    output = grid(run, "violin-memory", "--full", columns=columns)
    assert not MORE.search(output)
    by_column = grid_order()
    expected_top = [
        [Block.KEY_PARTNERS],
        [Block.KEY_ACTIVITIES, Block.KEY_RESOURCES],
        [Block.VALUE_PROPOSITIONS],
        [Block.CUSTOMER_RELATIONSHIPS, Block.CHANNELS],
        [Block.CUSTOMER_SEGMENTS],
    ]
    assert [block for blocks in expected_top for block in blocks] == list(by_column[:7])
    for column, blocks in zip(grid_columns(output, "top"), expected_top, strict=True):
        assert squeezed("".join(column)) == squeezed(
            "".join(block_text(canvas, block) for block in blocks)
        )
    for column, block in zip(
        grid_columns(output, "bottom"), [Block.COST_STRUCTURE, Block.REVENUE_STREAMS], strict=True
    ):
        assert squeezed("".join(column)) == squeezed(block_text(canvas, block))


def test_full_stacked_shows_every_word_of_every_block(run: Run) -> None:
    canvas = json.loads(ok(run("show", "violin-memory", "--json")).stdout)
    output = grid(run, "violin-memory", "--full", columns=80)
    assert not MORE.search(output)
    shown = set(words(output))
    for block in Block:
        assert set(block_text(canvas, block).split()) <= shown


@pytest.mark.parametrize("columns", [60, 80, GRID_MIN_WIDTH - 1])
def test_narrow_terminals_get_the_blocks_stacked_in_grid_order(run: Run, columns: int) -> None:
    output = grid(run, "memsql", columns=columns)
    assert "┬" not in output.splitlines()[1], "no grid below the minimum width"
    assert all(len(line) <= columns for line in output.splitlines())
    headings = [line for line in output.splitlines() if line.startswith("┌─ ")]
    titles = [BORDERS.sub("", heading).strip() for heading in headings]
    assert titles == [block.title for block in grid_order()]
    assert titles[:3] == ["Key Partners", "Key Activities", "Key Resources"]
    assert titles[-2:] == ["Cost Structure", "Revenue Streams"]


def test_narrow_fallback_cuts_nothing_silently(run: Run) -> None:
    output = grid(run, "violin-memory", columns=80)
    full = grid(run, "violin-memory", "--full", columns=80)
    shortened_boxes = len(MORE.findall(output))
    assert shortened_boxes > 0
    assert sum(int(count) for count in MORE.findall(output)) == (
        len([line for line in full.splitlines() if words(line)])
        - len([line for line in output.splitlines() if words(line) and not MORE.search(line)])
    )


def test_a_missing_block_is_an_empty_box_marked_missing(run: Run) -> None:
    output = grid(run, "pinecrest", "--posts", str(FIXTURES))
    cost_structure = grid_columns(output, "bottom")[0]
    assert [line for line in cost_structure if line] == ["Cost Structure", "(missing)"]
    assert output.count("(missing)") == 1
    stacked = grid(run, "pinecrest", "--posts", str(FIXTURES), columns=80).splitlines()
    title = next(number for number, line in enumerate(stacked) if "Cost Structure" in line)
    assert stacked[title].startswith("┌─ Cost Structure ")
    assert stacked[title + 1].strip("│ ") == "(missing)"
    assert stacked[title + 2].startswith("└")


def test_sections_outside_the_canvas_are_named_below_the_grid(run: Run) -> None:
    output = grid(run, "driftwood", "--posts", str(FIXTURES))
    assert output.splitlines()[-1].startswith("Not on the canvas: Competitors")
    assert "Large holiday-park chains" not in output


def test_post_text_in_the_grid_is_never_markup_nor_control_codes(run: Run, tmp_path: Path) -> None:
    post = (
        "# Business Model of Evil [bold red]Corp[/x]\n\n## Key Partners\n\n"
        "* [link=file:///etc/passwd]click[/link]\n* bell\x07 \x1b[2J\n"
    )
    (tmp_path / "evil.md").write_text(post, encoding="utf-8")
    for columns in ("80", "120"):
        result = ok(
            run(
                "show",
                "evil",
                "--grid",
                "--posts",
                str(tmp_path),
                terminal=True,
                env={"COLUMNS": columns},
            )
        )
        assert "\x1b[2J" not in result.stdout and "\x07" not in result.stdout
        shown = SGR.sub("", result.stdout)
        assert "Evil [bold red]Corp[/x]" in shown
        partners = "".join(shown.splitlines()) if columns == "80" else top_row_column(shown, 0)
        assert "[link=file:///etc/passwd]click[/link]" in squeezed("".join(partners))
        assert "␛[2J" in squeezed("".join(partners))


def test_width_option_draws_the_grid_at_that_width(run: Run) -> None:
    wide = ok(run("show", "memsql", "--grid", "--width", "200", env={"COLUMNS": "100"})).stdout
    assert wide == grid(run, "memsql", columns=200)


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["key-partners"], "--grid draws all nine blocks; leave out 'key-partners'"),
        (["--json"], "--grid cannot be used with --json"),
        (["--markdown"], "--grid cannot be used with --markdown"),
    ],
)
def test_grid_refuses_options_it_cannot_honour(run: Run, args: list[str], message: str) -> None:
    result = run("show", "memsql", "--grid", *args)
    assert result.exit_code == 2
    assert result.stdout == ""
    assert result.stderr.startswith(f"canvas: {message}")
    assert len(result.stderr.strip().splitlines()) == 1


def test_full_without_grid_is_a_usage_error(run: Run) -> None:
    result = run("show", "memsql", "--full")
    assert result.exit_code == 2
    assert result.stderr.strip() == "canvas: --full only applies to --grid"


def test_unknown_company_with_grid_is_one_line(run: Run) -> None:
    result = run("show", "memsqk", "--grid")
    assert result.exit_code == 1
    assert result.stderr.startswith("canvas: no company 'memsqk'")


@pytest.mark.e2e
def test_installed_canvas_draws_the_golden_grid(
    canvas_process: Process,
) -> None:
    finished = canvas_process(
        "show", "memsql", "--grid", "--posts", str(POSTS), env={"COLUMNS": "120"}
    )
    assert finished.returncode == 0, finished.stderr
    assert finished.stderr == ""
    expected = (GOLDEN / "grid_memsql_120.txt").read_text(encoding="utf-8")
    assert finished.stdout == expected


def test_grid_order_reads_the_canvas_left_to_right() -> None:
    assert grid_order() == (
        Block.KEY_PARTNERS,
        Block.KEY_ACTIVITIES,
        Block.KEY_RESOURCES,
        Block.VALUE_PROPOSITIONS,
        Block.CUSTOMER_RELATIONSHIPS,
        Block.CHANNELS,
        Block.CUSTOMER_SEGMENTS,
        Block.COST_STRUCTURE,
        Block.REVENUE_STREAMS,
    )


class AsciiFile(io.StringIO):
    """A terminal that can only show ASCII, as Rich sees one."""

    encoding = "ascii"


def test_an_ascii_terminal_gets_an_ascii_grid_whose_borders_still_join() -> None:
    canvas = load_library(locate_library(FIXTURES), use_cache=False).get("pinecrest")
    screen = AsciiFile()
    Console(file=screen, width=120, no_color=True).print(grid_view(canvas))
    lines = screen.getvalue().splitlines()
    assert all(line.isascii() for line in lines)
    rules = [line for line in lines if line.startswith("+")]
    top, middle, bottom = (
        {x for x, character in enumerate(rule) if character == "+"} for rule in rules
    )
    assert len(rules) == 3 and len(top) == 6
    assert top < middle and len(middle) == 7, "every column border meets the bottom row"
    assert bottom - {0, 119} < middle
