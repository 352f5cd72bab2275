"""Tests of `canvas check`: findings, codes, exit status and the JSON report, on real files."""

from __future__ import annotations

import contextlib
import json
import os
import re
import shutil
import sqlite3
from pathlib import Path

import pytest

from canvascli.analyse.check import CheckReport, check_library, check_paths
from canvascli.model import CODES, Canvas
from canvascli.read import canvas as canvas_reader
from canvascli.read.labels import Synonyms
from tests.conftest import POSTS
from tests.helpers import Process, Run, ok

FIXTURES = Path(__file__).resolve().parent / "data" / "posts"
EXPECTED: dict[str, dict[str, list[str]]] = json.loads(
    (FIXTURES / "expected.json").read_text(encoding="utf-8")
)
FINDING = re.compile(
    r"(?P<path>.+?):(?P<line>\d+):(?P<column>\d+): (?P<code>CV\d{3}) (?P<message>.+)"
)
GOOD_POST = "---\ntitle: {slug}\n---\n\n# Business Model of {name}\n\n" + "".join(
    f"### {title}\n\nSomething about {title.lower()}.\n\n"
    for title in (
        "Customer Segments",
        "Value Propositions",
        "Channels",
        "Customer Relationships",
        "Revenue Streams",
        "Key Resources",
        "Key Activities",
        "Key Partners",
        "Cost Structure",
    )
)


def expected_counts() -> tuple[int, int, int]:
    """Files, errors and warnings over the fixtures: expected.json's codes, plus CV302."""
    codes = [code for expected in EXPECTED.values() for code in expected["codes"]]
    errors = sum(1 for code in codes if CODES[code][0] == "error")
    return len(EXPECTED), errors, len(codes) - errors + 1


def good_post(name: str) -> str:
    return GOOD_POST.format(name=name, slug=name.lower())


def findings(stdout: str) -> list[re.Match[str]]:
    matches = [FINDING.fullmatch(line) for line in stdout.splitlines()]
    assert all(matches), stdout
    return [match for match in matches if match]


def codes_by_file(stdout: str) -> dict[str, set[str]]:
    found: dict[str, set[str]] = {}
    for match in findings(stdout):
        found.setdefault(Path(match["path"]).name, set()).add(match["code"])
    return found


@pytest.fixture
def fixtures_copy(tmp_path: Path) -> Path:
    """The fixture posts in `_posts` of the folder the `run` fixture works in."""
    target = tmp_path / "_posts"
    shutil.copytree(FIXTURES, target, ignore=shutil.ignore_patterns("*.json"))
    return target


def test_the_bundled_posts_pass_with_no_findings(run: Run) -> None:
    result = run("check")
    assert result.exit_code == 0, result.output
    assert result.stdout == ""
    assert result.stderr == "0 errors, 0 warnings in 2 files\n"


def test_every_fixture_reports_its_expected_codes_and_nothing_else(
    run: Run, fixtures_copy: Path
) -> None:
    result = run("check")
    assert result.exit_code == 1
    reported = codes_by_file(result.stdout)
    for name, expected in EXPECTED.items():
        wanted = set(expected["codes"]) | ({"CV302"} if name == "unpublished.md" else set())
        assert reported.get(name, set()) == wanted, name
    files, errors, warnings = expected_counts()
    assert result.stderr == f"{errors} errors, {warnings} warnings in {files} files\n"


def test_findings_name_the_path_relative_to_where_canvas_runs_and_are_sorted(
    run: Run, fixtures_copy: Path
) -> None:
    matches = findings(run("check").stdout)
    assert all(match["path"].startswith("_posts/") for match in matches)
    keys = [(match["path"], int(match["line"])) for match in matches]
    assert keys == sorted(keys)


