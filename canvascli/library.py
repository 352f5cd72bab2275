"""Find a library of posts, load its canvases, and look companies and blocks up by name."""

from __future__ import annotations

import difflib
import errno
import os
import stat
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import NamedTuple

from canvascli.errors import BlockNotFoundError, CompanyNotFoundError, LibraryError
from canvascli.models import AnyBlock, Block, Canvas, Diagnostic, LeanBlock, Summary

POST_SUFFIXES = (".md", ".markdown")
DEFAULT_MAX_BYTES = 2 * 1024 * 1024
POSTS_ENV = "CANVASCLI_POSTS"
MAX_BYTES_ENV = "CANVASCLI_MAX_BYTES"


class Location(NamedTuple):
    """A library folder and how it was chosen."""

    path: Path
    origin: str

    def __str__(self) -> str:
        return f"{self.path} ({self.origin})"


class Problem(NamedTuple):
    """A post that could not be read, or that reads with an error."""

    path: str
    diagnostic: Diagnostic

    @property
    def message(self) -> str:
        return f"{self.path}: {self.diagnostic.message}"


class Library:
    """The posts of one folder: a summary of each canvas, and the full canvas on demand."""

    __slots__ = ("loader", "location", "notices", "problems", "summaries")

    def __init__(self, location: Location) -> None:
        self.location = location
        self.summaries: list[Summary] = []
        self.problems: list[Problem] = []
        self.loader: Callable[[Summary], Canvas] | None = None
        self.notices: list[str] = []

    def __iter__(self) -> Iterator[Summary]:
        return iter(self.summaries)

    def __len__(self) -> int:
        return len(self.summaries)

    def find(self, name: str) -> Summary:
        """A company by slug, by name in any case, or by a prefix that only it has."""
        return find_company(self.summaries, name, str(self.location.path))

    def canvas(self, summary: Summary) -> Canvas:
        assert self.loader is not None, "a library is built by load_library"
        return self.loader(summary)

    def get(self, name: str) -> Canvas:
        return self.canvas(self.find(name))

    def get_all(self, names: Iterable[str]) -> list[Canvas]:
        return [self.get(name) for name in names]

    def canvases(self) -> Iterator[Canvas]:
        for summary in self.summaries:
            yield self.canvas(summary)


def bundled_posts() -> Path:
    """The sample library shipped with the package (or beside it, in a source checkout)."""
    package = Path(__file__).resolve().parent
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
        return Location(bundled_posts(), "bundled sample")
    _check_folder(location.path)
    return location


def _check_folder(path: Path) -> None:
    try:
        mode = path.stat().st_mode
    except FileNotFoundError:
        raise LibraryError(str(path), "no such folder") from None
    except OSError as error:
        raise LibraryError(str(path), error.strerror or str(error)) from None
    if not stat.S_ISDIR(mode):
        raise LibraryError(str(path), "not a folder")
    if not os.access(path, os.R_OK | os.X_OK):
        raise LibraryError(str(path), "permission denied")


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
        dirs[:] = [name for name in dirs if not name.startswith((".", "_site"))]
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


def find_posts(folder: Path) -> list[Path]:
    """Every post under `folder`, sorted."""
    return [folder / relative for relative in find_post_paths(folder)]


def max_post_bytes(environ: Mapping[str, str] | None = None) -> int:
    environ = os.environ if environ is None else environ
    try:
        return max(1, int(environ.get(MAX_BYTES_ENV, DEFAULT_MAX_BYTES)))
    except ValueError:
        return DEFAULT_MAX_BYTES


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
        with os.fdopen(os.open(path, os.O_RDONLY | os.O_NONBLOCK | os.O_CLOEXEC), "rb") as file:
            opened = os.fstat(file.fileno())
            if (opened.st_dev, opened.st_ino) != (info.st_dev, info.st_ino):
                raise UnreadablePostError("CV303", "changed while being read; skipped")
            _check_post_file(path, opened, limit)
            data = file.read(limit + 1)
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


