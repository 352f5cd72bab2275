"""Tests of how `normalise_label` and `match_block` map written headings onto the nine blocks."""

from __future__ import annotations

import sys

import pytest

from canvascli.model import AnyBlock, Block, LeanBlock
from canvascli.read.label_text import _strip_symbols
from canvascli.read.labels import (
    AMBIGUOUS_ALONE,
    SYNONYMS,
    is_known_name,
    is_other_section,
    match_block,
    match_label,
    normalise_label,
    read_label,
    read_paraphrase,
    suggest_block,
    suggest_label,
)

CS = Block.CUSTOMER_SEGMENTS
VP = Block.VALUE_PROPOSITIONS
CH = Block.CHANNELS
CR = Block.CUSTOMER_RELATIONSHIPS
RS = Block.REVENUE_STREAMS
KR = Block.KEY_RESOURCES
KA = Block.KEY_ACTIVITIES
KP = Block.KEY_PARTNERS
CO = Block.COST_STRUCTURE


def table(*rows: tuple[str, object]) -> pytest.MarkDecorator:
    return pytest.mark.parametrize(("label", "expected"), rows, ids=[row[0] for row in rows])


@table(
    ("Customer Segments", "customer segment"),
    ("Key Activities", "key activity"),
    ("Customer Relationships", "customer relationship"),
    ("Value Propositions", "value proposition"),
    ("Business", "business"),
    ("Gas", "gas"),
)
def test_normalise_makes_words_singular(label: str, expected: str) -> None:
    assert normalise_label(label) == expected


@table(
    ("CUSTOMER SEGMENTS", "customer segment"),
    ("cUsToMeR sEgMeNtS", "customer segment"),
    ("Ｃｈａｎｎｅｌｓ", "channel"),
)
def test_normalise_folds_case_and_width(label: str, expected: str) -> None:
    assert normalise_label(label) == expected


@table(
    ("3. Channels", "channel"),
    ("1) Key Partners", "key partner"),
    ("(2) Value Propositions", "value proposition"),
    ("10: Cost Structure", "cost structure"),
    ("iv. Key Activities", "key activity"),
    ("a) Channels", "channel"),
)
def test_normalise_drops_leading_numbering(label: str, expected: str) -> None:
    assert normalise_label(label) == expected


@table(
    ("💰 Revenue Streams", "revenue stream"),
    ("1️⃣ Customer Segments", "customer segment"),
    ("Key Resources 🏗️", "key resource"),
    ("🤝 Customer Relationships", "customer relationship"),
)
def test_normalise_drops_emoji_and_keycaps(label: str, expected: str) -> None:
    assert normalise_label(label) == expected


@table(
    ("Revenue-Stream", "revenue stream"),
    ("Key_Partners", "key partner"),
    ("Channels:", "channel"),
    ("Channels：", "channel"),
    ("Key Resources & Skills", "key resource skill"),
)
def test_normalise_turns_punctuation_into_spaces(label: str, expected: str) -> None:
    assert normalise_label(label) == expected


@table(
    ("Kundensegmente", "kundensegmente"),
    ("Ressources clés", "ressource clés"),
    ("客户细分", "客户细分"),
)
def test_normalise_keeps_non_ascii_words(label: str, expected: str) -> None:
    assert normalise_label(label) == expected


@pytest.mark.parametrize("label", ["", "   ", "💰", "---", "()"])
def test_normalise_of_nothing_is_empty(label: str) -> None:
    assert normalise_label(label) == ""


@table(
    ("Value Proposition", VP),
    ("Value Propositions", VP),
    ("Customer Segment", CS),
    ("Key Resource", KR),
    ("Key Activity", KA),
    ("Revenue Stream", RS),
    ("Cost Structures", CO),
    ("Customer Relationship", CR),
)
def test_singular_and_plural(label: str, expected: Block) -> None:
    assert match_block(label) is expected


@table(
    ("CUSTOMER SEGMENTS", CS),
    ("key partners", KP),
    ("Revenue streams", RS),
)
def test_any_case(label: str, expected: Block) -> None:
    assert match_block(label) is expected


@table(
    ("3. Channels", CH),
    ("1) Key Partners", KP),
    ("9. Cost Structure", CO),
    ("(2) Value Propositions", VP),
    ("Step 4: Customer Relationships", CR),
)
def test_numbering(label: str, expected: Block) -> None:
    assert match_block(label) is expected


