"""Properties of `read_canvas` on generated text: it never raises, repeats itself, round-trips."""

from __future__ import annotations

import difflib
import itertools
import json
import re

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from canvascli.model import (
    ALL_BLOCKS,
    CODES,
    LEAN_LAYOUT,
    AnyBlock,
    Block,
    Canvas,
    Entry,
    LeanBlock,
    Section,
)
from canvascli.read import explainer, labels, names
from canvascli.read.canvas import html_text, read_canvas
from canvascli.read.explainer import explains_the_canvas, is_prompt
from canvascli.read.label_text import bracketed, without_brackets
from canvascli.read.labels import match_label, read_label, read_paraphrase
from canvascli.read.names import is_course_heading, is_generic_word
from canvascli.render.export import to_markdown

MARKDOWN_BITS = st.sampled_from(
    [
        "---\n",
        "...\n",
        "\ufeff",
        "\r\n",
        "\r",
        "\n\n",
        "# ",
        "## ",
        "###",
        "- ",
        "  - ",
        "1. ",
        "> ",
        "    ",
        "```\n",
        "***\n",
        "===\n",
        "| a | b |\n|---|---|\n| 1 | 2 |\n",
        "title: x\n",
        "title: [x\n",
        "- a\n- b\n",
        "published: false\n",
        "date: 2016-13-45\n",
        "x: .nan\n",
        "[/x]",
        "[bold red]",
        "[link=file:///etc/passwd]",
        "\x1b[2J",
        "\x1b]8;;http://x\x07",
        "\x00",
        "\x07",
        "\x08",
        "\x9b",
        "\u202e",
        "Customer Segments",
        "Key Partners\n",
        "Channels:",
        "Business Model of ",
        "<div>",
        "<!--",
        "&amp;",
        "\\",
        "`",
        "**",
        "_",
        "[a](",
        "![",
    ]
)
POST_LIKE = st.lists(st.one_of(MARKDOWN_BITS, st.text(max_size=20)), max_size=40).map("".join)
FRONT_MATTER_LIKE = st.builds(
    lambda yaml_text, body: f"---\n{yaml_text}\n---\n{body}", st.text(max_size=60), POST_LIKE
)
CONTROLS = st.text(st.characters(max_codepoint=0x9F), max_size=80)
ANY_TEXT = st.one_of(st.text(), POST_LIKE, FRONT_MATTER_LIKE, CONTROLS)


@given(ANY_TEXT)
def test_parse_canvas_never_raises_and_reports_only_diagnostics(text: str) -> None:
    canvas = read_canvas(text, "posts/generated.md")
    assert isinstance(canvas, Canvas)
    assert canvas.slug == "generated"
    assert canvas.name.strip()
    for diagnostic in canvas.diagnostics:
        assert diagnostic.code in CODES
        assert diagnostic.severity == CODES[diagnostic.code][0]
        assert diagnostic.line >= 1 and diagnostic.message
    for section in canvas.sections:
        assert section.line >= 1
    json.dumps(canvas.to_dict(), allow_nan=False)


@given(ANY_TEXT)
def test_parse_canvas_is_deterministic(text: str) -> None:
    assert read_canvas(text, "generated.md") == read_canvas(text, "generated.md")


# Words that Markdown leaves alone: letters and digits of any script, and safe punctuation.
WORD = st.text(
    st.characters(categories=["L", "N"]) | st.sampled_from("',;!?"), min_size=1, max_size=8
).filter(lambda word: word[0].isalpha())
TEXT = st.lists(WORD, min_size=1, max_size=6).map(" ".join)


def unmapped(heading: str) -> bool:
    return match_label(heading) is None


# Text that names no block: a line such as 成本结构 alone is read as a block's label.
PLAIN_TEXT = TEXT.filter(unmapped)


