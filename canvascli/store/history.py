"""A post's past, read from the git repository it lives in: a canvas at a revision, its log."""

from __future__ import annotations

import re
import subprocess
from collections.abc import Iterator, Mapping, Sequence
from datetime import date
from pathlib import Path
from typing import NamedTuple

from canvascli.errors import CanvasError, shown
from canvascli.model import AnyBlock, Canvas, Section
from canvascli.read.labels import Synonyms

GIT_TIMEOUT_SECONDS = 60
# A revision written as a day: the last commit on or before the end of that day.
_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")
# What may follow `--follow --raw` for the one file followed: `:100644 100644 OLD NEW R087`.
_RAW_FIELDS = 5
_RENAMED_OR_COPIED = ("R", "C")
# The blob of a side where the post is not (before it was added, after it was deleted):
# git writes a hash of zeros.
_NO_BLOB = ""
# `git log` separates a commit's fields, and its raw lines and paths under -z, with NUL,
# which no subject and no path can hold.
_LOG_FORMAT = "commit %H%x00%h%x00%cI%x00%s%x00"
# git reads these to find another repository, work tree, index or object store than the one
# the post is in; none may point it elsewhere. A git hook runs with GIT_DIR and
# GIT_INDEX_FILE set for its own repository, which need not be the library's. Those that
# only narrow where git looks (GIT_CEILING_DIRECTORIES) are the user's to keep. Anything
# that would print more than asked (a pager, colour, signatures) is turned off on the
# command line instead.
_REDIRECTING = (
    "GIT_DIR",
    "GIT_WORK_TREE",
    "GIT_INDEX_FILE",
    "GIT_OBJECT_DIRECTORY",
    "GIT_ALTERNATE_OBJECT_DIRECTORIES",
    "GIT_COMMON_DIR",
    "GIT_NAMESPACE",
    "GIT_REPLACE_REF_BASE",
    "GIT_NO_REPLACE_OBJECTS",
    "GIT_GRAFT_FILE",
    "GIT_SHALLOW_FILE",
    "GIT_CONFIG",
    "GIT_CONFIG_PARAMETERS",
    "GIT_CONFIG_COUNT",
    "GIT_EXTERNAL_DIFF",
    "GIT_DIFF_OPTS",
    "GIT_PAGER",
    "GIT_TRACE",
)
_GIT_OPTIONS = (
    "--no-pager",
    "--literal-pathspecs",
    "-c",
    "color.ui=false",
    "-c",
    "log.showSignature=false",
    "-c",
    "core.quotePath=false",
    "-c",
    "diff.renames=true",
)


class HistoryError(CanvasError):
    """A post's history that cannot be read: no git, no repository, no such revision."""


class Revision(NamedTuple):
    """One commit: its full and short hash, commit date (ISO 8601) and subject line."""

    commit: str
    short: str
    committed: str
    subject: str

    @property
    def day(self) -> str:
        return self.committed[:10]

    def to_dict(self) -> dict[str, str]:
        return {
            "commit": self.commit,
            "short": self.short,
            "date": self.committed,
            "subject": self.subject,
        }


class BlockChanges(NamedTuple):
    """The blocks one commit added to a canvas, removed from it, and edited, in canvas order."""

    added: tuple[AnyBlock, ...] = ()
    removed: tuple[AnyBlock, ...] = ()
    edited: tuple[AnyBlock, ...] = ()

    def to_dict(self) -> dict[str, list[str]]:
        return {
            "added": [block.key for block in self.added],
            "removed": [block.key for block in self.removed],
            "edited": [block.key for block in self.edited],
        }


class Change(NamedTuple):
    """A commit that changed a post: how (`added`, `modified`, `renamed`, `deleted`), the
    post's path after it (before it, for `deleted`), and the blocks it changed, or None
    when one side could not be read as a canvas."""

    revision: Revision
    status: str
    path: str
    old_path: str | None
    blocks: BlockChanges | None

    def to_dict(self) -> dict[str, object]:
        return {
            **self.revision.to_dict(),
            "change": self.status,
            "path": self.path,
            "old_path": self.old_path,
            "blocks": None if self.blocks is None else self.blocks.to_dict(),
        }


class PostHistory(NamedTuple):
    """The commits that changed a post, newest first, and the commit the history was
    read up to, or None when it was read up to HEAD."""

    at: Revision | None
    changes: list[Change]


