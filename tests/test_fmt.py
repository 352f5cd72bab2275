"""Tests of `canvas fmt`: the canonical form, what it keeps and what it refuses, as run."""

from __future__ import annotations

import re
import shlex
import shutil
from pathlib import Path

import pytest
import yaml
from hypothesis import assume, given
from hypothesis import strategies as st

from canvascli.analyse.formatting import NotFormattableError, format_post
from canvascli.model import Canvas
from canvascli.read.canvas import read_canvases
from canvascli.render.export import to_markdown
from canvascli.render.safe_text import clean_line
from canvascli.store.files import UnreadablePostError, decode_post
from tests.conftest import POSTS, REPO
from tests.helpers import Process, Run, ok
from tests.test_hostile import CONTROL_BYTES, build_hostile_library
from tests.test_properties import ANY_TEXT, canvases

DATA = REPO / "tests" / "data"
UNTIDY = """---
layout: post
title:   "Acme"   # spacing kept
tags: [a,   b]
---
# Acme


### 1. customer segment
* Bakers
+ Cooks
    * home cooks
### KEY PARTNERS:
Flour mills, see [the list](https://example.com/mills).



### Channels ###

```
## Key Resources
* not a bullet
```
## Notes
| a | b |
|---|---|
| 1 | 2 |
"""
TIDY = """---
layout: post
title:   "Acme"   # spacing kept
tags: [a,   b]
---

# Acme

### Customer Segments

- Bakers
- Cooks
    - home cooks

### Key Partners

Flour mills, see [the list](https://example.com/mills).

### Channels

```
## Key Resources
* not a bullet
```
## Notes
| a | b |
|---|---|
| 1 | 2 |
"""


def meaning(text: str) -> list[object]:
    """What a reader gets from a post, without where in the text it found it."""
    return [
        (
            canvas.name,
            canvas.metadata,
            [(s.block, "" if s.block else s.heading, s.entries) for s in canvas.sections],
        )
        for canvas in read_canvases(text, "post.md")
    ]


def test_fmt_writes_the_canonical_form_and_keeps_everything_else(run: Run, tmp_path: Path) -> None:
    post = tmp_path / "acme.md"
    post.write_text(UNTIDY, encoding="utf-8")
    result = ok(run("fmt", str(post)))
    assert result.stdout == ""
    assert result.stderr == "1 file reformatted, 0 files left unchanged\n"
    assert post.read_text(encoding="utf-8") == TIDY
    assert meaning(TIDY) == meaning(UNTIDY)
    again = ok(run("fmt", str(post)))
    assert again.stderr == "0 files reformatted, 1 file left unchanged\n"
    assert post.read_text(encoding="utf-8") == TIDY


def test_fmt_check_lists_what_it_would_change_and_changes_nothing(run: Run, tmp_path: Path) -> None:
    (tmp_path / "acme.md").write_text(UNTIDY, encoding="utf-8")
    (tmp_path / "tidy.md").write_text(TIDY, encoding="utf-8")
    result = run("fmt", "--check", str(tmp_path))
    assert result.exit_code == 1
    assert result.stdout == "would reformat acme.md\n"
    assert result.stderr == "1 file would be reformatted, 1 file left unchanged\n"
    assert (tmp_path / "acme.md").read_text(encoding="utf-8") == UNTIDY
    (tmp_path / "acme.md").write_text(TIDY, encoding="utf-8")
    ok(run("fmt", "--check", str(tmp_path)))


def test_fmt_diff_prints_a_unified_diff_with_control_bytes_shown(run: Run, tmp_path: Path) -> None:
    post = tmp_path / "acme.md"
    untidy = UNTIDY.replace("* Bakers", "* Bakers \x1b[2J")
    post.write_text(untidy, encoding="utf-8")
    result = ok(run("fmt", "--diff", str(post)))
    assert result.stdout.startswith("--- acme.md (as written)\n+++ acme.md (formatted)\n@@ ")
    assert "\n-* Bakers \u241b[2J\n" in result.stdout
    assert "\n+- Bakers \u241b[2J\n" in result.stdout
    assert "\x1b" not in result.output
    assert post.read_text(encoding="utf-8") == untidy


def test_fmt_keeps_line_endings_byte_order_mark_and_file_mode(run: Run, tmp_path: Path) -> None:
    post = tmp_path / "acme.md"
    post.write_bytes(b"\xef\xbb\xbf" + UNTIDY.replace("\n", "\r\n").encode("utf-8"))
    post.chmod(0o640)
    ok(run("fmt", str(post)))
    assert post.read_bytes() == b"\xef\xbb\xbf" + TIDY.replace("\n", "\r\n").encode("utf-8")
    assert post.stat().st_mode & 0o777 == 0o640


