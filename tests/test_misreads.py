"""Tests of posts a human reads one way and the reader once read another."""

from __future__ import annotations

from pathlib import Path

import pytest

from canvascli.model import Block, Canvas
from canvascli.read.canvas import read_canvas
from canvascli.read.explainer import is_prompt
from canvascli.read.names import name_from_title
from canvascli.read.site_markup import without_site_markup
from canvascli.render.safe_text import clean_line
from tests.helpers import GRID_ORDER, Run, ok


def entries(canvas: Canvas, block: Block) -> list[str]:
    (section,) = [section for section in canvas.sections if section.block is block]
    return [entry.text for entry in section.entries]


def nine_blocks(opening: dict[str, str] | None = None) -> str:
    """The nine blocks as `##` headings, each with an answer, some opened by `opening`."""
    opening = opening or {}
    parts = []
    for block in GRID_ORDER:
        lead = f"{opening[block]}\n\n" if block in opening else ""
        parts.append(f"## {block}\n\n{lead}- our {block.lower()}")
    return "\n\n".join(parts) + "\n"


# Names that look like blocks, or hold a canvas phrase


@pytest.mark.parametrize(
    ("title", "name"),
    [
        ("Revenue: Business Model Canvas", "Revenue"),
        ("Channels — Lean Canvas", "Channels"),
        ("Key Partners Ltd - BMC", "Key Partners Ltd"),
        ("The Business Model of Model N", "Model N"),
        ("El modelo de negocio de Zara", "Zara"),
        ("Business Model Canvas of Canvas Co.", "Canvas Co."),
        ("Lean Canvas: LeanCanvas Labs", "LeanCanvas Labs"),
        ("Value Proposition Design Studio", "Value Proposition Design Studio"),
        ("Solution Inc.", "Solution Inc."),
        ("Problem Solvers", "Problem Solvers"),
        ("FEIRALIVRE: Canvas de Modelos de Negócio", "FEIRALIVRE"),
        ("Affärsmodell för Cykelköket", "Cykelköket"),
        ("Netflix:s affärsmodell", "Netflix"),
        ("Analys av affärsmodellen för Spotify", "Spotify"),
        ("Forretningsmodel for Hygge Cykler", "Hygge Cykler"),
        ("Forretningsmodellen til Fjordbåt AS", "Fjordbåt AS"),
        ("Uppgift 2 — Cykelköket", "Cykelköket"),
        # A subtitle after the canvas phrase says what the post does with the canvas.
        ("Spotify Business Model Canvas: Complete BMC Analysis", "Spotify"),
        ("Uber Business Model Canvas — Explained", "Uber"),
        ("Airbnb Lean Canvas: a teardown", "Airbnb"),
        ("Tandem Tutor Lean Canvas | draft 2", "Tandem Tutor"),
    ],
)
def test_a_name_like_a_block_or_holding_a_canvas_phrase_is_kept(title: str, name: str) -> None:
    assert name_from_title(title) == name


# Names with a legal form, a brand in lower case, or a description after a mark


@pytest.mark.parametrize(
    ("title", "name"),
    [
        ("Acme | a Ltd", "Acme | a Ltd"),
        ("Müller & Söhne · Bäckerei GmbH", "Müller & Söhne · Bäckerei GmbH"),
        ("Acme: Widgets Inc.", "Acme: Widgets Inc."),
        ("Acme e.V. — Verein für Lastenräder", "Acme e.V."),
        ("npm, Inc. — the package registry", "npm, Inc."),
        ("Acme Sp. z o.o. — sklep internetowy", "Acme Sp. z o.o."),
        ("Lean Canvas: Acme S.A.", "Acme S.A."),
        ("Acme S.p.A. — Business Model Canvas", "Acme S.p.A."),
        ("eBay — online auctions", "eBay"),
        ("iRobot | home robots", "iRobot"),
        ("bol.com — de winkel van ons allemaal", "bol.com"),
        ("Acme • cloud storage", "Acme"),
        ("Acme · Lean Canvas", "Acme"),
        ("Lean Canvas • Acme", "Acme"),
        ("Acme — a day spa", "Acme"),
        ("Hewlett-Packard | printers and ink", "Hewlett-Packard"),
        ("Case study: Acme", "Acme"),
        ("Notes on pricing: Acme", "Notes on pricing: Acme"),
        ("tidyhooks: git hooks made tidy", "tidyhooks: git hooks made tidy"),
    ],
)
def test_a_name_keeps_its_legal_form_and_loses_the_description_after_a_mark(
    title: str, name: str
) -> None:
    assert name_from_title(title) == name


