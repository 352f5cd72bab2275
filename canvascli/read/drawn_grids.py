"""Read a canvas drawn as a grid of boxes in a code block: each box's label and its lines."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field
from itertools import pairwise

from canvascli.model import AnyBlock, Entry
from canvascli.read.labels import LabelMatch, is_label_sized, read_label
from canvascli.read.post_tables import TableReading, TableSection

# What stands between two boxes of a row: bars, the joints where a box's rule meets one,
# and a `+` where a rule drawn in the row (`|  +-----+  |`) ends.
_BOX_EDGES = re.compile(r"[│┃║|╎┆┊├┤┼┬┴┌┐└┘╠╣╬╦╩╔╗╚╝╟╢╫╞╡╪]|\+(?=[-=─━═~_]{2})|(?<=[-=─━═~_]{2})\+")
# East Asian characters a terminal draws two columns wide.
_WIDE = frozenset({"W", "F"})
# What stands between two boxes of a grid drawn with spaces alone: two spaces or more.
_SPACE_EDGES = re.compile(r"[ \t]{2,}")
# How far left of a box's label its text may start, in a grid drawn with spaces alone.
_SPACED_SLACK = 2
# What a rule under a box is drawn with.
_RULE_CHARS = frozenset("─━═-=+~_┼┬┴├┤┌┐└┘╔╗╚╝╠╣╦╩╬╟╢╫╞╡╪ ")
_RULE_LENGTH = 3
_FENCE = re.compile(r"^\s*(?:`{3,}|~{3,})")
_ITEM = re.compile(r"^(?:[•·▪◦‣*\-–✓✔✅➤►]|\d{1,2}[.)])\s+(?P<text>.*)$")
_CONTINUED = re.compile(r"^\(\s*(?:cont(?:inued|'d|\.)?|continua[çc][aã]o|suite)\s*\)$", re.I)
_LABEL_STROKES = " \t:：-=_*#.·"
# A drawing names this many blocks before its boxes are read as the canvas.
_DRAWN_BLOCKS = 5


@dataclass
class _Box:
    """An open box of the grid: the columns it spans, its block and what is written in it."""

    start: int
    end: int
    section: TableSection
    lines: list[tuple[int, str]] = field(default_factory=list)
    # The box goes on with a block drawn in another box before it.
    continued: bool = False

    def overlap(self, start: int, end: int) -> int:
        return min(self.end, end) - max(self.start, start)


@dataclass
class _Piece:
    """What one line holds between two bars: its columns, its text and where it sits."""

    start: int
    end: int
    text: str
    offset: int
    span: tuple[int, int]


@dataclass
class _Grid:
    """The boxes of a drawing as it is read line by line."""

    paragraph: Callable[[list[str]], list[Entry]]
    sections: dict[AnyBlock, TableSection] = field(default_factory=dict)
    order: list[TableSection] = field(default_factory=list)
    open: list[_Box] = field(default_factory=list)
    loose: list[str] = field(default_factory=list)
    # Drawn with spaces alone: a box's text is what starts in its column, under its label.
    spaced: bool = False

    def close(self, start: int, end: int) -> None:
        """Close the boxes a rule from `start` to `end` runs under."""
        for box in [box for box in self.open if box.overlap(start, end) > 0]:
            self._finish(box)

    def close_all(self) -> None:
        for box in list(self.open):
            self._finish(box)

    def _finish(self, box: _Box) -> None:
        self.open.remove(box)
        box.section.entries.extend(_box_entries(box.lines, self.paragraph))

    def box_over(self, start: int, end: int) -> _Box | None:
        if self.spaced:
            return self._box_left_of(start)
        best: _Box | None = None
        for box in self.open:
            if box.overlap(start, end) > 0 and (
                best is None or box.overlap(start, end) > best.overlap(start, end)
            ):
                best = box
        return best

    def _box_left_of(self, start: int) -> _Box | None:
        """The open box whose label starts nearest left of `start` (or just right of it)."""
        left = [box for box in self.open if box.start <= start + _SPACED_SLACK]
        return max(left, key=lambda box: box.start, default=None)

    def open_box(self, label: str, block: AnyBlock, piece: _Piece) -> None:
        self.close(piece.start, piece.end)
        section = self.sections.get(block)
        continued = section is not None
        if section is None:
            section = TableSection(label, read_label(label, strict=True), piece.offset)
            self.sections[block] = section
            self.order.append(section)
        # A block drawn over two boxes (`KEY ACTIVITIES (cont.)`) is one block.
        self.open.append(_Box(piece.start, piece.end, section, continued=continued))
        section.spans.append(piece.span)

    def write(self, piece: _Piece, below: _Piece | None) -> bool:
        """One box's piece of a line: a label, or the box's text.

        True when the label goes on in `below`, the piece under it (`VALUE` over
        `PROPOSITIONS`), which is then read with it.
        """
        text = piece.text.strip()
        box = self.box_over(piece.start, piece.end)
        if not (box is not None and _wraps_an_item(box, piece)):
            if below is not None:
                joined = f"{text.strip(_LABEL_STROKES)} {below.text.strip(_LABEL_STROKES)}"
                match = _drawn_label(joined)
                if match is not None:
                    self.open_box(joined, match.block, piece)
                    self.sections[match.block].spans.append(below.span)
                    return True
            match = _drawn_label(text.strip(_LABEL_STROKES))
            if match is not None:
                named = box.section.match if box is not None else None
                if box is not None and named is not None and named.block == match.block:
                    # The block's name again, in another language (`Socios Clave`).
                    box.section.spans.append(piece.span)
                    return False
                self.open_box(text.strip(_LABEL_STROKES), match.block, piece)
                return False
        if box is None:
            self.loose.append(text)
            return False
        box.section.spans.append(piece.span)
        if box.continued and not box.lines and _CONTINUED.match(text):
            # `(cont.)` under the block's name says what the box already is.
            return False
        box.lines.append((piece.start + _indent(piece.text), text))
        return False


def _wraps_an_item(box: _Box, piece: _Piece) -> bool:
    """Whether a piece sits deeper than the list item above it in its box: it wraps that item."""
    if not box.lines or not _ITEM.match(box.lines[-1][1]):
        return False
    return piece.start + _indent(piece.text) > box.lines[-1][0]


def _indent(text: str) -> int:
    return len(text) - len(text.lstrip())


def _drawn_label(text: str) -> LabelMatch | None:
    """A block's whole name, written as a label is: never a list item, never lower-case."""
    if not is_label_sized(text) or text[:1].islower() or _ITEM.match(text):
        return None
    return read_label(text, strict=True)


