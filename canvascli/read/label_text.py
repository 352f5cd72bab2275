"""A label's text as labels are compared: lower-case words without numbering or symbols."""

from __future__ import annotations

import unicodedata

from canvascli.read.patterns import deferred
from canvascli.words import singular

_NUMBERING = deferred(r"^(?:\(?\d+(?:\.\d+)*[.):\]]?|[ivx]+[.)]|[a-z][.)])\s+")
_NOT_WORD = deferred(r"[^\w$]+")
_SYMBOL_CATEGORIES = frozenset({"So", "Sk", "Cn", "Co", "Cs", "Cf"})
_INVISIBLE_JOINERS = frozenset("\u20e3\ufe0f\ufe0e\u200d")


def _is_variation_selector(char: str) -> bool:
    code = ord(char)
    return 0xFE00 <= code <= 0xFE0F or 0xE0100 <= code <= 0xE01EF


def _strip_symbols(text: str) -> str:
    if text.isascii():
        # The only ASCII symbols of the stripped categories are the modifiers ^ and `.
        return text.replace("^", "").replace("`", "")
    if text.replace(" ", "").isalnum():
        return text  # letters and digits only: no symbol, mark or joiner to strip
    kept = []
    for char in text:
        category = unicodedata.category(char)
        if category in _SYMBOL_CATEGORIES or char in _INVISIBLE_JOINERS:
            continue
        if _is_variation_selector(char):
            continue
        kept.append(char)
    return "".join(kept)


def normalise_label(text: str) -> str:
    """Lower-case words of a label with numbering, emoji, punctuation and plurals removed."""
    text = unicodedata.normalize("NFKC", text)
    text = _strip_symbols(text).strip().lower()
    text = _NUMBERING.sub("", text)
    text = text.replace("-", " ").replace("_", " ")
    words = [singular(word, simple=True) for word in _NOT_WORD.split(text) if word]
    return " ".join(words)
