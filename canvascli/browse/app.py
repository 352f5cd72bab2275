"""The browser's screens: the library, a canvas as boxes, one block, search, compare, similar."""

from __future__ import annotations

import subprocess
from collections.abc import Callable, Iterable, Mapping, Sequence
from contextlib import ExitStack, suppress
from functools import partial
from pathlib import Path
from typing import ClassVar

from rich.console import Group, RenderableType
from rich.text import Text
from textual import on, work
from textual.app import App, ComposeResult, SuspendNotSupported
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
from textual.widgets import Footer, Input, OptionList, Static
from textual.widgets.option_list import Option

from canvascli.browse.moves import Direction, lane_through, next_box
from canvascli.model import AnyBlock, Canvas, Section, Summary, block_title
from canvascli.render.canvas_views import (
    GRID_MIN_WIDTH,
    SHOWN_EXTRAS,
    company_header,
    grid_box,
    grid_kind,
    grid_order,
    plain_line,
    section_body,
    section_title,
)
from canvascli.render.library_views import coverage_marks
from canvascli.render.terminal import editor_command
from canvascli.store.files import PostState, library_state
from canvascli.store.library import Library, load_library

MAX_MARKED = 6
SEARCH_HITS = 50
# Shorter filters match too many canvases' words to say anything.
WORD_FILTER_FROM = 3
MARK = "●"
# How often the library's folder is looked at for posts changed on disk.
FOLLOW_SECONDS = 1.5


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


class CanvasScreen(Screen[None]):
    """A canvas as the boxes of its kind's grid, then its extra sections."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter", "zoom", "Zoom"),
        Binding("s", "similar", "Similar"),
        Binding("e", "app.edit", "Edit"),
        Binding("escape", "app.pop_screen", "Back"),
        Binding("q", "app.quit", "Quit"),
    ]

    def __init__(self, canvas: Canvas, block: AnyBlock | None = None) -> None:
        super().__init__()
        self.canvas = canvas
        self.kind = grid_kind(canvas)
        self.order = grid_order(self.kind)
        present = canvas.all_blocks
        self.boxes = [
            Box(present.get(block), block, grid_box(block, present.get(block), self.kind))
            for block in self.order
        ]
        for box in self.boxes:
            assert box.block is not None
            place = box.block.grid
            box.styles.row_span = place.row_span
            box.styles.column_span = place.column_span
        self.extras = [
            Box(section, None, Group(section_title(section, self.kind), section_body(section)))
            for section in canvas.extras[:SHOWN_EXTRAS]
        ]
        self.unshown = len(canvas.extras) - len(self.extras)
        self.start = block
        # The row and the column moves have travelled along, to come back the same way.
        self.lanes: dict[bool, int | None] = {True: None, False: None}

    def compose(self) -> ComposeResult:
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
        wanted = [box for box in self.boxes if box.block is self.start]
        (wanted or self.boxes)[0].focus()

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
        if box.section is not None:
            shown: RenderableType = Group(
                section_title(box.section, self.kind), section_body(box.section)
            )
        else:
            assert box.block is not None
            shown = Group(
                Text(block_title(box.block, self.kind), style="bold cyan"),
                section_body(None),
            )
        self.app.push_screen(ZoomScreen(shown))

    def action_similar(self) -> None:
        app = self.app
        assert isinstance(app, BrowseApp)
        app.show_similar(self.canvas)


def _paper_place(box: Box) -> tuple[int, int]:
    place = box.block.grid if box.block is not None else None
    return (place.row, place.column) if place is not None else (0, 0)


class ViewScreen(Screen[None]):
    """One drawing, scrolled whole: a zoomed block, a comparison, a list of similar ones."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "app.pop_screen", "Back"),
        Binding("q", "app.quit", "Quit"),
    ]

    def __init__(self, shown: RenderableType) -> None:
        super().__init__()
        self.shown = shown

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="view"):
            yield Static(self.shown, id="shown")
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#view").focus()


class ZoomScreen(ViewScreen):
    """One block at the full width, all its entries."""


