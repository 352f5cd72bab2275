"""Full-text search of a library: the query language, the text searched, and ranked hits."""

from __future__ import annotations

import os
import re
import unicodedata
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from itertools import repeat
from pathlib import Path
from typing import Any

from canvascli.errors import CanvasError, UsageError, quoted
from canvascli.model import AnyBlock, Block, Canvas, LeanBlock, Summary, block_from_key
from canvascli.store.files import Location
from canvascli.store.index import (
    MATCH_END,
    MATCH_START,
    CacheUnavailableError,
    Index,
    IndexDamagedError,
    SearchAhead,
    SearchAnswer,
    SearchMatch,
    SearchRequest,
    SearchSection,
    fts5_available,
    index_path,
    index_size,
    search_in_memory,
    searched_posts_digest,
)
from canvascli.store.index import cache_dir as default_cache_dir
from canvascli.store.library import Library
from canvascli.store.marking import marked_matches
from canvascli.store.sync import all_utf8_names, display_prefix, post_summaries
from canvascli.words import PIECE_BREAK, broken_into_pieces

DEFAULT_LIMIT = 20
# The most words and phrases a query may hold, each of which must match: more than anyone
# types, fewer than make a search slow.
MAX_TERMS = 64
BLOCK_POSITIONS: dict[AnyBlock, int] = {
    block: position for position, block in enumerate((*Block, *LeanBlock))
}
# The snippet markers are private-use characters; post text that holds them is searched
# with them replaced, so a marker in a snippet is always one SQLite put there.
_NEUTRAL_MARKERS = str.maketrans({MATCH_START: "\ufffd", MATCH_END: "\ufffd"})


@dataclass(frozen=True)
class Term:
    """A word or a phrase to find; `prefix` matches any word starting with its last word.

    Chinese, Japanese, Korean and Thai text is searched piece by piece (see
    `canvascli.words`), so a word inside a longer run of such text is found.
    """

    text: str
    prefix: bool = False

    def fts(self) -> str:
        """The term as an FTS5 string: quoted, so no character in it is FTS5 syntax."""
        quoted = '"' + broken_into_pieces(self.text).replace('"', '""') + '"'
        return f"{quoted} *" if self.prefix else quoted


@dataclass(frozen=True)
class Query:
    """What a person typed, read as terms that must all match."""

    text: str
    terms: tuple[Term, ...]

    def fts(self) -> str:
        return " ".join(term.fts() for term in self.terms)

    def any_term(self) -> str:
        """The FTS5 expression that matches a text holding any of the terms."""
        return " OR ".join(term.fts() for term in self.terms)


def _is_searchable(text: str) -> bool:
    """Whether the text has a letter or digit, the only characters FTS5 indexes."""
    return any(character.isalnum() for character in text)


def _plain(text: str) -> str:
    """The query with control characters and lone surrogates turned into spaces.

    SQLite reads a NUL as the end of the query, which would unbalance a quoted term, and
    a surrogate (from undecodable bytes in argv) cannot be sent to SQLite at all.
    """
    return "".join(
        " " if unicodedata.category(character) in ("Cc", "Cs") else character for character in text
    )


def parse_query(text: str) -> Query:
    """Read a query: words, "quoted phrases", and prefix* words or "phrases"*.

    Every other character is part of a word, never an operator: `C++`, `AND`, `-x`,
    `a:b`, `(x)` are words, and a quote with no partner is dropped. Terms with no
    letter or digit (`-`, `*`) are left out, as FTS5 could never match them.
    """
    source = _plain(text)
    terms: list[Term] = []
    position = 0
    while position < len(source):
        character = source[position]
        if character.isspace():
            position += 1
            continue
        if character == '"':
            closing = source.find('"', position + 1)
            if closing == -1:
                position += 1
                continue
            phrase = source[position + 1 : closing]
            position = closing + 1
            prefix = source.startswith("*", position)
            while source.startswith("*", position):
                position += 1
            if _is_searchable(phrase):
                terms.append(Term(" ".join(phrase.split()), prefix))
            continue
        end = position
        while end < len(source) and not source[end].isspace() and source[end] != '"':
            end += 1
        word = source[position:end]
        position = end
        stem = word.rstrip("*")
        if _is_searchable(stem):
            terms.append(Term(stem, prefix=stem != word))
    # A word given twice finds what it finds once; FTS5 would weigh each copy, and a query
    # of one word a thousand times over would take minutes.
    unique: dict[tuple[str, bool], Term] = {}
    for term in terms:
        unique.setdefault((term.text.lower(), term.prefix), term)
    return Query(text, tuple(unique.values()))


