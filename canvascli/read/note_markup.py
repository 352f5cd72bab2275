"""Read a notes app's own inline markup as the app shows it: a wiki's links (Obsidian, Foam,
Logseq) as their text, highlights (`==text==`) as the text highlighted."""

from __future__ import annotations

import re
from typing import Any

from canvascli.read.patterns import deferred

# `![[diagram.png]]`: an embedded note or picture shows no text of the post's own.
# `[[Page]]`, `[[Page|shown text]]`, `[[Page#Heading]]`; in a table the bar is escaped
# (`[[Page\|shown text]]`) so that it parts no cells.
_WIKI_LINK = deferred(r"(!?)\[\[([^\[\]|\n]*?)(?:\\?\|([^\[\]\n]*))?\]\]")
# `==text==`, as Obsidian, Typora and markdown-it mark text: no space or `=` just inside the
# marks, so `a == b` and a row of `=` stay as written.
_HIGHLIGHT = deferred(r"(?<![=\\])==([^\s=](?:[^=\n]*?[^\s=])?)==(?!=)")


def as_notes_show(tokens: list[dict[str, Any]], body: str) -> None:
    """Write the wiki links and highlights in the text of `tokens`, read from `body`, as a
    notes app shows them, in place; a body holding neither is not looked through.

    Each pair of marks is looked for after its single mark: `in` finds one character a
    hundred times faster than two, and most posts hold neither `[` nor `=`.
    """
    if "[" in body and "[[" in body:
        wiki_links_as_text(tokens)
    if "=" in body and "==" in body:
        _highlights_as_text(tokens)


def _highlights_as_text(tokens: list[dict[str, Any]]) -> None:
    pending = [tokens]
    while pending:
        for token in pending.pop():
            if token.get("type") == "text" and "==" in token.get("raw", ""):
                token["raw"] = _HIGHLIGHT.sub(r"\1", token["raw"])
            inner = token.get("children")
            if isinstance(inner, list):
                pending.append(inner)


def wiki_links_as_text(tokens: list[dict[str, Any]]) -> None:
    """Write each wiki link in the text of `tokens` as the text the wiki shows for it, in
    place: its own text after the bar, else the page's name (`Page > Heading` for a link
    to a heading); an embed (`![[…]]`) is left out, as a picture is."""
    pending = [tokens]
    while pending:
        children = pending.pop()
        if any(token.get("type") == "text" and "[[" in token.get("raw", "") for token in children):
            children[:] = _joined_text(children)
        for token in children:
            if token.get("type") == "text" and "[[" in token.get("raw", ""):
                token["raw"] = _WIKI_LINK.sub(_shown, token["raw"])
            inner = token.get("children")
            if isinstance(inner, list):
                pending.append(inner)


def _joined_text(children: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """`children` with each run of text tokens made one: a table reads the bar of
    `[[Page\\|text]]` as a token of its own."""
    joined: list[dict[str, Any]] = []
    for token in children:
        if token.get("type") == "text" and joined and joined[-1].get("type") == "text":
            joined[-1] = {**joined[-1], "raw": joined[-1].get("raw", "") + token.get("raw", "")}
        else:
            joined.append(token)
    return joined


def _shown(match: re.Match[str]) -> str:
    if match.group(1):
        return ""
    if match.group(3) is not None and match.group(3).strip():
        return match.group(3).strip()
    page, _, heading = match.group(2).partition("#")
    page, heading = page.strip(), heading.strip().replace("#", " > ")
    return f"{page} > {heading}" if page and heading else page or heading
