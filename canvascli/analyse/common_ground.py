"""Common ground: list items and named terms that several canvases share within a block."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Iterator, Mapping, Sequence
from functools import lru_cache
from typing import Any, Literal, NamedTuple

from canvascli.model import AnyBlock, Canvas, Section
from canvascli.words import PIECE_BREAK, broken_into_pieces, count_words, piece_phrases, singular

TermKind = Literal["item", "name"]
Span = tuple[int, int]

# A list item's leading name is at most this many words; longer leads are prose.
MAX_LEAD_WORDS = 6


def _word_set(text: str) -> frozenset[str]:
    return frozenset(text.split())


# Words that open sentences or glue phrases: never a name by themselves.
STOP_WORDS = _word_set(
    """
    a about according additionally after all also although an and another any are as at
    be because before both but by can each either every finally first for from further
    furthermore he her here his how however i if in instead into is it its lastly many
    more moreover most much my no nor not of on once one only or other others our over
    secondly several she since so some specifically such than that the their them then
    there these they this those through thus to too under unlike until upon us via was
    we what when where whereas which while who whom whose why will with within without
    yet you your
    january february march april may june july august september october november december
    monday tuesday wednesday thursday friday saturday sunday
    """
)
# Words that join the parts of one name in prose: "Bank of America", "Procter & Gamble".
# Not "and": in prose it far more often lists two names ("Microsoft and Oracle").
NAME_JOINERS = frozenset({"&", "of", "for", "de"})
# Glue never kept at either end of a term.
CONNECTORS = NAME_JOINERS | {"and"}
# Singular forms of words too common in canvases to be common ground on their own:
# "Company" or "Partners" alone match nothing, though "Technology Partners" may.
GENERIC_WORDS = _word_set(
    """
    business client company corporation corp customer enterprise firm group inc industry
    llc ltd market network offering organisation organization partner partnership platform
    product program programme sector service solution system team technology user
    """
)

_TOKEN = re.compile(r"[^\W_]+(?:['’.&-][^\W_]+)*")
_POSSESSIVE = re.compile(r"['’]s$", re.IGNORECASE)
_WORD_SPAN = re.compile(r"\S+")
# Tried from the start of a run of white space only: from each of its spaces, the run was
# looked through to its end again, in time growing with the square of its length. A match
# inside a run is found from the run's start all the same.
_LEAD_END = re.compile(r"(?<!\s)\s*(?:[:;,(：；，（、]|\s[-–—]\s|\.(?:\s|$))")
_APOSTROPHES = str.maketrans({"’": "'", "‘": "'", "`": "'"})
_NON_WORD = re.compile(r"[^\w\s]|_")


def _fold(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text.translate(_APOSTROPHES))
    return "".join(char for char in decomposed if not unicodedata.combining(char)).casefold()


def normalise_words(text: str) -> list[str]:
    """The words of `text` as `normalise_term` compares them, before ends are trimmed.

    Chinese, Japanese, Korean and Thai characters are words of their own, so a term is
    found inside a longer one written without spaces: "农场" inside "郊区农场".
    """
    words = []
    spaced = broken_into_pieces(text).replace(PIECE_BREAK, " ")
    for raw in spaced.replace("&", " and ").split():
        bare = raw.strip(".,;:!?()[]{}\"'’")
        if _is_acronym_of_stop_word(bare):
            # "US" and "IT" are names; folded, they would be the words "us" and "it".
            words.append(bare)
            continue
        word = _POSSESSIVE.sub("", _fold(bare))
        # Joined, not split: "e-mail" is "email" and "Ad-Tech" is "AdTech".
        word = _NON_WORD.sub("", word.replace("-", "").replace("'", "").replace(".", ""))
        if word:
            words.append(singular(word))
    return words


def _is_acronym_of_stop_word(word: str) -> bool:
    return len(word) > 1 and word.isupper() and word.casefold() in STOP_WORDS


def _trim(words: list[str]) -> list[str]:
    start, end = 0, len(words)
    while start < end and (words[start] in CONNECTORS or words[start] in STOP_WORDS):
        start += 1
    while end > start and (words[end - 1] in CONNECTORS or words[end - 1] in {"or", "the"}):
        end -= 1
    return words[start:end]


@lru_cache(maxsize=65536)
def normalise_term(text: str) -> str:
    """The form two terms are compared in: case, accents, punctuation, plurals and leading
    or trailing glue words ("and", "the", "its", ...) do not count.

    >>> normalise_term("The Microsoft Azure Services, and")
    'microsoft azure service'
    """
    return " ".join(_trim(normalise_words(text)))


@lru_cache(maxsize=65536)
def is_generic(key: str) -> bool:
    """True for a normalised term made only of generic words, stop words or numbers."""
    return all(
        word in GENERIC_WORDS or word in STOP_WORDS or word in CONNECTORS or word.isdigit()
        for word in key.split()
    )


def contains(longer: str, shorter: str) -> bool:
    """True when `shorter` is `longer`, or a run of whole words inside it."""
    return f" {shorter} " in f" {longer} "


def sub_keys(key: str) -> Iterator[str]:
    """Every shorter run of whole words in `key` that could be a name by itself."""
    words = key.split()
    for size in range(len(words) - 1, 0, -1):
        for start in range(len(words) - size + 1):
            part = words[start : start + size]
            if part[0] in CONNECTORS or part[-1] in CONNECTORS:
                continue
            candidate = " ".join(part)
            if not is_generic(candidate):
                yield candidate


class Term(NamedTuple):
    """A name found in one entry of a section: where it is, as written, and its key."""

    text: str
    key: str
    entry: int
    start: int
    end: int
    kind: TermKind


def _is_glue_or_stop(token: str) -> bool:
    folded = token.casefold()
    if folded in CONNECTORS:
        return True
    return folded in STOP_WORDS and not _is_acronym_of_stop_word(token)


@lru_cache(maxsize=1)
def _named_run_pattern() -> re.Pattern[str]:
    """Runs of capitalised words, joined by spaces or a joiner: "Bank of America".

    One plain regular expression finds them, so long posts cost no Python work per word;
    what it cannot say cheaply (possessives, sentence starts) is settled per run.
    """
    upper = _character_ranges(filter(str.isupper, map(chr, range(0x3000))))
    word = r"[\w&'’-]*"
    connector = "|".join(re.escape(word) for word in sorted(NAME_JOINERS))
    glue = rf"[^\S\n]+(?:(?:{connector})[^\S\n]+)?"
    return re.compile(rf"[{upper}]{word}(?:{glue}(?:[{upper}]{word}|\d{word}))*")


def _character_ranges(characters: Iterable[str]) -> str:
    """Characters, in order, as the inside of a character class of ranges: a class of a
    thousand single characters takes three times as long to compile."""
    ranges: list[list[int]] = []
    for code in map(ord, characters):
        if ranges and ranges[-1][1] == code - 1:
            ranges[-1][1] = code
        else:
            ranges.append([code, code])
    return "".join(
        re.escape(chr(first)) + (f"-{re.escape(chr(last))}" if last > first else "")
        for first, last in ranges
    )


def _opens_sentence(text: str, start: int) -> bool:
    before = text[max(0, start - 8) : start].rstrip()
    if not before:
        return start <= 8
    return before.rstrip("\"'”’)]").endswith((".", "!", "?"))


def _word_end(word: str) -> int:
    """Where a word ends once a possessive "'s" or stray trailing punctuation is cut."""
    found = _POSSESSIVE.search(word)
    return len(word.rstrip("&'’-")) if found is None else found.start()


def _named_runs(text: str) -> Iterator[Span]:
    """Spans of the capitalised names in `text`, without leading stop words or glue, and
    without a single capitalised word that merely opens a sentence ("Customers reach").
    """
    for match in _named_run_pattern().finditer(text):
        start = match.start()
        while start and text[start - 1].isalnum():  # "eBay", "3M": the word starts earlier
            start -= 1
        run = text[start : match.end()]
        if len(run.split()) == 1:
            end = _word_end(run)
            if end and not _is_glue_or_stop(run[:end]) and not _opens_sentence(text, start):
                yield start, start + end
            continue
        words = list(_WORD_SPAN.finditer(run))
        opening = _opens_sentence(text, start)
        while words:
            cut = next(
                (n for n, word in enumerate(words) if _POSSESSIVE.search(word.group())),
                len(words) - 1,
            )
            part, words = words[: cut + 1], words[cut + 1 :]
            skipped = 0
            while skipped < len(part) and _is_glue_or_stop(part[skipped].group()):
                skipped += 1
            if skipped < len(part) and not (skipped == 0 and len(part) == 1 and opening):
                last = part[-1]
                end = last.start() + _word_end(last.group())
                if end > part[skipped].start():
                    yield start + part[skipped].start(), start + end
            opening = False


def _lead(text: str) -> Span | None:
    """The span of a list item's leading name: the text before its first colon, comma, dash."""
    found = _LEAD_END.search(text)
    end = found.start() if found else len(text.rstrip())
    start = len(text) - len(text.lstrip())
    if end <= start or count_words(text[start:end]) > MAX_LEAD_WORDS:
        return None
    return start, end


