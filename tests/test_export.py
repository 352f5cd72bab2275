"""Tests of `canvas export` and `canvascli.render.export`: JSON, CSV, Markdown and safe writing."""

from __future__ import annotations

import csv
import io
import json
import os
import subprocess
from pathlib import Path
from typing import Any

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from canvascli.model import Block, Canvas, Entry, Section
from canvascli.read.canvas import read_canvas
from canvascli.read.label_text import visible_text
from canvascli.read.labels import match_block
from canvascli.render.export import CSV_HEADER, csv_rows, to_markdown
from canvascli.store.files import read_post
from tests.conftest import MEMSQL_PARTNERS, POSTS, canvas_executable
from tests.helpers import Process, Run, ok, run_in_terminal

FIXTURES = Path(__file__).resolve().parent / "data" / "posts"
FIXTURE_POSTS = sorted(FIXTURES.glob("*.md"))
NASTY_TEXTS = [
    "Comma, \"double quotes\", and a 'single' one",
    "Two\nlines, the second with a trailing space \n\tand a tab",
    "Windows\r\nline end and a lone \r carriage return",
    "=SUM(A1:A9) and +1 and -1 and @cmd",
    "Unicode: café, 日本語, emoji 🚀, zero\u200bwidth",
    "Control \x1b[2J escape \x07 bell",
]


def same_canvas(canvas: Canvas) -> tuple[Any, ...]:
    """What an export must keep: name, slug, each block's entries, each extra section."""
    return (
        canvas.name,
        canvas.slug,
        [(block.key, section.entries) for block, section in canvas.blocks.items()],
        [(section.heading, section.entries) for section in canvas.extras],
    )


def one_block_canvas(entries: list[Entry], *, name: str = "Acme", heading: str = "") -> Canvas:
    sections = [Section("Channels", Block.CHANNELS, 3, 1, tuple(entries), "")]
    if heading:
        sections.append(Section(heading, None, 3, 2, (Entry("paragraph", "Extra."),), ""))
    return Canvas("acme", name, "acme.md", {}, tuple(sections))


def nasty_library(folder: Path) -> Path:
    """A post whose block holds every nasty text, each once as a paragraph and an item."""
    fence = "`" * 3
    body = "\n\n".join(f"{fence}\n{text}\n{fence}" for text in NASTY_TEXTS)
    items = "\n".join(f"* {' '.join(text.split())}" for text in NASTY_TEXTS)
    folder.mkdir(parents=True, exist_ok=True)
    title = "---\ntitle: nasty\n---\n\n# Business Model of Nasty, Inc.\n\n### Channels\n\n"
    post = f"{title}{body}\n\n{items}\n"
    (folder / "nasty.md").write_bytes(post.encode("utf-8"))
    return folder


# JSON


def test_json_is_an_array_of_the_canvases_show_prints(run: Run) -> None:
    exported = json.loads(ok(run("export", "--format", "json")).stdout)
    assert [canvas["slug"] for canvas in exported] == ["memsql", "violin-memory"]
    for canvas in exported:
        assert canvas == json.loads(ok(run("show", canvas["slug"], "--json")).stdout)


def test_json_of_named_companies_keeps_their_order(run: Run) -> None:
    exported = json.loads(ok(run("export", "violin", "memsql")).stdout)
    assert [canvas["slug"] for canvas in exported] == ["violin-memory", "memsql"]
    assert exported[1]["blocks"]["key-partners"]["items"] == MEMSQL_PARTNERS


# CSV


def read_csv(data: bytes) -> list[list[str]]:
    return list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline="")))


def test_csv_has_a_header_and_a_row_per_company_block_and_entry(run: Run, tmp_path: Path) -> None:
    ok(run("export", "--format", "csv", "-o", "all.csv"))
    data = (tmp_path / "all.csv").read_bytes()
    assert data.startswith(b"company,slug,block,kind,position,text\r\n")
    rows = read_csv(data)
    assert tuple(rows[0]) == CSV_HEADER
    memsql = read_post(POSTS / "memsql.md", POSTS).canvas
    violin = read_post(POSTS / "violin-memory.md", POSTS).canvas
    entries = sum(
        len(section.entries) for canvas in (memsql, violin) for section in canvas.sections
    )
    assert len(rows) == 1 + entries
    partners = [row for row in rows if row[1] == "memsql" and row[2] == "key-partners"]
    assert [row[3] for row in partners] == ["paragraph"] + ["item"] * 8
    assert [row[4] for row in partners] == [str(number) for number in range(1, 10)]
    assert [row[5] for row in partners[1:]] == MEMSQL_PARTNERS
    assert partners[0][0] == "MemSQL"