def test_findings_point_at_the_line_and_column_of_the_problem(
    run: Run, fixtures_copy: Path
) -> None:
    lines = set(run("check").stdout.splitlines())
    for expected in (
        "_posts/bom_front_matter.md:1:1: CV104 file starts with a UTF-8 byte-order mark",
        "_posts/broken_yaml_front_matter.md:4:5: CV101 front matter is not valid YAML: "
        "did not find expected ',' or ']'",
        "_posts/duplicate_channels.md:30:1: CV202 block 'Channels' appears again "
        "(first on line 15)",
        "_posts/empty_key_activities.md:21:1: CV204 block 'Key Activities' is empty",
        "_posts/list_front_matter.md:2:1: CV103 front matter is a list, not a mapping",
        "_posts/missing_cost_structure.md:5:1: CV201 block 'Cost Structure' is missing",
        "_posts/no_title_no_front_matter.md:1:1: CV205 no title heading names the company",
        "_posts/unpublished.md:4:1: CV302 post is unpublished (published: false); "
        "the site will not show it",
        "_posts/unterminated_front_matter.md:1:1: CV102 front matter opened by '---' on "
        "line 1 is never closed; read as text",
    ):
        assert expected in lines


def test_a_misspelt_block_heading_gets_the_block_it_misspells(run: Run, tmp_path: Path) -> None:
    post = good_post("Acme").replace("### Customer Segments", "### Costumer Segmets")
    (tmp_path / "acme.md").write_text(post, encoding="utf-8")
    stdout = run("check", "acme.md").stdout
    assert (
        "acme.md:7:1: CV203 heading 'Costumer Segmets' maps to no canvas block, kept as an extra "
        "section; did you mean 'Customer Segments'?"
    ) in stdout.splitlines()
    stdout = run("check", str(FIXTURES / "unknown_heading_extra.md")).stdout
    assert "heading 'Competitors' maps to no canvas block" in stdout
    assert "no block name is close (see 'canvas sections')" in stdout


OTHER_SECTIONS = FIXTURES.parent / "other_sections"
BAKERY = "other_sections/2023-03-14-fernhill-bakery.md"
WERKSTATT = "other_sections/2022-11-02-brunnen-werkstatt.md"
FERRIES = "other_sections/2024-01-20-harbour-ferries.md"
NO_BLOCK = "maps to no canvas block, kept as an extra section"
OWN_SECTION = "names a section of its own, kept as an extra section"
# Every finding on the canvases with notes, summaries, projections and appendices.
OTHER_SECTION_FINDINGS = [
    (WERKSTATT, 8, f"CV208 heading 'Zusammenfassung' {OWN_SECTION}"),
    (WERKSTATT, 44, "CV206 label 'Kostenstruktr' read as block 'Cost Structure'"),
    (WERKSTATT, 48, f"CV208 heading 'Finanzplan' {OWN_SECTION}"),
    (WERKSTATT, 52, f"CV208 heading 'Anhang' {OWN_SECTION}"),
    (BAKERY, 6, "CV201 block 'Customer Segments' is missing"),
    (
        BAKERY,
        18,
        f"CV203 heading 'Costumer Segmets' {NO_BLOCK}; did you mean 'Customer Segments'?",
    ),
    (BAKERY, 28, "CV206 label 'Chanels' read as block 'Channels'"),
    (
        BAKERY,
        38,
        f"CV203 heading 'Revnue and Costs' {NO_BLOCK}; no block name is close "
        "(see 'canvas sections')",
    ),
    (BAKERY, 62, f"CV208 heading 'Financial Projections' {OWN_SECTION}"),
    (BAKERY, 66, f"CV208 heading 'Notes' {OWN_SECTION}"),
    (BAKERY, 70, f"CV208 heading 'Final Note' {OWN_SECTION}"),
    (
        FERRIES,
        7,
        f"CV203 heading 'Costumer Segmets' {NO_BLOCK}; its level is not that of the block headings",
    ),
    (FERRIES, 11, f"CV208 heading 'Introduction' {OWN_SECTION}"),
    (
        FERRIES,
        51,
        f"CV203 heading 'Key Values' {NO_BLOCK}; no block name is close (see 'canvas sections')",
    ),
    (FERRIES, 55, f"CV208 heading 'Summary' {OWN_SECTION}"),
    (FERRIES, 59, f"CV208 heading 'References' {OWN_SECTION}"),
]


def _finding_lines(found: list[tuple[str, int, str]]) -> list[str]:
    return [f"{path}:{line}:1: {text}" for path, line, text in found]


