"""Make untrusted post text safe to print: control characters become visible, never live."""

from __future__ import annotations

import json
import re
from typing import Any

_C0_PICTURES: dict[int, str | int] = {
    code: 0x2400 + code for code in range(0x20) if chr(code) not in "\n\t"
}
_ESCAPED: dict[int, str | int] = {
    code: f"\\u{code:04x}"
    for code in (
        *range(0x7F, 0xA0),
        *range(0x202A, 0x202F),
        *range(0x2066, 0x206A),
        # The directional marks move the punctuation and numbers around them. The reader
        # leaves them out of a post's text; a file name or a front matter value may hold one.
        0x061C,
        0x200E,
        0x200F,
    )
}
_DISPLAY = str.maketrans({**_C0_PICTURES, **_ESCAPED})
_DISPLAY_LINE = str.maketrans({**_C0_PICTURES, **_ESCAPED, 0x0A: " ", 0x09: " "})
_JSON = str.maketrans(_ESCAPED)
# Lone surrogates are found by a pattern rather than by the translation tables: tables of all
# 2,048 would cost more to build than `canvas show` spends drawing a canvas.
_SURROGATE = re.compile("[\ud800-\udfff]")


def _shown_surrogate(match: re.Match[str]) -> str:
    # A file name that is not valid UTF-8 reaches Python with each stray byte as a lone
    # surrogate (PEP 383); written out, it is that raw byte again (0x9b is a C1 escape) or an
    # encoding error. Show the byte instead, and escape any other lone surrogate.
    code = ord(match[0])
    return f"\\x{code - 0xDC00:02x}" if 0xDC80 <= code < 0xDD00 else f"\\u{code:04x}"


def _escaped_surrogate(match: re.Match[str]) -> str:
    return f"\\u{ord(match[0]):04x}"


def clean(text: str) -> str:
    """Text with every control character shown as a visible symbol; newlines and tabs kept."""
    return _shown(text, _DISPLAY)


def clean_line(text: str) -> str:
    """Like `clean`, for one line: newlines and tabs become spaces."""
    return _shown(text, _DISPLAY_LINE)


def _shown(text: str, table: dict[int, str | int]) -> str:
    shown = text.translate(table)
    return shown if shown.isascii() else _SURROGATE.sub(_shown_surrogate, shown)


def dumps_json(data: Any, *, pretty: bool = True) -> str:
    """JSON with non-ASCII text kept readable and every control character escaped.

    Compact JSON is for pipes: it is several times faster to write for big libraries.
    """
    if pretty:
        text = json.dumps(data, ensure_ascii=False, indent=2)
    else:
        text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    return escape_json(text)


def escape_json(text: str) -> str:
    """JSON text with C1 and bidirectional control characters written as escapes."""
    if text.isascii() and "\x7f" not in text:
        return text
    escaped = text.translate(_JSON)
    return escaped if escaped.isascii() else _SURROGATE.sub(_escaped_surrogate, escaped)