def test_csv_text_survives_a_round_trip_through_the_csv_reader(run: Run, tmp_path: Path) -> None:
    library = nasty_library(tmp_path / "lib")
    ok(run("export", "--posts", str(library), "-o", "nasty.csv"))
    rows = read_csv((tmp_path / "nasty.csv").read_bytes())
    canvas = read_post(library / "nasty.md", library).canvas
    expected = [[str(field) for field in row] for row in csv_rows([canvas])]
    assert rows[1:] == expected
    texts = [row[5] for row in rows[1:]]
    # As the reader reads them: the zero-width space, which shows nothing, is left out.
    read = [visible_text(text) for text in NASTY_TEXTS]
    expected_paragraphs = [text.replace("\r\n", "\n").replace("\r", "\n") for text in read]
    assert texts[: len(NASTY_TEXTS)] == expected_paragraphs
    assert texts[len(NASTY_TEXTS) :] == [" ".join(text.split()) for text in read]
    assert {row[0] for row in rows[1:]} == {"Nasty, Inc."}


def test_csv_on_standard_output_shows_control_characters_and_a_file_keeps_them(
    run: Run, tmp_path: Path
) -> None:
    library = nasty_library(tmp_path / "lib")
    piped = ok(run("export", "--posts", str(library), "--format", "csv")).stdout
    ok(run("export", "--posts", str(library), "-o", "nasty.csv"))
    assert piped.startswith("company,")
    assert "\x1b" not in piped and "␛[2J" in piped
    assert b"\x1b[2J" in (tmp_path / "nasty.csv").read_bytes()


def test_csv_has_no_byte_order_mark_unless_asked_for_one(run: Run, tmp_path: Path) -> None:
    piped = ok(run("export", "--format", "csv")).stdout
    assert next(csv.DictReader(io.StringIO(piped)))["company"] == "MemSQL"
    ok(run("export", "-o", "plain.csv"))
    assert (tmp_path / "plain.csv").read_bytes().startswith(b"company,")
    ok(run("export", "-o", "excel.csv", "--bom"))
    assert (tmp_path / "excel.csv").read_bytes().startswith(b"\xef\xbb\xbfcompany,")
    assert ok(run("export", "--format", "csv", "--bom")).stdout.startswith("\ufeffcompany,")
    refused = run("export", "--format", "json", "--bom")
    assert (refused.exit_code, refused.stderr) == (2, "canvas: --bom is for CSV, not json\n")


# Markdown


@pytest.mark.parametrize("path", FIXTURE_POSTS, ids=[path.stem for path in FIXTURE_POSTS])
def test_markdown_of_every_fixture_parses_back_to_the_same_canvas(path: Path) -> None:
    canvas = read_post(path, path.parent).canvas
    exported = to_markdown(canvas)
    again = read_canvas(exported, path.name)
    assert same_canvas(again) == same_canvas(canvas)
    assert to_markdown(again) == exported, "a second export changes nothing"


@pytest.mark.parametrize("path", sorted(POSTS.glob("*.md")), ids=lambda path: path.stem)
def test_markdown_of_the_bundled_posts_is_in_their_format(path: Path) -> None:
    canvas = read_post(path, POSTS).canvas
    exported = to_markdown(canvas)
    assert exported.startswith(f"---\nlayout: post\ntitle: {canvas.slug}\n---\n\n")
    assert f"\n# Business Model of {canvas.name}\n\n### Customer Segments\n\n" in exported
    assert same_canvas(read_canvas(exported, path.name)) == same_canvas(canvas)
    again = read_canvas(exported, path.name)
    assert again.metadata == canvas.metadata
    assert again.diagnostics == ()


