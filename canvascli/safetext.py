"""Make untrusted post text safe to print: control characters become visible, never live."""

from __future__ import annotations

import json
from typing import Any

_C0_PICTURES: dict[int, str | int] = {
    code: 0x2400 + code for code in range(0x20) if chr(code) not in "\n\t"
}
_ESCAPED: dict[int, str | int] = {
    code: f"\\u{code:04x}"
    for code in (*range(0x7F, 0xA0), *range(0x202A, 0x202F), *range(0x2066, 0x206A))
}
# A file name that is not valid UTF-8 reaches Python with each stray byte as a lone
# surrogate (PEP 383); written out, it is that raw byte again (0x9b is a C1 escape) or an
# encoding error. Show the byte instead, and escape any other lone surrogate.
_JSON_SURROGATES: dict[int, str | int] = {code: f"\\u{code:04x}" for code in range(0xD800, 0xE000)}
_SURROGATES: dict[int, str | int] = {
    **_JSON_SURROGATES,
    **{code: f"\\x{code - 0xDC00:02x}" for code in range(0xDC80, 0xDD00)},
}
_DISPLAY = str.maketrans({**_C0_PICTURES, 0x7F: 0x2421, **_ESCAPED, **_SURROGATES})
_DISPLAY_LINE = str.maketrans(
    {**_C0_PICTURES, 0x7F: 0x2421, **_ESCAPED, **_SURROGATES, 0x0A: " ", 0x09: " "}
)
_JSON = str.maketrans({**_ESCAPED, **_JSON_SURROGATES})


def clean(text: str) -> str:
    """Text with every control character shown as a visible symbol; newlines and tabs kept."""
    return text.translate(_DISPLAY)


def clean_line(text: str) -> str:
    """Like `clean`, for one line: newlines and tabs become spaces."""
    return text.translate(_DISPLAY_LINE)


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
    return text.translate(_JSON)
