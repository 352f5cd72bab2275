"""Turn canvases into JSON, CSV or seed-format Markdown."""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterator, Sequence
from pathlib import Path

from canvascli.model import Canvas, Entry, Section, block_title
from canvascli.render.safe_text import dumps_json

FORMATS = ("json", "csv", "markdown")
SUFFIX_FORMATS = {".json": "json", ".csv": "csv", ".md": "markdown", ".markdown": "markdown"}
CSV_HEADER = ("company", "slug", "block", "kind", "position", "text")
# Excel reads a CSV file as UTF-8 only when it starts with a byte-order mark.
CSV_BOM = "\ufeff"

BLOCK_LEVEL = 3

# What CommonMark (and mistune's strikethrough) could read as markup anywhere in a line.
_INLINE_SPECIAL = re.compile(r"([\\`*_\[\]<~])")
_ENTITY = re.compile(r"&(?=#[0-9]{1,7};|#[xX][0-9a-fA-F]{1,6};|[A-Za-z][A-Za-z0-9]{1,31};)")
# What could open a block (heading, quote, list, thematic break) at the start of a line.
_LINE_START_SPECIAL = re.compile(r"^(?:([#>+\-=])|(\d{1,9})([.)]))")
# Where a line's label would end: a colon, else a spaced dash (`Channels: web`, `Channels - web`).
_LABEL_ENDS = re.compile(r"[:：]| [-–—] ")
# An inline tag Markdown drops from the text: a line opened by it is never read as a label.
_QUOTE_OPEN, _QUOTE_CLOSE = "<span>", "</span>"
# A code block naming this many blocks may be read as a drawing of the canvas (a copy of it).
_DRAWING_NAMES = 3


def format_for(path: str | None) -> str | None:
    """The format a file name asks for by its extension, if any."""
    if path is None or path == "-":
        return None
    return SUFFIX_FORMATS.get(Path(path).suffix.lower())


def to_json(canvases: Sequence[Canvas]) -> str:
    """An array of canvases in the documented JSON shape, one per company."""
    return dumps_json([canvas.to_dict() for canvas in canvases]) + "\n"


def csv_rows(canvases: Sequence[Canvas]) -> Iterator[tuple[str, str, str, str, int, str]]:
    """One row per company, block and entry: every block of either kind in its canvas's
    reading order, entries from 1."""
    for canvas in canvases:
        for block, section in canvas.all_blocks.items():
            for position, entry in enumerate(section.entries, 1):
                yield (canvas.name, canvas.slug, block.key, entry.kind, position, entry.text)


def to_csv(canvases: Sequence[Canvas], *, bom: bool = False, line_end: str = "\r\n") -> str:
    """RFC 4180 CSV with a header row, text quoted so commas, quotes and newlines survive.

    `bom` starts it with a byte-order mark, which spreadsheets need to read it as UTF-8
    and other CSV readers take for part of the first column's name.
    """
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator=line_end)
    writer.writerow(CSV_HEADER)
    writer.writerows(csv_rows(canvases))
    return (CSV_BOM if bom else "") + buffer.getvalue()


# The start of a line an outliner writes a property on (`collapsed:: true`), up to its first
# colon.
_PROPERTY_LINE_START = re.compile(r"^([\w-]+):(?=:(?:\s|$))")


def escape_markdown(text: str) -> str:
    """Text that Markdown reads back as exactly this text, with no markup in it."""
    escaped = _INLINE_SPECIAL.sub(r"\\\1", text)
    escaped = _ENTITY.sub(r"\\&", escaped)
    escaped = _LINE_START_SPECIAL.sub(_escape_line_start, escaped, count=1)
    # Not an outliner's property line (`note:: text`), which the reader leaves out.
    return _PROPERTY_LINE_START.sub(r"\1\\:", escaped, count=1)


