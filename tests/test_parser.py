"""Tests of `read_canvas` on the seed posts, the fixture posts and inputs built to break it."""

from __future__ import annotations

import gc
import json
from pathlib import Path
from typing import TypedDict

import pytest

from canvascli.model import CODES, Block, Canvas, Entry, Section
from canvascli.read.canvas import FUZZY_HEADINGS, HINTED_HEADINGS, read_canvas
from canvascli.store.files import read_post
from tests.conftest import MEMSQL_PARTNERS

REPO = Path(__file__).resolve().parent.parent
SEEDS = REPO / "posts"
FIXTURES = Path(__file__).resolve().parent / "data" / "posts"


class Expectation(TypedDict):
    name: str
    slug: str
    blocks: list[str]
    extras: list[str]
    codes: list[str]


EXPECTED: dict[str, Expectation] = json.loads(
    (FIXTURES / "expected.json").read_text(encoding="utf-8")
)


def post_text(path: Path) -> str:
    # Bytes, not read_text(): universal newlines would hide the CRLF fixture's line endings.
    return path.read_bytes().decode("utf-8")


def parse_file(path: Path) -> Canvas:
    return read_post(path, path.parent).canvas


def fixture(name: str) -> Canvas:
    return parse_file(FIXTURES / name)


def seed(name: str) -> Canvas:
    return parse_file(SEEDS / name)


def section(canvas: Canvas, block: Block) -> Section:
    found = canvas.section_for(block)
    assert found is not None, f"{canvas.source} has no {block.title} section"
    return found


FIXTURE_NAMES = [pytest.param(name, id=name.removesuffix(".md")) for name in sorted(EXPECTED)]


@pytest.mark.parametrize("name", ["memsql.md", "violin-memory.md"])
def test_seed_has_all_nine_blocks_and_no_warnings(name: str) -> None:
    canvas = seed(name)
    assert list(canvas.blocks) == list(Block)
    assert canvas.diagnostics == ()
    assert canvas.extras == ()
    assert all(not found.is_empty for found in canvas.sections)


def test_memsql_name_and_key_partners() -> None:
    canvas = seed("memsql.md")
    assert canvas.name == "MemSQL"
    assert canvas.slug == "memsql"
    assert section(canvas, Block.KEY_PARTNERS).items == tuple(MEMSQL_PARTNERS)


def test_memsql_indented_key_resources_line_is_a_heading() -> None:
    canvas = seed("memsql.md")
    partners = section(canvas, Block.KEY_PARTNERS)
    resources = section(canvas, Block.KEY_RESOURCES)
    lines = post_text(SEEDS / "memsql.md").splitlines()
    assert lines[resources.line - 1] == " ### Key Resources"
    assert resources.heading == "Key Resources"
    assert resources.level == 3
    assert resources.markdown.startswith(" ### Key Resources\n")
    assert resources.paragraphs[0].startswith("MemSQL’s primary resource is its intellectual")
    assert not any("Key Resources" in entry.text for entry in partners.entries)
    assert "Key Resources" not in partners.markdown


def test_violin_memory_customer_segments() -> None:
    canvas = seed("violin-memory.md")
    assert canvas.name == "Violin Memory"
    items = section(canvas, Block.CUSTOMER_SEGMENTS).items
    assert len(items) == 4
    assert items[0].startswith("Financial Services")
    assert items[3].startswith("Other Commercial Enterprises")


@pytest.mark.parametrize("name", ["memsql.md", "violin-memory.md"])
def test_section_markdown_begins_with_its_heading_line(name: str) -> None:
    canvas = seed(name)
    for found in canvas.sections:
        first_line = found.markdown.splitlines()[0]
        assert first_line.strip() == f"{'#' * found.level} {found.heading}"
        assert found.markdown.endswith("\n")


def test_memsql_customer_segments_is_on_file_line_nine() -> None:
    assert section(seed("memsql.md"), Block.CUSTOMER_SEGMENTS).line == 9


@pytest.mark.parametrize("name", ["memsql.md", "violin-memory.md"])
def test_section_lines_are_one_based_file_lines(name: str) -> None:
    canvas = seed(name)
    lines = post_text(SEEDS / name).splitlines()
    for found in canvas.sections:
        assert lines[found.line - 1].strip() == f"### {found.heading}"


def test_every_fixture_post_has_an_expectation() -> None:
    posts = {path.name for path in FIXTURES.iterdir() if path.suffix == ".md"}
    assert posts == set(EXPECTED)


def test_expected_codes_are_documented_codes() -> None:
    for expectation in EXPECTED.values():
        assert set(expectation["codes"]) <= set(CODES)
        assert expectation["blocks"] == [
            block.key for block in Block if block.key in expectation["blocks"]
        ], "block keys in expected.json must be in canonical order"


