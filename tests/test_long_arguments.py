"""Very long arguments: every error that echoes one stays one readable line."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from canvascli.errors import ECHO_LIMIT, WORD_LIMIT, quoted, short_words, shown
from tests.conftest import POSTS
from tests.helpers import Run

# Long enough to fill a screen; long words and long sentences alike.
WORD = "x" * 30_000
WORDS = " ".join(["zzqx"] * 6_000)
# The longest line an error may take: the message, the start and end of the argument and
# the library's path, never the argument whole.
LONGEST_LINE = 400

# Each call is a command with `{}` where the long argument goes; each fails.
CALLS = [
    ("show", "{}"),
    ("show", "memsql", "{}"),
    ("show", "{}@HEAD"),
    ("show", "memsql@{}"),
    ("compare", "{}", "memsql"),
    ("compare", "memsql", "memsql", "-s", "{}"),
    ("similar", "{}"),
    ("search", "{}"),
    ("search", "retail", "--company", "{}"),
    ("search", "retail", "-s", "{}"),
    ("export", "{}"),
    ("export", "--format", "{}"),
    ("log", "{}"),
    ("list", "--sort", "{}"),
    ("list", "--kind", "{}"),
    ("list", "--has", "{}"),
    ("list", "--limit", "{}"),
    ("list", "--{}"),
    ("list", "--posts", "/nowhere/{}"),
    ("check", "--ignore", "{}"),
    ("check", "--explain", "{}"),
    ("{}",),
    ("stats", "--top", "{}"),
]


def long_calls() -> list[object]:
    """Every call with one long word, and those that may take words with a long sentence
    (an option's name or a command has no spaces)."""
    return [
        pytest.param(call, argument, id=f"{' '.join(call)}-{kind}")
        for call in CALLS
        for kind, argument in (("word", WORD), ("words", WORDS))
        if kind == "word" or not (call[0] in {"{}", "list"} and "--sort" not in call)
    ]


@pytest.mark.parametrize(("call", "argument"), long_calls())
def test_an_error_echoing_a_very_long_argument_stays_readable(
    run: Run, call: tuple[str, ...], argument: str
) -> None:
    arguments = [part.replace("{}", argument) for part in call]
    result = run(*arguments, env={"CANVASCLI_POSTS": str(POSTS)})
    assert result.exit_code in {1, 2}, result.output
    assert result.stdout == ""
    assert result.exception is None
    lines = result.stderr.splitlines()
    assert lines, "no error at all"
    assert all(len(line) <= LONGEST_LINE for line in lines), result.stderr[:2000]
    assert len(result.stderr) < 2_000, result.stderr[:2000]
    assert "…" in result.stderr
    assert "internal error" not in result.stderr


@pytest.mark.parametrize("command", ["check", "fmt"])
def test_a_path_too_long_for_the_system_is_reported_not_an_internal_error(
    run: Run, tmp_path: Path, command: str
) -> None:
    shutil.copy(POSTS / "memsql.md", tmp_path)
    too_long = tmp_path / ("y" * 300)
    result = run(command, str(too_long), str(tmp_path / "memsql.md"))
    assert result.exit_code == 1
    assert "internal error" not in result.output
    assert "File name too long" in result.output


@pytest.mark.parametrize(
    "arguments",
    [
        ("site", "-o", "{}"),
        ("export", "--format", "markdown", "-o", "{}/"),
        ("export", "--format", "markdown", "-o", "{}"),
        ("export", "-o", "{}/all.json"),
    ],
    ids=" ".join,
)
def test_an_output_path_too_long_for_the_system_is_one_line(
    run: Run, tmp_path: Path, arguments: tuple[str, ...]
) -> None:
    too_long = str(tmp_path / ("y" * 300))
    result = run(
        *(part.replace("{}", too_long) for part in arguments),
        env={"CANVASCLI_POSTS": str(POSTS)},
    )
    assert result.exit_code == 1, result.output
    assert result.stderr.count("\n") == 1
    assert result.stderr.endswith("File name too long\n"), result.stderr
    assert "internal error" not in result.stderr
    assert len(result.stderr) <= LONGEST_LINE


def test_shown_keeps_the_start_and_the_end_around_an_ellipsis() -> None:
    assert shown("short") == "short"
    assert shown("a" * ECHO_LIMIT) == "a" * ECHO_LIMIT
    long = "".join(chr(ord("a") + number % 26) for number in range(1000))
    cut = shown(long)
    assert len(cut) == ECHO_LIMIT and "…" in cut
    head, tail = cut.split("…")
    assert long.startswith(head) and long.endswith(tail) and len(head) > len(tail)
    assert quoted(long) == f"'{cut}'"
    assert short_words(f"before {long} after", WORD_LIMIT) == f"before {shown(long, 200)} after"
    assert short_words("a short message") == "a short message"
