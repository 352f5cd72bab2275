"""A library of canvases: load it through the index, keep its problems, find a company."""

from __future__ import annotations

import stat
from collections.abc import Callable, Container, Iterable, Iterator, Sequence
from copy import copy
from pathlib import Path
from typing import TYPE_CHECKING

from canvascli.errors import (
    WORD_LIMIT,
    AmbiguousCompanyError,
    CompanyNotFoundError,
    LibraryError,
    quoted,
    shown,
)
from canvascli.model import NO_TEXT, Canvas, Diagnostic, Summary
from canvascli.store.config import LibraryConfig
from canvascli.store.files import Location, PostProblem, max_post_bytes
from canvascli.words import close_matches, fold_name

if TYPE_CHECKING:
    from canvascli.read.labels import Synonyms
    from canvascli.store.index import IndexDamagedError
    from canvascli.store.sync import IndexRepair


# The codes of a post that gives no canvas at all: not a text file, not a regular file or
# too big, empty.
_UNREAD_CODES = frozenset({"CV105", "CV303", "CV304", NO_TEXT})


class Library:
    """The posts of one folder: a summary of each canvas, and the full canvas on demand."""

    __slots__ = (
        "_keep_answer",
        "answer",
        "cache_dir",
        "config",
        "indexed",
        "loader",
        "location",
        "notices",
        "problems",
        "renamed",
        "repair",
        "stamps",
        "summaries",
        "unpublished",
    )

    def __init__(
        self,
        location: Location,
        cache_dir: Path | None = None,
        config: LibraryConfig | None = None,
    ) -> None:
        self.location = location
        # Where its index lives; None for the user's cache folder.
        self.cache_dir = cache_dir
        # What its config file (`canvas.toml`) says; empty without one.
        self.config = config or LibraryConfig()
        # Whether its index is up to date with its posts; if not, this run reads no
        # search text or terms from the index, which could be stale.
        self.indexed = False
        self.summaries: list[Summary] = []
        # The canvases of posts marked `published: false`, left out of `summaries`: a name
        # that finds none of those but one of these is told how to include it.
        self.unpublished: list[Summary] = []
        self.problems: list[PostProblem] = []
        self.loader: Callable[[Summary], Canvas] | None = None
        self.notices: list[str] = []
        # Rebuilds its index, once, if what was read from it turns out damaged.
        self.repair: IndexRepair | None = None
        # Whether a canvas was given another slug than its post's record holds, or one
        # canvas of a post that holds several was left out (see `finish_library`): what
        # the index keeps of each post by slug then no longer matches the library.
        self.renamed = False
        # The answer kept for the question the library was loaded for (see `load_library`),
        # still true of its posts, as UTF-8: then no summary was read.
        self.answer: bytes | None = None
        self._keep_answer: Callable[[str], None] | None = None
        # The stamp of each indexed post's row as this run left it, by path in the library.
        self.stamps: Callable[[], dict[str, int]] = dict

    def keep_answer(self, answer: str) -> None:
        """Keep `answer`, made from this library, as the answer to the question it was
        loaded for, for runs that find every post as it is now. Only when nothing was
        reported, since a kept answer is given without a word on stderr."""
        if self._keep_answer is not None and not (self.problems or self.notices):
            self._keep_answer(answer)

    def __iter__(self) -> Iterator[Summary]:
        return iter(self.summaries)

    def __len__(self) -> int:
        return len(self.summaries)

    def rebuild_index(self, damage: IndexDamagedError) -> bool:
        """Rebuild the index found damaged after the library was read from it, once in a
        run; whether it is usable now. Canvases still come from what was read."""
        if self.repair is None:
            return False
        return self.repair(damage).indexed

    def report_index_damage(self, report: Callable[[str], None]) -> None:
        """Say through `report`, from now on, that the index was found damaged and rebuilt."""
        if self.repair is not None:
            self.repair.report = report

    def find(self, name: str) -> Summary:
        """A company by slug, by name in any case, or by a prefix or a word only it has.

        A name that finds none says what to do next: how to include the unpublished post
        it names, else the nearest name, else where the library's companies are listed, or
        that it holds none.
        """
        where = shown(str(self.location.path), WORD_LIMIT)
        try:
            return find_company(self.summaries, name, where)
        except AmbiguousCompanyError:
            raise
        except CompanyNotFoundError as missing:
            hidden = _unpublished_named(self.unpublished, name)
            if hidden is not None:
                hint = f"; {hidden.source} is marked `published: false` (add --unpublished)"
                raise CompanyNotFoundError(
                    f"no company {quoted(name)} in {where}{hint}", name
                ) from None
            unread = self._unread_named(name)
            if unread is not None:
                hint = f"; {unread.path} was not read: {unread.diagnostic.message}"
                raise CompanyNotFoundError(
                    f"no company {quoted(name)} in {where}{hint}", name
                ) from None
            if missing.candidates:
                raise
            hint = " (see 'canvas list')" if self.summaries else ", which holds no companies"
            raise CompanyNotFoundError(f"{missing}{hint}", name) from None

    def _unread_named(self, name: str) -> PostProblem | None:
        """The post that would have given the company `name` by its slug, had it been read."""
        from canvascli.read.canvas import slug_from_path

        wanted = fold_name(name)
        for problem in self.problems:
            if problem.diagnostic.code in _UNREAD_CODES and slug_from_path(problem.path) == wanted:
                return problem
        return None

    def canvas(self, summary: Summary) -> Canvas:
        assert self.loader is not None, "a library is built by load_library"
        canvas = self.loader(summary)
        return canvas if canvas.slug == summary.slug else canvas._replace(slug=summary.slug)

    def get(self, name: str) -> Canvas:
        return self.canvas(self.find(name))

    def get_all(self, names: Iterable[str]) -> list[Canvas]:
        return [self.get(name) for name in names]

    def canvases(self) -> Iterator[Canvas]:
        for summary in self.summaries:
            yield self.canvas(summary)

    def companies(self) -> Library:
        """The same library without the posts that explain the canvas in general (CV207):
        what `list`, `stats` and `similar` count as companies."""
        kept = copy(self)
        kept.summaries = [summary for summary in self.summaries if not summary.explains_the_canvas]
        return kept


