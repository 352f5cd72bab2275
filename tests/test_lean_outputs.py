"""Lean Canvas blocks in every output: export, grid, list, stats, similar, search, compare."""

from __future__ import annotations

import csv
import io
import json
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

from canvascli.model import LEAN_LAYOUT, Canvas, LeanBlock, block_title
from canvascli.read.canvas import read_canvas, read_canvases
from canvascli.render.export import to_markdown
from canvascli.store.files import read_post
from tests.helpers import Run, ok

Golden = Callable[[str, str], None]
WILD = Path(__file__).resolve().parent / "data" / "wild"
WILD_CANVASES = [
    pytest.param(path, id=path.stem)
    for path in sorted(WILD.glob("*.md"))
    if read_post(path, WILD).canvas.all_blocks
]
LEAN = "lean_canvas_numbered_in_filling_order"
LEAN_ONLY_KEYS = [block.key for block in LeanBlock]


@pytest.fixture
def library(tmp_path: Path) -> Path:
    """Two Lean Canvases, a canvas with blocks of both kinds and the two bundled posts."""
    folder = tmp_path / "library"
    folder.mkdir()
    for name in (f"{LEAN}.md", "lean_canvas.md", "mixed_lean_and_business.md"):
        shutil.copy(WILD / name, folder / name)
    for post in (Path(__file__).resolve().parent.parent / "posts").glob("*.md"):
        shutil.copy(post, folder / post.name)
    return folder


def essence(canvas: Canvas) -> tuple[object, ...]:
    """What a canvas says: its name, kind, blocks of both kinds and extra sections."""
    return (
        canvas.name,
        canvas.kind,
        [(block, section.entries) for block, section in canvas.all_blocks.items()],
        [(section.heading, section.entries) for section in canvas.extras],
    )


@pytest.mark.parametrize("path", WILD_CANVASES)
def test_markdown_export_of_every_wild_canvas_reads_back_as_the_same_canvas(path: Path) -> None:
    canvas = read_post(path, WILD).canvas
    exported = to_markdown(canvas)
    again = read_canvas(exported, path.name)
    assert essence(again) == essence(canvas), exported
    assert again.words == canvas.words
    assert to_markdown(again) == exported, "a second export changes nothing"


def test_markdown_export_writes_a_lean_canvas_in_its_own_order_and_titles(
    run: Run, library: Path
) -> None:
    exported = ok(run("export", LEAN, "--posts", str(library), "--format", "markdown")).stdout
    headings = [line.removeprefix("### ") for line in exported.splitlines() if line[:4] == "### "]
    lean_titles = [block_title(block, "lean") for block in LEAN_LAYOUT]
    assert lean_titles[2] == "Unique Value Proposition"
    assert headings == [*lean_titles, "Riskiest assumptions"]
    assert '\n  * "I asked twice and still lost the fiddle-leaf fig"\n' in exported


def test_csv_export_has_a_row_for_every_entry_of_every_block_of_both_kinds(
    run: Run, library: Path
) -> None:
    data = ok(run("export", LEAN, "mixed_lean_and_business", "--posts", str(library), "-f", "csv"))
    rows = list(csv.reader(io.StringIO(data.stdout, newline="")))[1:]
    lean = [row for row in rows if row[1] == LEAN]
    assert list(dict.fromkeys(row[2] for row in lean)) == [block.key for block in LEAN_LAYOUT]
    canvas = read_post(library / f"{LEAN}.md", library).canvas
    assert len(lean) == sum(len(section.entries) for section in canvas.all_blocks.values())
    problem = [row[3:] for row in lean if row[2] == "problem"]
    assert problem[0] == ["paragraph", "1", "Plant owners who travel come back to dead plants."]
    assert problem[-1] == [
        "item",
        "5",
        "Existing alternatives: self-watering spikes, a friend with a key",
    ]
    mixed = {row[2] for row in rows if row[1] == "mixed_lean_and_business"}
    assert {"problem", "solution", "key-metrics", "key-partners", "key-activities"} <= mixed


def test_json_export_carries_the_lean_blocks(run: Run, library: Path) -> None:
    (exported,) = json.loads(ok(run("export", LEAN, "--posts", str(library))).stdout)
    assert list(exported["lean_blocks"]) == LEAN_ONLY_KEYS
    assert exported["lean_blocks"]["unfair-advantage"]["paragraphs"] == [
        "Care cards for 3,000 plant species written with the city's botanical society."
    ]


