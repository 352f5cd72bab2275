"""What `canvas check` finds in a post, worked out as it is parsed and kept in the index."""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Iterator
from typing import TYPE_CHECKING

from canvascli.model import Canvas, Diagnostic, block_title
from canvascli.store.files import Post, decode_post

if TYPE_CHECKING:
    from canvascli.read.labels import Synonyms

_PUBLISHED_KEY = re.compile(r"""^["']?published["']?\s*:""")

# One diagnostic as the index keeps it: code, line, column, message (the severity is the code's).
StoredDiagnostic = tuple[str, int, int, str]


def post_diagnostics(post: Post, synonyms: Synonyms = ()) -> tuple[Diagnostic, ...]:
    """Every problem `canvas check` reports of a post that could be read, in canvas order.

    A label that is one of the library's own `synonyms` is a known name, not a guess.
    """
    canvas = post.canvas
    diagnostics: list[Diagnostic] = []
    for each in post.canvases:
        found = [*each.diagnostics, *_guessed_labels(each, synonyms)]
        diagnostics.extend(_naming_canvas(found, each) if len(post.canvases) > 1 else found)
    if canvas.metadata.get("published", True) is False:
        text, _decoding = decode_post(post.data)
        line = _front_matter_line(text, _PUBLISHED_KEY)
        message = "post is unpublished (published: false); the site will not show it"
        diagnostics.append(Diagnostic.of("CV302", message, line))
    return tuple(diagnostics)


def _naming_canvas(diagnostics: Iterable[Diagnostic], canvas: Canvas) -> Iterator[Diagnostic]:
    """In a post of several canvases, what is said of a canvas's blocks names the canvas."""
    for diagnostic in diagnostics:
        if diagnostic.code.startswith("CV2"):
            message = f"canvas '{canvas.slug}': {diagnostic.message}"
            diagnostic = diagnostic._replace(message=message)
        yield diagnostic


def _guessed_labels(canvas: Canvas, synonyms: Synonyms) -> list[Diagnostic]:
    """A CV206 note on each block whose label is not a name the parser knows as written."""
    from canvascli.read.labels import is_known_name, reading_with

    kind = canvas.kind
    found: list[Diagnostic] = []
    with reading_with(synonyms):
        for section in canvas.sections:
            if section.block is not None and not is_known_name(section.heading):
                title = block_title(section.block, kind)
                message = f"label '{section.heading}' read as block '{title}'"
                found.append(Diagnostic.of("CV206", message, section.line))
    return found


def _front_matter_line(text: str, pattern: re.Pattern[str]) -> int:
    """The line of the front matter key matching `pattern`, else 1."""
    lines = text.lstrip("\ufeff").splitlines()
    if not lines or lines[0].rstrip() != "---":
        return 1
    for number, line in enumerate(lines[1:], 2):
        if line.rstrip() in {"---", "..."}:
            break
        if pattern.match(line):
            return number
    return 1


def diagnostics_text(diagnostics: Iterable[Diagnostic]) -> str:
    """Diagnostics as the index keeps them: a compact JSON array of `StoredDiagnostic`."""
    rows = [(item.code, item.line, item.column, item.message) for item in diagnostics]
    return json.dumps(rows, ensure_ascii=False, separators=(",", ":"))


def stored_diagnostics(texts: list[str]) -> list[list[StoredDiagnostic]]:
    """The diagnostics of many posts from their stored texts, decoded in one go."""
    if not texts:
        return []
    decoded: list[list[StoredDiagnostic]] = json.loads(f"[{','.join(texts)}]")
    return decoded
