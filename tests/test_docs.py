"""The README and docs/ stay true: examples run, every command, option and code is documented."""

from __future__ import annotations

import re
import shlex
import shutil
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol

import pytest
from typer.core import TyperGroup
from typer.main import get_command

from benchmarks.generate import generate_library
from canvascli.cli import app
from canvascli.model import CODE_EXPLANATIONS, CODES
from tests.conftest import POSTS, REPO
from tests.helpers import GitRepository

PAGES = [REPO / "README.md", *sorted((REPO / "docs").glob("*.md"))]
LINKED_PAGES = [*PAGES, REPO / "CONTRIBUTING.md", REPO / "CHANGELOG.md"]
COMMANDS_PAGE = REPO / "docs" / "commands.md"
CHECK_PAGE = REPO / "docs" / "check.md"
FIXTURES = REPO / "tests" / "data" / "posts"
WILD = REPO / "tests" / "data" / "wild"
FENCE = re.compile(r"^\s*(```|~~~)")
LIBRARY_MARK = re.compile(r"^<!-- library: ([\w-]+) -->$")
FINDING = re.compile(r"^\S+:\d+:\d+: CV\d{3} ")
SHELL_REDIRECTION = re.compile(r"^\d?>")
SGR = re.compile(r"\x1b\[[0-9;]*m")
RUNNABLE = re.compile(r"^(\w+=\S*\s+)*canvas\b|^ls \S+$")


class Outcome(Protocol):
    exit_code: int
    stdout: str
    stderr: str
    output: str


Run = Callable[..., Outcome]


@dataclass
class Command:
    """One `$ canvas ...` line of an example, with what the page shows after it."""

    text: str
    output: list[str] = field(default_factory=list)
    exit_code: int = 0


@dataclass
class Example:
    """One console block of a page: its commands and the library it is run against."""

    page: Path
    line: int
    library: str | None
    commands: list[Command]

    @property
    def name(self) -> str:
        return f"{self.page.relative_to(REPO)}:{self.line}"


def outside_code(page: Path) -> Iterator[tuple[int, str]]:
    """The lines of a page that are not inside a fenced code block, with their numbers."""
    inside = False
    for number, line in enumerate(page.read_text(encoding="utf-8").splitlines(), 1):
        if FENCE.match(line):
            inside = not inside
            continue
        if not inside:
            yield number, line


def console_examples(page: Path) -> list[Example]:
    """Every ```console block of a page, split into its commands and their output."""
    examples: list[Example] = []
    lines = page.read_text(encoding="utf-8").splitlines()
    number = 0
    while number < len(lines):
        if lines[number].strip() != "```console":
            number += 1
            continue
        mark = LIBRARY_MARK.match(lines[number - 1]) if number else None
        example = Example(page, number + 1, mark.group(1) if mark else None, [])
        number += 1
        shown: list[Command] = []
        while not FENCE.match(lines[number]):
            line = lines[number]
            if line == "$ echo $?":
                number += 1
                shown[-1].exit_code = int(lines[number])
            elif line.startswith("$ "):
                shown.append(Command(line[2:]))
            elif shown:
                shown[-1].output.append(line)
            number += 1
        example.commands = [command for command in shown if RUNNABLE.match(command.text)]
        examples.append(example)
    return examples


EXAMPLES = [example for page in PAGES for example in console_examples(page)]
README_EXAMPLES = [example for example in EXAMPLES if example.page.name == "README.md"]


def canvas_arguments(command: str) -> tuple[dict[str, str], list[str]]:
    """The environment and the arguments of a shell line `[NAME=VALUE]... canvas ARGS [| ...]`."""
    words = shlex.split(command)
    env: dict[str, str] = {}
    while "=" in words[0]:
        name, value = words.pop(0).split("=", 1)
        env[name] = value
    assert words.pop(0) == "canvas", command
    arguments: list[str] = []
    for word in words:
        if word == "|":
            break
        if not SHELL_REDIRECTION.match(word):
            arguments.append(word)
    return env, arguments


# A Jekyll `_posts/` with one post for each kind of finding `canvas check` reports.
SITE = {
    "2016-06-01-bramblecode.md": FIXTURES / "broken_yaml_front_matter.md",
    "2016-06-02-pinecrest.md": FIXTURES / "missing_cost_structure.md",
    "2016-06-03-driftwood.md": FIXTURES / "unknown_heading_extra.md",
    "2016-06-04-stillwater.md": FIXTURES / "unpublished.md",
    "2016-06-05-memsql.md": FIXTURES / "duplicate_channels.md",
    "memsql.md": POSTS / "memsql.md",
}


def copy_library(folder: Path, posts: dict[str, Path]) -> None:
    folder.mkdir()
    for name, source in posts.items():
        shutil.copy(source, folder / name)


def build_generated(folder: Path) -> None:
    """A site of 40 generated companies, seven of them without Channels."""
    for path in generate_library(folder / "_posts", 40)[::6]:
        text = path.read_text(encoding="utf-8")
        channels = re.search(r"^###[^\n]*Channels.*?(?=^###)", text, re.MULTILINE | re.DOTALL)
        assert channels, path
        path.write_text(text[: channels.start()] + text[channels.end() :], encoding="utf-8")


