"""Tests of how untrusted text is made safe to print and to write as JSON."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from canvascli.render.safe_text import clean, clean_line, dumps_json
from tests.helpers import Run, ok

# A file name whose bytes are not UTF-8 reaches Python with lone surrogates in it (PEP 383).
UNDECODABLE = os.fsdecode(b"caf\xe9 \x9b2J.md")


@pytest.mark.parametrize(
    ("text", "shown"),
    [
        ("clear \x1b[2J screen", "clear ␛[2J screen"),
        ("bell\x07 back\x08 return\r", "bell␇ back␈ return␍"),
        ("c1 \x9b2J csi", "c1 \\u009b2J csi"),
        ("right-to-left \u202e override", "right-to-left \\u202e override"),
        ("delete\x7f", "delete\\u007f"),
    ],
)
def test_control_characters_become_visible_symbols(text: str, shown: str) -> None:
    assert clean(text) == shown
    assert clean_line(text) == shown


def test_clean_keeps_newlines_and_tabs_and_clean_line_flattens_them() -> None:
    assert clean("a\n\tb") == "a\n\tb"
    assert clean_line("a\n\tb") == "a  b"


def test_undecodable_bytes_of_a_file_name_are_shown_as_escapes() -> None:
    assert clean_line(UNDECODABLE) == "caf\\xe9 \\x9b2J.md"
    assert clean(UNDECODABLE).encode("utf-8")  # nothing left that cannot be written
    assert clean("lone \ud800 surrogate") == "lone \\ud800 surrogate"


def test_json_escapes_lone_surrogates_and_reads_back_the_same() -> None:
    data = {"source": UNDECODABLE, "text": "\x1b[2J \x9b"}
    for pretty in (True, False):
        text = dumps_json(data, pretty=pretty)
        text.encode("utf-8")  # strict: a lone surrogate would raise here
        assert "\x1b" not in text and "\x9b" not in text
        assert json.loads(text) == data


# Every character that reorders text as a terminal shows it (embeddings, overrides and
# isolates, each with its closing pop), and DEL.
BIDI_CONTROLS = [chr(code) for code in (*range(0x202A, 0x202F), *range(0x2066, 0x206A))]


@pytest.mark.parametrize("character", [*BIDI_CONTROLS, "\x7f"], ids=lambda c: f"U+{ord(c):04X}")
def test_no_post_text_reorders_or_deletes_what_the_terminal_or_a_json_reader_shows(
    run: Run, tmp_path: Path, character: str
) -> None:
    # An ASCII title but for the one character: JSON of plain ASCII is written as it is.
    post = f"# Business Model of Acme{character}Co\n\n## Channels\n\n- web{character}shop\n"
    (tmp_path / "acme.md").write_text(post, encoding="utf-8")
    escape = f"\\u{ord(character):04x}"
    for args in (("list",), ("list", "--json"), ("show", "acme"), ("show", "acme", "--json")):
        result = ok(run(*args, "--posts", str(tmp_path)))
        assert character not in result.output, args
        assert f"Acme{escape}Co" in result.stdout, args
