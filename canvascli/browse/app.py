"""The browser's screens: the library, a canvas as boxes, one block, search, compare, similar."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import ExitStack, contextmanager, suppress
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, ClassVar

from rich.console import Group, RenderableType
from rich.text import Text
from textual import on, work
from textual.app import App, ComposeResult, SuspendNotSupported, SystemCommand
from textual.binding import Binding, BindingType
from textual.command import DiscoveryHit, Hit, Hits, Provider
from textual.containers import Container, VerticalScroll
from textual.events import Click, Key, Resize
from textual.filter import Monochrome
from textual.geometry import Size
from textual.message import Message
from textual.screen import Screen
from textual.scroll_view import ScrollView
from textual.strip import Strip
from textual.timer import Timer
from textual.widgets import Footer, Input, OptionList, Static
from textual.widgets.option_list import Option

from canvascli.analyse.ordering import SORT_KEYS, sorted_summaries
from canvascli.analyse.search import Query
from canvascli.browse.moves import Direction, lane_through, next_box
from canvascli.model import AnyBlock, Canvas, Section, Summary, block_title
from canvascli.render.canvas_views import (
    GRID_MIN_WIDTH,
    SHOWN_EXTRAS,
    Shortened,
    company_header,
    grid_box,
    grid_kind,
    grid_order,
    plain,
    plain_line,
    section_body,
    section_title,
)
from canvascli.render.library_views import CHOSEN_STYLE, MATCH_STYLE, coverage_marks
from canvascli.render.safe_text import clean, clean_line
from canvascli.render.terminal import NO_EDITOR, open_in_editor
from canvascli.store.files import PostState, library_state
from canvascli.store.library import Library, load_library

if TYPE_CHECKING:
    from canvascli.analyse.similarity import Similarity

MAX_MARKED = 6
SIMILAR_SHOWN = 10
SEARCH_HITS = 50
# Shorter filters match too many canvases' words to say anything.
WORD_FILTER_FROM = 3
# The filter's word search waits for a pause in typing this long: one search for a burst
# of keys, not one a key, while names and slugs are matched at every key.
WORD_FILTER_PAUSE = 0.15
MARK = "●"
SORT_ORDER_NAMES = tuple(SORT_KEYS)
LIGHT_THEME = "textual-light"
DARK_THEME = "textual-dark"
# How often the library's folder is looked at for posts changed on disk.
FOLLOW_SECONDS = 1.5


class Field(Input):
    """A line to type into, where a line feed submits as enter does: keys typed before the
    app takes the terminal over reach it with the terminal's enter turned into a line feed."""

    BINDINGS: ClassVar[list[BindingType]] = [Binding("ctrl+j", "submit", show=False)]


class Box(Static, can_focus=True):
    """One block of the canvas, or one section beyond its blocks."""

    # On the box itself, so that the scrolling page around it does not take the arrows.
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("left,h", "screen.move('left')", "Left", show=False),
        Binding("right,l", "screen.move('right')", "Right", show=False),
        Binding("up,k", "screen.move('up')", "Up", show=False),
        Binding("down,j", "screen.move('down')", "Down", show=False),
    ]

    def __init__(self, section: Section | None, block: AnyBlock | None, body: RenderableType):
        super().__init__(body, classes="box")
        self.section = section
        self.block = block
        self.body = body

    def render(self) -> RenderableType:
        """The box's text, cut where the grid's box ends with a "+N more lines" marker, as
        `show --grid` cuts its boxes; a stacked box grows to hold all of it."""
        parent = self.parent
        height = self.content_size.height
        if parent is None or parent.id != "grid" or parent.has_class("stacked") or height < 1:
            return self.body
        return Shortened(self.body, height)


class FollowingScreen(Screen[None]):
    """A screen drawn from the library, drawn again when the library changes on disk."""

    async def follow(self, library: Library) -> None:
        """Draw the screen again from `library`."""

    def now(self, library: Library, canvas: Canvas) -> Canvas | None:
        """`canvas` as it is in `library`, or None when it has left; a past version of a
        canvas, opened as `COMPANY@REV`, stays as it was."""
        app = self.app
        if isinstance(app, BrowseApp) and canvas is app.past:
            return canvas
        return canvas_in(library, canvas.slug)

    def say_gone(self, slug: str) -> None:
        """Say, on the screen's top line, that a company shown here has left the library."""
        note = self.query_one("#gone", Static)
        note.update(plain_line(f"! {slug} is no longer in the library; shown as it was"))
        note.display = True


def gone_note() -> Static:
    note = Static(id="gone")
    note.display = False
    return note