@table(
    ("1️⃣ Customer Segments", CS),
    ("💰 Revenue Streams", RS),
    ("🤝 Key Partners", KP),
    ("Channels 📣", CH),
    ("1. 💸 Cost Structure", CO),
)
def test_emoji_and_keycap_emoji(label: str, expected: Block) -> None:
    assert match_block(label) is expected


@table(
    ("Key Resources", KR),
    ("**Key Resources**", KR),
)
def test_bold_markers(label: str, expected: Block) -> None:
    # The parser flattens `**...**` before matching; raw markers must not hurt either.
    assert match_block(label) is expected


@table(
    ("Channels:", CH),
    ("Key Partners:", KP),
    ("Channels：", CH),
    ("Customer Segments ：", CS),
)
def test_trailing_colon_and_full_width_colon(label: str, expected: Block) -> None:
    assert match_block(label) is expected


@table(
    ("Revenue-Stream", RS),
    ("Customer-Segments", CS),
    ("key-activities", KA),
)
def test_hyphens(label: str, expected: Block) -> None:
    assert match_block(label) is expected


@table(
    ("Revenues Streams", RS),
    ("Cost Structur", CO),
    ("Key Activites", KA),
    ("Customer Segements", CS),
    ("Value Propositon", VP),
)
def test_typos(label: str, expected: Block) -> None:
    assert match_block(label) is expected


@table(
    ("Key Activites", KA),
    ("Customer Segements", CS),
)
def test_typos_are_forgiven_only_when_asked(label: str, expected: Block) -> None:
    assert match_block(label, fuzzy=False) is None
    assert match_block("Revenue Streams", fuzzy=False) is RS
    assert match_block(label, fuzzy=True) is expected


@table(
    ("Key Resources and Skills", KR),
    ("Revenue Streams / Sustainability Logic", RS),
    ("Customer Segments (Who are our customers?)", CS),
    ("Customer Relationships to Establish", CR),
    ("Channels - how we reach customers", CH),
    ("Cost Structure (fixed vs variable)", CO),
    ("Who are our customers? (Customer Segments)", CS),
)
def test_suffixes_and_explanations(label: str, expected: Block) -> None:
    assert match_block(label) is expected


@table(
    ("Key Partnerships", KP),
    ("Partner Network", KP),
    ("Costs", CO),
    ("Distribution Channels", CH),
    ("Marketing Channels", CH),
    ("Customer Relations", CR),
    ("Unique Value Proposition", VP),
)
def test_aliases(label: str, expected: Block) -> None:
    assert match_block(label) is expected


@table(
    ("Segmentos de clientes", CS),
    ("Propuesta de valor", VP),
    ("Canales de distribución", CH),
    ("Relaciones con clientes", CR),
    ("Fuentes de ingresos", RS),
    ("Recursos clave", KR),
    ("Actividades clave", KA),
    ("Socios clave", KP),
    ("Estructura de costos", CO),
)
def test_spanish(label: str, expected: Block) -> None:
    assert match_block(label) is expected


@table(
    ("Segments de clientèle", CS),
    ("Proposition de valeur", VP),
    ("Canaux de distribution", CH),
    ("Relations clients", CR),
    ("Sources de revenus", RS),
    ("Ressources clés", KR),
    ("Activités clés", KA),
    ("Partenaires clés", KP),
    ("Structure de coûts", CO),
)
def test_french(label: str, expected: Block) -> None:
    assert match_block(label) is expected


@table(
    ("Kundensegmente", CS),
    ("Wertangebot", VP),
    ("Vertriebskanäle", CH),
    ("Kundenbeziehungen", CR),
    ("Einnahmequellen", RS),
    ("Schlüsselressourcen", KR),
    ("Schlüsselaktivitäten", KA),
    ("Schlüsselpartner", KP),
    ("Kostenstruktur", CO),
)
def test_german(label: str, expected: Block) -> None:
    assert match_block(label) is expected


@table(
    ("Segmentos de cliente", CS),
    ("Proposta de valor", VP),
    ("Canais", CH),
    ("Relacionamento com clientes", CR),
    ("Fontes de receita", RS),
    ("Recursos principais", KR),
    ("Atividades principais", KA),
    ("Parcerias principais", KP),
    ("Estrutura de custos", CO),
)
def test_portuguese(label: str, expected: Block) -> None:
    assert match_block(label) is expected