@dataclass(frozen=True)
class Snippet:
    """A fragment of a section with the spans (start, end offsets) of the matches in it."""

    text: str
    matches: tuple[tuple[int, int], ...]

    @classmethod
    def from_marked(cls, marked: str) -> Snippet:
        text: list[str] = []
        matches: list[tuple[int, int]] = []
        length = 0
        start: int | None = None
        for character in marked:
            if character == MATCH_START:
                start = length
            elif character == MATCH_END:
                if start is not None and length > start:
                    matches.append((start, length))
                start = None
            elif character == PIECE_BREAK:
                continue
            else:
                text.append(character)
                length += 1
        return cls("".join(text), tuple(matches))

    def parts(self) -> Iterator[tuple[str, bool]]:
        """The text in order as (piece, is_match) pairs."""
        done = 0
        for start, end in self.matches:
            if start > done:
                yield self.text[done:start], False
            yield self.text[start:end], True
            done = end
        if done < len(self.text):
            yield self.text[done:], False

    def to_dict(self) -> dict[str, Any]:
        return {"text": self.text, "matches": [list(span) for span in self.matches]}


def match_spans(query: Query, texts: Sequence[str]) -> list[tuple[tuple[int, int], ...]]:
    """Where each text holds any term of the query, as (start, end) offsets: the words a
    search for it finds there, stemmed and in Chinese, Japanese, Korean or Thai alike."""
    found: list[tuple[tuple[int, int], ...]] = [() for _ in texts]
    if not query.terms or not fts5_available():
        return found
    neutral = [text.translate(_NEUTRAL_MARKERS) for text in texts]
    marked = marked_matches([broken_into_pieces(text) for text in neutral], query.any_term())
    for number, marks in marked.items():
        snippet = Snippet.from_marked(marks)
        # A text with breaks of its own would be shifted by their removal: left unmarked.
        if snippet.text == neutral[number]:
            found[number] = snippet.matches
    return found


@dataclass(frozen=True)
class Hit:
    """One section of one canvas that matches, with its relevance (higher is better)."""

    block: AnyBlock | None
    heading: str
    score: float
    snippet: Snippet

    @property
    def title(self) -> str:
        """The block's title, or the heading of a section that maps to no block."""
        if self.block is not None:
            return self.block.title
        return self.heading or "Introduction"

    def to_dict(self) -> dict[str, Any]:
        return {
            "key": self.block.key if self.block else None,
            "title": self.title,
            "heading": self.heading,
            "score": self.score,
            "snippet": self.snippet.to_dict(),
        }


@dataclass(frozen=True)
class CompanyHits:
    summary: Summary
    hits: tuple[Hit, ...]

    def to_dict(self) -> dict[str, Any]:
        return {
            "slug": self.summary.slug,
            "name": self.summary.name,
            "source": self.summary.source,
            "hits": [hit.to_dict() for hit in self.hits],
        }


@dataclass
class SearchResults:
    """Hits grouped by company, companies in the order of their best hit."""

    companies: list[CompanyHits] = field(default_factory=list)
    total: int = 0
    notices: list[str] = field(default_factory=list)
    # The `searched_posts_digest` of the posts searched, when the full-text rows in the
    # index were brought in step with them: what `search_as_made` can be asked for later.
    made_from: str | None = None

    @property
    def shown(self) -> int:
        return sum(len(company.hits) for company in self.companies)

    def to_json(self) -> list[dict[str, Any]]:
        return [company.to_dict() for company in self.companies]


def search_sections(canvas: Canvas) -> list[SearchSection]:
    """The text searched in a canvas: each block present, then each extra section.

    A block's position is its place in the canonical order; extras follow the nine.
    Headings are not searched, only what is written under them.
    """
    placed = [
        (BLOCK_POSITIONS[block], section)
        for block in canvas.layout
        if (section := canvas.section_for(block)) is not None
    ]
    placed += [
        (len(BLOCK_POSITIONS) + number, section) for number, section in enumerate(canvas.extras)
    ]
    return [
        SearchSection(
            canvas.slug,
            section.block.key if section.block else None,
            section.heading,
            position,
            broken_into_pieces(section.text.translate(_NEUTRAL_MARKERS)),
        )
        for position, section in placed
        if not section.is_empty
    ]


def _sections_of_record(record: Any) -> list[SearchSection]:
    """The sections of every canvas a post's stored record holds: one, or a list of them."""
    records = record if isinstance(record, list) else [record]
    return [section for one in records for section in search_sections(Canvas.from_record(one))]


