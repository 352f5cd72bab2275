"""Saving a file whole or not at all: the one way `canvas` writes the files it makes."""

from __future__ import annotations

import contextlib
import errno
import os
import stat
from collections.abc import Sequence
from pathlib import Path

from canvascli.errors import OutputError
from canvascli.store.files import special_kind


def _new_file_mode(existing: os.stat_result | None) -> int:
    """The mode an existing file has, else what the umask gives a new one."""
    if existing is not None:
        return existing.st_mode & 0o7777
    umask = os.umask(0)
    os.umask(umask)
    return 0o666 & ~umask


def _existing(path: Path) -> os.stat_result | None:
    try:
        return path.stat()
    except OSError:
        return None


# What `write_atomically` adds to a file's name for the file it writes first: a dot
# before it, and a dot, eight random letters and `.tmp` after it.
_TEMPORARY_EXTRA = len("..") + 8 + len(".tmp")
# The longest file name most file systems take, in bytes, when the folder does not say.
_NAME_MAX = 255


def longest_name(folder: Path) -> int:
    """The most bytes a file's name in `folder` may have for `write_atomically` to write it."""
    try:
        most = os.pathconf(folder, "PC_NAME_MAX")
    except (OSError, ValueError):
        most = _NAME_MAX
    return most - _TEMPORARY_EXTRA


def file_mode(path: Path, *, follow: bool = True) -> int | None:
    """The mode of what is at `path`, or None for nothing there or nothing to see.

    Unlike `Path.exists` and `Path.is_dir`, which raise for a name too long or a folder
    that may not be searched, this never raises: such a name holds nothing to be read,
    and writing to it says why it cannot."""
    try:
        return (os.stat if follow else os.lstat)(path).st_mode
    except (OSError, ValueError):
        return None


def is_folder(path: Path) -> bool:
    """Whether `path` is a folder (or a link to one), as `file_mode` sees it."""
    mode = file_mode(path)
    return mode is not None and stat.S_ISDIR(mode)


def _reason(error: OSError) -> str:
    return error.strerror or str(error)


def check_writable(path: Path, *, force: bool) -> None:
    """The one rule for every file `canvas` writes: a new file, or with `force` a regular
    file replaced that may be written; never a folder, device, pipe, socket or symbolic
    link, nor a read-only or immutable file, forced or not."""
    try:
        mode = os.lstat(path).st_mode
    except OSError:
        return  # nothing there, or nothing to see: writing says why it cannot
    if stat.S_ISDIR(mode):
        raise OutputError(str(path), "is a folder")
    if kind := special_kind(mode):
        raise OutputError(str(path), f"is {kind}; only a regular file is ever replaced")
    if not force:
        raise OutputError(str(path), "already exists; use --force to overwrite it")
    # Renaming over a file needs only its folder to be writable, and root may write any
    # file: a file made read-only (no write bit for anyone, or `chattr +i`, which `access`
    # reports even to root) was made so to be kept as it is.
    if not mode & 0o222 or not os.access(path, os.W_OK):
        raise OutputError(str(path), "is read-only; left as it is")


def write_atomically(path: Path, data: bytes, *, force: bool = False, durable: bool = True) -> None:
    """Write `data` to `path` through a synced temporary file renamed over it.

    Readers see the old file or the new one, never half of one, and once this returns
    the new file survives a crash. A writer of thousands of files at once passes
    `durable=False` and syncs once when all are written (`sync_all`): the rename is as
    atomic, and a sync per file would cost more than the writing. Without `force` an
    existing file (or folder) is never replaced, even one created while the data was
    written; with it, only a regular file is (see `check_writable`). An existing file
    keeps its permissions. Every failure is one `OutputError` naming `path`.
    """
    check_writable(_file_name(path), force=force)
    temporary = _stage(path, data, durable=durable)
    try:
        _put_in_place(temporary, path, force=force)
    finally:
        temporary.unlink(missing_ok=True)
    if durable:
        _sync_folder(path.parent)


def write_all_atomically(files: Sequence[tuple[Path, bytes]], *, force: bool = False) -> None:
    """Write several files all or none: each to a synced temporary file first, and only
    once every one is written whole are they renamed into place, so a full disk or a
    failing write part way leaves none of them (and replaces none). The rules of
    `write_atomically` hold for each file."""
    for path, _ in files:
        check_writable(_file_name(path), force=force)
    staged = StagedFiles(force=force)
    try:
        for path, data in files:
            staged.add(path, data)
        staged.put_in_place()
    finally:
        staged.discard()