def _box_entries(
    lines: list[tuple[int, str]], paragraph: Callable[[list[str]], list[Entry]]
) -> list[Entry]:
    """A box's lines as entries: marked items with the lines that wrap them, or plain lines."""
    entries: list[Entry] = []
    item: tuple[int, list[str]] | None = None
    plain: list[str] = []
    plain_indent = 0

    def flush() -> None:
        nonlocal item
        if item is not None:
            entries.append(Entry("item", "".join(item[1])))
            item = None
        if plain:
            entries.extend(paragraph(plain))
            plain.clear()

    for indent, text in lines:
        if not text:
            flush()
            continue
        marked = _ITEM.match(text)
        if marked:
            flush()
            item = (indent, [marked.group("text").strip()])
        elif item is not None and indent > item[0]:
            item = (item[0], _wrapped(item[1], text))
        else:
            if item is not None:
                flush()
            if plain and (indent > plain_indent or _is_open(plain[-1])):
                plain[-1] = "".join(_wrapped([plain[-1]], text))
                continue
            plain.append(text)
            plain_indent = indent
    flush()
    return [entry for entry in entries if entry.text]


def _wrapped(pieces: list[str], text: str) -> list[str]:
    """Go on with a line wrapped in its box: a word cut after `-` or `/` is joined whole."""
    last = pieces[-1]
    joins = len(last) > 1 and last[-1] in "-/" and last[-2].isalpha()
    return [*pieces, text if joins else f" {text}"]


def _is_open(text: str) -> bool:
    """A line that opens a bracket it does not close goes on in the next line."""
    return text.count("[") > text.count("]") or text.count("(") > text.count(")")


def _display_columns(text: str) -> list[int]:
    """The column on screen where each character of a line starts (and the line ends): a
    Chinese, Japanese or Korean character takes two, as a terminal draws it."""
    columns = [0]
    for char in text:
        wide = not char.isascii() and unicodedata.east_asian_width(char) in _WIDE
        columns.append(columns[-1] + (2 if wide else 1))
    return columns


