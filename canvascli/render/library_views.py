"""Rich tables: the library list, comparisons, common ground, statistics and search results."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import TYPE_CHECKING

from rich import box
from rich.cells import cell_len
from rich.console import Console, ConsoleOptions, Group, RenderableType, RenderResult
from rich.measure import Measurement
from rich.padding import Padding
from rich.rule import Rule
from rich.table import Table
from rich.text import Text

from canvascli.model import (
    AnyBlock,
    Block,
    Canvas,
    CanvasKind,
    LeanBlock,
    Summary,
    layout_of,
)
from canvascli.render.canvas_views import (
    KIND_NAMES,
    FirstThatFits,
    company_header,
    entries_body,
    plain_line,
)
from canvascli.render.compare_parts import (
    COMPARE_CELL_EMPTY,
    COMPARE_CELL_MISSING,
    NARROW_COMPARE,
    NOTHING_SHARED,
    SHARED_MARK,
    SHARED_STYLE,
    common_ground_title,
    compare_bands,
    hidden_note,
    row_title,
    shared_pieces,
    sharers_parts,
    shown_entries,
)
from canvascli.render.safe_text import clean_line
from canvascli.words import noun_for

if TYPE_CHECKING:
    from canvascli.analyse.common_ground import CommonGround, SharedTerm
    from canvascli.analyse.search import Hit, SearchResults
    from canvascli.analyse.similarity import Similarity
    from canvascli.analyse.stats import LibraryStats

SIMILAR_BLOCKS_SHOWN = 3
# Up to this many companies, `stats` draws every company's coverage; beyond, counts.
COVERAGE_MATRIX_LIMIT = 20
LACKING_SHOWN = 3
PRESENT_MARK = "●"
EMPTY_MARK = "○"
MISSING_MARK = "·"
EMPTY_LEGEND = f"{EMPTY_MARK} a heading with nothing written under it"
MATCH_STYLE = "bold yellow"
# The company a browser's enter key would open, among several shown.
CHOSEN_STYLE = "bold reverse"
ENTRY_BREAK = " · "
TITLE_WIDTH = 24


class Chips:
    """Short phrases in a row, wrapped only between them: a term is never parted from its
    count, nor a block's name from its score."""

    def __init__(self, chips: Sequence[Text], separator: str, style: str = "") -> None:
        self.chips = chips
        self.separator = separator
        self.style = style

    def __rich_measure__(self, console: Console, options: ConsoleOptions) -> Measurement:
        widest = max((chip.cell_len for chip in self.chips), default=0)
        total = sum(chip.cell_len for chip in self.chips)
        total += len(self.separator) * max(0, len(self.chips) - 1)
        return Measurement(widest + len(self.separator.rstrip()), total).with_maximum(
            options.max_width
        )

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        width = options.max_width
        end = self.separator.rstrip()
        lines: list[Text] = []
        line = Text()
        for number, chip in enumerate(self.chips, 1):
            room_after = len(end) if number < len(self.chips) else 0
            if line and line.cell_len + len(self.separator) + chip.cell_len + room_after > width:
                line.append(end, style=self.style)
                lines.append(line)
                line = Text()
            elif line:
                line.append(self.separator, style=self.style)
            line.append_text(chip)
        lines.append(line)
        yield Text("\n").join(lines)


def _longest_word(texts: Iterable[str]) -> int:
    return max((len(word) for text in texts for word in text.split()), default=1)


def _name_and_slug(name: str, slug: str) -> Text:
    """A company's name over its slug, for a narrow table's single company column."""
    text = plain_line(name, "bold")
    text.append("\n")
    text.append(clean_line(slug), style="cyan")
    return text


def coverage_mark(summary: Summary, block: AnyBlock) -> Text:
    """`●` for a block written, `○` for an empty heading, `·` for a block missing from the
    canvas's kind, nothing for a block its kind has not."""
    if block in summary.coverage:
        return Text(PRESENT_MARK, "green")
    if block in summary.empty:
        return Text(EMPTY_MARK, "yellow")
    return Text(MISSING_MARK if block in summary.layout else "", "red dim")


def coverage_marks(summary: Summary) -> Text:
    """A mark per block of the canvas's own kind, in its order, then `written/total`."""
    marks = Text()
    for block in summary.layout:
        marks.append_text(coverage_mark(summary, block))
    marks.append(f" {summary.covered}")
    return marks


