"""Measure `canvas` as whole processes and write ratios, all from one run, to RESULTS.md."""

from __future__ import annotations

import argparse
import datetime as dt
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from multiprocessing.queues import SimpleQueue
from multiprocessing.synchronize import Barrier
from pathlib import Path

from benchmarks.browse import compare_with_bundled
from benchmarks.generate import generate_library
from canvascli.cache_folder import PATTERNS_FOLDER

REPO = Path(__file__).resolve().parent.parent
BUNDLED = REPO / "posts"


# What every `canvas` run pays before any work of its own: Python with Typer and Rich loaded.
FLOOR_CODE = "import typer, rich.console, rich.table"
# A word of every generated post and of both bundled ones.
SEARCHED = "customers"
# Every how many posts of the library the reading is compared with mistune's.
_READING_SAMPLE = 5


@dataclass(frozen=True)
class Figure:
    name: str
    value: float
    target: str
    passed: bool | None
    detail: str
    # The command's own time over the floor's, for figures that time one whole command.
    over_floor: float | None = None


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


@dataclass(frozen=True)
class Run:
    """One whole-process command to time: its arguments, environment and accepted exits."""

    command: list[str]
    env: dict[str, str]
    accepted: tuple[int, ...] = (0,)
    before: Callable[[], None] | None = None

    def time(self) -> float:
        if self.before:
            self.before()
        return timed(self.command, self.env, self.accepted)


def paired(first: Run, second: Run, runs: int) -> tuple[float, float]:
    """The median times of two commands run turn about, after one untimed run of each, so
    that whatever else loads the machine weighs on both alike."""
    first.time()
    second.time()
    times: tuple[list[float], list[float]] = ([], [])
    for _ in range(runs):
        times[0].append(first.time())
        times[1].append(second.time())
    return statistics.median(times[0]), statistics.median(times[1])


def ratio_figure(
    name: str, ours: float, theirs: float, limit: float, floor: float | None = None
) -> Figure:
    """`ours / theirs` against a target of at most `limit`."""
    return Figure(
        name,
        ours / theirs,
        f"<= {limit}x",
        ours / theirs <= limit,
        f"{ours:.3f} s vs {theirs:.3f} s",
        ours / floor if floor else None,
    )


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


def _mistune_share(
    texts: list[str], start: Barrier, spans: SimpleQueue[tuple[float, float]]
) -> None:
    """Parse `texts` with mistune once every process is ready, and put when it ran."""
    import mistune

    markdown = mistune.create_markdown(renderer=None)
    start.wait()
    # perf_counter is the system-wide monotonic clock, so spans of processes compare.
    began = time.perf_counter()
    for text in texts:
        markdown(text)
    spans.put((began, time.perf_counter()))


def mistune_on_every_core(folder: Path, cores: int) -> float:
    """The time mistune takes to parse every post with each core parsing its share at once,
    from the first start to the last end."""
    import multiprocessing

    texts = [path.read_text(encoding="utf-8") for path in sorted(folder.glob("*.md"))]
    forked = multiprocessing.get_context("fork")
    start, spans = forked.Barrier(cores), forked.SimpleQueue()
    workers = [
        forked.Process(target=_mistune_share, args=(texts[core::cores], start, spans))
        for core in range(cores)
    ]
    for worker in workers:
        worker.start()
    ran: list[tuple[float, float]] = [spans.get() for _ in workers]
    for worker in workers:
        worker.join()
    return max(end for _began, end in ran) - min(began for began, _end in ran)


def reading_against_mistune(folder: Path, runs: int) -> tuple[float, float]:
    """Seconds a post, in this process, for `canvas`'s whole reading of it (file, canvas,
    packed record) and for mistune's parse of its text alone: medians of runs turn about."""
    import mistune

    from canvascli.store.files import DEFAULT_MAX_BYTES
    from canvascli.store.sync import parse_file

    paths = sorted(folder.glob("*.md"))[::_READING_SAMPLE]
    jobs = [(str(folder), path.name, str(DEFAULT_MAX_BYTES), ()) for path in paths]
    texts = [path.read_text(encoding="utf-8") for path in paths]
    markdown = mistune.create_markdown(renderer=None)
    ours: list[float] = []
    theirs: list[float] = []
    for _ in range(runs):
        started = time.perf_counter()
        for job in jobs:
            parse_file(job)
        ours.append((time.perf_counter() - started) / len(jobs))
        started = time.perf_counter()
        for text in texts:
            markdown(text)
        theirs.append((time.perf_counter() - started) / len(texts))
    return statistics.median(ours), statistics.median(theirs)


