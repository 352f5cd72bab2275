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


# Characters that show nothing and spell nothing: the left-to-right, right-to-left and
# Arabic letter marks, the zero-width space, word joiner and invisible operators, the soft
# hyphen, deprecated format characters and a byte-order mark inside the text. Zero-width
# joiners and non-joiners stay: Persian, the Indic scripts and emoji are spelt with them.
# So do embeddings, overrides and isolates (U+202A-U+202E, U+2066-U+2069), which reorder
# what a terminal shows: `canvas` shows them as escapes, as what they are.
_INVISIBLE = deferred(
    "[\u00ad\u061c\u180e\u200b\u200e\u200f\u2060-\u2064\u206a-\u206f\ufeff\ufff9-\ufffb]"
)


def visible_text(text: str) -> str:
    """`text` without the characters that show nothing and spell nothing (`_INVISIBLE`),
    so that text compares and is found as it reads: `Acme\u200f` is `Acme`."""
    return text if text.isascii() else _INVISIBLE.sub("", text)


def has_invisible(text: str) -> bool:
    """Whether `text` holds a character `visible_text` leaves out."""
    return not text.isascii() and _INVISIBLE.search(text) is not None


def normalise_label(text: str) -> str:
    """Lower-case words of a label with numbering, emoji, punctuation and plurals removed."""
    text = unicodedata.normalize("NFKC", text)
    text = _strip_symbols(text).strip().lower()
    if not text.isascii():
        # Turkish dotted and dotless i: `İ` lowers to `i` and a combining dot, and `I` to
        # `i` where a Turkish writer meant `ı`, so a label written in capitals reads as
        # the same label in lower case.
        text = text.replace("\u0307", "").replace("ı", "i")
    text = _NUMBERING.sub("", text)
    text = text.replace("-", " ").replace("_", " ")
    words = [singular(word, simple=True) for word in _NOT_WORD.split(text) if word]
    return " ".join(words)


class _NextOf:
    """Where `char` is next found in `text` at or after a place, for places that only move
    forward: each part of the text is looked through once."""

    __slots__ = ("char", "found", "text")

    def __init__(self, text: str, char: str) -> None:
        self.text = text
        self.char = char
        self.found = -1

    def at(self, place: int) -> int:
        if self.found < place:
            found = self.text.find(self.char, place)
            self.found = len(self.text) if found < 0 else found
        return self.found


def bracketed_spans(text: str) -> list[tuple[int, int]]:
    """Where each `(…)` or `[…]` of one line is, opening and closing, left to right: the
    matches of `[(\\[].*?[)\\]]`, found in time linear in the text.

    The pattern takes time that grows with the square of the brackets a line leaves open
    (`A ( ( ( …`), as each is looked through to the line's end.
    """
    if "(" not in text and "[" not in text:
        return []  # most labels and titles
    parens, brackets = _NextOf(text, "("), _NextOf(text, "[")
    closing_parens, closing_brackets = _NextOf(text, ")"), _NextOf(text, "]")
    newlines = _NextOf(text, "\n")
    spans: list[tuple[int, int]] = []
    place = 0
    while True:
        opening = min(parens.at(place), brackets.at(place))
        if opening >= len(text):
            return spans
        line_end = newlines.at(opening)
        closing = min(closing_parens.at(opening + 1), closing_brackets.at(opening + 1))
        if closing >= line_end:
            place = line_end  # no bracket opened later on this line closes either
            continue
        spans.append((opening, closing))
        place = closing + 1


def bracketed(text: str) -> list[str]:
    """What each `(…)` or `[…]` of one line encloses (`re.findall(r"[(\\[](.*?)[)\\]]")`)."""
    return [text[opening + 1 : closing] for opening, closing in bracketed_spans(text)]


def without_brackets(text: str) -> str:
    """`text` with each `(…)` or `[…]` of one line, and the white space around it, made one
    space (`re.sub(r"\\s*[(\\[].*?[)\\]]\\s*", " ", text)`)."""
    spans = bracketed_spans(text)
    if not spans:
        return text
    kept: list[str] = []
    start = 0
    for opening, closing in spans:
        before = opening
        while before > start and text[before - 1].isspace():
            before -= 1
        after = closing + 1
        while after < len(text) and text[after].isspace():
            after += 1
        kept += (text[start:before], " ")
        start = after
    kept.append(text[start:])
    return "".join(kept)