@table(
    ("客户细分", CS),
    ("价值主张", VP),
    ("渠道通路", CH),
    ("客户关系", CR),
    ("收入来源", RS),
    ("核心资源", KR),
    ("关键业务", KA),
    ("重要合作", KP),
    ("成本结构", CO),
    ("客戶細分", CS),
    ("關鍵合作夥伴", KP),
)
def test_chinese(label: str, expected: Block) -> None:
    assert match_block(label) is expected


@pytest.mark.parametrize(
    ("label", "expected"),
    [(name, block) for block, names in SYNONYMS.items() for name in names],
)
def test_every_synonym_names_its_own_block(label: str, expected: AnyBlock) -> None:
    assert match_label(label) is expected
    assert match_label(f"2. {label.upper()}:") is expected


def test_no_two_blocks_share_a_normalised_synonym() -> None:
    owners: dict[str, AnyBlock] = {}
    for block, names in SYNONYMS.items():
        for name in names:
            assert owners.setdefault(normalise_label(name), block) is block, name


@pytest.mark.parametrize(
    "label",
    [
        "Competitors",
        "Introduction",
        "Customer Journey",
        "Summary",
        "Business Model Canvas",
        "Businessmodel of MemSQL",
        "Conclusion",
        "Key Metrics",
        "Key Takeaways",
        "Unfair Advantage",
        "Value Chain",
        "Customer Feedback",
        "References",
        "Value Proposition Canvas",
        "1. Value Proposition Canvas (Canvas da Proposta de Valor)",
        "Customer Segment Canvas",
        "",
        "💰",
    ],
)
def test_headings_that_name_no_block(label: str) -> None:
    assert match_block(label) is None


# Rules added for canvases written in the wild, one test per rule.


@table(
    ("Channels\ufe0e", CH),
    ("Key Partners \U000e0100", KP),
    ("✳\ufe0f Key Activities", KA),
    ("👩🏽\u200d💻 Key Resources", KR),
)
def test_variation_selectors_skin_tones_and_joiners(label: str, expected: Block) -> None:
    assert match_block(label) is expected


@table(
    ("Our Customers", CS),
    ("The Value Proposition", VP),
    ("Our Key Partners:", KP),
    ("The Problem", LeanBlock.PROBLEM),
    ("Our Unfair Advantage", LeanBlock.UNFAIR_ADVANTAGE),
)
def test_leading_article_or_possessive(label: str, expected: AnyBlock) -> None:
    assert match_label(label) is expected


@table(
    ("Segmentos de clientes", CS),
    ("Segmentos de mercado", CS),
    ("Propuesta de valor", VP),
    ("Canales", CH),
    ("Relaciones con clientes", CR),
    ("Relación con los clientes", CR),
    ("Fuentes de ingresos", RS),
    ("Flujos de ingresos", RS),
    ("Recursos clave", KR),
    ("Actividades clave", KA),
    ("Socios clave", KP),
    ("Estructura de costos", CO),
    ("Estructura de costes", CO),
)
def test_spanish_names_from_the_wild(label: str, expected: Block) -> None:
    assert match_block(label) is expected


@table(
    ("客户细分 (Customer Segments)", CS),
    ("价值主张（Value Propositions）", VP),
    ("渠道 / Channels", CH),
    ("客户关系 Customer Relationships", CR),
    ("Revenue Streams（收入来源）", RS),
    ("目標客戶", CS),
    ("重要夥伴", KP),
    ("營收來源", RS),
)
def test_chinese_with_or_without_english(label: str, expected: Block) -> None:
    assert match_block(label) is expected


@table(
    ("Problem", LeanBlock.PROBLEM),
    ("Problemas", LeanBlock.PROBLEM),
    ("问题", LeanBlock.PROBLEM),
    ("Solution", LeanBlock.SOLUTION),
    ("Solución", LeanBlock.SOLUTION),
    ("解決方案", LeanBlock.SOLUTION),
    ("Unfair Advantage", LeanBlock.UNFAIR_ADVANTAGE),
    ("Ventaja injusta", LeanBlock.UNFAIR_ADVANTAGE),
    ("Key Metrics", LeanBlock.KEY_METRICS),
    ("Métricas clave", LeanBlock.KEY_METRICS),
    ("关键指标", LeanBlock.KEY_METRICS),
    ("Unique Value Proposition", VP),
    ("UVP", VP),
    ("Propuesta única de valor", VP),
)
def test_lean_canvas_names(label: str, expected: AnyBlock) -> None:
    assert match_label(label) is expected


