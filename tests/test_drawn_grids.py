"""Tests of reading a canvas drawn as a grid of boxes in a code block."""

from __future__ import annotations

from canvascli.model import Block, Canvas
from canvascli.read.canvas import read_canvas

GRID = """\
# Tide Pool Tours

```
+------------------+------------------+------------------+
| KEY PARTNERS     | VALUE            | CUSTOMER         |
| - Harbour office | PROPOSITIONS     | SEGMENTS         |
| - Two skippers   | - Guided walks   | - Families on    |
|                  |   at low tide    |   holiday        |
+------------------+------------------+------------------+
| KEY ACTIVITIES   | CHANNELS         | REVENUE STREAMS  |
| - Tide tables    | - Tourist office | - Tickets        |
+------------------+------------------+------------------+
```
"""


def items(canvas: Canvas, block: Block) -> list[str]:
    section = canvas.section_for(block)
    assert section is not None, block
    return [entry.text for entry in section.entries]


def test_each_box_is_read_as_its_block_with_labels_and_items_over_two_lines() -> None:
    canvas = read_canvas(GRID, "tide-pool-tours.md")
    assert canvas.name == "Tide Pool Tours"
    assert items(canvas, Block.KEY_PARTNERS) == ["Harbour office", "Two skippers"]
    assert items(canvas, Block.VALUE_PROPOSITIONS) == ["Guided walks at low tide"]
    assert items(canvas, Block.CUSTOMER_SEGMENTS) == ["Families on holiday"]
    assert items(canvas, Block.KEY_ACTIVITIES) == ["Tide tables"]
    assert items(canvas, Block.CHANNELS) == ["Tourist office"]
    assert items(canvas, Block.REVENUE_STREAMS) == ["Tickets"]


def test_a_drawing_beside_a_canvas_written_out_stays_text() -> None:
    written = "\n".join(
        f"## {name}\n\nOur {name.lower()}.\n"
        for name in ("Key Partners", "Value Propositions", "Customer Segments", "Channels")
    )
    canvas = read_canvas(GRID + "\n" + written, "tide-pool-tours.md")
    headings = [section.heading for section in canvas.sections if section.block is not None]
    assert headings == ["Key Partners", "Value Propositions", "Customer Segments", "Channels"]
    assert items(canvas, Block.KEY_PARTNERS) == ["Our key partners."]


def test_a_diagram_naming_few_blocks_is_no_canvas() -> None:
    diagram = """\
# Architecture

```
+-----------+     +-----------+
| Channels  | --> | Customers |
+-----------+     +-----------+
```
"""
    canvas = read_canvas(diagram, "architecture.md")
    assert all(section.block is None for section in canvas.sections)
