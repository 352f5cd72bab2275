"""A search of every company from the full-text rows alone: given only while they were made
from the posts as they are now, else through the whole library, with the same output."""

from __future__ import annotations

import json
import marshal
import os
import shutil
import sqlite3
import threading
import time
import zlib
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from benchmarks.generate import generate_library
from canvascli.analyse import search
from canvascli.model import Block
from canvascli.store import index as stored
from canvascli.store.files import Location
from canvascli.store.index import RACY_WINDOW_NS, checksum, index_path
from tests.helpers import Process, Run
from tests.test_kept_answers import CHANGES
from tests.test_unspaced_scripts import UNSPACED, WILD

Outcome = tuple[int, str, str]
BLOCK_KEYS = [block.key for block in Block]
SEVERAL_WORDS = 'customers "community edition" develop*'


@pytest.fixture
def library(tmp_path: Path) -> Path:
    folder = tmp_path / "_posts"
    generate_library(folder, 12)
    return folder


def searched(run: Run, cache: Path, folder: Path, *extra: str, query: str = "customers") -> Outcome:
    result = run(
        "search", query, "--posts", str(folder), *extra, env={"CANVASCLI_CACHE_DIR": str(cache)}
    )
    return result.exit_code, result.stdout, result.stderr


def uncached(run: Run, cache: Path, folder: Path, *extra: str, query: str = "customers") -> Outcome:
    return searched(run, cache, folder, *extra, "--no-cache", query=query)


@pytest.fixture
def shortcuts(monkeypatch: pytest.MonkeyPatch) -> list[bool]:
    """Whether each search was answered from the full-text rows alone."""
    answered: list[bool] = []
    as_made = search.search_as_made

    def counted(*args: object, **kwargs: object) -> search.SearchResults | None:
        found = as_made(*args, **kwargs)  # type: ignore[arg-type]
        answered.append(found is not None)
        return found

    monkeypatch.setattr(search, "search_as_made", counted)
    return answered