def cold_build_parts(library: Path, runs: int, cores: int) -> list[Figure]:
    """Where a cold build's time goes beside its floor, for reference: how `canvas` reads a
    post against mistune, and how far cores working at once fall short of sharing one
    core's time out."""
    ours, theirs = reading_against_mistune(library, runs)
    shared_out = mistune_floor(library, cores)
    at_once = mistune_on_every_core(library, cores)
    return [
        Figure(
            "(for reference) reading a post in one process, file to packed record, vs"
            " mistune's parse of its text",
            ours / theirs,
            "none",
            None,
            f"{ours * 1e6:.0f} us vs {theirs * 1e6:.0f} us a post",
        ),
        Figure(
            f"(for reference) mistune on {cores} cores at once vs one core's time / {cores}",
            at_once / shared_out,
            "none",
            None,
            f"{at_once:.2f} s vs {shared_out:.2f} s",
        ),
    ]


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


@dataclass(frozen=True)
class Setup:
    """What every figure is measured with: `canvas`, its Python, the environment, runs."""

    canvas: list[str]
    python: str
    env: dict[str, str]
    runs: int
    cores: int

    def run(self, *arguments: str, accepted: tuple[int, ...] = (0,), **env: str) -> Run:
        return Run([*self.canvas, *arguments], {**self.env, **env}, accepted)


def measure(
    posts: int, runs: int, with_tools: bool, big_posts: int, library_cache: Path
) -> tuple[list[Figure], list[str]]:
    commands: list[str] = []
    figures: list[Figure] = []
    with tempfile.TemporaryDirectory(prefix="canvas-bench-") as scratch:
        work = Path(scratch)
        # Two environments: rich-cli pins an older Rich than canvas needs.
        tools = environment(work / "tools", "rich-cli", "icdiff") if with_tools else None
        installed = environment(work / "canvas", str(REPO)) if with_tools else None
        setup = Setup(
            [str(installed / "canvas")] if installed is not None else canvas_command(),
            str(installed / "python") if installed is not None else sys.executable,
            {**os.environ, "CANVASCLI_CACHE_DIR": str(work / "cache"), "NO_COLOR": "1"},
            runs,
            os.cpu_count() or 1,
        )
        floor, floor_figures = start_up_figures(setup)
        figures += floor_figures
        commands += [
            f"floor: {setup.python} -c {FLOOR_CODE!r}  vs  {setup.python} -c pass",
            f"start-up: {' '.join(setup.canvas)} --version  vs  {setup.python} -c pass;"
            f" --help vs --version",
        ]
        library = work / "_posts"
        generate_library(library, posts)
        figures += library_figures(setup, library, work / "cache", floor, commands)
        first_post = sorted(library.glob("*.md"))[0]
        figures += site_figures(
            setup.canvas, library, work / "site", setup.env, partial(touch, first_post)
        )
        commands.append(f"site: {' '.join(setup.canvas)} site -o SITE --posts {library}")

        figures += browse_figures(library, work / "cache", runs, posts)
        commands.append(f"browse: benchmarks.browse on {library} vs {BUNDLED}, at 120x40")
        if tools is not None:
            figures += peer_figures(setup, tools, floor)
            commands += [
                f"peer: {' '.join(setup.canvas)} show memsql  vs  {tools / 'rich'}"
                f" {BUNDLED / 'memsql.md'} --force-terminal",
                f"peer: {' '.join(setup.canvas)} compare memsql violin-memory  vs"
                f"  {tools / 'icdiff'} {BUNDLED / 'memsql.md'} {BUNDLED / 'violin-memory.md'}",
            ]
        big_list = setup.run("list", "--json", "--posts", str(library))
        memory = peak_memory_mib(big_list.command, setup.env)
        figures.append(
            Figure(
                f"peak memory of warm `canvas list --json` on {posts:,} posts",
                memory,
                "<= 120 MiB",
                memory <= 120,
                f"{memory:.1f} MiB",
            )
        )
        # Last, so that building them does not disturb the figures above.
        figures += scale_figures(setup, big_posts, library_cache, work / "big-cache", commands)
        # Plain posts skip mistune; posts with any inline link cannot. Shown for reference.
        marked = work / "_marked"
        generate_library(marked, posts, markup=True)
        marked_list = [*setup.canvas, "list", "--json", "--posts", str(marked)]
        cold_floor, cold = cold_build(
            marked, marked_list, work / "marked-cache", setup.env, runs, setup.cores
        )
        figures.append(
            Figure(
                f"(for reference) cold build of {posts:,} posts with a link in each, all read"
                " by mistune, vs the floor",
                cold_floor / cold,
                "none",
                None,
                f"floor {cold_floor:.2f} s, build {cold:.2f} s",
            )
        )
    return figures, commands


