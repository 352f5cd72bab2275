"""The compare view as plain text, line for line as Rich draws it without colour.

Output that no terminal shows has no colour, so the view is only lines of characters; Rich's
console, tables and the modules under them take longer to import than `canvas compare`
takes to do everything else. Here the same layout (`compare_view`'s wide tables, then the
common ground) is drawn with the functions Rich itself measures and wraps text with.
Anything else (the stacked view of a narrow width, a Markdown table in a block, a tab, a
character that is not printable, a table too narrow for its columns) is left to Rich:
`compare_text` returns None.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Mapping, Sequence
from functools import cache
from itertools import pairwise
from math import ceil
from typing import TYPE_CHECKING

from rich.cells import cell_len, set_cell_size

from canvascli.model import AnyBlock, Canvas, Entry
from canvascli.render.compare_parts import (
    BULLET,
    COMPARE_CELL_EMPTY,
    COMPARE_CELL_MISSING,
    COMPARE_TABLE,
    NARROW_COMPARE,
    SHARED_MARK,
    common_ground_title,
    compare_bands,
    hidden_note,
    sharers_parts,
    shown_entries,
    table_texts,
)

if TYPE_CHECKING:
    from canvascli.analyse.common_ground import CommonGround

# Rich wraps text with a function of its own private module: a Rich that moved or changed it
# draws the view itself, as for any view this module does not know.
try:
    from rich._wrap import divide_line as _divide_line
except ImportError:  # pragma: no cover - the Rich this project is tested with has it
    _RICH_WRAPS: Callable[..., list[int]] | None = None
else:
    _RICH_WRAPS = _divide_line

# The compare table's Block column, as `_compare_table` declares it.
_BLOCK_MIN, _BLOCK_MAX = 13, 14
_CELL_PADDING = 2
# Rich's own patterns: a word and the white space after it (`divide_line`), and the white
# space that ends a line (`Text.rstrip_end`).
_WORD = re.compile(r"\s*\S+\s*")
_TRAILING_SPACE = re.compile(r"\s+$")
# The Rich environment variables that make a pipe count as a terminal.
_TERMINAL_VARIABLES = ("FORCE_COLOR", "TTY_COMPATIBLE", "TTY_INTERACTIVE")
_LARGEST_WIDTH = 10_000


class _RichOnlyError(Exception):
    """The view holds something only Rich lays out."""


Measure = tuple[int, int]
# A part of a cell: how wide it would be drawn at a width, and its lines at a width.
Part = tuple[Callable[[int], Measure], Callable[[int], list[str]]]


def console_width(environ: Mapping[str, str]) -> int:
    """The width Rich's console takes when given none, for a stream that is no terminal:
    a usable `$COLUMNS`, else the first of stdin, stdout and stderr that is a terminal."""
    columns = environ.get("COLUMNS", "")
    if columns.isdigit() and 0 < int(columns) <= _LARGEST_WIDTH:
        return int(columns)
    width = 0
    for descriptor in (0, 1, 2):
        try:
            width = os.get_terminal_size(descriptor).columns
        except (AttributeError, ValueError, OSError):
            continue
        break
    return width or 80


def plain_drawable(environ: Mapping[str, str], encoding: str | None) -> bool:
    """Whether Rich would draw into this stream without colour, as a file, in Unicode."""
    # Rich reads some of them even when empty (FORCE_COLOR="" says "not a terminal").
    if any(name in environ for name in _TERMINAL_VARIABLES):
        return False
    return (encoding or "utf-8").lower().startswith("utf")


def compare_text(
    canvases: Sequence[Canvas],
    blocks: Sequence[AnyBlock],
    width: int,
    ground: CommonGround,
    *,
    diff: bool = False,
) -> str | None:
    """The compare view at `width` columns as Rich prints it without colour, trailing spaces
    removed; None when Rich alone can draw it."""
    if width < NARROW_COMPARE:
        return None
    try:
        lines = [
            line
            for band in compare_bands(canvases, width)
            for line in _compare_table(band, blocks, width, ground, diff)
        ]
        if diff:
            lines += _top_level(hidden_note(canvases, blocks, ground), width)
        else:
            lines += _common_ground(ground, canvases, blocks, width)
    except _RichOnlyError:
        return None
    return "".join(f"{line.rstrip(' ')}\n" for line in lines)


def _wrapped_at(line: str, width: int) -> list[int]:
    """Where Rich breaks a line to fit `width`, folding words longer than it."""
    if _RICH_WRAPS is None:
        raise _RichOnlyError
    try:
        offsets = _RICH_WRAPS(line, width, fold=True)
    except TypeError:
        raise _RichOnlyError from None
    return list(offsets)


def _checked(text: str) -> str:
    if not (text.isprintable() or text.replace("\n", "").isprintable()):
        raise _RichOnlyError
    return text


def _measure_text(text: str, width: int) -> Measure:
    """`Measurement.get` of a Rich `Text` holding `text`."""
    if width < 1:
        return 0, 0
    cells = len if _is_narrow(text) else cell_len
    lines = text.splitlines()
    longest = max((cells(line) for line in lines), default=0)
    words = text.split()
    widest_word = max((cells(word) for word in words), default=longest)
    return _normalised(widest_word, longest, width)


def _normalised(minimum: int, maximum: int, width: int) -> Measure:
    minimum = max(0, min(max(0, minimum), maximum))
    maximum = max(0, max(minimum, maximum))
    minimum, maximum = min(minimum, width), min(maximum, width)
    if maximum < 1:
        return 0, 0
    return max(0, min(minimum, maximum)), maximum


def _wrapped(text: str, width: int, *, pad: bool, no_wrap: bool = False) -> list[str]:
    """`Text.wrap` of an unstyled text: folded words, justified left when `pad`; with
    `no_wrap`, each line cut with an ellipsis instead."""
    if width < 1:
        raise _RichOnlyError
    lines: list[str] = []
    narrow = _is_narrow(text)
    cells = len if narrow else cell_len
    for line in text.split("\n"):
        if no_wrap:
            pieces = [line]
        else:
            offsets = _narrow_breaks(line, width) if narrow else _wrapped_at(line, width)
            bounds = pairwise([0, *offsets, len(line)])
            pieces = [_rstrip_end(line[start:end], width) for start, end in bounds]
        for piece in pieces:
            length = cells(piece)
            if length > width:
                piece = (
                    set_cell_size(piece, width - 1) + "…"
                    if no_wrap
                    else set_cell_size(piece, width)
                )
            if pad and length < width:
                piece += " " * (width - length)
            lines.append(piece)
    return lines


@cache
def _narrow_characters() -> frozenset[str]:
    """Characters one cell wide that never join others into one: printable Latin-1, and
    the quotes, dashes and marks of ordinary prose and of this view."""
    latin = (chr(code) for code in (*range(0x20, 0x7F), *range(0xA0, 0x100)) if code != 0xAD)
    return frozenset(char for char in (*latin, *"‘’“”–—…•◆€™") if cell_len(char) == 1)


def _is_narrow(text: str) -> bool:
    """Whether every character of `text` (newlines aside) is one cell wide on its own."""
    return _narrow_characters().issuperset(text.replace("\n", ""))


def _narrow_breaks(line: str, width: int) -> list[int]:
    """Rich's `divide_line`, folding long words, for a line of narrow characters only: each
    is one cell, so lengths are counted rather than measured."""
    breaks: list[int] = []
    offset = 0
    for found in _WORD.finditer(line):
        start, end = found.span()
        length = len(found[0].rstrip())
        if width - offset >= length:
            offset += end - start
        elif length > width:
            chunks = range(start, end, width)
            for chunk_start in chunks:
                if chunk_start:
                    breaks.append(chunk_start)
            offset = end - chunks[-1]
        elif offset and start:
            breaks.append(start)
            offset = end - start
    return breaks


def _rstrip_end(piece: str, width: int) -> str:
    if len(piece) > width:
        found = _TRAILING_SPACE.search(piece)
        if found is not None:
            return piece[: -min(len(found[0]), len(piece) - width)]
    return piece


def _fitted(lines: list[str], width: int) -> list[str]:
    """Lines cut or padded to `width` cells, as Rich fits a renderable's lines."""
    return [line if cell_len(line) == width else set_cell_size(line, width) for line in lines]


