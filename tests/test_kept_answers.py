"""Piped `canvas list --json` and `canvas list` kept in the index: given again only while
every post, the library's folder, its config and the arguments are as they were, else
answered afresh."""

from __future__ import annotations

import json
import os
import shutil
import signal
import threading
import time
from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import Any

import pytest

from benchmarks.generate import generate_library
from canvascli.store import shared_look, sync
from canvascli.store.index import RACY_WINDOW_NS, Index
from tests.helpers import Process, Run

POSTS = 12
BROKEN = "---\ntitle: [unclosed\n---\n\n### Channels\n\nShops.\n"
CAFE = "---\ntitle: Café Zürich\n---\n\n### Channels\n\n* Shops in Zürich\n"


@pytest.fixture
def library(tmp_path: Path) -> Path:
    folder = tmp_path / "_posts"
    generate_library(folder, POSTS)
    return folder


@pytest.fixture
def summaries_read(monkeypatch: pytest.MonkeyPatch) -> list[Path]:
    """The libraries whose summaries were read, one entry a run: none for a kept answer."""
    read: list[Path] = []
    through_index = sync._sync_index

    def counted(index: Index, root: Path, *args: Any, **kwargs: Any) -> sync.SyncResult:
        read.append(root)
        return through_index(index, root, *args, **kwargs)

    monkeypatch.setattr(sync, "_sync_index", counted)
    return read


def listed(
    run: Run, cache: Path, folder: Path, *extra: str, shape: str = "--json"
) -> tuple[int, str, str]:
    """`canvas list` piped, as JSON or (with `shape` empty) as plain lines."""
    result = run(
        "list",
        *([shape] if shape else []),
        "--posts",
        str(folder),
        *extra,
        env={"CANVASCLI_CACHE_DIR": str(cache)},
    )
    return result.exit_code, result.stdout, result.stderr


def uncached(
    run: Run, cache: Path, folder: Path, *extra: str, shape: str = "--json"
) -> tuple[int, str, str]:
    return listed(run, cache, folder, *extra, "--no-cache", shape=shape)


def companies_in(shape: str, output: str) -> int:
    return len(json.loads(output)) if shape else len(output.splitlines())


SHAPES = pytest.mark.parametrize("shape", ["--json", ""], ids=["json", "lines"])


@pytest.mark.usefixtures("settled_clock")
@SHAPES
def test_an_unchanged_library_is_answered_without_reading_a_summary(
    run: Run, library: Path, tmp_path: Path, summaries_read: list[Path], shape: str
) -> None:
    cache = tmp_path / "cache"
    first = listed(run, cache, library, shape=shape)
    assert companies_in(shape, first[1]) == POSTS
    assert listed(run, cache, library, shape=shape) == first
    assert len(summaries_read) == 2, "the first run builds, the second keeps its answer"
    assert listed(run, cache, library, shape=shape) == first
    assert first == uncached(run, cache, library, shape=shape)
    assert len(summaries_read) == 2, "the third gives the kept answer"


def edit_with_times_put_back(folder: Path, position: int = 3) -> None:
    """The company's name written in capitals: the same size, the same times."""
    post = sorted(folder.glob("*.md"))[position]
    times = post.stat()
    text = post.read_text()
    title = next(line for line in text.splitlines() if line.startswith("Businessmodel of "))
    post.write_text(text.replace(title, title.upper()))
    os.utime(post, ns=(times.st_atime_ns, times.st_mtime_ns))
    assert post.stat().st_size == times.st_size


def add_a_post(folder: Path) -> None:
    post = sorted(folder.glob("*.md"))[0]
    shutil.copy(post, folder / "2020-02-02-a-copy.md")


def add_a_post_in_a_new_folder(folder: Path) -> None:
    (folder / "more").mkdir()
    shutil.copy(sorted(folder.glob("*.md"))[0], folder / "more" / "2020-02-02-deeper.md")


def remove_a_post(folder: Path, position: int = 5) -> None:
    sorted(folder.glob("*.md"))[position].unlink()


def rename_a_post(folder: Path, position: int = 5) -> None:
    post = sorted(folder.glob("*.md"))[position]
    post.rename(folder / f"2030-01-01-{post.name}")


