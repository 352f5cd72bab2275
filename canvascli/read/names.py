"""Find the company a canvas is about in its title phrase, front matter or project section."""

from __future__ import annotations

import re
import unicodedata
from functools import cache
from pathlib import PurePath

from canvascli.kept_patterns import compile_pattern
from canvascli.read.label_text import without_brackets
from canvascli.read.labels import normalise_label, read_label
from canvascli.read.patterns import deferred

_CANVAS = (
    r"(?:business\s*model(?:\s*canvas)?"
    r"|lean\s*canvas"
    r"|bmc"
    r"|canvas\s+(?:del?\s+|do\s+|dos\s+)?modelos?\s+de\s+neg[oó]cios?"
    r"|modelo\s+de\s+neg[oó]cios?(?:\s+canvas)?"
    r"|modelo\s+canvas(?:\s+de\s+neg[oó]cios?)?"
    r"|lienzo\s+de\s+(?:la\s+)?propuesta\s+de\s+valor|canvas\s+da\s+proposta\s+de\s+valor"
    r"|lienzo(?:\s+(?:del?\s+)?modelo\s+de\s+negocios?)?"
    r"|mod[eè]le\s+(?:[ée]conomique|d['’]affaires)"
    r"|gesch[äa]ftsmodell(?:[\s-]*canvas)?"
    r"|商业模式画布|商業模式畫布|商业模式|商業模式|精益画布|精實畫布"
    r"|ビジネスモデル\s*キャンバス|リーン\s*キャンバス|ビジネスモデル"
    r"|비즈니스\s*모델\s*캔버스|린\s*캔버스|비즈니스\s*모델"
    r"|(?:канва|шаблон)\s+бизнес[\s-]*модели|бизнес[\s-]*модель(?:\s+остервальдера)?"
    r"|лин[\s-]*канва"
    r"|modello\s+di\s+business(?:\s+canvas)?|business\s+model\s+canvas"
    r"|verdienmodel(?:\s+canvas)?"
    r"|(?:i̇|i|ı|İ)ş\s+model(?:i|imiz)(?:\s+kanvas[ıi])?|lean\s+kanvas"
    r"|(?:kanwa\s+)?model(?:u)?\s+biznesow(?:y|ego)|model\s+biznesu"
    r"|(?:kanvas\s+)?model\s+bisnis(?:\s+kanvas)?"
    r"|aff[äa]rsmodell(?:en)?(?:\s*kanvas(?:en)?)?"
    r"|forretningsmodell?(?:en)?(?:\s*(?:canvas|kanvas)(?:et)?)?"
    r"|mô\s+hình\s+kinh\s+doanh(?:\s+canvas)?"
    r"|(?:канва\s+)?бізнес[\s-]*модел[ьі](?:\s+canvas)?"
    r"|(?:canvas\s+)?obchodn(?:[ií]|ího)\s+model(?:u)?(?:\s+canvas)?"
    r"|value\s+proposition\s+canvas"
    r"|canvas)"
)
_JOINER = (
    r"(?:of|for|de|del|du|von|für|para|do|da|di|per|van|voor|för|av|af|til|для|dla|untuk|của|pro"
    r"|:|：|-|–|—|\||·|•)"
)
# What a title may say about the canvas after it: "(Idea Stage)", "(draft)", "v2",
# "hypotheses", "analysis".
_ABOUT_CANVAS = (
    r"(?:\s*\((?:[^)]*\b(?:stage|draft|version|v\d+|template|final|updated|wip|mvp"
    r"|example|sample|idea|\d{4})\b[^)]*)\)|\s+v\d+(?:\.\d+)*"
    r"|\s+(?:hypothes[ie]s|draft|sketch|notes|overview|analysis|breakdown|summary))?"
)
# What a title may say it does with the canvas before naming it: "X — Estudo de Modelo de
# Negócio", "X: analysis of the business model".
_STUDY_WORDS = (
    r"(?:study|analysis|estudo|estudio|an[áa]lise|an[áa]lisis|[ée]tude|analyse|analisi|analys)"
)
_STUDY_OF = (
    rf"(?:{_STUDY_WORDS}"
    r"\s+(?:of\s+(?:the\s+|its\s+)?|d[eoa]s?\s+|del\s+|du\s+|dell[ao]\s+|a[vf]\s+)?)?"
)
# A title that only studies the canvas names no one: "Análise do Modelo de Negócio".
_ONLY_STUDY = deferred(
    rf"^{_STUDY_WORDS}(?:\s+(?:of|of the|d[eoa]s?|del|du|dell[ao]|a[vf]))?$", re.IGNORECASE
)
# Found anywhere in a title: every pattern that finds a name around a canvas phrase needs
# one, and most titles ("Acme Rockets") have none, so that those patterns are never tried.
_ANY_CANVAS_PHRASE = deferred(_CANVAS, re.IGNORECASE)
# What every canvas phrase an ASCII text can hold has in it, in lower case: in ASCII,
# case-blind matching is matching in lower case, and no other letter of `_CANVAS` folds
# into ASCII.
_ASCII_CANVAS_STEMS = (
    "business",
    "lean",
    "bmc",
    "canvas",
    "modelo",
    "modele",
    "lienzo",
    "geschaftsmodell",
    "verdienmodel",
    "kanvas",
    "biznes",
    "bisnis",
    "modeli",
    "affarsmodell",
    "forretningsmodel",
    "obchodni",
)
# An article before the canvas phrase: "The business model canvas of Acme", "El modelo de
# negocio de Acme".
_ARTICLE_BEFORE = r"(?:(?:the|el|la|le|o|das|der|il|lo|het)\s+)?"
_NAME_AFTER = deferred(
    rf"^\s*{_ARTICLE_BEFORE}(?:one[\s-]*page\s+)?{_STUDY_OF}{_CANVAS}\s*{_JOINER}\s*"
    rf"(?P<name>.+?){_ABOUT_CANVAS}\s*$",
    re.IGNORECASE,
)