@pytest.mark.parametrize("name", FIXTURE_NAMES)
def test_fixture_name_and_slug(name: str) -> None:
    canvas = fixture(name)
    assert canvas.name == EXPECTED[name]["name"]
    assert canvas.slug == EXPECTED[name]["slug"]
    assert canvas.source == str(FIXTURES / name)


@pytest.mark.parametrize("name", FIXTURE_NAMES)
def test_fixture_blocks_and_extras(name: str) -> None:
    canvas = fixture(name)
    assert [block.key for block in canvas.blocks] == EXPECTED[name]["blocks"]
    assert [extra.heading for extra in canvas.extras] == EXPECTED[name]["extras"]


@pytest.mark.parametrize("name", FIXTURE_NAMES)
def test_fixture_diagnostic_codes(name: str) -> None:
    canvas = fixture(name)
    assert sorted(diagnostic.code for diagnostic in canvas.diagnostics) == EXPECTED[name]["codes"]
    for diagnostic in canvas.diagnostics:
        assert diagnostic.severity == CODES[diagnostic.code][0]


@pytest.mark.parametrize("name", FIXTURE_NAMES)
def test_fixture_section_lines_point_at_their_headings(name: str) -> None:
    canvas = fixture(name)
    lines = post_text(FIXTURES / name).splitlines()
    for found in canvas.sections:
        if found.heading:
            assert found.heading in lines[found.line - 1]
            assert lines[found.line - 1].lstrip().startswith("#")


def test_crlf_and_bom_fixtures_keep_their_bytes() -> None:
    crlf = (FIXTURES / "crlf_line_endings.md").read_bytes()
    assert crlf.count(b"\r\n") == crlf.count(b"\n") > 30
    assert (FIXTURES / "bom_front_matter.md").read_bytes().startswith(b"\xef\xbb\xbf---\n")


def test_crlf_post_reads_like_lf() -> None:
    canvas = fixture("crlf_line_endings.md")
    assert canvas.metadata == {"layout": "post", "title": "cobbleway"}
    assert section(canvas, Block.CUSTOMER_SEGMENTS).line == 9
    assert section(canvas, Block.REVENUE_STREAMS).line == 33
    for found in canvas.sections:
        assert "\r" not in found.markdown
        assert all("\r" not in entry.text for entry in found.entries)
    assert section(canvas, Block.CHANNELS).paragraphs == (
        "A delivery booking app and a sales rep for chains.",
    )


def test_bom_post_still_reads_its_front_matter() -> None:
    canvas = fixture("bom_front_matter.md")
    assert canvas.metadata == {"layout": "post", "title": "emberline"}
    assert [(d.code, d.severity, d.line) for d in canvas.diagnostics] == [("CV104", "warning", 1)]
    assert section(canvas, Block.CUSTOMER_SEGMENTS).line == 9


def test_broken_yaml_is_reported_inside_the_front_matter() -> None:
    canvas = fixture("broken_yaml_front_matter.md")
    (diagnostic,) = canvas.diagnostics
    assert diagnostic.code == "CV101"
    assert diagnostic.message.startswith("front matter is not valid YAML")
    assert 2 <= diagnostic.line <= 5
    assert canvas.metadata == {}


def test_list_front_matter_is_not_a_mapping() -> None:
    canvas = fixture("list_front_matter.md")
    (diagnostic,) = canvas.diagnostics
    assert diagnostic.code == "CV103"
    assert "a list" in diagnostic.message
    assert canvas.metadata == {}


def test_unterminated_front_matter_is_read_as_text() -> None:
    canvas = fixture("unterminated_front_matter.md")
    assert [d.code for d in canvas.diagnostics] == ["CV102"]
    assert canvas.metadata == {}
    (intro,) = canvas.extras
    assert intro.items == ("layout: post", "title: harbourlight")
    assert section(canvas, Block.CUSTOMER_SEGMENTS).line == 8


def test_dates_in_front_matter_become_iso_strings() -> None:
    canvas = fixture("dates_in_front_matter.md")
    assert canvas.metadata["date"] == "2016-05-12"
    assert canvas.metadata["tags"] == ["logistics", "storage"]
    json.dumps(canvas.to_dict())


def test_hugo_toml_front_matter_is_read_as_the_yaml_is() -> None:
    text = (
        '+++\ntitle = "Pierline"\ndate = 2024-02-01\ntags = ["ferry"]\n+++\n\n'
        "## Channels\nThe pier.\n"
    )
    canvas = read_canvas(text, "posts/pierline-notes.md")
    assert canvas.metadata == {"title": "Pierline", "date": "2024-02-01", "tags": ["ferry"]}
    assert canvas.name == "Pierline"
    assert section(canvas, Block.CHANNELS).line == 7
    assert not canvas.extras


def test_broken_toml_front_matter_is_reported_and_the_post_still_read() -> None:
    canvas = read_canvas('+++\ntitle = "Pier\n+++\n\n## Channels\nThe pier.\n', "pier.md")
    assert [d.code for d in canvas.diagnostics][:1] == ["CV101"]
    assert "not valid TOML" in canvas.diagnostics[0].message
    assert canvas.metadata == {}
    assert section(canvas, Block.CHANNELS).paragraphs == ("The pier.",)


