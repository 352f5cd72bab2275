"""Looking at the file state of a big library's posts from two processes at once."""

from __future__ import annotations

import contextlib
import os
import sys
import threading
from collections.abc import Iterable
from itertools import starmap
from operator import attrgetter
from struct import Struct

# Below this many posts a second process costs more than the looks it takes on: starting
# one takes about as long as looking at a thousand posts, and a warm run of a few thousand
# is mostly start-up anyway.
LEAST_POSTS = 20_000
# The fields of a post's file state that its digest sums up, as `FileState` holds them.
_STATE_FIELDS = attrgetter("st_size", "st_mtime_ns", "st_ctime_ns", "st_ino", "st_dev")
_PACKED_STATE = Struct("=3q2Q")


def packed_states(looks: Iterable[os.stat_result]) -> bytes:
    """The file states, packed one post at a time: twice as quick as an array built from a
    chain of them. `struct.error` for a state out of range."""
    return b"".join(starmap(_PACKED_STATE.pack, map(_STATE_FIELDS, looks)))


class OtherHalf:
    """The second half of a list of posts, looked at by a forked process while this one
    looks at the first.

    Each `lstat` is a system call that costs microseconds on some systems whatever the
    caller, so that looking at 100,000 posts takes a fifth of a second even from C; two
    processes take half that. A thread would not: the interpreter's lock is handed over
    around each call, which made two threads slower than one.
    """

    def __init__(self, split: int, posts: int, process: int, reading: int) -> None:
        self.split = split
        self._expected = (posts - split) * _PACKED_STATE.size
        self._process = process
        self._reading = reading

    @classmethod
    def start(cls, top: str, paths: list[str]) -> OtherHalf | None:
        """The other half being looked at, or None where this process should look at every
        post itself: too few posts, one core, no `fork`, or other threads running (a
        forked copy of a process with threads may find a lock held forever)."""
        if (
            len(paths) < LEAST_POSTS
            or (os.cpu_count() or 1) < 2
            or sys.platform != "linux"
            or threading.active_count() > 1
        ):
            return None
        split = len(paths) // 2
        reading, writing = os.pipe()
        try:
            process = os.fork()
        except OSError:
            os.close(reading)
            os.close(writing)
            return None
        if process == 0:
            _look_and_tell(top, paths[split:], reading, writing)
        os.close(writing)
        return cls(split, len(paths), process, reading)

    def states(self) -> bytes | None:
        """The packed file states of the other half's posts, or None when one could not be
        looked at (the caller then looks at them itself, and finds out which)."""
        try:
            with os.fdopen(self._reading, "rb") as answer:
                told = answer.read()
        finally:
            self._reap()
        # Only a whole answer is written, at once: anything else is a process cut short.
        return told if len(told) == self._expected else None

    def abandon(self) -> None:
        """Stop waiting for the other half: close the pipe and reap the process."""
        os.close(self._reading)
        self._reap()

    def _reap(self) -> None:
        # Started with SIGCHLD ignored, as a parent may leave it, the system reaps it.
        with contextlib.suppress(ChildProcessError):
            os.waitpid(self._process, 0)


def _look_and_tell(top: str, paths: list[str], reading: int, writing: int) -> None:
    """In the forked process: write the packed states of `paths`, and end. It exits 1,
    having written nothing, if a post cannot be looked at or its state cannot be packed."""
    code = 1
    try:
        os.close(reading)
        lstat = os.lstat
        states = packed_states([lstat(top + relative) for relative in paths])
        with os.fdopen(writing, "wb") as pipe:
            pipe.write(states)
        code = 0
    finally:
        # Whatever went wrong (a post gone, Ctrl-C): end here, without a traceback, and
        # without the clean-up that belongs to the process this one was copied from.
        os._exit(code)
