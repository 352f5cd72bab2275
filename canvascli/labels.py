"""Map the many ways people write a block's label onto one of the nine blocks."""

from __future__ import annotations

import difflib
import re
import unicodedata
from functools import lru_cache

from canvascli.models import Block

# One row per block; each name is written naturally and normalised on load,
# so adding a language is adding words to a row.
SYNONYMS: dict[Block, tuple[str, ...]] = {
    Block.CUSTOMER_SEGMENTS: (
        "Customer Segments",
        "Customer Segment",
        "Customers",
        "Target Customers",
        "Target Segments",
        "Market Segments",
        "Segments",
        "Segmentos de clientes",
        "Segmento de clientes",
        "Segmentos de cliente",
        "Segments de clientèle",
        "Segments de clients",
        "Kundensegmente",
        "客户细分",
        "客戶細分",
        "客户群体",
        "客戶群體",
    ),
    Block.VALUE_PROPOSITIONS: (
        "Value Propositions",
        "Value Proposition",
        "Unique Value Proposition",
        "Value Prop",
        "Value",
        "Propuesta de valor",
        "Propuestas de valor",
        "Proposition de valeur",
        "Propositions de valeur",
        "Wertangebot",
        "Wertversprechen",
        "Proposta de valor",
        "价值主张",
        "價值主張",
    ),
    Block.CHANNELS: (
        "Channels",
        "Distribution Channels",
        "Marketing Channels",
        "Sales Channels",
        "Canales",
        "Canales de distribución",
        "Canaux",
        "Canaux de distribution",
        "Kanäle",
        "Vertriebskanäle",
        "Canais",
        "渠道通路",
        "渠道",
        "通路",
    ),
    Block.CUSTOMER_RELATIONSHIPS: (
        "Customer Relationships",
        "Customer Relationship",
        "Customer Relations",
        "Relationships",
        "Relaciones con clientes",
        "Relaciones con los clientes",
        "Relación con el cliente",
        "Relations clients",
        "Relation client",
        "Kundenbeziehungen",
        "Relacionamento com clientes",
        "Relacionamento com o cliente",
        "客户关系",
        "客戶關係",
    ),
    Block.REVENUE_STREAMS: (
        "Revenue Streams",
        "Revenue Stream",
        "Revenue Model",
        "Revenue",
        "Revenues",
        "Fuentes de ingresos",
        "Flujos de ingresos",
        "Flujo de ingresos",
        "Sources de revenus",
        "Flux de revenus",
        "Einnahmequellen",
        "Fontes de receita",
        "Fluxos de receita",
        "收入来源",
        "收入來源",
        "收益流",
    ),
    Block.KEY_RESOURCES: (
        "Key Resources",
        "Key Resource",
        "Resources",
        "Recursos clave",
        "Ressources clés",
        "Schlüsselressourcen",
        "Recursos principais",
        "Recursos chave",
        "核心资源",
        "核心資源",
        "关键资源",
        "關鍵資源",
    ),
    Block.KEY_ACTIVITIES: (
        "Key Activities",
        "Key Activity",
        "Activities",
        "Actividades clave",
        "Activités clés",
        "Schlüsselaktivitäten",
        "Atividades principais",
        "Atividades chave",
        "关键业务",
        "關鍵業務",
        "关键活动",
        "關鍵活動",
    ),
    Block.KEY_PARTNERS: (
        "Key Partners",
        "Key Partner",
        "Key Partnerships",
        "Key Partnership",
        "Partner Network",
        "Partners",
        "Partnerships",
        "Socios clave",
        "Asociaciones clave",
        "Aliados clave",
        "Partenaires clés",
        "Schlüsselpartner",
        "Parcerias principais",
        "Parceiros chave",
        "重要合作",
        "关键合作伙伴",
        "關鍵合作夥伴",
        "合作伙伴",
    ),
    Block.COST_STRUCTURE: (
        "Cost Structure",
        "Cost Structures",
        "Costs",
        "Cost",
        "Estructura de costos",
        "Estructura de costes",
        "Structure de coûts",
        "Structure des coûts",
        "Kostenstruktur",
        "Estrutura de custos",
        "成本结构",
        "成本結構",
    ),
}

