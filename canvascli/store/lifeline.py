"""Tie a worker process's life to its parent's, so that killing `canvas` ends its workers."""

from __future__ import annotations

import os
import signal
import sys
import threading
import time

# How often a worker looks for its parent where the system will not tell it of its death.
PARENT_POLL_SECONDS = 0.5
# prctl(2): ask the kernel for a signal when the parent dies.
_PR_SET_PDEATHSIG = 1


def die_with_parent(parent: int) -> None:
    """End this process when `parent` ends, however it ends (even `kill -9`).

    A killed parent never closes its pool, and workers left running keep its pipes open:
    `canvas list | wc -l` would never end. Linux sends a signal when the parent dies; every
    system also gets a thread that notices the process has been handed to a new parent.
    """
    _ask_for_signal_on_parent_death()
    if os.getppid() != parent:  # it died before the request was made
        os._exit(1)
    threading.Thread(target=_watch_parent, args=(parent,), name="parent-watch", daemon=True).start()


def _ask_for_signal_on_parent_death() -> None:
    if not sys.platform.startswith("linux"):
        return
    import ctypes

    try:
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(_PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
    except (OSError, AttributeError):
        pass  # the watching thread still ends this process, a little later


def _watch_parent(parent: int) -> None:
    while os.getppid() == parent:
        time.sleep(PARENT_POLL_SECONDS)
    os._exit(1)
