"""Rich renderables for canvases and libraries; nothing here prints or touches files."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from rich import box
from rich.console import Group, RenderableType
from rich.padding import Padding
from rich.rule import Rule
from rich.table import Table
from rich.text import Text

from canvascli.labels import normalise_label
from canvascli.models import Block, Canvas, Entry, Section, Summary
from canvascli.safetext import clean, clean_line

NARROW_COMPARE = 80
PRESENT_MARK = "●"
MISSING_MARK = "·"
BULLET = "•"
# Sections beyond the nine blocks are drawn up to this many: a machine-made post with
# thousands of headings would otherwise take minutes to draw.
SHOWN_EXTRAS = 100


def plain(text: str, style: str = "") -> Text:
    """Post text as a Rich `Text`: never parsed as markup, control characters made visible."""
    return Text(clean(text), style=style)


def plain_line(text: str, style: str = "") -> Text:
    return Text(clean_line(text), style=style)


def coverage_marks(summary: Summary) -> Text:
    present = summary.coverage
    marks = Text()
    for block in Block:
        if block in present:
            marks.append(PRESENT_MARK, style="green")
        else:
            marks.append(MISSING_MARK, style="red dim")
    marks.append(f" {len(present)}/{len(Block)}")
    return marks


def coverage_legend() -> Text:
    return Text("blocks, in order: " + " ".join(block.abbreviation for block in Block), "dim")


def library_table(summaries: Sequence[Summary], title: str | None = None) -> Table:
    table = Table(box=box.SIMPLE_HEAD, title=title, caption=coverage_legend(), title_justify="left")
    table.add_column("Company", overflow="fold", style="bold")
    table.add_column("Slug", overflow="fold", style="cyan")
    table.add_column("Blocks", no_wrap=True)
    table.add_column("Words", justify="right")
    for summary in summaries:
        table.add_row(
            plain_line(summary.name),
            plain_line(summary.slug),
            coverage_marks(summary),
            f"{summary.words:,}",
        )
    return table


def _items_grid(entries: Iterable[Entry]) -> Table:
    grid = Table.grid(padding=(0, 1))
    grid.add_column(no_wrap=True)
    grid.add_column(overflow="fold")
    for entry in entries:
        grid.add_row(Text("  " * entry.depth + BULLET, style="dim"), plain(entry.text))
    return grid


def section_body(section: Section | None) -> RenderableType:
    """A section's paragraphs and list items; bullets hang so wrapped items stay readable."""
    if section is None:
        return Text("(missing)", style="dim italic")
    if section.is_empty:
        return Text("(empty)", style="dim italic")
    parts: list[RenderableType] = []
    run: list[Entry] = []
    for entry in section.entries:
        if entry.kind == "item":
            run.append(entry)
            continue
        if run:
            parts.append(_items_grid(run))
            run = []
        parts.append(plain(entry.text))
    if run:
        parts.append(_items_grid(run))
    spaced: list[RenderableType] = []
    for part in parts:
        spaced.extend([Text(), part] if spaced else [part])
    return Group(*spaced)


def section_title(section: Section) -> Text:
    if section.block is None:
        return plain_line(section.heading or "Introduction", "bold")
    title = Text(section.block.title, style="bold cyan")
    if normalise_label(section.heading) != normalise_label(section.block.title):
        title.append(f"  ({clean_line(section.heading)})", style="dim")
    return title


def canvas_view(canvas: Canvas, blocks: Sequence[Block] | None = None) -> RenderableType:
    """One company's canvas: its blocks in canonical order, then any extra sections."""
    header = Text(clean_line(canvas.name), style="bold")
    header.append(f"  {clean_line(canvas.slug)}", style="dim")
    parts: list[RenderableType] = [header]
    present = canvas.blocks
    chosen = list(blocks) if blocks else list(Block)
    for block in chosen:
        section = present.get(block)
        title = section_title(section) if section else Text(block.title, style="bold cyan")
        parts.extend([Text(), Rule(title, align="left", style="cyan"), section_body(section)])
    if not blocks:
        extras = canvas.extras
        for section in extras[:SHOWN_EXTRAS]:
            parts.extend([Text(), Rule(section_title(section), align="left", style="dim")])
            parts.append(section_body(section))
        if len(extras) > SHOWN_EXTRAS:
            more = len(extras) - SHOWN_EXTRAS
            note = f"{more:,} more sections not shown; --markdown or --json prints them all"
            parts.extend([Text(), Text(note, style="dim italic")])
    return Group(*parts)


def compare_view(canvases: Sequence[Canvas], blocks: Sequence[Block], width: int) -> RenderableType:
    """A row per block and a column per company; below `NARROW_COMPARE` columns, stacked."""
    if width < NARROW_COMPARE:
        return _stacked_compare(canvases, blocks)
    table = Table(box=box.ROUNDED, show_lines=True, expand=True)
    table.add_column("Block", style="bold cyan", overflow="fold", min_width=13, max_width=14)
    share = 4 if len(canvases) <= 3 else 3
    for canvas in canvases:
        table.add_column(plain_line(canvas.name, "bold"), overflow="fold", ratio=share)
    for block in blocks:
        cells = [section_body(canvas.blocks.get(block)) for canvas in canvases]
        table.add_row(Text(block.title), *cells)
    return table


def _stacked_compare(canvases: Sequence[Canvas], blocks: Sequence[Block]) -> RenderableType:
    parts: list[RenderableType] = []
    for block in blocks:
        parts.append(Rule(Text(block.title, style="bold cyan"), align="left", style="cyan"))
        for canvas in canvases:
            parts.append(plain_line(canvas.name, "bold"))
            parts.append(Padding(section_body(canvas.blocks.get(block)), (0, 0, 1, 2)))
    return Group(*parts)


def sections_table() -> Table:
    table = Table(box=box.SIMPLE_HEAD)
    table.add_column("Key", style="cyan", no_wrap=True)
    table.add_column("Block", style="bold", no_wrap=True)
    table.add_column("Abbr.", no_wrap=True)
    table.add_column("Also accepted", overflow="fold")
    for block in Block:
        table.add_row(block.key, block.title, block.abbreviation, ", ".join(block.aliases))
    return table


def markdown_view(canvas: Canvas, blocks: Sequence[Block] | None) -> str:
    """The chosen sections' source Markdown, with control characters made visible."""
    if blocks:
        chosen = [canvas.blocks[block] for block in blocks if block in canvas.blocks]
    else:
        chosen = list(canvas.sections)
    return "\n".join(clean(section.markdown) for section in chosen)
