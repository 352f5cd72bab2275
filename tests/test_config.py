"""The library config (`canvas.toml`, `[tool.canvascli]`) found above a library; `canvas config`."""

from __future__ import annotations

import json
import os
from collections.abc import Callable
from pathlib import Path

import pytest

from canvascli.model import Block
from canvascli.read.canvas import read_canvas
from canvascli.store.sync import PARALLEL_THRESHOLD
from tests.helpers import Run, ok

POST = """\
---
title: {name}
date: {date}
---
# Business model of {name}

## {label}

- Farmers in the valley

## Value Propositions

- {offer}

## Key Partners

- {partner}
"""
GERMAN = "Wen wir bedienen"
RUSSIAN = "Кому продаём"


def write_post(
    folder: Path,
    name: str,
    *,
    label: str = GERMAN,
    date: str = "2024-01-01",
    offer: str = "Cheap rockets",
    partner: str = "Acme Steel",
) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{name.lower().replace(' ', '-')}.md"
    text = POST.format(name=name, label=label, date=date, offer=offer, partner=partner)
    path.write_text(text, encoding="utf-8")
    return path


def write_config(folder: Path, text: str, name: str = "canvas.toml") -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


def segments_of(run: Run, library: Path, company: str, *options: str) -> list[str]:
    """What `canvas show --json` puts in a company's Customer Segments block."""
    shown = ok(run("show", company, "--posts", str(library), "--json", *options))
    blocks = json.loads(shown.stdout)["blocks"]
    items: list[str] = blocks.get("customer-segments", {}).get("items", [])
    return items


@pytest.fixture
def library(tmp_path: Path) -> Path:
    """A repository holding a library in `_posts`, whose posts label a block in German."""
    (tmp_path / "site" / ".git").mkdir(parents=True)
    folder = tmp_path / "site" / "_posts"
    write_post(folder, "Acme", date="2024-03-01")
    write_post(folder, "Zenith", date="2023-01-01", offer="Zero gravity")
    write_post(folder, "Bolt", date="2025-06-01", offer="Fast rockets")
    return folder


SYNONYM = f'[synonyms]\n"{GERMAN}" = "customer-segments"\n'


def test_a_synonym_reads_a_heading_as_its_block(run: Run, library: Path) -> None:
    assert segments_of(run, library, "acme") == []
    write_config(library.parent, SYNONYM)
    assert segments_of(run, library, "acme") == ["Farmers in the valley"]


def test_a_synonym_matches_as_built_in_labels_do(run: Run, library: Path) -> None:
    write_config(library.parent, '[synonyms]\n"Wen wir bedient" = "customer-segments"\n')
    for written in ("WEN WIR BEDIENT:", "1. Wen wir bedient", "Wen-wir-bedient!", GERMAN):
        write_post(library, "Acme", label=written)
        assert segments_of(run, library, "acme") == ["Farmers in the valley"], written


def test_a_synonym_matches_with_accents_written_either_way(run: Run, library: Path) -> None:
    write_config(library.parent, '[synonyms]\n"Clientèle visée" = "customer-segments"\n')
    for written in ("CLIENTELE VISEE", "Clientèle visée:", "Clientele visée"):
        write_post(library, "Acme", label=written)
        assert segments_of(run, library, "acme") == ["Farmers in the valley"], written
    write_config(library.parent, '[synonyms]\n"Clientele visee" = "customer-segments"\n')
    assert segments_of(run, library, "acme") == ["Farmers in the valley"]


def test_a_synonym_in_a_non_latin_script(run: Run, library: Path) -> None:
    write_post(library, "Acme", label=RUSSIAN)
    write_config(library.parent, f'[synonyms]\n"{RUSSIAN}" = "customer-segments"\n')
    assert segments_of(run, library, "acme") == ["Farmers in the valley"]
    checked = run("check", "--posts", str(library), "--json")
    codes = {finding["code"] for finding in json.loads(checked.stdout)["findings"]}
    # A name of the library's own is a known name, not a guess (CV206).
    assert "CV206" not in codes


