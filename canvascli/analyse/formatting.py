"""The canonical form of a canvas post, reached without changing a word of how it reads."""

from __future__ import annotations

import re
import string
from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from canvascli.model import EXPLAINER_CODE, NO_TEXT, Canvas, Diagnostic, block_title, kind_of
from canvascli.read.canvas import body_start, without_closing_hashes
from canvascli.read.labels import Synonyms, normalise_label, read_label, reading_with
from canvascli.store.files import UnreadablePostError, read_canvases_of

# An ATX heading's marks and the rest of its line; its closing `#`s are cut off in code, as a
# pattern that held them would try each of a long run of spaces against them in turn.
_ATX_HEADING = re.compile(r"^ {0,3}(#{1,6})(?:[ \t]+(.*))?$")
_FENCE = re.compile(r"^[ \t]*(`{3,}|~{3,})")
_BULLET = re.compile(r"^([ \t]*)[*+]([ \t]+)(?=\S)")
# A list item a few spaces in: at the top level unless it sits under another item's text.
_SHIFTED_ITEM = re.compile(r"^( {0,3})([-*+]|\d{1,9}[.)])( +)(?=\S)")
_THEMATIC_BREAK = re.compile(r"^ {0,3}([*_-])(?:[ \t]*\1){2,}[ \t]*$")
_INDENTED_CODE = re.compile(r"^(?: {4}|\t)")
# Problems that leave part of a post unread: formatting it could lose what the reader missed.
_UNREAD = frozenset({"CV101", "CV102", "CV103", "CV105", "CV106", NO_TEXT, "CV108"})


class NotFormattableError(Exception):
    """A post `fmt` will not touch, and why, in a few words."""


@dataclass(frozen=True)
class _Steps:
    """The normalisations one attempt makes: fewer, when more would change the reading."""

    levels: bool = True
    spelling: bool = True
    bullets: bool = True
    blank_lines: bool = True


# From most to least: the first whose result reads as the post does is kept.
_ATTEMPTS = (
    _Steps(),
    _Steps(levels=False),
    _Steps(levels=False, bullets=False),
    _Steps(levels=False, spelling=False, bullets=False),
)
# A result formatted again is formatted again, until nothing changes; this many times at most.
_ROUNDS = 3


def format_post(
    text: str, source: str, decoding: Sequence[Diagnostic] = (), synonyms: Synonyms = ()
) -> str:
    """`text` in the canonical form: block headings canonically spelt at one level in the
    post's own order, `-` bullets, one blank line between blocks; every word, link, table,
    extra section and the front matter kept as written.

    Raises `NotFormattableError` for a post that is no canvas or is not read whole, as
    one whose bytes were not plain UTF-8 (`decoding`, what decoding them found) is not.
    `synonyms` are the library's own names for blocks, read as the library reads them.
    """
    canvases = read_canvases_of(text, source, synonyms)
    _refuse_unreadable(canvases, decoding)
    mark = "\ufeff" if text.startswith("\ufeff") else ""
    newline = "\r\n" if text.partition("\n")[0].endswith("\r") else "\n"
    plain = text.removeprefix(mark).replace("\r\n", "\n").replace("\r", "\n")
    expected = _meaning(canvases)
    formatted, read = plain, tuple(canvases)
    # Headings are told apart as the reader tells them: with the library's own names too.
    with reading_with(synonyms):
        for _round in range(_ROUNDS):
            again, read = _best_attempt(formatted, read, source, expected, synonyms)
            if again == formatted:
                break
            formatted = again
    if formatted == plain:
        return text
    return mark + formatted.replace("\n", newline)


def _refuse_unreadable(canvases: Sequence[Canvas], decoding: Sequence[Diagnostic]) -> None:
    found = [*decoding, *(diagnostic for canvas in canvases for diagnostic in canvas.diagnostics)]
    unread = [diagnostic.message for diagnostic in found if diagnostic.code in _UNREAD]
    if unread:
        raise NotFormattableError(f"cannot be read whole: {'; '.join(unread)}")
    if any(diagnostic.code == EXPLAINER_CODE for diagnostic in found):
        raise NotFormattableError("not a canvas: it explains the canvas in general")
    if not any(section.block for canvas in canvases for section in canvas.sections):
        raise NotFormattableError("not a canvas: no block of a canvas is found in it")


def _meaning(canvases: Sequence[Canvas]) -> list[Any]:
    """What a reader gets from a post: each canvas's names, metadata, blocks and entries."""
    return [
        (
            canvas.slug,
            canvas.name,
            canvas.metadata,
            [
                (section.block, "" if section.block else section.heading, section.entries)
                for section in canvas.sections
            ],
        )
        for canvas in canvases
    ]


def _best_attempt(
    text: str,
    canvases: Sequence[Canvas],
    source: str,
    expected: list[Any],
    synonyms: Synonyms,
) -> tuple[str, tuple[Canvas, ...]]:
    """The most normalised form of `text` (read as `canvases`) that reads as `expected`,
    and how it reads."""
    for steps in _ATTEMPTS:
        attempt = _normalised(text, canvases, steps)
        if attempt == text:
            break
        try:
            read = tuple(read_canvases_of(attempt, source, synonyms))
        except UnreadablePostError:
            continue  # a form the reader fails on is no better one
        if _meaning(read) == expected:
            return attempt, read
    return text, tuple(canvases)


