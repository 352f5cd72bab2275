"""`canvas browse`: the interactive browser, driven key by key as a user drives it."""

from __future__ import annotations

import asyncio
import html
import io
import os
import re
import shlex
import shutil
import subprocess
import sys
import time
from collections.abc import Awaitable, Callable
from pathlib import Path

import pytest
from rich.color import Color
from rich.console import Console, ConsoleRenderable
from textual import events
from textual.pilot import Pilot
from textual.widgets import Input, OptionList, Static
from typer.testing import Result

from canvascli.browse.app import (
    BrowseApp,
    CanvasScreen,
    CompanyList,
    CompareScreen,
    SearchScreen,
    SimilarScreen,
    ViewScreen,
    ZoomScreen,
)
from canvascli.browse.moves import next_box
from canvascli.commands import SORT_ORDERS
from canvascli.model import AnyBlock, Block, LeanBlock, layout_of
from canvascli.store.files import locate_library
from canvascli.store.library import Library, load_library
from tests.conftest import MEMSQL_PARTNERS, REPO

BUNDLED = REPO / "posts"
THREE = REPO / "tests" / "data" / "three_companies"
WILD = REPO / "tests" / "data" / "wild"


def library_of(folder: Path) -> Library:
    return load_library(locate_library(folder, {}))


def drive(
    app: BrowseApp, scenario: Callable[[Pilot[None]], Awaitable[None]], size: tuple[int, int]
) -> None:
    async def run() -> None:
        async with app.run_test(size=size) as pilot:
            await pilot.pause()
            await scenario(pilot)

    asyncio.run(run())


def browse(
    folder: Path,
    scenario: Callable[[Pilot[None]], Awaitable[None]],
    *,
    size: tuple[int, int] = (140, 45),
    company: str | None = None,
    block: AnyBlock | None = None,
) -> BrowseApp:
    app = BrowseApp(library_of(folder), company=company, block=block)
    drive(app, scenario, size)
    return app


def listed(app: BrowseApp) -> list[str]:
    return [summary.slug for summary in app.shown]


def focused_block(app: BrowseApp) -> AnyBlock | None:
    screen = app.screen
    assert isinstance(screen, CanvasScreen)
    return screen.current.block


def screen_text(app: BrowseApp) -> str:
    """What the view on top shows, drawn as the screen is wide."""
    screen = app.screen
    assert isinstance(screen, ViewScreen)
    console = Console(width=app.size.width, record=True, file=io.StringIO())
    console.print(screen.shown)
    return console.export_text()


def test_the_library_lists_every_company_and_typing_filters_it() -> None:
    seen: dict[str, list[str]] = {}

    async def scenario(pilot: Pilot[None]) -> None:
        seen["start"] = listed(pilot.app)  # type: ignore[arg-type]
        assert isinstance(pilot.app.focused, Input)
        await pilot.press(*"fabri")
        seen["filtered"] = listed(pilot.app)  # type: ignore[arg-type]
        await pilot.press("escape")
        seen["cleared"] = listed(pilot.app)  # type: ignore[arg-type]

    browse(THREE, scenario)
    assert seen["start"] == ["contoso-cloud", "fabrikam-storage", "northwind-analytics"]
    assert seen["filtered"] == ["fabrikam-storage"]
    assert seen["cleared"] == seen["start"]


def test_the_filter_also_finds_companies_by_a_word_of_their_canvas() -> None:
    seen: list[str] = []

    async def scenario(pilot: Pilot[None]) -> None:
        app = pilot.app
        assert isinstance(app, BrowseApp)
        await pilot.press(*"resellers")
        await until(pilot, lambda: not app.words_pending)
        seen.extend(listed(app))

    browse(THREE, scenario)
    assert "contoso-cloud" in seen
    assert "northwind-analytics" not in seen


def listed_by_canvas_list(run: Callable[..., Result], folder: Path, order: str) -> list[str]:
    result = run("list", "--posts", str(folder), "--sort", order)
    assert result.exit_code == 0
    return [line.split("\t")[1] for line in result.stdout.splitlines()]


def test_o_sorts_the_library_in_each_order_of_canvas_list_keeping_the_highlight(
    run: Callable[..., Result],
) -> None:
    seen: list[tuple[str, str, list[str], str | None]] = []

    async def scenario(pilot: Pilot[None]) -> None:
        app = pilot.app
        assert isinstance(app, BrowseApp)
        await pilot.press("tab", "down", "down", "down")
        for _ in range(len(SORT_ORDERS) + 1):
            highlighted = app.highlighted
            seen.append(
                (
                    app.order,
                    str(app.query_one("#order", Static).render()),
                    listed(app),
                    highlighted and highlighted.slug,
                )
            )
            await pilot.press("o")

    browse(WILD, scenario)
    assert [order for order, *_ in seen] == [*SORT_ORDERS, SORT_ORDERS[0]]
    for order, line, shown, _ in seen:
        assert f"sorted by {order}" in line
        companies = listed_by_canvas_list(run, WILD, order)
        assert [slug for slug in shown if slug in companies] == companies
    assert len({tuple(shown) for _, _, shown, _ in seen}) > 2
    assert len({highlighted for *_, highlighted in seen}) == 1