def test_nested_items_keep_their_depth() -> None:
    canvas = read_post(FIXTURES / "nested_list_items.md", FIXTURES).canvas
    exported = to_markdown(canvas)
    assert "* Food entrepreneurs\n  * Street-food traders" in exported
    assert "\n    * Sourdough microbakeries\n" in exported
    segments = read_canvas(exported, "x.md").blocks[Block.CUSTOMER_SEGMENTS]
    assert [entry.depth for entry in segments.entries] == [0, 1, 1, 2, 0]


DRAWING_IN_A_BLOCK = """# Business Model of Driftwood Desk Co.

## Channels

Etsy, and this sketch of the canvas on the showroom wall:

```text
## Customer Segments
## Value Propositions
## Channels
```

## Customer Segments

People setting up a home office in a small flat.

## Value Propositions

Desks that fold flat.

## Contents

* [Customer Segments](#customer-segments)
* [Channels](#channels): where we sell
"""


def test_markdown_quotes_what_would_read_back_as_a_label_or_a_drawing(
    run: Run, tmp_path: Path
) -> None:
    # Exported in the canvas's order, the sketch follows the blocks it names, where a
    # plain code block reads as a drawing of the canvas; the contents lose their links.
    (tmp_path / "driftwood.md").write_text(DRAWING_IN_A_BLOCK, encoding="utf-8")
    canvas = read_post(tmp_path / "driftwood.md", tmp_path).canvas
    args = ("export", "driftwood", "--posts", str(tmp_path), "--format", "markdown")
    exported = ok(run(*args)).stdout
    assert "> ```\n> ## Customer Segments\n" in exported
    assert "* <span>Channels: where we sell</span>\n" in exported
    assert same_canvas(read_canvas(exported, "driftwood.md")) == same_canvas(canvas)
    assert [section.heading for section in canvas.extras] == ["Contents"]


MARKDOWN_PIECES = [*"ab1. #*_-+=>`~[]()<>!&;|\\:\"'é日", "&amp;", "&#35;", "http://x.org", "\t"]
PLAIN_TEXT = st.lists(st.sampled_from(MARKDOWN_PIECES), min_size=1, max_size=30).map(
    lambda pieces: " ".join("".join(pieces).split())
)


@given(text=PLAIN_TEXT)
def test_markdown_escaping_keeps_any_single_line_text_exact(text: str) -> None:
    assume(text)
    canvas = one_block_canvas([Entry("paragraph", text), Entry("item", text)])
    section = read_canvas(to_markdown(canvas), "acme.md").blocks[Block.CHANNELS]
    assert section.entries == (Entry("paragraph", text), Entry("item", text))


@given(text=st.text(min_size=1, max_size=20).map(lambda text: " ".join(text.split())))
def test_markdown_keeps_any_unicode_text_exact(text: str) -> None:
    assume(text and "\x00" not in text)  # the parser reads NUL as U+FFFD, as CommonMark says
    # The reader leaves out the characters that show nothing (a soft hyphen, a mark).
    assume(visible_text(text) == text)
    entries = (Entry("paragraph", text), Entry("item", text), Entry("item", text, 1))
    section = read_canvas(to_markdown(one_block_canvas(list(entries))), "x.md").blocks
    assert section[Block.CHANNELS].entries == entries


@given(text=PLAIN_TEXT)
def test_markdown_keeps_any_company_name(text: str) -> None:
    # A reader drops emoji and punctuation around a name, so the name starts and ends in words.
    name = f"Acme {text} Ltd"
    canvas = one_block_canvas([Entry("item", "x")], name=name)
    assert read_canvas(to_markdown(canvas), "acme.md").name == name


@given(text=PLAIN_TEXT)
def test_markdown_escaping_keeps_any_extra_heading_exact(text: str) -> None:
    assume(text and match_block(text) is None)
    canvas = one_block_canvas([Entry("item", "x")], heading=text)
    again = read_canvas(to_markdown(canvas), "acme.md")
    assert [section.heading for section in again.extras] == [text]


@pytest.mark.parametrize(
    "name", ["R&D [Labs]", "#1 *Startup* Co", "Acme Business Model", "Foo/Channels", "1. Company"]
)
def test_markdown_keeps_awkward_company_names(name: str) -> None:
    canvas = one_block_canvas([Entry("item", "x")], name=name)
    assert read_canvas(to_markdown(canvas), "acme.md").name == name


