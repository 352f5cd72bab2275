"""The installed `canvas` run in a hostile environment: odd locales, variables, machines."""

from __future__ import annotations

import json

import pytest

from tests.conftest import POSTS
from tests.helpers import Process

NOT_UTF8 = {
    "ascii": {"PYTHONIOENCODING": "ascii"},
    "latin-1": {"PYTHONIOENCODING": "latin-1"},
    # A C locale without the coercion and UTF-8 mode Python gives it by default.
    "C": {"LC_ALL": "C", "PYTHONCOERCECLOCALE": "0", "PYTHONUTF8": "0"},
}


@pytest.mark.parametrize("encoding", NOT_UTF8)
def test_output_in_an_encoding_short_of_the_posts_text_is_escaped_not_a_crash(
    canvas_process: Process, encoding: str
) -> None:
    env = {"CANVASCLI_POSTS": str(POSTS), **NOT_UTF8[encoding]}
    shown = canvas_process("show", "memsql", "customer-segments", env=env)
    assert (shown.returncode, shown.stderr) == (0, "")
    # memsql's text has a curly apostrophe (U+2019), which none of these encodings has.
    assert "\\u2019s" in shown.stdout and shown.stdout.isascii()
    as_json = canvas_process("show", "memsql", "--json", env=env)
    assert (as_json.returncode, as_json.stderr) == (0, "")
    assert as_json.stdout.isascii()
    utf8 = canvas_process("show", "memsql", "--json", env={"CANVASCLI_POSTS": str(POSTS)})
    assert json.loads(as_json.stdout) == json.loads(utf8.stdout)


def test_characters_beyond_the_basic_plane_are_escaped_as_json_escapes_them(
    canvas_process: Process, tmp_path: pytest.TempPathFactory
) -> None:
    from pathlib import Path

    folder = Path(str(tmp_path)) / "posts"
    folder.mkdir()
    (folder / "rocket.md").write_text(
        "---\ntitle: Rocket 🚀 Co\n---\n# Channels\n* launches 🚀\n", encoding="utf-8"
    )
    env = {"CANVASCLI_POSTS": str(folder), **NOT_UTF8["ascii"]}
    listed = canvas_process("list", "--json", env=env)
    assert listed.returncode == 0, listed.stderr
    assert json.loads(listed.stdout)[0]["name"] == "Rocket 🚀 Co"
    assert "Rocket \\ud83d\\ude80 Co" in canvas_process("list", env=env).stdout


@pytest.mark.parametrize("given", ["abc", "0", "-1", "1e6", "2MiB"])
@pytest.mark.parametrize("command", [("list",), ("check",), ("show", "memsql"), ("fmt", "--check")])
def test_a_size_limit_that_is_no_number_of_bytes_is_refused_not_ignored(
    canvas_process: Process, given: str, command: tuple[str, ...]
) -> None:
    env = {"CANVASCLI_POSTS": str(POSTS), "CANVASCLI_MAX_BYTES": given}
    if command[0] == "fmt":
        command = (*command, str(POSTS))
    result = canvas_process(*command, env=env)
    assert (result.returncode, result.stdout) == (2, "")
    assert result.stderr == (
        f"canvas: $CANVASCLI_MAX_BYTES must be a number of bytes, 1 or more, not '{given}'\n"
    )