# The name in brackets after the canvas phrase: "Business Model Canvas (Acme)".
_NAME_IN_BRACKETS = deferred(
    rf"^\s*{_ARTICLE_BEFORE}{_CANVAS}\s*[(\[（]\s*(?P<name>[^()\[\]（）]+?)\s*[)\]）]\s*$",
    re.IGNORECASE,
)
# What brackets after a canvas phrase say about the canvas: "(draft)", "(v2)", "(2024)".
_ONLY_ABOUT_CANVAS = deferred(rf"^{_ABOUT_CANVAS}$", re.IGNORECASE)


@cache
def _name_before() -> re.Pattern[str]:
    """The name before a canvas phrase ("Acme — Lean Canvas"), compiled on first use: a title
    such as "Businessmodel of Acme" never needs it, and it is slow to compile."""
    return compile_pattern(
        rf"^\s*(?P<name>.+?)(?P<mark>['’:]s|\s*の|\s*의)?\s*(?:(?P<sep>[:：\-–—|·•])\s*)?\(?\s*{_STUDY_OF}{_CANVAS}\s*\)?"
        rf"{_ABOUT_CANVAS}\s*$",
        re.IGNORECASE,
    )


# Lower case only: a capital article is part of a name ("La Fromagerie du Coin").
_LEADING_ARTICLE = deferred(
    r"^(?:the|a|an|el|la|los|las|le|les|der|die|das|il|lo|o|het|een)\s+(?=\S)"
)
# Headings of a course, an assignment, a student team, a part of a book or a version of the
# document: "Assignment 2", "Week 5 Lab", "Team 4", "Chapter 3: Designing the business",
# "Version 2", "ENT 210", "第3章", "3주차".
_COURSE_WORDS = (
    r"assignment|homework|exercise|lab|lesson|lecture|module|unit|chapter|section|week|part"
    r"|task|worksheet|tutorial|seminar|coursework|deliverable|milestone"
    r"|tarea|ejercicio|m[óo]dulo|lecci[óo]n|cap[íi]tulo|semana|unidad|actividad|pr[áa]ctica"
    r"|chapitre|exercice|devoir|le[çc]on|semaine|kapitel|aufgabe|übung|lektion|woche"
    r"|capitolo|esercizio|lezione|compito|settimana|hoofdstuk|opdracht|les|oefening"
    r"|глава|урок|задание|раздел|модуль|неделя|лекция"
    r"|ödev|hafta|ders|ünite|bölüm|zadanie|tydzień|ćwiczenie|wykład|rozdział"
    r"|tugas|minggu|latihan|pertemuan|bab"
    r"|föreläsning|forelesning|forelæsning|uppgift|oppgave|opgave|övning|øvelse|inlämning"
    r"|vecka|uke|uge|modul"
    r"|team|group|groupe|gruppe|grupo|gruppo|groep|команда|группа|grup|takım|grupa|zespół"
    r"|kelompok|tim|grupp"
    r"|version|draft|revision|iteration|versión|versione|versie|версия"
)
_COURSE_HEADING = (
    rf"(?:^|[\s(\[:—–-])(?:{_COURSE_WORDS})"
    r"(?:\s*(?:#\s*)?\d+[a-z]?(?:\.\d+)*|\s+(?:[ivx]+|[a-z]))"
    rf"\s*(?:$|[:：.,—–|()\[\]-]|(?:{_COURSE_WORDS})\b)"
    rf"|^\s*(?-i:[A-Z]{{2,5}})[\s-]?\d{{3,4}}(?-i:[A-Z])?\s*(?:$|[:：.,—–|()\[\]-]|(?:{_COURSE_WORDS})\b)"
    r"|第\s*[\d一二三四五六七八九十]+\s*[章回課週]|(?<!\d)\d+\s*주차|제\s*\d+\s*장"
    r"|\b(?:final|group|course|class|capstone)\s+(?:project|assignment|paper)\b"
)


