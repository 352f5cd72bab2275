"""Tell a company's canvas from a text that explains or templates the canvas in general."""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from functools import cache

from canvascli.kept_patterns import compile_pattern
from canvascli.model import Entry, Section
from canvascli.read.patterns import by_first_letter, deferred, first_letters, opening_letters

# A block whose text asks the reader, instructs the reader or holds a placeholder explains
# the block; a company's canvas answers those questions instead.
# A template's field to fill (`{{business_name}}`, an outliner's `{{embed [[…]]}}`) too.
_PLACEHOLDER = deferred(
    r"^\s*(?:\[[^\]]+\]|<[^>]+>|\{\{.*\}\}|\.\.\.|…|lorem ipsum\b.*)\s*$", re.IGNORECASE
)
_EXPLAINING_WORDS = (
    "describe", "list", "explain", "think about", "estimate", "write", "outline", "identify",
    "define", "ask yourself", "exercise", "fill in", "consider", "imagine", "name",
)  # fmt: skip
_INSTRUCTION = deferred(rf"^(?:{by_first_letter(_EXPLAINING_WORDS)})\b")
_EXPLAINING_OPENINGS = opening_letters(_EXPLAINING_WORDS)
_EXPLAINING_INITIALS = first_letters(_EXPLAINING_OPENINGS)
# As much of an entry as `_INSTRUCTION` looks at: the longest of its words and what follows.
_INSTRUCTION_REACH = max(map(len, _EXPLAINING_WORDS)) + 1
# The same in the other languages the labels are read in: an instruction or a description of
# the block ("Beschreibt die Gruppen…", "— Descrição dos grupos…", "Décrivez vos clients").
_INSTRUCTION_ELSEWHERE = deferred(
    r"^[—–•*·\s-]*(?:describ[ea]|descripción d\w*|enumera|explica|identifica|piensa en|"
    r"puede incluir|"
    r"descreva|descreve|descrição d\w*|explique|identifique|pense em|pode incluir|"
    r"pode envolver|"
    r"décri(?:s|t|vez)|description d\w*|énumérez|expliquez|identifiez|peut inclure|"
    r"beschreib(?:t|e|en sie)|beschreibung d\w*|nenne|erkläre|überlege|kann umfassen|"
    r"descrivi|descrive|descrizione d\w*|elenca|spiega|può includere|"
    r"beschrijf|beschrijft|beschrijving van|omschrijf|noem|"
    r"beskriv(?:er|s)?|beskrivning av|beskrivelse a[fv]|förklara|forklar|"
    # A definition of the block, as a lesson gives one: "Représentent la façon…"; a
    # company's canvas names its own customers and offer instead.
    r"representam?|definem?|mostram?|refere-se|consiste|trata-se|"
    r"representan?|definen?|muestran?|se refiere|se trata|"
    r"représente(?:nt)?|défini(?:t|ssent)|désigne(?:nt)?|regroupe(?:nt)?|"
    r"definiert|bezeichnet|umfasst|"
    r"rappresenta(?:no)?|definisce|si riferisce|"
    r"definieert|omvat|"
    r"omfattar|omfatter|utgör|utgjør|udgør|definierar|definerer|"
    # "São os grupos…", "Es el conjunto…", "Ist die Gesamtheit…" define the block only with
    # a noun of the kind a lesson names: "Es el único obrador…", "Ist das einzige
    # Honighaus…" are a company's own words for itself.
    r"(?:são (?:os|as)|é (?:o|a)|son (?:los|las)|es (?:el|la)|ce sont (?:les|des)|"
    r"c['’]est (?:le|la|l['’]|un|une)|sind (?:die|alle)|ist (?:der|die|das)|"
    r"sono (?:i|gli|le)|è (?:il|la|l['’])|zijn (?:de|alle)|is (?:de|het))\s*"
    r"(?:(?:distint|diferent|different|divers|principa|vari|verschieden|wichtigst|zentral|"
    r"unterschiedlich|verschillend|belangrijkst)\w*\s+)?"
    r"(?:conjuntos?|grup[oa]s?|group(?:e|es)|gruppen?|gruppi|groep(?:en)?|formas?|forme|"
    r"façons?|maneiras?|maneras?|manières?|modos?|modi|mod(?:e|i)|wege?|weise|art|manier|"
    r"medios?|meios?|moyens?|mezzi|mittel|tip(?:o|os|i)|types?|canal|canais|canales|canaux|"
    r"canali|kanäle|kanalen|recursos?|ressources?|risorse|ressourcen|middelen|ativos?|"
    r"activos?|actifs?|attività|activités?|atividades?|actividades?|aktivitäten|activiteiten|"
    r"cust(?:o|os)|cost(?:o|os|e|es|i)|coûts?|kosten|receitas?|ingresos?|revenus?|ricavi|"
    r"einnahmen|inkomsten|fluxos?|flujos?|flux|flussi|fuentes?|fontes?|sources?|fonti|"
    r"quellen|bronnen|parceir[oa]s?|parcerias?|socios?|partenaires?|partner|partners|"
    r"alianzas?|alianças?|relaç(?:ão|ões)|relacionamentos?|relaci(?:ón|ones)|relations?|"
    r"relazioni|beziehungen|relaties|propostas?|propuestas?|propositions?|proposte|"
    r"valor|valeur|valore|wert|werte|waarde|benefícios?|beneficios?|bénéfices?|benefici|"
    r"nutzen|voordelen|pont(?:o|os)|punt(?:o|os|i)|points?|punkte|pessoas?|personas?|"
    r"personnes?|persone|personen|mensen|menschen|organizaç(?:ão|ões)|organizaci(?:ón|ones)|"
    r"organisations?|organizzazioni|organisationen|organisaties|clientes?|clients?|clienti|"
    r"kunden|klanten|segment(?:o|os|s|i|e)?|element(?:o|os|s|i|e|en)?|éléments?|bloc(?:o|k)?|"
    r"bloque|baustein|bouwsteen|parte|partie|teil|deel|dinheiro|dinero|argent|denaro|geld|"
    r"processos?|procesos?|processus|processi|prozesse|processen|aç(?:ão|ões)|acci(?:ón|ones)|"
    r"actions?|azioni|maßnahmen|acties|gesamtheit|summe|menge|totalidade|totalidad|"
    r"ensemble|insieme|geheel|descrição|descripción|description|beschreibung|beschrijving)"
    r")\b",
    re.IGNORECASE,
)
# A letter that only the other languages the labels are read in write: a canvas without one
# is English, and is read with the English cues alone.
_LETTER_ELSEWHERE = deferred(r"[áéíóúñãõçàèìòùâêîôûäëïöüßœåæø¿¡ÁÉÍÓÚÑÃÕÇÀÈÌÒÙÂÊÎÔÛÄËÏÖÜŒÅÆØ]")
_GENERIC_SUBJECT = deferred(
    r"\b(?:a (?:business|company|startup|firm)|an (?:organi[sz]ation|enterprise)|"
    r"(?:in|of|for|by) the (?:business|company|firm|organi[sz]ation|enterprise)|"
    r"your (?:business|company|startup|idea|customers|product|model|value proposition))\b",
    re.IGNORECASE,
)
# What every match of `_GENERIC_SUBJECT` holds, in lower case, and the pattern without its
# case-blindness: in an ASCII text's lower case, both find what the pattern finds, in a
# tenth of its time.
_GENERIC_SUBJECT_CUES = (
    "your ",
    "a business",
    "a company",
    "a startup",
    "a firm",
    "an organi",
    "an enterprise",
    "in the ",
    "of the ",
    "for the ",
    "by the ",
)
_GENERIC_SUBJECT_IN_LOWER_CASE = deferred(_GENERIC_SUBJECT.pattern)
# The same in the other languages the labels are read in: "the company" only after a
# preposition, as a company's own canvas speaks of itself so, and "your" only where it
# cannot be "their" (Portuguese "seu", German "ihr"). Every match names one of the nouns
# below, so a text naming none of them (nearly every entry) is never searched.
_GENERIC_SUBJECT_ELSEWHERE = deferred(
    r"\b(?:una empresa|un negocio|(?:de|en|para|por) la empresa|del negocio|"
    r"tu (?:negocio|empresa|producto|propuesta de valor)|tus clientes|"
    r"uma empresa|um negócio|(?:da|na|pela|para a) empresa|do negócio|"
    r"(?:o|um|do|no|pelo|para o) empreendimento|(?:uma|da|na|pela|para a) organização|"
    r"(?:el|un|del|en el|para el) emprendimiento|(?:una|de la|en la|por la) organización|"
    r"teu (?:negócio|produto)|tua (?:empresa|ideia)|teus clientes|"
    r"une entreprise|(?:de|dans|par|pour) l['’]entreprise|"
    r"(?:votre|ton) (?:entreprise|produit|idée)|"
    r"ein(?:em|es)? unternehmen|des unternehmens|"
    r"dein(?:e[mnrs]?)? (?:unternehmen|geschäft|idee|kunden)|"
    r"un['’]azienda|(?:dell|nell|per l)['’]azienda|(?:la tua|la vostra) azienda|"
    r"i tuoi clienti|"
    r"een bedrijf|(?:van|in|voor) het bedrijf|(?:jouw|je|uw) (?:bedrijf|klanten|idee)|"
    r"ett (?:företag|bolag)|(?:ditt|ert) (?:företag|bolag)|(?:dina|era) kunder|"
    r"en (?:virksomhed|bedrift)|et (?:firma|selskab|selskap)|"
    r"din(?:e)? (?:virksomhed|bedrift|kunder))\b",
    re.IGNORECASE,
)
_GENERIC_NOUNS = (
    "empresa",
    "empreendimento",
    "emprendimiento",
    "organização",
    "organización",
    "negocio",
    "negócio",
    "producto",
    "produto",
    "propuesta",
    "clientes",
    "clienti",
    "ideia",
    "entreprise",
    "produit",
    "idée",
    "unternehmen",
    "geschäft",
    "kunden",
    "idee",
    "azienda",
    "bedrijf",
    "klanten",
    "företag",
    "bolag",
    "kunder",
    "virksomhed",
    "bedrift",
    "firma",
    "selska",
)
_GENERIC_SUBJECT_ELSEWHERE_IN_LOWER_CASE = deferred(_GENERIC_SUBJECT_ELSEWHERE.pattern)
_COURSE_TITLE = deferred(
    r"\b(?:chapter|lesson|module|lecture|tutorial|course|workshop handout|how to|what is|"
    r"explained|introduction to|guide to|template|glossary|glosario|glossário|glossaire|"
    r"glossar|glossario|woordenlijst|"
    r"capítulo|lección|curso|guía|plantilla|qué es|introducción a|"
    r"lição|aula|guia|o que é|introdução a|"
    r"chapitre|leçon|cours|c['’]est quoi|qu['’]est-ce que|introduction à|"
    r"kapitel|lektion|leitfaden|vorlage|was ist|einführung in|bausteine|"
    r"capitolo|lezione|corso|guida|cos['’]è|introduzione a|"
    r"hoofdstuk|cursus|handleiding|sjabloon|wat is|inleiding|"
    r"byggstenar(?:na)?|byggesten(?:e|ene)?|byggeklosser|vad är|hva er|hvad er|"
    r"föreläsning|forelesning|forelæsning|introduktion till)\b",
    re.IGNORECASE,
)
_COLONS = (":", "：")
# An entry a guide labels as the block's description (`**Description:** The groups of people
# or organisations…`): a company's canvas gives its answers, not a description of the box.
_DESCRIPTION = deferred(
    r"^\s*(?:description|definition|purpose|what it is|descripci[oó]n|definici[oó]n|"
    r"prop[oó]sito|descri[çc][ãa]o|defini[çc][ãa]o|d[ée]finition|objectif|beschreibung|"
    r"zweck|descrizione|definizione|scopo|beschrijving|definitie|doel|açıklama|tanım|"
    r"opis|definicja|deskripsi|definisi|описание|определение|描述|定义|定義|説明|설명|정의)"
    r"\s*[:：]\s*\S",
    re.IGNORECASE,
)
# "The company" as a lesson's subject in the languages written without spaces, opening the
# entry: "企业想要接触的人群", "企業が価値を届ける顧客", "기업이 가치를 제공하는 고객". A company's
# own canvas names itself, or its customers ("中小企业"), never opens so.
_GENERIC_SUBJECT_UNSPACED = ("企业", "企業", "一个企业", "一個企業", "기업이", "기업의", "기업은")
# "The business model" spoken of in general: a company's entries speak of their business.
_BUSINESS_MODEL_UNSPACED = (
    "商业模式",
    "商業模式",
    "ビジネスモデル",
    "비즈니스 모델",
    "비즈니스모델",
)
# An entry that announces examples: the items under it are examples, no company's answers.
# Or names the worked example a template gives: `Beispiel „Radkurier Süd“:`, `Example (Uber):`.
# Or announces the questions a guide asks of the block (`Key questions:`): its items are
# the reader's to answer.
_EXAMPLES = deferred(
    r"^\s*(?:examples?|for example|e\.g\.|ejemplos?|por ejemplo|exemplos?|por exemplo|"
    r"exemples?|par exemple|beispiele?|zum beispiel|esempi|esempio|ad esempio|per esempio|"
    r"voorbeelden|voorbeeld|bijvoorbeeld|"
    r"(?:key |guiding |main |typical )?questions(?: to ask(?: yourself)?)?|"
    r"preguntas(?: clave| guía)?|perguntas(?:[ -]chave| orientadoras)?|"
    r"questions(?: clés| à se poser)|(?:leit|schlüssel)?fragen|domande(?: chiave| guida)?|"
    r"(?:kern|richt)?vragen|关键问题|思考问题|主な質問|핵심 질문|ключевые вопросы)"
    r"(?:\s*[\"„“«‘'(][^:：\"„“”«»‘’'()]{1,40}[\"“”»’')])?\s*[:：]?\s*$",
    re.IGNORECASE,
)
# The hints printed in the Lean Canvas's own boxes: a block holding only its box's hint is
# the blank template, copied with its hints ("Path to customers", "Target customers").
_TEMPLATE_HINTS = (
    "Top 3 problems",
    "Existing alternatives",
    "List how these problems are solved today",
    "Top 3 features",
    "Key activities you measure",
    "Single, clear, compelling message that states why you are different and worth paying "
    "attention",
    "Single, clear, compelling message that turns an unaware visitor into an interested prospect",
    "High-level concept",
    "Can't be easily copied or bought",
    "Something that cannot easily be bought or copied",
    "Path to customers",
    "Target customers",
    "Early adopters",
    "Customer acquisition costs, distribution costs, hosting, people, etc.",
    "Revenue model, life time value, revenue, gross margin",
    "Acquisition, activation, retention, revenue, referral",
)
# A block's name said again as an entry's subject, then "is" or "are" and an article or
# "what": how a glossary or a lesson defines the block ("Los segmentos de clientes son los
# grupos…", "Channels are the means…"); a company's canvas says what its own are.
_ARTICLE = deferred(
    r"\s*(?:(?:the|el|las|los|la|lo|les|le|os|as|o|a|der|die|das|il|gli|i|de|het)\s+|l['’])",
    re.IGNORECASE,
)
_DEFINED_AFTER_NAME = deferred(
    r"\s*(?:is|are|es|son|é|são|est|sont|ist|sind|è|sono|zijn)\s+"
    r"(?:the|all|what|how|el|la|lo|los|las|todos|todas|o|a|os|as|todo|le|les|l['’]|des|"
    r"tous|toutes|ce|der|die|das|alle|il|i|gli|tutti|tutte|de|het)\b",
    re.IGNORECASE,
)
_LONGEST_ARTICLE = 4
# An entry that speaks of the box itself, or of what is described in it: "In this block we
# list…", "Nesta parte são descritas as soluções…", "deve ser descrito…", "Dans cette case…".
# A company's canvas fills the box instead of saying what goes in it.
_ABOUT_THE_BOX = deferred(
    r"\b(?:in this (?:part|block|box|section|field|space)|this (?:part|block|box|section|field)"
    r" (?:describes|lists|shows|covers|holds))\b",
    re.IGNORECASE,
)
# What every match of `_ABOUT_THE_BOX` holds, as written ("this", "This"): an entry without
# it, nearly every one, is never searched.
_ABOUT_THE_BOX_CUE = "his "
# Written in lower case: it is looked for in an entry's lower case.
_ABOUT_THE_BOX_ELSEWHERE = deferred(
    r"\b(?:(?:nesta|nessa|esta|essa) (?:parte|seção|secção|caixa)|na parte de|"
    r"neste (?:bloco|espaço|campo|quadro|quadrante)|"
    r"(?:é|são|deve ser|devem ser) (?:descrit|enumerad|listad)[oa]s?|descrevendo|"
    r"en esta (?:parte|sección|casilla)|en este (?:bloque|espacio|campo|recuadro|cuadrante|"
    r"apartado)|se (?:describen?|enumeran?|detallan?)|"
    r"dans cette (?:partie|case|section|rubrique)|dans ce (?:bloc|cadre|champ)|"
    r"(?:sont|est) (?:décrit|énuméré|listé)e?s?|"
    r"in diesem (?:feld|baustein|block|bereich|abschnitt)|(?:wird|werden) (?:hier )?"
    r"(?:beschrieben|aufgelistet))\b"
)
# What every match of `_ABOUT_THE_BOX_ELSEWHERE` holds: a text holding none (nearly every
# entry) is never searched, as the search takes many times as long.
_ABOUT_THE_BOX_ELSEWHERE_CUES = (
    "part",
    "seç",
    "secç",
    "secci",
    "caixa",
    "casilla",
    "neste ",
    "en este ",
    "descr",
    "décrit",
    "enumer",
    "énum",
    "listad",
    "listé",
    "detall",
    "dans ce ",
    "diesem ",
    "beschrieben",
    "aufgelistet",
)
# The kinds of each block a textbook names (Osterwalder and Pigneur's): a block listing only
# them (`Mass market`, `Niche market`; `Physical`, `Intellectual`, `Human`, `Financial`)
# teaches the block's kinds, as a lesson's notes do; a company names its own.
_TEXTBOOK_KINDS = (
    "Mass market",
    "Niche market",
    "Segmented",
    "Diversified",
    "Multi-sided platforms",
    "Multi-sided platform",
    "Multi-sided markets",
    "Newness",
    "Performance",
    "Customization",
    "Customisation",
    "Getting the job done",
    "Design",
    "Brand/status",
    "Brand",
    "Status",
    "Price",
    "Cost reduction",
    "Risk reduction",
    "Accessibility",
    "Convenience/usability",
    "Convenience",
    "Usability",
    "Awareness",
    "Evaluation",
    "Purchase",
    "Delivery",
    "After sales",
    "After-sales",
    "Own channels",
    "Partner channels",
    "Direct",
    "Indirect",
    "Personal assistance",
    "Dedicated personal assistance",
    "Self-service",
    "Automated services",
    "Communities",
    "Co-creation",
    "Asset sale",
    "Usage fee",
    "Subscription fees",
    "Lending/renting/leasing",
    "Lending",
    "Renting",
    "Leasing",
    "Licensing",
    "Brokerage fees",
    "Advertising",
    "Physical",
    "Intellectual",
    "Human",
    "Financial",
    "Production",
    "Problem solving",
    "Platform/network",
    "Optimization and economy of scale",
    "Reduction of risk and uncertainty",
    "Acquisition of particular resources and activities",
    "Acquisition of particular resources",
    "Strategic alliances",
    "Coopetition",
    "Joint ventures",
    "Buyer-supplier relationships",
    "Cost-driven",
    "Value-driven",
    "Fixed costs",
    "Variable costs",
    "Economies of scale",
    "Economies of scope",
)
_LONGEST_KIND = max(map(len, _TEXTBOOK_KINDS))
_KIND_START = 3
_NOT_WORD = deferred(r"[\W_]+")
# The words a worksheet's blank field (`Cost of customer acquisition:`) runs to at most.
_BLANK_FIELD_WORDS = 5
# Explaining blocks needed: this share of the filled blocks, and at least this many.
_EXPLAINING_SHARE = 0.6
_EXPLAINING_AT_LEAST = 3


