"""The library folder on disk: where it is, which files are posts, and reading one post."""

from __future__ import annotations

import codecs
import errno
import os
import stat
from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING, NamedTuple

from canvascli.errors import LibraryError, UsageError, quoted
from canvascli.model import Canvas, Diagnostic

if TYPE_CHECKING:
    from canvascli.read.labels import Synonyms

POST_SUFFIXES = (".md", ".markdown")
DEFAULT_MAX_BYTES = 2 * 1024 * 1024
POSTS_ENV = "CANVASCLI_POSTS"
MAX_BYTES_ENV = "CANVASCLI_MAX_BYTES"
BUNDLED_ORIGIN = "bundled sample"
# The folder Jekyll builds a site into, beside its `_posts`: its copies are not posts.
JEKYLL_BUILD = "_site"


class Location(NamedTuple):
    """A library folder and how it was chosen."""

    path: Path
    origin: str

    def __str__(self) -> str:
        return f"{self.path} ({self.origin})"


class PostProblem(NamedTuple):
    """A post that could not be read, or that reads with an error."""

    path: str
    diagnostic: Diagnostic

    @property
    def message(self) -> str:
        return f"{self.path}: {self.diagnostic.message}"


def bundled_posts() -> Path:
    """The sample library shipped with the package (or beside it, in a source checkout)."""
    package = Path(__file__).resolve().parent.parent
    installed = package / "posts"
    return installed if installed.is_dir() else package.parent / "posts"


def locate_library(
    posts: Path | None = None,
    environ: Mapping[str, str] | None = None,
    cwd: Path | None = None,
) -> Location:
    """`--posts`, else `$CANVASCLI_POSTS`, else `./_posts`, else the bundled sample."""
    environ = os.environ if environ is None else environ
    if posts is not None:
        location = Location(posts, "--posts")
    elif environ.get(POSTS_ENV):
        location = Location(Path(environ[POSTS_ENV]), f"${POSTS_ENV}")
    elif ((cwd or Path()) / "_posts").is_dir():
        location = Location((cwd or Path()) / "_posts", "./_posts")
    else:
        return Location(bundled_posts(), BUNDLED_ORIGIN)
    _check_folder(location)
    return location


def _check_folder(location: Location) -> None:
    """Refuse a library folder that cannot be read; one set in the environment says so,
    since nothing on the command line shows where it came from."""
    folder, path = location.path, str(location.path)
    origin = None if location.origin == "--posts" else location.origin
    try:
        mode = folder.stat().st_mode
    except FileNotFoundError:
        raise LibraryError(path, "no such folder", origin) from None
    except OSError as error:
        raise LibraryError(path, error.strerror or str(error), origin) from None
    if not stat.S_ISDIR(mode):
        raise LibraryError(path, "not a folder", origin)
    if not os.access(folder, os.R_OK | os.X_OK):
        raise LibraryError(path, "permission denied", origin)


_SPECIAL_KINDS = (
    (stat.S_ISDIR, "a folder"),
    (stat.S_ISLNK, "a symbolic link"),
    (stat.S_ISCHR, "a character device"),
    (stat.S_ISBLK, "a block device"),
    (stat.S_ISFIFO, "a named pipe (FIFO)"),
    (stat.S_ISSOCK, "a socket"),
)


def special_kind(mode: int) -> str | None:
    """What a file of `mode` is when it is no regular file (`a folder`, `a named pipe
    (FIFO)`), for a message to name it; None for a regular file."""
    return next((kind for test, kind in _SPECIAL_KINDS if test(mode)), None)


def is_post_name(name: str) -> bool:
    return name.lower().endswith(POST_SUFFIXES) and not name.startswith(".")


FolderState = tuple[int, int]


def find_post_paths(folder: Path) -> list[str]:
    """Every post under `folder` as a sorted relative POSIX path; hidden folders skipped.

    Symlinked folders are not followed, so a link out of the library or a loop never is.
    """
    return walk_post_paths(folder)[0]


def folder_state(path: str) -> FolderState:
    """What changes when a folder gains, loses or renames an entry, or its permissions change."""
    info = os.stat(path)
    return info.st_mtime_ns, info.st_ctime_ns