@cache
def _course_heading() -> re.Pattern[str]:
    """`_COURSE_HEADING` compiled on first use: it takes milliseconds, more than reading a
    post, and an English title holding none of its words never needs it."""
    return compile_pattern(_COURSE_HEADING, re.IGNORECASE)


def _spelt_out(alternatives: str) -> frozenset[str]:
    """Every word an alternation of words such as `m[óo]dulo|lab` matches: módulo, modulo, lab."""
    words = set()
    for alternative in alternatives.split("|"):
        spellings = [""]
        for part in re.split(r"(\[[^]]+\])", alternative):
            choices = list(part[1:-1]) if part.startswith("[") else [part]
            spellings = [spelling + choice for spelling in spellings for choice in choices]
        words.update(spellings)
    return frozenset(words)


# A course heading in ASCII holds one of these as a whole word (a course word, or the
# "project" of "Final project"), or starts with a course code ("ENT 210").
_ASCII_COURSE_WORDS = frozenset(
    word
    for word in _spelt_out(_COURSE_WORDS) | {"project", "assignment", "paper"}
    if word.isascii()
)
_ASCII_WORD = deferred(r"[a-z]+")
_COURSE_CODE = deferred(r"\s*[A-Z]{2,5}[\s-]?\d{3,4}")
# A phrase ending in one of these is a sentence cut short, not a name: "Designing the".
# A name never ends in a word that joins it to what follows, in any language read:
# "Die neun Bausteine des (Business Model Canvas)".
_DANGLING_WORDS = frozenset(
    {"the", "a", "an", "of", "to", "for", "and", "your", "our", "my"}
    | {"de", "del", "do", "da", "du", "des", "der", "den", "di", "della", "von", "van", "het"}
    | {"para", "pour", "für", "per", "voor", "et", "und", "en"}
)
# The legal form a company's registered name ends in: "Acme Ltd", "Nordwind GmbH", "Padaria
# Aurora S.A.". Compared without dots and case, but for the forms spelt as a common word is
# ("AS", "as"; "AG", "ag"; "SpA", "spa"), which count only as written.
_LEGAL_FORMS = frozenset(
    {"ltd", "llc", "inc", "corp", "plc", "llp", "lllp", "pbc", "pty", "pte", "bhd", "tbk"}
    | {"gmbh", "mbh", "ug", "gbr", "ohg", "kgaa", "sarl", "sàrl", "sas", "sasu", "eurl"}
    | {"sa", "sl", "slu", "srl", "sagl", "ltda", "lda", "eireli", "bv", "bvba", "nv"}
    | {"sro", "kft", "zrt", "oyj", "aps", "ehf", "ulc"}
)
_LEGAL_FORMS_AS_WRITTEN = frozenset(
    {"AG", "KG", "AB", "AS", "A/S", "ASA", "SE", "Oy", "Co", "Co.", "SpA", "S.p.A.", "e.V."}
    | {"eG", "e.K.", "C.V.", "o.o.", "a.s.", "Limited", "Incorporated", "Corporation"}
)
# A file name or front matter `title` written as a slug: "acme-rockets-bmc".
_SLUG_LIKE = deferred(r"^[a-z0-9]+(?:[-_][a-z0-9]+)+$")
# Words that on their own say nothing about whose canvas it is: "My first canvas".
_NAME_FILLERS = frozenset(
    {"my", "our", "your", "this", "first", "new", "simple", "sample", "example", "draft"}
    | {"final", "template", "startup", "company", "business", "idea", "proposed", "initial"}
    | {"project", "app", "product", "mi", "nuestro", "mon", "notre", "mein", "unser"}
)
_GENERIC_TITLE = deferred(
    rf"^\s*(?:the\s+|el\s+|la\s+|le\s+|o\s+|das\s+|our\s+|my\s+)?{_CANVAS}"
    r"(?:\s*\(\s*(?:bmc|canvas)\s*\))?"
    r"(?:\s+(?:template|example|sample|draft|analysis|overview|summary|worksheet))?\s*$",
    re.IGNORECASE,
)
# What parts a name from the description after it: a spaced dash, bar or dot, or a colon.
_DESCRIPTION_MARK = deferred(r"(\s+[-–—|·•]\s+|\s*[:：]\s+)")
_NAME_BEFORE_DESCRIPTION_WORDS = 5
_WEB_ADDRESS = deferred(r"^[a-z0-9-]+(?:\.[a-z0-9-]+)*\.[a-z]{2,}$")
# A title longer than this is no name and a description, and is never taken apart to see.
_LONGEST_DESCRIBED_TITLE = 200
# A lower-case word this short may join the words of a name: "of", "and", "do", "de la".
_JOINING_WORD_CHARS = 3
_LEADING_NUMBER = deferred(r"^\d{1,3}[.)]\s+")
_SECTION_NUMBER = deferred(r"^\d{1,3}(?:\.\d{1,3})*[.)]?\s+")
_JEKYLL_DATE = deferred(r"^\d{4}-\d{1,2}-\d{1,2}-")
_FILE_NAME_JUNK = deferred(r"[\s_\-.]+")
_NAME_TRIM = " :：-–—|·•*_\"'“”‘’"
# Emoji, their modifiers and joiners, variation selectors and keycap marks.
_DECORATIONS = frozenset({"So", "Sk", "Cf", "Mn", "Me"})

