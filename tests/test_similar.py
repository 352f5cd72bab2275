"""`canvas similar`: companies ranked by TF-IDF cosine, on fixtures where the answer is plain."""

from __future__ import annotations

import json
import math
from pathlib import Path

import pytest

from benchmarks.generate import generate_library
from canvascli.analyse.similarity import rank_similar, words_of
from canvascli.errors import CanvasError
from canvascli.model import Block, Canvas
from canvascli.read.canvas import read_canvas
from canvascli.store.files import locate_library
from canvascli.store.library import load_library
from tests.conftest import REPO
from tests.helpers import Process, Run, ok

THREE = REPO / "tests" / "data" / "three_companies"


def post(name: str, segments: str, partners: str) -> str:
    return (
        f"# Business Model of {name}\n\n## Customer Segments\n\n{segments}\n\n"
        f"## Key Partners\n\n{partners}\n"
    )


def make_canvas(name: str, segments: str, partners: str) -> Canvas:
    return read_canvas(post(name, segments, partners), f"{name.lower()}.md")


def write_posts(folder: Path, posts: dict[str, tuple[str, str]]) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for name, (segments, partners) in posts.items():
        (folder / f"{name.lower()}.md").write_text(post(name, segments, partners), "utf-8")
    return folder


def library(folder: Path) -> list[Canvas]:
    return list(load_library(locate_library(folder), use_cache=False).canvases())


# Acme and Globex sell the same thing to the same people; Initech is a bakery.
OBVIOUS = {
    "Acme": ("Hospitals and clinics buying imaging software.", "Siemens, Philips and GE."),
    "Globex": ("Hospitals and clinics buying imaging software.", "Siemens, Philips and GE."),
    "Initech": ("Families who want fresh bread and cakes.", "Local flour mills."),
}
# Banks is what Acme shares with Umbrella; its partners, what it shares with Hooli.
SPLIT = {
    "Acme": ("Retail banks and insurers.", "Microsoft and Intel."),
    "Hooli": ("Farmers and growers.", "Microsoft and Intel."),
    "Umbrella": ("Retail banks and insurers.", "Oracle."),
}


def test_the_same_text_scores_one_and_unrelated_text_zero() -> None:
    acme, globex, initech = (make_canvas(name, *texts) for name, texts in OBVIOUS.items())
    ranked = rank_similar(acme, [acme, globex, initech])
    assert [found.slug for found in ranked] == ["globex", "initech"]
    assert math.isclose(ranked[0].score, 1.0)
    assert ranked[1].score == 0 and ranked[1].blocks == ()


def test_block_parts_add_up_to_the_score_largest_first() -> None:
    canvases = library(THREE)
    northwind = next(canvas for canvas in canvases if canvas.slug == "northwind-analytics")
    for found in rank_similar(northwind, canvases):
        parts = [score for _block, score in found.blocks]
        assert math.isclose(sum(parts), found.score)
        assert parts == sorted(parts, reverse=True)
        assert 0 <= found.score <= 1


def test_the_two_cloud_analytics_companies_are_closest() -> None:
    canvases = library(THREE)
    northwind = next(canvas for canvas in canvases if canvas.slug == "northwind-analytics")
    ranked = rank_similar(northwind, canvases)
    assert [found.slug for found in ranked] == ["contoso-cloud", "fabrikam-storage"]
    assert ranked[0].score > 2 * ranked[1].score


def test_a_section_decides_who_is_closest() -> None:
    acme, hooli, umbrella = (make_canvas(name, *texts) for name, texts in SPLIT.items())
    by_partners = rank_similar(acme, [hooli, umbrella], [Block.KEY_PARTNERS])
    by_segments = rank_similar(acme, [hooli, umbrella], [Block.CUSTOMER_SEGMENTS])
    assert [found.slug for found in by_partners] == ["hooli", "umbrella"]
    assert [found.slug for found in by_segments] == ["umbrella", "hooli"]
    assert [block for block, _score in by_partners[0].blocks] == [Block.KEY_PARTNERS]


def test_ties_are_ordered_by_slug() -> None:
    texts = ("Hospitals.", "Siemens.")
    target = make_canvas("Target", *texts)
    copies = [make_canvas(name, *texts) for name in ("Zeta", "Alpha", "Mid")]
    ranked = rank_similar(target, copies)
    assert [found.slug for found in ranked] == ["alpha", "mid", "zeta"]
    assert len({round(found.score, 9) for found in ranked}) == 1


def test_a_companys_own_name_is_not_what_makes_it_similar() -> None:
    assert words_of("Acme Cloud sells Acme Cloud storage", frozenset({"acme", "cloud"})) == {
        "sell": 1,
        "storage": 1,
    }


def test_stop_words_digits_and_plurals_are_folded_away() -> None:
    assert words_of("The banks and THE Bank, 2016: banks’ e-mail.") == {
        "bank": 3,
        "mail": 1,
    }


def test_single_letters_are_no_words_but_two_letters_are() -> None:
    assert words_of("TV and 5G apps for a B2B deal") == {"tv": 1, "app": 1, "deal": 1}