def test_a_synonym_may_name_a_lean_canvas_block(run: Run, library: Path) -> None:
    write_config(library.parent, '[synonyms]\n"Wen wir bedienen" = "problem"\n')
    shown = json.loads(ok(run("show", "acme", "--posts", str(library), "--json")).stdout)
    assert shown["lean_blocks"]["problem"]["items"] == ["Farmers in the valley"]


def test_the_reader_takes_synonyms_as_a_parameter() -> None:
    text = POST.format(name="Acme", label=GERMAN, date="2024-01-01", offer="x", partner="y")
    assert Block.CUSTOMER_SEGMENTS not in read_canvas(text, "a.md").blocks
    read = read_canvas(text, "a.md", ((GERMAN, "customer-segments"),))
    assert read.blocks[Block.CUSTOMER_SEGMENTS].heading == GERMAN
    # Nothing of one reading stays behind for the next.
    assert Block.CUSTOMER_SEGMENTS not in read_canvas(text, "a.md").blocks


def test_a_warm_index_reads_again_when_the_synonyms_change(run: Run, library: Path) -> None:
    # Warm the index, by every road `show` may take: the whole library, then one company.
    ok(run("list", "--posts", str(library)))
    assert segments_of(run, library, "acme") == []
    config = write_config(library.parent, SYNONYM)
    warm = segments_of(run, library, "acme")
    assert warm == ["Farmers in the valley"]
    assert warm == segments_of(run, library, "acme", "--no-cache")
    listed = ok(run("list", "--posts", str(library), "--json")).stdout
    assert listed == ok(run("list", "--posts", str(library), "--json", "--no-cache")).stdout
    assert "customer-segments" in json.loads(listed)[0]["coverage"]
    config.unlink()
    assert segments_of(run, library, "acme") == []


def test_check_through_a_warm_index_follows_the_synonyms(run: Run, library: Path) -> None:
    def missing_segments() -> int:
        found = json.loads(run("check", "--posts", str(library), "--json").stdout)["findings"]
        return sum("Customer Segments" in finding["message"] for finding in found)

    assert missing_segments() == 3
    write_config(library.parent, SYNONYM)
    assert missing_segments() == 0


def test_worker_processes_read_with_the_synonyms(run: Run, tmp_path: Path) -> None:
    folder = tmp_path / "big"
    for number in range(PARALLEL_THRESHOLD + 6):
        write_post(folder, f"Company {number:03}")
    write_config(folder, SYNONYM)
    listed = json.loads(ok(run("list", "--posts", str(folder), "--json")).stdout)
    assert len(listed) == PARALLEL_THRESHOLD + 6
    assert all("customer-segments" in company["coverage"] for company in listed)


def test_sort_sets_the_order_of_list_and_the_option_wins(run: Run, library: Path) -> None:
    def order(*options: str) -> list[str]:
        listed = ok(run("list", "--posts", str(library), *options)).stdout
        return [line.split("\t")[1] for line in listed.splitlines()]

    assert order() == ["acme", "bolt", "zenith"]
    write_config(library.parent, 'sort = "date"\n')
    assert order() == ["zenith", "acme", "bolt"]
    assert order("--sort", "name") == ["acme", "bolt", "zenith"]


def test_ignore_and_select_and_the_options_that_win(run: Run, library: Path) -> None:
    write_post(library, "Acme", label=f"{GERMAN}\n\n## Notes\n\nSee the appendix.\n\n## Fin")

    def codes(*options: str) -> set[str]:
        checked = run("check", "--posts", str(library), "--json", *options)
        return {finding["code"] for finding in json.loads(checked.stdout)["findings"]}

    assert "CV201" in codes()
    assert "CV208" not in codes()
    assert "CV208" in codes("--all")
    write_config(library.parent, 'ignore = ["CV201"]\nselect = ["cv208"]\n')
    assert "CV201" not in codes()
    assert "CV208" in codes()
    # The command line wins: --ignore leaves out what the config selects, and --all
    # reports what the config ignores.
    assert "CV208" not in codes("--ignore", "CV208")
    assert "CV201" in codes("--all")


