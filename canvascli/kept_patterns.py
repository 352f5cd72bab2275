"""The reader's compiled patterns kept in the cache folder, so a run need not compile them again."""

from __future__ import annotations

import contextlib
import marshal
import os
import re
import sys
import zlib
from array import array
from importlib import import_module
from pathlib import Path
from typing import Any

from canvascli.cache_folder import read_kept_file

# What `_sre.compile` takes besides the pattern: its flags, code, number of groups, and
# names of groups both ways. `re` parses and compiles a pattern in Python, which takes a
# reader that reads one changed post longer than reading it does; making a pattern from
# these parts takes a hundredth of that.
Parts = tuple[int, bytes, int, dict[str, int], tuple[str | None, ...]]

_FORMAT = b"canvas-patterns 1\n"
_DIGEST_SIZE = 8
# The most patterns kept: the reader has fewer than a tenth of it.
MAX_KEPT = 1024
# A file of kept patterns longer than this is none `canvas` wrote.
_MOST_BYTES = 1 << 24


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
    from there, and those compiled since that were not."""

    def __init__(self) -> None:
        self.folder: str | None = None
        self.kept: dict[tuple[str, int], Parts] | None = None
        self.new: dict[tuple[str, int], re.Pattern[str]] = {}


_keeper = _Keeper()


def keep_patterns_in(folder: str | None) -> None:
    """Keep the reader's compiled patterns in `folder` from now on (None: nowhere)."""
    if folder != _keeper.folder:
        _keeper.folder = folder
        _keeper.kept = None
        _keeper.new = {}


def kept_file(folder: str) -> Path | None:
    """The file in `folder` that holds the patterns of this Python; None where none can."""
    key = _python_key()
    if key is None:
        return None
    tag = sys.implementation.cache_tag or "python"
    name = f"{tag}-{_digest(key.encode()).hex()}"
    return Path(folder, name)


def compile_pattern(pattern: str, flags: int = 0) -> re.Pattern[str]:
    """`re.compile(pattern, flags)`, made from kept parts when they are kept."""
    if _keeper.folder is None:
        return re.compile(pattern, flags)
    key = (pattern, int(flags))
    parts = _kept().get(key)
    if parts is not None:
        made = _made(pattern, parts)
        if made is not None:
            return made
    pattern_compiled = re.compile(pattern, flags)
    _keeper.new[key] = pattern_compiled
    return pattern_compiled


def _kept() -> dict[tuple[str, int], Parts]:
    if _keeper.kept is None:
        _keeper.kept = _read(_keeper.folder) if _keeper.folder is not None else {}
    return _keeper.kept


def _made(pattern: str, parts: Parts) -> re.Pattern[str] | None:
    flags, code, groups, group_index, index_group = parts
    try:
        made: re.Pattern[str] = import_module("_sre").compile(
            pattern, flags, array("I", code).tolist(), groups, group_index, index_group
        )
    except (TypeError, ValueError, RuntimeError):
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
        # Patterns made from changing text: those of this run are kept, the rest go.
        kept = {key: parts for key, parts in kept.items() if key in new}
    _keeper.kept = kept
    _write(folder, kept)


def _digest(data: bytes) -> bytes:
    return zlib.crc32(data).to_bytes(4, "big") + zlib.adler32(data).to_bytes(4, "big")


def _read(folder: str) -> dict[tuple[str, int], Parts]:
    """The parts kept in `folder`; none when the file is missing, damaged or of another
    Python (it is then written anew)."""
    path = kept_file(folder)
    if path is None:
        return {}
    data = read_kept_file(str(path), _MOST_BYTES)
    if data is None:
        return {}
    head = len(_FORMAT) + _DIGEST_SIZE
    if not data.startswith(_FORMAT) or len(data) < head:
        return {}
    payload = data[head:]
    if _digest(payload) != data[len(_FORMAT) : head]:
        return {}
    try:
        key, table = marshal.loads(payload)
    except (EOFError, ValueError, TypeError):
        return {}
    if key != _python_key() or not isinstance(table, dict):
        return {}
    return {name: parts for name, parts in table.items() if _well_formed(name, parts)}


def _well_formed(name: Any, parts: Any) -> bool:
    return (
        isinstance(name, tuple)
        and len(name) == 2
        and isinstance(name[0], str)
        and isinstance(name[1], int)
        and isinstance(parts, tuple)
        and len(parts) == 5
        and isinstance(parts[1], bytes)
        and len(parts[1]) % array("I").itemsize == 0
    )


def _write(folder: str, table: dict[tuple[str, int], Parts]) -> None:
    path = kept_file(folder)
    if path is None:
        return
    payload = marshal.dumps((_python_key(), table))
    digest = _digest(payload)
    partial = path.with_name(f"{path.name}.{os.getpid()}.part")
    try:
        partial.write_bytes(_FORMAT + digest + payload)
        partial.replace(path)
    except OSError:
        with contextlib.suppress(OSError):
            partial.unlink()