def immutable(path: Path) -> bool:
    """Whether `path` could be made immutable (`chattr +i`: root, on a file system with it)."""
    import subprocess

    if shutil.which("chattr") is None:
        return False
    made = subprocess.run(["chattr", "+i", str(path)], capture_output=True, check=False)
    return made.returncode == 0


@pytest.mark.parametrize("how", ["mode", "immutable"])
def test_fmt_refuses_a_read_only_post_even_as_root_and_formats_the_others(
    run: Run, tmp_path: Path, how: str
) -> None:
    import subprocess

    library = tmp_path / "_posts"
    library.mkdir()
    kept, other = library / "acme.md", library / "globex.md"
    kept.write_text(UNTIDY, encoding="utf-8")
    other.write_text(UNTIDY, encoding="utf-8")
    if how == "mode":
        kept.chmod(0o444)
    elif not immutable(kept):
        pytest.skip("chattr +i is not available here")
    try:
        result = run("fmt", "--posts", str(library))
        assert result.exit_code == 1
        assert result.stderr == (
            f"canvas: {kept}: is read-only; left as it is\n"
            "1 file reformatted, 0 files left unchanged, 1 file not formatted\n"
        )
        assert kept.read_text(encoding="utf-8") == UNTIDY
        assert other.read_text(encoding="utf-8") == TIDY
    finally:
        subprocess.run(["chattr", "-i", str(kept)], capture_output=True, check=False)


def test_fmt_keeps_the_owner_and_group_of_a_post_it_rewrites(run: Run, tmp_path: Path) -> None:
    import os

    if os.geteuid() != 0:
        pytest.skip("only root may give a file to another user")
    post = tmp_path / "acme.md"
    post.write_text(UNTIDY, encoding="utf-8")
    os.chown(post, 4321, 4322)
    post.chmod(0o2664)
    ok(run("fmt", str(post)))
    assert post.read_text(encoding="utf-8") == TIDY
    written = post.stat()
    assert (written.st_uid, written.st_gid, written.st_mode & 0o7777) == (4321, 4322, 0o2664)


def test_fmt_refuses_what_it_cannot_read_whole_and_formats_the_others(
    run: Run, tmp_path: Path
) -> None:
    for name in ("broken_yaml_front_matter.md", "unterminated_front_matter.md"):
        shutil.copy(DATA / "posts" / name, tmp_path)
    shutil.copy(DATA / "wild" / "no_canvas_readme_prose.md", tmp_path)
    shutil.copy(DATA / "wild" / "explainer_what_is_the_canvas.md", tmp_path)
    (tmp_path / "utf16.md").write_bytes(UNTIDY.encode("utf-16"))
    (tmp_path / "acme.md").write_text(UNTIDY, encoding="utf-8")
    before = {path.name: path.read_bytes() for path in tmp_path.iterdir()}
    result = run("fmt", str(tmp_path), str(tmp_path / "missing.md"))
    assert result.exit_code == 1
    assert (tmp_path / "acme.md").read_text(encoding="utf-8") == TIDY
    lines = result.stderr.splitlines()
    assert lines[-1] == "1 file reformatted, 0 files left unchanged, 6 files not formatted"
    refusals = sorted(lines[:-1])
    assert [line.split(":")[1].strip() for line in refusals] == [
        "broken_yaml_front_matter.md",
        "explainer_what_is_the_canvas.md",
        "missing.md",
        "no_canvas_readme_prose.md",
        "unterminated_front_matter.md",
        "utf16.md",
    ]
    assert "cannot be read whole: front matter is not valid YAML" in refusals[0]
    assert "not a canvas" in refusals[1] and "not a canvas" in refusals[3]
    assert "file is UTF-16" in refusals[5]
    for name, data in before.items():
        if name != "acme.md":
            assert (tmp_path / name).read_bytes() == data


def test_fmt_leaves_labels_that_are_not_headings_as_written(run: Run, tmp_path: Path) -> None:
    post = tmp_path / "labels.md"
    text = (
        "# Acme\n\n**Customer segments:** bakers\n\nKey partners: mills\n\n"
        "| Channels | Revenue streams |\n|---|---|\n| shops | sales |\n\n## Kundensegmente\n\n"
        "* Bäcker\n"
    )
    post.write_text(text, encoding="utf-8")
    ok(run("fmt", str(post)))
    assert post.read_text(encoding="utf-8") == text.replace("* Bäcker", "- Bäcker")