def explains_the_block(section: Section, elsewhere: bool = False) -> bool:
    """Whether a block's text explains the block rather than fill it in for one company.

    More than half of its entries must do so: a company's own canvas may ask a question or two of
    itself (a hypothesis to test) among the answers it gives. The items under an entry that
    announces examples ("Beispiele:", or a paragraph `Example „Radkurier Süd“:` over a
    list) are examples of the block, no company's answers, and a worksheet's blank fields
    (`- Problem 1:` with nothing under it) are questions waiting for them.
    """
    entries = section.entries
    if _is_template_hint(" ".join(entry.text for entry in entries)):
        return True
    # A glossary opens a block by defining it: its first entry names the block again.
    name = section.heading.strip(" *_#:：").lower()
    # Stop at the first entry past half that settles it: most blocks explain nothing.
    answering = 0
    examples: Entry | None = None
    for number, entry in enumerate(entries):
        if examples is not None and not _is_example_under(entry, examples):
            examples = None
        if examples is not None:
            continue
        if entry.text.endswith(_COLONS) and _EXAMPLES.match(entry.text):
            examples = entry
        elif entry.text.endswith(_COLONS) and _is_blank_field(entry, entries[number + 1 :]):
            continue
        elif not _explains(entry.text, elsewhere) and not (
            number == 0 and _defines_by_name(entry.text, name)
        ):
            answering += 1
            if 2 * answering >= len(entries):
                return False
    return 2 * (len(entries) - answering) > len(entries)


