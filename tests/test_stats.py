"""`canvas stats`: companies, block coverage and the most frequent terms of a library."""

from __future__ import annotations

import json
import os
import re
from pathlib import Path

import pytest

from canvascli.analyse.common_ground import canvas_terms
from canvascli.analyse.stats import TermCounter, block_coverage, library_stats
from canvascli.analyse.terms import decode_terms, encode_terms, library_terms
from canvascli.model import Block, Canvas, Summary
from canvascli.store.files import locate_library
from canvascli.store.library import load_library
from tests.conftest import REPO
from tests.helpers import Process, Run, ok

THREE = REPO / "tests" / "data" / "three_companies"


def write_post(folder: Path, name: str, partners: list[str], *, costs: bool = False) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    slug = name.lower().replace(" ", "-")
    items = "\n".join(f"* {partner}" for partner in partners)
    cost = "\n## Cost Structure\n\nSalaries.\n" if costs else ""
    path = folder / f"{slug}.md"
    path.write_text(
        f"# Business Model of {name}\n\n## Customer Segments\n\nShops.\n\n"
        f"## Key Partners\n\n{items}\n{cost}",
        encoding="utf-8",
    )
    return path


def summary(slug: str, *blocks: Block) -> Summary:
    return Summary.of(
        slug=slug,
        name=slug.title(),
        source=f"{slug}.md",
        metadata={},
        coverage=tuple(blocks),
        words=10,
    )


def test_coverage_counts_each_block_and_names_who_lacks_it() -> None:
    coverage = block_coverage(
        [
            summary("acme", *Block),
            summary("globex", Block.KEY_PARTNERS),
            summary("initech", Block.KEY_PARTNERS, Block.COST_STRUCTURE),
        ]
    )
    by_block = {found.block: found for found in coverage}
    assert [found.block for found in coverage] == list(Block)
    assert by_block[Block.KEY_PARTNERS].present == 3
    assert by_block[Block.KEY_PARTNERS].missing == ()
    assert by_block[Block.COST_STRUCTURE].missing == ("globex",)
    assert by_block[Block.CHANNELS].missing == ("globex", "initech")


def test_a_name_inside_a_longer_name_counts_for_both() -> None:
    counter = TermCounter()
    counter.add({"key-partners": [("microsoft azure", "Microsoft Azure")]})
    counter.add({"key-partners": [("microsoft", "Microsoft"), ("intel", "Intel")]})
    counter.add(
        {"key-partners": [("microsoft", "microsoft"), ("microsoft azure", "microsoft azure")]}
    )
    frequent = counter.most_frequent(Block.KEY_PARTNERS, 5)
    assert [(term.term, term.companies) for term in frequent] == [
        ("Microsoft", 3),
        ("Microsoft Azure", 2),
        ("Intel", 1),
    ]


def test_a_term_is_shown_as_most_companies_write_it() -> None:
    counter = TermCounter()
    for written in ("financial services", "Financial Services", "Financial Services"):
        counter.add({"customer-segments": [("financial service", written)]})
    (term,) = counter.most_frequent(Block.CUSTOMER_SEGMENTS, 5)
    assert (term.term, term.companies) == ("Financial Services", 3)


def test_top_limits_the_terms_per_block() -> None:
    counter = TermCounter()
    counter.add({"key-partners": [(name.lower(), name) for name in ("Dell", "Intel", "SAP")]})
    assert len(counter.most_frequent(Block.KEY_PARTNERS, 2)) == 2
    assert counter.most_frequent(Block.CHANNELS, 2) == ()


def test_stored_terms_read_back_the_same() -> None:
    canvases = load_library(locate_library(THREE), use_cache=False).canvases()
    for canvas in canvases:
        terms = canvas_terms(canvas)
        decoded = {block: list(pairs) for block, pairs in decode_terms(encode_terms(terms)).items()}
        assert decoded == terms
    odd = {"channels": [("x", "A\x1eB\x1fC")]}
    assert {key: list(pairs) for key, pairs in decode_terms(encode_terms(odd)).items()} == {
        "channels": [("x", "A\ufffdB\ufffdC")]
    }
    assert decode_terms(encode_terms({})) == {}


