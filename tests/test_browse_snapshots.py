"""Pictures of `canvas browse`'s main screens at fixed sizes, compared with golden SVGs."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from tests.conftest import REPO
from tests.make_pictures import browse_screenshot

BUNDLED = REPO / "posts"
WILD = REPO / "tests" / "data" / "wild"
LEAN_COMPANY = "lean_canvas"
Golden = Callable[[str, str], None]
SIZES = [(80, 24), (120, 40)]


@pytest.mark.parametrize("size", SIZES, ids=[f"{w}x{h}" for w, h in SIZES])
def test_the_library_pane(golden: Golden, size: tuple[int, int]) -> None:
    width, height = size
    golden(f"browse_library_{width}x{height}.svg", browse_screenshot(BUNDLED, size))


@pytest.mark.parametrize("size", SIZES, ids=[f"{w}x{h}" for w, h in SIZES])
def test_the_memsql_canvas(golden: Golden, size: tuple[int, int]) -> None:
    width, height = size
    picture = browse_screenshot(BUNDLED, size, company="memsql")
    assert "Key&#160;Partners" in picture
    golden(f"browse_memsql_{width}x{height}.svg", picture)


@pytest.mark.parametrize("size", SIZES, ids=[f"{w}x{h}" for w, h in SIZES])
def test_a_lean_canvas(golden: Golden, size: tuple[int, int]) -> None:
    width, height = size
    picture = browse_screenshot(WILD, size, company=LEAN_COMPANY)
    assert "Problem" in picture
    golden(f"browse_lean_{width}x{height}.svg", picture)


def test_a_narrow_terminal_stacks_the_boxes(golden: Golden) -> None:
    picture = browse_screenshot(BUNDLED, (60, 24), company="memsql")
    golden("browse_memsql_stacked_60x24.svg", picture)
