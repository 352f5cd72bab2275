"""Measure `canvas` as whole processes and write ratios, all from one run, to RESULTS.md."""

from __future__ import annotations

import argparse
import datetime as dt
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from benchmarks.browse import compare_with_bundled
from benchmarks.generate import generate_library

REPO = Path(__file__).resolve().parent.parent
BUNDLED = REPO / "posts"


@dataclass(frozen=True)
class Figure:
    name: str
    value: float
    target: str
    passed: bool | None
    detail: str


def canvas_command() -> list[str]:
    found = shutil.which("canvas", path=str(Path(sys.executable).parent))
    return [found] if found else [sys.executable, "-m", "canvascli"]


def timed(command: list[str], env: dict[str, str], accepted: tuple[int, ...] = (0,)) -> float:
    started = time.perf_counter()
    done = subprocess.run(
        command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env, check=False
    )
    elapsed = time.perf_counter() - started
    if done.returncode not in accepted:
        raise SystemExit(f"benchmark command failed ({done.returncode}): {' '.join(command)}")
    return elapsed


def median_time(
    command: list[str],
    env: dict[str, str],
    runs: int,
    before: Callable[[], None] | None = None,
    accepted: tuple[int, ...] = (0,),
) -> float:
    times = []
    for _ in range(runs):
        if before:
            before()
        times.append(timed(command, env, accepted))
    return statistics.median(times)


def peak_memory_mib(command: list[str], env: dict[str, str]) -> float:
    """The peak resident memory of one run, measured by a fresh parent process."""
    probe = (
        "import resource, subprocess, sys\n"
        "subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL, check=True)\n"
        "print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)\n"
    )
    output = subprocess.run(
        [sys.executable, "-c", probe, *command], env=env, capture_output=True, text=True, check=True
    ).stdout
    return int(output.strip()) / 1024


def mistune_floor(folder: Path, cores: int) -> float:
    """One core's mistune parse time of every post, divided by the cores."""
    import mistune

    markdown = mistune.create_markdown(renderer=None)
    texts = [path.read_text(encoding="utf-8") for path in sorted(folder.glob("*.md"))]
    started = time.perf_counter()
    for text in texts:
        markdown(text)
    return (time.perf_counter() - started) / cores


def cold_build(
    library: Path, command: list[str], cache: Path, env: dict[str, str], runs: int, cores: int
) -> tuple[float, float]:
    """The mistune floor of a library, and the median time of building its index afresh."""
    floor = mistune_floor(library, cores)
    times = []
    for _ in range(runs):
        shutil.rmtree(cache, ignore_errors=True)
        times.append(timed(command, {**env, "CANVASCLI_CACHE_DIR": str(cache)}))
    return floor, statistics.median(times)


def environment(target: Path, *packages: str) -> Path | None:
    """A throw-away environment with these packages installed as a user installs them.

    Installed, not editable, so every program compared starts from compiled bytecode.
    None, with the reason on stderr, when the installation fails.
    """
    try:
        subprocess.run([sys.executable, "-m", "venv", str(target)], check=True, capture_output=True)
        subprocess.run(
            [str(target / "bin" / "python"), "-m", "pip", "install", "--quiet", *packages],
            check=True,
            capture_output=True,
            timeout=600,
        )
    except subprocess.CalledProcessError as failure:
        sys.stderr.write(f"cannot install {' '.join(packages)}: {failure.stderr.decode()[-500:]}\n")
        return None
    except (subprocess.SubprocessError, OSError) as failure:
        sys.stderr.write(f"cannot install {' '.join(packages)}: {failure}\n")
        return None
    return target / "bin"