def test_published_false_is_kept_in_metadata() -> None:
    assert fixture("unpublished.md").metadata["published"] is False
    assert "published" not in fixture("dates_in_front_matter.md").metadata


def test_jekyll_date_prefix_is_not_part_of_the_slug() -> None:
    canvas = fixture("2016-05-12-jekyll-dated-name.md")
    assert canvas.slug == "jekyll-dated-name"
    assert canvas.name == "Wrenfield Books"


def test_inline_markup_is_flattened_and_link_text_kept() -> None:
    canvas = fixture("links_and_emphasis_items.md")
    assert section(canvas, Block.CUSTOMER_SEGMENTS).paragraphs == (
        "Online shops that sell handmade goods.",
    )
    assert section(canvas, Block.CHANNELS).items == (
        "Marketplace app store listings",
        "Referral links from craft bloggers",
        "A parcelpine plugin for shop builders",
    )
    assert section(canvas, Block.CUSTOMER_RELATIONSHIPS).paragraphs == (
        "Email support and a help centre.",
    )
    assert section(canvas, Block.KEY_PARTNERS).items == (
        "Royal Mail and two courier networks",
        "The old payment processor",
    )
    for found in canvas.sections:
        for entry in found.entries:
            assert not set(entry.text) & set("*[]()`~"), entry.text
            assert "http" not in entry.text
    assert "[Royal Mail](http://x)" in section(canvas, Block.KEY_PARTNERS).markdown


def test_nested_list_items_keep_their_depth() -> None:
    canvas = fixture("nested_list_items.md")
    entries = section(canvas, Block.CUSTOMER_SEGMENTS).entries
    assert [(entry.kind, entry.text, entry.depth) for entry in entries] == [
        ("item", "Food entrepreneurs", 0),
        ("item", "Street-food traders moving into catering", 1),
        ("item", "Bakers scaling up", 1),
        ("item", "Sourdough microbakeries", 2),
        ("item", "Charities running cookery courses", 0),
    ]


def test_unmapped_subheading_belongs_to_the_block_above() -> None:
    canvas = fixture("subheading_inside_block.md")
    activities = section(canvas, Block.KEY_ACTIVITIES)
    assert activities.paragraphs == (
        "Integration",
        "Adapting grippers and safety fences to each line.",
        "Remote support",
        "Monitoring arms and pushing new programs overnight.",
    )
    assert "#### Remote support\n" in activities.markdown
    assert canvas.extras == ()
    assert len(canvas.sections) == 9


def test_mixed_heading_levels_below_an_h1_title() -> None:
    canvas = fixture("mixed_heading_levels.md")
    assert [found.level for found in canvas.sections] == [2, 4, 2, 4, 2, 4, 2, 4, 2]
    assert section(canvas, Block.VALUE_PROPOSITIONS).paragraphs == (
        "Evening and weekend appointments booked online in two minutes.",
    )


def test_headings_keep_the_text_as_written() -> None:
    emoji = fixture("emoji_headings.md")
    assert section(emoji, Block.REVENUE_STREAMS).heading == "💰 Revenue Streams"
    assert section(emoji, Block.CUSTOMER_SEGMENTS).heading == "1️⃣ Customer Segments"
    colon = fixture("trailing_colon_headings.md")
    assert section(colon, Block.CHANNELS).heading == "Channels:"
    bold = fixture("bold_headings.md")
    assert section(bold, Block.KEY_RESOURCES).heading == "Key Resources"
    assert section(bold, Block.KEY_RESOURCES).markdown.startswith("### **Key Resources**\n")


def test_duplicate_block_keeps_the_first_and_warns_at_the_second() -> None:
    canvas = fixture("duplicate_channels.md")
    channels = [found for found in canvas.sections if found.block is Block.CHANNELS]
    assert [found.line for found in channels] == [15, 30]
    assert section(canvas, Block.CHANNELS) is channels[0]
    (diagnostic,) = canvas.diagnostics
    assert (diagnostic.code, diagnostic.line) == ("CV202", 30)
    assert "first on line 15" in diagnostic.message


def test_empty_block_is_present_and_reported() -> None:
    canvas = fixture("empty_key_activities.md")
    activities = section(canvas, Block.KEY_ACTIVITIES)
    assert activities.is_empty
    assert [(d.code, d.line) for d in canvas.diagnostics] == [("CV204", activities.line)]


def test_missing_block_is_reported() -> None:
    canvas = fixture("missing_cost_structure.md")
    assert canvas.to_dict()["missing"] == [Block.COST_STRUCTURE.key]
    (diagnostic,) = canvas.diagnostics
    assert diagnostic.code == "CV201"
    assert "Cost Structure" in diagnostic.message


