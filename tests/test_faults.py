"""Faults while writing and arguments a script gets wrong: whole output or none, one line."""

from __future__ import annotations

import json
import os
import resource
import shutil
import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.conftest import POSTS, canvas_executable
from tests.helpers import Run, ok

# Files bigger than this cannot be written: the MemSQL post fits, Violin Memory's does not.
FILE_SIZE_LIMIT = 6 * 1024


def run_with_small_files(
    *args: str, cwd: Path, cache: bool = False
) -> subprocess.CompletedProcess[str]:
    """The installed `canvas` where a file can grow to `FILE_SIZE_LIMIT` bytes only, as on
    a disk about to fill: a write past it fails (Python ignores the signal it would get).
    The index is left alone unless `cache`."""

    def limit_file_size() -> None:
        resource.setrlimit(resource.RLIMIT_FSIZE, (FILE_SIZE_LIMIT, FILE_SIZE_LIMIT))

    return subprocess.run(
        [*canvas_executable(), *args, *(() if cache else ("--no-cache",))],
        capture_output=True,
        text=True,
        cwd=cwd,
        env={**os.environ, "NO_COLOR": "1"},
        stdin=subprocess.DEVNULL,
        preexec_fn=limit_file_size,
        timeout=60,
        check=False,
    )


def test_a_markdown_export_that_cannot_finish_writes_none_of_its_files(tmp_path: Path) -> None:
    posts = str(POSTS)
    made = run_with_small_files(
        "export", "-f", "markdown", "-o", "out", "--posts", posts, cwd=tmp_path
    )
    assert made.returncode == 1
    assert made.stderr == "canvas: out/violin-memory.md: cannot write: File too large\n"
    assert not (tmp_path / "out").exists()
    (tmp_path / "kept").mkdir()
    into = run_with_small_files(
        "export", "-f", "markdown", "-o", "kept", "--posts", posts, cwd=tmp_path
    )
    assert into.returncode == 1
    assert list((tmp_path / "kept").iterdir()) == []


def test_a_site_that_cannot_be_built_leaves_its_folder_as_it_was(run: Run, tmp_path: Path) -> None:
    failed = run_with_small_files("site", "-o", "site", "--posts", str(POSTS), cwd=tmp_path)
    assert failed.returncode == 1
    assert failed.stderr.startswith("canvas: ")
    assert failed.stderr.endswith(": cannot write: File too large\n")
    assert not (tmp_path / "site").exists()
    # A site built whole, then a rebuild with a post too big to write: what the failed
    # rebuild made is gone, and the next build finds the site it built before.
    library = tmp_path / "library"
    library.mkdir()
    shutil.copy(POSTS / "memsql.md", library)
    ok(run("site", "-o", "site", "--posts", str(library)))
    before = sorted(path.relative_to(tmp_path) for path in (tmp_path / "site").rglob("*"))
    shutil.copy(POSTS / "violin-memory.md", library)
    again = run_with_small_files("site", "-o", "site", "--posts", str(library), cwd=tmp_path)
    assert again.returncode == 1
    after = sorted(path.relative_to(tmp_path) for path in (tmp_path / "site").rglob("*"))
    assert after == before
    rebuilt = ok(run("site", "-o", "site", "--posts", str(library)))
    assert "2 canvas pages" in rebuilt.stdout
    manifest = json.loads((tmp_path / "site" / ".canvas-site.json").read_text(encoding="utf-8"))
    on_disk = {
        path.relative_to(tmp_path / "site").as_posix()
        for path in (tmp_path / "site").rglob("*")
        if path.is_file() and path.name != ".canvas-site.json"
    }
    assert on_disk == set(manifest["files"])


def test_a_failed_rebuild_leaves_the_last_site_exactly_as_it_was(run: Run, tmp_path: Path) -> None:
    # A small company's post changes, so the rebuild has its page, the index and the
    # search files to rewrite before it meets Violin Memory's page, too big to write.
    library = tmp_path / "library"
    library.mkdir()
    acme = library / "acme.md"
    acme.write_text("---\ntitle: Acme\n---\n\n# Acme\n\n## Key Partners\n\n* Acme Bank\n", "utf-8")
    ok(run("site", "-o", "site", "--posts", str(library)))

    def site_files() -> dict[str, tuple[bytes, int]]:
        return {
            path.relative_to(tmp_path / "site").as_posix(): (
                path.read_bytes(),
                path.stat().st_mtime_ns,
            )
            for path in sorted((tmp_path / "site").rglob("*"))
            if path.is_file()
        }

    before = site_files()
    acme.write_text(acme.read_text(encoding="utf-8").replace("Acme Bank", "Zenith Bank"), "utf-8")
    shutil.copy(POSTS / "violin-memory.md", library)
    failed = run_with_small_files("site", "-o", "site", "--posts", str(library), cwd=tmp_path)
    assert failed.returncode == 1
    assert failed.stderr.endswith("violin-memory.html: cannot write: File too large\n")
    assert site_files() == before
    (library / "violin-memory.md").unlink()
    rebuilt = ok(run("site", "-o", "site", "--posts", str(library)))
    assert "1 canvas page;" in rebuilt.stdout
    assert b"Zenith Bank" in (tmp_path / "site" / "c" / "acme.html").read_bytes()


