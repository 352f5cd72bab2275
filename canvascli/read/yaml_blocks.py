"""Read a canvas written as YAML in a code block: a key per block, its list or text the entries."""

from __future__ import annotations

import re

from canvascli.model import Entry
from canvascli.read.labels import is_label_sized, read_label
from canvascli.read.post_tables import TableReading, TableSection

# `key_partners:`, `"Key Partners": text`, `customer-segments: [a, b]`: a mapping's key, as
# plain YAML writes one, and what follows it on its line, up to the spaces that end it.
# The spaces before that are taken possessively: a lazy value before optional spaces took
# time growing with the square of a line's spaces, minutes for one line of a hostile post.
_KEY_LINE = re.compile(
    r"^(?P<indent>[ \t]*)(?P<quote>[\"']?)(?P<key>[^\s:#\"'\-\[\]{}][^:#\"'\[\]{}]{0,60}?)"
    r"(?P=quote)[ \t]*:(?:[ \t]++(?P<value>.*[^ \t]))?[ \t]*$"
)
_ITEM_LINE = re.compile(r"^(?P<indent>[ \t]*)-(?:[ \t]++(?P<text>.*[^ \t]))?[ \t]*$")
# What opens a block scalar: `|`, `>`, with their chomping and indentation marks.
_BLOCK_SCALAR = re.compile(r"^[|>][+-]?\d?[+-]?$")
# A flow sequence's items: quoted, or up to the next comma.
_FLOW_ITEM = re.compile(r"\s*(?:\"((?:[^\"\\]|\\.)*)\"|'((?:[^']|'')*)'|([^,]+))\s*(?:,|$)")
# A comment: a `#` after white space, to the end of the line. Found by its `#`: white space
# matched first was tried again from each of its characters, a square of its length.
_COMMENT = re.compile(r"(?<=[ \t])#.*")
# A code block naming this many blocks as keys is the canvas; fewer, it is other data.
_KEYED_BLOCKS = 5
# Keys such as `resources:`, `costs:` or `customers:` name much data besides a canvas: three
# keys at least must be names only a canvas gives (`key_resources`, `channels`).
_WHOLE_NAMES = 3


def _indent(text: str) -> int:
    return len(text) - len(text.lstrip(" \t"))


def _scalar(text: str) -> str:
    """A plain or quoted scalar as the text it stands for; a comment after it left out."""
    text = text.strip()
    if len(text) >= 2 and text[0] == text[-1] == '"':
        return text[1:-1].replace('\\"', '"')
    if len(text) >= 2 and text[0] == text[-1] == "'":
        return text[1:-1].replace("''", "'")
    return _COMMENT.sub("", text).strip()


def _flow_items(text: str) -> list[str]:
    """The items of a flow sequence written on one line: `[Students, "Parents, mostly"]`."""
    inner = text.strip()[1:-1]
    items = []
    for found in _FLOW_ITEM.finditer(inner):
        double, single, plain = found.groups()
        item = double if double is not None else single if single is not None else plain
        item = (item or "").strip()
        if item:
            items.append(item)
    return items


def _value_entries(value: str) -> list[Entry]:
    """The entries a value on a key's own line gives: a flow list's items, or one text."""
    value = value.strip()
    if value.startswith("[") and value.endswith("]"):
        return [Entry("item", item) for item in _flow_items(value)]
    text = _scalar(value)
    return [Entry("paragraph", text)] if text else []


class _Open:
    """A block being read: its section, how deep its key sits and its first item's depth."""

    __slots__ = (
        "item_indent",
        "key_indent",
        "record",
        "record_indent",
        "record_item_indent",
        "scalar_indent",
        "section",
        "text_goes_on",
    )

    def __init__(self, section: TableSection, key_indent: int) -> None:
        self.section = section
        self.key_indent = key_indent
        self.item_indent: int | None = None
        # Within a block scalar (`key: |`): the lines deeper than the key are its text.
        self.scalar_indent: int | None = None
        # Whether a line of text goes on with the paragraph before it: no blank line between.
        self.text_goes_on = False
        # An item written as a mapping (`- id: cs-main`, then `name: Students`): its keys and
        # values so far, and how deep its keys sit.
        self.record: list[tuple[str, str]] | None = None
        self.record_indent = 0
        self.record_item_indent = 0