def _trimmed_span(text: str, span: Span) -> Span | None:
    """The span without leading stop words and trailing glue, as `normalise_term` trims."""
    start, end = span
    tokens = list(_TOKEN.finditer(text, start, end))
    if not tokens:
        return None
    first, last = 0, len(tokens)
    while first < last and _is_glue_or_stop(tokens[first].group()):
        first += 1
    while last > first and tokens[last - 1].group().casefold() in {*CONNECTORS, "or", "the"}:
        last -= 1
    if first == last:
        return None
    # Untouched ends keep what surrounds the words: "[Acme]" stays "[Acme]".
    new_start = start if first == 0 else tokens[first].start()
    new_end = end if last == len(tokens) else tokens[last - 1].end()
    return new_start, new_end


def terms_of(section: Section | None, exclude: Iterable[str] = ()) -> list[Term]:
    """The names of a section: each list item's leading name, then the capitalised names
    and the short phrases of Chinese, Japanese, Korean or Thai (`piece_phrases`) in its
    text, entry by entry, skipping any that contain an excluded name (the company's own).
    Stop words, months, a single capitalised word opening a sentence ("The", "Customers")
    and names made only of generic words ("Company") are left out.
    """
    if section is None:
        return []
    excluded = [key for key in (normalise_term(name) for name in exclude) if key]
    found: list[Term] = []
    seen: set[tuple[int, int, int]] = set()

    def add(entry: int, text: str, span: Span, kind: TermKind) -> None:
        if (entry, *span) in seen:
            return
        key = normalise_term(text[span[0] : span[1]])
        if not key or any(contains(key, own) for own in excluded):
            return
        if kind == "name" and is_generic(key):
            return
        seen.add((entry, *span))
        found.append(Term(text[span[0] : span[1]], key, entry, span[0], span[1], kind))

    for number, entry in enumerate(section.entries):
        text = entry.text
        if entry.kind == "item":
            lead = _lead(text)
            trimmed = _trimmed_span(text, lead) if lead else None
            if trimmed:
                add(number, text, trimmed, "item")
        for span in _named_runs(text):
            add(number, text, span, "name")
        for span in piece_phrases(text):
            add(number, text, span, "name")
    return found


