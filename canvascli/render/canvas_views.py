"""Rich renderables for one canvas: its sections, its nine-box grid, its Markdown."""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import NamedTuple

from rich import box
from rich.console import Console, ConsoleOptions, Group, RenderableType, RenderResult
from rich.constrain import Constrain
from rich.measure import Measurement
from rich.padding import Padding
from rich.panel import Panel
from rich.rule import Rule
from rich.segment import Segment
from rich.style import Style
from rich.text import Text

from canvascli.model import (
    BUSINESS_ONLY_BLOCKS,
    UNNAMED_CODE,
    AnyBlock,
    Canvas,
    CanvasKind,
    Diagnostic,
    Entry,
    LeanBlock,
    Section,
    block_title,
    layout_of,
)
from canvascli.read.label_text import normalise_label
from canvascli.render.compare_parts import BULLET, table_texts
from canvascli.render.safe_text import clean, clean_line
from canvascli.words import noun_for

KIND_NAMES: dict[CanvasKind, str] = {
    "business": "Business Model Canvas",
    "lean": "Lean Canvas",
    "mixed": "Lean Canvas and Business Model Canvas blocks",
}
# Sections beyond the nine blocks are drawn up to this many: a machine-made post with
# thousands of headings would otherwise take minutes to draw.
SHOWN_EXTRAS = 100
# Prose is wrapped no wider than this, however wide the terminal: longer lines are hard to
# follow back to the start of the next.
READING_MEASURE = 100


def plain(text: str, style: str = "") -> Text:
    """Post text as a Rich `Text`: never parsed as markup, control characters made visible."""
    return Text(clean(text), style=style)


def plain_line(text: str, style: str = "") -> Text:
    return Text(clean_line(text), style=style)


def company_header(
    name: str, slug: str, source: str, diagnostics: Iterable[Diagnostic] = ()
) -> Text:
    """A company's name and its slug, unless nothing in the post named the company and the
    name is only its file name as words: then the slug would say the name again."""
    header = plain_line(name, "bold")
    unnamed = any(diagnostic.code == UNNAMED_CODE for diagnostic in diagnostics)
    if not unnamed or not _named_as_its_file(name, source):
        header.append(f"  {clean_line(slug)}", style="dim")
    return header


def _named_as_its_file(name: str, source: str) -> bool:
    # The name-finding patterns take milliseconds to compile: only an unnamed post needs them.
    from canvascli.read.names import name_from_file

    return name == name_from_file(source)


class BulletList:
    """List items with hanging bullets, laid out exactly as a Rich grid of two columns would
    lay them out: `Table.grid(padding=(0, 1))`, bullets unwrapped, text folded.

    Rich's table module costs more to import than `canvas show` spends drawing a canvas, and
    a table does far more than two columns need.
    """

    def __init__(self, rows: Sequence[tuple[Text, Text]]) -> None:
        # A grid pads each cell; the texts, padded by nothing, are measured and drawn as
        # they are, which draws the same lines without a layer to render them through.
        self._columns: tuple[list[RenderableType], list[RenderableType]] = (
            [Padding(bullet, (0, 1, 0, 0)) for bullet, _ in rows],
            [text for _, text in rows],
        )

    @staticmethod
    def _span(
        console: Console, options: ConsoleOptions, cells: Sequence[RenderableType]
    ) -> Measurement:
        if options.max_width < 1:
            return Measurement(0, 0)
        spans = [Measurement.get(console, options, cell) for cell in cells]
        return Measurement(
            max((span.minimum for span in spans), default=1),
            max((span.maximum for span in spans), default=options.max_width),
        ).with_maximum(options.max_width)

    def _widths(self, console: Console, options: ConsoleOptions) -> tuple[int, int]:
        bullets, texts = self._columns
        bullet_width = self._span(console, options, bullets).maximum or 1
        text_width = self._span(console, options, texts).maximum or 1
        room = options.max_width
        if bullet_width + text_width <= room:
            return bullet_width, text_width
        # Only the text column wraps, so it gives way first; bullets give way only when
        # even they do not fit.
        text_width = max(0, room - bullet_width)
        bullet_width = min(bullet_width, max(0, room))
        return (
            self._span(console, options.update_width(bullet_width), bullets).maximum,
            self._span(console, options.update_width(text_width), texts).maximum,
        )

    def __rich_measure__(self, console: Console, options: ConsoleOptions) -> Measurement:
        if options.max_width < 0:
            return Measurement(0, 0)
        width = sum(self._widths(console, options.update_width(options.max_width)))
        spans = [self._span(console, options.update_width(width), cells) for cells in self._columns]
        return Measurement(sum(span.minimum for span in spans), sum(span.maximum for span in spans))

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        bullet_width, text_width = self._widths(console, options.update_width(options.max_width))
        options = options.update(width=bullet_width + text_width, highlight=False, height=None)
        bullet_options = options.update(
            width=bullet_width, justify="left", no_wrap=True, overflow="ellipsis", highlight=False
        )
        text_options = options.update(
            width=text_width, justify="left", no_wrap=False, overflow="fold", highlight=False
        )
        new_line = Segment.line()
        for bullet, text in zip(*self._columns, strict=True):
            bullet_lines = console.render_lines(bullet, bullet_options)
            text_lines = console.render_lines(text, text_options)
            blank = [Segment(" " * bullet_width)]
            for number in range(max(1, len(bullet_lines), len(text_lines))):
                yield from bullet_lines[number] if number < len(bullet_lines) else blank
                if number < len(text_lines):
                    yield from text_lines[number]
                else:
                    yield Segment(" " * text_width)
                yield new_line