def canvas_in(library: Library, slug: str) -> Canvas | None:
    """The canvas of company `slug` in `library`, or None when it is no longer there."""
    from canvascli.errors import CanvasError

    summary = next((summary for summary in library.summaries if summary.slug == slug), None)
    if summary is None:
        return None
    try:
        return library.canvas(summary)
    except CanvasError:
        return None


class CanvasScreen(FollowingScreen):
    """A canvas as the boxes of its kind's grid, then its extra sections."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter", "zoom", "Zoom"),
        Binding("s", "similar", "Similar"),
        Binding("e", "app.edit", "Edit"),
        Binding("escape", "app.pop_screen", "Back"),
        Binding("q", "app.quit", "Quit"),
    ]

    def __init__(
        self, canvas: Canvas, block: AnyBlock | None = None, searched: Query | None = None
    ) -> None:
        super().__init__()
        self.searched = searched
        self.start: AnyBlock | Section | None = block
        # The row and the column moves have travelled along, to come back the same way.
        self.lanes: dict[bool, int | None] = {True: None, False: None}
        self._build(canvas)

    def _build(self, canvas: Canvas) -> None:
        self.canvas = canvas
        self.shown = marking(canvas, self.searched)
        self.kind = grid_kind(canvas)
        self.order = grid_order(self.kind)
        present = canvas.all_blocks
        self.boxes = [
            Box(
                present.get(block),
                block,
                grid_box(block, present.get(block), self.kind, self.shown),
            )
            for block in self.order
        ]
        for box in self.boxes:
            assert box.block is not None
            place = box.block.grid
            box.styles.row_span = place.row_span
            box.styles.column_span = place.column_span
        self.extras = [
            Box(
                section,
                None,
                Group(section_title(section, self.kind), section_body(section, self.shown)),
            )
            for section in canvas.extras[:SHOWN_EXTRAS]
        ]
        self.unshown = len(canvas.extras) - len(self.extras)

    def compose(self) -> ComposeResult:
        yield gone_note()
        yield Static(
            company_header(self.canvas.name, self.canvas.slug, self.canvas.source), id="title"
        )
        with VerticalScroll(id="page"):
            # Placed in reading order the grid fills row by row, as the paper canvas does.
            with Container(id="grid"):
                yield from sorted(self.boxes, key=_paper_place)
            with Container(id="extras"):
                yield from self.extras
            if self.unshown:
                note = f"{self.unshown:,} more sections not shown; canvas show --markdown has all"
                yield Static(Text(note, style="dim italic"))
        yield Footer()

    def on_mount(self) -> None:
        self._stack(self.app.size.width)
        self._focus_start()

    def _focus_start(self) -> None:
        every = [*self.boxes, *self.extras]
        wanted = [box for box in every if _same_box(box, self.start)]
        (wanted or every)[0].focus()

    async def follow(self, library: Library) -> None:
        canvas = self.now(library, self.canvas)
        if canvas is None:
            self.say_gone(self.canvas.slug)
            return
        if canvas is self.canvas:
            return
        here = self.current
        self.start = here.block if here.block is not None else here.section
        self._build(canvas)
        await self.recompose()
        self._stack(self.app.size.width)
        self._focus_start()

    def on_resize(self, event: Resize) -> None:
        self._stack(event.size.width)

    def _stack(self, width: int) -> None:
        self.query_one("#grid").set_class(width < GRID_MIN_WIDTH, "stacked")

    @property
    def stacked(self) -> bool:
        return self.query_one("#grid").has_class("stacked")

    @property
    def current(self) -> Box:
        focused = self.focused
        return focused if isinstance(focused, Box) else self.boxes[0]

    def action_move(self, direction: Direction) -> None:
        every = [*self.boxes, *self.extras]
        here = every.index(self.current)
        target: int | None
        if self.stacked or here >= len(self.boxes):
            step = -1 if direction in ("left", "up") else 1
            target = here + step if 0 <= here + step < len(every) else None
        else:
            places = [box.block.grid for box in self.boxes if box.block is not None]
            across = direction in ("left", "right")
            lane = lane_through(places[here], direction, self.lanes[across])
            self.lanes[across] = lane
            target = next_box(places, here, direction, lane)
            if target is None and direction == "down" and self.extras:
                target = len(self.boxes)
        if target is not None:
            every[target].focus()
            every[target].scroll_visible()

    def action_zoom(self) -> None:
        box = self.current
        place = box.block if box.block is not None else self.extras.index(box)
        self.app.push_screen(ZoomScreen(self.canvas, place, self.searched))

    def action_similar(self) -> None:
        app = self.app
        assert isinstance(app, BrowseApp)
        app.show_similar(self.canvas)


def marking(canvas: Canvas, searched: Query | None) -> Callable[[str], Text]:
    """How the canvas's entries are shown: as text, with the words `searched` finds there
    highlighted as `canvas search` highlights its snippets."""
    if searched is None:
        return plain
    from canvascli.analyse.search import match_spans

    texts = sorted({clean(entry.text) for section in canvas.sections for entry in section.entries})
    found = dict(zip(texts, match_spans(searched, texts), strict=True))

    def shown(text: str) -> Text:
        marked = plain(text)
        for start, end in found.get(marked.plain, ()):
            marked.stylize(MATCH_STYLE, start, end)
        return marked

    return shown


def _same_box(box: Box, wanted: AnyBlock | Section | None) -> bool:
    """Whether `box` shows the block `wanted`, or the extra section with its heading."""
    if box.block is not None or wanted is None or not isinstance(wanted, Section):
        return box.block is wanted and wanted is not None
    return box.section is not None and box.section.heading == wanted.heading


def _paper_place(box: Box) -> tuple[int, int]:
    place = box.block.grid if box.block is not None else None
    return (place.row, place.column) if place is not None else (0, 0)


class ViewScreen(FollowingScreen):
    """One drawing, scrolled whole: a zoomed block, a comparison, a list of similar ones."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "app.pop_screen", "Back"),
        Binding("q", "app.quit", "Quit"),
    ]

    def __init__(self, shown: RenderableType) -> None:
        super().__init__()
        self.shown = shown

    def compose(self) -> ComposeResult:
        yield gone_note()
        with VerticalScroll(id="view"):
            yield Static(self.shown, id="shown")
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#view").focus()

    def draw(self, shown: RenderableType) -> None:
        self.shown = shown
        self.query_one("#shown", Static).update(shown)