async def burst(pilot: Pilot[None], keys: list[tuple[str, str | None]]) -> None:
    """Keys as a terminal sends a burst of them: all queued before the app handles any."""
    for key, character in keys:
        pilot.app.post_message(events.Key(key, character))
    await pilot.pause()
    await pilot.pause()


TYPED_AND_ENTER: list[tuple[str, str | None]] = [
    *((letter, letter) for letter in "viol"),
    ("enter", "\r"),
]


LINE_FEED: list[tuple[str, str | None]] = [*TYPED_AND_ENTER[:-1], ("ctrl+j", "\n")]


@pytest.mark.parametrize(
    ("start", "keys"),
    [([], TYPED_AND_ENTER), (["tab"], TYPED_AND_ENTER), ([], LINE_FEED)],
    # Keys typed before the app takes the terminal over come with enter as a line feed.
    ids=["in the filter", "in the list", "typed ahead, enter as a line feed"],
)
def test_a_burst_of_letters_and_enter_filters_before_it_opens(
    start: list[str], keys: list[tuple[str, str | None]]
) -> None:
    opened: list[str] = []

    async def scenario(pilot: Pilot[None]) -> None:
        await pilot.press(*start)
        await burst(pilot, keys)
        screen = pilot.app.screen
        assert isinstance(screen, CanvasScreen)
        opened.append(screen.canvas.slug)

    browse(BUNDLED, scenario)
    assert opened == ["violin-memory"]


def test_the_command_palette_offers_every_company() -> None:
    async def scenario(pilot: Pilot[None]) -> None:
        await pilot.press("ctrl+p")
        await pilot.pause()
        await pilot.press(*"northwind")
        await pilot.pause(0.5)
        await pilot.press("enter")
        await pilot.pause()
        screen = pilot.app.screen
        assert isinstance(screen, CanvasScreen)
        assert screen.canvas.slug == "northwind-analytics"

    browse(THREE, scenario)


@pytest.mark.parametrize(
    ("command", "shown"),
    [("Search", SearchScreen), ("Similar companies", SimilarScreen)],
)
def test_the_command_palette_offers_the_actions(command: str, shown: type) -> None:
    async def scenario(pilot: Pilot[None]) -> None:
        await pilot.press("ctrl+p")
        await pilot.pause()
        await pilot.press(*command)
        await pilot.pause(0.5)
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(pilot.app.screen, shown)

    browse(THREE, scenario, company="contoso-cloud")


def test_in_the_filter_q_is_a_letter_and_ctrl_q_quits_as_the_help_says() -> None:
    typed: dict[str, str] = {}

    async def scenario(pilot: Pilot[None]) -> None:
        await pilot.press("q")
        assert pilot.app.is_running
        typed["filter"] = pilot.app.query_one(Input).value
        await pilot.press("ctrl+q")

    app = browse(THREE, scenario)
    assert typed["filter"] == "q"
    assert not app.is_running


def test_question_mark_shows_the_keys_and_q_quits() -> None:
    async def scenario(pilot: Pilot[None]) -> None:
        app = pilot.app
        await pilot.press("tab", "question_mark")
        assert app.screen.query("HelpPanel")
        await pilot.press("q")

    app = browse(THREE, scenario)
    assert app.return_code == 0
    assert not app.is_running


def test_enter_opens_the_highlighted_company_and_escape_goes_back() -> None:
    async def scenario(pilot: Pilot[None]) -> None:
        await pilot.press("down", "enter")
        screen = pilot.app.screen
        assert isinstance(screen, CanvasScreen)
        assert screen.canvas.slug == "fabrikam-storage"
        await pilot.press("escape")
        assert not isinstance(pilot.app.screen, CanvasScreen)

    browse(THREE, scenario)


def test_arrows_and_hjkl_move_the_way_the_boxes_sit_on_the_paper_canvas() -> None:
    path: list[AnyBlock | None] = []

    async def scenario(pilot: Pilot[None]) -> None:
        app = pilot.app
        assert isinstance(app, BrowseApp)
        path.append(focused_block(app))
        for key in ("right", "down", "l", "l", "j", "h", "k"):
            await pilot.press(key)
            path.append(focused_block(app))

    browse(BUNDLED, scenario, company="memsql")
    assert path == [
        Block.KEY_PARTNERS,
        Block.KEY_ACTIVITIES,
        Block.KEY_RESOURCES,
        Block.VALUE_PROPOSITIONS,
        Block.CHANNELS,
        Block.REVENUE_STREAMS,
        Block.COST_STRUCTURE,
        Block.KEY_PARTNERS,
    ]