def test_fmt_without_paths_formats_the_library(run: Run, tmp_path: Path) -> None:
    posts = tmp_path / "_posts"
    posts.mkdir()
    shutil.copy(POSTS / "memsql.md", posts)
    result = ok(run("fmt"))
    assert result.stderr == "1 file reformatted, 0 files left unchanged\n"
    assert "### Value Propositions\n" in (posts / "memsql.md").read_text(encoding="utf-8")


def test_fmt_refuses_the_bundled_sample_and_both_paths_and_posts(run: Run, tmp_path: Path) -> None:
    bundled = run("fmt")
    assert bundled.exit_code == 2
    assert bundled.stderr.startswith("canvas: no library to format: ")
    both = run("fmt", str(tmp_path), "--posts", str(tmp_path))
    assert both.exit_code == 2
    assert both.stderr == "canvas: give PATHs or --posts, not both\n"


def test_fmt_formats_the_post_a_symlink_points_to_and_keeps_the_link(
    run: Run, tmp_path: Path
) -> None:
    target = tmp_path / "real.md"
    target.write_text(UNTIDY, encoding="utf-8")
    (tmp_path / "link.md").symlink_to(target)
    checked = run("fmt", "--check", str(tmp_path / "link.md"))
    assert (checked.exit_code, checked.stdout) == (1, "would reformat link.md\n")
    # In a folder, the post is formatted once, under whichever name comes first.
    both = ok(run("fmt", str(tmp_path)))
    assert both.stderr == "1 file reformatted, 0 files left unchanged\n"
    assert target.read_text(encoding="utf-8") == TIDY
    assert (tmp_path / "link.md").is_symlink()


def test_fmt_over_a_hostile_library_names_each_bad_post_once_and_changes_none(
    run: Run, tmp_path: Path
) -> None:
    library = build_hostile_library(tmp_path)
    before = {
        path: path.read_bytes()
        for path in library.root.rglob("*")
        if path.is_file() and not path.is_symlink()
    }
    for flags in (("--check", "--diff"),):
        result = run("fmt", *flags, "--posts", str(library.root))
        context = f"{result.stdout}\n---\n{result.stderr}"
        assert result.exit_code == 1, context
        assert "Traceback" not in result.output and "internal error" not in result.output
        assert not CONTROL_BYTES.search(result.output), context
        lines = result.stderr.splitlines()
        for relative, reasons in library.bad.items():
            if any("is already used by" in reason for reason in reasons):
                continue  # a slug shared by two posts: the library's problem, not the file's
            shown = clean_line(str((library.root / relative).relative_to(tmp_path)))
            prefix = f"canvas: {shown}: "
            found = [line for line in lines if line.startswith(prefix)]
            assert len(found) == 1, f"{relative!r}\n{context}"
            assert all(reason in found[0] for reason in reasons), found[0]
    after = {path: path.read_bytes() for path in before}
    assert after == before


def every_post() -> list[Path]:
    found = [*DATA.rglob("*.md"), *DATA.rglob("*.markdown"), *POSTS.glob("*.md")]
    return sorted(path for path in found if path.is_file() and not path.is_symlink())


@pytest.mark.parametrize("path", every_post(), ids=lambda path: str(path.relative_to(REPO)))
def test_every_post_we_hold_formats_to_the_same_reading_once_and_for_all(path: Path) -> None:
    try:
        text, decoding = decode_post(path.read_bytes())
    except UnreadablePostError:
        return
    try:
        formatted = format_post(text, path.name)
    except NotFormattableError:
        assert (
            decoding
            or any(
                diagnostic.code in {"CV101", "CV102", "CV103", "CV106", "CV107", "CV108", "CV207"}
                for canvas in read_canvases(text, path.name)
                for diagnostic in canvas.diagnostics
            )
            or not any(section.block for section in read_canvases(text, path.name)[0].sections)
        )
        return
    assert meaning(formatted) == meaning(text)
    assert format_post(formatted, path.name) == formatted


# Ways people write what `fmt` evens out: bullets, heading levels and case, blank lines.
UNTIDINESS = st.sampled_from(["", "* ", "+ ", "#", "upper", "lower", "blank", "blanks"])


