"""The on-disk index: same answers as without it, fast paths, and every fault it must survive."""

from __future__ import annotations

import contextlib
import gc
import json
import marshal
import os
import pty
import shutil
import signal
import sqlite3
import subprocess
import sys
import threading
import time
import zlib
from collections.abc import Callable
from pathlib import Path
from typing import IO, Any

import pytest

from benchmarks.generate import generate_library
from canvascli.store.files import Location
from canvascli.store.index import (
    RACY_WINDOW_NS,
    SCHEMA_VERSION,
    Index,
    PostListing,
    PostSet,
    all_indexes,
    index_files,
    index_path,
    paths_digest,
    row_hash,
)
from canvascli.store.library import load_library, load_named
from tests.conftest import POSTS, canvas_executable
from tests.helpers import CommandResult, Process, Run, read_terminal

PARSER_MODULES = ("mistune", "frontmatter", "yaml")


@pytest.fixture
def library(tmp_path: Path) -> Path:
    folder = tmp_path / "_posts"
    generate_library(folder, 40)
    return folder


@pytest.fixture
def cache_dir(tmp_path: Path) -> Path:
    return tmp_path / "cache"


def run_json(run: Run, cache: Path, *args: str) -> Any:
    result = run(*args, "--json", env={"CANVASCLI_CACHE_DIR": str(cache)})
    assert result.exit_code == 0, result.stderr
    assert result.stderr == "", result.stderr
    return json.loads(result.stdout)


def every_view(run: Run, cache: Path, folder: Path, *extra: str) -> list[Any]:
    listed = run_json(run, cache, "list", "--posts", str(folder), *extra)
    assert isinstance(listed, list)
    shown = [
        run_json(run, cache, "show", entry["slug"], "--posts", str(folder), *extra)
        for entry in listed[:5]
    ]
    return [listed, *shown]


def test_results_are_identical_with_and_without_the_index(
    run: Run, library: Path, cache_dir: Path
) -> None:
    cold = every_view(run, cache_dir, library)
    warm = every_view(run, cache_dir, library)
    uncached = every_view(run, cache_dir, library, "--no-cache")
    assert cold == warm == uncached
    assert len(cold[0]) == 40


def imported_modules(args: list[str], cache: Path, cwd: Path) -> set[str]:
    code = (
        "import sys\nfrom canvascli.__main__ import main\n"
        f"sys.argv = ['canvas', *{args!r}]\n"
        "try:\n    main()\nexcept SystemExit:\n    pass\n"
        "sys.stderr.write('\\n'.join(sorted(sys.modules)))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        cwd=cwd,
        check=True,
        env={**os.environ, "CANVASCLI_CACHE_DIR": str(cache)},
    )
    return set(result.stderr.split())


@pytest.mark.e2e
def test_a_warm_index_never_imports_the_parsers(
    library: Path, cache_dir: Path, tmp_path: Path
) -> None:
    cold = imported_modules(["list", "--posts", str(library)], cache_dir, tmp_path)
    # Plain posts are read without PyYAML or mistune: the reader itself is the mark.
    assert "canvascli.read.canvas" in cold
    for args in (
        ["list", "--posts", str(library)],
        ["show", "acme-data-0", "--posts", str(library)],
        # The first search fills the full-text tables from the index, the second reuses them.
        ["search", "customers", "--posts", str(library)],
        ["search", "customers", "--posts", str(library)],
    ):
        warm = imported_modules(args, cache_dir, tmp_path)
        assert not warm & {*PARSER_MODULES, "canvascli.read.canvas"}, args


@pytest.mark.e2e
def test_help_and_version_import_nothing_heavy(cache_dir: Path, tmp_path: Path) -> None:
    for args in (["--version"], ["--help"]):
        loaded = imported_modules(args, cache_dir, tmp_path)
        heavy = {
            "mistune",
            "frontmatter",
            "yaml",
            "sqlite3",
            "platformdirs",
            "canvascli.render.canvas_views",
        }
        assert not loaded & heavy, (args, loaded & heavy)
    for args in (["--version"], ["-V"]):
        loaded = imported_modules(args, cache_dir, tmp_path)
        # The version is printed before the command line is loaded.
        assert not loaded & {"rich", "typer", "canvascli.cli"}, (args, loaded)


@pytest.mark.e2e
def test_a_piped_compare_loads_neither_rich_console_nor_the_command_line(
    cache_dir: Path, tmp_path: Path
) -> None:
    args = ["compare", "memsql", "violin-memory"]
    imported_modules(args, cache_dir, tmp_path)
    loaded = imported_modules(args, cache_dir, tmp_path)
    heavy = {"rich.console", "rich.table", "typer", "click", "canvascli.cli", "mistune", "yaml"}
    assert not loaded & heavy, loaded & heavy


def index_file(library: Path, cache: Path) -> Path:
    return index_path(library, cache)


def snapshot_blob(library: Path, cache: Path) -> tuple[str, bytes]:
    with sqlite3.connect(index_file(library, cache)) as connection:
        row = connection.execute("SELECT format, rows FROM snapshot").fetchone()
    assert row is not None
    return row[0], row[1]


def set_snapshot(
    library: Path, cache: Path, snapshot_format: str, blob: bytes, *, checksum: bool = True
) -> None:
    """Store a snapshot; with `checksum=False` its old checksum stays, as damage would leave it."""
    with sqlite3.connect(index_file(library, cache)) as connection:
        connection.execute("UPDATE snapshot SET format = ?, rows = ?", (snapshot_format, blob))
        if checksum:
            connection.execute("UPDATE snapshot SET checksum = ?", (zlib.crc32(blob),))


def views_after_damage(run: Run, cache: Path, folder: Path) -> list[Any]:
    """`every_view`, once the first run has said, in one line, that it rebuilt the index."""
    result = run("list", "--posts", str(folder), "--json", env={"CANVASCLI_CACHE_DIR": str(cache)})
    assert result.exit_code == 0, result.stderr
    (warning,) = result.stderr.splitlines()
    assert warning == f"canvas: index at {index_file(folder, cache)} was damaged; rebuilt"
    views = every_view(run, cache, folder)
    assert views[0] == json.loads(result.stdout)
    return views


