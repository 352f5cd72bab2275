"""Bring a library's index up to date: parse only new or changed posts, on every core."""

from __future__ import annotations

import contextlib
import gc
import os
import stat
import time
from collections.abc import Callable, Iterator, Sequence
from functools import lru_cache, partial
from operator import attrgetter
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple, TypeVar, cast

from canvascli.model import Canvas, Diagnostic, Summary
from canvascli.read.gc_pause import cycle_collector_paused
from canvascli.store.files import (
    PostProblem,
    UnreadablePostError,
    find_post_paths,
    folder_state,
    max_post_bytes,
    read_post,
    walk_post_paths,
)
from canvascli.store.index import (
    RACY_WINDOW_NS,
    CacheUnavailableError,
    FileState,
    Index,
    IndexDamagedError,
    IndexedPost,
    IndexRow,
    ListingHead,
    PostListing,
    StoredCheck,
    SummaryRow,
    content_hash,
    discard,
    index_path,
    is_racy,
    pack_record,
    paths_digest,
    reading_fingerprint,
    row_hash,
    row_matches,
    row_stamp,
    row_state,
    settled_stamp,
    summary_from_columns,
    summary_from_row,
    summary_row,
    unpack_record,
)
from canvascli.store.index import (
    cache_dir as default_cache_dir,
)
from canvascli.store.post_checks import diagnostics_text, post_diagnostics
from canvascli.store.shared_look import OtherHalf, packed_states

if TYPE_CHECKING:
    from canvascli.read.labels import Synonyms

# Below this many posts to parse, starting worker processes costs more than it saves.
PARALLEL_THRESHOLD = 64
# Posts written to the index per transaction while the rest are still being parsed, so
# that writing overlaps parsing instead of following it.
WRITE_BATCH = 500
# The bounds of the chunks of jobs handed to each worker at a time (see `shrinking_chunks`).
MAX_CHUNK = 256
MIN_CHUNK = 16
CHUNK_SHARE = 4

Progress = Callable[[int, int], None]
Job = TypeVar("Job")
Done = TypeVar("Done")


class SyncResult:
    """What reading a library found, filled in as it is read."""

    __slots__ = (
        "answer",
        "as_indexed",
        "diagnostics",
        "indexed",
        "keep_answer",
        "load",
        "notices",
        "problems",
        "repair",
        "stamps",
        "summaries",
    )

    def __init__(self) -> None:
        self.summaries: list[Summary] = []
        self.problems: list[PostProblem] = []
        self.notices: list[str] = []
        self.load: Callable[[Summary], Canvas] = _missing
        # Whether the index was brought up to date with every post it can hold, so that
        # what else it keeps (search text, terms) may be trusted for this run.
        self.indexed = False
        # What to do when the index turns out damaged after this was read from it.
        self.repair: IndexRepair | None = None
        # What `canvas check` found in each post (see `post_checks`), by source, where known.
        self.diagnostics: Callable[[], dict[str, str]] = dict
        # The answer kept for the question asked (see `sync`), found still true: then
        # nothing else was read.
        self.answer: bytes | None = None
        # Whether every post was found as the index held it: none new, changed, removed
        # or failing to read.
        self.as_indexed = False
        # Keeps the answer to the question asked, made from these summaries, for later runs
        # over the same posts; None when it may not be kept.
        self.keep_answer: Callable[[str], None] | None = None
        # The stamp of each indexed post's row as this run left it, by relative path.
        self.stamps: Callable[[], dict[str, int]] = dict


def _missing(summary: Summary) -> Canvas:
    raise LookupError(summary.source)


class ParsedPost(NamedTuple):
    """The outcome of reading one post: what the index stores of it, or what stopped it."""

    relative: str
    indexed: IndexedPost | None
    problem: Diagnostic | None
    # What `canvas check` finds in the post, as `diagnostics_text` writes it.
    diagnostics: str = ""


# Every job of a run names the same library folder: made a `Path` once per worker.
_root_path = lru_cache(maxsize=4)(Path)


