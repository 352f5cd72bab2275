"""What the site's scripts read: each canvas's text and terms, and the search index.

The scripts match nothing by rules of their own: the terms of every block, with the
shorter names inside them, come from `analyse.common_ground`, and words are parted by
`canvascli.words` exactly as the script parts a query (see `search_tokens`).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Sequence
from typing import Any

from canvascli.analyse.common_ground import own_names, sub_keys, terms_of
from canvascli.analyse.search import search_sections
from canvascli.model import LEAN_LAYOUT, SHARED_BLOCKS, Block, Canvas, LeanBlock, block_title
from canvascli.read.labels import without_accents
from canvascli.words import PIECE_BREAK, PIECE_PATTERN, broken_into_pieces, compiled

# Search index shards, by the first character of a word: a query loads only its own.
SHARDS = 16

_WORD = re.compile(r"[^\W_]+")
# What SQLite's `unicode61` tokenizer keeps in a word besides letters and digits: marks and
# private-use characters (categories M* and Co), which Python's `\w` leaves out.
_ALSO_IN_WORDS = frozenset({"Mn", "Mc", "Me", "Co"})


def _words(text: str) -> list[str]:
    """Runs of letters, digits, marks and private-use characters, as the script's
    `[\\p{L}\\p{N}\\p{M}\\p{Co}]+` finds them."""
    joining = "".join(
        sorted(
            character
            for character in set(text)
            if not character.isascii()
            and not character.isalnum()
            and unicodedata.category(character) in _ALSO_IN_WORDS
        )
    )
    if not joining:
        return _WORD.findall(text)
    return compiled(f"(?:[^\\W_]|[{re.escape(joining)}])+").findall(text)


def search_tokens(text: str) -> list[str]:
    """The words of `text` as the site's search parts them: each piece of Chinese,
    Japanese, Korean or Thai a word, lower case, Latin accents dropped."""
    return _words(without_accents(broken_into_pieces(text).lower()))


def shard_of(token: str) -> int:
    return ord(token[0]) % SHARDS


def _utf16(text: str, index: int) -> int:
    """A position in `text` as JavaScript counts it, in UTF-16 code units."""
    return index + sum(1 for character in text[:index] if ord(character) > 0xFFFF)


def canvas_data(canvas: Canvas, page: str) -> dict[str, Any]:
    """One canvas for the compare and search pages: each block's entries and terms, and
    the text search reads."""
    own = own_names(canvas)
    blocks: dict[str, Any] = {}
    for block, section in canvas.all_blocks.items():
        terms = []
        for term in terms_of(section, own):
            text = section.entries[term.entry].text
            terms.append(
                [
                    term.key,
                    term.entry,
                    _utf16(text, term.start),
                    _utf16(text, term.end),
                    term.text,
                    term.kind,
                    list(sub_keys(term.key)),
                ]
            )
        blocks[block.key] = {
            "heading": section.heading,
            "entries": [[entry.kind, entry.text, entry.depth] for entry in section.entries],
            "terms": terms,
        }
    sections = [
        [found.block, found.heading, found.body.replace(PIECE_BREAK, "")]
        for found in search_sections(canvas)
    ]
    return {
        "slug": canvas.slug,
        "name": canvas.name,
        "kind": canvas.kind,
        "page": page,
        "blocks": blocks,
        "sections": sections,
    }


def canvas_tokens(canvas: Canvas) -> set[str]:
    """Every word of the text `canvas search` searches in the canvas."""
    found: set[str] = set()
    for section in search_sections(canvas):
        found.update(search_tokens(section.body))
    return found


def library_data(companies: Sequence[tuple[str, str, str, str, str]]) -> dict[str, Any]:
    """The list every script starts from: the companies (slug, name, kind, page, data
    file), the blocks and their titles, and how words are parted."""
    return {
        "piece": PIECE_PATTERN,
        "shards": SHARDS,
        "blocks": [
            {"key": block.key, "title": block.title, "lean": block_title(block, "lean")}
            for block in (*Block, *LeanBlock)
        ],
        "business": [block.key for block in Block],
        "lean": [block.key for block in LEAN_LAYOUT],
        "shared": [block.key for block in SHARED_BLOCKS],
        "companies": [list(company) for company in companies],
    }


def search_shards(tokens_by_company: Iterable[set[str]]) -> list[dict[str, list[int]]]:
    """Word -> the numbers of the companies that write it, split into `SHARDS` parts."""
    shards: list[dict[str, list[int]]] = [{} for _ in range(SHARDS)]
    for number, tokens in enumerate(tokens_by_company):
        for token in tokens:
            shards[shard_of(token)].setdefault(token, []).append(number)
    return [dict(sorted(shard.items())) for shard in shards]
