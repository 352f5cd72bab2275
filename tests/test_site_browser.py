"""`canvas site` in a real browser: headless Chromium opens the built site from disk."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

from canvascli.analyse.common_ground import common_ground
from canvascli.model import Block, comparison_rows
from canvascli.read.canvas import read_canvas
from canvascli.render.site.data import search_tokens
from tests.browser import chromium, missing
from tests.conftest import POSTS
from tests.make_pictures import PICTURES_DIR, SITE_PICTURE
from tests.test_site import LEAN_POST

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Page

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(missing() is not None, reason=f"no browser: {missing()}"),
]
Box = dict[str, float]


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The bundled pair and a Lean Canvas, built by the installed command."""
    folder = tmp_path_factory.mktemp("site")
    posts = folder / "posts"
    shutil.copytree(POSTS, posts)
    (posts / "kayak-club.md").write_text(
        LEAN_POST + "\n## 市场\n\n合作农场和冷链车\n", encoding="utf-8"
    )
    finished = subprocess.run(
        [
            sys.executable,
            "-m",
            "canvascli",
            "site",
            "-o",
            str(folder / "site"),
            "--posts",
            str(posts),
        ],
        capture_output=True,
        text=True,
        env={"CANVASCLI_CACHE_DIR": str(folder / "cache"), "PATH": "/usr/bin:/bin"},
        check=False,
    )
    assert finished.returncode == 0, finished.stderr
    return folder / "site"


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    with chromium() as opened:
        yield opened


@pytest.fixture
def page(browser: Browser) -> Iterator[Page]:
    """A page that fails the test on a script error or on any request outside file://."""
    opened = browser.new_page(viewport={"width": 1400, "height": 900})
    requests: list[str] = []
    errors: list[str] = []
    opened.on("request", lambda request: requests.append(request.url))
    opened.on("pageerror", lambda error: errors.append(str(error)))
    opened.on(
        "console", lambda message: errors.append(message.text) if message.type == "error" else None
    )
    yield opened
    opened.close()
    assert requests, "the page loaded its own files"
    assert [url for url in requests if not url.startswith("file://")] == []
    assert errors == []


def boxes(page: Page, keys: list[str]) -> dict[str, Box]:
    found = {}
    for key in keys:
        box = page.locator(f".box-{key}").bounding_box()
        assert box is not None, key
        found[key] = {name: float(box[name]) for name in ("x", "y", "width", "height")}
    return found


def right(box: Box) -> float:
    return box["x"] + box["width"]


def bottom(box: Box) -> float:
    return box["y"] + box["height"]


def test_the_nine_boxes_sit_where_the_canvas_puts_them(
    site: Path, page: Page, tmp_path: Path
) -> None:
    page.goto((site / "c" / "memsql.html").as_uri())
    page.screenshot(path=str(tmp_path / "memsql.png"), full_page=True)
    at = boxes(page, [block.key for block in Block])
    kp, ka, kr = at["key-partners"], at["key-activities"], at["key-resources"]
    vp, cr, ch, cs = (
        at["value-propositions"],
        at["customer-relationships"],
        at["channels"],
        at["customer-segments"],
    )
    costs, revenue = at["cost-structure"], at["revenue-streams"]
    # Five columns, left to right, on one top line.
    assert kp["x"] < ka["x"] < vp["x"] < cr["x"] < cs["x"]
    assert kp["y"] == ka["y"] == vp["y"] == cr["y"] == cs["y"]
    # Activities over resources, relationships over channels, each pair as tall as a column.
    assert ka["x"] == kr["x"] and bottom(ka) == pytest.approx(kr["y"])
    assert cr["x"] == ch["x"] and bottom(cr) == pytest.approx(ch["y"])
    assert bottom(kr) == pytest.approx(bottom(kp)) == pytest.approx(bottom(vp))
    assert bottom(ch) == pytest.approx(bottom(cs))
    # Costs and revenue share the bottom row, split under the value propositions.
    assert costs["y"] == revenue["y"] == pytest.approx(bottom(kp))
    assert costs["x"] == kp["x"] and right(revenue) == pytest.approx(right(cs))
    assert right(costs) == pytest.approx(revenue["x"])
    assert vp["x"] < revenue["x"] < right(vp)