# Titles that say what a section is, never whose canvas it is.
_NOT_NAMES = frozenset(
    normalise_label(title)
    for title in (
        "Table of Contents",
        "Contents",
        "TOC",
        "Introduction",
        "Intro",
        "Overview",
        "Summary",
        "Executive Summary",
        "Abstract",
        "Background",
        "README",
        "About",
        "Index",
        "Notes",
        "Canvas",
        "Assignment",
        "Brief",
        "Project Brief",
        "Business Plan",
        "Report",
        "Draft",
        "Workshop Notes",
        "Índice",
        "Introducción",
        "Resumen",
        "Sommaire",
        "Inhalt",
        "Inhaltsverzeichnis",
        "Sumário",
        "目录",
        "目錄",
        "简介",
        "簡介",
    )
)
# Kinds of document a title may name before the company it is about: "Product Vision:
# StudySwap", "Pitch Deck — Acme", "Case study: Acme".
_DOCUMENT_KINDS = frozenset(
    normalise_label(kind)
    for kind in (
        "Product Vision",
        "Vision",
        "Vision Document",
        "Product Brief",
        "Product Concept",
        "Concept",
        "Pitch",
        "Pitch Deck",
        "Elevator Pitch",
        "Proposal",
        "Project Proposal",
        "Business Proposal",
        "Business Case",
        "Case Study",
        "Startup Idea",
        "Business Idea",
        "One-pager",
        "Idea Brief",
        "Visión del producto",
        "Propuesta",
        "Caso de estudio",
        "Visão do produto",
        "Proposta",
        "Estudo de caso",
        "Produktvision",
        "Vision produit",
        "Étude de cas",
    )
)
# Other canvases than the two read, which a report may hold beside them: a heading
# naming one ("3. MVP Canvas", "Empathy Map Canvas") names a tool, no company. Written
# as `normalise_label` writes them.
_OTHER_CANVAS_KINDS = frozenset(
    {"mvp", "empathy map", "mapa de empatia", "mapa da empatia", "lean ux", "persona"}
    | {"project model", "team", "opportunity", "mission model", "product", "strategy"}
    | {"value proposition", "feature"}
)
# Labels of a section whose first line is the company's or project's name.
_PROJECT_LABELS = frozenset(
    normalise_label(label)
    for label in (
        "Project Title",
        "Project Name",
        "Project",
        "Company",
        "Company Name",
        "Startup",
        "Startup Name",
        "Business Name",
        "Venture Name",
        "Nombre del proyecto",
        "Nombre de la empresa",
        "Nom du projet",
        "Nom de l'entreprise",
        "Projektname",
        "Firmenname",
        "Nome do projeto",
        "Nome da empresa",
        "项目名称",
        "項目名稱",
        "公司名称",
        "公司名稱",
        "Empresa",
        "Entreprise",
        "Unternehmen",
        "Produkt",
        "Product",
        "Application",
        "Aplicación",
        "Aplicação",
        "Produit",
        "Producto",
        "Produto",
        "Prodotto",
        "Azienda",
        "Nome dell'azienda",
        "Nome del progetto",
        "Progetto",
        "Bedrijf",
        "Bedrijfsnaam",
        "Projectnaam",
        "Onderneming",
        "Компания",
        "Название компании",
        "Проект",
        "Название проекта",
        "会社名",
        "企業名",
        "プロジェクト名",
        "サービス名",
        "製品名",
        "회사명",
        "회사",
        "프로젝트명",
        "제품명",
        "서비스명",
        "Proje",
        "Proje Adı",
        "Şirket",
        "Şirket Adı",
        "Girişim",
        "Girişim Adı",
        "Projekt",
        "Nazwa projektu",
        "Firma",
        "Nazwa firmy",
        "Proyek",
        "Nama Proyek",
        "Perusahaan",
        "Nama Perusahaan",
        "Nama Usaha",
    )
)
# A label with one of these nouns and only words from _NAME_WORDS besides names the
# project: "Name of the company", "Startup (working title)".
_PROJECT_NOUNS = frozenset(
    {"company", "project", "startup", "venture", "business", "product", "firm", "organisation"}
    | {"organization", "brand", "empresa", "proyecto", "entreprise", "projet", "unternehmen"}
    | {"firma", "projekt", "produkt", "azienda", "progetto", "bedrijf", "onderneming"}
    | {"projeto"}
)
# A label offers at most this many alternatives: "Company / Project / Product".
_LABEL_ALTERNATIVES = 3
_NAME_WORDS = frozenset(
    {"name", "title", "of", "the", "our", "working", "nombre", "del", "de", "la", "el", "nom"}
    | {"du", "l", "titel", "der", "des", "nome", "naam", "van", "het", "team", "startup"}
)