def test_unknown_heading_is_kept_as_an_extra_section() -> None:
    canvas = fixture("unknown_heading_extra.md")
    (extra,) = canvas.extras
    assert extra.block is None
    assert extra.paragraphs == (
        "Large holiday-park chains and private owners listing on rental platforms.",
    )
    (diagnostic,) = canvas.diagnostics
    assert (diagnostic.code, diagnostic.line) == ("CV203", extra.line)
    assert "'Competitors'" in diagnostic.message
    assert section(canvas, Block.REVENUE_STREAMS).paragraphs == (
        "Nightly rates and a cleaning fee per stay.",
    )


def test_front_matter_title_names_a_post_without_a_title_heading() -> None:
    canvas = fixture("front_matter_title_only.md")
    assert canvas.name == "Quillfeather Notes"
    assert "CV205" in [d.code for d in canvas.diagnostics]


# Regression: posts without a title heading once lost every paragraph and list item.
def test_text_under_blocks_is_kept_without_a_title_heading() -> None:
    canvas = read_canvas("Intro.\n\n### Channels\nA web shop.\n", "shop.md")
    assert section(canvas, Block.CHANNELS).paragraphs == ("A web shop.",)
    assert [extra.paragraphs for extra in canvas.extras] == [("Intro.",)]


def test_fixture_without_title_keeps_block_text() -> None:
    canvas = fixture("no_title_no_front_matter.md")
    assert section(canvas, Block.CUSTOMER_SEGMENTS).paragraphs == (
        "Beekeepers with fewer than fifty hives.",
    )


NASTY_INPUTS = {
    "empty": "",
    "only-dashes": "---",
    "unterminated-empty-front-matter": "---\n",
    "rich-markup": "[/x]",
    "ansi-clear-screen": "\x1b[2J",
    "bom-only": "\ufeff",
    "carriage-returns": "\r\r\r",
    "empty-heading": "#",
    "impossible-date": "---\ndate: 2016-13-45\n---\n# Acme\n",
    "nul-and-surrogate": "# A\x00\ud800\n\n### Channels\n\x00",
    "deep-quotes": "> " * 3000 + "x",
    "deep-list": "\n".join("  " * depth + "- x" for depth in range(3000)),
}


@pytest.mark.parametrize("text", NASTY_INPUTS.values(), ids=NASTY_INPUTS.keys())
def test_parse_canvas_never_raises(text: str) -> None:
    canvas = read_canvas(text, "nasty.md")
    assert isinstance(canvas, Canvas)
    assert canvas.slug == "nasty"
    assert canvas.name
    assert {diagnostic.code for diagnostic in canvas.diagnostics} <= set(CODES)
    json.dumps(canvas.to_dict())


def test_deep_list_under_a_block_keeps_its_text() -> None:
    deep = "\n".join("  " * depth + f"- level{depth}" for depth in range(500))
    canvas = read_canvas(f"# Acme\n\n### Channels\n{deep}\n", "deep.md")
    text = section(canvas, Block.CHANNELS).text
    assert "level0" in text
    assert "level499" in text


# Labels written without headings, and the company's name, on small inline documents.

NINE_BOLD = "\n\n".join(f"**{block.title}:**\n- {block.key} entry" for block in Block)


def block_keys(canvas: Canvas) -> list[str]:
    return [found.block.key for found in canvas.sections if found.block is not None]


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("# Acme Labs\n\n## Business Model Canvas: Beta Foods\n", "Beta Foods"),
        ("# Business Model Canvas\n\n## Gamma Ltd — Lean Canvas\n", "Gamma Ltd"),
        ("---\ntitle: Delta Co\n---\n# Business Model Canvas\n", "Delta Co"),
        ("---\ntitle: Business Model Canvas\n---\n## Project Title\nEpsilon\n", "Epsilon"),
        ("# Business Model Canvas\n\n**Project name:** Zeta Bikes\n", "Zeta Bikes"),
        ("# Table of Contents\n\nProject Title: Eta Farms\n", "Eta Farms"),
        ("# Business Model Canvas\n\n## Channels\nWeb.\n", "Theta Notes"),
        (
            "Customer Segments: farmers\n\nChannels: web shop\n\nKey Partners: banks\n",
            "Theta Notes",
        ),
        (
            "**Customer Segments**\n\nFarmers in Kenya\n\n**Channels**\n\nMobile app\n",
            "Theta Notes",
        ),
        ("Value Propositions:\n\nCheaper seeds\n", "Theta Notes"),
        ("# 🚲 Iota Cycles ✨\n", "Iota Cycles"),
        ("# Kappa Kites Business Model Canvas (Idea Stage)\n", "Kappa Kites"),
        ("## Lean Canvas for the Lambda Laundry v2\n", "Lambda Laundry"),
        ("# Week 4 Lab\n\n**Company:** Mu Motors — electric tuk-tuks\n", "Mu Motors"),
        ("# Capítulo 2\n\nEmpresa: Nu Naranjas\n", "Nu Naranjas"),
        ("Entreprise : Xi Xylophones\n\n## Canaux\nWeb.\n", "Xi Xylophones"),
        ("- **Unternehmen:** Omikron Öfen\n", "Omikron Öfen"),
        ("---\ntitle: Pi Pottery\n---\n# Our pitch for the fair\n", "Pi Pottery"),
        ("---\ntitle: rho-rafts-canvas\n---\n# Rho Rafts\n", "Rho Rafts"),
        ("# Assignment 3: Business Model Canvas\n", "Theta Notes"),
        ("# 会社名：シグマ酒造\n", "シグマ酒造"),
        ("# Team 4 Business Model Canvas\n", "Theta Notes"),
        ("# 2. Business Model Canvas Template\n", "Theta Notes"),
        ("# Lean Canvas – Version 2\n", "Theta Notes"),
        ("## Project Title\nTau Tents — tents for festivals\n", "Tau Tents"),
        ("Project: Upsilon Oats, an oat milk subscription\n\n## Channels\nWeb.\n", "Upsilon Oats"),
        ("## Product\nOur product is an app that lets students swap books\n", "Theta Notes"),
        ("# Rho Rugs\n\n## Value Propositions\nProduct: woven rugs\n", "Rho Rugs"),
        ("# Phi Pieças — Estudo de Modelo de Negócio\n", "Phi Pieças"),
        ("# Chi Chairs: analysis of the business model\n", "Chi Chairs"),
        ("# Análise do Modelo de Negócio\n", "Theta Notes"),
    ],
)
def test_company_name_in_order_of_evidence(text: str, name: str) -> None:
    assert read_canvas(text, "posts/theta-notes.md").name == name


