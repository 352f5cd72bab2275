"""One rule for every file `canvas` writes: never over an existing file unless forced, and
never, forced or not, over anything but a regular file."""

from __future__ import annotations

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
