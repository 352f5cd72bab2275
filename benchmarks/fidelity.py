"""Score `read_canvases` on tests/data/wild against its hand-written expectations."""

from __future__ import annotations

import argparse
import json
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from canvascli.model import Canvas
from canvascli.read.canvas import read_canvases

WILD = Path(__file__).resolve().parent.parent / "tests" / "data" / "wild"

Row = tuple[str, str, str | None, str | None]


@dataclass
class Score:
    """The figures for one document, added up over the collection."""

    documents: int = 0
    canvases: int = 0
    blocks: int = 0
    found: int = 0
    exact: int = 0
    names: int = 0
    invented: int = 0
    negatives: int = 0
    negatives_right: int = 0

    def add(self, other: Score) -> None:
        for field in self.__dataclass_fields__:
            setattr(self, field, getattr(self, field) + getattr(other, field))


def block_rows(canvas: Canvas) -> list[Row]:
    """Each block section as (label, key, first entry, last entry), in document order."""
    return [
        (
            section.heading,
            section.block.key,
            section.entries[0].text if section.entries else None,
            section.entries[-1].text if section.entries else None,
        )
        for section in canvas.sections
        if section.block is not None
    ]


def expected_canvases(expected: dict[str, Any]) -> list[dict[str, Any]]:
    """The expectation of each canvas of a document: the entry itself, then those under
    `more` for a document that holds several canvases (each with its `slug`)."""
    return [expected, *expected.get("more", ())]


def score_document(expected: dict[str, Any], canvases: list[Canvas]) -> Score:
    """How every canvas of one document reads against its expectations, in order.

    A canvas read where none is expected counts its blocks as invented; one expected and
    not read counts its blocks as not found.
    """
    result = Score()
    wanted = expected_canvases(expected)
    nothing: dict[str, Any] = {"name": None, "blocks": [], "extras": []}
    for number in range(max(len(wanted), len(canvases))):
        one = wanted[number] if number < len(wanted) else nothing
        canvas = canvases[number] if number < len(canvases) else None
        if canvas is None:
            result.add(Score(canvases=1, blocks=len(one["blocks"])))
            continue
        figures = score(one, canvas)
        if number and not one["blocks"]:
            # Not a document without a canvas: a canvas too many in a document that has one.
            figures = Score(invented=figures.invented)
        result.add(figures)
    result.documents = 1
    return result


def score(expected: dict[str, Any], canvas: Canvas) -> Score:
    """How one canvas reads against its expectation (see tests/test_wild.py)."""
    wanted: list[Row] = [(row[0], row[1], row[2], row[3]) for row in expected["blocks"]]
    got = block_rows(canvas)
    result = Score(documents=1, blocks=len(wanted))
    labels = Counter((row[0], row[1]) for row in got)
    rows = Counter(got)
    for row in wanted:
        if labels[(row[0], row[1])]:
            labels[(row[0], row[1])] -= 1
            result.found += 1
        if rows[row]:
            rows[row] -= 1
            result.exact += 1
    surplus = Counter((row[0], row[1]) for row in got)
    surplus.subtract((row[0], row[1]) for row in wanted)
    result.invented = sum(count for count in surplus.values() if count > 0)
    if wanted:
        result.canvases = 1
        result.names = int(
            canvas.name == expected["name"] and canvas.slug == expected.get("slug", canvas.slug)
        )
    else:
        result.negatives = 1
        result.negatives_right = int(not got)
    return result


def measure(folder: Path) -> tuple[Score, list[str]]:
    """The figures over every document in `folder`, and one line per document that misses."""
    expectations = json.loads((folder / "expected.json").read_text(encoding="utf-8"))
    total = Score()
    misses: list[str] = []
    for name in sorted(expectations):
        text = (folder / name).read_bytes().decode("utf-8")
        figures = score_document(expectations[name], read_canvases(text, str(folder / name)))
        total.add(figures)
        faults = []
        if figures.found < figures.blocks:
            faults.append(f"{figures.blocks - figures.found} blocks not found")
        if figures.exact < figures.found:
            faults.append(f"{figures.found - figures.exact} boundaries wrong")
        if figures.names < figures.canvases:
            faults.append(f"{figures.canvases - figures.names} names wrong")
        if figures.invented:
            faults.append(f"{figures.invented} blocks invented")
        if figures.negatives and not figures.negatives_right:
            faults.append("shown as a canvas")
        if faults:
            misses.append(f"{name}: {', '.join(faults)}")
    return total, misses


def table(total: Score) -> str:
    def share(part: int, whole: int) -> str:
        return f"{part}/{whole} ({part / whole:.1%})" if whole else "0/0"

    rows = [
        ("documents", str(total.documents)),
        ("canvases", str(total.canvases)),
        ("blocks found (of expected)", share(total.found, total.blocks)),
        ("exact boundaries (first and last entry right)", share(total.exact, total.blocks)),
        ("names right (of canvases)", share(total.names, total.canvases)),
        ("blocks invented", str(total.invented)),
        ("negatives right (not shown as a canvas)", share(total.negatives_right, total.negatives)),
    ]
    lines = ["| figure | value |", "|---|---|"]
    lines += [f"| {label} | {value} |" for label, value in rows]
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("folder", nargs="?", type=Path, default=WILD)
    parser.add_argument("--misses", action="store_true", help="Also list each document's misses.")
    arguments = parser.parse_args()
    total, misses = measure(arguments.folder)
    print(table(total))
    if arguments.misses:
        print()
        print("\n".join(misses) or "no misses")


if __name__ == "__main__":
    main()