def start_up_figures(setup: Setup) -> tuple[float, list[Figure]]:
    """The floor's time, and `--version` against bare Python, `--help` against `--version`."""
    bare = Run([setup.python, "-c", "pass"], setup.env)
    floor, python = paired(Run([setup.python, "-c", FLOOR_CODE], setup.env), bare, setup.runs)
    version, python = paired(setup.run("--version"), bare, setup.runs)
    helped, version_again = paired(setup.run("--help"), setup.run("--version"), setup.runs)
    # A cache folder that is a file keeps no help screen: every run draws it.
    unkept = Path(setup.env["CANVASCLI_CACHE_DIR"]).with_name("help-never-kept")
    unkept.write_text("not a folder\n")
    drawn, version_again = paired(
        setup.run("--help", CANVASCLI_CACHE_DIR=str(unkept)), setup.run("--version"), setup.runs
    )
    return floor, [
        Figure(
            f"(the floor) `python -c {FLOOR_CODE!r}` vs `python -c pass`",
            floor / python,
            "none",
            None,
            f"{floor:.3f} s vs {python:.3f} s",
            1.0,
        ),
        ratio_figure("`canvas --version` vs `python -c pass`", version, python, 2, floor),
        ratio_figure("`canvas --help` vs `canvas --version`", helped, version_again, 1.5, floor),
        Figure(
            "(for reference) `canvas --help` drawn with no kept screen vs `canvas --version`",
            drawn / version_again,
            "none",
            None,
            f"{drawn:.3f} s vs {version_again:.3f} s",
            drawn / floor,
        ),
    ]