@pytest.mark.parametrize(
    ("line", "name"),
    [
        ("**Company:** Acme Inc.", "Acme Inc."),
        ("**Business/Product:** Fernhill Compost Co.", "Fernhill Compost Co."),
        ("Empresa / Proyecto: Padaria Aurora S.A.", "Padaria Aurora S.A."),
        ("**Company:** Acme.", "Acme"),
        ("**Company/Date:** Acme", "Labelled"),
    ],
)
def test_a_labelled_name_keeps_its_legal_form_and_a_label_may_offer_alternatives(
    line: str, name: str
) -> None:
    canvas = read_canvas(f"{line}\n\n{nine_blocks()}", "labelled.md")
    assert canvas.name == name


def test_list_names_companies_by_their_legal_form(run: Run, tmp_path: Path) -> None:
    titles = {
        "aurora": "# Business Model Canvas: Padaria Aurora S.A. — estudo de viabilidade",
        "nordwind": "---\ntitle: Nordwind GmbH | Lastenräder für die Stadt\n---",
        "ebay": "---\ntitle: eBay — online auctions\n---",
        "mueller": "# Müller & Söhne · Bäckerei GmbH",
    }
    for stem, title in titles.items():
        (tmp_path / f"{stem}.md").write_text(f"{title}\n\n{nine_blocks()}", encoding="utf-8")
    listed = ok(run("list", "--posts", str(tmp_path))).stdout.splitlines()
    assert sorted(line.split("\t")[0] for line in listed) == [
        "Müller & Söhne · Bäckerei GmbH",
        "Nordwind GmbH",
        "Padaria Aurora S.A.",
        "eBay",
    ]


@pytest.mark.parametrize(
    "title",
    [
        "2.1 Value Proposition Canvas",
        "2. Customer Segments — Business Model Canvas",
        "The BMC",
        "3. MVP Canvas",
        "Empathy Map Canvas",
        "Lean UX Canvas",
    ],
)
def test_a_block_or_another_kind_of_canvas_before_canvas_names_no_company(title: str) -> None:
    assert name_from_title(title) is None


@pytest.mark.parametrize("name", ["Channels", "Revenue", "Key Partners", "Problem"])
def test_a_title_heading_named_like_a_block_titles_the_post(name: str) -> None:
    text = f"# {name}\n\n{name} is our company.\n\n{nine_blocks()}"
    canvas = read_canvas(text, f"{name.lower().replace(' ', '-')}.md")
    assert canvas.name == name
    assert [section.heading for section in canvas.sections if section.block] == list(GRID_ORDER)
    assert [extra.paragraphs for extra in canvas.extras] == [(f"{name} is our company.",)]


def test_a_first_block_written_a_level_too_high_is_still_a_block() -> None:
    text = (
        "# Key Partners\n\n- A bee farm\n\n## Value Propositions\n\n- Hives ready to use\n\n"
        "## Channels\n\n- Farmers' markets\n"
    )
    canvas = read_canvas(text, "hives.md")
    assert canvas.name == "Hives"
    assert entries(canvas, Block.KEY_PARTNERS) == ["A bee farm"]


def test_a_heading_over_labels_of_one_block_still_opens_it() -> None:
    text = "# Customer Segments\n\n## Businesses\n\n- shops\n\n## Residents\n\n- families\n"
    canvas = read_canvas(text, "segments.md")
    assert entries(canvas, Block.CUSTOMER_SEGMENTS) == [
        "Businesses",
        "shops",
        "Residents",
        "families",
    ]