def test_a_lean_canvas_has_its_own_layout() -> None:
    assert next_box([block.grid for block in layout_of("lean")], 0, "right") is not None
    folder = WILD
    library = library_of(folder)
    lean = next(summary.slug for summary in library if summary.kind == "lean")
    blocks: list[AnyBlock | None] = []

    async def scenario(pilot: Pilot[None]) -> None:
        app = pilot.app
        assert isinstance(app, BrowseApp)
        blocks.append(focused_block(app))
        await pilot.press("right")
        blocks.append(focused_block(app))
        await pilot.press("down")
        blocks.append(focused_block(app))

    browse(folder, scenario, company=lean)
    assert blocks == [LeanBlock.PROBLEM, LeanBlock.SOLUTION, LeanBlock.KEY_METRICS]


def test_extra_sections_sit_below_the_grid_and_zoom_like_boxes() -> None:
    seen: dict[str, str] = {}

    async def scenario(pilot: Pilot[None]) -> None:
        app = pilot.app
        assert isinstance(app, BrowseApp)
        await pilot.press("down")
        screen = app.screen
        assert isinstance(screen, CanvasScreen)
        assert screen.current.block is None
        assert screen.current.section is not None
        seen["first"] = screen.current.section.heading
        await pilot.press("right")
        assert screen.current.section is not None
        seen["second"] = screen.current.section.heading
        await pilot.press("enter")
        seen["zoomed"] = screen_text(app)

    browse(
        REPO / "tests" / "data" / "other_sections",
        scenario,
        company="brunnen",
        block=Block.COST_STRUCTURE,
    )
    assert seen["first"] != seen["second"]
    assert seen["second"] in seen["zoomed"]


def test_enter_zooms_a_block_to_full_width_and_escape_returns() -> None:
    async def scenario(pilot: Pilot[None]) -> None:
        await pilot.press("enter")
        app = pilot.app
        assert isinstance(app, BrowseApp)
        assert isinstance(app.screen, ZoomScreen)
        assert "Channels" in screen_text(app)
        await pilot.press("escape")
        assert isinstance(app.screen, CanvasScreen)

    browse(BUNDLED, scenario, company="memsql", block=Block.CHANNELS)


def screen_shown(app: BrowseApp) -> str:
    """The characters on the whole screen, as the terminal shows them."""
    picture = app.export_screenshot()
    lines = re.findall(r"<text[^>]*>(.*?)</text>", picture)
    return html.unescape("".join(lines)).replace("\xa0", " ")


def test_a_box_too_small_for_its_entries_says_how_many_more_and_zoom_shows_all() -> None:
    seen: dict[str, str] = {}

    async def scenario(pilot: Pilot[None]) -> None:
        app = pilot.app
        assert isinstance(app, BrowseApp)
        seen["grid"] = screen_shown(app)
        await pilot.press("enter")
        seen["zoomed"] = screen_text(app)

    browse(BUNDLED, scenario, company="memsql", size=(120, 40))
    assert re.search(r"\+\d+ more lines", seen["grid"])
    assert MEMSQL_PARTNERS[-1] not in seen["grid"]
    assert all(partner in seen["zoomed"] for partner in MEMSQL_PARTNERS)
    assert "more lines" not in seen["zoomed"]


def test_a_box_with_room_for_everything_has_no_marker() -> None:
    async def scenario(pilot: Pilot[None]) -> None:
        app = pilot.app
        assert isinstance(app, BrowseApp)
        shown = screen_shown(app)
        assert "more lines" not in shown
        assert "Logistics firms" in shown

    browse(THREE, scenario, company="contoso-cloud", size=(200, 60))


def test_narrow_terminals_stack_the_boxes_and_arrows_follow_the_stack() -> None:
    path: list[AnyBlock | None] = []

    async def scenario(pilot: Pilot[None]) -> None:
        app = pilot.app
        assert isinstance(app, BrowseApp)
        screen = app.screen
        assert isinstance(screen, CanvasScreen)
        assert screen.stacked
        path.append(focused_block(app))
        await pilot.press("down")
        path.append(focused_block(app))

    browse(BUNDLED, scenario, company="memsql", size=(70, 40))
    assert path == [Block.KEY_PARTNERS, Block.KEY_ACTIVITIES]


