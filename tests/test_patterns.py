"""Patterns compiled on first use behave as the compiled patterns they stand for."""

from __future__ import annotations

import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from canvascli.read.patterns import by_first_letter, deferred, first_letters, opening_letters


def test_a_deferred_pattern_answers_as_the_compiled_one() -> None:
    text = "Key Partners: Acme, Globex; key partners"
    source, flags = r"key\s+(?P<what>partners)", re.IGNORECASE
    lazy, compiled = deferred(source, flags), re.compile(source, flags)
    assert lazy.pattern == compiled.pattern
    assert lazy.search(text)[0] == compiled.search(text)[0]  # type: ignore[index]
    assert lazy.match(text).span() == compiled.match(text).span()  # type: ignore[union-attr]
    assert lazy.fullmatch("key partners") is not None
    assert [m.span() for m in lazy.finditer(text)] == [m.span() for m in compiled.finditer(text)]
    assert lazy.findall(text) == compiled.findall(text)
    assert lazy.sub("·", text) == compiled.sub("·", text)
    assert lazy.split(text) == compiled.split(text)
    assert (lazy.flags, lazy.groupindex) == (compiled.flags, compiled.groupindex)


def test_a_deferred_pattern_reports_a_bad_pattern_when_used() -> None:
    lazy = deferred("(unclosed")
    try:
        lazy.search("x")
    except re.error as error:
        assert "missing )" in str(error)
    else:
        raise AssertionError("a bad pattern was used without an error")


# Few letters, so that alternatives share first letters and texts match them.
_WORDS = st.text(alphabet="ab", min_size=1, max_size=2)
_ALTERNATIVES = st.lists(
    st.one_of(
        _WORDS,
        _WORDS.map(lambda word: word + r"\s+b"),
        st.sampled_from(["[éa]b", "(?:ab|b)a", "a?b", "é"]),
    ),
    min_size=1,
    max_size=6,
)


@given(alternatives=_ALTERNATIVES, text=st.text(alphabet="abéABÉ ", max_size=4))
def test_alternatives_by_first_letter_match_lower_case_text_as_the_plain_alternation(
    alternatives: list[str], text: str
) -> None:
    grouped = re.compile(rf"^(?:{by_first_letter(alternatives)})\b")
    plain = re.compile(rf"^(?:{'|'.join(alternatives)})\b", re.IGNORECASE)
    assert (grouped.match(text.lower()) is None) == (plain.match(text) is None)


def test_alternatives_are_grouped_under_their_plain_first_letters_only() -> None:
    assert by_first_letter(["describe", "define", "list", "[ée]num", "a?b", "Acme"]) == (
        "d(?:escribe|efine)|l(?:ist)|[ée]num|a?b|Acme"
    )


@given(alternatives=_ALTERNATIVES, text=st.text(alphabet="abéABÉ ", max_size=5))
def test_a_text_the_alternatives_match_opens_as_one_of_their_openings(
    alternatives: list[str], text: str
) -> None:
    try:
        openings = opening_letters(alternatives, length=2)
    except ValueError:
        return  # an alternative without a plain opening: no test to make
    grouped = re.compile(rf"^(?:{by_first_letter(alternatives)})")
    if grouped.match(text.lower()):
        assert text.lower()[:2] in openings
        assert text[0] in first_letters(openings)


def test_openings_spell_out_classes_and_give_up_on_what_they_cannot_spell() -> None:
    assert opening_letters(["describe", "d[ée]crivez", "gib an"]) == frozenset(
        {"des", "déc", "dec", "gib"}
    )
    for alternatives in (["ab"], [r"a\sb"], ["(?:ab)c"]):
        with pytest.raises(ValueError, match="no plain opening of 3 characters"):
            opening_letters(alternatives)
    assert first_letters(["des", "éc"]) == frozenset("dDéÉ")
