"""Tests of `canvas new`: the post it writes, where, and what it refuses, through the command."""

from __future__ import annotations

import os
import shutil
import sys
from pathlib import Path

import pytest

from canvascli.model import LEAN_LAYOUT, Block
from canvascli.read.canvas import read_canvas
from tests.conftest import POSTS
from tests.helpers import Process, Run, ok

# 2026-01-02 12:00 UTC: the day `canvas new` dates its posts with in these tests.
NOON = {"SOURCE_DATE_EPOCH": "1767355200"}


def jekyll_site(root: Path) -> Path:
    posts = root / "site" / "_posts"
    posts.mkdir(parents=True)
    return posts


def test_new_writes_a_dated_post_into_a_jekyll_posts_folder(run: Run, tmp_path: Path) -> None:
    posts = jekyll_site(tmp_path)
    result = ok(run("new", "Acme Rockets", "--posts", str(posts), env=NOON))
    written = posts / "2026-01-02-acme-rockets.md"
    assert result.stdout == "site/_posts/2026-01-02-acme-rockets.md\n"
    text = written.read_text(encoding="utf-8")
    assert text.startswith('---\nlayout: post\ntitle: "Acme Rockets"\ndate: 2026-01-02\n---\n')
    canvas = read_canvas(text, str(written))
    assert canvas.name == "Acme Rockets"
    assert canvas.slug == "acme-rockets"
    assert list(canvas.blocks) == list(Block)
    assert all(section.is_empty for section in canvas.sections)
    assert canvas.metadata["date"] == "2026-01-02"


def test_new_names_the_post_by_its_slug_outside_a_jekyll_folder(run: Run, tmp_path: Path) -> None:
    library = tmp_path / "canvases"
    library.mkdir()
    ok(run("new", "Café Olé / Ventures", "--posts", str(library), env=NOON))
    assert [path.name for path in library.iterdir()] == ["café-olé-ventures.md"]
    listed = ok(run("list", "--posts", str(library)))
    assert listed.stdout == "Café Olé / Ventures\tcafé-olé-ventures\t0/9\t0\n"


def test_check_finds_only_the_empty_blocks_of_a_new_post(run: Run, tmp_path: Path) -> None:
    posts = jekyll_site(tmp_path)
    ok(run("new", "Acme", "--posts", str(posts), env=NOON))
    ok(run("new", "Lean Acme", "--lean", "--posts", str(posts), env=NOON))
    result = ok(run("check", str(posts)))
    codes = [line.split()[1] for line in result.stdout.splitlines()]
    assert codes == ["CV204"] * 18
    assert result.stderr == "0 errors, 18 warnings in 2 files\n"


def test_new_lean_writes_the_lean_canvas_in_its_own_order(run: Run, tmp_path: Path) -> None:
    posts = jekyll_site(tmp_path)
    ok(run("new", "Lean Acme", "--lean", "--posts", str(posts), env=NOON))
    canvas = read_canvas((posts / "2026-01-02-lean-acme.md").read_text(encoding="utf-8"), "x.md")
    assert canvas.kind == "lean"
    assert [section.block for section in canvas.sections if section.block] == list(LEAN_LAYOUT)
    assert [section.heading for section in canvas.sections][2] == "Unique Value Proposition"


def test_new_never_overwrites_a_post_or_repeats_a_slug(run: Run, tmp_path: Path) -> None:
    posts = jekyll_site(tmp_path)
    shutil.copy(POSTS / "memsql.md", posts / "2016-06-06-memsql.md")
    before = (posts / "2016-06-06-memsql.md").read_bytes()
    taken = run("new", "MemSQL", "--posts", str(posts), env=NOON)
    assert taken.exit_code == 1
    assert taken.stdout == ""
    assert taken.stderr.count("\n") == 1
    assert "already has 'memsql'" in taken.stderr and "'memsql-2'" in taken.stderr
    ok(run("new", "Acme", "--posts", str(posts), env=NOON))
    again = run("new", "ACME", "--posts", str(posts), env=NOON)
    assert again.exit_code == 1
    assert "already exists" in again.stderr and "did you mean" in again.stderr
    assert sorted(path.name for path in posts.iterdir()) == [
        "2016-06-06-memsql.md",
        "2026-01-02-acme.md",
    ]
    assert (posts / "2016-06-06-memsql.md").read_bytes() == before