def swap_two_posts(folder: Path) -> None:
    first, second = sorted(folder.glob("*.md"))[:2]
    swap = folder / "swap.tmp"
    first.rename(swap)
    second.rename(first)
    swap.rename(second)


def break_a_post(folder: Path, position: int = 2) -> None:
    post = sorted(folder.glob("*.md"))[position]
    times = post.stat()
    post.write_text(BROKEN)
    os.utime(post, ns=(times.st_atime_ns, times.st_mtime_ns))


def link_a_post_to_another(folder: Path) -> None:
    first, second = sorted(folder.glob("*.md"))[:2]
    first.unlink()
    first.symlink_to(second.name)


def sort_by_words_in_the_config(folder: Path) -> None:
    (folder.parent / "canvas.toml").write_text('sort = "words"\n')


def a_synonym_in_the_config(folder: Path) -> None:
    (folder.parent / "canvas.toml").write_text('[synonyms]\n"Customer Segment" = "channels"\n')


CHANGES: dict[str, Callable[[Path], None]] = {
    "a post edited in place, its times put back": edit_with_times_put_back,
    "a post added": add_a_post,
    "a post added in a new folder": add_a_post_in_a_new_folder,
    "a post removed": remove_a_post,
    "a post renamed": rename_a_post,
    "two posts swapped": swap_two_posts,
    "a post broken": break_a_post,
    "a post made a link to another": link_a_post_to_another,
    "another order in the config": sort_by_words_in_the_config,
    "a synonym in the config": a_synonym_in_the_config,
}


@pytest.mark.usefixtures("settled_clock")
@SHAPES
@pytest.mark.parametrize("change", CHANGES)
def test_a_kept_answer_is_not_given_once_the_library_changed(
    run: Run, library: Path, tmp_path: Path, change: str, shape: str
) -> None:
    cache = tmp_path / "cache"
    before = listed(run, cache, library, shape=shape)
    assert listed(run, cache, library, shape=shape) == before
    CHANGES[change](library)
    expected = uncached(run, cache, library, shape=shape)
    assert expected != before
    for attempt in range(3):
        assert listed(run, cache, library, shape=shape) == expected, attempt


@pytest.fixture
def two_processes(monkeypatch: pytest.MonkeyPatch) -> list[bool]:
    """Every library counted big enough to be looked at from two processes; what it gives
    is whether the other process could look at all its posts, one entry a run that asked."""
    monkeypatch.setattr(shared_look, "LEAST_POSTS", 2)
    answered: list[bool] = []
    states = shared_look.OtherHalf.states

    def recorded(self: shared_look.OtherHalf) -> bytes | None:
        told = states(self)
        answered.append(told is not None)
        return told

    monkeypatch.setattr(shared_look.OtherHalf, "states", recorded)
    return answered


@pytest.mark.usefixtures("settled_clock")
@SHAPES
def test_a_big_library_looked_at_from_two_processes_gives_the_kept_answer(
    run: Run,
    library: Path,
    tmp_path: Path,
    summaries_read: list[Path],
    two_processes: list[bool],
    shape: str,
) -> None:
    cache = tmp_path / "cache"
    first = listed(run, cache, library, shape=shape)
    assert first == uncached(run, cache, library, shape=shape)
    for _ in range(3):
        assert listed(run, cache, library, shape=shape) == first
    assert len(summaries_read) == 2, "the first run builds, the second keeps its answer"
    assert two_processes == [True, True, True]


@pytest.mark.usefixtures("settled_clock")
def test_the_other_process_answers_when_the_system_reaps_it(
    run: Run, library: Path, tmp_path: Path, two_processes: list[bool]
) -> None:
    """Started with SIGCHLD ignored, as a parent may leave it, `canvas` cannot wait for the
    other process: what it wrote is still taken, whole."""
    cache = tmp_path / "cache"
    expected = uncached(run, cache, library)
    previous = signal.signal(signal.SIGCHLD, signal.SIG_IGN)
    try:
        for attempt in range(3):
            assert listed(run, cache, library) == expected, attempt
    finally:
        signal.signal(signal.SIGCHLD, previous)
    assert two_processes == [True, True]


