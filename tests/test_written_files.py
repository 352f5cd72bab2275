"""One rule for every file `canvas` writes: never over an existing file unless forced, and
never, forced or not, over anything but a regular file."""

from __future__ import annotations

import json
import os
import stat
from pathlib import Path

import pytest

from tests.helpers import Run, ok

# Each command that writes a file, with the option that names it last.
WRITERS = [
    ["export", "-o"],
    ["export", "memsql", "--format", "markdown", "-o"],
    ["list", "--svg"],
    ["show", "memsql", "--grid", "--html"],
    ["compare", "memsql", "violin-memory", "--svg"],
    ["similar", "memsql", "--html"],
    ["stats", "--svg"],
    ["search", "financial", "--html"],
]
IDS = [" ".join(writer) for writer in WRITERS]


@pytest.mark.parametrize("writer", WRITERS, ids=IDS)
def test_an_existing_file_is_replaced_only_with_force(
    run: Run, tmp_path: Path, writer: list[str]
) -> None:
    target = tmp_path / "out.file"
    target.write_text("precious\n", encoding="utf-8")
    refused = run(*writer, str(target))
    assert (refused.exit_code, refused.stdout) == (1, "")
    assert refused.stderr == f"canvas: {target}: already exists; use --force to overwrite it\n"
    assert target.read_text(encoding="utf-8") == "precious\n"
    ok(run(*writer, str(target), "--force"))
    assert target.read_text(encoding="utf-8") != "precious\n"
    assert sorted(path.name for path in tmp_path.iterdir()) == ["out.file"], "no temporary left"


def make_symlink(path: Path) -> str:
    kept = path.with_name("kept.txt")
    kept.write_text("precious\n", encoding="utf-8")
    path.symlink_to(kept)
    return "is a symbolic link; only a regular file is ever replaced"


def make_fifo(path: Path) -> str:
    os.mkfifo(path)
    return "is a named pipe (FIFO); only a regular file is ever replaced"


def make_folder(path: Path) -> str:
    path.mkdir()
    (path / "inside.txt").write_text("precious\n", encoding="utf-8")
    return "is a folder"


NOT_REGULAR = {"symlink": make_symlink, "fifo": make_fifo, "folder": make_folder}


def file_kinds(folder: Path) -> dict[str, int]:
    return {path.name: stat.S_IFMT(path.lstat().st_mode) for path in folder.iterdir()}


# Markdown of companies into an existing folder writes a file each inside it, as documented.
REFUSALS = [
    pytest.param(writer, kind, id=f"{name} over a {kind}")
    for writer, name in zip(WRITERS, IDS, strict=True)
    for kind in NOT_REGULAR
    if not (kind == "folder" and "markdown" in writer)
]


@pytest.mark.parametrize(("writer", "kind"), REFUSALS)
def test_force_replaces_nothing_but_a_regular_file(
    run: Run, tmp_path: Path, writer: list[str], kind: str
) -> None:
    target = tmp_path / "out.file"
    reason = NOT_REGULAR[kind](target)
    before = file_kinds(tmp_path)
    result = run(*writer, str(target), "--force")
    assert (result.exit_code, result.stdout) == (1, "")
    assert result.stderr == f"canvas: {target}: {reason}\n"
    assert file_kinds(tmp_path) == before
    if kind == "symlink":
        assert (tmp_path / "kept.txt").read_text(encoding="utf-8") == "precious\n"


@pytest.mark.skipif(os.geteuid() != 0, reason="only root may make a device node")
@pytest.mark.parametrize("writer", [WRITERS[0], WRITERS[2]], ids=[IDS[0], IDS[2]])
def test_force_never_replaces_a_device_even_for_root(
    run: Run, tmp_path: Path, writer: list[str]
) -> None:
    # A device node made like /dev/null: the same rule keeps /dev/null itself, untouched here.
    device = tmp_path / "null"
    os.mknod(device, stat.S_IFCHR | 0o666, os.makedev(1, 3))
    result = run(*writer, str(device), "--force")
    assert result.exit_code == 1
    assert result.stderr == (
        f"canvas: {device}: is a character device; only a regular file is ever replaced\n"
    )
    assert stat.S_ISCHR(device.lstat().st_mode)
    assert sorted(path.name for path in tmp_path.iterdir()) == ["null"]


# Each command that writes a file, a name whose extension promises another format, and
# the one line that refuses it.
NAMES_FOR_ANOTHER_FORMAT = [
    (
        ["export", "-o", "canvases.yaml"],
        "--output canvases.yaml: export writes json, csv or markdown, not yaml; "
        "name the file .json, .csv or .md",
    ),
    (
        ["export", "--format", "json", "-o", "canvases.csv"],
        "--format json contradicts --output canvases.csv (a .csv name)",
    ),
    (
        ["export", "-f", "csv", "-o", "canvases.YML"],
        "--format csv contradicts --output canvases.YML (a .YML name)",
    ),
    (
        ["export", "memsql", "-f", "markdown", "-o", "memsql.html"],
        "--format markdown contradicts --output memsql.html (a .html name)",
    ),
    (["list", "--svg", "list.html"], "--svg list.html: a .html file cannot hold an SVG picture"),
    (
        ["show", "memsql", "--grid", "--html", "grid.svg"],
        "--html grid.svg: a .svg file cannot hold an HTML page",
    ),
    (
        ["compare", "memsql", "violin-memory", "--svg", "compare.png"],
        "--svg compare.png: a .png file cannot hold an SVG picture",
    ),
    (
        ["site", "-o", "index.html"],
        "--output index.html: a .html name is for a file; the site is a folder",
    ),
]


@pytest.mark.parametrize(
    ("arguments", "reason"),
    NAMES_FOR_ANOTHER_FORMAT,
    ids=[" ".join(arguments) for arguments, _ in NAMES_FOR_ANOTHER_FORMAT],
)
def test_a_file_is_never_written_under_a_name_for_another_format(
    run: Run, tmp_path: Path, arguments: list[str], reason: str
) -> None:
    result = run(*arguments)
    assert (result.exit_code, result.stdout, result.stderr) == (2, "", f"canvas: {reason}\n")
    assert list(tmp_path.iterdir()) == []


def test_without_format_the_extension_chooses_it_and_others_get_json(
    run: Run, tmp_path: Path
) -> None:
    ok(run("export", "-o", "canvases.CSV"))
    header = (tmp_path / "canvases.CSV").read_text(encoding="utf-8").splitlines()[0]
    assert header == "company,slug,block,kind,position,text"
    ok(run("export", "-o", "canvases.txt"))
    exported = json.loads((tmp_path / "canvases.txt").read_text(encoding="utf-8"))
    assert [canvas["slug"] for canvas in exported] == ["memsql", "violin-memory"]
    ok(run("export", "-f", "csv", "-o", "rows"))
    assert (tmp_path / "rows").read_text(encoding="utf-8").startswith("company,slug,")
    ok(run("list", "--svg", "list"))
    assert (tmp_path / "list").read_text(encoding="utf-8").startswith("<svg")
    # A folder already there keeps serving as the site, whatever its name says.
    (tmp_path / "site.html").mkdir()
    ok(run("site", "-o", "site.html"))
    assert (tmp_path / "site.html" / "index.html").is_file()
