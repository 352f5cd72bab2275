"""Turn the text of one canvas post into a `Canvas`: pure, no I/O, no terminal."""

from __future__ import annotations

import bisect
import datetime as dt
import gc
import math
import re
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import PurePath
from typing import Any

from canvascli.labels import match_block, suggest_block
from canvascli.models import Block, Canvas, Diagnostic, Entry, Section

_FRONT_MATTER_OPEN = re.compile(r"---[ \t]*\n")
_FRONT_MATTER_CLOSE = re.compile(r"^(?:---|\.\.\.)[ \t]*$", re.MULTILINE)
_JEKYLL_DATE = re.compile(r"^\d{4}-\d{1,2}-\d{1,2}-")
_SLUG_JUNK = re.compile(r"[^\w]+")
_NAME_AFTER = re.compile(
    r"^\s*business\s*model(?:\s*canvas)?\s*(?:of|for|:|-|–|—)\s*(?P<name>.+?)\s*$", re.IGNORECASE
)
_NAME_BEFORE = re.compile(
    r"^\s*(?P<name>.+?)(?:['’]s)?\s*(?:[:\-–—]\s*)?business\s*model(?:\s*canvas)?\s*$",
    re.IGNORECASE,
)
_GENERIC_TITLE = re.compile(r"^\s*(?:the\s+)?business\s*model(?:\s*canvas)?\s*$", re.IGNORECASE)
_HTML_TAG = re.compile(r"<[^>]*>")
_HTML_COMMENT = re.compile(r"<!--.*?-->", re.DOTALL)
_ATX_LINE = re.compile(r"^ {0,3}(#{1,6})(?:[ \t]+(.*?))?[ \t#]*$")
# A hand-written canvas has a few dozen headings. Past these counts a post is machine-made,
# and typo-tolerant matching and did-you-mean hints (each far dearer than an exact match)
# would make its parse time a multiple of everything else's.
FUZZY_HEADINGS = 1000
HINTED_HEADINGS = 100


@dataclass
class _Heading:
    text: str
    level: int
    offset: int
    block: Block | None


@dataclass
class _Draft:
    heading: _Heading
    entries: list[Entry] = field(default_factory=list)


def slug_from_path(source: str) -> str:
    """`_posts/2016-05-12-Violin Memory.md` -> `violin-memory`."""
    stem = PurePath(source).name
    for suffix in (".markdown", ".md"):
        if stem.lower().endswith(suffix):
            stem = stem[: -len(suffix)]
            break
    stem = _JEKYLL_DATE.sub("", stem)
    return _SLUG_JUNK.sub("-", stem.lower()).strip("-_") or "untitled"


def name_from_title(title: str) -> str | None:
    """ "Businessmodel of MemSQL" -> "MemSQL"; a generic title names no company."""
    if _GENERIC_TITLE.match(title):
        return None
    for pattern in (_NAME_AFTER, _NAME_BEFORE):
        match = pattern.match(title)
        if match and match.group("name").strip(" :-–—"):
            return match.group("name").strip(" :-–—")
    return title.strip() or None


def _jsonable(value: Any) -> Any:
    if isinstance(value, dict):
        return {str(key): _jsonable(item) for key, item in value.items()}
    if isinstance(value, list | tuple | set):
        return [_jsonable(item) for item in value]
    if isinstance(value, dt.date | dt.datetime | dt.time):
        return value.isoformat()
    if isinstance(value, float) and not math.isfinite(value):
        return str(value)  # YAML's .nan and .inf have no JSON form
    if value is None or isinstance(value, bool | int | float | str):
        return value
    return str(value)


def _split_front_matter(
    text: str, diagnostics: list[Diagnostic]
) -> tuple[dict[str, Any], str, int]:
    """Metadata, the body after the front matter, and how many lines precede the body."""
    opening = _FRONT_MATTER_OPEN.match(text)
    if not opening:
        return {}, text, 0
    closing = _FRONT_MATTER_CLOSE.search(text, opening.end())
    if not closing:
        diagnostics.append(
            Diagnostic.of(
                "CV102", "front matter opened by '---' on line 1 is never closed; read as text"
            )
        )
        return {}, text, 0
    yaml_text = text[opening.end() : closing.start()]
    body_start = min(closing.end() + 1, len(text))
    body_line = text.count("\n", 0, body_start)
    metadata = _load_yaml(yaml_text, diagnostics)
    return metadata, text[body_start:], body_line