def measure(posts: int, runs: int, with_tools: bool) -> tuple[list[Figure], list[str]]:
    cores = os.cpu_count() or 1
    commands: list[str] = []
    figures: list[Figure] = []
    with tempfile.TemporaryDirectory(prefix="canvas-bench-") as scratch:
        work = Path(scratch)
        # Two environments: rich-cli pins an older Rich than canvas needs.
        tools = environment(work / "tools", "rich-cli", "icdiff") if with_tools else None
        installed = environment(work / "canvas", str(REPO)) if with_tools else None
        canvas = [str(installed / "canvas")] if installed is not None else canvas_command()
        library = work / "_posts"
        generate_library(library, posts)
        cache = work / "cache"
        env = {**os.environ, "CANVASCLI_CACHE_DIR": str(cache), "NO_COLOR": "1"}
        big_list = [*canvas, "list", "--json", "--posts", str(library)]
        small_list = [*canvas, "list", "--json", "--posts", str(BUNDLED)]

        floor, cold = cold_build(library, big_list, cache, env, runs, cores)
        figures.append(
            Figure(
                f"cold index build of {posts:,} posts, throughput vs the floor",
                floor / cold,
                ">= 0.7",
                floor / cold >= 0.7,
                f"floor {floor:.2f} s (mistune on 1 core / {cores}), build {cold:.2f} s",
            )
        )
        commands.append(f"cold: rm -rf $CACHE && {' '.join(big_list)}")
        timed(big_list, env)
        timed(small_list, env)
        warm_big = median_time(big_list, env, runs)
        warm_small = median_time(small_list, env, runs)
        figures.append(
            Figure(
                f"warm `canvas list --json`, {posts:,} posts vs the bundled 2",
                warm_big / warm_small,
                "<= 2.0x",
                warm_big / warm_small <= 2.0,
                f"{warm_big:.3f} s vs {warm_small:.3f} s",
            )
        )
        commands.append(f"warm: {' '.join(big_list)}  vs  {' '.join(small_list)}")

        big_show = [*canvas, "show", "acme-data-0", "--posts", str(library)]
        small_show = [*canvas, "show", "memsql", "--posts", str(BUNDLED)]
        show_big = median_time(big_show, env, runs)
        show_small = median_time(small_show, env, runs)
        figures.append(
            Figure(
                f"warm `canvas show <one company>`, {posts:,} vs 2",
                show_big / show_small,
                "<= 1.3x",
                show_big / show_small <= 1.3,
                f"{show_big:.3f} s vs {show_small:.3f} s",
            )
        )
        commands.append(f"show: {' '.join(big_show)}  vs  {' '.join(small_show)}")

        big_check = [*canvas, "check", "--posts", str(library)]
        timed(big_check, env, accepted=(0, 1))
        check_warm = median_time(big_check, env, runs, accepted=(0, 1))
        list_warm = median_time(big_list, env, runs)
        figures.append(
            Figure(
                f"warm `canvas check`, {posts:,} posts vs warm `canvas list --json`",
                check_warm / list_warm,
                "<= 2.0x",
                check_warm / list_warm <= 2.0,
                f"{check_warm:.3f} s vs {list_warm:.3f} s",
            )
        )
        commands.append(f"check: {' '.join(big_check)}  vs  {' '.join(big_list)}")

        touched = sorted(library.glob("*.md"))[0]

        def touch() -> None:
            touched.write_text(touched.read_text(encoding="utf-8") + "\n", encoding="utf-8")

        after_touch = median_time(big_list, env, runs, before=touch)
        warm_again = median_time(big_list, env, runs)
        figures.append(
            Figure(
                f"one post touched in {posts:,}, then `canvas list --json`, vs warm",
                after_touch / warm_again,
                "<= 1.3x",
                after_touch / warm_again <= 1.3,
                f"{after_touch:.3f} s vs {warm_again:.3f} s",
            )
        )

        figures += site_figures(canvas, library, work / "site", env, touch)
        commands.append(f"site: {' '.join(canvas)} site -o SITE --posts {library}")

        figures += browse_figures(library, cache, runs, posts)
        commands.append(f"browse: benchmarks.browse on {library} vs {BUNDLED}, at 120x40")

        if tools is not None:
            memsql = str(BUNDLED / "memsql.md")
            ours = median_time([*canvas, "show", "memsql"], env, runs)
            theirs = median_time([str(tools / "rich"), memsql, "--force-terminal"], env, runs)
            figures.append(
                Figure(
                    "`canvas show memsql` vs `rich posts/memsql.md`",
                    ours / theirs,
                    "<= 1.0x",
                    ours / theirs <= 1.0,
                    f"{ours:.3f} s vs {theirs:.3f} s",
                )
            )
            ours = median_time([*canvas, "compare", "memsql", "violin-memory"], env, runs)
            # icdiff, like diff, exits 1 when the files differ.
            theirs = median_time(
                [str(tools / "icdiff"), memsql, str(BUNDLED / "violin-memory.md")],
                env,
                runs,
                accepted=(0, 1),
            )
            figures.append(
                Figure(
                    "`canvas compare memsql violin-memory` vs `icdiff`",
                    ours / theirs,
                    "<= 1.3x",
                    ours / theirs <= 1.3,
                    f"{ours:.3f} s vs {theirs:.3f} s",
                )
            )
        memory = peak_memory_mib(big_list, env)
        figures.append(
            Figure(
                f"peak memory of warm `canvas list --json` on {posts:,} posts",
                memory,
                "<= 120 MiB",
                memory <= 120,
                f"{memory:.1f} MiB",
            )
        )
        # Last, so that building it does not disturb the figures above.
        # Plain posts skip mistune; posts with any inline link cannot. Shown for reference.
        marked = work / "_marked"
        generate_library(marked, posts, markup=True)
        marked_list = [*canvas, "list", "--json", "--posts", str(marked)]
        floor, cold = cold_build(marked, marked_list, work / "marked-cache", env, runs, cores)
        figures.append(
            Figure(
                f"(for reference) cold build of {posts:,} posts with a link in each, all read"
                " by mistune, vs the floor",
                floor / cold,
                "none",
                None,
                f"floor {floor:.2f} s, build {cold:.2f} s",
            )
        )
    return figures, commands


