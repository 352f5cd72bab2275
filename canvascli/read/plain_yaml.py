"""Front matter of `key: plain words` lines read without PyYAML, exactly as PyYAML reads it."""

from __future__ import annotations

# Plain scalars that YAML 1.1 (PyYAML's resolver) turns into booleans or null.
_NOT_STRINGS = frozenset(
    spelling
    for word in ("yes", "no", "true", "false", "on", "off", "null")
    for spelling in (word, word.capitalize(), word.upper())
)


def _plain_words(text: str) -> bool:
    """Whether YAML reads `text` as this very string, in block context: it opens with a
    letter and ends with no space, so no indicator, number, date or merge key; holds no `:` or `#`,
    so no mapping or comment; and every character is printable by Python's stricter rule,
    so no tab, line break, BOM or character PyYAML refuses."""
    return (
        text[:1].isalpha()
        and not text.endswith(" ")
        and text.isprintable()
        and ":" not in text
        and "#" not in text
        and text not in _NOT_STRINGS
    )


def plain_front_matter(yaml_text: str) -> dict[str, str] | None:
    """The mapping PyYAML's safe loader gives for `yaml_text` when each of its lines is empty
    or `key: value` at column 0 with both plain words; None when any line needs YAML itself."""
    mapping: dict[str, str] = {}
    for line in yaml_text.split("\n"):
        if not line:
            continue
        key, separator, value = line.partition(": ")
        value = value.strip(" ")
        if not separator or not _plain_words(key) or not _plain_words(value):
            return None
        mapping[key] = value
    return mapping