class _Touch(NamedTuple):
    """One commit's line of `git log --follow --raw` for the post."""

    revision: Revision
    status: str
    old_blob: str
    new_blob: str
    old_path: str
    new_path: str


class _Post(NamedTuple):
    """A post's file in its repository: its name in the folder git runs in, and as shown."""

    name: str
    shown: str


def split_revision(name: str) -> tuple[str, str] | None:
    """`COMPANY@REV` as its company and revision, or None if `name` names no revision.

    The company ends at the first `@`: a revision may hold more (`memsql@HEAD@{1}`)."""
    company, at, revision = name.partition("@")
    return (company, revision) if at else None


def is_day(revision: str) -> bool:
    if not _DAY.fullmatch(revision):
        return False
    try:
        date.fromisoformat(revision)
    except ValueError:
        return False
    return True


def _git_environment(environ: Mapping[str, str]) -> dict[str, str]:
    kept = {name: value for name, value in environ.items() if name not in _REDIRECTING}
    kept.update(LC_ALL="C", LANGUAGE="C", GIT_TERMINAL_PROMPT="0", GIT_OPTIONAL_LOCKS="0")
    return kept


class _Git:
    """git run on a post's repository: list arguments, no shell, a timeout, plain C locale."""

    def __init__(self, folder: Path, environ: Mapping[str, str]) -> None:
        self.folder = folder
        self.environ = _git_environment(environ)

    def run(
        self, *arguments: str, stdin: bytes | None = None
    ) -> subprocess.CompletedProcess[bytes]:
        command = ["git", "-C", str(self.folder), *_GIT_OPTIONS, *arguments]
        try:
            return subprocess.run(
                command,
                input=stdin,
                stdin=None if stdin is not None else subprocess.DEVNULL,
                capture_output=True,
                env=self.environ,
                timeout=GIT_TIMEOUT_SECONDS,
                check=False,
            )
        except FileNotFoundError:
            raise HistoryError("git is not installed (or not on PATH); history needs it") from None
        except subprocess.TimeoutExpired:
            raise HistoryError(
                f"git took more than {GIT_TIMEOUT_SECONDS} seconds in {self.folder}; stopped"
            ) from None
        except OSError as failure:
            raise HistoryError(f"git cannot be run: {failure.strerror or failure}") from None

    def output(self, *arguments: str) -> bytes | None:
        """What git prints, or None if it fails."""
        done = self.run(*arguments)
        return done.stdout if done.returncode == 0 else None


def _locate(post: Path, environ: Mapping[str, str]) -> tuple[_Git, _Post]:
    resolved = post.resolve()
    git = _Git(resolved.parent, environ)
    done = git.run("rev-parse", "--git-dir")
    if done.returncode != 0:
        reason = done.stderr.decode("utf-8", "replace")
        if "not a git repository" in reason:
            raise HistoryError(f"{post} is not in a git repository")
        raise HistoryError(f"{post}: git cannot read its repository: {_first_line(reason)}")
    return git, _Post(resolved.name, str(post))


def _first_line(text: str) -> str:
    lines = [line for line in text.splitlines() if line.strip()]
    return lines[0].removeprefix("fatal: ") if lines else "git failed"


def _check_revision(revision: str) -> None:
    if not revision:
        raise HistoryError("no revision after '@' (try COMPANY@HEAD~1 or COMPANY@2024-01-01)")
    if revision.startswith("-") or not revision.isprintable():
        raise HistoryError(f"'{_shown(revision)}' is not a revision")


def _shown(text: str) -> str:
    return shown("".join(character if character.isprintable() else "?" for character in text))


def resolve(git: _Git, revision: str) -> str:
    """The full hash of the commit `revision` names: anything `git rev-parse` takes, or a day."""
    _check_revision(revision)
    if is_day(revision):
        found = git.output(
            "rev-list",
            "-1",
            "--first-parent",
            f"--before={revision} 23:59:59",
            "HEAD",
            "--",
        )
        if not found:
            if git.output("rev-parse", "--verify", "--quiet", "HEAD") is None:
                raise HistoryError(f"no commits yet in the repository of {git.folder}")
            raise HistoryError(f"no commit on or before {revision} on the current branch")
        return found.decode("ascii").strip()
    found = git.output(
        "rev-parse", "--verify", "--quiet", "--end-of-options", f"{revision}^{{commit}}"
    )
    if not found:
        raise HistoryError(
            f"unknown revision '{_shown(revision)}' in the repository of {git.folder}"
        )
    return found.decode("ascii").strip()