def _is_decoration(char: str) -> bool:
    return char.isspace() or char in _NAME_TRIM or unicodedata.category(char) in _DECORATIONS


def _trimmed(name: str) -> str | None:
    """A name without the emoji, quotes and punctuation around it."""
    start, end = 0, len(name)
    while start < end and _is_decoration(name[start]):
        start += 1
    while end > start and _is_decoration(name[end - 1]):
        end -= 1
    return name[start:end] or None


def trimmed_name(title: str) -> str | None:
    """`title` without the emoji, quotes and punctuation around it, as a name read from it
    is trimmed."""
    return _trimmed(title)


def may_hold_a_canvas_phrase(text: str) -> bool:
    """False only when `text` holds no canvas phrase ("Business Model Canvas", "BMC",
    "Lienzo"), told without the pattern for an ASCII text."""
    if text.isascii():
        lower = text.lower()
        return any(stem in lower for stem in _ASCII_CANVAS_STEMS)
    return _ANY_CANVAS_PHRASE.search(text) is not None


# More white space in a row than a title is written with: a name keeps three spaces.
_LONG_SPACE = deferred(r"\s{4,}")


def _one_spaced(text: str) -> str:
    """`text` with each run of four or more white space characters one space; a shorter
    one is kept as written ("Acme   Rockets" names `Acme   Rockets`).

    The patterns around a name try each way of sharing a run of white space between the
    `\\s*` on either side of it, which took time growing with the run's cube: a title of a
    thousand spaces before its canvas phrase took a minute.
    """
    return _LONG_SPACE.sub(" ", text)


def is_generic_title(title: str) -> bool:
    """A title that names the kind of canvas and no company: "2. Business Model Canvas"."""
    title = _one_spaced(title)
    return bool(_GENERIC_TITLE.match(_LEADING_NUMBER.sub("", _trimmed(title) or "")))


def is_course_heading(title: str) -> bool:
    """A heading of a course, assignment, chapter or section: "Week 5 — Assignment 2"."""
    title = _one_spaced(title)
    if title.isascii() and not _COURSE_CODE.match(title):
        words = _ASCII_WORD.findall(title.lower())
        if _ASCII_COURSE_WORDS.isdisjoint(words):
            return False
    return bool(_course_heading().search(title))


def _without_course_prefix(title: str) -> str:
    """ "Assignment 2: Lean Canvas for Acme" -> "Lean Canvas for Acme"."""
    for separator in (":", "：", " — ", " – ", " - ", " | ", " · "):
        head, found, rest = title.partition(separator)
        if found and rest.strip() and is_course_heading(head):
            return rest.strip()
    return title


