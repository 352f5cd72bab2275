"""Tests of how untrusted text is made safe to print and to write as JSON."""

from __future__ import annotations

import json
import os

import pytest

from canvascli.render.safe_text import clean, clean_line, dumps_json

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