def test_check_of_named_files_follows_the_config_of_the_current_folder(
    run: Run, tmp_path: Path
) -> None:
    post = write_post(tmp_path / "posts", "Acme")
    first = run("check", str(post), "--json")
    assert "CV201" in {finding["code"] for finding in json.loads(first.stdout)["findings"]}
    write_config(tmp_path, 'ignore = ["CV201"]\n' + SYNONYM)
    again = run("check", str(post), "--json")
    assert "CV201" not in {finding["code"] for finding in json.loads(again.stdout)["findings"]}


def test_stop_words_leave_terms_out_of_stats(run: Run, library: Path) -> None:
    def partners() -> list[str]:
        shown = json.loads(ok(run("stats", "--posts", str(library), "--json")).stdout)
        return [term["term"] for term in shown["frequent"]["key-partners"]]

    assert "Acme Steel" in partners()
    write_config(library.parent, 'stop_words = ["Acme", "STEEL"]\n')
    assert "Acme Steel" not in partners()


def test_the_config_is_found_above_the_library_up_to_the_repository(
    run: Run, library: Path
) -> None:
    site = library.parent
    write_config(site.parent, 'sort = "date"\n')
    # Above the repository's top folder: another project's config, not this library's.
    assert json.loads(ok(run("config", "--posts", str(library), "--json")).stdout)["config"] is None
    (site / ".git").rmdir()
    shown = json.loads(ok(run("config", "--posts", str(library), "--json")).stdout)
    assert shown["config"] == str(site.parent.resolve() / "canvas.toml")
    assert shown["settings"]["sort"] == {"value": "date", "from": shown["config"]}
    # The nearest config wins, whole: settings are not merged across files.
    write_config(library, "stop_words = ['cloud']\n")
    nearest = json.loads(ok(run("config", "--posts", str(library), "--json")).stdout)
    assert nearest["config"] == str(library.resolve() / "canvas.toml")
    assert nearest["settings"]["sort"] == {"value": "name", "from": "default"}


def test_pyproject_tool_table(run: Run, library: Path) -> None:
    site = library.parent
    write_config(site.parent, 'sort = "slug"\n')
    (site / ".git").rmdir()
    # A pyproject.toml without the table is passed over, like ruff passes it over.
    write_config(
        site, '[project]\nname = "canvascli"\n\n[canvascli]\nsort = "words"\n', "pyproject.toml"
    )
    assert ok(run("config", "--posts", str(library), "--json")).stdout.count('"slug"') == 1
    write_config(
        site,
        '[project]\nname = "site"\n\n[tool.canvascli]\nsort = "date"\n\n'
        f"[tool.canvascli.{SYNONYM[1:]}",
        "pyproject.toml",
    )
    shown = json.loads(ok(run("config", "--posts", str(library), "--json")).stdout)
    assert shown["config"] == str(site.resolve() / "pyproject.toml")
    assert shown["settings"]["sort"]["value"] == "date"
    assert segments_of(run, library, "acme") == ["Farmers in the valley"]


def test_canvas_config_shows_each_setting_and_where_it_comes_from(run: Run, library: Path) -> None:
    config = write_config(library.parent, 'sort = "date"\n' + SYNONYM)
    shown = ok(run("config", "--posts", str(library))).stdout.splitlines()
    where = str(config.resolve())
    assert shown[0] == f"# library: {library} (--posts)"
    assert shown[1] == f"# config: {where}"
    assert 'sort = "date"' in shown[2] and shown[2].endswith(f"# {where}")
    assert shown[3].startswith("ignore = []") and shown[3].endswith("# default")
    assert shown[-2].startswith("[synonyms]") and shown[-2].endswith(f"# {where}")
    assert shown[-1] == f'"{GERMAN}" = "customer-segments"'


