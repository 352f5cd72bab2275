"""Words in text of any script: where they part, and the singular of an English plural."""

from __future__ import annotations

import itertools
import re
from bisect import bisect_right
from collections.abc import Iterable, Iterator
from functools import cache
from typing import Any

# Chinese, Japanese and Thai put no space between words, and Korean glues particles to
# its nouns, so no rule based on spaces finds a word inside their text. Without a
# dictionary per language, the piece of such text is one character with the marks on it,
# and a word is a run of pieces: search matches a query's pieces side by side, and terms
# are pairs of neighbouring pieces. Punctuation and symbols of these scripts are left out.
# Only word counts part Thai into words, where a character is a fraction of one.
_HAN = (
    "\u3005-\u3007\u3021-\u3029\u3038-\u303b\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
    "\U00020000-\U0003134f"
)
_KANA = "\u3041-\u3096\u309d-\u309f\u30a1-\u30fa\u30fc-\u30ff\u31f0-\u31ff\uff66-\uff9f"
_THAI = "\u0e01-\u0e30\u0e32\u0e33\u0e40-\u0e46"
_HANGUL = "\u1100-\u11ff\u3131-\u318e\ua960-\ua97c\uac00-\ud7a3\ud7b0-\ud7fb\uffa0-\uffdc"
# Thai vowel and tone marks, kana voicing marks, variation selectors: part of the piece before.
_MARKS = "\u0e31\u0e34-\u0e3a\u0e47-\u0e4e\u3099-\u309c\ufe00-\ufe0f\U000e0100-\U000e01ef"

_PIECE = f"[{_HAN}{_KANA}{_THAI}{_HANGUL}][{_MARKS}]*"
# The same pattern for other regular-expression engines (JavaScript's, with its `u` flag).
PIECE_PATTERN = _PIECE
_THAI_RUN = f"(?:[{_THAI}][{_MARKS}]*)+"
# Mai yamok repeats the word before it and paiyannoi shortens it: signs, not words.
_THAI_SIGNS = "\u0e46\u0e2f"
_RUN = f"(?:{_PIECE})+"
# Korean, unlike the others, is written with spaces between its words, and counted so.
_UNSPACED_PIECE = f"[{_HAN}{_KANA}{_THAI}][{_MARKS}]*"
# The full stops and commas of these scripts, which have no space before them to keep
# them out of the word count.
_WIDE_PUNCTUATION = (
    "[\u3001-\u3004\u3008-\u3020\u3030\u303d\u30fb\uff01-\uff0f\uff1a-\uff20"
    "\uff3b-\uff40\uff5b-\uff65\u0e2f\u0e4f\u0e5a\u0e5b]"
)

# Where a run parts into phrases that may name something: at the Chinese words that join
# listed things, and at hiragana, which carries Japanese grammar while names are in kanji
# or katakana. A Korean phrase loses the particle on its end.
_PHRASE = "[^和与與及或的\u3041-\u3096]+"
_KOREAN_PARTICLE = "(?:으로|에서|에게|과|와|을|를|은|는|이|가|의|에|로|도|만)$"
MAX_PHRASE_PIECES = 8


@cache
def compiled(source: str) -> re.Pattern[str]:
    """`source` compiled once, when first used: patterns over the wide ranges of these
    scripts take milliseconds to compile, which a command that reads no post never pays."""
    from canvascli.kept_patterns import compile_pattern

    return compile_pattern(source)


# Put around pieces for SQLite's full-text tokenizer, which parts words only at characters
# that are neither letters, digits nor marks; invisible, and taken out of every snippet.
PIECE_BREAK = "\u200b"


def _letter_ranges(characters: str) -> tuple[list[int], list[int]]:
    """The first and last code points of the ranges a character class such as `_HAN` lists
    (`a-z` or single characters), sorted and merged."""
    ranges: list[tuple[int, int]] = []
    position = 0
    while position < len(characters):
        if characters[position + 1 : position + 2] == "-":
            ranges.append((ord(characters[position]), ord(characters[position + 2])))
            position += 3
        else:
            ranges.append((ord(characters[position]), ord(characters[position])))
            position += 1
    merged: list[tuple[int, int]] = []
    for first, last in sorted(ranges):
        if merged and first <= merged[-1][1] + 1:
            merged[-1] = (merged[-1][0], max(merged[-1][1], last))
        else:
            merged.append((first, last))
    return [first for first, _ in merged], [last for _, last in merged]


# The letters a piece starts with, looked up without compiling `_PIECE`: its wide ranges
# take milliseconds to compile, which text without pieces, most text, need not pay.
_PIECE_FIRSTS, _PIECE_LASTS = _letter_ranges(_HAN + _KANA + _THAI + _HANGUL)


def _is_piece_letter(character: str) -> bool:
    at = bisect_right(_PIECE_FIRSTS, ord(character)) - 1
    return at >= 0 and ord(character) <= _PIECE_LASTS[at]


def has_pieces(text: str) -> bool:
    """Whether `text` holds any Chinese, Japanese, Korean or Thai letter."""
    return not text.isascii() and any(_is_piece_letter(character) for character in set(text))


def broken_into_pieces(text: str) -> str:
    """The text with `PIECE_BREAK` on both sides of each piece, so that a full-text index
    sees every piece as a word of its own and a run of pieces as a phrase of them."""
    if not has_pieces(text):
        return text
    return compiled(_PIECE).sub(lambda found: f"{PIECE_BREAK}{found.group()}{PIECE_BREAK}", text)