def test_bold_labels_open_blocks_that_end_at_the_next_label_or_heading() -> None:
    canvas = read_canvas(f"# Acme\n\n{NINE_BOLD}\n\n## Appendix\nNot a block.\n", "acme.md")
    assert block_keys(canvas) == [block.key for block in Block]
    cost = section(canvas, Block.COST_STRUCTURE)
    assert cost.items == ("cost-structure entry",)
    assert cost.level == 2
    assert [extra.heading for extra in canvas.extras] == ["Appendix"]


def test_a_table_repeating_the_three_blocks_above_it_is_a_copy_not_their_text() -> None:
    blocks = (Block.CUSTOMER_SEGMENTS, Block.CHANNELS, Block.KEY_PARTNERS)
    headed = "".join(f"## {block.title}\n\n{block.key} entry\n\n" for block in blocks)
    table = (
        "| " + " | ".join(block.title for block in blocks) + " |\n|---|---|---|\n| a | b | c |\n"
    )
    canvas = read_canvas(f"# Acme\n\n{headed}{table}", "acme.md")
    assert section(canvas, Block.KEY_PARTNERS).entries == (
        Entry("paragraph", "key-partners entry"),
    )
    assert [extra.heading for extra in canvas.extras] == [""]


def test_a_lone_bold_label_in_a_readme_is_no_block() -> None:
    text = "# tool\n\n**Customer Segments:** we do not have any; this is a library.\n"
    canvas = read_canvas(text, "readme.md")
    assert canvas.blocks == {}
    assert canvas.sections[0].paragraphs[-1].startswith("Customer Segments: we do not")


@pytest.mark.parametrize("heading", ["Resources", "Partners", "Customers", "Problem", "Solution"])
def test_a_heading_common_outside_canvases_needs_a_canvas_around_it(heading: str) -> None:
    alone = read_canvas(f"# tool\n\n## {heading}\n- a link\n", "readme.md")
    assert alone.blocks == {} and alone.lean_blocks == {}
    assert [extra.heading for extra in alone.extras] == [heading]
    canvas = read_canvas(
        f"# Acme\n\n## Key Activities\nA.\n\n## Channels\nB.\n\n## {heading}\nC.\n", "acme.md"
    )
    assert len(block_keys(canvas)) == 3


def test_labels_without_headings_inside_a_heading_block_are_its_text() -> None:
    text = (
        "# Acme\n\n## Customer Segments\n\n**Channels:**\n- not a block here\n\n"
        "Key Partners: also just text\n\n## Value Propositions\nFast.\n\n## Channels\nWeb.\n"
    )
    canvas = read_canvas(text, "acme.md")
    assert block_keys(canvas) == ["customer-segments", "value-propositions", "channels"]
    assert section(canvas, Block.CUSTOMER_SEGMENTS).entries[0].text == "Channels:"


def test_table_of_contents_links_are_not_labels() -> None:
    links = "\n".join(f"- [{block.title}](#{block.key})" for block in Block)
    canvas = read_canvas(f"# Acme\n\n{links}\n", "acme.md")
    assert canvas.blocks == {}