def decode_post(data: bytes) -> tuple[str, list[Diagnostic]]:
    """UTF-8 text of a post; UTF-16 and stray bytes are read with a diagnostic, binary refused."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            text = data.decode("utf-16")
        except UnicodeDecodeError:
            raise UnreadablePostError("CV105", "is not valid UTF-16 or UTF-8") from None
        return text.lstrip("\ufeff"), [Diagnostic.of("CV105", "file is UTF-16, not UTF-8")]
    if b"\x00" in data:
        raise UnreadablePostError("CV105", "is a binary file (contains NUL bytes)")
    try:
        return data.decode("utf-8"), []
    except UnicodeDecodeError as error:
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


def load_post(path: Path, root: Path, limit: int = DEFAULT_MAX_BYTES) -> Canvas:
    """Read and parse one post, raising `UnreadablePostError` for what cannot be a canvas."""
    from canvascli.parser import parse_canvas

    data, _state = read_post_bytes(path, root, limit)
    text, diagnostics = decode_post(data)
    canvas = parse_canvas(text, str(path))
    if diagnostics:
        canvas = canvas._replace(diagnostics=(*diagnostics, *canvas.diagnostics))
    return canvas


def load_library(
    location: Location,
    *,
    include_unpublished: bool = False,
    use_cache: bool = True,
    limit: int | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> Library:
    """Every canvas in the library; posts that fail are kept as problems, never raised.

    With the index, only new and changed posts are parsed; without it, all are. The
    result is the same either way.
    """
    from canvascli import loading

    limit = max_post_bytes() if limit is None else limit
    library = Library(location)
    result = loading.sync(location.path, limit, use_cache=use_cache, progress=progress)
    library.summaries = result.summaries
    library.problems = result.problems
    library.loader = result.load
    library.notices = result.notices
    return finish_library(library, include_unpublished=include_unpublished)


def load_named(
    location: Location, names: Sequence[str], *, include_unpublished: bool = False
) -> list[Canvas] | None:
    """The companies named by exact slug, from a warm index without a full load, or None.

    None means only `load_library` can answer (a name that is not a slug, a new, edited or
    broken post, no index); the canvases returned are exactly those it would give.
    """
    from canvascli import loading

    slugs = [_fold(name) for name in names]
    return loading.named_canvases(location.path, slugs, include_unpublished=include_unpublished)


def finish_library(library: Library, *, include_unpublished: bool) -> Library:
    """Drop unpublished posts unless asked for them, and posts whose slug is taken."""
    by_slug: dict[str, Summary] = {}
    kept: list[Summary] = []
    for summary in library.summaries:
        if summary.has_errors:
            library.problems.extend(
                Problem(summary.source, diagnostic)
                for diagnostic in summary.diagnostics
                if diagnostic.severity == "error"
            )
        if not include_unpublished and not summary.is_published:
            continue
        first = by_slug.get(summary.slug)
        if first is not None:
            message = f"slug '{summary.slug}' is already used by {first.source}; skipped"
            library.problems.append(Problem(summary.source, Diagnostic.of("CV301", message)))
            continue
        by_slug[summary.slug] = summary
        kept.append(summary)
    library.summaries = kept
    library.problems.sort(key=lambda problem: problem.path)
    return library


def _fold(text: str) -> str:
    return text.casefold().strip()


def find_company(canvases: Sequence[Summary], name: str, where: str) -> Summary:
    wanted = _fold(name)
    for matches in (
        [canvas for canvas in canvases if canvas.slug == wanted],
        [canvas for canvas in canvases if _fold(canvas.name) == wanted],
        [
            canvas
            for canvas in canvases
            if wanted and (canvas.slug.startswith(wanted) or _fold(canvas.name).startswith(wanted))
        ],
    ):
        if len(matches) == 1:
            return matches[0]
        if len(matches) > 1:
            slugs = sorted(canvas.slug for canvas in matches)
            raise CompanyNotFoundError(
                f"company '{name}' is ambiguous in {where}: {', '.join(slugs)}", name, slugs
            )
    names = [canvas.slug for canvas in canvases]
    close = difflib.get_close_matches(wanted, names, n=3, cutoff=0.6)
    hint = f"; did you mean '{close[0]}'?" if close else ""
    raise CompanyNotFoundError(f"no company '{name}' in {where}{hint}", name, close)


def block_names(block: AnyBlock) -> tuple[str, ...]:
    """Every name a user may type for a block: key, title and aliases."""
    return (block.key, _fold(block.title), *block.aliases)


def find_block(name: str) -> Block:
    """A block by key, title, alias or unique prefix of any of those."""
    from canvascli.labels import match_block

    wanted = _fold(name).replace("_", "-")
    spaced = wanted.replace("-", " ")
    for block in Block:
        if wanted in block_names(block) or spaced == _fold(block.title):
            return block
    prefixed = {
        block
        for block in Block
        if wanted and any(candidate.startswith(wanted) for candidate in block_names(block))
    }
    if len(prefixed) == 1:
        return prefixed.pop()
    if len(prefixed) > 1:
        keys = sorted(block.key for block in prefixed)
        raise BlockNotFoundError(f"block '{name}' is ambiguous: {', '.join(keys)}", name, keys)
    matched = match_block(name)
    if matched is not None:
        return matched
    every = [key for block in Block for key in block_names(block)]
    close = difflib.get_close_matches(wanted, every, n=1, cutoff=0.6)
    hint = f"; did you mean '{find_block(close[0]).key}'?" if close else ""
    raise BlockNotFoundError(
        f"no block '{name}'{hint} (see 'canvas sections' for the nine blocks)", name, close
    )


def find_any_block(name: str) -> AnyBlock:
    """Like `find_block`, also finding the Lean Canvas blocks (`problem`, `key-metrics`...).

    A Lean Canvas block's own name wins; a prefix finds one only when it finds none
    of the nine, so `key` stays ambiguous among the nine and `key-m` is Key Metrics.
    """
    from canvascli.labels import match_label

    wanted = _fold(name).replace("_", "-")
    for block in LeanBlock:
        if wanted in block_names(block) or wanted.replace("-", " ") == _fold(block.title):
            return block

    def starts(blocks: Iterable[AnyBlock]) -> list[AnyBlock]:
        return [
            block
            for block in blocks
            if wanted and any(candidate.startswith(wanted) for candidate in block_names(block))
        ]

    prefixed = starts(LeanBlock)
    if len(prefixed) == 1 and not starts(Block):
        return prefixed[0]
    try:
        return find_block(name)
    except BlockNotFoundError:
        matched = match_label(name)
        if matched is None:
            raise
        return matched
