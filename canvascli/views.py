"""Rich renderables for canvases and libraries; nothing here prints or touches files."""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Iterable, Iterator, Mapping, Sequence
from typing import TYPE_CHECKING, NamedTuple

from rich import box
from rich.console import Console, ConsoleOptions, Group, RenderableType, RenderResult
from rich.padding import Padding
from rich.panel import Panel
from rich.rule import Rule
from rich.segment import Segment
from rich.style import Style
from rich.table import Table
from rich.text import Text

from canvascli.labels import normalise_label
from canvascli.models import (
    UNIQUE_VALUE_PROPOSITION,
    AnyBlock,
    Block,
    Canvas,
    CanvasKind,
    Entry,
    LeanBlock,
    Section,
    Summary,
    block_title,
)
from canvascli.safetext import clean, clean_line

if TYPE_CHECKING:
    from canvascli.common import CommonGround, SharedTerm
    from canvascli.search import Hit, SearchResults
    from canvascli.similarity import Similarity
    from canvascli.stats import LibraryStats

NARROW_COMPARE = 80
# Narrower company columns than this are hard to read, so the companies go into bands.
MIN_COMPARE_CELL = 22
# Width the Block column and the table's outer borders take from a compare table.
COMPARE_BLOCK_COLUMN = 18
# Marks a term shared by two or more compared canvases; the mark survives NO_COLOR.
SHARED_MARK = "◆"
SHARED_STYLE = "bold magenta"
SIMILAR_BLOCKS_SHOWN = 3
# Up to this many companies, `stats` draws every company's coverage; beyond, counts.
COVERAGE_MATRIX_LIMIT = 20
LACKING_SHOWN = 3
PRESENT_MARK = "●"
MISSING_MARK = "·"
BULLET = "•"
MATCH_STYLE = "bold yellow"
ENTRY_BREAK = " · "
TITLE_WIDTH = 24
KIND_NAMES: dict[CanvasKind, str] = {
    "business": "Business Model Canvas",
    "lean": "Lean Canvas",
    "mixed": "Lean Canvas and Business Model Canvas blocks",
}
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


def section_title(section: Section, kind: CanvasKind = "business") -> Text:
    if section.block is None:
        return plain_line(section.heading or "Introduction", "bold")
    title = Text(block_title(section.block, kind), style="bold cyan")
    if normalise_label(section.heading) not in {
        normalise_label(section.block.title),
        normalise_label(title.plain),
    }:
        title.append(f"  ({clean_line(section.heading)})", style="dim")
    return title


def canvas_view(canvas: Canvas, blocks: Sequence[AnyBlock] | None = None) -> RenderableType:
    """One company's canvas: its blocks in its kind's order, then any extra sections."""
    kind = canvas.kind
    header = Text(clean_line(canvas.name), style="bold")
    header.append(f"  {clean_line(canvas.slug)}", style="dim")
    if kind != "business":
        header.append(f"  {KIND_NAMES[kind]}", style="dim italic")
    parts: list[RenderableType] = [header]
    chosen = list(blocks) if blocks else list(canvas.layout)
    for block in chosen:
        section = canvas.section_for(block)
        if section is None:
            title = Text(block_title(block, kind), style="bold cyan")
        else:
            title = section_title(section, kind)
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


def row_title(block: AnyBlock, canvases: Sequence[Canvas]) -> str:
    """A compare row's name: a Value Propositions row beside a lean canvas names both forms."""
    kinds = {canvas.kind for canvas in canvases}
    if kinds == {"lean"}:
        return block_title(block, "lean")
    if block is Block.VALUE_PROPOSITIONS and "lean" in kinds:
        return f"{block.title} ({UNIQUE_VALUE_PROPOSITION})"
    return block.title