def _log(git: _Git, post: _Post, limit: int | None = None) -> list[_Touch]:
    """Every commit that changed the post, newest first, following renames from HEAD."""
    count = [f"--max-count={limit}"] if limit is not None else []
    output = git.output(
        "log",
        "--follow",
        "--raw",
        "-z",
        "--no-ext-diff",
        "--no-textconv",
        f"--format={_LOG_FORMAT}",
        *count,
        "HEAD",
        "--",
        post.name,
    )
    touches = []
    for touch in _parse_log(output or b""):
        # `--follow` looks for copies too: a post first written as a copy of another begins
        # there, and what came before is the other post's history.
        if touch.status == "C":
            touches.append(touch._replace(old_blob=_NO_BLOB))
            break
        touches.append(touch)
    if not touches:
        if git.output("rev-parse", "--verify", "--quiet", "HEAD") is None:
            raise HistoryError(f"{post.shown}: no commits yet in its repository")
        raise HistoryError(
            f"{post.shown} is not committed in git (untracked, or only just renamed)"
        )
    return touches


def _parse_log(output: bytes) -> Iterator[_Touch]:
    tokens = [token.decode("utf-8", "surrogateescape") for token in output.split(b"\0")]
    position = 0
    revision: Revision | None = None
    while position < len(tokens):
        token = tokens[position].lstrip("\n")
        position += 1
        if token.startswith("commit "):
            fields = tokens[position : position + 3]
            revision = Revision(token.removeprefix("commit "), *fields)
            position += 3
        elif token.startswith(":") and revision is not None:
            fields = token[1:].split()
            if len(fields) != _RAW_FIELDS:
                continue
            status = fields[4]
            paths = 2 if status.startswith(_RENAMED_OR_COPIED) else 1
            named = tokens[position : position + paths]
            position += paths
            old_blob, new_blob = (
                _NO_BLOB if blob.strip("0") == "" else blob for blob in fields[2:4]
            )
            yield _Touch(revision, status[0], old_blob, new_blob, named[0], named[-1])


def _status(touch: _Touch) -> str:
    return {"A": "added", "D": "deleted", "R": "renamed", "C": "copied"}.get(
        touch.status, "modified"
    )


def _read_blobs(git: _Git, blobs: Sequence[str]) -> dict[str, bytes]:
    """The bytes of each blob, by hash, from one `git cat-file --batch`."""
    wanted = list(dict.fromkeys(blob for blob in blobs if blob != _NO_BLOB))
    if not wanted:
        return {}
    done = git.run("cat-file", "--batch", stdin="".join(f"{blob}\n" for blob in wanted).encode())
    output, found, position = done.stdout, {}, 0
    for blob in wanted:
        end = output.find(b"\n", position)
        if end < 0:
            break
        header = output[position:end].split()
        position = end + 1
        if len(header) != 3:
            continue  # missing: a blob of a shallow or partial clone
        size = int(header[2])
        found[blob] = output[position : position + size]
        position += size + 1
    return found


class _Reader:
    """Canvases from blobs, each blob read once, as the post's canvas number `part`."""

    def __init__(
        self, blobs: Mapping[str, bytes], part: int, limit: int, synonyms: Synonyms
    ) -> None:
        self.blobs = blobs
        self.part = part
        self.limit = limit
        self.synonyms = synonyms
        self.read: dict[str, Canvas | None] = {_NO_BLOB: None}
        # Versions that are there but are no canvas: binary, too big, or missing from a clone.
        self.unreadable: set[str] = set()

    def canvas(self, blob: str, source: str) -> Canvas | None:
        """The canvas blob `blob` holds; None for no file, or one that is no canvas."""
        if blob not in self.read:
            self.read[blob] = self._parse(blob, source)
            if self.read[blob] is None:
                self.unreadable.add(blob)
        return self.read[blob]

    def _parse(self, blob: str, source: str) -> Canvas | None:
        from canvascli.store.files import UnreadablePostError, decode_post, read_canvases_of

        data = self.blobs.get(blob)
        if data is None or len(data) > self.limit:
            return None
        try:
            text, _ = decode_post(data)
            canvases = read_canvases_of(text, source, self.synonyms)
        except UnreadablePostError:
            return None
        return canvases[self.part] if self.part < len(canvases) else None


