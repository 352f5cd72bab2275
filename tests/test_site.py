"""`canvas site`: the pages' HTML on real libraries, escaping, links, refusals, rebuilds."""

from __future__ import annotations

import json
import re
import shutil
from html.parser import HTMLParser
from pathlib import Path

import pytest

from canvascli.model import LEAN_LAYOUT, Block
from canvascli.render.site.build import MANIFEST
from canvascli.render.site.data import search_tokens
from canvascli.render.site.palette import (
    DARK,
    GRAPHIC_PAIRS,
    LIGHT,
    TEXT_PAIRS,
    contrast_ratio,
)
from tests.conftest import POSTS, REPO
from tests.helpers import Run, ok

HOSTILE = REPO / "tests" / "data" / "hostile"
LEAN_POST = """---
title: Kayak Club
---

# Lean Canvas of Kayak Club

## Problem

- Kayaks are dear to buy and hard to store

## Solution

- Shared kayaks at the harbour

## Unique Value Proposition

Paddle any day without owning a boat.

## Unfair Advantage

- The only slipway in town

## Customer Segments

- Weekend paddlers

## Key Metrics

- Bookings per week

## Channels

- The harbour office

## Cost Structure

- Boats and insurance

## Revenue Streams

- Memberships
"""
SCRIPTED_POST = """---
title: "<script>alert('title')</script> Corp"
---

# Business Model of <script>alert(1)</script> Corp

## Key Partners

- [Good partner](https://partner.example/a?b=1&c=2) and [bad](javascript:alert(1))
- <img src=x onerror=alert(2)> ![logo](https://cdn.example/logo.png)
- Write to [us](mailto:team@example.org) or [files](file:///etc/passwd)

## Customer Segments

Buyers who type <script>alert(1)</script> into forms.

| Segment | Size |
|---|---|
| Small <b>shops</b> | 100 |

## Notes

"quoted" & <em>tagged</em> text\x1b[31m with an escape
"""


class Page(HTMLParser):
    """The parts of a page the tests look at: elements with their attributes, and text."""

    def __init__(self, text: str) -> None:
        super().__init__(convert_charrefs=True)
        self.elements: list[tuple[str, dict[str, str]]] = []
        self.text: list[str] = []
        self.feed(text)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.elements.append((tag, {name: value or "" for name, value in attrs}))

    def handle_data(self, data: str) -> None:
        self.text.append(data)

    def all(self, tag: str) -> list[dict[str, str]]:
        return [attrs for name, attrs in self.elements if name == tag]

    def classes(self, prefix: str) -> list[str]:
        return [
            name
            for _tag, attrs in self.elements
            for name in attrs.get("class", "").split()
            if name.startswith(prefix)
        ]


def read_page(path: Path) -> Page:
    return Page(path.read_text(encoding="utf-8"))


def build(run: Run, folder: Path, posts: Path | None = None) -> str:
    where = ["--posts", str(posts)] if posts else []
    return ok(run("site", "-o", str(folder), *where)).stdout


def assert_self_contained(page: Page) -> None:
    """No inline script, no resource from elsewhere, and the policy that says so."""
    policy = [
        meta for meta in page.all("meta") if meta.get("http-equiv") == "Content-Security-Policy"
    ]
    assert len(policy) == 1 and "script-src 'self'" in policy[0]["content"]
    assert "default-src 'none'" in policy[0]["content"]
    for script in page.all("script"):
        assert script.get("src") and "//" not in script["src"], script
    for tag in ("img", "link", "iframe", "object", "embed"):
        for attrs in page.all(tag):
            assert "//" not in attrs.get("src", "") + attrs.get("href", ""), attrs
    for anchor in page.all("a"):
        href = anchor.get("href", "")
        if ":" in href.split("/")[0]:
            assert re.match(r"(https?|mailto):", href), href
            assert anchor.get("rel") == "noopener noreferrer", anchor


def test_the_bundled_pair_becomes_an_index_and_a_canvas_page_each(run: Run, tmp_path: Path) -> None:
    site = tmp_path / "site"
    printed = build(run, site)
    assert printed.startswith(f"{site / 'index.html'}: 2 canvas pages;")
    index = read_page(site / "index.html")
    assert_self_contained(index)
    links = [attrs["href"] for attrs in index.all("a")]
    assert "c/memsql.html" in links and "c/violin-memory.html" in links
    assert [
        attrs["value"] for attrs in index.all("input") if "choose" in attrs.get("class", "")
    ] == [
        "memsql",
        "violin-memory",
    ]
    assert index.all("meter"), "the coverage matrix has a meter per block"
    memsql = read_page(site / "c" / "memsql.html")
    assert_self_contained(memsql)
    boxes = [name for name in memsql.classes("box-") if name != "box-body"]
    assert boxes == [f"box-{block.key}" for block in Block]
    assert "Tableau" in "".join(memsql.text)
    assert "memsql.md" in "".join(memsql.text)
    headings = [tag for tag, _attrs in memsql.elements if tag in {"h1", "h2"}]
    assert headings[0] == "h1" and headings.count("h2") == 9
    assert {tag for tag, _attrs in memsql.elements} >= {"header", "nav", "main", "footer"}
    for name in ("compare.html", "search.html", "assets/site.js", "data/library.js", MANIFEST):
        assert (site / name).is_file(), name


