"""The one plural rule, as each of its readers relies on it: terms, labels, similarity."""

from __future__ import annotations

import pytest

from canvascli.analyse.common_ground import normalise_term
from canvascli.analyse.similarity import words_of
from canvascli.read.labels import normalise_label
from canvascli.words import singular

# word, as common ground and similarity read it, as label matching reads it
RULES = [
    ("services", "service", "service"),
    ("partnerships", "partnership", "partnership"),
    ("companies", "company", "company"),
    ("classes", "class", "class"),
    ("business", "business", "business"),
    ("gas", "gas", "gas"),
    ("boxes", "box", "boxe"),
    ("churches", "church", "churche"),
    ("dishes", "dish", "dishe"),
    ("status", "status", "statu"),
    ("analysis", "analysis", "analysi"),
    ("ties", "tie", "ty"),
    ("cafés", "café", "cafés"),
    ("channel", "channel", "channel"),
]


@pytest.mark.parametrize(("word", "as_term", "as_label"), RULES, ids=[row[0] for row in RULES])
def test_each_reader_gets_the_singular_it_was_built_on(
    word: str, as_term: str, as_label: str
) -> None:
    assert singular(word) == as_term
    assert singular(word, simple=True) == as_label


# Terms also fold accents away, so their non-ASCII words are not compared here.
ASCII_RULES = [row for row in RULES if row[0].isascii()]


@pytest.mark.parametrize(
    ("word", "as_term", "as_label"), ASCII_RULES, ids=[row[0] for row in ASCII_RULES]
)
def test_terms_labels_and_similar_words_use_the_rule(
    word: str, as_term: str, as_label: str
) -> None:
    assert normalise_term(f"cloud {word}") == f"cloud {as_term}"
    assert normalise_label(f"cloud {word}") == f"cloud {as_label}"
    assert words_of(f"cloud {word}") == {"cloud": 1, as_term: 1}


def test_labels_keep_accented_words_whole_and_similarity_does_not() -> None:
    assert normalise_label("Partenaires clés") == "partenaire clés"
    assert words_of("clés") == {"clé": 1}