def lookalike_lines(names: list[str]) -> st.SearchStrategy[str]:
    """Lines that look like Markdown structure or like a label of one of `names`: a table
    of contents without its links, `Label: text`, a heading in a code example, rules,
    comments, numbered steps and table rows."""
    name = st.sampled_from(names)
    return st.one_of(
        name,
        st.builds("{}: {}".format, name, TEXT),
        st.builds("{} - {}".format, name, TEXT),
        name.map("## {}".format),
        st.sampled_from(["---", "***", "___", "- - -", "<!-- draft -->", "<!--", "-->", "```"]),
        st.builds("{}. {}".format, st.integers(1, 12), TEXT),
        st.builds("| {} | {} |".format, name, TEXT),
        st.just("|---|---|"),
    )


@st.composite
def entries(draw: st.DrawFn, names: list[str]) -> tuple[Entry, ...]:
    """Paragraphs and lists, each list item at most one level deeper than the one before.

    Lines are plain words or look like labels of `names`; a paragraph of several lines (as
    a code block gives) may also draw the canvas by naming its blocks one per line.
    """
    line = st.one_of(TEXT, lookalike_lines(names))
    code = st.one_of(
        st.lists(line, min_size=2, max_size=5).map("\n".join),
        st.lists(st.sampled_from(names).map("## {}".format), min_size=3).map("\n".join),
    )
    result: list[Entry] = []
    for kind in draw(st.lists(st.sampled_from(["paragraph", "item"]), max_size=6)):
        if kind == "paragraph":
            result.append(Entry("paragraph", draw(st.one_of(line, code)), 0))
            continue
        previous = result[-1].depth if result and result[-1].kind == "item" else -1
        depth = draw(st.integers(min_value=0, max_value=previous + 1))
        result.append(Entry("item", draw(line), depth))
    return tuple(result)


def is_clearly_a_canvas(blocks: list[AnyBlock]) -> bool:
    """The reader's test before it takes "Problem" or "Solution" alone as a block: three
    blocks named, two by unambiguous names, or five, one unambiguously."""
    unambiguous = [block for block in blocks if not _is_ambiguous(block)]
    return (len(blocks) >= 3 and len(unambiguous) >= 2) or (
        len(blocks) >= 5 and len(unambiguous) >= 1
    )


def _is_ambiguous(block: AnyBlock) -> bool:
    found = read_label(block.title)
    return found is None or found.ambiguous


def readable_blocks(blocks: list[AnyBlock], kind: tuple[AnyBlock, ...]) -> list[AnyBlock]:
    """`blocks`, plus as few unambiguous blocks of the kind as make the document clearly a
    canvas, as any canvas the reader gives is, where it holds an ambiguous name or only
    Lean Canvas blocks (`## Unfair Advantage` alone heads a note's section)."""
    result = list(blocks)
    only_lean = all(isinstance(block, LeanBlock) for block in result)
    if not only_lean and not any(_is_ambiguous(block) for block in result):
        return result
    for block in kind:
        if is_clearly_a_canvas(result):
            break
        if block not in result and not _is_ambiguous(block):
            result.append(block)
    return result


@st.composite
def canvases(draw: st.DrawFn) -> Canvas:
    # A reader drops punctuation around a name, so a name ends in a letter or digit.
    name = draw(TEXT.filter(lambda text: text[-1].isalnum()))
    assume(unmapped(f"Business Model of {name}"))
    # A course code ("CS101") names a course, and a word such as "Draft" no company.
    assume(not is_course_heading(name) and not is_generic_word(name))
    # A Business Model Canvas, a Lean Canvas, or one with blocks of both kinds.
    kind = draw(st.sampled_from([tuple(Block), LEAN_LAYOUT, ALL_BLOCKS]))
    blocks = readable_blocks(
        draw(st.lists(st.sampled_from(kind), unique=True, min_size=1, max_size=len(kind))), kind
    )
    headings: list[tuple[str, AnyBlock | None]] = [(block.title, block) for block in blocks]
    # A heading in plain words for a block the canvas lacks ("Asset") is read as that block.
    extra_heading = PLAIN_TEXT.filter(lambda text: read_paraphrase(text) is None)
    for extra in draw(st.lists(extra_heading, max_size=2)):
        headings.insert(draw(st.integers(0, len(headings))), (extra, None))
    # Entries name the canvas's own blocks, and those of the other kind too.
    names = [block.title for block in blocks] + [block.title for block in ALL_BLOCKS]
    # An introduction: text before the first heading, which has none of its own.
    introduction = draw(st.one_of(st.just(()), entries(names).filter(bool)))
    sections = tuple(
        Section(heading, block, 2, 1, draw(entries(names)), "") for heading, block in headings
    )
    if introduction:
        sections = (Section("", None, 1, 1, introduction, ""), *sections)
    return Canvas("roundtrip", name, "roundtrip.md", {"layout": "post", "title": name}, sections)