def test_notes_summaries_and_appendices_are_off_by_default_and_shown_with_all(
    run: Run, tmp_path: Path
) -> None:
    shutil.copytree(OTHER_SECTIONS, tmp_path / "other_sections")
    result = run("check", "other_sections")
    assert result.exit_code == 0, result.output
    expected = [found for found in OTHER_SECTION_FINDINGS if " CV208 " not in f" {found[2]}"]
    assert result.stdout.splitlines() == _finding_lines(expected)
    assert result.stderr == "0 errors, 5 warnings in 3 files\n"
    result = run("check", "--all", "other_sections")
    assert result.stdout.splitlines() == _finding_lines(OTHER_SECTION_FINDINGS)
    assert result.stderr == "0 errors, 5 warnings in 3 files\n"
    result = run("check", "--all", "--ignore", "CV203,CV206", "--json", "other_sections")
    reported = [finding["code"] for finding in json.loads(result.stdout)["findings"]]
    assert reported == ["CV208"] * 3 + ["CV201"] + ["CV208"] * 3 + ["CV208"] * 3


def test_a_warm_check_reads_only_new_and_changed_posts_and_reports_the_same(
    run: Run, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    library = tmp_path / "_posts"
    shutil.copytree(FIXTURES, library, ignore=shutil.ignore_patterns("*.json"))
    shutil.copytree(OTHER_SECTIONS, library / "other_sections")
    cold = run("check", "--all")
    read: list[str] = []
    reader = canvas_reader.read_canvases

    def read_canvases(text: str, source: str, synonyms: Synonyms = ()) -> list[Canvas]:
        read.append(Path(source).name)
        return reader(text, source, synonyms)

    monkeypatch.setattr(canvas_reader, "read_canvases", read_canvases)
    warm = run("check", "--all")
    assert read == []
    assert (warm.stdout, warm.stderr, warm.exit_code) == (cold.stdout, cold.stderr, cold.exit_code)
    assert warm.stdout.count("\n") > 20

    edited = library / "missing_cost_structure.md"
    edited.write_text(
        edited.read_text(encoding="utf-8") + "\n### Cost Structure\n\nMilk.\n\n## Notes\n\nDone.\n",
        encoding="utf-8",
    )
    (library / "other_sections" / "2024-01-20-harbour-ferries.md").unlink()
    (library / "again").mkdir()
    shutil.copy(library / "emoji_headings.md", library / "again" / "emoji_headings.md")
    changed = run("check", "--all")
    assert sorted(read) == ["emoji_headings.md", "missing_cost_structure.md"]
    assert "_posts/missing_cost_structure.md:5:1: CV201" not in changed.stdout
    assert "_posts/missing_cost_structure.md:37:1: CV208 heading 'Notes'" in changed.stdout
    assert "harbour-ferries" not in changed.stdout
    assert (
        "_posts/again/emoji_headings.md:1:1: CV301 slug 'emoji_headings' is also used by "
        "_posts/emoji_headings.md"
    ) in changed.stdout.splitlines()
    fresh = run("check", "--all", "--no-cache")
    assert (fresh.stdout, fresh.stderr, fresh.exit_code) == (
        changed.stdout,
        changed.stderr,
        changed.exit_code,
    )
    assert fresh.stdout != cold.stdout


def test_posts_whose_findings_the_index_lost_are_read_again(run: Run, tmp_path: Path) -> None:
    library = tmp_path / "_posts"
    shutil.copytree(OTHER_SECTIONS, library)
    first = run("check", "--all")
    index = json.loads(ok(run("cache", "info", "--json")).stdout)["index"]
    with contextlib.closing(sqlite3.connect(index)) as connection, connection:
        connection.execute("DELETE FROM post_checks")
    again = run("check", "--all")
    assert (again.stdout, again.stderr) == (first.stdout, first.stderr)
    assert again.stdout.splitlines() == [
        line.replace("other_sections/", "_posts/")
        for line in _finding_lines(OTHER_SECTION_FINDINGS)
    ]


def test_broken_files_are_reported_and_every_other_file_is_still_checked(
    run: Run, tmp_path: Path
) -> None:
    library = tmp_path / "_posts"
    library.mkdir()
    (library / "good.md").write_text(good_post("Good"), encoding="utf-8")
    (library / "missing.md").write_text(
        good_post("Missing").replace("### Channels", "### Competitors"), encoding="utf-8"
    )
    (library / "binary.md").write_bytes(b"\x00\x01 not text")
    (library / "latin1.md").write_bytes(good_post("Caf\xe9").encode("latin-1"))
    (library / "huge.md").write_text(good_post("Huge") + "x" * 5000, encoding="utf-8")
    (library / "folder.md").mkdir()
    result = run("check", env={"CANVASCLI_MAX_BYTES": "4000"})
    assert result.exit_code == 1
    reported = codes_by_file(result.stdout)
    assert reported == {
        "binary.md": {"CV105"},
        "folder.md": {"CV303"},
        "huge.md": {"CV304"},
        "latin1.md": {"CV105"},
        "missing.md": {"CV201", "CV203"},
    }
    assert "_posts/latin1.md:2:11: CV105 file is not UTF-8 (byte 0xe9" in result.stdout
    assert result.stderr == "3 errors, 3 warnings in 6 files\n"


def test_two_files_with_one_slug_are_both_reported(run: Run, tmp_path: Path) -> None:
    for relative in ("_posts/acme.md", "_posts/2016/2016-05-12-acme.md"):
        (tmp_path / relative).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / relative).write_text(good_post("Acme"), encoding="utf-8")
    result = run("check")
    assert result.exit_code == 1
    assert result.stdout.splitlines() == [
        "_posts/2016/2016-05-12-acme.md:1:1: CV301 slug 'acme' is also used by _posts/acme.md",
        "_posts/acme.md:1:1: CV301 slug 'acme' is also used by _posts/2016/2016-05-12-acme.md",
    ]


