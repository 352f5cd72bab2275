"""The on-disk index: one SQLite file per library, holding every post already parsed."""

from __future__ import annotations

import contextlib
import json
import marshal
import os
import sqlite3
import sys
import time
import zlib
from collections.abc import Callable, Iterable, Iterator, Mapping
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal, NamedTuple
from urllib.parse import quote_from_bytes

from canvascli.model import ALL_BLOCKS, AnyBlock, Summary, kind_of, layout_of
from canvascli.store.files import DEFAULT_MAX_BYTES, special_kind

if TYPE_CHECKING:
    from canvascli.read.labels import Synonyms

SCHEMA_VERSION = 21
# A file changed this soon before it was indexed may change again with the same
# size and mtime (coarse timestamps, or two edits in one tick), so its content
# hash is kept and checked, as git does for "racily clean" entries.
RACY_WINDOW_NS = 2_000_000_000

# Summaries sit in narrow rows, and the full records in their own table, so that
# reading every summary does not page through every record. A record is read only to draw
# or search its post, one at a time, so it is kept compressed (`pack_record`): a sixth of
# its JSON, and several to a page where one filled a page. The few posts that hold
# several canvases keep the summaries of all but the first in `more_canvases`, as a JSON
# list of `SummaryRow`s, so that the row of every other post stays as it is.
# `post_set` says in one row what a warm `canvas show` must know of all the posts (how
# many, which paths, how many with errors or a slug another post has), kept in step by
# every write to `posts`, so that it need not read them all.
_SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS posts (
    path TEXT PRIMARY KEY,
    size INTEGER NOT NULL,
    mtime_ns INTEGER NOT NULL,
    ctime_ns INTEGER NOT NULL,
    inode INTEGER NOT NULL,
    device INTEGER NOT NULL,
    content_hash TEXT,
    slug TEXT NOT NULL,
    name TEXT NOT NULL,
    published INTEGER NOT NULL,
    has_errors INTEGER NOT NULL,
    words INTEGER NOT NULL,
    coverage INTEGER NOT NULL,
    details TEXT NOT NULL,
    checksum INTEGER NOT NULL
);
CREATE INDEX IF NOT EXISTS posts_by_slug ON posts (slug);
CREATE TABLE IF NOT EXISTS post_set (
    id INTEGER PRIMARY KEY CHECK (id = 0),
    posts INTEGER NOT NULL,
    errors INTEGER NOT NULL,
    shared_slugs INTEGER NOT NULL,
    digest INTEGER NOT NULL,
    checksum INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS records (
    path TEXT PRIMARY KEY,
    record BLOB NOT NULL,
    checksum INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS more_canvases (
    path TEXT PRIMARY KEY,
    summaries TEXT NOT NULL,
    checksum INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS snapshot (
    id INTEGER PRIMARY KEY CHECK (id = 0),
    format TEXT NOT NULL,
    rows BLOB NOT NULL,
    checksum INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS snapshot_changes (
    path TEXT PRIMARY KEY,
    row BLOB,
    checksum INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS listing (
    id INTEGER PRIMARY KEY CHECK (id = 0),
    format TEXT NOT NULL,
    head BLOB NOT NULL,
    head_checksum INTEGER NOT NULL,
    paths BLOB NOT NULL,
    paths_checksum INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS post_terms (
    path TEXT PRIMARY KEY,
    stamp INTEGER NOT NULL,
    version TEXT NOT NULL,
    terms TEXT NOT NULL,
    checksum INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS post_checks (
    path TEXT PRIMARY KEY,
    stamp INTEGER NOT NULL,
    diagnostics TEXT NOT NULL,
    checksum INTEGER NOT NULL
);
"""
_TABLES = (
    "posts",
    "post_set",
    "records",
    "more_canvases",
    "meta",
    "snapshot",
    "snapshot_changes",
    "listing",
    "post_terms",
    "post_checks",
    "answers",
)
# The snapshot is every row of `posts` in one marshal blob, which Python reads three times
# faster than ten thousand rows through sqlite3. marshal's format may change between
# Python versions, so a snapshot from another version is not read.
_SNAPSHOT_FORMAT = f"marshal {marshal.version} python {sys.version_info[0]}.{sys.version_info[1]}"
# Up to this many changed rows are kept beside the snapshot (a removed post's as NULL)
# rather than rewriting it, so that editing one post does not cost a rewrite of them all.
_SNAPSHOT_CHANGES = 256
# Whole answers of commands, each kept with a digest of the state of every post it was made
# from (see `Index.answer`). Made by the first answer kept, so that an index of the same
# schema made before answers were kept needs no rebuild.
_ANSWERS_SCHEMA = """
CREATE TABLE IF NOT EXISTS answers (
    question TEXT PRIMARY KEY,
    digest BLOB NOT NULL,
    answer BLOB NOT NULL,
    checksum INTEGER NOT NULL
)
"""
# `SummaryRow`, in this order.
_SUMMARY_COLUMNS = "slug, name, published, has_errors, words, coverage, details"
_STATE_COLUMNS = "size, mtime_ns, ctime_ns, inode, device"
_ROW_COLUMNS = f"path, {_STATE_COLUMNS}, content_hash, {_SUMMARY_COLUMNS}, checksum"
_ROW_LENGTH = len(_ROW_COLUMNS.split(","))
# An index is named after its library's folder while the name, with the "-wal" and "-shm"
# that SQLite adds, stays well inside the 255 bytes most file systems allow; longer names
# keep their end and gain a digest of the whole.
_NAME_LIMIT = 200
_DIGEST_LENGTH = 20
# Writes that may be left for a later run wait this long (ms) for another writer, not 30 s.
_BRIEF_WAIT_MS = 100
_BUSY_WAIT_MS = 30_000
# zlib's level for records: 3 packs a record a twentieth larger than the default 6 but a
# third faster, and every post of a first build is packed once.
_RECORD_COMPRESSION = 3
# zlib's memory level for records (its default is 8), and its smallest window, in bits.
_RECORD_MEMORY = 7
_SMALLEST_WINDOW = 9
# Strings most records hold: the keys of a record and of its warnings, the kinds of entry,
# and each block's key, title and heading. zlib starts every record with them, each framed
# as marshal frames a short string, so that even a record's first mention of one is a short
# match: a small post's record packs a sixth smaller. Part of the records' format: a change
# here asks for a new SCHEMA_VERSION.
_RECORD_BLOCKS = (
    ("customer-segments", "Customer Segments"),
    ("value-propositions", "Value Propositions"),
    ("channels", "Channels"),
    ("customer-relationships", "Customer Relationships"),
    ("revenue-streams", "Revenue Streams"),
    ("key-resources", "Key Resources"),
    ("key-activities", "Key Activities"),
    ("key-partners", "Key Partners"),
    ("cost-structure", "Cost Structure"),
    ("problem", "Problem"),
    ("solution", "Solution"),
    ("unfair-advantage", "Unfair Advantage"),
    ("key-metrics", "Key Metrics"),
)
_RECORD_WORDS = (
    "slug",
    "name",
    "source",
    "metadata",
    "layout",
    "post",
    "title",
    "sections",
    "warnings",
    "code",
    "message",
    "severity",
    "warning",
    "line",
    "column",
    "paragraph",
    "item",
    *(
        word
        for key, title in _RECORD_BLOCKS
        for word in (key, title, f"## {title}", f"### {title}")
    ),
)
_RECORD_DICTIONARY = b"".join(
    b"\xda" + bytes([len(encoded)]) + encoded
    for encoded in (word.encode() for word in _RECORD_WORDS)
)

# Full-text search lives in its own tables, filled only when `canvas search` first runs, so
# building the index for `canvas list` never pays for it. `search_posts` records which
# posts the FTS rows were made from, with the stamp the `posts` table had then.
FTS_MODULE = "fts5"
SEARCH_TABLES = ("search_text", "search_sections", "search_posts", "search_check")
# FTS5's own tables of the full-text index, with the columns that order their rows: what
# the checksum in `search_check` covers. Left out are the text itself and the length of each
# section (`search_text_docsize`, a row per section, most of the rows there are), which
# each match checks against its section's row: they weigh on no other match.
_FTS_TABLES = (
    ("search_text_data", "id"),
    ("search_text_idx", "segid, term"),
    ("search_text_config", "k"),
)
# Rows of FTS5's tables taken at a time by `full_text_checksum`, and parts of them checked
# in one call.
_CHECKSUM_CHUNK = 4096
_CHECKED_TOGETHER = 256
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
    stamp INTEGER NOT NULL,
    first INTEGER NOT NULL,
    sections INTEGER NOT NULL,
    checksum INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS search_check (
    id INTEGER PRIMARY KEY CHECK (id = 0),
    checksum INTEGER NOT NULL,
    posts TEXT NOT NULL,
    stamps_checksum INTEGER NOT NULL,
    stamps BLOB NOT NULL,
    row_checksum INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS search_sections (
    id INTEGER PRIMARY KEY,
    path TEXT NOT NULL,
    slug TEXT NOT NULL,
    block TEXT,
    heading TEXT NOT NULL,
    position INTEGER NOT NULL,
    length BLOB,
    checksum INTEGER NOT NULL
);
CREATE VIRTUAL TABLE IF NOT EXISTS search_text USING {FTS_MODULE} (
    body, tokenize = "porter unicode61 categories 'L* N* Co M*'"
);
"""


class CacheUnavailableError(Exception):
    """The index cannot be used; the message says why, and `canvas` runs without it."""


class NewerIndexError(CacheUnavailableError):
    """An index a newer canvascli made: it is neither read (its tables may mean other
    things) nor rebuilt (the newer version would only rebuild it back), but left as it is."""

    def __init__(self, path: Path, schema: int) -> None:
        super().__init__(
            f"cache index {path}: made by a newer canvascli (index schema {schema}; this one "
            f"reads {SCHEMA_VERSION}), so left as it is ('canvas cache clear' removes it)"
        )
        self.path = path


class IndexDamagedError(CacheUnavailableError):
    """The index holds what it never wrote (a page SQLite calls malformed, a row or blob
    whose checksum fails, a value of the wrong kind): it is rebuilt from the posts."""

    def __init__(self, path: Path, reason: object) -> None:
        super().__init__(f"cache index {path}: {reason}")
        self.path = path


# SQLite result codes (the low byte of an extended code) that say the index cannot be
# used now rather than that it is damaged: no permission, busy or locked, out of memory,
# read-only, interrupted, a full disk, a file that cannot be opened. An I/O error is
# damage: a file cut short reads as one, and a disk that truly fails also fails the rebuild.
_UNUSABLE_CODES = frozenset({3, 4, 5, 6, 7, 8, 9, 13, 14, 15, 22, 23})
# The I/O errors (extended codes) of writing, syncing, truncating or growing the index or
# its shared memory: the disk refuses writes (full, a file size limit), the file is sound.
_WRITE_FAILURE_CODES = frozenset({778, 1034, 1290, 1546, 4618, 4874, 5386})


def index_failure(path: Path, error: sqlite3.Error) -> CacheUnavailableError:
    """What a SQLite error reading or writing the index at `path` means for this run.

    Every statement `canvas` runs is fixed, so any error but the codes above comes from
    the file: a malformed page, a missing table, a value SQLite or Python cannot decode.
    """
    code = getattr(error, "sqlite_errorcode", None)
    unusable = isinstance(code, int) and code & 0xFF in _UNUSABLE_CODES
    if code in _WRITE_FAILURE_CODES or unusable:
        odd = _not_a_file(path)
        if odd is not None:
            # Not the disk, nor a lock: the error SQLite gives would only mislead.
            return CacheUnavailableError(f"cache index {path}: {odd}; remove it")
    if code in _WRITE_FAILURE_CODES:
        return CacheUnavailableError(f"cache index {path}: cannot be written (is the disk full?)")
    if unusable:
        return CacheUnavailableError(f"cache index {path}: {error}")
    return IndexDamagedError(path, error)


def _not_a_file(path: Path) -> str | None:
    """Which of the index's files, if any, is there but no regular file (followed through
    a link), and what it is."""
    for part in index_files(path):
        try:
            mode = part.stat().st_mode
        except (OSError, ValueError):
            continue
        if kind := special_kind(mode):
            return f"{part.name} is {kind}, not a file"
    return None


def checksum(values: tuple[object, ...]) -> int:
    """A cheap check (CRC-32) of values as stored, to catch damage to the index file."""
    return zlib.crc32(repr(values).encode("utf-8", "backslashreplace"))


def cache_dir(environ: Mapping[str, str] | None = None) -> Path:
    """`$CANVASCLI_CACHE_DIR`, else the per-user cache folder (honours `XDG_CACHE_HOME`)."""
    from canvascli.cache_folder import cache_folder

    return Path(cache_folder(os.environ if environ is None else environ))


def reading_fingerprint(synonyms: Synonyms, limit: int = DEFAULT_MAX_BYTES) -> str:
    """What tells apart posts read by another version of canvascli (whose reading rules may
    differ), with other label synonyms, or with another size limit (a post over one is
    under another): the version alone with neither of the others."""
    from canvascli import __version__

    if not synonyms and limit == DEFAULT_MAX_BYTES:
        return __version__
    import hashlib

    read_with = [__version__, synonyms, limit]
    return hashlib.sha256(json.dumps(read_with, ensure_ascii=False).encode()).hexdigest()


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


def index_size(path: Path) -> int:
    """The bytes of the index at `path` and of the files beside it, 0 for none."""
    return sum(part.stat().st_size for part in index_files(path) if part.exists())


def content_hash(data: bytes) -> str:
    # hashlib's own BLAKE2 module: importing hashlib loads OpenSSL, which costs more than
    # reading the one post a run may find changed.
    from _blake2 import blake2b

    return blake2b(data, digest_size=16).hexdigest()


class FileState(NamedTuple):
    """What the index compares to decide whether a post changed since it was parsed.

    As in git's index, size and modification time are not enough: a post swapped for
    another of equal size and time has another inode, and one edited with its time put
    back (`touch -d`) has a new change time.
    """

    size: int
    mtime_ns: int
    ctime_ns: int
    inode: int
    device: int

    @classmethod
    def of(cls, stat: os.stat_result) -> FileState:
        return cls(stat.st_size, stat.st_mtime_ns, stat.st_ctime_ns, stat.st_ino, stat.st_dev)


# What the index stores of a summary, column by column:
# slug, name, published, has_errors, words, coverage (a bit per block written, in
# `ALL_BLOCKS` order, then a bit per block whose heading is empty, in the same order),
# details (the summary's `details_text`).
SummaryRow = tuple[str, str, int, int, int, int, str]
# A post's row in the index: path, its `FileState` (five columns), content_hash, its
# `SummaryRow`, and the checksum of all those, which also stamps what is derived from it.
IndexRow = tuple[Any, ...]
_STATE = slice(1, 6)
_HASH = 6
_STAMP = 14


def row_matches(row: IndexRow, info: os.stat_result) -> bool:
    """Whether the file `info` describes is still the one the row was made from.

    `info` comes from `lstat`: a post replaced by a symlink no longer matches, and is
    read again, so a link leading out of the library is reported.
    """
    return row[_STATE] == (
        info.st_size,
        info.st_mtime_ns,
        info.st_ctime_ns,
        info.st_ino,
        info.st_dev,
    )


def row_hash(row: IndexRow) -> str | None:
    """The content hash kept for a post indexed while its file was racy, else None."""
    hash_value: str | None = row[_HASH]
    return hash_value


def row_stamp(row: IndexRow) -> int:
    """What derived rows (search text, terms) record of the post row they were made from."""
    stamp: int = row[_STAMP]
    return stamp


def settled_stamp(row: IndexRow) -> int:
    """The stamp of a row once its content hash is dropped (see `Index.settle`)."""
    return checksum((*row[:_HASH], None, *row[_HASH + 1 : _STAMP]))


def searched_posts_digest(stamps: Mapping[str, int]) -> str:
    """A digest of the posts, in order, with the stamps of their rows, that the full-text
    rows are made from: one pass over their bytes, not a look at each."""
    from _blake2 import blake2b
    from array import array

    text = "\0".join(stamps).encode("utf-8", "surrogatepass")
    digest = blake2b(text, digest_size=16)
    digest.update(array("q", stamps.values()).tobytes())
    return digest.hexdigest()


def row_state(row: IndexRow) -> FileState:
    return FileState(*row[_STATE])


def summary_row(summary: Summary) -> SummaryRow:
    """The columns the index stores of a summary."""
    return (
        summary.slug,
        summary.name,
        int(summary.is_published),
        int(summary.has_errors),
        summary.words,
        _coverage_bits(summary.coverage) | _coverage_bits(summary.empty) << len(ALL_BLOCKS),
        summary.details_text,
    )


def summary_from_row(source: str, row: IndexRow, part: int = 0) -> Summary:
    """The summary of a whole row of the index, for the post shown as `source`.

    Unpacked in place rather than sliced, since a warm run does this for every post.
    """
    _, _, _, _, _, _, _, slug, name, published, has_errors, words, coverage, details, _ = row
    written, empty = _coverage(coverage)
    # tuple.__new__ skips the named tuple's Python-level __new__.
    return tuple.__new__(
        Summary,
        (
            slug,
            name,
            source,
            written,
            words,
            published == 1,
            has_errors == 1,
            details,
            part,
            empty,
        ),
    )


def summary_from_columns(source: str, columns: SummaryRow, part: int = 0) -> Summary:
    """The summary of the columns `summary_row` made."""
    return summary_from_row(source, (*_NO_STATE, *columns, None), part)


_NO_STATE = (None,) * 7


def _is_storable(text: str) -> bool:
    """Whether SQLite can take `text`: not when it holds the lone surrogates that stand for
    bytes of a file name or an argument that are not UTF-8."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def _coverage_bits(blocks: tuple[AnyBlock, ...]) -> int:
    return sum(1 << index for index, block in enumerate(ALL_BLOCKS) if block in blocks)


@lru_cache(maxsize=1024)
def _coverage(bits: int) -> tuple[tuple[AnyBlock, ...], tuple[AnyBlock, ...]]:
    """The blocks written and the blocks with an empty heading, in their kind's order."""
    written = {block for index, block in enumerate(ALL_BLOCKS) if bits & (1 << index)}
    empty_bits = bits >> len(ALL_BLOCKS)
    empty = {block for index, block in enumerate(ALL_BLOCKS) if empty_bits & (1 << index)}
    order = layout_of(kind_of(written | empty))
    return (
        tuple(block for block in order if block in written),
        tuple(block for block in order if block in empty),
    )


class IndexedPost(NamedTuple):
    """One parsed post as the index stores it: its file state, summary columns and record."""

    path: str
    state: FileState
    content_hash: str | None
    summary: SummaryRow
    # The post's record as `pack_record` packs it.
    record: bytes
    # The summary columns of the post's other canvases, when it holds several.
    more: tuple[SummaryRow, ...]
    # The checksum of the post's row, made where the post is read: in a worker process,
    # when a pool reads many, rather than in the process that writes them all.
    stamp: int

    @classmethod
    def of(
        cls,
        path: str,
        state: FileState,
        content_hash: str | None,
        summary: SummaryRow,
        record: bytes,
        more: tuple[SummaryRow, ...] = (),
    ) -> IndexedPost:
        stamp = checksum((path, *state, content_hash, *summary))
        return cls(path, state, content_hash, summary, record, more, stamp)

    def row(self) -> IndexRow:
        return (self.path, *self.state, self.content_hash, *self.summary, self.stamp)

    def more_row(self) -> tuple[str, str, int]:
        values = (self.path, json.dumps(self.more, ensure_ascii=False))
        return (*values, checksum(values))

    def record_row(self) -> tuple[str, bytes, int]:
        return (self.path, self.record, record_checksum(self.path, self.record))


def _answer_checksum(question: str, digest: bytes, answer: bytes) -> int:
    return zlib.crc32(answer, zlib.crc32(digest, zlib.crc32(question.encode("utf-8", "replace"))))


def record_checksum(path: str, record: bytes) -> int:
    return zlib.crc32(record, zlib.crc32(path.encode("utf-8", "backslashreplace")))


def pack_record(record: Any) -> bytes:
    """A post's record (its canvases as plain data) as the index stores it: marshalled, then
    compressed.

    marshal writes plain data five times faster than JSON, and reads it back faster too.
    Only values of the built-in types themselves can be marshalled; a record holding others
    is written as JSON would hold it.
    """
    try:
        data = marshal.dumps(record)
    except ValueError:
        data = marshal.dumps(json.loads(json.dumps(record, ensure_ascii=False)))
    # A window no bigger than the record and the dictionary need, and a smaller hash table
    # than zlib's default: setting those up took a fifth of the time a post's record took
    # to pack.
    reach = len(data) + len(_RECORD_DICTIONARY)
    window = min(max(reach.bit_length(), _SMALLEST_WINDOW), zlib.MAX_WBITS)
    packer = zlib.compressobj(
        _RECORD_COMPRESSION,
        zlib.DEFLATED,
        window,
        _RECORD_MEMORY,
        zlib.Z_DEFAULT_STRATEGY,
        _RECORD_DICTIONARY,
    )
    return packer.compress(data) + packer.flush()


def unpack_record(packed: bytes) -> Any:
    """What `pack_record` packed; `zlib.error`, `ValueError`, `EOFError` or `TypeError` if
    it is damaged."""
    unpacker = zlib.decompressobj(zdict=_RECORD_DICTIONARY)
    data = unpacker.decompress(packed)
    if not unpacker.eof or unpacker.unused_data:
        raise zlib.error("a record cut short or run on")
    return marshal.loads(data)


def verified_row(row: IndexRow, path: Path) -> IndexRow:
    """A post row read from the table, once its checksum holds."""
    if len(row) != _ROW_LENGTH or checksum(tuple(row[:_STAMP])) != row[_STAMP]:
        raise IndexDamagedError(path, f"the stored row of a post fails its check ({row[0]!r})")
    return row


class PostListing(NamedTuple):
    """The posts found by the last walk of the library, and the folders it looked in."""

    started_ns: int
    folders: dict[str, tuple[int, int]]
    paths: list[str]


class ListingHead(NamedTuple):
    """What the last walk of the library found, but the paths: how many, and their digest."""

    started_ns: int
    folders: dict[str, tuple[int, int]]
    posts: int
    digest: int


class PostSet(NamedTuple):
    """What `posts` holds as a whole: how many posts, how many with errors, how many share
    a slug with an earlier one, and the `paths_digest` of their paths."""

    posts: int
    errors: int
    shared_slugs: int
    digest: int

    def row(self) -> tuple[int, int, int, int, int, int]:
        return (0, *self, checksum(tuple(self)))


_DIGEST_BITS = (1 << 63) - 1


def paths_digest(paths: Iterable[str]) -> int:
    """A digest of a set of paths that one path more or less changes by its own part, so
    that it is kept in step with each write rather than made again from every path."""
    from _blake2 import blake2b

    total = 0
    for path in paths:
        part = blake2b(path.encode("utf-8", "surrogatepass"), digest_size=8).digest()
        total += int.from_bytes(part, "little")
    return total & _DIGEST_BITS


class StoredTerms(NamedTuple):
    """A post's terms as `canvas stats` last found them, with the stamp of its row then."""

    path: str
    stamp: int
    version: str
    terms: str

    def row(self) -> tuple[str, int, str, str, int]:
        return (*self, checksum(tuple(self)))


# Up to how many posts settled at once have their kept findings looked up one by one
# (a warm `show` settles one), rather than read with every other post's.
_CHECKS_LOOKED_UP = 64


class StoredCheck(NamedTuple):
    """What `canvas check` found in a post when it was parsed, with the stamp of its row then.

    Written just before the post's row, so that a row never stands beside an older check;
    a check belongs to the row with the same stamp, or to that row once settled (its content
    hash dropped, the post unchanged: see `Index.settle`).
    """

    path: str
    stamp: int
    diagnostics: str

    def belongs_to(self, row: IndexRow) -> bool:
        return self.stamp == row_stamp(row) or self.stamp == settled_stamp(row)

    def row(self) -> tuple[str, int, str, int]:
        return (*self, checksum(tuple(self)))


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
    """An FTS5 MATCH expression and the filters and limit that go with it; `any_term`, the
    expression that matches any of its terms, finds the words to show in a long section."""

    match: str
    blocks: tuple[str, ...] = ()
    slugs: tuple[str, ...] = ()
    limit: int | None = None
    any_term: str = ""


class SearchMatch(NamedTuple):
    """A section that matches, best first; the snippet marks matches with `MATCH_START/END`."""

    slug: str
    block: str | None
    heading: str
    position: int
    bm25: float
    snippet: str
    # The post's path in the library, as the index names it.
    path: str = ""


class SearchAnswer(NamedTuple):
    matches: list[SearchMatch]
    total: int


class Index:
    """A SQLite index of one library folder; every failure becomes `CacheUnavailableError`,
    and damage to what it stores `IndexDamagedError`."""

    def __init__(self, path: Path, library: Path) -> None:
        self.path = path
        self.library = library
        self._connection = self._connect()
        self._ahead: _ReadAhead | None = None

    def _connect(self) -> sqlite3.Connection:
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
        except (FileExistsError, NotADirectoryError):
            # The system names neither what is in the way nor what is wrong with it.
            folder = self.path.parent
            blocker = next(
                place for place in (folder, *folder.parents) if place.exists() or place.is_symlink()
            )
            where = "" if blocker == folder else f"{blocker} "
            raise CacheUnavailableError(f"cache folder {folder}: {where}is not a folder") from None
        except OSError as error:
            reason = error.strerror or str(error)
            raise CacheUnavailableError(f"cache folder {self.path.parent}: {reason}") from None
        try:
            # Used by one thread at a time: `read_ahead`'s, then the caller's again.
            connection = sqlite3.connect(
                self.path,
                timeout=_BUSY_WAIT_MS / 1000,
                isolation_level=None,
                check_same_thread=False,
            )
        except sqlite3.Error as error:
            raise index_failure(self.path, error) from None
        try:
            # Before the journal mode is set, which writes to the file of an index made
            # with another.
            self._refuse_newer(connection, self.path)
            connection.execute("PRAGMA journal_mode=WAL")
            connection.execute("PRAGMA synchronous=NORMAL")
            if self._schema_version(connection, self.path) != SCHEMA_VERSION:
                self._create(connection)
        except sqlite3.Error as error:
            # Judged before closing, which may remove the files it looks at.
            failure = index_failure(self.path, error)
            connection.close()
            raise failure from None
        except CacheUnavailableError:
            connection.close()
            raise
        return connection

    @classmethod
    def _refuse_newer(cls, connection: sqlite3.Connection, path: Path) -> None:
        """Raise `NewerIndexError` for an index of a schema past `SCHEMA_VERSION`.

        SQLite's `user_version`, in the file's header, says so whatever tables a later
        schema keeps; the `meta` row says so for indexes made before it was set."""
        (stamped,) = connection.execute("PRAGMA user_version").fetchone()
        schema = max(stamped, cls._schema_version(connection, path) or 0)
        if schema > SCHEMA_VERSION:
            raise NewerIndexError(path, schema)

    @staticmethod
    def _schema_version(connection: sqlite3.Connection, path: Path) -> int | None:
        try:
            row = connection.execute("SELECT value FROM meta WHERE key = 'schema'").fetchone()
        except sqlite3.OperationalError as error:
            if "no such table" in str(error):
                return None
            raise
        if row is None:
            return None
        if not (isinstance(row[0], str) and row[0].isdecimal() and row[0].isascii()):
            raise IndexDamagedError(path, f"schema version {row[0]!r} is not a number")
        return int(row[0])

    def _create(self, connection: sqlite3.Connection, reading: str | None = None) -> None:
        """Make the tables afresh when they are of another schema, or, given `reading`,
        when their posts were read with another reading fingerprint."""
        connection.execute("BEGIN IMMEDIATE")
        try:
            # Again, under the write lock: a newer canvascli may have made it meanwhile.
            self._refuse_newer(connection, self.path)
            if self._schema_version(connection, self.path) != SCHEMA_VERSION or (
                reading is not None and self._reading(connection) != reading
            ):
                for table in _TABLES:
                    connection.execute(f"DROP TABLE IF EXISTS {table}")
                drop_search_tables(connection)
                for statement in _SCHEMA.split(";"):
                    if statement.strip():
                        connection.execute(statement)
                connection.executemany(
                    "INSERT INTO meta (key, value) VALUES (?, ?)",
                    [
                        ("schema", str(SCHEMA_VERSION)),
                        ("library", _path_text(self.library)),
                        ("reading", reading or ""),
                    ],
                )
                connection.execute(
                    "INSERT INTO post_set VALUES (?, ?, ?, ?, ?, ?)", PostSet(0, 0, 0, 0).row()
                )
                connection.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
            connection.execute("COMMIT")
        except BaseException:
            with contextlib.suppress(sqlite3.Error):
                connection.execute("ROLLBACK")
            raise

    @staticmethod
    def _reading(connection: sqlite3.Connection) -> str:
        row = connection.execute("SELECT value FROM meta WHERE key = 'reading'").fetchone()
        return str(row[0]) if row else ""

    def reading(self) -> str:
        """The fingerprint (see `reading_fingerprint`) of how the indexed posts were read."""
        try:
            return self._reading(self._connection)
        except sqlite3.Error as error:
            raise index_failure(self.path, error) from None

    def read_with(self, reading: str) -> None:
        """Forget every post read otherwise than `reading` says, so that each is read again."""
        if self.reading() == reading:
            return
        try:
            self._create(self._connection, reading)
        except sqlite3.Error as error:
            raise index_failure(self.path, error) from None

    @classmethod
    def open(cls, library: Path, directory: Path | None = None) -> Index:
        """The library's index; raises `IndexDamagedError` for a file that is not an index
        `canvas` wrote (see `discard`), `CacheUnavailableError` if it cannot be used."""
        return cls(index_path(library, directory or cache_dir()), library)

    def close(self) -> None:
        if self._ahead is not None:
            self._ahead.collect()
        with contextlib.suppress(sqlite3.Error):
            self._connection.close()

    def fold_log(self) -> None:
        """Copy the write-ahead log into the index and empty it; best effort.

        After a build, the log holds the last batches and the snapshot, as big as a sixth
        of the index, and `canvas` leaves before closing it (`gc.freeze`), so nothing else
        would fold it until the next run writes."""
        with contextlib.suppress(sqlite3.Error), self._waiting_briefly():
            self._connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")

    def __enter__(self) -> Index:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _query(self, sql: str, parameters: Iterable[object] = ()) -> list[Any]:
        try:
            return self._connection.execute(sql, tuple(parameters)).fetchall()
        except sqlite3.Error as error:
            raise index_failure(self.path, error) from None

    def _damaged(self, what: str) -> IndexDamagedError:
        return IndexDamagedError(self.path, f"{what} fails its check")

    def rows(self) -> tuple[dict[str, IndexRow], bool]:
        """Every indexed post's row by path, and whether they came from the snapshot.

        A warm run over ten thousand posts reads them all, and most need only a look at
        their file state. The rows come from the snapshot when one in this Python's format
        is stored, else from the table, each checked either way.
        """
        rows = self._snapshot_rows()
        if rows is not None:
            return rows, True
        return self._table_rows(), False

    def _table_rows(self) -> dict[str, IndexRow]:
        return {
            row[0]: verified_row(row, self.path)
            for row in self._query(f"SELECT {_ROW_COLUMNS} FROM posts")
        }

    def _snapshot_rows(self) -> dict[str, IndexRow] | None:
        """The snapshot with the changes kept beside it, or None if none is stored."""
        stored = self._stored_snapshot()
        if stored is None:
            return None
        blob, changes = stored
        rows = _loaded(blob, self._damaged("the snapshot of every post"))
        if not isinstance(rows, dict) or (rows and not _is_row(next(iter(rows.values())))):
            raise self._damaged("the snapshot of every post")
        for path, change in changes:
            if change is None:
                rows.pop(path, None)
                continue
            row = _loaded(change, self._damaged("a change kept beside the snapshot"))
            if not _is_row(row):
                raise self._damaged("a change kept beside the snapshot")
            rows[path] = row
        return rows

    def _stored_snapshot(self) -> tuple[bytes, list[tuple[str, bytes | None]]] | None:
        """The snapshot's blob and the changes kept beside it, once their checksums hold;
        None if no snapshot in this Python's format is stored."""
        ahead, self._ahead = self._ahead, None
        if ahead is not None:
            return ahead.collect().snapshot()
        return self._read_snapshot()

    def _read_snapshot(self) -> tuple[bytes, list[tuple[str, bytes | None]]] | None:
        connection = self._connection
        try:
            # One read transaction, so that the snapshot and its changes belong together
            # (unless the caller already has one open, as a search does).
            own_transaction = not connection.in_transaction
            if own_transaction:
                connection.execute("BEGIN")
            try:
                found = connection.execute(
                    "SELECT rows, checksum FROM snapshot WHERE format = ?", (_SNAPSHOT_FORMAT,)
                ).fetchall()
                changes = connection.execute(
                    "SELECT path, row, checksum FROM snapshot_changes"
                ).fetchall()
            finally:
                if own_transaction:
                    connection.execute("COMMIT")
        except sqlite3.Error as error:
            raise index_failure(self.path, error) from None
        if not found:
            return None
        blob, stored_checksum = found[0]
        if not isinstance(blob, bytes) or zlib.crc32(blob) != stored_checksum:
            raise self._damaged("the snapshot of every post")
        for path, change, change_checksum in changes:
            if checksum((path, change)) != change_checksum:
                raise self._damaged("a change kept beside the snapshot")
        return blob, [(path, change) for path, change, _ in changes]

    def more_summaries(self) -> dict[str, list[SummaryRow]]:
        """The summary columns of every canvas after the first, by path, for the posts
        that hold several."""
        rows = self._query("SELECT path, summaries, checksum FROM more_canvases")
        return {
            str(path): [tuple(columns) for columns in json.loads(summaries)]
            for path, summaries in self._checked(rows, "the later canvases of a post")
        }

    def read_ahead(self, question: str) -> None:
        """Start reading, in a thread, what answering `question` from a kept answer reads:
        the answer, and the snapshot with the changes beside it.

        The caller looks at every post meanwhile, and both wait mostly on the system and
        on SQLite, which let the other run: for 10,000 posts the reading took a third as
        long as the looking, one after the other. Nothing else may use the index until
        `answer` or `rows` takes what was read.
        """
        self._ahead = _ReadAhead(self, question)

    def answer(self, question: str, digest: bytes) -> bytes | None:
        """The answer kept for `question` while the posts were in the state `digest` sums
        up, as UTF-8, or None.

        What a run through the summaries would check is checked as well (the snapshot and
        the changes beside it, the later canvases of posts), so that damage to them is
        still found, and the index rebuilt, by a run that answers from here.
        """
        ahead = self._ahead.collect() if self._ahead is not None else None
        if ahead is not None and ahead.question == question:
            kept = ahead.kept()  # its snapshot stays for `_stored_snapshot`
        else:
            kept = _checked_answer(question, self._kept_answer(question))
        if kept is None or kept.digest != digest:
            return None
        if not kept.holds:
            raise self._damaged("a kept answer")
        if self._stored_snapshot() is None:
            return None
        self.more_summaries()
        return kept.answer

    def _kept_answer(self, question: str) -> tuple[object, object, object] | None:
        """The digest, answer and checksum kept for `question`, or None."""
        try:
            found = self._connection.execute(
                "SELECT digest, answer, checksum FROM answers WHERE question = ?", (question,)
            ).fetchall()
        except sqlite3.OperationalError as error:
            if "no such table: answers" in str(error):
                return None
            raise index_failure(self.path, error) from None
        except sqlite3.Error as error:
            raise index_failure(self.path, error) from None
        return tuple(found[0]) if found else None

    def keep_answer(self, question: str, digest: bytes, text: str) -> None:
        """Keep `text` as the answer to `question` while the posts stay in the state `digest`
        sums up, forgetting answers kept for any other state. Best effort, like
        `save_snapshot`."""
        answer = text.encode("utf-8", "surrogatepass")
        values = (question, digest, answer, _answer_checksum(question, digest, answer))
        with contextlib.suppress(sqlite3.Error), self._waiting_briefly(), self._writing():
            self._connection.execute(_ANSWERS_SCHEMA)
            self._connection.execute("DELETE FROM answers WHERE digest != ?", (digest,))
            self._connection.execute("INSERT OR REPLACE INTO answers VALUES (?, ?, ?, ?)", values)
        # The answer is as big as the output (40 MB for 100,000 posts); left in the log, it
        # would take that room twice.
        self.fold_log()

    def listing(self) -> PostListing | None:
        """The last walk of the library, if one is stored in this Python's format."""
        found = self._query(
            "SELECT format, head, head_checksum, paths, paths_checksum FROM listing"
        )
        head = self._listing_head(found)
        if head is None:
            return None
        paths = self._checked_blob(found[0][3:], "the stored walk of the library")
        if not isinstance(paths, list) or len(paths) != head.posts:
            raise self._damaged("the stored walk of the library")
        return PostListing(head.started_ns, head.folders, paths)

    def listing_head(self) -> ListingHead | None:
        """The last walk of the library without its paths, if one is stored in this
        Python's format."""
        return self._listing_head(self._query("SELECT format, head, head_checksum FROM listing"))

    def _listing_head(self, found: list[Any]) -> ListingHead | None:
        if not found or found[0][0] != _SNAPSHOT_FORMAT:
            return None
        loaded = self._checked_blob(found[0][1:3], "the stored walk of the library")
        if not (isinstance(loaded, tuple) and len(loaded) == len(ListingHead._fields)):
            raise self._damaged("the stored walk of the library")
        head = ListingHead(*loaded)
        if not (
            isinstance(head.started_ns, int)
            and isinstance(head.folders, dict)
            and isinstance(head.posts, int)
            and isinstance(head.digest, int)
        ):
            raise self._damaged("the stored walk of the library")
        return head

    def _checked_blob(self, found: tuple[object, object], what: str) -> object:
        """A marshal blob read with its CRC-32, once the CRC holds."""
        blob, stored_checksum = found
        if not isinstance(blob, bytes) or zlib.crc32(blob) != stored_checksum:
            raise self._damaged(what)
        return _loaded(blob, self._damaged(what))

    def save_listing(self, listing: PostListing) -> None:
        """Store a walk of the library; best effort, like `save_snapshot`."""
        digest = paths_digest(listing.paths)
        head = marshal.dumps((listing.started_ns, listing.folders, len(listing.paths), digest))
        paths = marshal.dumps(listing.paths)
        with contextlib.suppress(sqlite3.Error), self._waiting_briefly(), self._connection:
            self._connection.execute(
                "INSERT OR REPLACE INTO listing VALUES (0, ?, ?, ?, ?, ?)",
                (_SNAPSHOT_FORMAT, head, zlib.crc32(head), paths, zlib.crc32(paths)),
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
        few enough; otherwise the snapshot is written afresh from the whole table, every
        row checked first, so that damage to the table never passes into it.
        """
        connection = self._connection
        if changed is not None:
            (kept,) = connection.execute("SELECT count(*) FROM snapshot_changes").fetchone()
            (stored,) = connection.execute(
                "SELECT count(*) FROM snapshot WHERE format = ?", (_SNAPSHOT_FORMAT,)
            ).fetchone()
            if stored and kept + len(changed) <= _SNAPSHOT_CHANGES:
                now = self._rows_of(changed)
                dumped = [(path, _dumped(now.get(path))) for path in changed]
                connection.executemany(
                    "INSERT OR REPLACE INTO snapshot_changes VALUES (?, ?, ?)",
                    [(path, blob, checksum((path, blob))) for path, blob in dumped],
                )
                return
        blob = marshal.dumps(self._table_rows())
        connection.execute(
            "INSERT OR REPLACE INTO snapshot VALUES (0, ?, ?, ?)",
            (_SNAPSHOT_FORMAT, blob, zlib.crc32(blob)),
        )
        connection.execute("DELETE FROM snapshot_changes")

    def _rows_of(self, paths: list[str]) -> dict[str, IndexRow]:
        rows = self._of_paths(f"SELECT {_ROW_COLUMNS} FROM posts", paths)
        return {row[0]: verified_row(row, self.path) for row in rows}

    def _of_paths(self, select: str, paths: list[str]) -> Iterator[tuple[Any, ...]]:
        return rows_of_paths(self._connection, select, paths)

    def post_set(self) -> PostSet:
        """What `posts` holds as a whole (see `PostSet`), kept in step by every write."""
        rows = self._query("SELECT posts, errors, shared_slugs, digest, checksum FROM post_set")
        found = list(self._checked(rows, "the summary of every post"))
        if len(found) != 1:
            raise self._damaged("the summary of every post")
        return PostSet(*found[0])

    def _keep_post_set(
        self, before: dict[str, IndexRow], fresh: dict[str, IndexRow], counts: dict[str, int]
    ) -> None:
        """Bring `post_set` in step with a write, inside its transaction, that turned the rows
        `before` into the `fresh` rows (a path in the first only was removed); `counts` are
        how many posts had each slug of either before the write."""
        kept = self.post_set()
        now = self._slug_counts(counts)
        added = [path for path in fresh if path not in before]
        gone = [path for path in before if path not in fresh]
        shared = sum(
            max(now.get(slug, 0) - 1, 0) - max(count - 1, 0) for slug, count in counts.items()
        )
        errors = sum(row[10] for row in fresh.values()) - sum(row[10] for row in before.values())
        updated = PostSet(
            kept.posts + len(fresh) - len(before),
            kept.errors + errors,
            kept.shared_slugs + shared,
            (kept.digest + paths_digest(added) - paths_digest(gone)) & _DIGEST_BITS,
        )
        self._connection.execute(
            "INSERT OR REPLACE INTO post_set VALUES (?, ?, ?, ?, ?, ?)", updated.row()
        )

    def _slug_counts(self, slugs: Iterable[str]) -> dict[str, int]:
        """How many posts have each of these slugs (none for a slug no post has)."""
        wanted = list(slugs)
        counts: dict[str, int] = {}
        for start in range(0, len(wanted), 500):
            part = wanted[start : start + 500]
            marks = ", ".join("?" * len(part))
            query = f"SELECT slug, count(*) FROM posts WHERE slug IN ({marks}) GROUP BY slug"
            counts.update(self._connection.execute(query, part))
        return counts

    def by_slug(self, slug: str) -> list[IndexRow]:
        """The rows of the indexed posts with this slug."""
        if not slug.isascii() and not _is_storable(slug):
            return []  # bytes of an argument that are not UTF-8: no slug is made of them
        rows = self._query(f"SELECT {_ROW_COLUMNS} FROM posts WHERE slug = ?", (slug,))
        found = [verified_row(row, self.path) for row in rows]
        if any(row[7] != slug for row in found):
            raise self._damaged("the index of posts by slug")
        return found

    def states(self) -> dict[str, int]:
        """The stamp of each post's row: what derived rows key on."""
        return {path: row_stamp(row) for path, row in self.rows()[0].items()}

    def record(self, path: str) -> Any:
        """The record `pack_record` packed of the post at `path`, or None if none is stored."""
        rows = self._query("SELECT record, checksum FROM records WHERE path = ?", (path,))
        if not rows:
            return None
        record, stored_checksum = rows[0]
        if not isinstance(record, bytes) or record_checksum(path, record) != stored_checksum:
            raise self._damaged(f"the stored record of {path!r}")
        try:
            return unpack_record(record)
        except (zlib.error, ValueError, EOFError, TypeError):
            raise self._damaged(f"the stored record of {path!r}") from None

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
        fresh = {post.path: post.row() for post in posts}
        try:
            with self._writing() as connection:
                before = self._rows_of(list({*removed, *fresh}))
                counts = self._slug_counts({row[7] for row in (*before.values(), *fresh.values())})
                connection.executemany("DELETE FROM posts WHERE path = ?", gone)
                connection.executemany("DELETE FROM records WHERE path = ?", gone)
                # Nearly always empty, and then not worth a statement per post written.
                if connection.execute("SELECT 1 FROM more_canvases LIMIT 1").fetchone():
                    connection.executemany(
                        "DELETE FROM more_canvases WHERE path = ?",
                        [*gone, *((post.path,) for post in posts)],
                    )
                connection.executemany(
                    "INSERT OR REPLACE INTO more_canvases VALUES (?, ?, ?)",
                    (post.more_row() for post in posts if post.more),
                )
                connection.executemany(
                    f"INSERT OR REPLACE INTO posts VALUES ({placeholders})", fresh.values()
                )
                self._keep_post_set(before, fresh, counts)
                connection.executemany(
                    "INSERT OR REPLACE INTO records VALUES (?, ?, ?)",
                    (post.record_row() for post in posts),
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
            raise index_failure(self.path, error) from None

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
        another process wrote keeps its hash. What `canvas check` found in the post moves
        to the settled row with it, or the next check would read the post again."""
        if not settled:
            return
        self._connection.executemany(
            "UPDATE posts SET content_hash = NULL, checksum = ? WHERE path = ? AND checksum = ?",
            [(settled_stamp(row), row[0], row[_STAMP]) for row in settled],
        )
        checks = self._stored_checks_of([row[0] for row in settled])
        moved: list[tuple[int, int, str, int]] = []
        for row in settled:
            kept = checks.get(row[0])
            if kept is not None and kept.stamp == row_stamp(row):
                *_, stamp, _diagnostics, check = kept._replace(stamp=settled_stamp(row)).row()
                moved.append((stamp, check, kept.path, kept.stamp))
        self._connection.executemany(
            "UPDATE post_checks SET stamp = ?, checksum = ? WHERE path = ? AND stamp = ?", moved
        )

    def _stored_checks_of(self, paths: list[str]) -> dict[str, StoredCheck]:
        """`stored_checks` of a few posts, looked up one by one; of many, read all at once."""
        if len(paths) > _CHECKS_LOOKED_UP:
            return self.stored_checks()
        rows = [
            found
            for path in paths
            for found in self._connection.execute(
                "SELECT path, stamp, diagnostics, checksum FROM post_checks WHERE path = ?",
                (path,),
            )
        ]
        return {
            values[0]: StoredCheck(*values)
            for values in self._checked(rows, "what check found in a post")
        }

    def stored_terms(self) -> dict[str, StoredTerms]:
        """Every post's kept terms, by path."""
        rows = self._query("SELECT path, stamp, version, terms, checksum FROM post_terms")
        return {
            values[0]: StoredTerms(*values)
            for values in self._checked(rows, "the stored terms of a post")
        }

    def _checked(self, rows: Iterable[tuple[Any, ...]], what: str) -> Iterator[tuple[Any, ...]]:
        return checked_rows(rows, what, self.path)

    def save_terms(self, fresh: Iterable[StoredTerms], gone: Iterable[str]) -> None:
        """Keep the terms found for new or changed posts; forget those of removed posts."""
        self._replace_rows("post_terms", 5, (terms.row() for terms in fresh), gone)

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
            raise index_failure(self.path, error) from None

    def stored_checks(self) -> dict[str, StoredCheck]:
        """What `canvas check` found in every post when it was last parsed, by path."""
        rows = self._query("SELECT path, stamp, diagnostics, checksum FROM post_checks")
        return {
            values[0]: StoredCheck(*values)
            for values in self._checked(rows, "what check found in a post")
        }

    def save_checks(self, fresh: Iterable[StoredCheck], gone: Iterable[str] = ()) -> None:
        """Keep what `canvas check` found in new or changed posts; forget removed posts'."""
        self._replace_rows("post_checks", 4, (check.row() for check in fresh), gone)

    def info(self) -> IndexInfo:
        (count,) = self._query("SELECT count(*) FROM posts")[0]
        size = index_size(self.path)
        return IndexInfo(self.path, size, count, SCHEMA_VERSION, str(self.library))

    def search(
        self,
        paths: Iterable[str],
        sections_of: Callable[[Any], Iterable[SearchSection]],
        request: SearchRequest,
        known: Mapping[str, int] | None = None,
    ) -> SearchAnswer:
        """Search the given posts, first bringing their full-text rows up to date.

        `sections_of` turns a post's stored record into its sections. Rows are written
        for posts that are new or changed since they were last made, and dropped for
        posts no longer searched, so the full-text table holds exactly the posts given
        and its ranking matches a search of those posts alone. `known` is the stamp of
        each post's row as the caller read it: when the posts given, with those stamps,
        are the ones the rows were last made from, nothing is read to refresh them.
        """
        paths = list(paths)
        try:
            with self._writing() as connection:
                create_search_tables(connection)
                made = self._searched_posts(connection)
                if made is not None and made.checksum != full_text_checksum(connection):
                    raise self._damaged("the full-text index")
                if made is None or known is None or made.posts != _wanted_digest(paths, known):
                    made_from = self._refresh_search(paths, sections_of, known, made)
                    made = _keep_made_from(connection, made_from)
                else:
                    made = None
                answer = run_search(connection, request, self.path)
        except sqlite3.Error as error:
            raise index_failure(self.path, error) from None
        if made is not None:
            self._save_full_text_checksum(made)
        return answer

    def search_as_made(
        self, posts_digest: str, request: SearchRequest, ahead: SearchAhead | None = None
    ) -> tuple[SearchAnswer, dict[str, IndexRow]] | None:
        """The search, without bringing the full-text rows up to date, and the row of each
        post it shows; None unless the rows were last made from the posts `posts_digest`
        (a `searched_posts_digest`) sums up, and each post shown has the row they were
        made from. The full-text tables are checked for damage as by `search`.

        The search `ahead` ran, if it ran to the end on rows made from those posts, is
        taken as it is; otherwise it is run here, and meets any failure that stopped it.
        """
        found = ahead.found() if ahead is not None and ahead.request == request else None
        try:
            connection = self._connection
            connection.execute("BEGIN")
            try:
                if found is None or found.made != posts_digest:
                    found = _search_stored_rows(connection, request, self.path, posts_digest)
                if found is None or found.made != posts_digest:
                    return None
                rows = self._rows_of(sorted(found.stamps))
            finally:
                connection.execute("COMMIT")
        except sqlite3.Error as error:
            raise index_failure(self.path, error) from None
        stamps = found.stamps
        if any(path not in rows or row_stamp(rows[path]) != stamps[path] for path in stamps):
            return None
        return found.answer, rows

    def _searched_posts(self, connection: sqlite3.Connection) -> FullTextMade | None:
        return searched_posts(connection, self.path)

    def _save_full_text_checksum(self, made: FullTextMade) -> None:
        """Keep the checksum of the full-text tables beside what `_keep_made_from` kept,
        unless another run made the rows again since. Best effort, once the rows written
        are committed: FTS5 holds new terms in memory until then, so a checksum taken
        before would not be of what is stored."""
        with contextlib.suppress(sqlite3.Error), self._waiting_briefly(), self._writing():
            values = (full_text_checksum(self._connection), made.posts, made.stamps_checksum)
            self._connection.execute(
                "UPDATE search_check SET checksum = ?, row_checksum = ? "
                "WHERE checksum = ? AND posts = ? AND stamps_checksum = ?",
                (values[0], checksum(values), _CHECKSUM_PENDING, *values[1:]),
            )

    def _made_stamps(self, made: FullTextMade) -> dict[str, int]:
        """The stamps of the posts the full-text rows were made from, as `search_check`
        keeps them."""
        (found,) = self._query("SELECT stamps FROM search_check")
        stamps = found[0]
        if not isinstance(stamps, bytes) or zlib.crc32(stamps) != made.stamps_checksum:
            raise self._damaged("the stamps of the searchable posts")
        loaded = _loaded(stamps, self._damaged("the stamps of the searchable posts"))
        if not isinstance(loaded, dict):
            raise self._damaged("the stamps of the searchable posts")
        return loaded

    def _searched_rows(
        self, made: FullTextMade | None, wanted: Mapping[str, int]
    ) -> tuple[dict[str, int], dict[str, SearchedPost]]:
        """The stamp of each post the full-text rows were made from, and the rows of
        `search_posts` of those that `wanted` has in another stamp, or not at all: every
        row, unless `made` says which posts they were and in what stamps, when only those
        rows are read, and each is checked against what `made` says."""
        what = "the list of searchable posts"
        if made is None:
            rows = self._connection.execute(
                "SELECT path, stamp, first, sections, checksum FROM search_posts"
            )
            posts = {values[0]: SearchedPost(*values) for values in self._checked(rows, what)}
            return {path: post.stamp for path, post in posts.items()}, posts
        stamps = self._made_stamps(made)
        unwanted = [path for path, stamp in stamps.items() if wanted.get(path) != stamp]
        found = self._of_paths(
            "SELECT path, stamp, first, sections, checksum FROM search_posts", unwanted
        )
        posts = {values[0]: SearchedPost(*values) for values in self._checked(found, what)}
        if any(path not in posts or posts[path].stamp != stamps[path] for path in unwanted):
            raise self._damaged(what)
        return stamps, posts

    def _refresh_search(
        self,
        paths: Iterable[str],
        sections_of: Callable[[Any], Iterable[SearchSection]],
        known: Mapping[str, int] | None = None,
        made: FullTextMade | None = None,
    ) -> dict[str, int]:
        """Bring the full-text rows in step with the posts given, in the state `known`
        gives their rows' stamps in (else as the index holds them now), from the posts
        `made` says they were made from, if it is given; the stamp of each post they are
        made from now.

        A post whose rows are made again is made from its record as stored now, under
        the stamp of its row now, which a run beside this one may have changed since the
        caller read it: what the rows record is then of what they hold, and the next search
        finds the post changed again."""
        connection = self._connection
        stamps = self.states() if known is None else known
        wanted = {path: stamps[path] for path in paths if path in stamps}
        indexed, posts = self._searched_rows(made, wanted)
        stale = [path for path, stamp in wanted.items() if indexed.get(path) != stamp]
        if known is not None and stale:
            now = {path: row_stamp(row) for path, row in self._rows_of(stale).items()}
            for path in stale:
                if path in now:
                    wanted[path] = now[path]
                else:
                    del wanted[path]
        gone = [post for path, post in posts.items() if wanted.get(path) != post.stamp]
        remove_search_posts(connection, gone)
        for path, stamp in wanted.items():
            if indexed.get(path) == stamp:
                continue
            record = self.record(path)
            if record is None:
                raise IndexDamagedError(self.path, f"the record of {path!r} is missing")
            first, count = add_search_sections(connection, path, sections_of(record))
            values = (path, stamp, first, count)
            connection.execute(
                "INSERT OR REPLACE INTO search_posts VALUES (?, ?, ?, ?, ?)",
                (*values, checksum(values)),
            )
        return wanted


# What `search_check` holds for the checksum of the full-text tables between the
# transaction that makes their rows and the one that checks what it made.
_CHECKSUM_PENDING = -1


def _keep_made_from(connection: sqlite3.Connection, made_from: dict[str, int]) -> FullTextMade:
    """Keep, in the transaction that made the full-text rows, the stamps of the posts they
    were made from and their digest, with the checksum of the tables still to come (see
    `Index._save_full_text_checksum`): a run that makes the rows again meanwhile replaces
    this, and the checksum is then kept for its rows alone."""
    stamps = marshal.dumps(made_from)
    made = FullTextMade(_CHECKSUM_PENDING, searched_posts_digest(made_from), zlib.crc32(stamps))
    connection.execute(
        "INSERT OR REPLACE INTO search_check VALUES (0, ?, ?, ?, ?, ?)",
        (*made, stamps, checksum(tuple(made))),
    )
    return made


class FullTextMade(NamedTuple):
    """What `search_check` keeps of the full-text rows: the checksum of FTS5's tables, the
    `searched_posts_digest` of the posts the rows were made from, and the CRC-32 of the
    stamps of those posts (kept beside it, and read only to bring the rows up to date)."""

    checksum: int
    posts: str
    stamps_checksum: int


def searched_posts(connection: sqlite3.Connection, path: Path) -> FullTextMade | None:
    """What `search_check` keeps of the full-text rows, as last stored; None if nothing,
    or if the checksum of the rows last made is still to come."""
    found = connection.execute(
        "SELECT checksum, posts, stamps_checksum, row_checksum FROM search_check"
    )
    rows = list(checked_rows(found.fetchall(), "the summary of the full-text index", path))
    if not rows:
        return None
    fts_checksum, posts, stamps_checksum = rows[0]
    if fts_checksum == _CHECKSUM_PENDING:
        return None
    return FullTextMade(int(fts_checksum), str(posts), int(stamps_checksum))


def checked_rows(
    rows: Iterable[tuple[Any, ...]], what: str, path: Path
) -> Iterator[tuple[Any, ...]]:
    """Each row without its last column, once that column, the checksum of the others,
    holds; raises `IndexDamagedError` naming `what` (of the index at `path`) if not."""
    for *values, stored_checksum in rows:
        if checksum(tuple(values)) != stored_checksum:
            raise IndexDamagedError(path, f"{what} fails its check")
        yield tuple(values)


class StoredSearch(NamedTuple):
    """A search of the full-text rows as they stand: the `searched_posts_digest` of the
    posts they were made from, the answer, and the stamp each post shown had then."""

    made: str
    answer: SearchAnswer
    stamps: dict[str, int]


def _search_stored_rows(
    connection: sqlite3.Connection,
    request: SearchRequest,
    path: Path,
    made_from: str = "",
    *,
    check_last: bool = False,
) -> StoredSearch | None:
    """The search of the full-text rows as they stand, in the caller's transaction; None
    if none were ever made, or, given `made_from`, not made from the posts it sums up.
    Raises `IndexDamagedError` for tables that fail their check: checked before the
    search, so that damage is told as such, or after it with `check_last`."""
    made = searched_posts(connection, path)
    if made is None or (made_from and made.posts != made_from):
        return None
    if not check_last and made.checksum != full_text_checksum(connection):
        raise IndexDamagedError(path, "the full-text index fails its check")
    answer = run_search(connection, request, path)
    if check_last and made.checksum != full_text_checksum(connection):
        raise IndexDamagedError(path, "the full-text index fails its check")
    shown = sorted({match.path for match in answer.matches})
    found = rows_of_paths(
        connection, "SELECT path, stamp, first, sections, checksum FROM search_posts", shown
    )
    stamps = {
        str(post): int(stamp)
        for post, stamp, *_ in checked_rows(found, "the list of searchable posts", path)
    }
    return StoredSearch(made.posts, answer, stamps)


def rows_of_paths(
    connection: sqlite3.Connection, select: str, paths: list[str]
) -> Iterator[tuple[Any, ...]]:
    """The rows `select` finds whose path is one of `paths`, asked for 500 at a time."""
    for start in range(0, len(paths), 500):
        part = paths[start : start + 500]
        marks = ", ".join("?" * len(part))
        yield from connection.execute(f"{select} WHERE path IN ({marks})", part)


class SearchAhead:
    """A search of the full-text rows as they stand, run in a thread on a connection of
    its own while the caller makes sure they are of the posts as they are now (a look at
    every post, the longer half of a warm search of a big library): its answer is taken
    only then (see `Index.search_as_made`).

    It opens the index only to read it, and gives up at anything amiss (no index yet, a
    schema of another version, damage, a failure to read): the search is then run again
    in the usual way, which meets the failure and deals with it.
    """

    def __init__(self, path: Path, request: SearchRequest) -> None:
        import threading

        self.request = request
        self._path = path
        self._found: StoredSearch | None = None
        self._lock = threading.Lock()
        self._connection: sqlite3.Connection | None = None
        self._stopped = False
        self._thread = threading.Thread(target=self._search, name="search-ahead", daemon=True)
        self._thread.start()

    def _search(self) -> None:
        try:
            connection = sqlite3.connect(
                f"{self._path.resolve().as_uri()}?mode=ro",
                uri=True,
                timeout=_BUSY_WAIT_MS / 1000,
                isolation_level=None,
                check_same_thread=False,
            )
        except (sqlite3.Error, OSError):
            return
        with self._lock:
            if self._stopped:
                connection.close()
                return
            self._connection = connection
        try:
            connection.execute("BEGIN")
            if Index._schema_version(connection, self._path) == SCHEMA_VERSION:
                # Checked last: the search runs in SQLite, leaving Python to the caller,
                # while the check steps through rows in Python, which the caller needs.
                self._found = _search_stored_rows(
                    connection, self.request, self._path, check_last=True
                )
        except Exception:  # met again, and dealt with, by the search run again
            self._found = None
        finally:
            with self._lock:
                self._connection = None
                connection.close()

    def found(self) -> StoredSearch | None:
        """The search, once the thread is done; None if it gave up."""
        self._thread.join()
        return self._found

    def stop(self) -> None:
        """Interrupt the search, when its answer will not be wanted, and wait for it."""
        with self._lock:
            self._stopped = True
            if self._connection is not None:
                self._connection.interrupt()
        self._thread.join()


class _KeptAnswer(NamedTuple):
    """An answer as the index keeps it, and whether its checksum holds."""

    digest: object
    answer: bytes
    holds: bool


def _checked_answer(
    question: str, found: tuple[object, object, object] | None
) -> _KeptAnswer | None:
    """The kept answer `Index._kept_answer` found, with its checksum checked."""
    if found is None:
        return None
    digest, answer, stored_checksum = found
    if not (isinstance(answer, bytes) and isinstance(digest, bytes)):
        return _KeptAnswer(digest, b"", holds=False)
    return _KeptAnswer(
        digest, answer, _answer_checksum(question, digest, answer) == stored_checksum
    )


class _ReadAhead:
    """What `Index.read_ahead` reads in its thread: the kept answer and the snapshot, each
    as it was read or the error reading it raised."""

    def __init__(self, index: Index, question: str) -> None:
        import threading

        self.question = question
        self._index = index
        self._kept: _KeptAnswer | None = None
        self._snapshot: tuple[bytes, list[tuple[str, bytes | None]]] | None = None
        self._kept_error: BaseException | None = None
        self._snapshot_error: BaseException | None = None
        self._thread = threading.Thread(target=self._read, name="index-read-ahead", daemon=True)
        self._thread.start()

    def _read(self) -> None:
        index = self._index
        try:
            # The answer's checksum is worked out here too, beside the caller's looking.
            self._kept = _checked_answer(self.question, index._kept_answer(self.question))
        except BaseException as error:  # given to the caller by `kept`
            self._kept_error = error
        try:
            self._snapshot = index._read_snapshot()
        except BaseException as error:  # given to the caller by `snapshot`
            self._snapshot_error = error

    def collect(self) -> _ReadAhead:
        """This, once the thread is done."""
        self._thread.join()
        return self

    def kept(self) -> _KeptAnswer | None:
        if self._kept_error is not None:
            raise self._kept_error
        return self._kept

    def snapshot(self) -> tuple[bytes, list[tuple[str, bytes | None]]] | None:
        if self._snapshot_error is not None:
            raise self._snapshot_error
        return self._snapshot


def _wanted_digest(paths: Iterable[str], stamps: Mapping[str, int]) -> str:
    return searched_posts_digest({path: stamps[path] for path in paths if path in stamps})


def full_text_checksum(connection: sqlite3.Connection) -> int:
    """A CRC-32 of FTS5's own tables: damage to its lists could lose or invent matches
    that no check of a single match would see. A pass over bytes, cheap beside a search."""
    value = 0
    for table, order in _FTS_TABLES:
        rows = connection.execute(f"SELECT * FROM {table} ORDER BY {order}")
        # In chunks, each as the bytes of its rows (see `_chunk_parts`), without holding
        # the whole table at once; the parts are checked a few hundred together, as zlib
        # leaves Python free to other threads (a search's caller) only on longer bytes.
        while chunk := rows.fetchmany(_CHECKSUM_CHUNK):
            parts = _chunk_parts(chunk)
            for start in range(0, len(parts), _CHECKED_TOGETHER):
                value = zlib.crc32(b"".join(parts[start : start + _CHECKED_TOGETHER]), value)
    return value


def _chunk_parts(chunk: list[tuple[Any, ...]]) -> tuple[bytes, ...]:
    """Rows as bytes that tell them apart, in parts to be checked one after the other.
    Most of FTS5's rows are a number and a blob (its lists, and each section's length):
    those are packed whole, column by column, without a Python step per row, and each
    blob is a part of its own rather than copied into one (28 MB for 100,000 posts); any
    other chunk is written as its text."""
    from array import array

    if set(map(len, chunk)) == {2}:
        numbers, blobs = zip(*chunk, strict=True)
        if {*map(type, numbers)} == {int} and {*map(type, blobs)} == {bytes}:
            lengths = array("q", map(len, blobs))
            return (b"\1", array("q", numbers).tobytes(), lengths.tobytes(), *blobs)
    return (b"\0" + repr(chunk).encode("utf-8", "backslashreplace"),)


def _loaded(blob: bytes, damaged: IndexDamagedError) -> object:
    try:
        return marshal.loads(blob)
    except (ValueError, EOFError, TypeError):
        raise damaged from None


def discard(path: Path) -> None:
    """Delete a damaged index, so the next `Index.open` starts again from nothing."""
    for part in index_files(path):
        part.unlink(missing_ok=True)


def is_racy(state: FileState, now_ns: int | None = None) -> bool:
    """Whether the file changed (its contents or its inode) too recently to trust its times."""
    now_ns = time.time_ns() if now_ns is None else now_ns
    return max(state.mtime_ns, state.ctime_ns) >= now_ns - RACY_WINDOW_NS


def all_indexes(directory: Path | None = None) -> list[Path]:
    directory = directory or cache_dir()
    return sorted(directory.glob("library-*.sqlite3")) if directory.is_dir() else []


def clear(directory: Path | None = None) -> int:
    """Delete every index in the cache folder, and the write-ahead files of any index
    already gone; the number of indexes removed."""
    directory = directory or cache_dir()
    removed = 0
    for path in all_indexes(directory):
        _remove(path)
        removed += 1
    if directory.is_dir():
        for suffix in ("-wal", "-shm"):
            for left in directory.glob(f"library-*.sqlite3{suffix}"):
                left.unlink(missing_ok=True)
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
    size = index_size(path)
    return IndexInfo(path, size, count, schema, str(library.resolve()))


def _count_posts(path: Path) -> tuple[int | None, int]:
    """The schema and number of posts of an index, read without touching its files.

    Even a read-only reader of a write-ahead log writes to its shared-memory file, so an
    index with a log is read from a copy; without one the database file is whole, and
    opened as immutable it is only read.
    """
    wal = index_files(path)[1]
    if not (wal.exists() and wal.stat().st_size > 0):
        return _schema_and_count(f"{path.resolve().as_uri()}?immutable=1", path)
    import shutil
    import tempfile

    with tempfile.TemporaryDirectory(prefix="canvascli-") as folder:
        copy = Path(folder) / path.name
        shutil.copyfile(path, copy)
        shutil.copyfile(wal, index_files(copy)[1])
        return _schema_and_count(f"{copy.as_uri()}?mode=rw", path)


def _schema_and_count(uri: str, path: Path) -> tuple[int | None, int]:
    """An index whose tables were never made (a disk full as it was first written, a run
    killed then) holds no posts yet, as one not made at all."""
    with contextlib.closing(sqlite3.connect(uri, uri=True)) as connection:
        Index._refuse_newer(connection, path)
        schema = Index._schema_version(connection, path)
        if schema is None:
            return None, 0
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


class SearchedPost(NamedTuple):
    """A post whose sections are in the full-text tables, numbered `first` on, and the stamp
    of its row then. Its sections are found by number, in the tables themselves, rather
    than through an index on their path, which damage could make miss some."""

    path: str
    stamp: int
    first: int
    sections: int


def add_search_sections(
    connection: sqlite3.Connection, path: str, sections: Iterable[SearchSection]
) -> tuple[int, int]:
    """Add a post's sections, numbered one after another; the first number and how many."""
    (last,) = connection.execute("SELECT coalesce(max(id), 0) FROM search_sections").fetchone()
    first = int(last) + 1
    number = first - 1
    for number, section in enumerate(sections, first):
        connection.execute(
            "INSERT INTO search_text (rowid, body) VALUES (?, ?)", (number, section.body)
        )
        (length,) = connection.execute(
            "SELECT sz FROM search_text_docsize WHERE id = ?", (number,)
        ).fetchone()
        connection.execute(
            "INSERT INTO search_sections VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            (
                number,
                path,
                section.slug,
                section.block,
                section.heading,
                section.position,
                length,
                _section_checksum(number, path, section, length),
            ),
        )
    return first, number - first + 1


def _section_checksum(number: int, path: str, section: SearchSection, length: object) -> int:
    """The check of a section's row, of its text in the full-text table, and of the
    length FTS5 keeps of that text (which its rank depends on)."""
    return checksum((number, path, *section, length))


def remove_search_posts(connection: sqlite3.Connection, posts: Iterable[SearchedPost]) -> None:
    for post in posts:
        numbers = (post.first, post.first + post.sections - 1)
        connection.execute("DELETE FROM search_text WHERE rowid BETWEEN ? AND ?", numbers)
        connection.execute("DELETE FROM search_sections WHERE id BETWEEN ? AND ?", numbers)
        connection.execute("DELETE FROM search_posts WHERE path = ?", (post.path,))


def run_search(
    connection: sqlite3.Connection, request: SearchRequest, path: Path | None = None
) -> SearchAnswer:
    """Matches ranked by bm25, ties broken by slug and then by the section's position.

    Each match's section row and text are checked against the checksum stored with them,
    and a match whose section row is missing is damage, not a match to leave out: for an
    index on disk at `path`, either raises `IndexDamagedError`.
    """
    conditions = ["search_text MATCH ?"]
    parameters: list[object] = [request.match]
    for column, values in (("block", request.blocks), ("slug", request.slugs)):
        if values:
            conditions.append(f"(s.id IS NULL OR s.{column} IN ({', '.join('?' * len(values))}))")
            parameters.extend(values)
    where = f"WHERE {' AND '.join(conditions)}"
    sections = "LEFT JOIN search_sections AS s ON s.id = search_text.rowid"
    # A LEFT JOIN keeps the full-text table outermost, so SQLite runs the MATCH once, and
    # keeps a match whose section row (or length) is lost. Such a match, or one whose length
    # is not the one FTS5 ranks it by, comes first wherever it would rank, so that it is
    # among the rows returned, where it is found: no match, returned or only counted,
    # escapes the check.
    rows = connection.execute(
        "SELECT s.id, s.path, s.slug, s.block, s.heading, s.position, s.length, s.checksum, "
        "d.sz, search_text.body, bm25(search_text) AS score, "
        "CASE WHEN length(search_text.body) <= ? "
        "THEN snippet(search_text, 0, ?, ?, ?, ?) END "
        f"FROM search_text {sections} "
        f"LEFT JOIN search_text_docsize AS d ON d.id = search_text.rowid {where} "
        "ORDER BY (s.id IS NULL OR s.length IS NOT d.sz) DESC, score, s.slug, s.position "
        "LIMIT ?",
        (
            LONG_SECTION,
            MATCH_START,
            MATCH_END,
            SNIPPET_ELLIPSIS,
            SNIPPET_TOKENS,
            *parameters,
            -1 if request.limit is None else request.limit,
        ),
    ).fetchall()
    matches: list[SearchMatch] = []
    for number, post, slug, block, heading, position, length, stored, kept, *found in rows:
        body, score, snippet = found
        if snippet is None:
            snippet = long_section_snippet(str(body), request)
        section = SearchSection(slug, block, heading, position, body)
        if (
            number is None
            or _section_checksum(number, post, section, length) != stored
            or length != kept
        ):
            raise IndexDamagedError(path or Path(":memory:"), "a full-text section fails its check")
        matches.append(
            SearchMatch(
                str(slug),
                block,
                str(heading),
                int(position),
                float(score),
                str(snippet),
                str(post),
            )
        )
    total = len(matches)
    if request.limit is not None and total >= request.limit:
        # Without a filter, FTS5 counts its matches from its lists alone.
        joined = sections if len(conditions) > 1 else ""
        (total,) = connection.execute(
            f"SELECT count(*) FROM search_text {joined} {where}", parameters
        ).fetchone()
    return SearchAnswer(matches, int(total))


# FTS5's snippet() weighs each match in a section against every other, so its time grows
# with the square of the matches: minutes for a long post of one word over and over. A
# section longer than this (in characters) is cut into parts of about `SNIPPET_PART`, and
# its snippet is that of the part that matches best.
LONG_SECTION = 20_000
SNIPPET_PART = 2_000


def long_section_snippet(body: str, request: SearchRequest) -> str:
    """The snippet of a long section, as `snippet()` marks it, from its best part: the one
    that matches the whole query best, else any of its terms, else the first."""
    parts = snippet_parts(body)
    with contextlib.closing(sqlite3.connect(":memory:", isolation_level=None)) as connection:
        create_search_tables(connection)
        connection.execute("BEGIN")
        connection.executemany(
            "INSERT INTO search_text (rowid, body) VALUES (?, ?)", enumerate(parts, 1)
        )
        connection.execute("COMMIT")
        for match in dict.fromkeys(filter(None, (request.match, request.any_term))):
            try:
                best = connection.execute(
                    "SELECT rowid FROM search_text WHERE search_text MATCH ? "
                    "ORDER BY rank, rowid LIMIT 1",
                    (match,),
                ).fetchone()
                if best is None:
                    continue
                (snippet,) = connection.execute(
                    "SELECT snippet(search_text, 0, ?, ?, ?, ?) FROM search_text "
                    "WHERE search_text MATCH ? AND rowid = ?",
                    (MATCH_START, MATCH_END, SNIPPET_ELLIPSIS, SNIPPET_TOKENS, match, best[0]),
                ).fetchone()
            except sqlite3.Error:
                continue
            number = int(best[0])
            opening = (
                "" if number == 1 or snippet.startswith(SNIPPET_ELLIPSIS) else SNIPPET_ELLIPSIS
            )
            closing = (
                ""
                if number == len(parts) or snippet.endswith(SNIPPET_ELLIPSIS)
                else SNIPPET_ELLIPSIS
            )
            return f"{opening}{snippet}{closing}"
    words = parts[0].split()
    shown = " ".join(words[:SNIPPET_TOKENS])
    return shown + (SNIPPET_ELLIPSIS if len(words) > SNIPPET_TOKENS or len(parts) > 1 else "")


def snippet_parts(body: str) -> list[str]:
    """`body` cut into parts of about `SNIPPET_PART` characters, each at a space where one
    is near, so that a word is seldom cut in two; the last is never a short tail."""
    parts: list[str] = []
    start = 0
    while start < len(body):
        end = start + SNIPPET_PART
        if len(body) - end < SNIPPET_PART // 2:
            end = len(body)
        else:
            space = body.rfind(" ", start + SNIPPET_PART // 2, end)
            end = space + 1 if space >= 0 else end
        parts.append(body[start:end])
        start = end
    return parts


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