def _defines_by_name(text: str, name: str) -> bool:
    """Whether an entry says its block's name again, then what the block is, as a glossary
    defines a term: "Los segmentos de clientes son los grupos de personas…"."""
    lower = text[: len(name) + _LONGEST_ARTICLE + 1].lower()
    at = lower.find(name) if name else -1
    if at < 0 or (at and _ARTICLE.fullmatch(lower[:at]) is None):
        return False
    return _DEFINED_AFTER_NAME.match(text, at + len(name)) is not None


def _speaks_generally_unspaced(text: str) -> bool:
    """Whether an entry written mostly in Han, kana or Hangul speaks of "the company" or
    "the business model" as a lesson does ("企业想要接触的人群", "商业模式运转所需的资产")."""
    if text.isascii():
        return False
    speaks = text.startswith(_GENERIC_SUBJECT_UNSPACED) or any(
        phrase in text for phrase in _BUSINESS_MODEL_UNSPACED
    )
    return speaks and _is_unspaced_mostly(text)


def _is_unspaced_mostly(text: str) -> bool:
    """Whether most letters of a text are Han, kana or Hangul."""
    letters = [char for char in text if char.isalpha()]
    return 2 * sum(1 for char in letters if ord(char) >= 0x3040) > len(letters)


def _is_blank_field(entry: Entry, after: Sequence[Entry]) -> bool:
    """Whether an entry is a worksheet's field left blank: a short `Label:` item (`Problem
    1:`, `Inbound:`) with nothing under it, as a company's canvas never leaves one."""
    if entry.kind != "item" or len(entry.text.split()) > _BLANK_FIELD_WORDS:
        return False
    return not after or after[0].depth <= entry.depth


