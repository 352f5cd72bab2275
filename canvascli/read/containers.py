"""Unwrap canvases written inside quotes, callouts, toggles and HTML into plain Markdown."""

from __future__ import annotations

import bisect
import re
from html.parser import HTMLParser
from typing import Any

from canvascli.read.labels import is_label_sized, read_label

# A blockquote's marker, and the callout (Obsidian, GitHub) its first line may open:
# `> [!note] Key Partners`, `> [!info]- Customer Segments`.
_QUOTE_MARKER = re.compile(r"^ {0,3}> ?")
_CALLOUT = re.compile(r"^ {0,3}> ?\[!([\w-]{1,40})\][+-]?(?:[ \t]+(.*))?$")
# A line of a quote that may label a block: a heading, a list item or bold text, then a name.
_LINE_LABEL = re.compile(r"^(?:#{1,6}[ \t]+|(?:[-*+]|\d{1,3}[.)])[ \t]+)?(.*)$")
_LABEL_STROKES = " \t*_:：#"
# A quote holding this many lines that name blocks is a canvas written in a quote.
_QUOTED_LABELS = 2
_HEADING_TAGS = frozenset({"h1", "h2", "h3", "h4", "h5", "h6"})
# Tags whose text names what follows them: a block's label when it reads as one.
_LABEL_TAGS = _HEADING_TAGS | {"summary", "dt"}
_ITEM_TAGS = frozenset({"li", "dd"})
_LIST_TAGS = frozenset({"ul", "ol", "dl"})
_PARAGRAPH_TAGS = frozenset({"p", "div", "details", "section", "article", "blockquote"})
_BOLD_TAGS = frozenset({"b", "strong"})
_SKIPPED_TAGS = frozenset({"script", "style", "template"})
# What an HTML block must hold to be a piece of a canvas written in HTML.
_HTML_LAYOUT = re.compile(
    r"<(?:/?details|summary|h[1-6]|dl|dt|dd|ul|ol|li|p|b|strong)\b", re.IGNORECASE
)
_HTML_LABEL_OPEN = re.compile(r"<(summary|h[1-6]|dt|b|strong)\b[^<>]{0,200}>", re.IGNORECASE)
# A label tag's text is looked for this far after it opens: a label is a few words.
_HTML_LABEL_REACH = 400
_TAG = re.compile(r"<[^<>]*>")


class Unwrapped:
    """A post body with its containers opened: the new text, the line of the old text each
    of its lines comes from, and the lines (first, past the last) of each opened callout,
    quote or toggle in the new text."""

    __slots__ = ("body", "boxes", "line_map")

    def __init__(self, body: str, line_map: list[int], boxes: list[tuple[int, int]]) -> None:
        self.body = body
        self.line_map = line_map
        self.boxes = boxes