@pytest.mark.parametrize("label", ["Key Metrics", "Problem", "Solution", "Unfair Advantage"])
def test_match_block_keeps_to_the_nine_blocks(label: str) -> None:
    assert match_block(label) is None
    assert isinstance(match_label(label), LeanBlock)


@table(
    ("Resources", True),
    ("Partners", True),
    ("Customers", True),
    ("Costs", True),
    ("Problem", True),
    ("Solutions", True),
    ("Key Resources", False),
    ("Customer Segments", False),
    ("Channels", False),
    ("Unfair Advantage", False),
    ("Resources (what we own)", True),
)
def test_names_that_head_other_documents_are_ambiguous(label: str, expected: object) -> None:
    found = read_label(label)
    assert found is not None
    assert found.ambiguous is expected


def test_every_ambiguous_name_is_in_the_synonym_table() -> None:
    names = {normalise_label(name) for names in SYNONYMS.values() for name in names}
    assert {normalise_label(name) for name in AMBIGUOUS_ALONE} <= names


@table(
    ("Key Activites", True),
    ("Customer Segements", True),
    ("Key Activities", False),
    ("Revenues Streams", False),
)
def test_a_close_spelling_is_marked_fuzzy(label: str, expected: object) -> None:
    found = read_label(label)
    assert found is not None
    assert found.fuzzy is expected


@table(
    ("Key Resources", KR),
    ("KEY RESOURCES", KR),
    ("Customer Segments (B2B)", CS),
    ("Key Resources and Skills", None),
    ("Customers love the new app", None),
    ("Key Activites", None),
    ("Channels - how we reach them", None),
    # A ranking before the name, as the Lean Canvas template prompts it, is part of it.
    ("Top 3 Problems", LeanBlock.PROBLEM),
    ("TOP-3 PROBLEMS", LeanBlock.PROBLEM),
    ("Top three problems", LeanBlock.PROBLEM),
    ("Our top 3 problems", LeanBlock.PROBLEM),
    ("Main Partners", KP),
    ("Principales problemas", LeanBlock.PROBLEM),
    ("Top 10 Channels", CH),
    ("Top 3 Features", None),
    ("Top", None),
    ("Top 3", None),
    ("Main Street Bakery", None),
)
def test_strict_reading_takes_only_a_whole_name(label: str, expected: object) -> None:
    found = read_label(label, strict=True)
    assert (found.block if found else None) is expected


def test_suggestions_of_each_kind_are_only_for_misspellings() -> None:
    assert suggest_block("Key Metrix") is None
    assert suggest_label("Key Metrix") is LeanBlock.KEY_METRICS
    assert suggest_block("Custmer Segmnts") is CS
    assert suggest_block("Costumer Segmets") is CS
    for unrelated in ("Final Note", "Financial Projections", "Next steps", "Key Values"):
        assert suggest_block(unrelated) is None
        assert suggest_label(unrelated) is None


@pytest.mark.parametrize(
    "heading",
    [
        "Notes",
        "Final note:",
        "3. Financial Projections",
        "📝 Notes",
        "Table of contents",
        "Anhang",
        "Próximos pasos",
        "Résumé",
        "附录",
        "Заключение",
    ],
)
def test_other_sections_are_known_in_the_languages_read(heading: str) -> None:
    assert is_other_section(heading)
    assert read_label(heading) is None


@pytest.mark.parametrize("heading", ["Channels", "Key Metrics", "Costumer Segmets", "Note 3"])
def test_block_names_and_typos_are_no_other_section(heading: str) -> None:
    assert not is_other_section(heading)


PR = LeanBlock.PROBLEM
SO = LeanBlock.SOLUTION
UA = LeanBlock.UNFAIR_ADVANTAGE
KM = LeanBlock.KEY_METRICS