def _is_example_under(entry: Entry, examples: Entry) -> bool:
    """Whether an entry is one of the examples an entry announces: nested under it, or an
    item of the list after a paragraph that announces them."""
    if entry.depth > examples.depth:
        return True
    return examples.kind == "paragraph" and entry.kind == "item" and entry.depth == examples.depth


def _words_of(text: str) -> str:
    return _NOT_WORD.sub(" ", text.lower()).strip()


@cache
def _textbook_kinds() -> frozenset[str]:
    return frozenset(_words_of(kind) for kind in _TEXTBOOK_KINDS)


@cache
def _textbook_kind_starts() -> frozenset[str]:
    return frozenset(kind[:_KIND_START].lower() for kind in _TEXTBOOK_KINDS)


def _is_textbook_kind(text: str) -> bool:
    """Whether an entry no longer than the longest kind is nothing but one of the kinds a
    textbook sorts a block into."""
    if text[:_KIND_START].lower() not in _textbook_kind_starts():
        return False  # most short entries, told by their first letters
    return _words_of(text) in _textbook_kinds()


@cache
def _template_hints() -> frozenset[str]:
    return frozenset(_words_of(hint) for hint in _TEMPLATE_HINTS)


@cache
def _hint_parts() -> frozenset[str]:
    """The parts of the hints that list things (`Hosting`, `Gross margin`), each a hint."""
    parts = {_words_of(part) for hint in _TEMPLATE_HINTS if "," in hint for part in hint.split(",")}
    return frozenset(parts - {"", "etc"})


