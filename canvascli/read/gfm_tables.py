"""Pipe tables whose rows are wider or narrower than their header, read as GitHub reads them."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from canvascli.read.patterns import deferred

# mistune's rule: the parser, the match of the header line, the state; the end, or None.
Rule = Callable[[Any, re.Match[str], Any], int | None]
RowText = Callable[[str], str | None]

# A cell of the line under the header: dashes, a colon at either end for the alignment, or
# nothing.
_DELIMITER_CELL = deferred(r":?-+:?|")


def fill_ragged_rows(block: Any) -> None:
    """Make mistune's `table` and `nptable` rules, once registered on `block`, read a table
    whose body rows have more or fewer cells than its header.

    mistune gives up on the whole table for one such row, and the post shows its pipes as
    text. GitHub, where most canvases are read, fills a short row with empty cells and
    leaves out the cells past the header's: a canvas drawn as a grid often closes with
    `| **Cost Structure** ||||||`. Tables of even rows are still read by mistune itself.
    """
    from mistune.plugins.table import parse_nptable, parse_table

    block.register("table", None, _rule(parse_table, _edged_row))
    block.register("nptable", None, _rule(parse_nptable, _bare_row))


def _rule(original: Rule, row_text: RowText) -> Rule:
    def parse(block: Any, match: re.Match[str], state: Any) -> int | None:
        table = _ragged_table(match, state, row_text)
        if table is None:
            return original(block, match, state)
        token, end = table
        state.append_token(token)
        return end

    return parse


def _ragged_table(
    match: re.Match[str], state: Any, row_text: RowText
) -> tuple[dict[str, Any], int] | None:
    """The table token opening at `match` and where it ends, when its header and delimiter
    agree and some body row is of another width; None for mistune to read it."""
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
    while end < state.cursor_max:
        line = state.get_line(end)
        text = row_text(line)
        if text is None:
            break
        rows.append(split_cells(text))
        end += len(line)
    if all(len(row) == len(heads) for row in rows):
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


def _bare_row(line: str) -> str | None:
    """A row written without the pipes at its ends (`a | b`), or None."""
    text = line.rstrip("\n").rstrip(" \t")
    return text if "|" in text else None


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
