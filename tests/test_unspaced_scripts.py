"""Chinese, Japanese, Korean and Thai canvases: searched inside runs, counted, compared, listed."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from canvascli.model import Canvas, Entry, Section
from canvascli.store.files import read_post
from canvascli.words import PIECE_PATTERN, count_words, has_pieces, piece_phrases
from tests.helpers import Run, ok

WILD = Path(__file__).resolve().parent / "data" / "wild"
EXPECTED = json.loads((WILD / "expected.json").read_text(encoding="utf-8"))
UNSPACED = [
    "chinese_simplified",
    "chinese_traditional",
    "chinese_with_english",
    "japanese_english_headings",
    "korean_bold_labels",
    "thai_spaced_phrases",
]


def search_json(run: Run, query: str, *extra: str) -> list[dict[str, Any]]:
    result = run("search", query, "--posts", str(WILD), "--json", *extra)
    assert result.exit_code in (0, 1), result.output
    data: list[dict[str, Any]] = json.loads(result.stdout)
    return data


def matched_words(companies: list[dict[str, Any]]) -> set[str]:
    return {
        hit["snippet"]["text"][start:end]
        for company in companies
        for hit in company["hits"]
        for start, end in hit["snippet"]["matches"]
    }


@pytest.mark.parametrize(
    ("query", "slug", "inside"),
    [
        ("蔬菜", "chinese_simplified", "每天早上八点前把当天采摘的蔬菜送到小区自提柜。"),
        ("茶葉", "japanese_english_headings", "契約農家から届く一番茶の茶葉で点てる抹茶"),
        ("앱", "korean_bold_labels", "모바일앱으로 수거를 신청하면"),
        ("กาแฟ", "thai_spaced_phrases", "ขายเมล็ดกาแฟรายเดือน"),
    ],
)
def test_a_word_inside_a_run_is_found_with_and_without_the_index(
    run: Run, query: str, slug: str, inside: str
) -> None:
    assert query in inside and query != inside.split()[0]
    indexed = search_json(run, query)
    assert slug in {company["slug"] for company in indexed}
    # A snippet may end inside a match; what it shows of it is still part of the word.
    assert query in matched_words(indexed)
    assert all(word in query for word in matched_words(indexed))
    assert search_json(run, query) == indexed
    assert search_json(run, query, "--no-cache") == indexed


def test_a_phrase_of_pieces_matches_only_where_they_stand_together(run: Run) -> None:
    # 销售 and 蔬菜 both occur in one line, but never as 菜销售 with nothing between.
    found = search_json(run, "蔬菜销售")
    assert matched_words(found) == {"蔬菜销售"}
    assert not search_json(run, "菜销蔬")
    assert search_json(run, "菜销蔬", "--no-cache") == []


def test_a_snippet_shows_the_text_as_written(run: Run) -> None:
    [company] = search_json(run, "冷链车")
    assert company["hits"][0]["snippet"]["text"] == "合作农场、冷链车和自提柜。"


def test_list_counts_chinese_characters_and_korean_words(run: Run) -> None:
    rows = ok(run("list", "--posts", str(WILD))).stdout.splitlines()
    words = {row.split("\t")[1]: int(row.split("\t")[3]) for row in rows}
    # Each block of these two is one paragraph, so its first entry is all of its text.
    chinese = EXPECTED["chinese_simplified.md"]["blocks"]
    assert words["chinese_simplified"] == sum(
        sum(character.isalpha() for character in first) for _label, _key, first, _last in chinese
    )
    korean = EXPECTED["korean_bold_labels.md"]["blocks"]
    assert words["korean_bold_labels"] == sum(len(first.split()) for _, _, first, _ in korean)
    for slug in UNSPACED:
        text = (WILD / f"{slug}.md").read_text(encoding="utf-8")
        assert words[slug] > len(text.split()) / 2, slug


def test_list_counts_thai_in_words_not_letters(run: Run) -> None:
    rows = ok(run("list", "--posts", str(WILD))).stdout.splitlines()
    words = {row.split("\t")[1]: int(row.split("\t")[3]) for row in rows}
    canvas = read_post(WILD / "thai_spaced_phrases.md", WILD).canvas
    texts = [entry.text for section in canvas.blocks.values() for entry in section.entries]
    phrases = sum(len(text.split()) for text in texts)
    letters = sum(character.isalpha() for text in texts for character in text)
    # A dictionary parts the post into 77 words of 2 to 8 letters: more than its spaced
    # phrases, and far fewer than its letters (each of which used to count as a word).
    assert phrases == 22 and letters == 293
    assert 70 <= words["thai_spaced_phrases"] <= 85


def test_similar_finds_what_two_canvases_in_kanji_and_hanzi_share(run: Run) -> None:
    output = ok(run("similar", "japanese_english_headings", "--posts", str(WILD), "--json"))
    scores = {found["slug"]: found["score"] for found in json.loads(output.stdout)["similar"]}
    assert scores["chinese_traditional"] > 0
    output = ok(run("similar", "chinese_simplified", "--posts", str(WILD), "--json"))
    scores = {found["slug"]: found["score"] for found in json.loads(output.stdout)["similar"]}
    assert scores["chinese_with_english"] > 0


def test_stats_counts_terms_of_every_script_and_inside_longer_ones(
    run: Run, tmp_path: Path
) -> None:
    for slug in UNSPACED:
        shutil.copy(WILD / f"{slug}.md", tmp_path / f"{slug}.md")
    data = json.loads(ok(run("stats", "--posts", str(tmp_path), "--json", "--top", "50")).stdout)
    companies = {
        block: {term["term"]: term["companies"] for term in terms}
        for block, terms in data["frequent"].items()
    }
    # 茶葉 in the Japanese post and in the traditional Chinese one; 原料 alone in one and
    # inside 原料費 in the other.
    assert companies["revenue-streams"]["茶葉"] == 2
    assert companies["cost-structure"]["原料"] == 2
    assert "세탁 공장" not in companies["key-resources"]
    assert companies["key-resources"]["세탁"] == 1
    assert companies["channels"]["เพจเฟซบุ๊ก"] == 1


def test_counting_and_phrases_follow_the_scripts() -> None:
    assert count_words("Our app 和 小程序") == 6
    assert count_words("고객을 위한 서비스") == 3
    assert count_words("Plain English, as before.") == 4
    # Chinese and Japanese count a word per character, as word processors do; Korean by
    # its spaces: "our customers are students" three ways.
    assert count_words("我们的客户是学生。") == 8
    assert count_words("お客様は学生です。") == 8
    assert count_words("우리 고객은 학생입니다.") == 3
    # Thai by its words: ลูกค้า (customer) ของ (of) เรา (us) คือ (are) นักเรียน (students);
    # ร้าน (shop) กาแฟ (coffee) เล็กๆ (small, the mark repeating the word) ใน (in) เชียงใหม่.
    assert count_words("ลูกค้าของเราคือนักเรียน") == 5
    assert count_words("ร้านกาแฟเล็กๆในเชียงใหม่") == 5
    assert count_words("ลูกค้าของเราคือนักเรียน 和 app") == 7
    text = "地元の農家と提携する"
    assert [text[start:end] for start, end in piece_phrases(text)] == ["地元", "農家", "提携"]
    text = "고객이 모바일앱을"
    assert [text[start:end] for start, end in piece_phrases(text)] == ["고객", "모바일앱"]


@given(
    st.lists(
        st.lists(
            st.text(alphabet="ab .。、和小程序ลูกค้าของเราคือเล็กๆ\u0e31\u3099고객 \t\n", max_size=12),
            max_size=4,
        ),
        max_size=4,
    )
)
def test_a_canvas_counts_the_words_its_sections_count(texts: list[list[str]]) -> None:
    """A canvas's words are its sections' words added up, in every script: no word runs
    from one entry into the next."""
    sections = tuple(
        Section("Channels", None, 2, 1, tuple(Entry("item", text) for text in entries), "")
        for entries in texts
    )
    canvas = Canvas("acme", "Acme", "acme.md", {}, sections)
    assert canvas.words == sum(section.words for section in sections)


def test_a_letter_is_told_a_piece_as_the_piece_pattern_tells_it() -> None:
    """`has_pieces` looks letters up in ranges instead of compiling the piece pattern:
    both must agree on every character, up to beyond the last Chinese range."""
    pattern = re.compile(PIECE_PATTERN)
    disagree = [
        code
        for code in range(0x32000)
        if has_pieces(chr(code)) != (pattern.search(chr(code)) is not None)
    ]
    assert disagree == []
    assert has_pieces("Our customers’ café – 冷链车") and not has_pieces("Our customers’ café –")
