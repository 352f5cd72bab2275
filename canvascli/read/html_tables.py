"""The cells of an HTML table in a post, read with the standard library's HTML parser."""

from __future__ import annotations

from html.parser import HTMLParser

from canvascli.read.post_tables import Cell, CellLine, LineKind, split_markdown_line

_HEADING_TAGS = frozenset({"h1", "h2", "h3", "h4", "h5", "h6"})
_BOLD_TAGS = frozenset({"b", "strong"}) | _HEADING_TAGS
_LINE_TAGS = frozenset({"p", "div", "li", "ul", "ol", "br", "tr", "hr"}) | _HEADING_TAGS
_IGNORED_TAGS = frozenset({"script", "style", "template"})


class _HtmlTableReader(HTMLParser):
    """Collect the cells of the outermost `<table>`, placing `rowspan`/`colspan` cells."""

    def __init__(self, source: str, line_offsets: list[int]) -> None:
        super().__init__(convert_charrefs=True)
        self.rows: list[list[Cell]] = []
        self._source = source
        self._line_offsets = line_offsets
        self._depth = 0
        self._ignored = 0
        # The columns of rows below the current one that a cell above spans down into, and
        # how many such marks may still be made: a cell may span 100 rows and 100 columns,
        # and a few bytes of `rowspan=100 colspan=100` a cell made millions of them.
        self._taken: set[tuple[int, int]] = set()
        self._marks_left = max(len(source) // 4, 10_000)
        # The current row and the first column of it no cell of its own takes yet: a cell
        # is placed from there, not looked for from the row's first column again.
        self._row = -1
        self._next_column = 0
        self._cell: Cell | None = None
        self._parts: list[str] = []
        self._bold_chars = 0
        self._bold = 0
        self._line_kind: LineKind = "line"
        self._line_start: int | None = None

    def _offset(self) -> int:
        line, column = self.getpos()
        return self._line_offsets[min(line, len(self._line_offsets)) - 1] + column

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _IGNORED_TAGS:
            self._ignored += 1
            return
        if tag == "table":
            self._depth += 1
            if self._depth > 1:
                return
        if self._depth != 1:
            return
        if tag == "tr":
            self._end_cell()
            self.rows.append([])
        elif tag in ("td", "th"):
            self._start_cell(tag, dict(attrs))
        elif self._cell is not None:
            if tag in _LINE_TAGS:
                self._end_line()
            if tag == "li":
                self._line_kind = "item"
            elif tag in ("p", *_HEADING_TAGS):
                self._line_kind = "paragraph"
            if tag in _BOLD_TAGS:
                self._bold += 1

    def handle_endtag(self, tag: str) -> None:
        if tag in _IGNORED_TAGS:
            self._ignored = max(0, self._ignored - 1)
            return
        if tag == "table":
            if self._depth == 1:
                self._end_cell()
            self._depth = max(0, self._depth - 1)
            return
        if self._depth != 1:
            return
        if tag in ("td", "th", "tr"):
            if tag != "tr" and self._cell is not None:
                self._cell.end = self._end_of_tag()
            self._end_cell()
        elif self._cell is not None:
            if tag in _BOLD_TAGS:
                self._bold = max(0, self._bold - 1)
            if tag in _LINE_TAGS:
                self._end_line()

    def handle_data(self, data: str) -> None:
        if self._cell is None or self._ignored:
            return
        offset = self._offset()
        for number, piece in enumerate(data.split("\n")):
            if number:
                self._end_line()
            if self._line_start is None and piece.strip():
                self._line_start = offset + len(piece) - len(piece.lstrip())
            self._parts.append(piece)
            offset += len(piece) + 1
            if self._bold:
                self._bold_chars += len(piece.strip())

    def _start_cell(self, tag: str, attrs: dict[str, str | None]) -> None:
        self._end_cell()
        if not self.rows:
            self.rows.append([])
        row = len(self.rows) - 1
        if row != self._row:
            self._row, self._next_column = row, 0
        column = self._next_column
        while (row, column) in self._taken:
            column += 1
        row_span = _span(attrs.get("rowspan"))
        column_span = _span(attrs.get("colspan"))
        self._next_column = column + column_span
        marks = (row_span - 1) * column_span
        if marks > self._marks_left:
            # Past a mark for every four characters of the table, spans stop reaching down:
            # the rows below are read as if the cell spanned its own row alone.
            row_span, marks = 1, 0
        self._marks_left -= marks
        for extra_row in range(row + 1, row + row_span):
            for extra_column in range(column, column + column_span):
                self._taken.add((extra_row, extra_column))
        self._cell = Cell(row, column, column_span, self._offset(), header=tag == "th")
        self.rows[-1].append(self._cell)

    def _end_line(self) -> None:
        text = " ".join("".join(self._parts).split())
        if self._cell is not None and text:
            if self._bold_chars >= len(text.replace(" ", "")) > 0:
                line = CellLine(text, bold=True, kind="paragraph")
            elif self._line_kind == "line":
                line = split_markdown_line(text)
            else:
                line = CellLine(text, kind=self._line_kind)
            line.offset = self._line_start
            self._cell.lines.append(line)
        self._parts = []
        self._line_start = None
        self._bold_chars = 0
        self._line_kind = "line"

    def _end_of_tag(self) -> int:
        start = self._offset()
        close = self._source.find(">", start - self._line_offsets[0])
        return start if close < 0 else self._line_offsets[0] + close + 1

    def _end_cell(self) -> None:
        self._end_line()
        if self._cell is not None and self._cell.end < 0:
            self._cell.end = self._offset()
        self._cell = None


def _span(value: str | None) -> int:
    try:
        return max(1, min(int(value or 1), 100))
    except ValueError:
        return 1


def read_html_table(source: str, offset: int) -> list[list[Cell]]:
    """The rows of the first HTML table in `source`, which starts at `offset` in the body.

    Only parses: nothing is fetched, run or rendered.
    """
    line_offsets = [offset]
    for index, char in enumerate(source):
        if char == "\n":
            line_offsets.append(offset + index + 1)
    reader = _HtmlTableReader(source, line_offsets)
    reader.feed(source)
    reader.close()
    return [row for row in reader.rows if row]