def load_library(
    location: Location,
    *,
    include_unpublished: bool = False,
    use_cache: bool = True,
    limit: int | None = None,
    progress: Callable[[int, int], None] | None = None,
    cache_dir: Path | None = None,
    damage: IndexDamagedError | None = None,
    config: LibraryConfig | None = None,
    question: str | None = None,
) -> Library:
    """Every canvas in the library; posts that fail are kept as problems, never raised.

    With the index, only new and changed posts are parsed; without it, all are. The
    result is the same either way. An index known to be `damage`d is rebuilt first.
    Labels are read with the `synonyms` of the library's `config` too.

    `question` names what the caller makes of the library (its whole output, from the
    command's arguments): when the index keeps an answer to it made from the posts as they
    are now, the library holds only that `answer`; otherwise the caller may keep its
    answer with `Library.keep_answer`.
    """
    from canvascli.store import sync

    limit = max_post_bytes() if limit is None else limit
    library = Library(location, cache_dir, config)
    result = sync.sync(
        location.path,
        limit,
        use_cache=use_cache,
        progress=progress,
        cache_dir=cache_dir,
        damage=damage,
        synonyms=library.config.synonyms,
        question=None
        if question is None
        else _whole_question(question, library, include_unpublished=include_unpublished),
    )
    if result.problems and not _still_a_folder(location.path):
        # Every post would be one line saying it cannot be read, and the companies read
        # before it went a list that holds some of them: neither answers the question.
        raise LibraryError(str(location.path), "was removed while it was read", location.origin)
    library.answer = result.answer
    library._keep_answer = result.keep_answer
    library.summaries = result.summaries
    library.problems = result.problems
    library.loader = result.load
    library.notices = result.notices
    library.indexed = result.indexed
    library.repair = result.repair
    library.stamps = result.stamps
    return finish_library(library, include_unpublished=include_unpublished)