def coverage_legend(summaries: Iterable[Summary]) -> Text:
    """The order of the marks, for each kind of canvas listed, and what `○` means when
    one is drawn."""
    shown: set[CanvasKind] = set()
    has_empty = False
    for summary in summaries:
        shown.add(summary.kind)
        has_empty = has_empty or bool(summary.empty)
    orders = [
        (kind, " ".join(block.abbreviation for block in layout_of(kind)))
        for kind in KIND_NAMES
        if kind in (shown or {"business"})
    ]
    if len(orders) == 1:
        legend = Text(f"blocks, in order: {orders[0][1]}", "dim")
    else:
        legend = Text(
            "blocks, in order: " + "; ".join(f"{kind}: {order}" for kind, order in orders),
            "dim",
        )
    if has_empty:
        legend.append(f"\n{EMPTY_LEGEND}")
    return legend


def library_table(summaries: Sequence[Summary], title: str | None = None) -> RenderableType:
    """The companies, their slugs, blocks and words; narrower, a company column holds both
    name and slug, and narrower still the blocks are counted without their marks."""
    legend = coverage_legend(summaries)
    names = [clean_line(summary.name) for summary in summaries]
    slugs = [clean_line(summary.slug) for summary in summaries]
    wide = Table(box=box.SIMPLE_HEAD, title=title, caption=legend, title_justify="left")
    wide.add_column("Company", style="bold", min_width=_longest_word(names))
    wide.add_column("Slug", style="cyan", no_wrap=True, min_width=_longest_word(slugs))
    wide.add_column("Blocks", no_wrap=True)
    wide.add_column("Words", justify="right", no_wrap=True)
    # The name-over-slug column of the narrower tables: as wide as their longest word.
    company = _longest_word([*names, *slugs])
    narrow = Table(box=box.SIMPLE_HEAD, title=title, title_justify="left")
    narrow.add_column("Company / slug", min_width=company)
    narrow.add_column("Blocks", no_wrap=True)
    narrow.add_column("Words", justify="right", no_wrap=True)
    counted = Table(box=box.SIMPLE_HEAD, title=title, title_justify="left")
    counted.add_column("Company / slug", min_width=company)
    # The last resort, for the narrowest terminals: slugs folded rather than numbers cut.
    folded = Table(box=box.SIMPLE_HEAD, title=title, title_justify="left")
    folded.add_column("Company / slug", overflow="fold")
    for table in (counted, folded):
        table.add_column("Blocks", no_wrap=True)
        table.add_column("Words", justify="right", no_wrap=True)
    widest = {"marks": len("Blocks"), "covered": len("Blocks"), "words": len("Words")}
    for summary in summaries:
        marks, words = coverage_marks(summary), f"{summary.words:,}"
        wide.add_row(plain_line(summary.name), plain_line(summary.slug), marks, words)
        named = _name_and_slug(summary.name, summary.slug)
        narrow.add_row(named, marks, words)
        counted.add_row(named, summary.covered, words)
        folded.add_row(named, summary.covered, words)
        widest["marks"] = max(widest["marks"], marks.cell_len)
        widest["covered"] = max(widest["covered"], len(summary.covered))
        widest["words"] = max(widest["words"], len(words))
    # Under the table rather than its caption: Rich cut the last letters of a caption
    # wrapped under a table as wide as the terminal.
    below = Padding(legend, (0, 0, 0, 1))
    # Rich measures these tables two columns narrower than it draws them: each is given
    # the width its whole slugs, marks and numbers take, a column of padding each side.
    return FirstThatFits(
        _AtLeast(
            wide,
            max(_longest_word(names), len("Company"))
            + max(_longest_word(slugs), len("Slug"))
            + widest["marks"]
            + widest["words"]
            + 10,
        ),
        _AtLeast(Group(narrow, below), company + widest["marks"] + widest["words"] + 10),
        _AtLeast(counted, company + widest["covered"] + widest["words"] + 10),
        folded,
    )


class _AtLeast:
    """A layout that needs `width` columns, whatever Rich measures of it."""

    def __init__(self, layout: RenderableType, width: int) -> None:
        self.layout = layout
        self.width = width

    def __rich_measure__(self, console: Console, options: ConsoleOptions) -> Measurement:
        measured = Measurement.get(console, options, self.layout)
        return Measurement(max(measured.minimum, self.width), max(measured.maximum, self.width))

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        yield self.layout