@st.composite
def untidy_posts(draw: st.DrawFn) -> str:
    """A canvas written out, then made untidy line by line."""
    canvas: Canvas = draw(canvases())
    lines = []
    for line in to_markdown(canvas).split("\n"):
        change = draw(UNTIDINESS)
        if line.startswith("- ") and change in {"* ", "+ "}:
            line = change + line[2:]
        elif line.startswith("#") and change == "#":
            line = "#" + line
        elif line.startswith("#") and change in {"upper", "lower"}:
            line = line.upper() if change == "upper" else line.lower()
        elif not line and change in {"blank", "blanks"}:
            line = "\n" if change == "blank" else "\n  \n"
        lines.append(line)
    return "\n".join(lines)


@given(untidy_posts())
def test_any_canvas_formats_to_the_same_canvas_and_stays_formatted(text: str) -> None:
    try:
        formatted = format_post(text, "roundtrip.md")
    except NotFormattableError:
        assume(False)
        return
    assert meaning(formatted) == meaning(text), formatted
    assert format_post(formatted, "roundtrip.md") == formatted


@pytest.mark.e2e
def test_the_installed_command_formats_a_library(canvas_process: Process, tmp_path: Path) -> None:
    posts = tmp_path / "site" / "_posts"
    posts.mkdir(parents=True)
    (posts / "acme.md").write_text(UNTIDY, encoding="utf-8")
    checked = canvas_process("fmt", "--check", cwd=posts.parent)
    assert (checked.returncode, checked.stdout) == (1, "would reformat _posts/acme.md\n")
    result = canvas_process("fmt", cwd=posts.parent)
    assert result.returncode == 0, result.stderr
    assert (posts / "acme.md").read_text(encoding="utf-8") == TIDY
    assert [path.name for path in posts.iterdir()] == ["acme.md"]


def test_the_pre_commit_hooks_run_canvas_commands_on_the_files_given(
    run: Run, tmp_path: Path
) -> None:
    hooks = yaml.safe_load((REPO / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))
    assert [hook["id"] for hook in hooks] == ["canvas-check", "canvas-fmt"]
    tidy = tmp_path / "tidy.md"
    tidy.write_text(TIDY, encoding="utf-8")
    untidy = tmp_path / "untidy.markdown"
    untidy.write_text(UNTIDY, encoding="utf-8")
    for hook in hooks:
        assert hook["language"] == "python"
        assert hook.get("pass_filenames", True) is True
        files = re.compile(hook["files"])
        assert files.search("_posts/2016-06-06-memsql.md") and files.search("a.markdown")
        assert not files.search("canvas.py")
        program, *arguments = shlex.split(hook["entry"])
        assert program == "canvas"
        ok(run(*arguments, str(tidy)))
    fmt_hook = next(hook for hook in hooks if hook["id"] == "canvas-fmt")
    failed = run(*shlex.split(fmt_hook["entry"])[1:], str(tidy), str(untidy))
    assert failed.exit_code == 1
    assert failed.stdout == "would reformat untidy.markdown\n"
    assert untidy.read_text(encoding="utf-8") == UNTIDY


@given(ANY_TEXT)
def test_any_text_is_formatted_to_the_same_reading_or_refused(text: str) -> None:
    try:
        formatted = format_post(text, "generated.md")
    except NotFormattableError:
        return
    assert meaning(formatted) == meaning(text), formatted
    assert format_post(formatted, "generated.md") == formatted


def test_fmt_spells_lean_blocks_as_a_lean_canvas_names_them(run: Run, tmp_path: Path) -> None:
    post = tmp_path / "lean.md"
    headings = ("problems", "Solution:", "unique value proposition", "Unfair advantage")
    post.write_text(
        "# Lean Acme\n\n" + "".join(f"### {heading}\n+ something\n\n" for heading in headings),
        encoding="utf-8",
    )
    before = meaning(post.read_text(encoding="utf-8"))
    ok(run("fmt", str(post)))
    text = post.read_text(encoding="utf-8")
    assert [line for line in text.splitlines() if line.startswith("#")] == [
        "# Lean Acme",
        "### Problem",
        "### Solution",
        "### Unique Value Proposition",
        "### Unfair Advantage",
    ]
    assert meaning(text) == before