class StagedFiles:
    """Files written whole under temporary names beside their places, then renamed into
    place together by `put_in_place`, or dropped by `discard`: until then nothing a reader
    sees has changed. The rules of `write_atomically` hold for each file."""

    def __init__(self, *, force: bool = False, durable: bool = True) -> None:
        self.force = force
        self.durable = durable
        self.staged: list[tuple[Path, Path]] = []

    def add(self, path: Path, data: bytes) -> None:
        check_writable(_file_name(path), force=self.force)
        self.staged.append((_stage(path, data, durable=self.durable), path))

    def put_in_place(self) -> None:
        """Rename every staged file over its place, in the order they were added; durable
        files' renames are synced too."""
        folders = {path.parent for _, path in self.staged}
        for done, (temporary, path) in enumerate(self.staged):
            try:
                _put_in_place(temporary, path, force=self.force)
            except OutputError:
                del self.staged[:done]
                raise
        self.staged.clear()
        if self.durable:
            for folder in folders:
                _sync_folder(folder)

    def discard(self) -> None:
        """Remove the temporary files of what was not put in place."""
        for temporary, _ in self.staged:
            temporary.unlink(missing_ok=True)
        self.staged.clear()


def _file_name(path: Path) -> Path:
    if not path.name or path.name == "..":
        raise OutputError(str(path), "cannot write: not a file name")
    return path


def _stage(path: Path, data: bytes, *, durable: bool) -> Path:
    """`data` in a new temporary file beside `path`, with the mode `path` is to have."""
    # Here, not above: importing tempfile (and shutil, bz2, lzma with it) would cost every
    # command that draws on the terminal and writes nothing.
    import tempfile

    try:
        handle, name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    except OSError as error:
        raise OutputError(str(path), f"cannot write: {_reason(error)}") from None
    temporary = Path(name)
    existing = _existing(path)
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
            stream.flush()
            if durable:
                os.fsync(stream.fileno())
            if existing is not None:
                _keep_owner(stream.fileno(), existing)
        temporary.chmod(_new_file_mode(existing))
    except OSError as error:
        temporary.unlink(missing_ok=True)
        raise OutputError(str(path), f"cannot write: {_reason(error)}") from None
    except BaseException:
        # Ctrl-C while the data is written or synced: no half-written file is left beside
        # the post, in the library, for the next run to find.
        temporary.unlink(missing_ok=True)
        raise
    return temporary


def _keep_owner(descriptor: int, existing: os.stat_result) -> None:
    """Give the new file the owner and group of the one it replaces, as far as this user
    may: root formatting someone's post must not leave it root's. Before the mode is set,
    since a change of owner clears the set-user-ID and set-group-ID bits."""
    now = os.fstat(descriptor)
    if (now.st_uid, now.st_gid) == (existing.st_uid, existing.st_gid):
        return
    try:
        os.fchown(descriptor, existing.st_uid, existing.st_gid)
    except PermissionError:
        # Not root: the group, if it is one of this user's, is all that may be kept.
        with contextlib.suppress(PermissionError):
            os.fchown(descriptor, -1, existing.st_gid)


def _put_in_place(temporary: Path, path: Path, *, force: bool) -> None:
    try:
        if force:
            check_writable(path, force=True)  # again: it may have changed while writing
            temporary.replace(path)
        else:
            _rename_without_replacing(temporary, path)
    except OSError as error:
        raise OutputError(str(path), f"cannot write: {_reason(error)}") from None


def sync_all() -> None:
    """Make every file written with `durable=False` survive a crash, in one call."""
    os.sync()


def _rename_without_replacing(temporary: Path, path: Path) -> None:
    try:
        os.link(temporary, path)
    except FileExistsError:
        raise OutputError(str(path), "already exists; use --force to overwrite it") from None
    except OSError as error:
        if error.errno not in {errno.EPERM, errno.ENOTSUP, errno.EOPNOTSUPP, errno.ENOSYS}:
            raise
        # A file system without hard links: the check before writing has to do.
        temporary.replace(path)
        return
    temporary.unlink()


def _sync_folder(folder: Path) -> None:
    """Make the rename itself durable; not every platform can open a folder."""
    try:
        descriptor = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(descriptor)
    except OSError:
        pass
    finally:
        os.close(descriptor)
