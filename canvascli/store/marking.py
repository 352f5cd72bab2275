"""Where a full-text query matches inside given texts, found by SQLite's own tokenizer."""

from __future__ import annotations

import contextlib
import sqlite3
from collections.abc import Sequence

from canvascli.store.index import MATCH_END, MATCH_START, create_search_tables


def marked_matches(texts: Sequence[str], match: str) -> dict[int, str]:
    """Each text that `match` (an FTS5 query) matches, by its position in `texts`, with
    every matching word between `MATCH_START` and `MATCH_END`: the words the index would
    match there, stemmed and broken into pieces the same way."""
    with contextlib.closing(sqlite3.connect(":memory:", isolation_level=None)) as connection:
        create_search_tables(connection)
        connection.execute("BEGIN")
        connection.executemany(
            "INSERT INTO search_text (rowid, body) VALUES (?, ?)",
            [(number + 1, text) for number, text in enumerate(texts)],
        )
        connection.execute("COMMIT")
        try:
            rows = connection.execute(
                "SELECT rowid, highlight(search_text, 0, ?, ?) FROM search_text "
                "WHERE search_text MATCH ?",
                (MATCH_START, MATCH_END, match),
            ).fetchall()
        except sqlite3.Error:
            return {}
        return {int(rowid) - 1: str(marked) for rowid, marked in rows}
