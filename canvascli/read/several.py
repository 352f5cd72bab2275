"""Where one document holds several different canvases, and what each of them is called."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from canvascli.model import AnyBlock, Section
from canvascli.read.names import name_from_title, name_in_phrase, names_a_company
from canvascli.read.patterns import deferred
from canvascli.words import fold_name

# A first run of labels this complete may be followed by another canvas: fewer blocks
# named before a label comes again is one canvas whose blocks are written in odd order.
_COMPLETE_RUN = 7
# A second run must name this many different blocks to be a canvas, not sub-notes that
# repeat a few block names ("Channels: try the market stall").
_SECOND_RUN = 5
# Blocks whose text the two runs share, as a share of the blocks both name, beyond which
# the second run is a copy of the first (a summary written out again), not another canvas.
_COPY_SHARE = 0.5
_SLUG_JUNK = deferred(r"[^\w]+")
# A canvas title made only of these words says which state or language of the post's
# company it shows ("Today", "Target 2027", "Español"), not another company.
_QUALIFIERS = frozenset(
    [
        "today",
        "now",
        "current",
        "currently",
        "present",
        "as-is",
        "as",
        "is",
        "to-be",
        "to",
        "be",
        "target",
        "future",
        "next",
        "planned",
        "plan",
        "vision",
        "year",
        "version",
        "state",
        "stage",
        "canvas",
        "in",
        "en",
        "em",
        "auf",
        "english",
        "spanish",
        "español",
        "versión",
        "french",
        "français",
        "german",
        "deutsch",
        "portuguese",
        "português",
        "italian",
        "italiano",
        "dutch",
        "nederlands",
    ]
)


def canvas_starts(sections: Sequence[Section]) -> list[int]:
    """The index of the first section of each canvas in a document: `[0]` for one canvas.

    A new canvas starts where a block's label comes again after a complete or nearly
    complete run of labels, and is followed by a run of its own. Its title (the heading
    just before its labels, with only labels new to it in between) goes with it. Its
    labels sit at the level of the first run's, or deeper below a title at that level
    (a Lean Canvas, then `## Business Model Canvas` with `###` labels); then its run must
    be nearly complete too. A second run whose text mostly repeats the first is a copy,
    and stays one canvas.

    Only the first of consecutive repeated labels can start a canvas (the labels after
    it belong to the run it starts or fails to start), unless a heading comes between.
    """
    starts = [0]
    # Where each block's label first stands in the current run.
    seen: dict[AnyBlock, int] = {}
    level: int | None = None
    after_repeat = False
    for index, section in enumerate(sections):
        block = section.block
        if block is None:
            after_repeat = after_repeat and not section.heading
            continue
        if level is None:
            level = section.level
        repeat = block in seen
        if repeat and not after_repeat and len(seen) >= _COMPLETE_RUN:
            start = _restart(sections, starts[-1], index, level, seen)
            if start is not None:
                repeat = False
                starts.append(start)
                seen = {
                    other.block: position
                    for position, other in enumerate(sections[start:index], start)
                    if other.block is not None
                }
                level = section.level
        after_repeat = repeat
        seen.setdefault(block, index)
    return starts


def _restart(
    sections: Sequence[Section],
    run_start: int,
    index: int,
    level: int,
    seen: dict[AnyBlock, int],
) -> int | None:
    """Where a new canvas starts, if the label at `index` begins one, else None."""
    section = sections[index]
    title = _title_before(sections, run_start, index)
    if section.level > level and (title is None or sections[title].level > level):
        return None
    start = index if title is None else title
    first = {block: sections[position] for block, position in seen.items() if position < start}
    if len(first) < _COMPLETE_RUN:
        return None
    needed = _SECOND_RUN if section.level <= level else _COMPLETE_RUN
    return start if _is_new_run(sections, start, first, needed) else None


def _title_before(sections: Sequence[Section], run_start: int, index: int) -> int | None:
    """The heading above the label at `index`, with only labels of other blocks at the
    same level in between, at or above that level."""
    labels = sections[index].level
    between: set[AnyBlock] = set()
    for position in range(index - 1, run_start, -1):
        earlier = sections[position]
        if earlier.block is None:
            return position if earlier.heading and earlier.level <= labels else None
        if earlier.block in between or earlier.level != labels:
            return None
        between.add(earlier.block)
    return None


def _is_new_run(
    sections: Sequence[Section], start: int, first: dict[AnyBlock, Section], needed: int
) -> bool:
    """Whether the labels from `start` on name `needed` blocks before one comes again, in
    text of their own rather than the first run's."""
    run: dict[AnyBlock, Section] = {}
    for position in range(start, len(sections)):
        section = sections[position]
        if section.block is None:
            continue
        if section.block in run:
            break
        run[section.block] = section
    if len(run) < needed:
        return False
    shared = [block for block in run if block in first]
    same = sum(1 for block in shared if _same_text(run[block], first[block]))
    return not shared or same < _COPY_SHARE * len(shared)