def _search_in_memory(library: Library, request: SearchRequest) -> SearchAnswer:
    """The search over a throw-away table, with each slug stood in for by a plain key.

    A slug taken from a file name may hold undecodable bytes, which SQLite text cannot;
    the keys sort as the slugs do, so ties still break by slug.
    """
    ordered = sorted({summary.slug for summary in library.summaries})
    keys = {slug: f"{number:09d}" for number, slug in enumerate(ordered)}
    slugs = dict(zip(keys.values(), keys.keys(), strict=True))
    posts = (
        (
            keys[summary.slug],
            [
                section._replace(slug=keys[summary.slug])
                for section in search_sections(library.canvas(summary))
            ],
        )
        for summary in library.summaries
    )
    keyed = request._replace(slugs=tuple(keys.get(slug, slug) for slug in request.slugs))
    answer = search_in_memory(posts, keyed)
    matches = [match._replace(slug=slugs[match.slug]) for match in answer.matches]
    return answer._replace(matches=matches)


def _relative(summary: Summary, root: Path) -> str:
    return Path(summary.source).relative_to(root).as_posix()


# What would make a path's text differ from its parts joined: a path so written is
# taken apart by `pathlib` instead.
_UNNORMAL = re.compile(r"^/|/$|//|(?:^|/)\.\.?(?:/|$)")


def _relative_paths(summaries: Sequence[Summary], root: Path) -> list[str]:
    """Each post's path below `root`, as `_relative` gives it; by its text where the path
    is written plainly under the root, which is ten times quicker than by its parts and
    is most of the cost of a search through a big library's index. When every path is,
    as nearly always, they are checked all at once."""
    prefix = str(root).rstrip(os.sep) + os.sep
    sources = [summary.source for summary in summaries]
    rests = [source[len(prefix) :] for source in sources]
    if os.sep == "/" and all(map(str.startswith, sources, repeat(prefix))):
        # Joined between slashes, an empty path, a slash at either end of one, or a `.` or
        # `..` part shows as one of these.
        joined = f"/{'/'.join(rests)}/"
        if not any(mark in joined for mark in ("//", "/./", "/../")):
            return rests
    paths = []
    for summary, source in zip(summaries, sources, strict=True):
        rest = source[len(prefix) :].replace(os.sep, "/")
        plain = source.startswith(prefix) and rest and not _UNNORMAL.search(rest)
        paths.append(rest if plain else _relative(summary, root))
    return paths


def _score(match: SearchMatch) -> float:
    """bm25 as FTS5 gives it is lower for better matches; shown negated, to six digits."""
    return float(f"{-match.bm25:.6g}") + 0.0


def check_query(query: Query) -> None:
    """Fail, with one line saying why, when this query cannot be searched here."""
    if not fts5_available():
        raise CanvasError(
            "search needs SQLite full-text search (FTS5), which the sqlite3 module of this "
            "Python lacks"
        )
    if not query.terms:
        raise UsageError(
            f"nothing to search for in {quoted(query.text)}: give a word with a letter or digit"
        )
    if len(query.terms) > MAX_TERMS:
        # Each must match, and the time a search takes grows with the square of their number.
        raise UsageError(
            f"{len(query.terms):,} different words and phrases in {quoted(query.text)}: "
            f"give at most {MAX_TERMS}"
        )


def _search_index(
    library: Library, paths: list[str], request: SearchRequest, results: SearchResults
) -> SearchAnswer | None:
    """The search through the library's index, rebuilt once if it turns out damaged; None
    when it could not be rebuilt (which has been said), for a search in memory."""
    try:
        answer = _search_stored(library, paths, request)
    except IndexDamagedError as damage:
        if not library.rebuild_index(damage):
            return None
        return _search_stored(library, paths, request)
    stamps = library.stamps()
    results.made_from = searched_posts_digest(
        {path: stamps[path] for path in paths if path in stamps}
    )
    return answer


def _search_stored(library: Library, paths: list[str], request: SearchRequest) -> SearchAnswer:
    with Index.open(library.location.path, library.cache_dir) as index:
        return index.search(paths, _sections_of_record, request, library.stamps())


