"""Tests that a heading with nothing under it counts as written nowhere: list, stats, site, log."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from canvascli.model import Block
from tests.helpers import GitRepository, Run, ok

NINE = [block.key for block in Block]
HALF_WRITTEN = """---
title: Half Written
---

## Customer Segments

Households on tight budgets.

## Channels

## Key Partners

Three supermarkets.
"""


@pytest.fixture
def library(run: Run, tmp_path: Path) -> Path:
    """A new, untouched post beside a half-written one, whose Channels heading is empty."""
    posts = tmp_path / "library"
    posts.mkdir()
    ok(run("new", "Blank Slate", "--posts", str(posts)))
    (posts / "half-written.md").write_text(HALF_WRITTEN, encoding="utf-8")
    return posts


def test_list_counts_only_written_blocks_and_marks_empty_headings(run: Run, library: Path) -> None:
    plain = ok(run("list", "--posts", str(library)))
    assert plain.stdout == "Blank Slate\tblank-slate\t0/9\t0\nHalf Written\thalf-written\t2/9\t6\n"
    drawn = ok(
        run("list", "--posts", str(library), "--no-pager", terminal=True, env={"NO_COLOR": "1"})
    )
    assert "○○○○○○○○○ 0/9" in drawn.stdout
    assert "●·○····●· 2/9" in drawn.stdout
    assert "○ a heading with nothing written under it" in drawn.stdout


def test_list_json_parts_the_blocks_into_written_empty_and_missing(run: Run, library: Path) -> None:
    listed = json.loads(ok(run("list", "--posts", str(library), "--json")).stdout)
    by_slug = {summary["slug"]: summary for summary in listed}
    assert by_slug["blank-slate"]["coverage"] == []
    assert by_slug["blank-slate"]["empty"] == NINE
    assert by_slug["blank-slate"]["missing"] == []
    half = by_slug["half-written"]
    assert half["coverage"] == ["customer-segments", "key-partners"]
    assert half["empty"] == ["channels"]
    assert sorted([*half["coverage"], *half["empty"], *half["missing"]]) == sorted(NINE)


def test_has_needs_text_and_missing_takes_an_empty_block_as_lacking(
    run: Run, library: Path
) -> None:
    def slugs(*options: str) -> list[str]:
        result = ok(run("list", "--posts", str(library), *options))
        return [line.split("\t")[1] for line in result.stdout.splitlines()]

    assert slugs("--has", "channels") == []
    assert slugs("--missing", "channels") == ["blank-slate", "half-written"]
    assert slugs("--missing", "revenue-streams") == ["blank-slate", "half-written"]
    assert slugs("--has", "key-partners") == ["half-written"]
    assert slugs("--sort", "blocks", "--reverse") == ["half-written", "blank-slate"]


def test_the_index_keeps_empty_blocks_as_a_fresh_read_sees_them(run: Run, library: Path) -> None:
    fresh = ok(run("list", "--posts", str(library), "--json", "--no-cache")).stdout
    ok(run("list", "--posts", str(library)))
    assert ok(run("list", "--posts", str(library), "--json")).stdout == fresh


def test_stats_counts_written_blocks_and_lists_empty_ones_as_lacking(
    run: Run, library: Path
) -> None:
    stats = json.loads(ok(run("stats", "--posts", str(library), "--json")).stdout)
    coverage = {row["block"]: row for row in stats["coverage"]}
    assert coverage["channels"]["present"] == 0
    assert coverage["channels"]["missing"] == ["blank-slate", "half-written"]
    assert coverage["customer-segments"]["present"] == 1
    drawn = ok(
        run("stats", "--posts", str(library), "--no-pager", terminal=True, env={"NO_COLOR": "1"})
    )
    assert "○ a heading with nothing written under it" in drawn.stdout
    assert "○" in next(line for line in drawn.stdout.splitlines() if "Blank Slate" in line)


def test_the_site_marks_an_empty_block_apart_from_written_and_missing(
    run: Run, library: Path, tmp_path: Path
) -> None:
    site = tmp_path / "site"
    ok(run("site", "-o", str(site), "--posts", str(library)))
    index = (site / "index.html").read_text(encoding="utf-8")
    assert index.count('class="mark mark-empty"') == 10
    assert index.count('class="mark mark-present"') == 2
    assert index.count('class="mark mark-missing"') == 6
    assert "○: a heading with nothing written under it" in index
    page = (site / "c" / "half-written.html").read_text(encoding="utf-8")
    channels = page[page.index('class="box box-channels') :].split("</section>")[0]
    assert "is-empty" in channels
    assert "Nothing written under this heading yet." in channels
    partners = page[page.index('class="box box-key-partners') :].split("</section>")[0]
    assert "Three supermarkets." in partners
    assert "is-empty" not in partners


def test_log_counts_a_block_added_when_it_is_first_written(run: Run, tmp_path: Path) -> None:
    repository = GitRepository(tmp_path / "site")
    posts = str(repository.posts)
    ok(run("new", "Blank Slate", "--posts", posts))
    repository.commit("Start a canvas", "2024-01-01T12:00:00")
    post = next(repository.posts.iterdir())
    blank = post.read_text(encoding="utf-8")
    post.write_text(
        blank.replace("<!-- For whom do we create value?", "Households.\n\n<!--"),
        encoding="utf-8",
    )
    repository.commit("Write the segments", "2024-01-02T12:00:00")
    post.write_text(blank, encoding="utf-8")
    repository.commit("Clear them again", "2024-01-03T12:00:00")
    log = json.loads(ok(run("log", "blank-slate", "--json", "--posts", posts)).stdout)
    changes = {commit["subject"]: commit["blocks"] for commit in log["commits"]}
    none: list[str] = []
    assert changes["Start a canvas"] == {"added": none, "removed": none, "edited": none}
    assert changes["Write the segments"]["added"] == ["customer-segments"]
    assert changes["Clear them again"]["removed"] == ["customer-segments"]
