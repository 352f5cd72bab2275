"""The `canvas` command on canvases written the many ways people write them, Lean Canvases too."""

from __future__ import annotations

import json
import os
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from benchmarks.fidelity import expected_canvases
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
    "app_guide_description_key_questions",
    "chinese_numbered_block_definitions_no_canvas",
    "course_chapter_canvas_blocks",
    "explainer_what_is_the_canvas",
    "french_grid_lesson_questions",
    "german_block_definitions_examples",
    "german_template_worked_example",
    "grid_template_questions",
    "japanese_lean_template_fullwidth_questions",
    "lean_html_template_box_hints",
    "lean_template_half_instructions",
    "lean_worksheet_blank_fields",
    "lean_template_blank_lines_to_fill",
    "lecture_notes_block_definitions",
    "lesson_notes_textbook_kinds_per_block",
    "outliner_lean_template_embeds",
    "portuguese_block_descriptions",
    "portuguese_canvas_parts_described",
    "portuguese_lecture_summary_canvas_concept",
    "russian_html_template_questions",
    "spanish_class_notes_block_definitions",
    "spanish_glossary_terms_restate_block_names",
    "swedish_lesson_nine_building_blocks",
    "template_italic_prompts_blank",
    "template_placeholders",
}


def test_list_counts_the_blocks_found_in_every_form_against_its_own_kind(run: Run) -> None:
    rows = [line.split("\t") for line in wild(run, "list").stdout.splitlines()]
    coverage = {slug: blocks for _name, slug, blocks, _words in rows}
    canvases = 0
    for name, expected in EXPECTED.items():
        if name.removesuffix(".md") in EXPLAINERS:
            continue
        for one in expected_canvases(expected):
            own = {block.key for block in layout_of(one["kind"])}
            # A heading with nothing under it (no first text) is not counted as written.
            found = {row[1] for row in one["blocks"] if row[2] is not None} & own
            slug = one.get("slug", slug_from_path(name))
            assert coverage[slug] == f"{len(found)}/{len(own)}", name
            canvases += 1
    assert len(coverage) == canvases
    assert coverage["lean_canvas"] == "9/9"
    assert coverage["mixed_lean_and_business"] == "10/13"


def test_explainers_and_templates_are_no_companies(run: Run) -> None:
    listed = {row["slug"] for row in json.loads(wild(run, "list", "--json").stdout)}
    assert not listed & EXPLAINERS
    assert json.loads(wild(run, "stats", "--json").stdout)["companies"] == len(listed)
    similar = json.loads(wild(run, "similar", "lean_canvas", "-n", "1000", "--json").stdout)
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


def test_check_keeps_a_reports_block_headings_out_of_the_canvas_its_grid_gives(run: Run) -> None:
    paths = [
        str(WILD / f"{stem}.md")
        for stem in (
            "report_numbered_sections_after_canvas_table",
            "summary_table_before_written_canvas",
        )
    ]
    report = run("check", "--all", *paths).stdout.splitlines()
    assert not [line for line in report if " CV202 " in line]
    spoken_of = [line.split(": CV208 ")[1] for line in report if "speaks of block" in line]
    assert spoken_of == [
        "heading '5. Customer Segments in detail' speaks of block 'Customer Segments' "
        "(line 20), kept as an extra section",
        "heading '6. Revenue Model' speaks of block 'Revenue Streams' (line 22), "
        "kept as an extra section",
    ]
    listed = {row["slug"] for row in json.loads(wild(run, "list", "--json").stdout)}
    assert "summary_table_before_written_canvas-2" not in listed


# A post that holds several different canvases.

LATER_CANVASES = {
    "two_companies_one_post.md": ["lunch-locker-co"],
    "today_and_target_canvases.md": ["today_and_target_canvases-target-2027"],
    "english_then_spanish.md": ["english_then_spanish-español"],
}


