"""The on-disk index: one SQLite file per library, holding every post already parsed."""

from __future__ import annotations

import contextlib
import json
import marshal
import os
import sqlite3
import sys
import time
from collections.abc import Callable, Iterable, Iterator, Mapping
from functools import lru_cache
from pathlib import Path
from typing import Any, Literal, NamedTuple
from urllib.parse import quote_from_bytes

from canvascli.env import CACHE_DIR_ENV
from canvascli.model import ALL_BLOCKS, AnyBlock, Summary, kind_of, layout_of

SCHEMA_VERSION = 13
# A file changed this soon before it was indexed may change again with the same
# size and mtime (coarse timestamps, or two edits in one tick), so its content
# hash is kept and checked, as git does for "racily clean" entries.
RACY_WINDOW_NS = 2_000_000_000

# Summaries sit in narrow rows, and the full records in their own table, so that
# reading every summary does not page through every record. The few posts that hold
# several canvases keep the summaries of all but the first in `more_canvases`, as a JSON
# list of `SummaryRow`s, so that the row of every other post stays as it is.
_SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS posts (
    path TEXT PRIMARY KEY,
    size INTEGER NOT NULL,
    mtime_ns INTEGER NOT NULL,
    content_hash TEXT,
    slug TEXT NOT NULL,
    name TEXT NOT NULL,
    published INTEGER NOT NULL,
    has_errors INTEGER NOT NULL,
    words INTEGER NOT NULL,
    coverage INTEGER NOT NULL,
    details TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS records (path TEXT PRIMARY KEY, record TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS more_canvases (path TEXT PRIMARY KEY, summaries TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS snapshot (
    id INTEGER PRIMARY KEY CHECK (id = 0),
    format TEXT NOT NULL,
    rows BLOB NOT NULL
);
CREATE TABLE IF NOT EXISTS snapshot_changes (path TEXT PRIMARY KEY, row BLOB);
CREATE TABLE IF NOT EXISTS listing (
    id INTEGER PRIMARY KEY CHECK (id = 0),
    format TEXT NOT NULL,
    listing BLOB NOT NULL
);
CREATE TABLE IF NOT EXISTS post_terms (
    path TEXT PRIMARY KEY,
    size INTEGER NOT NULL,
    mtime_ns INTEGER NOT NULL,
    content_hash TEXT,
    version TEXT NOT NULL,
    terms TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS post_checks (
    path TEXT PRIMARY KEY,
    size INTEGER NOT NULL,
    mtime_ns INTEGER NOT NULL,
    content_hash TEXT,
    diagnostics TEXT NOT NULL
);
"""
_TABLES = (
    "posts",
    "records",
    "more_canvases",
    "meta",
    "snapshot",
    "snapshot_changes",
    "listing",
    "post_terms",
    "post_checks",
)
# The snapshot is every row of `posts` in one marshal blob, which Python reads three times
# faster than ten thousand rows through sqlite3. marshal's format may change between
# Python versions, so a snapshot from another version is not read.
_SNAPSHOT_FORMAT = f"marshal {marshal.version} python {sys.version_info[0]}.{sys.version_info[1]}"
# Up to this many changed rows are kept beside the snapshot (a removed post's as NULL)
# rather than rewriting it, so that editing one post does not cost a rewrite of them all.
_SNAPSHOT_CHANGES = 256
# `SummaryRow`, in this order.
_SUMMARY_COLUMNS = "slug, name, published, has_errors, words, coverage, details"
_ROW_COLUMNS = f"path, size, mtime_ns, content_hash, {_SUMMARY_COLUMNS}"
_ROW_LENGTH = len(_ROW_COLUMNS.split(","))
# An index is named after its library's folder while the name, with the "-wal" and "-shm"
# that SQLite adds, stays well inside the 255 bytes most file systems allow; longer names
# keep their end and gain a digest of the whole.
_NAME_LIMIT = 200
_DIGEST_LENGTH = 20
# Writes that may be left for a later run wait this long (ms) for another writer, not 30 s.
_BRIEF_WAIT_MS = 100
_BUSY_WAIT_MS = 30_000

# Full-text search lives in its own tables, filled only when `canvas search` first runs, so
# building the index for `canvas list` never pays for it. `search_posts` records which
# posts the FTS rows were made from, with the stamp the `posts` table had then.
FTS_MODULE = "fts5"
SEARCH_TABLES = ("search_text", "search_sections", "search_posts")
MATCH_START = "\ue000"
MATCH_END = "\ue001"
SNIPPET_ELLIPSIS = "…"
SNIPPET_TOKENS = 24


# Marks (Thai vowels and tones, Devanagari signs) are word characters, not breaks, so a
# word keeps its letters together; canvascli/words.py puts the breaks in the text.
def _search_schema() -> str:
    return f"""
CREATE TABLE IF NOT EXISTS search_posts (
    path TEXT PRIMARY KEY,
    size INTEGER NOT NULL,
    mtime_ns INTEGER NOT NULL,
    content_hash TEXT
);
CREATE TABLE IF NOT EXISTS search_sections (
    id INTEGER PRIMARY KEY,
    path TEXT NOT NULL,
    slug TEXT NOT NULL,
    block TEXT,
    heading TEXT NOT NULL,
    position INTEGER NOT NULL
);
CREATE INDEX IF NOT EXISTS search_sections_by_path ON search_sections (path);
CREATE VIRTUAL TABLE IF NOT EXISTS search_text USING {FTS_MODULE} (
    body, tokenize = "porter unicode61 categories 'L* N* Co M*'"
);
"""


class CacheUnavailableError(Exception):
    """The index cannot be used; the message says why, and `canvas` runs without it."""


def cache_dir(environ: Mapping[str, str] | None = None) -> Path:
    """`$CANVASCLI_CACHE_DIR`, else the per-user cache folder (honours `XDG_CACHE_HOME`)."""
    environ = os.environ if environ is None else environ
    if environ.get(CACHE_DIR_ENV):
        return Path(environ[CACHE_DIR_ENV])
    from platformdirs import user_cache_dir

    return Path(user_cache_dir("canvascli", appauthor=False))


def index_path(library: Path, directory: Path) -> Path:
    """The library's index, named after its folder, so that each folder has its own and a
    person can tell which is which."""
    folder = os.fsencode(library.resolve())
    name = quote_from_bytes(folder, safe="")
    if len(name) > _NAME_LIMIT:
        # Imported here: it costs more than a warm `canvas show` spends reading its index.
        import hashlib

        digest = hashlib.sha256(folder).hexdigest()[:_DIGEST_LENGTH]
        name = f"{name[-(_NAME_LIMIT - _DIGEST_LENGTH - 1) :]}-{digest}"
    return directory / f"library-{name}.sqlite3"


def _path_text(library: Path) -> str:
    """The library's folder as text SQLite can store: bytes that are not UTF-8 escaped."""
    return os.fsencode(library.resolve()).decode("utf-8", "backslashreplace")


def _is_row(row: object) -> bool:
    return isinstance(row, tuple) and len(row) == _ROW_LENGTH


def _dumped(row: IndexRow | None) -> bytes | None:
    return None if row is None else marshal.dumps(row)


def index_files(path: Path) -> tuple[Path, Path, Path]:
    """The database file and the write-ahead log files SQLite keeps beside it."""
    return (path, path.with_name(path.name + "-wal"), path.with_name(path.name + "-shm"))


def content_hash(data: bytes) -> str:
    import hashlib

    return hashlib.blake2b(data, digest_size=16).hexdigest()


class FileState(NamedTuple):
    """What the index compares to decide whether a post changed since it was parsed."""

    size: int
    mtime_ns: int

    @classmethod
    def of(cls, stat: os.stat_result) -> FileState:
        return cls(stat.st_size, stat.st_mtime_ns)


# What the index stores of a summary, column by column:
# slug, name, published, has_errors, words, coverage (a bit per block, in `ALL_BLOCKS`
# order), details (the summary's `details_text`).
SummaryRow = tuple[str, str, int, int, int, int, str]
# A post's row in the index: path, size, mtime_ns, content_hash, then its `SummaryRow`.
IndexRow = tuple[Any, ...]


def summary_row(summary: Summary) -> SummaryRow:
    """The columns the index stores of a summary."""
    return (
        summary.slug,
        summary.name,
        int(summary.is_published),
        int(summary.has_errors),
        summary.words,
        sum(1 << index for index, block in enumerate(ALL_BLOCKS) if block in summary.coverage),
        summary.details_text,
    )


def summary_from_row(source: str, row: IndexRow, part: int = 0) -> Summary:
    """The summary of a whole row of the index, for the post shown as `source`.

    Unpacked in place rather than sliced, since a warm run does this for every post.
    """
    _, _, _, _, slug, name, published, has_errors, words, coverage, details = row
    # tuple.__new__ skips the named tuple's Python-level __new__.
    return tuple.__new__(
        Summary,
        (
            slug,
            name,
            source,
            _coverage(coverage),
            words,
            published == 1,
            has_errors == 1,
            details,
            part,
        ),
    )


def summary_from_columns(source: str, columns: SummaryRow, part: int = 0) -> Summary:
    """The summary of the columns `summary_row` made."""
    return summary_from_row(source, (None, None, None, None, *columns), part)


@lru_cache(maxsize=1024)
def _coverage(bits: int) -> tuple[AnyBlock, ...]:
    present = {block for index, block in enumerate(ALL_BLOCKS) if bits & (1 << index)}
    return tuple(block for block in layout_of(kind_of(present)) if block in present)


class IndexedPost(NamedTuple):
    """One parsed post as the index stores it: its file state, summary columns and record."""

    path: str
    state: FileState
    content_hash: str | None
    summary: SummaryRow
    record: str
    # The summary columns of the post's other canvases, when it holds several.
    more: tuple[SummaryRow, ...] = ()

    def row(self) -> tuple[object, ...]:
        return (self.path, self.state.size, self.state.mtime_ns, self.content_hash, *self.summary)


class PostListing(NamedTuple):
    """The posts found by the last walk of the library, and the folders it looked in."""

    started_ns: int
    folders: dict[str, tuple[int, int]]
    paths: list[str]


class PostState(NamedTuple):
    """What the index holds of one post: the state it was parsed at, and its summary columns."""

    size: int
    mtime_ns: int
    content_hash: str | None
    summary: SummaryRow

    def matches(self, stat: os.stat_result) -> bool:
        return self.size == stat.st_size and self.mtime_ns == stat.st_mtime_ns

    @classmethod
    def from_row(cls, row: IndexRow) -> PostState:
        return cls(row[1], row[2], row[3], row[4:])


class StoredTerms(NamedTuple):
    """A post's terms as `canvas stats` last found them, with the state of the post then."""

    path: str
    size: int
    mtime_ns: int
    content_hash: str | None
    version: str
    terms: str


class StoredCheck(NamedTuple):
    """What `canvas check` found in a post when it was parsed, with the state of the post then.

    Written just before the post's row, so that a row never stands beside an older check;
    a check belongs to the row with the same size and time (and hash, while it has one).
    """

    path: str
    size: int
    mtime_ns: int
    content_hash: str | None
    diagnostics: str

    def belongs_to(self, row: IndexRow) -> bool:
        return (
            self.size == row[1]
            and self.mtime_ns == row[2]
            and (row[3] is None or row[3] == self.content_hash)
        )


class IndexInfo(NamedTuple):
    """What an index holds; an index not made yet holds no posts and has no schema."""

    path: Path
    size_bytes: int
    posts: int
    schema: int | None
    library: str


class SearchSection(NamedTuple):
    """One section of one post as full-text search stores it; `block` is None for extras."""

    slug: str
    block: str | None
    heading: str
    position: int
    body: str


class SearchRequest(NamedTuple):
    """An FTS5 MATCH expression and the filters and limit that go with it."""

    match: str
    blocks: tuple[str, ...] = ()
    slugs: tuple[str, ...] = ()
    limit: int | None = None


class SearchMatch(NamedTuple):
    """A section that matches, best first; the snippet marks matches with `MATCH_START/END`."""

    slug: str
    block: str | None
    heading: str
    position: int
    bm25: float
    snippet: str


class SearchAnswer(NamedTuple):
    matches: list[SearchMatch]
    total: int


class Index:
    """A SQLite index of one library folder; every failure becomes `CacheUnavailableError`."""

    def __init__(self, path: Path, library: Path) -> None:
        self.path = path
        self.library = library
        self._connection = self._connect()

    def _connect(self) -> sqlite3.Connection:
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            connection = sqlite3.connect(
                self.path, timeout=_BUSY_WAIT_MS / 1000, isolation_level=None
            )
            connection.execute("PRAGMA journal_mode=WAL")
            connection.execute("PRAGMA synchronous=NORMAL")
            schema = self._schema_version(connection)
            if schema != SCHEMA_VERSION:
                self._create(connection)
        except (sqlite3.Error, OSError) as error:
            raise CacheUnavailableError(f"cache index {self.path}: {error}") from None
        return connection

    @staticmethod
    def _schema_version(connection: sqlite3.Connection) -> int | None:
        try:
            row = connection.execute("SELECT value FROM meta WHERE key = 'schema'").fetchone()
        except sqlite3.OperationalError:
            return None
        return int(row[0]) if row else None

    def _create(self, connection: sqlite3.Connection) -> None:
        connection.execute("BEGIN IMMEDIATE")
        try:
            if self._schema_version(connection) != SCHEMA_VERSION:
                for table in _TABLES:
                    connection.execute(f"DROP TABLE IF EXISTS {table}")
                drop_search_tables(connection)
                for statement in _SCHEMA.split(";"):
                    if statement.strip():
                        connection.execute(statement)
                connection.executemany(
                    "INSERT INTO meta (key, value) VALUES (?, ?)",
                    [("schema", str(SCHEMA_VERSION)), ("library", _path_text(self.library))],
                )
            connection.execute("COMMIT")
        except BaseException:
            connection.execute("ROLLBACK")
            raise

    @classmethod
    def open(cls, library: Path, directory: Path | None = None) -> Index:
        path = index_path(library, directory or cache_dir())
        try:
            return cls(path, library)
        except CacheUnavailableError:
            if not path.exists():
                raise
        # A corrupt or foreign file: start again from nothing rather than trust it.
        with contextlib.suppress(OSError):
            for stale in (
                path,
                path.with_name(path.name + "-wal"),
                path.with_name(path.name + "-shm"),
            ):
                stale.unlink(missing_ok=True)
        return cls(path, library)

    def close(self) -> None:
        with contextlib.suppress(sqlite3.Error):
            self._connection.close()

    def __enter__(self) -> Index:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _query(self, sql: str, parameters: Iterable[object] = ()) -> list[Any]:
        try:
            return self._connection.execute(sql, tuple(parameters)).fetchall()
        except sqlite3.Error as error:
            raise CacheUnavailableError(f"cache index {self.path}: {error}") from None

    def post_states(self) -> dict[str, PostState]:
        """Every indexed post by path, with the state it was parsed at and its summary."""
        rows, _from_snapshot = self.rows()
        return {path: PostState.from_row(row) for path, row in rows.items()}

    def rows(self) -> tuple[dict[str, IndexRow], bool]:
        """Every indexed post's row by path, and whether they came from the snapshot.

        `post_states` without building a `PostState` for each: a warm run over ten thousand posts
        reads them all, and most need only a look at their size and modification time.
        The rows come from the snapshot when one in this Python's format is stored and
        readable, else from the table.
        """
        rows = self._snapshot_rows()
        if rows is not None:
            return rows, True
        return {row[0]: row for row in self._query(f"SELECT {_ROW_COLUMNS} FROM posts")}, False

    def _snapshot_rows(self) -> dict[str, IndexRow] | None:
        """The snapshot with the changes kept beside it, or None if it cannot be read."""
        connection = self._connection
        try:
            # One read transaction, so that the snapshot and its changes belong together
            # (unless the caller already has one open, as a search does).
            own_transaction = not connection.in_transaction
            if own_transaction:
                connection.execute("BEGIN")
            try:
                found = connection.execute(
                    "SELECT rows FROM snapshot WHERE format = ?", (_SNAPSHOT_FORMAT,)
                ).fetchall()
                changes = connection.execute("SELECT path, row FROM snapshot_changes").fetchall()
            finally:
                if own_transaction:
                    connection.execute("COMMIT")
        except sqlite3.Error as error:
            raise CacheUnavailableError(f"cache index {self.path}: {error}") from None
        if not found:
            return None
        try:
            rows = marshal.loads(found[0][0])
            if not isinstance(rows, dict) or (rows and not _is_row(next(iter(rows.values())))):
                return None
            for path, blob in changes:
                if blob is None:
                    rows.pop(path, None)
                    continue
                row = marshal.loads(blob)
                if not _is_row(row):
                    return None
                rows[path] = row
        except (ValueError, EOFError, TypeError):
            return None
        return rows

    def more_summaries(self) -> dict[str, list[SummaryRow]]:
        """The summary columns of every canvas after the first, by path, for the posts
        that hold several."""
        return {
            str(path): [tuple(columns) for columns in json.loads(summaries)]
            for path, summaries in self._query("SELECT path, summaries FROM more_canvases")
        }

    def listing(self) -> PostListing | None:
        """The last walk of the library, if one is stored and readable."""
        found = self._query("SELECT format, listing FROM listing")
        if not found or found[0][0] != _SNAPSHOT_FORMAT:
            return None
        try:
            started_ns, folders, paths = marshal.loads(found[0][1])
        except (ValueError, EOFError, TypeError):
            return None
        if not (
            isinstance(started_ns, int) and isinstance(folders, dict) and isinstance(paths, list)
        ):
            return None
        return PostListing(started_ns, folders, paths)

    def save_listing(self, listing: PostListing) -> None:
        """Store a walk of the library; best effort, like `save_snapshot`."""
        blob = marshal.dumps(tuple(listing))
        with contextlib.suppress(sqlite3.Error), self._waiting_briefly(), self._connection:
            self._connection.execute(
                "INSERT OR REPLACE INTO listing VALUES (0, ?, ?)", (_SNAPSHOT_FORMAT, blob)
            )

    def save_snapshot(self) -> None:
        """Write the snapshot afresh from the table.

        Best effort: a snapshot that cannot be written soon (another process is writing)
        is left for a later run.
        """
        with contextlib.suppress(sqlite3.Error), self._waiting_briefly(), self._writing():
            self._write_snapshot(None)

    @contextlib.contextmanager
    def _writing(self) -> Iterator[sqlite3.Connection]:
        """One write transaction: committed when the block ends, rolled back if it raises."""
        connection = self._connection
        connection.execute("BEGIN IMMEDIATE")
        try:
            yield connection
            connection.execute("COMMIT")
        except BaseException:
            with contextlib.suppress(sqlite3.Error):
                connection.execute("ROLLBACK")
            raise

    @contextlib.contextmanager
    def _waiting_briefly(self) -> Iterator[None]:
        self._connection.execute(f"PRAGMA busy_timeout = {_BRIEF_WAIT_MS}")
        try:
            yield
        finally:
            self._connection.execute(f"PRAGMA busy_timeout = {_BUSY_WAIT_MS}")

    def _write_snapshot(self, changed: list[str] | None) -> None:
        """Bring the snapshot in step with the table, inside the open write transaction.

        With `changed` (the paths this transaction wrote, given when the snapshot was read
        intact), their rows as the table now holds them are kept beside the snapshot while
        few enough; otherwise the snapshot is written afresh from the whole table.
        """
        connection = self._connection
        if changed is not None:
            (kept,) = connection.execute("SELECT count(*) FROM snapshot_changes").fetchone()
            (stored,) = connection.execute(
                "SELECT count(*) FROM snapshot WHERE format = ?", (_SNAPSHOT_FORMAT,)
            ).fetchone()
            if stored and kept + len(changed) <= _SNAPSHOT_CHANGES:
                now = self._rows_of(changed)
                connection.executemany(
                    "INSERT OR REPLACE INTO snapshot_changes VALUES (?, ?)",
                    [(path, _dumped(now.get(path))) for path in changed],
                )
                return
        table = connection.execute(f"SELECT {_ROW_COLUMNS} FROM posts").fetchall()
        connection.execute(
            "INSERT OR REPLACE INTO snapshot VALUES (0, ?, ?)",
            (_SNAPSHOT_FORMAT, marshal.dumps({row[0]: row for row in table})),
        )
        connection.execute("DELETE FROM snapshot_changes")

    def _rows_of(self, paths: list[str]) -> dict[str, IndexRow]:
        found: dict[str, IndexRow] = {}
        for start in range(0, len(paths), 500):
            part = paths[start : start + 500]
            marks = ", ".join("?" * len(part))
            query = f"SELECT {_ROW_COLUMNS} FROM posts WHERE path IN ({marks})"
            found.update((row[0], row) for row in self._connection.execute(query, part))
        return found

    def clean_paths(self) -> set[str] | None:
        """Every indexed path, when no indexed post has an error and no two share a slug."""
        paths: set[str] = set()
        slugs: set[str] = set()
        for path, has_errors, slug in self._query("SELECT path, has_errors, slug FROM posts"):
            if has_errors or slug in slugs:
                return None
            paths.add(path)
            slugs.add(slug)
        return paths

    def by_slug(self, slug: str) -> list[tuple[str, PostState, bool]]:
        """The indexed posts with this slug: path, what is known of it, and if it is published."""
        rows = self._query(
            f"SELECT path, size, mtime_ns, content_hash, {_SUMMARY_COLUMNS} FROM posts"
            " WHERE slug = ?",
            (slug,),
        )
        return [(row[0], PostState.from_row(row), bool(row[6])) for row in rows]

    def states(self) -> dict[str, tuple[FileState, str | None]]:
        """The state and content hash each post was indexed at: what derived rows key on."""
        return {
            path: (FileState(state.size, state.mtime_ns), state.content_hash)
            for path, state in self.post_states().items()
        }

    def record(self, path: str) -> str | None:
        rows = self._query("SELECT record FROM records WHERE path = ?", (path,))
        return str(rows[0][0]) if rows else None

    def update(
        self,
        posts: Iterable[IndexedPost],
        removed: Iterable[str],
        settled: Iterable[IndexRow] = (),
        *,
        snapshot: Literal["drop", "refresh", "keep in step"] = "drop",
    ) -> None:
        """Store new and changed posts, forget removed ones, and stop re-hashing settled ones
        (see `_clear_hashes`).

        `snapshot` says what becomes of the snapshot: dropped (a build that writes in
        batches), written afresh, or kept in step with the rows written (when this run read
        it intact).
        """
        posts = list(posts)
        removed = list(removed)
        settled = list(settled)
        gone = [(path,) for path in removed]
        placeholders = ", ".join("?" * _ROW_LENGTH)
        try:
            with self._writing() as connection:
                connection.executemany("DELETE FROM posts WHERE path = ?", gone)
                connection.executemany("DELETE FROM records WHERE path = ?", gone)
                # Nearly always empty, and then not worth a statement per post written.
                if connection.execute("SELECT 1 FROM more_canvases LIMIT 1").fetchone():
                    connection.executemany(
                        "DELETE FROM more_canvases WHERE path = ?",
                        [*gone, *((post.path,) for post in posts)],
                    )
                connection.executemany(
                    "INSERT OR REPLACE INTO more_canvases VALUES (?, ?)",
                    (
                        (post.path, json.dumps(post.more, ensure_ascii=False))
                        for post in posts
                        if post.more
                    ),
                )
                connection.executemany(
                    f"INSERT OR REPLACE INTO posts VALUES ({placeholders})",
                    (post.row() for post in posts),
                )
                connection.executemany(
                    "INSERT OR REPLACE INTO records VALUES (?, ?)",
                    ((post.path, post.record) for post in posts),
                )
                self._clear_hashes(settled)
                if snapshot == "drop":
                    connection.execute("DELETE FROM snapshot")
                    connection.execute("DELETE FROM snapshot_changes")
                else:
                    changed = [post.path for post in posts]
                    changed += removed + [row[0] for row in settled]
                    self._write_snapshot(changed if snapshot == "keep in step" else None)
        except sqlite3.Error as error:
            raise CacheUnavailableError(f"cache index {self.path}: {error}") from None

    def settle(self, settled: Iterable[IndexRow]) -> None:
        """Stop re-hashing posts that are no longer racy, keeping any snapshot in step.

        Best effort, like `save_snapshot`: what cannot be written soon is left for a later run.
        """
        settled = list(settled)
        with contextlib.suppress(sqlite3.Error), self._waiting_briefly(), self._writing():
            self._clear_hashes(settled)
            if self._connection.execute("SELECT 1 FROM snapshot").fetchone():
                self._write_snapshot([row[0] for row in settled])

    def _clear_hashes(self, settled: list[IndexRow]) -> None:
        """Clear each settled row's hash, if the row is still the one given: a newer row
        another process wrote keeps its hash."""
        self._connection.executemany(
            "UPDATE posts SET content_hash = NULL"
            " WHERE path = ? AND size = ? AND mtime_ns = ? AND content_hash = ?",
            [row[:4] for row in settled],
        )

    def stored_terms(self) -> dict[str, StoredTerms]:
        """Every post's kept terms, by path."""
        return {
            str(path): StoredTerms(str(path), size, mtime_ns, digest, str(version), str(terms))
            for path, size, mtime_ns, digest, version, terms in self._query(
                "SELECT path, size, mtime_ns, content_hash, version, terms FROM post_terms"
            )
        }

    def save_terms(self, fresh: Iterable[StoredTerms], gone: Iterable[str]) -> None:
        """Keep the terms found for new or changed posts; forget those of removed posts."""
        self._replace_rows("post_terms", len(StoredTerms._fields), fresh, gone)

    def _replace_rows(
        self, table: str, width: int, fresh: Iterable[tuple[Any, ...]], gone: Iterable[str]
    ) -> None:
        """Write rows keyed by path to a table of derived rows, and delete those of `gone`."""
        marks = ", ".join("?" * width)
        try:
            with self._writing() as connection:
                connection.executemany(
                    f"DELETE FROM {table} WHERE path = ?", [(path,) for path in gone]
                )
                connection.executemany(f"INSERT OR REPLACE INTO {table} VALUES ({marks})", fresh)
        except sqlite3.Error as error:
            raise CacheUnavailableError(f"cache index {self.path}: {error}") from None

    def stored_checks(self) -> dict[str, StoredCheck]:
        """What `canvas check` found in every post when it was last parsed, by path."""
        return {
            row[0]: StoredCheck(*row)
            for row in self._query(
                "SELECT path, size, mtime_ns, content_hash, diagnostics FROM post_checks"
            )
        }

    def save_checks(self, fresh: Iterable[StoredCheck], gone: Iterable[str] = ()) -> None:
        """Keep what `canvas check` found in new or changed posts; forget removed posts'."""
        self._replace_rows("post_checks", len(StoredCheck._fields), fresh, gone)

    def info(self) -> IndexInfo:
        (count,) = self._query("SELECT count(*) FROM posts")[0]
        size = sum(part.stat().st_size for part in index_files(self.path) if part.exists())
        return IndexInfo(self.path, size, count, SCHEMA_VERSION, str(self.library))

    def search(
        self,
        paths: Iterable[str],
        sections_of: Callable[[str], Iterable[SearchSection]],
        request: SearchRequest,
    ) -> SearchAnswer:
        """Search the given posts, first bringing their full-text rows up to date.

        `sections_of` turns a post's stored record into its sections. Rows are written
        for posts that are new or changed since they were last made, and dropped for
        posts no longer searched, so the full-text table holds exactly the posts given
        and its ranking matches a search of those posts alone.
        """
        try:
            with self._writing() as connection:
                create_search_tables(connection)
                self._refresh_search(paths, sections_of)
                answer = run_search(connection, request)
        except sqlite3.Error as error:
            raise CacheUnavailableError(f"cache index {self.path}: {error}") from None
        return answer

    def _refresh_search(
        self, paths: Iterable[str], sections_of: Callable[[str], Iterable[SearchSection]]
    ) -> None:
        connection = self._connection
        stamps = self.states()
        wanted = {path: stamps[path] for path in paths if path in stamps}
        indexed: dict[str, tuple[FileState, str | None]] = {
            path: (FileState(size, mtime), digest)
            for path, size, mtime, digest in connection.execute(
                "SELECT path, size, mtime_ns, content_hash FROM search_posts"
            )
        }
        remove_search_posts(
            connection, [path for path, stamp in indexed.items() if wanted.get(path) != stamp]
        )
        for path, (state, digest) in wanted.items():
            if indexed.get(path) == (state, digest):
                continue
            record = self.record(path)
            if record is None:
                continue
            add_search_sections(connection, path, sections_of(record))
            connection.execute(
                "INSERT INTO search_posts VALUES (?, ?, ?, ?)",
                (path, state.size, state.mtime_ns, digest),
            )


def is_racy(state: FileState, now_ns: int | None = None) -> bool:
    now_ns = time.time_ns() if now_ns is None else now_ns
    return state.mtime_ns >= now_ns - RACY_WINDOW_NS


def all_indexes(directory: Path | None = None) -> list[Path]:
    directory = directory or cache_dir()
    return sorted(directory.glob("library-*.sqlite3")) if directory.is_dir() else []


def clear(directory: Path | None = None) -> int:
    """Delete every index in the cache folder; the number of indexes removed."""
    removed = 0
    for path in all_indexes(directory):
        _remove(path)
        removed += 1
    return removed


def clear_library(library: Path, directory: Path | None = None) -> Path | None:
    """Delete the index of one library; the index removed, or None if it had none."""
    path = index_path(library, directory or cache_dir())
    if not path.exists():
        return None
    _remove(path)
    return path


def _remove(path: Path) -> None:
    for part in index_files(path):
        part.unlink(missing_ok=True)


def describe_index(library: Path, directory: Path | None = None) -> IndexInfo:
    """What the library's index holds, found without writing anything: no index or folder
    is made, an old one is not rebuilt, and no file in the cache folder changes."""
    path = index_path(library, directory or cache_dir())
    if not path.is_file():
        return IndexInfo(path, 0, 0, None, str(library.resolve()))
    try:
        schema, count = _count_posts(path)
    except (sqlite3.Error, OSError, ValueError) as error:
        raise CacheUnavailableError(f"cache index {path}: {error}") from None
    size = sum(part.stat().st_size for part in index_files(path) if part.exists())
    return IndexInfo(path, size, count, schema, str(library.resolve()))


def _count_posts(path: Path) -> tuple[int | None, int]:
    """The schema and number of posts of an index, read without touching its files.

    Even a read-only reader of a write-ahead log writes to its shared-memory file, so an
    index with a log is read from a copy; without one the database file is whole, and
    opened as immutable it is only read.
    """
    wal = index_files(path)[1]
    if not (wal.exists() and wal.stat().st_size > 0):
        return _schema_and_count(f"{path.resolve().as_uri()}?immutable=1")
    import shutil
    import tempfile

    with tempfile.TemporaryDirectory(prefix="canvascli-") as folder:
        copy = Path(folder) / path.name
        shutil.copyfile(path, copy)
        shutil.copyfile(wal, index_files(copy)[1])
        return _schema_and_count(f"{copy.as_uri()}?mode=rw")


def _schema_and_count(uri: str) -> tuple[int | None, int]:
    with contextlib.closing(sqlite3.connect(uri, uri=True)) as connection:
        schema = Index._schema_version(connection)
        (count,) = connection.execute("SELECT count(*) FROM posts").fetchone()
    return schema, int(count)


def fts5_available() -> bool:
    """Whether the sqlite3 module of this Python has full-text search (FTS5) built in."""
    try:
        with contextlib.closing(sqlite3.connect(":memory:")) as connection:
            connection.execute(f"CREATE VIRTUAL TABLE probe USING {FTS_MODULE} (body)")
    except sqlite3.Error:
        return False
    return True


def create_search_tables(connection: sqlite3.Connection) -> None:
    for statement in _search_schema().split(";"):
        if statement.strip():
            connection.execute(statement)


def drop_search_tables(connection: sqlite3.Connection) -> None:
    for table in SEARCH_TABLES:
        connection.execute(f"DROP TABLE IF EXISTS {table}")


def add_search_sections(
    connection: sqlite3.Connection, path: str, sections: Iterable[SearchSection]
) -> None:
    for section in sections:
        cursor = connection.execute(
            "INSERT INTO search_sections (path, slug, block, heading, position) "
            "VALUES (?, ?, ?, ?, ?)",
            (path, section.slug, section.block, section.heading, section.position),
        )
        connection.execute(
            "INSERT INTO search_text (rowid, body) VALUES (?, ?)", (cursor.lastrowid, section.body)
        )


def remove_search_posts(connection: sqlite3.Connection, paths: Iterable[str]) -> None:
    for path in paths:
        connection.execute(
            "DELETE FROM search_text WHERE rowid IN "
            "(SELECT id FROM search_sections WHERE path = ?)",
            (path,),
        )
        connection.execute("DELETE FROM search_sections WHERE path = ?", (path,))
        connection.execute("DELETE FROM search_posts WHERE path = ?", (path,))


def run_search(connection: sqlite3.Connection, request: SearchRequest) -> SearchAnswer:
    """Matches ranked by bm25, ties broken by slug and then by the section's position."""
    conditions = ["search_text MATCH ?"]
    parameters: list[object] = [request.match]
    for column, values in (("block", request.blocks), ("slug", request.slugs)):
        if values:
            conditions.append(f"s.{column} IN ({', '.join('?' * len(values))})")
            parameters.extend(values)
    # CROSS JOIN keeps the full-text table outermost, so SQLite runs the MATCH once.
    source = (
        "FROM search_text CROSS JOIN search_sections AS s ON s.id = search_text.rowid "
        f"WHERE {' AND '.join(conditions)}"
    )
    rows = connection.execute(
        "SELECT s.slug, s.block, s.heading, s.position, bm25(search_text) AS score, "
        f"snippet(search_text, 0, ?, ?, ?, ?) {source} "
        "ORDER BY score, s.slug, s.position LIMIT ?",
        (
            MATCH_START,
            MATCH_END,
            SNIPPET_ELLIPSIS,
            SNIPPET_TOKENS,
            *parameters,
            -1 if request.limit is None else request.limit,
        ),
    ).fetchall()
    matches = [
        SearchMatch(str(slug), block, str(heading), int(position), float(score), str(snippet))
        for slug, block, heading, position, score, snippet in rows
    ]
    total = len(matches)
    if request.limit is not None and total >= request.limit:
        (total,) = connection.execute(f"SELECT count(*) {source}", parameters).fetchone()
    return SearchAnswer(matches, int(total))


def search_in_memory(
    posts: Iterable[tuple[str, Iterable[SearchSection]]], request: SearchRequest
) -> SearchAnswer:
    """The same search as `Index.search`, over posts given here, in a throw-away database."""
    with contextlib.closing(sqlite3.connect(":memory:", isolation_level=None)) as connection:
        create_search_tables(connection)
        connection.execute("BEGIN")
        for path, sections in posts:
            add_search_sections(connection, path, sections)
        connection.execute("COMMIT")
        return run_search(connection, request)