def essence(canvas: Canvas) -> tuple[object, ...]:
    """What a canvas says, without where it said it (lines, source Markdown, section order).

    The exporter writes the blocks of either kind in canvas order, then the extra sections.
    """
    return (
        canvas.name,
        canvas.kind,
        canvas.metadata,
        [(block, section.entries) for block, section in canvas.all_blocks.items()],
        [(section.heading, section.entries) for section in canvas.extras],
    )


@given(canvases())
def test_markdown_written_from_a_canvas_reads_back_as_the_same_canvas(canvas: Canvas) -> None:
    # Blocks that mostly ask questions or give instructions explain the canvas in general:
    # such a text is never read as a company's canvas, so it has none to give back.
    assume(not explains_the_canvas(canvas.name, canvas.sections))
    # Nor does the reader give a canvas whose blocks open with a template's prompts above
    # their answers: it leaves such prompts out.
    prompted = [
        section
        for section in canvas.sections
        if section.block is not None and section.entries and is_prompt(section.entries[0].text)
    ]
    assume(len(prompted) < 2)
    markdown = to_markdown(canvas)
    parsed = read_canvas(markdown, "roundtrip.md")
    assert essence(parsed) == essence(canvas), markdown
    assert to_markdown(parsed) == markdown


@given(canvases())
def test_a_canvas_survives_the_index_record_unchanged(canvas: Canvas) -> None:
    parsed = read_canvas(to_markdown(canvas), "roundtrip.md")
    record = json.loads(json.dumps(parsed.to_record(), ensure_ascii=False))
    assert Canvas.from_record(record) == parsed


COURSE_BITS = st.sampled_from(
    [
        "week",
        "Week",
        "LAB",
        "lesson",
        "les",
        "modulo",
        "módulo",
        "Final",
        "project",
        "PAPER",
        "ENT",
        "Acme",
        "Sales",
        "version",
        "ii",
        "a",
        "3",
        "2.1",
        "210",
        "#",
        " ",
        "  ",
        "\t",
        ":",
        "-",
        "—",
        "(",
        ")",
        "|",
        ".",
        "_",
        "第",
        "章",
        "주차",
        "İ",
        "ſ",
        "\u212a",
    ]
)


@given(st.lists(COURSE_BITS, max_size=8).map("".join))
def test_course_headings_are_found_as_the_whole_pattern_finds_them(title: str) -> None:
    whole_pattern = re.compile(names._COURSE_HEADING, re.IGNORECASE)
    assert is_course_heading(title) == bool(whole_pattern.search(title))


ASCII = st.text(st.characters(max_codepoint=127), max_size=12)
CANVAS_PHRASE = re.compile(names._CANVAS, re.IGNORECASE)


@given(
    ASCII,
    st.from_regex(CANVAS_PHRASE, fullmatch=True, alphabet=st.characters(max_codepoint=127)),
    ASCII,
)
def test_an_ascii_title_holding_a_canvas_phrase_is_never_ruled_out(
    before: str, phrase: str, after: str
) -> None:
    assert names.may_hold_a_canvas_phrase(before + phrase + after)