def compare_view(
    canvases: Sequence[Canvas],
    blocks: Sequence[AnyBlock],
    width: int,
    ground: CommonGround,
    *,
    diff: bool = False,
    chosen: str | None = None,
) -> RenderableType:
    """A row per block and a column per company, then `ground`, their common ground; the
    name of the company whose slug is `chosen` stands out.

    Below `NARROW_COMPARE` columns the companies are stacked under each block; when the
    companies do not fit at `MIN_COMPARE_CELL` columns each, they are split into bands,
    each a full table. Shared terms are marked; with `diff`, shared list items are hidden.
    """
    cells = {
        (canvas.slug, block): _compare_cell(canvas, block, ground, diff)
        for canvas in canvases
        for block in blocks
    }
    parts: list[RenderableType]
    if width < NARROW_COMPARE:
        parts = [_stacked_compare(canvases, blocks, cells, chosen)]
    else:
        parts = [
            _compare_table(band, blocks, cells, chosen) for band in compare_bands(canvases, width)
        ]
    if diff:
        parts.append(_hidden_note(canvases, blocks, ground))
    else:
        parts.append(common_ground_view(ground, canvases, blocks, width))
    return Group(*parts)


def _compare_table(
    canvases: Sequence[Canvas],
    blocks: Sequence[AnyBlock],
    cells: Mapping[tuple[str, AnyBlock], RenderableType],
    chosen: str | None = None,
) -> Table:
    table = Table(box=box.ROUNDED, show_lines=True, expand=True)
    table.add_column("Block", style="bold cyan", overflow="fold", min_width=13, max_width=14)
    share = 4 if len(canvases) <= 3 else 3
    for canvas in canvases:
        # The companies share out by ratio what the Block column leaves, whatever their cells
        # hold; Rich reads `width` on a ratio column as its minimum (1 unless given), and
        # given one, no longer measures every cell only to ignore the result.
        table.add_column(
            plain_line(canvas.name, _company_style(canvas, chosen)),
            overflow="fold",
            ratio=share,
            width=1,
        )
    for block in blocks:
        table.add_row(
            Text(row_title(block, canvases)), *(cells[canvas.slug, block] for canvas in canvases)
        )
    return table


def _stacked_compare(
    canvases: Sequence[Canvas],
    blocks: Sequence[AnyBlock],
    cells: Mapping[tuple[str, AnyBlock], RenderableType],
    chosen: str | None = None,
) -> RenderableType:
    parts: list[RenderableType] = []
    for block in blocks:
        title = Text(row_title(block, canvases), style="bold cyan")
        parts.append(Rule(title, align="left", style="cyan"))
        for canvas in canvases:
            parts.append(plain_line(canvas.name, _company_style(canvas, chosen)))
            parts.append(Padding(cells[canvas.slug, block], (0, 0, 1, 2)))
    return Group(*parts)


def _company_style(canvas: Canvas, chosen: str | None) -> str:
    return CHOSEN_STYLE if canvas.slug == chosen else "bold"


def shared_text(text: str, spans: Sequence[tuple[int, int]] = ()) -> Text:
    """Post text with each shared span marked by `SHARED_MARK` and `SHARED_STYLE`."""
    return _marked(shared_pieces(text, spans))


def _marked(pieces: Sequence[tuple[str, bool]]) -> Text:
    result = Text()
    for piece, shared in pieces:
        result.append(piece, style=SHARED_STYLE if shared else None)
    return result


def _compare_cell(
    canvas: Canvas, block: AnyBlock, ground: CommonGround, diff: bool
) -> RenderableType:
    section = canvas.section_for(block)
    if section is None:
        return Text(COMPARE_CELL_MISSING, style="dim italic")
    if section.is_empty:
        return Text(COMPARE_CELL_EMPTY, style="dim italic")
    shown = shown_entries(canvas, block, section, ground, diff)
    if isinstance(shown, str):
        return Text(shown, style="dim italic")
    return entries_body([(entry, _marked(pieces)) for entry, pieces in shown], section.markdown)


def _sharers(term: SharedTerm, canvases: Sequence[Canvas]) -> Text:
    """Who shares a term, with how each writes it if otherwise (see `sharers_parts`)."""
    text = Text()
    for piece, style in sharers_parts(term, canvases):
        text.append(piece, style=style)
    return text