class ZoomScreen(ViewScreen):
    """One block at the full width, all its entries; or one extra section, by its place
    among the canvas's extra sections."""

    def __init__(self, canvas: Canvas, place: AnyBlock | int, searched: Query | None) -> None:
        self.canvas = canvas
        self.place = place
        self.searched = searched
        super().__init__(self._view())

    def _view(self) -> RenderableType:
        canvas = self.canvas
        kind = grid_kind(canvas)
        shown = marking(canvas, self.searched)
        if isinstance(self.place, int):
            extras = canvas.extras
            section = extras[self.place] if self.place < len(extras) else None
            if section is None:
                return Text("(this section is no longer in the post)", style="dim italic")
            return Group(section_title(section, kind), section_body(section, shown))
        section = canvas.all_blocks.get(self.place)
        if section is None:
            title = Text(block_title(self.place, kind), style="bold cyan")
            return Group(title, section_body(None))
        return Group(section_title(section, kind), section_body(section, shown))

    async def follow(self, library: Library) -> None:
        canvas = self.now(library, self.canvas)
        if canvas is None:
            self.say_gone(self.canvas.slug)
            return
        self.canvas = canvas
        self.draw(self._view())


class ChoosingScreen(ViewScreen):
    """A drawing of several companies, one of them chosen: enter opens its canvas over it."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter", "open", "Open"),
        *ViewScreen.BINDINGS,
    ]

    def __init__(self, companies: Sequence[tuple[str, str]]) -> None:
        self.companies = list(companies)
        self.chosen = 0
        super().__init__(self._view())

    def _view(self) -> RenderableType:
        raise NotImplementedError

    def compose(self) -> ComposeResult:
        yield gone_note()
        with VerticalScroll(id="view"):
            yield Static(self.shown, id="shown")
        yield Static(self._choice(), id="choice")
        yield Footer()

    def _choice(self) -> Text:
        if not self.companies:
            return Text("no company to open", style="dim italic")
        _, name = self.companies[self.chosen]
        line = Text("enter opens ", style="dim")
        line.append_text(plain_line(name, CHOSEN_STYLE))
        line.append(f"  ({self.chosen + 1} of {len(self.companies)})", style="dim")
        return line

    def redraw(self) -> None:
        self.draw(self._view())
        self.query_one("#choice", Static).update(self._choice())

    def action_choose(self, step: int) -> None:
        if self.companies:
            self.chosen = (self.chosen + step) % len(self.companies)
            self.redraw()

    def action_open(self) -> None:
        if self.companies:
            slug, _ = self.companies[self.chosen]
            app = self.app
            assert isinstance(app, BrowseApp)
            app.open_company(slug, None, over=True)


class CompareScreen(ChoosingScreen):
    """The marked companies side by side, common ground marked as in `canvas compare`;
    left and right choose the column enter opens."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("d", "diff", "Diff"),
        Binding("left,h", "choose(-1)", "Column", show=False, priority=True),
        Binding("right,l", "choose(1)", "Column", show=False, priority=True),
        *ChoosingScreen.BINDINGS,
    ]

    def __init__(self, canvases: Sequence[Canvas], width: int) -> None:
        self.canvases = canvases
        self.width = width
        self.diff = False
        super().__init__([(canvas.slug, canvas.name) for canvas in canvases])

    def _view(self) -> RenderableType:
        from canvascli.analyse.common_ground import common_ground
        from canvascli.model import comparison_rows
        from canvascli.render.library_views import compare_view

        blocks = list(comparison_rows(self.canvases))
        ground = common_ground(self.canvases, blocks)
        chosen = self.canvases[self.chosen].slug
        return compare_view(
            self.canvases, blocks, self.width, ground, diff=self.diff, chosen=chosen
        )

    def action_diff(self) -> None:
        self.diff = not self.diff
        self.redraw()

    async def follow(self, library: Library) -> None:
        found = {canvas.slug: self.now(library, canvas) for canvas in self.canvases}
        gone = [slug for slug, canvas in found.items() if canvas is None]
        for slug in gone:
            self.say_gone(slug)
        self.canvases = [
            canvas if fresh is None else fresh
            for canvas, fresh in zip(self.canvases, found.values(), strict=True)
        ]
        self.redraw()