class CompareScreen(ViewScreen):
    """The marked companies side by side, common ground marked as in `canvas compare`."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("d", "diff", "Diff"),
        *ViewScreen.BINDINGS,
    ]

    def __init__(self, canvases: Sequence[Canvas], width: int) -> None:
        self.canvases = canvases
        self.width = width
        self.diff = False
        super().__init__(self._view())

    def _view(self) -> RenderableType:
        from canvascli.analyse.common_ground import common_ground
        from canvascli.model import comparison_rows
        from canvascli.render.library_views import compare_view

        blocks = list(comparison_rows(self.canvases))
        ground = common_ground(self.canvases, blocks)
        return compare_view(self.canvases, blocks, self.width, ground, diff=self.diff)

    def action_diff(self) -> None:
        self.diff = not self.diff
        self.shown = self._view()
        self.query_one("#shown", Static).update(self.shown)


class SimilarScreen(ViewScreen):
    """The companies whose canvases read most like one."""


class SearchScreen(Screen[None]):
    """A query with live hits, best company first; enter opens a hit's company at its block."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "app.pop_screen", "Back"),
    ]

    def __init__(self, library: Library) -> None:
        super().__init__()
        self.library = library
        self.targets: list[tuple[str, AnyBlock | None]] = []

    def compose(self) -> ComposeResult:
        yield Input(placeholder="search every canvas", id="query")
        yield OptionList(id="hits")
        yield Static(id="summary")
        yield Footer()

    @on(Input.Changed, "#query")
    def find(self, event: Input.Changed) -> None:
        from canvascli.analyse.search import parse_query, search_library
        from canvascli.errors import CanvasError

        hits = self.query_one("#hits", OptionList)
        hits.clear_options()
        self.targets = []
        note = self.query_one("#summary", Static)
        try:
            results = search_library(self.library, parse_query(event.value), limit=SEARCH_HITS)
        except CanvasError as problem:
            note.update(plain_line(str(problem) if event.value.strip() else "", "dim"))
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
        app.open_company(slug, block)


