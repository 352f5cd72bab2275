"""Front matter read without PyYAML is read exactly as PyYAML reads it, or left to PyYAML."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from canvascli.read.canvas import read_canvas
from canvascli.read.plain_yaml import plain_front_matter

DATA = Path(__file__).parent / "data"
LOADERS = [yaml.SafeLoader, *([yaml.CSafeLoader] if hasattr(yaml, "CSafeLoader") else [])]

# The edges of a plain scalar: YAML 1.1's booleans and nulls in odd spellings, numbers, dates,
# indicators, the characters that end or comment a scalar, white space YAML knows and
# white space it does not, line breaks Python knows and YAML knows, and letters beyond ASCII.
WORDS = st.sampled_from(
    [
        "yes",
        "Yes",
        "YES",
        "yEs",
        "no",
        "No",
        "NO",
        "true",
        "True",
        "TRUE",
        "false",
        "False",
        "FALSE",
        "on",
        "On",
        "ON",
        "off",
        "Off",
        "OFF",
        "y",
        "n",
        "Y",
        "N",
        "null",
        "Null",
        "NULL",
        "nULL",
        "~",
        "1",
        "0x1F",
        "1_000",
        "1:30",
        ".5",
        ".inf",
        ".NaN",
        "-",
        "+1",
        "2016-01-01",
        "<<",
        "=",
        "post",
        "acme-cloud-2100",
        "Ünïcode",
        "日本語",
        "ﬁne",
        "ǅ",
        "",
    ]
)
CHARACTERS = st.sampled_from(
    list("aZé日 -:#.,?!&*|>'\"%@`[]{}~<=_/0912\t\r\x85\xa0\u2028\u2029\ufeff\x00\x7f\ufffe")
)
PIECES = st.lists(st.one_of(WORDS, CHARACTERS), max_size=5).map("".join)
SEPARATORS = st.sampled_from([": ", ":  ", " : ", ":", ":\t", ": \t", " "])
LETTERS = st.sampled_from(list("aZéß日ǅ"))
NEARLY_PLAIN = st.tuples(LETTERS, PIECES, st.just(": "), LETTERS, PIECES).map("".join)
LINES = st.one_of(
    NEARLY_PLAIN,
    st.tuples(st.sampled_from(["", " "]), WORDS, st.sampled_from([": ", ":  "]), WORDS).map(
        "".join
    ),
    st.tuples(st.sampled_from(["", "", " ", "- "]), PIECES, SEPARATORS, PIECES, PIECES).map(
        "".join
    ),
    st.just(""),
)


def _pyyaml(text: str, loader: Any) -> object:
    try:
        return yaml.load(text, Loader=loader)
    except (yaml.YAMLError, ValueError) as error:
        return error


def _agrees_with_pyyaml(text: str) -> None:
    plain = plain_front_matter(text)
    if plain is None:
        return
    for loader in LOADERS:
        loaded = _pyyaml(text, loader)
        assert (loaded or {}) == plain, loader
        assert all(type(key) is str and type(value) is str for key, value in plain.items())


@settings(max_examples=2000)
@given(st.lists(LINES, max_size=6).map("\n".join))
def test_accepted_front_matter_is_what_pyyaml_loads(text: str) -> None:
    _agrees_with_pyyaml(text)


@pytest.mark.parametrize("path", sorted(DATA.glob("*/*.md")), ids=lambda path: path.name)
def test_every_front_matter_in_the_test_posts_agrees(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    if text.startswith("---\n") and "\n---\n" in text:
        _agrees_with_pyyaml(text[4 : text.index("\n---\n") + 1])


@pytest.mark.parametrize(
    "text",
    [
        "layout: post\ntitle: acme-cloud-2100\n",
        "title: Ünïcode words, and more!\n\nauthor: Ana María\n",
        "title: Yes we can\ncategory: nothing at all\n",
        "",
    ],
)
def test_the_common_jekyll_shape_is_read_without_pyyaml(text: str) -> None:
    assert plain_front_matter(text) is not None
    _agrees_with_pyyaml(text)


@pytest.mark.parametrize(
    "text",
    [
        "published: yes\n",
        "published: Off\n",
        "title: null\n",
        "title: ~\n",
        "title:\n",
        "date: 2016-01-01\n",
        "rank: 3\n",
        "ratio: .5\n",
        "title: 'quoted'\n",
        "title: a # comment\n",
        "url: http://example.com\n",
        "tags:\n  - one\n",
        "  title: indented\n",
        "title: a\ttab\n",
        "title: non\xa0breaking\n",
        "yes: a key YAML reads as true\n",
        "<<: merged\n",
        "title: *alias\n",
        "# a comment\ntitle: words\n",
    ],
)
def test_anything_else_is_left_to_pyyaml(text: str) -> None:
    assert plain_front_matter(text) is None


def test_a_post_reads_the_same_either_way() -> None:
    simple = "---\nlayout: post\ntitle: Acme Cloud\n---\n\n## Key Partners\n- Banks\n"
    quoted = simple.replace("title: Acme Cloud", "title: 'Acme Cloud'")
    assert plain_front_matter("layout: post\ntitle: Acme Cloud\n") is not None
    assert read_canvas(simple, "a.md") == read_canvas(quoted, "a.md")
