"""The reader's compiled patterns kept in the cache folder, so a run need not compile them again."""

from __future__ import annotations

import os
import re
import struct
import sys
import zlib
from array import array
from importlib import import_module
from pathlib import Path

from canvascli.cache_folder import read_kept_file, write_kept_file

# What `_sre.compile` takes besides the pattern: its flags, code, number of groups, and
# names of groups both ways. `re` parses and compiles a pattern in Python, which takes a
# reader that reads one changed post longer than reading it does; making a pattern from
# these parts takes a hundredth of that.
Parts = tuple[int, bytes, int, dict[str, int], tuple[str | None, ...]]
Key = tuple[str, int]

_FORMAT = b"canvas-patterns 2\n"
# Each pattern: the lengths of its text, code and group names (`name=number` lines) in
# bytes, the flags it was asked for, the flags it has, and its number of groups; then
# those three.
_ENTRY = struct.Struct("<IIIIII")
_DIGEST_SIZE = 8
# The most patterns kept: the reader has fewer than a tenth of it.
MAX_KEPT = 1024
# Bounds no pattern of the reader comes near: kept parts beyond them are none it wrote.
_MOST_BYTES = 1 << 22
_MOST_GROUPS = 1000
_MOST_FLAGS = (1 << 31) - 1


def _python_key() -> str | None:
    """What must be the same for the parts kept by one run to serve another: CPython of the
    same build, whose `re` compiles to code of the same size. None where there is none."""
    if sys.implementation.name != "cpython":
        return None
    try:
        _sre = import_module("_sre")
    except ImportError:
        return None
    if array("I").itemsize != _sre.CODESIZE:
        return None
    return f"{sys.version}|{sys.hexversion}|{_sre.MAGIC}|{_sre.CODESIZE}|{sys.maxunicode}"


class _Keeper:
    """Where patterns are kept (none until `keep_patterns_in` names a folder), those read
    from there, those of them made this run, and those compiled this run that were not."""

    def __init__(self) -> None:
        self.folder: str | None = None
        self.kept: dict[Key, Parts] | None = None
        self.made: set[Key] = set()
        self.new: dict[Key, re.Pattern[str]] = {}


_keeper = _Keeper()


def keep_patterns_in(folder: str | None) -> None:
    """Keep the reader's compiled patterns in `folder` from now on (None: nowhere)."""
    if folder != _keeper.folder:
        _keeper.folder = folder
        _keeper.kept = None
        _keeper.made = set()
        _keeper.new = {}


def kept_file(folder: str) -> Path | None:
    """The file in `folder` that holds the patterns of this Python; None where none can."""
    key = _python_key()
    if key is None:
        return None
    tag = sys.implementation.cache_tag or "python"
    return Path(folder, f"{tag}-{_digest(key.encode()).hex()}")


def compile_pattern(pattern: str, flags: int = 0) -> re.Pattern[str]:
    """`re.compile(pattern, flags)`, made from kept parts when they are kept."""
    if _keeper.folder is None:
        return re.compile(pattern, flags)
    key = (pattern, int(flags))
    parts = _kept().get(key)
    if parts is not None:
        made = _made(pattern, parts)
        if made is not None:
            _keeper.made.add(key)
            return made
    compiled = re.compile(pattern, flags)
    _keeper.new[key] = compiled
    return compiled


def _kept() -> dict[Key, Parts]:
    if _keeper.kept is None:
        _keeper.kept = _read(_keeper.folder) if _keeper.folder is not None else {}
    return _keeper.kept


def _made(pattern: str, parts: Parts) -> re.Pattern[str] | None:
    flags, code, groups, group_index, index_group = parts
    try:
        made: re.Pattern[str] = import_module("_sre").compile(
            pattern, flags, array("I", code).tolist(), groups, group_index, index_group
        )
    except Exception:  # parts `_sre` refuses: the pattern is compiled as it is
        return None
    return made


def parts_of(pattern: str, flags: int = 0) -> Parts | None:
    """The parts `re` makes `re.compile(pattern, flags)` of, as `_sre.compile` takes them;
    None unless a pattern made of them is that very pattern (its code, flags and groups)."""
    if _python_key() is None:
        return None
    try:
        parsed = import_module("re._parser").parse(pattern, flags)
        code = import_module("re._compiler")._code(parsed, flags)
        group_index = dict(parsed.state.groupdict)
        index_group: list[str | None] = [None] * parsed.state.groups
        for name, number in group_index.items():
            index_group[number] = name
        parts: Parts = (
            int(flags | parsed.state.flags),
            array("I", code).tobytes(),
            parsed.state.groups - 1,
            group_index,
            tuple(index_group),
        )
    except Exception:  # another `re` than the one these parts are of: compiled as it is
        return None
    made = _made(pattern, parts)
    expected = re.compile(pattern, flags)
    if made is None or not _same(made, expected):
        return None
    return parts