class CompanyList(ScrollView, can_focus=True):
    """The companies, one a line, drawn only where they show: a library of ten thousand
    costs what a screenful does. Letters typed here go on to the filter above."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter", "open", "Open"),
        Binding("space", "mark", "Mark"),
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
    COMMAND_KEYS: ClassVar[set[str]] = {"space", "c", "s", "e", "q", "question_mark", "slash"}

    class Opened(Message):
        def __init__(self, slug: str) -> None:
            super().__init__()
            self.slug = slug

    def __init__(self, draw: Callable[[Summary], Text], *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.draw = draw
        self.rows: list[Summary] = []
        self.highlighted: int | None = None

    def show(self, rows: Sequence[Summary]) -> None:
        self.rows = list(rows)
        self.highlighted = 0 if self.rows else None
        self.virtual_size = Size(self.size.width, len(self.rows))
        self.scroll_to(y=0, animate=False)
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

    def on_key(self, event: Key) -> None:
        if event.character and event.is_printable and event.key not in self.COMMAND_KEYS:
            event.stop()
            event.prevent_default()
            field = self.screen.query_one("#filter", Input)
            field.focus()
            field.insert_text_at_cursor(event.character)

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
    """
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("slash", "search", "Search"),
        Binding("question_mark", "help", "Keys"),
    ]

    def __init__(
        self,
        library: Library,
        *,
        company: str | None = None,
        block: AnyBlock | None = None,
        plain: bool = False,
        reload: Callable[[], Library] | None = None,
        environ: Mapping[str, str] | None = None,
    ) -> None:
        super().__init__()
        self.library = library
        self.reload = reload or partial(load_library, library.location, cache_dir=library.cache_dir)
        # The process's variables, for the editor: read once by Env, handed down.
        self.environ: Mapping[str, str] = {} if environ is None else environ
        # The posts on disk as last read; None until first looked at.
        self.followed: tuple[PostState, ...] | None = None
        self.start = (company, block)
        self.marked: list[str] = []
        if plain and not self.no_color:
            self.no_color = True
            self._filters.append(Monochrome())

    def compose(self) -> ComposeResult:
        yield Input(placeholder="type to filter companies", id="filter")
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

    def on_mount(self) -> None:
        self._fill(self.library.summaries)
        self.query_one("#filter").focus()
        company, block = self.start
        if company is not None:
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
        self.call_from_thread(self.replace_library, library)

    def replace_library(self, library: Library) -> None:
        """Show `library` in place of the one shown, keeping the company, box and marks
        that are still in it."""
        kept = self.highlighted
        self.library = library
        slugs = {summary.slug: summary for summary in library.summaries}
        self.marked = [slug for slug in self.marked if slug in slugs]
        self.query_one("#problems", Static).update(self._problems())
        self._apply_filter(self.query_one("#filter", Input).value)
        companies = self.query_one("#companies", CompanyList)
        if kept is not None and kept.slug in slugs:
            here = [summary.slug for summary in companies.rows].index(kept.slug)
            companies.action_cursor(here - (companies.highlighted or 0))
        screen = self.screen
        if isinstance(screen, CanvasScreen):
            slug = screen.canvas.slug
            if slug in slugs:
                self.switch_screen(CanvasScreen(library.canvas(slugs[slug]), screen.current.block))
            else:
                self.pop_screen()
                self.notify(f"{slug} is no longer in the library", markup=False)

    def action_edit(self) -> None:
        """Open the post shown, or highlighted, in the user's editor; read it again after."""
        screen = self.screen
        if isinstance(screen, CanvasScreen):
            post = Path(screen.canvas.source)
        elif self.highlighted is not None and screen is self.screen_stack[0]:
            post = Path(self.highlighted.source)
        else:
            return
        try:
            words = editor_command(self.environ)
        except ValueError as problem:
            message = f"cannot read the editor command: {problem}"
            self.notify(message, severity="error", markup=False)
            return
        if not words:
            self.notify("set $VISUAL or $EDITOR to edit posts", severity="warning")
            return
        self.notify_edited(self._run_editor([*words, str(post)]), words[0])
        self.follow_changes()

    def _run_editor(self, argv: list[str]) -> int | OSError:
        with ExitStack() as handed_over:
            # Without a terminal to hand over, the editor runs beside the app.
            with suppress(SuspendNotSupported):
                handed_over.enter_context(self.suspend())
            try:
                return subprocess.run(argv, check=False).returncode
            except OSError as problem:
                return problem

    def notify_edited(self, outcome: int | OSError, editor: str) -> None:
        if isinstance(outcome, OSError):
            reason = outcome.strerror or str(outcome)
            self.notify(f"cannot run {editor}: {reason}", severity="error", markup=False)
        elif outcome:
            self.notify(f"{editor} exited with status {outcome}", severity="error", markup=False)

    def _row(self, summary: Summary) -> Text:
        row = Text(f"{MARK} " if summary.slug in self.marked else "  ", style="bold magenta")
        name = plain_line(summary.name, "bold")
        name.truncate(32, pad=True)
        row.append_text(name)
        row.append(f"  {summary.kind:<8} ", style="dim")
        row.append_text(coverage_marks(summary))
        return row

    def _fill(self, summaries: Sequence[Summary]) -> None:
        self.query_one("#companies", CompanyList).show(summaries)

    @on(Input.Changed, "#filter")
    def filter_companies(self, event: Input.Changed) -> None:
        self._apply_filter(event.value)

    def _apply_filter(self, value: str) -> None:
        wanted = value.strip().casefold()
        named = [
            summary
            for summary in self.library.summaries
            if wanted in summary.name.casefold() or wanted in summary.slug
        ]
        self._fill(named)
        if len(wanted) >= WORD_FILTER_FROM and self.library.indexed:
            self._add_by_words(value, named)

    @work(thread=True, exclusive=True, group="filter")
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
            self._fill(rows)

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

    def open_company(self, name: str, block: AnyBlock | None) -> None:
        """Show a company's canvas, over the library, at `block` if given."""
        from canvascli.errors import CanvasError

        try:
            canvas = self.library.get(name)
        except CanvasError as problem:
            self.notify(str(problem), severity="error", markup=False)
            return
        while len(self.screen_stack) > 1:
            self.pop_screen()
        self.push_screen(CanvasScreen(canvas, block))

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

    def action_similar(self) -> None:
        summary = self.highlighted
        if summary is not None:
            self.show_similar(self.library.canvas(summary))

    def show_similar(self, target: Canvas) -> None:
        from canvascli.analyse.similarity import rank_similar
        from canvascli.render.library_views import similar_view

        others = self.library.companies().canvases()
        ranked = rank_similar(target, others, [])[:10]
        self.push_screen(SimilarScreen(similar_view(target, ranked, [])))

    def action_search(self) -> None:
        self.push_screen(SearchScreen(self.library))

    def action_help(self) -> None:
        if self.screen.query("HelpPanel"):
            self.action_hide_help_panel()
        else:
            self.action_show_help_panel()