def unwrap_containers(body: str, tokens: list[dict[str, Any]]) -> Unwrapped | None:
    """`body` with the quotes, callouts, toggles and HTML that hold canvas blocks written
    out as Markdown headings and lists, or None when no container holds a block's label.

    A quote or callout is opened when its title or its first line names a block, or its
    lines or a table's cells label two blocks; HTML (`<details><summary>`, `<h3>`,
    `<dl><dt>`, `<p><b>`, lists) when a label tag in the post names a block, but for
    HTML holding a table, read as a grid or as text. Everything else is left as it was.
    """
    kinds = [token.get("type") for token in tokens]
    has_quote = "block_quote" in kinds
    has_html = "block_html" in kinds
    if not has_quote and not has_html:
        return None
    html_labels = has_html and _html_names_a_block(tokens)
    if not has_quote and not html_labels:
        return None
    old_lines = body.split("\n")
    line_starts = [0]
    for line in old_lines[:-1]:
        line_starts.append(line_starts[-1] + len(line) + 1)
    starts = [token.get("_start", 0) for token in tokens] + [len(body)]
    new_lines: list[str] = []
    line_map: list[int] = []
    boxes: list[tuple[int, int]] = []
    toggles: list[int] = []  # the first line of each <details> not yet closed
    context_level = 0
    opened = False
    done = 0  # old lines copied so far

    def emit(text: str, origin: int) -> None:
        new_lines.append(text)
        line_map.append(origin)

    for index, token in enumerate(tokens):
        kind = kinds[index]
        if kind == "heading":
            context_level = token.get("attrs", {}).get("level", context_level)
            continue
        if kind not in ("block_quote", "block_html"):
            continue
        first = bisect.bisect_right(line_starts, starts[index]) - 1
        last = bisect.bisect_right(line_starts, max(starts[index], starts[index + 1] - 1)) - 1
        if first < done:
            continue
        if kind == "block_quote":
            replaced = _quote_lines(old_lines[first : last + 1], context_level)
        elif html_labels and not _is_html_table(token):
            replaced = _html_lines(old_lines[first : last + 1], context_level)
        else:
            replaced = None
        if replaced is None:
            continue
        for number in range(done, first):
            emit(old_lines[number], number)
        box_start = len(new_lines)
        for text, offset in replaced or [("", 0)]:
            emit(text, first + offset)
        # What follows a callout or a toggle is no part of the block it holds.
        if kind == "block_quote":
            boxes.append((box_start, len(new_lines)))
        else:
            raw = str(token.get("raw", "")).lower()
            toggles += [box_start] * raw.count("<details")
            for _closed in range(min(raw.count("</details"), len(toggles))):
                boxes.append((toggles.pop(), len(new_lines)))
        done = last + 1
        opened = True
    if not opened:
        return None
    for number in range(done, len(old_lines)):
        emit(old_lines[number], number)
    return Unwrapped("\n".join(new_lines), line_map, boxes)


def _is_html_table(token: dict[str, Any]) -> bool:
    """Whether an HTML block holds a table: read as a grid (see html_tables.py), or text."""
    return "<table" in str(token.get("raw", "")).lower()


def _html_names_a_block(tokens: list[dict[str, Any]]) -> bool:
    """Whether a summary, heading, term or bold tag in the post's HTML names a block."""
    for token in tokens:
        if token.get("type") != "block_html":
            continue
        raw = str(token.get("raw", ""))
        if not _HTML_LAYOUT.search(raw):
            continue
        lower = raw.lower()
        for found in _HTML_LABEL_OPEN.finditer(raw):
            closing = f"</{found.group(1).lower()}"
            end = lower.find(closing, found.end(), found.end() + _HTML_LABEL_REACH)
            if end < 0:
                continue
            text = " ".join(_TAG.sub(" ", raw[found.end() : end]).split())
            if is_label_sized(text) and read_label(text) is not None:
                return True
    return False


def _names_a_block(text: str) -> bool:
    text = text.strip(_LABEL_STROKES)
    return bool(text) and is_label_sized(text) and read_label(text) is not None


def _quote_lines(lines: list[str], context_level: int) -> list[tuple[str, int]] | None:
    """A quote's lines without their markers, its callout title made a heading, when the
    quote holds a canvas's blocks; else None."""
    callout = _CALLOUT.match(lines[0].rstrip())
    title = (callout.group(2) or "").strip() if callout else ""
    inner = [_QUOTE_MARKER.sub("", line, count=1) for line in lines]
    if not (title and _names_a_block(title)):
        labels = 0
        fence = ""
        # A callout that opens with a block's label (`> [!NOTE]`, then `> **Channels**`:
        # GitHub's alerts have no title) holds that block.
        opening_label = False
        for number, line in enumerate(inner[1:] if callout else inner):
            stripped = line.strip()
            if fence or stripped.startswith(("```", "~~~")):
                # A quoted code block (a drawing, a sample) holds text, never labels.
                if not fence:
                    fence = stripped[:3]
                elif stripped.startswith(fence):
                    fence = ""
                continue
            if stripped.startswith("|"):
                # A table quoted whole: its cells may name the blocks.
                labels += sum(map(_names_a_block, stripped.strip("|").split("|")))
                continue
            found = _LINE_LABEL.match(stripped)
            text = found.group(1) if found else ""
            head = text.split(":", 1)[0].split("：", 1)[0]
            if _names_a_block(head):
                labels += 1
                opening_label = opening_label or (callout is not None and number == 0)
        if labels < _QUOTED_LABELS and not (title and labels) and not opening_label:
            return None
    result = [(text, number) for number, text in enumerate(inner)]
    if callout:
        level = min(context_level + 1, 6)
        result[0] = (f"{'#' * level} {title}" if title else "", 0)
    return result


