"""Rank companies by how alike their canvases read: TF-IDF cosine over the block texts."""

from __future__ import annotations

import math
import operator
import string
from collections import Counter
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from canvascli.analyse.common_ground import STOP_WORDS
from canvascli.errors import CanvasError
from canvascli.model import ALL_BLOCKS, AnyBlock, Canvas, Section
from canvascli.words import has_pieces, piece_pairs, singular, without_pieces

# Digits and punctuation become spaces, so `str.split` (much faster than a regular
# expression over tens of thousands of posts) leaves only words.
_SEPARATORS = str.maketrans(
    dict.fromkeys(string.punctuation + string.digits + "’‘“”„–—…•·«»¿¡", " ")
)
# Scores equal to this many places are ties, broken by slug, so float noise never reorders.
SCORE_PLACES = 9


# Remembered: a library repeats the same few thousand words endlessly.
_stem = lru_cache(maxsize=65536)(singular)


def _split_words(text: str) -> list[str]:
    """The words of `text`, folded; Chinese, Japanese, Korean and Thai as pairs of pieces."""
    folded = text.casefold()
    if not has_pieces(folded):
        return folded.translate(_SEPARATORS).split()
    return [*without_pieces(folded).translate(_SEPARATORS).split(), *piece_pairs(folded)]


def words_of(text: str, exclude: frozenset[str] = frozenset()) -> Counter[str]:
    """How often each content word occurs in `text`: folded, singular, no stop words."""
    counts: Counter[str] = Counter()
    for word, count in Counter(_split_words(text)).items():
        if (len(word) > 1 or has_pieces(word)) and word not in STOP_WORDS and word not in exclude:
            counts[_stem(word)] += count
    return counts


class _Damped(dict[int, float]):
    """`1 + ln(count)`, remembered: most counts are small and repeat endlessly."""

    def __missing__(self, count: int) -> float:
        value = self[count] = 1 + math.log(count)
        return value


def _own_words(canvas: Canvas) -> frozenset[str]:
    """The words of a company's own name: every post repeats them, no other shares them."""
    return frozenset(_split_words(f"{canvas.name} {canvas.slug}"))


@dataclass(frozen=True)
class Similarity:
    """How alike another company's canvas reads, and how much each block adds to that."""

    slug: str
    name: str
    score: float
    blocks: tuple[tuple[AnyBlock, float], ...]

    def to_dict(self) -> dict[str, Any]:
        return {
            "slug": self.slug,
            "name": self.name,
            "score": round(self.score, 4),
            "blocks": [
                {"key": block.key, "title": block.title, "score": round(score, 4)}
                for block, score in self.blocks
            ],
        }


@dataclass
class _Document:
    """One canvas as, per block, its words and how often each occurs."""

    slug: str
    name: str
    blocks: list[tuple[tuple[str, ...], tuple[int, ...]]]


class _Corpus:
    """Word counts per block for every canvas, and in how many canvases each word occurs.

    Kept as tuples and counted with `Counter.update`, so tens of thousands of posts cost
    little memory and little Python work per word.
    """

    def __init__(self, blocks: Sequence[AnyBlock]) -> None:
        self.blocks = list(blocks)
        self.frequency: list[Counter[str]] = [Counter() for _block in self.blocks]
        self.documents: list[_Document] = []

    def add(self, canvas: Canvas) -> _Document:
        own = _own_words(canvas)
        present: dict[AnyBlock, Section] = canvas.all_blocks
        parts: list[tuple[tuple[str, ...], tuple[int, ...]]] = []
        for number, block in enumerate(self.blocks):
            section = present.get(block)
            counts = words_of(section.text, own) if section is not None else Counter()
            self.frequency[number].update(counts.keys())
            parts.append((tuple(counts.keys()), tuple(counts.values())))
        document = _Document(canvas.slug, canvas.name, parts)
        self.documents.append(document)
        return document

    def weigh(self) -> Callable[[_Document], list[dict[str, float]]]:
        """A function giving a document's TF-IDF weights, per block: `(1 + ln tf) * idf`."""
        total = len(self.documents)
        inverse = [
            {word: math.log((1 + total) / (1 + found)) + 1 for word, found in counts.items()}
            for counts in self.frequency
        ]
        damp = _Damped().__getitem__

        def weights(document: _Document) -> list[dict[str, float]]:
            return [
                dict(
                    zip(
                        words,
                        map(operator.mul, map(damp, counts), map(idf.__getitem__, words)),
                        strict=True,
                    )
                )
                for (words, counts), idf in zip(document.blocks, inverse, strict=True)
            ]

        return weights


def rank_similar(
    target: Canvas, others: Iterable[Canvas], blocks: Sequence[AnyBlock] | None = None
) -> list[Similarity]:
    """Every other canvas, most similar first (ties by slug), by TF-IDF cosine.

    Each (block, word) pair is one dimension, so a word counts only where both canvases
    use it in the same block, and the score splits exactly into per-block parts.
    Inverse document frequencies come from `target` and `others` together.
    """
    chosen = list(blocks) if blocks else list(ALL_BLOCKS)
    corpus = _Corpus(chosen)
    wanted = corpus.add(target)
    for canvas in others:
        if canvas.slug != target.slug:
            corpus.add(canvas)
    weights = corpus.weigh()
    target_weights = weights(wanted)
    target_norm = _norm(target_weights)
    if target_norm == 0:
        titles = ", ".join(block.title for block in chosen) if blocks else "any block"
        raise CanvasError(f"{target.slug} has no words to compare in {titles}")
    ranked: list[Similarity] = []
    for document in corpus.documents[1:]:
        mine = weights(document)
        norm = _norm(mine)
        scale = 1 / (target_norm * norm) if norm else 0.0
        contributions = []
        for block, ours, theirs in zip(chosen, target_weights, mine, strict=True):
            shared = ours.keys() & theirs.keys()
            part = sum(ours[word] * theirs[word] for word in shared) * scale
            if part > 0:
                contributions.append((block, part))
        score = math.fsum(part for _block, part in contributions)
        contributions.sort(key=lambda pair: -pair[1])
        ranked.append(Similarity(document.slug, document.name, score, tuple(contributions)))
    ranked.sort(key=lambda found: (-round(found.score, SCORE_PLACES), found.slug))
    return ranked


def _norm(blocks: Sequence[Mapping[str, float]]) -> float:
    return math.sqrt(
        math.fsum(sum(map(operator.mul, part.values(), part.values())) for part in blocks)
    )
