"""Read a canvas drawn as a Mermaid chart (a mindmap, a flowchart, blocks): its nodes in order."""

from __future__ import annotations

import re
from dataclasses import dataclass

from canvascli.model import Entry
from canvascli.read.labels import LabelMatch, is_label_sized, read_label
from canvascli.read.post_tables import TableReading, TableSection

# The kinds of chart whose nodes are read; the first line of a chart names its kind.
_MINDMAP = "mindmap"
_GROUPED = frozenset({"flowchart", "graph", "block-beta", "block"})
_COMMENT = "%%"
# A mindmap's node: an id joined to its shape (`root((Lean Canvas))`, `p[Problem]`), or text.
_MINDMAP_SHAPE = re.compile(
    r"^[\w-]*(?:\(\(|\)\)|\{\{|\[|\(|\))(?P<text>.*?)(?:\)\)|\(\(|\}\}|\]|\)|\()$"
)
# A group of a flowchart or a block chart: `subgraph P ["Problem"]`, `block:p["Problem"]`.
_GROUP = re.compile(r"^(?:subgraph|block)\b[\s:]*(?P<rest>.*)$")
# What stands before a group's title in brackets: its id.
_GROUP_ID = re.compile(r"[\w-]*+\s*+")
_GROUP_END = "end"
# A node declared with its text: `P1["Parents cannot find sitters"]`, `S1(Booking app)`.
_NODE = re.compile(
    r"(?<![\w-])(?P<id>[\w-]+)\s*(?:\[\[|\[\(|\(\[|\(\(|\{\{|\[/|\[\\|[\[({>])"
    r"\s*(?:\"(?P<quoted>[^\"]*)\"|(?P<plain>[^\[\](){}\"|]*?))\s*"
    r"(?:\]\]|\)\]|\]\)|\)\)|\}\}|/\]|\\\]|[\])}])"
)
_EDGE_TEXT = re.compile(r"\|[^|]*\||--\s[^->]*?-->")
_LINE_BREAK = re.compile(r"<br\s*/?>|\\n", re.IGNORECASE)
# No `<` inside: a tag left open was looked through to the line's end from every `<`.
_TAG = re.compile(r"<[^<>]+>")
_ITEM = re.compile(r"^(?:[-*•·▪◦‣✓✔➤►]|\d{1,2}[.)])\s+")
_QUOTES = "\"'`"
# A line of a flowchart longer than this declares no nodes worth reading.
_LONGEST_NODE_LINE = 2_000
# A chart naming this many blocks is the canvas; fewer, it is a diagram.
_CHARTED_BLOCKS = 5


@dataclass
class _Node:
    """A node of the chart in document order: how deep it sits, its lines, where it is."""

    depth: int
    lines: list[str]
    start: int
    end: int


def chart_kind(source: str) -> str | None:
    """The kind of chart read (`mindmap`, `flowchart`…), or None for one that is not read."""
    for line in source.splitlines():
        stripped = line.strip()
        if not stripped or stripped.startswith(_COMMENT) or stripped == "---":
            continue
        kind = stripped.split()[0].lower()
        return kind if kind == _MINDMAP or kind in _GROUPED else None
    return None


def chart_sections(body: str, start: int, end: int) -> TableReading:
    """The blocks a Mermaid chart in a code block names, in the order its nodes are written.

    A node whose text is a block's name opens the block; the nodes after it are its
    entries, up to the next block's node or, in a mindmap, to a node no deeper than it;
    each node's text, or each line of it parted by `<br>`, is an item. Nodes before the
    first block (a mindmap's root) are loose. A chart naming fewer than five blocks is a
    diagram.
    """
    source = body[start:end]
    kind = chart_kind(_inside_fence(source))
    if kind is None:
        return TableReading([], [], by_rows=False)
    nodes = _mindmap_nodes(source, start) if kind == _MINDMAP else _grouped_nodes(source, start)
    sections: list[TableSection] = []
    loose: list[str] = []
    current: tuple[TableSection, int] | None = None
    entries: list[str] = []

    def finish() -> None:
        if current is not None:
            current[0].entries.extend(Entry("item", text) for text in entries)
        entries.clear()

    for node in nodes:
        label, match = _node_label(node.lines[0])
        if match is not None:
            finish()
            section = TableSection(label, match, node.start, spans=[(node.start, node.end)])
            sections.append(section)
            current = (section, node.depth)
            entries.extend(node.lines[1:])
            continue
        ends_block = current is not None and (
            node.depth < current[1] or (kind == _MINDMAP and node.depth == current[1])
        )
        if ends_block:
            finish()
            current = None
        if current is None:
            loose.extend(node.lines)
            continue
        current[0].spans.append((node.start, node.end))
        entries.extend(node.lines)
    finish()
    if len({section.match.block for section in sections if section.match}) < _CHARTED_BLOCKS:
        return TableReading([], [], by_rows=False)
    return TableReading(sections, [Entry("paragraph", text) for text in loose], by_rows=False)