def build_history(folder: Path) -> None:
    """A site in git: the two samples added, a partner of memsql dropped, its post renamed."""
    repository = GitRepository(folder)
    for post in ("memsql.md", "violin-memory.md"):
        shutil.copy(POSTS / post, repository.posts / post)
    repository.commit("Add memsql and violin-memory", "2024-01-01T12:00:00")
    memsql = repository.posts / "memsql.md"
    memsql.write_text(
        memsql.read_text(encoding="utf-8").replace("* Mesosphere\n", ""), encoding="utf-8"
    )
    repository.commit("Mesosphere is no longer a partner", "2024-02-01T12:00:00")
    repository.git("mv", "_posts/memsql.md", "_posts/2016-05-12-memsql.md")
    repository.commit("Date the memsql post", "2024-03-01T12:00:00")


LIBRARIES: dict[str, Callable[[Path], None]] = {
    "site": lambda folder: copy_library(folder / "_posts", SITE),
    "generated": build_generated,
    "history": build_history,
}


def build_configured(folder: Path) -> None:
    """The site, with the `canvas.toml` that docs/config.md shows."""
    copy_library(folder / "_posts", SITE)
    (folder / "canvas.toml").write_text(
        'sort = "date"\nignore = ["CV302"]\n\n'
        '[synonyms]\n"Wen wir bedienen" = "customer-segments"\n',
        encoding="utf-8",
    )


LIBRARIES["configured"] = build_configured


def copy_repo_paths(arguments: list[str], folder: Path) -> None:
    """Folders and files of the repo an example names (`--posts tests/data/hostile`), copied
    beside it."""
    for argument in arguments:
        source = (REPO / argument).resolve()
        inside = argument and source.is_relative_to(REPO) and source != REPO
        if not inside or (folder / argument).exists():
            continue
        if source.is_dir():
            shutil.copytree(source, folder / argument)
        elif source.is_file():
            (folder / argument).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy(source, folder / argument)


def shown_line_pattern(line: str) -> re.Pattern[str]:
    """A documented line, where `…` stands for a part that differs from machine to machine."""
    return re.compile(".*".join(re.escape(part) for part in line.split("…")))


def test_the_pages_have_examples() -> None:
    pages = {example.page.name for example in EXAMPLES}
    assert {"README.md", "commands.md", "check.md", "reading.md", "safety.md"} <= pages
    assert len(EXAMPLES) >= 30


