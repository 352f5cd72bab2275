"""Regenerate the README's pictures by running the real `canvas` at a fixed width."""

from __future__ import annotations

import asyncio
import os
import re
import subprocess
import sys
import tempfile
from collections.abc import Sequence
from pathlib import Path
from unittest import mock

from canvascli.browse.app import BrowseApp
from canvascli.store.files import locate_library
from canvascli.store.library import load_library

REPO = Path(__file__).resolve().parent.parent
POSTS = REPO / "posts"
PICTURES_DIR = REPO / "tests" / "golden" / "pictures"
WIDTH = 120
BROWSE_SIZE = (WIDTH, 40)
# Each picture in the README: its file name, and the `canvas` arguments that draw it.
PICTURES: dict[str, tuple[str, ...]] = {
    "show-memsql-grid.svg": ("show", "memsql", "--grid"),
    "compare-memsql-violin-memory.svg": ("compare", "memsql", "violin-memory"),
    "browse-memsql.svg": ("browse", "memsql"),
}
# The canvas page of `canvas site`, as Chromium draws it: a PNG, as a browser's fonts vary
# from machine to machine; made where Chromium is (tests/browser.py).
SITE_PICTURE = "site-memsql.png"
SITE_VIEWPORT = (1400, 960)
# Rich names every SVG's classes and ids after a hash of the picture; one fixed name keeps
# a one-cell change to a picture a one-line diff.
PICTURE_ID = re.compile(r"terminal-\d+")


class PictureError(Exception):
    """`canvas` failed to draw a picture."""


def pinned_environment(cache_dir: Path) -> dict[str, str]:
    """Only what Python needs to start, so no setting of the caller's can change a picture."""
    environment = {
        "PATH": os.environ.get("PATH", ""),
        "LC_ALL": "C.UTF-8",
        "PYTHONUTF8": "1",
        "PYTHONIOENCODING": "utf-8",
        "COLUMNS": str(WIDTH),
        "LINES": "50",
        "TERM": "xterm-256color",
        "CANVASCLI_CACHE_DIR": str(cache_dir),
    }
    if "SYSTEMROOT" in os.environ:  # Python cannot start on Windows without it
        environment["SYSTEMROOT"] = os.environ["SYSTEMROOT"]
    return environment


def browse_screenshot(
    folder: Path,
    size: tuple[int, int],
    company: str | None = None,
    *,
    keys: Sequence[str] = (),
    plain: bool = False,
) -> str:
    """The screen `canvas browse` shows at `size` once everything has been drawn, after
    `keys` are pressed, as an SVG with its hashed names made fixed and no line ending in
    spaces; `plain` as with NO_COLOR set."""
    library = load_library(locate_library(folder, {}), use_cache=False)
    # Textual reads NO_COLOR from the environment as the app is made; pictures keep colour.
    with mock.patch.dict(os.environ):
        os.environ.pop("NO_COLOR", None)
        app = BrowseApp(library, company=company, plain=plain)

    async def run() -> str:
        async with app.run_test(size=size) as pilot:
            await pilot.pause()
            await pilot.press(*keys)
            await app.workers.wait_for_complete()
            await pilot.pause()
            return app.export_screenshot()

    named = PICTURE_ID.sub("terminal", asyncio.run(run()))
    return "".join(line.rstrip() + "\n" for line in named.splitlines())


def make_picture(name: str, folder: Path) -> Path:
    """Draw picture `name` into `folder` with `canvas ARGS --svg FILE`, as a user would;
    `canvas browse` has no `--svg`, so its picture is Textual's screenshot of the app."""
    target = folder / name
    command_name, *arguments = PICTURES[name]
    if command_name == "browse":
        company = arguments[0] if arguments else None
        target.write_text(browse_screenshot(POSTS, BROWSE_SIZE, company), encoding="utf-8")
        return target
    command = [
        sys.executable,
        "-m",
        "canvascli",
        *PICTURES[name],
        "--posts",
        str(POSTS),
        "--width",
        str(WIDTH),
        "--svg",
        str(target),
        "--force",
    ]
    with tempfile.TemporaryDirectory() as cache_dir:
        finished = subprocess.run(
            command,
            capture_output=True,
            text=True,
            encoding="utf-8",
            env=pinned_environment(Path(cache_dir)),
            cwd=cache_dir,
            stdin=subprocess.DEVNULL,
            check=False,
        )
    if finished.returncode != 0:
        raise PictureError(f"canvas {' '.join(PICTURES[name])}: {finished.stderr.strip()}")
    return target


def make_site_picture(target: Path) -> Path:
    """Build the bundled library's site and take the MemSQL canvas page as Chromium shows it."""
    from tests.browser import chromium

    with tempfile.TemporaryDirectory() as folder:
        site = Path(folder) / "site"
        finished = subprocess.run(
            [sys.executable, "-m", "canvascli", "site", "-o", str(site), "--posts", str(POSTS)],
            capture_output=True,
            text=True,
            env=pinned_environment(Path(folder)),
            cwd=folder,
            check=False,
        )
        if finished.returncode != 0:
            raise PictureError(f"canvas site: {finished.stderr.strip()}")
        with chromium() as browser:
            width, height = SITE_VIEWPORT
            page = browser.new_page(
                viewport={"width": width, "height": height}, color_scheme="light"
            )
            page.goto((site / "c" / "memsql.html").as_uri())
            page.screenshot(path=str(target), full_page=True)
    return target


def main() -> None:
    from tests.browser import missing

    PICTURES_DIR.mkdir(parents=True, exist_ok=True)
    for name in PICTURES:
        path = make_picture(name, PICTURES_DIR)
        print(f"wrote {path.relative_to(REPO)}")
    if missing():
        print(f"left {SITE_PICTURE} as it is: {missing()}")
        return
    path = make_site_picture(PICTURES_DIR / SITE_PICTURE)
    print(f"wrote {path.relative_to(REPO)}")


if __name__ == "__main__":
    main()