def test_paths_may_be_files_and_folders_each_file_checked_once(run: Run, tmp_path: Path) -> None:
    (tmp_path / "drafts").mkdir()
    (tmp_path / "drafts" / "beta.md").write_text(good_post("Beta"), encoding="utf-8")
    (tmp_path / "alpha.md").write_text(good_post("Alpha"), encoding="utf-8")
    (tmp_path / "notes.txt").write_text("# Not a canvas\n", encoding="utf-8")
    result = run("check", "alpha.md", "drafts", "drafts/beta.md", "notes.txt", "gone.md")
    assert result.exit_code == 1
    # "Not a canvas" names no company, so the title finding comes too.
    assert codes_by_file(result.stdout) == {"notes.txt": {"CV201", "CV205"}, "gone.md": {"CV303"}}
    assert "gone.md:1:1: CV303 cannot be read: No such file or directory" in result.stdout
    assert result.stderr == "1 error, 10 warnings in 4 files\n"


def test_a_label_read_by_a_guess_is_noted_with_the_block_it_became(
    run: Run, tmp_path: Path
) -> None:
    post = (
        good_post("Acme")
        .replace("### Channels", "### Channel hypothesis")
        .replace("### Key Activities", "### Key Activites")
        .replace("### Key Partners", "### 🤝 Our Key Partners (suppliers)")
    )
    (tmp_path / "acme.md").write_text(post, encoding="utf-8")
    result = run("check", "--strict", "acme.md")
    guesses = [line for line in result.stdout.splitlines() if " CV206 " in line]
    assert [line.split(": CV206 ")[1] for line in guesses] == [
        "label 'Channel hypothesis' read as block 'Channels'",
        "label 'Key Activites' read as block 'Key Activities'",
    ]
    assert result.exit_code == 0
    assert result.stderr == "0 errors, 0 warnings in 1 file\n"
    report = json.loads(run("check", "--json", "acme.md").stdout)
    assert {finding["severity"] for finding in report["findings"]} == {"info"}


def test_warnings_pass_unless_strict(run: Run) -> None:
    missing = str(FIXTURES / "missing_cost_structure.md")
    assert run("check", missing).exit_code == 0
    strict = run("check", "--strict", missing)
    assert strict.exit_code == 1
    assert strict.stderr == "0 errors, 1 warning in 1 file\n"


def test_published_true_or_absent_is_not_a_finding(run: Run, tmp_path: Path) -> None:
    (tmp_path / "live.md").write_text(
        good_post("Live").replace("title: live", "title: live\npublished: true"), encoding="utf-8"
    )
    (tmp_path / "plain.md").write_text(good_post("Plain"), encoding="utf-8")
    result = run("check", "--strict", ".")
    assert result.exit_code == 0, result.output
    assert result.stderr == "0 errors, 0 warnings in 2 files\n"


def test_ignored_codes_are_not_reported(run: Run) -> None:
    result = run("check", "--strict", "--ignore", "cv302,CV205", str(FIXTURES / "unpublished.md"))
    assert result.exit_code == 0, result.output
    assert result.stdout == ""


