"""A library overview: its companies, the blocks they lack, and the terms they mention most."""

from __future__ import annotations

from array import array
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from canvascli.analyse.common_ground import CanvasTerms, normalise_words, sub_keys
from canvascli.model import ALL_BLOCKS, AnyBlock, Summary, layout_of
from canvascli.read.labels import SYNONYMS

DEFAULT_TOP = 5
# Words every canvas uses about every company, in the singular as terms are compared:
# "Primary", "Costs" or "People" alone say nothing about a company.
_CANVAS_WORDS = """
    primary secondary main major minor key core other various general overall basic
    cost revenue people person customer client user value income expense fee price
    segment channel relationship resource activity partner proposition structure stream
"""
CANVAS_WORDS = frozenset(_CANVAS_WORDS.split())


@lru_cache(maxsize=1)
def _block_name_words() -> frozenset[str]:
    """Every word of every block's name and synonyms, in every language read."""
    return frozenset(
        word for names in SYNONYMS.values() for name in names for word in normalise_words(name)
    )


@lru_cache(maxsize=65536)
def says_nothing(key: str) -> bool:
    """True for a term made only of words any canvas uses: block names, their synonyms in
    every language, and `CANVAS_WORDS`."""
    names = _block_name_words()
    return all(word in CANVAS_WORDS or word in names for word in key.split())


def stop_word_keys(stop_words: Iterable[str]) -> frozenset[str]:
    """A library's own stop words, written any way, as the words of a term's key."""
    return frozenset(word for text in stop_words for word in normalise_words(text))


def _left_out(key: str, stop_words: frozenset[str]) -> bool:
    """True for a term that says nothing, or is made only of such words and `stop_words`."""
    if says_nothing(key):
        return True
    if not stop_words:
        return False
    names = _block_name_words()
    return all(word in stop_words or word in CANVAS_WORDS or word in names for word in key.split())


@dataclass(frozen=True)
class BlockCoverage:
    """How many companies have a block, out of those whose kind of canvas has it, and which
    of those (slugs, in library order) lack it."""

    block: AnyBlock
    present: int
    missing: tuple[str, ...]

    @property
    def companies(self) -> int:
        return self.present + len(self.missing)

    def to_dict(self) -> dict[str, Any]:
        return {
            "block": self.block.key,
            "title": self.block.title,
            "present": self.present,
            "of": self.companies,
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
    frequent: tuple[tuple[AnyBlock, tuple[FrequentTerm, ...]], ...]

    def to_dict(self) -> dict[str, Any]:
        return {
            "companies": self.companies,
            "coverage": [coverage.to_dict() for coverage in self.coverage],
            "frequent": {
                block.key: [term.to_dict() for term in terms] for block, terms in self.frequent
            },
        }


def library_blocks(summaries: Iterable[Summary]) -> tuple[AnyBlock, ...]:
    """The blocks of every kind of canvas in a library: the nine, then each Lean Canvas
    block when a Lean Canvas is there."""
    kinds = {summary.kind for summary in summaries} or {"business"}
    wanted = {block for kind in kinds for block in layout_of(kind)}
    return tuple(block for block in ALL_BLOCKS if block in wanted)


def block_coverage(summaries: Sequence[Summary]) -> tuple[BlockCoverage, ...]:
    """Per block of the library's kinds, in canonical order: how many of the companies
    whose kind of canvas has the block have it, and which of them lack it."""
    present: dict[AnyBlock, int] = dict.fromkeys(library_blocks(summaries), 0)
    missing: dict[AnyBlock, list[str]] = {block: [] for block in present}
    for summary in summaries:
        found = summary.coverage
        for block in found:
            present[block] += 1
        if len(found) == len(summary.layout):
            continue
        for block in summary.unwritten_blocks:
            missing[block].append(summary.slug)
    return tuple(
        BlockCoverage(block, count, tuple(missing[block])) for block, count in present.items()
    )


class TermCounter:
    """Counts, per block, the companies that mention each term, a name inside a longer
    name included ("Microsoft Azure" counts for "Microsoft" too, as in common ground).
    """

    def __init__(self) -> None:
        self._holders: dict[str, dict[str, array[int]]] = {block.key: {} for block in ALL_BLOCKS}
        # Per term: how it was first written, and how often it was written otherwise.
        self._written: dict[str, dict[str, tuple[str, Counter[str]]]] = {
            block.key: {} for block in ALL_BLOCKS
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

    def most_frequent(
        self, block: AnyBlock, top: int, stop_words: frozenset[str] = frozenset()
    ) -> tuple[FrequentTerm, ...]:
        holders = self._holders[block.key]
        containers: dict[str, list[str]] = {}
        for key in holders:
            for part in sub_keys(key):
                if part in holders:
                    containers.setdefault(part, []).append(key)
        counted: list[FrequentTerm] = []
        for key, companies in holders.items():
            if _left_out(key, stop_words):
                continue
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
    summaries: Sequence[Summary],
    terms: Iterable[CanvasTerms],
    top: int = DEFAULT_TOP,
    stop_words: Iterable[str] = (),
) -> LibraryStats:
    """The overview `canvas stats` prints, from each company's terms (`canvas_terms`).

    A term made only of `stop_words` (a library's own) and words every canvas uses is
    not counted among the frequent terms.
    """
    counter = TermCounter()
    for found in terms:
        counter.add(found)
    stop_keys = stop_word_keys(stop_words)
    return LibraryStats(
        companies=len(summaries),
        coverage=block_coverage(summaries),
        frequent=tuple(
            (block, counter.most_frequent(block, top, stop_keys))
            for block in library_blocks(summaries)
        ),
    )