def _same(made: re.Pattern[str], expected: re.Pattern[str]) -> bool:
    # A pattern's equality weighs its text, flags and code, not its groups' names.
    return (
        made == expected
        and made.groups == expected.groups
        and dict(made.groupindex) == dict(expected.groupindex)
    )


def save_new_patterns() -> None:
    """Add the patterns compiled since they were last read to those kept; best effort,
    as a cache is: a folder that cannot be written to keeps none, and costs no more."""
    folder = _keeper.folder
    if folder is None or not _keeper.new:
        return
    new, _keeper.new = _keeper.new, {}
    try:
        Path(folder).mkdir(parents=True, exist_ok=True)
    except OSError:
        return
    if not os.access(folder, os.W_OK):
        return
    kept = dict(_kept())
    for key, pattern in new.items():
        parts = parts_of(pattern.pattern, key[1])
        if parts is not None:
            kept[key] = parts
    if len(kept) > MAX_KEPT:
        # Patterns made from changing text: those this run used stay, the rest go.
        kept = {key: parts for key, parts in kept.items() if key in new or key in _keeper.made}
    _keeper.kept = kept
    _write(folder, kept)


def _digest(data: bytes) -> bytes:
    return zlib.crc32(data).to_bytes(4, "big") + zlib.adler32(data).to_bytes(4, "big")


def _read(folder: str) -> dict[Key, Parts]:
    """The parts kept in `folder`; none when the file is missing, damaged, of another
    Python or no regular file (it is then written anew)."""
    path = kept_file(folder)
    key = _python_key()
    if path is None or key is None:
        return {}
    data = read_kept_file(str(path), _MOST_BYTES)
    head = len(_FORMAT) + _DIGEST_SIZE
    if data is None or not data.startswith(_FORMAT) or len(data) < head:
        return {}
    payload = data[head:]
    if _digest(payload) != data[len(_FORMAT) : head]:
        return {}
    python, _, entries = payload.partition(b"\n")
    if python != key.encode():
        return {}
    try:
        return dict(_entries(entries))
    except (struct.error, UnicodeDecodeError, ValueError, TypeError):
        return {}


def _entries(data: bytes) -> list[tuple[Key, Parts]]:
    """The patterns of a kept file's entries; `ValueError` at any that is not one `_write`
    wrote."""
    found: list[tuple[Key, Parts]] = []
    offset = 0
    while offset < len(data):
        sizes = _ENTRY.unpack_from(data, offset)
        text_size, code_size, names_size, asked, flags, groups = sizes
        offset += _ENTRY.size
        end = offset + text_size + code_size + names_size
        if end > len(data) or code_size % 4 or max(asked, flags) > _MOST_FLAGS:
            raise ValueError("not a kept pattern")
        text = data[offset : offset + text_size].decode("utf-8", "surrogatepass")
        code = data[offset + text_size : offset + text_size + code_size]
        names = data[offset + text_size + code_size : end].decode("utf-8")
        offset = end
        found.append(((text, asked), (flags, code, groups, *_group_names(names, groups))))
    return found


def _group_names(names: str, groups: int) -> tuple[dict[str, int], tuple[str | None, ...]]:
    """A pattern's named groups both ways, from the `name=number` lines kept."""
    if not 0 <= groups <= _MOST_GROUPS:
        raise ValueError("not the groups of a kept pattern")
    group_index: dict[str, int] = {}
    index_group: list[str | None] = [None] * (groups + 1)
    for line in names.split("\n") if names else ():
        name, _, number = line.partition("=")
        if not (name.isidentifier() and number.isdigit() and 1 <= int(number) <= groups):
            raise ValueError("not the groups of a kept pattern")
        if index_group[int(number)] is not None or name in group_index:
            raise ValueError("not the groups of a kept pattern")
        group_index[name] = int(number)
        index_group[int(number)] = name
    return group_index, tuple(index_group)


def _write(folder: str, table: dict[Key, Parts]) -> None:
    path = kept_file(folder)
    key = _python_key()
    if path is None or key is None:
        return
    chunks = [key.encode(), b"\n"]
    for (text, asked), (flags, code, groups, group_index, _) in table.items():
        encoded = text.encode("utf-8", "surrogatepass")
        names = "\n".join(f"{name}={number}" for name, number in group_index.items()).encode()
        chunks += [_ENTRY.pack(len(encoded), len(code), len(names), asked, flags, groups)]
        chunks += [encoded, code, names]
    payload = b"".join(chunks)
    write_kept_file(str(path), _FORMAT + _digest(payload) + payload)
