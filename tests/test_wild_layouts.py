"""The `canvas` command on canvases laid out in callouts, quotes, toggles, HTML and tables."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from tests.helpers import Run, ok

NINE = (
    "Key Partners",
    "Key Activities",
    "Key Resources",
    "Value Propositions",
    "Customer Relationships",
    "Channels",
    "Customer Segments",
    "Cost Structure",
    "Revenue Streams",
)


def exported(run: Run, tmp_path: Path, name: str, text: str) -> dict[str, Any]:
    """Write one post and read it back through `canvas export --format json`."""
    posts = tmp_path / "posts"
    posts.mkdir(exist_ok=True)
    (posts / f"{name}.md").write_text(text, encoding="utf-8")
    output = ok(run("export", name, "--posts", str(posts), "--format", "json")).stdout
    (canvas,) = json.loads(output)
    assert isinstance(canvas, dict)
    return canvas


def test_a_heading_that_goes_on_after_a_colon_gives_the_block_its_text(
    run: Run, tmp_path: Path
) -> None:
    others = [block for block in NINE if block != "Customer Segments"]
    text = "# Moss & Stone\n\n" + "\n\n".join(
        f"### {block}: {block.split()[-1].lower()} we rely on" for block in others
    )
    text += "\n\n### Customer Segments (CS)\n\n- Gardeners\n"
    canvas = exported(run, tmp_path, "moss", text)
    partners = canvas["blocks"]["key-partners"]
    assert partners["heading"] == "Key Partners"
    assert partners["paragraphs"] == ["partners we rely on"]
    assert canvas["blocks"]["customer-segments"]["heading"] == "Customer Segments (CS)"


def test_a_course_label_before_a_dash_leaves_the_company_its_name(run: Run, tmp_path: Path) -> None:
    body = "\n\n".join(f"## {block}\n\n- something" for block in NINE)
    posts = tmp_path / "posts"
    posts.mkdir()
    titles = {
        "hw3": "Homework 3 — Acme Analytics",
        "lab": "Lab-Grown Leather Co – Week 5",
        "notes": "Apuntes de Emprendimiento — semana 6",
    }
    for slug, title in titles.items():
        (posts / f"{slug}.md").write_text(f"# {title}\n\n{body}\n", encoding="utf-8")
    rows = [line.split("\t") for line in ok(run("list", "--posts", str(posts))).stdout.splitlines()]
    names = {slug: name for name, slug, *_rest in rows}
    assert names == {"hw3": "Acme Analytics", "lab": "Lab-Grown Leather Co", "notes": "Notes"}


def test_a_table_inside_a_block_keeps_its_header_out_of_the_entries(
    run: Run, tmp_path: Path
) -> None:
    body = "\n\n".join(f"## {block}\n\n- something" for block in NINE[:-1])
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
