"""Tests of `read_canvases` on canvases written the many ways people write them (wild folder)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import NotRequired, TypedDict

import pytest

from benchmarks.fidelity import block_rows, expected_canvases
from canvascli.model import LEAN_LAYOUT, Block, Canvas, Entry, LeanBlock, block_title
from canvascli.read.canvas import read_canvases, slug_from_path
from canvascli.store.files import read_post
from tests.helpers import GRID_ORDER

WILD = Path(__file__).resolve().parent / "data" / "wild"


class Expectation(TypedDict):
    name: str
    kind: str
    # One row per block section in document order: label as written, block key,
    # first entry and last entry (None for an empty block).
    blocks: list[tuple[str, str, str | None, str | None]]
    extras: list[str]
    # A document that holds several canvases: the expectation of each after the first.
    more: NotRequired[list[LaterExpectation]]


class LaterExpectation(TypedDict):
    slug: str
    name: str
    kind: str
    blocks: list[tuple[str, str, str | None, str | None]]
    extras: list[str]


EXPECTED: dict[str, Expectation] = json.loads((WILD / "expected.json").read_text(encoding="utf-8"))
NAMES = [pytest.param(name, id=name.removesuffix(".md")) for name in sorted(EXPECTED)]
WITHOUT_CANVAS = [name for name, expected in EXPECTED.items() if not expected["blocks"]]


def read(name: str) -> str:
    # Bytes, not read_text(): universal newlines would hide the CRLF fixture's line endings.
    return (WILD / name).read_bytes().decode("utf-8")


def parse(name: str) -> Canvas:
    return read_post(WILD / name, WILD).canvas


def parse_all(name: str) -> tuple[Canvas, ...]:
    return read_post(WILD / name, WILD).canvases


SEVERAL = [name for name, expected in EXPECTED.items() if "more" in expected]


def test_every_wild_file_has_an_expectation() -> None:
    assert {path.name for path in WILD.glob("*.md")} == set(EXPECTED)
    assert len(EXPECTED) >= 25


@pytest.mark.parametrize("name", NAMES)
def test_block_mapping(name: str) -> None:
    expected = [
        [tuple(row) for row in one["blocks"]] for one in expected_canvases(dict(EXPECTED[name]))
    ]
    assert [block_rows(canvas) for canvas in parse_all(name)] == expected


@pytest.mark.parametrize("name", NAMES)
def test_company_name_slug_kind_and_extras(name: str) -> None:
    canvases = parse_all(name)
    expected = expected_canvases(dict(EXPECTED[name]))
    assert len(canvases) == len(expected)
    for canvas, one in zip(canvases, expected, strict=True):
        assert canvas.name == one["name"]
        assert canvas.slug == one.get("slug", slug_from_path(name))
        assert canvas.kind == one["kind"]
        assert [extra.heading for extra in canvas.extras] == one["extras"]


@pytest.mark.parametrize("name", NAMES)
def test_each_block_points_at_the_line_of_its_label(name: str) -> None:
    canvas = parse(name)
    lines = read(name).splitlines()
    for section in canvas.sections:
        if section.block is not None:
            # A label drawn in a box may take two lines: `VALUE` over `PROPOSITIONS`.
            around = " ".join(lines[section.line - 1 : section.line + 1])
            first_line = lines[section.line - 1]
            assert section.heading in first_line or (
                section.heading.split()[0] in first_line
                and all(word in around for word in section.heading.split())
            ), (section.heading, section.line)
            assert " ".join(section.heading.split()) in " ".join(section.markdown.split())


@pytest.mark.parametrize("name", NAMES)
def test_record_round_trip_keeps_every_section(name: str) -> None:
    for canvas in parse_all(name):
        assert Canvas.from_record(json.loads(json.dumps(canvas.to_record()))) == canvas


def test_recognised_blocks_over_the_collection() -> None:
    """Recognised / present blocks over every canvas, and none invented where there is none."""
    present = recognised = 0
    for name, expected in EXPECTED.items():
        canvases = parse_all(name)
        for number, one in enumerate(expected_canvases(dict(expected))):
            wanted = [(row[0], row[1]) for row in one["blocks"]]
            read = block_rows(canvases[number]) if number < len(canvases) else []
            found = [(row[0], row[1]) for row in read]
            present += len(wanted)
            recognised += sum(1 for row in wanted if row in found)
    invented = sum(len(block_rows(canvas)) for name in WITHOUT_CANVAS for canvas in parse_all(name))
    ratio = recognised / present
    print(
        f"\nwild canvases: {recognised}/{present} blocks recognised ({ratio:.1%}) in "
        f"{len(EXPECTED) - len(WITHOUT_CANVAS)} documents; {invented} blocks invented in "
        f"{len(WITHOUT_CANVAS)} documents without a canvas"
    )
    assert present > 300
    assert ratio == 1.0
    assert len(WITHOUT_CANVAS) >= 4
    assert invented == 0


# The cases below pin what a reader of each document would expect, beyond the mapping.


def test_numbered_item_keeps_its_continuation_lines_and_sub_list() -> None:
    canvas = parse("numbered_list_labels.md")
    segments = canvas.sections[0]
    assert segments.paragraphs == (
        "Visitors staying in holiday lets along the coast, mostly couples and families "
        "with older children.",
    )
    propositions = canvas.sections[1]
    assert [(entry.kind, entry.text, entry.depth) for entry in propositions.entries] == [
        ("paragraph", "Guided sunset trips with no experience needed and all kit provided.", 0),
        ("item", "Dry bags and wetsuits included", 0),
        ("item", "Photos of your trip sent the same evening", 0),
    ]
    assert propositions.markdown.startswith("2. Value Propositions\n")


def test_table_cells_split_at_br_and_follow_their_label_rows() -> None:
    canvas = parse("pipe_table_whole_canvas_br.md")
    by_key = {section.block.key: section for section in canvas.sections if section.block}
    assert by_key["channels"].items == ("Noticeboards", "Facebook group", "Word of mouth")
    assert by_key["key-resources"].items == ("Tools and spare parts", "The fixers' skills")
    assert by_key["revenue-streams"].items == ("Donations", "A small council grant")


def test_html_rowspan_cells_and_text_after_the_table() -> None:
    canvas = parse("html_table_rowspan.md")
    by_key = {section.block.key: section for section in canvas.sections if section.block}
    assert by_key["key-partners"].items == ("Installer firm", "Community bank")
    assert by_key["channels"].items == ("Parish newsletters", "Share-offer evenings")
    (introduction,) = canvas.extras
    assert introduction.paragraphs[-1] == "Members can read the share offer on the co-op's website."


def test_a_table_block_keeps_the_source_of_its_own_cells_only() -> None:
    html = {section.block: section for section in parse("html_table_rowspan.md").sections}
    assert html[Block.CHANNELS].markdown == (
        "<td><b>Channels</b><br>Parish newsletters<br>Share-offer evenings</td>\n"
    )
    grid = {section.block: section for section in parse("pipe_table_whole_canvas_br.md").sections}
    assert grid[Block.CHANNELS].markdown == (
        "**Channels**\nNoticeboards<br>Facebook group<br>Word of mouth\n"
    )


def test_prose_that_starts_like_a_label_stays_prose() -> None:
    canvas = parse("bold_labels_colon_lists.md")
    by_key = {section.block.key: section for section in canvas.sections if section.block}
    assert "Channels: none needed, since swaps happen on the doorstep" in (
        by_key["value-propositions"].items
    )
    assert by_key["revenue-streams"].paragraphs == (
        "Revenue is still the open question for the board.",
    )


def test_sub_headings_and_bold_pseudo_headings_belong_to_their_block() -> None:
    canvas = parse("subheadings_inside_blocks.md")
    by_key = {section.block.key: section for section in canvas.sections if section.block}
    assert by_key["value-propositions"].paragraphs[0] == "For members"
    assert by_key["key-resources"].paragraphs == (
        "The building lease and the machines.",
        "Resources we still need",
        "A dust extraction upgrade for the wood shop.",
    )


def test_code_fences_and_comments_hide_headings() -> None:
    canvas = parse("toc_comments_fences_rules.md")
    assert [section.line for section in canvas.sections if section.block] == [
        18,
        23,
        28,
        36,
        41,
        44,
        47,
        50,
    ]
    assert all("sawmill" not in section.text for section in canvas.sections)
    assert [d.code for d in canvas.diagnostics] == ["CV201"]
    assert "Key Partners" in canvas.diagnostics[0].message


def test_lean_canvas_keeps_its_own_blocks_and_order() -> None:
    canvas = parse("lean_canvas.md")
    assert canvas.kind == "lean"
    assert [block.key for block in canvas.lean_blocks] == [
        "problem",
        "solution",
        "unfair-advantage",
        "key-metrics",
    ]
    assert [block.key for block in canvas.layout] == [
        "problem",
        "solution",
        "value-propositions",
        "unfair-advantage",
        "customer-segments",
        "key-metrics",
        "channels",
        "cost-structure",
        "revenue-streams",
    ]
    assert canvas.diagnostics == ()
    data = canvas.to_dict()
    assert data["kind"] == "lean"
    assert list(data["lean_blocks"]) == ["problem", "solution", "unfair-advantage", "key-metrics"]
    assert data["blocks"]["value-propositions"]["heading"] == "Unique Value Proposition"


def test_mixed_canvas_reports_business_blocks_it_lacks() -> None:
    canvas = parse("mixed_lean_and_business.md")
    assert canvas.kind == "mixed"
    messages = [d.message for d in canvas.diagnostics]
    assert messages == [
        "block 'Customer Relationships' is missing",
        "block 'Key Resources' is missing",
    ]


def test_a_copy_of_the_canvas_or_a_data_table_repeats_no_block() -> None:
    for name in ("same_canvas_twice_summary_table.md", "checklist_and_data_table.md"):
        codes = [d.code for d in parse(name).diagnostics]
        assert "CV202" not in codes, name
    (glance,) = parse("same_canvas_twice_summary_table.md").extras
    # A table's header row names its columns: its rows are the entries.
    assert glance.items[0].startswith("Council, bike shop | Sessions, refurbishing")
    assert glance.paragraphs == ("Thanks to everyone who came to the open evening.",)
    costs = parse("checklist_and_data_table.md").blocks[Block.COST_STRUCTURE]
    assert costs.items[-2:] == ("January | £1,900 | £2,600", "February | £2,700 | £2,650")
    assert "Month | Revenue | Costs" not in costs.items


def test_the_footer_after_the_last_block_is_an_extra() -> None:
    (footer,) = parse("footer_after_rule.md").extras
    assert footer.paragraphs == (
        "Written by Oksana for the spring founders' workshop. Comments welcome.",
        "← All canvases · Next: Pricing →",
    )


def test_explainers_are_reported_and_partly_filled_canvases_are_not() -> None:
    explainers = [name for name in EXPECTED if "CV207" in codes_of(name)]
    assert sorted(explainers) == [
        "app_guide_description_key_questions.md",
        "chinese_numbered_block_definitions_no_canvas.md",
        "course_chapter_canvas_blocks.md",
        "explainer_what_is_the_canvas.md",
        "french_grid_lesson_questions.md",
        "german_block_definitions_examples.md",
        "german_template_worked_example.md",
        "grid_template_questions.md",
        "japanese_lean_template_fullwidth_questions.md",
        "lean_html_template_box_hints.md",
        "lean_template_blank_lines_to_fill.md",
        "lean_template_half_instructions.md",
        "lean_worksheet_blank_fields.md",
        "lecture_notes_block_definitions.md",
        "lesson_notes_textbook_kinds_per_block.md",
        "outliner_lean_template_embeds.md",
        "portuguese_block_descriptions.md",
        "portuguese_canvas_parts_described.md",
        "portuguese_lecture_summary_canvas_concept.md",
        "russian_html_template_questions.md",
        "spanish_class_notes_block_definitions.md",
        "spanish_glossary_terms_restate_block_names.md",
        "swedish_lesson_nine_building_blocks.md",
        "template_italic_prompts_blank.md",
        "template_placeholders.md",
    ]
    assert codes_of("partly_filled_canvas.md") == ["CV204", "CV204", "CV204"]


def codes_of(name: str) -> list[str]:
    return [diagnostic.code for diagnostic in parse(name).diagnostics]


def test_a_sub_label_written_unlike_the_block_labels_stays_in_its_block() -> None:
    canvas = parse("bold_sub_label_names_another_block.md")
    assert [d.code for d in canvas.diagnostics] == []
    assert canvas.blocks[Block.KEY_ACTIVITIES].entries[-2:] == (
        Entry("paragraph", "Customer segments served:"),
        Entry("item", "Hobbyists who come to the classes become guestbook customers later"),
    )


def test_a_table_row_naming_no_block_ends_the_block_above_it() -> None:
    canvas = parse("pipe_table_rows_unknown_label.md")
    costs = canvas.blocks[Block.COST_STRUCTURE]
    assert costs.markdown == "| **Cost Structure** | Pickers' wages, bottles, duty |\n"
    assert [(extra.heading, extra.text) for extra in canvas.extras[1:]] == [
        ("Open questions", "Whether to sell in supermarkets at all"),
        ("Next step", "A second press before the autumn"),
    ]


def test_plain_words_headings_read_as_blocks_only_where_block_headings_stand() -> None:
    business = {s.heading: s.block for s in parse("paraphrase_headings_business.md").sections}
    assert business["How we reach our customers"] is Block.CHANNELS
    assert business["Money coming in"] is Block.REVENUE_STREAMS
    lean = {s.heading: s.block for s in parse("paraphrase_lean_numbered_h3.md").sections}
    assert lean["9. Our unfair edge"] is LeanBlock.UNFAIR_ADVANTAGE
    assert "What we build first" not in lean
    labelled = parse("paraphrase_block_already_labelled.md")
    assert [extra.heading for extra in labelled.extras][1:] == [
        "How we make money on weekends",
        "Who we serve next",
    ]
    assert not block_rows(parse("paraphrase_headings_no_canvas.md"))


def test_a_bold_label_in_plain_words_opens_its_block_among_bold_labels() -> None:
    canvas = parse("paraphrase_bold_labels.md")
    by_heading = {section.heading: section for section in canvas.sections}
    assert by_heading["Who helps us"].block is Block.KEY_PARTNERS
    assert by_heading["Money going out"].block is Block.COST_STRUCTURE
    assert by_heading["Money going out"].paragraphs == ("Envelopes, printing and the stall fee.",)


# Several canvases in one document, and what stays one canvas.


def nine_blocks(words: str, level: str = "##") -> str:
    return "".join(f"{level} {block.title}\n{words} {block.title.lower()}.\n\n" for block in Block)


def test_each_canvas_of_a_post_is_read_alone_with_its_own_findings() -> None:
    canvases = parse_all("two_companies_one_post.md")
    assert [canvas.slug for canvas in canvases] == ["two_companies_one_post", "lunch-locker-co"]
    assert canvases[1].blocks[Block.CUSTOMER_SEGMENTS].text.startswith("Shift workers")
    assert [extra.heading for extra in canvases[1].extras] == ["Lunch Locker Co"]
    assert all(canvas.diagnostics == () for canvas in canvases)
    text = (
        "\ufeff# Acme\n\n## Acme\n\n" + nine_blocks("Ours") + "## Beta\n\n" + nine_blocks("Theirs")
    )
    first, second = read_canvases(text, "acme.md")
    assert [d.code for d in first.diagnostics] == ["CV104"]
    assert second.diagnostics == ()
    assert (first.name, second.name, second.slug) == ("Acme", "Beta", "beta")


def test_a_labelled_line_names_a_later_canvas() -> None:
    text = (
        "# Lunch ideas\n\n## First idea\n\n"
        + nine_blocks("Boxes")
        + "## Second idea\n\n**Company:** Beta Bites\n\n"
        + nine_blocks("Lockers")
    )
    first, second = read_canvases(text, "2025-01-01-lunch-ideas.md")
    assert (first.slug, second.slug, second.name) == ("lunch-ideas", "beta-bites", "Beta Bites")


def test_a_later_canvas_without_a_title_of_its_own_is_numbered() -> None:
    text = "# Acme\n\n" + nine_blocks("Now") + nine_blocks("Later") + nine_blocks("Much later")
    canvases = read_canvases(text, "acme.md")
    assert [canvas.slug for canvas in canvases] == ["acme", "acme-2", "acme-3"]
    assert [canvas.name for canvas in canvases] == ["Acme", "Acme", "Acme"]


@pytest.mark.parametrize(
    "second_half",
    [
        # The same canvas written out again, as a summary.
        "## Summary\n\n" + nine_blocks("Ours"),
        # Sub-notes below a heading of their own, deeper than the blocks.
        "## Next year\n\n### Channels\nPosters too.\n\n### Revenue Streams\nA sponsor.\n\n"
        "### Key Partners\nThe library.\n\n### Cost Structure\nPrinting.\n\n"
        "### Key Resources\nA van.\n\n### Channels\nA stall.\n",
        # A few blocks again at the blocks' own level: notes, not a canvas.
        "## Channels\nPosters too.\n\n## Revenue Streams\nA sponsor.\n\n## Key Partners\nA shop.\n",
    ],
    ids=["copy", "deeper-sub-notes", "few-blocks-again"],
)
def test_what_repeats_some_labels_stays_one_canvas(second_half: str) -> None:
    canvases = read_canvases("# Acme\n\n" + nine_blocks("Ours") + second_half, "acme.md")
    assert len(canvases) == 1


def test_an_incomplete_first_run_then_repeats_stays_one_canvas() -> None:
    five = "".join(f"## {block.title}\nOne {block.title}.\n\n" for block in list(Block)[:5])
    assert len(read_canvases("# Acme\n\n" + five + nine_blocks("Two"), "acme.md")) == 1


def test_a_whole_canvas_below_a_title_of_its_own_after_a_lean_canvas_is_another_canvas() -> None:
    titles = [block_title(block, "lean") for block in LEAN_LAYOUT]
    lean = "".join(f"## {title}\nOur {title.lower()}.\n\n" for title in titles)
    business = "".join(f"### {title}\nIn full: {title.lower()}.\n\n" for title in GRID_ORDER)
    text = "# Acme\n\n" + lean + "## Business Model Canvas\n\n" + business
    first, second = read_canvases(text, "acme.md")
    assert (first.kind, second.kind) == ("lean", "business")
    assert [section.heading for section in second.sections][:2] == [
        "Business Model Canvas",
        "Key Partners",
    ]
    assert (second.slug, second.name, second.diagnostics) == ("acme-2", "Acme", ())


def test_a_section_named_by_a_longer_phrase_gives_way_to_the_block_s_whole_name() -> None:
    canvas = parse("report_section_then_canvas_list.md")
    blocks = {section.heading: section.entries for section in canvas.sections if section.block}
    assert [entry.text for entry in blocks["Customer Segments"]] == [
        "Home-lab creators; theology/philosophy scholars; ML researchers; education."
    ]
    assert [entry.text for entry in blocks["Value Propositions"]] == [
        "Verified-citation Latin datasets; automated local pipeline; reproducible artifacts."
    ]
    extras = {section.heading: section for section in canvas.extras}
    assert extras["2.1 Value Proposition Canvas"].paragraphs[0] == "Customer Jobs"
    assert not [diagnostic for diagnostic in canvas.diagnostics if diagnostic.code == "CV202"]


def test_a_list_naming_the_blocks_without_text_is_no_canvas() -> None:
    outlines = (
        "list_of_block_names_no_canvas.md",
        "block_names_glossed_outline.md",
        "portuguese_methodology_block_list.md",
    )
    for name in outlines:
        (canvas,) = parse_all(name)
        assert not [section for section in canvas.sections if section.block], name
    (canvas,) = parse_all("list_of_block_names_no_canvas.md")
    (contents,) = [extra for extra in canvas.extras if extra.heading == "Contenido esperado"]
    assert contents.items[:2] == ("Propuesta de valor", "Segmentos de clientes")


def test_short_lines_without_list_marks_are_one_item_each() -> None:
    canvas = parse("portuguese_one_thing_a_line.md")
    assert canvas.blocks[Block.CHANNELS].items == (
        "Navegador",
        "Notificações (e-mail, WhatsApp, calendário externo)",
    )
    assert len(canvas.blocks[Block.VALUE_PROPOSITIONS].items) == 4
    prose = parse("bold_labels_alone.md").blocks[Block.CUSTOMER_SEGMENTS]
    assert len(prose.entries) == 1
