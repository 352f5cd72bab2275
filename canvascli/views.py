"""Rich renderables for canvases and libraries; nothing here prints or touches files."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING

from rich import box
from rich.console import Group, RenderableType
from rich.padding import Padding
from rich.rule import Rule
from rich.table import Table
from rich.text import Text

from canvascli.labels import normalise_label
from canvascli.models import Block, Canvas, Entry, Section, Summary
from canvascli.safetext import clean, clean_line

if TYPE_CHECKING:
    from canvascli.search import Hit, SearchResults

NARROW_COMPARE = 80
PRESENT_MARK = "●"
MISSING_MARK = "·"
BULLET = "•"
MATCH_STYLE = "bold yellow"
ENTRY_BREAK = " · "
TITLE_WIDTH = 24


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
        for section in canvas.extras:
            parts.extend([Text(), Rule(section_title(section), align="left", style="dim")])
            parts.append(section_body(section))
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


def snippet_text(hit: Hit) -> Text:
    """A hit's snippet on one line, its matches highlighted; entries joined by `ENTRY_BREAK`."""
    text = Text()
    for piece, is_match in hit.snippet.parts():
        shown = clean_line(piece.replace("\n", ENTRY_BREAK))
        text.append(shown, style=MATCH_STYLE if is_match else "")
    return text


def _hit_title(hit: Hit) -> Text:
    if hit.block is None:
        return plain_line(hit.title, "italic")
    return Text(hit.block.title, style="cyan")


def search_view(results: SearchResults) -> RenderableType:
    """Hits grouped by company, best company first, each hit a block and a snippet."""
    parts: list[RenderableType] = []
    titles = [_hit_title(hit) for company in results.companies for hit in company.hits]
    title_width = min(TITLE_WIDTH, max((title.cell_len for title in titles), default=0))
    for company in results.companies:
        header = plain_line(company.summary.name, "bold")
        header.append(f"  {clean_line(company.summary.slug)}", style="dim")
        grid = Table.grid(padding=(0, 2))
        grid.add_column(overflow="fold", min_width=title_width, max_width=TITLE_WIDTH)
        grid.add_column(overflow="fold")
        for hit in company.hits:
            grid.add_row(_hit_title(hit), snippet_text(hit))
        if parts:
            parts.append(Text())
        parts.extend([header, Padding(grid, (0, 0, 0, 2))])
    hits = "hit" if results.total == 1 else "hits"
    companies = len(results.companies)
    where = f"{companies} compan{'y' if companies == 1 else 'ies'}"
    if results.shown < results.total:
        footer = f"best {results.shown} of {results.total} {hits} shown, in {where}; "
        footer += "--limit N shows more"
    else:
        footer = f"{results.total} {hits} in {where}"
    parts.extend([Text(), Text(footer, style="dim")])
    return Group(*parts)