def parse_file(job: tuple[str, str, str, Synonyms]) -> ParsedPost:
    """Read and parse one post; runs in worker processes, so it takes and returns plain data."""
    root, relative, limit, synonyms = job
    top = _root_path(root)
    try:
        post = read_post(top / relative, top, int(limit), source=relative, synonyms=synonyms)
    except UnreadablePostError as error:
        return ParsedPost(relative, None, Diagnostic.of(error.code, str(error)))
    state = FileState.of(post.stat)
    digest = content_hash(post.data) if is_racy(state) else None
    first, *others = post.canvases
    # A post of one canvas keeps the record of one canvas; one of several, a list of them.
    records = [canvas.to_record() for canvas in post.canvases]
    record = pack_record(records if others else records[0])
    summary = summary_row(first.summary())
    more = tuple(summary_row(canvas.summary()) for canvas in others)
    indexed = IndexedPost.of(relative, state, digest, summary, record, more)
    return ParsedPost(relative, indexed, None, diagnostics_text(post_diagnostics(post, synonyms)))


def parse_files(
    root: Path,
    relatives: list[str],
    limit: int,
    progress: Progress | None = None,
    synonyms: Synonyms = (),
) -> Iterator[ParsedPost]:
    """Parse posts, on every core when there are enough of them to pay for it."""
    jobs = [(str(root), relative, str(limit), synonyms) for relative in relatives]
    return run_jobs(parse_file, jobs, progress)


def run_jobs(
    work: Callable[[Job], Done], jobs: list[Job], progress: Progress | None = None
) -> Iterator[Done]:
    """`work` done on each job, in order; in a process pool when there are enough jobs.

    `work` must be a module-level function, and jobs and results plain data, since in
    the pool they travel between processes.
    """
    workers = os.cpu_count() or 1
    if len(jobs) < PARALLEL_THRESHOLD or workers < 2:
        for done, job in enumerate(jobs, 1):
            yield work(job)
            if progress:
                progress(done, len(jobs))
        return
    from concurrent.futures import ProcessPoolExecutor

    tasks = [(work, chunk) for chunk in shrinking_chunks(jobs, workers)]
    done = 0
    with ProcessPoolExecutor(
        max_workers=workers, initializer=start_worker, initargs=(os.getpid(),)
    ) as pool:
        for results in pool.map(work_through, tasks):
            yield from results
            done += len(results)
            if progress:
                progress(done, len(jobs))


