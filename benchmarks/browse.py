"""Time `canvas browse` to its first full frame, per filter keystroke and to the filter's
word matches, with a warm index."""

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
    # From the last key typed to the companies found by their canvas's words listed too;
    # the word search waits for a pause in typing, `WORD_FILTER_PAUSE`, which this includes.
    word_matches: float = 0.0
    # The processor time the app spends on one key, all its threads: the key's own cost,
    # without the idle waits of the test pilot that the wall-clock figure includes.
    keystroke_cpu: float = 0.0


def one_session(folder: Path, cache: Path) -> tuple[float, list[float], float, list[float]]:
    """Seconds from reading the indexed library to the first full frame; per key typed into
    the filter until the list shows the companies it names; from the last key until the
    background word search has added its companies; processor seconds per key."""

    async def run() -> tuple[float, list[float], float, list[float]]:
        started = time.perf_counter()
        library = load_library(locate_library(folder, {}), cache_dir=cache)
        app = BrowseApp(library)
        async with app.run_test(size=SIZE) as pilot:
            await pilot.pause()
            first_frame = time.perf_counter() - started
            keystrokes = []
            processor = []
            for key in TYPED:
                pressed, used = time.perf_counter(), time.process_time()
                await pilot.press(key)
                await pilot.pause()
                keystrokes.append(time.perf_counter() - pressed)
                processor.append(time.process_time() - used)
            typed = time.perf_counter()
            while app.words_pending:
                await pilot.pause(0.005)
            await pilot.pause()
            words = time.perf_counter() - typed
        return first_frame, keystrokes, words, processor

    return asyncio.run(run())


def browse_times(folder: Path, cache: Path, runs: int) -> BrowseTimes:
    """Medians over `runs` sessions, after one that warms the index (and is not counted)."""
    one_session(folder, cache)
    frames: list[float] = []
    keystrokes: list[float] = []
    words: list[float] = []
    processor: list[float] = []
    for _ in range(runs):
        frame, keys, found, used = one_session(folder, cache)
        frames.append(frame)
        keystrokes.extend(keys)
        words.append(found)
        processor.extend(used)
    return BrowseTimes(
        statistics.median(frames),
        statistics.median(keystrokes),
        statistics.median(words),
        statistics.median(processor),
    )


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
    print(f"per key, processor: {big.keystroke_cpu:.4f} s vs {small.keystroke_cpu:.4f} s")
    print(f"word matches:     {big.word_matches:.3f} s vs {small.word_matches:.3f} s", end=" ")
    print(f"({big.word_matches / small.word_matches:.2f}x)")


if __name__ == "__main__":
    main()
