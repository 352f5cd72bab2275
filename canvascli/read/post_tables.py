"""Read canvases laid out as tables: a grid of cells, and the blocks its label cells open."""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from typing import Literal

from canvascli.model import Entry
from canvascli.read.labels import LabelMatch, is_label_sized, normalise_label, read_label

LineKind = Literal["line", "item", "paragraph"]

# The columns a table's row labels may sit in, and the labelled rows that make it a column of
# labels rather than a first column of numbers.
_LAST_LABEL_COLUMN = 2
_LABELLED_ROWS = 3
_MARKDOWN_HEADING = re.compile(r"^#{1,6}\s+(.*?)\s*#*$")
_MARKDOWN_BOLD = re.compile(r"^(\*\*|__)(.+)\1\s*[:：]?$")
_MARKDOWN_ITEM = re.compile(r"^(?:[-*+•·]|\d{1,3}[.)])\s+(.*)$")
# What the header of a table of labelled rows titles its text column, in the languages read.
_COLUMN_TITLES = frozenset(
    normalise_label(title)
    for title in (
        "Description",
        "Details",
        "Content",
        "Contents",
        "Answer",
        "Our answer",
        "Notes",
        "Summary",
        "Explanation",
        "Descripción",
        "Detalles",
        "Contenido",
        "Respuesta",
        "Descrição",
        "Detalhes",
        "Conteúdo",
        "Resposta",
        "Détails",
        "Contenu",
        "Réponse",
        "Beschreibung",
        "Inhalt",
        "Antwort",
        "Descrizione",
        "Dettagli",
        "Contenuto",
        "Risposta",
        "Beschrijving",
        "Inhoud",
        "Antwoord",
        "Açıklama",
        "İçerik",
        "Opis",
        "Treść",
        "Deskripsi",
        "Keterangan",
        "Isi",
        "Описание",
        "Содержание",
        "描述",
        "内容",
        "說明",
        "说明",
        "説明",
        "설명",
        "내용",
    )
)


@dataclass
class CellLine:
    """One line of a cell: between `<br>`s, or one paragraph, heading or list item."""

    text: str
    bold: bool = False
    kind: LineKind = "line"
    # Where the line starts in the post body, when known (else the cell's own offset).
    offset: int | None = None


@dataclass
class Cell:
    """A table cell with its place in the grid (spans expanded) and its text by lines."""

    row: int
    column: int
    column_span: int
    offset: int
    header: bool
    lines: list[CellLine] = field(default_factory=list)
    # Where the cell's source ends in the post body (its start is `offset`).
    end: int = -1

    @property
    def span(self) -> tuple[int, int]:
        return (self.offset, max(self.offset, self.end))


@dataclass
class TableReading:
    """The blocks a table opens, in reading order, and the entries no label claims."""

    sections: list[TableSection]
    loose: list[Entry]
    # The first column labels the rows, so each block is a run of whole rows.
    by_rows: bool


@dataclass
class TableSection:
    """A block a table's label cell opens, with the entries the table gives it."""

    label: str
    # None for a row labelled like the block rows around it whose label names no block.
    match: LabelMatch | None
    offset: int
    entries: list[Entry] = field(default_factory=list)
    # The source of the cells it was read from, in the post body.
    spans: list[tuple[int, int]] = field(default_factory=list)


def _cell_label(cell: Cell, lenient: bool) -> tuple[str, LabelMatch] | None:
    """The label a cell opens with: bold text, or plain text where a table puts its labels."""
    if not cell.lines:
        return None
    first = cell.lines[0]
    text = first.text.strip().rstrip(":：").strip()
    if first.kind == "item" or not is_label_sized(text):
        return None
    match = read_label(text, strict=not (first.bold or lenient))
    return (text, match) if match else None


def _label_offset(cell: Cell) -> int:
    first = cell.lines[0].offset if cell.lines else None
    return cell.offset if first is None else first


def _entries(lines: list[CellLine]) -> list[Entry]:
    several = len(lines) > 1
    entries = []
    for line in lines:
        if not line.text:
            continue
        kind = line.kind
        if kind == "line":
            kind = "item" if several else "paragraph"
        entries.append(Entry(kind, line.text))
    return entries