def block_changes(before: Canvas | None, after: Canvas | None) -> BlockChanges:
    """What changed from one canvas to the next, block by block; a side that is None has no
    blocks (the post did not exist). A block is there once written: a heading with nothing
    under it, as `canvas new` leaves each, counts as no block, as everywhere else."""
    old = _written_blocks(before)
    new = _written_blocks(after)
    order = list(new) + [block for block in old if block not in new]
    return BlockChanges(
        added=tuple(block for block in order if block in new and block not in old),
        removed=tuple(block for block in order if block in old and block not in new),
        edited=tuple(
            block
            for block in order
            if block in old and block in new and old[block].entries != new[block].entries
        ),
    )


def _written_blocks(canvas: Canvas | None) -> dict[AnyBlock, Section]:
    if canvas is None:
        return {}
    return {block: section for block, section in canvas.all_blocks.items() if not section.is_empty}


def post_log(
    post: Path,
    environ: Mapping[str, str],
    *,
    part: int = 0,
    limit: int,
    count: int | None = None,
    until: str | None = None,
    synonyms: Synonyms = (),
) -> PostHistory:
    """The commits that changed `post`, newest first, each with the blocks it changed;
    `until` a revision, only those it contains: the history as it stood then.

    One `git log` finds them, renames followed; one `git cat-file --batch` reads every
    version; canvas number `part` of each version is the one compared.
    """
    git, located = _locate(post, environ)
    if until is None:
        return PostHistory(None, _changes(git, _log(git, located, count), part, limit, synonyms))
    commit = resolve(git, until)
    at = _revision(git, commit)
    reachable = _reachable(git, commit)
    touches = [touch for touch in _log(git, located) if touch.revision.commit in reachable]
    if not touches:
        raise HistoryError(f"{located.shown} did not exist at {at.short} ({at.day})")
    return PostHistory(at, _changes(git, touches[:count], part, limit, synonyms))


def _changes(
    git: _Git, touches: Sequence[_Touch], part: int, limit: int, synonyms: Synonyms
) -> list[Change]:
    versions = [blob for touch in touches for blob in (touch.old_blob, touch.new_blob)]
    reader = _Reader(_read_blobs(git, versions), part, limit, synonyms)
    changes = []
    for touch in touches:
        before = reader.canvas(touch.old_blob, touch.old_path)
        after = reader.canvas(touch.new_blob, touch.new_path)
        readable = not {touch.old_blob, touch.new_blob} & reader.unreadable
        status = _status(touch)
        changes.append(
            Change(
                touch.revision,
                status,
                touch.new_path,
                touch.old_path if status in {"renamed", "copied"} else None,
                block_changes(before, after) if readable else None,
            )
        )
    return changes


def canvas_at(
    post: Path,
    revision: str,
    environ: Mapping[str, str],
    *,
    part: int = 0,
    limit: int,
    synonyms: Synonyms = (),
) -> tuple[Canvas, Revision]:
    """Canvas number `part` of `post` as it was at `revision`, found under the name it had
    then, and the commit it was read at."""
    git, located = _locate(post, environ)
    commit = resolve(git, revision)
    touches = _log(git, located)
    reachable = _reachable(git, commit)
    at = _revision(git, commit)
    for touch in touches:
        if touch.revision.commit not in reachable:
            continue
        # The name it had after the last commit before `revision` that touched it; the
        # content is read at `revision` itself, which another branch may have changed.
        blob = git.output("rev-parse", "--verify", "--quiet", f"{commit}:{touch.new_path}")
        if blob is None:
            break
        blob_hash = blob.decode("ascii").strip()
        read = _Reader(_read_blobs(git, [blob_hash]), part, limit, synonyms)
        canvas = read.canvas(blob_hash, f"{at.short}:{touch.new_path}")
        if canvas is None:
            raise HistoryError(
                f"{located.shown} at {at.short} ({at.day}) cannot be read as a canvas"
            )
        return canvas, at
    raise HistoryError(f"{located.shown} did not exist at {at.short} ({at.day})")


def _reachable(git: _Git, commit: str) -> set[str]:
    """The full hash of `commit` and of every commit before it."""
    return set((git.output("rev-list", commit, "--") or b"").decode("ascii").split())


def _revision(git: _Git, commit: str) -> Revision:
    output = git.output("log", "-1", f"--format={_LOG_FORMAT}", commit, "--") or b""
    parsed = output.decode("utf-8", "surrogateescape").split("\0")
    return Revision(parsed[0].removeprefix("commit "), *parsed[1:4])