def _load_yaml(yaml_text: str, diagnostics: list[Diagnostic]) -> dict[str, Any]:
    import yaml
    from frontmatter.default_handlers import YAMLHandler

    try:
        loaded = YAMLHandler().load(yaml_text)
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        line = mark.line + 2 if mark is not None else 1
        problem = getattr(error, "problem", None) or str(error).splitlines()[0]
        message = f"front matter is not valid YAML: {problem}"
        diagnostics.append(Diagnostic.of("CV101", message, line))
        return {}
    except ValueError as error:  # a YAML timestamp such as 2016-13-45
        diagnostics.append(Diagnostic.of("CV101", f"front matter is not valid YAML: {error}", 2))
        return {}
    if loaded is None:
        return {}
    if not isinstance(loaded, dict):
        kind = "a list" if isinstance(loaded, list) else f"a {type(loaded).__name__}"
        diagnostics.append(Diagnostic.of("CV103", f"front matter is {kind}, not a mapping", 2))
        return {}
    result: dict[str, Any] = _jsonable(loaded)
    return result


def _markdown_tokens(body: str) -> list[dict[str, Any]]:
    """mistune's block tokens, each top-level one carrying its offset in `body` as `_start`."""
    import mistune
    from mistune.core import BlockState

    class PositionedState(BlockState):
        def append_token(self, token: dict[str, Any]) -> None:
            if self.parent is None:
                token.setdefault("_start", self.cursor)
            super().append_token(token)

        def add_paragraph(self, text: str) -> None:
            last = self.last_token()
            if self.parent is None and not (last and last["type"] == "paragraph"):
                self.tokens.append({"type": "paragraph", "text": text, "_start": self.cursor})
                return
            super().add_paragraph(text)

    markdown = mistune.create_markdown(renderer=None, plugins=["strikethrough", "table"])
    markdown.block.state_cls = PositionedState
    tokens, _state = markdown.parse(body)
    assert isinstance(tokens, list)
    return tokens


def _line_tokens(body: str) -> list[dict[str, Any]]:
    """A plain line reading of a post that defeats the Markdown parser: nothing is lost."""
    tokens: list[dict[str, Any]] = []
    offset = 0
    for line in body.splitlines(keepends=True):
        match = _ATX_LINE.match(line.rstrip("\n"))
        if match:
            text = match.group(2) or ""
            children = [{"type": "text", "raw": text}]
            tokens.append(
                {
                    "type": "heading",
                    "attrs": {"level": len(match.group(1))},
                    "children": children,
                    "_start": offset,
                }
            )
        elif line.strip():
            tokens.append(
                {
                    "type": "paragraph",
                    "children": [{"type": "text", "raw": line.strip()}],
                    "_start": offset,
                }
            )
        offset += len(line)
    return tokens


def inline_text(children: Iterable[dict[str, Any]]) -> str:
    """Flatten inline tokens to plain text, keeping link and image text."""
    parts: list[str] = []
    stack: list[Iterator[dict[str, Any]]] = [iter(children)]
    while stack:
        token = next(stack[-1], None)
        if token is None:
            stack.pop()
            continue
        kind = token.get("type")
        if kind in {"softbreak", "linebreak"}:
            parts.append(" ")
        elif kind == "inline_html":
            if token.get("raw", "").lower().startswith("<br"):
                parts.append(" ")
        elif "children" in token:
            stack.append(iter(token["children"]))
        else:
            parts.append(token.get("raw", ""))
    return " ".join("".join(parts).split())