EMPTY_PATHS: dict[str, tuple[tuple[str, ...], str]] = {
    "export -o": (("export", "-f", "markdown", "-o", ""), "'--output' / '-o'"),
    "export -o json": (("export", "-o", ""), "'--output' / '-o'"),
    "list --svg": (("list", "--svg", ""), "'--svg'"),
    "show --html": (("show", "memsql", "--html", ""), "'--html'"),
    "compare --svg": (("compare", "memsql", "violin", "--svg", ""), "'--svg'"),
    "fmt PATH": (("fmt", ""), "'PATH'"),
    "check PATH": (("check", ""), "'PATH'"),
}


@pytest.mark.parametrize("case", EMPTY_PATHS, ids=list(EMPTY_PATHS))
def test_an_empty_path_is_refused_not_taken_for_the_current_folder(
    case: str, run: Run, tmp_path: Path
) -> None:
    arguments, option = EMPTY_PATHS[case]
    shutil.copy(POSTS / "memsql.md", tmp_path)
    (tmp_path / "untidy.md").write_text("# Untidy\n\n## Channels\n* web\n", encoding="utf-8")
    before = {path.name: path.read_bytes() for path in tmp_path.iterdir()}
    refused = run(*arguments, env={"CANVASCLI_POSTS": str(POSTS)})
    assert refused.exit_code == 2, refused.output
    assert f"Invalid value for {option}: an empty path names no" in refused.stderr
    assert {path.name: path.read_bytes() for path in tmp_path.iterdir()} == before


@pytest.mark.parametrize("command", [("show",), ("compare", "memsql"), ("export",), ("log",)])
def test_a_company_argument_that_is_not_utf8_is_no_company(
    command: tuple[str, ...], canvas_process: Callable[..., subprocess.CompletedProcess[str]]
) -> None:
    posts = ("--posts", str(POSTS))
    ok_listing = canvas_process("list", *posts)  # the index, warm, answers the lookups
    assert ok_listing.returncode == 0, ok_listing.stderr
    # Shown as the bytes they are: a lone surrogate cannot be printed as UTF-8.
    for raw, shown in ((b"\xff\xfe", "\\xff\\xfe"), (b"mem\xff", "mem\\xff")):
        result = canvas_process(*command, os.fsdecode(raw), *posts)
        assert result.returncode == 1, result.stderr
        assert result.stderr.startswith(f"canvas: no company '{shown}' in {POSTS}")


FULL = Path("/dev/full")


@pytest.mark.skipif(not FULL.exists(), reason="no /dev/full on this system")
@pytest.mark.parametrize(
    "arguments",
    [
        ("--version",),
        ("--help",),
        ("list", "--help"),
        ("list",),
        ("list", "--json"),
        ("show", "memsql"),
        ("export", "--format", "csv"),
        ("stats",),
    ],
    ids=" ".join,
)
def test_output_to_a_full_disk_is_one_line_not_a_traceback(
    arguments: tuple[str, ...], tmp_path: Path
) -> None:
    # Twice: help is drawn the first time and printed from the kept screen the second.
    for _ in range(2):
        with FULL.open("w") as full:
            result = subprocess.run(
                [*canvas_executable(), *arguments],
                stdout=full,
                stderr=subprocess.PIPE,
                text=True,
                cwd=tmp_path,
                env={**os.environ, "CANVASCLI_POSTS": str(POSTS)},
                stdin=subprocess.DEVNULL,
                timeout=60,
                check=False,
            )
        assert (result.returncode, result.stderr) == (
            1,
            "canvas: cannot write the output: No space left on device\n",
        )


UNTIDY = "# Untidy Co\n\n## Channels\n* web\n* shop\n"