@pytest.mark.parametrize(
    "title",
    [
        "Business Model of Acme",
        "ACME BUSINESSMODEL",
        "Lean Canvas: Acme",
        "Acme (BMC)",
        "Canvas del modelo de negocios de Acme",
        "Modelo de Negocio - Acme",
        "Acme modelo canvas",
        "Lienzo de Acme",
        "Modele economique d'Acme",
        "Modele d'affaires",
        "Acme Geschaftsmodell-Canvas",
        "Modello di business di Acme",
        "Verdienmodel Acme",
    ],
)
def test_every_kind_of_ascii_canvas_phrase_is_never_ruled_out(title: str) -> None:
    assert CANVAS_PHRASE.search(title)
    assert names.may_hold_a_canvas_phrase(title)


@given(
    st.lists(
        COURSE_BITS | st.sampled_from(["Canvas", "Lienzo", "Modelo", "BMC", "Lean"]), max_size=6
    ).map("".join)
)
def test_a_title_is_ruled_out_only_when_the_pattern_finds_no_canvas_phrase(title: str) -> None:
    if CANVAS_PHRASE.search(title):
        assert names.may_hold_a_canvas_phrase(title)


BRACKET_TEXT = st.text(st.sampled_from("([)]a b\n\t\u3000"), max_size=16)


@given(BRACKET_TEXT)
def test_brackets_are_found_and_left_out_as_the_patterns_would(text: str) -> None:
    assert bracketed(text) == re.findall(r"[(\[](.*?)[)\]]", text)
    assert without_brackets(text) == re.sub(r"\s*[(\[].*?[)\]]\s*", " ", text)


HTML_TEXT = st.lists(
    st.sampled_from(["<", ">", "!", "-", "<!--", "-->", "a", " ", "\n"]), max_size=12
)


@given(HTML_TEXT.map("".join))
def test_an_html_block_loses_comments_and_tags_as_the_patterns_would(raw: str) -> None:
    without_comments = re.sub(r"<!--.*?-->", "", raw, flags=re.DOTALL)
    assert html_text(raw) == re.sub(r"<[^>]*>", " ", without_comments)


def _typos_of_names() -> st.SearchStrategy[str]:
    names = sorted(labels._table(()))
    edits = st.lists(
        st.tuples(st.integers(0, 40), st.sampled_from(["", "x", "e", " ", "s", "ü", "6", "é"])),
        max_size=3,
    )

    def typed(name: str, changes: list[tuple[int, str]]) -> str:
        for at, character in changes:
            at %= len(name) + 1
            name = name[:at] + character + name[at + 1 :]
        return name

    return st.builds(typed, st.sampled_from(names), edits)


@given(st.one_of(_typos_of_names(), st.text(alphabet="abcdeilmnorstuy 0123", max_size=40)))
def test_near_misses_are_found_among_all_names_of_their_length(text: str) -> None:
    """Leaving out the names a text shares too few characters with never changes the
    closest name difflib finds."""
    assume(text)
    near = labels._names_near_in_length(len(text), labels._script(text), ())
    everyone = [name for name, _ in near]
    kept = labels._within_reach(text, near)
    cutoff = labels._TYPO_CUTOFF
    assert difflib.get_close_matches(text, kept, n=1, cutoff=cutoff) == (
        difflib.get_close_matches(text, everyone, n=1, cutoff=cutoff)
    )


GENERAL_SUBJECT_WORDS = (
    "a ",
    "an ",
    "A ",
    "The ",
    "the ",
    "in ",
    "Of ",
    "for ",
    "By ",
    "your ",
    "YOUR ",
    "business",
    "Company",
    "startup",
    "firm",
    "organisation",
    "ORGANIZATION",
    "enterprise",
    "idea",
    "customers",
    "product",
    "model",
    "value proposition",
    "buſineſs",
    "\u212aey",
    "İ",
    "x",
    ".",
)


def test_a_general_subject_is_found_as_the_whole_pattern_finds_it() -> None:
    """The quick look for a general subject ("your business", "a company") finds what the
    case-blind pattern finds: every run of three words is tried."""
    for words in itertools.product(GENERAL_SUBJECT_WORDS, repeat=3):
        text = "".join(words)
        assert explainer._speaks_generally(text) == bool(explainer._GENERIC_SUBJECT.search(text))