# Wide enough to measure any table at its natural size.
_UNBOUNDED = 10_000


class FirstThatFits:
    """The first of several layouts, widest first, whose narrowest drawing fits the width;
    the last when none does. Slugs and numbers are not broken, so a table that cannot keep
    them whole gives way to one with fewer columns."""

    def __init__(self, *layouts: RenderableType) -> None:
        self.layouts = layouts

    def _chosen(self, console: Console, options: ConsoleOptions) -> RenderableType:
        unbounded = options.update_width(_UNBOUNDED)
        for layout in self.layouts[:-1]:
            measure = getattr(layout, "__rich_measure__", None)
            if measure is None or measure(console, unbounded).minimum <= options.max_width:
                return layout
        return self.layouts[-1]

    def __rich_measure__(self, console: Console, options: ConsoleOptions) -> Measurement:
        return Measurement.get(console, options, self._chosen(console, options))

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        yield self._chosen(console, options)


TABLE_CELL_BREAK = " | "


def _table(rows: Sequence[Text], header_cells: list[str] | None = None) -> RenderableType:
    """A Markdown table's rows, read as cells joined by `TABLE_CELL_BREAK`, as a table under
    `header_cells` (the header the reader keeps out of the entries; else the first row);
    where its words do not fit side by side (a grid's box), each row as an item naming its
    cells."""
    from rich.table import Table

    cells = [list(row.split(TABLE_CELL_BREAK)) for row in rows]
    if header_cells is not None:
        cells.insert(0, [Text(clean_line(cell)) for cell in header_cells])
    table = Table(box=box.SIMPLE_HEAD, show_edge=False, pad_edge=False, header_style="bold")
    for _column in range(max(len(row) for row in cells)):
        table.add_column(overflow="fold")
    header, *body = cells
    for number, cell in enumerate(header):
        table.columns[number].header = cell
    items: list[tuple[Text, Text]] = []
    for row in body:
        table.add_row(*row)
        named = [
            Text.assemble((title.plain + ": ", "dim"), cell) if title.plain else cell
            for title, cell in zip(header, row, strict=False)
        ]
        items.append((Text(BULLET, style="dim"), Text("; ").join([*named, *row[len(header) :]])))
    return FirstThatFits(table, BulletList(items))


def _stretches(
    run: Sequence[tuple[Entry, Text]], has_table: bool
) -> Iterator[tuple[int, bool, list[Text]]]:
    """The items of a run in stretches of one depth, each either table rows or list items:
    its depth, whether rows, and its texts."""
    stretch: list[Text] = []
    depth, rows = 0, False
    for entry, text in run:
        found = (entry.depth, has_table and TABLE_CELL_BREAK in entry.text)
        if stretch and found != (depth, rows):
            yield depth, rows, stretch
            stretch = []
        depth, rows = found
        stretch.append(text)
    if stretch:
        yield depth, rows, stretch


def _items_and_tables(
    run: Sequence[tuple[Entry, Text]], has_table: bool, headers: Iterator[list[str]]
) -> RenderableType:
    """Each stretch of items at one depth as a list of its own, set in under its parent's
    text (a child's bullet sits where its parent's text starts); table rows as a table,
    under the next of the section's table `headers`."""
    parts: list[RenderableType] = []
    for depth, rows, texts in _stretches(run, has_table):
        drawn: RenderableType
        header = next(headers, None) if rows else None
        if rows and (header is not None or len(texts) > 1):
            drawn = _table(texts, header)
        else:
            drawn = BulletList([(Text(BULLET, style="dim"), text) for text in texts])
        indent = (len(BULLET) + 1) * depth
        parts.append(Padding(drawn, (0, 0, 0, indent), expand=False) if indent else drawn)
    return Group(*parts)


def entries_body(entries: Sequence[tuple[Entry, Text]], markdown: str = "") -> RenderableType:
    """Paragraphs, runs of list items with hanging bullets, and the rows of a Markdown table
    (when `markdown`, the section's source, has one) as a table."""
    has_table = table_texts(markdown)
    headers: Iterator[list[str]] = iter(())
    if has_table:
        # The reader keeps a table's header row out of the block's entries.
        from canvascli.read.canvas import table_headers

        headers = iter(table_headers(markdown))
    parts: list[RenderableType] = []
    run: list[tuple[Entry, Text]] = []

    def close_run() -> None:
        if run:
            parts.append(_items_and_tables(run, has_table, headers))
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


