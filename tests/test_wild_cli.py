"""The `canvas` command on canvases written the many ways people write them, Lean Canvases too."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest

from canvascli.model import Block, layout_of
from canvascli.read.canvas import slug_from_path
from tests.helpers import CommandResult, Process, Run, ok

WILD = Path(__file__).resolve().parent / "data" / "wild"
EXPECTED = json.loads((WILD / "expected.json").read_text(encoding="utf-8"))


def wild(run: Run, *args: str, terminal: bool = False) -> CommandResult:
    return ok(run(*args, "--posts", str(WILD), terminal=terminal))


def rule_titles(output: str) -> list[str]:
    """The titles of the `───` rules that head each block in `canvas show`."""
    return [line.split(" ─")[0] for line in output.splitlines() if line.endswith("───")]


EXPLAINERS = {
    "course_chapter_canvas_blocks",
    "explainer_what_is_the_canvas",
    "template_placeholders",
}


def test_list_counts_the_blocks_found_in_every_form_against_its_own_kind(run: Run) -> None:
    rows = [line.split("\t") for line in wild(run, "list").stdout.splitlines()]
    coverage = {slug: blocks for _name, slug, blocks, _words in rows}
    assert len(coverage) == len(EXPECTED) - len(EXPLAINERS)
    for name, expected in EXPECTED.items():
        if name.removesuffix(".md") in EXPLAINERS:
            continue
        own = {block.key for block in layout_of(expected["kind"])}
        found = {row[1] for row in expected["blocks"]} & own
        assert coverage[slug_from_path(name)] == f"{len(found)}/{len(own)}", name
    assert coverage["lean_canvas"] == "9/9"
    assert coverage["mixed_lean_and_business"] == "10/13"


def test_explainers_and_templates_are_no_companies(run: Run) -> None:
    listed = {row["slug"] for row in json.loads(wild(run, "list", "--json").stdout)}
    assert not listed & EXPLAINERS
    assert json.loads(wild(run, "stats", "--json").stdout)["companies"] == len(listed)
    similar = json.loads(wild(run, "similar", "lean_canvas", "-n", "100", "--json").stdout)
    ranked = {found["slug"] for found in similar["similar"]}
    assert ranked == listed - {"lean_canvas"}
    assert "partly_filled_canvas" in listed
    report = run("check", str(WILD)).stdout.splitlines()
    flagged = {Path(line.split(":")[0]).stem for line in report if " CV207 " in line}
    assert flagged == EXPLAINERS
    shown = wild(run, "show", "template_placeholders", "--no-pager")
    assert "is no company's canvas" in shown.stderr
    assert "(missing)" not in shown.stdout
    assert "[List your customers' top three problems]" in shown.stdout


def test_a_label_naming_no_block_is_shown_apart_from_the_block_before_it(run: Run) -> None:
    output = wild(run, "show", "bold_labels_unknown_label_ends_block", "--no-pager").stdout
    titles = rule_titles(output)
    assert titles.index("Benefits") > titles.index("Cost Structure")
    propositions = output.split("Value Propositions ─")[1].split("─\n", 1)[1].split("\n\n")[0]
    assert "Less methane" not in propositions


def test_show_a_lean_canvas_in_its_own_order(run: Run) -> None:
    output = wild(run, "show", "lean_canvas", "--no-pager").stdout
    assert output.splitlines()[0] == "Tandem Tutor  lean_canvas  Lean Canvas"
    assert rule_titles(output) == [
        "Problem",
        "Solution",
        "Unique Value Proposition",
        "Unfair Advantage",
        "Customer Segments",
        "Key Metrics",
        "Channels",
        "Cost Structure",
        "Revenue Streams",
    ]


def test_show_a_business_canvas_read_from_bold_labels(run: Run) -> None:
    output = wild(run, "show", "bold_labels_colon_lists", "--no-pager").stdout
    assert output.splitlines()[0] == "Pantry Swap  bold_labels_colon_lists"
    assert rule_titles(output)[:9] == [block.title for block in Block]


def test_show_json_has_the_kind_and_the_lean_blocks(run: Run) -> None:
    lean = json.loads(wild(run, "show", "lean_canvas", "--json").stdout)
    assert lean["kind"] == "lean"
    assert list(lean["lean_blocks"]) == ["problem", "solution", "unfair-advantage", "key-metrics"]
    assert list(lean["blocks"]) == [
        "customer-segments",
        "value-propositions",
        "channels",
        "revenue-streams",
        "cost-structure",
    ]
    business = json.loads(wild(run, "show", "spanish", "--json").stdout)
    assert business["kind"] == "business"
    assert business["lean_blocks"] == {}
    assert len(business["blocks"]) == 9


def test_show_one_lean_block_by_key_or_alias(run: Run) -> None:
    data = json.loads(wild(run, "show", "lean_canvas", "metrics", "--json").stdout)
    assert list(data["lean_blocks"]) == ["key-metrics"]
    assert data["blocks"] == {}
    output = wild(run, "show", "lean_canvas", "unfair-advantage", "--no-pager").stdout
    assert "A matching model trained on 40,000 completed exchanges." in output


def test_lean_block_prefixes_leave_the_nine_blocks_as_they_were(run: Run) -> None:
    result = run("show", "lean_canvas", "key", "--posts", str(WILD))
    assert result.exit_code == 2
    assert "block 'key' is ambiguous: key-activities, key-partners, key-resources" in result.stderr
    data = json.loads(wild(run, "show", "lean_canvas", "key-m", "--json").stdout)
    assert list(data["lean_blocks"]) == ["key-metrics"]


def test_show_warns_about_a_lean_block_a_business_canvas_lacks(run: Run) -> None:
    result = wild(run, "show", "spanish", "problem", "--no-pager")
    assert "spanish has no Problem block" in result.stderr


def test_compare_lean_with_business_lines_up_shared_blocks_first(run: Run) -> None:
    data = json.loads(wild(run, "compare", "lean_canvas", "atx_h2_title_phrase", "--json").stdout)
    assert data["blocks"] == [
        "value-propositions",
        "customer-segments",
        "channels",
        "cost-structure",
        "revenue-streams",
        "customer-relationships",
        "key-resources",
        "key-activities",
        "key-partners",
        "problem",
        "solution",
        "unfair-advantage",
        "key-metrics",
    ]
    assert [company["kind"] for company in data["companies"]] == ["lean", "business"]


def test_compare_two_lean_canvases_uses_the_lean_layout(run: Run) -> None:
    data = json.loads(wild(run, "compare", "lean_canvas", "lean_canvas_bold", "--json").stdout)
    assert data["blocks"][:4] == ["problem", "solution", "value-propositions", "unfair-advantage"]
    assert len(data["blocks"]) == 9


def test_compare_lean_with_business_matches_the_golden_file(
    run: Run, golden: Callable[[str, str], None]
) -> None:
    result = wild(
        run, "compare", "lean_canvas", "atx_h2_title_phrase", "-s", "uvp", "-s", "segments"
    )
    golden("compare_lean_business_100.txt", result.stdout)


def test_markdown_of_a_table_block_is_its_table(run: Run) -> None:
    output = wild(run, "show", "pipe_table_first_column", "channels", "--markdown").stdout
    assert output == (
        "| Channels | Couriers choose the locker at checkout; posters in the shop |\n"
    )


def test_sections_names_the_lean_blocks(run: Run) -> None:
    table = ok(run("sections", terminal=True)).stdout
    assert "Lean Canvas blocks, also accepted: problem, solution, unfair-advantage," in table


@pytest.mark.e2e
def test_installed_command_reads_an_html_table_canvas(canvas_process: Process) -> None:
    result = canvas_process(
        "show", "html_table_rowspan", "channels", "--posts", str(WILD), "--no-pager"
    )
    assert result.returncode == 0, result.stderr
    lines = [line.rstrip() for line in result.stdout.splitlines()]
    assert lines[0] == "Solstice Solar Co-op  html_table_rowspan"
    assert lines[2].startswith("Channels ───")
    assert lines[3:] == ["• Parish newsletters", "• Share-offer evenings"]


def test_check_names_each_plain_words_heading_and_the_block_it_became(run: Run) -> None:
    paths = [
        str(WILD / f"{stem}.md")
        for stem in (
            "paraphrase_headings_business",
            "paraphrase_lean_numbered_h3",
            "paraphrase_block_already_labelled",
            "paraphrase_bold_labels",
        )
    ]
    report = run("check", *paths).stdout.splitlines()
    guesses = [line.split(": CV206 ")[1] for line in report if " CV206 " in line]
    # Files in path order, findings in line order within each.
    assert guesses == [
        "label 'Who helps us' read as block 'Key Partners'",
        "label 'Money going out' read as block 'Cost Structure'",
        "label 'How we reach our customers' read as block 'Channels'",
        "label 'Money coming in' read as block 'Revenue Streams'",
        "label '8. The numbers we watch' read as block 'Key Metrics'",
        "label '9. Our unfair edge' read as block 'Unfair Advantage'",
    ]
