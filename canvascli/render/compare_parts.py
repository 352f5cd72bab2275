"""What the compare view says, without Rich: shared by its Rich and its plain drawing."""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import TYPE_CHECKING

from canvascli.model import UNIQUE_VALUE_PROPOSITION, AnyBlock, Block, Canvas, Entry, block_title
from canvascli.render.safe_text import clean, clean_line
from canvascli.words import noun_for

if TYPE_CHECKING:
    from canvascli.analyse.common_ground import CommonGround, SharedTerm
    from canvascli.model import Section

BULLET = "•"
NARROW_COMPARE = 80
# Narrower company columns than this are hard to read, so the companies go into bands.
MIN_COMPARE_CELL = 22
# Width the Block column and the table's outer borders take from a compare table.
COMPARE_BLOCK_COLUMN = 18
# Marks a term shared by two or more compared canvases; the mark survives NO_COLOR.
SHARED_MARK = "◆"
SHARED_STYLE = "bold magenta"
COMPARE_CELL_MISSING = "(missing)"
COMPARE_CELL_EMPTY = "(empty)"
COMPARE_CELL_ALL_SHARED = "(all shared)"
NOTHING_SHARED = "Nothing shared in these blocks."
# Rich's rounded box, as the compare tables draw it: top, cells, rows between, bottom.
COMPARE_TABLE = ("╭─┬╮", "│ ││", "├─┼┤", "╰─┴╯")
# The line under a Markdown table's header: pipes, dashes and colons only.
TABLE_DELIMITER = re.compile(r"^(?=[^\n]*\|)(?=[^\n]*-)[ \t|:-]+$", re.MULTILINE)


def table_texts(markdown: str) -> bool:
    """Whether a section's source holds a Markdown table."""
    return bool(TABLE_DELIMITER.search(markdown))


def row_title(block: AnyBlock, canvases: Sequence[Canvas]) -> str:
    """A compare row's name: a Value Propositions row beside a lean canvas names both forms."""
    kinds = {canvas.kind for canvas in canvases}
    if kinds == {"lean"}:
        return block_title(block, "lean")
    if block is Block.VALUE_PROPOSITIONS and "lean" in kinds:
        return f"{block.title} ({UNIQUE_VALUE_PROPOSITION})"
    return block.title


def compare_bands(canvases: Sequence[Canvas], width: int) -> list[Sequence[Canvas]]:
    """The companies split into as few, as even, bands as keep each column readable."""
    fitting = max(1, (width - COMPARE_BLOCK_COLUMN) // (MIN_COMPARE_CELL + 3))
    bands = -(-len(canvases) // fitting)
    size = -(-len(canvases) // bands)
    return [canvases[start : start + size] for start in range(0, len(canvases), size)]


def shared_pieces(text: str, spans: Sequence[tuple[int, int]] = ()) -> list[tuple[str, bool]]:
    """Post text, made safe, in pieces: each shared span, marked by `SHARED_MARK`, flagged."""
    pieces: list[tuple[str, bool]] = []
    position = 0
    for start, end in spans:
        pieces.append((clean(text[position:start]), False))
        pieces.append((SHARED_MARK + clean(text[start:end]), True))
        position = end
    pieces.append((clean(text[position:]), False))
    return pieces


def shown_entries(
    canvas: Canvas, block: AnyBlock, section: Section, ground: CommonGround, diff: bool
) -> list[tuple[Entry, list[tuple[str, bool]]]] | str:
    """The entries of `block`'s cell for `canvas` (its `section`), each with its shown text
    in `shared_pieces`; `COMPARE_CELL_ALL_SHARED` when `diff` hides them all."""
    marks = ground.marks(canvas.slug, block)
    hidden = ground.shared_items(canvas.slug, block) if diff else frozenset()
    shown = [
        (entry, shared_pieces(entry.text, () if diff else marks.get(number, ())))
        for number, entry in enumerate(section.entries)
        if number not in hidden
    ]
    return shown or COMPARE_CELL_ALL_SHARED


def sharers_parts(term: SharedTerm, canvases: Sequence[Canvas]) -> list[tuple[str, str]]:
    """Who shares a term ("all N" when everyone does), with how each writes it if otherwise,
    as pieces of text and their styles."""
    names = {canvas.slug: canvas.name for canvas in canvases}
    everyone = len(term.matches) == len(canvases) > 2
    parts: list[tuple[str, str]] = [(f"all {len(canvases)}" if everyone else "", "")]
    variants = []
    for slug, texts in term.matches:
        name = clean_line(names.get(slug, slug))
        different = "; ".join(clean_line(item) for item in texts if item != term.term)
        if everyone:
            if different:
                variants.append(f"{name}: {different}")
            continue
        parts.append((", " if any(text for text, _ in parts) else "", ""))
        parts.append((name, ""))
        if different:
            parts.append((f" ({different})", "dim"))
    if variants:
        parts.append((f" ({', '.join(variants)})", "dim"))
    return parts


def common_ground_title() -> str:
    return f"Common ground  (marked {SHARED_MARK} above)"


def hidden_note(
    canvases: Sequence[Canvas], blocks: Sequence[AnyBlock], ground: CommonGround
) -> str:
    hidden = sum(
        len(ground.shared_items(canvas.slug, block)) for canvas in canvases for block in blocks
    )
    terms = len(ground.shared)
    return (
        f"Hidden by --diff: {hidden} shared list {noun_for(hidden, 'item')}. "
        f"Without --diff, the {terms} shared {noun_for(terms, 'term')} "
        f"{noun_for(terms, 'is', 'are')} marked {SHARED_MARK} and listed here."
    )
