"""A line scanner giving plain posts the exact tokens mistune would, at a fraction of its cost."""

from __future__ import annotations

import re
from typing import Any

from canvascli.read.patterns import deferred

Token = dict[str, Any]

# Inline syntax (escapes, code, emphasis, links, autolinks, HTML, entities, strikethrough,
# table pipes), and whitespace or control characters other than space and newline: text
# holding any of these is left to mistune. The whitespace is every character `str.isspace`
# knows, spelled out: one character class is ten times faster than `[^\S \n]` beside it.
_OTHER_SPACE = r"\t\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000"
_CONTROL = r"\x00-\x08\x0b-\x1f\x7f-\x9f"
_NOT_PLAIN = deferred(rf"[\\`*_\[\]!<>&~|{_OTHER_SPACE}{_CONTROL}]")
# The same but for `*`, which also marks bullets: a body without any of these needs only a
# look for `*` in each piece of text.
_NOT_PLAIN_BUT_STARS = deferred(rf"[\\`_\[\]!<>&~|{_OTHER_SPACE}{_CONTROL}]")
_ATX = deferred(r" {0,3}(#{1,6}) +([^ #][^#]*)$")
# What opens an ATX heading at all: `#1 priority` and `#hashtag`, the `#` followed by no
# space, and `####### x`, seven of them, are paragraph text.
_ATX_START = deferred(r" {0,3}#{1,6}(?:[ \t]|$)")
_BULLET = deferred(r"( {0,3})([-*+])( {1,4})(\S.*)$")
_SETEXT = deferred(r" {0,3}(=+|-+)$")
_THEMATIC_BREAK = deferred(r" {0,3}([-*_])(?: *\1){2,}$")
_ORDERED = deferred(r" {0,3}\d{1,9}[.)](?: |$)")
_MARKER = deferred(r" {0,3}[-*+](?: |$)")
# The first characters of every line that is not plain paragraph text.
_BLOCK_STARTS = frozenset("#-*+=_0123456789")
_BULLETS = frozenset("-*+")


class NotPlainError(Exception):
    """The post uses Markdown beyond headings, paragraphs and flat bullet lists."""


def plain_tokens(body: str) -> list[Token] | None:
    """mistune's top-level tokens for `body`, or None when it is not a plain post.

    A plain post is made of ATX and one-line Setext headings, paragraphs and flat bullet
    lists (an item may run on over lines that open no block), with no inline markup but
    a wholly bold line, and no trailing spaces: the shape of
    most canvases. Anything else (and anything in doubt) returns None, for mistune to read.
    """
    if not body.strip(" \n"):
        return None
    try:
        return _Scanner().scan(body)
    except NotPlainError:
        return None


def _text(raw: str) -> Token:
    return {"type": "text", "raw": raw}


# The key of a text token known to hold printable ASCII, single spaces between its words
# and none around them: its reader need not look again (see `inline_text`).
SPACED_ONCE = "_spaced_once"