def _pieces(text: str, line_start: int) -> list[_Piece]:
    """The text a line holds between its bars, each piece with the columns it spans."""
    edges = [match.start() for match in _BOX_EDGES.finditer(text)]
    bounds = [-1, *edges, len(text)]
    columns = None if text.isascii() else _display_columns(text)
    pieces = []
    for left, right in pairwise(bounds):
        piece = text[left + 1 : right]
        if piece.strip():
            offset = line_start + left + 1 + _indent(piece)
            span = (line_start + left + 1, line_start + right)
            start, end = (
                (left + 1, right) if columns is None else (columns[left + 1], columns[right])
            )
            pieces.append(_Piece(start, end, piece, offset, span))
    return pieces


def _spaced_pieces(text: str, line_start: int) -> list[_Piece]:
    """The runs of text a line holds between gaps of two spaces or more, in their columns."""
    pieces = []
    columns = None if text.isascii() else _display_columns(text)
    start = len(text) - len(text.lstrip(" \t"))
    for gap in [*_SPACE_EDGES.finditer(text, start), None]:
        end = gap.start() if gap is not None else len(text.rstrip())
        if end > start:
            span = (line_start + start, line_start + end)
            shown = (start, end) if columns is None else (columns[start], columns[end])
            pieces.append(_Piece(*shown, text[start:end], line_start + start, span))
        if gap is not None:
            start = gap.end()
    return pieces


def _piece_under(piece: _Piece, row: list[_Piece] | None) -> _Piece | None:
    """The piece of the next line in the same columns, if that line is no rule."""
    for other in row or ():
        if min(other.end, piece.end) - max(other.start, piece.start) > 0 and other.text.strip():
            return other
    return None


def _is_rule(text: str) -> bool:
    stripped = text.strip()
    return len(stripped) >= _RULE_LENGTH and all(char in _RULE_CHARS for char in stripped)


def grid_sections(
    body: str,
    start: int,
    end: int,
    paragraph: Callable[[list[str]], list[Entry]],
    *,
    spaced: bool = False,
) -> TableReading:
    """The blocks a code block draws as boxes, in the order their labels are drawn.

    Each box runs down from its label to the rule under it or the next label in its
    columns; a label drawn on two lines (`VALUE` over `PROPOSITIONS`) is joined. A drawing
    naming fewer than five blocks is not read: it is a diagram, not the canvas. `spaced`
    reads a grid drawn without bars, its columns parted by two spaces or more, where a
    box holds what starts in its label's column.
    """
    grid = _Grid(paragraph, spaced=spaced)
    # Each line: None for a rule across the drawing, its text for a line without bars.
    rows: list[list[_Piece] | str | None] = []
    offset = start
    for line in body[start:end].splitlines(keepends=True):
        line_start, offset = offset, offset + len(line)
        text = line.rstrip("\n")
        if _FENCE.match(text):
            continue
        if _is_rule(text):
            rows.append(None)
        elif spaced:
            if text.strip():
                rows.append(_spaced_pieces(text, line_start))
        else:
            rows.append(_pieces(text, line_start) if _BOX_EDGES.search(text) else text)
    widest_row = 0
    for number, row in enumerate(rows):
        if not isinstance(row, list):
            grid.close_all()
            if row and row.strip():
                # A line drawn with no bars is no part of the grid.
                grid.loose.append(row.strip())
            continue
        following = rows[number + 1] if number + 1 < len(rows) else None
        under = following if isinstance(following, list) else None
        boxes_before = len(grid.open)
        for piece in row:
            if not piece.text.strip():
                continue
            if _is_rule(piece.text):
                lead = _indent(piece.text)
                grid.close(piece.start + lead, piece.start + len(piece.text.rstrip()))
                continue
            below = _piece_under(piece, under)
            if grid.write(piece, below) and below is not None:
                below.text = ""
        widest_row = max(widest_row, len(grid.open) - boxes_before)
    grid.close_all()
    if len(grid.sections) < _DRAWN_BLOCKS or (spaced and widest_row < 2):
        # Labels one under the other with no columns beside them are a list, not a grid.
        return TableReading([], [], by_rows=False)
    loose = paragraph(grid.loose) if grid.loose else []
    return TableReading(grid.order, loose, by_rows=False)