def site_figures(
    canvas: list[str], library: Path, site: Path, env: dict[str, str], touch: Callable[[], None]
) -> list[Figure]:
    """`canvas site` from a warm index: a whole new site, then a rebuild after one post."""
    command = [*canvas, "site", "-o", str(site), "--posts", str(library)]
    build = timed(command, env)
    touch()
    rebuild = timed(command, env)
    posts = len(list(library.glob("*.md")))
    return [
        Figure(
            f"`canvas site` of {posts:,} posts from a warm index, new folder",
            build,
            "none",
            None,
            f"{build:.2f} s",
        ),
        Figure(
            f"`canvas site` again after one post of {posts:,} changed, vs the whole build",
            rebuild / build,
            "<= 0.5x",
            rebuild / build <= 0.5,
            f"{rebuild:.2f} s vs {build:.2f} s",
        ),
    ]


def browse_figures(library: Path, cache: Path, runs: int, posts: int) -> list[Figure]:
    """`canvas browse` on the generated library against the bundled one, in-process."""
    big, small = compare_with_bundled(library, cache, runs)
    frame = big.first_frame / small.first_frame
    keystroke = big.per_keystroke / small.per_keystroke
    return [
        Figure(
            f"`canvas browse` to its first full frame, {posts:,} posts vs 2 (warm index)",
            frame,
            "<= 3.0x",
            frame <= 3.0,
            f"{big.first_frame:.3f} s vs {small.first_frame:.3f} s",
        ),
        Figure(
            f"`canvas browse` per filter keystroke, {posts:,} posts vs 2",
            keystroke,
            "<= 2.0x",
            keystroke <= 2.0,
            f"{big.per_keystroke:.4f} s vs {small.per_keystroke:.4f} s",
        ),
    ]


def report(figures: list[Figure], commands: list[str], posts: int, runs: int) -> str:
    lines = [
        "# Benchmark results",
        "",
        f"- date: {dt.datetime.now(dt.UTC).strftime('%Y-%m-%d %H:%M UTC')}",
        f"- cores: {os.cpu_count()}; Python {sys.version.split()[0]}",
        f"- posts: {posts:,}; each figure is the median of {runs} whole-process runs",
        f"- command: `python -m benchmarks.run --posts {posts} --runs {runs}`",
        "",
        "| figure | value | target | met | measured |",
        "|---|---|---|---|---|",
    ]
    for figure in figures:
        met = "n/a" if figure.passed is None else ("yes" if figure.passed else "no")
        value = f"{figure.value:.1f} MiB" if "MiB" in figure.target else f"{figure.value:.2f}"
        lines.append(f"| {figure.name} | {value} | {figure.target} | {met} | {figure.detail} |")
    lines += ["", "Commands:", "", *(f"- `{command}`" for command in commands), ""]
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--posts", type=int, default=10_000)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--out", type=Path, default=REPO / "benchmarks" / "RESULTS.md")
    parser.add_argument(
        "--no-tools",
        action="store_true",
        help="Skip the comparisons that install rich-cli and icdiff.",
    )
    arguments = parser.parse_args()
    figures, commands = measure(arguments.posts, arguments.runs, not arguments.no_tools)
    text = report(figures, commands, arguments.posts, arguments.runs)
    arguments.out.write_text(text, encoding="utf-8")
    print(text)


if __name__ == "__main__":
    main()