class _Scanner:
    def __init__(self) -> None:
        self.tokens: list[Token] = []
        self.paragraph: Token | None = None
        self.paragraph_lines = 0
        self.list: Token | None = None
        self.nesting_column = 0
        self.blank_after_item = False
        self.blank_start: int | None = None
        self.blank_lines = 0
        self.only_stars_to_check = False
        self.printable_ascii = False

    def scan(self, body: str) -> list[Token]:
        self.only_stars_to_check = not _NOT_PLAIN_BUT_STARS.search(body)
        # Nor any control character, and every line is stripped of its spaces.
        self.printable_ascii = self.only_stars_to_check and body.isascii()
        lines = body.split("\n")
        if body.endswith("\n"):
            lines.pop()
        offset = 0
        # `line`, written out in the loop: a call a line cost a tenth of the scan.
        block_starts = _BLOCK_STARTS
        for line in lines:
            text = line.lstrip(" ")
            if not text:
                self.blank(offset)
            else:
                indent = len(line) - len(text)
                if indent >= 4 or line[-1] == " ":
                    raise NotPlainError
                if text[0] in block_starts:
                    self.block_line(line, text, indent, offset)
                elif self.list is None or not self.continues_list(line, indent, None):
                    self.close_blank()
                    self.paragraph_line(text, offset)
            offset += len(line) + 1
        self.close_paragraph()
        self.close_list()
        self.close_blank()
        return self.tokens

    def block_line(self, line: str, text: str, indent: int, offset: int) -> None:
        """A line that may open a heading, a list item, a break or an underline."""
        bullet = _BULLET.match(line) if text[0] in _BULLETS else None
        if self.list is not None and self.continues_list(line, indent, bullet):
            return
        self.close_blank()
        heading = _ATX.match(line)
        if heading:
            self.close_paragraph()
            self.tokens.append(
                {
                    "type": "heading",
                    "attrs": {"level": len(heading.group(1))},
                    "style": "atx",
                    "_start": offset,
                    "children": self.inline(heading.group(2)),
                }
            )
        elif _SETEXT.match(line):
            self.underline(line)
        elif _THEMATIC_BREAK.match(line) or _ORDERED.match(line):
            raise NotPlainError
        elif bullet:
            self.close_paragraph()
            self.open_list(bullet, offset)
        elif (text.startswith("#") and _ATX_START.match(line)) or _MARKER.match(line):
            raise NotPlainError
        else:
            self.paragraph_line(text, offset)

    def blank(self, offset: int) -> None:
        if self.list is not None:
            self.blank_after_item = True
            return
        self.close_paragraph()
        if self.blank_start is None:
            self.blank_start = offset
        self.blank_lines += 1

    def close_blank(self) -> None:
        if self.blank_start is None:
            return
        blank: Token = {"type": "blank_line", "_start": self.blank_start}
        if self.blank_start == 0:
            blank["newlines"] = self.blank_lines
        self.tokens.append(blank)
        self.blank_start = None
        self.blank_lines = 0

    def continues_list(self, line: str, indent: int, bullet: re.Match[str] | None) -> bool:
        """Add a line to the open list and say so, or close the list if the line ends it."""
        assert self.list is not None
        if indent >= self.nesting_column and _opens_block(line):
            raise NotPlainError  # a block nested in the last item
        if bullet and bullet.group(2) == self.list["bullet"]:
            if self.blank_after_item:
                self.list["tight"] = False
            self.add_item(bullet)
            return True
        if self.blank_after_item:
            if indent:
                raise NotPlainError  # perhaps more of the last item
        elif not (bullet or _ATX.match(line)):
            if _opens_block(line):
                raise NotPlainError
            # A lazy continuation line: more of the last item's text.
            text = self.list["children"][-1]["children"][0]["children"]
            text += [{"type": "softbreak"}, *self.inline(line.lstrip(" "))]
            return True
        self.close_list()
        return False

    def open_list(self, bullet: re.Match[str], offset: int) -> None:
        self.list = {
            "type": "list",
            "children": [],
            "tight": True,
            "bullet": bullet.group(2),
            "attrs": {"depth": 0, "ordered": False},
            "_start": offset,
        }
        self.add_item(bullet)

    def add_item(self, bullet: re.Match[str]) -> None:
        assert self.list is not None
        indent, _marker, _spaces, text = bullet.groups()
        if _opens_block(text):
            raise NotPlainError  # the item opens with another block
        # mistune nests a block in an item from two columns past the marker's indent.
        self.nesting_column = len(indent) + 2
        self.blank_after_item = False
        paragraph = {"type": "block_text", "children": self.inline(text)}
        self.list["children"].append({"type": "list_item", "children": [paragraph]})

    def close_list(self) -> None:
        if self.list is None:
            return
        if not self.list["tight"]:
            for item in self.list["children"]:
                item["children"][0]["type"] = "paragraph"
        self.tokens.append(self.list)
        self.list = None
        self.blank_after_item = False

    def underline(self, line: str) -> None:
        if self.paragraph is None or self.paragraph_lines != 1:
            raise NotPlainError
        level = 1 if line.lstrip(" ").startswith("=") else 2
        heading = self.paragraph
        self.paragraph = None
        heading.update(type="heading", style="setext", attrs={"level": level})
        self.tokens.append(heading)

    def paragraph_line(self, text: str, offset: int) -> None:
        if self.paragraph is None:
            self.paragraph = {"type": "paragraph", "_start": offset, "children": self.inline(text)}
            self.paragraph_lines = 1
            return
        self.paragraph["children"] += [{"type": "softbreak"}, *self.inline(text)]
        self.paragraph_lines += 1

    def inline(self, text: str) -> list[Token]:
        if self.only_stars_to_check and "*" not in text:
            if self.printable_ascii and "  " not in text:
                return [{"type": "text", "raw": text, SPACED_ONCE: True}]
            return [_text(text)]
        return _inline(text)

    def close_paragraph(self) -> None:
        if self.paragraph is not None:
            self.tokens.append(self.paragraph)
            self.paragraph = None


def _opens_block(line: str) -> bool:
    """Whether a line opens a heading, a list, a break or an underline, not paragraph text."""
    text = line.lstrip(" ")
    if not text or text[0] not in _BLOCK_STARTS:
        return False
    return any(
        pattern.match(line) for pattern in (_ATX_START, _MARKER, _ORDERED, _SETEXT, _THEMATIC_BREAK)
    )


def _inline(text: str) -> list[Token]:
    """The inline tokens of plain text, or of plain text wholly in bold (`**Channels**`)."""
    if not _NOT_PLAIN.search(text):
        return [_text(text)]
    bold = text[2:-2]
    if (
        len(text) > 4
        and text.startswith("**")
        and text.endswith("**")
        and not _NOT_PLAIN.search(bold)
        and bold == bold.strip(" ")
    ):
        return [{"type": "strong", "children": [_text(bold)]}]
    raise NotPlainError