@pytest.mark.parametrize("meanwhile", ["edited", "removed"])
def test_fmt_never_writes_over_a_post_that_changed_while_it_was_formatted(
    meanwhile: str, run: Run, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from canvascli.analyse import formatting

    library = tmp_path / "library"
    library.mkdir()
    post = library / "untidy.md"
    post.write_text(UNTIDY, encoding="utf-8")
    (library / "other.md").write_text(UNTIDY.replace("Untidy", "Other"), encoding="utf-8")
    edit = "# Untidy Co\n\n## Channels\n\n- the edit someone saved meanwhile\n"
    format_post = formatting.format_post

    def format_while_someone_edits(text: str, display: str, *args: object) -> str:
        if display.endswith("untidy.md"):
            if meanwhile == "edited":
                post.write_text(edit, encoding="utf-8")
            else:
                post.unlink()
        return format_post(text, display, *args)  # type: ignore[arg-type]

    monkeypatch.setattr(formatting, "format_post", format_while_someone_edits)
    result = run("fmt", "--posts", str(library))
    assert result.exit_code == 1
    reason = (
        "changed while being formatted; left as it is"
        if meanwhile == "edited"
        else ("was removed while being formatted")
    )
    assert f"untidy.md: {reason}\n" in result.stderr
    assert result.stderr.endswith(
        "1 file reformatted, 0 files left unchanged, 1 file not formatted\n"
    )
    if meanwhile == "edited":
        assert post.read_text(encoding="utf-8") == edit
    else:
        assert not post.exists()
    assert (library / "other.md").read_text(encoding="utf-8") != UNTIDY.replace("Untidy", "Other")


@pytest.mark.parametrize("command", [("list",), ("search", "financial services"), ("stats",)])
def test_an_index_the_disk_cannot_take_is_not_called_damaged(
    command: tuple[str, ...], run: Run, tmp_path: Path
) -> None:
    posts = ("--posts", str(POSTS))
    result = run_with_small_files(*command, *posts, cwd=tmp_path, cache=True)
    assert result.returncode == 0, result.stderr
    index = result.stderr.removeprefix("canvas: cache index ").split(":")[0]
    assert result.stderr == (
        f"canvas: cache index {index}: cannot be written (is the disk full?);"
        " running without the index\n"
    )
    assert result.stdout == ok(run(*command, *posts, "--no-cache")).stdout


@pytest.mark.parametrize(
    "command", [("show", "memsql"), ("list",), ("compare", "memsql", "violin")]
)
def test_svg_and_html_are_saved_both_or_neither(
    command: tuple[str, ...], run: Run, tmp_path: Path
) -> None:
    arguments = (*command, "--posts", str(POSTS), "--svg", "view.svg")
    failed = run(*arguments, "--html", "missing-folder/view.html")
    assert failed.exit_code == 1
    assert failed.stderr == (
        "canvas: missing-folder/view.html: cannot write: No such file or directory\n"
    )
    assert not (tmp_path / "view.svg").exists()
    ok(run(*arguments, "--html", "view.html"))
    assert (tmp_path / "view.svg").read_text(encoding="utf-8").startswith("<svg")
    assert (tmp_path / "view.html").read_text(encoding="utf-8").startswith("<!DOCTYPE html>")


@pytest.mark.parametrize("no_cache", [False, True], ids=["index", "no-cache"])
@pytest.mark.parametrize(
    "command", [("list",), ("search", "data"), ("stats",), ("export", "--format", "csv")]
)
def test_a_library_removed_while_it_is_read_is_one_line_not_a_line_per_post(
    run: Run,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    no_cache: bool,
    command: tuple[str, ...],
) -> None:
    import canvascli.store.sync as sync
    from canvascli.store.files import FolderState, find_post_paths, walk_post_paths

    library = tmp_path / "library"
    shutil.copytree(POSTS, library)

    def find_then_remove(root: Path) -> list[str]:
        paths = find_post_paths(root)
        shutil.rmtree(library)
        return paths

    def walk_then_remove(root: Path) -> tuple[list[str], dict[str, FolderState]]:
        paths = walk_post_paths(root)
        shutil.rmtree(library)
        return paths

    monkeypatch.setattr(sync, "find_post_paths", find_then_remove)
    monkeypatch.setattr(sync, "walk_post_paths", walk_then_remove)
    extra = ("--no-cache",) if no_cache else ()
    result = run(*command, "--posts", str(library), *extra)
    assert (result.exit_code, result.stdout) == (1, "")
    assert result.stderr == (
        f"canvas: library {library} (from --posts): was removed while it was read\n"
    )


@pytest.mark.parametrize("command", ["fmt", "export"])
def test_an_interrupted_write_leaves_no_temporary_file_behind(
    run: Run, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, command: str
) -> None:
    library = tmp_path / "library"
    library.mkdir()
    post = library / "acme.md"
    untidy = "# Acme\n\n### customer segment\n* Bakers\n"
    post.write_text(untidy, encoding="utf-8")

    def interrupted(descriptor: int) -> None:
        raise KeyboardInterrupt

    # Ctrl-C while the new file is synced, the slowest step of a write.
    monkeypatch.setattr(os, "fsync", interrupted)
    if command == "fmt":
        result = run("fmt", "--posts", str(library))
    else:
        result = run("export", "--posts", str(library), "-o", str(library / "all.json"))
    assert result.exit_code == 130, result.output
    assert sorted(path.name for path in library.iterdir()) == ["acme.md"]
    assert post.read_text(encoding="utf-8") == untidy


def test_an_interrupted_site_build_leaves_no_folder_and_no_temporary_file(
    run: Run, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    site = tmp_path / "site"

    def interrupted() -> None:
        raise KeyboardInterrupt

    # Ctrl-C once every page is written, as they are synced before taking their places.
    monkeypatch.setattr(os, "sync", interrupted)
    result = run("site", "--posts", str(POSTS), "-o", str(site))
    assert result.exit_code == 130, result.output
    assert not site.exists()
    assert sorted(path.name for path in tmp_path.iterdir()) == []
