"""--svg, --html and --width: pictures of what `canvas` draws, and the README's pictures."""

from __future__ import annotations

import html
import re
from pathlib import Path

import pytest

from tests.conftest import POSTS
from tests.helpers import Process, Run, ok
from tests.make_pictures import PICTURES, PICTURES_DIR, REPO, make_picture

SGR = re.compile(r"\x1b\[[0-9;]*m")
COMMANDS = [
    (["list"], "canvas list"),
    (["show", "memsql"], "canvas show memsql"),
    (["show", "memsql", "key-partners"], "canvas show memsql key-partners"),
    (["show", "memsql", "--grid"], "canvas show memsql --grid"),
    (["show", "memsql", "--grid", "--full"], "canvas show memsql --grid --full"),
    (["compare", "memsql", "violin"], "canvas compare memsql violin-memory"),
    (
        ["compare", "memsql", "violin", "-s", "kp"],
        "canvas compare memsql violin-memory -s key-partners",
    ),
    (["compare", "memsql", "violin", "--diff"], "canvas compare memsql violin-memory --diff"),
    (["stats"], "canvas stats"),
    (["stats", "--top", "3"], "canvas stats --top 3"),
    (["similar", "memsql"], "canvas similar memsql"),
    (
        ["similar", "violin", "-s", "kp", "-n", "1"],
        "canvas similar violin-memory -s key-partners -n 1",
    ),
    (["search", "financial services"], "canvas search 'financial services'"),
    (
        ["search", "data", "-s", "vp", "-c", "memsql", "-n", "3"],
        "canvas search data -s value-propositions -c memsql -n 3",
    ),
]


def svg_title(svg: str) -> str:
    found = re.search(r'<text class="[\w-]+-title"[^>]*>([^<]*)</text>', svg)
    assert found, "the SVG has no title"
    return html.unescape(found.group(1)).replace("\xa0", " ")


def html_title(page: str) -> str:
    found = re.search(r"<title>([^<]*)</title>", page)
    assert found, "the HTML page has no title"
    return html.unescape(found.group(1))


def html_text(page: str) -> str:
    """The characters of an exported page, as they appeared on the console."""
    found = re.search(r"<code[^>]*>(.*)</code>", page, re.DOTALL)
    assert found, "the HTML page has no code block"
    return html.unescape(re.sub(r"<[^>]+>", "", found.group(1)))


def drawn_lines(text: str) -> list[str]:
    return [line.rstrip() for line in text.rstrip("\n").splitlines()]


@pytest.mark.parametrize(("args", "title"), COMMANDS, ids=[title for _, title in COMMANDS])
def test_pictures_save_exactly_what_the_command_draws(
    run: Run, tmp_path: Path, args: list[str], title: str
) -> None:
    svg, page = tmp_path / "view.svg", tmp_path / "view.html"
    result = ok(run(*args, "--svg", str(svg), "--html", str(page)))
    assert result.stdout == "", "saving a picture prints nothing"
    assert result.stderr == ""
    saved = page.read_text(encoding="utf-8")
    drawn = ok(run(*args, "--width", "120", "--no-pager", terminal=True)).stdout
    assert drawn_lines(html_text(saved)) == drawn_lines(SGR.sub("", drawn))
    assert max(len(line) for line in drawn_lines(html_text(saved))) <= 120
    assert html_title(saved) == title
    assert svg_title(svg.read_text(encoding="utf-8")) == title


def test_width_sets_the_width_of_the_picture(run: Run, tmp_path: Path) -> None:
    for width in (100, 120, 200):
        page = tmp_path / f"grid-{width}.html"
        ok(run("show", "memsql", "--grid", "--width", str(width), "--html", str(page)))
        lines = drawn_lines(html_text(page.read_text(encoding="utf-8")))
        assert {len(line) for line in lines[1:]} == {width}
    page = tmp_path / "stacked.html"
    ok(run("show", "memsql", "--grid", "--width", "80", "--html", str(page)))
    assert "┌─ Key Partners " in html_text(page.read_text(encoding="utf-8"))


def test_pictures_do_not_depend_on_the_terminal(run: Run, tmp_path: Path) -> None:
    environments = [
        {"COLUMNS": "60", "NO_COLOR": "1", "TERM": "dumb"},
        {"COLUMNS": "200", "NO_COLOR": "", "TERM": "xterm-256color", "FORCE_COLOR": "1"},
    ]
    pictures = []
    for number, environment in enumerate(environments):
        svg = tmp_path / f"{number}.svg"
        ok(run("compare", "memsql", "violin-memory", "--svg", str(svg), env=environment))
        pictures.append(svg.read_bytes())
    assert pictures[0] == pictures[1]
    assert b"#" in pictures[0] and b"fill=" in pictures[0], "pictures keep their colours"