def test_a_lean_canvas_is_drawn_in_its_own_layout(run: Run, tmp_path: Path) -> None:
    posts = tmp_path / "posts"
    posts.mkdir()
    (posts / "kayak-club.md").write_text(LEAN_POST, encoding="utf-8")
    build(run, tmp_path / "site", posts)
    page = read_page(tmp_path / "site" / "c" / "kayak-club.html")
    boxes = [name for name in page.classes("box-") if name != "box-body"]
    assert boxes == [f"box-{block.key}" for block in LEAN_LAYOUT]
    text = "".join(page.text)
    assert "Unique Value Proposition" in text and "Lean Canvas" in text
    css = (tmp_path / "site" / "assets" / "site.css").read_text(encoding="utf-8")
    # Ash Maurya's places: Problem where Key Partners stand, Key Metrics under Solution.
    assert ".box-problem { grid-row: 1 / span 2; grid-column: 1 / span 2; }" in css
    assert ".box-key-metrics { grid-row: 2 / span 1; grid-column: 3 / span 2; }" in css


def test_post_text_is_escaped_and_only_web_and_mail_links_are_kept(
    run: Run, tmp_path: Path
) -> None:
    posts = tmp_path / "posts"
    posts.mkdir()
    (posts / "scripted.md").write_text(SCRIPTED_POST.replace("\\x1b", "\x1b"), encoding="utf-8")
    site = tmp_path / "site"
    build(run, site, posts)
    (page_path,) = (site / "c").iterdir()
    html = page_path.read_text(encoding="utf-8")
    page = Page(html)
    assert_self_contained(page)
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "<script>alert" not in html and "<img" not in html and "<b>" not in html
    assert "\x1b" not in html
    anchors = {attrs["href"]: attrs for attrs in page.all("a") if ":" in attrs["href"]}
    assert set(anchors) == {
        "https://partner.example/a?b=1&c=2",
        "mailto:team@example.org",
        "https://cdn.example/logo.png",
    }
    assert "javascript" not in " ".join(anchors) and "file:" not in " ".join(anchors)
    assert page.all("table"), "a table in a post stays a table"
    index = (site / "index.html").read_text(encoding="utf-8")
    assert "<script>alert" not in index
    data = (site / "data" / "c" / page_path.with_suffix(".js").name).read_text(encoding="utf-8")
    assert "</script>" not in data.lower().replace("<\\/", "")  # JSON escapes "<" as \u003c


@pytest.mark.parametrize("post", sorted(HOSTILE.glob("*.md")), ids=lambda path: path.stem)
def test_every_hostile_post_builds_a_site_without_live_markup(
    run: Run, tmp_path: Path, post: Path
) -> None:
    posts = tmp_path / "posts"
    posts.mkdir()
    shutil.copy(post, posts / post.name)
    site = tmp_path / "site"
    result = run("site", "-o", str(site), "--posts", str(posts))
    assert result.exit_code == 0, result.output
    assert "Traceback" not in result.output
    for page_path in [site / "index.html", *sorted((site / "c").glob("*.html"))]:
        html = page_path.read_text(encoding="utf-8")
        assert not re.search("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]", html), page_path
        assert_self_contained(Page(html))


def test_an_empty_library_builds_a_site_that_says_so(run: Run, tmp_path: Path) -> None:
    posts = tmp_path / "posts"
    posts.mkdir()
    site = tmp_path / "site"
    assert ": 0 canvas pages;" in build(run, site, posts)
    index = read_page(site / "index.html")
    assert "This library has no canvases yet." in "".join(index.text)
    assert not (site / "c").exists()


def test_a_folder_with_other_files_is_refused_and_left_alone(run: Run, tmp_path: Path) -> None:
    folder = tmp_path / "documents"
    folder.mkdir()
    (folder / "thesis.txt").write_text("years of work", encoding="utf-8")
    result = run("site", "-o", str(folder))
    assert result.exit_code == 1
    assert result.stderr.count("\n") == 1
    assert str(folder) in result.stderr and "not a site" in result.stderr
    assert [path.name for path in folder.iterdir()] == ["thesis.txt"]
    (tmp_path / "file").write_text("x", encoding="utf-8")
    assert run("site", "-o", str(tmp_path / "file")).exit_code == 1


