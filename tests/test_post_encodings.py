"""Posts saved in another encoding are read in every command; binary files are refused."""

from __future__ import annotations

import json
import random
from pathlib import Path

import pytest

from tests.helpers import Run, ok

SEEDS = Path(__file__).resolve().parent.parent / "posts"
RUSSIAN = (
    "# Business Model of Самовар\n\n## Сегменты клиентов\n\nЛюди, которые пьют чай — «много».\n\n"
    "## Каналы\n\n- Магазин\n- Рынок\n"
)
FRENCH = (
    "# Business Model of Crème\n\n## Segments de clientèle\n\nLes gens qui achètent.\n\n"
    "## Canaux\n\n- Boutique\n- Marché\n"
)
# Name of the company each readable post gives, by file name.
READ = {
    "memsql.md": "MemSQL",
    "bom-utf16.md": "Crème",
    "unmarked-utf16le.md": "Crème",
    "unmarked-utf16be.md": "Самовар",
    "cyrillic-utf16le.md": "Самовар",
    "latin1.md": "Cr\ufffdme",
    "cp1251.md": "Cp1251",
}
# The reason given for each post refused, by file name.
REFUSED = {
    "random-bytes.md": "is a binary file, not text",
    "picture.md": "is a binary file, not text",
    "random-with-nuls.md": "is a binary file (contains NUL bytes)",
    "ascii-with-nuls.md": "is a binary file (contains NUL bytes)",
}


def random_bytes(size: int, *, nul: bool) -> bytes:
    chooser = random.Random(size)
    return bytes(chooser.randrange(0 if nul else 1, 256) for _ in range(size))


@pytest.fixture
def library(tmp_path: Path) -> Path:
    folder = tmp_path / "library"
    folder.mkdir()
    files = {
        "memsql.md": (SEEDS / "memsql.md").read_bytes(),
        "bom-utf16.md": FRENCH.encode("utf-16"),
        "unmarked-utf16le.md": FRENCH.encode("utf-16-le"),
        "unmarked-utf16be.md": RUSSIAN.encode("utf-16-be"),
        "cyrillic-utf16le.md": RUSSIAN.encode("utf-16-le"),
        "latin1.md": FRENCH.encode("latin-1"),
        "cp1251.md": RUSSIAN.encode("cp1251"),
        "random-bytes.md": random_bytes(4000, nul=False),
        "picture.md": b"\x89PNG\r\n\x1a\n" + random_bytes(600, nul=False),
        "random-with-nuls.md": random_bytes(4000, nul=True),
        # ASCII text with a NUL or two is not UTF-16 read without its mark.
        "ascii-with-nuls.md": b"# Business Model of Nul\x00Co\n\x00\x01\x02",
    }
    for name, data in files.items():
        (folder / name).write_bytes(data)
    return folder


def slugs_listed(run: Run, library: Path, *extra: str) -> dict[str, str]:
    result = ok(run("list", "--json", "--posts", str(library), *extra))
    return {row["slug"]: row["name"] for row in json.loads(result.stdout)}


@pytest.mark.parametrize("cache", [(), ("--no-cache",)], ids=["index", "no-cache"])
def test_list_reads_every_text_post_and_names_each_binary_one_once(
    run: Run, library: Path, cache: tuple[str, ...]
) -> None:
    result = ok(run("list", "--json", "--posts", str(library), *cache))
    listed = {row["slug"]: row["name"] for row in json.loads(result.stdout)}
    expected = {name.removesuffix(".md"): named for name, named in READ.items()}
    assert listed == expected
    for name, reason in REFUSED.items():
        assert result.stderr.count(f"{library / name}: {reason}\n") == 1, result.stderr
    assert "file is UTF-16 (little-endian, no byte-order mark), not UTF-8" in result.stderr
    assert "file is UTF-16 (big-endian, no byte-order mark), not UTF-8" in result.stderr


def test_show_prints_a_post_saved_as_utf16_without_its_mark(run: Run, library: Path) -> None:
    result = ok(run("show", "unmarked-utf16be", "--posts", str(library)))
    assert "Самовар" in result.stdout
    assert "• Рынок" in result.stdout


def test_show_of_a_binary_post_says_why_it_is_not_a_company(run: Run, library: Path) -> None:
    result = run("show", "random-bytes", "--posts", str(library))
    assert result.exit_code == 1
    assert result.stdout == ""
    last = result.stderr.splitlines()[-1]
    assert last == (
        f"canvas: no company 'random-bytes' in {library}; "
        f"{library / 'random-bytes.md'} was not read: is a binary file, not text"
    )


def test_check_reports_each_refused_post_as_an_error_and_each_other_encoding(
    run: Run, library: Path
) -> None:
    result = run("check", str(library))
    assert result.exit_code == 1
    findings = result.stdout.splitlines()
    for name, reason in REFUSED.items():
        assert [line for line in findings if f"/{name}:" in line] == [
            f"library/{name}:1:1: CV105 {reason}"
        ]
    assert "library/unmarked-utf16be.md:1:1: CV105 file is UTF-16 (big-endian" in result.stdout


def test_export_search_and_site_hold_the_text_posts_and_no_binary_one(
    run: Run, library: Path, tmp_path: Path
) -> None:
    exported = ok(run("export", "--format", "json", "--posts", str(library)))
    names = {canvas["name"] for canvas in json.loads(exported.stdout)}
    assert names == set(READ.values())
    found = ok(run("search", "Рынок", "--posts", str(library)))
    assert "Самовар" in found.stdout
    site = tmp_path / "site"
    ok(run("site", "-o", str(site), "--posts", str(library)))
    pages = {path.stem for path in (site / "c").glob("*.html")}
    assert pages == {name.removesuffix(".md") for name in READ}
