"""Canvases through git history: `COMPANY@REV` in show, compare, similar and export, and
`canvas log`, on real repositories built commit by commit."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import pytest

from canvascli.read.canvas import read_canvases
from tests.helpers import GitRepository as Repository
from tests.helpers import Process, Run, ok

pytestmark = pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")

BLOCKS = {
    "Customer Segments": "Database teams at banks.",
    "Value Propositions": "Fast analytics on live data.",
    "Channels": "Direct sales.",
    "Customer Relationships": "Dedicated support.",
    "Revenue Streams": "Yearly licences.",
    "Key Resources": "The database engine.",
    "Key Activities": "Building the engine.",
    "Key Partners": "Cloud providers.",
    "Cost Structure": "Engineers.",
}
# A subject with an escape sequence, a bell and Rich markup: none of it may reach the screen.
HOSTILE_SUBJECT = "Fix \x1b[31mred\x1b[0m [bold red]markup[/bold red] \x07 bell"


@pytest.fixture(autouse=True)
def _days_in_utc(monkeypatch: pytest.MonkeyPatch) -> None:
    """A day ends at midnight where the user is: here, where the commits were made."""
    monkeypatch.setenv("TZ", "UTC")


def post(title: str, blocks: dict[str, str]) -> str:
    body = "".join(f"## {heading}\n\n{text}\n\n" for heading, text in blocks.items())
    return f"---\nlayout: post\ntitle: {title}\n---\n\n# {title}\n\n{body}"


@pytest.fixture
def repository(tmp_path: Path) -> Repository:
    """memsql added on 1 January 2024, its revenue edited in February, renamed in March,
    given key metrics and stripped of its channels in April; acme added in May."""
    repo = Repository(tmp_path / "repo")
    repo.write("memsql.md", post("MemSQL", BLOCKS))
    repo.commit("Add memsql", "2024-01-01T12:00:00")
    repo.write("memsql.md", post("MemSQL", {**BLOCKS, "Revenue Streams": "Cloud subscriptions."}))
    repo.commit("Sell subscriptions", "2024-02-01T12:00:00")
    repo.git("mv", "_posts/memsql.md", "_posts/2024-03-01-memsql.md")
    repo.commit("Date the memsql post", "2024-03-01T12:00:00")
    changed = {**BLOCKS, "Revenue Streams": "Cloud subscriptions.", "Key Resources": "Staff."}
    del changed["Channels"]
    repo.write("2024-03-01-memsql.md", post("MemSQL", changed))
    repo.commit(HOSTILE_SUBJECT, "2024-04-01T12:00:00")
    repo.write("acme.md", post("Acme", {**BLOCKS, "Customer Segments": "Road runners."}))
    repo.commit("Add acme", "2024-05-01T12:00:00")
    return repo


def in_library(repo: Repository, *arguments: str) -> list[str]:
    return [*arguments, "--posts", str(repo.posts)]


def test_show_at_a_revision_reads_the_post_as_it_was_under_its_old_name(
    run: Run, repository: Repository
) -> None:
    first = repository.git("rev-parse", "--short", "HEAD~4").strip()
    result = ok(run(*in_library(repository, "show", "memsql@HEAD~4", "--no-pager")))
    assert f"MemSQL @ {first} (2024-01-01)" in result.stdout
    assert "Yearly licences." in result.stdout
    assert "Cloud subscriptions." not in result.stdout
    now = ok(run(*in_library(repository, "show", "memsql", "--no-pager")))
    assert "Cloud subscriptions." in now.stdout
    assert "@" not in now.stdout.splitlines()[0]


def test_show_at_a_day_takes_the_last_commit_on_or_before_it(
    run: Run, repository: Repository
) -> None:
    february = repository.git("rev-parse", "--short", "HEAD~3").strip()
    result = ok(run(*in_library(repository, "show", "memsql@2024-02-20", "--json")))
    data = json.loads(result.stdout)
    assert data["slug"] == f"memsql@{february}"
    assert data["name"] == f"MemSQL @ {february} (2024-02-01)"
    assert data["source"] == f"{february}:_posts/memsql.md"
    assert data["blocks"]["revenue-streams"]["paragraphs"] == ["Cloud subscriptions."]
    # The end of the day counts: a commit at noon is on or before its own day.
    same_day = json.loads(
        ok(run(*in_library(repository, "show", "memsql@2024-02-01", "--json"))).stdout
    )
    assert same_day["slug"] == f"memsql@{february}"


def test_compare_with_a_day_and_diff_shows_what_changed_block_by_block(
    run: Run, repository: Repository
) -> None:
    first = repository.git("rev-parse", "--short", "HEAD~4").strip()
    arguments = ["compare", "memsql@2024-01-01", "memsql", "--diff", "--json"]
    data = json.loads(ok(run(*in_library(repository, *arguments))).stdout)
    then, now = data["companies"]
    assert then["slug"] == f"memsql@{first}"
    assert now["slug"] == "memsql"
    assert then["blocks"]["revenue-streams"]["paragraphs"] == ["Yearly licences."]
    assert now["blocks"]["revenue-streams"]["paragraphs"] == ["Cloud subscriptions."]
    assert "channels" in then["blocks"]
    assert "channels" not in now["blocks"]
    drawn = ok(run(*in_library(repository, *arguments[:-1], "--no-pager"), env={"COLUMNS": "160"}))
    assert f"MemSQL @ {first} (2024-01-01)" in drawn.stdout
    assert "Yearly licences." in drawn.stdout
    assert "Cloud subscriptions." in drawn.stdout


def test_similar_and_export_take_a_company_at_a_revision(run: Run, repository: Repository) -> None:
    first = repository.git("rev-parse", "--short", "HEAD~4").strip()
    similar = json.loads(
        ok(run(*in_library(repository, "similar", "memsql@HEAD~4", "--json"))).stdout
    )
    assert similar["company"] == f"memsql@{first}"
    assert [found["slug"] for found in similar["similar"]] == ["acme"]
    exported = json.loads(
        ok(run(*in_library(repository, "export", "memsql@HEAD~4", "acme"))).stdout
    )
    assert [canvas["slug"] for canvas in exported] == [f"memsql@{first}", "acme"]


def test_log_lists_the_commits_newest_first_with_the_blocks_each_changed(
    run: Run, repository: Repository
) -> None:
    data = json.loads(ok(run(*in_library(repository, "log", "memsql", "--json"))).stdout)
    assert data["company"] == "memsql"
    commits = data["commits"]
    assert [commit["date"][:10] for commit in commits] == [
        "2024-04-01",
        "2024-03-01",
        "2024-02-01",
        "2024-01-01",
    ]
    assert commits[0]["subject"] == HOSTILE_SUBJECT
    assert commits[0]["blocks"] == {
        "added": [],
        "removed": ["channels"],
        "edited": ["key-resources"],
    }
    assert commits[1]["change"] == "renamed"
    assert commits[1]["old_path"] == "_posts/memsql.md"
    assert commits[1]["path"] == "_posts/2024-03-01-memsql.md"
    assert commits[1]["blocks"] == {"added": [], "removed": [], "edited": []}
    assert commits[2]["blocks"]["edited"] == ["revenue-streams"]
    assert commits[3]["change"] == "added"
    assert len(commits[3]["blocks"]["added"]) == 9
    # acme reads much like memsql, which git may take for a copy: its history is its own.
    acme = json.loads(ok(run(*in_library(repository, "log", "acme", "--json"))).stdout)
    assert [commit["subject"] for commit in acme["commits"]] == ["Add acme"]
    assert len(acme["commits"][0]["blocks"]["added"]) == 9
    newest = json.loads(
        ok(run(*in_library(repository, "log", "memsql", "--json", "-n", "2"))).stdout
    )
    assert [commit["short"] for commit in newest["commits"]] == [
        commit["short"] for commit in commits[:2]
    ]


def test_log_at_a_revision_lists_the_history_as_it_stood_then(
    run: Run, repository: Repository
) -> None:
    renamed = repository.git("rev-parse", "HEAD~2").strip()
    data = json.loads(ok(run(*in_library(repository, "log", "memsql@HEAD~2", "--json"))).stdout)
    assert data["company"] == "memsql"
    assert data["revision"]["commit"] == renamed
    assert [commit["subject"] for commit in data["commits"]] == [
        "Date the memsql post",
        "Sell subscriptions",
        "Add memsql",
    ]
    assert data["commits"][0]["old_path"] == "_posts/memsql.md"
    # A day names the last commit on or before it; -n still takes the newest.
    february = json.loads(
        ok(run(*in_library(repository, "log", "memsql@2024-02-20", "--json", "-n", "1"))).stdout
    )
    assert [commit["subject"] for commit in february["commits"]] == ["Sell subscriptions"]
    assert february["commits"][0]["blocks"]["edited"] == ["revenue-streams"]
    # Up to HEAD is the whole history, and without a revision there is none to name.
    now = json.loads(ok(run(*in_library(repository, "log", "memsql", "--json"))).stdout)
    assert now["revision"] is None
    head = json.loads(ok(run(*in_library(repository, "log", "memsql@HEAD", "--json"))).stdout)
    assert head["commits"] == now["commits"]
    short = repository.git("rev-parse", "--short", "HEAD~2").strip()
    drawn = ok(run(*in_library(repository, "log", "memsql@HEAD~2", "--no-pager")))
    assert drawn.stdout.startswith(f"memsql@{short}  3 commits changed")
    assert HOSTILE_SUBJECT.split()[0] + " " not in drawn.stdout


def test_log_draws_each_commit_and_shows_a_hostile_subject_safely(
    run: Run, repository: Repository
) -> None:
    result = ok(
        run(
            *in_library(repository, "log", "memsql", "--no-pager"),
            terminal=True,
            env={"COLUMNS": "160"},
        )
    )
    text = result.stdout
    assert "\x07" not in text
    assert "\x1b[31mred" not in text
    assert "[bold red]markup[/bold red]" in text
    assert "removed: Channels" in text
    assert "edited: Key Resources" in text
    assert "renamed from _posts/memsql.md" in text
    assert "edited: Revenue Streams" in text


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("memsql@no-such-branch", "unknown revision 'no-such-branch'"),
        ("memsql@2023-12-31", "no commit on or before 2023-12-31 on the current branch"),
        ("acme@2024-04-01", "did not exist at"),
        ("memsql@--output=x", "'--output=x' is not a revision"),
        ("memsql@", "no revision after '@'"),
        ("memsql@HEAD\n--output=x", "'HEAD?--output=x' is not a revision"),
    ],
)
@pytest.mark.parametrize("command", ["show", "log"])
def test_a_revision_that_gives_no_canvas_is_one_line_and_exit_1(
    run: Run, repository: Repository, command: str, name: str, message: str
) -> None:
    result = run(*in_library(repository, command, name))
    assert result.exit_code == 1
    assert message in result.stderr
    assert len(result.stderr.splitlines()) == 1
    assert not (repository.top / "x").exists()


def test_an_untracked_post_and_a_post_outside_git_are_one_line_each(
    run: Run, repository: Repository, tmp_path: Path
) -> None:
    repository.write("fresh.md", post("Fresh", BLOCKS))
    for arguments in (["log", "fresh"], ["show", "fresh@HEAD"]):
        result = run(*in_library(repository, *arguments))
        assert result.exit_code == 1
        assert "fresh.md is not committed in git" in result.stderr
        assert len(result.stderr.splitlines()) == 1
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "solo.md").write_text(post("Solo", BLOCKS), encoding="utf-8")
    result = run(
        "log", "solo", "--posts", str(outside), env={"GIT_CEILING_DIRECTORIES": str(tmp_path)}
    )
    assert result.exit_code == 1
    assert "solo.md is not in a git repository" in result.stderr


def test_git_variables_never_point_history_at_another_repository(
    run: Run, repository: Repository, tmp_path: Path
) -> None:
    other = Repository(tmp_path / "other")
    other.write("memsql.md", post("Impostor", BLOCKS))
    other.commit("Impostor", "2024-01-01T12:00:00")
    # As a hook of the other repository would run it.
    redirect = {
        "GIT_DIR": str(other.top / ".git"),
        "GIT_WORK_TREE": str(other.top),
        "GIT_INDEX_FILE": str(other.top / ".git" / "index"),
    }
    result = ok(run(*in_library(repository, "show", "memsql@HEAD~4", "--json"), env=redirect))
    assert json.loads(result.stdout)["name"].startswith("MemSQL @ ")
    logged = ok(run(*in_library(repository, "log", "memsql", "--json"), env=redirect))
    assert len(json.loads(logged.stdout)["commits"]) == 4


def test_missing_git_is_one_line(run: Run, repository: Repository, tmp_path: Path) -> None:
    result = run(*in_library(repository, "log", "memsql"), env={"PATH": str(tmp_path / "nothing")})
    assert result.exit_code == 1
    assert "git is not installed" in result.stderr


def test_a_company_whose_name_holds_an_at_sign_is_named_whole(
    run: Run, repository: Repository
) -> None:
    repository.write("at-home.md", post("Acme@Home", BLOCKS))
    repository.commit("Add Acme@Home", "2024-06-01T12:00:00")
    plain = json.loads(ok(run(*in_library(repository, "show", "acme@home", "--json"))).stdout)
    assert plain["slug"] == "at-home"
    at_head = json.loads(ok(run(*in_library(repository, "show", "at-home@HEAD", "--json"))).stdout)
    assert at_head["name"].startswith("Acme@Home @ ")


def test_a_day_follows_the_current_branch_through_first_parents(run: Run, tmp_path: Path) -> None:
    """A branch merged later counts from its merge, never by its own older commits."""
    repo = Repository(tmp_path / "merged")
    repo.write("memsql.md", post("MemSQL", BLOCKS))
    repo.commit("Add memsql", "2024-01-01T12:00:00")
    repo.git("switch", "-q", "-c", "feature")
    repo.write("memsql.md", post("MemSQL", {**BLOCKS, "Revenue Streams": "Usage fees."}))
    repo.commit("Charge for usage", "2024-01-10T12:00:00")
    repo.git("switch", "-q", "main")
    repo.write("memsql.md", post("MemSQL", {**BLOCKS, "Key Resources": "Staff."}))
    repo.commit("Staff matter most", "2024-01-05T12:00:00")
    repo.git("merge", "-q", "--no-ff", "-m", "Merge feature", "feature", when="2024-01-20T12:00:00")

    def blocks_on(day: str) -> dict[str, list[str]]:
        shown = run("show", f"memsql@{day}", "--json", "--posts", str(repo.posts))
        data = json.loads(ok(shown).stdout)["blocks"]
        return {key: data[key]["paragraphs"] for key in ("revenue-streams", "key-resources")}

    assert blocks_on("2024-01-15") == {
        "revenue-streams": ["Yearly licences."],
        "key-resources": ["Staff."],
    }
    assert blocks_on("2024-01-20") == {
        "revenue-streams": ["Usage fees."],
        "key-resources": ["Staff."],
    }
    feature = json.loads(
        ok(run("show", "memsql@feature", "--json", "--posts", str(repo.posts))).stdout
    )
    assert feature["blocks"]["key-resources"]["paragraphs"] == ["The database engine."]


@pytest.mark.e2e
def test_log_and_a_revision_through_the_installed_command(
    canvas_process: Process, repository: Repository
) -> None:
    log = canvas_process("log", "memsql", "--posts", str(repository.posts))
    assert log.returncode == 0, log.stderr
    assert "edited: Revenue Streams" in log.stdout
    assert "\x1b" not in log.stdout
    shown = canvas_process("show", "memsql@2024-01-01", "--posts", str(repository.posts))
    assert shown.returncode == 0, shown.stderr
    assert "Yearly licences." in shown.stdout


def test_history_reads_old_versions_with_the_library_s_own_synonyms(
    run: Run, tmp_path: Path
) -> None:
    repo = Repository(tmp_path / "repo")
    (repo.top / "canvas.toml").write_text(
        '[synonyms]\n"Wen wir bedienen" = "customer-segments"\n', encoding="utf-8"
    )
    own_words = {
        "Wen wir bedienen" if key == "Customer Segments" else key: text
        for key, text in BLOCKS.items()
    }
    repo.write("memsql.md", post("MemSQL", own_words))
    repo.commit("Add memsql", "2024-01-01T12:00:00")
    repo.write("memsql.md", post("MemSQL", {**own_words, "Wen wir bedienen": "Retailers."}))
    repo.commit("Serve retailers", "2024-02-01T12:00:00")

    commits = json.loads(ok(run(*in_library(repo, "log", "memsql", "--json"))).stdout)["commits"]
    assert commits[0]["blocks"]["edited"] == ["customer-segments"]
    assert "customer-segments" in commits[1]["blocks"]["added"]
    then = ok(run(*in_library(repo, "show", "memsql@2024-01-01", "customer-segments")))
    assert "Database teams at banks." in then.stdout


def test_a_revision_the_reader_fails_on_is_one_line_and_hides_no_other(
    run: Run, repository: Repository, monkeypatch: pytest.MonkeyPatch
) -> None:
    read = read_canvases

    def failing(text: str, source: str, *args: Any) -> Any:
        if "# MemSQL" in text and "Yearly licences." in text:  # memsql as first committed
            raise IndexError("list index out of range")
        return read(text, source, *args)

    monkeypatch.setattr("canvascli.read.canvas.read_canvases", failing)
    first = repository.git("rev-parse", "--short", "HEAD~4").strip()
    old = run(*in_library(repository, "show", "memsql@HEAD~4", "--no-pager"))
    assert old.exit_code == 1
    assert old.stderr.endswith(f"at {first} (2024-01-01) cannot be read as a canvas\n")
    assert len(old.stderr.splitlines()) == 1
    logged = ok(run(*in_library(repository, "log", "memsql", "--no-pager")))
    assert "memsql  4 commits changed" in logged.stdout
    assert logged.stderr == ""