@pytest.mark.parametrize("columns", [80, 120])
def test_lean_grid_matches_the_golden_file(
    run: Run, library: Path, golden: Golden, columns: int
) -> None:
    result = ok(run("show", LEAN, "--grid", "--posts", str(library), env={"COLUMNS": str(columns)}))
    golden(f"grid_lean_{columns}.txt", result.stdout)


def test_lean_grid_draws_ash_mauryas_layout_with_no_missing_box(run: Run, library: Path) -> None:
    output = ok(run("show", LEAN, "--grid", "--posts", str(library), env={"COLUMNS": "120"})).stdout
    assert "(missing)" not in output
    lines = output.splitlines()
    assert lines[0] == "Fernway  lean_canvas_numbered_in_filling_order  Lean Canvas"
    titles = [cell.strip() for cell in lines[2].split("│")[1:-1]]
    assert titles == [
        "Problem",
        "Solution",
        "Unique Value",
        "Unfair Advantage",
        "Customer Segments",
    ]
    lower = next(line for line in lines[3:] if "Key Metrics" in line)
    assert [cell.strip() for cell in lower.split("│")[1:-1]][1:4:2] == ["Key Metrics", "Channels"]
    bottom = next(line for line in lines if "Cost Structure" in line)
    assert [cell.strip() for cell in bottom.split("│")[1:-1]] == [
        "Cost Structure",
        "Revenue Streams",
    ]


def test_grid_of_a_mixed_canvas_draws_the_blocks_its_grid_has_no_place_for(
    run: Run, library: Path
) -> None:
    wide = {"COLUMNS": "200"}
    output = ok(
        run("show", "mixed_lean_and_business", "--grid", "--posts", str(library), env=wide)
    ).stdout
    for text in (
        "Takeaway restaurants throw away",
        "Return rate;",
        "The council's waste team",
        "Collecting, washing",
    ):
        assert text in output


def test_list_counts_a_lean_canvas_against_its_own_blocks(run: Run, library: Path) -> None:
    rows = ok(run("list", "--posts", str(library))).stdout.splitlines()
    coverage = {row.split("\t")[1]: row.split("\t")[2] for row in rows}
    assert coverage == {
        LEAN: "9/9",
        "lean_canvas": "9/9",
        "mixed_lean_and_business": "10/13",
        "memsql": "9/9",
        "violin-memory": "9/9",
    }
    table = ok(run("list", "--posts", str(library), terminal=True)).stdout
    assert "●●●●●●●●● 9/9" in table
    assert "lean: PR SO VP UA CS KM CH C$ R$" in table


def test_list_json_names_the_kind_and_counts_against_it(run: Run, library: Path) -> None:
    summaries = json.loads(ok(run("list", "--posts", str(library), "--json")).stdout)
    by_slug = {summary["slug"]: summary for summary in summaries}
    lean = by_slug[LEAN]
    assert lean["kind"] == "lean"
    assert lean["coverage"] == [block.key for block in LEAN_LAYOUT]
    assert lean["missing"] == []
    mixed = by_slug["mixed_lean_and_business"]
    assert mixed["kind"] == "mixed"
    assert mixed["missing"] == ["customer-relationships", "key-resources", "unfair-advantage"]
    assert by_slug["memsql"]["kind"] == "business"


def test_stats_counts_lean_blocks_among_the_canvases_that_have_them(
    run: Run, library: Path
) -> None:
    data = json.loads(ok(run("stats", "--posts", str(library), "--json")).stdout)
    coverage = {item["block"]: item for item in data["coverage"]}
    assert coverage["problem"] == {
        "block": "problem",
        "title": "Problem",
        "present": 3,
        "of": 3,
        "missing": [],
    }
    assert coverage["unfair-advantage"]["missing"] == ["mixed_lean_and_business"]
    assert coverage["key-partners"]["of"] == 3
    assert coverage["customer-segments"]["present"] == 5
    problems = [term["key"] for term in data["frequent"]["problem"]]
    assert problems, data["frequent"]


def test_stats_table_has_a_column_for_each_lean_block(run: Run, library: Path) -> None:
    output = ok(run("stats", "--posts", str(library), env={"COLUMNS": "140"})).stdout
    header = next(line for line in output.splitlines() if line.strip().startswith("Company"))
    assert header.split()[1:] == [
        *("CS", "VP", "CH", "CR", "R$", "KR", "KA", "KP", "C$"),
        *("PR", "SO", "UA", "KM", "Blocks"),
    ]
    fernway = next(line for line in output.splitlines() if line.strip().startswith("Fernway"))
    assert fernway.split()[-1] == "9/9"