def library_figures(
    setup: Setup, library: Path, cache: Path, floor: float, commands: list[str]
) -> list[Figure]:
    """Building, reading and completing from the generated library, against the bundled one."""
    posts = len(list(library.glob("*.md")))
    figures = []
    big_list = setup.run("list", "--json", "--posts", str(library))
    small_list = setup.run("list", "--json", "--posts", str(BUNDLED))
    mistune, cold = cold_build(library, big_list.command, cache, setup.env, setup.runs, setup.cores)
    figures.append(
        Figure(
            f"cold index build of {posts:,} posts, throughput vs the floor",
            mistune / cold,
            ">= 0.85",
            mistune / cold >= 0.85,
            f"floor {mistune:.2f} s (mistune on 1 core / {setup.cores}), build {cold:.2f} s",
        )
    )
    commands.append(f"cold: rm -rf $CACHE && {' '.join(big_list.command)}")
    figures += cold_build_parts(library, setup.runs, setup.cores)
    warm_big, warm_small = paired(big_list, small_list, setup.runs)
    figures.append(
        ratio_figure(
            f"warm `canvas list --json`, {posts:,} posts vs the bundled 2",
            warm_big,
            warm_small,
            1.5,
            floor,
        )
    )
    commands.append(f"warm: {' '.join(big_list.command)}  vs  {' '.join(small_list.command)}")
    looked, bare = paired(
        Run([setup.python, "-c", LOOK_AT_EVERY_POST, str(library)], setup.env),
        Run([setup.python, "-c", "pass"], setup.env),
        setup.runs,
    )
    best = warm_small + looked - bare
    figures.append(
        Figure(
            f"(for reference) the least a warm `canvas list --json` of {posts:,} posts can take"
            " while it looks at each post (the bundled list's time plus Python listing the"
            " posts and looking at each one's file state), vs the bundled 2",
            best / warm_small,
            "none",
            None,
            f"{best:.3f} s vs {warm_small:.3f} s",
        )
    )

    big_show = setup.run("show", "acme-data-0", "--posts", str(library))
    small_show = setup.run("show", "memsql", "--posts", str(BUNDLED))
    show_big, show_small = paired(big_show, small_show, setup.runs)
    figures.append(
        ratio_figure(
            f"warm `canvas show <one company>`, {posts:,} vs 2", show_big, show_small, 1.3, floor
        )
    )
    commands.append(f"show: {' '.join(big_show.command)}  vs  {' '.join(small_show.command)}")

    big_check = setup.run("check", "--posts", str(library), accepted=(0, 1))
    check_warm, list_warm = paired(big_check, big_list, setup.runs)
    figures.append(
        ratio_figure(
            f"warm `canvas check`, {posts:,} posts vs warm `canvas list --json`",
            check_warm,
            list_warm,
            2.0,
        )
    )
    commands.append(f"check: {' '.join(big_check.command)}  vs  {' '.join(big_list.command)}")

    touched = partial(touch, sorted(library.glob("*.md"))[0])
    after_touch, warm_again = paired(
        Run(big_list.command, big_list.env, before=touched), big_list, setup.runs
    )
    figures.append(
        ratio_figure(
            f"one post touched in {posts:,}, then `canvas list --json`, vs warm",
            after_touch,
            warm_again,
            1.1,
        )
    )
    kept_patterns = Path(big_list.env["CANVASCLI_CACHE_DIR"]) / PATTERNS_FOLDER

    def touched_with_no_kept_patterns() -> None:
        touched()
        shutil.rmtree(kept_patterns, ignore_errors=True)

    unkept, warm_unkept = paired(
        Run(big_list.command, big_list.env, before=touched_with_no_kept_patterns),
        big_list,
        setup.runs,
    )
    figures.append(
        Figure(
            "(for reference) the same, with the reader's kept patterns removed first (each"
            " compiled, then kept), vs warm",
            unkept / warm_unkept,
            "none",
            None,
            f"{unkept:.3f} s vs {warm_unkept:.3f} s",
        )
    )
    figures.append(completion_figure(setup, library, floor, commands))
    return figures


def completion_figure(setup: Setup, library: Path, floor: float, commands: list[str]) -> Figure:
    """A Tab press after `canvas show --posts LIBRARY acme-data-`, the way bash asks for it."""
    words = ["canvas", "show", "--posts", str(library), "acme-data-"]
    asked = {"_CANVAS_COMPLETE": "complete_bash", "COMP_WORDS": " ".join(words)}
    asked["COMP_CWORD"] = str(len(words) - 1)
    env = {**setup.env, **asked}
    answer = subprocess.run(setup.canvas, env=env, capture_output=True, text=True, check=False)
    if answer.returncode != 0 or not answer.stdout.strip():
        raise SystemExit(f"completion failed ({answer.returncode}): {answer.stderr[-500:]}")
    commands.append(
        f"completion: {' '.join(f'{key}={value!r}' for key, value in asked.items())}"
        f" {' '.join(setup.canvas)}"
    )
    posts = len(list(library.glob("*.md")))
    seconds = median_time(setup.canvas, env, setup.runs)
    return Figure(
        f"a Tab press completing a company name, {posts:,} posts (seconds)",
        seconds,
        "<= 0.15 s",
        seconds <= 0.15,
        f"{seconds:.3f} s, {len(answer.stdout.split())} names",
        seconds / floor,
    )


def peer_figures(setup: Setup, tools: Path, floor: float) -> list[Figure]:
    """`canvas show` against rich-cli and `canvas compare` against icdiff, on the bundled posts."""
    memsql = str(BUNDLED / "memsql.md")
    show, rich = paired(
        setup.run("show", "memsql"),
        Run([str(tools / "rich"), memsql, "--force-terminal"], setup.env),
        setup.runs,
    )
    # icdiff, like diff, exits 1 when the files differ.
    icdiff = Run(
        [str(tools / "icdiff"), memsql, str(BUNDLED / "violin-memory.md")], setup.env, (0, 1)
    )
    compare, theirs = paired(setup.run("compare", "memsql", "violin-memory"), icdiff, setup.runs)
    return [
        ratio_figure("`canvas show memsql` vs `rich posts/memsql.md`", show, rich, 0.7, floor),
        ratio_figure(
            "`canvas compare memsql violin-memory` vs `icdiff`", compare, theirs, 1.3, floor
        ),
    ]