def test_canvas_config_without_a_config(run: Run, library: Path) -> None:
    shown = json.loads(ok(run("config", "--posts", str(library), "--json")).stdout)
    assert shown["config"] is None
    assert shown["library_from"] == "--posts"
    assert {setting["from"] for setting in shown["settings"].values()} == {"default"}


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("srot = 'date'\n", "unknown key 'srot'; did you mean 'sort'?"),
        ("sort = 3\n", "sort: must be a string, not an integer"),
        ("sort = 'dates'\n", "sort: must be one of name, slug, words, blocks, date, not 'dates'"),
        ("ignore = 'CV201'\n", "ignore: must be an array, not a string"),
        ("ignore = ['CV201', 2]\n", "ignore: item 2 must be a string, not an integer"),
        ("select = ['CV299']\n", "select: unknown code 'CV299'"),
        ("stop_words = {}\n", "stop_words: must be an array, not a table"),
        ("synonyms = ['x']\n", "synonyms: must be a table, not an array"),
        ("[synonyms]\nKunden = 'custmer-segments'\n", "synonyms.Kunden: no block"),
        ("[synonyms]\n'Wen wir' = 4\n", 'synonyms."Wen wir": must be a block\'s key'),
        ("[synonyms]\n'!!' = 'channels'\n", 'synonyms."!!": a label needs a letter'),
    ],
)
def test_a_bad_setting_is_one_line_naming_file_key_and_problem(
    run: Run, library: Path, text: str, problem: str
) -> None:
    config = write_config(library.parent, text)
    for command in (["list"], ["show", "acme"], ["check"], ["stats"], ["config"]):
        failed = run(*command, "--posts", str(library))
        assert failed.exit_code == 2, command
        assert failed.stdout == ""
        (line,) = failed.stderr.splitlines()
        assert line.startswith(f"canvas: {config.resolve()}: ")
        assert problem in line


def test_bad_toml_is_one_line_with_the_file_and_line(run: Run, library: Path) -> None:
    config = write_config(library.parent, 'sort = "date"\n\n[synonyms\n')
    failed = run("list", "--posts", str(library))
    assert failed.exit_code == 2
    (line,) = failed.stderr.splitlines()
    assert line.startswith(f"canvas: {config.resolve()}:3:")
    assert "not valid TOML" in line
    assert "Traceback" not in failed.output


@pytest.mark.parametrize("nested", ["[" * 5000 + "]" * 5000, "{a = " * 5000 + "1" + "}" * 5000])
def test_toml_nested_too_deeply_is_one_line_naming_the_file(
    run: Run, library: Path, nested: str
) -> None:
    config = write_config(library.parent, f"stop_words = {nested}\n")
    for command in (["list"], ["check"], ["config"]):
        failed = run(*command, "--posts", str(library))
        assert failed.exit_code == 2, command
        assert failed.stderr == (
            f"canvas: {config.resolve()}: not valid TOML: arrays or tables nested too deeply\n"
        )


def _folder(path: Path) -> str:
    path.mkdir()
    return "is a folder, not a file"


def _link_to_nothing(path: Path) -> str:
    path.symlink_to(path.parent / "gone.toml")
    return "is a symbolic link to nothing"


def _link_loop(path: Path) -> str:
    path.symlink_to(path.name)
    return "cannot be read: Too many levels of symbolic links"


def _named_pipe(path: Path) -> str:
    os.mkfifo(path)
    return "is not a regular file"


def _latin_1(path: Path) -> str:
    path.write_bytes('sort = "dat\xe9"\n'.encode("latin-1"))
    return "is not UTF-8 (byte offset 11)"


UNREADABLE_CONFIGS = [_folder, _link_to_nothing, _link_loop, _named_pipe, _latin_1]
EVERY_READER = [
    ["config"],
    ["list"],
    ["show", "acme"],
    ["compare", "acme", "zenith"],
    ["search", "rockets"],
    ["similar", "acme"],
    ["stats"],
    ["check"],
    ["export"],
    ["site", "-o", "out"],
    ["fmt", "--check"],
]


@pytest.mark.parametrize("make", UNREADABLE_CONFIGS, ids=lambda make: make.__name__.strip("_"))
def test_a_config_that_cannot_be_read_is_one_line_for_every_command(
    run: Run, library: Path, make: Callable[[Path], str]
) -> None:
    config = library.parent / "canvas.toml"
    reason = make(config)
    for command in EVERY_READER:
        failed = run(*command, "--posts", str(library))
        assert (failed.exit_code, failed.stdout) == (2, ""), command
        assert failed.stderr == f"canvas: {config}: {reason}\n", command
    assert not (library.parent.parent / "out").exists()