def _escape_line_start(match: re.Match[str]) -> str:
    if match.group(1):
        return "\\" + match.group(1)
    return f"{match.group(2)}\\{match.group(3)}"


def markdown_heading(level: int, text: str) -> str:
    """A heading of `level` whose text Markdown reads back as `text`."""
    # A heading's closing run of '#' is not part of its text, so a real one is escaped.
    # Stripped, not searched for: a search for the closing run tried the rest of every run
    # of '#' from each of its marks, and a title of 40,000 took five seconds.
    body = text.rstrip("#")
    escaped = (escape_markdown(body) if body else "") + "\\#" * (len(text) - len(body))
    return f"{'#' * level} {escaped}".rstrip()


def _is_plain_line(text: str) -> bool:
    """True when Markdown keeps the text as it is: one line, no runs of spaces."""
    return text == " ".join(text.split())


def _fenced(text: str) -> str:
    from canvascli.read.canvas import blocks_drawn_in

    longest = max((len(run) for run in re.findall(r"`+", text)), default=0)
    fence = "`" * max(3, longest + 1)
    fenced = f"{fence}\n{text}\n{fence}"
    if len(blocks_drawn_in(text)) >= _DRAWING_NAMES:
        # Quoted, a code block naming several blocks is text of its section, not a drawing.
        return "\n".join(f"> {line}" if line else ">" for line in fenced.split("\n"))
    return fenced


def _may_read_as_label(text: str) -> bool:
    """Whether a line could be read as a block's label: it names a block alone or before
    a colon or a spaced dash."""
    from canvascli.read.labels import is_label_sized, read_label

    heads = [text, *(text[: found.start()] for found in _LABEL_ENDS.finditer(text))]
    return any(is_label_sized(head.strip()) and read_label(head.strip()) for head in heads)


def _line(text: str, *, quote: bool) -> str:
    escaped = escape_markdown(text)
    if quote and _may_read_as_label(text):
        return f"{_QUOTE_OPEN}{escaped}{_QUOTE_CLOSE}"
    return escaped


def _entry_lines(entries: Sequence[Entry], *, quote: bool) -> Iterator[str]:
    """Paragraphs separated by blank lines, list items as `* item` indented by depth.

    With `quote`, a line that could be read as a block's label is wrapped in a tag
    Markdown drops, so that it reads back as text, not as a block.
    """
    previous: Entry | None = None
    for entry in entries:
        if entry.kind == "item":
            if previous is not None and previous.kind != "item":
                yield ""
            yield f"{'  ' * entry.depth}* {_line(' '.join(entry.text.split()), quote=quote)}"
        else:
            if previous is not None:
                yield ""
            text = entry.text
            yield _line(text, quote=quote) if _is_plain_line(text) else _fenced(text)
        previous = entry


def _section_lines(section: Section, heading: str | None) -> Iterator[str]:
    from canvascli.read.canvas import label_again

    if heading is not None:
        yield markdown_heading(BLOCK_LEVEL, heading)
        yield ""
    if section.entries:
        # Under a block's heading nothing is read as a label; elsewhere a line may be.
        lines = list(_entry_lines(section.entries, quote=section.block is None))
        first = section.entries[0]
        plain = first.kind == "item" or _is_plain_line(first.text)
        if section.block is not None and plain and label_again(first.text, section.block):
            # The block's name again before a colon is left out of the first line the
            # reader meets under the heading, unless an inline tag opens the line.
            marker = "* " if first.kind == "item" else ""
            lines[0] = f"{marker}{_QUOTE_OPEN}{lines[0][len(marker) :]}{_QUOTE_CLOSE}"
        yield from lines
        yield ""


def _title_heading(name: str) -> str | None:
    """`# Business Model of NAME`, unless the parser would read another name from it."""
    from canvascli.read.labels import match_block
    from canvascli.read.names import name_from_title

    title = f"Business Model of {name}"
    if name != " ".join(name.split()) or match_block(title) or name_from_title(title) != name:
        return None
    return markdown_heading(1, title)