@table(
    ("顧客セグメント", CS),
    ("顧客との関係", CR),
    ("主要なリソース（Key Resources）", KR),
    ("価値提案 (Value Propositions)", VP),
    ("キーパートナー", KP),
    ("課題", PR),
    ("圧倒的な優位性", UA),
    ("고객 세그먼트", CS),
    ("고객세그먼트", CS),
    ("가치 제안 (Value Proposition)", VP),
    ("핵심 파트너", KP),
    ("비용 구조", CO),
    ("핵심 지표", KM),
    ("Потребительские сегменты", CS),
    ("Каналы сбыта (Channels)", CH),
    ("Ключевые партнёры", KP),
    ("Ключевые партнеры", KP),
    ("Структура издержек", CO),
    ("Скрытое преимущество", UA),
    ("Segmenti di clientela", CS),
    ("Relazioni con i clienti", CR),
    ("Attività chiave", KA),
    ("Soluzione", SO),
    ("Metriche chiave", KM),
    ("Klantsegmenten", CS),
    ("Waardepropositie", VP),
    ("Kernactiviteiten", KA),
    ("Kostenstructuur", CO),
    ("Oneerlijk voordeel", UA),
)
def test_japanese_korean_russian_italian_dutch_and_their_lean_blocks(
    label: str, expected: AnyBlock
) -> None:
    assert match_label(label) is expected


@table(
    ("Kundsegment", CS),
    ("Värdeerbjudande", VP),
    ("Kundrelationer", CR),
    ("Intäktsströmmar", RS),
    ("Nyckelpartners", KP),
    ("Kostnadsstruktur", CO),
    ("Orättvis fördel", UA),
    ("Kundesegmenter", CS),
    ("Verdiforslag", VP),
    ("Nøkkelressurser", KR),
    ("Inntektsstrømmer", RS),
    ("Værdiforslag", VP),
    ("Nøgleaktiviteter", KA),
    ("Omkostningsstruktur", CO),
    ("Løsning", SO),
    ("Nøgletal", KM),
)
def test_swedish_norwegian_danish_and_their_lean_blocks(label: str, expected: AnyBlock) -> None:
    assert match_label(label) is expected


@table(
    ("Customer Segment Hypothesis", CS),
    ("Value-proposition hypotheses", VP),
    ("Kundensegment-Hypothese", CS),
    ("Waardepropositie-hypothese", VP),
    ("顧客セグメント仮説", CS),
    ("고객 세그먼트 가설", CS),
    ("Гипотеза: Каналы", CH),
    ("Problem hypothesis", PR),
)
def test_a_hypothesis_qualifier_does_not_hide_the_block(label: str, expected: AnyBlock) -> None:
    assert match_label(label) is expected


@table(
    ("Customer Segment Hypothesis", CS),
    ("Kern-activiteiten", KA),
    ("Klant-relaties", CR),
    ("CustomerSegments", CS),
    ("Kunden-Segmente", CS),
)
def test_hyphen_joined_run_together_and_qualified_names_read_strictly(
    label: str, expected: AnyBlock
) -> None:
    found = read_label(label, strict=True)
    assert found is not None and found.block is expected


@pytest.mark.parametrize(
    "label", ["Obiettivi e attività future", "Наши будущие каналы и планы", "Piani di crescita"]
)
def test_a_block_word_inside_a_spaced_phrase_is_no_label(label: str) -> None:
    assert match_label(label) is None


@table(
    ("Customer Segments", True),
    ("2. 🤝 Our Key Partners:", True),
    ("Customer Segments (who we serve)", True),
    ("顧客セグメント（Customer Segments）", True),
    ("渠道 / Channels", True),
    ("Kern-activiteiten", True),
    ("가치제안", True),
    ("Channel hypothesis", False),
    ("Key Activites", False),
    ("Key Resources and Skills", False),
    ("Revenue Streams / Sustainability Logic", False),
    ("渠道 / Costs", False),
)
def test_a_name_as_written_is_known_and_a_guess_is_not(label: str, expected: bool) -> None:
    assert is_known_name(label) is expected


@pytest.mark.parametrize(
    ("label", "block"),
    [
        ("How we reach our customers", CH),
        ("Money coming in", RS),
        ("Our unfair edge", UA),
        ("5. Where the money goes?", CO),
        ("Who we serve", CS),
        ("The numbers we watch (monthly)", KM),
        ("Wie wir Geld verdienen", RS),
    ],
)
def test_a_plain_words_label_names_its_block(label: str, block: AnyBlock) -> None:
    assert read_paraphrase(label) is block
    assert read_label(label) is None
    assert not is_known_name(label)