def walk_post_paths(folder: Path) -> tuple[list[str], dict[str, FolderState]]:
    """`find_post_paths`, and the state of each folder looked in, keyed by relative path.

    No folder states at all when a folder could not be read or looked at: a folder made
    readable again changes only its own times, which such a walk does not hold.
    """
    found: list[str] = []
    folders: dict[str, FolderState] = {}
    top = os.fspath(folder)
    complete = True

    def unreadable(error: OSError) -> None:
        nonlocal complete
        complete = False
        # Listed like a post so that it is reported, rather than its posts silently missing.
        if error.filename is not None and os.path.normpath(error.filename) != os.path.normpath(top):
            found.append(os.path.relpath(error.filename, top).replace(os.sep, "/"))

    for root, dirs, files in os.walk(top, onerror=unreadable, followlinks=False):
        dirs[:] = [name for name in dirs if not name.startswith(".") and name != JEKYLL_BUILD]
        prefix = os.path.relpath(root, top).replace(os.sep, "/")
        prefix = "" if prefix == "." else prefix + "/"
        try:
            folders[prefix] = folder_state(root)
        except OSError:
            complete = False
        found.extend(prefix + name for name in files if is_post_name(name))
        # A folder named like a post is still reported, not silently skipped.
        found.extend(prefix + name for name in dirs if is_post_name(name))
    found.sort()
    return found, folders if complete else {}


PostState = tuple[str, int, int, int]


def library_state(folder: Path) -> tuple[PostState, ...]:
    """What changes when any post under `folder` is added, removed, renamed or written:
    a walk and a stat of each post, no post read, cheap enough to poll every second or so."""
    states: list[PostState] = []
    for relative in find_post_paths(folder):
        try:
            info = os.stat(os.path.join(folder, relative))
        except OSError:
            states.append((relative, -1, -1, -1))
            continue
        states.append((relative, info.st_mtime_ns, info.st_size, info.st_ino))
    return tuple(states)


def max_post_bytes(environ: Mapping[str, str] | None = None) -> int:
    """The size limit of a post: `$CANVASCLI_MAX_BYTES`, else 2 MiB.

    A value that is no number of bytes is refused: taken for the default, or for a limit
    of one byte, it would skip every post, or none, without a word of why."""
    environ = os.environ if environ is None else environ
    given = environ.get(MAX_BYTES_ENV, "").strip()
    if not given:
        return DEFAULT_MAX_BYTES
    if not (given.isascii() and given.isdecimal() and int(given) > 0):
        raise UsageError(
            f"${MAX_BYTES_ENV} must be a number of bytes, 1 or more, not {quoted(given)}"
        )
    return int(given)


class UnreadablePostError(Exception):
    """A post that cannot become a canvas at all; the message says why."""

    def __init__(self, code: str, reason: str) -> None:
        super().__init__(reason)
        self.code = code


def _check_post_file(path: Path, info: os.stat_result, limit: int) -> None:
    if stat.S_ISDIR(info.st_mode):
        try:
            os.scandir(path).close()
        except OSError as error:
            reason = error.strerror or str(error)
            raise UnreadablePostError(
                "CV303", f"folder cannot be read ({reason}); the posts in it are skipped"
            ) from None
        raise UnreadablePostError("CV303", "is a folder, not a post")
    if not stat.S_ISREG(info.st_mode):
        raise UnreadablePostError("CV303", "is not a regular file")
    if info.st_size > limit:
        raise UnreadablePostError(
            "CV304", f"is {info.st_size:,} bytes, over the {limit:,}-byte limit; skipped"
        )