def test_two_column_table_whose_first_row_is_a_block() -> None:
    rows = "\n".join(f"| {block.title} | {block.key} text |" for block in list(Block)[1:])
    text = f"# Acme\n\n| Customer Segments | Farms |\n|---|---|\n{rows}\n"
    canvas = read_canvas(text, "acme.md")
    assert block_keys(canvas) == [block.key for block in Block]
    assert section(canvas, Block.CUSTOMER_SEGMENTS).paragraphs == ("Farms",)
    assert section(canvas, Block.CHANNELS).line == 6


def test_table_rows_of_another_width_than_the_header_are_read_as_github_draws_them() -> None:
    """A short row is filled with empty cells and the cells past the header's are left out:
    one such row used to make the whole table a paragraph of pipes."""
    text = (
        "# Acme\n\n| Block | What |\n|---|:---:|\n"
        "| Customer Segments | Farms |\n| Channels |\n"
        "| Revenue Streams | Boxes \\| crates | (past the header) |\n"
    )
    canvas = read_canvas(text, "acme.md")
    assert block_keys(canvas) == ["customer-segments", "channels", "revenue-streams"]
    assert section(canvas, Block.CUSTOMER_SEGMENTS).paragraphs == ("Farms",)
    assert section(canvas, Block.CHANNELS).paragraphs == ()
    assert section(canvas, Block.REVENUE_STREAMS).paragraphs == ("Boxes | crates",)
    assert not [
        entry for part in canvas.sections for entry in part.paragraphs if "past the header" in entry
    ]


def test_table_rows_without_their_closing_pipe_stay_rows() -> None:
    text = (
        "# Acme\n\n| Block | What |\n|---|---|\n"
        "| Customer Segments | Farms\n| Channels | Markets |\n| Revenue Streams | Boxes\n"
    )
    canvas = read_canvas(text, "acme.md")
    assert block_keys(canvas) == ["customer-segments", "channels", "revenue-streams"]
    assert [section(canvas, block).paragraphs for block in canvas.blocks] == [
        ("Farms",),
        ("Markets",),
        ("Boxes",),
    ]


def test_html_table_without_labels_stays_text_and_runs_nothing() -> None:
    text = (
        "# Acme\n\n## Customer Segments\n\n<table><tr><td>Farms<script>alert(1)</script>"
        '<img src="http://example.invalid/x.png"></td></tr></table>\n'
    )
    canvas = read_canvas(text, "acme.md")
    # The script is neither run nor shown: a page never shows a script's code as text.
    assert section(canvas, Block.CUSTOMER_SEGMENTS).paragraphs == ("Farms",)


@pytest.mark.parametrize(
    "text",
    [
        "<table><tr><td><h4>Channels",
        "<table>\n<tr><td rowspan='x' colspan='-3'><b>Key Partners</b><br>AWS</td>\n",
        "| a |\n|---|\n| **Channels**<br> |\n",
        "1. Customer Segments\n" + "   " * 400 + "- deep\n",
    ],
)
def test_broken_tables_and_lists_never_raise(text: str) -> None:
    canvas = read_canvas(text, "broken.md")
    json.dumps(canvas.to_dict())


def test_weak_labels_with_crlf_and_no_final_newline() -> None:
    text = "\r\n\r\n".join(f"{block.title}: {block.key} text" for block in Block)
    canvas = read_canvas(text, "plain.md")
    assert block_keys(canvas) == [block.key for block in Block]
    assert [found.line for found in canvas.sections] == list(range(1, 18, 2))
    assert section(canvas, Block.COST_STRUCTURE).paragraphs == ("cost-structure text",)


def test_one_bold_label_with_its_text_among_labels_on_their_own_lines() -> None:
    text = (
        "# Acme\n\n**Customer Segments:**\n- Farms\n\n**Value Propositions:**\n- Cheap\n\n"
        "**Channels:** the web shop\n\n**Key Partners:**\n- A mill\n"
    )
    canvas = read_canvas(text, "acme.md")
    assert block_keys(canvas) == [
        "customer-segments",
        "value-propositions",
        "channels",
        "key-partners",
    ]
    assert section(canvas, Block.CHANNELS).paragraphs == ("the web shop",)


def test_a_lone_plain_label_line_in_a_bold_label_canvas_is_prose() -> None:
    text = (
        "# Acme\n\n**Customer Segments:**\n- Farms\n\n**Value Propositions:**\n- Cheap\n\n"
        "Channels: we tried ads, but they brought nobody.\n\n**Key Partners:**\n- A mill\n"
    )
    canvas = read_canvas(text, "acme.md")
    assert block_keys(canvas) == ["customer-segments", "value-propositions", "key-partners"]
    assert section(canvas, Block.VALUE_PROPOSITIONS).entries[-1].text.startswith("Channels: we")


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("", "post is empty"),
        (" \n\t\n", "post is empty"),
        ("---\nlayout: post\ntitle: nothing below\n---\n", "post has front matter but no text"),
        ("\ufeff---\ntitle: x\n---\n\n\n", "post has front matter but no text"),
    ],
)
def test_a_post_without_text_is_an_error(text: str, reason: str) -> None:
    canvas = read_canvas(text, "hollow.md")
    assert [
        (diagnostic.code, diagnostic.severity, diagnostic.message)
        for diagnostic in canvas.diagnostics
        if diagnostic.code == "CV107"
    ] == [("CV107", "error", reason)]