def _without_description(name: str) -> str:
    """A name without the description a title gives after it: "TeamUp — Plataforma de …",
    "Lumen Loop: Startup Report", "Wal-Mart - a retail giant" (a hyphen inside a word, as
    in "Coca-Cola", parts nothing).

    The name is what stands before the first spaced dash, bar, dot or colon, when it is a
    few words and what follows is a phrase (two words or more, or a lower-case word).
    """
    if len(name) > _LONGEST_DESCRIBED_TITLE or not _DESCRIPTION_MARK.search(name):
        return name
    head, _mark, rest = _DESCRIPTION_MARK.split(name, maxsplit=1)
    head, rest = head.strip(), without_brackets(rest).strip()
    if not head or not rest or len(head.split()) > _NAME_BEFORE_DESCRIPTION_WORDS:
        return name
    if is_project_label(head):
        return _trimmed(rest) or name  # "Projeto: Acme Rockets" labels the name after it
    if _names_the_document(head):
        # "Product Vision: StudySwap" names the document, then the company it is about.
        named = _trimmed(rest)
        if named and all(_is_name_word(word) for word in _without_description(named).split()):
            return _without_description(named)
        return name
    if _ends_in_legal_form(rest):
        return name  # a description never ends in one: "Müller & Söhne · Bäckerei GmbH"
    if not all(_is_name_word(word) for word in head.split()) and not _ends_in_legal_form(head):
        return name  # "Notes on pricing: Acme" is no name and a description
    describes = len(rest.split()) > 1 or rest[:1].islower() or not any(map(str.isalpha, rest))
    if not describes or _is_only_fillers(head) or is_course_heading(head):
        return name
    if is_generic_title(head):
        return name  # "4. Geschäftsmodell: deine Idee" names the canvas, not a company
    return head


def _names_the_document(text: str) -> bool:
    label = normalise_label(text)
    return label in _DOCUMENT_KINDS or label in _NOT_NAMES


def _is_name_word(word: str) -> bool:
    """A word as a name writes it: capitalised, or a short joining word (`Ben & Jerry`,
    `Banco do Brasil`), or in a script without case, or a brand written in lower case with
    a capital inside (`eBay`, `iRobot`) or a web address (`bol.com`)."""
    if len(word) <= _JOINING_WORD_CHARS or not word[:1].islower():
        return True
    return not word.islower() or _WEB_ADDRESS.match(word) is not None


def _ends_in_legal_form(text: str) -> bool:
    """Whether `text` ends in a company's legal form: "Acme Ltd", "Aurora S.A.", "npm, Inc."."""
    last = text.rpartition(" ")[2].strip(",;()")
    if last in _LEGAL_FORMS_AS_WRITTEN:
        return True
    return last.replace(".", "").casefold() in _LEGAL_FORMS


def ends_in_abbreviation(name: str) -> bool:
    """Whether the dot ending `name` is its legal form's or an abbreviation's, not a full
    stop: "Acme Inc.", "Aurora S.A.", "Fernhill Compost Co."."""
    last = name.rpartition(" ")[2]
    return last.endswith(".") and (_ends_in_legal_form(name) or _is_abbreviation(last))


def _is_abbreviation(word: str) -> bool:
    """A word with a dot inside it, as abbreviations write them: "S.A.", "e.V.", "o.o."."""
    return "." in word.strip(".")


def _is_only_fillers(name: str) -> bool:
    words = normalise_label(name).split()
    return all(word in _NAME_FILLERS for word in words)


def _as_name(text: str, *, parted: bool = False) -> str | None:
    """A phrase as a company name, or None when it is generic, a course heading or filler.

    A block's name is no company's name when it only qualifies the canvas ("2.1 Value
    Proposition Canvas"), but it is one when a mark or a possessive parts it from the canvas
    phrase (`parted`): "Revenue: Business Model Canvas", "Channels's Lean Canvas".
    """
    name = _trimmed(text)
    if name is None:
        return None
    without_article = _LEADING_ARTICLE.sub("", name)
    name = _trimmed(without_article) or name
    if is_generic_title(name) or is_course_heading(name) or _is_only_fillers(name):
        return None
    if _ONLY_STUDY.match(name):
        return None
    numbered = _SECTION_NUMBER.match(name) is not None
    if (numbered or not parted) and read_label(_SECTION_NUMBER.sub("", name), strict=True):
        return None  # another canvas of one block: "2.1 Value Proposition Canvas"
    if not any(char.isalpha() for char in name):
        return None  # numbering left of a generic title: "2. Business Model Canvas"
    if normalise_label(name) in _OTHER_CANVAS_KINDS:
        return None  # another kind of canvas in the same report: "3. MVP Canvas"
    name = _without_description(name)
    if _is_abbreviation(name.rpartition(" ")[2]):
        return name  # "Acme S.A." ends in no article, as its last letter alone would
    last_word = normalise_label(name).rpartition(" ")[2]
    return None if last_word in _DANGLING_WORDS else name


# Where a title goes on with a subtitle: its first colon, spaced dash or bar.
_SUBTITLE_MARK = deferred(r"\s*(?:[:：]|\s[-–—|]\s)")