_LONGEST_HINT = max(map(len, _TEMPLATE_HINTS))


@cache
def _hint_start() -> re.Pattern[str]:
    """A text in lower case starting with a word a hint or a part of one starts with: most
    entries do not."""
    words = sorted({hint.split()[0] for hint in _template_hints() | _hint_parts()})
    return compile_pattern(rf"[\W_]*(?:{by_first_letter(words)})\b")


def _is_template_hint(text: str) -> bool:
    """Whether a text is one of the hints, in any case and punctuation, or a list of their
    parts (`Hosting, people`, `Gross margin`); a text twice as long as the longest hint is
    never taken apart to see."""
    if len(text) > 2 * _LONGEST_HINT or not _hint_start().match(text.lower()):
        return False
    if _words_of(text) in _template_hints():
        return True
    parts = [part for part in map(_words_of, text.split(",")) if part not in ("", "etc")]
    if len(parts) == 1 and " " not in parts[0]:
        return False  # one word (`Revenue`, `Hosting`) is as much a company's answer
    return bool(parts) and all(part in _hint_parts() for part in parts)


# A question in any script, maybe closed by the brackets a template wraps it in.
_QUESTION_ENDS = ("?", "？", "؟")
_QUESTION_CLOSERS = ")]）」』 \t"
# Quoted speech is someone's own question ("Who will walk my dog?"), never a prompt.
_QUOTE_MARKS = "\"“”„«»‘’‚'‹›「『"
# What "Name" and "List" instruct to name or list: they instruct only before it, not in
# "Name recognition" or "List price".
_LISTED_OBJECTS = (
    r"\s+(?:your|the|a|an|all|each|every|up to|top|\d+|one|two|three|four|five|who|what|which|how)"
)
# What "Lista" and "Liste" instruct to list, in the languages where the word is a noun too
# ("Lista de precios", "Liste der Partner").
_LISTA_OBJECTS = r"\s+(?:tus|sus|los|las|todos|todas|hasta|\d+)"
_LISTE_OBJECTS = r"\s+(?:os|as|seus|suas|todos|todas|até|\d+|les|tes|vos|die|alle|deine|ihre)"
# German instructions put to "Sie": "Beschreiben Sie den Wert".
_GERMAN_VERBS_FOR_SIE = (
    "beschreiben", "nennen", "listen", "notieren", "erklären", "erklaren", "überlegen",
    "uberlegen", "definieren", "skizzieren", "identifizieren", "geben", "tragen", "halten",
)  # fmt: skip
# An instruction to the writer, each a pattern for the start of an entry in lower case.
_INSTRUCTIONS = (
    # English: "Outline a solution for each problem", "List your top 3 problems".
    "describe", "explain", "think about", "estimate", "write", "outline", "identify",
    "define", "ask yourself", "fill in", "consider", "imagine", "name" + _LISTED_OBJECTS,
    "list" + _LISTED_OBJECTS,
    # Spanish, as a template says it to "tú" or to "usted": "Enumera tus clientes".
    "describa", "enumer[ae]", "explic[ae]", "identific[ae]", "indic[ae]", "anot[ae]",
    "escrib[ae]", "defina", "detall[ae]", "especific[ae]", "mencion[ae]", "piens[ae] en",
    "consider[ae]", "imagina", "lista" + _LISTA_OBJECTS,
    # Portuguese: "Liste os seus clientes", "Descreva o valor".
    "descreva", "escreva", "explique", "identifique", "indique", "detalhe", "especifique",
    "cite", "pense em", "liste" + _LISTE_OBJECTS,
    # French: "Décrivez la valeur", "Listez vos clients".
    "d[ée]crivez", "d[ée]cris", "listez", "énum[ée]rez", "enum[ée]rez", "énum[èe]re",
    "enum[èe]re", "expliquez", "identifiez", "indiquez", "pr[ée]cisez", "notez", "écrivez",
    "ecrivez", "d[ée]finissez", "d[ée]taillez", "mentionnez", "citez", "pensez [àa]",
    "imaginez", "r[ée]fl[ée]chissez [àa]",
    # German: "Beschreiben Sie den Wert", "Nenne deine wichtigsten Kunden".
    *(verb + r"\s+sie" for verb in _GERMAN_VERBS_FOR_SIE),
    "beschreibe", "nenne", "notiere", "erkl[äa]re", "überlege", "uberlege", "skizziere",
    "gib an", "trage ein",
    # Italian: "Elenca i tuoi clienti", "Descrivi il valore".
    "descrivi", "descrivete", "elenca", "elencate", "elenchi", "indicate", "indichi",
    "spiega", "spiegate", "identificate", "scrivi", "scrivete", "annota", "annotate",
    "definisci", "pensa a",
    # Dutch: "Beschrijf de waarde", "Noem je belangrijkste klanten".
    "beschrijf", "omschrijf", "noem", "geef aan", "schrijf op", "licht toe",
)  # fmt: skip
_PROMPT_INSTRUCTION = deferred(rf"^(?:{by_first_letter(_INSTRUCTIONS)})\b(?!-)")
# The letters the instructions open with: a test that most entries, answers that begin
# otherwise, fail before the pattern is tried (or even compiled).
_INSTRUCTION_OPENINGS = opening_letters(_INSTRUCTIONS)
_INSTRUCTION_INITIALS = first_letters(_INSTRUCTION_OPENINGS)