def common_ground_view(
    ground: CommonGround, canvases: Sequence[Canvas], blocks: Sequence[AnyBlock], width: int
) -> RenderableType:
    """The closing summary: per block, each shared term and the companies that share it."""
    title = Text("Common ground", style="bold")
    title.append(common_ground_title().removeprefix("Common ground"), style="dim")
    if not ground.shared:
        return Group(Text(), title, Text(NOTHING_SHARED, style="dim italic"))
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
    return Text(hidden_note(canvases, blocks, ground), style="dim")


def similar_view(
    target: Canvas,
    ranked: Sequence[Similarity],
    blocks: Sequence[AnyBlock],
    chosen: int | None = None,
) -> Group:
    """The companies most like `target`, best first, with the blocks that make them alike;
    the row of `ranked[chosen]` stands out.

    Narrower, a company column holds both name and slug; narrower still, each company is a
    few lines of its own. A table is chosen only where its names, slugs and scores fit on
    their lines and each block alike beside them whole: Rich, short of room, narrows the
    widest column that may wrap first, so the blocks alike are the only one that may.
    """
    scope = ", ".join(block.title for block in blocks) if blocks else "all blocks"
    title = Text("Most like ", style="bold")
    title.append(clean_line(target.name), style="bold")
    title.append(f"  (TF-IDF cosine over {scope})", style="dim")
    names = [clean_line(found.name) for found in ranked]
    slugs = [clean_line(found.slug) for found in ranked]
    alikes = [
        [Text(f"{block.title} {score:.2f}") for block, score in found.blocks[:SIMILAR_BLOCKS_SHOWN]]
        for found in ranked
    ]
    # The widest block beside its score, and the comma a wrapped line ends with.
    chip = max([len("Most alike in"), *(chip.cell_len + 1 for alike in alikes for chip in alike)])
    wide = Table(box=box.SIMPLE_HEAD)
    wide.add_column("#", justify="right", style="dim", no_wrap=True)
    wide.add_column("Company", style="bold", no_wrap=True)
    wide.add_column("Slug", style="cyan", no_wrap=True)
    wide.add_column("Score", justify="right", no_wrap=True)
    wide.add_column("Most alike in", min_width=chip)
    narrow = Table(box=box.SIMPLE_HEAD)
    narrow.add_column("#", justify="right", style="dim", no_wrap=True)
    narrow.add_column("Company / slug", no_wrap=True)
    narrow.add_column("Score", justify="right", no_wrap=True)
    narrow.add_column("Most alike in", min_width=chip)
    # The narrowest: the rank, then name, slug, score and blocks alike on lines of their own.
    stacked = Table.grid(padding=(0, 1, 0, 0))
    stacked.add_column(justify="right", style="dim", no_wrap=True)
    stacked.add_column()
    for rank, (found, alike) in enumerate(zip(ranked, alikes, strict=True), 1):
        shared: RenderableType = (
            Chips(alike, ", ") if alike else Text("nothing in common", style="dim italic")
        )
        score = f"{found.score:.2f}"
        style = CHOSEN_STYLE if rank - 1 == chosen else None
        wide.add_row(
            str(rank), plain_line(found.name), plain_line(found.slug), score, shared, style=style
        )
        named = _name_and_slug(found.name, found.slug)
        narrow.add_row(str(rank), named, score, shared, style=style)
        if rank > 1:
            stacked.add_row()
        # A line each: a block's name is never parted from its score by a wrapped comma.
        stacked.add_row(
            str(rank),
            Group(named, Text.assemble(("score ", "dim"), score), *(alike if alike else (shared,))),
            style=style,
        )
    ranks, score_column = len(str(len(ranked))), len("Score")
    name = max([len("Company"), *(cell_len(text) for text in names)])
    slug = max([len("Slug"), *(cell_len(text) for text in slugs)])
    # Each table is given the width its columns take, a column of padding each side and a
    # rule between them, whatever Rich measures of it.
    return Group(
        title,
        FirstThatFits(
            _AtLeast(wide, ranks + name + slug + score_column + chip + 16),
            _AtLeast(narrow, ranks + max(name, slug) + score_column + chip + 13),
            stacked,
        ),
    )


def stats_view(stats: LibraryStats, summaries: Sequence[Summary], where: str) -> Group:
    """The library overview: companies, block coverage, and the most frequent terms; of an
    empty library, only the first line."""
    companies = noun_for(stats.companies, "company", "companies")
    header = Text(f"{stats.companies:,} {companies}", "bold")
    header.append(f" in {clean_line(where)}", style="dim")
    if not stats.companies:
        return Group(header)
    # Titles of their own, not the tables': a table's title wraps to the table's width.
    parts: list[RenderableType] = [header, Text(), Text("Block coverage", "bold")]
    if len(summaries) <= COVERAGE_MATRIX_LIMIT:
        parts.append(_coverage_matrix(stats, summaries))
    else:
        parts.append(_coverage_counts(stats))
    parts.append(Text("Most frequent terms (companies that mention each)", "bold"))
    parts.append(_frequent_table(stats))
    return Group(*parts)


