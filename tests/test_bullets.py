"""Bullet lists are laid out exactly as a two-column Rich grid lays them out."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st
from rich.console import Console, Group, RenderableType
from rich.measure import Measurement
from rich.padding import Padding
from rich.table import Table
from rich.text import Text

from canvascli.render.canvas_views import BulletList
from canvascli.render.compare_parts import BULLET, SHARED_STYLE

WORDS = ["a", "data", "Acme", "supercalifragilistic", "数据库", "😀", "x\ty", "R&D", "", " "]
TEXTS = st.lists(st.sampled_from(WORDS), max_size=12).map(" ".join)
MARKED = st.tuples(TEXTS, TEXTS).map(
    lambda parts: Text.assemble(parts[0], ("◆" + parts[1], SHARED_STYLE), " end")
)
ROWS = st.lists(
    st.tuples(st.integers(0, 4), st.one_of(TEXTS.map(Text), MARKED)), min_size=1, max_size=5
).map(lambda rows: [(Text("  " * depth + BULLET, style="dim"), text) for depth, text in rows])


def as_grid(rows: list[tuple[Text, Text]]) -> Table:
    grid = Table.grid(padding=(0, 1))
    grid.add_column(no_wrap=True)
    grid.add_column(overflow="fold")
    for row in rows:
        grid.add_row(*row)
    return grid


def drawn(renderable: RenderableType, width: int) -> str:
    console = Console(width=width, force_terminal=True, color_system="truecolor", record=False)
    with console.capture() as capture:
        console.print(renderable)
    return capture.get()


@given(rows=ROWS, width=st.integers(0, 50))
def test_bullets_draw_as_a_grid_would(rows: list[tuple[Text, Text]], width: int) -> None:
    assert drawn(BulletList(rows), width) == drawn(as_grid(rows), width)


@given(rows=ROWS, width=st.integers(0, 50), indent=st.integers(0, 6))
def test_bullets_inside_other_renderables_draw_as_a_grid_would(
    rows: list[tuple[Text, Text]], width: int, indent: int
) -> None:
    def framed(body: RenderableType) -> RenderableType:
        return Group(Text("head"), Padding(body, (0, 1, 1, indent), expand=False))

    assert drawn(framed(BulletList(rows)), width) == drawn(framed(as_grid(rows)), width)


@given(rows=ROWS, width=st.integers(0, 50))
def test_bullets_measure_as_a_grid_would(rows: list[tuple[Text, Text]], width: int) -> None:
    console = Console(width=max(width, 1))
    options = console.options.update_width(width)
    assert Measurement.get(console, options, BulletList(rows)) == Measurement.get(
        console, options, as_grid(rows)
    )


def test_a_wrapped_item_hangs_under_its_text() -> None:
    rows = [(Text(BULLET), Text("one two three four")), (Text("  " + BULLET), Text("five"))]
    assert drawn(BulletList(rows), 12).splitlines() == [
        "•   one two ",
        "    three   ",
        "    four    ",
        "  • five    ",
    ]