@pytest.mark.usefixtures("settled_clock")
def test_a_process_running_another_thread_looks_at_every_post_itself(
    run: Run, library: Path, tmp_path: Path, two_processes: list[bool]
) -> None:
    """A copy of a process made while another thread holds a lock finds it held forever,
    so none is made then (a search runs one while it looks)."""
    cache = tmp_path / "cache"
    expected = uncached(run, cache, library)
    release = threading.Event()
    waiting = threading.Thread(target=release.wait)
    waiting.start()
    try:
        for attempt in range(3):
            assert listed(run, cache, library) == expected, attempt
    finally:
        release.set()
        waiting.join()
    assert two_processes == []
    assert listed(run, cache, library) == expected
    assert two_processes == [True]


# Changes to the posts the other process looks at: the second half of them.
CHANGES_IN_THE_OTHER_HALF: dict[str, Callable[[Path], None]] = {
    "a post edited in place, its times put back": partial(edit_with_times_put_back, position=-1),
    "a post removed": partial(remove_a_post, position=-1),
    "a post renamed": partial(rename_a_post, position=-1),
    "a post broken": partial(break_a_post, position=-2),
}


@pytest.mark.usefixtures("settled_clock")
@pytest.mark.parametrize("change", CHANGES_IN_THE_OTHER_HALF)
def test_a_change_seen_only_by_the_other_process_is_not_missed(
    run: Run, library: Path, tmp_path: Path, two_processes: list[bool], change: str
) -> None:
    cache = tmp_path / "cache"
    before = listed(run, cache, library)
    assert listed(run, cache, library) == before
    CHANGES_IN_THE_OTHER_HALF[change](library)
    expected = uncached(run, cache, library)
    assert expected != before
    for attempt in range(3):
        assert listed(run, cache, library) == expected, attempt
    assert all(two_processes)