def test_saving_replaces_a_file_whole_and_leaves_nothing_else(run: Run, tmp_path: Path) -> None:
    svg = tmp_path / "grid.svg"
    svg.write_text("an older picture", encoding="utf-8")
    ok(run("show", "memsql", "--grid", "--svg", str(svg), "--force"))
    assert svg.read_text(encoding="utf-8").startswith("<svg")
    assert sorted(path.name for path in tmp_path.iterdir()) == ["grid.svg"]


def test_list_saves_its_table_even_when_piped(run: Run, tmp_path: Path) -> None:
    page = tmp_path / "list.html"
    result = ok(run("list", "--html", str(page)))
    assert result.stdout == ""
    text = html_text(page.read_text(encoding="utf-8"))
    assert "Company" in text and "●●●●●●●●● 9/9" in text and "Violin Memory" in text


def test_warnings_still_reach_stderr_when_saving(run: Run, tmp_path: Path) -> None:
    fixtures = Path(__file__).resolve().parent / "data" / "posts"
    svg = tmp_path / "costs.svg"
    args = ("show", "pinecrest", "cost-structure", "--posts", str(fixtures), "--svg", str(svg))
    result = ok(run(*args))
    assert result.stdout == ""
    assert "missing_cost_structure has no Cost Structure block" in result.stderr
    assert svg.exists()


@pytest.mark.parametrize(
    ("target", "reason"),
    [
        ("missing/grid.svg", "cannot write: No such file or directory"),
        (".", "is a folder"),
        ("folder", "is a folder"),
    ],
)
def test_an_unwritable_picture_is_one_line_naming_it(
    run: Run, tmp_path: Path, target: str, reason: str
) -> None:
    (tmp_path / "folder").mkdir()
    path = tmp_path / target if target != "." else Path(target)
    result = run("show", "memsql", "--grid", "--svg", str(path), "--force")
    assert result.exit_code == 1
    assert result.stdout == ""
    assert result.stderr == f"canvas: {path}: {reason}\n"
    assert sorted(item.name for item in (tmp_path / "folder").iterdir()) == []


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ["list", "--json", "--svg", "x.svg"],
            "--svg saves the drawn view; it cannot be used with --json",
        ),
        (
            ["show", "memsql", "--json", "--html", "x.html"],
            "--html saves the drawn view; it cannot be used with --json",
        ),
        (
            ["show", "memsql", "--markdown", "--svg", "x.svg"],
            "--svg saves the drawn view; it cannot be used with --markdown",
        ),
        (
            ["compare", "memsql", "violin", "--json", "--svg", "x.svg"],
            "--svg saves the drawn view; it cannot be used with --json",
        ),
        (["show", "memsql", "--svg", "same", "--html", "same"], "--svg and --html both name same"),
    ],
)
def test_picture_options_refuse_what_they_would_silently_drop(
    run: Run, args: list[str], message: str
) -> None:
    result = run(*args)
    assert result.exit_code == 2
    assert result.stdout == ""
    assert result.stderr == f"canvas: {message}\n"


def test_width_out_of_range_is_a_usage_error(run: Run) -> None:
    result = run("show", "memsql", "--grid", "--width", "5")
    assert result.exit_code == 2
    assert "--width" in result.stderr


@pytest.mark.e2e
def test_installed_canvas_saves_a_picture(canvas_process: Process, tmp_path: Path) -> None:
    svg = tmp_path / "compare.svg"
    finished = canvas_process(
        "compare", "memsql", "violin-memory", "--posts", str(POSTS), "--svg", str(svg)
    )
    assert finished.returncode == 0, finished.stderr
    assert finished.stdout == "" and finished.stderr == ""
    assert svg_title(svg.read_text(encoding="utf-8")) == "canvas compare memsql violin-memory"


@pytest.mark.parametrize("name", sorted(PICTURES))
def test_the_committed_picture_is_up_to_date(tmp_path: Path, name: str) -> None:
    committed = PICTURES_DIR / name
    made = make_picture(name, tmp_path)
    assert committed.exists(), f"{committed} is missing; run python -m tests.make_pictures"
    assert made.read_bytes() == committed.read_bytes(), (
        f"{committed.relative_to(REPO)} is out of date; run python -m tests.make_pictures"
    )


def test_the_readme_shows_every_picture() -> None:
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    for name in PICTURES:
        assert f"](tests/golden/pictures/{name})" in readme, name