def _coverage_matrix(stats: LibraryStats, summaries: Sequence[Summary]) -> RenderableType:
    """A column per block when the names fit beside them; narrower, each company's marks
    in a row, as `canvas list` draws them."""
    names = [clean_line(summary.name) for summary in summaries]
    wide = Table(box=box.SIMPLE_HEAD)
    wide.add_column("Company", style="bold", min_width=_longest_word(names))
    blocks = [coverage.block for coverage in stats.coverage]
    for block in blocks:
        wide.add_column(block.abbreviation, justify="center", no_wrap=True)
    wide.add_column("Blocks", justify="right", no_wrap=True)
    if any(summary.empty for summary in summaries):
        wide.caption = Text(EMPTY_LEGEND, "dim")
        wide.caption_justify = "left"
    for summary in summaries:
        marks = [coverage_mark(summary, block) for block in blocks]
        wide.add_row(plain_line(summary.name), *marks, summary.covered)
    wide.add_section()
    wide.add_row(
        Text("companies with it", style="dim"),
        *(Text(str(coverage.present), style="dim") for coverage in stats.coverage),
        "",
    )
    counts = [
        Text(f"{coverage.block.abbreviation} {coverage.present:,}") for coverage in stats.coverage
    ]
    narrow = Table(box=box.SIMPLE_HEAD)
    narrow.add_column("Company", style="bold", overflow="fold")
    narrow.add_column("Blocks", no_wrap=True)
    for summary in summaries:
        narrow.add_row(plain_line(summary.name), coverage_marks(summary))
    legend = coverage_legend(summaries)
    with_it = Group(Text("companies with each block:", style="dim"), Chips(counts, " · ", "dim"))
    return FirstThatFits(wide, Group(narrow, Padding(Group(legend, with_it), (0, 0, 1, 1))))


def _coverage_counts(stats: LibraryStats) -> Table:
    table = Table(box=box.SIMPLE_HEAD)
    table.add_column("Block", style="bold cyan", no_wrap=True)
    table.add_column("Present", justify="right", no_wrap=True)
    table.add_column("Lacking it", overflow="fold")
    for coverage in stats.coverage:
        shown = ", ".join(clean_line(slug) for slug in coverage.missing[:LACKING_SHOWN])
        more = len(coverage.missing) - LACKING_SHOWN
        lacking = Text(shown or "none", style="" if shown else "dim")
        if more > 0:
            lacking.append(f" +{more:,} more", style="dim")
        table.add_row(coverage.block.title, f"{coverage.present:,}/{coverage.companies:,}", lacking)
    return table


def _frequent_table(stats: LibraryStats) -> Table:
    table = Table(box=box.SIMPLE_HEAD)
    table.add_column("Block", style="bold cyan", no_wrap=True)
    table.add_column("Terms", overflow="fold")
    for block, terms in stats.frequent:
        chips = [
            Text.assemble(clean_line(term.term), (f" {term.companies:,}", "dim")) for term in terms
        ]
        table.add_row(block.title, Chips(chips, " · ", "dim") if terms else Text("none", "dim"))
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
        summary = company.summary
        header = company_header(summary.name, summary.slug, summary.source, summary.diagnostics)
        grid = Table.grid(padding=(0, 2))
        grid.add_column(overflow="fold", min_width=title_width, max_width=TITLE_WIDTH)
        grid.add_column(overflow="fold")
        for hit in company.hits:
            grid.add_row(_hit_title(hit), snippet_text(hit))
        if parts:
            parts.append(Text())
        parts.extend([header, Padding(grid, (0, 0, 0, 2))])
    hits = noun_for(results.total, "hit")
    companies = len(results.companies)
    where = f"{companies} {noun_for(companies, 'company', 'companies')}"
    if results.shown < results.total:
        footer = f"best {results.shown} of {results.total} {hits} shown, in {where}; "
        footer += "--limit N shows more"
    else:
        footer = f"{results.total} {hits} in {where}"
    parts.extend([Text(), Text(footer, style="dim")])
    return Group(*parts)