def own_names(canvas: Canvas) -> tuple[str, ...]:
    """What a canvas calls its own company; never common ground with anyone else."""
    return (canvas.name, canvas.slug.replace("-", " "))


CanvasTerms = Mapping[str, Iterable[tuple[str, str]]]


def canvas_terms(canvas: Canvas) -> dict[str, list[tuple[str, str]]]:
    """Block key -> the block's distinct term keys, each with how the canvas first writes
    it: `{"key-partners": [("microsoft azure", "Microsoft Azure"), ...]}`.
    """
    own = own_names(canvas)
    found: dict[str, list[tuple[str, str]]] = {}
    for block, section in canvas.all_blocks.items():
        written: dict[str, str] = {}
        for term in terms_of(section, own):
            written.setdefault(term.key, term.text)
        if written:
            found[block.key] = list(written.items())
    return found


class SharedTerm(NamedTuple):
    """A term found in one block of two or more canvases, and how each of them writes it."""

    block: AnyBlock
    term: str
    key: str
    matches: tuple[tuple[str, tuple[str, ...]], ...]

    @property
    def slugs(self) -> tuple[str, ...]:
        return tuple(slug for slug, _texts in self.matches)

    def to_dict(self) -> dict[str, Any]:
        return {
            "block": self.block.key,
            "term": self.term,
            "key": self.key,
            "companies": list(self.slugs),
            "matches": {slug: list(texts) for slug, texts in self.matches},
        }


class CommonGround:
    """What the compared canvases share, block by block, and where each shows it.

    A plain class: importing `dataclasses` costs `canvas compare` more than finding the terms.
    """

    __slots__ = ("items", "shared", "spans")

    def __init__(
        self,
        shared: tuple[SharedTerm, ...] = (),
        spans: Mapping[tuple[str, AnyBlock], Mapping[int, tuple[Span, ...]]] | None = None,
        items: Mapping[tuple[str, AnyBlock], frozenset[int]] | None = None,
    ) -> None:
        self.shared = shared
        self.spans = {} if spans is None else spans
        self.items = {} if items is None else items

    def for_block(self, block: AnyBlock) -> list[SharedTerm]:
        return [term for term in self.shared if term.block is block]

    def marks(self, slug: str, block: AnyBlock) -> Mapping[int, tuple[Span, ...]]:
        """Entry index -> the spans of that entry's text that are shared."""
        return self.spans.get((slug, block), {})

    def shared_items(self, slug: str, block: AnyBlock) -> frozenset[int]:
        """Indexes of the list items whose leading name is shared."""
        return self.items.get((slug, block), frozenset())

    def to_list(self) -> list[dict[str, Any]]:
        return [term.to_dict() for term in self.shared]