def _entries(tokens: Iterable[dict[str, Any]], depth: int = 0) -> Iterator[Entry]:
    """Paragraphs and list items, in order, from a run of block tokens."""
    pending: list[tuple[Iterator[dict[str, Any]], int]] = [(iter(tokens), depth)]
    while pending:
        iterator, level = pending[-1]
        token = next(iterator, None)
        if token is None:
            pending.pop()
            continue
        kind = token.get("type")
        if kind in {"paragraph", "block_text", "heading"}:
            text = inline_text(token.get("children", ()))
            if text:
                yield Entry("paragraph", text, level)
        elif kind == "list":
            items = [child for child in token.get("children", ()) if child["type"] == "list_item"]
            pending.append((iter(items), level))
        elif kind == "list_item":
            children = token.get("children", [])
            own = [child for child in children if child.get("type") != "list"]
            text = " ".join(
                inline_text(child.get("children", ()))
                if "children" in child
                else child.get("raw", "").strip()
                for child in own
            ).strip()
            if text:
                yield Entry("item", text, level)
            nested = [child for child in children if child.get("type") == "list"]
            if nested:
                pending.append((iter(nested), level + 1))
        elif kind == "block_quote":
            pending.append((iter(token.get("children", ())), level))
        elif kind == "block_code":
            code = token.get("raw", "").strip("\n")
            if code.strip():
                yield Entry("paragraph", code, level)
        elif kind == "block_html":
            text = " ".join(_HTML_TAG.sub(" ", _HTML_COMMENT.sub("", token.get("raw", ""))).split())
            if text:
                yield Entry("paragraph", text, level)
        elif kind == "table":
            for row in _table_rows(token):
                if row:
                    yield Entry("item", " | ".join(row), level)


def _table_rows(token: dict[str, Any]) -> Iterator[list[str]]:
    for part in token.get("children", ()):
        rows = [part] if part.get("type") == "table_head" else part.get("children", ())
        for row in rows:
            cells = [inline_text(cell.get("children", ())) for cell in row.get("children", ())]
            yield [cell for cell in cells if cell]


class _LineIndex:
    def __init__(self, text: str, first_line: int) -> None:
        self._newlines = [index for index, char in enumerate(text) if char == "\n"]
        self._first_line = first_line

    def line_of(self, offset: int) -> int:
        return bisect.bisect_left(self._newlines, offset) + 1 + self._first_line


def parse_canvas(text: str, source: str) -> Canvas:
    """Read one post; every problem becomes a diagnostic on the canvas, never an exception."""
    with _cycle_collector_paused():
        return _parse(text, source)


@contextmanager
def _cycle_collector_paused() -> Iterator[None]:
    """Pause Python's cycle collector for one parse, which frees nothing until it ends.

    Otherwise the collector rescans the growing token tree of a big post again and again,
    and parse time grows faster than the post (2.4x per doubling of a post of tables).
    """
    if not gc.isenabled():
        yield
        return
    gc.disable()
    try:
        yield
    finally:
        gc.enable()


def _parse(text: str, source: str) -> Canvas:
    diagnostics: list[Diagnostic] = []
    if text.startswith("\ufeff"):
        diagnostics.append(Diagnostic.of("CV104", "file starts with a UTF-8 byte-order mark"))
        text = text[1:]
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    metadata, body, body_line = _split_front_matter(text, diagnostics)
    if not body.strip():
        reason = "post has front matter but no text" if text.strip() else "post is empty"
        diagnostics.append(Diagnostic.of("CV107", reason))
    lines = _LineIndex(body, body_line)

    try:
        tokens = _markdown_tokens(body)
    except RecursionError:
        diagnostics.append(
            Diagnostic.of(
                "CV106", "Markdown is nested too deeply to parse; read line by line instead"
            )
        )
        tokens = _line_tokens(body)

    headings: list[tuple[int, _Heading]] = []
    for index, token in enumerate(tokens):
        if token.get("type") == "heading":
            heading_text = inline_text(token.get("children", ()))
            fuzzy = len(headings) < FUZZY_HEADINGS
            headings.append(
                (
                    index,
                    _Heading(
                        heading_text,
                        token["attrs"]["level"],
                        token.get("_start", 0),
                        match_block(heading_text, fuzzy=fuzzy),
                    ),
                )
            )

    title: _Heading | None = None
    if headings and headings[0][1].block is None:
        title = headings[0][1]
    name = _company_name(title, metadata, source)
    if title is None:
        diagnostics.append(Diagnostic.of("CV205", "no title heading names the company"))

    drafts = _sections(tokens, headings, title)
    sections = tuple(
        Section(
            heading=draft.heading.text,
            block=draft.heading.block,
            level=draft.heading.level,
            line=lines.line_of(draft.heading.offset),
            entries=tuple(draft.entries),
            markdown=body[draft.heading.offset : end].strip("\n") + "\n",
        )
        for draft, end in zip(drafts, _ends(drafts, len(body)), strict=True)
    )
    diagnostics.extend(_section_diagnostics(sections, lines.line_of(0)))
    return Canvas(
        slug=slug_from_path(source),
        name=name,
        source=source,
        metadata=metadata,
        sections=sections,
        diagnostics=tuple(diagnostics),
    )