def test_markdown_of_one_company_goes_to_stdout(run: Run) -> None:
    stdout = ok(run("export", "memsql", "--format", "markdown")).stdout
    assert stdout == to_markdown(read_post(POSTS / "memsql.md", POSTS).canvas)


def test_markdown_of_several_companies_needs_a_folder(run: Run) -> None:
    result = run("export", "--format", "markdown")
    assert result.exit_code == 2
    assert result.stderr == (
        "canvas: markdown export of 2 companies needs -o FOLDER (one file per company)\n"
    )


def test_an_output_ending_in_a_slash_is_a_folder_never_a_file(run: Run, tmp_path: Path) -> None:
    for chosen in ("json", "csv"):
        result = run("export", "memsql", "-f", chosen, "-o", "out/")
        assert (result.exit_code, result.stdout) == (2, "")
        assert (
            result.stderr
            == f"canvas: --output out/ names a folder; {chosen} is written to one file\n"
        )
        assert not (tmp_path / "out").exists()
    # One company's Markdown, which would go to a file of that name, goes into the folder.
    ok(run("export", "memsql", "-f", "markdown", "-o", "one/"))
    assert [path.name for path in (tmp_path / "one").iterdir()] == ["memsql.md"]
    ok(run("export", "-o", "all.md/"))
    assert sorted(path.name for path in (tmp_path / "all.md").iterdir()) == [
        "memsql.md",
        "violin-memory.md",
    ]
    for picture in ("--svg", "--html"):
        result = run("show", "memsql", picture, "memsql/")
        assert result.exit_code == 2
        assert "'memsql/' ends in '/', so it names a folder; give a file name" in result.stderr
        assert not (tmp_path / "memsql").exists()


def test_markdown_of_several_companies_to_a_file_name_makes_no_folder(
    run: Run, tmp_path: Path
) -> None:
    needs_a_folder = (
        "canvas: markdown export of 2 companies needs -o FOLDER (one file per company), "
        "not the file all.md\n"
    )
    contradicts = "canvas: --format markdown contradicts --output all.json (a .json name)\n"
    for name, chosen, why in (
        ("all.md", [], needs_a_folder),
        ("all.json", ["-f", "markdown"], contradicts),
    ):
        result = run("export", "-o", name, *chosen)
        assert (result.exit_code, result.stderr) == (2, why)
        assert not (tmp_path / name).exists()
    (tmp_path / "kept.md").mkdir()
    ok(run("export", "-o", "kept.md"))
    assert sorted(path.name for path in (tmp_path / "kept.md").iterdir()) == [
        "memsql.md",
        "violin-memory.md",
    ]


def test_markdown_into_a_folder_writes_each_post_under_its_own_name(
    run: Run, tmp_path: Path
) -> None:
    ok(run("export", "--posts", str(FIXTURES), "--unpublished", "-f", "markdown", "-o", "out"))
    written = sorted(path.name for path in (tmp_path / "out").iterdir())
    assert written == [path.name for path in FIXTURE_POSTS]
    for path in FIXTURE_POSTS:
        exported = (tmp_path / "out" / path.name).read_text(encoding="utf-8")
        original = read_post(path, FIXTURES).canvas
        assert same_canvas(read_canvas(exported, path.name)) == same_canvas(original)
    again = run("export", "--posts", str(FIXTURES), "-f", "markdown", "-o", "out")
    assert again.exit_code == 1
    assert "already exists; use --force to overwrite it" in again.stderr


def test_markdown_of_one_company_into_an_existing_folder(run: Run, tmp_path: Path) -> None:
    (tmp_path / "out").mkdir()
    ok(run("export", "memsql", "--format", "md", "-o", "out"))
    assert [path.name for path in (tmp_path / "out").iterdir()] == ["memsql.md"]


# Writing files


def test_the_format_follows_the_output_file_extension(run: Run, tmp_path: Path) -> None:
    ok(run("export", "memsql", "-o", "memsql.csv"))
    ok(run("export", "memsql", "-o", "memsql.md"))
    ok(run("export", "memsql", "-o", "memsql.json"))
    assert (tmp_path / "memsql.csv").read_text(encoding="utf-8-sig").startswith("company,")
    assert (tmp_path / "memsql.md").read_text(encoding="utf-8").startswith("---\n")
    assert json.loads((tmp_path / "memsql.json").read_text(encoding="utf-8"))[0]["name"] == "MemSQL"