def test_slash_searches_and_enter_jumps_to_the_company_at_the_block() -> None:
    async def scenario(pilot: Pilot[None]) -> None:
        app = pilot.app
        assert isinstance(app, BrowseApp)
        await pilot.press("tab", "slash")
        await pilot.press(*"memory")
        hits = app.screen.query_one("#hits", OptionList)
        assert hits.option_count > 1
        await pilot.press("enter", "enter")
        screen = app.screen
        assert isinstance(screen, CanvasScreen)
        first_slug, first_block = ("violin-memory", screen.current.block)
        assert screen.canvas.slug == first_slug
        assert first_block is not None

    browse(BUNDLED, scenario)


def highlighted_words(shown: object) -> list[str]:
    """The runs of text drawn in the search's highlight."""
    assert isinstance(shown, ConsoleRenderable)
    console = Console(width=100, file=io.StringIO())
    words: list[str] = []
    joined = False
    for segment in console.render(shown):
        style = segment.style
        marked = style is not None and bool(style.bold) and style.color == Color.parse("yellow")
        if marked and joined:
            words[-1] += segment.text
        elif marked:
            words.append(segment.text)
        joined = marked
    return words


def search_and_jump(folder: Path, typed: str) -> dict[str, object]:
    seen: dict[str, object] = {}

    async def scenario(pilot: Pilot[None]) -> None:
        app = pilot.app
        assert isinstance(app, BrowseApp)
        await pilot.press("tab", "slash", *typed, "enter", "enter")
        screen = app.screen
        assert isinstance(screen, CanvasScreen)
        seen["company"] = screen.canvas.slug
        seen["box"] = highlighted_words(screen.current.content)
        seen["elsewhere"] = [
            word
            for box in screen.boxes
            if box is not screen.current
            for word in highlighted_words(box.content)
        ]
        await pilot.press("enter")
        zoomed = app.screen
        assert isinstance(zoomed, ZoomScreen)
        seen["zoomed"] = highlighted_words(zoomed.shown)
        seen["zoomed text"] = screen_text(app)

    browse(folder, scenario)
    return seen


def test_a_search_jump_highlights_the_words_found_in_the_boxes_and_the_zoom() -> None:
    seen = search_and_jump(BUNDLED, "memory")
    assert seen["company"] == "violin-memory"
    box = seen["box"]
    assert isinstance(box, list) and box
    elsewhere = seen["elsewhere"]
    assert isinstance(elsewhere, list)
    assert {word.casefold() for word in [*box, *elsewhere]} == {"memory"}
    assert seen["zoomed"] == box


def test_the_highlight_stems_words_as_search_does_and_finds_them_in_cjk_text(
    tmp_path: Path,
) -> None:
    (tmp_path / "fridge.md").write_text(
        "---\ntitle: Fridge\n---\n## Channels\n\n- 合作农场、冷链车和自提柜\n"
        "- resellers and a reseller\n- [bold]cold[/bold] chain\n",
        encoding="utf-8",
    )
    (tmp_path / "other.md").write_text(
        "---\ntitle: Other\n---\n## Channels\n\n- shops\n", encoding="utf-8"
    )
    seen = search_and_jump(tmp_path, "冷链 reseller cold")
    assert seen["company"] == "fridge"
    assert seen["box"] == ["冷链", "resellers", "reseller", "cold"]
    assert seen["zoomed"] == seen["box"]
    assert "[bold]cold[/bold] chain" in str(seen["zoomed text"])


def test_a_canvas_opened_from_the_list_has_nothing_highlighted() -> None:
    async def scenario(pilot: Pilot[None]) -> None:
        screen = pilot.app.screen
        assert isinstance(screen, CanvasScreen)
        assert not [word for box in screen.boxes for word in highlighted_words(box.content)]

    browse(BUNDLED, scenario, company="violin-memory")


def test_space_marks_and_c_compares_and_d_toggles_the_diff() -> None:
    async def scenario(pilot: Pilot[None]) -> None:
        app = pilot.app
        assert isinstance(app, BrowseApp)
        await pilot.press("tab", "space", "space")
        assert app.marked == ["memsql", "violin-memory"]
        await pilot.press("c")
        assert isinstance(app.screen, CompareScreen)
        text = screen_text(app)
        assert "MemSQL" in text
        assert "Violin Memory" in text
        await pilot.press("d")
        assert screen_text(app) != text

    browse(BUNDLED, scenario)


def test_no_more_than_six_companies_are_marked(tmp_path: Path) -> None:
    for number in range(8):
        (tmp_path / f"company-{number}.md").write_text(
            f"---\ntitle: Company {number}\n---\n## Channels\n\n- shop {number}\n",
            encoding="utf-8",
        )

    async def scenario(pilot: Pilot[None]) -> None:
        await pilot.press("tab", *["space"] * 8)

    app = browse(tmp_path, scenario)
    assert len(app.marked) == 6


