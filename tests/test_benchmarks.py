"""The benchmark generator and runner still work, on a tiny library (no timing is asserted)."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from benchmarks.generate import generate_library, post
from benchmarks.pathological import CASES, HOSTILE_FRONT_MATTER
from canvascli.read.canvas import read_canvas
from tests.conftest import REPO


def test_generator_is_deterministic_and_realistic(tmp_path: Path) -> None:
    first = generate_library(tmp_path / "a", 12)
    second = generate_library(tmp_path / "b", 12)
    assert [path.read_bytes() for path in first] == [path.read_bytes() for path in second]
    for path in first:
        size = path.stat().st_size
        assert 1500 <= size <= 4500, (path.name, size)
        canvas = read_canvas(path.read_text(encoding="utf-8"), str(path))
        assert len(canvas.blocks) == 9, [d.message for d in canvas.diagnostics]
    assert post(3, seed=1) != post(3, seed=2)


def run_module(module: str, *args: str) -> subprocess.CompletedProcess[str]:
    """A benchmark module run as its README says, from the repo."""
    return subprocess.run(
        [sys.executable, "-m", module, *args],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )


@pytest.mark.e2e
def test_runner_writes_results_for_a_tiny_library(tmp_path: Path) -> None:
    out = tmp_path / "RESULTS.md"
    library_cache = tmp_path / "libraries"
    tiny = ("--posts", "10", "--runs", "1", "--big-posts", "12", "--no-tools")
    result = run_module(
        "benchmarks.run", *tiny, "--library-cache", str(library_cache), "--out", str(out)
    )
    assert result.returncode == 0, result.stderr
    text = out.read_text(encoding="utf-8")
    assert "| figure | value | target | met | measured | vs the floor |" in text
    for figure in (
        "(the floor)",
        "`canvas --version` vs `python -c pass`",
        "`canvas --help` vs `canvas --version`",
        "a Tab press completing a company name",
        "12 small posts: index size",
        "12 posts: warm `canvas show",
        "12 posts: warm `canvas search",
        "cold index build",
        "(for reference) reading a post in one process",
        "(for reference) mistune on",
        "warm `canvas list --json`",
        "warm `canvas show",
        "warm `canvas check`",
        "one post touched",
        "`canvas browse` to its first full frame",
        "`canvas browse` per filter keystroke",
        "peak memory",
    ):
        assert figure in text
    # The library of small posts is generated once and kept for the next run.
    assert len(list((library_cache / "small-12").glob("*.md"))) == 12


@pytest.mark.e2e
def test_pathological_benchmark_runs_every_case_at_tiny_sizes() -> None:
    result = run_module("benchmarks.pathological", "--scale", "0.002", "--repeat", "1")
    assert result.returncode == 0, result.stderr
    for case in CASES:
        section = result.stdout.split(f"### {case.name}\n", 1)[1].split("###", 1)[0]
        rows = [
            line for line in section.splitlines() if line.startswith("| ") and "---" not in line
        ]
        assert len(rows) == 1 + len(case.sizes), section
    assert "largest growth between the two biggest sizes:" in result.stdout
    hostile = result.stdout.split("### hostile front matter", 1)[1]
    for name, _ in HOSTILE_FRONT_MATTER:
        (row,) = [line for line in hostile.splitlines() if line.startswith(f"| {name} |")]
        assert row.endswith("| CV108 |"), row


@pytest.mark.e2e
@pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")
def test_history_benchmark_times_log_and_a_revision_on_a_short_history() -> None:
    result = run_module("benchmarks.history", "--commits", "12", "--runs", "1")
    assert result.returncode == 0, result.stderr
    assert "A post changed by 12 commits" in result.stdout
    for command in ("canvas log acme-data-0", "canvas show acme-data-0@HEAD~N"):
        assert f"| `{command}` |" in result.stdout