def _text_part(text: str) -> Part:
    _checked(text)
    return (
        lambda width: _measure_text(text, width),
        lambda width: _fitted(_wrapped(text, width, pad=True), width),
    )


def _bullets_part(texts: Sequence[str]) -> Part:
    """`BulletList`: a bullet column, unwrapped, beside a folded text column."""
    for text in texts:
        _checked(text)

    def bullet_span(width: int) -> Measure:
        if width < 1:
            return 0, 0
        if width - 1 < 1:
            return _normalised(width, width, width)
        return _normalised(min(2, width), min(2, width), width)

    def text_span(width: int) -> Measure:
        if width < 1:
            return 0, 0
        spans = [_measure_text(text, width) for text in texts]
        return (
            min(max((span[0] for span in spans), default=1), width),
            min(max((span[1] for span in spans), default=width), width),
        )

    def widths(room: int) -> tuple[int, int]:
        bullet_width = bullet_span(room)[1] or 1
        text_width = text_span(room)[1] or 1
        if bullet_width + text_width <= room:
            return bullet_width, text_width
        text_width = max(0, room - bullet_width)
        bullet_width = min(bullet_width, max(0, room))
        return bullet_span(bullet_width)[1], text_span(text_width)[1]

    def measure(room: int) -> Measure:
        if room < 1:
            return 0, 0
        width = sum(widths(room))
        spans = [bullet_span(width), text_span(width)]
        return _normalised(spans[0][0] + spans[1][0], spans[0][1] + spans[1][1], room)

    def draw(room: int) -> list[str]:
        bullet_width, text_width = widths(room)
        if bullet_width < 2 or text_width < 1:
            raise _RichOnlyError
        bullet = [BULLET + " " * (bullet_width - 1)]
        lines: list[str] = []
        for text in texts:
            wrapped = _fitted(_wrapped(text, text_width, pad=True), text_width)
            for number in range(max(1, len(wrapped))):
                lines.append(
                    (bullet[0] if number == 0 else " " * bullet_width)
                    + (wrapped[number] if number < len(wrapped) else " " * text_width)
                )
        return _fitted(lines, room)

    return measure, draw