@pytest.mark.usefixtures("settled_clock")
def test_posts_the_other_process_cannot_look_at_are_looked_at_here(
    run: Run,
    library: Path,
    tmp_path: Path,
    two_processes: list[bool],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """As when a post goes between the walk of the library and its look: what the other
    process could not say, this one finds out, and answers as if alone."""
    cache = tmp_path / "cache"
    expected = listed(run, cache, library)
    this_process, lstat = os.getpid(), os.lstat

    def failing_elsewhere(path: str) -> os.stat_result:
        if os.getpid() != this_process:
            raise FileNotFoundError(path)
        return lstat(path)

    monkeypatch.setattr(os, "lstat", failing_elsewhere)
    for attempt in range(3):
        assert listed(run, cache, library) == expected, attempt
    assert two_processes == [False, False, False]
    edit_with_times_put_back(library, position=-1)
    assert listed(run, cache, library) == uncached(run, cache, library) != expected


@pytest.mark.usefixtures("settled_clock")
def test_each_question_has_its_own_answer(run: Run, library: Path, tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    unpublished = sorted(library.glob("*.md"))[4]
    unpublished.write_text(unpublished.read_text().replace("---\n", "---\npublished: false\n", 1))
    questions = [
        (),
        ("--sort", "words"),
        ("--sort", "words", "--reverse"),
        ("--limit", "3"),
        ("--kind", "business", "--limit", "5"),
        ("--has", "channels", "--missing", "key-partners"),
        ("--unpublished",),
    ]
    answers = {question: uncached(run, cache, library, *question) for question in questions}
    assert len(set(answers.values())) == len(questions)
    for _ in range(2):
        for question in questions:
            assert listed(run, cache, library, *question) == answers[question], question


@pytest.mark.usefixtures("settled_clock")
def test_the_folder_as_given_is_part_of_the_question(
    run: Run, library: Path, tmp_path: Path
) -> None:
    cache = tmp_path / "cache"
    absolute = listed(run, cache, library)
    assert listed(run, cache, library) == absolute
    # `run` works from tmp_path, so "_posts" names the same folder, and the same index.
    relative = listed(run, cache, Path("_posts"))
    assert relative == uncached(run, cache, Path("_posts")) != absolute
    assert listed(run, cache, library) == absolute


def test_a_post_changed_too_recently_to_trust_its_times_keeps_no_answer(
    run: Run, library: Path, tmp_path: Path, summaries_read: list[Path], settled_clock: int
) -> None:
    """A post written just now may be written again within the same clock tick, leaving its
    file state as it was: until its times are older than that, every run reads it."""
    cache = tmp_path / "cache"
    post = sorted(library.glob("*.md"))[0]
    old = post.stat().st_mtime_ns
    os.utime(post, ns=(settled_clock - RACY_WINDOW_NS // 2,) * 2)
    expected = uncached(run, cache, library)
    for _ in range(3):
        assert listed(run, cache, library) == expected
    assert len(summaries_read) == 3
    os.utime(post, ns=(old, old))
    for _ in range(3):
        assert listed(run, cache, library) == expected
    assert len(summaries_read) == 5, "kept by the first run to find the post settled"


@pytest.mark.usefixtures("settled_clock")
def test_a_library_with_a_problem_keeps_no_answer_and_warns_every_time(
    run: Run, library: Path, tmp_path: Path, summaries_read: list[Path]
) -> None:
    cache = tmp_path / "cache"
    (library / "2020-01-01-broken.md").write_text(BROKEN)
    expected = uncached(run, cache, library)
    assert "2020-01-01-broken.md" in expected[2]
    for _ in range(3):
        assert listed(run, cache, library) == expected
    assert len(summaries_read) == 3


@pytest.mark.e2e
def test_real_processes_give_the_kept_answer_in_any_encoding_and_see_an_edit(
    library: Path, tmp_path: Path, canvas_process: Process
) -> None:
    (library / "2020-03-03-cafe.md").write_text(CAFE, encoding="utf-8")
    time.sleep(RACY_WINDOW_NS / 1e9)  # so that the posts are settled and answers kept
    env = {"CANVASCLI_CACHE_DIR": str(tmp_path / "cache")}
    command = ("list", "--json", "--posts", str(library))
    for encoding in ("utf-8", "latin-1"):
        env["PYTHONIOENCODING"] = encoding
        expected = canvas_process(*command, "--no-cache", env=env).stdout
        # As `canvas_process` decodes what the process wrote in `encoding`.
        assert "Café Zürich".encode(encoding).decode("utf-8", "surrogateescape") in expected
        for attempt in range(3):
            assert canvas_process(*command, env=env).stdout == expected, (encoding, attempt)
    post = sorted(library.glob("*.md"))[0]
    times = post.stat()
    post.write_text(post.read_text().replace("layout: post", "layout: page"))
    os.utime(post, ns=(times.st_atime_ns, times.st_mtime_ns))
    edited = canvas_process(*command, env=env).stdout
    assert edited == canvas_process(*command, "--no-cache", env=env).stdout != expected


@pytest.mark.usefixtures("settled_clock")
def test_a_post_that_is_a_link_is_read_again_when_its_target_changes(
    run: Run, library: Path, tmp_path: Path
) -> None:
    """Editing a link's target leaves the link's own file state as it was."""
    cache = tmp_path / "cache"
    post = sorted(library.glob("*.md"))[0]
    (library / ".drafts").mkdir()
    target = library / ".drafts" / "real.md"
    post.rename(target)
    post.symlink_to(Path(".drafts") / "real.md")
    before = listed(run, cache, library)
    assert listed(run, cache, library) == before == uncached(run, cache, library)
    target.write_text(target.read_text().replace("layout: post", "layout: page"))
    expected = uncached(run, cache, library)
    assert expected != before
    assert listed(run, cache, library) == expected


@pytest.mark.usefixtures("settled_clock")
@SHAPES
@pytest.mark.parametrize(
    ("first", "then"),
    [
        ('sort = "name"\n', 'sort = "words"\n'),
        (
            '[synonyms]\n"Key Customers" = "channels"\n',
            '[synonyms]\n"Customer Segment" = "channels"\n',
        ),
    ],
    ids=["sort", "synonyms"],
)
def test_a_kept_answer_is_not_given_once_the_config_file_says_otherwise(
    run: Run, library: Path, tmp_path: Path, shape: str, first: str, then: str
) -> None:
    cache = tmp_path / "cache"
    config = library.parent / "canvas.toml"
    config.write_text(first)
    before = listed(run, cache, library, shape=shape)
    assert listed(run, cache, library, shape=shape) == before
    config.write_text(then)
    expected = uncached(run, cache, library, shape=shape)
    assert expected != before
    assert listed(run, cache, library, shape=shape) == expected
