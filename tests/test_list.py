"""`canvas list` filters and orders: --kind, --has, --missing and --sort date."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.conftest import REPO
from tests.helpers import Run, ok

WILD = REPO / "tests" / "data" / "wild"
BLOCKS = ["Customer Segments", "Value Propositions", "Channels", "Key Partners"]


def canvas_post(title: str, blocks: list[str], date: str | None = None) -> str:
    front = f"---\ntitle: {title}\n" + (f"date: {date}\n" if date else "") + "---\n"
    body = "".join(f"\n## {block}\n\nSomething about {block.lower()}.\n" for block in blocks)
    return f"{front}# Business Model of {title}\n{body}"


@pytest.fixture
def library(tmp_path: Path) -> Path:
    """Four companies: dated by front matter, by file name, by both, and undated."""
    folder = tmp_path / "_posts"
    folder.mkdir()
    posts = {
        "2019-01-01-acme.md": canvas_post("Acme", BLOCKS, date="2021-06-30 10:00:00 +0000"),
        "2020-03-04-globex.md": canvas_post("Globex", BLOCKS[:3]),
        "initech.md": canvas_post("Initech", BLOCKS[:2], date="2018-11-05"),
        "hooli.md": canvas_post("Hooli", [BLOCKS[0], BLOCKS[3]]),
    }
    for name, text in posts.items():
        (folder / name).write_text(text, encoding="utf-8")
    return folder


def slugs(run: Run, *args: str) -> list[str]:
    listed = json.loads(ok(run("list", *args, "--json")).stdout)
    return [entry["slug"] for entry in listed]


@pytest.mark.parametrize(
    ("sort", "ascending"),
    [
        ("name", ["acme", "globex", "hooli", "initech"]),
        ("slug", ["acme", "globex", "hooli", "initech"]),
        # Hooli and Initech have as many words and blocks: the name decides.
        ("words", ["hooli", "initech", "globex", "acme"]),
        ("blocks", ["hooli", "initech", "globex", "acme"]),
    ],
)
def test_each_sort_orders_by_its_key_then_by_name_and_reverse_turns_it_round(
    run: Run, library: Path, sort: str, ascending: list[str]
) -> None:
    assert slugs(run, "--posts", str(library), "--sort", sort) == ascending
    assert slugs(run, "--posts", str(library), "--sort", sort, "--reverse") == ascending[::-1]
    lines = ok(run("list", "--posts", str(library), "--sort", sort)).stdout.splitlines()
    assert [line.split("\t")[1] for line in lines] == ascending


def test_sort_date_reads_front_matter_then_the_file_name_and_puts_undated_last(
    run: Run, library: Path
) -> None:
    assert slugs(run, "--posts", str(library), "--sort", "date") == [
        "initech",
        "globex",
        "acme",
        "hooli",
    ]
    assert slugs(run, "--posts", str(library), "--sort", "date", "--reverse") == [
        "acme",
        "globex",
        "initech",
        "hooli",
    ]


def test_missing_and_has_take_block_names_as_everywhere_else(run: Run, library: Path) -> None:
    posts = ["--posts", str(library)]
    assert slugs(run, *posts, "--missing", "channels") == ["hooli", "initech"]
    assert slugs(run, *posts, "--has", "kp") == ["acme", "hooli"]
    assert slugs(run, *posts, "--has", "Value Propositions", "--has", "ch") == ["acme", "globex"]
    assert slugs(run, *posts, "--missing", "kp", "--missing", "ch") == ["initech"]
    assert slugs(run, *posts, "--has", "cs", "--missing", "partners", "--sort", "date") == [
        "initech",
        "globex",
    ]


def test_filters_apply_to_the_table_and_the_piped_lines(run: Run, library: Path) -> None:
    piped = ok(run("list", "--posts", str(library), "--missing", "vp")).stdout
    assert [line.split("\t")[1] for line in piped.splitlines()] == ["hooli"]
    drawn = ok(run("list", "--posts", str(library), "--has", "vp", terminal=True)).stdout
    assert "Globex" in drawn and "Hooli" not in drawn


def test_kind_keeps_lean_or_business_canvases(run: Run) -> None:
    lean = json.loads(ok(run("list", "--posts", str(WILD), "--kind", "lean", "--json")).stdout)
    business = json.loads(
        ok(run("list", "--posts", str(WILD), "--kind", "business", "--json")).stdout
    )
    assert lean and {entry["kind"] for entry in lean} == {"lean"}
    assert business and {entry["kind"] for entry in business} == {"business"}


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--kind", "napkin"], "--kind must be one of business, lean, mixed, not 'napkin'"),
        (["--has", "napkin"], "no block 'napkin'"),
        (["--has", "kp", "--missing", "partners"], "--has and --missing both name"),
        (["--sort", "colour"], "--sort must be one of name, slug, words, blocks, date"),
    ],
)
def test_a_bad_filter_is_one_line_and_a_usage_error(
    run: Run, library: Path, args: list[str], message: str
) -> None:
    result = run("list", "--posts", str(library), *args)
    assert result.exit_code == 2
    assert message in result.stderr and len(result.stderr.splitlines()) == 1


@pytest.mark.parametrize("terminal", [True, False])
def test_when_nothing_matches_the_table_says_so(run: Run, library: Path, terminal: bool) -> None:
    result = ok(run("list", "--posts", str(library), "--missing", "cs", terminal=terminal))
    assert result.stdout == ""
    assert result.stderr == f"canvas: no company matches the filters in {library} (--posts)\n"


@pytest.mark.parametrize("terminal", [True, False])
def test_when_nothing_matches_the_json_is_an_empty_list_and_stderr_says_why(
    run: Run, library: Path, terminal: bool
) -> None:
    for _ in range(2):  # the second run, from a warm index, says it again
        result = ok(
            run("list", "--json", "--posts", str(library), "--missing", "cs", terminal=terminal)
        )
        assert json.loads(result.stdout) == []
        assert result.stderr == (f"canvas: no company matches the filters in {library} (--posts)\n")


def test_an_empty_library_says_so_piped_too(run: Run, tmp_path: Path) -> None:
    empty = tmp_path / "_posts"
    empty.mkdir()
    for _ in range(2):  # the second run, from a warm index, says it again
        result = ok(run("list"))
        assert result.stdout == ""
        assert result.stderr == "canvas: no posts in _posts (./_posts)\n"
    for _ in range(2):
        listed = ok(run("list", "--json"))
        assert json.loads(listed.stdout) == []
        assert listed.stderr == "canvas: no posts in _posts (./_posts)\n"


def test_the_shell_completes_the_filters(run: Run) -> None:
    from canvascli.cli import _complete_block, _complete_kind

    assert _complete_kind("l") == ["lean"]
    assert "key-partners" in _complete_block("key-p")


def test_companies_of_one_name_are_listed_by_slug(run: Run, tmp_path: Path) -> None:
    folder = tmp_path / "same"
    folder.mkdir()
    # In folders whose order is neither the slugs' nor their reverse.
    for number, slug in enumerate(("acme-b", "acme-c", "acme-a")):
        (folder / str(number)).mkdir()
        (folder / str(number) / f"{slug}.md").write_text(canvas_post("Acme", BLOCKS), "utf-8")
    assert slugs(run, "--posts", str(folder), "--sort", "name") == ["acme-a", "acme-b", "acme-c"]


def test_sort_date_orders_dates_written_without_leading_zeros_by_the_day_they_name(
    run: Run, tmp_path: Path
) -> None:
    folder = tmp_path / "dates"
    folder.mkdir()
    posts = {
        "early.md": canvas_post("Early", BLOCKS, date="2016-5-3"),
        "middle.md": canvas_post("Middle", BLOCKS, date="2016-05-12"),
        "late.md": canvas_post("Late", BLOCKS, date="2016-10-1"),
    }
    for name, text in posts.items():
        (folder / name).write_text(text, encoding="utf-8")
    assert slugs(run, "--posts", str(folder), "--sort", "date") == ["early", "middle", "late"]


@pytest.mark.parametrize("limit", [1, 2, 3, 4, 9])
def test_limit_lists_that_many_companies_the_first_of_the_order(
    run: Run, library: Path, limit: int
) -> None:
    everyone = slugs(run, "--posts", str(library), "--sort", "date")
    assert (
        slugs(run, "--posts", str(library), "--sort", "date", "--limit", str(limit))
        == (everyone[:limit])
    )
    lines = ok(run("list", "--posts", str(library), "--limit", str(limit))).stdout.splitlines()
    assert len(lines) == min(limit, len(everyone))


@pytest.mark.parametrize("sort", ["words", "blocks", "date"])
@pytest.mark.parametrize("no_cache", [False, True])
def test_companies_tied_on_every_key_are_listed_by_slug_not_by_file(
    run: Run, tmp_path: Path, sort: str, no_cache: bool
) -> None:
    folder = tmp_path / "tied"
    folder.mkdir()
    # One name, one text, one day; the file names sort as the slugs do not.
    for name in ("2020-01-01-zeta.md", "2020-01-01-alpha.md", "2020-01-01-mid.md"):
        (folder / name).write_text(canvas_post("Same", BLOCKS), encoding="utf-8")
    (folder / "0-beta.md").write_text(canvas_post("same", BLOCKS, "2020-01-01"), "utf-8")
    extra = ("--no-cache",) if no_cache else ()
    ascending = ["0-beta", "alpha", "mid", "zeta"]
    assert slugs(run, "--posts", str(folder), "--sort", sort, *extra) == ascending
    reverse = slugs(run, "--posts", str(folder), "--sort", sort, "--reverse", *extra)
    assert reverse == ascending[::-1]