def test_s_lists_the_most_similar_companies() -> None:
    async def scenario(pilot: Pilot[None]) -> None:
        app = pilot.app
        assert isinstance(app, BrowseApp)
        await pilot.press("tab", "s")
        assert isinstance(app.screen, SimilarScreen)
        assert "Most like" in screen_text(app)

    browse(THREE, scenario)


def test_enter_in_the_similar_list_opens_the_chosen_company_and_escape_comes_back() -> None:
    seen: dict[str, object] = {}

    async def scenario(pilot: Pilot[None]) -> None:
        app = pilot.app
        assert isinstance(app, BrowseApp)
        await pilot.press("tab", "s")
        similar = app.screen
        assert isinstance(similar, SimilarScreen)
        ranked = [found.slug for found in similar.ranked]
        seen["second name"] = similar.ranked[1].name
        await pilot.press("down")
        seen["choice"] = str(similar.query_one("#choice", Static).render())
        await pilot.press("enter")
        screen = app.screen
        assert isinstance(screen, CanvasScreen)
        seen["opened"] = screen.canvas.slug
        seen["ranked"] = ranked
        await pilot.press("escape")
        seen["back"] = app.screen is similar

    browse(THREE, scenario)
    ranked = seen["ranked"]
    assert isinstance(ranked, list) and len(ranked) == 2
    assert seen["opened"] == ranked[1]
    assert f"enter opens {seen['second name']}" in str(seen["choice"])
    assert seen["back"] is True


def test_enter_in_compare_opens_the_column_chosen_with_the_arrows() -> None:
    seen: dict[str, object] = {}

    async def scenario(pilot: Pilot[None]) -> None:
        app = pilot.app
        assert isinstance(app, BrowseApp)
        await pilot.press("tab", "space", "space", "space", "c")
        compare = app.screen
        assert isinstance(compare, CompareScreen)
        seen["first"] = str(compare.query_one("#choice", Static).render())
        await pilot.press("right", "right")
        seen["third"] = str(compare.query_one("#choice", Static).render())
        await pilot.press("l")
        seen["wrapped"] = str(compare.query_one("#choice", Static).render())
        await pilot.press("left", "enter")
        screen = app.screen
        assert isinstance(screen, CanvasScreen)
        seen["opened"] = screen.canvas.slug

    browse(THREE, scenario)
    assert "Contoso Cloud" in str(seen["first"])
    assert "Northwind Analytics" in str(seen["third"])
    assert seen["wrapped"] == seen["first"]
    assert seen["opened"] == "northwind-analytics"


def test_an_empty_library_opens_with_nothing_listed(tmp_path: Path) -> None:
    async def scenario(pilot: Pilot[None]) -> None:
        app = pilot.app
        assert isinstance(app, BrowseApp)
        assert listed(app) == []
        await pilot.press("enter", "tab", "space", "c", "s")
        assert app.screen is app.screen_stack[0]

    browse(tmp_path, scenario)


def test_broken_posts_are_shown_beside_the_others(tmp_path: Path) -> None:
    for post in THREE.iterdir():
        shutil.copy(post, tmp_path / post.name)
    (tmp_path / "broken.md").write_bytes(b"---\ntitle: [unclosed\n---\n## Channels\n")
    shown: dict[str, str] = {}

    async def scenario(pilot: Pilot[None]) -> None:
        app = pilot.app
        assert isinstance(app, BrowseApp)
        shown["problems"] = str(app.query_one("#problems", Static).render())

    app = browse(tmp_path, scenario)
    assert "broken.md" in shown["problems"]
    assert {"contoso-cloud", "fabrikam-storage", "northwind-analytics"} <= set(
        summary.slug for summary in app.library
    )


def test_post_text_is_never_read_as_markup(tmp_path: Path) -> None:
    (tmp_path / "hostile.md").write_text(
        "---\ntitle: '[bold red]Evil[/] co'\n---\n## Channels\n\n- [link=x]y[/link] \x1b[31mred\n",
        encoding="utf-8",
    )
    shown: dict[str, str] = {}

    async def scenario(pilot: Pilot[None]) -> None:
        app = pilot.app
        assert isinstance(app, BrowseApp)
        shown["row"] = app.query_one("#companies", CompanyList).render_line(0).text
        await pilot.press("enter")
        shown["zoomed"] = screen_text(app)

    browse(tmp_path, scenario, company="hostile", block=Block.CHANNELS)
    assert "[bold red]Evil[/] co" in shown["row"]
    assert "[link=x]y[/link]" in shown["zoomed"]
    assert "\x1b" not in shown["zoomed"]


def copied_library(tmp_path: Path) -> Path:
    posts = tmp_path / "posts"
    shutil.copytree(THREE, posts)
    return posts


