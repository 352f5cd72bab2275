"""Help screens kept on disk: printed as drawn, without Typer or Rich, and drawn anew when
anything they depend on changes."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.conftest import canvas_executable

pytestmark = pytest.mark.e2e

REPO = Path(__file__).resolve().parent.parent

HELP_REQUESTS = [[], ["--help"], ["-h"], ["show", "--help"], ["cache", "clear", "-h"]]
CONDITIONS = [
    {},
    {"COLUMNS": "60"},
    {"COLUMNS": "140", "FORCE_COLOR": "1"},
    {"COLUMNS": "100", "FORCE_COLOR": "1", "NO_COLOR": "1"},
]


def canvas(
    arguments: list[str], cache: Path, extra: dict[str, str] | None = None, *, prefix: list[str]
) -> subprocess.CompletedProcess[bytes]:
    environ = {
        name: value
        for name, value in os.environ.items()
        if name not in {"COLUMNS", "FORCE_COLOR", "NO_COLOR"}
    }
    return subprocess.run(
        [*prefix, *arguments],
        capture_output=True,
        # Never the repository, whose package `python -m` would load before any other.
        cwd=cache.parent,
        env={**environ, "CANVASCLI_CACHE_DIR": str(cache), **(extra or {})},
        stdin=subprocess.DEVNULL,
        timeout=60,
        check=False,
    )


def outcome(completed: subprocess.CompletedProcess[bytes]) -> tuple[int, bytes, bytes]:
    return completed.returncode, completed.stdout, completed.stderr


def kept_screens(cache: Path) -> list[Path]:
    folder = cache / "help"
    return sorted(folder.iterdir()) if folder.is_dir() else []


@pytest.mark.parametrize(
    ("arguments", "extra"), list(zip(HELP_REQUESTS, CONDITIONS * 2, strict=False)), ids=repr
)
def test_a_kept_screen_prints_what_drawing_it_prints(
    arguments: list[str], extra: dict[str, str], tmp_path: Path
) -> None:
    prefix = canvas_executable()
    fresh = canvas(arguments, tmp_path / "fresh", extra, prefix=prefix)
    first = canvas(arguments, tmp_path / "kept", extra, prefix=prefix)
    again = canvas(arguments, tmp_path / "kept", extra, prefix=prefix)
    assert outcome(first) == outcome(again) == outcome(fresh)
    assert b"Usage:" in fresh.stdout
    assert len(kept_screens(tmp_path / "kept")) == 1


def test_each_terminal_and_colour_setting_has_its_own_screen(tmp_path: Path) -> None:
    prefix = canvas_executable()
    for number, extra in enumerate(CONDITIONS):
        fresh = canvas(["--help"], tmp_path / f"fresh-{number}", extra, prefix=prefix)
        kept = canvas(["--help"], tmp_path / "kept", extra, prefix=prefix)
        assert outcome(kept) == outcome(fresh), extra
    again = [canvas(["--help"], tmp_path / "kept", extra, prefix=prefix) for extra in CONDITIONS]
    assert len({completed.stdout for completed in again}) == len(CONDITIONS)
    assert len(kept_screens(tmp_path / "kept")) == len(CONDITIONS)


def test_a_kept_screen_is_printed_without_loading_typer_or_rich(tmp_path: Path) -> None:
    prefix = [sys.executable, "-X", "importtime", "-m", "canvascli"]
    drawn = canvas(["show", "--help"], tmp_path, prefix=prefix)
    kept = canvas(["show", "--help"], tmp_path, prefix=prefix)
    assert drawn.stdout == kept.stdout
    assert b" typer" in drawn.stderr
    loaded = [line.rsplit(b"|", 1)[-1].strip() for line in kept.stderr.splitlines()]
    assert not [name for name in loaded if name.split(b".")[0] in {b"typer", b"rich"}]


def test_a_damaged_screen_is_drawn_again(tmp_path: Path) -> None:
    prefix = canvas_executable()
    fresh = canvas(["--help"], tmp_path / "fresh", prefix=prefix)
    canvas(["--help"], tmp_path / "kept", prefix=prefix)
    (screen,) = kept_screens(tmp_path / "kept")
    data = screen.read_bytes()
    for damaged in (data[: len(data) // 2], data.replace(b"Usage", b"Misuse"), b"", b"\n\n"):
        screen.write_bytes(damaged)
        assert outcome(canvas(["--help"], tmp_path / "kept", prefix=prefix)) == outcome(fresh)
        assert screen.read_bytes() == data


def _link_to_a_device(path: Path) -> None:
    path.symlink_to("/dev/zero")


# What may be found where a file is kept: a named pipe, and a link to an endless device.
PLANTS: tuple[Callable[[Path], None], ...] = (os.mkfifo, _link_to_a_device)


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no named pipes here")
def test_a_pipe_or_a_device_where_a_screen_is_kept_is_drawn_around_not_read(
    tmp_path: Path,
) -> None:
    """A named pipe would hold the run until something wrote to it, and a link to
    /dev/zero would be read until memory ran out."""
    prefix = canvas_executable()
    fresh = canvas(["--help"], tmp_path / "fresh", prefix=prefix)
    canvas(["--help"], tmp_path / "kept", prefix=prefix)
    (screen,) = kept_screens(tmp_path / "kept")
    for plant in PLANTS:
        screen.unlink()
        plant(screen)
        assert outcome(canvas(["--help"], tmp_path / "kept", prefix=prefix)) == outcome(fresh)
        assert screen.is_file() and not screen.is_symlink()


def test_help_is_printed_when_no_screen_can_be_kept(tmp_path: Path) -> None:
    prefix = canvas_executable()
    fresh = canvas(["--help"], tmp_path / "fresh", prefix=prefix)
    not_a_folder = tmp_path / "file"
    not_a_folder.write_text("in the way\n")
    for _ in range(2):
        assert outcome(canvas(["--help"], not_a_folder, prefix=prefix)) == outcome(fresh)


def test_errors_are_never_kept(tmp_path: Path) -> None:
    prefix = canvas_executable()
    failed = canvas(["no-such-command", "--help"], tmp_path, prefix=prefix)
    assert failed.returncode == 2
    assert b"no-such-command" in failed.stderr
    assert kept_screens(tmp_path) == []


def test_shell_completion_is_never_answered_with_a_help_screen(tmp_path: Path) -> None:
    prefix = canvas_executable()
    canvas([], tmp_path / "kept", prefix=prefix)
    completing = {"_CANVAS_COMPLETE": "complete_bash", "COMP_WORDS": "canvas sh", "COMP_CWORD": "1"}
    completed = canvas([], tmp_path / "kept", completing, prefix=prefix)
    assert completed.returncode == 0
    assert b"show" in completed.stdout
    assert b"Usage" not in completed.stdout
    assert outcome(completed) == outcome(canvas([], tmp_path / "fresh", completing, prefix=prefix))


def test_only_the_latest_screens_are_kept(tmp_path: Path) -> None:
    """Seventy screens kept by earlier runs, older than a first real one: the next screen
    drawn leaves the latest 64, its own and the first among them."""
    prefix = canvas_executable()
    canvas(["-h"], tmp_path, {"COLUMNS": "40"}, prefix=prefix)
    [first] = kept_screens(tmp_path)
    an_hour_ago = first.stat().st_mtime_ns - 3600 * 10**9
    earlier = [first.with_name(f"{number:0{len(first.name)}x}") for number in range(70)]
    for age, screen in enumerate(reversed(earlier)):
        screen.write_bytes(first.read_bytes())
        os.utime(screen, ns=(an_hour_ago - age, an_hour_ago - age))
    canvas(["-h"], tmp_path, {"COLUMNS": "41"}, prefix=prefix)
    kept = kept_screens(tmp_path)
    assert len(kept) == 64
    assert first in kept
    assert len(set(kept) - {first} - set(earlier)) == 1, "the new screen is kept"
    assert set(kept) & set(earlier) == set(earlier[-62:]), "the oldest are forgotten"


def test_a_new_version_of_the_code_draws_its_own_screens(tmp_path: Path) -> None:
    copy = tmp_path / "code"
    shutil.copytree(REPO / "canvascli", copy / "canvascli", ignore=shutil.ignore_patterns("*.pyc"))
    prefix = [sys.executable, "-m", "canvascli"]
    environ = {"PYTHONPATH": str(copy)}
    before = canvas(["--help"], tmp_path / "kept", environ, prefix=prefix)
    cli = copy / "canvascli" / "cli.py"
    cli.write_text(cli.read_text().replace("Browse and compare", "Browse, compare"))
    after = canvas(["--help"], tmp_path / "kept", environ, prefix=prefix)
    assert b"Browse and compare" in before.stdout
    assert b"Browse, compare" in after.stdout


def test_a_link_planted_under_the_name_a_screen_is_first_written_to_is_not_followed(
    tmp_path: Path,
) -> None:
    from canvascli.cache_folder import PARTIAL_SCREEN_SUFFIX
    from canvascli.help_screens import _keep_screen

    folder = tmp_path / "help"
    folder.mkdir()
    victim = tmp_path / "victim"
    victim.write_bytes(b"kept as it is\n")
    screen = folder / "abc"
    (folder / f"abc.{os.getpid()}{PARTIAL_SCREEN_SUFFIX}").symlink_to(victim)
    _keep_screen(str(folder), str(screen), b"conditions", 0, "help text\n")
    assert victim.read_bytes() == b"kept as it is\n"
    assert not screen.exists()