def test_every_canvas_of_a_post_is_listed_with_its_own_name_and_slug(run: Run) -> None:
    listed = {row["slug"]: row for row in json.loads(wild(run, "list", "--json").stdout)}
    for name, slugs in LATER_CANVASES.items():
        assert [one["slug"] for one in EXPECTED[name]["more"]] == slugs
        for slug in [slug_from_path(name), *slugs]:
            assert listed[slug]["source"].endswith(name)
            assert listed[slug]["coverage"] == [block.key for block in Block]
    assert listed["two_companies_one_post"]["name"] == "Cargo Bento"
    assert listed["lunch-locker-co"]["name"] == "Lunch Locker Co"
    assert listed["today_and_target_canvases"]["name"] == "Millbrook Bakery (Today)"
    assert listed["english_then_spanish-español"]["name"] == "Casa Verde Hostel (Español)"
    assert "one_canvas_sub_notes_repeat_labels-2" not in listed


def test_show_and_compare_a_later_canvas_by_its_slug(run: Run) -> None:
    later = wild(run, "show", "lunch-locker-co", "--no-pager").stdout
    assert later.splitlines()[0] == "Lunch Locker Co  lunch-locker-co"
    assert "Shift workers at the hospital" in later
    assert "Office workers in the city centre" not in later
    first = wild(run, "show", "two_companies_one_post", "--no-pager").stdout
    assert "Office workers in the city centre" in first
    assert "Shift workers at the hospital" not in first
    compared = json.loads(
        wild(run, "compare", "two_companies_one_post", "lunch-locker-co", "--json").stdout
    )
    assert [company["name"] for company in compared["companies"]] == [
        "Cargo Bento",
        "Lunch Locker Co",
    ]


def test_a_later_canvas_is_searched_exported_and_checked_as_itself(
    run: Run, tmp_path: Path
) -> None:
    hits = json.loads(wild(run, "search", "heated lockers", "--json").stdout)
    assert [company["slug"] for company in hits] == ["lunch-locker-co"]
    ok(run("export", "--format", "markdown", "-o", str(tmp_path / "out"), "--posts", str(WILD)))
    exported = tmp_path / "out" / "lunch-locker-co.md"
    assert "Shift workers at the hospital" in exported.read_text(encoding="utf-8")
    first = (tmp_path / "out" / "two_companies_one_post.md").read_text(encoding="utf-8")
    assert "Shift workers at the hospital" not in first
    post = tmp_path / "posts" / "two_companies_one_post.md"
    post.parent.mkdir()
    text = (WILD / "two_companies_one_post.md").read_text(encoding="utf-8")
    post.write_text(text.replace("The hospital staff app and posters in the canteen.\n", ""))
    report = run("check", str(post)).stdout
    assert "one_post.md:47:1: CV204 canvas 'lunch-locker-co': block 'Channels' is empty" in report
    assert "CV202" not in report


def test_a_later_canvas_never_takes_another_posts_slug(run: Run, tmp_path: Path) -> None:
    library = tmp_path / "posts"
    library.mkdir()
    for name in ("two_companies_one_post.md", "spanish.md"):
        (library / name).write_bytes((WILD / name).read_bytes())
    (library / "lunch-locker-co.md").write_bytes((WILD / "spanish.md").read_bytes())
    result = ok(run("list", "--json", "--posts", str(library)))
    listed = {row["slug"]: row["name"] for row in json.loads(result.stdout)}
    assert listed["lunch-locker-co-2"] == "Lunch Locker Co"
    assert listed["lunch-locker-co"] == listed["spanish"]
    assert "CV301" not in result.stderr
    shown = ok(run("show", "lunch-locker-co-2", "--json", "--posts", str(library)))
    assert json.loads(shown.stdout)["slug"] == "lunch-locker-co-2"
    hits = ok(run("search", "heated lockers", "--json", "--posts", str(library)))
    assert [company["slug"] for company in json.loads(hits.stdout)] == ["lunch-locker-co-2"]


BUSINESS_TITLES = [block.title for block in Block]


def bikes_then_scooters(folder: Path) -> Path:
    """A post of a company's canvas today, then a Lean Canvas titled with another name."""
    lean = [block.title for block in layout_of("lean")]
    today = "".join(
        f"### {title}\n\n- {title.lower()} of the bikes\n\n" for title in BUSINESS_TITLES
    )
    plan = "".join(f"### {title}\n\n- {title.lower()} of the scooters\n\n" for title in lean)
    folder.mkdir()
    post = folder / "harbour.md"
    text = f"# Harbour Bikes\n\n## Today\n\n{today}## Lean Canvas: Harbour Scooters\n\n{plan}"
    post.write_text(text, encoding="utf-8")
    return folder