def editor_running(tmp_path: Path, program: str) -> dict[str, str]:
    """Variables naming an editor that is a command with arguments: Python running `program`
    with the post's path as its last argument."""
    script = tmp_path / "editor script.py"
    script.write_text(program, encoding="utf-8")
    return {"EDITOR": f"{shlex.quote(sys.executable)} -I {shlex.quote(str(script))}"}


def box_text(app: BrowseApp, block: AnyBlock) -> str:
    screen = app.screen
    assert isinstance(screen, CanvasScreen)
    box = next(box for box in screen.boxes if box.block is block)
    console = Console(width=60, record=True, file=io.StringIO())
    console.print(box.content)
    return " ".join(console.export_text().split())


async def until(pilot: Pilot[None], seen: Callable[[], bool]) -> None:
    """Let the app run until `seen`, as a user waits for the screen to catch up."""
    for _ in range(100):
        await pilot.app.workers.wait_for_complete()
        await pilot.pause(0.1)
        if seen():
            return
    raise AssertionError("the browser never showed the change")


def follow(
    posts: Path,
    scenario: Callable[[Pilot[None]], Awaitable[None]],
    *,
    environ: dict[str, str] | None = None,
    company: str | None = "contoso-cloud",
) -> BrowseApp:
    app = BrowseApp(library_of(posts), company=company, block=Block.COST_STRUCTURE, environ=environ)

    async def started(pilot: Pilot[None]) -> None:
        await pilot.app.workers.wait_for_complete()
        await scenario(pilot)

    drive(app, started, (140, 45))
    return app


def test_e_edits_the_post_and_its_box_shows_the_edit(tmp_path: Path) -> None:
    posts = copied_library(tmp_path)
    appending = "import sys\nopen(sys.argv[-1], 'a').write('\\n* Office rent in Lisbon\\n')\n"
    seen: dict[str, object] = {}

    async def scenario(pilot: Pilot[None]) -> None:
        app = pilot.app
        assert isinstance(app, BrowseApp)
        seen["before"] = box_text(app, Block.COST_STRUCTURE)
        await pilot.press("e")
        await until(pilot, lambda: "Lisbon" in box_text(app, Block.COST_STRUCTURE))
        await pilot.pause()
        seen["focused"] = focused_block(app)
        screen = app.screen
        assert isinstance(screen, CanvasScreen)
        seen["company"] = screen.canvas.slug

    follow(posts, scenario, environ=editor_running(tmp_path, appending))
    assert "Lisbon" not in str(seen["before"])
    assert "Office rent in Lisbon" in (posts / "contoso-cloud.md").read_text(encoding="utf-8")
    assert seen["company"] == "contoso-cloud"
    assert seen["focused"] is Block.COST_STRUCTURE


def test_e_on_the_library_edits_the_highlighted_post(tmp_path: Path) -> None:
    posts = copied_library(tmp_path)
    recording = "import sys\nopen(sys.argv[-1] + '.seen', 'w').write('opened')\n"

    async def scenario(pilot: Pilot[None]) -> None:
        await pilot.press("down", "tab", "e")

    follow(posts, scenario, environ=editor_running(tmp_path, recording), company=None)
    assert (posts / "fabrikam-storage.md.seen").read_text(encoding="utf-8") == "opened"


def test_an_editor_that_fails_is_reported_and_changes_nothing(tmp_path: Path) -> None:
    posts = copied_library(tmp_path)
    before = {post.name: post.read_bytes() for post in posts.iterdir()}
    seen: dict[str, object] = {}

    async def scenario(pilot: Pilot[None]) -> None:
        app = pilot.app
        assert isinstance(app, BrowseApp)
        shown = box_text(app, Block.COST_STRUCTURE)
        await pilot.press("e")
        await app.workers.wait_for_complete()
        await pilot.pause()
        seen["notices"] = [str(notice.message) for notice in app._notifications]
        seen["same box"] = box_text(app, Block.COST_STRUCTURE) == shown
        seen["listed"] = listed(app)

    follow(posts, scenario, environ=editor_running(tmp_path, "raise SystemExit(1)\n"))
    notices = seen["notices"]
    assert isinstance(notices, list) and len(notices) == 1
    assert "exited with status 1" in notices[0]
    assert seen["same box"]
    assert seen["listed"] == ["contoso-cloud", "fabrikam-storage", "northwind-analytics"]
    assert {post.name: post.read_bytes() for post in posts.iterdir()} == before


def test_without_an_editor_e_says_how_to_name_one(tmp_path: Path) -> None:
    posts = copied_library(tmp_path)
    seen: list[str] = []

    async def scenario(pilot: Pilot[None]) -> None:
        await pilot.press("e")
        seen.extend(str(notice.message) for notice in pilot.app._notifications)
        assert isinstance(pilot.app.screen, CanvasScreen)

    follow(posts, scenario, environ={})
    assert seen == ["set $VISUAL or $EDITOR to edit the post"]