def search_library(
    library: Library,
    query: Query,
    *,
    blocks: Sequence[AnyBlock] = (),
    slugs: Sequence[str] = (),
    limit: int | None = DEFAULT_LIMIT,
    use_cache: bool = True,
) -> SearchResults:
    """The best `limit` hits (all if None) for the query among the library's canvases.

    Searches the index when it can; otherwise, or with `use_cache=False`, an in-memory
    table built from the same canvases, which gives the same hits in the same order.
    """
    check_query(query)
    request = SearchRequest(
        query.fts(), tuple(block.key for block in blocks), tuple(slugs), limit, query.any_term()
    )
    results = SearchResults()
    answer: SearchAnswer | None = None
    root = library.location.path
    paths = _relative_paths(library.summaries, root)
    # Posts whose file names are not UTF-8 live beside the index, not in it; so that both
    # ways give the same hits, such a library is always searched in memory.
    if use_cache and library.indexed and not library.renamed and all_utf8_names(paths):
        try:
            answer = _search_index(library, paths, request, results)
        except CacheUnavailableError as error:
            if not library.notices:
                results.notices.append(f"{error}; searching without the index")
    if answer is None:
        answer = _search_in_memory(library, request)
    summaries = {summary.slug: summary for summary in library.summaries}
    _group(results, answer, lambda match: summaries[match.slug])
    return results


def _group(
    results: SearchResults, answer: SearchAnswer, summary_of: Callable[[SearchMatch], Summary]
) -> None:
    grouped: dict[str, list[Hit]] = {}
    companies: dict[str, Summary] = {}
    for match in answer.matches:
        snippet = Snippet.from_marked(match.snippet)
        block = block_from_key(match.block) if match.block else None
        grouped.setdefault(match.slug, []).append(Hit(block, match.heading, _score(match), snippet))
        companies.setdefault(match.slug, summary_of(match))
    results.companies = [
        CompanyHits(companies[slug], tuple(hits)) for slug, hits in grouped.items()
    ]
    results.total = answer.total


# What a library is loaded for (see `load_library`) when only its full-text rows are
# wanted: the answer kept for it is the `SearchResults.made_from` of its posts.
FULL_TEXT_QUESTION = "search: the posts of the full-text rows"


# Below this size of index, looking at every post takes less time than starting a search
# beside it does (about 2,000 small posts), so `search_ahead` starts none.
SEARCH_AHEAD_MIN_BYTES = 8 << 20


def search_ahead(
    location: Location,
    cache_dir: Path | None,
    query: Query,
    *,
    blocks: Sequence[AnyBlock] = (),
    limit: int | None = DEFAULT_LIMIT,
) -> SearchAhead | None:
    """`search_as_made`'s search of the full-text rows, started now in a thread, to run
    while the library is loaded for `FULL_TEXT_QUESTION`; give it to `search_as_made`,
    and `stop` it once that is done or will not be called. None for a small index."""
    check_query(query)
    path = index_path(location.path, cache_dir or default_cache_dir())
    try:
        size = index_size(path)
    except OSError:
        return None
    if size < SEARCH_AHEAD_MIN_BYTES:
        return None
    try:
        return SearchAhead(path, _as_made_request(query, blocks, limit))
    except RuntimeError:  # no thread to be had: the search runs after the look, as it can
        return None


def _as_made_request(query: Query, blocks: Sequence[AnyBlock], limit: int | None) -> SearchRequest:
    return SearchRequest(
        query.fts(), tuple(block.key for block in blocks), (), limit, query.any_term()
    )


def search_as_made(
    library: Library,
    query: Query,
    *,
    blocks: Sequence[AnyBlock] = (),
    limit: int | None = DEFAULT_LIMIT,
    ahead: SearchAhead | None = None,
) -> SearchResults | None:
    """What `search_library` gives, from the index alone, for a library loaded for
    `FULL_TEXT_QUESTION` that holds a kept answer: the full-text rows are searched as they
    are if they were made from the very posts that answer names (so from the posts as they
    are now), and only the posts shown are read. None when they were not, or the index
    cannot tell (damage included): then the library must be loaded in full. The search
    `ahead` (see `search_ahead`) is taken when it stands."""
    if library.answer is None:
        return None
    check_query(query)
    request = _as_made_request(query, blocks, limit)
    made_from = library.answer.decode("utf-8", "surrogatepass")
    try:
        with Index.open(library.location.path, library.cache_dir) as index:
            found = index.search_as_made(made_from, request, ahead)
            several = index.more_summaries() if found is not None else {}
    except CacheUnavailableError:
        return None
    if found is None:
        return None
    answer, rows = found
    summaries = {
        (summary.source, summary.slug): summary
        for path, row in rows.items()
        for summary in post_summaries(library.location.path, path, row, several.get(path, ()))
    }
    top = display_prefix(library.location.path)
    if any((top + match.path, match.slug) not in summaries for match in answer.matches):
        return None
    results = SearchResults()
    _group(results, answer, lambda match: summaries[(top + match.path, match.slug)])
    return results
