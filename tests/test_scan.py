"""The plain-post scanner gives exactly mistune's tokens, or steps aside for mistune."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from benchmarks.generate import post
from canvascli.model import Entry
from canvascli.read.canvas import mistune_tokens, read_canvas
from canvascli.read.scan import SPACED_ONCE, Token, plain_tokens

DATA = Path(__file__).parent / "data"
BUNDLED = Path(__file__).parent.parent / "posts"


PLAIN_WORDS = ["Acme", "data", "1.", "2016", "C#", "R&D", "e.g.", "x", "-", "=", ":", "'s", "(a)"]
# `#` with no space after it opens no heading: text converted from HTML starts lines so.
PLAIN_WORDS += ["#1", "#TODO", "#hashtag", "##", "#######"]
MARKUP = ["#", "*", "_", "`", "[a]", "<b>", "~~", "|", "\\", "!", "\t", "\u00a0", "é", "—"]
# Mostly plain text, so that most documents are ones the scanner reads and is checked on.
WORDS = st.lists(st.sampled_from(PLAIN_WORDS * 8 + MARKUP), min_size=0, max_size=4).map(" ".join)
INDENT = st.sampled_from(["", "", "", " ", "  ", "   ", "    "])
HEADING = st.tuples(INDENT, st.sampled_from(["#", "##", "###", "######", "#######"]), WORDS).map(
    lambda parts: f"{parts[0]}{parts[1]} {parts[2]}"
)
ITEM = st.tuples(
    INDENT, st.sampled_from("-*+"), st.sampled_from([" ", " ", "  ", "    ", "     "]), WORDS
).map("".join)
TEXT = st.tuples(INDENT, WORDS).map("".join)
ODD = st.one_of(
    st.sampled_from([" ", "   ", "***", "- - -", "---", "===", "-", "=", "```", "> q"]),
    st.tuples(INDENT, st.sampled_from(["1. ", "2) "]), WORDS).map("".join),
    st.tuples(st.sampled_from(["", "## ", "* ", "- "]), WORDS).map(
        lambda parts: f"{parts[0]}**{parts[1]}**"
    ),
    st.tuples(WORDS, st.sampled_from([" ", "  "])).map("".join),
)
LINES = st.one_of(st.just(""), st.just(""), HEADING, ITEM, ITEM, TEXT, TEXT, ODD)
DOCUMENTS = st.tuples(st.lists(LINES, max_size=12), st.booleans()).map(
    lambda parts: "\n".join(parts[0]) + ("\n" if parts[1] else "")
)


def as_mistune_reads(tokens: list[Token] | None) -> list[Token] | None:
    """The scanner's tokens without its notes, each note checked to be true.

    A text token noted `SPACED_ONCE` must be printable, with single spaces between its
    words and none around them, as its reader then takes it to be.
    """
    if tokens is None:
        return None
    plain: list[Token] = []
    for token in tokens:
        token = dict(token)
        if token.pop(SPACED_ONCE, False):
            raw = token["raw"]
            assert raw.isprintable() and " ".join(raw.split()) == raw, repr(raw)
        if "children" in token:
            token["children"] = as_mistune_reads(token["children"])
        plain.append(token)
    return plain


# An empty word makes a double space inside a line.
PLAIN_TEXT = st.lists(st.sampled_from([*PLAIN_WORDS, ""]), min_size=1, max_size=4).map(" ".join)
PLAIN_LINES = st.one_of(
    st.just(""),
    st.tuples(st.sampled_from(["", " "]), st.sampled_from(["#", "###"]), PLAIN_TEXT).map(
        lambda parts: f"{parts[0]}{parts[1]} {parts[2]}"
    ),
    st.tuples(st.sampled_from(["", " ", "  "]), st.sampled_from("-*"), PLAIN_TEXT).map(
        lambda parts: f"{parts[0]}{parts[1]} {parts[2]}"
    ),
    st.tuples(st.sampled_from(["", " "]), PLAIN_TEXT).map("".join),
    st.sampled_from(["---", "==="]),
)
PLAIN_DOCUMENTS = st.lists(PLAIN_LINES, max_size=10).map("\n".join)


@given(st.one_of(DOCUMENTS, PLAIN_DOCUMENTS))
def test_the_scanner_agrees_with_mistune_or_declines(body: str) -> None:
    tokens = as_mistune_reads(plain_tokens(body))
    if tokens is not None:
        assert tokens == mistune_tokens(body)


def every_post() -> list[Path]:
    return sorted([*DATA.rglob("*.md"), *BUNDLED.glob("*.md")])


@pytest.mark.parametrize("path", every_post(), ids=lambda path: path.name)
def test_every_fixture_reads_the_same_through_the_scanner(path: Path) -> None:
    text = path.read_text(encoding="utf-8", errors="replace")
    tokens = as_mistune_reads(plain_tokens(text))
    if tokens is not None:
        assert tokens == mistune_tokens(text)


def test_the_bundled_posts_and_generated_libraries_are_plain() -> None:
    bodies = [
        path.read_text(encoding="utf-8").split("---\n", 2)[2] for path in BUNDLED.glob("*.md")
    ]
    bodies += [post(number).split("---\n", 2)[2] for number in range(50)]
    for body in bodies:
        assert as_mistune_reads(plain_tokens(body)) == mistune_tokens(body)


def test_spaces_inside_a_line_of_a_plain_post_read_as_one() -> None:
    canvas = read_canvas(
        "# Acme\n\n## Channels\n\nWeb  and   apps\n\n* Stores  abroad\n* Our shop\n", "acme.md"
    )
    assert [section.entries for section in canvas.sections] == [
        (
            Entry("paragraph", "Web and apps"),
            Entry("item", "Stores abroad"),
            Entry("item", "Our shop"),
        )
    ]


def test_markup_is_left_to_mistune() -> None:
    for body in [
        "-  Acme\n  # nested in the item\n",
        "*Customer Segments*\n",
        "**Web** and apps\n",
        "* [link](x)\n",
        "| a | b |\n",
        "```\ncode\n```\n",
    ]:
        assert plain_tokens(body) is None
    canvas = read_canvas("---\ntitle: a\n---\n# A\n\n## Channels\n\n* **Web** and *apps*\n", "a.md")
    assert [section.items for section in canvas.sections] == [("Web and apps",)]


def test_any_whitespace_but_space_and_newline_is_left_to_mistune() -> None:
    # mistune keeps a tab or a no-break space where the scanner's plain text would not say.
    spaces = [chr(code) for code in range(0x3001) if chr(code).isspace() and chr(code) not in " \n"]
    assert "\t" in spaces and "\u00a0" in spaces and "\u3000" in spaces
    for space in spaces:
        for body in (f"Acme{space}data\n", f"* Acme{space}data\n", f"Acme **bold{space}**\n"):
            assert plain_tokens(body) is None, repr(body)


def test_a_hash_without_a_space_after_it_is_text_to_the_scanner_too() -> None:
    body = "## Channels\n\n#1 priority is Instagram.\n#hashtag ads\n\n- #TODO fairs\n#tag\n"
    tokens = as_mistune_reads(plain_tokens(body))
    assert tokens is not None
    assert tokens == mistune_tokens(body)
    kinds = [token["type"] for token in tokens]
    assert kinds == ["heading", "blank_line", "paragraph", "blank_line", "list"]