def is_prompt(text: str) -> bool:
    """Whether an entry is written as a template's prompt for its block is: a question
    (`Who are our most important customers?`, `(What value do we deliver?)`, `¿A quién
    ayudarás?`), or an instruction put to the writer (`List your top 3 problems`,
    `Outline a solution for each problem.`)."""
    text = text.strip().lstrip("([（「 ")
    if not text or text[0] in _QUOTE_MARKS:
        return False
    if text.rstrip(_QUESTION_CLOSERS)[-1:] in _QUESTION_ENDS:
        return True
    if text[0] not in _INSTRUCTION_INITIALS or text[:3].lower() not in _INSTRUCTION_OPENINGS:
        return False
    return _PROMPT_INSTRUCTION.match(text.lower()) is not None


def _explains(text: str, elsewhere: bool = False) -> bool:
    """Whether an entry asks, instructs, holds a placeholder or speaks of any company; in
    the other languages too when `elsewhere`."""
    return bool(
        "?" in text
        or "？" in text  # as a question asked in Chinese or Japanese ends
        or _is_template_hint(text)
        or (len(text) <= _LONGEST_KIND and _is_textbook_kind(text))
        or _PLACEHOLDER.match(text)
        or _is_instruction(text)
        or ((":" in text or "：" in text) and _DESCRIPTION.match(text))
        or _speaks_generally(text)
        or _speaks_generally_unspaced(text)
        or (_ABOUT_THE_BOX_CUE in text and _ABOUT_THE_BOX.search(text) is not None)
        or (
            elsewhere
            and (
                _INSTRUCTION_ELSEWHERE.match(text)
                or _speaks_generally_elsewhere(text)
                or _speaks_of_the_box_elsewhere(text)
            )
        )
    )


