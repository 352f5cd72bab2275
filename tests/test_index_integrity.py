"""The index never gives a wrong answer: damage to it is found and rebuilt, and a post
changed behind its back (swapped, edited with its time put back, made a link) is read again."""

from __future__ import annotations

import json
import os
import random
import shutil
import sqlite3
import time
import zlib
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import NamedTuple

import pytest
from hypothesis import settings

from benchmarks.generate import generate_library
from canvascli.cli import main
from canvascli.store import sync
from canvascli.store.index import (
    _RECORD_DICTIONARY,
    RACY_WINDOW_NS,
    SCHEMA_VERSION,
    index_files,
    index_path,
    pack_record,
    record_checksum,
    unpack_record,
)
from tests.conftest import PINNED_ENV, captured_env, written
from tests.helpers import Process, Run

POSTS = 12
TWO_CANVASES = Path(__file__).parent / "data" / "wild" / "two_companies_one_post.md"
# Every command that reads a library, each with what it needs to name.
COMMANDS = (
    ("list",),
    ("list", "--json"),
    ("show", "acme-data-0"),
    ("show", "globex-data-1", "--json"),
    ("compare", "acme-data-0", "globex-data-1"),
    ("search", "energy"),
    ("search", "customers", "--section", "channels"),
    ("stats",),
    ("similar", "acme-data-0"),
    ("sections",),
    ("export", "--format", "csv"),
    ("check",),
)


class Outcome(NamedTuple):
    code: int
    stdout: str
    stderr: str


# A library, its settled index's bytes, and what every command answers without an index.
Pristine = tuple[Path, bytes, dict[tuple[str, ...], Outcome]]


def canvas(folder: Path, cache: Path, *args: str, no_cache: bool = False) -> Outcome:
    """`canvas ARGS --posts FOLDER`, in-process, through the same `main` as the command."""
    environ = {name: value for name, value in os.environ.items() if "CANVASCLI" not in name}
    environ.update(PINNED_ENV)
    environ["CANVASCLI_CACHE_DIR"] = str(cache)
    env, _ = captured_env(environ, folder.parent)
    library: tuple[str, ...] = () if args[0] == "sections" else ("--posts", str(folder))
    # `sections` reads no post.
    library += ("--no-cache",) if no_cache and args[0] != "sections" else ()
    code = int(main([*args, *library], env))
    return Outcome(code, written(env.stdout).decode(), written(env.stderr).decode())


def rebuilt_warning(folder: Path, cache: Path) -> str:
    return f"canvas: index at {index_path(folder, cache)} was damaged; rebuilt\n"


def assert_same_or_rebuilt(damaged: Outcome, expected: Outcome, warning: str) -> bool:
    """The damaged run answered as `--no-cache` did, after at most the one warning;
    whether it gave the warning."""
    assert (damaged.code, damaged.stdout) == (expected.code, expected.stdout)
    if damaged.stderr == expected.stderr:
        return False
    assert damaged.stderr == warning + expected.stderr
    return True


def generate_posts(folder: Path) -> None:
    """Generated posts, and one post that holds two companies' canvases."""
    generate_library(folder, POSTS)
    shutil.copy(TWO_CANVASES, folder / TWO_CANVASES.name)


@pytest.fixture
def library(tmp_path: Path) -> Path:
    folder = tmp_path / "_posts"
    generate_posts(folder)
    return folder


@pytest.fixture
def cache(tmp_path: Path) -> Path:
    return tmp_path / "cache"


def settled_index(folder: Path, cache: Path) -> Path:
    """The index after every command has filled what it keeps, with its log folded in,
    so that the whole index is the one file."""
    for args in COMMANDS:
        canvas(folder, cache, *args)
    path = index_path(folder, cache)
    with sqlite3.connect(path) as connection:
        connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    connection.close()
    for log in index_files(path)[1:]:
        log.unlink(missing_ok=True)
    return path


def without_cache(folder: Path, cache: Path) -> dict[tuple[str, ...], Outcome]:
    return {args: canvas(folder, cache, *args, no_cache=True) for args in COMMANDS}


# --- Damage found by SQLite, by a checksum, or by a value of the wrong kind ---------------