def test_a_score_follows_the_documented_weights() -> None:
    """`(1 + ln tf) × idf` with `idf = ln((1 + N) / (1 + df)) + 1`, cosine of the two."""
    acme = make_canvas("Acme", "Banks, banks and insurers.", "")
    globex = make_canvas("Globex", "A bank.", "")
    (found,) = rank_similar(acme, [globex], [Block.CUSTOMER_SEGMENTS])
    bank = (1 + math.log(2)) * (math.log(3 / 3) + 1)
    insurer = (1 + math.log(1)) * (math.log(3 / 2) + 1)
    assert math.isclose(found.score, bank / math.hypot(bank, insurer))


def test_a_canvas_with_no_words_in_the_blocks_is_an_error() -> None:
    empty = make_canvas("Empty", "", "")
    other = make_canvas("Other", "Banks.", "Intel.")
    with pytest.raises(CanvasError, match="empty has no words to compare in Key Partners"):
        rank_similar(empty, [other], [Block.KEY_PARTNERS])


def test_a_generated_library_ranks_every_other_company_once(tmp_path: Path) -> None:
    generate_library(tmp_path, 30)
    canvases = library(tmp_path)
    target = canvases[0]
    ranked = rank_similar(target, canvases)
    assert sorted(found.slug for found in ranked) == sorted(c.slug for c in canvases[1:])
    scores = [found.score for found in ranked]
    assert scores == sorted(scores, reverse=True)
    assert all(0 < score < 1 for score in scores)
    assert ranked == rank_similar(target, list(reversed(canvases)))


def test_cli_ranks_the_other_companies(run: Run) -> None:
    stdout = ok(run("similar", "northwind", "--posts", str(THREE))).stdout
    assert "Most like Northwind Analytics" in stdout
    assert stdout.index("Contoso Cloud") < stdout.index("Fabrikam Storage")
    assert "Northwind Analytics" not in stdout.split("Most like Northwind Analytics", 1)[1]


def test_cli_limit_and_section(run: Run, tmp_path: Path) -> None:
    folder = write_posts(tmp_path / "posts", SPLIT)
    stdout = ok(run("similar", "acme", "-s", "partners", "--limit", "1", "--posts", str(folder)))
    lines = stdout.stdout.splitlines()
    assert "TF-IDF cosine over Key Partners" in lines[0]
    assert any("Hooli" in line for line in lines) and not any("Umbrella" in line for line in lines)


def test_cli_json_shape(run: Run) -> None:
    data = json.loads(ok(run("similar", "memsql", "--json")).stdout)
    assert data["company"] == "memsql"
    assert data["blocks"] == [block.key for block in Block]
    (violin,) = data["similar"]
    assert violin["slug"] == "violin-memory" and violin["name"] == "Violin Memory"
    assert 0 < violin["score"] < 1
    assert {"key", "title", "score"} == set(violin["blocks"][0])
    scores = [violin["score"], *(block["score"] for block in violin["blocks"])]
    assert all(score == round(score, 4) for score in scores)


def test_cli_needs_another_company(run: Run, tmp_path: Path) -> None:
    folder = write_posts(tmp_path / "posts", {"Acme": OBVIOUS["Acme"]})
    result = run("similar", "acme", "--posts", str(folder))
    assert result.exit_code == 1
    assert result.stderr.strip() == (
        f"canvas: similar needs at least one other company; {folder} holds only acme"
    )


def test_cli_reports_a_canvas_with_nothing_to_compare(run: Run, tmp_path: Path) -> None:
    folder = write_posts(tmp_path / "posts", {"Acme": ("", ""), "Globex": OBVIOUS["Globex"]})
    result = run("similar", "acme", "--posts", str(folder))
    assert result.exit_code == 1
    assert result.stderr.strip() == "canvas: acme has no words to compare in any block"


@pytest.mark.e2e
def test_the_installed_command_ranks_companies(
    canvas_process: Process,
) -> None:
    result = canvas_process("similar", "contoso", "--posts", str(THREE), "--json")
    assert result.returncode == 0, result.stderr
    ranked = [found["slug"] for found in json.loads(result.stdout)["similar"]]
    assert ranked == ["northwind-analytics", "fabrikam-storage"]


def test_cli_json_gives_the_documented_score_to_four_places(run: Run, tmp_path: Path) -> None:
    folder = write_posts(
        tmp_path / "posts", {"Acme": ("Banks, banks and insurers.", ""), "Globex": ("A bank.", "")}
    )
    data = json.loads(
        ok(run("similar", "acme", "-s", "cs", "--json", "--posts", str(folder))).stdout
    )
    bank = (1 + math.log(2)) * (math.log(3 / 3) + 1)
    insurer = (1 + math.log(1)) * (math.log(3 / 2) + 1)
    score = round(bank / math.hypot(bank, insurer), 4)
    (globex,) = data["similar"]
    assert (globex["score"], globex["blocks"][0]["score"]) == (score, score)
