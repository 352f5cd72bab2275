"""A library overview: its companies, the blocks they lack, and the terms they mention most."""

from __future__ import annotations

from array import array
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from canvascli.analyse.common_ground import CanvasTerms, sub_keys
from canvascli.model import Block, Summary

DEFAULT_TOP = 5


@dataclass(frozen=True)
class BlockCoverage:
    """How many companies have a block, and which (slugs, in library order) lack it."""

    block: Block
    present: int
    missing: tuple[str, ...]

    def to_dict(self) -> dict[str, Any]:
        return {
            "block": self.block.key,
            "title": self.block.title,
            "present": self.present,
            "missing": list(self.missing),
        }


@dataclass(frozen=True)
class FrequentTerm:
    """A term and the number of companies that mention it in one block."""

    term: str
    key: str
    companies: int

    def to_dict(self) -> dict[str, Any]:
        return {"term": self.term, "key": self.key, "companies": self.companies}


@dataclass(frozen=True)
class LibraryStats:
    companies: int
    coverage: tuple[BlockCoverage, ...]
    frequent: tuple[tuple[Block, tuple[FrequentTerm, ...]], ...]

    def to_dict(self) -> dict[str, Any]:
        return {
            "companies": self.companies,
            "coverage": [coverage.to_dict() for coverage in self.coverage],
            "frequent": {
                block.key: [term.to_dict() for term in terms] for block, terms in self.frequent
            },
        }


def block_coverage(summaries: Sequence[Summary]) -> tuple[BlockCoverage, ...]:
    """Per block, in canonical order: how many companies have it, which slugs lack it."""
    missing: dict[Block, list[str]] = {block: [] for block in Block}
    everything = len(Block)
    for summary in summaries:
        present = summary.coverage
        if len(present) == everything:
            continue
        for block in Block:
            if block not in present:
                missing[block].append(summary.slug)
    return tuple(
        BlockCoverage(block, len(summaries) - len(lacking), tuple(lacking))
        for block, lacking in missing.items()
    )


class TermCounter:
    """Counts, per block, the companies that mention each term, a name inside a longer
    name included ("Microsoft Azure" counts for "Microsoft" too, as in common ground).
    """

    def __init__(self) -> None:
        self._holders: dict[str, dict[str, array[int]]] = {block.key: {} for block in Block}
        # Per term: how it was first written, and how often it was written otherwise.
        self._written: dict[str, dict[str, tuple[str, Counter[str]]]] = {
            block.key: {} for block in Block
        }
        self._companies = 0

    def add(self, terms: CanvasTerms) -> None:
        """One company's terms, as `canvas_terms` gives them (distinct keys per block)."""
        number = self._companies
        self._companies += 1
        for block, pairs in terms.items():
            holders = self._holders[block]
            written = self._written[block]
            for key, text in pairs:
                found = holders.get(key)
                if found is None:
                    holders[key] = array("I", (number,))
                    written[key] = (text, Counter())
                    continue
                found.append(number)
                first, others = written[key]
                if text != first:
                    others[text] += 1

    def most_frequent(self, block: Block, top: int) -> tuple[FrequentTerm, ...]:
        holders = self._holders[block.key]
        containers: dict[str, list[str]] = {}
        for key in holders:
            for part in sub_keys(key):
                if part in holders:
                    containers.setdefault(part, []).append(key)
        counted: list[FrequentTerm] = []
        for key, companies in holders.items():
            longer = containers.get(key)
            if longer:
                count = len(set(companies).union(*(holders[other] for other in longer)))
            else:
                count = len(companies)
            counted.append(FrequentTerm(self._display(block.key, key), key, count))
        counted.sort(key=lambda term: (-term.companies, term.term.casefold(), term.key))
        return tuple(counted[:top])

    def _display(self, block: str, key: str) -> str:
        """The way most companies write a term; the alphabetically first of equals."""
        first, others = self._written[block][key]
        forms = Counter(others)
        forms[first] = len(self._holders[block][key]) - sum(others.values())
        return min(forms, key=lambda form: (-forms[form], form))


def library_stats(
    summaries: Sequence[Summary], terms: Iterable[CanvasTerms], top: int = DEFAULT_TOP
) -> LibraryStats:
    """The overview `canvas stats` prints, from each company's terms (`canvas_terms`)."""
    counter = TermCounter()
    for found in terms:
        counter.add(found)
    return LibraryStats(
        companies=len(summaries),
        coverage=block_coverage(summaries),
        frequent=tuple((block, counter.most_frequent(block, top)) for block in Block),
    )
