"""Time `read_canvas` on pathological posts at doubling sizes, and on hostile front matter."""

from __future__ import annotations

import argparse
import gc
import math
import sys
import time
import tracemalloc
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
    Case(
        "a table of rows wider and narrower than its header",
        "rows",
        (5000, 10_000, 20_000, 40_000),
        lambda n: "| a | b |\n|---|---|\n" + "| 1 |\n| 1 | 2 | 3 |\n" * (n // 2),
    ),
    Case(
        "a table row of backslashes before its pipes",
        "characters",
        (125_000, 250_000, 500_000, 1_000_000),
        lambda n: "| a | b |\n|---|---|\n|" + "\\" * n + "|\n| 1 |\n",
    ),
    Case(
        "a heading padded with tabs and spaces before its closing #s",
        "characters",
        (50_000, 100_000, 200_000, 400_000),
        lambda n: "## Key Partners" + "\t " * (n // 2) + "x ##\n\n- one\n",
    ),
    Case("flat list", "items", (12_500, 25_000, 50_000, 100_000), lambda n: "- item\n" * n),
    Case(
        "lines of one paragraph", "lines", (50_000, 100_000, 200_000, 400_000), lambda n: "a\n" * n
    ),
    Case("open brackets", "characters", (125_000, 250_000, 500_000, 1_000_000), lambda n: "[" * n),
    Case(
        "a heading of brackets left open",
        "characters",
        (125_000, 250_000, 500_000, 1_000_000),
        lambda n: "## Key Partners" + " (" * (n // 2) + "\n\n- one\n",
    ),
    Case(
        "an HTML table row of cells spanning rows and columns",
        "cells",
        (2500, 5000, 10_000, 20_000),
        lambda n: "<table><tr>" + '<td rowspan="100" colspan="100">a' * n + "</table>\n\n",
    ),
    Case(
        "bold labels run into one line",
        "labels",
        (12_500, 25_000, 50_000, 100_000),
        lambda n: "]" + "**Problem:** a " * n + "\n\n",
    ),
    Case(
        "label-like lines naming no block",
        "lines",
        (6250, 12_500, 25_000, 50_000),
        lambda n: "".join(f"Section {number}: text\n\n" for number in range(n)),
    ),
    Case(
        "emphasis runs",
        "characters",
        (125_000, 250_000, 500_000, 1_000_000),
        lambda n: "*a " * (n // 3),
    ),
)


def _aliases_of_aliases(levels: int) -> str:
    lines = ["a0: &a0 [x, x, x, x, x, x, x, x, x, x]"]
    for level in range(1, levels + 1):
        lines.append(f"a{level}: &a{level} [{', '.join([f'*a{level - 1}'] * 10)}]")
    return "\n".join(lines)


# Front matter that a few bytes make costly to load, or impossible to keep.
HOSTILE_FRONT_MATTER = (
    ("recursive alias (x: &x [*x])", "x: &x [*x]"),
    ("self-referencing map", "m: &m {inner: *m}"),
    ("aliases of aliases, 6 levels", _aliases_of_aliases(6)),
    ("aliases of aliases, 7 levels", _aliases_of_aliases(7)),
    ("aliases of aliases, 9 levels", _aliases_of_aliases(9)),
    ("5,000-digit hexadecimal integer", "n: 0x" + "f" * 5000),
    ("5,000-digit binary integer", "n: 0b" + "1" * 5000),
    ("5,000-digit octal integer", "n: 0" + "7" * 5000),
    ("5,000-digit decimal integer", "n: " + "9" * 5000),
    ("5,000-digit sexagesimal integer", "n: 1" + ":59" * 2500),
)
HOSTILE_BODY = "# Business Model of Bench\n\n## Channels\n\n- A market stall\n"


def hostile_post(front_matter: str) -> str:
    return f"---\n{front_matter}\n---\n{HOSTILE_BODY}"


def normal_post(length: int) -> str:
    """A post of ordinary front matter (a title and one long description) of `length` chars."""
    short = hostile_post("title: bench\ndescription: ")
    return hostile_post("title: bench\ndescription: " + "w" * max(0, length - len(short)))


@dataclass(frozen=True)
class Cost:
    seconds: float
    peak_bytes: int


def best_seconds(text: str, repeat: int) -> float:
    """The best of `repeat` parse times of `text`."""
    best = math.inf
    for _ in range(repeat):
        gc.collect()
        started = time.perf_counter()
        read_canvas(text, "pathological.md")
        best = min(best, time.perf_counter() - started)
    return best


def cost(text: str, repeat: int) -> Cost:
    """The best of `repeat` parse times, and the peak memory Python allocated in one parse."""
    best = best_seconds(text, repeat)
    gc.collect()
    tracemalloc.start()
    try:
        read_canvas(text, "hostile.md")
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    return Cost(best, peak)


def hostile_report(repeat: int, chosen: Sequence[tuple[str, str]]) -> list[str]:
    """Each hostile post against a normal post of the same size: time and memory ratios."""
    lines = [
        "### hostile front matter, against a normal post of the same size",
        "",
        "| case | post size | seconds | x time | peak KiB | x memory | reported as |",
        "|---|---:|---:|---:|---:|---:|---|",
    ]
    for name, front_matter in chosen:
        text = hostile_post(front_matter)
        hostile, normal = cost(text, repeat), cost(normal_post(len(text)), repeat)
        codes = sorted(
            {d.code for d in read_canvas(text, "hostile.md").diagnostics if d.severity == "error"}
        )
        cells = [
            name,
            f"{len(text):,}",
            f"{hostile.seconds:.4f}",
            f"{hostile.seconds / normal.seconds:.2f}" if normal.seconds > 0 else "",
            f"{hostile.peak_bytes / 1024:,.0f}",
            f"{hostile.peak_bytes / normal.peak_bytes:.2f}" if normal.peak_bytes else "",
            ", ".join(codes) or "read",
        ]
        lines.append("| " + " | ".join(cells) + " |")
    return [*lines, ""]


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
        measures.append(Measure(scaled, len(text), best_seconds(text, repeat)))
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

    def wanted(name: str) -> bool:
        return not options.case or any(part in name for part in options.case)

    chosen = [case for case in CASES if wanted(case.name)]
    hostile = [(name, text) for name, text in HOSTILE_FRONT_MATTER if wanted(name)]
    if not chosen and not hostile:
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
        print()
    if hostile:
        print("\n".join(hostile_report(max(1, options.repeat), hostile)), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