def _indented(part: Part, indent: int) -> Part:
    """`Padding(part, (0, 0, 0, indent), expand=False)`."""
    measure_inner, draw_inner = part

    def measure(room: int) -> Measure:
        if room < 1:
            return 0, 0
        if room - indent < 1:
            return _normalised(room, room, room)
        low, high = measure_inner(room)
        return _normalised(low + indent, high + indent, room)

    def draw(room: int) -> list[str]:
        width = min(measure_inner(room)[1] + indent, room)
        if width - indent < 1:
            raise _RichOnlyError
        return _fitted([" " * indent + line for line in draw_inner(width - indent)], room)

    return measure, draw


def _stacked(parts: Sequence[Part]) -> Callable[[int], list[str]]:
    def draw(room: int) -> list[str]:
        return [line for part in parts for line in part[1](room)]

    return draw


def _cell(canvas: Canvas, block: AnyBlock, ground: CommonGround, diff: bool) -> Part:
    """`_compare_cell`: placeholders, or paragraphs and lists of items."""
    section = canvas.section_for(block)
    if section is None:
        return _text_part(COMPARE_CELL_MISSING)
    if section.is_empty:
        return _text_part(COMPARE_CELL_EMPTY)
    shown = shown_entries(canvas, block, section, ground, diff)
    if isinstance(shown, str):
        return _text_part(shown)
    if table_texts(section.markdown):
        raise _RichOnlyError
    parts: list[Part] = []
    run: list[tuple[Entry, str]] = []

    def close_run() -> None:
        if run:
            parts.append(_items(run))
        run.clear()

    for entry, pieces in shown:
        text = "".join(piece for piece, _shared in pieces)
        if entry.kind == "item":
            run.append((entry, text))
            continue
        close_run()
        parts.append(_text_part(text))
    close_run()
    spaced: list[Part] = []
    for part in parts:
        spaced.extend([_text_part(""), part] if spaced else [part])
    draw = _stacked(spaced)
    return (lambda width: (0, width)), draw


def _items(run: Sequence[tuple[Entry, str]]) -> Part:
    """`_items_and_tables` of a run without table rows: a list per stretch of one depth."""
    parts: list[Part] = []
    stretch: list[str] = []
    depth = 0
    for entry, text in [*run, (None, "")]:
        if stretch and (entry is None or entry.depth != depth):
            drawn = _bullets_part(stretch)
            indent = (len(BULLET) + 1) * depth
            parts.append(_indented(drawn, indent) if indent else drawn)
            stretch = []
        if entry is not None:
            depth = entry.depth
            stretch.append(text)
    return (lambda width: (0, width)), _stacked(parts)