@pytest.mark.parametrize("example", EXAMPLES, ids=[example.name for example in EXAMPLES])
def test_every_example_runs_as_documented(
    example: Example, run: Run, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    if example.library:
        LIBRARIES[example.library](tmp_path)
    for command in example.commands:
        if command.text.startswith("ls "):
            listed = sorted(path.name for path in (tmp_path / command.text[3:]).iterdir())
            assert listed == " ".join(command.output).split(), example.name
            continue
        env, arguments = canvas_arguments(command.text)
        copy_repo_paths(arguments, tmp_path)
        result = run(*arguments, env=env)
        where = f"{example.name}: $ {command.text}\n{result.stdout}{result.stderr}"
        assert result.exit_code == command.exit_code, where
        printed = (result.stdout + result.stderr).splitlines()
        for line in command.output:
            if line.startswith("canvas: ") or FINDING.match(line):
                pattern = shown_line_pattern(line)
                assert any(pattern.fullmatch(actual) for actual in printed), f"{line!r}\n{where}"


def test_readme_examples_need_nothing_but_the_repository() -> None:
    """A reader who has just installed runs them from the clone, with no library of their own."""
    assert len(README_EXAMPLES) >= 9
    for example in README_EXAMPLES:
        assert example.library is None, f"{example.name} needs a library the repo does not ship"
        for command in example.commands:
            _env, arguments = canvas_arguments(command.text)
            for argument in arguments:
                if "/" in argument and not argument.startswith("-"):
                    assert (REPO / argument).exists(), f"{example.name}: no {argument} in the repo"


@pytest.mark.parametrize(
    "example", README_EXAMPLES, ids=[example.name for example in README_EXAMPLES]
)
def test_readme_examples_print_what_they_show(
    example: Example, run: Run, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Each line the README shows is printed, as a terminal as wide as the example (80
    columns at least) draws it, or a pipe gets it; `...` stands for lines left out, `…`
    inside a line for what differs between machines."""
    monkeypatch.chdir(tmp_path)
    for command in example.commands:
        env, arguments = canvas_arguments(command.text)
        copy_repo_paths(arguments, tmp_path)
        shown_width = max((len(line) for line in command.output), default=0)
        columns = str(max(80, shown_width))
        piped = "|" in shlex.split(command.text)
        result = run(*arguments, terminal=not piped, env={"COLUMNS": columns, **env})
        # A terminal draws no byte-order mark, so neither does the page.
        output = SGR.sub("", result.stdout + result.stderr).replace("\ufeff", "")
        printed = [line.rstrip() for line in output.splitlines()]
        for line in command.output:
            if line.strip() in ("...", ""):
                continue
            pattern = shown_line_pattern(line.rstrip())
            assert any(pattern.fullmatch(actual) for actual in printed), (
                f"{example.name}: $ {command.text}\nshows {line!r}\nprints:\n" + "\n".join(printed)
            )


def documented_sections(page: Path) -> dict[str, str]:
    """Each `## ` section of a page by its heading, with the text under it."""
    sections: dict[str, str] = {}
    heading = ""
    for _number, line in outside_code(page):
        if line.startswith("## "):
            heading = line[3:]
            sections[heading] = ""
        elif heading:
            sections[heading] += line + "\n"
    return sections


def every_command() -> Iterator[tuple[str, list[str], bool]]:
    """Each command as typed after `canvas` ("" before any), its options, whether a group."""
    pending: list[tuple[str, object]] = [("", get_command(app))]
    while pending:
        name, command = pending.pop(0)
        params = getattr(command, "params", [])
        options = [
            option
            for param in params
            if getattr(param, "param_type_name", "") == "option"
            for option in (*param.opts, *param.secondary_opts)
        ]
        is_group = isinstance(command, TyperGroup)
        yield name, options, is_group
        if isinstance(command, TyperGroup):
            pending.extend(
                (f"{name} {sub}".strip(), command.commands[sub]) for sub in sorted(command.commands)
            )


def test_every_command_and_option_is_documented() -> None:
    sections = documented_sections(COMMANDS_PAGE)
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    commands = list(every_command())
    assert {"list", "show", "compare", "check", "cache info"} <= {name for name, *_ in commands}
    for name, options, is_group in commands:
        if name and is_group and not options:
            continue  # a group of commands, each documented on its own
        heading = "Global options" if not name else None
        found = [
            text
            for title, text in sections.items()
            if title == heading or re.match(rf"`canvas {re.escape(name)}[ `]", title)
        ]
        assert found, f"docs/commands.md has no section for 'canvas {name}'"
        for option in options:
            assert re.search(rf"`{re.escape(option)}[` ]", found[0]), (name, option)
        if name:
            assert f"canvas {name}" in readme, f"the README's tour does not show 'canvas {name}'"


def test_every_check_code_is_documented_as_list_codes_and_explain_give_it() -> None:
    text = CHECK_PAGE.read_text(encoding="utf-8")
    rows = re.findall(r"^\| `(CV\d{3})` \| (error|warning|info) \| (.*) \|$", text, re.MULTILINE)
    assert {code: (severity, meaning) for code, severity, meaning in rows} == CODES
    assert set(CODE_EXPLANATIONS) == set(CODES)
    for code, (explanation, example) in CODE_EXPLANATIONS.items():
        section = re.search(rf"^### `{code}`\n\n(.*?)\n\n```text\n(.*?)\n```$", text, re.M | re.S)
        assert section, f"docs/check.md has no section for {code}"
        assert " ".join(section.group(1).split()) == explanation, code
        assert section.group(2) == example, code


def github_anchor(heading: str) -> str:
    """The anchor GitHub gives a heading: lower case, punctuation dropped, spaces as hyphens."""
    return re.sub(r"[^\w\- ]", "", heading.strip().lower()).replace(" ", "-")


def anchors(page: Path) -> set[str]:
    found: set[str] = set()
    for _number, line in outside_code(page):
        heading = re.match(r"^#{1,6} (.*)$", line)
        if heading:
            anchor = github_anchor(heading.group(1))
            suffix = 0
            while (anchor if not suffix else f"{anchor}-{suffix}") in found:
                suffix += 1
            found.add(anchor if not suffix else f"{anchor}-{suffix}")
    return found


LINK = re.compile(r"\]\(([^)\s]+)\)")


@pytest.mark.parametrize("page", LINKED_PAGES, ids=[page.name for page in LINKED_PAGES])
def test_every_relative_link_resolves(page: Path) -> None:
    for number, line in outside_code(page):
        for target in LINK.findall(re.sub(r"`[^`]*`", "", line)):
            if re.match(r"^[a-z]+:", target):
                continue
            path, _, anchor = target.partition("#")
            destination = (page.parent / path).resolve() if path else page
            where = f"{page.relative_to(REPO)}:{number}: {target}"
            assert destination.exists(), where
            assert destination.is_relative_to(REPO), where
            if anchor:
                assert anchor in anchors(destination), where


def test_the_readme_links_to_every_docs_page() -> None:
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    for page in PAGES[1:]:
        assert f"](docs/{page.name})" in readme, page.name


def test_the_trust_and_safety_promise_names_test_files_that_exist() -> None:
    for page in (REPO / "README.md", REPO / "docs" / "safety.md"):
        text = page.read_text(encoding="utf-8")
        assert "answers exactly what `--no-cache` would answer" in text, page
        named = set(re.findall(r"`(tests/test_\w+\.py)`", text))
        assert len(named) >= 5, page
        assert all((REPO / name).is_file() for name in named), named