def _still_a_folder(path: Path) -> bool:
    try:
        return stat.S_ISDIR(path.stat().st_mode)
    except OSError:
        return False


def _whole_question(question: str, library: Library, *, include_unpublished: bool) -> str:
    """`question` with all else its answer depends on: the version of canvascli, the
    library's folder as given (every post's source starts with it), its config, and whether
    unpublished posts are shown (a part of the question the library itself settles)."""
    import json

    from canvascli import __version__

    config = library.config
    return json.dumps(
        [
            __version__,
            question,
            include_unpublished,
            str(library.location.path),
            str(config.path),
            config.sort,
            sorted(config.ignore),
            sorted(config.select),
            config.stop_words,
            config.synonyms,
        ],
        ensure_ascii=False,
    )


def load_indexed_names(
    location: Location,
    *,
    include_unpublished: bool = False,
    cache_dir: Path | None = None,
    config: LibraryConfig | None = None,
) -> Library | None:
    """The library's companies as its index last saw them, reading no post, or None when
    the index cannot tell (see `sync.indexed_summaries`). For naming companies only: its
    canvases cannot be loaded."""
    from canvascli.store import sync

    library = Library(location, cache_dir, config)
    summaries = sync.indexed_summaries(location.path, cache_dir, library.config.synonyms)
    if summaries is None:
        return None
    library.summaries = summaries
    return finish_library(library, include_unpublished=include_unpublished)


def load_named(
    location: Location,
    names: Sequence[str],
    *,
    include_unpublished: bool = False,
    cache_dir: Path | None = None,
    synonyms: Synonyms = (),
) -> list[Canvas] | None:
    """The companies named by exact slug, from a warm index without a full load, or None.

    None means only `load_library` can answer (a name that is not a slug, a new, edited or
    broken post, no index); the canvases returned are exactly those it would give.
    """
    from canvascli.store import sync

    slugs = [fold_name(name) for name in names]
    return sync.named_canvases(
        location.path,
        slugs,
        include_unpublished=include_unpublished,
        cache_dir=cache_dir,
        synonyms=synonyms,
    )


def finish_library(library: Library, *, include_unpublished: bool) -> Library:
    """Drop unpublished posts unless asked for them, and posts whose slug is taken.

    A post's first canvas has the post's own slug; a later canvas of a post that holds
    several never takes a slug another canvas has, but is numbered on (`-2`, `-3`) in
    path order, so that the same library always gives the same slugs. A post read with
    errors never takes a slug from one read without: a broken copy never hides the post.
    """
    own_slugs = {
        summary.slug
        for summary in library.summaries
        if not summary.part and (include_unpublished or summary.is_published)
    }
    sound_owners: dict[str, str] = {}
    for summary in library.summaries:
        read_whole = not summary.part and not summary.has_errors
        if read_whole and (include_unpublished or summary.is_published):
            sound_owners.setdefault(summary.slug, summary.source)
    several = {summary.source for summary in library.summaries if summary.part}
    by_slug: dict[str, Summary] = {}
    kept: list[Summary] = []
    for summary in library.summaries:
        if summary.has_errors:
            errors = [d for d in summary.diagnostics if d.severity == "error"]
            library.problems.extend(PostProblem(summary.source, error) for error in errors)
            if any(error.code == NO_TEXT for error in errors):
                continue  # a post without text is reported, but is no company
        if not include_unpublished and not summary.is_published:
            library.unpublished.append(summary)
            continue
        if summary.part and (summary.slug in own_slugs or summary.slug in by_slug):
            summary = summary._replace(slug=_free_slug(summary.slug, own_slugs, by_slug))
            library.renamed = True
        sound = sound_owners.get(summary.slug)
        if summary.has_errors and sound is not None and summary.slug not in by_slug:
            message = (
                f"slug '{summary.slug}' is also used by {sound}, which reads without errors; "
                "skipped"
            )
            library.problems.append(PostProblem(summary.source, Diagnostic.of("CV301", message)))
            continue
        first = by_slug.get(summary.slug)
        if first is not None:
            message = f"slug '{summary.slug}' is already used by {first.source}; skipped"
            library.problems.append(PostProblem(summary.source, Diagnostic.of("CV301", message)))
            library.renamed = library.renamed or summary.source in several
            continue
        by_slug[summary.slug] = summary
        kept.append(summary)
    library.summaries = kept
    library.problems.sort(key=lambda problem: problem.path)
    return library