def test_a_lean_canvas_keeps_ash_mauryas_layout(site: Path, page: Page, tmp_path: Path) -> None:
    page.goto((site / "c" / "kayak-club.html").as_uri())
    page.screenshot(path=str(tmp_path / "kayak-club.png"), full_page=True)
    at = boxes(
        page,
        [
            "problem",
            "solution",
            "key-metrics",
            "value-propositions",
            "unfair-advantage",
            "channels",
            "customer-segments",
            "cost-structure",
            "revenue-streams",
        ],
    )
    assert at["problem"]["x"] < at["solution"]["x"] < at["value-propositions"]["x"]
    assert (
        at["value-propositions"]["x"] < at["unfair-advantage"]["x"] < at["customer-segments"]["x"]
    )
    assert (
        at["solution"]["x"] == at["key-metrics"]["x"]
        and at["solution"]["y"] < at["key-metrics"]["y"]
    )
    assert at["unfair-advantage"]["x"] == at["channels"]["x"]
    assert at["unfair-advantage"]["y"] < at["channels"]["y"]
    assert at["cost-structure"]["y"] == at["revenue-streams"]["y"] > at["key-metrics"]["y"]


def test_a_canvas_prints_on_one_landscape_page(site: Path, page: Page) -> None:
    page.goto((site / "c" / "memsql.html").as_uri())
    for paper in ("A4", "Letter"):
        pdf = page.pdf(format=paper, landscape=True, prefer_css_page_size=True)
        assert len(re.findall(rb"/Type\s*/Page[^s]", pdf)) == 1, paper


def test_the_index_filters_sorts_and_is_reachable_by_keyboard(
    site: Path, page: Page, tmp_path: Path
) -> None:
    page.goto((site / "index.html").as_uri())
    rows = page.locator("#companies tbody tr")
    assert rows.count() == 3
    page.fill("#filter", "viol")
    assert [row.get_attribute("data-slug") for row in rows.all() if row.is_visible()] == [
        "violin-memory"
    ]
    page.fill("#filter", "")
    page.click("th[data-sort='number']:last-child button")
    page.click("th[data-sort='number']:last-child button")
    order = [row.get_attribute("data-slug") for row in rows.all()]
    assert order[0] == "violin-memory" and order[-1] == "kayak-club", "most words first"
    page.screenshot(path=str(tmp_path / "index.png"), full_page=True)
    page.goto((site / "index.html").as_uri())
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.className") == "skip"
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main"


def test_search_finds_words_and_chinese_pieces_grouped_by_company(
    site: Path, page: Page, tmp_path: Path
) -> None:
    page.goto((site / "search.html").as_uri() + "?q=flash")
    page.wait_for_selector(".hits")
    companies = page.locator(".hits > li h2").all_text_contents()
    assert companies == ["Violin Memory"]
    assert "flash" in str(page.locator(".hits mark").first.text_content()).lower()
    page.screenshot(path=str(tmp_path / "search.png"), full_page=True)
    page.goto((site / "search.html").as_uri() + "?q=" + "冷链")
    page.wait_for_selector(".hits")
    assert page.locator(".hits > li h2").all_text_contents() == ["Kayak Club"]
    for text in ("Café Partners, e-mail", "合作农场", "ลูกค้าของเรา app", "Straße ÉCOLE"):
        assert page.evaluate("text => canvasSite.tokens(text)", text) == search_tokens(text)


def test_a_comparison_built_in_the_page_marks_what_canvas_compare_finds(
    site: Path, page: Page, tmp_path: Path
) -> None:
    page.goto((site / "index.html").as_uri())
    page.check("input.choose[value='memsql']")
    page.check("input.choose[value='violin-memory']")
    page.click("#compare-chosen")
    page.wait_for_selector(".compare-table")
    page.screenshot(path=str(tmp_path / "compare.png"), full_page=True)
    canvases = [
        read_canvas((POSTS / name).read_text(encoding="utf-8"), name)
        for name in ("memsql.md", "violin-memory.md")
    ]
    canvases = [
        canvas._replace(slug=slug)
        for canvas, slug in zip(canvases, ["memsql", "violin-memory"], strict=True)
    ]
    blocks = comparison_rows(canvases)
    ground = common_ground(canvases, blocks)
    shown: dict[str, Any] = page.evaluate(
        """() => Object.fromEntries(Array.from(document.querySelectorAll('.compare-table tbody tr'))
            .map(row => [row.dataset.block,
                         (row.querySelector('.common') || {textContent: ''}).textContent]))"""
    )
    assert list(shown) == [block.key for block in blocks]
    for block in blocks:
        expected = ", ".join(term.term for term in ground.for_block(block))
        assert shown[block.key] == (f"Shared: {expected}" if expected else ""), block.key
    assert page.locator(".compare-table mark").count() >= len(ground.shared) * 2


def test_the_readme_picture_of_a_canvas_page_is_committed() -> None:
    picture = PICTURES_DIR / SITE_PICTURE
    assert picture.read_bytes().startswith(b"\x89PNG\r\n\x1a\n")
