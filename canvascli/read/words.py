"""English plural endings: the one rule that turns a lower-case word into its singular."""

from __future__ import annotations


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
