"""Find the company a canvas is about in its title phrase, front matter or project section."""

from __future__ import annotations

import re
import unicodedata

from canvascli.read.labels import normalise_label

_CANVAS = (
    r"(?:business\s*model(?:\s*canvas)?"
    r"|lean\s*canvas"
    r"|bmc"
    r"|canvas\s+(?:del?\s+|do\s+)?modelo\s+de\s+neg[oó]cios?"
    r"|modelo\s+de\s+neg[oó]cios?(?:\s+canvas)?"
    r"|modelo\s+canvas"
    r"|lienzo(?:\s+(?:del?\s+)?modelo\s+de\s+negocios?)?"
    r"|mod[eè]le\s+(?:[ée]conomique|d['’]affaires)"
    r"|gesch[äa]ftsmodell(?:[\s-]*canvas)?"
    r"|商业模式画布|商業模式畫布|商业模式|商業模式|精益画布|精實畫布"
    r"|canvas)"
)
_JOINER = r"(?:of|for|de|del|du|von|für|para|do|da|:|：|-|–|—|\|)"
_NAME_AFTER = re.compile(rf"^\s*{_CANVAS}\s*{_JOINER}\s*(?P<name>.+?)\s*$", re.IGNORECASE)
_NAME_BEFORE = re.compile(
    rf"^\s*(?P<name>.+?)(?:['’]s)?\s*(?:[:：\-–—|]\s*)?\(?\s*{_CANVAS}\s*\)?\s*$",
    re.IGNORECASE,
)
_GENERIC_TITLE = re.compile(
    rf"^\s*(?:the\s+|el\s+|la\s+|le\s+|o\s+|das\s+|our\s+|my\s+)?{_CANVAS}"
    r"(?:\s*\(\s*(?:bmc|canvas)\s*\))?\s*$",
    re.IGNORECASE,
)
_NAME_TRIM = " :：-–—|*_\"'“”‘’"
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
    )
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


def is_generic_title(title: str) -> bool:
    """A title that names the kind of canvas and no company: "Business Model Canvas"."""
    return bool(_GENERIC_TITLE.match(title))


def name_in_phrase(title: str) -> str | None:
    """The company a canvas phrase names: "Business Model Canvas: Acme", "Acme — Lean Canvas"."""
    if is_generic_title(title):
        return None
    for pattern in (_NAME_AFTER, _NAME_BEFORE):
        match = pattern.match(title)
        if match:
            name = _trimmed(match.group("name"))
            if name and not is_generic_title(name):
                return name
    return None


def name_from_title(title: str) -> str | None:
    """ "Businessmodel of MemSQL" -> "MemSQL"; a generic title names no company."""
    if is_generic_title(title):
        return None
    return name_in_phrase(title) or _trimmed(title)


def is_project_label(label: str) -> bool:
    """A label such as "Project Title" whose section holds the project's name."""
    return normalise_label(label) in _PROJECT_LABELS


def names_a_company(title: str) -> bool:
    """Whether a first heading can be a company's name (not "Introduction", "Project Title")."""
    if is_generic_title(title):
        return False
    label = normalise_label(title)
    return bool(label) and label not in _NOT_NAMES and label not in _PROJECT_LABELS


def is_context_heading(title: str) -> bool:
    """A heading about the document, not a would-be block: a canvas title, contents, project."""
    label = normalise_label(title)
    return (
        is_generic_title(title)
        or name_in_phrase(title) is not None
        or label in _PROJECT_LABELS
        or label in {"table of content", "content", "toc", "índice", "目录", "目錄"}
    )
