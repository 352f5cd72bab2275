"""Helpers every test module shares: the `run` and `canvas_process` types, and `ok()`."""

from __future__ import annotations

import os
import subprocess
from collections.abc import Callable
from pathlib import Path
from typing import Protocol, TypeVar


class CommandResult(Protocol):
    """What a run of `canvas` through the `run` fixture gives back."""

    @property
    def exit_code(self) -> int: ...

    @property
    def stdout(self) -> str: ...

    @property
    def stderr(self) -> str: ...

    @property
    def output(self) -> str: ...

    @property
    def exception(self) -> BaseException | None: ...


Run = Callable[..., CommandResult]
Process = Callable[..., subprocess.CompletedProcess[str]]
Outcome = TypeVar("Outcome", bound=CommandResult)


def ok(result: Outcome) -> Outcome:
    """`result`, once it is known to have succeeded; otherwise fail showing what it printed."""
    assert result.exit_code == 0, result.output
    return result


def read_terminal(leader: int, timeout: float = 60) -> bytes:
    """Everything shown on a pseudo-terminal until the process on it has gone (or has shown
    nothing for `timeout` seconds), then closed."""
    import select

    chunks: list[bytes] = []
    try:
        while select.select([leader], [], [], timeout)[0]:
            try:
                chunk = os.read(leader, 65536)
            except OSError:  # the terminal is gone once the process has exited
                break
            if not chunk:
                break
            chunks.append(chunk)
    finally:
        os.close(leader)
    return b"".join(chunks)


def run_in_terminal(
    command: list[str],
    *,
    env: dict[str, str],
    cwd: str,
    timeout: float = 60,
    stderr: int | None = None,
) -> tuple[int, bytes]:
    """Run `command` with a pseudo-terminal as its stdin, stdout and stderr (unless
    `stderr` says otherwise): its exit status and everything it wrote there."""
    import pty

    leader, follower = pty.openpty()
    try:
        process = subprocess.Popen(
            command,
            stdin=follower,
            stdout=follower,
            stderr=follower if stderr is None else stderr,
            env=env,
            cwd=cwd,
        )
    finally:
        os.close(follower)
    try:
        written = read_terminal(leader, timeout)
    finally:
        status = process.wait(timeout)
    return status, written


# What `git` is told for every commit: who, and when.
# The nine blocks' titles in the order the canvas grid sets them out, left to right.
GRID_ORDER = (
    "Key Partners",
    "Key Activities",
    "Key Resources",
    "Value Propositions",
    "Customer Relationships",
    "Channels",
    "Customer Segments",
    "Cost Structure",
    "Revenue Streams",
)

GIT_IDENTITY = {
    "GIT_AUTHOR_NAME": "Ada",
    "GIT_AUTHOR_EMAIL": "ada@example.com",
    "GIT_COMMITTER_NAME": "Ada",
    "GIT_COMMITTER_EMAIL": "ada@example.com",
    "GIT_CONFIG_NOSYSTEM": "1",
    "TZ": "UTC",
}


class GitRepository:
    """A git repository in a folder, with `_posts` for its library, committed to with a fixed
    identity and fixed dates, so that its commits have the same hashes everywhere."""

    def __init__(self, top: Path) -> None:
        self.top = top
        self.posts = top / "_posts"
        self.posts.mkdir(parents=True)
        self.git("init", "-q", "-b", "main")

    def git(self, *arguments: str, when: str = "2024-01-01T12:00:00") -> str:
        environ = {
            **{key: value for key, value in os.environ.items() if not key.startswith("GIT_")},
            **GIT_IDENTITY,
            "HOME": str(self.top),
            "GIT_AUTHOR_DATE": f"{when}+00:00",
            "GIT_COMMITTER_DATE": f"{when}+00:00",
        }
        done = subprocess.run(
            ["git", *arguments],
            cwd=self.top,
            env=environ,
            capture_output=True,
            check=True,
            timeout=60,
        )
        return done.stdout.decode()

    def write(self, name: str, text: str) -> None:
        (self.posts / name).write_text(text, encoding="utf-8")

    def commit(self, subject: str, when: str) -> str:
        self.git("add", "-A")
        self.git("commit", "-q", "-m", subject, when=when)
        return self.git("rev-parse", "--short", "HEAD").strip()