def test_the_bundled_sample_has_no_config(run: Run, tmp_path: Path) -> None:
    write_config(tmp_path, "srot = 1\n")
    shown = json.loads(ok(run("config", "--json")).stdout)
    assert shown["library_from"] == "bundled sample"
    assert shown["config"] is None


def test_browse_reads_changed_posts_with_the_synonyms(library: Path) -> None:
    from canvascli.browse.app import BrowseApp
    from canvascli.commands.opening import library_config
    from canvascli.store.files import locate_library
    from canvascli.store.library import load_library

    write_config(library.parent, SYNONYM)
    location = locate_library(library, {})
    opened = load_library(location, config=library_config(location))
    assert Block.CUSTOMER_SEGMENTS in opened.get("acme").blocks
    # What the browser reads again when posts change on disk.
    reloaded = BrowseApp(opened).reload()
    assert reloaded.config == opened.config
    assert Block.CUSTOMER_SEGMENTS in reloaded.get("acme").blocks


def test_what_a_config_says_is_shown_without_control_characters(run: Run, library: Path) -> None:
    write_config(library.parent, '"\\u001b[2Jsort" = 1\n')
    failed = run("list", "--posts", str(library))
    assert failed.exit_code == 2
    assert "\x1b" not in failed.stderr
    assert "unknown key '␛[2Jsort'" in failed.stderr
    write_config(library.parent, '[synonyms]\n"[bold]\\u0007Kunden" = "channels"\n')
    shown = ok(run("config", "--posts", str(library))).stdout
    assert "\x07" not in shown
    assert '"[bold]\\u0007Kunden" = "channels"' in shown


def test_two_synonyms_the_reader_cannot_tell_apart_must_name_one_block(
    run: Run, library: Path
) -> None:
    config = write_config(
        library.parent,
        '[synonyms]\n"Partners" = "key-partners"\n"PARTNERS:" = "channels"\n',
    )
    failed = run("list", "--posts", str(library))
    assert failed.exit_code == 2
    assert failed.stdout == ""
    (line,) = failed.stderr.splitlines()
    assert line.startswith(f'canvas: {config.resolve()}: synonyms."PARTNERS:": ')
    assert "synonyms.Partners" in line
    assert "key-partners" in line
    # The same block under two spellings is no conflict.
    write_config(
        library.parent,
        '[synonyms]\n"Clientèle visée" = "customer-segments"\n'
        '"CLIENTELE VISEE" = "customer-segments"\n',
    )
    ok(run("list", "--posts", str(library)))


def test_a_config_saved_with_a_byte_order_mark_is_read(run: Run, library: Path) -> None:
    config = library.parent / "canvas.toml"
    config.write_bytes(b"\xef\xbb\xbf" + SYNONYM.encode("utf-8"))
    assert segments_of(run, library, "acme") == ["Farmers in the valley"]


def test_a_code_both_selected_and_ignored_is_ignored(run: Run, tmp_path: Path) -> None:
    post = write_post(tmp_path / "posts", "Acme")
    with post.open("a", encoding="utf-8") as text:
        text.write("\n## Notes\n\nCall the mill on Monday.\n")

    def codes() -> set[str]:
        checked = run("check", str(post), "--json")
        return {finding["code"] for finding in json.loads(checked.stdout)["findings"]}

    write_config(tmp_path, 'select = ["CV208"]\n')
    assert "CV208" in codes()
    write_config(tmp_path, 'select = ["CV208"]\nignore = ["CV208"]\n')
    assert "CV208" not in codes()


def test_a_stop_word_leaves_in_a_term_that_has_other_words(run: Run, library: Path) -> None:
    write_config(library.parent, 'stop_words = ["Acme"]\n')
    shown = json.loads(ok(run("stats", "--posts", str(library), "--json")).stdout)
    assert "Acme Steel" in [term["term"] for term in shown["frequent"]["key-partners"]]


def test_blank_stop_words_are_no_stop_words(run: Run, library: Path) -> None:
    write_config(library.parent, 'stop_words = ["", " Acme ", "   "]\n')
    shown = json.loads(ok(run("config", "--posts", str(library), "--json")).stdout)
    assert shown["settings"]["stop_words"]["value"] == ["Acme"]
