"""Pipe tables whose rows are wider or narrower than their header, read as GitHub reads them."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from canvascli.read.patterns import deferred

# mistune's rule: the parser, the match of the header line, the state; the end, or None.
Rule = Callable[[Any, re.Match[str], Any], int | None]
RowText = Callable[[str], str | None]
# A body row's inside, and whether mistune's own rule reads the line as a row; or None.
BodyRow = Callable[[str], tuple[str, bool] | None]

# A cell of the line under the header: dashes, a colon at either end for the alignment, or
# nothing.
_DELIMITER_CELL = deferred(r":?-+:?|")


def fill_ragged_rows(block: Any) -> None:
    """Make mistune's `table` and `nptable` rules, once registered on `block`, read a table
    whose body rows have more or fewer cells than its header, or that leave out the pipe
    closing a row.

    mistune gives up on the whole table for one row of another width, and the post shows
    its pipes as text; it ends a table at a row without its closing pipe, and the rows
    after are text. GitHub, where most canvases are read, fills a short row with empty
    cells, leaves out the cells past the header's, and needs no pipe at either end: a
    canvas drawn as a grid often closes with `| **Cost Structure** ||||||`. Tables that
    mistune reads as GitHub does are still read by mistune itself.
    """
    from mistune.plugins.table import parse_nptable, parse_table

    block.register("table", None, _rule(parse_table, _edged_row, _opened_row))
    block.register("nptable", None, _rule(parse_nptable, _bare_row, _bare_body_row))


def _rule(original: Rule, row_text: RowText, body_row: BodyRow) -> Rule:
    def parse(block: Any, match: re.Match[str], state: Any) -> int | None:
        table = _ragged_table(match, state, row_text, body_row)
        if table is None:
            return original(block, match, state)
        token, end = table
        state.append_token(token)
        return end

    return parse


def _ragged_table(
    match: re.Match[str], state: Any, row_text: RowText, body_row: BodyRow
) -> tuple[dict[str, Any], int] | None:
    """The table token opening at `match` and where it ends, when its header and delimiter
    agree and some body row is of another width or one mistune would not read; None for
    mistune to read it."""
    header = row_text(match.group(0))
    end = match.end()
    delimiter_line = state.get_line(end)
    delimiter = row_text(delimiter_line)
    if header is None or delimiter is None:
        return None
    heads, delimiters = split_cells(header), split_cells(delimiter)
    if len(heads) != len(delimiters) or not all(map(_DELIMITER_CELL.fullmatch, delimiters)):
        return None
    aligns = [_alignment(cell) for cell in delimiters]
    end += len(delimiter_line)
    rows: list[list[str]] = []
    read_by_mistune = True
    while end < state.cursor_max:
        line = state.get_line(end)
        row = body_row(line)
        if row is None:
            break
        text, as_mistune_reads = row
        read_by_mistune = read_by_mistune and as_mistune_reads
        rows.append(split_cells(text))
        end += len(line)
    if read_by_mistune and all(len(row) == len(heads) for row in rows):
        return None
    width = len(heads)
    body = [_row([*row[:width], *[""] * (width - len(row))], aligns, head=False) for row in rows]
    head = {"type": "table_head", "children": _row(heads, aligns, head=True)["children"]}
    token = {"type": "table", "children": [head, {"type": "table_body", "children": body}]}
    return token, end


def _row(cells: list[str], aligns: list[str | None], *, head: bool) -> dict[str, Any]:
    return {
        "type": "table_row",
        "children": [
            {"type": "table_cell", "text": cell, "attrs": {"align": align, "head": head}}
            for cell, align in zip(cells, aligns, strict=True)
        ],
    }


def _alignment(delimiter: str) -> str | None:
    cell = delimiter.strip(" ")
    if cell.startswith(":") and cell.endswith(":"):
        return "center"
    if cell.startswith(":"):
        return "left"
    return "right" if cell.endswith(":") else None


def _edged_row(line: str) -> str | None:
    """The inside of a row written between pipes (`| a | b |`), or None."""
    text = line.rstrip("\n").rstrip(" \t").lstrip(" ")
    if len(text) < 2 or not text.startswith("|") or not text.endswith("|"):
        return None
    return text[1:-1]


def _opened_row(line: str) -> tuple[str, bool] | None:
    """A body row of a table written between pipes, which may leave out the closing one
    (`| a | b`), or None."""
    whole = _edged_row(line)
    if whole is not None:
        return whole, True
    text = line.rstrip("\n").rstrip(" \t").lstrip(" ")
    return (text[1:], False) if text.startswith("|") else None


def _bare_row(line: str) -> str | None:
    """A row written without the pipes at its ends (`a | b`), or None."""
    text = line.rstrip("\n").rstrip(" \t")
    return text if "|" in text else None


def _bare_body_row(line: str) -> tuple[str, bool] | None:
    text = _bare_row(line)
    return None if text is None else (text, True)


def split_cells(row: str) -> list[str]:
    """The cells of a row's inside, split at each pipe not escaped by a backslash."""
    cells: list[str] = []
    start = 0
    pipe = row.find("|")
    while pipe >= 0:
        escape = pipe
        while escape > start and row[escape - 1] == "\\":
            escape -= 1
        if (pipe - escape) % 2 == 0:
            cells.append(row[start:pipe].strip())
            start = pipe + 1
        pipe = row.find("|", pipe + 1)
    cells.append(row[start:].strip())
    return cells