class SimilarScreen(ChoosingScreen):
    """The companies whose canvases read most like one; up and down choose the one enter
    opens."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("up,k", "choose(-1)", "Choose", show=False, priority=True),
        Binding("down,j", "choose(1)", "Choose", show=False, priority=True),
        *ChoosingScreen.BINDINGS,
    ]

    def __init__(self, target: Canvas, ranked: Sequence[Similarity]) -> None:
        self.target = target
        self.ranked = ranked
        super().__init__([(found.slug, found.name) for found in ranked])

    def _view(self) -> RenderableType:
        from canvascli.render.library_views import similar_view

        return similar_view(self.target, self.ranked, [], self.chosen if self.ranked else None)

    async def follow(self, library: Library) -> None:
        from canvascli.analyse.similarity import rank_similar

        target = self.now(library, self.target)
        if target is None:
            self.say_gone(self.target.slug)
            return
        chosen = self.companies[self.chosen][0] if self.companies else None
        self.target = target
        self.ranked = rank_similar(target, library.companies().canvases(), [])[:SIMILAR_SHOWN]
        self.companies = [(found.slug, found.name) for found in self.ranked]
        slugs = [slug for slug, _ in self.companies]
        self.chosen = slugs.index(chosen) if chosen in slugs else 0
        self.redraw()


class SearchScreen(FollowingScreen):
    """A query with live hits, best company first; enter opens a hit's company at its block."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "app.pop_screen", "Back"),
    ]

    def __init__(self, library: Library) -> None:
        super().__init__()
        self.library = library
        self.targets: list[tuple[str, AnyBlock | None]] = []
        self.searched: Query | None = None

    def compose(self) -> ComposeResult:
        yield Field(placeholder="search every canvas", id="query")
        yield OptionList(id="hits")
        yield Static(id="summary")
        yield Footer()

    @on(Input.Changed, "#query")
    def find_typed(self, event: Input.Changed) -> None:
        self.find(event.value)

    async def follow(self, library: Library) -> None:
        self.library = library
        self.find(self.query_one("#query", Input).value)

    def find(self, typed: str) -> None:
        """List the hits of the query `typed`, or say why there are none."""
        from canvascli.analyse.search import parse_query, search_library
        from canvascli.errors import CanvasError

        hits = self.query_one("#hits", OptionList)
        hits.clear_options()
        self.targets = []
        note = self.query_one("#summary", Static)
        self.searched = parse_query(typed)
        try:
            results = search_library(self.library, self.searched, limit=SEARCH_HITS)
        except CanvasError as problem:
            note.update(plain_line(str(problem) if typed.strip() else "", "dim"))
            return
        from canvascli.render.library_views import snippet_text

        options: list[Option] = []
        for company in results.companies:
            summary = company.summary
            options.append(Option(company_header(summary.name, summary.slug, ""), disabled=True))
            for hit in company.hits:
                line = Text("  ")
                line.append(hit.title, style="cyan")
                line.append("  ")
                line.append_text(snippet_text(hit))
                options.append(Option(line, id=str(len(self.targets))))
                self.targets.append((summary.slug, hit.block))
        hits.add_options(options)
        note.update(plain_line(f"{results.total} hits in {len(results.companies)} companies"))

    @on(Input.Submitted, "#query")
    def to_hits(self) -> None:
        hits = self.query_one("#hits", OptionList)
        if self.targets:
            hits.focus()
            hits.action_first()

    @on(OptionList.OptionSelected, "#hits")
    def jump(self, event: OptionList.OptionSelected) -> None:
        if event.option.id is None:
            return
        slug, block = self.targets[int(event.option.id)]
        app = self.app
        assert isinstance(app, BrowseApp)
        app.open_company(slug, block, self.searched)


