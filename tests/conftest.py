"""Shared fixtures: a pinned terminal for Rich output and ways to run `canvas`."""

from __future__ import annotations

import io
import os
import shutil
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, TextIO

import pytest
from hypothesis import HealthCheck, settings
from typer.testing import CliRunner, Result

from canvascli.cli import main
from canvascli.env import Env, columns
from canvascli.store.index import RACY_WINDOW_NS

if TYPE_CHECKING:
    from _typeshed import ReadableBuffer

REPO = Path(__file__).resolve().parent.parent
POSTS = REPO / "posts"
GOLDEN = Path(__file__).resolve().parent / "golden"
MEMSQL_PARTNERS = [
    "Tableau",
    "Zoomdata",
    "Looker",
    "Amazon Web Services",
    "Microsoft Azure",
    "Google Cloud Platform",
    "Mesosphere",
    "MicroStrategy",
]
PINNED_ENV = {"COLUMNS": "100", "LINES": "50", "NO_COLOR": "1", "TERM": "xterm"}

# Derandomised and without an example database: the same examples on every machine. The
# default is few enough that the suite stays quick on two cores; CI opts into thousands
# with HYPOTHESIS_PROFILE=thorough.
PROFILE_ENV = "HYPOTHESIS_PROFILE"
settings.register_profile(
    "quick",
    max_examples=100,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.too_slow],
)
settings.register_profile("thorough", settings.get_profile("quick"), max_examples=3000)
settings.load_profile(os.environ.get(PROFILE_ENV, "quick"))


@pytest.fixture
def settled_clock(monkeypatch: pytest.MonkeyPatch) -> int:
    """A clock an hour ahead, so that every post counts as settled (not racy): no content
    hash is kept, answers are, and only the file states can tell a change, however slowly
    the test runs. What it says the time is."""
    later = time.time_ns() + 3600 * 1_000_000_000 + RACY_WINDOW_NS
    monkeypatch.setattr(time, "time_ns", lambda: later)
    return later


def pytest_addoption(parser: pytest.Parser, pluginmanager: pytest.PytestPluginManager) -> None:
    parser.addoption(
        "--update-golden", action="store_true", help="Rewrite golden files from current output."
    )
    if not pluginmanager.has_plugin("xdist"):
        # The `--numprocesses=auto` of addopts must still parse with `-p no:xdist`.
        parser.addoption("--numprocesses", help="Ignored: pytest-xdist is not loaded.")


