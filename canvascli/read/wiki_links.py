"""Read a wiki's links (Obsidian, Foam, Logseq) as the text the wiki shows for them."""

from __future__ import annotations

import re
from typing import Any

from canvascli.read.patterns import deferred

# `![[diagram.png]]`: an embedded note or picture shows no text of the post's own.
# `[[Page]]`, `[[Page|shown text]]`, `[[Page#Heading]]`; in a table the bar is escaped
# (`[[Page\|shown text]]`) so that it parts no cells.
_WIKI_LINK = deferred(r"(!?)\[\[([^\[\]|\n]*?)(?:\\?\|([^\[\]\n]*))?\]\]")


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