class CompanyList(ScrollView, can_focus=True):
    """The companies, one a line, drawn only where they show: a library of ten thousand
    costs what a screenful does. Letters typed here go on to the filter above."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter", "open", "Open"),
        Binding("space", "mark", "Mark"),
        Binding("o", "app.sort", "Sort"),
        Binding("c", "app.compare", "Compare"),
        Binding("s", "app.similar", "Similar"),
        Binding("e", "app.edit", "Edit"),
        Binding("q", "app.quit", "Quit"),
        Binding("down", "cursor(1)", show=False),
        Binding("up", "cursor(-1)", show=False),
        Binding("pagedown", "page(1)", show=False),
        Binding("pageup", "page(-1)", show=False),
        Binding("home", "cursor(-1_000_000_000)", show=False),
        Binding("end", "cursor(1_000_000_000)", show=False),
    ]
    COMMAND_KEYS: ClassVar[set[str]] = {"space", "o", "c", "s", "e", "q", "question_mark", "slash"}

    class Opened(Message):
        def __init__(self, slug: str) -> None:
            super().__init__()
            self.slug = slug

    def __init__(self, draw: Callable[[Summary], Text], *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.draw = draw
        self.rows: list[Summary] = []
        self.highlighted: int | None = None
        # Whether letters typed here are on their way to the filter.
        self.handing_over = False

    def show(self, rows: Sequence[Summary], keep: str | None = None) -> None:
        """List `rows`, highlighting the company `keep` if it is among them, else the first."""
        self.rows = list(rows)
        slugs = [summary.slug for summary in self.rows]
        self.highlighted = (slugs.index(keep) if keep in slugs else 0) if self.rows else None
        self.virtual_size = Size(self.size.width, len(self.rows))
        self.scroll_to(y=0, animate=False)
        if self.highlighted:
            self.action_cursor(0)
        self.refresh()

    def redraw(self, index: int) -> None:
        self.refresh_line(index - int(self.scroll_offset.y))

    def render_line(self, y: int) -> Strip:
        index = y + int(self.scroll_offset.y)
        width = self.size.width
        if index >= len(self.rows):
            return Strip.blank(width, self.rich_style)
        text = self.draw(self.rows[index])
        if index == self.highlighted:
            text.stylize("reverse")
        segments = text.render(self.app.console)
        return Strip(segments).adjust_cell_length(width).apply_style(self.rich_style)

    def action_cursor(self, step: int) -> None:
        if not self.rows:
            return
        before = self.highlighted or 0
        self.highlighted = max(0, min(len(self.rows) - 1, before + step))
        top = int(self.scroll_offset.y)
        height = max(self.size.height, 1)
        if self.highlighted < top:
            self.scroll_to(y=self.highlighted, animate=False)
        elif self.highlighted >= top + height:
            self.scroll_to(y=self.highlighted - height + 1, animate=False)
        self.refresh()

    def action_page(self, direction: int) -> None:
        self.action_cursor(direction * max(self.size.height - 1, 1))

    def action_open(self) -> None:
        if self.highlighted is not None:
            self.post_message(self.Opened(self.rows[self.highlighted].slug))

    def on_click(self, event: Click) -> None:
        index = event.y + int(self.scroll_offset.y)
        if index >= len(self.rows):
            return
        if index == self.highlighted:
            self.action_open()
        else:
            self.action_cursor(index - (self.highlighted or 0))

    async def on_key(self, event: Key) -> None:
        field = self.screen.query_one("#filter", Input)
        typed = event.character and event.is_printable and event.key not in self.COMMAND_KEYS
        # Focus moves to the filter only once the keys already queued are handled: until
        # then, the rest of a burst of typing (enter too) goes on to the filter, in order.
        handing_over = self.handing_over and self.app.focused is self
        if not (typed or handing_over):
            return
        event.stop()
        event.prevent_default()
        if event.key in ("enter", "ctrl+j"):
            await field.action_submit()
        elif event.key == "backspace":
            field.action_delete_left()
        elif event.character and event.is_printable:
            field.insert_text_at_cursor(event.character)
        if not self.handing_over:
            self.handing_over = True
            field.focus()

    def on_focus(self) -> None:
        self.handing_over = False

    def action_mark(self) -> None:
        app = self.app
        assert isinstance(app, BrowseApp)
        app.toggle_mark()


class CompanyCommands(Provider):
    """The command palette's companies: opening one shows its canvas."""

    def _companies(self) -> Iterable[Summary]:
        app = self.app
        assert isinstance(app, BrowseApp)
        return app.library.summaries

    async def discover(self) -> Hits:
        for summary in self._companies():
            yield DiscoveryHit(
                Text(f"Open {summary.name}"), partial(self._open, summary.slug), summary.slug
            )

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for summary in self._companies():
            shown = f"Open {summary.name}"
            score = matcher.match(shown)
            if score > 0:
                yield Hit(score, matcher.highlight(shown), partial(self._open, summary.slug))

    def _open(self, slug: str) -> None:
        app = self.app
        assert isinstance(app, BrowseApp)
        app.open_company(slug, None)