@pytest.mark.parametrize(
    ("damage", "checksum"),
    [
        ("garbage", False),
        ("truncated", False),
        ("a list", False),
        ("a list", True),
        ("another python", True),
    ],
)
# Settled, so that the rebuilt snapshot holds no content hash the first one did not, were
# the two written either side of the racy window.
@pytest.mark.usefixtures("settled_clock")
def test_a_damaged_snapshot_of_the_index_is_rebuilt_and_another_pythons_ignored(
    run: Run, library: Path, cache_dir: Path, damage: str, checksum: bool
) -> None:
    expected = every_view(run, cache_dir, library, "--no-cache")
    every_view(run, cache_dir, library)
    snapshot_format, blob = snapshot_blob(library, cache_dir)
    damaged = {
        "garbage": (snapshot_format, b"\x00not marshal data" * 10),
        "truncated": (snapshot_format, blob[: len(blob) // 2]),
        "a list": (snapshot_format, marshal.dumps([1, 2, 3])),
        "another python": ("marshal 0 python 2.7", blob),
    }[damage]
    set_snapshot(library, cache_dir, *damaged, checksum=checksum)
    if damage == "another python":
        assert every_view(run, cache_dir, library) == expected
    else:
        assert views_after_damage(run, cache_dir, library) == expected
    assert every_view(run, cache_dir, library) == expected
    # Written afresh, so that later runs take the quick road again.
    assert snapshot_blob(library, cache_dir) == (snapshot_format, blob)


@pytest.mark.parametrize("damage", [b"\x00not marshal data", marshal.dumps((1, 2))])
def test_a_damaged_change_beside_the_snapshot_is_rebuilt(
    run: Run, library: Path, cache_dir: Path, damage: bytes
) -> None:
    every_view(run, cache_dir, library)
    first = sorted(library.glob("*.md"))[0]
    with sqlite3.connect(index_file(library, cache_dir)) as connection:
        connection.execute(
            "INSERT OR REPLACE INTO snapshot_changes VALUES (?, ?, 0)", (first.name, damage)
        )
    expected = every_view(run, cache_dir, library, "--no-cache")
    assert views_after_damage(run, cache_dir, library) == expected
    assert every_view(run, cache_dir, library) == expected


def test_edits_and_removals_between_runs_keep_the_snapshot_true(
    run: Run, library: Path, cache_dir: Path
) -> None:
    every_view(run, cache_dir, library)
    posts = sorted(library.glob("*.md"))
    for round_number, post in enumerate(posts[:6]):
        if round_number % 3 == 2:
            post.unlink()
        else:
            post.write_text(post.read_text(encoding="utf-8") + f"\nEdit {round_number}.\n")
        expected = every_view(run, cache_dir, library, "--no-cache")
        assert every_view(run, cache_dir, library) == expected
    with sqlite3.connect(index_file(library, cache_dir)) as connection:
        (changes,) = connection.execute("SELECT count(*) FROM snapshot_changes").fetchone()
    assert changes > 0, "edits are kept beside the snapshot, not rewritten into it"


def set_listing(library: Path, cache: Path, listing: PostListing) -> None:
    with Index.open(library, cache) as index:
        index.save_listing(listing)


def stored_listing(library: Path, cache: Path) -> PostListing:
    with Index.open(library, cache) as index:
        listing = index.listing()
    assert listing is not None
    return listing


def pretend_the_last_walk_is_old(library: Path, cache: Path) -> None:
    """Move the stored walk's start ahead, so that today's folder times count as settled."""
    listing = stored_listing(library, cache)
    set_listing(library, cache, listing._replace(started_ns=time.time_ns() + 60_000_000_000))


def test_a_settled_folder_is_not_walked_again(run: Run, library: Path, cache_dir: Path) -> None:
    """Shown with a stored walk missing a post: it hides the post until the folder changes."""
    every_view(run, cache_dir, library)
    listing = stored_listing(library, cache_dir)
    set_listing(library, cache_dir, listing._replace(paths=listing.paths[1:]))
    pretend_the_last_walk_is_old(library, cache_dir)
    assert len(run_json(run, cache_dir, "list", "--posts", str(library))) == 39
    (library / "2030-01-01-newcomer.md").write_text("# Newcomer\n", encoding="utf-8")
    assert len(run_json(run, cache_dir, "list", "--posts", str(library))) == 41


def test_posts_added_removed_or_renamed_in_a_settled_folder_are_seen(
    run: Run, library: Path, cache_dir: Path
) -> None:
    every_view(run, cache_dir, library)
    pretend_the_last_walk_is_old(library, cache_dir)
    assert every_view(run, cache_dir, library) == every_view(run, cache_dir, library, "--no-cache")
    posts = sorted(library.glob("*.md"))

    def copy(source: Path, target: Path) -> None:
        target.write_text(source.read_text(encoding="utf-8"), encoding="utf-8")

    changes: list[Callable[[], object]] = [
        lambda: copy(posts[0], library / "2030-01-01-newcomer.md"),
        posts[1].unlink,
        lambda: posts[2].rename(library / "2030-02-02-renamed.md"),
        (library / "nested").mkdir,
        lambda: copy(posts[3], library / "nested" / "2030-03-03-deep.md"),
    ]
    for change in changes:
        pretend_the_last_walk_is_old(library, cache_dir)
        change()
        expected = every_view(run, cache_dir, library, "--no-cache")
        assert every_view(run, cache_dir, library) == expected


def test_a_stale_snapshot_never_gives_stale_results(
    run: Run, library: Path, cache_dir: Path
) -> None:
    """A snapshot written by a process that had not seen an edit made by another."""
    every_view(run, cache_dir, library)
    before = snapshot_blob(library, cache_dir)
    post = sorted(library.glob("*.md"))[0]
    post.write_text(post.read_text(encoding="utf-8") + "\nMore text added later.\n")
    edited = every_view(run, cache_dir, library, "--no-cache")
    every_view(run, cache_dir, library)
    set_snapshot(library, cache_dir, *before)
    assert every_view(run, cache_dir, library) == edited


@pytest.mark.parametrize("damage", ["garbage", "truncated"])
def test_a_corrupt_index_is_rebuilt_with_at_most_one_warning(
    run: Run, library: Path, cache_dir: Path, damage: str
) -> None:
    expected = every_view(run, cache_dir, library, "--no-cache")
    every_view(run, cache_dir, library)
    path = index_file(library, cache_dir)
    for part in (path.with_name(path.name + "-wal"), path.with_name(path.name + "-shm")):
        part.unlink(missing_ok=True)
    data = path.read_bytes()
    path.write_bytes(b"this is not a database" * 100 if damage == "garbage" else data[:2000])
    result = run(
        "list", "--posts", str(library), "--json", env={"CANVASCLI_CACHE_DIR": str(cache_dir)}
    )
    assert result.exit_code == 0, result.stderr
    assert len(result.stderr.splitlines()) <= 1
    assert json.loads(result.stdout) == expected[0]
    assert every_view(run, cache_dir, library) == expected


def test_an_index_from_an_older_schema_is_rebuilt(run: Run, library: Path, cache_dir: Path) -> None:
    expected = every_view(run, cache_dir, library)
    with sqlite3.connect(index_file(library, cache_dir)) as connection:
        # The layout of schema 1, with entries that look fresh but hold nothing usable.
        states = connection.execute("SELECT path, size, mtime_ns FROM posts").fetchall()
        connection.executescript(
            "DROP TABLE posts; DROP TABLE records;"
            "CREATE TABLE posts (path TEXT PRIMARY KEY, size INTEGER, mtime_ns INTEGER,"
            " content_hash TEXT, summary TEXT, record TEXT);"
            "UPDATE meta SET value = '1' WHERE key = 'schema';"
        )
        connection.executemany("INSERT INTO posts VALUES (?, ?, ?, NULL, '{}', '{}')", states)
    assert every_view(run, cache_dir, library) == expected


@pytest.mark.parametrize("where", ["meta", "header"])
def test_an_index_from_a_newer_schema_is_left_alone_and_not_read(
    canvas_process: Callable[..., subprocess.CompletedProcess[str]],
    library: Path,
    cache_dir: Path,
    where: str,
) -> None:
    env = {"CANVASCLI_CACHE_DIR": str(cache_dir)}
    listing = ("list", "--posts", str(library), "--json")
    expected = canvas_process(*listing, "--no-cache", env=env).stdout
    assert canvas_process(*listing, env=env).returncode == 0
    newer = SCHEMA_VERSION + 1
    path = index_file(library, cache_dir)
    with contextlib.closing(sqlite3.connect(path)) as connection:
        connection.execute("PRAGMA journal_mode=DELETE")
        if where == "meta":
            connection.execute("UPDATE meta SET value = ? WHERE key = 'schema'", (str(newer),))
            connection.execute("PRAGMA user_version = 0")
        else:
            # A later schema may keep no `meta` table; SQLite's header still says whose it is.
            connection.execute("DROP TABLE meta")
            connection.execute(f"PRAGMA user_version = {newer}")
        connection.commit()
    before = path.read_bytes()
    for args in (listing, ("search", "customers", "--posts", str(library), "--json")):
        result = canvas_process(*args, env=env)
        assert result.returncode == 0, result.stderr
        assert result.stderr.splitlines() == [
            f"canvas: cache index {path}: made by a newer canvascli (index schema {newer}; this "
            f"one reads {SCHEMA_VERSION}), so left as it is ('canvas cache clear' removes it);"
            f" running without the index"
        ]
    assert canvas_process(*listing, env=env).stdout == expected
    assert path.read_bytes() == before
    # Beside the index, only the patterns the first run read with (see `kept_patterns`).
    assert sorted(cache_dir.iterdir()) == sorted([path, cache_dir / "patterns"])
    info = canvas_process("cache", "info", "--posts", str(library), env=env)
    assert info.returncode == 1 and "made by a newer canvascli" in info.stderr
    assert canvas_process("cache", "clear", "--posts", str(library), env=env).returncode == 0
    assert canvas_process(*listing, env=env).stderr == ""


# Another version of canvascli, whose reading rules name every company otherwise.
ANOTHER_VERSION = """
import sys
import canvascli
import canvascli.read.canvas as reader
canvascli.__version__ = "0.0.1"
reading = reader.read_canvases
reader.read_canvases = lambda *args: [
    canvas._replace(name="Read otherwise " + canvas.name) for canvas in reading(*args)
]
from canvascli.__main__ import main
sys.argv[0] = "canvas"
main()
"""


@pytest.mark.parametrize("command", ["list", "search"])
def test_posts_read_by_another_version_are_read_again(
    library: Path, cache_dir: Path, tmp_path: Path, command: str
) -> None:
    env = {**os.environ, "CANVASCLI_CACHE_DIR": str(cache_dir)}
    args = [command, *(["customers"] if command == "search" else []), "--posts", str(library)]

    def names(*python: str) -> set[str]:
        result = subprocess.run(
            [*python, *args, "--json"], env=env, cwd=tmp_path, capture_output=True, text=True
        )
        assert result.returncode == 0, result.stderr
        return {company["name"] for company in json.loads(result.stdout)}

    otherwise = names(sys.executable, "-c", ANOTHER_VERSION)
    assert otherwise and all(name.startswith("Read otherwise ") for name in otherwise)
    now = names(*canvas_executable())
    assert now == {name.removeprefix("Read otherwise ") for name in otherwise}


@pytest.mark.parametrize(
    ("suffix", "kind", "make"),
    [
        ("-wal", "a named pipe (FIFO)", os.mkfifo),
        ("-shm", "a folder", os.mkdir),
        ("-wal", "a character device", lambda place: place.symlink_to(os.devnull)),
    ],
    ids=["fifo-wal", "folder-shm", "devnull-wal"],
)
def test_an_index_file_that_is_no_file_is_named_not_taken_for_a_full_disk(
    canvas_process: Callable[..., subprocess.CompletedProcess[str]],
    library: Path,
    cache_dir: Path,
    suffix: str,
    kind: str,
    make: Callable[[Path], None],
) -> None:
    env = {"CANVASCLI_CACHE_DIR": str(cache_dir)}
    listing = ("list", "--posts", str(library), "--json")
    expected = canvas_process(*listing, "--no-cache", env=env).stdout
    assert canvas_process(*listing, env=env).returncode == 0
    path = index_file(library, cache_dir)
    for part in (path.with_name(path.name + "-wal"), path.with_name(path.name + "-shm")):
        part.unlink(missing_ok=True)
    make(path.with_name(path.name + suffix))
    result = canvas_process(*listing, env=env)
    assert (result.returncode, result.stdout) == (0, expected)
    assert result.stderr == (
        f"canvas: cache index {path}: {path.name}{suffix} is {kind}, not a file; remove it;"
        " running without the index\n"
    )


def test_an_unusable_cache_folder_means_one_warning_and_correct_results(
    run: Run, library: Path, unusable_cache: dict[str, str]
) -> None:
    result = run(
        "list",
        "--posts",
        str(library),
        "--json",
        env=unusable_cache,
    )
    assert result.exit_code == 0
    cache = Path(unusable_cache["CANVASCLI_CACHE_DIR"])
    assert result.stderr == (
        f"canvas: cache folder {cache}: {cache.parent} is not a folder; running without the index\n"
    )
    assert len(json.loads(result.stdout)) == 40


def test_a_missing_cache_folder_is_created(run: Run, library: Path, tmp_path: Path) -> None:
    cache = tmp_path / "deep" / "new" / "cache"
    run_json(run, cache, "list", "--posts", str(library))
    assert index_file(library, cache).exists()


def test_a_build_in_batches_leaves_its_write_ahead_log_empty(
    library: Path, cache_dir: Path, run: Run, monkeypatch: pytest.MonkeyPatch
) -> None:
    from canvascli.store import sync

    monkeypatch.setattr(sync, "WRITE_BATCH", 7)
    expected = run_json(run, cache_dir / "reference", "list", "--posts", str(library), "--no-cache")
    assert run_json(run, cache_dir, "list", "--posts", str(library)) == expected
    _database, log, _shared = index_files(index_file(library, cache_dir))
    assert not log.exists() or log.stat().st_size == 0
    assert run_json(run, cache_dir, "list", "--posts", str(library)) == expected


@pytest.mark.e2e
def test_two_processes_building_one_index_at_once(library: Path, cache_dir: Path, run: Run) -> None:
    generate_library(library, 300, seed=1)
    expected = run_json(run, cache_dir / "reference", "list", "--posts", str(library), "--no-cache")
    command = [*canvas_command(), "list", "--posts", str(library), "--json"]
    env = {**os.environ, "CANVASCLI_CACHE_DIR": str(cache_dir)}
    both = [
        subprocess.Popen(
            command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env
        )
        for _ in range(2)
    ]
    for process in both:
        stdout, stderr = process.communicate(timeout=120)
        assert process.returncode == 0, stderr
        assert json.loads(stdout) == expected
    assert run_json(run, cache_dir, "list", "--posts", str(library)) == expected


def canvas_command() -> list[str]:
    from tests.conftest import canvas_executable

    return canvas_executable()


def test_a_post_edited_twice_in_one_second_is_seen(
    run: Run, library: Path, cache_dir: Path
) -> None:
    post = sorted(library.glob("*.md"))[0]
    original = post.read_text(encoding="utf-8")
    stamp = post.stat().st_mtime_ns
    run_json(run, cache_dir, "list", "--posts", str(library))
    edited = original.replace("Businessmodel of Acme Data 0", "Businessmodel of Acme Dada 0")
    assert len(edited) == len(original) and edited != original
    post.write_text(edited, encoding="utf-8")
    os.utime(post, ns=(stamp, stamp))
    listed = run_json(run, cache_dir, "list", "--posts", str(library))
    assert "Acme Dada 0" in [entry["name"] for entry in listed]


def test_deleted_and_renamed_posts_never_come_back_stale(
    run: Run, library: Path, cache_dir: Path
) -> None:
    run_json(run, cache_dir, "list", "--posts", str(library))
    posts = sorted(library.glob("*.md"))
    posts[0].unlink()
    posts[1].rename(library / "renamed-company.md")
    listed = run_json(run, cache_dir, "list", "--posts", str(library))
    slugs = {entry["slug"] for entry in listed}
    assert len(slugs) == 39
    assert "renamed-company" in slugs
    assert listed == run_json(run, cache_dir, "list", "--posts", str(library), "--no-cache")
    with Index.open(library, cache_dir) as index:
        assert index.info().posts == 39


def test_a_post_that_can_no_longer_be_read_leaves_the_index(
    run: Run, library: Path, cache_dir: Path, tmp_path: Path
) -> None:
    run_json(run, cache_dir, "list", "--posts", str(library))
    post = sorted(library.glob("*.md"))[0]
    outside = tmp_path / "outside.md"
    post.rename(outside)
    post.symlink_to(outside)
    result = run("list", "--posts", str(library), env={"CANVASCLI_CACHE_DIR": str(cache_dir)})
    assert result.exit_code == 0
    assert result.stderr == f"canvas: {post}: symlink points outside the library; not followed\n"
    assert run_json(run, cache_dir, "cache", "info", "--posts", str(library))["posts"] == 39


def test_cache_info_and_clear(run: Run, library: Path, cache_dir: Path) -> None:
    run_json(run, cache_dir, "list", "--posts", str(library))
    info = run_json(run, cache_dir, "cache", "info", "--posts", str(library))
    assert isinstance(info, dict)
    assert info["posts"] == 40 and info["schema"] == SCHEMA_VERSION
    assert Path(info["index"]).exists() and info["size_bytes"] > 0
    env = {"CANVASCLI_CACHE_DIR": str(cache_dir)}
    cleared = run("cache", "clear", "--posts", str(library), env=env)
    assert cleared.exit_code == 0
    assert cleared.stdout == f"removed the index of {library} from {cache_dir}\n"
    assert not Path(info["index"]).exists()


@pytest.mark.parametrize("left", [b"", b"tables never made"], ids=["empty", "no tables"])
def test_cache_info_of_an_index_whose_tables_were_never_made_says_none_yet(
    run: Run, library: Path, cache_dir: Path, left: bytes
) -> None:
    # What a disk that fills up as the index is first written leaves behind.
    index = index_path(library, cache_dir)
    index.parent.mkdir(parents=True)
    index.write_bytes(b"")
    if left:
        with contextlib.closing(sqlite3.connect(index)) as connection:
            connection.execute("CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)")
            connection.commit()
    info = run_json(run, cache_dir, "cache", "info", "--posts", str(library))
    assert (info["posts"], info["schema"], info["indexes"]) == (0, None, 1)
    listed = run_json(run, cache_dir, "list", "--posts", str(library))
    assert len(listed) == 40
    info = run_json(run, cache_dir, "cache", "info", "--posts", str(library))
    assert (info["posts"], info["schema"]) == (40, SCHEMA_VERSION)


def cache_folder_state(folder: Path) -> dict[str, bytes] | None:
    """Every file in the cache folder with its bytes; None when there is no folder."""
    if not folder.exists():
        return None
    files = sorted(path for path in folder.rglob("*") if path.is_file())
    return {path.relative_to(folder).as_posix(): path.read_bytes() for path in files}


def test_cache_info_never_writes(run: Run, library: Path, cache_dir: Path) -> None:
    env = {"CANVASCLI_CACHE_DIR": str(cache_dir)}
    before_any = run_json(run, cache_dir, "cache", "info", "--posts", str(library))
    assert (before_any["posts"], before_any["schema"], before_any["indexes"]) == (0, None, 0)
    assert cache_folder_state(cache_dir) is None, "no cache folder made"
    text = run("cache", "info", "--posts", str(library), env=env)
    assert "schema      none yet\n" in text.stdout
    run_json(run, cache_dir, "list", "--posts", str(library))
    # The run's own connection is closed (by the cycle collector here, at exit in a real
    # process); another `canvas` still writing keeps a write-ahead log with frames in it.
    gc.collect()
    with contextlib.closing(sqlite3.connect(index_path(library, cache_dir))) as writer:
        writer.execute("PRAGMA wal_autocheckpoint=0")
        writer.execute("INSERT OR REPLACE INTO meta VALUES ('writer', 'still at work')")
        writer.commit()
        warm = cache_folder_state(cache_dir)
        assert warm is not None and any(
            name.endswith("-wal") and data for name, data in warm.items()
        )
        info = run_json(run, cache_dir, "cache", "info", "--posts", str(library))
        assert (info["posts"], info["schema"]) == (40, SCHEMA_VERSION)
        assert cache_folder_state(cache_dir) == warm
    closed = cache_folder_state(cache_dir)
    other = library.parent / "other"
    generate_library(other, 2)
    assert run_json(run, cache_dir, "cache", "info", "--posts", str(other))["posts"] == 0
    assert cache_folder_state(cache_dir) == closed, "no index made for another library"


@pytest.fixture
def other_library(run: Run, library: Path, cache_dir: Path, tmp_path: Path) -> Path:
    """A second library; it and `library` both indexed."""
    other = tmp_path / "site" / "_posts"
    generate_library(other, 3)
    run_json(run, cache_dir, "list", "--posts", str(library))
    run_json(run, cache_dir, "list", "--posts", str(other))
    return other


def test_cache_clear_removes_only_the_index_of_the_library_in_hand(
    run: Run, library: Path, cache_dir: Path, other_library: Path
) -> None:
    other = other_library
    env = {"CANVASCLI_CACHE_DIR": str(cache_dir), "CANVASCLI_POSTS": str(other)}
    cleared = run("cache", "clear", env=env)
    assert (cleared.exit_code, cleared.stderr) == (0, "")
    assert cleared.stdout == f"removed the index of {other} from {cache_dir}\n"
    assert all_indexes(cache_dir) == [index_path(library, cache_dir)]
    again = run("cache", "clear", env=env)
    assert (again.exit_code, again.stdout) == (0, f"no index of {other} in {cache_dir}\n")
    shutil.rmtree(library)
    gone = run("cache", "clear", "--posts", str(library), env=env)
    assert (gone.exit_code, gone.stderr) == (0, "")
    assert gone.stdout == f"removed the index of {library} from {cache_dir}\n"
    assert all_indexes(cache_dir) == []


def test_cache_clear_of_a_folder_that_is_not_there_is_an_error(
    run: Run, tmp_path: Path, cache_dir: Path
) -> None:
    env = {"CANVASCLI_CACHE_DIR": str(cache_dir)}
    missing = tmp_path / "_post"
    a_file = tmp_path / "notes.txt"
    a_file.write_text("notes\n", encoding="utf-8")
    for folder, reason in ((missing, "no such folder"), (a_file, "not a folder")):
        result = run("cache", "clear", "--posts", str(folder), env=env)
        assert (result.exit_code, result.stdout) == (1, "")
        assert result.stderr == f"canvas: library {folder}: {reason}\n"
    unset = run("cache", "clear", env={**env, "CANVASCLI_POSTS": str(missing)})
    assert unset.exit_code == 1
    assert unset.stderr == f"canvas: library {missing} (from $CANVASCLI_POSTS): no such folder\n"
    empty = run("cache", "clear", "--posts", "", env=env)
    assert (empty.exit_code, empty.stdout) == (2, "")
    assert "an empty path names no folder" in empty.stderr
    assert not cache_dir.exists() or all_indexes(cache_dir) == []


@pytest.mark.usefixtures("other_library")
def test_cache_clear_all_needs_yes_without_a_terminal(run: Run, cache_dir: Path) -> None:
    env = {"CANVASCLI_CACHE_DIR": str(cache_dir)}
    refused = run("cache", "clear", "--all", env=env)
    assert (refused.exit_code, refused.stdout) == (2, "")
    assert refused.stderr == (
        "canvas: cache clear --all removes every library's index; add --yes to do so\n"
    )
    assert len(all_indexes(cache_dir)) == 2
    cleared = run("cache", "clear", "--all", "--yes", env=env)
    assert (cleared.exit_code, cleared.stdout) == (0, f"removed 2 indexes from {cache_dir}\n")
    assert all_indexes(cache_dir) == []


def clear_all_on_a_terminal(cache_dir: Path, answer: bytes) -> tuple[int, bytes]:
    """Run the installed `cache clear --all` on a pseudo-terminal, answer its question, and
    give back its exit status and everything it showed."""
    leader, follower = pty.openpty()
    process = subprocess.Popen(
        [*canvas_executable(), "cache", "clear", "--all"],
        stdin=follower,
        stdout=follower,
        stderr=follower,
        env={**os.environ, "CANVASCLI_CACHE_DIR": str(cache_dir)},
    )
    os.close(follower)
    os.write(leader, answer)
    shown = read_terminal(leader)
    return process.wait(timeout=60), shown


@pytest.mark.e2e
def test_cache_clear_all_asks_first_on_a_terminal(
    run: Run, canvas_process: Process, library: Path, cache_dir: Path
) -> None:
    run_json(run, cache_dir, "list", "--posts", str(library))
    code, shown = clear_all_on_a_terminal(cache_dir, b"n\n")
    assert code == 1
    assert f"Remove 1 index from {cache_dir}? [y/N]".encode() in shown
    assert b"canvas: nothing removed" in shown
    assert len(all_indexes(cache_dir)) == 1
    code, shown = clear_all_on_a_terminal(cache_dir, b"y\n")
    assert code == 0
    assert f"removed 1 index from {cache_dir}".encode() in shown
    assert all_indexes(cache_dir) == []
    assert not (cache_dir / "patterns").exists()
    # With no index and no screen there is nothing to ask about, and kept patterns go too.
    env = {"CANVASCLI_CACHE_DIR": str(cache_dir)}
    assert canvas_process("list", "--posts", str(library), env=env).returncode == 0
    assert canvas_process("cache", "clear", "--posts", str(library), env=env).returncode == 0
    assert (cache_dir / "patterns").is_dir()
    code, shown = clear_all_on_a_terminal(cache_dir, b"")
    assert (code, f"removed 0 indexes from {cache_dir}".encode() in shown) == (0, True)
    assert not (cache_dir / "patterns").exists()


def test_each_library_folder_has_its_own_index_named_after_it(
    run: Run, tmp_path: Path, cache_dir: Path
) -> None:
    deep = tmp_path.joinpath(*["a-very-long-folder-name-" * 4] * 3)
    folders = [tmp_path / "site" / "_posts", tmp_path / "site-2" / "_posts", deep / "_posts"]
    for number, folder in enumerate(folders):
        generate_library(folder, 3 + number)
        run_json(run, cache_dir, "list", "--posts", str(folder))
    infos = [
        run_json(run, cache_dir, "cache", "info", "--posts", str(folder)) for folder in folders
    ]
    assert [info["posts"] for info in infos] == [3, 4, 5]
    assert [info["indexes"] for info in infos] == [3, 3, 3]
    names = [Path(info["index"]).name for info in infos]
    assert names[0].endswith("%2Fsite%2F_posts.sqlite3")
    assert names[1].endswith("%2Fsite-2%2F_posts.sqlite3")
    assert names[2].endswith(".sqlite3") and "a-very-long-folder-name-%2F_posts-" in names[2]
    assert max(len(os.fsencode(name + "-wal")) for name in names) < 255


def test_list_limit_and_piped_output_never_pages(run: Run, library: Path, cache_dir: Path) -> None:
    env = {"CANVASCLI_CACHE_DIR": str(cache_dir), "PAGER": "false", "CANVASCLI_PAGER": "false"}
    result = run("list", "--posts", str(library), "--limit", "3", env=env)
    assert result.exit_code == 0, result.stderr
    assert len(result.stdout.splitlines()) == 3


def show(run: Run, cache: Path, folder: Path, *args: str) -> CommandResult:
    return run("show", *args, "--posts", str(folder), env={"CANVASCLI_CACHE_DIR": str(cache)})


def test_show_from_a_warm_index_sees_an_edit_to_the_post_it_shows(
    run: Run, library: Path, cache_dir: Path
) -> None:
    run_json(run, cache_dir, "list", "--posts", str(library))
    (post,) = library.glob("*-acme-data-0.md")
    post.write_text(
        post.read_text(encoding="utf-8") + "\n## Zebra Notes\n\nZebra keepers.\n",
        encoding="utf-8",
    )
    shown = show(run, cache_dir, library, "acme-data-0")
    assert shown.exit_code == 0, shown.stderr
    assert "Zebra keepers." in shown.stdout


def test_show_stops_hashing_a_post_indexed_while_racy_once_it_settles(
    library: Path, cache_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("CANVASCLI_CACHE_DIR", str(cache_dir))
    where = Location(library, "--posts")
    (post,) = library.glob("*-acme-data-0.md")
    stamp = post.stat().st_mtime_ns

    def content_hash_of_post() -> str | None:
        with Index.open(library) as index:
            (row,) = index.by_slug("acme-data-0")
        return row_hash(row)

    monkeypatch.setattr(time, "time_ns", lambda: stamp + RACY_WINDOW_NS // 2)
    everything = load_library(where)
    assert content_hash_of_post() is not None
    monkeypatch.setattr(time, "time_ns", lambda: stamp + 2 * RACY_WINDOW_NS)
    shown = load_named(where, ["acme-data-0"])
    assert shown == [everything.get("acme-data-0")]
    assert content_hash_of_post() is None
    again = load_library(where)
    assert again.summaries == everything.summaries
    assert again.summaries == load_library(where, use_cache=False).summaries


@pytest.mark.parametrize(
    ("name", "text", "warning"),
    [
        ("broken.md", "---\ntitle: [unclosed\n---\n# Broken\n", "broken.md"),
        ("2020-01-01-globex-data-1.md", "# Globex again\n", "slug 'globex-data-1' is"),
    ],
    ids=["broken-post", "duplicate-slug"],
)
def test_show_from_a_warm_index_still_reports_every_problem_of_the_library(
    run: Run, library: Path, cache_dir: Path, name: str, text: str, warning: str
) -> None:
    run_json(run, cache_dir, "list", "--posts", str(library))
    (library / name).write_text(text, encoding="utf-8")
    for _ in range(2):
        shown = show(run, cache_dir, library, "acme-data-0")
        assert shown.exit_code == 0, shown.stderr
        assert warning in shown.stderr


def test_show_from_a_warm_index_refuses_an_unpublished_post_as_a_full_load_does(
    run: Run, library: Path, cache_dir: Path
) -> None:
    draft = library / "draft-company.md"
    draft.write_text("---\npublished: false\n---\n# Draft Company\n", encoding="utf-8")
    run_json(run, cache_dir, "list", "--posts", str(library))
    refused = show(run, cache_dir, library, "draft-company")
    assert refused.exit_code == 1
    assert "no company 'draft-company'" in refused.stderr
    shown = show(run, cache_dir, library, "draft-company", "--unpublished")
    assert shown.exit_code == 0, shown.stderr
    assert "Draft Company" in shown.stdout


def post_set_of_rows(library: Path, cache: Path) -> PostSet:
    """What `post_set` should say, made afresh from every post row."""
    with sqlite3.connect(index_file(library, cache)) as connection:
        rows = connection.execute("SELECT path, slug, has_errors FROM posts").fetchall()
    connection.close()
    slugs = {slug for _path, slug, _errors in rows}
    return PostSet(
        len(rows),
        sum(errors for _path, _slug, errors in rows),
        len(rows) - len(slugs),
        paths_digest(path for path, _slug, _errors in rows),
    )


def test_show_from_a_warm_index_answers_as_a_full_load_through_every_change(
    run: Run, library: Path, cache_dir: Path
) -> None:
    """Whatever the library went through, `show` answers as `--no-cache` does, and the summary
    of every post it trusts instead of reading them all stays that of the rows.

    A post added, removed or renamed is seen by `show` itself; one edited in place, once
    a run has read the library again (`show` looks only at the posts it shows)."""
    env = {"CANVASCLI_CACHE_DIR": str(cache_dir)}
    run("list", "--posts", str(library), env=env)
    posts = sorted(library.glob("*.md"))
    twin = library / "2020-01-01-globex-data-1.md"
    empty = library / "2021-01-01-empty.md"
    broken = "---\ntitle: [unclosed\n---\n# Broken\n"
    changes: list[tuple[bool, Callable[[], object]]] = [
        (True, lambda: twin.write_text("# Globex again\n", encoding="utf-8")),
        (True, twin.unlink),
        (True, lambda: empty.write_text("---\ntitle: Empty\n---\n", encoding="utf-8")),
        (False, lambda: empty.write_text("# Empty No More\n\n## Channels\n\n- Shops\n")),
        (False, lambda: posts[1].write_text(broken, encoding="utf-8")),
        (True, posts[1].unlink),
        (True, lambda: posts[2].rename(library / "2030-02-02-renamed.md")),
        (False, lambda: posts[3].write_text("# Acme Data 0\n\n## Channels\n\n- Twice\n")),
        (True, posts[3].unlink),
    ]
    for seen_by_show, change in changes:
        change()
        if not seen_by_show:
            run("list", "--posts", str(library), env=env)
        for _ in range(2):
            for slug in ("acme-data-0", "globex-data-1"):
                warm = show(run, cache_dir, library, slug)
                cold = show(run, cache_dir, library, slug, "--no-cache")
                assert (warm.exit_code, warm.stdout, warm.stderr) == (
                    cold.exit_code,
                    cold.stdout,
                    cold.stderr,
                )
            with Index.open(library, cache_dir) as index:
                assert index.post_set() == post_set_of_rows(library, cache_dir)


def test_a_post_whose_file_name_is_not_utf8_is_served_beside_the_index(
    run: Run, library: Path, cache_dir: Path
) -> None:
    # SQLite text holds only UTF-8, so such a post is read afresh each run, never stored.
    name = os.fsdecode(b"caf\xe9 \x9b.md")
    (library / name).write_text(
        "# Business Model of Cafe Co\n\n## Channels\n\n- A stall\n", encoding="utf-8"
    )
    expected = run_json(run, cache_dir, "list", "--posts", str(library), "--no-cache")
    assert "Cafe Co" in [entry["name"] for entry in expected]
    for _run in ("cold", "warm"):
        assert run_json(run, cache_dir, "list", "--posts", str(library)) == expected
        shown = run_json(run, cache_dir, "show", "caf", "--posts", str(library))
        assert shown["source"] == str(library / name)
        assert shown["blocks"]["channels"]["items"] == ["A stall"]
    with Index.open(library, cache_dir) as index:
        assert index.info().posts == 40


# Every command that reads a library, and whether it has `--no-cache` to compare with.
INDEXED_COMMANDS = [
    (["list"], True),
    (["list", "--json"], True),
    (["show", "memsql"], True),
    (["show", "memsql", "--json"], True),
    (["compare", "memsql", "violin-memory"], True),
    (["similar", "memsql"], True),
    (["stats"], True),
    (["stats", "--json"], True),
    (["search", "partner"], True),
    (["search", "partner", "--json"], True),
    (["export"], True),
    (["check"], False),
    (["check", "--json"], False),
    (["cache", "info"], False),
    (["cache", "info", "--json"], False),
]


@pytest.mark.e2e
def test_a_library_folder_whose_name_is_not_utf8_works_with_its_index(
    tmp_path: Path, canvas_process: Callable[..., subprocess.CompletedProcess[str]]
) -> None:
    folder = Path(os.fsdecode(os.fsencode(tmp_path) + b"/caf\xe9"))
    posts = folder / "_posts"
    posts.mkdir(parents=True)
    for post in POSTS.glob("*.md"):
        (posts / post.name).write_bytes(post.read_bytes())
    (posts / "broken.md").write_text("---\nx: [\n---\n# Broken Co\n", encoding="utf-8")
    env = {"CANVASCLI_CACHE_DIR": str(folder / "cache"), "COLUMNS": "100"}
    for args, comparable in INDEXED_COMMANDS:
        for run_twice in ("cold", "warm"):
            indexed = canvas_process(*args, env=env, cwd=folder)
            assert indexed.returncode in (0, 1), (args, run_twice, indexed.stderr)
            assert "internal error" not in indexed.stderr, (args, indexed.stderr)
            # The folder's stray byte is shown escaped, never sent raw to the terminal.
            assert "\udce9" not in indexed.stdout + indexed.stderr, (args, indexed)
        if comparable:
            uncached = canvas_process(*args, "--no-cache", env=env, cwd=folder)
            assert (indexed.returncode, indexed.stdout, indexed.stderr) == (
                uncached.returncode,
                uncached.stdout,
                uncached.stderr,
            ), args
    info = canvas_process("cache", "info", env=env, cwd=folder).stdout
    assert f"index       {tmp_path}/caf\\xe9/cache/library-" in info
    message = canvas_process("list", "--posts", str(posts), env=env, cwd=tmp_path).stderr
    assert message.startswith(f"canvas: {tmp_path}/caf\\xe9/_posts/broken.md: front matter is ")
    data = json.loads(
        canvas_process("stats", "--json", "--posts", str(posts), env=env, cwd=tmp_path).stdout
    )
    assert data["library"] == str(posts)  # JSON escapes the byte (\udce9) and reads back
    cleared = canvas_process("cache", "clear", env=env, cwd=folder)
    assert cleared.stdout == f"removed the index of _posts from {tmp_path}/caf\\xe9/cache\n"


def children_of(parent: int) -> set[int]:
    """The processes whose parent is `parent`, from /proc."""
    found: set[int] = set()
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text(encoding="utf-8", errors="replace").rsplit(")", 1)[1].split()
        except OSError:
            continue  # it ended while being looked at
        if int(fields[1]) == parent:
            found.add(int(stat.parent.name))
    return found


def is_running(pid: int) -> bool:
    """Whether `pid` still runs: a zombie, waiting for whoever adopted it, has ended."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text(encoding="utf-8", errors="replace")
    except OSError:
        return False
    return stat.rsplit(")", 1)[1].split()[0] != "Z"


def wait_until(condition: Callable[[], bool], seconds: float) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.01)
    return condition()


def read_to_the_end(pipe: IO[bytes], ended: threading.Event) -> None:
    pipe.read()
    ended.set()


@pytest.mark.e2e
@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="finds workers in /proc")
def test_killing_canvas_during_a_parallel_build_ends_its_workers_and_its_pipe(
    tmp_path: Path,
) -> None:
    library = tmp_path / "library"
    generate_library(library, 3000, seed=3)  # enough to be parsed on every core for a while
    env = {**os.environ, "CANVASCLI_CACHE_DIR": str(tmp_path / "cache")}
    command = [*canvas_executable(), "list", "--posts", str(library)]
    canvas = subprocess.Popen(
        command, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, env=env, cwd=tmp_path
    )
    assert canvas.stdout is not None
    workers: set[int] = set()
    ended = threading.Event()
    try:
        if not wait_until(lambda: bool(children_of(canvas.pid)), 60):
            pytest.skip("the build never started workers (one core?)")
        workers = children_of(canvas.pid)
        canvas.kill()  # kill -9 of the parent alone, as the OOM killer does
        canvas.wait(10)
        # As `canvas list | wc -l` would: the pipe ends once no process holds it open.
        threading.Thread(target=read_to_the_end, args=(canvas.stdout, ended), daemon=True).start()
        assert ended.wait(10), "a worker still holds the pipe open"
        assert wait_until(lambda: not any(map(is_running, workers)), 10), workers
    finally:
        for worker in workers:
            with contextlib.suppress(ProcessLookupError):
                os.kill(worker, signal.SIGKILL)
        canvas.kill()
        if ended.wait(10):  # closing it while the reading thread still reads would hang
            canvas.stdout.close()


@pytest.mark.e2e
def test_a_worker_notices_its_parent_has_gone_without_a_signal_from_the_system(
    tmp_path: Path,
) -> None:
    """Where the system sends no signal on a parent's death, the watching thread ends it."""
    script = (
        "import os, sys, time\n"
        "from canvascli.store import lifeline\n"
        "lifeline._ask_for_signal_on_parent_death = lambda: None\n"
        "parent = os.getpid()\n"
        "if os.fork() == 0:\n"
        "    lifeline.die_with_parent(parent)\n"
        "    print(os.getpid(), flush=True)\n"
        "    time.sleep(120)\n"
        "    os._exit(0)\n"
        "time.sleep(120)\n"
    )
    parent = subprocess.Popen(
        [sys.executable, "-c", script], stdout=subprocess.PIPE, text=True, cwd=tmp_path
    )
    assert parent.stdout is not None
    worker = int(parent.stdout.readline())
    try:
        assert is_running(worker)
        parent.kill()
        parent.wait(10)
        assert wait_until(lambda: not is_running(worker), 10)
        assert parent.stdout.read() == ""  # and the pipe it shared is closed
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.kill(worker, signal.SIGKILL)
        parent.stdout.close()


@pytest.mark.parametrize(
    "variables",
    [
        {"HOME": "/home/ana"},
        {"HOME": "/home/ana/"},
        {"HOME": "/"},
        {"HOME": "/home/ana", "XDG_CACHE_HOME": "/var/cache/ana"},
        {"HOME": "/home/ana", "XDG_CACHE_HOME": "/var/cache/ana/"},
        {"HOME": "/home/ana", "XDG_CACHE_HOME": "relative/cache"},
        {"HOME": "/home/ana", "XDG_CACHE_HOME": " "},
        {"HOME": "/home/ana", "XDG_CACHE_HOME": ""},
        {"HOME": "relative/home"},
        {"HOME": "relative/home", "XDG_CACHE_HOME": "/var/cache/ana"},
        {},
    ],
    ids=repr,
)
def test_the_cache_folder_is_the_one_platformdirs_gives(
    monkeypatch: pytest.MonkeyPatch, variables: dict[str, str]
) -> None:
    from platformdirs import user_cache_dir

    from canvascli.cache_folder import cache_folder
    from canvascli.store.index import cache_dir as index_folder

    for name in ("HOME", "XDG_CACHE_HOME", "CANVASCLI_CACHE_DIR"):
        monkeypatch.delenv(name, raising=False)
    for name, value in variables.items():
        monkeypatch.setenv(name, value)
    assert cache_folder(dict(os.environ)) == user_cache_dir("canvascli", appauthor=False)
    assert str(index_folder()) == user_cache_dir("canvascli", appauthor=False)
    monkeypatch.setenv("CANVASCLI_CACHE_DIR", "/somewhere/else")
    assert str(index_folder()) == "/somewhere/else"


def test_cache_clear_all_removes_everything_canvas_keeps_and_nothing_else(
    canvas_process: Callable[..., subprocess.CompletedProcess[str]],
    library: Path,
    cache_dir: Path,
) -> None:
    env = {"CANVASCLI_CACHE_DIR": str(cache_dir)}
    for arguments in (["--help"], ["list", "--help"], ["list", "--posts", str(library)]):
        assert canvas_process(*arguments, env=env).returncode == 0
    assert len(list((cache_dir / "help").iterdir())) == 2
    # What an index removed by hand while in use leaves behind, and files of the user's own.
    (cache_dir / "library-%2Fgone.sqlite3-wal").write_bytes(b"")
    (cache_dir / "notes.txt").write_text("mine", encoding="utf-8")
    cleared = canvas_process("cache", "clear", "--all", "--yes", env=env)
    assert (cleared.returncode, cleared.stderr) == (0, "")
    assert cleared.stdout == f"removed 1 index and 2 kept help screens from {cache_dir}\n"
    assert [path.name for path in cache_dir.iterdir()] == ["notes.txt"]
    # A folder of the user's own inside `help/`, though named as a screen is, stays too.
    (cache_dir / "help" / "drafts").mkdir(parents=True)
    kept = canvas_process("cache", "clear", "--all", "--yes", env=env)
    assert (kept.returncode, kept.stderr) == (0, "")
    assert sorted(path.name for path in cache_dir.rglob("*")) == ["drafts", "help", "notes.txt"]
    (cache_dir / "help" / "drafts").rmdir()
    again = canvas_process("cache", "clear", "--all", "--yes", env=env)
    assert again.stdout == f"removed 0 indexes from {cache_dir}\n"