@pytest.fixture(autouse=True)
def _isolated_environment(
    monkeypatch: pytest.MonkeyPatch, tmp_path_factory: pytest.TempPathFactory
) -> None:
    for name in ("CANVASCLI_POSTS", "FORCE_COLOR", "PAGER", "CANVASCLI_PAGER"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("CANVASCLI_CACHE_DIR", str(tmp_path_factory.mktemp("cache")))
    for name, value in PINNED_ENV.items():
        monkeypatch.setenv(name, value)


class _Captured(io.BytesIO):
    """The bytes written to one stream, copied as they come into the output of both."""

    def __init__(self, both: io.BytesIO) -> None:
        super().__init__()
        self.both = both

    def write(self, data: ReadableBuffer, /) -> int:
        self.both.write(data)
        return super().write(data)


def captured_env(environ: dict[str, str], cwd: Path) -> tuple[Env, io.BytesIO]:
    """An `Env` writing to memory, as to a pipe, and the bytes of stdout and stderr together."""
    both = io.BytesIO()
    stdout = io.TextIOWrapper(_Captured(both), encoding="utf-8", write_through=True)
    stderr = io.TextIOWrapper(
        _Captured(both), encoding="utf-8", errors="backslashreplace", write_through=True
    )
    cache = environ.get("CANVASCLI_CACHE_DIR")
    env = Env(
        stdout=stdout,
        stderr=stderr,
        stdout_isatty=False,
        stderr_isatty=False,
        environ=environ,
        cwd=cwd,
        cache_dir=Path(cache) if cache else None,
        width=columns(environ, None),
        program_name="canvas",
    )
    return env, both


def written(stream: TextIO) -> bytes:
    buffer = stream.buffer
    assert isinstance(buffer, io.BytesIO)
    return buffer.getvalue()


@pytest.fixture
def run(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Callable[..., Result]:
    """Run `canvas` in-process through `main`, from an empty folder, as a user would from
    anywhere, with stdout and stderr captured as from a pipe.

    `terminal` sets FORCE_COLOR, as a terminal would be drawn for; `env` adds variables.
    """
    monkeypatch.chdir(tmp_path)

    def invoke(*args: str, terminal: bool = False, env: dict[str, str] | None = None) -> Result:
        extra = {"FORCE_COLOR": "1"} if terminal else {}
        with monkeypatch.context() as patched:
            # The store reads the process's variables itself, so they are set there too.
            for name, value in {**extra, **(env or {})}.items():
                patched.setenv(name, value)
            captured, both = captured_env(dict(os.environ), tmp_path)
            exception: BaseException | None = None
            try:
                code = int(main(list(args), captured))
            except Exception as raised:  # only with --debug: shown as CliRunner shows it
                exception, code = raised, 1
        return Result(
            runner=CliRunner(),
            stdout_bytes=written(captured.stdout),
            stderr_bytes=written(captured.stderr),
            output_bytes=both.getvalue(),
            return_value=None,
            exit_code=code,
            exception=exception,
        )

    return invoke


def canvas_executable() -> list[str]:
    found = shutil.which("canvas", path=str(Path(sys.executable).parent))
    return [found] if found else [sys.executable, "-m", "canvascli"]


@pytest.fixture
def canvas_process(tmp_path: Path) -> Iterator[Callable[..., subprocess.CompletedProcess[str]]]:
    """Run the installed `canvas` in a subprocess from a temporary folder."""

    def invoke(
        *args: str, env: dict[str, str] | None = None, cwd: Path | None = None, timeout: float = 60
    ) -> subprocess.CompletedProcess[str]:
        completed = subprocess.run(
            [*canvas_executable(), *args],
            capture_output=True,
            cwd=cwd or tmp_path,
            env={**os.environ, **(env or {})},
            stdin=subprocess.DEVNULL,
            timeout=timeout,
            check=False,
        )
        # Decoded here rather than in text mode, which would turn a raw CR into a newline;
        # bytes that are not UTF-8 stay visible as lone surrogates.
        return subprocess.CompletedProcess(
            completed.args,
            completed.returncode,
            completed.stdout.decode("utf-8", "surrogateescape"),
            completed.stderr.decode("utf-8", "surrogateescape"),
        )

    yield invoke


@pytest.fixture
def golden(request: pytest.FixtureRequest) -> Callable[[str, str], None]:
    """Compare output with tests/golden/NAME, which has no line ending in spaces;
    `pytest --update-golden` rewrites it."""
    update = bool(request.config.getoption("--update-golden"))

    def check(name: str, actual: str) -> None:
        ragged = [line for line in actual.splitlines() if line != line.rstrip()]
        assert not ragged, f"{name}: lines end in spaces: {ragged[:3]!r}"
        path = GOLDEN / name
        if update:
            path.write_text(actual, encoding="utf-8")
        if not path.exists():
            pytest.fail(f"no golden file {path}; create it with `pytest --update-golden`")
        assert actual == path.read_text(encoding="utf-8"), (
            f"{name} differs; run `pytest --update-golden` if the change is intended"
        )

    return check


@pytest.fixture
def unusable_cache(tmp_path: Path) -> dict[str, str]:
    """Variables naming a cache folder that cannot be made: a file stands in its way."""
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a file where the cache folder should be", encoding="utf-8")
    return {"CANVASCLI_CACHE_DIR": str(blocker / "cache")}