def shrinking_chunks(jobs: list[Job], workers: int) -> list[list[Job]]:
    """The jobs in order, in chunks of at most `MAX_CHUNK` that shrink as the end nears.

    Each chunk is one round trip to a worker, so most are big; but a worker handed a big
    chunk last keeps the others idle until it is done, so each chunk takes at most a
    `CHUNK_SHARE` of what is left for each worker, down to `MIN_CHUNK`.
    """
    chunks: list[list[Job]] = []
    start = 0
    while start < len(jobs):
        left = len(jobs) - start
        size = max(MIN_CHUNK, min(MAX_CHUNK, left // (workers * CHUNK_SHARE)))
        chunks.append(jobs[start : start + size])
        start += size
    return chunks


def work_through(task: tuple[Callable[[Job], Done], list[Job]]) -> list[Done]:
    """`work` done on each job of one chunk, in a worker."""
    work, jobs = task
    return [work(job) for job in jobs]


def start_worker(parent: int) -> None:
    """A worker starts with the cycle collector on, even when it is paused here, and ends
    when `parent` does, rather than outliving a killed `canvas`."""
    from canvascli.store.lifeline import die_with_parent

    gc.enable()
    die_with_parent(parent)


def _unchanged(root: Path, relative: str, row: IndexRow) -> bool:
    """True when an indexed post whose file state matches also has the same content."""
    digest = row_hash(row)
    if digest is None:
        return True
    try:
        return content_hash((root / relative).read_bytes()) == digest
    except OSError:
        return False


def _is_current(root: Path, relative: str, row: IndexRow, info: os.stat_result) -> bool:
    """Whether an indexed post's row still describes its file, as `lstat` found it."""
    if not row_matches(row, info) and not (
        stat.S_ISLNK(info.st_mode) and _still_leads_to(root, relative, row)
    ):
        return False
    return _unchanged(root, relative, row)


def _still_leads_to(root: Path, relative: str, row: IndexRow) -> bool:
    """Whether a symlinked post still leads to the file indexed, inside the library."""
    path = _display(root, relative)
    try:
        target = os.stat(path)
        inside = os.path.realpath(root)
        return row_matches(row, target) and (
            os.path.commonpath([inside, os.path.realpath(path)]) == inside
        )
    except (OSError, ValueError):
        return False


def _display(root: Path, relative: str) -> str:
    return os.path.join(root, relative)


def display_prefix(root: Path) -> str:
    """What `_display` puts before a relative path, for joining thousands of them cheaply."""
    return os.path.join(root, "")


def _canvas_from(root: Path, relative: str, record: Any, part: int = 0) -> Canvas:
    """Canvas number `part` of a post's stored record (see `parse_file`)."""
    data = record[part] if isinstance(record, list) else record
    data["source"] = _display(root, relative)
    return Canvas.from_record(data)


def _more_summaries(source: str, more: Sequence[SummaryRow]) -> list[Summary]:
    return [summary_from_columns(source, columns, part) for part, columns in enumerate(more, 1)]


def post_summaries(
    root: Path, relative: str, row: IndexRow, more: Sequence[SummaryRow] = ()
) -> list[Summary]:
    """A post's summaries as a sync gives them, from its row and its later canvases'."""
    source = display_prefix(root) + relative
    return [summary_from_row(source, row), *_more_summaries(source, more)]


def sync(
    root: Path,
    limit: int,
    *,
    use_cache: bool = True,
    progress: Progress | None = None,
    cache_dir: Path | None = None,
    damage: IndexDamagedError | None = None,
    synonyms: Synonyms = (),
    question: str | None = None,
) -> SyncResult:
    """Summaries of every post under `root`, through the index when it can be used.

    The index lives in `cache_dir`, by default the user's cache folder. An index found
    damaged, now or earlier in this run (`damage`), is rebuilt, once. Posts are read with
    the library's own `synonyms`; an index of posts read with others is started afresh.

    `question` names, in full, what the caller will make of the summaries (a command's
    whole output): if the index keeps an answer to it made from posts in the state they
    are in now, that answer is given instead of the summaries.
    """
    with cycle_collector_paused():
        if not use_cache:
            return _sync_memory(root, find_post_paths(root), limit, progress, synonyms)
        repair = IndexRepair(root, limit, cache_dir, synonyms)
        if damage is not None:
            return repair(damage, progress)
        try:
            return _sync_through_index(root, limit, progress, cache_dir, repair, question)
        except IndexDamagedError as found:
            return repair(found, progress)
        except CacheUnavailableError as error:
            result = _sync_memory(root, find_post_paths(root), limit, progress, synonyms)
            result.notices.append(f"{error}; running without the index")
            return result


def _sync_through_index(
    root: Path,
    limit: int,
    progress: Progress | None,
    cache_dir: Path | None,
    repair: IndexRepair,
    question: str | None = None,
) -> SyncResult:
    index = Index.open(root, cache_dir)
    index.read_with(reading_fingerprint(repair.synonyms, limit))
    paths = listed_post_paths(root, index)
    indexable = utf8_names(paths)
    # An answer is kept for a question over posts the index can all hold, and only then.
    answerable = bool(question) and indexable is paths
    looks: list[os.stat_result | None]
    answer: bytes | None = None
    if not index.post_set().posts:
        # A first build reads every post, and keeps no answer: nothing to look at first.
        looks, digest = [None] * len(indexable), None
    elif question and answerable:
        looks, digest, answer = _look_for_answer(index, question, display_prefix(root), paths)
    else:
        looks, digest = look_at(display_prefix(root), indexable), None
    if answer is not None:
        result = SyncResult()
        result.answer = answer
        result.indexed = True
        result.repair = repair
        return result
    result = _sync_index(index, root, indexable, looks, limit, progress, repair.synonyms)
    if question and digest and result.as_indexed:
        keep = partial(index.keep_answer, question, digest)
        result.keep_answer = partial(_keep_if_settled, keep, looks)
    result.indexed = True
    result.repair = repair
    if len(indexable) < len(paths):
        unindexable = [relative for relative in paths if not is_utf8_name(relative)]
        _merge(result, _sync_memory(root, unindexable, limit, None, repair.synonyms))
    return result


class IndexRepair:
    """Rebuilds a damaged index from the posts, at most once in a run, and says so once.

    Damage found while the library is read is told in the result's notices; damage found
    later (a stored record, the search text) is told through `report`, when it is set.
    """

    def __init__(
        self,
        root: Path,
        limit: int,
        cache_dir: Path | None,
        synonyms: Synonyms = (),
        *,
        rebuilt_once: bool = False,
    ) -> None:
        self.root = root
        self.limit = limit
        self.cache_dir = cache_dir
        self.synonyms = synonyms
        self.rebuilt_once = rebuilt_once
        self.report: Callable[[str], None] | None = None
        self._outcome: SyncResult | None = None

    def __call__(self, damage: IndexDamagedError, progress: Progress | None = None) -> SyncResult:
        """The library read again, through a rebuilt index, or without one if that fails."""
        if self._outcome is None:
            self._outcome = self._rebuild(damage, progress)
            if self.report is not None:
                for notice in self._outcome.notices:
                    self.report(notice)
        return self._outcome

    def _rebuild(self, damage: IndexDamagedError, progress: Progress | None) -> SyncResult:
        reason: CacheUnavailableError = damage
        if not self.rebuilt_once:
            with contextlib.suppress(OSError):
                discard(damage.path)
            again = IndexRepair(
                self.root, self.limit, self.cache_dir, self.synonyms, rebuilt_once=True
            )
            again.report = self._tell
            try:
                result = _sync_through_index(self.root, self.limit, progress, self.cache_dir, again)
            except CacheUnavailableError as error:
                reason = error
            else:
                result.notices.insert(0, f"index at {damage.path} was damaged; rebuilt")
                return result
        result = _sync_memory(
            self.root, find_post_paths(self.root), self.limit, progress, self.synonyms
        )
        result.notices.append(
            f"index at {damage.path} was damaged and could not be rebuilt ({reason});"
            " running without the index"
        )
        return result

    def _tell(self, message: str) -> None:
        if self.report is not None:
            self.report(message)


def _look_for_answer(
    index: Index, question: str, top: str, paths: list[str]
) -> tuple[list[os.stat_result | None], bytes | None, bytes | None]:
    """Every post's `lstat`, the digest of their states, and the answer to `question` kept
    for posts in those states, if any, read ahead while the posts are looked at.

    In a big library another process looks at half the posts (see `OtherHalf`). Their
    states are all the digest needs: they are looked at here only when no answer is kept
    for them, and the posts are read through the index, each one's state compared.
    """
    other = OtherHalf.start(top, paths)  # before the read-ahead thread: see `start`
    if other is None:
        index.read_ahead(question)
        looks = look_at(top, paths)
        digest = state_digest(paths, looks)
        return looks, digest, index.answer(question, digest) if digest else None
    try:
        index.read_ahead(question)
        looks = look_at(top, paths[: other.split])
    except BaseException:
        other.abandon()
        raise
    more_states = other.states()
    digest = state_digest(paths, looks, more_states) if more_states is not None else None
    answer = index.answer(question, digest) if digest else None
    if answer is None:
        looks += look_at(top, paths[other.split :])
    return looks, digest, answer


def look_at(top: str, paths: list[str]) -> list[os.stat_result | None]:
    """Each post's `lstat`, in order, None where it fails (the post is gone)."""
    looks: list[os.stat_result | None] = []
    append, lstat = looks.append, os.lstat
    for relative in paths:
        try:
            append(lstat(top + relative))
        except OSError:
            append(None)
    return looks


def state_digest(
    paths: list[str], looks: list[os.stat_result | None], more_states: bytes = b""
) -> bytes | None:
    """A digest of every post's path and file state (as `FileState` holds it), in order;
    None if a post could not be looked at. The states of posts after those `looks` covers
    may come already packed, as `more_states`."""
    if None in looks:
        return None
    # hashlib's own module, without the OpenSSL that importing hashlib loads: that costs
    # more than the whole run it would save.
    from _blake2 import blake2b
    from struct import error

    try:
        states = packed_states(cast("list[os.stat_result]", looks))
    except error:
        return None
    digest = blake2b(digest_size=20)
    digest.update("\0".join(paths).encode("utf-8", "surrogatepass"))
    digest.update(states)
    digest.update(more_states)
    return digest.digest()


def _keep_if_settled(
    keep: Callable[[str], None], looks: list[os.stat_result | None], answer: str
) -> None:
    """`keep` the answer, unless a post is a link (whose target may change while the link
    stays as it is) or changed too recently for its file state to be trusted (see
    `is_racy`): the next run must read such posts again."""
    found = [info for info in looks if info is not None]
    settled_before = time.time_ns() - RACY_WINDOW_NS
    if found and (
        max(map(attrgetter("st_mtime_ns"), found)) >= settled_before
        or max(map(attrgetter("st_ctime_ns"), found)) >= settled_before
        or any(map(stat.S_ISLNK, map(attrgetter("st_mode"), found)))
    ):
        return
    keep(answer)


def listed_post_paths(root: Path, index: Index) -> list[str]:
    """`find_post_paths`, from the index's record of the last walk if no folder changed since.

    A folder's modification and change times move whenever it gains, loses or renames an
    entry, so unchanged times mean an unchanged listing: one look at each folder instead
    of a walk of every entry, as git's untracked cache does. Times within the racy window
    of the walk are not trusted, since the folder may have changed in the same tick.
    """
    listing = index.listing()
    if listing is not None and _still_holds(root, listing):
        return listing.paths
    return _walked(root, index)


def listed_post_set(root: Path, index: Index) -> tuple[int, int]:
    """How many posts `listed_post_paths` gives and their `paths_digest`, without reading
    the stored paths when no folder changed since the last walk."""
    head = index.listing_head()
    if head is not None and _still_holds(root, head):
        return head.posts, head.digest
    paths = _walked(root, index)
    return len(paths), paths_digest(paths)


def _walked(root: Path, index: Index) -> list[str]:
    """The posts a walk of the library finds, stored for the next run."""
    started_ns = time.time_ns()
    paths, folders = walk_post_paths(root)
    index.save_listing(PostListing(started_ns, folders, paths))
    return paths


def indexed_summaries(
    root: Path, cache_dir: Path | None = None, synonyms: Synonyms = ()
) -> list[Summary] | None:
    """Every post's summaries as the index last stored them, without a look at any post;
    None when the index cannot tell: there is none yet, its posts were read with other
    `synonyms`, a folder changed since the last walk, a post was never indexed (new, or
    failing to parse), or the index is damaged.

    For shell completion, which must answer at once: a post edited in place since the
    last run is offered as it was then.
    """
    if not index_path(root, cache_dir or default_cache_dir()).exists():
        return None
    try:
        with cycle_collector_paused(), Index.open(root, cache_dir) as index:
            if index.reading() != reading_fingerprint(synonyms, max_post_bytes()):
                return None
            listing = index.listing()
            if listing is None or not _still_holds(root, listing):
                return None
            rows, _ = index.rows()
            several = index.more_summaries()
    except CacheUnavailableError:
        return None
    top = display_prefix(root)
    summaries = []
    for relative in listing.paths:
        row = rows.get(relative)
        if row is None:
            return None
        summaries.append(summary_from_row(top + relative, row))
        if relative in several:
            summaries += _more_summaries(top + relative, several[relative])
    return summaries


def _still_holds(root: Path, listing: PostListing | ListingHead) -> bool:
    settled_before = listing.started_ns - RACY_WINDOW_NS
    top = display_prefix(root)
    for relative, state in listing.folders.items():
        if max(state) >= settled_before:
            return False
        try:
            if folder_state(top + relative) != tuple(state):
                return False
        except OSError:
            return False
    return bool(listing.folders)


def named_canvases(
    root: Path,
    slugs: Sequence[str],
    *,
    include_unpublished: bool,
    cache_dir: Path | None = None,
    synonyms: Synonyms = (),
) -> list[Canvas] | None:
    """The canvases with these exact slugs, straight from a warm index, or None.

    Showing one company should not cost a look at every post. This answers only when the
    answer cannot differ from a full sync: every post in the folder is indexed, none has
    an error to report, no two share a slug, and each wanted post is unchanged on disk.
    Anything else (a new, removed, broken or edited post, posts read with other
    `synonyms`) returns None for a full sync; damage to the index raises
    `IndexDamagedError`, for the full sync to rebuild it.
    """
    try:
        with Index.open(root, cache_dir) as index:
            if index.reading() != reading_fingerprint(synonyms, max_post_bytes()):
                return None
            indexed = index.post_set()
            if indexed.errors or indexed.shared_slugs:
                return None
            if (indexed.posts, indexed.digest) != listed_post_set(root, index):
                return None
            canvases: list[Canvas] = []
            settled: list[IndexRow] = []
            for slug in slugs:
                found = index.by_slug(slug)
                if len(found) != 1:
                    return None
                row = found[0]
                relative, published = row[0], row[9]
                if not (published or include_unpublished):
                    return None
                info = _lstat(root, relative)
                if info is None or not _is_current(root, relative, row, info):
                    return None
                if row_hash(row) is not None and not is_racy(row_state(row)):
                    settled.append(row)
                record = index.record(relative)
                if record is None:
                    return None
                canvases.append(_canvas_from(root, relative, record))
            if settled:
                index.settle(settled)
    except IndexDamagedError:
        raise
    except CacheUnavailableError:
        return None
    return canvases


def _lstat(root: Path, relative: str) -> os.stat_result | None:
    try:
        return os.lstat(_display(root, relative))
    except OSError:
        return None


def _unlisted(rows: dict[str, IndexRow], paths: list[str]) -> list[str]:
    listed = set(paths)
    return [relative for relative in rows if relative not in listed]


def utf8_names(paths: list[str]) -> list[str]:
    """The paths that are UTF-8: nearly always, every one of them."""
    if all_utf8_names(paths):
        return paths
    return [relative for relative in paths if is_utf8_name(relative)]


def all_utf8_names(paths: list[str]) -> bool:
    """`is_utf8_name` of every path, checked all at once."""
    return is_utf8_name("\0".join(paths))


def is_utf8_name(relative: str) -> bool:
    """False for a file name with bytes that are not UTF-8, which SQLite text cannot hold."""
    try:
        relative.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def _merge(result: SyncResult, extra: SyncResult) -> None:
    """Add posts read without the index to those read through it, keeping path order."""
    sources = {summary.source for summary in extra.summaries}
    load_indexed, load_extra = result.load, extra.load
    result.summaries = sorted([*result.summaries, *extra.summaries], key=lambda s: s.source)
    result.problems.extend(extra.problems)
    diagnostics_indexed, diagnostics_extra = result.diagnostics, extra.diagnostics

    def load(summary: Summary) -> Canvas:
        return load_extra(summary) if summary.source in sources else load_indexed(summary)

    result.load = load
    result.diagnostics = lambda: {**diagnostics_indexed(), **diagnostics_extra()}


def _sync_memory(
    root: Path, paths: list[str], limit: int, progress: Progress | None, synonyms: Synonyms
) -> SyncResult:
    result = SyncResult()
    records: dict[str, tuple[str, bytes]] = {}
    diagnostics: dict[str, str] = {}
    for parsed in parse_files(root, paths, limit, progress, synonyms):
        if parsed.indexed is None:
            assert parsed.problem is not None
            result.problems.append(PostProblem(_display(root, parsed.relative), parsed.problem))
            continue
        summary = summary_from_columns(_display(root, parsed.relative), parsed.indexed.summary)
        records[summary.source] = (parsed.relative, parsed.indexed.record)
        diagnostics[summary.source] = parsed.diagnostics
        result.summaries.append(summary)
        result.summaries.extend(_more_summaries(summary.source, parsed.indexed.more))
    result.diagnostics = lambda: diagnostics

    def load(summary: Summary) -> Canvas:
        relative, record = records[summary.source]
        return _canvas_from(root, relative, unpack_record(record), summary.part)

    result.load = load
    return result


def _keeping_patterns(index: Index, parsed: Iterator[ParsedPost]) -> Iterator[ParsedPost]:
    """The posts `parsed`, read with the reader's compiled patterns kept in the index's
    cache folder meanwhile (see `canvascli.kept_patterns`)."""
    from canvascli import kept_patterns
    from canvascli.cache_folder import patterns_folder

    kept_patterns.keep_patterns_in(patterns_folder(str(index.path.parent)))
    try:
        yield from parsed
        kept_patterns.save_new_patterns()
    finally:
        kept_patterns.keep_patterns_in(None)


def _stored_check(indexed: IndexedPost, diagnostics: str) -> StoredCheck:
    return StoredCheck(indexed.path, row_stamp(indexed.row()), diagnostics)


def _known_diagnostics(
    index: Index, top: str, paths: list[str], rows: dict[str, IndexRow], fresh: dict[str, str]
) -> dict[str, str]:
    """By source, what `canvas check` found in each post: parsed in this run, or stored with
    the row this run found up to date."""
    stored = index.stored_checks()
    found: dict[str, str] = {}
    for relative in paths:
        text = fresh.get(relative)
        if text is None:
            kept, row = stored.get(relative), rows.get(relative)
            if kept is None or row is None or not kept.belongs_to(row):
                continue
            text = kept.diagnostics
        found[top + relative] = text
    return found


def _sync_index(
    index: Index,
    root: Path,
    paths: list[str],
    looks: list[os.stat_result | None],
    limit: int,
    progress: Progress | None,
    synonyms: Synonyms,
) -> SyncResult:
    """The summaries of `paths`, whose `lstat`s are `looks`, each from its row in the index
    if the row is current, else parsed and stored."""
    result = SyncResult()
    rows, from_snapshot = index.rows()
    several = index.more_summaries()
    top = display_prefix(root)
    # In path order, with None where a post is yet to be parsed.
    summaries: list[Summary | None] = []
    # The canvases after the first of posts that hold several, by their post's position.
    more: dict[int, list[Summary]] = {}
    stale: dict[str, int] = {}
    settled: list[IndexRow] = []
    for relative, info in zip(paths, looks, strict=True):
        row = rows.get(relative)
        if row is None or info is None or not _is_current(root, relative, row, info):
            stale[relative] = len(summaries)
            summaries.append(None)
            continue
        if row_hash(row) is not None and not is_racy(row_state(row)):
            settled.append(row)
        if several and relative in several:
            more[len(summaries)] = _more_summaries(top + relative, several[relative])
        summaries.append(summary_from_row(top + relative, row))
    indexed = len(summaries) - len(stale)
    removed = [] if indexed == len(rows) else _unlisted(rows, paths)
    entries: list[IndexedPost] = []
    checks: list[StoredCheck] = []
    fresh: dict[str, str] = {}
    written: dict[str, int] = {}
    batched = False
    parsing = parse_files(root, list(stale), limit, progress, synonyms)
    # Most runs parse nothing, and need not load what keeping patterns takes.
    for parsed in _keeping_patterns(index, parsing) if stale else parsing:
        if parsed.indexed is None:
            assert parsed.problem is not None
            result.problems.append(PostProblem(_display(root, parsed.relative), parsed.problem))
            if parsed.relative in rows:
                removed.append(parsed.relative)
            continue
        entries.append(parsed.indexed)
        checks.append(_stored_check(parsed.indexed, parsed.diagnostics))
        written[parsed.relative] = checks[-1].stamp
        fresh[parsed.relative] = parsed.diagnostics
        source = top + parsed.relative
        summaries[stale[parsed.relative]] = summary_from_columns(source, parsed.indexed.summary)
        if parsed.indexed.more:
            more[stale[parsed.relative]] = _more_summaries(source, parsed.indexed.more)
        if len(entries) == WRITE_BATCH:
            index.save_checks(checks)
            index.update(entries, (), ())
            batched = True
            entries, checks = [], []
    if checks or removed:
        index.save_checks(checks, removed)
    if entries or removed or settled or batched:
        in_step = from_snapshot and not batched
        index.update(entries, removed, settled, snapshot="keep in step" if in_step else "refresh")
        if batched:
            index.fold_log()
    elif not from_snapshot:
        index.save_snapshot()
    if more:
        result.summaries = [
            summary
            for position, first in enumerate(summaries)
            if first is not None
            for summary in (first, *more.get(position, ()))
        ]
    else:
        result.summaries = [summary for summary in summaries if summary is not None]

    def load(summary: Summary) -> Canvas:
        relative = os.path.relpath(summary.source, root).replace(os.sep, "/")
        try:
            record = index.record(relative)
            if record is None:
                raise IndexDamagedError(index.path, f"the record of {relative!r} is missing")
        except IndexDamagedError as damage:
            if result.repair is None:
                raise
            return result.repair(damage).load(summary)
        return _canvas_from(root, relative, record, summary.part)

    result.load = load
    result.diagnostics = lambda: _known_diagnostics(index, top, paths, rows, fresh)
    result.as_indexed = not (stale or removed or result.problems)
    result.stamps = lambda: _stamps(rows, written, settled)
    return result


def _stamps(
    rows: dict[str, IndexRow], written: dict[str, int], settled: list[IndexRow]
) -> dict[str, int]:
    """The stamp of each post's row once a sync wrote the `written` ones and settled others."""
    stamps = {relative: row_stamp(row) for relative, row in rows.items()}
    stamps.update((row[0], settled_stamp(row)) for row in settled)
    stamps.update(written)
    return stamps