# Each damage, and a command that reads what it damages.
DAMAGES = {
    "a schema version that is no number": (
        "UPDATE meta SET value = 'l1' WHERE key = 'schema'",
        ("list",),
    ),
    "a stored record": (
        "UPDATE records SET record = substr(record, 1, 8) || x'00' || substr(record, 10)",
        ("export", "--format", "csv"),
    ),
    "a stored record's kind": (
        "UPDATE records SET record = CAST(record AS TEXT)",
        ("show", "acme-data-0"),
    ),
    "a stored record that does not unpack, with a checksum that holds": (
        "UPDATE records SET record = x'0001020304', checksum = "
        + str(record_checksum("2016-01-01-acme-data-0.md", bytes(range(5))))
        + " WHERE path = '2016-01-01-acme-data-0.md'",
        ("show", "acme-data-0"),
    ),
    "a record lost": ("DELETE FROM records", ("compare", "acme-data-0", "globex-data-1")),
    "a stored post row": ("UPDATE posts SET name = name || 'x'", ("show", "acme-data-0")),
    "the snapshot": (
        "UPDATE snapshot SET rows = substr(rows, 1, length(rows) - 3) || x'000000'",
        ("list", "--json"),
    ),
    "the stored walk": (
        "UPDATE listing SET paths = substr(paths, 1, 40)",
        ("similar", "acme-data-0"),
    ),
    "the head of the stored walk": (
        "UPDATE listing SET head = substr(head, 1, 20)",
        ("show", "acme-data-0"),
    ),
    "the summary of every post": (
        "UPDATE post_set SET shared_slugs = 0, errors = 1",
        ("show", "acme-data-0"),
    ),
    "the search text": (
        "UPDATE search_sections SET heading = heading || 'x'",
        ("search", "energy"),
    ),
    "a lost search section": ("DELETE FROM search_sections", ("search", "energy")),
    "the summary of the full-text index": (
        "UPDATE search_check SET posts = 'x' || posts",
        ("search", "energy"),
    ),
    "the length of a section in the full-text index": (
        "UPDATE search_text_docsize SET sz = x'7f'",
        ("search", "energy"),
    ),
    "a list of the full-text index": (
        "UPDATE search_text_data SET block = block || x'00' WHERE id = 1",
        ("search", "customers", "--section", "channels"),
    ),
    "the stored terms": ("UPDATE post_terms SET terms = 'x' || terms", ("stats",)),
    "what check found": (
        """UPDATE post_checks SET diagnostics = '[["CV204",1,1,"block is empty"]]'""",
        ("check",),
    ),
    "a later canvas of a post": (
        "UPDATE more_canvases SET summaries = replace(summaries, 'lunch', 'lurch')",
        ("list", "--json"),
    ),
    "a kept answer": (
        "UPDATE answers SET answer = CAST(replace(answer, 'acme', 'acne') AS BLOB)",
        ("list", "--json"),
    ),
}


def damaged_index(pristine: Pristine, cache: Path, damage: bytes | str) -> Path:
    """The settled index of the pristine library in `cache`, damaged by bytes or by SQL."""
    folder, data, _expected = pristine
    path = index_path(folder, cache)
    cache.mkdir(exist_ok=True)
    for part in index_files(path):
        part.unlink(missing_ok=True)
    if isinstance(damage, bytes):
        path.write_bytes(damage)
        return path
    path.write_bytes(data)
    with sqlite3.connect(path) as connection:
        connection.execute(damage)
    connection.close()
    return path


@pytest.mark.parametrize("damage", DAMAGES)
def test_damage_to_what_the_index_stores_is_found_and_rebuilt_once(
    pristine: Pristine, tmp_path: Path, damage: str
) -> None:
    folder, _data, expected = pristine
    cache = tmp_path / "cache"
    statement, args = DAMAGES[damage]
    damaged_index(pristine, cache, statement)
    outcome = canvas(folder, cache, *args)
    assert assert_same_or_rebuilt(outcome, expected[args], rebuilt_warning(folder, cache))
    assert canvas(folder, cache, *args) == expected[args], "rebuilt once, then quiet"