# Template prompts


@pytest.mark.parametrize(
    "text",
    [
        "Who are our most important customers?",
        "(For whom do we create value? Who matters most to us?)",
        "¿A quién ayudarás?",
        "Wer sind unsere wichtigsten Kunden?",
        "List your top 3 problems",
        "Outline a solution for each problem.",
        "Through which channels do our customer segments want to be reached?",
        "¿Quiénes son nuestros clientes más importantes?",
        "Quem são os nossos clientes?",
        "Pour qui créons-nous de la valeur\u202f?",
        "Für wen schöpfen wir Wert?",
        "Enumera tus clientes más importantes.",
        "Liste os seus clientes mais importantes.",
        "Descreva o valor que você entrega.",
        "Décrivez la valeur que vous apportez.",
        "Listez vos clients.",
        "Beschreiben Sie den Nutzen für Ihre Kunden.",
        "Uberlegen Sie, wer Ihre Kunden sind.",
        "ÜBERLEGE, WER DEINE KUNDEN SIND.",
        "Nenne deine wichtigsten Partner.",
        "Elenca i tuoi clienti più importanti.",
        "Beschrijf de waarde voor je klanten.",
    ],
)
def test_a_question_or_instruction_is_written_as_a_prompt(text: str) -> None:
    assert is_prompt(text)


@pytest.mark.parametrize(
    "text",
    [
        '"Who will walk my dog when I\'m stuck at work?"',
        "“Can you send me a photo?” is what owners ask most",
        "Name recognition in the region",
        "List price of €5 a box",
        "Write-offs of unsold stock",
        "Should we run a night shift? We keep asking.",
        "Lista de precios por temporada",
        "Liste der Partner im Viertel",
        "Liste des fournisseurs locaux",
        "Indicadores de uso semanal",
        "Spiegazione in negozio",
        "Gibraltar shops",
    ],
)
def test_quoted_speech_and_answers_are_no_prompts(text: str) -> None:
    assert not is_prompt(text)


def test_a_template_s_leading_prompts_are_left_out_of_every_block() -> None:
    prompts = {
        "Customer Segments": "Who are our most important customers?",
        "Value Propositions": "_(What value do we deliver to the customer?)_",
        "Channels": "> Through which channels do our customer segments want to be reached?",
    }
    canvas = read_canvas(f"# Acme\n\n{nine_blocks(prompts)}", "acme.md")
    for block in Block:
        assert entries(canvas, block) == [f"our {block.title.lower()}"]


SPANISH_TEMPLATE = {
    "Segmentos de clientes": ("Enumera tus clientes más importantes.", "Familias del barrio"),
    "Propuesta de valor": ("_Describe el valor que entregas._", "Pan cocido dos veces al día"),
    "Canales": ("> Indica cómo llegas a tus clientes.", "La tienda de la plaza"),
    "Fuentes de ingresos": ("_(¿Por qué valor pagan?)_", "Venta en mostrador"),
}


def test_show_leaves_out_a_template_s_prompts_in_another_language(run: Run, tmp_path: Path) -> None:
    body = "".join(
        f"## {label}\n\n{prompt}\n\n- {answer}\n\n"
        for label, (prompt, answer) in SPANISH_TEMPLATE.items()
    )
    (tmp_path / "panaderia.md").write_text(f"# Panadería Sol\n\n{body}", encoding="utf-8")
    shown = ok(run("show", "panaderia", "--posts", str(tmp_path))).stdout
    for prompt, answer in SPANISH_TEMPLATE.values():
        assert answer in shown
        assert prompt.strip("_>() ") not in shown


def test_one_block_opening_with_a_question_keeps_it() -> None:
    prompts = {"Channels": "How do we reach the harbour crowd?"}
    canvas = read_canvas(f"# Acme\n\n{nine_blocks(prompts)}", "acme.md")
    assert entries(canvas, Block.CHANNELS) == ["How do we reach the harbour crowd?", "our channels"]