def _row(cells: Sequence[list[str]], widths: Sequence[int], *, bottom: bool = False) -> list[str]:
    """A table row: each cell's lines padded one column either side, aligned to the top
    (to the bottom for the header), between vertical bars."""
    height = max(len(cell) for cell in cells)
    aligned = []
    for cell, width in zip(cells, widths, strict=True):
        blank = [" " * (width - _CELL_PADDING)] * (height - len(cell))
        aligned.append(blank + cell if bottom else cell + blank)
    return [
        COMPARE_TABLE[1][0]
        + COMPARE_TABLE[1][2].join(f" {cell[number]} " for cell in aligned)
        + COMPARE_TABLE[1][3]
        for number in range(height)
    ]


def _rule(widths: Sequence[int], edge: str) -> str:
    return edge[0] + edge[2].join(edge[1] * width for width in widths) + edge[3]


def _column_width(texts: Sequence[str], room: int) -> Measure:
    """`Table._measure_column` of a column of padded texts."""
    if room < 1:
        return 0, 0
    spans = []
    for text in texts:
        if room - _CELL_PADDING < 1:
            spans.append(_normalised(room, room, room))
            continue
        low, high = _measure_text(_checked(text), room)
        spans.append(_normalised(low + _CELL_PADDING, high + _CELL_PADDING, room))
    return (
        min(max((span[0] for span in spans), default=1), room),
        min(max((span[1] for span in spans), default=room), room),
    )


def _compare_table(
    canvases: Sequence[Canvas],
    blocks: Sequence[AnyBlock],
    width: int,
    ground: CommonGround,
    diff: bool,
) -> list[str]:
    from canvascli.render.compare_parts import row_title

    room = width - 2 - len(canvases)
    titles = [row_title(block, canvases) for block in blocks]
    natural = _column_width(["Block", *titles], room)[1]
    block_width = min(max(natural, _BLOCK_MIN + _CELL_PADDING), _BLOCK_MAX + _CELL_PADDING)
    share = 4 if len(canvases) <= 3 else 3
    # Each company column is declared one column wide at least, plus its padding.
    minimums = [1 + _CELL_PADDING] * len(canvases)
    widths = [
        block_width,
        *_ratio_distribute(room - block_width, [share] * len(canvases), minimums),
    ]
    if sum(widths) != room or min(widths) <= _CELL_PADDING:
        raise _RichOnlyError
    names = ["Block", *(_one_line(canvas.name) for canvas in canvases)]
    header = [
        _fitted(_wrapped(_checked(text), column - _CELL_PADDING, pad=True), column - _CELL_PADDING)
        for text, column in zip(names, widths, strict=True)
    ]
    lines = [_rule(widths, COMPARE_TABLE[0]), *_row(header, widths, bottom=True)]
    lines.append(_rule(widths, COMPARE_TABLE[2]))
    for number, (block, title) in enumerate(zip(blocks, titles, strict=True)):
        inner = [column - _CELL_PADDING for column in widths]
        cells = [_fitted(_wrapped(title, inner[0], pad=True), inner[0])]
        for canvas, cell_width in zip(canvases, inner[1:], strict=True):
            cells.append(_fitted(_cell(canvas, block, ground, diff)[1](cell_width), cell_width))
        lines += _row(cells, widths)
        if number < len(blocks) - 1:
            lines.append(_rule(widths, COMPARE_TABLE[2]))
    lines.append(_rule(widths, COMPARE_TABLE[3]))
    return lines


def _top_level(text: str, width: int) -> list[str]:
    return _wrapped(_checked(text), width, pad=False)