def count_words_of(texts: list[str]) -> int:
    """`count_words` of each text, added up; ASCII texts, counted by their spaces alone,
    are counted together in one go."""
    joined = " ".join(texts)
    if joined.isascii():
        return len(joined.split())
    return sum(map(count_words, texts))


def count_words(text: str) -> int:
    """Words as a reader counts them: parted by spaces, each Chinese or Japanese character
    (with its marks) one word, as word processors count them, and Thai words as a
    segmenter finds them.

    >>> count_words("ลูกค้าของเราคือนักเรียน 和 app")
    7
    """
    if text.isascii() or compiled(_UNSPACED_PIECE).search(text) is None:
        return len(text.split())
    thai = 0
    if compiled(_THAI_RUN).search(text) is not None:
        thai = sum(len(thai_words(run)) for run in compiled(_THAI_RUN).findall(text))
        text = compiled(_THAI_RUN).sub(" ", text)
    return thai + len(
        compiled(_WIDE_PUNCTUATION)
        .sub(" ", compiled(_UNSPACED_PIECE).sub(r" \g<0> ", text))
        .split()
    )


@cache
def _thai_parser() -> Any:
    import budoux

    return budoux.load_default_thai_parser()


def thai_words(run: str) -> list[str]:
    """The words of a run of Thai letters, as BudouX's Thai model parts them; the
    repetition mark (`เล็กๆ`, "small-small") and the abbreviation mark are no words.

    >>> thai_words("เราขายกาแฟให้นักศึกษา")
    ['เรา', 'ขายกาแฟ', 'ให้', 'นักศึกษา']
    """
    return [word for word in _thai_parser().parse(run) if word.strip(_THAI_SIGNS)]


def piece_pairs(text: str) -> Iterator[str]:
    """The words of the Chinese, Japanese, Korean and Thai runs in `text`: each pair of
    neighbouring pieces, or a piece alone in its run.

    >>> list(piece_pairs("冷链车、柜"))
    ['冷链', '链车', '柜']
    """
    if not has_pieces(text):
        return
    for run in compiled(_RUN).findall(text):
        pieces = compiled(_PIECE).findall(run)
        if len(pieces) == 1:
            yield pieces[0]
        for first, second in itertools.pairwise(pieces):
            yield first + second


def without_pieces(text: str) -> str:
    """The text with its Chinese, Japanese, Korean and Thai runs turned into spaces."""
    return compiled(_RUN).sub(" ", text) if has_pieces(text) else text


def piece_phrases(text: str) -> Iterator[tuple[int, int]]:
    """Spans of the short phrases of Chinese, Japanese, Korean and Thai text, which name
    things as capitalised words do in English: two to `MAX_PHRASE_PIECES` pieces between
    punctuation, spaces, joining words and Japanese grammar.

    >>> text = "合作农场、冷链车和自提柜"
    >>> [text[start:end] for start, end in piece_phrases(text)]
    ['合作农场', '冷链车', '自提柜']
    """
    if not has_pieces(text):
        return
    for run in compiled(_RUN).finditer(text):
        for phrase in compiled(_PHRASE).finditer(run.group()):
            start = run.start() + phrase.start()
            words = phrase.group()
            trimmed = compiled(_KOREAN_PARTICLE).sub("", words)
            if len(compiled(_PIECE).findall(trimmed)) >= 2:
                words = trimmed
            if 2 <= len(compiled(_PIECE).findall(words)) <= MAX_PHRASE_PIECES:
                yield start, start + len(words)


def singular(word: str, *, simple: bool = False) -> str:
    """A lower-case word without its plural ending: "services" -> "service", "boxes" -> "box".

    Words of three letters or fewer, and words in -ss, -us and -is ("business", "status",
    "analysis") are kept as they are. `simple` is the rule label names are matched with,
    which the label vocabulary and its near-miss suggestions are tuned on: ASCII words
    only, -ies becomes -y and -sses becomes -ss, and any other final "s" is dropped.
    """
    if len(word) <= 3 or not word.endswith("s") or word.endswith("ss"):
        return word
    if simple:
        if not word.isascii():
            return word
        if word.endswith("ies"):
            return word[:-3] + "y"
        return word[:-2] if word.endswith("sses") else word[:-1]
    if word.endswith(("us", "is")):
        return word
    if word.endswith("ies") and len(word) > 4:
        return word[:-3] + "y"
    if word.endswith(("sses", "xes", "ches", "shes")):
        return word[:-2]
    return word[:-1]


def noun_for(number: int, noun: str, plural: str | None = None) -> str:
    """The noun to write after a count: `noun` for one, else its plural (`noun` + "s")."""
    return noun if number == 1 else plural or noun + "s"


def fold_name(text: str) -> str:
    """A name as it is compared: any case, no surrounding spaces."""
    return text.casefold().strip()


def close_matches(
    word: str, possibilities: Iterable[str], *, n: int = 1, cutoff: float = 0.6
) -> list[str]:
    """`difflib.get_close_matches`, imported only when a name is misspelt: most runs never
    need it."""
    from difflib import get_close_matches

    return get_close_matches(word, possibilities, n=n, cutoff=cutoff)