def test_a_block_of_open_questions_keeps_them() -> None:
    prompts = {block: "Who are they?" for block in GRID_ORDER[:3]}
    text = nine_blocks(prompts).replace(
        "- our channels", "- Will clinics pay €50 a month?\n- Do vets trust an app?"
    )
    canvas = read_canvas(f"# Acme\n\n{text}", "acme.md")
    assert entries(canvas, Block.KEY_PARTNERS) == ["our key partners"]
    assert entries(canvas, Block.CHANNELS) == [
        "Will clinics pay €50 a month?",
        "Do vets trust an app?",
    ]


# Text after a block's name in its heading


@pytest.mark.parametrize(
    ("heading", "label", "text"),
    [
        (
            "Channels: the web shop, markets and fairs",
            "Channels",
            ["the web shop, markets and fairs"],
        ),
        ("Channels – the web shop", "Channels", ["the web shop"]),
        ("Channels — CH", "Channels — CH", []),
        ("Channels: how do we reach them?", "Channels: how do we reach them?", []),
        ("Channels: Channels: the web shop", "Channels", ["the web shop"]),
        # A gloss of the block, not its text: a question without its mark, a lead into
        # the list below, a template's prompt.
        ("Channels - How they find us", "Channels - How they find us", []),
        ("Channels - Where we sell:", "Channels - Where we sell:", []),
        ("Channels — Describe how you reach them", "Channels — Describe how you reach them", []),
        ("Channels – how-to videos", "Channels", ["how-to videos"]),
    ],
)
def test_a_heading_s_text_is_one_entry_without_the_label(
    heading: str, label: str, text: list[str]
) -> None:
    canvas = read_canvas(
        f"# Acme\n\n{nine_blocks()}".replace("## Channels", f"## {heading}"), "a.md"
    )
    section = next(section for section in canvas.sections if section.heading == label)
    assert section.block is Block.CHANNELS
    assert [entry.text for entry in section.entries] == [*text, "our channels"]


def test_a_block_s_text_naming_the_block_again_is_given_without_it() -> None:
    text = nine_blocks().replace("- our channels", "Channels: the web shop, and markets")
    canvas = read_canvas(f"# Acme\n\n{text}", "a.md")
    assert entries(canvas, Block.CHANNELS) == ["the web shop, and markets"]
    text = nine_blocks().replace("- our channels", "Channels include the web shop")
    canvas = read_canvas(f"# Acme\n\n{text}", "a.md")
    assert entries(canvas, Block.CHANNELS) == ["Channels include the web shop"]


# Lines that open with `#` but are no headings


def test_a_hash_without_a_space_opens_no_block() -> None:
    text = nine_blocks().replace(
        "- our channels", "#1 priority is Instagram.\n\n#TODO ask about the fair\n\n- ads"
    )
    canvas = read_canvas(f"# Acme\n\n{text}", "a.md")
    assert entries(canvas, Block.CHANNELS) == [
        "#1 priority is Instagram.",
        "#TODO ask about the fair",
        "ads",
    ]
    assert not canvas.extras


# A site generator's markup


@pytest.mark.parametrize(
    ("text", "kept"),
    [
        ('{{< figure src="/images/canvas.png" alt="Our canvas" >}}', ""),
        ("Office workers {{< youtube dQw4w9WgXcQ >}}", "Office workers"),
        ("{{% notice tip %}} Baked at 5am. {{% /notice %}}", "Baked at 5am."),
        ('{% include note.html block="channels" %}', ""),
        ("{%- if page.draft -%} Draft {%- endif -%}", "Draft"),
        ("Flour {% comment %} ask about the lease {% endcomment %}", "Flour"),
        ("Pre-orders on [our website]({{ site.baseurl }}/order)", "Pre-orders on our website"),
        ("Shops in {{ site.city }}.", "Shops in."),
        ("{{ .Title }} rocks", "rocks"),
        ("{{/* a note */}} Bread", "Bread"),
        # A template's fields, and braces in text, are the post's own.
        ("{{business_name}}", "{{business_name}}"),
        ("{{ Company }}", "{{ Company }}"),
        ("Sets {a, b} and 50% {off}", "Sets {a, b} and 50% {off}"),
    ],
)
def test_site_markup_is_left_out_of_text(text: str, kept: str) -> None:
    assert without_site_markup(text) == kept