def test_an_existing_file_is_kept_unless_forced(run: Run, tmp_path: Path) -> None:
    target = tmp_path / "out.json"
    target.write_text("precious\n", encoding="utf-8")
    result = run("export", "-o", "out.json")
    assert result.exit_code == 1
    assert result.stderr == "canvas: out.json: already exists; use --force to overwrite it\n"
    assert target.read_text(encoding="utf-8") == "precious\n"
    ok(run("export", "-o", "out.json", "--force"))
    assert len(json.loads(target.read_text(encoding="utf-8"))) == 2
    assert sorted(path.name for path in tmp_path.iterdir()) == ["out.json"], "no temporary left"


def test_a_forced_overwrite_keeps_the_file_mode(run: Run, tmp_path: Path) -> None:
    target = tmp_path / "out.json"
    target.write_text("old\n", encoding="utf-8")
    target.chmod(0o640)
    ok(run("export", "-o", "out.json", "--force"))
    assert target.stat().st_mode & 0o777 == 0o640


def test_dash_means_stdout(run: Run, tmp_path: Path) -> None:
    assert json.loads(ok(run("export", "memsql", "-o", "-")).stdout)[0]["slug"] == "memsql"
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize(
    ("output", "message"),
    [
        ("missing/out.csv", "canvas: missing/out.csv: cannot write: No such file or directory\n"),
        (".", "canvas: .: is a folder\n"),
        ("notes.txt/out.csv", "canvas: notes.txt/out.csv: cannot write: Not a directory\n"),
    ],
)
def test_an_output_that_cannot_be_written_is_one_line(
    run: Run, tmp_path: Path, output: str, message: str
) -> None:
    (tmp_path / "notes.txt").write_text("not a folder\n", encoding="utf-8")
    result = run("export", "--format", "csv", "-o", output)
    assert result.exit_code == 1
    assert result.stderr == message


@pytest.mark.skipif(os.geteuid() == 0, reason="root may write anywhere")
def test_a_folder_without_write_permission_is_one_line(run: Run, tmp_path: Path) -> None:
    locked = tmp_path / "locked"
    locked.mkdir(mode=0o555)
    result = run("export", "-o", "locked/out.json")
    assert result.exit_code == 1
    assert result.stderr == "canvas: locked/out.json: cannot write: Permission denied\n"


def test_an_unknown_company_writes_nothing(run: Run, tmp_path: Path) -> None:
    result = run("export", "memsql", "nobody", "-o", "out.json")
    assert result.exit_code == 1
    assert "no company 'nobody'" in result.stderr
    assert list(tmp_path.iterdir()) == []


def test_an_unknown_format_or_a_repeated_company_is_a_usage_error(run: Run) -> None:
    result = run("export", "--format", "xml")
    assert (result.exit_code, result.stderr) == (
        2,
        "canvas: --format must be one of json, csv, markdown, not 'xml'\n",
    )
    repeated = run("export", "memsql", "MemSQL")
    assert (repeated.exit_code, repeated.stderr) == (
        2,
        "canvas: company 'memsql' is given more than once\n",
    )


def test_unpublished_posts_are_exported_only_when_asked_for(run: Run) -> None:
    slugs = [
        canvas["slug"] for canvas in json.loads(ok(run("export", "--posts", str(FIXTURES))).stdout)
    ]
    assert "unpublished" not in slugs
    every = json.loads(ok(run("export", "--posts", str(FIXTURES), "--unpublished")).stdout)
    assert "unpublished" in [canvas["slug"] for canvas in every]


# The installed command


@pytest.mark.e2e
def test_the_installed_command_exports_csv(canvas_process: Process, tmp_path: Path) -> None:
    result = canvas_process("export", "--format", "csv", "-o", "canvases.csv")
    assert (result.returncode, result.stdout, result.stderr) == (0, "", "")
    rows = read_csv((tmp_path / "canvases.csv").read_bytes())
    assert {row[1] for row in rows[1:]} == {"memsql", "violin-memory"}


