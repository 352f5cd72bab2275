"""Regular expressions compiled when first used, not when the reader is imported."""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any, cast

from canvascli.kept_patterns import compile_pattern


class _Deferred:
    """Stands for a compiled pattern: compiles it on first use, then hands out its methods.

    Each attribute is looked up once, then kept on the instance, so that later uses cost
    what the compiled pattern's own do.
    """

    def __init__(self, pattern: str, flags: int) -> None:
        self.pattern = pattern
        self._flags = flags
        self._compiled: re.Pattern[str] | None = None

    def __getattr__(self, name: str) -> Any:
        if name.startswith("_"):
            raise AttributeError(name)
        if self._compiled is None:
            self._compiled = compile_pattern(self.pattern, self._flags)
        value = getattr(self._compiled, name)
        setattr(self, name, value)
        return value


def deferred(pattern: str, flags: int = 0) -> re.Pattern[str]:
    """`re.compile(pattern, flags)`, compiled when first used.

    Reading one changed post imports the reader for that post alone, and compiling every
    pattern of the reader took as long as the rest of such a run's reading: most are for
    layouts, languages or kinds of text that post does not have.
    """
    return cast("re.Pattern[str]", _Deferred(pattern, flags))


_QUANTIFIERS = frozenset("?*+{")


def by_first_letter(alternatives: Iterable[str]) -> str:
    """`alternatives`, each a pattern, as one alternation that tries only those opening with
    the letter the text opens with, for a pattern matched against text in lower case.

    `re` tries every branch of an alternation in turn, but compares a branch's first
    character before entering it when that is a plain one: grouped under their first
    letters, ninety instructions cost what five do. `re.IGNORECASE` would undo it (its
    branches open with no plain character), hence the lower-case text. An alternative that
    opens otherwise (a class, a group) is tried after the groups.
    """
    groups: dict[str, list[str]] = {}
    others: list[str] = []
    for alternative in alternatives:
        first, rest = alternative[:1], alternative[1:]
        if first.isalpha() and first == first.lower() and rest[:1] not in _QUANTIFIERS:
            groups.setdefault(first, []).append(rest)
        else:
            others.append(alternative)
    grouped = [f"{first}(?:{'|'.join(rests)})" for first, rests in groups.items()]
    return "|".join(grouped + others)


_LITERAL_ATOM = re.compile(r"\[([^\]\\^-]+)\]|([^\\\[\](){}|.*+?^$])")


def opening_letters(alternatives: Iterable[str], length: int = 3) -> frozenset[str]:
    r"""Every way the alternatives' first `length` characters may be written (classes such
    as `[ée]` spelt out), for a test of a text's start quicker than the pattern, and one
    that spares compiling it. `ValueError` for an alternative that opens otherwise (`\s`,
    a group), or shorter: no such test could be made."""
    openings: set[str] = set()
    for alternative in alternatives:
        spelt = [""]
        position = 0
        for _ in range(length):
            atom = _LITERAL_ATOM.match(alternative, position)
            if atom is None:
                raise ValueError(f"no plain opening of {length} characters: {alternative!r}")
            choices = atom.group(1) or atom.group(2)
            spelt = [start + choice for start in spelt for choice in choices]
            position = atom.end()
        openings.update(spelt)
    return frozenset(openings)


def first_letters(openings: Iterable[str]) -> frozenset[str]:
    """The letters the openings start with, in either case: a test quicker still."""
    return frozenset(letter for opening in openings for letter in (opening[0], opening[0].upper()))