def test_new_refuses_to_write_into_the_bundled_sample(run: Run) -> None:
    result = run("new", "Acme")
    assert result.exit_code == 2
    assert result.stderr.startswith("canvas: no library to write into: give --posts DIR")
    assert not (POSTS / "acme.md").exists()


NO_NAMES = {
    "": "COMPANY is empty: give the company's name",
    "   ": "COMPANY is empty: give the company's name",
    "Acme\x1b[2J": "COMPANY must be a name with no control characters",
    "Acme\u202eskcoR": "COMPANY must be a name with no control characters",
    # A post named after nothing would be `untitled.md`, whatever the name was.
    "-": "COMPANY must hold a letter or a digit to name a post after",
    "...": "COMPANY must hold a letter or a digit to name a post after",
    os.fsdecode(b"Caf\xe9"): "COMPANY is not UTF-8 text",
}


@pytest.mark.parametrize("name", NO_NAMES)
def test_new_refuses_a_name_that_is_no_name(run: Run, tmp_path: Path, name: str) -> None:
    result = run("new", name, "--posts", str(tmp_path))
    assert result.exit_code == 2
    assert result.stderr == f"canvas: {NO_NAMES[name]}\n"
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("name", ["Long " * 60, "北京" * 50])
def test_new_refuses_a_name_too_long_for_a_file_in_one_line(
    run: Run, tmp_path: Path, name: str
) -> None:
    posts = jekyll_site(tmp_path)
    result = run("new", name, "--posts", str(posts), env=NOON)
    assert result.exit_code == 2
    assert result.stderr == (
        "canvas: COMPANY is too long to name a file after; give a shorter name\n"
    )
    assert list(posts.iterdir()) == []
    # As long as the folder takes, with room to write it whole, is still written.
    fits = ok(run("new", "a" * 227, "--posts", str(posts), env=NOON))
    assert fits.stdout.strip().endswith(f"2026-01-02-{'a' * 227}.md")


def test_new_edit_opens_the_post_in_the_editor(run: Run, tmp_path: Path) -> None:
    posts = jekyll_site(tmp_path)
    marker = tmp_path / "edited"
    editor = f"{sys.executable} -c 'import sys; open(sys.argv[1], \"w\").write(sys.argv[2])'"
    ok(
        run(
            "new",
            "Acme",
            "--edit",
            "--posts",
            str(posts),
            env={**NOON, "VISUAL": f"{editor} {marker}"},
        )
    )
    assert marker.read_text(encoding="utf-8") == str(posts / "2026-01-02-acme.md")


@pytest.mark.parametrize(
    ("editor", "said"),
    [
        ("", "set $VISUAL or $EDITOR to edit the post"),
        ("no-such-editor-anywhere --wait", "cannot run no-such-editor-anywhere: no such program"),
        ("vim 'unclosed", "cannot read the editor command: No closing quotation"),
    ],
    ids=["unset", "missing", "unreadable"],
)
def test_new_edit_without_an_editor_to_run_writes_nothing_and_says_so(
    run: Run, tmp_path: Path, editor: str, said: str
) -> None:
    posts = jekyll_site(tmp_path)
    result = run("new", "Acme", "--edit", "--posts", str(posts), env={**NOON, "VISUAL": editor})
    assert result.exit_code == 1
    assert result.stdout == ""
    assert result.stderr == (
        f"canvas: {said}; no post written (leave out --edit to write it alone)\n"
    )
    assert list(posts.iterdir()) == []