def yaml_sections(body: str, start: int, end: int) -> TableReading:
    """The blocks a YAML code block names as keys, each key's value its entries.

    A key naming a block (`key_partners:`, `Customer Segments:`), at its own depth or
    under a key holding the canvas (`canvas:`), opens the block; a list under it gives an
    item each, a text one entry, a flow list (`[a, b]`) an item each, a block scalar
    (`|`, `>`) its lines, and keys under it (`primary: students`) an item each; an item
    written as a mapping (`- id: cs-1`, `name: Students`) is one entry. Keys naming no
    block, beside the blocks' keys, are loose. Fewer than five blocks, or fewer
    than three named as only a canvas names them, are data.
    """
    sections: list[TableSection] = []
    loose: list[Entry] = []
    current: _Open | None = None
    offset = start
    for line in body[start:end].splitlines(keepends=True):
        line_start, offset = offset, offset + len(line)
        text = line.rstrip("\r\n")
        stripped = text.strip()
        line_end = line_start + len(text)
        if stripped.startswith(("```", "~~~")) or stripped in ("---", "..."):
            continue
        indent = _indent(text)
        if current is not None and current.scalar_indent is not None:
            if not stripped or indent > current.key_indent:
                if stripped:
                    _add_scalar_line(current, stripped, line_start, line_end)
                else:
                    current.text_goes_on = False
                continue
            current.scalar_indent = None
        if not stripped or stripped.startswith("#"):
            continue
        key = _KEY_LINE.match(text)
        if key is not None and (current is None or indent <= current.key_indent):
            name = key.group("key").strip()
            match = read_label(name, strict=True) if is_label_sized(name) else None
            value = key.group("value") or ""
            if match is None:
                current = None
                if value and not _BLOCK_SCALAR.match(value):
                    loose.append(Entry("paragraph", f"{name}: {_scalar(value)}"))
                continue
            section = TableSection(name, match, line_start + indent, spans=[(line_start, line_end)])
            sections.append(section)
            current = _Open(section, indent)
            if _BLOCK_SCALAR.match(value):
                current.scalar_indent = indent
            else:
                section.entries.extend(_value_entries(value))
            continue
        if current is None:
            continue
        if indent < current.key_indent:
            current = None
            continue
        current.section.spans.append((line_start, line_end))
        item = _ITEM_LINE.match(text)
        if current.record is not None and indent > current.record_item_indent:
            # Inside an item written as a mapping: its own keys name it, deeper ones detail it.
            inner = _KEY_LINE.match(text)
            if item is None and inner is not None and indent == current.record_indent:
                current.record.append((inner.group("key").strip(), inner.group("value") or ""))
                entries = current.section.entries
                entries[-1] = entries[-1]._replace(text=_record_text(current.record))
            continue
        current.record = None
        if item is not None:
            if current.item_indent is None:
                current.item_indent = indent
            depth = 0 if indent <= current.item_indent else 1
            words = item.group("text") or ""
            mapping = _KEY_LINE.match(words)
            if mapping is not None:
                current.record = [(mapping.group("key").strip(), mapping.group("value") or "")]
                current.record_indent = item.start("text")
                current.record_item_indent = indent
                words = _record_text(current.record)
            words = _scalar(words)
            if words or mapping is not None:
                current.section.entries.append(Entry("item", words, depth))
            continue
        inner = _KEY_LINE.match(text)
        if inner is not None:
            inner_value = _scalar(inner.group("value") or "")
            joined = f"{inner.group('key').strip()}: {inner_value}" if inner_value else ""
            current.section.entries.append(Entry("item", joined or inner.group("key").strip()))
            continue
        # A plain text folded onto the next line goes on with the entry before it.
        entries = current.section.entries
        if entries:
            last = entries[-1]
            entries[-1] = last._replace(text=f"{last.text} {_scalar(stripped)}")
        else:
            entries.append(Entry("paragraph", _scalar(stripped)))
    for section in sections:
        section.entries = [entry for entry in section.entries if entry.text]
    matches = [section.match for section in sections if section.match is not None]
    whole_names = {match.block for match in matches if not match.ambiguous}
    if len({match.block for match in matches}) < _KEYED_BLOCKS or len(whole_names) < _WHOLE_NAMES:
        return TableReading([], [], by_rows=False)
    return TableReading(sections, loose, by_rows=False)


# The keys of an item written as a mapping that name it, and that describe it.
_NAME_KEYS = ("name", "title", "label", "nombre", "nome", "nom", "titel")
_DESCRIPTION_KEYS = ("description", "descripción", "descrição", "beschreibung", "desc", "details")


def _record_text(record: list[tuple[str, str]]) -> str:
    """An item written as a mapping as one entry: its name and description (`Students:
    first-years living away from home`), else its values but for an `id`."""
    values = {key.lower(): _scalar(value) for key, value in record if _scalar(value)}
    name = next((values[key] for key in _NAME_KEYS if key in values), "")
    description = next((values[key] for key in _DESCRIPTION_KEYS if key in values), "")
    if name or description:
        return f"{name}: {description}" if name and description else name or description
    return "; ".join(f"{key}: {value}" for key, value in values.items() if key != "id")


def _add_scalar_line(current: _Open, stripped: str, line_start: int, line_end: int) -> None:
    """A line of a block scalar: an item when it is written as one, else text."""
    current.section.spans.append((line_start, line_end))
    entries = current.section.entries
    item = _ITEM_LINE.match(stripped)
    if item is not None and item.group("text"):
        entries.append(Entry("item", item.group("text")))
        current.text_goes_on = False
    elif current.text_goes_on and entries:
        entries[-1] = entries[-1]._replace(text=f"{entries[-1].text} {stripped}")
    else:
        entries.append(Entry("paragraph", stripped))
        current.text_goes_on = True