def test_similar_uses_the_lean_blocks(run: Run, library: Path) -> None:
    data = json.loads(
        ok(run("similar", LEAN, "--posts", str(library), "--section", "problem", "--json")).stdout
    )
    assert data["blocks"] == ["problem"]
    scores = {found["slug"]: found["score"] for found in data["similar"]}
    assert scores["lean_canvas"] > 0 or scores["mixed_lean_and_business"] > 0
    everything = json.loads(ok(run("similar", LEAN, "--posts", str(library), "--json")).stdout)
    assert set(LEAN_ONLY_KEYS) <= set(everything["blocks"])


def test_search_finds_text_only_a_lean_block_holds(run: Run, library: Path) -> None:
    data = json.loads(ok(run("search", "botanical", "--posts", str(library), "--json")).stdout)
    hits = [(company["slug"], hit["key"]) for company in data for hit in company["hits"]]
    assert hits == [(LEAN, "unfair-advantage")]


def test_compare_shows_the_blocks_only_one_kind_has(run: Run, library: Path) -> None:
    output = ok(
        run("compare", LEAN, "memsql", "--posts", str(library), env={"COLUMNS": "160"})
    ).stdout
    assert "(Unique Value" in output
    for text in ("│ Unfair ", "Care cards for 3,000", "│ Key Partners ", "Tableau"):
        assert text in output


SEVERAL_CANVASES = [
    pytest.param(path, number, id=f"{path.stem}-{number}")
    for path in sorted(WILD.glob("*.md"))
    for number in range(1, len(read_post(path, WILD).canvases))
]


@pytest.mark.parametrize(("path", "number"), SEVERAL_CANVASES)
def test_markdown_export_of_a_later_canvas_of_a_post_reads_back_as_that_canvas(
    path: Path, number: int
) -> None:
    canvas = read_post(path, WILD).canvases[number]
    exported = to_markdown(canvas)
    (again,) = read_canvases(exported, f"{canvas.slug}.md")
    assert essence(again) == essence(canvas), exported
    assert again.slug == canvas.slug
    assert to_markdown(again) == exported, "a second export changes nothing"


def lean_post(headings: list[str]) -> str:
    return "---\ntitle: Sitterly\n---\n\n" + "".join(
        f"## {heading}\n\n- about {heading.lower()}\n\n" for heading in headings
    )


SHARED = ["Customer Segments", "Channels", "Revenue Streams", "Cost Structure"]


@pytest.mark.parametrize(
    "lean_only",
    [
        ["Problem", "Solution", "Key Metrics"],
        ["Existing Alternatives", "Solution", "Unfair Advantage"],
        ["Existing Alternatives", "Early Adopters", "High-Level Concept"],
    ],
)
def test_three_lean_only_labels_beside_shared_blocks_make_a_lean_canvas_kept_everywhere(
    run: Run, tmp_path: Path, lean_only: list[str]
) -> None:
    (tmp_path / "sitterly.md").write_text(lean_post([*lean_only, *SHARED]), encoding="utf-8")
    posts = ("--posts", str(tmp_path))
    (record,) = json.loads(ok(run("list", "--json", *posts)).stdout)
    assert record["kind"] == "lean"
    shown = ok(run("show", "sitterly", *posts)).stdout
    exported = json.loads(ok(run("export", "sitterly", "--format", "json", *posts)).stdout)
    written = json.dumps(exported)
    for heading in lean_only:
        assert f"about {heading.lower()}" in shown
        assert f"about {heading.lower()}" in written


@pytest.mark.parametrize("section", ["Problem", "Existing Alternatives"])
def test_a_business_model_canvas_with_a_problem_section_stays_one(section: str) -> None:
    nine = [block_title(block) for block in LEAN_LAYOUT if not isinstance(block, LeanBlock)]
    business_only = ["Key Partners", "Key Activities", "Key Resources", "Customer Relationships"]
    canvas = read_canvas(lean_post(["Overview", section, *nine, *business_only]), "bmc.md")
    assert canvas.kind in ("business", "mixed")
    assert LeanBlock.SOLUTION not in canvas.all_blocks
    if section == "Existing Alternatives":
        assert canvas.kind == "business"