def test_the_index_gives_the_same_terms_as_reading_every_post(tmp_path: Path) -> None:
    library = load_library(locate_library(THREE))
    direct = [dict(terms) for terms in library_terms(library, use_cache=False)]
    for _run in range(2):
        cached = library_terms(load_library(locate_library(THREE)))
        assert [{key: list(pairs) for key, pairs in terms.items()} for terms in cached] == direct


def test_the_index_keeps_terms_until_a_post_changes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = write_post(tmp_path, "Acme", ["Intel"])
    write_post(tmp_path, "Globex", ["Oracle"])
    list(library_terms(load_library(locate_library(tmp_path))))
    found: list[str] = []

    def finding(canvas: Canvas) -> dict[str, list[tuple[str, str]]]:
        found.append(canvas.slug)
        return canvas_terms(canvas)

    monkeypatch.setattr("canvascli.analyse.terms.canvas_terms", finding)
    list(library_terms(load_library(locate_library(tmp_path))))
    assert found == []
    write_post(tmp_path, "Acme", ["Intel", "Dell"])
    stat = path.stat()
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns + 5_000_000_000))
    terms = list(library_terms(load_library(locate_library(tmp_path))))
    assert found == ["acme"]
    assert list(terms[0]["key-partners"]) == [("intel", "Intel"), ("dell", "Dell")]


def test_library_stats_of_the_three_companies() -> None:
    library = load_library(locate_library(THREE), use_cache=False)
    stats = library_stats(library.summaries, library_terms(library, use_cache=False), top=2)
    assert stats.companies == 3
    frequent = dict(stats.frequent)
    assert [(term.term, term.companies) for term in frequent[Block.KEY_PARTNERS]] == [
        ("Microsoft", 3),
        ("Amazon Web Services", 2),
    ]


def test_cli_bundled_library(run: Run) -> None:
    stdout = ok(run("stats")).stdout
    assert stdout.startswith("2 companies in ")
    assert re.search(r"MemSQL\s+(●\s+){9}9/9", stdout)
    assert re.search(r"companies with it\s+(2\s+){9}", stdout)
    assert re.search(r"Customer Segments\s+Communications 2 · Financial Services 2", stdout)
    assert re.search(r"Key Partners\s+Microsoft 2 ·", stdout)


def test_cli_json(run: Run) -> None:
    data = json.loads(ok(run("stats", "--json", "--top", "1")).stdout)
    assert data["companies"] == 2
    assert data["library"].endswith("posts")
    assert data["coverage"][0] == {
        "block": "customer-segments",
        "title": "Customer Segments",
        "present": 2,
        "of": 2,
        "missing": [],
    }
    assert data["frequent"]["key-partners"] == [
        {"term": "Microsoft", "key": "microsoft", "companies": 2}
    ]
    assert data["frequent"]["revenue-streams"] == []


def test_cli_big_library_counts_and_names_a_few_lacking(run: Run, tmp_path: Path) -> None:
    for number in range(25):
        write_post(tmp_path, f"Company {number:02d}", ["Intel"], costs=number % 5 == 0)
    stdout = ok(run("stats", "--posts", str(tmp_path), env={"COLUMNS": "120"})).stdout
    assert stdout.startswith("25 companies in ")
    assert "●" not in stdout
    assert re.search(r"Customer Segments\s+25/25\s+none", stdout)
    assert re.search(
        r"Cost Structure\s+5/25\s+company-01, company-02, company-03 \+17 more", stdout
    )
    assert re.search(r"Channels\s+0/25\s+company-00, company-01, company-02 \+22 more", stdout)
    assert re.search(r"Key Partners\s+Intel 25", stdout)


@pytest.mark.parametrize(("companies", "matrix"), [(20, True), (21, False)])
def test_cli_draws_the_coverage_matrix_up_to_twenty_companies(
    run: Run, tmp_path: Path, companies: int, matrix: bool
) -> None:
    for number in range(companies):
        write_post(tmp_path, f"Company {number:02d}", ["Intel"])
    stdout = ok(run("stats", "--posts", str(tmp_path), env={"COLUMNS": "120"})).stdout
    assert stdout.startswith(f"{companies} companies in ")
    assert ("●" in stdout) is matrix
    assert bool(re.search(rf"Customer Segments\s+{companies}/{companies}", stdout)) is not matrix