def _html_lines(lines: list[str], context_level: int) -> list[tuple[str, int]] | None:
    """An HTML block of toggles, headings, lists or terms as Markdown lines, each with the
    line of the block it comes from; None for HTML of another kind."""
    raw = "\n".join(lines)
    if not _HTML_LAYOUT.search(raw):
        return None
    writer = _MarkdownWriter(min(context_level + 1, 6))
    writer.feed(raw)
    writer.close()
    return writer.finish()


class _MarkdownWriter(HTMLParser):
    """HTML written out as Markdown: label tags as headings, items as list items."""

    def __init__(self, label_level: int) -> None:
        super().__init__(convert_charrefs=True)
        self.label_level = label_level
        self.lines: list[tuple[str, int]] = []
        self.line: list[str] = []
        self.line_origin = 0
        self.prefix = ""
        self.depth = 0  # of nested lists
        self.skipping = 0

    def _origin(self) -> int:
        return self.getpos()[0] - 1

    def _flush(self) -> None:
        text = " ".join("".join(self.line).split())
        if text.strip("* "):
            self.lines.append((self.prefix + text, self.line_origin))
        self.line = []
        self.prefix = ""

    def _start_line(self, prefix: str) -> None:
        self._flush()
        self.prefix = prefix
        self.line_origin = self._origin()

    def _blank(self) -> None:
        if self.lines and self.lines[-1][0]:
            self.lines.append(("", self._origin()))

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _SKIPPED_TAGS:
            self.skipping += 1
        elif tag in _HEADING_TAGS:
            self._blank_before_label()
            self._start_line("#" * int(tag[1]) + " ")
        elif tag in ("summary", "dt"):
            self._blank_before_label()
            self._start_line("#" * self.label_level + " ")
        elif tag in _ITEM_TAGS:
            indent = "  " * max(self.depth - 1, 0)
            self._start_line(f"{indent}- ")
        elif tag in _LIST_TAGS:
            self._flush()
            self.depth += 1
        elif tag in _PARAGRAPH_TAGS:
            self._flush()
            self._blank()
        elif tag == "br":
            prefix = "  " * self.depth if self.prefix.lstrip().startswith("-") else ""
            self._start_line(prefix)
        elif tag in _BOLD_TAGS and not self.prefix.startswith("#"):
            self.line.append("**")

    def handle_endtag(self, tag: str) -> None:
        if tag in _SKIPPED_TAGS:
            self.skipping = max(self.skipping - 1, 0)
        elif tag in _LABEL_TAGS:
            self._flush()
            self.lines.append(("", self._origin()))
        elif tag in _LIST_TAGS:
            self._flush()
            self.depth = max(self.depth - 1, 0)
            if not self.depth:
                self._blank()
        elif tag in _ITEM_TAGS or tag in _PARAGRAPH_TAGS:
            self._flush()
            if tag in _PARAGRAPH_TAGS:
                self._blank()
        elif tag in _BOLD_TAGS and not self.prefix.startswith("#"):
            self.line.append("**")

    def _blank_before_label(self) -> None:
        self._flush()
        self._blank()

    def handle_data(self, data: str) -> None:
        if self.skipping:
            return
        if self.depth or self.prefix or "\n" not in data:
            if not self.line:
                self.line_origin = self._origin()
            self.line.append(data)
            return
        # Markdown written between the tags keeps its lines: `- Commuters`, `- Day trippers`.
        origin = self._origin()
        pieces = data.split("\n")
        for offset, piece in enumerate(pieces):
            if offset:
                self._flush()
                self.line_origin = origin + offset
            self.line.append(piece.strip() if offset else piece)

    def finish(self) -> list[tuple[str, int]]:
        self._flush()
        while self.lines and not self.lines[-1][0]:
            self.lines.pop()
        return self.lines
