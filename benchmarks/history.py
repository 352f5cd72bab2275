"""Time `canvas log` and `COMPANY@REV` on a post with a long git history."""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from benchmarks.generate import post

# Each commit edits one block, in turn, and every tenth renames the post as well.
RENAME_EVERY = 10
IDENTITY = {
    "GIT_AUTHOR_NAME": "Bench",
    "GIT_AUTHOR_EMAIL": "bench@example.com",
    "GIT_COMMITTER_NAME": "Bench",
    "GIT_COMMITTER_EMAIL": "bench@example.com",
    "GIT_CONFIG_NOSYSTEM": "1",
}


def git(top: Path, *arguments: str, when: int = 0) -> None:
    stamp = f"{1_700_000_000 + when * 86_400} +0000"
    environ = {
        **{name: value for name, value in os.environ.items() if not name.startswith("GIT_")},
        **IDENTITY,
        "HOME": str(top),
        "GIT_AUTHOR_DATE": stamp,
        "GIT_COMMITTER_DATE": stamp,
    }
    subprocess.run(["git", *arguments], cwd=top, env=environ, check=True, capture_output=True)


def edited(text: str, commit: int) -> str:
    """`text` with one more sentence at the end of block number `commit` (mod the blocks)."""
    lines = text.split("\n")
    headings = [number for number, line in enumerate(lines) if line.startswith("### ")]
    heading = headings[commit % len(headings)]
    lines.insert(heading + 2, f"Change {commit}: the company revised this block.\n")
    return "\n".join(lines)


def build(top: Path, commits: int) -> Path:
    """A repository whose one post was changed by `commits` commits; its library folder."""
    posts = top / "_posts"
    posts.mkdir(parents=True)
    git(top, "init", "-q")
    name, text = "acme-data-0.md", post(0)
    for commit in range(commits):
        if commit and commit % RENAME_EVERY == 0:
            renamed = f"acme-data-0-v{commit}.md"
            git(top, "mv", f"_posts/{name}", f"_posts/{renamed}")
            name = renamed
        text = edited(text, commit) if commit else text
        (posts / name).write_text(text, encoding="utf-8")
        git(top, "add", "-A")
        git(top, "commit", "-q", "-m", f"Change {commit}", when=commit)
    return posts


def timed(arguments: list[str], runs: int) -> float:
    """The median wall time of the installed `canvas` run with `arguments`, warm index."""
    command = [sys.executable, "-m", "canvascli", *arguments]
    subprocess.run(command, check=True, capture_output=True)
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run(command, check=True, capture_output=True)
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--commits", type=int, default=200, help="commits to the post")
    parser.add_argument("--runs", type=int, default=5, help="timed runs of each command")
    options = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        posts = build(Path(folder) / "repo", options.commits)
        library = ["--posts", str(posts)]
        rows = [
            ("canvas list", timed(["list", *library], options.runs)),
            (
                "canvas log acme-data-0",
                timed(["log", "acme-data-0", "--json", *library], options.runs),
            ),
            (
                "canvas show acme-data-0@HEAD~N",
                timed(
                    ["show", f"acme-data-0@HEAD~{options.commits - 1}", "--json", *library],
                    options.runs,
                ),
            ),
        ]
    print(f"A post changed by {options.commits} commits (renamed every {RENAME_EVERY}):")
    print(f"median of {options.runs} runs, warm index\n")
    print("| command | seconds |")
    print("|---|---|")
    for command, seconds in rows:
        print(f"| `{command}` | {seconds:.3f} |")


if __name__ == "__main__":
    main()
