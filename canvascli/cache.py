"""The on-disk index: one SQLite file per library, holding every post already parsed."""

from __future__ import annotations

import contextlib
import hashlib
import os
import sqlite3
import time
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path

SCHEMA_VERSION = 2
CACHE_DIR_ENV = "CANVASCLI_CACHE_DIR"
# A file changed this soon before it was indexed may change again with the same
# size and mtime (coarse timestamps, or two edits in one tick), so its content
# hash is kept and checked, as git does for "racily clean" entries.
RACY_WINDOW_NS = 2_000_000_000

_SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS posts (
    path TEXT PRIMARY KEY,
    size INTEGER NOT NULL,
    mtime_ns INTEGER NOT NULL,
    content_hash TEXT,
    summary TEXT NOT NULL,
    record TEXT NOT NULL
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
    digest = hashlib.sha256(os.fsencode(library.resolve())).hexdigest()[:20]
    return directory / f"library-{digest}.sqlite3"


def index_files(path: Path) -> tuple[Path, Path, Path]:
    """The database file and the write-ahead log files SQLite keeps beside it."""
    return (path, path.with_name(path.name + "-wal"), path.with_name(path.name + "-shm"))


def content_hash(data: bytes) -> str:
    return hashlib.blake2b(data, digest_size=16).hexdigest()


@dataclass(frozen=True)
class FileState:
    """What the index compares to decide whether a post changed since it was parsed."""

    size: int
    mtime_ns: int

    @classmethod
    def of(cls, stat: os.stat_result) -> FileState:
        return cls(stat.st_size, stat.st_mtime_ns)


@dataclass(frozen=True)
class Entry:
    path: str
    state: FileState
    content_hash: str | None
    summary: str
    record: str

    def row(self) -> tuple[str, int, int, str | None, str, str]:
        return (
            self.path,
            self.state.size,
            self.state.mtime_ns,
            self.content_hash,
            self.summary,
            self.record,
        )


@dataclass(frozen=True)
class IndexInfo:
    path: Path
    size_bytes: int
    posts: int
    schema: int
    library: str


class Index:
    """A SQLite index of one library folder; every failure becomes `CacheUnavailableError`."""

    def __init__(self, path: Path, library: Path) -> None:
        self.path = path
        self.library = library
        self._connection = self._connect()

    def _connect(self) -> sqlite3.Connection:
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            connection = sqlite3.connect(self.path, timeout=30, isolation_level=None)
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
                connection.execute("DROP TABLE IF EXISTS posts")
                connection.execute("DROP TABLE IF EXISTS meta")
                for statement in _SCHEMA.split(";"):
                    if statement.strip():
                        connection.execute(statement)
                connection.executemany(
                    "INSERT INTO meta (key, value) VALUES (?, ?)",
                    [("schema", str(SCHEMA_VERSION)), ("library", str(self.library.resolve()))],
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

    def _query(self, sql: str, parameters: Iterable[object] = ()) -> list[tuple[object, ...]]:
        try:
            return self._connection.execute(sql, tuple(parameters)).fetchall()
        except sqlite3.Error as error:
            raise CacheUnavailableError(f"cache index {self.path}: {error}") from None

    def states(self) -> dict[str, tuple[FileState, str | None]]:
        rows = self._query("SELECT path, size, mtime_ns, content_hash FROM posts")
        return {
            str(path): (FileState(int(size), int(mtime)), None if digest is None else str(digest))  # type: ignore[call-overload]
            for path, size, mtime, digest in rows
        }

    def summary_rows(self, paths: Iterable[str]) -> list[tuple[str, str]]:
        """(path, summary JSON) of the given posts, in path order."""
        wanted = set(paths)
        rows = self._query("SELECT path, summary FROM posts ORDER BY path")
        return [(str(path), str(summary)) for path, summary in rows if path in wanted]

    def record(self, path: str) -> str | None:
        rows = self._query("SELECT record FROM posts WHERE path = ?", (path,))
        return str(rows[0][0]) if rows else None

    def update(
        self, entries: Iterable[Entry], removed: Iterable[str], settled: Iterable[str] = ()
    ) -> None:
        """Store new and changed posts, forget removed ones, and stop re-hashing settled ones."""
        try:
            self._connection.execute("BEGIN IMMEDIATE")
            try:
                self._connection.executemany(
                    "DELETE FROM posts WHERE path = ?", [(path,) for path in removed]
                )
                self._connection.executemany(
                    "INSERT OR REPLACE INTO posts VALUES (?, ?, ?, ?, ?, ?)",
                    (entry.row() for entry in entries),
                )
                self._connection.executemany(
                    "UPDATE posts SET content_hash = NULL WHERE path = ?",
                    [(path,) for path in settled],
                )
                self._connection.execute("COMMIT")
            except BaseException:
                self._connection.execute("ROLLBACK")
                raise
        except sqlite3.Error as error:
            raise CacheUnavailableError(f"cache index {self.path}: {error}") from None

    def info(self) -> IndexInfo:
        (count,) = self._query("SELECT count(*) FROM posts")[0]
        size = sum(part.stat().st_size for part in index_files(self.path) if part.exists())
        return IndexInfo(self.path, size, int(count), SCHEMA_VERSION, str(self.library))  # type: ignore[call-overload]


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
        for part in index_files(path):
            part.unlink(missing_ok=True)
        removed += 1
    return removed