def test_a_post_changed_on_disk_while_open_is_shown_changed(tmp_path: Path) -> None:
    posts = copied_library(tmp_path)
    post = posts / "contoso-cloud.md"

    async def scenario(pilot: Pilot[None]) -> None:
        app = pilot.app
        assert isinstance(app, BrowseApp)
        text = post.read_text(encoding="utf-8")
        post.write_text(text.replace("engineering salaries", "night-shift wages"), "utf-8")
        await until(pilot, lambda: "night-shift wages" in box_text(app, Block.COST_STRUCTURE))
        await pilot.pause()
        assert focused_block(app) is Block.COST_STRUCTURE

    follow(posts, scenario)


def gone_note(app: BrowseApp) -> str:
    note = app.screen.query_one("#gone", Static)
    return str(note.render()) if note.display else ""


def test_a_post_deleted_while_open_says_so_and_the_list_drops_it(tmp_path: Path) -> None:
    posts = copied_library(tmp_path)
    seen: dict[str, object] = {}

    async def scenario(pilot: Pilot[None]) -> None:
        app = pilot.app
        assert isinstance(app, BrowseApp)
        (posts / "contoso-cloud.md").unlink()
        await until(pilot, lambda: "contoso-cloud" not in listed(app))
        await pilot.pause()
        seen["note"] = gone_note(app)
        seen["still shown"] = "engineering salaries" in box_text(app, Block.COST_STRUCTURE)
        await pilot.press("escape")
        seen["on top"] = app.screen is app.screen_stack[0]
        await pilot.press("down", "enter")
        screen = app.screen
        assert isinstance(screen, CanvasScreen)
        seen["opened"] = screen.canvas.slug

    follow(posts, scenario)
    assert seen == {
        "note": "! contoso-cloud is no longer in the library; shown as it was",
        "still shown": True,
        "on top": True,
        "opened": "northwind-analytics",
    }


def rewrite(post: Path, old: str, new: str) -> None:
    post.write_text(post.read_text(encoding="utf-8").replace(old, new), encoding="utf-8")


def test_a_change_on_disk_redraws_the_zoomed_block(tmp_path: Path) -> None:
    posts = copied_library(tmp_path)

    async def scenario(pilot: Pilot[None]) -> None:
        app = pilot.app
        assert isinstance(app, BrowseApp)
        await pilot.press("enter")
        assert "engineering salaries" in screen_text(app)
        rewrite(posts / "contoso-cloud.md", "engineering salaries", "night-shift wages")
        await until(pilot, lambda: "night-shift wages" in screen_text(app))
        assert isinstance(app.screen, ZoomScreen)
        assert gone_note(app) == ""
        (posts / "contoso-cloud.md").unlink()
        await until(pilot, lambda: "contoso-cloud is no longer" in gone_note(app))
        assert "night-shift wages" in screen_text(app)

    follow(posts, scenario)


def test_a_change_on_disk_redraws_the_search_hits(tmp_path: Path) -> None:
    posts = copied_library(tmp_path)

    async def scenario(pilot: Pilot[None]) -> None:
        app = pilot.app
        assert isinstance(app, BrowseApp)
        await pilot.press("tab", "slash", *"zeppelin")
        hits = app.screen.query_one("#hits", OptionList)
        assert hits.option_count == 0
        rewrite(posts / "contoso-cloud.md", "engineering salaries", "zeppelin hangars")
        await until(pilot, lambda: hits.option_count > 0)
        assert app.screen.query_one("#query", Input).value == "zeppelin"

    follow(posts, scenario, company=None)


def test_a_change_on_disk_redraws_the_comparison(tmp_path: Path) -> None:
    posts = copied_library(tmp_path)

    async def scenario(pilot: Pilot[None]) -> None:
        app = pilot.app
        assert isinstance(app, BrowseApp)
        await pilot.press("tab", "space", "space", "c")
        assert isinstance(app.screen, CompareScreen)
        rewrite(posts / "contoso-cloud.md", "engineering salaries", "night-shift wages")
        await until(pilot, lambda: "night-shift wages" in screen_text(app))
        (posts / "fabrikam-storage.md").unlink()
        await until(pilot, lambda: "fabrikam-storage is no longer" in gone_note(app))

    follow(posts, scenario, company=None)


def test_a_change_on_disk_redraws_the_similar_list(tmp_path: Path) -> None:
    posts = copied_library(tmp_path)

    async def scenario(pilot: Pilot[None]) -> None:
        app = pilot.app
        assert isinstance(app, BrowseApp)
        await pilot.press("s")
        assert isinstance(app.screen, SimilarScreen)
        assert "Northwind Analytics" in screen_text(app)
        (posts / "northwind-analytics.md").unlink()
        await until(pilot, lambda: "Northwind Analytics" not in screen_text(app))
        assert "Fabrikam Storage" in screen_text(app)

    follow(posts, scenario)