def test_a_post_of_thousands_of_headings_gets_typo_matching_and_hints_only_at_first() -> None:
    filler = "".join(f"## Note {number}\n\nText.\n\n" for number in range(FUZZY_HEADINGS))
    canvas = read_canvas(
        f"# Acme\n\n## Cusomer Segments\n\nEarly.\n\n{filler}"
        "## Key Activites\n\nLate typo.\n\n## Channels\n\nLate, exact.\n",
        "many.md",
    )
    assert section(canvas, Block.CUSTOMER_SEGMENTS).text == "Early."
    assert section(canvas, Block.CHANNELS).text == "Late, exact."
    assert Block.KEY_ACTIVITIES not in canvas.blocks
    unmapped = [d.message for d in canvas.diagnostics if d.code == "CV203"]
    assert len(unmapped) == HINTED_HEADINGS + 1
    assert unmapped[0].startswith("heading 'Note 0' maps to no canvas block")
    rest = FUZZY_HEADINGS + 1 - HINTED_HEADINGS
    assert unmapped[-1] == f"{rest:,} more headings map to no canvas block"


def test_front_matter_infinities_and_nan_become_strings_json_can_hold() -> None:
    canvas = read_canvas("---\nscore: .nan\nhigh: .inf\nlow: -.inf\nx: 1.5\n---\n# Acme\n", "a.md")
    assert canvas.metadata == {"score": "nan", "high": "inf", "low": "-inf", "x": 1.5}
    json.dumps(canvas.to_dict(), allow_nan=False)


def test_the_cycle_collector_rests_during_a_parse_and_is_restored_after() -> None:
    tables = "| a | b |\n|---|---|\n| 1 | 2 |\n\n" * 3000
    collections: list[str] = []

    def count(phase: str, info: dict[str, int]) -> None:
        if phase == "start":
            collections.append(phase)

    gc.callbacks.append(count)
    try:
        canvas = read_canvas(f"# Acme\n\n## Channels\n\n{tables}", "tables.md")
        assert gc.isenabled()
        gc.disable()
        read_canvas("# Acme\n", "small.md")
        assert not gc.isenabled()
    finally:
        gc.enable()
        gc.callbacks.remove(count)
    assert len(section(canvas, Block.CHANNELS).items) == 3000  # a row each, no header
    assert len(collections) <= 1  # once, perhaps, as it is switched back on (119 before)


def _alias_bomb(levels: int) -> str:
    lines = ["a0: &a0 [x, x, x, x, x, x, x, x, x, x]"]
    for level in range(1, levels + 1):
        lines.append(f"a{level}: &a{level} [{', '.join([f'*a{level - 1}'] * 10)}]")
    return "\n".join(lines)


@pytest.mark.parametrize(
    ("front_matter", "reason"),
    [
        ("loop: &loop [*loop]", "nested more than 100 deep"),
        ("map: &map {inner: *map}", "nested more than 100 deep"),
        ("deep: " + "[" * 500 + "]" * 500, "nested more than 100 deep"),
        (_alias_bomb(6), "more than 100,000 values"),
        ("n: 0x" + "f" * 5000, "a number of more than 4,000 digits"),
        ("n: 0b" + "1" * 20000, "a number of more than 4,000 digits"),
        ("n: 0b" + "1" * 5000, "a number of more than 4,000 digits"),
        ("n: 0" + "7" * 5000, "a number of more than 4,000 digits"),
        ("n: -" + "9" * 5000, "a number of more than 4,000 digits"),
        ("n: 1" + ":59" * 2500, "a number of more than 4,000 digits"),
        ("n: " + "1" * 5000 + ":00", "a number of more than 4,000 digits"),
        ("? " + "1" * 5000 + "\n: key", "a number of more than 4,000 digits"),
    ],
    ids=[
        "self-alias",
        "self-map",
        "deep-nesting",
        "alias-bomb",
        "hex-integer",
        "binary-integer",
        "binary-5000-digits",
        "octal-integer",
        "decimal-integer",
        "sexagesimal-integer",
        "sexagesimal-long-head",
        "integer-in-a-key",
    ],
)
def test_front_matter_too_large_to_keep_is_one_error_and_the_post_is_still_read(
    front_matter: str, reason: str
) -> None:
    text = f"---\n{front_matter}\n---\n# Harbour Bikes\n\n## Channels\n\n- The quay shop\n"
    canvas = read_canvas(text, "harbour.md")
    assert canvas.name == "Harbour Bikes"
    assert canvas.metadata == {}
    assert section(canvas, Block.CHANNELS).entries[0].text == "The quay shop"
    (too_big,) = [d for d in canvas.diagnostics if d.code == "CV108"]
    assert too_big.message == f"front matter is too large to keep ({reason}); ignored"
    assert too_big.severity == "error"