_NUMBERING = re.compile(r"^(?:\(?\d+[.):\]]?|[ivx]+[.)]|[a-z][.)])\s+")
_PARENTHESIS = re.compile(r"\s*[(\[].*?[)\]]\s*")
_NOT_WORD = re.compile(r"[^\w$]+")
_SYMBOL_CATEGORIES = frozenset({"So", "Sk", "Cn", "Co", "Cs", "Cf"})
_INVISIBLE_JOINERS = frozenset("\u20e3\ufe0f\ufe0e\u200d")
# Single words that open too many unrelated headings ("Customer journey") to match as a prefix.
_TOO_GENERIC_TO_PREFIX = frozenset({"customer", "value", "key"})
_WORD_ENDINGS = (("ies", "y"), ("ships", "ship"), ("sses", "ss"), ("s", ""))


def _strip_symbols(text: str) -> str:
    kept = []
    for char in text:
        category = unicodedata.category(char)
        if category in _SYMBOL_CATEGORIES or char in _INVISIBLE_JOINERS:
            continue
        kept.append(char)
    return "".join(kept)


def _singular(word: str) -> str:
    if len(word) <= 3 or not word.isascii():
        return word
    for ending, replacement in _WORD_ENDINGS:
        if word.endswith(ending) and not word.endswith("ss"):
            return word[: -len(ending)] + replacement
    return word


def normalise_label(text: str) -> str:
    """Lower-case words of a label with numbering, emoji, punctuation and plurals removed."""
    text = unicodedata.normalize("NFKC", text)
    text = _strip_symbols(text).strip().lower()
    text = _NUMBERING.sub("", text)
    text = text.replace("-", " ").replace("_", " ")
    words = [_singular(word) for word in _NOT_WORD.split(text) if word]
    return " ".join(words)


@lru_cache(maxsize=1)
def _table() -> dict[str, Block]:
    table: dict[str, Block] = {}
    for block, names in SYNONYMS.items():
        for name in names:
            table.setdefault(normalise_label(name), block)
    return table


def _lookup(label: str) -> Block | None:
    table = _table()
    if label in table:
        return table[label]
    words = label.split()
    # Longest leading phrase first, so "key resource and skill" finds "key resource".
    for size in range(len(words) - 1, 0, -1):
        head = " ".join(words[:size])
        if head in table and head not in _TOO_GENERIC_TO_PREFIX:
            return table[head]
    if not label.isascii():
        for name, block in table.items():
            if not name.isascii() and name in label:
                return block
    return None


def _candidates(text: str) -> list[str]:
    """The label itself, then the label without parentheses, then what they enclose."""
    folded = unicodedata.normalize("NFKC", text).strip().rstrip(":").strip()
    candidates = [normalise_label(folded)]
    outside = _PARENTHESIS.sub(" ", folded)
    if outside != folded:
        candidates.append(normalise_label(outside))
        enclosed = re.findall(r"[(\[](.*?)[)\]]", folded)
        candidates.extend(normalise_label(inner) for inner in enclosed)
    for separator in ("/", "|", "：", ":", " - ", " – ", " — "):
        if separator in folded:
            candidates.extend(normalise_label(part) for part in folded.split(separator))
    return [candidate for candidate in candidates if candidate]


@lru_cache(maxsize=4096)
def match_block(text: str, *, fuzzy: bool = True) -> Block | None:
    """The block a heading or label names, or None when it names none.

    `fuzzy` also accepts near misses ("Cusomer Segments"), at many times the cost.
    """
    for candidate in _candidates(text):
        block = _lookup(candidate)
        if block is not None:
            return block
    if not fuzzy:
        return None
    for candidate in _candidates(text):
        close = difflib.get_close_matches(candidate, _table(), n=1, cutoff=0.86)
        if close:
            return _table()[close[0]]
    return None


@lru_cache(maxsize=4096)
def suggest_block(text: str) -> Block | None:
    """The nearest block to a label that matches none, for a did-you-mean hint."""
    label = normalise_label(text)
    if not label:
        return None
    close = difflib.get_close_matches(label, _table(), n=1, cutoff=0.5)
    return _table()[close[0]] if close else None
