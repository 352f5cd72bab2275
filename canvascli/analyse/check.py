"""Lint posts for a site's CI: every problem is a finding with a stable code, file and line."""

from __future__ import annotations

import os
from collections import defaultdict
from collections.abc import Collection, Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from canvascli.model import CODES, Diagnostic, SeverityName
from canvascli.store.files import (
    UnreadablePostError,
    find_post_paths,
    max_post_bytes,
    read_post,
)
from canvascli.store.index import IndexDamagedError
from canvascli.store.post_checks import post_diagnostics, stored_diagnostics
from canvascli.store.sync import Progress, display_prefix, run_jobs, sync
from canvascli.store.writing import is_folder
from canvascli.words import noun_for

if TYPE_CHECKING:
    from canvascli.read.labels import Synonyms


@dataclass(frozen=True)
class Finding:
    """One problem in one file, at a line and column (both counted from 1)."""

    path: str
    line: int
    column: int
    code: str
    severity: SeverityName
    message: str

    @classmethod
    def of(cls, path: str, diagnostic: Diagnostic) -> Finding:
        return cls(
            path,
            diagnostic.line,
            diagnostic.column,
            diagnostic.code,
            diagnostic.severity,
            diagnostic.message,
        )

    def format(self) -> str:
        """`path:line:col: CODE message`, the form editors and CI annotations understand."""
        return f"{self.path}:{self.line}:{self.column}: {self.code} {self.message}"

    def to_dict(self) -> dict[str, Any]:
        return {
            "path": self.path,
            "line": self.line,
            "column": self.column,
            "code": self.code,
            "severity": self.severity,
            "message": self.message,
        }


@dataclass(frozen=True)
class PostToCheck:
    """A post to check: where to read it, how to name it, and the folder it must stay in."""

    path: str
    display: str
    root: str


@dataclass(frozen=True)
class PostCheck:
    """The findings of one post, and its slug when it could be read."""

    display: str
    slug: str | None
    findings: tuple[Finding, ...]


@dataclass
class CheckReport:
    """Every finding over a set of posts, sorted, and how many posts were checked."""

    files: int
    findings: list[Finding]
    # Folders named to be checked that could not be listed, whether or not CV303 is ignored.
    unreadable_folders: int

    @property
    def found_nothing(self) -> bool:
        """True when there was no post, nor even an unreadable folder, to check."""
        return self.files == 0 and self.unreadable_folders == 0

    @property
    def errors(self) -> int:
        return sum(1 for finding in self.findings if finding.severity == "error")

    @property
    def warnings(self) -> int:
        return sum(1 for finding in self.findings if finding.severity == "warning")

    def failed(self, *, strict: bool = False) -> bool:
        return self.errors > 0 or (strict and self.warnings > 0)

    def summary(self) -> str:
        """ "3 errors, 2 warnings in 40 files"."""
        return (
            f"{_count(self.errors, 'error')}, {_count(self.warnings, 'warning')} "
            f"in {_count(self.files, 'file')}"
        )

    def to_dict(self) -> dict[str, Any]:
        return {
            "files": self.files,
            "errors": self.errors,
            "warnings": self.warnings,
            "findings": [finding.to_dict() for finding in self.findings],
        }


def _count(number: int, noun: str) -> str:
    return f"{number} {noun_for(number, noun)}"


def check_post(target: PostToCheck, limit: int, synonyms: Synonyms = ()) -> PostCheck:
    """Read and parse one post afresh; every problem it has becomes a finding."""
    try:
        post = read_post(
            Path(target.path),
            Path(target.root),
            limit,
            source=target.display,
            synonyms=synonyms,
        )
    except UnreadablePostError as error:
        finding = Finding.of(target.display, Diagnostic.of(error.code, str(error)))
        return PostCheck(target.display, None, (finding,))
    diagnostics = post_diagnostics(post, synonyms)
    findings = tuple(Finding.of(target.display, diagnostic) for diagnostic in diagnostics)
    return PostCheck(target.display, post.canvas.slug, findings)


def _check_job(job: tuple[PostToCheck, int, Synonyms]) -> PostCheck:
    return check_post(*job)


def _check_all(
    targets: Sequence[PostToCheck], limit: int, progress: Progress | None, synonyms: Synonyms
) -> Iterator[PostCheck]:
    """Check posts, on every core when there are enough of them to pay for it."""
    return run_jobs(_check_job, [(target, limit, synonyms) for target in targets], progress)


def _slug_findings(checks: Iterable[PostCheck]) -> Iterator[Finding]:
    """A CV301 finding on every file whose slug another checked file also has."""
    by_slug: dict[str, list[str]] = defaultdict(list)
    for checked in checks:
        if checked.slug is not None:
            by_slug[checked.slug].append(checked.display)
    for slug, paths in by_slug.items():
        for path in paths:
            others = ", ".join(other for other in paths if other != path)
            if others:
                message = f"slug '{slug}' is also used by {others}"
                yield Finding.of(path, Diagnostic.of("CV301", message))


def _check_targets(
    targets: Sequence[PostToCheck],
    *,
    limit: int | None = None,
    ignore: Collection[str] = (),
    progress: Progress | None = None,
    earlier: Sequence[Finding] = (),
    synonyms: Synonyms = (),
) -> CheckReport:
    """Check every target; one that cannot be read is a finding and never stops the others.

    `earlier` holds findings made while choosing the targets, such as unreadable folders.
    """
    limit = max_post_bytes() if limit is None else limit
    checks = list(_check_all(targets, limit, progress, synonyms))
    return _report(checks, len(targets), ignore, earlier)