def _company_name(title: _Heading | None, metadata: dict[str, Any], source: str) -> str:
    if title is not None:
        named = name_from_title(title.text)
        if named:
            return named
    front_title = metadata.get("title")
    if isinstance(front_title, str | int | float) and str(front_title).strip():
        return name_from_title(str(front_title)) or str(front_title).strip()
    return slug_from_path(source)


def _sections(
    tokens: list[dict[str, Any]], headings: list[tuple[int, _Heading]], title: _Heading | None
) -> list[_Draft]:
    """Group the tokens under the headings that start sections."""
    starts = {index: heading for index, heading in headings}
    drafts: list[_Draft] = []
    current: _Draft | None = None
    preamble: list[dict[str, Any]] = []
    for index, token in enumerate(tokens):
        heading = starts.get(index)
        if heading is not None and heading is not title:
            belongs_to_block = (
                heading.block is None
                and current is not None
                and current.heading.block is not None
                and heading.level > current.heading.level
            )
            if not belongs_to_block:
                current = _Draft(heading)
                drafts.append(current)
                continue
        if title is not None and heading is title:
            continue
        if current is None:
            preamble.append(token)
        else:
            current.entries.extend(_entries([token]))
    introduction = list(_entries(preamble))
    if introduction:
        level = title.level if title else 1
        drafts.insert(0, _Draft(_Heading("", level, 0, None), introduction))
    return drafts


def _ends(drafts: list[_Draft], body_length: int) -> list[int]:
    starts = [draft.heading.offset for draft in drafts]
    return [*starts[1:], body_length][: len(drafts)]


def _section_diagnostics(sections: tuple[Section, ...], first_line: int) -> Iterator[Diagnostic]:
    seen: dict[Block, Section] = {}
    unmapped: list[Section] = []
    for section in sections:
        if section.block is None:
            if not section.heading:
                continue
            unmapped.append(section)
            if len(unmapped) > HINTED_HEADINGS:
                continue
            nearest = suggest_block(section.heading)
            hint = f"; did you mean '{nearest.title}'?" if nearest else ""
            yield Diagnostic.of(
                "CV203", f"heading '{section.heading}' maps to no canvas block{hint}", section.line
            )
            continue
        if section.block in seen:
            yield Diagnostic.of(
                "CV202",
                f"block '{section.block.title}' appears again (first on line "
                f"{seen[section.block].line})",
                section.line,
            )
        else:
            seen[section.block] = section
        if section.is_empty:
            yield Diagnostic.of("CV204", f"block '{section.block.title}' is empty", section.line)
    if len(unmapped) > HINTED_HEADINGS:
        rest = unmapped[HINTED_HEADINGS:]
        message = f"{len(rest):,} more headings map to no canvas block"
        yield Diagnostic.of("CV203", message, rest[0].line)
    for block in Block:
        if block not in seen:
            yield Diagnostic.of("CV201", f"block '{block.title}' is missing", first_line)
