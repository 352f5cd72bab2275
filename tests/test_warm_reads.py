"""A warm run answers from the index and opens no post; a changed post is read again."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from canvascli.store.index import RACY_WINDOW_NS
from tests.conftest import POSTS

THREE = Path(__file__).resolve().parent / "data" / "three_companies"
# Runs the real `canvas` entry point with every file it opens under the library logged,
# and, when asked, its clock set ahead: a later run, without waiting for it.
OPENS_LOGGED = """
import os, sys, time
log = open(os.environ["OPEN_LOG"], "w", encoding="utf-8")
watched = os.environ["WATCHED"] + os.sep

def hook(event, args):
    if event == "open" and isinstance(args[0], (str, bytes)):
        path = os.path.abspath(os.fsdecode(args[0]))
        if path.startswith(watched):
            log.write(path + "\\n")
            log.flush()

ahead = int(os.environ.get("CLOCK_AHEAD_NS", "0"))
if ahead:
    real_time_ns, real_time = time.time_ns, time.time
    time.time_ns = lambda: real_time_ns() + ahead
    time.time = lambda: real_time() + ahead / 1e9
sys.addaudithook(hook)
from canvascli.__main__ import main
sys.argv = ["canvas", *sys.argv[1:]]
main()
"""
AN_HOUR_LATER = 3600 * 1_000_000_000 + RACY_WINDOW_NS
A_DAY_LATER = 24 * 3600 * 1_000_000_000


def run_logged(
    args: list[str], library: Path, cache: Path, tmp_path: Path, ahead: int
) -> tuple[subprocess.CompletedProcess[str], list[str]]:
    """A run of `canvas ARGS --posts LIBRARY`, and the posts it opened, by name."""
    log = tmp_path / "opened.log"
    done = subprocess.run(
        [sys.executable, "-c", OPENS_LOGGED, *args, "--posts", str(library)],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        env={
            **os.environ,
            "CANVASCLI_CACHE_DIR": str(cache),
            "OPEN_LOG": str(log),
            "WATCHED": str(library),
            "CLOCK_AHEAD_NS": str(ahead),
        },
        stdin=subprocess.DEVNULL,
        timeout=120,
        check=False,
    )
    opened = [Path(line).name for line in log.read_text(encoding="utf-8").splitlines()]
    return done, opened


@pytest.fixture
def library(tmp_path: Path) -> Path:
    folder = tmp_path / "library"
    folder.mkdir()
    for source in (*POSTS.glob("*.md"), *THREE.glob("*.md")):
        shutil.copyfile(source, folder / source.name)
    return folder


def answer(done: subprocess.CompletedProcess[str]) -> tuple[int, str, str]:
    return done.returncode, done.stdout, done.stderr


@pytest.mark.e2e
@pytest.mark.parametrize(
    "args", [["check"], ["show", "memsql"], ["show", "memsql", "--json"]], ids=" ".join
)
def test_a_warm_run_opens_no_post_and_reads_a_changed_one_again(
    library: Path, tmp_path: Path, args: list[str]
) -> None:
    cache = tmp_path / "cache"
    posts = sorted(path.name for path in library.iterdir())
    # Indexed at once, as after a checkout: each post just written, so its times cannot
    # be trusted yet and its contents are checked once by a later run, here an hour later.
    cold, opened = run_logged(args, library, cache, tmp_path, 0)
    assert sorted(set(opened)) == posts
    _, opened = run_logged(["list"], library, cache, tmp_path, AN_HOUR_LATER)
    assert sorted(opened) == posts
    warm, opened = run_logged(args, library, cache, tmp_path, AN_HOUR_LATER)
    assert opened == []
    assert answer(warm) == answer(cold)

    memsql = library / "memsql.md"
    memsql.write_text(
        memsql.read_text(encoding="utf-8").replace("Tableau", "Tableau Software"),
        encoding="utf-8",
    )
    changed, opened = run_logged(args, library, cache, tmp_path, A_DAY_LATER)
    assert set(opened) == {"memsql.md"}
    uncached, _ = run_logged([*args, "--no-cache"], library, cache, tmp_path, A_DAY_LATER)
    assert answer(changed) == answer(uncached)
    assert "Tableau Software" in changed.stdout or args == ["check"]
    again, opened = run_logged(args, library, cache, tmp_path, A_DAY_LATER)
    assert opened == []
    assert answer(again) == answer(changed)
