"""Time `read_canvas` on pathological posts at doubling sizes, to show how it grows."""

from __future__ import annotations

import argparse
import gc
import math
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from canvascli.model import Block
from canvascli.read.canvas import read_canvas

HEAD = "---\nlayout: post\ntitle: bench\n---\n\n# Business Model of Bench\n\n## Channels\n\n"


@dataclass(frozen=True)
class Case:
    """A family of posts: `make(n)` writes the part after the headings, for each size n."""

    name: str
    unit: str
    sizes: tuple[int, ...]
    make: Callable[[int], str]


def _canvas(words: str) -> str:
    """The nine blocks, each a heading and a line of `words`."""
    return "".join(f"## {block.title}\n{words}\n\n" for block in Block)


def _table(rows: int) -> str:
    return "| a | b |\n|---|---|\n" + "| 1 | 2 |\n" * rows + "\n"


CASES = (
    Case("nested list, one line (- - - x)", "depth", (1000, 2000, 4000, 8000), lambda n: "- " * n),
    Case(
        "nested list, indented",
        "depth",
        (250, 500, 1000, 2000),
        lambda n: "".join("  " * depth + "- x\n" for depth in range(n)),
    ),
    Case("nested quotes (> > > x)", "depth", (1000, 2000, 4000, 8000), lambda n: "> " * n),
    Case(
        "headings",
        "headings",
        (12_500, 25_000, 50_000, 100_000),
        lambda n: "".join(f"## h{number}\n" for number in range(n)),
    ),
    Case(
        "headings that name blocks",
        "headings",
        (12_500, 25_000, 50_000, 100_000),
        lambda n: "## Key Partners\n\n- one\n\n" * n,
    ),
    Case(
        "long line",
        "characters",
        (250_000, 500_000, 1_000_000, 2_000_000),
        lambda n: "w " * (n // 2),
    ),
    Case(
        "whole canvases, one after another",
        "canvases",
        (500, 1000, 2000, 4000),
        lambda n: "".join(_canvas(f"v{number}") for number in range(n)),
    ),
    Case(
        "the same canvas again and again",
        "copies",
        (500, 1000, 2000, 4000),
        lambda n: _canvas("same") * n,
    ),
    Case("tables", "tables", (1000, 2000, 4000, 8000), lambda n: _table(3) * n),
    Case("flat list", "items", (12_500, 25_000, 50_000, 100_000), lambda n: "- item\n" * n),
    Case(
        "lines of one paragraph", "lines", (50_000, 100_000, 200_000, 400_000), lambda n: "a\n" * n
    ),
    Case("open brackets", "characters", (125_000, 250_000, 500_000, 1_000_000), lambda n: "[" * n),
    Case(
        "emphasis runs",
        "characters",
        (125_000, 250_000, 500_000, 1_000_000),
        lambda n: "*a " * (n // 3),
    ),
)


@dataclass(frozen=True)
class Measure:
    size: int
    length: int
    seconds: float


def measure(case: Case, scale: float, repeat: int) -> list[Measure]:
    """The best of `repeat` parse times for each size of a case."""
    measures = []
    for size in case.sizes:
        scaled = max(1, round(size * scale))
        text = HEAD + case.make(scaled) + "x\n"
        best = math.inf
        for _ in range(repeat):
            gc.collect()
            started = time.perf_counter()
            read_canvas(text, "pathological.md")
            best = min(best, time.perf_counter() - started)
        measures.append(Measure(scaled, len(text), best))
    return measures


def growth(previous: Measure, current: Measure) -> float:
    """The exponent k in time ~ size^k between two sizes: 1 is linear, 2 quadratic."""
    if previous.seconds <= 0 or current.seconds <= 0 or current.length == previous.length:
        return math.nan
    return math.log(current.seconds / previous.seconds) / math.log(current.length / previous.length)


def report(case: Case, measures: Sequence[Measure]) -> list[str]:
    lines = [
        f"### {case.name}",
        "",
        f"| {case.unit} | post size | seconds | x time | x size | growth |",
        "|---:|---:|---:|---:|---:|---:|",
    ]
    previous: Measure | None = None
    for current in measures:
        cells = [f"{current.size:,}", f"{current.length:,}", f"{current.seconds:.3f}", "", "", ""]
        if previous is not None and previous.seconds > 0:
            cells[3] = f"{current.seconds / previous.seconds:.2f}"
            cells[4] = f"{current.length / previous.length:.2f}"
            cells[5] = f"{growth(previous, current):.2f}"
        lines.append("| " + " | ".join(cells) + " |")
        previous = current
    return [*lines, ""]


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m benchmarks.pathological",
        description=__doc__,
        epilog="growth is log(x time) / log(x size): 1.0 is linear, 2.0 quadratic.",
    )
    parser.add_argument(
        "--scale", type=float, default=1.0, help="multiply every size (0.01 for a quick look)"
    )
    parser.add_argument("--repeat", type=int, default=3, help="best of this many parses")
    parser.add_argument(
        "--case", action="append", default=[], help="only cases whose name contains this"
    )
    options = parser.parse_args(argv)
    chosen = [
        case
        for case in CASES
        if not options.case or any(part in case.name for part in options.case)
    ]
    if not chosen:
        parser.error(f"no case matches {options.case}")
    print(f"# read_canvas on pathological posts (scale {options.scale}, best of {options.repeat})")
    print()
    read_canvas(HEAD, "warm-up.md")  # the first parse imports mistune and YAML
    worst: tuple[float, str] = (-math.inf, "")
    for case in chosen:
        measures = measure(case, options.scale, max(1, options.repeat))
        print("\n".join(report(case, measures)), flush=True)
        last = growth(measures[-2], measures[-1]) if len(measures) > 1 else math.nan
        if not math.isnan(last):
            worst = max(worst, (last, case.name))
    if worst[1]:
        print(f"largest growth between the two biggest sizes: {worst[0]:.2f} ({worst[1]})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