def test_an_unknown_code_to_ignore_is_a_usage_error(run: Run) -> None:
    result = run("check", "--ignore", "CV999")
    assert result.exit_code == 2
    assert result.stderr == "canvas: unknown code 'CV999' (see 'canvas check --list-codes')\n"


def test_paths_and_posts_together_are_a_usage_error(run: Run) -> None:
    result = run("check", "--posts", str(POSTS), str(POSTS))
    assert result.exit_code == 2
    assert "give PATHs or --posts, not both" in result.stderr


def test_a_library_chosen_by_the_environment_is_checked(run: Run, tmp_path: Path) -> None:
    (tmp_path / "lib").mkdir()
    (tmp_path / "lib" / "acme.md").write_text("# Acme\n", encoding="utf-8")
    result = run("check", env={"CANVASCLI_POSTS": str(tmp_path / "lib")})
    assert result.exit_code == 0
    # An absolute library path inside the current folder is shown relative to it.
    assert result.stdout.startswith("lib/acme.md:1:1: CV201 block 'Customer Segments'")


def test_json_holds_the_same_findings_as_the_text(run: Run, fixtures_copy: Path) -> None:
    text = findings(run("check").stdout)
    result = run("check", "--json")
    assert result.exit_code == 1
    report = json.loads(result.stdout)
    assert set(report) == {"files", "errors", "warnings", "findings"}
    assert (report["files"], report["errors"], report["warnings"]) == expected_counts()
    assert [
        (item["path"], item["line"], item["column"], item["code"], item["message"])
        for item in report["findings"]
    ] == [
        (match["path"], int(match["line"]), int(match["column"]), match["code"], match["message"])
        for match in text
    ]
    assert {item["severity"] for item in report["findings"]} == {"error", "warning"}
    assert all(item["severity"] == CODES[item["code"]][0] for item in report["findings"])


def test_check_reads_posts_afresh_even_when_the_index_says_unchanged(
    run: Run, tmp_path: Path
) -> None:
    library = tmp_path / "_posts"
    library.mkdir()
    post = library / "acme.md"
    post.write_text(good_post("Acme"), encoding="utf-8")
    assert run("list").exit_code == 0
    before = post.stat()
    # Same size and modification time: only reading the file can tell it changed.
    post.write_text(good_post("Acme").replace("### Channels", "### Xyzzyxwv"), encoding="utf-8")
    os.utime(post, ns=(before.st_atime_ns, before.st_mtime_ns))
    assert post.stat().st_size == before.st_size
    result = run("check")
    assert "_posts/acme.md:4:1: CV201 block 'Channels' is missing" in result.stdout
    assert "heading 'Xyzzyxwv' maps to no canvas block" in result.stdout


def test_control_characters_in_posts_never_reach_the_output_raw(run: Run, tmp_path: Path) -> None:
    post = good_post("Acme").replace("### Channels", "### Chan\x1b[2Jnels\x07")
    (tmp_path / "acme.md").write_text(post, encoding="utf-8")
    result = run("check", "acme.md")
    assert "\x1b" not in result.stdout and "\x07" not in result.stdout
    assert "heading 'Chan␛[2Jnels␇'" in result.stdout
    report = run("check", "--json", "acme.md").stdout
    assert "\x1b" not in report
    assert any("Chan\x1b[2Jnels\x07" in item["message"] for item in json.loads(report)["findings"])


def test_many_posts_are_checked_in_parallel_with_the_same_findings(tmp_path: Path) -> None:
    for number in range(80):
        post = good_post(f"Company {number}")
        if number == 41:
            post = post.replace("### Key Partners", "### Key Partners\n\n### Key Partners")
        (tmp_path / f"company-{number:02}.md").write_text(post, encoding="utf-8")
    report = check_paths([tmp_path])
    assert report.files == 80
    assert [(Path(item.path).name, item.code) for item in report.findings] == [
        ("company-41.md", "CV204"),
        ("company-41.md", "CV202"),
    ]


