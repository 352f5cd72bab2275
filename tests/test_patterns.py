"""Patterns compiled on first use behave as the compiled patterns they stand for."""

from __future__ import annotations

import re

from canvascli.read.patterns import deferred


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