# Every post's `lstat`, as a warm run checks them, and nothing else.
LOOK_AT_EVERY_POST = (
    "import os, sys\n"
    "top = sys.argv[1] + os.sep\n"
    "for name in os.listdir(top):\n"
    "    os.lstat(top + name)\n"
)


def big_library(library_cache: Path, count: int) -> Path:
    """A library of `count` small posts, generated once into `library_cache` and reused."""
    folder = library_cache / f"small-{count}"
    done = library_cache / f"small-{count}.done"
    if not done.exists():
        shutil.rmtree(folder, ignore_errors=True)
        generate_library(folder, count, small=True)
        done.write_text(f"{count}\n", encoding="utf-8")
    return folder


def scale_figures(
    setup: Setup, count: int, library_cache: Path, cache: Path, commands: list[str]
) -> list[Figure]:
    """A library of `count` small posts: its index's size, and warm `show` and `search`."""
    library = big_library(library_cache, count)
    env = {**setup.env, "CANVASCLI_CACHE_DIR": str(cache)}
    started = time.perf_counter()
    timed([*setup.canvas, "list", "--json", "--posts", str(library)], env)
    built = time.perf_counter() - started
    posts_bytes = sum(path.stat().st_size for path in library.glob("*.md"))
    index_bytes = sum(path.stat().st_size for path in cache.iterdir())
    figures = [
        Figure(
            f"{count:,} small posts: index size vs the library's bytes",
            index_bytes / posts_bytes,
            "<= 2.0x",
            index_bytes / posts_bytes <= 2.0,
            f"index {index_bytes / 1e6:.1f} MB, posts {posts_bytes / 1e6:.1f} MB,"
            f" built in {built:.1f} s",
        )
    ]
    commands.append(f"scale: {' '.join(setup.canvas)} list --json --posts {library}")
    timed([*setup.canvas, "list", "--json", "--posts", str(library)], env)
    answered_bytes = sum(path.stat().st_size for path in cache.iterdir())
    figures.append(
        Figure(
            f"(for reference) {count:,} posts: index size once a warm `list --json` has kept"
            " its answer, vs the library",
            answered_bytes / posts_bytes,
            "none",
            None,
            f"index {answered_bytes / 1e6:.1f} MB",
        )
    )
    show_big, show_small = paired(
        Run([*setup.canvas, "show", "acme-data-0", "--posts", str(library)], env),
        setup.run("show", "memsql", "--posts", str(BUNDLED)),
        setup.runs,
    )
    figures.append(
        ratio_figure(
            f"{count:,} posts: warm `canvas show <one company>` vs 2", show_big, show_small, 1.3
        )
    )
    search_big, search_small = paired(
        Run([*setup.canvas, "search", SEARCHED, "--posts", str(library)], env),
        setup.run("search", SEARCHED, "--posts", str(BUNDLED)),
        setup.runs,
    )
    figures.append(
        ratio_figure(
            f"{count:,} posts: warm `canvas search {SEARCHED}` vs 2", search_big, search_small, 3.0
        )
    )
    # What no warm run of a big library can go below: a look at every post's file state.
    looked, search_small = paired(
        Run([setup.python, "-c", LOOK_AT_EVERY_POST, str(library)], env),
        setup.run("search", SEARCHED, "--posts", str(BUNDLED)),
        setup.runs,
    )
    figures.append(
        Figure(
            f"(for reference) {count:,} posts: Python listing them and looking at each"
            f" one's file state (`os.lstat`), vs warm `canvas search {SEARCHED}` on 2",
            looked / search_small,
            "none",
            None,
            f"{looked:.3f} s vs {search_small:.3f} s",
        )
    )
    searched_bytes = sum(path.stat().st_size for path in cache.iterdir())
    figures.append(
        Figure(
            f"(for reference) {count:,} posts: index size with its full-text search vs the library",
            searched_bytes / posts_bytes,
            "none",
            None,
            f"index {searched_bytes / 1e6:.1f} MB",
        )
    )
    commands.append(
        f"scale: canvas show acme-data-0 / search {SEARCHED} --posts {library}  vs"
        f"  --posts {BUNDLED}"
    )
    return figures


