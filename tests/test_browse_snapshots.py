"""Pictures of `canvas browse`'s main screens at fixed sizes, compared with golden SVGs."""

from __future__ import annotations

import re
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


def test_the_light_theme(golden: Golden) -> None:
    picture = browse_screenshot(BUNDLED, (120, 40), company="memsql", keys=["ctrl+t"])
    assert picture != browse_screenshot(BUNDLED, (120, 40), company="memsql")
    golden("browse_memsql_light_120x40.svg", picture)


def colours(picture: str) -> set[str]:
    """The colours of the screen's text and cells, not of the window drawn around it."""
    drawn = re.findall(r"(?:fill: |<rect fill=\")(#[0-9a-fA-F]{6})\b", picture)
    return {found.lower() for found in drawn}


def is_grey(colour: str) -> bool:
    red, green, blue = (int(colour[start : start + 2], 16) for start in (1, 3, 5))
    # The picture's default text colour, #c5c8c6, is a grey three steps off true.
    return max(red, green, blue) - min(red, green, blue) <= 3


@pytest.mark.parametrize("keys", [[], ["ctrl+t"]], ids=["dark", "light"])
def test_no_color_draws_either_theme_without_colour(keys: list[str]) -> None:
    coloured = browse_screenshot(BUNDLED, (120, 40), company="memsql", keys=keys)
    assert not all(is_grey(colour) for colour in colours(coloured))
    plain = browse_screenshot(BUNDLED, (120, 40), company="memsql", keys=keys, plain=True)
    assert all(is_grey(colour) for colour in colours(plain))
