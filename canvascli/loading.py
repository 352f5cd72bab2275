"""Bring a library's index up to date: parse only new or changed posts, on every core."""

from __future__ import annotations

import json
import os
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from canvascli.cache import (
    CacheUnavailableError,
    Entry,
    FileState,
    Index,
    content_hash,
    is_racy,
)
from canvascli.library import (
    Problem,
    UnreadablePostError,
    decode_post,
    find_post_paths,
    read_post_bytes,
)
from canvascli.models import Canvas, Diagnostic, Summary

# Below this many posts to parse, starting worker processes costs more than it saves.
PARALLEL_THRESHOLD = 64

Progress = Callable[[int, int], None]


@dataclass
class SyncResult:
    summaries: list[Summary] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    notices: list[str] = field(default_factory=list)
    load: Callable[[Summary], Canvas] = field(default=lambda summary: _missing(summary))


def _missing(summary: Summary) -> Canvas:
    raise LookupError(summary.source)


@dataclass(frozen=True)
class Parsed:
    """The outcome of reading one post: an index entry, or the problem that stopped it."""

    relative: str
    entry: Entry | None
    problem: Diagnostic | None


def parse_file(job: tuple[str, str, str]) -> Parsed:
    """Read and parse one post; runs in worker processes, so it takes and returns plain data."""
    from canvascli.parser import parse_canvas

    root, relative, limit = job
    path = Path(root) / relative
    try:
        data, info = read_post_bytes(path, Path(root), int(limit))
        text, diagnostics = decode_post(data)
    except UnreadablePostError as error:
        return Parsed(relative, None, Diagnostic.of(error.code, str(error)))
    canvas = parse_canvas(text, relative)
    if diagnostics:
        canvas = Canvas(
            canvas.slug,
            canvas.name,
            canvas.source,
            canvas.metadata,
            canvas.sections,
            (*diagnostics, *canvas.diagnostics),
        )
    state = FileState.of(info)
    digest = content_hash(data) if is_racy(state) else None
    entry = Entry(
        relative, state, digest, _dumps(canvas.summary().to_dict()), _dumps(canvas.to_record())
    )
    return Parsed(relative, entry, None)


def _dumps(data: Any) -> str:
    return json.dumps(data, ensure_ascii=False, separators=(",", ":"))


def parse_files(
    root: Path, relatives: list[str], limit: int, progress: Progress | None = None
) -> Iterator[Parsed]:
    """Parse posts, in a process pool when there are enough of them to pay for it."""
    jobs = [(str(root), relative, str(limit)) for relative in relatives]
    workers = os.cpu_count() or 1
    if len(jobs) < PARALLEL_THRESHOLD or workers < 2:
        for done, job in enumerate(jobs, 1):
            yield parse_file(job)
            if progress:
                progress(done, len(jobs))
        return
    chunk = max(1, min(256, len(jobs) // (workers * 8)))
    with ProcessPoolExecutor(max_workers=workers) as pool:
        for done, parsed in enumerate(pool.map(parse_file, jobs, chunksize=chunk), 1):
            yield parsed
            if progress and (done % chunk == 0 or done == len(jobs)):
                progress(done, len(jobs))


def _current_states(root: Path, relatives: Iterable[str]) -> dict[str, FileState | None]:
    states: dict[str, FileState | None] = {}
    top = os.fspath(root)
    for relative in relatives:
        try:
            states[relative] = FileState.of(os.stat(os.path.join(top, relative)))
        except OSError:
            states[relative] = None
    return states


def _unchanged(root: Path, relative: str, known: tuple[FileState, str | None]) -> bool:
    """True when an indexed post with the same size and mtime also has the same content."""
    _state, digest = known
    if digest is None:
        return True
    try:
        return content_hash((root / relative).read_bytes()) == digest
    except OSError:
        return False


def _display(root: Path, relative: str) -> str:
    return os.path.join(root, relative)


def _summary_from(root: Path, relative: str, summary_json: str) -> Summary:
    data = json.loads(summary_json)
    data["source"] = _display(root, relative)
    return Summary.from_dict(data)


def _canvas_from(root: Path, relative: str, record_json: str) -> Canvas:
    data = json.loads(record_json)
    data["source"] = _display(root, relative)
    return Canvas.from_record(data)


def sync(
    root: Path, limit: int, *, use_cache: bool = True, progress: Progress | None = None
) -> SyncResult:
    """Summaries of every post under `root`, through the index when it can be used."""
    paths = find_post_paths(root)
    if use_cache:
        indexable = [relative for relative in paths if _is_utf8(relative)]
        try:
            result = _sync_index(root, indexable, limit, progress)
        except CacheUnavailableError as error:
            result = _sync_memory(root, paths, limit, progress)
            result.notices.append(f"{error}; running without the index")
            return result
        if len(indexable) < len(paths):
            unindexable = [relative for relative in paths if not _is_utf8(relative)]
            _merge(result, _sync_memory(root, unindexable, limit, None))
        return result
    return _sync_memory(root, paths, limit, progress)


def _is_utf8(relative: str) -> bool:
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

    def load(summary: Summary) -> Canvas:
        return load_extra(summary) if summary.source in sources else load_indexed(summary)

    result.load = load


def _sync_memory(root: Path, paths: list[str], limit: int, progress: Progress | None) -> SyncResult:
    result = SyncResult()
    records: dict[str, tuple[str, str]] = {}
    for parsed in parse_files(root, paths, limit, progress):
        if parsed.entry is None:
            assert parsed.problem is not None
            result.problems.append(Problem(_display(root, parsed.relative), parsed.problem))
            continue
        summary = _summary_from(root, parsed.relative, parsed.entry.summary)
        records[summary.source] = (parsed.relative, parsed.entry.record)
        result.summaries.append(summary)

    def load(summary: Summary) -> Canvas:
        relative, record = records[summary.source]
        return _canvas_from(root, relative, record)

    result.load = load
    return result


def _sync_index(root: Path, paths: list[str], limit: int, progress: Progress | None) -> SyncResult:
    result = SyncResult()
    index = Index.open(root)
    current = _current_states(root, paths)
    known = index.states()
    stale: list[str] = []
    settled: list[str] = []
    for relative, state in current.items():
        previous = known.get(relative)
        if state is None or previous is None or previous[0] != state:
            stale.append(relative)
        elif previous[1] is not None:
            if not _unchanged(root, relative, previous):
                stale.append(relative)
            elif not is_racy(state):
                settled.append(relative)
    removed = [relative for relative in known if relative not in current]
    entries: list[Entry] = []
    for parsed in parse_files(root, stale, limit, progress):
        if parsed.entry is None:
            assert parsed.problem is not None
            result.problems.append(Problem(_display(root, parsed.relative), parsed.problem))
            if parsed.relative in known:
                removed.append(parsed.relative)
            continue
        entries.append(parsed.entry)
    if entries or removed or settled:
        index.update(entries, removed, settled)
    result.summaries = [
        _summary_from(root, relative, summary_json)
        for relative, summary_json in index.summary_rows(current)
    ]

    relatives = {_display(root, relative): relative for relative in current}

    def load(summary: Summary) -> Canvas:
        relative = relatives[summary.source]
        record = index.record(relative)
        if record is None:
            raise CacheUnavailableError(f"{summary.source} is no longer in the index")
        return _canvas_from(root, relative, record)

    result.load = load
    return result
