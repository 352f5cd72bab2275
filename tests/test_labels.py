"""Tests of how `normalise_label` and `match_block` map written headings onto the nine blocks."""

from __future__ import annotations

import pytest

from canvascli.labels import SYNONYMS, match_block, normalise_label
from canvascli.models import Block

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
def test_every_synonym_names_its_own_block(label: str, expected: Block) -> None:
    assert match_block(label) is expected
    assert match_block(f"2. {label.upper()}:") is expected


def test_no_two_blocks_share_a_normalised_synonym() -> None:
    owners: dict[str, Block] = {}
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
        "",
        "💰",
    ],
)
def test_headings_that_name_no_block(label: str) -> None:
    assert match_block(label) is None