def read_post_bytes(path: Path, root: Path, limit: int) -> tuple[bytes, os.stat_result]:
    """The bytes of a post, refusing anything that is not a regular file inside the library."""
    try:
        info = path.lstat()
        if stat.S_ISLNK(info.st_mode):
            target = path.resolve(strict=True)
            if not target.is_relative_to(root.resolve()):
                raise UnreadablePostError(
                    "CV303", "symlink points outside the library; not followed"
                )
            info = target.stat()
        _check_post_file(path, info, limit)
        # The open file must be the one just checked: the path may have been swapped for a
        # FIFO (whose read would wait forever), a bigger file, or a link leaving the library.
        descriptor = os.open(path, os.O_RDONLY | os.O_NONBLOCK | os.O_CLOEXEC)
        try:
            opened = os.fstat(descriptor)
            if (opened.st_dev, opened.st_ino) != (info.st_dev, info.st_ino):
                raise UnreadablePostError("CV303", "changed while being read; skipped")
            _check_post_file(path, opened, limit)
            data = _read_at_most(descriptor, opened.st_size, limit + 1)
        finally:
            os.close(descriptor)
        info = opened
        if len(data) > limit:
            raise UnreadablePostError(
                "CV304", f"grew past the {limit:,}-byte limit while being read; skipped"
            )
    except RuntimeError:  # pathlib's report of a symlink loop on older Pythons
        raise UnreadablePostError("CV303", "symlink loop") from None
    except OSError as error:
        reason = "symlink loop" if error.errno == errno.ELOOP else error.strerror or str(error)
        raise UnreadablePostError("CV303", f"cannot be read: {reason}") from None
    return data, info


# How much more to read at a time of a file found to have grown since it was looked at.
_GROWN_READ = 1 << 16


def _read_at_most(descriptor: int, expected: int, most: int) -> bytes:
    """The first `most` bytes of an open file, or all of it if shorter.

    Each read asks for no more room than the file was found to hold (`expected`), plus the
    one byte that shows it has grown: a read of `most` would set aside megabytes for every
    post, however small. A file object's buffer would cost more than the reading.
    """
    data = os.read(descriptor, min(expected + 1, most))
    while len(data) < most:
        # Short of the size found, a short read; past it, a file growing as it is read.
        room = expected + 1 - len(data) if len(data) <= expected else _GROWN_READ
        more = os.read(descriptor, min(room, most - len(data)))
        if not more:
            break
        data += more
    return data


# How much of a file is looked at to tell text from binary.
_SAMPLE_BYTES = 8192
# Byte values text never holds: C0 controls other than white space and ESC (which a post
# may hold as written; it is shown, never run), and DEL.
_CONTROL_BYTES = bytes([*range(0x01, 0x09), 0x0E, *range(0x0F, 0x1B), *range(0x1C, 0x20), 0x7F])
_NOT_CONTROL_BYTES = bytes(sorted(set(range(256)) - set(_CONTROL_BYTES) - {0}))
# The leading bytes of files often found where a post should be: images, PDFs, archives,
# executables and office documents.
_BINARY_SIGNATURES = (
    b"\x89PNG",
    b"\xff\xd8\xff",
    b"GIF8",
    b"%PDF-",
    b"PK\x03\x04",
    b"\x1f\x8b",
    b"\xfd7zXZ",
    b"7z\xbc\xaf",
    b"\x7fELF",
    b"\xd0\xcf\x11\xe0",
)


def _is_binary(data: bytes) -> bool:
    """Whether bytes that are not UTF-8 are a binary file rather than text in another encoding:
    a known file signature, or more control bytes than any text holds (one in twenty; random
    bytes hold one in ten, text in a legacy encoding next to none)."""
    if data.startswith(_BINARY_SIGNATURES):
        return True
    sample = data[:_SAMPLE_BYTES]
    controls = len(sample.translate(None, _NOT_CONTROL_BYTES))
    return controls * 20 > len(sample)


def _ascii_share_is_text(high_bytes: bytes) -> bool:
    """Whether the high bytes of what would be UTF-16 characters are those of text: ASCII (a
    high byte of 0) for half of them, as in a Latin script, or for an eighth, the rest from a
    few alphabets of 256 characters (Cyrillic, Greek, Arabic and punctuation each hold one).
    Text in one encoding read as another has high bytes of every kind."""
    ascii_characters = high_bytes.count(0)
    if ascii_characters * 2 >= len(high_bytes):
        return True
    return ascii_characters * 8 >= len(high_bytes) and len(set(high_bytes)) <= _FEW_ALPHABETS


# The most alphabets of 256 characters (one high byte each) text in one language draws on
# beside ASCII: its letters, accented letters and punctuation.
_FEW_ALPHABETS = 8


