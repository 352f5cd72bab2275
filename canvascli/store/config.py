"""The library config: `canvas.toml`, or `[tool.canvascli]` in `pyproject.toml`, above a library."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple

from canvascli.errors import UsageError, quoted
from canvascli.words import close_matches

if TYPE_CHECKING:
    from canvascli.read.labels import Synonyms

CONFIG_FILE = "canvas.toml"
PYPROJECT_FILE = "pyproject.toml"
# Where a `pyproject.toml` keeps the settings; one without this table is passed over.
TOOL_TABLE = ("tool", "canvascli")
DEFAULT = "default"
KEYS = ("sort", "ignore", "select", "stop_words", "synonyms")
# A heading longer than this is no label, so no synonym may be.
_MAX_SYNONYM_CHARS = 80
_TOML_POSITION = re.compile(r"\(at line (\d+), column (\d+)\)$")


class ConfigError(UsageError):
    """A config file that cannot be read, or that says something `canvas` cannot follow."""


class LibraryConfig(NamedTuple):
    """What a library's config says, each setting empty unless it is set there.

    `origins` names, for each key set, the file it came from; `path` is that file, if any.
    """

    path: Path | None = None
    sort: str | None = None
    ignore: frozenset[str] = frozenset()
    select: frozenset[str] = frozenset()
    stop_words: tuple[str, ...] = ()
    synonyms: Synonyms = ()

    def origin(self, key: str) -> str:
        """The file a setting came from, or "default" when the config does not set it."""
        return str(self.path) if self.path is not None and self.is_set(key) else DEFAULT

    def is_set(self, key: str) -> bool:
        value = getattr(self, key)
        return value is not None and value != () and value != frozenset()

    def off_codes(self, off_by_default: frozenset[str]) -> frozenset[str]:
        """The finding codes `canvas check` leaves out by this config: those off by default
        that it does not select, and those it ignores (ignore wins over select)."""
        return (off_by_default - self.select) | self.ignore


def find_config(folder: Path) -> tuple[Path, str, dict[str, Any]] | None:
    """The config of a library folder, with the prefix its keys are named with and its
    settings: the first `canvas.toml`, or `pyproject.toml` with a `[tool.canvascli]`
    table, in the folder or a folder above it.

    The walk ends at the top of the git repository the folder is in (the folder holding
    `.git`), so that a config outside the repository never applies, else at the root.
    """
    try:
        start = folder.resolve()
    except OSError:
        return None
    for place in (start, *start.parents):
        candidate = place / CONFIG_FILE
        if _is_there(candidate):
            return candidate, "", _read_toml(candidate)
        pyproject = place / PYPROJECT_FILE
        if pyproject.is_file() and _has_tool_table(pyproject):
            table: dict[str, Any] = _read_toml(pyproject)
            prefix = ""
            for name in TOOL_TABLE:
                if name not in table:
                    break
                table = _expect_table(pyproject, prefix + name, table[name])
                prefix += name + "."
            else:
                return pyproject, prefix, table
        if (place / ".git").exists():
            return None
    return None


def _is_there(path: Path) -> bool:
    """Whether a config file is at `path`: a regular file, or nothing. Anything else by
    that name (a folder, a link to nothing, a pipe) is a config that cannot be read,
    reported rather than passed over, which would quietly change what every command does."""
    import stat

    try:
        mode = path.stat().st_mode
    except FileNotFoundError:
        if path.is_symlink():
            raise ConfigError(f"{path}: is a symbolic link to nothing") from None
        return False
    except OSError as error:
        raise ConfigError(f"{path}: cannot be read: {error.strerror or error}") from None
    if stat.S_ISDIR(mode):
        raise ConfigError(f"{path}: is a folder, not a file")
    if not stat.S_ISREG(mode):
        raise ConfigError(f"{path}: is not a regular file")
    return True


# `[tool.canvascli]`, `[tool.canvascli.synonyms]`, `tool.canvascli.sort = ...`, or
# `canvascli = {...}` under `[tool]`: how a `pyproject.toml` may hold the settings.
_TOOL_TABLE_LINE = re.compile(
    r'^[ \t]*(\[[ \t]*)?(tool[ \t]*\.[ \t]*)?"?canvascli"?[ \t]*[\].=]', re.M
)


def _has_tool_table(pyproject: Path) -> bool:
    """Whether a `pyproject.toml` may hold `[tool.canvascli]`: a look for it, so that another
    project's file is not parsed on every run. A file that cannot be read may."""
    try:
        return bool(
            _TOOL_TABLE_LINE.search(pyproject.read_text(encoding="utf-8", errors="replace"))
        )
    except OSError:
        return True


def load_config(folder: Path, sort_orders: Sequence[str]) -> LibraryConfig:
    """The config found for `folder` (see `find_config`), checked; empty if there is none.

    `sort_orders` are the orders `sort` may name. Raises `ConfigError`, one line naming
    the file, the key and the problem, for a file that cannot be read or says what
    cannot be followed.
    """
    found = find_config(folder)
    if found is None:
        return LibraryConfig()
    path, prefix, table = found
    return _settings(path, prefix, table, sort_orders)


