"""`canvas browse COMPANY@REV`: a canvas as it was at a revision, opened in the browser
through the command's own path, on a real git repository."""

from __future__ import annotations

import asyncio
import shutil
from pathlib import Path

import pytest
from textual.pilot import Pilot
from textual.widgets import Static

from canvascli.browse.app import BrowseApp, CanvasScreen
from canvascli.cli import main
from canvascli.commands.browse import browser
from canvascli.commands.opening import LibraryOptions
from canvascli.env import Env
from canvascli.model import Block
from tests.conftest import captured_env, written
from tests.helpers import GitRepository
from tests.test_browse import box_text
from tests.test_history import BLOCKS, post

pytestmark = pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")


@pytest.fixture(autouse=True)
def _days_in_utc(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TZ", "UTC")


@pytest.fixture
def repository(tmp_path: Path) -> GitRepository:
    """memsql sold yearly licences in January and cloud subscriptions from February."""
    repo = GitRepository(tmp_path / "repo")
    repo.write("memsql.md", post("MemSQL", BLOCKS))
    repo.commit("Add memsql", "2024-01-01T12:00:00")
    repo.write("memsql.md", post("MemSQL", {**BLOCKS, "Revenue Streams": "Cloud subscriptions."}))
    repo.commit("Sell subscriptions", "2024-02-01T12:00:00")
    return repo


def terminal_env(tmp_path: Path, editor: str | None = None) -> Env:
    """An `Env` as a terminal gives it, its output kept in memory."""
    environ = {"TZ": "UTC", "PATH": str(Path(shutil.which("git") or "git").parent)}
    if editor is not None:
        environ["EDITOR"] = editor
    env, _ = captured_env(environ, tmp_path)
    env.stdout_isatty = True
    return env


def title_and_revenue(app: BrowseApp) -> tuple[str, str]:
    screen = app.screen
    assert isinstance(screen, CanvasScreen)
    title = str(screen.query_one("#title", Static).render())
    return title, box_text(app, Block.REVENUE_STREAMS)


def test_browse_at_a_revision_opens_the_canvas_as_it_was_and_will_not_edit_it(
    repository: GitRepository, tmp_path: Path
) -> None:
    first = repository.git("rev-parse", "--short", "HEAD~1").strip()
    editor_ran = tmp_path / "editor-ran"
    app = browser(
        terminal_env(tmp_path, editor=f"touch {editor_ran}"),
        company="memsql@2024-01-15",
        block="revenue",
        library=LibraryOptions(repository.posts, False, False),
    )
    seen: dict[str, object] = {}
    views: dict[str, tuple[str, str]] = {}

    async def scenario(pilot: Pilot[None]) -> None:
        await pilot.pause()
        views["then"] = title_and_revenue(app)
        seen["focused"] = getattr(app.focused, "block", None)
        await pilot.press("e")
        await pilot.pause()
        seen["notices"] = [str(notice.message) for notice in app._notifications]
        await pilot.press("escape", "enter")
        await pilot.pause()
        views["now"] = title_and_revenue(app)

    async def drive() -> None:
        async with app.run_test(size=(140, 45)) as pilot:
            await scenario(pilot)

    asyncio.run(drive())
    title, revenue = views["then"]
    assert f"MemSQL @ {first} (2024-01-01)" in title
    assert "Yearly licences." in revenue
    assert seen["focused"] is Block.REVENUE_STREAMS
    assert seen["notices"] == [
        f"MemSQL @ {first} (2024-01-01) is a past version: history cannot be edited"
    ]
    assert not editor_ran.exists()
    # The library behind it is the library of today.
    now_title, now_revenue = views["now"]
    assert "@" not in now_title
    assert "Cloud subscriptions." in now_revenue


@pytest.mark.parametrize(
    ("name", "said"),
    [("memsql@no-such-revision", "no-such-revision"), ("nobody@HEAD", "nobody")],
)
def test_a_bad_revision_or_company_is_one_line_and_exit_1_before_the_browser_starts(
    repository: GitRepository, tmp_path: Path, name: str, said: str
) -> None:
    env = terminal_env(tmp_path)
    code = main(["browse", name, "--posts", str(repository.posts)], env)
    errors = written(env.stderr).decode()
    assert int(code) == 1
    assert len(errors.strip().splitlines()) == 1
    assert said in errors
    assert "textual" not in written(env.stdout).decode().casefold()