@pytest.mark.e2e
def test_the_installed_command_checks_a_library(canvas_process: Process, tmp_path: Path) -> None:
    library = tmp_path / "site" / "_posts"
    library.mkdir(parents=True)
    shutil.copy(FIXTURES / "broken_yaml_front_matter.md", library)
    shutil.copy(POSTS / "memsql.md", library)
    result = canvas_process("check", cwd=tmp_path / "site")
    assert result.returncode == 1
    assert result.stdout == (
        "_posts/broken_yaml_front_matter.md:4:5: CV101 front matter is not valid YAML: "
        "did not find expected ',' or ']'\n"
    )
    assert result.stderr == "1 error, 0 warnings in 2 files\n"
    bundled = canvas_process("check", "--strict", cwd=tmp_path)
    assert (bundled.returncode, bundled.stdout) == (0, ""), bundled.stderr


def findings_of(report: CheckReport) -> str:
    return "".join(finding.format() + "\n" for finding in report.findings)


def test_checking_paths_through_the_api_reports_what_the_command_prints(
    run: Run, tmp_path: Path
) -> None:
    shutil.copy(FIXTURES / "broken_yaml_front_matter.md", tmp_path)
    shutil.copy(FIXTURES / "missing_cost_structure.md", tmp_path / "copy.md")
    args = ["broken_yaml_front_matter.md", ".", "gone.md"]
    result = run("check", *args)
    report = check_paths([Path(arg) for arg in args])
    assert result.stdout == findings_of(report) != ""
    assert result.stderr == report.summary() + "\n" == "2 errors, 1 warning in 3 files\n"
    assert (result.exit_code, report.failed()) == (1, True)


def test_checking_a_library_through_the_api_reports_what_the_command_prints(
    run: Run, tmp_path: Path
) -> None:
    library = tmp_path / "_posts"
    library.mkdir()
    shutil.copy(FIXTURES / "missing_cost_structure.md", library)
    shutil.copy(POSTS / "memsql.md", library)
    result = run("check", "--posts", str(library), "--json")
    report = check_library(library)
    assert json.loads(result.stdout) == report.to_dict()
    assert report.to_dict()["warnings"] == 1
    assert [finding.path for finding in report.findings] == ["_posts/missing_cost_structure.md"]
    assert result.stderr == report.summary() + "\n" == "0 errors, 1 warning in 2 files\n"


def test_nothing_to_check_is_told_apart_from_an_unreadable_folder(run: Run, tmp_path: Path) -> None:
    empty = tmp_path / "empty"
    empty.mkdir()
    assert check_library(empty).found_nothing
    assert check_paths([empty]).found_nothing
    assert (
        run("check", "empty").stderr
        == "canvas: no posts to check\n0 errors, 0 warnings in 0 files\n"
    )
    locked = tmp_path / "locked"
    locked.mkdir(mode=0o000)
    try:
        report = check_paths([locked], ignore={"CV303"})
        readable = os.access(locked, os.R_OK)
    finally:
        locked.chmod(0o755)
    assert report.findings == []
    assert report.found_nothing is readable


def test_list_codes_prints_every_code_with_its_severity_and_meaning(run: Run) -> None:
    listed = ok(run("check", "--list-codes")).stdout.splitlines()
    assert [line.split()[:2] for line in listed] == [
        [code, severity] for code, (severity, _meaning) in CODES.items()
    ]
    assert all(
        line.endswith(meaning) for line, (_, meaning) in zip(listed, CODES.values(), strict=True)
    )


@pytest.mark.parametrize("typed", ["CV203", "cv203", " CV203 "])
def test_explain_prints_the_longer_text_and_an_example(run: Run, typed: str) -> None:
    shown = ok(run("check", "--explain", typed)).stdout
    assert shown.startswith("CV203 (warning): a heading maps to no canvas block\n\n")
    assert "extra section" in shown
    assert "Example:\n\n    ### Competitors\n" in shown
    assert max(len(line) for line in shown.splitlines()) <= 80


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("CV2O3", "unknown code 'CV2O3'; did you mean 'CV203'? (see 'canvas check --list-codes')"),
        ("nonsense", "unknown code 'nonsense' (see 'canvas check --list-codes')"),
    ],
)
def test_explain_of_an_unknown_code_is_one_line_with_a_suggestion(
    run: Run, typed: str, message: str
) -> None:
    result = run("check", "--explain", typed)
    assert (result.exit_code, result.stdout, result.stderr) == (2, "", f"canvas: {message}\n")