def _unmarked_utf16(data: bytes) -> tuple[str, str] | None:
    """The text and byte order of UTF-16 saved without a byte-order mark, told by the NUL
    bytes of its ASCII characters, which all fall on one side of each pair; else None."""
    if len(data) % 2:
        return None
    sample = data[:_SAMPLE_BYTES]
    for encoding, nuls, others in (
        ("utf-16-le", sample[1::2], sample[0::2]),
        ("utf-16-be", sample[0::2], sample[1::2]),
    ):
        if b"\x00" in others or not _ascii_share_is_text(nuls):
            continue
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            return None
        if "\x00" in text or _is_binary(text[: _SAMPLE_BYTES // 2].encode("utf-8", "replace")):
            return None
        return text, encoding
    return None


def decode_post(data: bytes) -> tuple[str, list[Diagnostic]]:
    """UTF-8 text of a post; UTF-32, UTF-16 (with a byte-order mark or without) and stray
    bytes are read with a diagnostic, binary refused."""
    # UTF-32's little-endian mark starts with UTF-16's, so it is looked for first.
    for marks, encoding in (
        ((codecs.BOM_UTF32_LE, codecs.BOM_UTF32_BE), "UTF-32"),
        ((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE), "UTF-16"),
    ):
        if data.startswith(marks):
            try:
                text = data.decode(encoding.lower())
            except UnicodeDecodeError:
                raise UnreadablePostError("CV105", f"is not valid {encoding} or UTF-8") from None
            return text.lstrip("\ufeff"), [Diagnostic.of("CV105", f"file is {encoding}, not UTF-8")]
    if b"\x00" in data:
        unmarked = _unmarked_utf16(data)
        if unmarked is None:
            raise UnreadablePostError("CV105", "is a binary file (contains NUL bytes)")
        text, encoding = unmarked
        order = "little-endian" if encoding.endswith("le") else "big-endian"
        return text, [
            Diagnostic.of("CV105", f"file is UTF-16 ({order}, no byte-order mark), not UTF-8")
        ]
    try:
        return data.decode("utf-8"), []
    except UnicodeDecodeError as error:
        if _is_binary(data):
            raise UnreadablePostError("CV105", "is a binary file, not text") from None
        line = data.count(b"\n", 0, error.start) + 1
        line_start = data.rfind(b"\n", 0, error.start) + 1
        column = len(data[line_start : error.start].decode("utf-8", errors="replace")) + 1
        return data.decode("utf-8", errors="replace"), [
            Diagnostic.of(
                "CV105",
                f"file is not UTF-8 (byte 0x{data[error.start]:02x} at offset {error.start}); "
                "undecodable bytes shown as \ufffd",
                line,
                column,
            )
        ]


class Post(NamedTuple):
    """A post read from the library: its canvases (nearly always one), and the bytes and file
    state they came from."""

    canvases: tuple[Canvas, ...]
    data: bytes
    stat: os.stat_result

    @property
    def canvas(self) -> Canvas:
        """The first canvas: the only one, unless the post holds several."""
        return self.canvases[0]


def read_canvases_of(text: str, source: str, synonyms: Synonyms = ()) -> list[Canvas]:
    """Every canvas of a post's text, as `read_canvases` reads them; a fault of the
    reader's on it raised as `UnreadablePostError`.

    Such a fault is that post's alone: it is one line naming it, and every other post is
    still read, listed, formatted or compared, where it ended the whole run.
    """
    from canvascli.read.canvas import read_canvases

    try:
        return read_canvases(text, source, synonyms)
    except Exception as error:
        reason = f"could not be read (internal error: {type(error).__name__}); skipped"
        raise UnreadablePostError("CV303", reason) from error


def read_post(
    path: Path,
    root: Path,
    limit: int = DEFAULT_MAX_BYTES,
    *,
    source: str | None = None,
    synonyms: Synonyms = (),
) -> Post:
    """Read and parse one post, raising `UnreadablePostError` for what cannot be a canvas.

    The canvases are named after `source` (by default the path), and the first opens with
    the diagnostics of decoding the file, if it was not plain UTF-8. Labels are read with
    the library's own `synonyms` too.
    """
    data, info = read_post_bytes(path, root, limit)
    text, diagnostics = decode_post(data)
    first, *others = read_canvases_of(text, str(path) if source is None else source, synonyms)
    if diagnostics:
        first = first._replace(diagnostics=(*diagnostics, *first.diagnostics))
    return Post((first, *others), data, info)