def _common_ground(
    ground: CommonGround, canvases: Sequence[Canvas], blocks: Sequence[AnyBlock], width: int
) -> list[str]:
    """`common_ground_view` drawn wide: its title over a table of the shared terms."""
    title = common_ground_title()
    if not ground.shared:
        from canvascli.render.compare_parts import NOTHING_SHARED

        return ["", *_top_level(title, width), *_top_level(NOTHING_SHARED, width)]
    rows: list[tuple[tuple[str, str, str], bool]] = []
    for block in blocks:
        terms = ground.for_block(block)
        for number, term in enumerate(terms):
            texts = (
                block.title if number == 0 else "",
                SHARED_MARK + _one_line(term.term),
                "".join(piece for piece, _style in sharers_parts(term, canvases)),
            )
            rows.append((texts, number == len(terms) - 1))
    headers = ("Block", "Shared", "Companies (as each writes it)")
    columns = [
        [header, *(texts[index] for texts, _ in rows)] for index, header in enumerate(headers)
    ]
    room = width - 2 - (len(headers) - 1)
    widths = [_column_width(column, room)[1] or 1 for column in columns]
    if sum(widths) > room:
        widths = _collapsed(widths, [False, True, True], room)
        if sum(widths) > room:
            widths = _ratio_reduce(sum(widths) - room, [1] * len(widths), widths, widths)
        widths = [
            _column_width(column, column_width)[1] or 0
            for column, column_width in zip(columns, widths, strict=True)
        ]
    if min(widths) <= _CELL_PADDING:
        raise _RichOnlyError
    inner = [column - _CELL_PADDING for column in widths]

    def cell(text: str, index: int) -> list[str]:
        drawn = _wrapped(text, inner[index], pad=True, no_wrap=index == 0)
        return _fitted(drawn, inner[index])

    table_width = sum(widths) + 2 + len(headers) - 1
    lines = _fitted(_wrapped(title, table_width, pad=True), table_width)
    lines.append(_rule(widths, COMPARE_TABLE[0]))
    header = [cell(text, index) for index, text in enumerate(headers)]
    lines += _row(header, widths, bottom=True)
    lines.append(_rule(widths, COMPARE_TABLE[2]))
    for number, (texts, end_section) in enumerate(rows):
        lines += _row([cell(text, index) for index, text in enumerate(texts)], widths)
        if end_section and number < len(rows) - 1:
            lines.append(_rule(widths, COMPARE_TABLE[2]))
    lines.append(_rule(widths, COMPARE_TABLE[3]))
    return lines


def _ratio_distribute(
    total: int, ratios: list[int], minimums: list[int] | None = None
) -> list[int]:
    """Rich's `ratio_distribute`: `total` shared out by `ratios`, each at least its minimum.

    Rich's module for it imports `fractions`, and with it `decimal`, for other functions.
    """
    if minimums:
        ratios = [ratio if minimum else 0 for ratio, minimum in zip(ratios, minimums, strict=True)]
    total_ratio = sum(ratios)
    remaining = total
    shares: list[int] = []
    for ratio, minimum in zip(ratios, minimums or [0] * len(ratios), strict=True):
        share = (
            max(minimum, ceil(ratio * remaining / total_ratio)) if total_ratio > 0 else remaining
        )
        shares.append(share)
        total_ratio -= ratio
        remaining -= share
    return shares


def _ratio_reduce(
    total: int, ratios: list[int], maximums: list[int], values: list[int]
) -> list[int]:
    """Rich's `ratio_reduce`: `values` less `total` in all, taken by `ratios`, each at most
    its maximum."""
    ratios = [ratio if maximum else 0 for ratio, maximum in zip(ratios, maximums, strict=True)]
    total_ratio = sum(ratios)
    if not total_ratio:
        return values[:]
    remaining = total
    reduced: list[int] = []
    for ratio, maximum, value in zip(ratios, maximums, values, strict=True):
        if ratio and total_ratio > 0:
            taken = min(maximum, round(ratio * remaining / total_ratio))
            reduced.append(value - taken)
            remaining -= taken
            total_ratio -= ratio
        else:
            reduced.append(value)
    return reduced


def _one_line(text: str) -> str:
    from canvascli.render.safe_text import clean_line

    return clean_line(text)


def _collapsed(widths: list[int], wrapable: list[bool], room: int) -> list[int]:
    """`Table._collapse_widths`: the widest wrapable columns narrowed, in turn, to fit."""
    total = sum(widths)
    excess = total - room
    while total and excess > 0:
        widest = max(width for width, wraps in zip(widths, wrapable, strict=True) if wraps)
        second = max(
            width if wraps and width != widest else 0
            for width, wraps in zip(widths, wrapable, strict=True)
        )
        ratios = [
            1 if width == widest and wraps else 0
            for width, wraps in zip(widths, wrapable, strict=True)
        ]
        if not any(ratios) or not widest - second:
            break
        widths = _ratio_reduce(excess, ratios, [min(excess, widest - second)] * len(widths), widths)
        total = sum(widths)
        excess = total - room
    return widths