def test_cli_sees_an_edited_post_through_the_index(run: Run, tmp_path: Path) -> None:
    path = write_post(tmp_path, "Acme", ["Intel"])
    write_post(tmp_path, "Globex", ["Intel"])
    stdout = ok(run("stats", "--posts", str(tmp_path))).stdout
    assert re.search(r"Key Partners\s+Intel 2 *\n", stdout)
    write_post(tmp_path, "Acme", ["Oracle Cloud"])
    stat = path.stat()
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns + 5_000_000_000))
    stdout = ok(run("stats", "--posts", str(tmp_path))).stdout
    assert re.search(r"Key Partners\s+Intel 1 · Oracle Cloud 1 *\n", stdout)
    assert stdout == ok(run("stats", "--posts", str(tmp_path), "--no-cache")).stdout


def test_cli_empty_library_prints_one_line(run: Run, tmp_path: Path) -> None:
    stdout = ok(run("stats", "--posts", str(tmp_path))).stdout
    assert stdout.startswith("0 companies in ")
    assert stdout.count("\n") == 1, stdout


CANVAS_VOCABULARY = """# Business Model of {name}

## Customer Segments

* Primary
* People
* Clientes
* Weekend Cyclists

## Cost Structure

* Costs
* Revenue
* Key Partners

## Revenue Streams

* Revenue
* Ingresos
* Subscriptions
"""


def test_terms_every_canvas_uses_are_not_frequent_terms(run: Run, tmp_path: Path) -> None:
    for name in ("Acme", "Globex", "Initech"):
        text = CANVAS_VOCABULARY.format(name=name)
        (tmp_path / f"{name.lower()}.md").write_text(text, encoding="utf-8")
    overview = json.loads(ok(run("stats", "--posts", str(tmp_path), "--json")).stdout)
    frequent = {
        block: [term["term"] for term in terms] for block, terms in overview["frequent"].items()
    }
    assert frequent["revenue-streams"] == ["Subscriptions"]
    assert frequent["cost-structure"] == []
    assert "Primary" not in frequent["customer-segments"]
    assert "People" not in frequent["customer-segments"]
    assert "Clientes" not in frequent["customer-segments"]
    assert "Weekend Cyclists" in frequent["customer-segments"]


@pytest.mark.e2e
def test_the_installed_command_gives_an_overview(
    canvas_process: Process,
) -> None:
    result = canvas_process("stats", "--posts", str(THREE), env={"COLUMNS": "100"})
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("3 companies in ")
    assert re.search(
        r"Key Partners\s+Microsoft 3 · Amazon Web Services 2 · Tableau 2", result.stdout
    )


def test_cli_terms_as_frequent_are_in_alphabetical_order_whatever_their_case(
    run: Run, tmp_path: Path
) -> None:
    for name in ("One", "Two"):
        write_post(tmp_path / "posts", name, ["Zebra Farms", "apple growers", "Mango Traders"])
    data = json.loads(ok(run("stats", "--json", "--posts", str(tmp_path / "posts"))).stdout)
    terms = [term["term"] for term in data["frequent"]["key-partners"]]
    assert terms == ["apple growers", "Mango Traders", "Zebra Farms"]


def test_cli_names_a_company_that_lacks_a_single_block(run: Run, tmp_path: Path) -> None:
    folder = tmp_path / "posts"
    folder.mkdir()
    blocks = [block.title for block in Block]
    for slug, written in (("whole", blocks), ("all-but-costs", blocks[:-1])):
        body = "".join(f"\n## {title}\n\nSomething.\n" for title in written)
        (folder / f"{slug}.md").write_text(f"# Business Model of {slug}\n{body}", "utf-8")
    data = json.loads(ok(run("stats", "--json", "--posts", str(folder))).stdout)
    missing = {coverage["block"]: coverage["missing"] for coverage in data["coverage"]}
    assert missing == {block.key: [] for block in Block} | {"cost-structure": ["all-but-costs"]}