def table_sections(rows: list[list[Cell]]) -> TableReading:
    """Read a table's label cells and give each block the cells it holds.

    The header row may label the columns (each column's cells below belong to its
    label, until a row of bold labels takes over the columns); else the first column
    may label the rows; any cell may also open with its own label, its other lines
    being that block's entries.
    """
    if not rows:
        return TableReading([], [], by_rows=False)
    header_labels = sum(1 for cell in rows[0] if _cell_label(cell, lenient=True))
    by_columns = header_labels >= 2
    sections: list[TableSection] = []
    loose: list[Entry] = []
    columns: dict[int, TableSection] = {}
    current: TableSection | None = None
    by_rows = not by_columns
    labelled_rows = unknown_rows = mapped_rows = 0
    label_column = 0 if by_columns else _label_column(rows)
    for index, row in enumerate(rows):
        row_label = None
        # The cells left of the labels number the rows (`| 1 | **Key Partners** | … |`).
        at = next((at for at, cell in enumerate(row) if cell.column == label_column), None)
        if not by_columns and at is not None and _titles_columns(row[at:]):
            continue
        if not by_columns and at is not None:
            row_label = _cell_label(row[at], lenient=True)
            if row_label is not None:
                labelled_rows += 1
            elif _is_unknown_row_label(row[at:], label_column):
                unknown_rows += 1
        if row_label is not None and at is not None:
            if any(_names_a_block(cell) for cell in row[at + 1 :]):
                mapped_rows += 1
            text, match = row_label
            current = TableSection(text, match, _label_offset(row[at]))
            current.spans.append((row[at].offset, max(cell.span[1] for cell in row)))
            sections.append(current)
            current.entries.extend(_entries(row[at].lines[1:]))
            for cell in row[at + 1 :]:
                current.entries.extend(_entries(cell.lines))
            continue
        if (
            by_rows
            and current is not None
            and at is not None
            and _is_unknown_row_label(row[at:], label_column)
        ):
            # A row such as `| Risks | … |` among labelled rows ends the block above it.
            text = row[at].lines[0].text.strip().rstrip(":：").strip()
            current = TableSection(text, None, _label_offset(row[at]))
            current.spans.append((row[at].offset, max(cell.span[1] for cell in row)))
            sections.append(current)
            for cell in row[at + 1 :]:
                current.entries.extend(_entries(cell.lines))
            continue
        for cell in row:
            labelled = _cell_label(cell, lenient=by_columns and index == 0)
            if labelled is not None and not by_columns and len(cell.lines) < 2:
                # Without labelled columns, a cell opens a block only with text under its label.
                labelled = None
            if labelled is not None:
                text, match = labelled
                section = TableSection(text, match, _label_offset(cell), _entries(cell.lines[1:]))
                section.spans.append(cell.span)
                sections.append(section)
                for column in range(cell.column, cell.column + cell.column_span):
                    columns[column] = section
                current = section
                by_rows = False
                continue
            owner = columns.get(cell.column) if by_columns else current
            if owner is not None:
                owner.entries.extend(_entries(cell.lines))
                if cell.lines:
                    owner.spans.append(cell.span)
            elif not cell.header:
                loose.extend(_entries(cell.lines))
    if unknown_rows > labelled_rows:
        # A table of data whose rows are named, one of them like a block: `| Costs | … |`
        # among `| Coverage | … |`, `| Evidence | … |` reviews a canvas, it holds none.
        return TableReading([], [], by_rows=False)
    if by_rows and 2 * mapped_rows > labelled_rows:
        # Block names beside block names (`| Key Partners | Problem | … |`) map one canvas
        # onto another: a comparison of the canvases, no company's answers.
        return TableReading([], [], by_rows=False)
    return TableReading(sections, loose, by_rows=by_rows and bool(sections))


def _titles_columns(row: list[Cell]) -> bool:
    """Whether a header row titles the columns (`| **Segment** | **Description** |`) rather
    than label the first block (`| Customer Segments | Students |`, as a table must have a
    header row): every cell after its first holds a column's title and nothing else."""
    rest = [cell for cell in row[1:] if cell.lines]
    if not row[0].header or not rest:
        return False
    return all(
        len(cell.lines) == 1 and normalise_label(cell.lines[0].text) in _COLUMN_TITLES
        for cell in rest
    )


def _names_a_block(cell: Cell) -> bool:
    """Whether a cell holds only a block's whole name (`Unfair Advantage`)."""
    if len(cell.lines) != 1:
        return False
    text = cell.lines[0].text.strip().strip("*_").rstrip(":：").strip()
    return is_label_sized(text) and read_label(text, strict=True) is not None


def _label_column(rows: list[list[Cell]]) -> int:
    """The column that labels a table's rows: the first, unless a column next to it (after
    a column of numbers) names more blocks."""
    counts = Counter(
        cell.column
        for row in rows
        for cell in row
        if cell.column <= _LAST_LABEL_COLUMN
        and not cell.header
        and _cell_label(cell, lenient=True) is not None
    )
    best = max(counts, key=lambda column: (counts[column], -column), default=0)
    return best if counts[best] >= _LABELLED_ROWS and counts[best] > counts[0] else 0


def _is_unknown_row_label(row: list[Cell], label_column: int = 0) -> bool:
    """A row whose label cell is a one-line label, naming no block, with text beside it."""
    first = row[0] if row else None
    if first is None or first.column != label_column or first.header or len(first.lines) != 1:
        return False
    line = first.lines[0]
    text = line.text.strip().rstrip(":：").strip()
    if line.kind == "item" or not is_label_sized(text) or len(text.split()) > 4:
        return False
    return read_label(text) is None and any(cell.lines for cell in row[1:])


def split_markdown_line(text: str) -> CellLine:
    """A line of Markdown written inside a cell: a heading or bold line, a list item, or text."""
    text = text.strip()
    heading = _MARKDOWN_HEADING.match(text)
    if heading:
        return CellLine(heading.group(1), bold=True, kind="paragraph")
    bold = _MARKDOWN_BOLD.match(text)
    if bold:
        return CellLine(bold.group(2).strip(), bold=True, kind="paragraph")
    item = _MARKDOWN_ITEM.match(text)
    if item:
        return CellLine(item.group(1).strip(), kind="item")
    return CellLine(text)
