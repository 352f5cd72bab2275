"""The reader's patterns kept in the cache folder: made from there as Python compiles them,
and a damaged, foreign or unwritable store costs only the time to compile them again."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from canvascli import kept_patterns
from canvascli.kept_patterns import Parts, compile_pattern, keep_patterns_in, kept_file, parts_of
from canvascli.kept_patterns import save_new_patterns as save
from canvascli.read.patterns import deferred

Process = Callable[..., subprocess.CompletedProcess[str]]

pytestmark = pytest.mark.skipif(kept_file("/") is None, reason="patterns are kept for CPython only")

# Patterns of every kind the reader writes: groups by name and number, look-arounds,
# back-references, classes over wide ranges, and flags inline and given.
SOURCES = [
    (r"(?P<name>.+?)\s*[:：\-–—]\s*(?:lean|business\s+model)\s+canvas", re.IGNORECASE),
    (r"(?<![\w-])(?:kpi|okr)s?(?![\w-])", 0),
    (r" {0,3}([-*_])(?: *\1){2,}$", 0),
    (r"[\u4e00-\u9fff\u3040-\u30ff\uac00-\ud7af]+", 0),
    (r"(?i)^\s*(?:the|el|la)\s+(?=\S)", 0),
    (r"^(?:\(?\d+(?:\.\d+)*[.):\]]?|[ivx]+[.)]|[a-z][.)])\s+", re.MULTILINE),
]


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Path]:
    folder = tmp_path / "patterns"
    keep_patterns_in(str(folder))
    yield folder
    keep_patterns_in(None)


def _fresh_run(folder: Path) -> None:
    """What a new process sees: nothing read or compiled yet."""
    keep_patterns_in(None)
    keep_patterns_in(str(folder))


def _same(made: re.Pattern[str], compiled: re.Pattern[str]) -> None:
    assert made == compiled  # text, flags and code
    assert (made.groups, made.groupindex) == (compiled.groups, compiled.groupindex)


def test_a_pattern_made_from_its_kept_parts_is_the_one_python_compiles(store: Path) -> None:
    for source, flags in SOURCES:
        compile_pattern(source, flags)
    save()
    (kept,) = store.iterdir()
    assert kept == kept_file(str(store))
    _fresh_run(store)
    texts = ["Acme — Lean Canvas", "the KPIs", " - - -", "商业模式画布", "The Acme", "2. Key"]
    for source, flags in SOURCES:
        made, compiled = compile_pattern(source, flags), re.compile(source, flags)
        _same(made, compiled)
        assert made is not compiled  # made from the store, not taken from `re`'s own cache
        for text in texts:
            assert [m.groupdict() or m.group() for m in made.finditer(text)] == [
                m.groupdict() or m.group() for m in compiled.finditer(text)
            ]
    assert kept_patterns._keeper.new == {}  # nothing compiled, so nothing to write


def test_a_run_that_finds_all_it_needs_kept_writes_nothing(store: Path) -> None:
    compile_pattern(*SOURCES[0])
    save()
    kept = kept_file(str(store))
    assert kept is not None
    before = kept.stat()
    _fresh_run(store)
    compile_pattern(*SOURCES[0])
    save()
    after = kept.stat()
    assert (after.st_ino, after.st_mtime_ns) == (before.st_ino, before.st_mtime_ns)


@pytest.mark.parametrize(
    "damage",
    [
        lambda data: data[: len(data) // 2],
        lambda data: data[:-1] + bytes([data[-1] ^ 1]),
        lambda data: b"",
        lambda data: b"\x00" * len(data),
        lambda data: data.replace(b"canvas-patterns 1", b"canvas-patterns 9"),
    ],
    ids=["cut short", "one bit flipped", "empty", "zeroed", "another format"],
)
def test_a_damaged_store_is_compiled_around_and_written_anew(
    store: Path, damage: Callable[[bytes], bytes]
) -> None:
    for source, flags in SOURCES:
        compile_pattern(source, flags)
    save()
    kept = kept_file(str(store))
    assert kept is not None
    kept.write_bytes(damage(kept.read_bytes()))
    _fresh_run(store)
    for source, flags in SOURCES:
        _same(compile_pattern(source, flags), re.compile(source, flags))
    save()
    _fresh_run(store)
    assert kept_patterns._kept().keys() == {(source, int(flags)) for source, flags in SOURCES}


def test_parts_that_pass_the_check_but_make_no_pattern_are_compiled_around(
    store: Path,
) -> None:
    """Parts as a store written by another `re` could hold: the digest holds, the code
    does not; the pattern is compiled as Python compiles it."""
    source, flags = SOURCES[0]
    parts = parts_of(source, flags)
    assert parts is not None
    broken = (parts[0], b"\xff\xff\xff\xff" * 8, parts[2], parts[3], parts[4])
    store.mkdir()
    kept_patterns._write(str(store), {(source, int(flags)): broken})
    _fresh_run(store)
    assert kept_patterns._kept() == {(source, int(flags)): broken}
    _same(compile_pattern(source, flags), re.compile(source, flags))


@pytest.mark.parametrize(
    "out_of_range",
    [
        lambda parts: (parts[0], parts[1], 1 << 29, {}, ()),
        lambda parts: (parts[0], parts[1], 1, {"name": 2}, (None, None)),
        lambda parts: (parts[0], parts[1], 2, {"one": 1, "two": 1}, (None, "one", None)),
        lambda parts: (parts[0], parts[1], 1, {"not a name": 1}, (None, "not a name")),
        lambda parts: (parts[0], parts[1] + b"\x00", *parts[2:]),
    ],
    ids=[
        "groups past any pattern's",
        "a group past the groups",
        "two names of one group",
        "a name no group has",
        "code of no whole words",
    ],
)
def test_parts_no_pattern_of_ours_has_leave_the_whole_store_unread(
    store: Path, out_of_range: Callable[[Parts], Parts]
) -> None:
    """Parts whose digest holds but which `_write` never wrote (a store written on purpose,
    or by a fault): such a store is ignored, never handed to `_sre`."""
    good, odd = SOURCES[0], SOURCES[1]
    parts, odd_parts = parts_of(*good), parts_of(*odd)
    assert parts is not None and odd_parts is not None
    kept_patterns._write(str(store), {good: parts, odd: out_of_range(odd_parts)})
    _fresh_run(store)
    assert kept_patterns._kept() == {}
    _same(compile_pattern(*odd), re.compile(*odd))


def test_past_the_most_kept_only_the_patterns_of_the_last_run_stay(
    store: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(kept_patterns, "MAX_KEPT", 3)
    for source, flags in SOURCES[:3]:
        compile_pattern(source, flags)
    save()
    _fresh_run(store)
    # One made from the store, two compiled anew: four in all, one past the most.
    for source, flags in SOURCES[2:5]:
        compile_pattern(source, flags)
    save()
    _fresh_run(store)
    assert kept_patterns._kept().keys() == {(source, int(flags)) for source, flags in SOURCES[2:5]}


def test_a_store_of_another_python_is_not_read(
    store: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    source, flags = SOURCES[1]
    compile_pattern(source, flags)
    save()
    kept = kept_file(str(store))
    assert kept is not None
    monkeypatch.setattr(kept_patterns, "_python_key", lambda: "another build")
    # Named after the build it is of, a store of another Python is another file; under the
    # same name, its own key tells it apart.
    assert kept_file(str(store)) != kept
    monkeypatch.setattr(kept_patterns, "kept_file", lambda folder: kept)
    _fresh_run(store)
    assert kept_patterns._kept() == {}


def test_a_folder_that_cannot_be_written_keeps_nothing_and_fails_nothing(tmp_path: Path) -> None:
    blocker = tmp_path / "cache"
    blocker.write_text("a file where the folder would go", encoding="utf-8")
    keep_patterns_in(str(blocker / "patterns"))
    try:
        for source, flags in SOURCES:
            _same(compile_pattern(source, flags), re.compile(source, flags))
        save()
    finally:
        keep_patterns_in(None)
    assert blocker.read_text(encoding="utf-8") == "a file where the folder would go"


def test_a_folder_written_to_by_none_is_found_out_before_a_pattern_is_taken_apart(
    store: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Taking a pattern apart costs what compiling it does: a folder where it could not be
    kept would pay that on every run."""
    store.mkdir()
    if (
        shutil.which("chattr") is None
        or subprocess.run(["chattr", "+i", str(store)], capture_output=True, check=False).returncode
    ):
        pytest.skip("no immutable folders here")
    try:
        monkeypatch.setattr(kept_patterns, "parts_of", _never_called)
        for source, flags in SOURCES:
            compile_pattern(source, flags)
        save()
        assert list(store.iterdir()) == []
    finally:
        subprocess.run(["chattr", "-i", str(store)], check=True)