@pytest.mark.parametrize(
    "heading",
    [
        "## Key Partners ##",
        "## Key Partners\t#",
        "## Key Partners#",
        "## Key Partners \\##",
        "## Key Partners # #",
        "## Key Partners #\u00a0",
        "## Key Partners" + "\t " * 40 + "x ##",
        "## ##",
    ],
)
def test_a_heading_s_closing_hashes_are_read_as_mistune_reads_them(heading: str) -> None:
    import mistune

    from canvascli.read.canvas import mistune_tokens

    body = f"{heading}\n\n- one\n"
    ours = mistune_tokens(body)
    theirs = mistune.create_markdown(renderer=None)(body)
    for token in ours:
        token.pop("_start", None)
    assert ours == theirs


def test_a_heading_padded_with_a_long_run_of_white_space_reads_whole() -> None:
    """mistune's own trim of closing `#`s backtracks over every run of white space; the
    reader's does not, so a post like this reads at once rather than in minutes."""
    padding = "\t " * 100_000
    text = f"# Acme\n\n## Key Partners{padding}mills ##\n\n- one\n\n## Customer Segments\n\n- two\n"
    canvas = read_canvas(text, "acme.md")
    assert [section.block for section in canvas.sections][-1] is Block.CUSTOMER_SEGMENTS
    assert canvas.sections[-1].entries


NINE_TITLES = [block.title for block in Block]


@pytest.mark.parametrize(
    ("heading", "kind"),
    [("Key Metrics", "mixed"), ("11. Key Metrics", "mixed"), ("Key success metrics", "business")],
)
def test_one_lean_block_beside_the_nine_is_a_block_only_under_its_own_name(
    heading: str, kind: str
) -> None:
    """A Lean Canvas block written by its name beside the nine stays a block (and a canvas
    exported to Markdown reads back the same); named in other words, it is the report's."""
    from canvascli.render.export import to_markdown

    blocks = "".join(
        f"## {title}\n\n- thing {number}\n\n"
        for number, title in enumerate([*NINE_TITLES, heading])
    )
    canvas = read_canvas(f"# Business model of Acme\n\n{blocks}", "acme.md")
    assert canvas.kind == kind
    again = read_canvas(to_markdown(canvas), "acme.md")
    assert written(again) == written(canvas)


def written(canvas: Canvas) -> tuple[str, dict[str, list[str]]]:
    """A canvas's kind and each block's entries, as a reader sees them."""
    sections = [*canvas.blocks.items(), *canvas.lean_blocks.items()]
    return canvas.kind, {
        block.key: [entry.text for entry in section.entries] for block, section in sections
    }


def test_an_outliner_s_property_lines_are_no_text_of_a_block() -> None:
    """An outliner page (Logseq) notes `collapsed:: true` or `id:: …` under a block: its own
    bookkeeping, on a line of its own or after an item's text, never a company's answer."""
    page = (
        "- ## Customer Segments\n  collapsed:: true\n\t- Commuters in Berlin\n\t- Bike couriers\n"
        "- ## Value Propositions\n  id:: 6441276a-8ab2-4123-90d5-489ff9d6274d\n"
        "\t- Repairs within a day\n"
        "- ## Channels\n\t- Our shop in Kreuzberg\n\t  collapsed:: true\n"
        "- ## Key Resources\n\t- C++ std:: containers and a 2:: 1 ratio\n"
    )
    canvas = read_canvas(page, "acme-bikes.md")
    assert {block.key: section.items for block, section in canvas.blocks.items()} == {
        "customer-segments": ("Commuters in Berlin", "Bike couriers"),
        "value-propositions": ("Repairs within a day",),
        "channels": ("Our shop in Kreuzberg",),
        "key-resources": ("C++ std:: containers and a 2:: 1 ratio",),
    }


def test_a_date_no_calendar_has_is_kept_as_text_and_the_rest_of_the_front_matter_read() -> None:
    text = (
        "---\ntitle: Acme Rockets\ndate: 2016-13-45\n"
        "history: [2015-02-30 10:00:00, 2016-01-02]\n---\n\n## Channels\n\n- Web\n"
    )
    canvas = read_canvas(text, "acme.md")
    assert canvas.name == "Acme Rockets"
    assert canvas.metadata == {
        "title": "Acme Rockets",
        "date": "2016-13-45",
        "history": ["2015-02-30 10:00:00", "2016-01-02"],
    }
    found = [(d.line, d.column, d.message) for d in canvas.diagnostics if d.code == "CV101"]
    assert [(line, column) for line, column, _ in found] == [(3, 7), (4, 11)]
    assert "'2016-13-45' is no date" in found[0][2]