def _same_text(one: Section, other: Section) -> bool:
    # Equal entries are the usual copy, and cheap to compare: a long document of copies
    # compares them at every label.
    return one.entries == other.entries or _text(one) == _text(other)


def _text(section: Section) -> str:
    return " ".join(section.text.split()).casefold()


def split_sections(sections: tuple[Section, ...]) -> list[tuple[Section, ...]]:
    """The sections of each canvas the document holds, in document order."""
    starts = canvas_starts(sections)
    if len(starts) == 1:
        return [sections]
    ends = [*starts[1:], len(sections)]
    return [sections[start:end] for start, end in zip(starts, ends, strict=True)]


def title_section(sections: Sequence[Section], level: int | None) -> Section | None:
    """The heading that introduces a canvas: the extra section just before its first block.

    For the first canvas of a document, only a heading at `level` (where the later
    canvases have theirs) counts, so that an "Introduction" does not name it.
    """
    previous: Section | None = None
    for section in sections:
        if section.block is not None:
            break
        previous = section
    if previous is None or not previous.heading:
        return None
    if level is not None and previous.level != level:
        return None
    return previous


def own_name(
    title: Section | None, labelled: Callable[[str], str | None], post_name: str
) -> tuple[str | None, bool]:
    """The name a canvas's own title gives it, and whether that only qualifies the post's.

    A labelled line under the title ("Company: Beta Bites") wins; then a canvas phrase
    ("Business Model Canvas: Beta Bites"), then the title as a name. A title of state or
    language words ("Target 2027", "Español") names the post's company in that state.
    """
    if title is None:
        return None, False
    for entry in title.entries:
        for line in entry.text.splitlines():
            found = labelled(line)
            if found:
                return found, False
    heading = title.heading
    name = name_in_phrase(heading) or (
        name_from_title(heading) if names_a_company(heading) else None
    )
    if not name:
        return None, False
    words = fold_name(name).replace("(", " ").replace(")", " ").split()
    if all(word in _QUALIFIERS or word.isdigit() for word in words):
        return f"{post_name} ({name})", True
    return name, False


def slug_of(name: str) -> str:
    return _SLUG_JUNK.sub("-", name.lower()).strip("-_")


def canvas_slugs(
    post_slug: str, post_name: str, names: Sequence[tuple[str | None, bool]]
) -> list[str]:
    """A slug for each canvas after the first: from its own title when it has one that is
    not the post's, else the post's slug numbered; never the same slug twice in one post."""
    taken = {post_slug}
    slugs: list[str] = []
    for number, (name, qualifies) in enumerate(names, 2):
        slug = ""
        if name and fold_name(name) != fold_name(post_name):
            own = slug_of(name[len(post_name) :] if qualifies else name)
            slug = f"{post_slug}-{own}" if qualifies and own else own
        if not slug or slug in taken:
            slug = f"{post_slug}-{number}"
        while slug in taken:
            slug = f"{slug}-{number}"
        taken.add(slug)
        slugs.append(slug)
    return slugs