def section_body(section: Section | None, shown: Callable[[str], Text] = plain) -> RenderableType:
    """A section's paragraphs, list items and tables; bullets hang so wrapped items stay
    readable. `shown` makes each entry's text a `Text` (safe, as `plain` does)."""
    if section is None:
        return Text("(missing)", style="dim italic")
    if section.is_empty:
        return Text("(empty)", style="dim italic")
    return entries_body([(entry, shown(entry.text)) for entry in section.entries], section.markdown)


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
    """One company's canvas: its blocks in its kind's order, then any extra sections, no
    wider than `READING_MEASURE`."""
    kind = canvas.kind
    header = company_header(canvas.name, canvas.slug, canvas.source, canvas.diagnostics)
    if kind != "business":
        header.append(f"  {KIND_NAMES[kind]}", style="dim italic")
    parts: list[RenderableType] = [header]
    # A post with no block at all (notes, an explainer) is shown as its sections alone.
    has_blocks = any(section.block is not None for section in canvas.sections)
    chosen = list(blocks) if blocks else list(canvas.layout) if has_blocks else []
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
    return Constrain(Group(*parts), READING_MEASURE)


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


def grid_kind(canvas: Canvas) -> CanvasKind:
    """The grid a canvas is drawn on: Ash Maurya's for a Lean Canvas, else Osterwalder's; a
    canvas with blocks only each kind has is drawn on the grid of the kind it has more of."""
    kind = canvas.kind
    if kind != "mixed":
        return kind
    present = canvas.all_blocks
    lean = sum(1 for block in LeanBlock if block in present)
    business = sum(1 for block in BUSINESS_ONLY_BLOCKS if block in present)
    return "lean" if lean > business else "business"


def grid_order(kind: CanvasKind = "business") -> tuple[AnyBlock, ...]:
    """The blocks as the kind's grid reads: the top row left to right, upper box before lower,
    then the bottom row."""
    return tuple(
        sorted(
            layout_of(kind),
            key=lambda block: (block.grid.row == _BOTTOM_ROW, block.grid.column, block.grid.row),
        )
    )


def _is_blank(line: Line) -> bool:
    return not "".join(segment.text for segment in line).strip()


def _more_marker(hidden: int) -> Text:
    noun = noun_for(hidden, "line")
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


def grid_box(
    block: AnyBlock, section: Section | None, kind: CanvasKind, shown: Callable[[str], Text] = plain
) -> RenderableType:
    """A box's content: the block's title, then its text, or a mark saying it is missing."""
    title = Text(block_title(block, kind), style=_title_style(section))
    return Group(title, section_body(section, shown))


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
    """The nine boxes with joined borders, in Osterwalder's layout or, for a Lean Canvas, in
    Ash Maurya's; below `GRID_MIN_WIDTH` columns, the boxes stacked in grid order. Blocks of
    a mixed canvas that the grid has no place for follow it as stacked boxes. Boxes are
    shortened unless `full`."""

    def __init__(self, canvas: Canvas, *, full: bool = False) -> None:
        self.canvas = canvas
        self.full = full
        self.kind = grid_kind(canvas)
        self.sections = canvas.all_blocks
        self.blocks = layout_of(self.kind)

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        if options.max_width < GRID_MIN_WIDTH:
            yield from self._stacked(grid_order(self.kind))
        else:
            yield from self._grid(console, options.reset_height())
        yield from self._stacked([block for block in self.sections if block not in self.blocks])

    def _stacked(self, blocks: Iterable[AnyBlock]) -> Iterator[RenderableType]:
        budget = None if self.full else STACKED_BOX_LINES
        for block in blocks:
            section = self.sections.get(block)
            yield Panel(
                Shortened(section_body(section), budget),
                title=Text(block_title(block, self.kind), style=_title_style(section)),
                title_align="left",
                box=box.SQUARE,
                border_style=_BORDER_STYLE,
            )

    def _cell(
        self, block: AnyBlock, width: int, console: Console, options: ConsoleOptions
    ) -> _Cell:
        inside = options.update_width(width - 2)
        content = grid_box(block, self.sections.get(block), self.kind)
        return _Cell(width, console.render_lines(content, inside))

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
        top_blocks = [block for block in self.blocks if block.grid.row != _BOTTOM_ROW]
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
            (block for block in self.blocks if block.grid.row == _BOTTOM_ROW),
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
        stacks: list[list[AnyBlock]],
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
    """One company's canvas as the nine boxes of its kind, with a note naming other sections."""
    header = company_header(canvas.name, canvas.slug, canvas.source, canvas.diagnostics)
    if canvas.kind != "business":
        header.append(f"  {KIND_NAMES[canvas.kind]}", style="dim italic")
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
