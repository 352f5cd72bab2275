"""Regenerate the README's pictures by running the real `canvas` at a fixed width."""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
POSTS = REPO / "posts"
PICTURES_DIR = REPO / "tests" / "golden" / "pictures"
WIDTH = 120
# Each picture in the README: its file name, and the `canvas` arguments that draw it.
PICTURES: dict[str, tuple[str, ...]] = {
    "show-memsql-grid.svg": ("show", "memsql", "--grid"),
    "compare-memsql-violin-memory.svg": ("compare", "memsql", "violin-memory"),
}


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


def make_picture(name: str, folder: Path) -> Path:
    """Draw picture `name` into `folder` with `canvas ARGS --svg FILE`, as a user would."""
    target = folder / name
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


def main() -> None:
    PICTURES_DIR.mkdir(parents=True, exist_ok=True)
    for name in PICTURES:
        path = make_picture(name, PICTURES_DIR)
        print(f"wrote {path.relative_to(REPO)}")


if __name__ == "__main__":
    main()