def touch(post: Path) -> None:
    """Change a post as an edit would: one more line at its end."""
    post.write_text(post.read_text(encoding="utf-8") + "\n", encoding="utf-8")


def site_figures(
    canvas: list[str], library: Path, site: Path, env: dict[str, str], edit: Callable[[], None]
) -> list[Figure]:
    """`canvas site` from a warm index: a whole new site, then a rebuild after one post."""
    command = [*canvas, "site", "-o", str(site), "--posts", str(library)]
    build = timed(command, env)
    edit()
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
        Figure(
            f"`canvas browse` first full frame, {posts:,} posts (seconds)",
            big.first_frame,
            "<= 0.5 s",
            big.first_frame <= 0.5,
            f"{big.first_frame:.3f} s",
        ),
        Figure(
            f"`canvas browse` processor time per filter keystroke, {posts:,} posts (seconds)",
            big.keystroke_cpu,
            "<= 0.05 s",
            big.keystroke_cpu <= 0.05,
            f"{big.keystroke_cpu:.4f} s vs {small.keystroke_cpu:.4f} s on 2 posts",
        ),
    ]


def shown(figure: Figure) -> str:
    """A figure's value to two places, or three where two would read as its target."""
    value = f"{figure.value:.2f}"
    limit = re.search(r"\d+(?:\.\d+)?", figure.target)
    if limit and value == f"{float(limit.group()):.2f}":
        return f"{figure.value:.3f}"
    return value


def report(
    figures: list[Figure], commands: list[str], posts: int, runs: int, big_posts: int
) -> str:
    lines = [
        "# Benchmark results",
        "",
        f"- date: {dt.datetime.now(dt.UTC).strftime('%Y-%m-%d %H:%M UTC')}",
        f"- cores: {os.cpu_count()}; Python {sys.version.split()[0]}",
        f"- posts: {posts:,} (and {big_posts:,} small ones for the scale figures); each time is"
        f" the median of {runs} whole-process runs, and the two sides of a ratio run turn about",
        "- the floor: Python importing Typer and Rich, what every run pays before its own work",
        f"- command: `python -m benchmarks.run --posts {posts} --runs {runs}"
        f" --big-posts {big_posts}`",
        "",
        "| figure | value | target | met | measured | vs the floor |",
        "|---|---|---|---|---|---|",
    ]
    for figure in figures:
        met = "n/a" if figure.passed is None else ("yes" if figure.passed else "no")
        value = f"{figure.value:.1f} MiB" if "MiB" in figure.target else shown(figure)
        over = "" if figure.over_floor is None else f"{figure.over_floor:.2f}x"
        lines.append(
            f"| {figure.name} | {value} | {figure.target} | {met} | {figure.detail} | {over} |"
        )
    lines += ["", "Commands:", "", *(f"- `{command}`" for command in commands), ""]
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--posts", type=int, default=10_000)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--out", type=Path, default=REPO / "benchmarks" / "RESULTS.md")
    parser.add_argument(
        "--big-posts",
        type=int,
        default=100_000,
        help="How many small posts the scale figures use (generated once, then reused).",
    )
    parser.add_argument(
        "--library-cache",
        type=Path,
        default=Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache")
        / "canvascli-benchmarks",
        help="Where the generated library of small posts is kept between runs.",
    )
    parser.add_argument(
        "--no-tools",
        action="store_true",
        help="Skip the comparisons that install rich-cli and icdiff.",
    )
    arguments = parser.parse_args()
    figures, commands = measure(
        arguments.posts,
        arguments.runs,
        not arguments.no_tools,
        arguments.big_posts,
        arguments.library_cache,
    )
    text = report(figures, commands, arguments.posts, arguments.runs, arguments.big_posts)
    arguments.out.write_text(text, encoding="utf-8")
    print(text)


if __name__ == "__main__":
    main()
