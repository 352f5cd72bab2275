"""Time `canvas browse` to its first full frame and per filter keystroke, with a warm index."""

from __future__ import annotations

import argparse
import asyncio
import statistics
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from benchmarks.generate import generate_library
from canvascli.browse.app import BrowseApp
from canvascli.store.files import locate_library
from canvascli.store.library import load_library

REPO = Path(__file__).resolve().parent.parent
BUNDLED = REPO / "posts"
SIZE = (120, 40)
# Letters of slugs in both libraries, so every keystroke narrows a real list.
TYPED = "acme"


@dataclass(frozen=True)
class BrowseTimes:
    first_frame: float
    per_keystroke: float


def one_session(folder: Path, cache: Path) -> tuple[float, list[float]]:
    """Seconds from reading the indexed library to the first full frame, then per key typed
    into the filter until the list and its background word search have settled."""

    async def run() -> tuple[float, list[float]]:
        started = time.perf_counter()
        library = load_library(locate_library(folder, {}), cache_dir=cache)
        app = BrowseApp(library)
        async with app.run_test(size=SIZE) as pilot:
            await pilot.pause()
            first_frame = time.perf_counter() - started
            keystrokes = []
            for key in TYPED:
                pressed = time.perf_counter()
                await pilot.press(key)
                await app.workers.wait_for_complete()
                await pilot.pause()
                keystrokes.append(time.perf_counter() - pressed)
        return first_frame, keystrokes

    return asyncio.run(run())


def browse_times(folder: Path, cache: Path, runs: int) -> BrowseTimes:
    """Medians over `runs` sessions, after one that warms the index (and is not counted)."""
    one_session(folder, cache)
    frames: list[float] = []
    keystrokes: list[float] = []
    for _ in range(runs):
        frame, keys = one_session(folder, cache)
        frames.append(frame)
        keystrokes.extend(keys)
    return BrowseTimes(statistics.median(frames), statistics.median(keystrokes))


def compare_with_bundled(library: Path, cache: Path, runs: int) -> tuple[BrowseTimes, BrowseTimes]:
    """The times of `library` and of the bundled library, measured in the same run."""
    return browse_times(library, cache, runs), browse_times(BUNDLED, cache, runs)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--posts", type=int, default=10_000)
    parser.add_argument("--runs", type=int, default=5)
    arguments = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="canvas-browse-bench-") as scratch:
        library = Path(scratch) / "_posts"
        generate_library(library, arguments.posts)
        big, small = compare_with_bundled(library, Path(scratch) / "cache", arguments.runs)
    print(f"first full frame: {big.first_frame:.3f} s vs {small.first_frame:.3f} s", end=" ")
    print(f"({big.first_frame / small.first_frame:.2f}x)")
    print(f"per filter key:   {big.per_keystroke:.4f} s vs {small.per_keystroke:.4f} s", end=" ")
    print(f"({big.per_keystroke / small.per_keystroke:.2f}x)")


if __name__ == "__main__":
    main()