def test_ctrl_t_and_the_command_palette_switch_between_light_and_dark() -> None:
    themes: list[bool] = []

    async def scenario(pilot: Pilot[None]) -> None:
        app = pilot.app
        themes.append(app.current_theme.dark)
        await pilot.press("ctrl+t")
        themes.append(app.current_theme.dark)
        await pilot.press("ctrl+t")
        themes.append(app.current_theme.dark)
        await pilot.press("ctrl+p")
        await pilot.pause()
        await pilot.press(*"light or dark")
        await pilot.pause(0.5)
        await pilot.press("enter")
        await pilot.pause()
        themes.append(app.current_theme.dark)

    browse(THREE, scenario, company="contoso-cloud")
    assert themes == [True, False, True, False]


def test_no_color_turns_the_colours_off() -> None:
    app = BrowseApp(library_of(THREE), plain=True)
    assert app.no_color


def test_browse_says_it_needs_a_terminal_when_stdout_is_not_one(run: Callable[..., Result]) -> None:
    result = run("browse")
    assert result.exit_code == 2
    assert "needs a terminal" in result.stderr


def test_other_commands_never_import_textual() -> None:
    script = (
        "import sys\n"
        "from canvascli.cli import main\n"
        "from canvascli.env import Env\n"
        "for argv in (['--version'], ['list']):\n"
        "    try:\n"
        "        main(argv, Env.from_process())\n"
        "    except SystemExit:\n"
        "        pass\n"
        "print('textual' in sys.modules)\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=True, cwd=REPO
    )
    assert done.stdout.strip().splitlines()[-1] == "False"


@pytest.mark.e2e
@pytest.mark.skipif(shutil.which("tmux") is None, reason="tmux is not installed")
@pytest.mark.parametrize("typed_ahead", [False, True], ids=["once shown", "typed ahead"])
def test_browse_in_a_real_terminal(typed_ahead: bool) -> None:
    # Its own tmux server: other runs of this test may be going on at the same time.
    session = f"canvas-browse-{os.getpid()}-{'ahead' if typed_ahead else 'shown'}"
    canvas = Path(sys.executable).with_name("canvas")
    tmux = ["tmux", "-L", session]
    subprocess.run(
        [
            *tmux,
            "new-session",
            "-d",
            "-s",
            session,
            "-x",
            "140",
            "-y",
            "45",
            # The terminal's own size, not the one the other tests pin.
            f"env -u COLUMNS -u LINES {canvas} browse --posts {BUNDLED}",
        ],
        check=True,
    )
    try:

        def screen() -> str:
            return subprocess.run(
                [*tmux, "capture-pane", "-p", "-t", session],
                capture_output=True,
                text=True,
                check=True,
            ).stdout

        def wait_for(seen: Callable[[str], bool], what: str) -> str:
            shown = ""
            # Generous: the machine may be busy with other tests.
            for _ in range(600):
                shown = screen()
                if seen(shown):
                    return shown
                time.sleep(0.1)
            raise AssertionError(f"never saw {what} on the screen:\n{shown}")

        if not typed_ahead:
            wait_for(lambda shown: "Violin Memory" in shown and "MemSQL" in shown, "the list")
        # In one burst, as a fast typist or a paste sends them, and maybe before the app has
        # the terminal: every letter reaches the filter before enter opens what it leaves
        # highlighted.
        subprocess.run([*tmux, "send-keys", "-t", session, "viol", "Enter"], check=True)
        shown = wait_for(lambda shown: "Key Partners" in shown, "the canvas")
        assert "Value Propositions" in shown
        assert "Violin Memory" in shown
    finally:
        subprocess.run([*tmux, "kill-server"], check=False)


def test_the_library_starts_in_the_order_its_config_sets(
    run: Callable[..., Result], tmp_path: Path
) -> None:
    from canvascli.store.config import load_config

    folder = tmp_path / "library"
    shutil.copytree(WILD, folder)
    (folder / "canvas.toml").write_text('sort = "words"\n', encoding="utf-8")
    location = locate_library(folder, {})
    library = load_library(location, config=load_config(location.path, SORT_ORDERS))
    seen: list[list[str]] = []

    async def scenario(pilot: Pilot[None]) -> None:
        assert isinstance(pilot.app, BrowseApp)
        seen.append(listed(pilot.app))

    drive(BrowseApp(library), scenario, (140, 45))
    companies = listed_by_canvas_list(run, folder, "words")
    assert [slug for slug in seen[0] if slug in companies] == companies
    assert seen[0] != listed_by_canvas_list(run, folder, "name")