def test_a_style_sheet_or_script_after_the_last_block_is_no_text_of_it() -> None:
    page = (
        "<STYLE>\ntable, td { border: 1px solid; }\n</STYLE>\n\n"
        '<script type="module">console.log(1)</script>\n'
    )
    canvas = read_canvas(f"# Acme\n\n{nine_blocks()}\n{page}", "a.md")
    assert entries(canvas, Block.REVENUE_STREAMS) == ["our revenue streams"]
    assert not canvas.extras


def test_shortcodes_and_liquid_tags_are_no_entries_nor_part_of_a_heading() -> None:
    text = nine_blocks().replace(
        "## Channels\n\n- our channels",
        '## Channels {{< icon "mail" >}}\n\n{% include note.html %}\n\n- our channels\n'
        '{{< figure src="a.png" >}}',
    )
    canvas = read_canvas(f'{{{{< figure src="top.png" >}}}}\n\n# Acme\n\n{text}', "a.md")
    assert entries(canvas, Block.CHANNELS) == ["our channels"]
    assert [section.heading for section in canvas.sections if section.block][5] == "Channels"
    assert not canvas.extras


# A notes app's links and highlights


@pytest.mark.parametrize(
    ("text", "kept"),
    [
        ("- [[Harrow Bakery]]", "Harrow Bakery"),
        ("- Parents at [[Lindgate School|the school]]", "Parents at the school"),
        ("- See [[Menu#Winter]]", "See Menu > Winter"),
        ("- The kiosk ![[kiosk.jpg]]", "The kiosk"),
        ("- [[Soup of the day\\|Soup]] and [link](https://a.example)", "Soup and link"),
        # Brackets that make no wiki link are the post's own.
        ("- [[ ] and [x] stay", "[[ ] and [x] stay"),
        ("- ==Tourist office== and ==the quay==", "Tourist office and the quay"),
        ("- Price == cost, a ==== rule, `==code==`", "Price == cost, a ==== rule, ==code=="),
    ],
)
def test_a_wiki_link_or_highlight_reads_as_the_notes_app_shows_it(text: str, kept: str) -> None:
    canvas = read_canvas(nine_blocks().replace("- our channels", text), "a.md")
    assert entries(canvas, Block.CHANNELS) == [kept]


def test_wiki_links_in_a_title_and_labels_name_the_company_and_blocks() -> None:
    text = nine_blocks().replace("## Channels", "## [[Channels]]")
    canvas = read_canvas(f"# Business model of [[Kettle & Crumb]]\n\n{text}", "a.md")
    assert canvas.name == "Kettle & Crumb"
    assert ("Channels", Block.CHANNELS) in [(s.heading, s.block) for s in canvas.sections]
    assert not canvas.extras


def test_a_highlighted_label_names_its_block_without_the_marks() -> None:
    text = nine_blocks().replace("## Channels\n\n- our channels", "## ==Channels==\n- the quay")
    canvas = read_canvas(f"# Acme\n\n{text}", "a.md")
    assert ("Channels", ["the quay"]) in [
        (s.heading, [e.text for e in s.entries]) for s in canvas.sections if s.block
    ]


# Characters that show nothing


def test_marks_and_zero_width_characters_are_no_part_of_names_labels_or_text() -> None:
    post = (
        '---\ntitle: "مخبز الياسمين\u200f"\n---\n\n'
        + nine_blocks().replace("- our channels", "- Rue\u200f 12\n- Office\u200bworkers\u00ad")
    ).replace("## Customer Segments", "## \u200fCustomer Segments\u200e")
    canvas = read_canvas(post, "a.md")
    assert canvas.name == "مخبز الياسمين"
    assert entries(canvas, Block.CHANNELS) == ["Rue 12", "Officeworkers"]
    assert [s.heading for s in canvas.sections if s.block][6] == "Customer Segments"