def _report(
    checks: Sequence[PostCheck],
    files: int,
    ignore: Collection[str],
    earlier: Sequence[Finding] = (),
) -> CheckReport:
    """The report on checked posts, with the findings no single post shows (shared slugs)."""
    findings = [*earlier, *(finding for checked in checks for finding in checked.findings)]
    findings.extend(_slug_findings(checks))
    kept = [finding for finding in findings if finding.code not in ignore]
    # Stable on the parser's order, so the missing blocks of a post stay in canvas order.
    kept.sort(key=lambda finding: (finding.path, finding.line, finding.column))
    return CheckReport(files=files, findings=kept, unreadable_folders=len(earlier))


def check_paths(
    paths: Sequence[Path],
    *,
    ignore: Collection[str] = (),
    limit: int | None = None,
    progress: Progress | None = None,
    cwd: Path | None = None,
    synonyms: Synonyms = (),
) -> CheckReport:
    """Check the posts named by files and folders: the API behind `canvas check PATH...`.

    Paths are shown as given, or relative to `cwd` (the current folder) when inside it.
    Labels are read with `synonyms` too.
    """
    targets, unreadable = named_posts(paths, cwd)
    return _check_targets(
        targets,
        limit=limit,
        ignore=ignore,
        progress=progress,
        earlier=unreadable,
        synonyms=synonyms,
    )


def check_library(
    folder: Path,
    *,
    ignore: Collection[str] = (),
    limit: int | None = None,
    progress: Progress | None = None,
    cwd: Path | None = None,
    use_cache: bool = True,
    cache_dir: Path | None = None,
    notices: list[str] | None = None,
    synonyms: Synonyms = (),
) -> CheckReport:
    """Check every post of a library folder: the API behind `canvas check [--posts DIR]`.

    Through the library's index (in `cache_dir`, by default the user's cache folder), only
    new and changed posts are read; what was found in the others was kept when they were
    parsed. Without it (`use_cache=False`) every post is read afresh; the report is the
    same. Why the index could not be used, if so, is added to `notices`. Labels are read
    with the library's own `synonyms` too.
    """
    display = display_path(folder, cwd)
    if not use_cache:
        targets = _folder_targets(folder, display)
        return _check_targets(
            targets, limit=limit, ignore=ignore, progress=progress, synonyms=synonyms
        )
    limit = max_post_bytes() if limit is None else limit
    synced = sync(folder, limit, progress=progress, cache_dir=cache_dir, synonyms=synonyms)
    try:
        known = synced.diagnostics()
    except IndexDamagedError as damage:
        if synced.repair is None:
            raise
        synced = synced.repair(damage, progress)
        known = synced.diagnostics()
    if notices is not None:
        notices.extend(synced.notices)
    top = display_prefix(folder)
    prefix = "" if display == "." else display_prefix(Path(display))

    def shown(source: str) -> str:
        return prefix + source[len(top) :].replace("/", os.sep)

    # One check a post: what was found in every canvas of a post is kept with the post.
    posts = [summary for summary in synced.summaries if not summary.part]
    texts = [known[summary.source] for summary in posts if summary.source in known]
    decoded = iter(stored_diagnostics(texts))
    checks: list[PostCheck] = []
    for summary in posts:
        path = shown(summary.source)
        if summary.source not in known:
            target = PostToCheck(summary.source, path, str(folder))
            checks.append(check_post(target, limit, synonyms))
            continue
        findings = tuple(
            Finding(path, line, column, code, CODES[code][0], message)
            for code, line, column, message in next(decoded)
        )
        checks.append(PostCheck(path, summary.slug, findings))
    for problem in synced.problems:
        path = shown(problem.path)
        checks.append(PostCheck(path, None, (Finding.of(path, problem.diagnostic),)))
    return _report(checks, len(checks), ignore)


def library_posts(folder: Path, cwd: Path | None = None) -> list[PostToCheck]:
    """Every post of a library folder, named relative to `cwd` when inside it."""
    return _folder_targets(folder, display_path(folder, cwd))


def display_path(path: Path, cwd: Path | None = None) -> str:
    """A path as the user gave it, or relative to the current folder when it lies inside it."""
    if path.is_absolute():
        try:
            return str(path.relative_to((cwd or Path.cwd()).resolve()))
        except ValueError:
            return str(path)
    return str(path)


def _folder_targets(folder: Path, display: str) -> list[PostToCheck]:
    """Every post under a folder, named under `display`."""
    shown = Path(display)
    return [
        PostToCheck(str(folder / relative), str(shown / relative), str(folder))
        for relative in find_post_paths(folder)
    ]


def named_posts(
    paths: Sequence[Path], cwd: Path | None = None
) -> tuple[list[PostToCheck], list[Finding]]:
    """The posts named by files and folders, each file once even when named twice.

    A named file is checked whatever its name; a folder contributes its posts. A path
    that does not exist is kept, so that it is reported rather than silently skipped;
    a folder that cannot be listed is a finding of its own.
    """
    targets: list[PostToCheck] = []
    unreadable: list[Finding] = []
    seen: set[str] = set()
    for path in paths:
        display = display_path(path, cwd)
        if is_folder(path):
            try:
                with os.scandir(path):
                    pass
            except OSError as error:
                reason = f"folder cannot be read: {error.strerror or error}"
                unreadable.append(Finding.of(display, Diagnostic.of("CV303", reason)))
                continue
            found = _folder_targets(path, display)
        else:
            # A file named on the command line is followed wherever a symlink leads.
            found = [PostToCheck(str(path), display, str(Path(os.path.realpath(path)).parent))]
        for target in found:
            real = os.path.realpath(target.path)
            if real not in seen:
                seen.add(real)
                targets.append(target)
    return targets, unreadable
