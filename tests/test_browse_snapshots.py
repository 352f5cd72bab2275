"""Pictures of `canvas browse`'s main screens at fixed sizes, compared with golden SVGs."""

from __future__ import annotations

import asyncio
import re
from collections.abc import Callable
from pathlib import Path

import pytest

from canvascli.browse.app import BrowseApp
from canvascli.store.files import locate_library
from canvascli.store.library import load_library
from tests.conftest import REPO

BUNDLED = REPO / "posts"
WILD = REPO / "tests" / "data" / "wild"
LEAN_COMPANY = "lean_canvas"
# Rich names every SVG's classes and ids after a hash of the picture; one name keeps the
# golden files readable as diffs when a single cell changes.
PICTURE_ID = re.compile(r"terminal-\d+")
Golden = Callable[[str, str], None]
SIZES = [(80, 24), (120, 40)]


def screenshot(folder: Path, size: tuple[int, int], company: str | None = None) -> str:
    """The screen `canvas browse` shows at `size` once everything has been drawn."""
    app = BrowseApp(load_library(locate_library(folder, {})), company=company)

    async def run() -> str:
        async with app.run_test(size=size) as pilot:
            await pilot.pause()
            await app.workers.wait_for_complete()
            await pilot.pause()
            return app.export_screenshot()

    return asyncio.run(run())


def normalised(svg: str) -> str:
    named = PICTURE_ID.sub("terminal", svg)
    return "".join(line.rstrip() + "\n" for line in named.splitlines())


@pytest.mark.parametrize("size", SIZES, ids=[f"{w}x{h}" for w, h in SIZES])
def test_the_library_pane(golden: Golden, size: tuple[int, int]) -> None:
    width, height = size
    golden(f"browse_library_{width}x{height}.svg", normalised(screenshot(BUNDLED, size)))


@pytest.mark.parametrize("size", SIZES, ids=[f"{w}x{h}" for w, h in SIZES])
def test_the_memsql_canvas(golden: Golden, size: tuple[int, int]) -> None:
    width, height = size
    picture = screenshot(BUNDLED, size, company="memsql")
    assert "Key&#160;Partners" in picture
    golden(f"browse_memsql_{width}x{height}.svg", normalised(picture))


@pytest.mark.parametrize("size", SIZES, ids=[f"{w}x{h}" for w, h in SIZES])
def test_a_lean_canvas(golden: Golden, size: tuple[int, int]) -> None:
    width, height = size
    picture = screenshot(WILD, size, company=LEAN_COMPANY)
    assert "Problem" in picture
    golden(f"browse_lean_{width}x{height}.svg", normalised(picture))


def test_a_narrow_terminal_stacks_the_boxes(golden: Golden) -> None:
    picture = screenshot(BUNDLED, (60, 24), company="memsql")
    golden("browse_memsql_stacked_60x24.svg", normalised(picture))