def canvases_read(run: Run, library: Path) -> dict[str, tuple[object, ...]]:
    """Each canvas of a library by slug: its name, kind and the entries of its blocks."""
    exported = json.loads(ok(run("export", "--format", "json", "--posts", str(library))).stdout)
    return {
        canvas["slug"]: (
            canvas["name"],
            canvas["kind"],
            {key: block["entries"] for key, block in canvas["blocks"].items()},
            {key: block["entries"] for key, block in canvas["lean_blocks"].items()},
        )
        for canvas in exported
    }


def test_a_later_lean_canvas_is_its_own_company(run: Run, tmp_path: Path) -> None:
    library = bikes_then_scooters(tmp_path / "posts")
    posts = ("--posts", str(library))
    listed = {row["slug"]: row for row in json.loads(ok(run("list", "--json", *posts)).stdout)}
    assert {slug: (row["name"], row["kind"]) for slug, row in listed.items()} == {
        "harbour": ("Harbour Bikes (Today)", "business"),
        "harbour-scooters": ("Harbour Scooters", "lean"),
    }

    def slugs(*args: str) -> list[str]:
        return [row["slug"] for row in json.loads(ok(run(*args, "--json", *posts)).stdout)]

    assert slugs("list", "--has", "key-metrics") == ["harbour-scooters"]
    assert slugs("list", "--has", "key-partners") == ["harbour"]
    assert slugs("list", "--missing", "problem") == []
    grid = ok(run("show", "harbour-scooters", "--grid", "--width", "100", *posts)).stdout
    assert grid.splitlines()[0].endswith("Lean Canvas")
    assert "Unfair Advantage" in grid and "Key Partners" not in grid
    assert json.loads(ok(run("stats", "--json", *posts)).stdout)["companies"] == 2
    similar = json.loads(ok(run("similar", "harbour", "--json", *posts)).stdout)["similar"]
    assert [company["slug"] for company in similar] == ["harbour-scooters"]


@pytest.mark.parametrize("folder", ["wild", "later_lean"])
def test_every_canvas_exported_as_markdown_reads_back_the_same(
    folder: str, run: Run, tmp_path: Path
) -> None:
    library = WILD if folder == "wild" else bikes_then_scooters(tmp_path / "posts")
    out = tmp_path / "out"
    ok(run("export", "--format", "markdown", "-o", str(out), "--posts", str(library)))
    assert canvases_read(run, out) == canvases_read(run, library)


def every_answer(run: Run, library: Path, *extra: str) -> list[str]:
    """What each command says of the library, the index used or not (`extra`)."""
    commands = [
        ("list", "--json"),
        ("stats", "--json"),
        ("search", "bread", "--json"),
        ("similar", "today_and_target_canvases", "--json"),
        ("export", "--format", "csv"),
    ]
    listed = json.loads(ok(run("list", "--json", "--posts", str(library), *extra)).stdout)
    commands += [("show", row["slug"], "--json") for row in listed]
    return [ok(run(*command, "--posts", str(library), *extra)).stdout for command in commands]


def test_a_post_edited_from_one_canvas_to_two_and_back_reads_as_without_the_index(
    run: Run, tmp_path: Path
) -> None:
    library = tmp_path / "posts"
    library.mkdir()
    for name in ("spanish.md", "lean_canvas.md", "german.md"):
        (library / name).write_bytes((WILD / name).read_bytes())
    post = library / "today_and_target_canvases.md"
    both = (WILD / "today_and_target_canvases.md").read_text(encoding="utf-8")
    today = both.split("## Target 2027")[0]
    for round_number, text in enumerate([today, both, today, both]):
        post.write_text(text, encoding="utf-8")
        # Each edit a second apart, so that no two versions share a modification time.
        stamp = time.time() - 100 + round_number
        os.utime(post, (stamp, stamp))
        warm = every_answer(run, library)
        assert every_answer(run, library) == warm
        assert warm == every_answer(run, library, "--no-cache"), round_number
        slugs = [row["slug"] for row in json.loads(warm[0])]
        assert ("today_and_target_canvases-target-2027" in slugs) == (text == both)
