"""Each post's terms, kept in the library's index file so `canvas stats` reads no post twice."""

from __future__ import annotations

import contextlib
from collections.abc import Container, Iterator

from canvascli.analyse.common_ground import CanvasTerms, canvas_terms
from canvascli.store.index import (
    SCHEMA_VERSION,
    CacheUnavailableError,
    Index,
    IndexDamagedError,
    StoredTerms,
)
from canvascli.store.library import Library

# Raise when what `canvas_terms` finds changes, so every post's terms are found again.
TERMS_VERSION = 3

# Stored terms are plain text, blocks split by RS and fields by US: several times faster
# to read back than JSON, which matters for tens of thousands of posts.
_BLOCKS = "\x1e"
_FIELDS = "\x1f"
_SEPARATORS = str.maketrans({_BLOCKS: "\ufffd", _FIELDS: "\ufffd"})


def encode_terms(terms: CanvasTerms) -> str:
    """`{"key-partners": [("microsoft", "Microsoft")]}` as "key-partners␟microsoft␟Microsoft"."""
    return _BLOCKS.join(
        _FIELDS.join([block, *(part.translate(_SEPARATORS) for pair in pairs for part in pair)])
        for block, pairs in terms.items()
    )


def decode_terms(text: str) -> CanvasTerms:
    found = {}
    for chunk in text.split(_BLOCKS) if text else ():
        block, *fields = chunk.split(_FIELDS)
        found[block] = zip(fields[::2], fields[1::2], strict=True)
    return found


def library_terms(library: Library, *, use_cache: bool = True) -> Iterator[CanvasTerms]:
    """Each company's terms (see `canvas_terms`), in the library's order, one at a time.

    With the index, a post's terms are worked out once and kept until the post changes;
    without it, or when it cannot be used or was not brought up to date, every canvas is read.
    """
    if use_cache and library.indexed:
        try:
            # Held as strings and decoded as consumed: ten thousand posts' worth of small
            # lists alive at once would keep the garbage collector busy for a second.
            return map(decode_terms, _cached_terms(library))
        except IndexDamagedError as damage:
            if library.rebuild_index(damage):
                with contextlib.suppress(CacheUnavailableError):
                    return map(decode_terms, _cached_terms(library))
        except CacheUnavailableError:
            pass
    return map(canvas_terms, library.canvases())


def _cached_terms(library: Library) -> list[str]:
    """Every company's encoded terms; those of new or changed posts are found and stored."""
    root = library.location.path
    version = f"{SCHEMA_VERSION}.{TERMS_VERSION}"
    with Index.open(root, library.cache_dir) as index:
        states = index.states()
        known = index.stored_terms()
        # The same display path the library gives each summary as its source.
        relatives = {str(root / relative): relative for relative in states}
        found: list[str] = []
        fresh: list[StoredTerms] = []
        for summary in library.summaries:
            relative = relatives.get(summary.source)
            if relative is not None and summary.part:
                # A later canvas of a post that holds several; no post's path ends so.
                relative = f"{relative}#{summary.part}"
            if relative is None:
                found.append(encode_terms(canvas_terms(library.canvas(summary))))
                continue
            stamp = states[_post_of(relative, states)]
            stored = known.get(relative)
            if stored is not None and (stored.stamp, stored.version) == (stamp, version):
                found.append(stored.terms)
                continue
            encoded = encode_terms(canvas_terms(library.canvas(summary)))
            found.append(encoded)
            fresh.append(StoredTerms(relative, stamp, version, encoded))
        gone = [path for path in known if _post_of(path, states) not in states]
        if fresh or gone:
            index.save_terms(fresh, gone)
    return found


def _post_of(key: str, states: Container[str]) -> str:
    """The post whose terms are kept under `key`: its path, or its path and `#part`."""
    return key if key in states else key.rpartition("#")[0]