def _read_toml(path: Path) -> dict[str, Any]:
    import tomllib

    try:
        data = path.read_bytes()
    except OSError as error:
        raise ConfigError(f"{path}: cannot be read: {error.strerror or error}") from None
    try:
        # Editors on Windows may start UTF-8 with a byte-order mark, which TOML does not allow.
        text = data.decode("utf-8").removeprefix("\ufeff")
    except UnicodeDecodeError as error:
        raise ConfigError(f"{path}: is not UTF-8 (byte offset {error.start})") from None
    try:
        return tomllib.loads(text)
    except RecursionError:
        # tomllib reads each nested array or inline table with a call of its own.
        raise ConfigError(f"{path}: not valid TOML: arrays or tables nested too deeply") from None
    except tomllib.TOMLDecodeError as error:
        reason = str(error)
        place = _TOML_POSITION.search(reason)
        if place is None:
            raise ConfigError(f"{path}: not valid TOML: {reason}") from None
        reason = reason[: place.start()].strip()
        line, column = place.groups()
        raise ConfigError(f"{path}:{line}:{column}: not valid TOML: {reason}") from None


def _settings(
    path: Path, prefix: str, table: Mapping[str, Any], sort_orders: Sequence[str]
) -> LibraryConfig:
    for key in table:
        if key not in KEYS:
            close = close_matches(key, KEYS)
            hint = f"; did you mean '{close[0]}'?" if close else f" (known: {', '.join(KEYS)})"
            raise ConfigError(f"{path}: unknown key {quoted(prefix + key)}{hint}")

    def named(key: str) -> str:
        return prefix + key

    sort = table.get("sort")
    if sort is not None:
        sort = _one_of(path, named("sort"), _expect(path, named("sort"), sort, str), sort_orders)
    return LibraryConfig(
        path=path,
        sort=sort,
        ignore=_codes(path, named("ignore"), table.get("ignore", [])),
        select=_codes(path, named("select"), table.get("select", [])),
        stop_words=tuple(_strings(path, named("stop_words"), table.get("stop_words", []))),
        synonyms=_synonyms(path, named("synonyms"), table.get("synonyms", {})),
    )


_TOML_TYPES = {
    str: "a string",
    list: "an array",
    dict: "a table",
    bool: "a boolean",
    int: "an integer",
    float: "a float",
}


def _type_name(value: object) -> str:
    for kind, name in _TOML_TYPES.items():
        if type(value) is kind:
            return name
    return "a date or time"


def _expect(path: Path, key: str, value: object, kind: type) -> Any:
    if type(value) is not kind:
        raise ConfigError(f"{path}: {key}: must be {_TOML_TYPES[kind]}, not {_type_name(value)}")
    return value


def _expect_table(path: Path, key: str, value: object) -> dict[str, Any]:
    table: dict[str, Any] = _expect(path, key, value, dict)
    return table


def _one_of(path: Path, key: str, value: str, choices: Sequence[str]) -> str:
    if value in choices:
        return value
    close = close_matches(value, choices)
    hint = f"; did you mean '{close[0]}'?" if close else ""
    raise ConfigError(
        f"{path}: {key}: must be one of {', '.join(choices)}, not {quoted(value)}{hint}"
    )


def _strings(path: Path, key: str, value: object) -> list[str]:
    items: list[object] = _expect(path, key, value, list)
    for number, item in enumerate(items, 1):
        if type(item) is not str:
            raise ConfigError(
                f"{path}: {key}: item {number} must be a string, not {_type_name(item)}"
            )
    return [str(item).strip() for item in items if str(item).strip()]


def _codes(path: Path, key: str, value: object) -> frozenset[str]:
    from canvascli.model import CODES

    codes = [code.upper() for code in _strings(path, key, value)]
    for code in codes:
        if code not in CODES:
            close = close_matches(code, list(CODES))
            hint = f"; did you mean '{close[0]}'?" if close else ""
            raise ConfigError(
                f"{path}: {key}: unknown code {quoted(code)}{hint} "
                "(see 'canvas check --list-codes')"
            )
    return frozenset(codes)


def _synonyms(path: Path, key: str, value: object) -> Synonyms:
    from canvascli.read.labels import BLOCKS_BY_KEY, normalise_label, without_accents

    pairs: list[tuple[str, str]] = []
    # Each label as the reader sees it, with the label written first and its block: two
    # labels it cannot tell apart must name one block, or one of them would be dropped.
    read_as: dict[str, tuple[str, str]] = {}
    for label, block in _expect_table(path, key, value).items():
        named = f"{key}.{_quoted_key(label)}"
        if type(block) is not str:
            raise ConfigError(f"{path}: {named}: must be a block's key, not {_type_name(block)}")
        if not normalise_label(label):
            raise ConfigError(f"{path}: {named}: a label needs a letter or a digit")
        if len(label) > _MAX_SYNONYM_CHARS:
            raise ConfigError(
                f"{path}: {named}: a label is at most {_MAX_SYNONYM_CHARS} characters"
            )
        key_given = block.strip().lower()
        if key_given not in BLOCKS_BY_KEY:
            close = close_matches(key_given, list(BLOCKS_BY_KEY))
            hint = f"; did you mean '{close[0]}'?" if close else " (see 'canvas sections')"
            raise ConfigError(f"{path}: {named}: no block {quoted(block)}{hint}")
        first, first_block = read_as.setdefault(
            without_accents(normalise_label(label)), (label, key_given)
        )
        if first_block != key_given:
            raise ConfigError(
                f"{path}: {named}: reads as the same label as "
                f"{key}.{_quoted_key(first)}, which names '{first_block}', not '{key_given}'"
            )
        pairs.append((label, key_given))
    return tuple(sorted(pairs))


def _quoted_key(label: str) -> str:
    """A key as TOML writes it: bare when it can be, else quoted."""
    if re.fullmatch(r"[A-Za-z0-9_-]+", label):
        return label
    import json

    return json.dumps(label, ensure_ascii=False)