def _never_called(pattern: str, flags: int = 0) -> Parts | None:
    raise AssertionError(f"{pattern!r} taken apart for a folder it cannot be kept in")


def test_patterns_are_compiled_as_they_are_where_none_are_kept() -> None:
    keep_patterns_in(None)
    source, flags = SOURCES[2]
    assert compile_pattern(source, flags) is re.compile(source, flags)
    with pytest.raises(re.error):
        deferred("(unclosed").search("x")


def _library_and_cache(tmp_path: Path) -> tuple[Path, Path, dict[str, str]]:
    """A copy of the bundled posts, an empty cache folder, and the variable naming it."""
    seeds = Path(__file__).resolve().parent.parent / "posts"
    library = tmp_path / "posts"
    library.mkdir()
    for post in seeds.glob("*.md"):
        (library / post.name).write_bytes(post.read_bytes())
    cache = tmp_path / "cache"
    return library, cache, {"CANVASCLI_CACHE_DIR": str(cache)}


def test_canvas_keeps_the_patterns_it_reads_with_and_reads_the_same_with_them(
    canvas_process: Process, tmp_path: Path
) -> None:
    library, cache, env = _library_and_cache(tmp_path)
    fresh = canvas_process("show", "memsql", "--posts", str(library), "--no-cache", env=env)
    assert (fresh.returncode, fresh.stderr) == (0, "")
    assert not cache.exists()  # --no-cache keeps no patterns either
    first = canvas_process("show", "memsql", "--posts", str(library), env=env)
    assert first.stdout == fresh.stdout
    (kept,) = (cache / "patterns").iterdir()
    assert len(kept_patterns._read(str(cache / "patterns"))) > 10
    post = next(library.glob("*memsql*"))
    post.write_text(post.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    before = kept.stat()
    again = canvas_process("show", "memsql", "--posts", str(library), env=env)
    assert again.stdout == fresh.stdout
    assert [path.name for path in (cache / "patterns").iterdir()] == [kept.name]
    # Every pattern it needed was kept: none was compiled, so the file was not written.
    after = kept.stat()
    assert (after.st_ino, after.st_mtime_ns) == (before.st_ino, before.st_mtime_ns)


def _link_to_a_device(path: Path) -> None:
    path.symlink_to("/dev/zero")


# What may be found where a file is kept: a named pipe, and a link to an endless device.
PLANTS: tuple[Callable[[Path], None], ...] = (os.mkfifo, _link_to_a_device)


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no named pipes here")
def test_a_pipe_or_a_device_where_patterns_are_kept_is_compiled_around_not_read(
    canvas_process: Process, tmp_path: Path
) -> None:
    library, cache, env = _library_and_cache(tmp_path)
    fresh = canvas_process("list", "--posts", str(library), "--no-cache", env=env)
    assert canvas_process("list", "--posts", str(library), env=env).stdout == fresh.stdout
    (kept,) = (cache / "patterns").iterdir()
    for number, plant in enumerate(PLANTS):
        kept.unlink()
        plant(kept)
        post = next(library.glob("*memsql*"))
        post.write_text(post.read_text(encoding="utf-8") + "\n" * (number + 1), encoding="utf-8")
        again = canvas_process("list", "--posts", str(library), env=env, timeout=60)
        assert (again.returncode, again.stdout, again.stderr) == (0, fresh.stdout, "")
        assert kept.is_file() and not kept.is_symlink()


def test_cache_clear_all_removes_the_kept_patterns_and_nothing_else(
    canvas_process: Process, tmp_path: Path
) -> None:
    library, cache, env = _library_and_cache(tmp_path)
    assert canvas_process("list", "--posts", str(library), env=env).returncode == 0
    assert any((cache / "patterns").iterdir())
    cleared = canvas_process("cache", "clear", "--all", "--yes", env=env)
    assert cleared.stdout == f"removed 1 index from {cache}\n"
    assert not (cache / "patterns").exists()
    canvas_process("list", "--posts", str(library), env=env)
    (kept,) = (cache / "patterns").iterdir()
    kept.with_name(f"{kept.name}.4242.part").write_bytes(b"left by a run that was killed")
    (cache / "patterns" / "mine.txt").write_text("mine", encoding="utf-8")
    canvas_process("cache", "clear", "--all", "--yes", env=env)
    assert [path.name for path in (cache / "patterns").iterdir()] == ["mine.txt"]
