"""The `canvas` command on canvases laid out in callouts, quotes, toggles, HTML and tables."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from tests.helpers import GRID_ORDER, Run, ok


def exported(run: Run, tmp_path: Path, name: str, text: str) -> dict[str, Any]:
    """Write one post and read it back through `canvas export --format json`."""
    posts = tmp_path / "posts"
    posts.mkdir(exist_ok=True)
    (posts / f"{name}.md").write_text(text, encoding="utf-8")
    output = ok(run("export", name, "--posts", str(posts), "--format", "json")).stdout
    (canvas,) = json.loads(output)
    assert isinstance(canvas, dict)
    return canvas


def callouts(marker: str, after: str = "") -> str:
    boxes = [
        f"> {marker} {block}\n> - {block.split()[-1].lower()} of the ferry\n"
        f"> - more {block.lower()}"
        for block in GRID_ORDER
    ]
    return "# Tidal Ferry Co\n\n" + "\n\n".join(boxes) + f"\n\n{after}\n"


def test_a_callout_title_names_its_block_and_its_quoted_lines_are_the_entries(
    run: Run, tmp_path: Path
) -> None:
    canvas = exported(run, tmp_path, "ferry", callouts("[!info]-", after="Reviewed in May."))
    assert canvas["name"] == "Tidal Ferry Co"
    assert canvas["missing"] == []
    partners = canvas["blocks"]["key-partners"]
    assert partners["items"] == ["partners of the ferry", "more key partners"]
    assert partners["line"] == 3  # the callout's own line in the post
    # What follows the last callout is outside it, not in its block.
    assert "Reviewed in May." not in canvas["blocks"]["revenue-streams"]["paragraphs"]
    assert [extra["paragraphs"] for extra in canvas["extras"]] == [["Reviewed in May."]]


def test_a_canvas_quoted_whole_with_bold_labels_is_read(run: Run, tmp_path: Path) -> None:
    lines = ["# Harbour Kites", ""]
    for block in GRID_ORDER:
        lines += [f"> **{block}:** {block.lower()} for kites", ">"]
    canvas = exported(run, tmp_path, "kites", "\n".join(lines[:-1]) + "\n")
    assert canvas["missing"] == []
    assert canvas["blocks"]["channels"]["paragraphs"] == ["channels for kites"]


def test_a_quote_holding_no_labels_stays_a_quote_in_its_block(run: Run, tmp_path: Path) -> None:
    text = (
        "\n\n".join(f"## {block}\n\n- {block.lower()} here" for block in GRID_ORDER)
        + "\n\n> Customers told us: the ferry is late.\n"
    )
    canvas = exported(run, tmp_path, "quote", "# Quay Co\n\n" + text)
    assert canvas["blocks"]["revenue-streams"]["paragraphs"] == [
        "Customers told us: the ferry is late."
    ]


def test_toggles_html_headings_and_term_lists_name_their_blocks(run: Run, tmp_path: Path) -> None:
    text = """# Copper Kettle Café

<details>
<summary>Key Partners</summary>

- A coffee roaster

</details>

<details><summary><b>Key Activities</b></summary><ul><li>Roasting</li><li>Pouring</li></ul>
</details>

<h3>Key Resources</h3><ul><li>An espresso machine</li></ul>

<h3>Value Propositions</h3>
<p>Coffee roasted on the premises.</p>