def test_an_index_that_cannot_be_rebuilt_means_a_run_in_memory(
    pristine: Pristine, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder, _data, expected = pristine
    cache = tmp_path / "cache"
    statement, _args = DAMAGES["a schema version that is no number"]
    path = damaged_index(pristine, cache, statement)
    monkeypatch.setattr(sync, "discard", lambda path: None)
    for args in (("list",), ("show", "acme-data-0"), ("search", "energy"), ("stats",)):
        outcome = canvas(folder, cache, *args)
        assert (outcome.code, outcome.stdout) == (expected[args].code, expected[args].stdout)
        warning, *rest = outcome.stderr.splitlines(keepends=True)
        assert warning.startswith(f"canvas: index at {path} was damaged and could not be rebuilt")
        assert warning.endswith("; running without the index\n")
        assert "".join(rest) == expected[args].stderr


def test_a_damaged_index_file_is_rebuilt_by_a_real_process(
    pristine: Pristine, tmp_path: Path, canvas_process: Process
) -> None:
    folder, data, _expected = pristine
    cache = tmp_path / "cache"
    damaged = bytearray(data)
    damaged[len(data) // 2 : len(data) // 2 + 4096] = random.Random(4).randbytes(4096)
    damaged_index(pristine, cache, bytes(damaged))
    env = {"CANVASCLI_CACHE_DIR": str(cache)}
    search = ("search", "energy", "--posts", str(folder))
    expected = canvas_process(*search, "--no-cache", env=env)
    first = canvas_process(*search, env=env)
    assert (first.returncode, first.stdout) == (expected.returncode, expected.stdout)
    assert first.stderr in ("", rebuilt_warning(folder, cache))
    again = canvas_process(*search, env=env)
    assert (again.returncode, again.stdout, again.stderr) == (0, expected.stdout, "")


# --- The randomized fault test --------------------------------------------------------------

# A few seeds in the everyday run; HYPOTHESIS_PROFILE=thorough runs thirty times as many.
FAULT_SEEDS = max(6, settings().max_examples // 16)
FAULTS = ("truncate", "overwrite", "flip")


def corrupted(data: bytes, seed: int) -> tuple[str, bytes]:
    """The index file with one kind of fault, chosen and placed by `seed`."""
    chance = random.Random(seed)
    fault = FAULTS[seed % len(FAULTS)]
    damaged = bytearray(data)
    if fault == "truncate":
        del damaged[chance.randrange(len(data)) :]
    elif fault == "overwrite":
        for _ in range(chance.randint(1, 3)):
            start = chance.randrange(len(data))
            length = chance.randint(1, 4096)
            damaged[start : start + length] = chance.randbytes(length)[: len(data) - start]
    else:
        for _ in range(chance.randint(1, 8)):
            bit = chance.randrange(len(data) * 8)
            damaged[bit // 8] ^= 1 << (bit % 8)
    return fault, bytes(damaged)


@pytest.fixture(scope="module")
def pristine(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Pristine]:
    """A library, its settled index's bytes, and what every command answers without it."""
    folder = tmp_path_factory.mktemp("faults") / "_posts"
    generate_posts(folder)
    # Older than the racy window, so that no later run changes the index by settling them.
    time.sleep(RACY_WINDOW_NS / 1e9)
    cache = folder.parent / "cache"
    expected = without_cache(folder, cache)
    yield folder, settled_index(folder, cache).read_bytes(), expected


@pytest.mark.parametrize("seed", range(FAULT_SEEDS))
def test_a_corrupted_index_gives_the_answers_of_no_cache_or_one_warning_first(
    pristine: Pristine, tmp_path: Path, seed: int
) -> None:
    folder, data, expected = pristine
    cache = tmp_path / "cache"
    fault, damaged = corrupted(data, seed)
    rebuilt = 0
    for args in COMMANDS:
        damaged_index(pristine, cache, damaged)
        outcome = canvas(folder, cache, *args)
        rebuilt += assert_same_or_rebuilt(outcome, expected[args], rebuilt_warning(folder, cache))
    print(f"seed {seed} {fault}: {len(COMMANDS) - rebuilt} identical, {rebuilt} rebuilt")


# --- A post changed behind the index's back -------------------------------------------------


def list_and_show(run: Run, cache: Path, folder: Path, slug: str, *extra: str) -> list[object]:
    env = {"CANVASCLI_CACHE_DIR": str(cache)}
    listed = run("list", "--json", "--posts", str(folder), *extra, env=env)
    shown = run("show", slug, "--json", "--posts", str(folder), *extra, env=env)
    return [
        listed.exit_code,
        json.loads(listed.stdout),
        listed.stderr,
        shown.exit_code,
        shown.stdout,
        shown.stderr,
    ]


def same_size_post(path: Path, company: str) -> None:
    path.write_text(f"---\ntitle: {company}\n---\n\n### Channels\n\n* {company} shop\n")


@pytest.mark.usefixtures("settled_clock")
def test_two_posts_swapped_with_equal_size_and_time_are_read_again(
    run: Run, tmp_path: Path, cache: Path
) -> None:
    folder = tmp_path / "_posts"
    folder.mkdir()
    first, second = folder / "2020-01-01-first.md", folder / "2020-01-01-other.md"
    same_size_post(first, "Alpha")
    same_size_post(second, "Omega")
    for post in (first, second):
        os.utime(post, ns=(1_600_000_000_000_000_000,) * 2)
    list_and_show(run, cache, folder, "first")
    swap = folder / "swap.tmp"
    first.rename(swap)
    second.rename(first)
    swap.rename(second)
    expected = list_and_show(run, cache, folder, "first")
    assert "Omega" in str(expected[4])
    warm = list_and_show(run, cache, folder, "first")
    assert warm == expected
    uncached = list_and_show(run, cache, folder, "first", "--no-cache")
    assert uncached == expected


@pytest.mark.usefixtures("settled_clock")
def test_a_post_edited_with_its_time_put_back_is_read_again(
    run: Run, library: Path, cache: Path
) -> None:
    before = list_and_show(run, cache, library, "acme-data-0")
    (post,) = library.glob("*-acme-data-0.md")
    times = post.stat()
    post.write_text(post.read_text().replace("Education", "Educatiom"))
    os.utime(post, ns=(times.st_atime_ns, times.st_mtime_ns))
    assert post.stat().st_size == times.st_size
    after = list_and_show(run, cache, library, "acme-data-0")
    assert after != before
    assert "Educatiom" in str(after[4])
    no_cache = run("show", "acme-data-0", "--json", "--posts", str(library), "--no-cache")
    assert after[4] == no_cache.stdout


@pytest.mark.usefixtures("settled_clock")
def test_a_post_replaced_by_a_link_leading_out_is_reported_not_served(
    run: Run, library: Path, cache: Path, tmp_path: Path
) -> None:
    list_and_show(run, cache, library, "acme-data-0")
    (post,) = library.glob("*-acme-data-0.md")
    outside = tmp_path / "outside.md"
    outside.write_text(post.read_text().replace("Education", "Educatiom"))
    times = post.stat()
    os.utime(outside, ns=(times.st_atime_ns, times.st_mtime_ns))
    post.unlink()
    post.symlink_to(outside)
    env = {"CANVASCLI_CACHE_DIR": str(cache)}
    for attempt in range(2):
        listed = run("list", "--json", "--posts", str(library), env=env)
        assert listed.exit_code == 0
        assert "symlink points outside the library; not followed" in listed.stderr, attempt
        assert "acme-data-0" not in {entry["slug"] for entry in json.loads(listed.stdout)}
        shown = run("show", "acme-data-0", "--posts", str(library), env=env)
        assert shown.exit_code == 1
        assert "Educatiom" not in shown.stdout


@pytest.mark.e2e
def test_a_swap_and_a_touch_are_seen_by_real_processes(
    library: Path, cache: Path, canvas_process: Process
) -> None:
    env = {"CANVASCLI_CACHE_DIR": str(cache)}
    posts = sorted(library.glob("*.md"))
    for post in posts:
        os.utime(post, ns=(1_600_000_000_000_000_000,) * 2)
    canvas_process("list", "--posts", str(library), env=env)
    first = posts[0]
    text = first.read_text()
    first.write_text(text.replace("Education", "Educatiom"))
    os.utime(first, ns=(1_600_000_000_000_000_000,) * 2)
    shown = canvas_process("show", "acme-data-0", "--posts", str(library), env=env)
    assert "Educatiom" in shown.stdout
    no_cache = canvas_process("show", "acme-data-0", "--posts", str(library), "--no-cache")
    assert shown.stdout == no_cache.stdout


class _Label(str):
    """A string of a type of its own, as a front matter loader might give."""


def test_a_record_holding_values_of_other_types_is_kept_as_plain_data() -> None:
    record = {"metadata": {"title": _Label("Acme"), "tags": (_Label("b2b"), 1, 2.5, None)}}
    kept = unpack_record(pack_record(record))
    assert kept == {"metadata": {"title": "Acme", "tags": ["b2b", 1, 2.5, None]}}
    assert type(kept["metadata"]["title"]) is str


def test_a_record_keeps_every_plain_value_as_it_was() -> None:
    record: list[dict[str, object]] = [
        {"sections": [["customer-segments", "Kunden \ud800", 2, 7, [("item", "x", 0)], ""]]}
    ]
    record[0]["metadata"] = {"n": -0.0, "big": 2**70, "flag": True, "nested": {"a": [1, "2"]}}
    assert unpack_record(pack_record(record)) == record


@pytest.mark.parametrize("damage", [lambda packed: packed[:-1], lambda packed: packed + b"\0"])
def test_a_record_cut_short_or_run_on_does_not_unpack(damage: Callable[[bytes], bytes]) -> None:
    with pytest.raises(zlib.error):
        unpack_record(damage(pack_record({"slug": "acme", "sections": []})))


def test_the_dictionary_records_are_packed_with_changes_only_with_the_schema() -> None:
    """Records packed with one dictionary do not unpack with another: an index of another
    schema is made afresh, so a new dictionary must come with a new schema version."""
    assert (SCHEMA_VERSION, zlib.crc32(_RECORD_DICTIONARY)) == (21, 2355063734)