def test_new_edit_whose_editor_fails_untouched_removes_the_blank_post(
    run: Run, tmp_path: Path
) -> None:
    posts = jekyll_site(tmp_path)
    editor = f"{sys.executable} -c 'raise SystemExit(3)'"
    result = run("new", "Acme", "--edit", "--posts", str(posts), env={**NOON, "VISUAL": editor})
    assert result.exit_code == 1
    assert result.stdout == ""
    assert result.stderr == (
        f"canvas: {sys.executable} exited with status 3; "
        "site/_posts/2026-01-02-acme.md was removed, as nothing was written in it\n"
    )
    assert list(posts.iterdir()) == []
    # The name is free again: the same command with an editor that works writes the post.
    ok(run("new", "Acme", "--edit", "--posts", str(posts), env={**NOON, "VISUAL": "true"}))
    assert [path.name for path in posts.iterdir()] == ["2026-01-02-acme.md"]


def test_new_edit_whose_editor_fails_after_writing_keeps_the_post_and_says_where(
    run: Run, tmp_path: Path
) -> None:
    posts = jekyll_site(tmp_path)
    editor = (
        f"{sys.executable} -c "
        '\'import sys; open(sys.argv[1], "a").write("Kept.\\n"); raise SystemExit(3)\''
    )
    result = run("new", "Acme", "--edit", "--posts", str(posts), env={**NOON, "VISUAL": editor})
    assert result.exit_code == 1
    assert result.stdout == "site/_posts/2026-01-02-acme.md\n"
    assert result.stderr == (
        f"canvas: {sys.executable} exited with status 3; "
        "site/_posts/2026-01-02-acme.md is kept with what was written in it\n"
    )
    assert (posts / "2026-01-02-acme.md").read_text(encoding="utf-8").endswith("Kept.\n")


def test_a_date_that_is_no_date_is_one_line(run: Run, tmp_path: Path) -> None:
    result = run("new", "Acme", "--posts", str(tmp_path), env={"SOURCE_DATE_EPOCH": "soon"})
    assert result.exit_code == 2
    assert result.stderr == "canvas: $SOURCE_DATE_EPOCH is not a number of seconds: 'soon'\n"


@pytest.mark.e2e
def test_the_installed_command_writes_a_new_post(canvas_process: Process, tmp_path: Path) -> None:
    posts = jekyll_site(tmp_path)
    result = canvas_process("new", "Acme Rockets", cwd=posts.parent, env=NOON)
    assert result.returncode == 0, result.stderr
    assert result.stdout == "_posts/2026-01-02-acme-rockets.md\n"
    checked = canvas_process("check", cwd=posts.parent)
    assert checked.stderr == "0 errors, 9 warnings in 1 file\n"


# Names as a shell hands them over after `--`, with what makes YAML, Markdown or a file
# name read them otherwise: each must come back from the post exactly as it was given.
# (A name with a description after a colon or a spaced dash, `Acme: rockets`, is read as
# every post's title is: `Acme`.)
NAMES_AS_GIVEN = {
    "-rf": "rf",
    "--dry-run": "dry-run",
    "'Quoted' Rockets": "quoted-rockets",
    '"Acme"': "acme",
    "Acme   Rockets": "acme-rockets",
    "#hashtag": "hashtag",
    "*Starred* & _underlined_": "starred-_underlined",
    "[Bracketed](link) <b>": "bracketed-link-b",
    "C# | F#": "c-f",
    "null": "null",
    "123": "123",
    "? Mark": "mark",
    "🚀 Rocket Ünïcode": "rocket-ünïcode",
    "日本 株式会社": "日本-株式会社",
}


@pytest.mark.parametrize("name", NAMES_AS_GIVEN)
def test_new_keeps_a_name_given_after_double_dash_as_given(
    run: Run, tmp_path: Path, name: str
) -> None:
    import yaml

    posts = jekyll_site(tmp_path)
    written = ok(run("new", "--posts", str(posts), "--", f"  {name}\t", env=NOON))
    slug = NAMES_AS_GIVEN[name]
    path = posts / f"2026-01-02-{slug}.md"
    assert written.stdout == f"site/_posts/{path.name}\n"
    front_matter = path.read_text(encoding="utf-8").split("---\n")[1]
    assert yaml.safe_load(front_matter)["title"] == name
    listed = ok(run("list", "--posts", str(posts)))
    assert listed.stdout == f"{name}\t{slug}\t0/9\t0\n"
    shown = ok(run("show", "--posts", str(posts), "--", slug))
    assert shown.stdout.splitlines()[0] == f"{name}  {slug}"