def test_fmt_reads_posts_with_the_library_s_own_synonyms(run: Run, tmp_path: Path) -> None:
    site = tmp_path  # where `run` runs `canvas`
    posts = site / "_posts"
    posts.mkdir(parents=True)
    (site / "canvas.toml").write_text(
        '[synonyms]\n"Wen wir bedienen" = "customer-segments"\n'
        '"Was wir versprechen" = "value-propositions"\n',
        encoding="utf-8",
    )
    post = posts / "baeckerei.md"
    post.write_text(
        "# Bäckerei\n\n## Wen wir bedienen\n* Nachbarn\n\n\n#### Was wir versprechen\n* Brot\n",
        encoding="utf-8",
    )
    formatted = (
        "# Bäckerei\n\n## Wen wir bedienen\n\n- Nachbarn\n\n## Was wir versprechen\n\n- Brot\n"
    )
    ok(run("fmt", "--posts", str(posts)))
    assert post.read_text(encoding="utf-8") == formatted
    # Named one by one, as a pre-commit hook names them, from the top of the site.
    post.write_text(post.read_text(encoding="utf-8").replace("- Brot", "* Brot"), encoding="utf-8")
    ok(run("fmt", str(post)))
    assert post.read_text(encoding="utf-8") == formatted


def test_fmt_brings_list_items_a_few_spaces_in_to_the_margin_and_keeps_nesting(
    run: Run, tmp_path: Path
) -> None:
    # As the bundled memsql post writes its partners: the first item one space in.
    shifted = (
        "---\ntitle: Acme\n---\n\n## Key Partners\n\n * Tableau\n* Looker\n  * Looker Studio\n"
        "\n## Channels\n\n  1. Web\n  2. Shops\n     * pop-up shops\n"
    )
    post = tmp_path / "acme.md"
    post.write_text(shifted, encoding="utf-8")
    ok(run("fmt", str(post)))
    formatted = post.read_text(encoding="utf-8")
    assert formatted.endswith(
        "## Key Partners\n\n- Tableau\n- Looker\n  - Looker Studio\n"
        "\n## Channels\n\n1. Web\n2. Shops\n     - pop-up shops\n"
    )
    assert meaning(formatted) == meaning(shifted)
    bundled = tmp_path / "bundled"
    shutil.copytree(POSTS, bundled)
    ok(run("fmt", str(bundled)))
    memsql = (bundled / "memsql.md").read_text(encoding="utf-8")
    assert "- Tableau\n- Zoomdata\n" in memsql
    assert meaning(memsql) == meaning((POSTS / "memsql.md").read_text(encoding="utf-8"))


@pytest.mark.parametrize(
    ("written", "title"),
    [
        ("### 1. customer segment ###", "### Customer Segments"),
        ("### 1. customer segment#", "### Customer Segments"),
        ("###   1. customer segment \t## \t", "### Customer Segments"),
        ("### Customer Segments" + " " * 3_000 + "(who pays)", None),
    ],
)
def test_fmt_reads_a_heading_s_closing_marks_and_padding_as_the_reader_does(
    run: Run, tmp_path: Path, written: str, title: str | None
) -> None:
    post = tmp_path / "acme.md"
    post.write_text(UNTIDY.replace("### 1. customer segment", written), encoding="utf-8")
    before = meaning(post.read_text(encoding="utf-8"))
    run("fmt", str(post))
    formatted = post.read_text(encoding="utf-8")
    assert (title or written) in formatted.splitlines()
    assert meaning(formatted) == before


STANDARD_INPUT_REFUSED = (
    "canvas: PATH '-': posts are read from files, not standard input; "
    "save the post and name its file (./- for a file named '-')\n"
)


@pytest.mark.parametrize(
    "command",
    [["fmt"], ["fmt", "--check"], ["fmt", "--diff"], ["check"], ["check", "--json"]],
    ids=" ".join,
)
def test_a_dash_is_refused_as_standard_input_not_sought_as_a_post(
    canvas_process: Process, tmp_path: Path, command: list[str]
) -> None:
    shutil.copy(POSTS / "memsql.md", tmp_path / "memsql.md")
    refused = canvas_process(*command, "-", "memsql.md")
    assert (refused.returncode, refused.stdout) == (2, "")
    assert refused.stderr == STANDARD_INPUT_REFUSED
    assert (tmp_path / "memsql.md").read_bytes() == (POSTS / "memsql.md").read_bytes()
    # A file that is named `-` is still read, named so that it cannot be taken for it.
    shutil.copy(POSTS / "violin-memory.md", tmp_path / "-")
    named = canvas_process(*command, "./-")
    assert named.returncode in {0, 1}, named.stderr
    assert "cannot be read" not in named.stdout + named.stderr
    assert re.search(r"\b1 file\b", named.stderr), named.stderr