def run_on_terminal(args: list[str], cwd: Path) -> bytes:
    """The stdout of the installed `canvas` when it is a terminal (a pseudo-terminal here)."""
    status, shown = run_in_terminal(
        [*canvas_executable(), *args], env=dict(os.environ), cwd=str(cwd), stderr=subprocess.DEVNULL
    )
    assert status == 0
    return shown


@pytest.mark.e2e
@pytest.mark.parametrize("output_format", ["csv", "json", "markdown"])
def test_control_characters_reach_files_exactly_but_a_terminal_only_visibly(
    canvas_process: Process, tmp_path: Path, output_format: str
) -> None:
    library = nasty_library(tmp_path / "lib")
    shown = run_on_terminal(
        ["export", "--posts", str(library), "--format", output_format], tmp_path
    )
    assert b"\x1b" not in shown and b"\x07" not in shown
    assert "␍".encode() not in shown, "a terminal gets plain line ends"
    saved = canvas_process(
        "export", "--posts", str(library), "--format", output_format, "-o", "out"
    )
    assert saved.returncode == 0, saved.stderr
    data = (tmp_path / "out").read_bytes()
    if output_format == "json":
        assert json.loads(data)[0]["blocks"]["channels"]["items"][-1].startswith("Control \x1b")
    else:
        assert b"\x1b" in data and b"\x07" in data
        assert "␛".encode() in shown


def test_text_written_like_an_outliner_property_survives_the_markdown_export() -> None:
    """The reader leaves `key:: value` lines out as an outliner's notes on a block; the
    exporter escapes such text so that it reads back."""
    entries = [Entry("paragraph", "collapsed:: true"), Entry("item", "note:: ask the bank")]
    section = read_canvas(to_markdown(one_block_canvas(entries)), "acme.md").blocks
    assert section[Block.CHANNELS].entries == tuple(entries)


def test_markdown_export_keeps_a_name_the_reader_would_trim_from_a_title(
    run: Run, tmp_path: Path
) -> None:
    library = tmp_path / "library"
    library.mkdir()
    names = ["-rf", "#hashtag", "*Starred*", "🚀 Rocket", "'Quoted'"]
    for name in names:
        ok(run("new", "--posts", str(library), "--", name))
    listed = ok(run("list", "--posts", str(library))).stdout
    ok(run("export", "--posts", str(library), "--format", "markdown", "-o", "exported"))
    assert ok(run("list", "--posts", str(tmp_path / "exported"))).stdout == listed
    assert sorted(line.split("\t")[0] for line in listed.splitlines()) == sorted(names)


def test_an_output_file_names_its_format_in_any_case(run: Run, tmp_path: Path) -> None:
    for name, opening in (("A.JSON", "[\n"), ("B.CSV", "company,slug,"), ("C.MD", "---\n")):
        ok(run("export", "memsql", "-o", name))
        assert (tmp_path / name).read_text(encoding="utf-8").startswith(opening), name


def test_markdown_export_keeps_text_that_reads_as_an_entity(run: Run, tmp_path: Path) -> None:
    library = tmp_path / "library"
    library.mkdir()
    (library / "acme.md").write_text(
        "# Business Model of Acme\n\n## Channels\n\n* Tickets \\&amp; passes, \\&#169; marks\n",
        encoding="utf-8",
    )

    def channels(folder: Path) -> list[str]:
        shown = json.loads(ok(run("show", "acme", "--json", "--posts", str(folder))).stdout)
        items: list[str] = shown["blocks"]["channels"]["items"]
        return items

    assert channels(library) == ["Tickets &amp; passes, &#169; marks"]
    (tmp_path / "exported").mkdir()
    ok(
        run(
            "export",
            "acme",
            "--format",
            "markdown",
            "-o",
            "exported/acme.md",
            "--posts",
            str(library),
        )
    )
    assert channels(tmp_path / "exported") == channels(library)
    # Escaped, so that a site's Markdown shows the text rather than the character it names.
    exported = (tmp_path / "exported" / "acme.md").read_text(encoding="utf-8")
    assert "* Tickets \\&amp; passes, \\&#169; marks\n" in exported
