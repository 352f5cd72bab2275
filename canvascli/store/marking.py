"""Where a full-text query matches inside given texts, found by SQLite's own tokenizer."""

from __future__ import annotations

import contextlib
import sqlite3
from collections.abc import Sequence

from canvascli.store.index import (
    LONG_SECTION,
    MATCH_END,
    MATCH_START,
    create_search_tables,
    snippet_parts,
)


def marked_matches(texts: Sequence[str], match: str) -> dict[int, str]:
    """Each text that `match` (an FTS5 query) matches, by its position in `texts`, with
    every matching word between `MATCH_START` and `MATCH_END`: the words the index would
    match there, stemmed and broken into pieces the same way.

    A long text is marked part by part (see `LONG_SECTION`): FTS5's highlight() takes time
    that grows with the square of the length of what it marks."""
    rows: list[tuple[int, str]] = []
    owners: list[int] = []
    for number, text in enumerate(texts):
        for part in snippet_parts(text) if len(text) > LONG_SECTION else (text,):
            rows.append((len(rows) + 1, part))
            owners.append(number)
    with contextlib.closing(sqlite3.connect(":memory:", isolation_level=None)) as connection:
        create_search_tables(connection)
        connection.execute("BEGIN")
        connection.executemany("INSERT INTO search_text (rowid, body) VALUES (?, ?)", rows)
        connection.execute("COMMIT")
        try:
            found = connection.execute(
                "SELECT rowid, highlight(search_text, 0, ?, ?) FROM search_text "
                "WHERE search_text MATCH ?",
                (MATCH_START, MATCH_END, match),
            ).fetchall()
        except sqlite3.Error:
            return {}
    marked_parts = {int(rowid) - 1: str(marked) for rowid, marked in found}
    pieces: dict[int, list[str]] = {}
    for position, (_rowid, part) in enumerate(rows):
        pieces.setdefault(owners[position], []).append(marked_parts.get(position, part))
    return {
        owners[position]: "".join(pieces[owners[position]]) for position in sorted(marked_parts)
    }