@pytest.mark.parametrize(
    "label",
    [
        "Customer journey",
        "Our history",
        "Team",
        "How we reach 10,000 paying customers by the end of next year across Europe",
    ],
)
def test_a_label_without_a_cue_or_too_long_is_no_paraphrase(label: str) -> None:
    assert read_paraphrase(label) is None


def _canvas_with(headings: list[str]) -> str:
    body = "\n\n".join(f"## {heading}\n\nText under {heading.lower()}." for heading in headings)
    return f"# Fieldfare Bakery\n\n{body}\n"


def _blocks(text: str) -> list[tuple[str, AnyBlock | None]]:
    from canvascli.read.canvas import read_canvas

    return [(section.heading, section.block) for section in read_canvas(text, "f.md").sections]


def test_a_paraphrase_counts_only_beside_enough_block_headings() -> None:
    four = ["Customer Segments", "Value Propositions", "Key Activities", "Cost Structure"]
    assert ("Money coming in", RS) in _blocks(_canvas_with([*four, "Money coming in"]))
    assert ("Money coming in", None) in _blocks(_canvas_with([*four[:3], "Money coming in"]))


def test_a_paraphrase_never_doubles_a_labelled_block_or_a_deeper_heading() -> None:
    four = ["Customer Segments", "Value Propositions", "Key Activities", "Revenue Streams"]
    assert ("Money coming in", None) in _blocks(_canvas_with([*four, "Money coming in"]))
    twice = _blocks(_canvas_with([*four[:3], "Money coming in", "How we make money"]))
    assert ("Money coming in", None) in twice
    assert ("How we make money", None) in twice
    deeper = _canvas_with(four).replace("Text under key activities.", "### What we spend\n\nx")
    assert all(block is None for heading, block in _blocks(deeper) if heading == "What we spend")


def test_a_lean_block_is_guessed_only_in_a_document_naming_one() -> None:
    four = ["Customer Segments", "Value Propositions", "Key Activities", "Revenue Streams"]
    assert ("Our unfair edge", None) in _blocks(_canvas_with([*four, "Our unfair edge"]))
    lean = _blocks(_canvas_with([*four, "Problem", "Our unfair edge"]))
    assert ("Our unfair edge", UA) in lean


def test_a_bold_paraphrase_counts_among_bold_labels_but_not_under_a_block_heading() -> None:
    labels = ["Customer Segments", "Value Propositions", "Key Activities", "Revenue Streams"]
    bold = "\n\n".join(f"**{label}**\nText for {label.lower()}." for label in labels)
    assert ("Where the money goes", CO) in _blocks(f"{bold}\n\n**Where the money goes**\nRent.\n")
    headed = _canvas_with(labels).replace("Text under key activities.", "**Where the money goes**")
    assert all(block is not CO for _heading, block in _blocks(headed))


def test_the_scripts_a_typo_stays_within_are_the_pattern_they_replaced() -> None:
    import re
    import sys

    from canvascli.read import labels

    run_together = re.compile(
        r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af\uf900-\ufaff]"
    )
    cyrillic = re.compile(r"[\u0400-\u04ff]")
    for point in range(sys.maxunicode + 1):
        character = chr(point)
        expected = (
            "cjk"
            if run_together.search(character)
            else "cyrillic"
            if cyrillic.search(character)
            else "latin"
        )
        assert labels._script(character) == expected, hex(point)
    assert labels._script("Kundenbeziehung клиенты") == "cyrillic"
    assert labels._script("клиенты 顧客") == "cjk"


def test_a_label_of_letters_and_digits_loses_no_character_to_symbol_stripping() -> None:
    """Labels of letters, digits and spaces skip the look at each character's category:
    no letter or digit anywhere in Unicode is of a category that look strips."""
    alphanumeric = filter(str.isalnum, map(chr, range(0x80, sys.maxunicode + 1)))
    # A symbol beside the character makes the look at each character's category run.
    stripped = [char for char in alphanumeric if _strip_symbols(f"{char}\u2764") != char]
    assert stripped == []
