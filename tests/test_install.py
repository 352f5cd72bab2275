"""The installed `canvas`: console script, `python -m`, the wheel, the README and CI commands."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import venv
from pathlib import Path

import pytest

from canvascli import __version__
from tests.conftest import REPO
from tests.helpers import Process


@pytest.mark.e2e
def test_installed_canvas_lists_the_bundled_library_from_any_folder(
    canvas_process: Process,
) -> None:
    result = canvas_process("list")
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines()[0].startswith("MemSQL\tmemsql\t9/9")
    assert "Traceback" not in result.stderr


@pytest.mark.e2e
def test_python_dash_m_runs_the_same_command(tmp_path: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "canvascli", "--version"],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == f"canvas {__version__}"


@pytest.mark.e2e
def test_installed_show_prints_memsql_partners(canvas_process: Process) -> None:
    result = canvas_process("show", "memsql", "key-partners")
    assert result.returncode == 0, result.stderr
    assert "MicroStrategy" in result.stdout and "Tableau" in result.stdout


@pytest.mark.e2e
def test_unknown_company_exits_1_without_traceback(canvas_process: Process) -> None:
    result = canvas_process("show", "acme")
    assert result.returncode == 1
    assert result.stderr.startswith("canvas: no company 'acme' in ")
    assert "Traceback" not in result.stderr


@pytest.mark.e2e
def test_usage_error_exits_2(canvas_process: Process) -> None:
    result = canvas_process("show")
    assert result.returncode == 2
    assert "Missing argument 'COMPANY'" in result.stderr
    assert "Traceback" not in result.stderr


def test_bundled_posts_are_the_seeds_byte_for_byte() -> None:
    seeds = REPO.parent / "shared" / "seeds"
    if not seeds.is_dir():
        pytest.skip("the shared seeds are not beside this checkout")
    for seed in sorted(seeds.glob("*.md")):
        assert (REPO / "posts" / seed.name).read_bytes() == seed.read_bytes(), seed.name


def readme_commands() -> list[str]:
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    block = re.search(r"```(?:sh|bash|console)\n(.*?)```", readme, re.DOTALL)
    assert block, "the README must open with a shell block"
    return [line for line in block.group(1).splitlines() if line.strip()]


def test_readme_opens_with_the_two_commands_and_ci_runs_the_second() -> None:
    install_and_run, install_and_test = readme_commands()[:2]
    assert "pip install" in install_and_run and "canvas " in install_and_run
    assert "pip install" in install_and_test and "pytest" in install_and_test
    ci = (REPO / ".ci" / "run").read_text(encoding="utf-8")
    assert install_and_test in ci, "'.ci/run' must run the README's test command verbatim"


@pytest.mark.slow
@pytest.mark.e2e
def test_built_wheel_installs_into_a_fresh_environment(tmp_path: Path) -> None:
    wheels = tmp_path / "wheels"
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "--no-deps",
            "--no-build-isolation",
            "-w",
            str(wheels),
            str(REPO),
        ],
        check=True,
        capture_output=True,
    )
    (wheel,) = wheels.glob("canvascli-*.whl")
    target = tmp_path / "venv"
    # This pip installs into the new environment: bootstrapping a pip of its own costs
    # seconds and shows nothing about the wheel.
    venv.create(target, with_pip=False)
    python = target / "bin" / "python"
    subprocess.run(
        [sys.executable, "-m", "pip", "--python", str(python), "install", "--quiet", str(wheel)],
        check=True,
        capture_output=True,
        env={**os.environ, "PIP_DISABLE_PIP_VERSION_CHECK": "1"},
    )
    outside = tmp_path / "elsewhere"
    outside.mkdir()

    def installed(*arguments: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [str(target / "bin" / "canvas"), *arguments],
            capture_output=True,
            text=True,
            cwd=outside,
            check=False,
            env={key: value for key, value in os.environ.items() if key != "CANVASCLI_POSTS"},
        )

    result = installed("list")
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines() == [
        "MemSQL\tmemsql\t9/9\t449",
        "Violin Memory\tviolin-memory\t9/9\t1211",
    ]
    # The site's templates, style sheet and script are package data the wheel must carry.
    site = installed("site", "-o", "site")
    assert site.returncode == 0, site.stderr
    for name in ("index.html", "c/memsql.html", "assets/site.css", "assets/site.js"):
        assert (outside / "site" / name).stat().st_size > 0, name