def common_ground(canvases: Sequence[Canvas], blocks: Sequence[AnyBlock]) -> CommonGround:
    """Terms that two or more canvases share within a block, after normalisation.

    Two terms match when their keys are equal, or when one key is a run of whole words
    inside the other and is not generic ("Microsoft" ~ "Microsoft Azure"). When a longer
    term is shared by exactly the same canvases as a shorter one inside it, only the
    longer, more specific one is reported.
    """
    shared: list[tuple[tuple[int, int, int, int, int, str], SharedTerm]] = []
    spans: dict[tuple[str, AnyBlock], dict[int, list[Span]]] = {}
    items: dict[tuple[str, AnyBlock], set[int]] = {}
    for block_number, block in enumerate(blocks):
        per_canvas = [terms_of(canvas.section_for(block), own_names(canvas)) for canvas in canvases]
        holders = _holders(per_canvas)
        keys = {key for key, owners in holders.items() if len(owners) >= 2}
        for key in sorted(keys):
            owners = holders[key]
            if any(
                longer != key and contains(longer, key) and holders[longer] == owners
                for longer in keys
            ):
                continue
            matches: list[tuple[str, tuple[str, ...]]] = []
            first: tuple[int, int, int] | None = None
            display = ""
            for number, (canvas, terms) in enumerate(zip(canvases, per_canvas, strict=True)):
                hits = [term for term in terms if contains(term.key, key)]
                if not hits:
                    continue
                matches.append((canvas.slug, tuple(dict.fromkeys(term.text for term in hits))))
                for term in hits:
                    marked = spans.setdefault((canvas.slug, block), {})
                    marked.setdefault(term.entry, []).append((term.start, term.end))
                    if term.kind == "item":
                        items.setdefault((canvas.slug, block), set()).add(term.entry)
                    place = (number, term.entry, term.start)
                    if first is None or place < first:
                        first = place
                    if term.key == key and not display:
                        display = term.text
            assert first is not None
            ordered = (block_number, -len(matches), *first, key)
            shared.append((ordered, SharedTerm(block, display or key, key, tuple(matches))))
    shared.sort(key=lambda pair: pair[0])
    return CommonGround(
        shared=tuple(term for _order, term in shared),
        spans={
            place: {entry: merge_spans(found) for entry, found in entries.items()}
            for place, entries in spans.items()
        },
        items={place: frozenset(found) for place, found in items.items()},
    )


def _holders(per_canvas: Sequence[Sequence[Term]]) -> dict[str, frozenset[int]]:
    """Each term key of a block -> the canvases whose terms equal or contain it."""
    holders: dict[str, set[int]] = {}
    for number, terms in enumerate(per_canvas):
        for term in terms:
            holders.setdefault(term.key, set()).add(number)
    contained: dict[str, set[int]] = {key: set(owners) for key, owners in holders.items()}
    for key, owners in holders.items():
        for part in sub_keys(key):
            if part in contained:
                contained[part] |= owners
    return {key: frozenset(owners) for key, owners in contained.items()}


def merge_spans(spans: Iterable[Span]) -> tuple[Span, ...]:
    """Sorted spans with overlapping ones joined, so no character is marked twice."""
    merged: list[Span] = []
    for start, end in sorted(spans):
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    return tuple(merged)


def without_shared(canvas: Canvas, ground: CommonGround) -> Canvas:
    """The canvas with every list item whose leading name is shared taken out (`--diff`).

    Paragraphs stay: they are prose, and what they say beyond a shared name differs.
    """
    sections = []
    for section in canvas.sections:
        block = section.block
        hidden = ground.shared_items(canvas.slug, block) if block else frozenset()
        if block is not None and hidden and canvas.section_for(block) is section:
            kept = tuple(
                entry for number, entry in enumerate(section.entries) if number not in hidden
            )
            section = section._replace(entries=kept)
        sections.append(section)
    return canvas._replace(sections=tuple(sections))