def _speaks_of_the_box_elsewhere(text: str) -> bool:
    """Whether `_ABOUT_THE_BOX_ELSEWHERE` is found in a text: only one holding a word it needs."""
    lower = text.lower()
    for cue in _ABOUT_THE_BOX_ELSEWHERE_CUES:
        if cue in lower:
            return _ABOUT_THE_BOX_ELSEWHERE.search(lower) is not None
    return False


def _is_instruction(text: str) -> bool:
    """Whether an entry opens with a word that tells the reader what to write."""
    if text[:1] not in _EXPLAINING_INITIALS:
        return False
    start = text[:_INSTRUCTION_REACH].lower()
    return start[:3] in _EXPLAINING_OPENINGS and _INSTRUCTION.match(start) is not None


def _speaks_generally(text: str) -> bool:
    """Whether `_GENERIC_SUBJECT` is found in a text.

    An ASCII text is looked at in lower case, where case-blind matching is plain matching;
    other scripts fold in ways `str.lower` does not (`ſ`, `K`), so they get the pattern.
    """
    if not text.isascii():
        return _GENERIC_SUBJECT.search(text) is not None
    lower = text.lower()
    for cue in _GENERIC_SUBJECT_CUES:
        if cue in lower:
            return _GENERIC_SUBJECT_IN_LOWER_CASE.search(lower) is not None
    return False