def _name_before_a_subtitle(title: str) -> str | None:
    """The company a title names before its canvas phrase when a subtitle follows: "Spotify
    Business Model Canvas: Complete BMC Analysis", "Uber Business Model Canvas — Explained"
    name Spotify and Uber, not the subtitle's first words. A title opening with the phrase
    ("Business Model Canvas: Acme") names the company after it, as ever."""
    mark = _SUBTITLE_MARK.search(title)
    if mark is None or not may_hold_a_canvas_phrase(title[: mark.start()]):
        return None
    match = _name_before().match(title[: mark.start()])
    if match is None or match.group("sep"):
        return None
    name = _as_name(match.group("name"), parted=bool(match.group("mark")))
    return name if name and not may_hold_a_canvas_phrase(name) else None


def name_in_phrase(title: str) -> str | None:
    """The company a canvas phrase names: "Business Model Canvas: Acme", "Acme — Lean Canvas".

    Words about the canvas ("(Idea Stage)", "v2"), a leading article and a course
    heading before it ("Assignment 2:") are no part of the name.
    """
    title = _without_course_prefix(_one_spaced(title))
    if not may_hold_a_canvas_phrase(title) or is_generic_title(title):
        return None
    match = _NAME_AFTER.match(title)
    name = _as_name(match.group("name")) if match else None
    if not name:
        name = _name_before_a_subtitle(title)
    if not name:
        match = _name_before().match(title)
        if match:
            parted = bool(match.group("mark") or match.group("sep"))
            name = _as_name(match.group("name"), parted=parted)
    if not name:
        match = _NAME_IN_BRACKETS.match(title)
        inside = match.group("name") if match else None
        if inside and not _ONLY_ABOUT_CANVAS.match(f" ({inside})"):
            name = _as_name(inside)
    return name or None


# Words a label of the document is made of, besides course words and numbers: "Final
# project", "Homework No. 3", "Group assignment B".
_LABEL_EXTRA_WORDS = frozenset(
    {"project", "assignment", "paper", "final", "course", "class", "capstone", "no", "nr"}
    | {"and", "y", "et", "und", "e", "en", "submission", "entrega", "abgabe", "rendu"}
)
# Words of a title that names a subject or notes on it beside the label, not a company:
# "Apuntes de Emprendimiento — semana 6", "Week 2 — Innovation Lecture".
_SUBJECT_WORDS = frozenset(
    {"notes", "note", "apuntes", "notas", "notizen", "lecture", "lectures", "course", "class"}
    | {"curso", "cours", "kurs", "clase", "aula", "recap", "review", "reading", "readings"}
    | {"entrepreneurship", "emprendimiento", "empreendedorismo", "entrepreneuriat"}
    | {"unternehmertum", "innovation", "innovación", "inovação", "imprenditorialità"}
)
_LABEL_WORD = deferred(r"[^\W\d_]+")
_YEAR = deferred(r"\b(?:19|20)\d\d\b")
# Course work as its writers shorten it: "HW3", "Pset 2", "Ex. 4", "A2".
_SHORT_COURSE_LABEL = deferred(r"^(?:hw|pset|ps|ex|asg|assn|tp|td)\.?\s*#?\d{1,3}[a-z]?$", re.I)
_ROMAN_NUMERAL = deferred(r"^[ivxlc]+$")


@cache
def _course_word_set() -> frozenset[str]:
    return _spelt_out(_COURSE_WORDS) | _LABEL_EXTRA_WORDS


def _is_document_label(text: str) -> bool:
    """A part of a title that only labels the document: "Homework 3", "Week 5 Lab",
    "ENT 210", "Business Model Canvas", "BMC" (not "Acme Lab", a name with a course word)."""
    text = text.strip()
    if not text:
        return False
    if is_generic_title(text) or _SHORT_COURSE_LABEL.match(text):
        return True
    words = _course_word_set()
    found = _LABEL_WORD.findall(text)
    if not any(word.lower() in words for word in found) and not _COURSE_CODE.match(text):
        return False
    if _YEAR.search(text):
        return False  # "ACME 2024" is a name and a year, not a course's code
    for word in found:
        lower = word.lower()
        if lower in words or len(word) == 1 or _ROMAN_NUMERAL.match(lower):
            continue
        if word.isupper() and len(word) <= 5:
            continue  # a course code: "ENT 210"
        return False
    return True