@pytest.mark.parametrize("linked", ["assets", "c"])
def test_a_rebuild_never_writes_or_removes_through_a_linked_folder(
    run: Run, tmp_path: Path, linked: str
) -> None:
    site, elsewhere = tmp_path / "site", tmp_path / "elsewhere"
    build(run, site)
    shutil.rmtree(site / linked)
    elsewhere.mkdir()
    (elsewhere / "keep.txt").write_text("mine", encoding="utf-8")
    (site / linked).symlink_to(elsewhere)
    result = run("site", "-o", str(site))
    assert result.exit_code == 1
    (line,) = result.stderr.splitlines()
    assert str(site / linked) in line
    assert [path.name for path in elsewhere.iterdir()] == ["keep.txt"]


def test_an_empty_output_name_is_refused_rather_than_taken_for_the_current_folder(
    run: Run, tmp_path: Path
) -> None:
    result = run("site", "-o", "")
    assert result.exit_code == 2
    (line,) = result.stderr.splitlines()
    assert "--output" in line
    assert list(tmp_path.iterdir()) == []


def test_a_rebuild_rewrites_only_what_one_changed_post_touches(run: Run, tmp_path: Path) -> None:
    posts = tmp_path / "posts"
    shutil.copytree(POSTS, posts)
    site = tmp_path / "site"
    build(run, site, posts)
    files = sorted(path for path in site.rglob("*") if path.is_file() and path.name != MANIFEST)
    before = {path: path.stat().st_mtime_ns for path in files}
    assert "; 0 files written, " in build(run, site, posts)
    assert {path: path.stat().st_mtime_ns for path in files} == before
    memsql = posts / "memsql.md"
    memsql.write_text(
        memsql.read_text(encoding="utf-8").replace("Tableau", "Tableau Zebrafinch"),
        encoding="utf-8",
    )
    build(run, site, posts)
    changed = {
        path.relative_to(site).as_posix()
        for path in files
        if path.stat().st_mtime_ns != before[path]
    }
    assert "c/memsql.html" in changed and "data/c/memsql.js" in changed
    assert "c/violin-memory.html" not in changed and "data/c/violin-memory.js" not in changed
    assert "assets/site.css" not in changed and "compare.html" not in changed
    assert changed <= {"c/memsql.html", "data/c/memsql.js", "index.html"} | {
        name for name in changed if name.startswith("data/search/")
    }
    assert "zebrafinch" in "".join(
        path.read_text(encoding="utf-8") for path in (site / "data" / "search").iterdir()
    )
    (posts / "violin-memory.md").unlink()
    assert ", 2 removed" in build(run, site, posts)
    assert not (site / "c" / "violin-memory.html").exists()


@pytest.mark.parametrize("palette", [LIGHT, DARK], ids=["light", "dark"])
def test_the_palette_passes_wcag_aa_contrast(palette: object) -> None:
    colours = palette._asdict()  # type: ignore[attr-defined]
    for text, background in TEXT_PAIRS:
        assert contrast_ratio(colours[text], colours[background]) >= 4.5, (text, background)
    for graphic, background in GRAPHIC_PAIRS:
        assert contrast_ratio(colours[graphic], colours[background]) >= 3, (graphic, background)


def test_contrast_ratio_matches_wcag_reference_values() -> None:
    assert contrast_ratio("#000000", "#ffffff") == pytest.approx(21)
    assert contrast_ratio("#777777", "#ffffff") == pytest.approx(4.48, abs=0.01)


def test_search_words_part_like_canvas_search_does() -> None:
    assert search_tokens("Café Partners, e-mail") == ["cafe", "partners", "e", "mail"]
    assert search_tokens("合作农场") == ["合", "作", "农", "场"]
    assert search_tokens("ลูกค้า app") == ["ลู", "ก", "ค้", "า", "app"]


def listed_in_index(site: Path) -> list[str]:
    index = read_page(site / "index.html")
    return [attrs["value"] for attrs in index.all("input") if "choose" in attrs.get("class", "")]


def sorted_header(site: Path) -> list[str]:
    index = read_page(site / "index.html")
    return [attrs.get("data-sort", "") for attrs in index.all("th") if "aria-sort" in attrs]


def listed_by_canvas_list(run: Run, posts: Path, order: str) -> list[str]:
    listed = ok(run("list", "--posts", str(posts), "--sort", order, "--json")).stdout
    return [company["slug"] for company in json.loads(listed)]


@pytest.mark.parametrize(
    ("configured", "shown"), [("words", "words"), ("blocks", "blocks"), ("date", "name")]
)
def test_the_index_starts_in_the_library_s_configured_order_where_it_can_sort_by_it(
    run: Run, tmp_path: Path, configured: str, shown: str
) -> None:
    posts = tmp_path / "posts"
    shutil.copytree(REPO / "tests" / "data" / "wild", posts)
    (posts / "canvas.toml").write_text(f'sort = "{configured}"\n', encoding="utf-8")
    site = tmp_path / "site"
    build(run, site, posts)
    assert listed_in_index(site) == listed_by_canvas_list(run, posts, shown)
    assert listed_in_index(site) != listed_by_canvas_list(run, posts, "slug")
    assert sorted_header(site) == ["text" if shown == "name" else "number"]