def compare_view(
    canvases: Sequence[Canvas],
    blocks: Sequence[AnyBlock],
    width: int,
    ground: CommonGround | None = None,
    *,
    diff: bool = False,
) -> RenderableType:
    """A row per block and a column per company, then the common ground.

    Below `NARROW_COMPARE` columns the companies are stacked under each block; when the
    companies do not fit at `MIN_COMPARE_CELL` columns each, they are split into bands,
    each a full table. Shared terms are marked; with `diff`, shared list items are hidden.
    """
    if ground is None:
        from canvascli.common import common_ground

        ground = common_ground(canvases, blocks)
    cells = {
        (canvas.slug, block): _compare_cell(canvas, block, ground, diff)
        for canvas in canvases
        for block in blocks
    }
    parts: list[RenderableType]
    if width < NARROW_COMPARE:
        parts = [_stacked_compare(canvases, blocks, cells)]
    else:
        parts = [_compare_table(band, blocks, cells) for band in compare_bands(canvases, width)]
    if diff:
        parts.append(_hidden_note(canvases, blocks, ground))
    else:
        parts.append(common_ground_view(ground, canvases, blocks, width))
    return Group(*parts)


def compare_bands(canvases: Sequence[Canvas], width: int) -> list[Sequence[Canvas]]:
    """The companies split into as few, as even, bands as keep each column readable."""
    fitting = max(1, (width - COMPARE_BLOCK_COLUMN) // (MIN_COMPARE_CELL + 3))
    bands = -(-len(canvases) // fitting)
    size = -(-len(canvases) // bands)
    return [canvases[start : start + size] for start in range(0, len(canvases), size)]


def _compare_table(
    canvases: Sequence[Canvas],
    blocks: Sequence[AnyBlock],
    cells: Mapping[tuple[str, AnyBlock], RenderableType],
) -> Table:
    table = Table(box=box.ROUNDED, show_lines=True, expand=True)
    table.add_column("Block", style="bold cyan", overflow="fold", min_width=13, max_width=14)
    share = 4 if len(canvases) <= 3 else 3
    for canvas in canvases:
        # The companies share out by ratio what the Block column leaves, whatever their cells
        # hold; Rich reads `width` on a ratio column as its minimum (1 unless given), and
        # given one, no longer measures every cell only to ignore the result.
        table.add_column(plain_line(canvas.name, "bold"), overflow="fold", ratio=share, width=1)
    for block in blocks:
        table.add_row(
            Text(row_title(block, canvases)), *(cells[canvas.slug, block] for canvas in canvases)
        )
    return table


def _stacked_compare(
    canvases: Sequence[Canvas],
    blocks: Sequence[AnyBlock],
    cells: Mapping[tuple[str, AnyBlock], RenderableType],
) -> RenderableType:
    parts: list[RenderableType] = []
    for block in blocks:
        title = Text(row_title(block, canvases), style="bold cyan")
        parts.append(Rule(title, align="left", style="cyan"))
        for canvas in canvases:
            parts.append(plain_line(canvas.name, "bold"))
            parts.append(Padding(cells[canvas.slug, block], (0, 0, 1, 2)))
    return Group(*parts)


def shared_text(text: str, spans: Sequence[tuple[int, int]] = ()) -> Text:
    """Post text with each shared span marked by `SHARED_MARK` and `SHARED_STYLE`."""
    result = Text()
    position = 0
    for start, end in spans:
        result.append(clean(text[position:start]))
        result.append(SHARED_MARK + clean(text[start:end]), style=SHARED_STYLE)
        position = end
    result.append(clean(text[position:]))
    return result


def _compare_cell(
    canvas: Canvas, block: AnyBlock, ground: CommonGround, diff: bool
) -> RenderableType:
    section = canvas.section_for(block)
    if section is None:
        return Text("(missing)", style="dim italic")
    if section.is_empty:
        return Text("(empty)", style="dim italic")
    marks = ground.marks(canvas.slug, block)
    hidden = ground.shared_items(canvas.slug, block) if diff else frozenset()
    shown = [
        (entry, shared_text(entry.text, () if diff else marks.get(number, ())))
        for number, entry in enumerate(section.entries)
        if number not in hidden
    ]
    if not shown:
        return Text("(all shared)", style="dim italic")
    return _entries_body(shown)


def _entries_body(entries: Sequence[tuple[Entry, Text]]) -> RenderableType:
    """Paragraphs and runs of list items, as `section_body` lays them out."""
    parts: list[RenderableType] = []
    run: list[tuple[Entry, Text]] = []

    def close_run() -> None:
        if run:
            grid = Table.grid(padding=(0, 1))
            grid.add_column(no_wrap=True)
            grid.add_column(overflow="fold")
            for entry, text in run:
                grid.add_row(Text("  " * entry.depth + BULLET, style="dim"), text)
            parts.append(grid)
            run.clear()

    for entry, text in entries:
        if entry.kind == "item":
            run.append((entry, text))
            continue
        close_run()
        parts.append(text)
    close_run()
    spaced: list[RenderableType] = []
    for part in parts:
        spaced.extend([Text(), part] if spaced else [part])
    return Group(*spaced)


def _sharers(term: SharedTerm, canvases: Sequence[Canvas]) -> Text:
    """Who shares a term ("all N" when everyone does), with how each writes it if otherwise."""
    names = {canvas.slug: canvas.name for canvas in canvases}
    everyone = len(term.matches) == len(canvases) > 2
    text = Text(f"all {len(canvases)}" if everyone else "")
    variants = []
    for slug, texts in term.matches:
        name = clean_line(names.get(slug, slug))
        different = "; ".join(clean_line(item) for item in texts if item != term.term)
        if everyone:
            if different:
                variants.append(f"{name}: {different}")
            continue
        text.append(", " if text else "")
        text.append(name)
        if different:
            text.append(f" ({different})", style="dim")
    if variants:
        text.append(f" ({', '.join(variants)})", style="dim")
    return text


def common_ground_view(
    ground: CommonGround, canvases: Sequence[Canvas], blocks: Sequence[AnyBlock], width: int
) -> RenderableType:
    """The closing summary: per block, each shared term and the companies that share it."""
    title = Text("Common ground", style="bold")
    title.append(f"  (marked {SHARED_MARK} above)", style="dim")
    if not ground.shared:
        return Group(Text(), title, Text("Nothing shared in these blocks.", style="dim italic"))
    if width < NARROW_COMPARE:
        parts: list[RenderableType] = [Rule(title, align="left", style="cyan")]
        for block in blocks:
            terms = ground.for_block(block)
            if not terms:
                continue
            parts.append(Text(block.title, style="bold cyan"))
            for term in terms:
                line = Text(SHARED_MARK + clean_line(term.term), style=SHARED_STYLE)
                line.append(" — ", style="")
                line.append_text(_sharers(term, canvases))
                parts.append(Padding(line, (0, 0, 0, 2)))
        return Group(*parts)
    table = Table(box=box.ROUNDED, title=title, title_justify="left")
    table.add_column("Block", style="bold cyan", no_wrap=True)
    table.add_column("Shared", overflow="fold")
    table.add_column("Companies (as each writes it)", overflow="fold")
    for block in blocks:
        terms = ground.for_block(block)
        for number, term in enumerate(terms):
            table.add_row(
                Text(block.title if number == 0 else ""),
                Text(SHARED_MARK + clean_line(term.term), style=SHARED_STYLE),
                _sharers(term, canvases),
                end_section=number == len(terms) - 1,
            )
    return table


def _hidden_note(
    canvases: Sequence[Canvas], blocks: Sequence[AnyBlock], ground: CommonGround
) -> RenderableType:
    hidden = sum(
        len(ground.shared_items(canvas.slug, block)) for canvas in canvases for block in blocks
    )
    terms = len(ground.shared)
    return Text(
        f"Hidden by --diff: {hidden} shared list item{'s' if hidden != 1 else ''}. "
        f"Without --diff, the {terms} shared term{'s' if terms != 1 else ''} "
        f"{'are' if terms != 1 else 'is'} marked {SHARED_MARK} and listed here.",
        style="dim",
    )


def similar_view(target: Canvas, ranked: Sequence[Similarity], blocks: Sequence[AnyBlock]) -> Group:
    """The companies most like `target`, best first, with the blocks that make them alike."""
    scope = ", ".join(block.title for block in blocks) if blocks else "all nine blocks"
    title = Text("Most like ", style="bold")
    title.append(clean_line(target.name), style="bold")
    title.append(f"  (TF-IDF cosine over {scope})", style="dim")
    table = Table(box=box.SIMPLE_HEAD)
    table.add_column("#", justify="right", style="dim")
    table.add_column("Company", overflow="fold", style="bold")
    table.add_column("Slug", overflow="fold", style="cyan")
    table.add_column("Score", justify="right")
    table.add_column("Most alike in", overflow="fold")
    for rank, found in enumerate(ranked, 1):
        alike = ", ".join(
            f"{block.title} {score:.2f}" for block, score in found.blocks[:SIMILAR_BLOCKS_SHOWN]
        )
        table.add_row(
            str(rank),
            plain_line(found.name),
            plain_line(found.slug),
            f"{found.score:.2f}",
            Text(alike or "nothing in common", style="" if alike else "dim italic"),
        )
    return Group(title, table)


def stats_view(stats: LibraryStats, summaries: Sequence[Summary], where: str) -> Group:
    """The library overview: companies, block coverage, and the most frequent terms."""
    header = Text(f"{stats.companies:,} compan{'y' if stats.companies == 1 else 'ies'}", "bold")
    header.append(f" in {clean_line(where)}", style="dim")
    parts: list[RenderableType] = [header, Text()]
    if len(summaries) <= COVERAGE_MATRIX_LIMIT:
        parts.append(_coverage_matrix(stats, summaries))
    else:
        parts.append(_coverage_counts(stats))
    parts.append(_frequent_table(stats))
    return Group(*parts)


def _coverage_matrix(stats: LibraryStats, summaries: Sequence[Summary]) -> Table:
    table = Table(
        box=box.SIMPLE_HEAD, title="Block coverage", title_justify="left", title_style="bold"
    )
    table.add_column("Company", overflow="fold", style="bold")
    for block in Block:
        table.add_column(block.abbreviation, justify="center", no_wrap=True)
    table.add_column("Blocks", justify="right", no_wrap=True)
    for summary in summaries:
        present = set(summary.coverage)
        marks = [
            Text(PRESENT_MARK, "green") if block in present else Text(MISSING_MARK, "red dim")
            for block in Block
        ]
        table.add_row(plain_line(summary.name), *marks, f"{len(present)}/{len(Block)}")
    table.add_section()
    table.add_row(
        Text("companies with it", style="dim"),
        *(Text(str(coverage.present), style="dim") for coverage in stats.coverage),
        "",
    )
    return table


def _coverage_counts(stats: LibraryStats) -> Table:
    table = Table(
        box=box.SIMPLE_HEAD, title="Block coverage", title_justify="left", title_style="bold"
    )
    table.add_column("Block", style="bold cyan", no_wrap=True)
    table.add_column("Present", justify="right", no_wrap=True)
    table.add_column("Lacking it", overflow="fold")
    for coverage in stats.coverage:
        shown = ", ".join(clean_line(slug) for slug in coverage.missing[:LACKING_SHOWN])
        more = len(coverage.missing) - LACKING_SHOWN
        lacking = Text(shown or "none", style="" if shown else "dim")
        if more > 0:
            lacking.append(f" +{more:,} more", style="dim")
        table.add_row(coverage.block.title, f"{coverage.present:,}/{stats.companies:,}", lacking)
    return table


def _frequent_table(stats: LibraryStats) -> Table:
    table = Table(
        box=box.SIMPLE_HEAD,
        title="Most frequent terms (companies that mention each)",
        title_justify="left",
        title_style="bold",
    )
    table.add_column("Block", style="bold cyan", no_wrap=True)
    table.add_column("Terms", overflow="fold")
    for block, terms in stats.frequent:
        line = Text()
        for number, term in enumerate(terms):
            line.append(" · " if number else "", style="dim")
            line.append(clean_line(term.term))
            line.append(f" {term.companies:,}", style="dim")
        table.add_row(block.title, line if terms else Text("none", style="dim"))
    return table


def sections_table() -> Table:
    lean = ", ".join(block.key for block in LeanBlock)
    caption = Text(f"Lean Canvas blocks, also accepted: {lean}", style="dim")
    table = Table(box=box.SIMPLE_HEAD, caption=caption, caption_justify="left")
    table.add_column("Key", style="cyan", no_wrap=True)
    table.add_column("Block", style="bold", no_wrap=True)
    table.add_column("Abbr.", no_wrap=True)
    table.add_column("Also accepted", overflow="fold")
    for block in Block:
        table.add_row(block.key, block.title, block.abbreviation, ", ".join(block.aliases))
    return table


def markdown_view(canvas: Canvas, blocks: Sequence[AnyBlock] | None) -> str:
    """The chosen sections' source Markdown, with control characters made visible."""
    if blocks:
        found = [canvas.section_for(block) for block in blocks]
        chosen = [section for section in found if section is not None]
    else:
        chosen = list(canvas.sections)
    return "\n".join(clean(section.markdown) for section in chosen)


# The nine-box grid. Boxes are shortened to a fixed number of lines, never to the terminal's
# height, so the same command at the same width always draws the same picture.
GRID_MIN_WIDTH = 100
GRID_TALL_BOX_LINES = 20
GRID_BOTTOM_BOX_LINES = 8
STACKED_BOX_LINES = 14
GRID_UNITS = 10
_BOTTOM_ROW = 2
_TITLE_STYLE = "bold cyan"
_MISSING_TITLE_STYLE = "bold red"
_MORE_STYLE = "italic yellow"
_BORDER_STYLE = Style(color="cyan", dim=True)

Line = list[Segment]
Lines = list[Line]


def grid_order() -> tuple[Block, ...]:
    """The blocks as the grid reads: the top row left to right, upper box before lower, then
    the bottom row."""
    return tuple(
        sorted(
            Block,
            key=lambda block: (block.grid.row == _BOTTOM_ROW, block.grid.column, block.grid.row),
        )
    )


def _is_blank(line: Line) -> bool:
    return not "".join(segment.text for segment in line).strip()


def _more_marker(hidden: int) -> Text:
    noun = "line" if hidden == 1 else "lines"
    return Text(f"+{hidden} more {noun}", style=_MORE_STYLE, no_wrap=True, overflow="ellipsis")


def shorten_lines(
    lines: Lines, budget: int | None, console: Console, options: ConsoleOptions
) -> Lines:
    """At most `budget` lines, the last saying how many non-blank lines were left out."""
    if budget is None or len(lines) <= budget:
        return lines
    kept = lines[: max(budget - 1, 0)]
    while kept and _is_blank(kept[-1]):
        kept.pop()
    hidden = sum(1 for line in lines[len(kept) :] if not _is_blank(line))
    marker = console.render_lines(_more_marker(hidden), options, pad=True)
    return [*kept, *marker]


class Shortened:
    """A renderable cut to `budget` lines with a visible "+N more lines" (all of it if None)."""

    def __init__(self, renderable: RenderableType, budget: int | None) -> None:
        self.renderable = renderable
        self.budget = budget

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        options = options.reset_height()
        lines = console.render_lines(self.renderable, options, pad=False)
        for line in shorten_lines(lines, self.budget, console, options):
            yield from line
            yield Segment.line()


def _title_style(section: Section | None) -> str:
    return _TITLE_STYLE if section is not None else _MISSING_TITLE_STYLE


def grid_box(block: Block, section: Section | None) -> RenderableType:
    """A box's content: the block's title, then its text, or a mark saying it is missing."""
    return Group(Text(block.title, style=_title_style(section)), section_body(section))


def _split_budgets(upper_need: int, lower_need: int, total: int) -> tuple[int, int]:
    """Share `total` lines, less the dividing rule, between an upper and a lower box; what one
    leaves unused goes to the other."""
    room = total - 1
    if upper_need + lower_need <= room:
        return upper_need, lower_need
    half = room // 2
    if upper_need <= half:
        return upper_need, room - upper_need
    if lower_need <= room - half:
        return room - lower_need, lower_need
    return half, room - half


class _Cell(NamedTuple):
    """A box's rendered lines and the characters between its two borders."""

    width: int
    lines: Lines

    def line(self, row: int) -> Line:
        if row < len(self.lines):
            return [Segment(" "), *self.lines[row], Segment(" ")]
        return [Segment(" " * self.width)]


class _Column:
    """A column of the grid's top row: one tall box, or an upper box over a lower one."""

    def __init__(self, upper: _Cell, lower: _Cell | None = None) -> None:
        self.upper = upper
        self.lower = lower


class NineBoxes:
    """Osterwalder's grid with joined borders; below `GRID_MIN_WIDTH` columns, the boxes
    stacked in grid order. Boxes are shortened unless `full`."""

    def __init__(self, canvas: Canvas, *, full: bool = False) -> None:
        self.canvas = canvas
        self.full = full

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        if options.max_width < GRID_MIN_WIDTH:
            yield from self._stacked()
            return
        yield from self._grid(console, options.reset_height())

    def _stacked(self) -> Iterator[RenderableType]:
        budget = None if self.full else STACKED_BOX_LINES
        for block in grid_order():
            section = self.canvas.blocks.get(block)
            yield Panel(
                Shortened(section_body(section), budget),
                title=Text(block.title, style=_title_style(section)),
                title_align="left",
                box=box.SQUARE,
                border_style=_BORDER_STYLE,
            )

    def _cell(self, block: Block, width: int, console: Console, options: ConsoleOptions) -> _Cell:
        inside = options.update_width(width - 2)
        return _Cell(
            width, console.render_lines(grid_box(block, self.canvas.blocks.get(block)), inside)
        )

    def _shorten(
        self, cell: _Cell, budget: int | None, console: Console, options: ConsoleOptions
    ) -> _Cell:
        if self.full:
            return cell
        inside = options.update_width(cell.width - 2)
        return _Cell(cell.width, shorten_lines(cell.lines, budget, console, inside))

    def _grid(self, console: Console, options: ConsoleOptions) -> Iterator[Segment]:
        # Rich's own ASCII fallback draws no joints on rules; ASCII2 marks each with a "+".
        chars = box.ASCII2 if options.ascii_only else box.SQUARE
        width = options.max_width
        top_blocks = [block for block in Block if block.grid.row != _BOTTOM_ROW]
        starts = sorted({block.grid.column for block in top_blocks})
        inner = width - len(starts) - 1
        count = len(starts)
        widths = [inner // count + (index < inner % count) for index in range(count)]
        borders = [0]
        for column_width in widths:
            borders.append(borders[-1] + column_width + 1)

        def unit_x(unit: int) -> int:
            """Where a boundary between grid units falls: on a border, or mid-column."""
            if unit in starts:
                return borders[starts.index(unit)]
            if unit >= GRID_UNITS:
                return borders[-1]
            index = bisect_right(starts, unit) - 1
            return borders[index] + 1 + widths[index] // 2

        stacks = [
            sorted(
                (block for block in top_blocks if block.grid.column == start),
                key=lambda block: block.grid.row,
            )
            for start in starts
        ]
        columns = self._top_row(stacks, widths, console, options)
        yield from _rule(
            width,
            chars.top_left,
            chars.top_right,
            chars.top,
            {x: chars.top_divider for x in borders[1:-1]},
        )
        yield from _top_row_lines(columns, chars)

        bottom_blocks = sorted(
            (block for block in Block if block.grid.row == _BOTTOM_ROW),
            key=lambda block: block.grid.column,
        )
        edges = [unit_x(block.grid.column) for block in bottom_blocks] + [unit_x(GRID_UNITS)]
        cells = [
            self._shorten(
                self._cell(block, right - left - 1, console, options),
                GRID_BOTTOM_BOX_LINES,
                console,
                options,
            )
            for block, left, right in zip(bottom_blocks, edges, edges[1:], strict=False)
        ]
        joints = {x: chars.bottom_divider for x in borders[1:-1]}
        for x in edges[1:-1]:
            joints[x] = chars.row_cross if x in joints else chars.top_divider
        yield from _rule(width, chars.row_left, chars.row_right, chars.row_horizontal, joints)
        for row in range(max(len(cell.lines) for cell in cells)):
            for cell in cells:
                yield Segment(chars.mid_vertical, _BORDER_STYLE)
                yield from cell.line(row)
            yield Segment(chars.mid_vertical, _BORDER_STYLE)
            yield Segment.line()
        yield from _rule(
            width,
            chars.bottom_left,
            chars.bottom_right,
            chars.bottom,
            {x: chars.bottom_divider for x in edges[1:-1]},
        )

    def _top_row(
        self,
        stacks: list[list[Block]],
        widths: list[int],
        console: Console,
        options: ConsoleOptions,
    ) -> list[_Column]:
        """The top row's boxes, shortened; upper boxes share one height so the rules that
        divide them line up, as on the printed canvas."""
        columns = [
            _Column(*(self._cell(block, width, console, options) for block in stack))
            for stack, width in zip(stacks, widths, strict=True)
        ]
        lowers = [column.lower for column in columns if column.lower is not None]
        uppers = [column.upper for column in columns if column.lower is not None]
        upper_budget, lower_budget = _split_budgets(
            max((len(cell.lines) for cell in uppers), default=0),
            max((len(cell.lines) for cell in lowers), default=0),
            GRID_TALL_BOX_LINES,
        )
        for column in columns:
            if column.lower is None:
                column.upper = self._shorten(column.upper, GRID_TALL_BOX_LINES, console, options)
            else:
                column.upper = self._shorten(column.upper, upper_budget, console, options)
                column.lower = self._shorten(column.lower, lower_budget, console, options)
        return columns


def _top_row_lines(columns: list[_Column], chars: box.Box) -> Iterator[Segment]:
    """The top row line by line; a rule divides each upper box from the one below it."""
    divider_row = max((len(column.upper.lines) for column in columns if column.lower), default=0)
    height = max(
        divider_row + 1 + len(column.lower.lines) if column.lower else len(column.upper.lines)
        for column in columns
    )
    for row in range(height):
        dividing = [column.lower is not None and row == divider_row for column in columns]
        for index, column in enumerate(columns):
            rule_on_left = index > 0 and dividing[index - 1]
            yield Segment(_joint(chars, rule_on_left, dividing[index]), _BORDER_STYLE)
            if dividing[index]:
                yield Segment(chars.row_horizontal * column.upper.width, _BORDER_STYLE)
            elif column.lower is None or row < divider_row:
                yield from column.upper.line(row)
            else:
                yield from column.lower.line(row - divider_row - 1)
        yield Segment(_joint(chars, dividing[-1], False), _BORDER_STYLE)
        yield Segment.line()


def _joint(chars: box.Box, rule_on_left: bool, rule_on_right: bool) -> str:
    """The border character where horizontal rules meet a vertical border from either side."""
    if rule_on_left and rule_on_right:
        return chars.row_cross
    if rule_on_right:
        return chars.row_left
    if rule_on_left:
        return chars.row_right
    return chars.mid_vertical


def _rule(
    width: int, left: str, right: str, fill: str, joints: dict[int, str]
) -> Iterator[Segment]:
    characters = [left, *([fill] * (width - 2)), right]
    for x, joint in joints.items():
        characters[x] = joint
    yield Segment("".join(characters), _BORDER_STYLE)
    yield Segment.line()


def grid_view(canvas: Canvas, *, full: bool = False) -> RenderableType:
    """One company's canvas as Osterwalder's nine boxes, with a note naming any other sections."""
    header = Text(clean_line(canvas.name), style="bold")
    header.append(f"  {clean_line(canvas.slug)}", style="dim")
    parts: list[RenderableType] = [header, NineBoxes(canvas, full=full)]
    if canvas.extras:
        names = ", ".join(
            clean_line(section.heading or "Introduction") for section in canvas.extras
        )
        parts.append(
            Text(
                f"Not on the canvas: {names} (canvas show {clean_line(canvas.slug)} prints them)",
                "dim",
            )
        )
    return Group(*parts)


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