def _name_beside_label(title: str) -> str | None:
    """The company a title names beside a label of the document, parted from it by a
    spaced dash, bar, dot or colon: "Homework 3 — Acme Analytics", "Acme Analytics |
    Week 2", "Tarea 2: Panadería Sol". A hyphen inside a name ("Rolls-Royce") parts nothing.
    """
    if len(title) > _LONGEST_DESCRIBED_TITLE or not _DESCRIPTION_MARK.search(title):
        return None
    pieces = _DESCRIPTION_MARK.split(title)
    texts, marks = pieces[0::2], pieces[1::2]
    first, last = 0, len(texts)
    while first < last and _is_document_label(texts[first]):
        first += 1
    while last > first and _is_document_label(texts[last - 1]):
        last -= 1
    if (first == 0 and last == len(texts)) or first == last:
        return None  # no label, or nothing but labels
    kept = texts[first]
    for mark, text in zip(marks[first : last - 1], texts[first + 1 : last], strict=True):
        kept += mark + text
    name = _as_name(kept)
    if name is None or normalise_label(name) in _NOT_NAMES:
        return None
    if any(word.lower() in _SUBJECT_WORDS for word in _LABEL_WORD.findall(name)):
        return None
    if not all(_is_name_word(word) for word in name.split()):
        return None  # a topic, not a name: "Chapter 3: Designing the business"
    return name


def name_from_title(title: str) -> str | None:
    """ "Businessmodel of MemSQL" -> "MemSQL"; a generic title or a course heading names none,
    but for the company it names beside it ("Homework 3 — Acme Analytics")."""
    title = _one_spaced(title)
    rest = _without_course_prefix(title)
    phrase_name = name_in_phrase(rest)
    if phrase_name:
        return phrase_name
    if rest != title or is_generic_title(rest) or is_course_heading(rest):
        return _name_beside_label(title)
    beside = _name_beside_label(title)
    if beside:
        return beside  # "HW3 — Acme": a label too short to be a course heading
    if may_hold_a_canvas_phrase(rest) and (_NAME_AFTER.match(rest) or _name_before().match(rest)):
        return None  # a canvas phrase around no name: "My first business model"
    name = _trimmed(rest)
    return _without_description(name) if name else None


def is_slug_like(title: str) -> bool:
    """A title written as a file name would be: "acme-rockets-bmc"."""
    return bool(_SLUG_LIKE.match(title.strip()))


def is_project_label(label: str) -> bool:
    """A label such as "Project Title" or "Empresa" whose section or line holds the name.

    A descriptor in parentheses or around the noun does not matter: "Company (working
    name)", "Name of the startup"; nor do alternatives offered by a form, "Business/Product".
    """
    if "/" in label:
        parts = label.split("/")
        if len(parts) <= _LABEL_ALTERNATIVES and all(is_project_label(part) for part in parts):
            return True
    normalised = normalise_label(without_brackets(label))
    if normalised in _PROJECT_LABELS:
        return True
    words = normalised.split()
    nouns = [word for word in words if word in _PROJECT_NOUNS]
    others = [word for word in words if word not in _PROJECT_NOUNS]
    return len(nouns) == 1 and len(words) <= 5 and all(word in _NAME_WORDS for word in others)


def names_a_company(title: str) -> bool:
    """Whether a first heading can be a company's name (not "Introduction", "Project Title")."""
    if is_generic_title(title) or is_course_heading(title):
        return _name_beside_label(title) is not None
    label = normalise_label(title)
    return bool(label) and label not in _NOT_NAMES and not is_project_label(title)


def is_generic_word(title: str) -> bool:
    """A title that is a generic word, a course heading or a section's name, not a company's."""
    if is_generic_title(title) or is_course_heading(title):
        return _name_beside_label(title) is None
    return normalise_label(title) in _NOT_NAMES or not normalise_label(title)


def is_context_heading(title: str) -> bool:
    """A heading about the document, not a would-be block: a canvas title, contents, project."""
    label = normalise_label(title)
    return (
        is_generic_title(title)
        or name_in_phrase(title) is not None
        or is_project_label(title)
        or label in {"table of content", "content", "toc", "índice", "目录", "目錄"}
    )


def post_stem(source: str) -> str:
    """A post's file name without its extension or Jekyll date: `2016-05-12-memsql.md` -> memsql."""
    stem = PurePath(source).name
    for suffix in (".markdown", ".md"):
        if stem.lower().endswith(suffix):
            stem = stem[: -len(suffix)]
            break
    return _JEKYLL_DATE.sub("", stem)


def name_from_file(source: str) -> str:
    """The last resort: a file name as words, `2024-05-01-acme-rockets.md` -> "Acme Rockets"."""
    stem = post_stem(source)
    words = _FILE_NAME_JUNK.sub(" ", stem).split()
    return " ".join(word.capitalize() if word.islower() else word for word in words) or stem
