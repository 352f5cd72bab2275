"""Lint posts for a site's CI: every problem is a finding with a stable code, file and line."""

from __future__ import annotations

import os
import re
from collections import defaultdict
from collections.abc import Collection, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from canvascli.model import Canvas, Diagnostic, SeverityName, block_title
from canvascli.store.files import (
    UnreadablePostError,
    decode_post,
    find_post_paths,
    max_post_bytes,
    read_post,
)
from canvascli.store.sync import Progress, run_jobs
from canvascli.words import noun_for


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

    files: int = 0
    findings: list[Finding] = field(default_factory=list)
    # Folders named to be checked that could not be listed, whether or not CV303 is ignored.
    unreadable_folders: int = 0

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


_PUBLISHED_KEY = re.compile(r"""^["']?published["']?\s*:""")


def _front_matter_line(text: str, pattern: re.Pattern[str]) -> int:
    """The line of the front matter key matching `pattern`, else 1."""
    lines = text.lstrip("\ufeff").splitlines()
    if not lines or lines[0].rstrip() != "---":
        return 1
    for number, line in enumerate(lines[1:], 2):
        if line.rstrip() in {"---", "..."}:
            break
        if pattern.match(line):
            return number
    return 1


def check_post(target: PostToCheck, limit: int) -> PostCheck:
    """Read and parse one post afresh; every problem it has becomes a finding."""
    try:
        post = read_post(Path(target.path), Path(target.root), limit, source=target.display)
    except UnreadablePostError as error:
        finding = Finding.of(target.display, Diagnostic.of(error.code, str(error)))
        return PostCheck(target.display, None, (finding,))
    canvas = post.canvas
    diagnostics: list[Diagnostic] = []
    for each in post.canvases:
        found = [*each.diagnostics, *_guessed_labels(each)]
        diagnostics.extend(_naming_canvas(found, each) if len(post.canvases) > 1 else found)
    if canvas.metadata.get("published", True) is False:
        text, _decoding = decode_post(post.data)
        line = _front_matter_line(text, _PUBLISHED_KEY)
        message = "post is unpublished (published: false); the site will not show it"
        diagnostics.append(Diagnostic.of("CV302", message, line))
    findings = tuple(Finding.of(target.display, diagnostic) for diagnostic in diagnostics)
    return PostCheck(target.display, canvas.slug, findings)


def _naming_canvas(diagnostics: Iterable[Diagnostic], canvas: Canvas) -> Iterator[Diagnostic]:
    """In a post of several canvases, what is said of a canvas's blocks names the canvas."""
    for diagnostic in diagnostics:
        if diagnostic.code.startswith("CV2"):
            message = f"canvas '{canvas.slug}': {diagnostic.message}"
            diagnostic = diagnostic._replace(message=message)
        yield diagnostic


def _guessed_labels(canvas: Canvas) -> Iterator[Diagnostic]:
    """A CV206 note on each block whose label is not a name the parser knows as written."""
    from canvascli.read.labels import is_known_name

    kind = canvas.kind
    for section in canvas.sections:
        if section.block is not None and not is_known_name(section.heading):
            title = block_title(section.block, kind)
            message = f"label '{section.heading}' read as block '{title}'"
            yield Diagnostic.of("CV206", message, section.line)


def _check_job(job: tuple[PostToCheck, int]) -> PostCheck:
    return check_post(*job)


def _check_all(
    targets: Sequence[PostToCheck], limit: int, progress: Progress | None
) -> Iterator[PostCheck]:
    """Check posts, on every core when there are enough of them to pay for it."""
    return run_jobs(_check_job, [(target, limit) for target in targets], progress)


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
) -> CheckReport:
    """Check every target; one that cannot be read is a finding and never stops the others.

    `earlier` holds findings made while choosing the targets, such as unreadable folders.
    """
    limit = max_post_bytes() if limit is None else limit
    checks = list(_check_all(targets, limit, progress))
    findings = [*earlier, *(finding for checked in checks for finding in checked.findings)]
    findings.extend(_slug_findings(checks))
    kept = [finding for finding in findings if finding.code not in ignore]
    # Stable on the parser's order, so the missing blocks of a post stay in canvas order.
    kept.sort(key=lambda finding: (finding.path, finding.line, finding.column))
    return CheckReport(files=len(targets), findings=kept, unreadable_folders=len(earlier))


def check_paths(
    paths: Sequence[Path],
    *,
    ignore: Collection[str] = (),
    limit: int | None = None,
    progress: Progress | None = None,
    cwd: Path | None = None,
) -> CheckReport:
    """Check the posts named by files and folders: the API behind `canvas check PATH...`.

    Paths are shown as given, or relative to `cwd` (the current folder) when inside it.
    """
    targets, unreadable = _path_targets(paths, cwd)
    return _check_targets(
        targets, limit=limit, ignore=ignore, progress=progress, earlier=unreadable
    )


def check_library(
    folder: Path,
    *,
    ignore: Collection[str] = (),
    limit: int | None = None,
    progress: Progress | None = None,
    cwd: Path | None = None,
) -> CheckReport:
    """Check every post of a library folder: the API behind `canvas check [--posts DIR]`."""
    targets = _folder_targets(folder, _display_path(folder, cwd))
    return _check_targets(targets, limit=limit, ignore=ignore, progress=progress)


def _display_path(path: Path, cwd: Path | None = None) -> str:
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


def _path_targets(
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
        display = _display_path(path, cwd)
        if path.is_dir():
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