def _normalised(text: str, canvases: Sequence[Canvas], steps: _Steps) -> str:
    start = body_start(text)
    head, lines = text[:start], text[start:].split("\n")
    headings = dict(_block_headings(lines, head.count("\n") + 1, canvases))
    level = _common_level(headings.values()) if steps.levels else None
    shown: list[str] = []
    after_heading = False
    # Where the text of the last top-level list item starts, while its list goes on.
    item_text: int | None = None
    for number, line, in_code in _lines_with_code(lines):
        if number in headings and not in_code:
            item_text = None
            marks, title = headings[number]
            hashes = "#" * (level or len(marks))
            written = f" {title}" if steps.spelling else line.lstrip()[len(marks) :]
            if steps.blank_lines and shown and shown[-1]:
                shown.append("")
            shown.append(hashes + written)
            after_heading = True
            continue
        if steps.blank_lines and after_heading and line.strip():
            shown.append("")
        if not in_code and steps.blank_lines and not line.strip():
            if not shown or not shown[-1]:
                continue
            line = ""
        if not in_code and steps.bullets and not _THEMATIC_BREAK.match(line):
            line, item_text = _top_level_item(line, item_text, ended=not shown or not shown[-1])
            line = _BULLET.sub(r"\1-\2", line)
        after_heading = False
        shown.append(line)
    body = "\n".join(shown)
    if not steps.blank_lines or not body.strip():
        return head + body
    return head + ("\n" if head else "") + body.strip("\n") + "\n"


def _top_level_item(line: str, item_text: int | None, ended: bool) -> tuple[str, int | None]:
    """`line` with a top-level list item moved to the margin, and where the text of the
    top-level item now open starts (None when no list is open)."""
    item = _SHIFTED_ITEM.match(line)
    if item is None:
        if line.strip() and not line[0].isspace() and ended:
            return line, None
        return line, item_text
    shift = len(item[1])
    if item_text is not None and shift >= item_text:
        return line, item_text
    return line[shift:], len(item[2]) + len(item[3])


def _block_headings(
    lines: list[str], first_line: int, canvases: Sequence[Canvas]
) -> Iterator[tuple[int, tuple[str, str]]]:
    """The body lines (by index) that are ATX headings of blocks: their marks and new title.

    A block labelled another way (a bold line, `Label:`, a table, an underlined heading) is
    left as written; so is a heading that names its block in other words than the block's
    own title (another language, an alias, a paraphrase, a guess).
    """
    for canvas in canvases:
        kind = kind_of(section.block for section in canvas.sections)
        for section in canvas.sections:
            if section.block is None:
                continue
            index = section.line - first_line
            if not 0 <= index < len(lines):
                continue
            match = _ATX_HEADING.match(lines[index])
            if match is None or len(match.group(1)) != section.level:
                continue
            written = without_closing_hashes((match.group(2) or "").strip(string.whitespace))
            found = read_label(written)
            if found is None or found.block is not section.block:
                continue
            title = block_title(section.block, kind)
            same_name = normalise_label(written) == normalise_label(title)
            yield index, (match.group(1), title if same_name else written)


def _common_level(headings: Iterable[tuple[str, str]]) -> int | None:
    """The level most block headings have, the shallower of two as common; None for none."""
    levels = Counter(len(marks) for marks, _title in headings)
    if not levels:
        return None
    return min(levels, key=lambda level: (-levels[level], level))


def _lines_with_code(lines: list[str]) -> Iterator[tuple[int, str, bool]]:
    """Each line with whether it belongs to code (a fence, or an indented block), untouchable."""
    fence: str | None = None
    previous_blank = True
    in_indented = False
    for number, line in enumerate(lines):
        marker = _FENCE.match(line)
        if fence is not None:
            yield number, line, True
            if marker and _closes(fence, marker.group(1), line):
                fence = None
            continue
        if marker is not None:
            fence = marker.group(1)
            yield number, line, True
            continue
        if not line.strip():
            # Blank lines between two indented pieces of code are code too.
            yield number, line, in_indented and _indented_follows(lines, number)
            previous_blank = True
            continue
        in_indented = bool(_INDENTED_CODE.match(line)) and (previous_blank or in_indented)
        previous_blank = False
        yield number, line, in_indented


def _closes(fence: str, marker: str, line: str) -> bool:
    """Whether `line`, starting with `marker`, closes a code fence opened by `fence`."""
    return (
        marker[0] == fence[0]
        and len(marker) >= len(fence)
        and not line.strip()[len(marker) :].strip()
    )


def _indented_follows(lines: list[str], number: int) -> bool:
    for line in lines[number + 1 :]:
        if line.strip():
            return bool(_INDENTED_CODE.match(line))
    return False