def _free_slug(slug: str, *taken: Container[str]) -> str:
    number = 2
    while any(f"{slug}-{number}" in slugs for slugs in taken):
        number += 1
    return f"{slug}-{number}"


def find_company(canvases: Sequence[Summary], name: str, where: str) -> Summary:
    """A company by slug, by name in any case, or by a prefix or a whole word only it has.

    What is typed and what is stored are folded alike, so that a slug that changes under
    case folding (`straße`, `οδος`) still names its own company. A word is one of the
    slug's hyphenated words or of the name's words: `rockets` names `acme-rockets`.
    """
    wanted = fold_name(name)
    for matches in (
        [canvas for canvas in canvases if canvas.slug == wanted],
        [canvas for canvas in canvases if fold_name(canvas.slug) == wanted],
        [canvas for canvas in canvases if fold_name(canvas.name) == wanted],
        [canvas for canvas in canvases if wanted and _starts_or_has_word(canvas, wanted)],
    ):
        if len(matches) == 1:
            return matches[0]
        if len(matches) > 1:
            slugs = sorted(canvas.slug for canvas in matches)
            raise AmbiguousCompanyError(
                f"company {quoted(name)} is ambiguous in {where}: {', '.join(slugs)}", name, slugs
            )
    close = _nearest_slugs(canvases, wanted)
    hint = f"; did you mean '{close[0]}'?" if close else ""
    raise CompanyNotFoundError(f"no company {quoted(name)} in {where}{hint}", name, close)


def _unpublished_named(unpublished: Sequence[Summary], name: str) -> Summary | None:
    try:
        return find_company(unpublished, name, "")
    except CompanyNotFoundError:
        return None


def _company_words(canvas: Summary) -> list[str]:
    """The words a company may be called by: those of its slug and of its name, folded."""
    return [*fold_name(canvas.slug).split("-"), *fold_name(canvas.name).split()]


def _starts_or_has_word(canvas: Summary, wanted: str) -> bool:
    return (
        fold_name(canvas.slug).startswith(wanted)
        or fold_name(canvas.name).startswith(wanted)
        or wanted in _company_words(canvas)
    )


# How alike (difflib's ratio) a typed name must be to a slug, a name or one of their
# words to be offered as a did-you-mean.
_NEAR_CUTOFF = 0.6


def _nearest_slugs(canvases: Sequence[Summary], wanted: str) -> list[str]:
    """Up to three slugs whose slug, name or a word of either is nearest to `wanted`."""
    slug_of: dict[str, str] = {}
    for canvas in canvases:
        for candidate in (canvas.slug, fold_name(canvas.name), *_company_words(canvas)):
            slug_of.setdefault(candidate, canvas.slug)
    close = close_matches(wanted, slug_of, n=max(1, len(slug_of)), cutoff=_NEAR_CUTOFF)
    slugs: list[str] = []
    for candidate in close:
        if slug_of[candidate] not in slugs:
            slugs.append(slug_of[candidate])
    return slugs[:3]