def _speaks_generally_elsewhere(text: str) -> bool:
    """Whether `_GENERIC_SUBJECT_ELSEWHERE` is found in a text: only one naming its nouns."""
    lower = text.lower()
    if not any(noun in lower for noun in _GENERIC_NOUNS):
        return False
    if text.isascii():
        return _GENERIC_SUBJECT_ELSEWHERE_IN_LOWER_CASE.search(lower) is not None
    return _GENERIC_SUBJECT_ELSEWHERE.search(text) is not None


def explains_the_canvas(title: str, sections: Iterable[Section]) -> bool:
    """A template, an explainer, a course chapter or a tutorial about the canvas.

    Most of its filled blocks ask the reader questions, give instructions, speak of "a
    company" or "your business" in general, or hold placeholders; a title naming a
    lesson or a guide halves the share needed. Empty blocks count for neither side, so a
    canvas only partly filled in stays a canvas.
    """
    filled = [section for section in sections if section.block and not section.is_empty]
    if len(filled) < _EXPLAINING_AT_LEAST:
        return False
    share = _EXPLAINING_SHARE / 2 if _COURSE_TITLE.search(title) else _EXPLAINING_SHARE
    needed = max(_EXPLAINING_AT_LEAST, share * len(filled))
    # Most canvases are ASCII throughout, which is quicker seen than looked through.
    elsewhere = any(
        not section.markdown.isascii() and _LETTER_ELSEWHERE.search(section.markdown)
        for section in filled
    )
    # Stop once the blocks left could not make up the number needed.
    explaining = 0
    for checked, section in enumerate(filled, 1):
        if explains_the_block(section, elsewhere):
            explaining += 1
        elif explaining + len(filled) - checked < needed:
            return False
    return explaining >= needed