def _name_heading(name: str) -> str | None:
    """`# NAME`, for a name the reader would trim from a `title` alone (`-rf`, `#tag: x`):
    a title heading that says the same as the `title` gives the name as written. None when
    the `title` alone gives it back, or even both would not."""
    import json

    from canvascli.read.names import name_from_title
    from canvascli.store.files import UnreadablePostError, read_canvases_of

    if name_from_title(name) == name:
        return None
    heading = markdown_heading(1, name)
    post = f"---\ntitle: {json.dumps(name, ensure_ascii=False)}\n---\n\n{heading}\n"
    try:
        return heading if read_canvases_of(post, "post.md")[0].name == name else None
    except UnreadablePostError:
        return None  # a name the reader fails on keeps to the `title`


def _front_matter(canvas: Canvas, *, names_company: bool) -> str:
    import yaml

    metadata = dict(canvas.metadata)
    if names_company:
        metadata["title"] = canvas.name
    else:
        metadata.setdefault("title", canvas.name)
    dumped = yaml.safe_dump(metadata, sort_keys=False, allow_unicode=True, width=100)
    return f"---\n{dumped}---\n"


def to_markdown(canvas: Canvas) -> str:
    """A post in the seeds' format that `read_canvas` reads back as the same canvas.

    Front matter (the post's own, plus `title` when it had none), a title heading
    `# Business Model of NAME` (or, for a name no such heading gives back, the name as the
    front matter `title`, and as the title heading too when only both give it back), any
    introduction, then one `### Block Title` section per block present, of either kind, in
    the reading order of the canvas's kind (a Lean Canvas's Value Propositions titled Unique
    Value Proposition), and the extra sections in document order, all at one level so that
    none is read as part of another. Paragraphs are plain lines (fenced when their spacing
    matters), list items `* item` indented two spaces a level.

    "The same canvas" means the same name and slug (for the same file name), the same
    blocks with the same entries (kind, text, depth) and the same extra sections
    (heading, entries). Block headings come out canonical; a repeated block's second
    section is not written, as `Canvas.all_blocks` holds the first.
    """
    title = _title_heading(canvas.name)
    lines = [_front_matter(canvas, names_company=title is None)]
    if title is None:
        title = _name_heading(canvas.name)
    if title is not None:
        lines.extend([title, ""])
    extras = list(canvas.extras)
    if extras and not extras[0].heading and canvas.sections and canvas.sections[0] is extras[0]:
        lines.extend(_section_lines(extras.pop(0), None))
    kind = canvas.kind
    for block, section in canvas.all_blocks.items():
        lines.extend(_section_lines(section, block_title(block, kind)))
    for section in extras:
        if section.heading and _names_a_block(section.heading):
            # A block its writer struck out: struck out again, so that it reads back as
            # the extra section it is rather than as the block.
            lines.extend([_struck_heading(section.heading), ""])
            lines.extend(_section_lines(section, None))
        else:
            lines.extend(_section_lines(section, section.heading))
    return "\n".join(lines).rstrip("\n") + "\n"


def _names_a_block(heading: str) -> bool:
    from canvascli.read.labels import read_label

    return read_label(heading) is not None


def _struck_heading(text: str) -> str:
    """A heading whose text, struck through, Markdown reads back as `text`."""
    marks = "#" * BLOCK_LEVEL + " "
    return f"{marks}~~{markdown_heading(BLOCK_LEVEL, text).removeprefix(marks)}~~"


def markdown_file_name(canvas: Canvas) -> str:
    """The file a canvas is exported to in a folder: its post's own name, date and all.

    A later canvas of a post that holds several goes to a file named after its own slug,
    which reads back as the same slug.
    """
    from canvascli.read.canvas import slug_from_path

    if canvas.slug != slug_from_path(canvas.source):
        return f"{canvas.slug}.md"
    return Path(canvas.source).name