class BrowseApp(App[None]):
    """A library of canvases in one screen: list, read, search and compare them."""

    TITLE = "canvas browse"
    COMMANDS: ClassVar = {*App.COMMANDS, CompanyCommands}
    CSS = """
    #filter { dock: top; }
    #companies { height: 1fr; }
    #order { height: 1; padding: 0 1; }
    #problems { height: auto; max-height: 8; color: $warning; }
    #title { height: 1; padding: 0 1; }
    #grid { layout: grid; grid-size: 10 3; grid-rows: 2fr 2fr 1fr; height: 100%; min-height: 24; }
    #grid.stacked { layout: vertical; height: auto; }
    #extras { height: auto; }
    .box { border: round $primary-darken-2; padding: 0 1; overflow: hidden hidden; }
    .box:focus { border: heavy $accent; }
    #grid.stacked .box, #extras .box { height: auto; }
    #hits { height: 1fr; }
    #summary { height: 1; }
    #choice { height: 1; padding: 0 1; }
    #gone { height: auto; padding: 0 1; color: $warning; }
    """
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("slash", "search", "Search"),
        Binding("question_mark", "help", "Keys"),
        Binding("ctrl+t", "toggle_theme", "Light/dark"),
    ]

    def __init__(
        self,
        library: Library,
        *,
        company: str | None = None,
        block: AnyBlock | None = None,
        past: Canvas | None = None,
        plain: bool = False,
        reload: Callable[[], Library] | None = None,
        environ: Mapping[str, str] | None = None,
    ) -> None:
        super().__init__()
        self.library = library
        self.reload = reload or partial(
            load_library, library.location, cache_dir=library.cache_dir, config=library.config
        )
        # The process's variables, for the editor: read once by Env, handed down.
        self.environ: Mapping[str, str] = {} if environ is None else environ
        # The posts on disk as last read; None until first looked at.
        self.followed: tuple[PostState, ...] | None = None
        self.start = (company, block)
        # The company as it was at a revision, opened in place of the current canvas.
        self.past = past
        self.marked: list[str] = []
        # The library's own default order (canvas.toml), as `canvas list` starts with it.
        self.order = library.config.sort or SORT_ORDER_NAMES[0]
        self._order(library)
        self.word_timer: Timer | None = None
        if plain and not self.no_color:
            self.no_color = True
            self._filters.append(Monochrome())

    def compose(self) -> ComposeResult:
        yield Field(placeholder="type to filter companies", id="filter")
        yield Static(self._order_line(), id="order")
        yield CompanyList(self._row, id="companies")
        yield Static(self._problems(), id="problems")
        yield Footer()

    def _problems(self) -> Text:
        text = Text()
        for number, problem in enumerate(self.library.problems):
            if number:
                text.append("\n")
            text.append_text(plain_line(f"! {problem.message}"))
        return text

    def _order_line(self) -> Text:
        return Text(f"sorted by {self.order} (o for the next order)", style="dim")

    def on_mount(self) -> None:
        self._fill(self.ordered)
        self.query_one("#filter").focus()
        company, block = self.start
        if self.past is not None:
            self.push_screen(CanvasScreen(self.past, block))
        elif company is not None:
            self.open_company(company, block)
        self.follow_changes()
        self.set_interval(FOLLOW_SECONDS, self.follow_changes)

    def follow_changes(self) -> None:
        """Bring the library up to date if a post changed on disk since it was last read."""
        if not any(worker.group == "follow" and worker.is_running for worker in self.workers):
            self._follow()

    @work(thread=True, group="follow")
    def _follow(self) -> None:
        from canvascli.errors import CanvasError

        state = library_state(self.library.location.path)
        if self.followed is None or state == self.followed:
            self.followed = state
            return
        self.followed = state
        try:
            library = self.reload()
        except CanvasError as problem:
            self.call_from_thread(self.notify, str(problem), severity="error", markup=False)
            return
        self.call_from_thread(self.call_later, self.replace_library, library)

    async def replace_library(self, library: Library) -> None:
        """Show `library` in place of the one shown, keeping the company, box and marks
        that are still in it."""
        kept = self.highlighted
        self.library = library
        self._order(library)
        slugs = {summary.slug: summary for summary in library.summaries}
        self.marked = [slug for slug in self.marked if slug in slugs]
        self.query_one("#problems", Static).update(self._problems())
        self._apply_filter(self.query_one("#filter", Input).value, kept and kept.slug)
        for screen in self.screen_stack[1:]:
            if isinstance(screen, FollowingScreen):
                await screen.follow(library)

    def action_edit(self) -> None:
        """Open the post shown, or highlighted, in the user's editor; read it again after."""
        screen = self.screen
        if isinstance(screen, CanvasScreen) and screen.canvas is self.past:
            shown = clean_line(screen.canvas.name)
            message = f"{shown} is a past version: history cannot be edited"
            self.notify(message, severity="warning", markup=False)
            return
        if isinstance(screen, CanvasScreen):
            post = Path(screen.canvas.source)
        elif self.highlighted is not None and screen is self.screen_stack[0]:
            post = Path(self.highlighted.source)
        else:
            return
        problem = open_in_editor(self.environ, post, self._handed_over)
        if problem is not None:
            self.notify(
                problem, severity="warning" if problem == NO_EDITOR else "error", markup=False
            )
        self.follow_changes()

    @contextmanager
    def _handed_over(self) -> Iterator[None]:
        """The terminal given to another program; without one to hand over, it runs beside."""
        with ExitStack() as handed_over:
            with suppress(SuspendNotSupported):
                handed_over.enter_context(self.suspend())
            yield

    def _row(self, summary: Summary) -> Text:
        row = Text(f"{MARK} " if summary.slug in self.marked else "  ", style="bold magenta")
        name = plain_line(summary.name, "bold")
        name.truncate(32, pad=True)
        row.append_text(name)
        row.append(f"  {summary.kind:<8} ", style="dim")
        row.append_text(coverage_marks(summary))
        return row

    def _fill(self, summaries: Sequence[Summary], keep: str | None = None) -> None:
        self.query_one("#companies", CompanyList).show(summaries, keep)

    def action_sort(self) -> None:
        """List the companies in the next of `canvas list`'s orders, the highlight kept."""
        at = SORT_ORDER_NAMES.index(self.order)
        self.order = SORT_ORDER_NAMES[(at + 1) % len(SORT_ORDER_NAMES)]
        self._order(self.library)
        self.query_one("#order", Static).update(self._order_line())
        kept = self.highlighted
        self._apply_filter(self.query_one("#filter", Input).value, kept and kept.slug)

    @on(Input.Changed, "#filter")
    def filter_companies(self, event: Input.Changed) -> None:
        self._apply_filter(event.value)

    def _order(self, library: Library) -> None:
        self.ordered = sorted_summaries(library.summaries, self.order, reverse=False)
        self.folded: list[tuple[str, str]] | None = None

    def _folded(self) -> list[tuple[str, str]]:
        """Each listed company's name folded, and its slug: folded at the first key typed
        rather than at every key (a big library's names take long to fold), and not
        before the first frame."""
        if self.folded is None:
            self.folded = [(summary.name.casefold(), summary.slug) for summary in self.ordered]
        return self.folded

    def _apply_filter(self, value: str, keep: str | None = None) -> None:
        wanted = value.strip().casefold()
        named = [
            summary
            for summary, (name, slug) in zip(self.ordered, self._folded(), strict=True)
            if wanted in name or wanted in slug
        ]
        self._fill(named, keep)
        if self.word_timer is not None:
            self.word_timer.stop()
            self.word_timer = None
        if len(wanted) >= WORD_FILTER_FROM and self.library.indexed:
            self.word_timer = self.set_timer(
                WORD_FILTER_PAUSE, partial(self._search_words, value, named)
            )

    def _search_words(self, text: str, named: list[Summary]) -> None:
        self.word_timer = None
        # Described, not named by its arguments: Textual would spell out every summary.
        self.run_worker(
            partial(self._add_by_words, text, named),
            thread=True,
            exclusive=True,
            group="filter",
            description="the filter's word search",
        )

    @property
    def words_pending(self) -> bool:
        """Whether the filter's word search is still to add companies to the list."""
        running = any(
            worker.group == "filter" and not worker.is_finished for worker in self.workers
        )
        return self.word_timer is not None or running

    def _add_by_words(self, text: str, named: list[Summary]) -> None:
        """Add the companies whose canvas has the words typed, best first, after those
        named so; in the background, so that names show at once as the user types.

        Only from the index; without it each keystroke would read every canvas again."""
        taken = {summary.slug for summary in named}
        found = self._by_words(text, taken)
        if found:
            self.call_from_thread(self._add_found, text, [*named, *found])

    def _add_found(self, text: str, rows: list[Summary]) -> None:
        if self.query_one("#filter", Input).value == text:
            kept = self.highlighted
            self._fill(rows, kept and kept.slug)

    def _by_words(self, text: str, taken: set[str]) -> list[Summary]:
        from canvascli.analyse.search import parse_query, search_library
        from canvascli.errors import CanvasError

        try:
            results = search_library(self.library, parse_query(text), limit=SEARCH_HITS)
        except CanvasError:
            return []
        return [
            company.summary for company in results.companies if company.summary.slug not in taken
        ]

    def on_key(self, event: Key) -> None:
        if self.focused is not self.query_one("#filter") or self.screen is not self.screen_stack[0]:
            return
        companies = self.query_one("#companies", CompanyList)
        if event.key in ("down", "up"):
            event.stop()
            event.prevent_default()
            companies.action_cursor(1 if event.key == "down" else -1)
        elif event.key == "tab":
            event.stop()
            event.prevent_default()
            companies.focus()
        elif event.key == "escape":
            event.stop()
            field = self.query_one("#filter", Input)
            if field.value:
                field.value = ""
            else:
                companies.focus()

    @on(Input.Submitted, "#filter")
    def open_highlighted(self) -> None:
        summary = self.highlighted
        if summary is not None:
            self.open_company(summary.slug, None)

    @on(CompanyList.Opened)
    def open_selected(self, event: CompanyList.Opened) -> None:
        self.open_company(event.slug, None)

    @property
    def shown(self) -> list[Summary]:
        """The companies listed, in order, after the filter."""
        return self.query_one("#companies", CompanyList).rows

    @property
    def highlighted(self) -> Summary | None:
        companies = self.query_one("#companies", CompanyList)
        index = companies.highlighted
        return companies.rows[index] if index is not None else None

    def open_company(
        self,
        name: str,
        block: AnyBlock | None,
        searched: Query | None = None,
        *,
        over: bool = False,
    ) -> None:
        """Show a company's canvas, over the library (`over` the screen shown), at `block`
        if given, the words `searched` highlighted."""
        from canvascli.errors import CanvasError

        try:
            canvas = self.library.get(name)
        except CanvasError as problem:
            self.notify(str(problem), severity="error", markup=False)
            return
        while len(self.screen_stack) > 1 and not over:
            self.pop_screen()
        self.push_screen(CanvasScreen(canvas, block, searched))

    def toggle_mark(self) -> None:
        summary = self.highlighted
        if summary is None:
            return
        if summary.slug in self.marked:
            self.marked.remove(summary.slug)
        elif len(self.marked) >= MAX_MARKED:
            self.notify(f"at most {MAX_MARKED} companies are compared", severity="warning")
            return
        else:
            self.marked.append(summary.slug)
        self.query_one("#companies", CompanyList).action_cursor(1)

    def action_compare(self) -> None:
        if len(self.marked) < 2:
            self.notify("mark two to six companies with space first", severity="warning")
            return
        canvases = self.library.get_all(self.marked)
        self.push_screen(CompareScreen(canvases, self.size.width - 2))

    def _similar(self) -> None:
        screen = self.screen
        if isinstance(screen, CanvasScreen):
            self.show_similar(screen.canvas)
        else:
            self.action_similar()

    def action_similar(self) -> None:
        summary = self.highlighted
        if summary is not None:
            self.show_similar(self.library.canvas(summary))

    def show_similar(self, target: Canvas) -> None:
        from canvascli.analyse.similarity import rank_similar

        others = self.library.companies().canvases()
        ranked = rank_similar(target, others, [])[:SIMILAR_SHOWN]
        self.push_screen(SimilarScreen(target, ranked))

    def action_search(self) -> None:
        self.push_screen(SearchScreen(self.library))

    def get_system_commands(self, screen: Screen[object]) -> Iterable[SystemCommand]:
        yield from super().get_system_commands(screen)
        yield SystemCommand(
            "Light or dark", "Switch between the light and the dark theme", self.action_toggle_theme
        )
        yield SystemCommand(
            "Sort the library", "List the companies in the next order", self.action_sort
        )
        yield SystemCommand("Search", "Search every canvas", self.action_search)
        yield SystemCommand(
            "Compare the marked", "Compare the companies marked with space", self.action_compare
        )
        yield SystemCommand(
            "Similar companies", "List the companies most like the one shown", self._similar
        )
        yield SystemCommand("Edit the post", "Open the post in your editor", self.action_edit)

    def action_toggle_theme(self) -> None:
        """The light theme after a dark one, the dark after a light; without colour, either
        is drawn in shades of grey."""
        self.theme = LIGHT_THEME if self.current_theme.dark else DARK_THEME

    def action_help(self) -> None:
        if self.screen.query("HelpPanel"):
            self.action_hide_help_panel()
        else:
            self.action_show_help_panel()