def test_joiners_that_spell_a_word_or_an_emoji_stay() -> None:
    persian = "می\u200cخواهم"  # a zero-width non-joiner inside the word
    family = "👨\u200d👩\u200d👧"
    text = nine_blocks().replace("- our channels", f"- {persian}\n- {family} families")
    canvas = read_canvas(f"# Acme\n\n{text}", "a.md")
    assert entries(canvas, Block.CHANNELS) == [persian, f"{family} families"]


def test_no_mark_or_override_reaches_the_terminal_live(run: Run, tmp_path: Path) -> None:
    post = "# مخبز\u200f الياسمين\n\n" + nine_blocks().replace(
        "- our channels", "- shop\u200f on Rue 12\n- \u202eevil\u202c text"
    )
    (tmp_path / "bakery.md").write_text(post, encoding="utf-8")
    shown = ok(run("show", "bakery", "--posts", str(tmp_path))).stdout
    assert "مخبز الياسمين" in shown and "shop on Rue 12" in shown
    assert "\u200f" not in shown and "\u202e" not in shown
    assert "\\u202eevil\\u202c text" in shown  # an override is shown for what it is
    found = ok(run("search", "shop on rue", "--posts", str(tmp_path))).stdout
    assert "bakery" in found
    # A mark in a file name or a front matter value is shown, never live.
    assert clean_line("a\u200fb\u200ec\u061cd") == "a\\u200fb\\u200ec\\u061cd"


# Headings that group blocks


def test_a_word_naming_a_block_over_its_blocks_groups_them() -> None:
    post = (
        "# Acme\n\n## Customers\n\nWho they are.\n\n### Customer Segments\n\n- Parents\n\n"
        "### Channels\n\n- Markets\n\n## Infrastructure\n\n### Key Partners\n\n- A mill\n\n"
        "### Key Activities\n\n- Baking\n\n### Key Resources\n\n- An oven\n"
    )
    canvas = read_canvas(post, "a.md")
    assert entries(canvas, Block.CUSTOMER_SEGMENTS) == ["Parents"]
    assert [extra.heading for extra in canvas.extras] == ["Customers", "Infrastructure"]


@pytest.mark.parametrize(
    "post",
    [
        # A whole block name over parts of the block it names: the block, its parts inside.
        "## Customer Segments\n\n### Primary customer segment\n\n- Parents\n\n"
        "### Channels\n\n- Markets\n",
        # The word over the block alone: no other block is grouped under it.
        "## Customers\n\n### Customer Segments\n\n- Parents\n\n## Channels\n\n- Markets\n",
    ],
)
def test_a_heading_over_its_own_block_alone_stays_that_block(post: str) -> None:
    text = f"# Acme\n\n{post}\n## Key Partners\n\n- A mill\n\n## Cost Structure\n\n- Rent\n"
    canvas = read_canvas(text, "a.md")
    assert "Parents" in entries(canvas, Block.CUSTOMER_SEGMENTS)
    assert canvas.extras == ()


# Arrows between a label and its text


@pytest.mark.parametrize("arrow", ["→", "->", "=>"])
def test_a_spaced_arrow_parts_a_heading_from_its_text(arrow: str) -> None:
    post = "# Acme\n\n" + nine_blocks().replace("## Channels", f"## Channels {arrow} the web shop")
    canvas = read_canvas(post, "a.md")
    assert entries(canvas, Block.CHANNELS) == ["the web shop", "our channels"]


def test_an_arrow_inside_a_word_parts_nothing() -> None:
    post = "# Acme\n\n" + nine_blocks().replace("## Channels", "## Channels->web")
    canvas = read_canvas(post, "a.md")
    assert entries(canvas, Block.CHANNELS) == ["our channels"]