<dl>
<dt>Customer Relationships</dt><dd>Regulars' cups on hooks</dd>
<dt>Channels</dt><dd>The café</dd><dd>A market stall</dd>
<dt>Customer Segments</dt><dd>Office workers</dd>
<dt>Cost Structure</dt><dd>Beans and rent</dd>
<dt>Revenue Streams</dt><dd>Cups sold</dd>
</dl>
"""
    canvas = exported(run, tmp_path, "kettle", text)
    blocks = canvas["blocks"]
    assert canvas["missing"] == []
    assert blocks["key-partners"]["items"] == ["A coffee roaster"]
    assert blocks["key-activities"]["items"] == ["Roasting", "Pouring"]
    assert blocks["value-propositions"]["paragraphs"] == ["Coffee roasted on the premises."]
    assert blocks["channels"]["items"] == ["The café", "A market stall"]
    assert blocks["channels"]["line"] == 20
    assert blocks["key-resources"]["line"] == 13


def test_a_heading_that_goes_on_after_a_colon_gives_the_block_its_text(
    run: Run, tmp_path: Path
) -> None:
    others = [block for block in GRID_ORDER if block not in ("Customer Segments", "Channels")]
    text = "# Moss & Stone\n\n" + "\n\n".join(
        f"### {block}: {block.split()[-1].lower()} we rely on" for block in others
    )
    text += "\n\n### Customer Segments (CS)\n\n- Gardeners\n"
    text += "\n### Channels see https://example.org/shop\n\n- The shop\n"
    canvas = exported(run, tmp_path, "moss", text)
    partners = canvas["blocks"]["key-partners"]
    assert partners["heading"] == "Key Partners"
    assert partners["paragraphs"] == ["partners we rely on"]
    assert canvas["blocks"]["customer-segments"]["heading"] == "Customer Segments (CS)"
    # A colon inside an address parts no label from its text.
    channels = canvas["blocks"]["channels"]
    assert channels["heading"] == "Channels see https://example.org/shop"
    assert channels["items"] == ["The shop"]


def test_a_course_label_before_a_dash_leaves_the_company_its_name(run: Run, tmp_path: Path) -> None:
    body = "\n\n".join(f"## {block}\n\n- something" for block in GRID_ORDER)
    posts = tmp_path / "posts"
    posts.mkdir()
    titles = {
        "hw3": "Homework 3 — Acme Analytics",
        "lab": "Lab-Grown Leather Co – Week 5",
        "notes": "Apuntes de Emprendimiento — semana 6",
        "pset": "Pset 2: Tiny Farms",
        "labels": "Week 3 – Exercise: Business Model",
        "year": "ACME 2024 — Plan",
    }
    for slug, title in titles.items():
        (posts / f"{slug}.md").write_text(f"# {title}\n\n{body}\n", encoding="utf-8")
    rows = [line.split("\t") for line in ok(run("list", "--posts", str(posts))).stdout.splitlines()]
    names = {slug: name for name, slug, *_rest in rows}
    assert names == {
        "hw3": "Acme Analytics",
        "lab": "Lab-Grown Leather Co",
        "notes": "Notes",
        "pset": "Tiny Farms",
        "labels": "Labels",
        "year": "Year",
    }


def test_a_table_inside_a_block_keeps_its_header_out_of_the_entries(
    run: Run, tmp_path: Path
) -> None:
    body = "\n\n".join(f"## {block}\n\n- something" for block in GRID_ORDER[:-1])
    table = "| Plan | Price |\n|---|---|\n| Solo | £6 |\n| Team | £20 |\n"
    text = f"# Ledgerly\n\n{body}\n\n## Revenue Streams\n\n{table}"
    canvas = exported(run, tmp_path, "ledgerly", text)
    assert canvas["blocks"]["revenue-streams"]["items"] == ["Solo | £6", "Team | £20"]
    shown = ok(run("show", "ledgerly", "revenue", "--posts", str(tmp_path / "posts"))).stdout
    assert "Plan | Price" not in shown
    header = next(line for line in shown.splitlines() if line.startswith("Plan"))
    assert header.split() == ["Plan", "Price"]


def test_a_value_proposition_canvas_is_no_business_model_canvas(run: Run, tmp_path: Path) -> None:
    text = """# Value Proposition Canvas — Pantry Box

## Customer Segment

### Customer Jobs
- Cook on weeknights

### Pains
- No time to shop

## Value Proposition

### Products & Services
- A weekly box of ingredients

### Pain Relievers
- Delivered to the door

### Gain Creators
- Recipes chosen by a cook
"""
    canvas = exported(run, tmp_path, "pantry", text)
    assert canvas["coverage"] == []
    assert canvas["name"] == "Pantry Box"


def test_broken_toggles_and_deep_quotes_lose_nothing(run: Run, tmp_path: Path) -> None:
    unclosed = "<details><summary>Key Partners\n\n- A mill\n\n<h3>Channels</h3><ul><li>Shop"
    canvas = exported(run, tmp_path, "broken", f"# Loose Ends\n\n{unclosed}\n")
    words = json.dumps(canvas, ensure_ascii=False)
    assert "A mill" in words and "Shop" in words
    deep = "\n".join(">" * 40 + f" **{block}:** {block.lower()} here" for block in GRID_ORDER)
    canvas = exported(run, tmp_path, "deep", f"# Deep Co\n\n{deep}\n")
    words = json.dumps(canvas, ensure_ascii=False)
    assert all(f"{block.lower()} here" in words for block in GRID_ORDER)


def test_a_callout_inside_a_block_reads_as_its_title_and_text(run: Run, tmp_path: Path) -> None:
    body = "\n\n".join(f"## {block}\n\n- our {block.lower()}" for block in GRID_ORDER)
    callout = "> [!tip]- Why it works\n> Regulars tell their friends."
    canvas = exported(run, tmp_path, "tipped", f"# Tipped Co\n\n{body}\n\n{callout}\n")
    revenue = canvas["blocks"]["revenue-streams"]
    assert revenue["paragraphs"] == ["Why it works", "Regulars tell their friends."]
