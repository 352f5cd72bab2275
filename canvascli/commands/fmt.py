"""`canvas fmt`: posts rewritten into the canonical form, or the changes shown or listed."""

from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path

from canvascli.env import Env
from canvascli.errors import ExitCode, UsageError


def fmt(
    env: Env, *, paths: Sequence[Path], posts: Path | None, check: bool, diff: bool
) -> ExitCode:
    from canvascli.analyse.check import library_posts, named_posts
    from canvascli.analyse.formatting import NotFormattableError, format_post
    from canvascli.commands.keeping import library_to_write
    from canvascli.commands.opening import folder_config
    from canvascli.errors import OutputError
    from canvascli.render.safe_text import clean_line
    from canvascli.render.terminal import error
    from canvascli.store.files import UnreadablePostError, decode_post, max_post_bytes
    from canvascli.store.files import read_post_bytes as read_bytes
    from canvascli.store.writing import write_atomically

    if paths and posts is not None:
        raise UsageError("give PATHs or --posts, not both")
    # Posts named one by one (as a pre-commit hook names them) follow the config of the
    # folder `canvas` runs in, as `canvas check` does; a library follows its own.
    if paths:
        targets, unreadable = named_posts(paths, env.cwd)
        config = folder_config(env.cwd)
    else:
        folder = library_to_write(env, posts, "format")
        targets, unreadable = library_posts(folder, env.cwd), []
        config = folder_config(folder)
    for finding in unreadable:
        error(env, f"{finding.path}: {finding.message}")
    limit = max_post_bytes(env.environ)
    changed = unchanged = refused = 0
    seen: set[str] = set()
    for target in targets:
        # A symbolic link is followed, as reading follows it, and the post it points to is
        # written, never the link; a post under two names is formatted once.
        real = os.path.realpath(target.path)
        if real in seen:
            continue
        seen.add(real)
        try:
            data, state = read_bytes(Path(target.path), Path(target.root), limit)
            text, decoding = decode_post(data)
            formatted = format_post(text, target.display, decoding, config.synonyms)
            if formatted != text and not (check or diff):
                _refuse_if_changed(Path(real), state)
                write_atomically(Path(real), formatted.encode("utf-8"), force=True)
        except (UnreadablePostError, NotFormattableError) as problem:
            error(env, f"{target.display}: {problem}")
            refused += 1
            continue
        except OutputError as problem:
            error(env, str(problem))
            refused += 1
            continue
        if formatted == text:
            unchanged += 1
            continue
        changed += 1
        if diff:
            env.stdout.writelines(_unified_diff(text, formatted, target.display))
        if check:
            listing = env.stderr if diff else env.stdout
            listing.write(f"would reformat {clean_line(target.display)}\n")
    env.stdout.flush()
    env.stderr.write(_summary(changed, unchanged, refused + len(unreadable), dry=check or diff))
    if refused or unreadable or (check and changed):
        return ExitCode.PROBLEMS
    return ExitCode.OK


def _refuse_if_changed(path: Path, read: os.stat_result) -> None:
    """Refuse to write a post that is not the file read: edited, replaced or removed while
    it was formatted, writing would lose the edit or bring the post back."""
    from canvascli.store.files import UnreadablePostError

    try:
        now = path.stat()
    except OSError:
        raise UnreadablePostError("CV303", "was removed while being formatted") from None
    if (now.st_dev, now.st_ino, now.st_size, now.st_mtime_ns) != (
        read.st_dev,
        read.st_ino,
        read.st_size,
        read.st_mtime_ns,
    ):
        raise UnreadablePostError("CV303", "changed while being formatted; left as it is")


def _unified_diff(before: str, after: str, display: str) -> list[str]:
    """A unified diff of one post, every control character shown rather than sent."""
    import difflib

    from canvascli.render.safe_text import clean

    lines = difflib.unified_diff(
        before.splitlines(keepends=True),
        after.splitlines(keepends=True),
        fromfile=f"{display} (as written)",
        tofile=f"{display} (formatted)",
    )
    return [clean(line if line.endswith("\n") else line + "\n") for line in lines]


def _summary(changed: int, unchanged: int, refused: int, *, dry: bool) -> str:
    def files(count: int) -> str:
        return f"{count} file{'' if count == 1 else 's'}"

    done = "would be reformatted" if dry else "reformatted"
    parts = [f"{files(changed)} {done}", f"{files(unchanged)} left unchanged"]
    if refused:
        parts.append(f"{files(refused)} not formatted")
    return ", ".join(parts) + "\n"