@pytest.fixture
def search_ahead(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> bool:
    """Whether the search runs ahead, beside the look at every post, as it does for a big
    library: each test taking it is run both ways, with the same outcome."""
    ahead = bool(request.param)
    if ahead:
        monkeypatch.setattr(search, "SEARCH_AHEAD_MIN_BYTES", 0)
    return ahead


EITHER_WAY = pytest.mark.parametrize(
    "search_ahead", [False, True], ids=["after-looking", "ahead"], indirect=True
)


@pytest.fixture
def searches_after_looking(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The thread of each search of the full-text rows as they stand."""
    threads: list[str] = []
    search_rows = stored._search_stored_rows

    def counted(*args: Any, **kwargs: Any) -> stored.StoredSearch | None:
        threads.append(threading.current_thread().name)
        return search_rows(*args, **kwargs)

    monkeypatch.setattr(stored, "_search_stored_rows", counted)
    return threads


@EITHER_WAY
@pytest.mark.usefixtures("settled_clock", "search_ahead")
@pytest.mark.parametrize(
    "extra",
    [(), ("--json",), ("--limit", "3"), ("--section", "channels"), ("--json", "-n", "500")],
)
def test_an_unchanged_library_is_searched_without_reading_every_summary(
    run: Run,
    library: Path,
    tmp_path: Path,
    shortcuts: list[bool],
    extra: tuple[str, ...],
) -> None:
    cache = tmp_path / "cache"
    expected = uncached(run, cache, library, *extra)
    assert expected[0] == 0
    for _ in range(4):
        assert searched(run, cache, library, *extra) == expected
    # Without the index; building it; keeping what the full-text rows were made from.
    assert shortcuts == [False, False, False, True, True]


@EITHER_WAY
@pytest.mark.usefixtures("settled_clock", "search_ahead")
def test_other_queries_are_answered_from_the_same_rows(
    run: Run,
    library: Path,
    tmp_path: Path,
    shortcuts: list[bool],
) -> None:
    cache = tmp_path / "cache"
    searched(run, cache, library)
    searched(run, cache, library)
    shown = searched(run, cache, library, query=SEVERAL_WORDS)
    assert "community edition" in shown[1].lower()
    assert shortcuts == [False, False, True]
    shutil.rmtree(cache)
    assert searched(run, cache, library, query=SEVERAL_WORDS) == shown


def two_posts_with_one_slug(folder: Path) -> None:
    (folder / "more").mkdir()
    post = sorted(folder.glob("*.md"))[0]
    shutil.copy(post, folder / "more" / post.name)


SEARCH_CHANGES: dict[str, Callable[[Path], None]] = {
    **CHANGES,
    "two posts with one slug": two_posts_with_one_slug,
}


@EITHER_WAY
@pytest.mark.usefixtures("settled_clock", "search_ahead")
@pytest.mark.parametrize("change", SEARCH_CHANGES)
def test_the_rows_are_not_searched_alone_once_the_library_changed(
    run: Run, library: Path, tmp_path: Path, change: str
) -> None:
    cache = tmp_path / "cache"
    before = searched(run, cache, library, "-n", "500")
    assert searched(run, cache, library, "-n", "500") == before
    SEARCH_CHANGES[change](library)
    expected = uncached(run, cache, library, "-n", "500")
    for attempt in range(3):
        assert searched(run, cache, library, "-n", "500") == expected, attempt


@EITHER_WAY
@pytest.mark.usefixtures("settled_clock", "search_ahead")
def test_a_search_of_some_companies_or_of_unpublished_posts_between_changes_nothing(
    run: Run, library: Path, tmp_path: Path, shortcuts: list[bool]
) -> None:
    """Those search other posts, or keep rows made from others: the next search of every
    company must not take them for its own."""
    cache = tmp_path / "cache"
    (library / "2020-04-04-draft.md").write_text(
        "---\ntitle: Draft\npublished: false\n---\n\n### Channels\n\nCustomers by post.\n"
    )
    expected = uncached(run, cache, library)
    first = sorted(library.glob("*.md"))[1].stem[11:]
    for extra in ((), ("-c", first), ("--unpublished",), (), ("--unpublished",), ()):
        assert searched(run, cache, library, *extra) == uncached(run, cache, library, *extra)
    assert searched(run, cache, library) == expected
    assert True in shortcuts


@EITHER_WAY
@pytest.mark.usefixtures("settled_clock", "search_ahead")
def test_a_word_found_nowhere_is_said_so_from_the_rows_alone(
    run: Run, library: Path, tmp_path: Path, shortcuts: list[bool]
) -> None:
    cache = tmp_path / "cache"
    searched(run, cache, library)
    searched(run, cache, library)
    nothing = searched(run, cache, library, query="zyzzyva")
    expected = uncached(run, cache, library, query="zyzzyva")
    assert expected[0] != 0
    assert nothing == expected
    assert shortcuts[2] is True


@EITHER_WAY
@pytest.mark.usefixtures("settled_clock", "search_ahead")
def test_damage_to_the_full_text_rows_is_found_and_rebuilt(
    run: Run, library: Path, tmp_path: Path
) -> None:
    cache = tmp_path / "cache"
    expected = uncached(run, cache, library)
    searched(run, cache, library)
    searched(run, cache, library)
    path = index_path(library, cache)
    with sqlite3.connect(path) as connection:
        connection.execute("UPDATE search_text_data SET block = block || x'00' WHERE id = 1")
    connection.close()
    code, stdout, stderr = searched(run, cache, library)
    assert (code, stdout) == expected[:2]
    assert stderr == f"canvas: index at {path} was damaged; rebuilt\n" + expected[2]
    assert searched(run, cache, library) == expected


@EITHER_WAY
@pytest.mark.usefixtures("search_ahead")
def test_the_best_hits_are_those_a_filtered_search_ranks_first_ties_and_all(
    run: Run, tmp_path: Path
) -> None:
    """Ranked by score alone first, the best hits still break ties by company and section
    as a search through a block filter (ranked in one statement) does, at every limit."""
    folder = tmp_path / "_posts"
    sentence = "Customers pay monthly."
    for number, name in enumerate(("delta", "alpha", "charlie", "bravo", "echo")):
        (folder / f"2020-01-0{number + 1}-{name}.md").parent.mkdir(exist_ok=True)
        (folder / f"2020-01-0{number + 1}-{name}.md").write_text(
            f"---\ntitle: {name.title()}\n---\n\n### Channels\n\n{sentence}\n\n"
            f"### Revenue Streams\n\n{sentence}\n\n### Cost Structure\n\nCustomers.\n"
        )
    every_block = [option for key in BLOCK_KEYS for option in ("--section", key)]
    env = {"CANVASCLI_CACHE_DIR": str(tmp_path / "cache")}
    command = ("search", "customers", "--posts", str(folder), "--json")
    ranked = json.loads(run(*command, "-n", "100", *every_block, env=env).stdout)
    scores = [hit["score"] for company in ranked for hit in company["hits"]]
    assert len(scores) == 15 and len(set(scores)) < 15, "ties to break"
    for limit in range(1, 16):
        best = run(*command, "-n", str(limit), env=env)
        assert best.stdout == run(*command, "-n", str(limit), *every_block, env=env).stdout


@EITHER_WAY
@pytest.mark.usefixtures("settled_clock", "search_ahead")
@pytest.mark.parametrize("query", ["蔬菜", "茶葉", "앱", "กาแฟ"])
def test_words_inside_runs_of_unspaced_scripts_are_found_from_the_rows_alone(
    run: Run, tmp_path: Path, shortcuts: list[bool], query: str
) -> None:
    folder = tmp_path / "_posts"
    folder.mkdir()
    for name in UNSPACED:
        shutil.copy(WILD / f"{name}.md", folder)
    cache = tmp_path / "cache"
    expected = uncached(run, cache, folder, query=query)
    assert expected[0] == 0
    for _ in range(3):
        assert searched(run, cache, folder, query=query) == expected
    assert shortcuts[-1] is True


@pytest.mark.parametrize("search_ahead", [True], ids=["ahead"], indirect=True)
@pytest.mark.usefixtures("settled_clock", "search_ahead")
def test_the_search_run_ahead_is_taken_while_the_rows_are_of_the_posts_as_they_are(
    run: Run, library: Path, tmp_path: Path, searches_after_looking: list[str]
) -> None:
    cache = tmp_path / "cache"
    expected = uncached(run, cache, library)
    searched(run, cache, library)
    searched(run, cache, library)
    searches_after_looking.clear()
    assert searched(run, cache, library) == expected
    assert searches_after_looking == ["search-ahead"]


@pytest.mark.usefixtures("settled_clock")
@pytest.mark.usefixtures("settled_clock")
def test_a_search_run_ahead_of_rows_made_again_since_is_not_taken(
    run: Run,
    library: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    shortcuts: list[bool],
    searches_after_looking: list[str],
) -> None:
    """Another search remade the rows, for a post edited to hold the word, after this one
    ran ahead and found the word nowhere: the posts it would show are unchanged, yet its
    answer must give way to one from the rows as they are now."""
    monkeypatch.setattr(search, "SEARCH_AHEAD_MIN_BYTES", 0)
    cache = tmp_path / "cache"
    searched(run, cache, library)
    searched(run, cache, library)
    location = Location(library, "--posts")
    stale = search.search_ahead(location, cache, search.parse_query("zyzzyva"))
    assert stale is not None
    found = stale.found()
    assert found is not None and found.answer.matches == []
    post = sorted(library.glob("*.md"))[0]
    post.write_text(post.read_text().replace("Customers", "Customers zyzzyva", 1))
    for _ in range(3):  # the post read again, the rows remade, and what from kept
        searched(run, cache, library, query="zyzzyva")
    assert shortcuts[-1] is True
    expected = uncached(run, cache, library, query="zyzzyva")
    assert expected[0] == 0
    monkeypatch.setattr(search, "search_ahead", lambda *_args, **_kwargs: stale)
    searches_after_looking.clear()
    assert searched(run, cache, library, query="zyzzyva") == expected
    assert shortcuts[-1] is True
    assert searches_after_looking == ["MainThread"]


def test_no_search_runs_ahead_of_a_small_index_or_of_none(
    run: Run, library: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    cache = tmp_path / "cache"
    location = Location(library, "--posts")
    query = search.parse_query("customers")
    assert search.search_ahead(location, cache, query) is None
    monkeypatch.setattr(search, "SEARCH_AHEAD_MIN_BYTES", 0)
    ahead = search.search_ahead(location, cache, query)
    assert ahead is not None and ahead.found() is None
    ahead.stop()
    assert not cache.exists(), "only read, never made"
    searched(run, cache, library)
    monkeypatch.undo()
    assert index_path(library, cache).stat().st_size < search.SEARCH_AHEAD_MIN_BYTES
    assert search.search_ahead(location, cache, query) is None


def stamps_kept_as(blob: bytes) -> Callable[[sqlite3.Connection], None]:
    """Damage that keeps `blob` as the stamps of the searched posts, its checks made to hold."""

    def damage(connection: sqlite3.Connection) -> None:
        fts_checksum, posts = connection.execute(
            "SELECT checksum, posts FROM search_check"
        ).fetchone()
        values = (fts_checksum, posts, zlib.crc32(blob))
        connection.execute(
            "UPDATE search_check SET stamps = ?, stamps_checksum = ?, row_checksum = ?",
            (blob, values[2], checksum(values)),
        )

    return damage


def stamps_one_ahead(connection: sqlite3.Connection) -> None:
    (blob,) = connection.execute("SELECT stamps FROM search_check").fetchone()
    stamps_kept_as(marshal.dumps({path: stamp + 1 for path, stamp in marshal.loads(blob).items()}))(
        connection
    )


def stamps_not_of_their_crc(connection: sqlite3.Connection) -> None:
    connection.execute("UPDATE search_check SET stamps = x'00'")


STAMP_DAMAGES: dict[str, Callable[[sqlite3.Connection], None]] = {
    "bytes that fail their CRC": stamps_not_of_their_crc,
    "a list, its checks holding": stamps_kept_as(marshal.dumps([1, 2])),
    "stamps the rows do not have, their checks holding": stamps_one_ahead,
}


@pytest.mark.usefixtures("settled_clock")
@pytest.mark.parametrize("damage", STAMP_DAMAGES)
def test_damage_to_the_stamps_of_the_searched_posts_is_found_once_one_is_edited(
    run: Run, library: Path, tmp_path: Path, damage: str
) -> None:
    """The full-text rows are brought up to date from the stamps kept of the posts they
    were made from: damaged, they are found so, and the index rebuilt."""
    cache = tmp_path / "cache"
    for _ in range(3):
        searched(run, cache, library, "-n", "500")
    with sqlite3.connect(index_path(library, cache)) as connection:
        STAMP_DAMAGES[damage](connection)
    connection.close()
    post = sorted(library.glob("*.md"))[3]
    post.write_text(post.read_text().replace("Customers", "Consumers"))
    expected = uncached(run, cache, library, "-n", "500")
    code, stdout, stderr = searched(run, cache, library, "-n", "500")
    assert (code, stdout) == expected[:2]
    assert stderr == f"canvas: index at {index_path(library, cache)} was damaged; rebuilt\n"
    assert searched(run, cache, library, "-n", "500") == expected


UNSHOWN_DAMAGES = {
    "its section row lost": "DELETE FROM search_sections WHERE id = ?",
    "its length made longer": "UPDATE search_text_docsize SET sz = x'7f' WHERE id = ?",
}


@EITHER_WAY
@pytest.mark.usefixtures("settled_clock", "search_ahead")
@pytest.mark.parametrize("damage", UNSHOWN_DAMAGES)
def test_damage_to_a_match_ranked_too_low_to_be_shown_is_found(
    run: Run, library: Path, tmp_path: Path, damage: str
) -> None:
    """A match is ranked by its length as FTS5 keeps it, and shown with its section row:
    either damaged, even where it ranks below what is shown, is found."""
    cache = tmp_path / "cache"
    expected = uncached(run, cache, library, "-n", "3")
    for _ in range(3):
        assert searched(run, cache, library, "-n", "3") == expected
    with sqlite3.connect(index_path(library, cache)) as connection:
        scores = connection.execute(
            "SELECT rowid, bm25(search_text) FROM search_text WHERE search_text MATCH ? "
            "ORDER BY 2 DESC",
            ('"customers"',),
        ).fetchall()
        assert scores[0][1] > scores[-1][1] and len(scores) > 3
        connection.execute(UNSHOWN_DAMAGES[damage], (scores[0][0],))
    connection.close()
    code, stdout, stderr = searched(run, cache, library, "-n", "3")
    assert (code, stdout) == expected[:2]
    assert stderr == f"canvas: index at {index_path(library, cache)} was damaged; rebuilt\n"


@pytest.mark.usefixtures("settled_clock")
def test_rows_made_again_by_another_run_before_one_checked_its_own_are_not_taken_for_its(
    run: Run, library: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Two runs make the full-text rows for different posts (one of them, say, with
    `--unpublished`), the second between the first's making them and its checking what it
    made: the first's check must not claim the second's rows, nor keep a later search of
    other posts from dropping rows of posts it does not search."""
    cache = tmp_path / "cache"
    for _ in range(2):
        searched(run, cache, library)
    query = search.parse_query("customers")
    request = stored.SearchRequest(query.fts(), any_term=query.any_term())
    first, second = stored.Index.open(library, cache), stored.Index.open(library, cache)
    stamps = first.states()
    every = sorted(stamps)
    save = stored.Index._save_full_text_checksum

    def saved_late(index: stored.Index, made: stored.FullTextMade) -> None:
        if index is first:
            second.search(every, search._sections_of_record, request, stamps)
        save(index, made)

    monkeypatch.setattr(stored.Index, "_save_full_text_checksum", saved_late)
    first.search(every[:-1], search._sections_of_record, request, stamps)
    monkeypatch.undo()
    first.close()
    second.close()
    fewer = every[:-2]
    for _ in range(2):
        with stored.Index.open(library, cache) as index:
            answer = index.search(fewer, search._sections_of_record, request, stamps)
        assert {match.path for match in answer.matches} <= set(fewer)


@pytest.mark.e2e
def test_real_processes_search_from_the_rows_alone_and_see_an_edit(
    library: Path, tmp_path: Path, canvas_process: Process
) -> None:
    time.sleep(RACY_WINDOW_NS / 1e9)  # so that the posts are settled and the rows kept
    env = {"CANVASCLI_CACHE_DIR": str(tmp_path / "cache")}
    command = ("search", "customers", "--posts", str(library), "--json", "-n", "500")
    expected = canvas_process(*command, "--no-cache", env=env).stdout
    for attempt in range(3):
        assert canvas_process(*command, env=env).stdout == expected, attempt
    post = sorted(library.glob("*.md"))[0]
    times = post.stat()
    post.write_text(post.read_text().replace("Customers", "Consumers"))
    os.utime(post, ns=(times.st_atime_ns, times.st_mtime_ns))
    edited = canvas_process(*command, env=env).stdout
    assert edited == canvas_process(*command, "--no-cache", env=env).stdout != expected