def _inside_fence(source: str) -> str:
    lines = source.splitlines()
    if lines and lines[0].lstrip().startswith(("```", "~~~")):
        lines = lines[1:]
    return "\n".join(lines)


def _node_label(text: str) -> tuple[str, LabelMatch | None]:
    """A node's text as a block's label: its whole name, never a list item."""
    label = text.strip().rstrip(":：").strip()
    if not is_label_sized(label) or _ITEM.match(label):
        return label, None
    return label, read_label(label, strict=True)


def _node_lines(text: str) -> list[str]:
    """A node's text by lines: `<br>` parts them, tags and list markers are dropped."""
    lines = []
    for part in _LINE_BREAK.split(text):
        line = _ITEM.sub("", _TAG.sub("", part).strip().strip(_QUOTES).strip())
        if line:
            lines.append(line)
    return lines


def _source_lines(source: str, start: int) -> list[tuple[str, int, int]]:
    """The chart's lines with where each starts and ends in the post body; fences left out."""
    lines = []
    offset = start
    for line in source.splitlines(keepends=True):
        line_start, offset = offset, offset + len(line)
        text = line.rstrip("\n")
        stripped = text.strip()
        if not stripped or stripped.startswith(("```", "~~~", _COMMENT)):
            continue
        lines.append((text, line_start, line_start + len(text)))
    return lines


def _mindmap_nodes(source: str, start: int) -> list[_Node]:
    """A mindmap's nodes, each as deep as it is indented; icons and classes left out."""
    nodes = []
    for text, line_start, line_end in _source_lines(source, start)[1:]:
        stripped = text.strip()
        if stripped.startswith("::") or stripped.startswith(":::"):
            continue
        shaped = _MINDMAP_SHAPE.match(stripped)
        lines = _node_lines(shaped.group("text") if shaped else stripped)
        if lines:
            depth = len(text) - len(text.lstrip())
            nodes.append(_Node(depth, lines, line_start, line_end))
    return nodes


def _group_title(rest: str) -> str:
    """A group's title, in brackets after its id (`P ["Problem"]`) or written alone.

    Found by hand, not by a pattern: `[`, spaces, text, spaces, `]` as one pattern tries
    every way of sharing a run of spaces among them, in time growing with the run's cube.
    """
    head, bracket, inside = rest.partition("[")
    if bracket and inside.endswith("]") and _GROUP_ID.fullmatch(head):
        return inside[:-1].strip()
    return rest


def _grouped_nodes(source: str, start: int) -> list[_Node]:
    """A flowchart's or block chart's groups and nodes, each group's title a node one level
    above what it holds; a node named again by its id alone (in an edge) is not repeated."""
    nodes = []
    seen: set[str] = set()
    depth = 0
    for text, line_start, line_end in _source_lines(source, start)[1:]:
        stripped = text.strip()
        if stripped == _GROUP_END:
            depth = max(0, depth - 1)
            continue
        group = _GROUP.match(stripped)
        if group is not None:
            rest = group.group("rest").strip()
            lines = _node_lines(_group_title(rest))
            if lines:
                nodes.append(_Node(depth, lines, line_start, line_end))
            depth += 1
            continue
        if len(stripped) > _LONGEST_NODE_LINE:
            continue  # no chart writes a node so: the line is data pasted in, not read
        for found in _NODE.finditer(_EDGE_TEXT.sub(" ", stripped)):
            node_id = found.group("id")
            if node_id in seen:
                continue
            seen.add(node_id)
            lines = _node_lines(found.group("quoted") or found.group("plain") or "")
            if lines:
                nodes.append(_Node(depth, lines, line_start, line_end))
    return nodes
