"""Turn the text of one canvas post into a `Canvas`: pure, no I/O, no terminal."""

from __future__ import annotations

import bisect
import datetime as dt
import math
import re
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from contextvars import ContextVar
from functools import lru_cache
from itertools import accumulate
from typing import TYPE_CHECKING, Any, NamedTuple

from canvascli.model import (
    BUSINESS_ONLY_BLOCKS,
    EXPLAINER_CODE,
    LEAN_LAYOUT,
    NO_TEXT,
    AnyBlock,
    Block,
    Canvas,
    CanvasKind,
    Diagnostic,
    Entry,
    LeanBlock,
    Section,
    block_title,
    kind_of,
)
from canvascli.read.explainer import explains_the_canvas, is_prompt
from canvascli.read.gc_pause import cycle_collector_paused
from canvascli.read.label_text import has_invisible, visible_text
from canvascli.read.labels import (
    MAX_LABEL_CHARS,
    NO_SYNONYMS,
    LabelMatch,
    Synonyms,
    is_known_name,
    is_label_sized,
    is_other_section,
    normalise_label,
    read_label,
    read_paraphrase,
    reading_with,
    suggest_block,
    suggest_label,
)
from canvascli.read.names import (
    ends_in_abbreviation,
    is_context_heading,
    is_generic_word,
    is_project_label,
    is_slug_like,
    name_from_file,
    name_from_title,
    name_in_phrase,
    names_a_company,
    post_stem,
    trimmed_name,
)
from canvascli.read.note_markup import as_notes_show
from canvascli.read.patterns import deferred
from canvascli.read.plain_yaml import plain_front_matter
from canvascli.read.scan import SPACED_ONCE, plain_tokens
from canvascli.read.several import canvas_slugs, own_name, split_sections, title_section
from canvascli.read.site_markup import without_site_markup

if TYPE_CHECKING:
    # Imported where a post has a table: most have none.
    from canvascli.read.post_tables import Cell, CellLine, TableReading

__all__ = [
    "blocks_drawn_in",
    "body_start",
    "inline_text",
    "read_canvas",
    "read_canvases",
    "slug_from_path",
    "table_headers",
    "without_closing_hashes",
]

_ASCII_WHITESPACE = " \t\n\r\x0b\x0c"
_FRONT_MATTER_OPEN = deferred(r"---[ \t]*\n")
_FRONT_MATTER_CLOSE = deferred(r"^(?:---|\.\.\.)[ \t]*$", re.MULTILINE)
# Hugo's other front matter: TOML between `+++` lines.
_TOML_FRONT_MATTER_OPEN = deferred(r"\+\+\+[ \t]*\n")
_TOML_FRONT_MATTER_CLOSE = deferred(r"^\+\+\+[ \t]*$", re.MULTILINE)
# A line that holds something other than a front matter fence.
_NOT_A_FENCE = deferred(r"^(?![ \t]*(?:---|\.\.\.)[ \t]*$)[ \t]*\S", re.MULTILINE)
_SLUG_JUNK = deferred(r"[^\w]+")
_NEWLINE = deferred("\n")
# The text ends on a character the closing run cannot hold, so the run is looked through
# once: text ending anywhere tried the rest of a run of spaces from each of its spaces.
_ATX_LINE = deferred(r"^ {0,3}(#{1,6})(?:[ \t]+(.*?[^ \t#])?)?[ \t#]*+$")
# A hand-written canvas has a few dozen headings. Past these counts a post is machine-made,
# and typo-tolerant matching and did-you-mean hints (each far dearer than an exact match)
# would make its parse time a multiple of everything else's.
FUZZY_HEADINGS = 1000
# Blocks the labels under a heading naming a block must name for it to title the post.
_BLOCKS_UNDER_A_TITLE = 2
# Blocks, its own among them, the headings under a heading naming a block by a word that
# heads much else must name for it to group them (`## Customers` over their blocks).
_BLOCKS_UNDER_A_GROUP = 2
# The parts the Lean Canvas template prints inside three of its boxes, which a write-up
# may head as if they were boxes of their own.
_BOX_PARTS: dict[AnyBlock, frozenset[str]] = {
    block: frozenset(normalise_label(name) for name in names)
    for block, names in (
        (
            LeanBlock.PROBLEM,
            ("Existing Alternatives", "Existing Alternative", "Current Alternatives"),
        ),
        (Block.CUSTOMER_SEGMENTS, ("Early Adopters", "Early Adopter")),
        (Block.VALUE_PROPOSITIONS, ("High-Level Concept", "High Level Concept")),
    )
}
# A word every name in `_BOX_PARTS` holds, looked for before a heading is normalised.
_BOX_PART_WORDS = deferred(r"alternati|adopter|concept", re.IGNORECASE)
# Lean-only blocks and box parts a post names for its box parts to be read as their boxes.
_LEAN_ONLY_LABELS = 3
# Bold block labels run into one line of a paragraph that cut it into blocks.
_RUN_IN_LABELS = 3
# Attributes ending a heading, as kramdown and Pandoc write them: `{#id}`, `{: .class}`.
_HEADING_ATTRIBUTES = deferred(r"\s*\{:?\s*[#.][^{}]*\}\s*$")
# Headings that must put the same words (a company's name) before a block's name for those
# words to be read past, and the most words such a name runs to.
_NAME_PREFIXED_HEADINGS = 3
_NAME_PREFIX_WORDS = 3
# Unambiguous block headings a document needs before a plain-words heading may name a block.
_PARAPHRASE_AFTER = 4
HINTED_HEADINGS = 100
_HTML_TABLE_OPEN = deferred(r"^\s*<table\b", re.IGNORECASE)
_HTML_TABLE_CLOSE = deferred(r"</table\s*>", re.IGNORECASE)
_CELL_PIPE = deferred(r"(?<!\\)\|")
_LINE_BREAKS = frozenset({"softbreak", "linebreak"})
_NOT_LABEL_TEXT = frozenset({"link", "image", "codespan", "inline_html"})
_COLONS = (":", "：")
# A spaced dash also parts a label from its text when the line has no colon, and so does a
# spaced arrow (`Channels → the campus app`, `Channels -> …`), as notes typed fast write it.
_DASHES = (" - ", " – ", " — ", " → ", " -> ", " => ", " ➜ ", " ⟶ ")
_SPACED_DASH = deferred(" (?:[-–—→➜⟶]|->|=>) ")
# A checklist item (`- [x] **Problem exists:** …`) is a task, never a label.
_TASK_MARKER = deferred(r"^\s*\[[ xX]\]\s")
# A plain line naming no block ends a block only when it is as short as a label:
# "Target:" does, "Our customers fall into two groups:" does not.
_UNKNOWN_PLAIN_WORDS = 4
# What parts the cells of a canvas drawn as ASCII art, and the strokes around its labels.
_ART_SEPARATORS = deferred(r"[|+\n:：]|\s{2,}")
_ART_STROKES = " \t-=_*#.·"
# A code block that may draw the canvas as boxes: bars part its boxes.
_BOX_BAR = deferred(r"[│┃║]|^[ \t]*\|", re.MULTILINE)
# The units that may hold a copy of the canvas: tables, and code blocks of ASCII art.
# A label numbered as a chapter is: `6. Revenue Model`, `(3) Channels`, `2.1 Channels`.
_NUMBERED = deferred(r"^\s*\(?\d+(?:\.\d+)*[.):\]]?\s")
# Columns drawn with spaces alone are parted by at least this.
_SPACED_COLUMNS = "   "
# A code block of YAML: marked so, or unmarked and opening with a key of its own line.
_YAML_INFO = frozenset({"yaml", "yml"})
_YAML_KEY_FIRST = deferred(r"\s*(?:---\s*\n\s*)?[\w\"'][\w \"'-]{0,60}:[ \t]*\n")
_DRAWN_KINDS = frozenset({"table", "html_table", "block_code"})
# Blocks a grid (a table, a drawing) must name to give a canvas whole.
_WHOLE_GRID = 5
# Headings that close a document rather than divide its last block, even below it.
_CLOSING_HEADINGS = frozenset(
    normalise_label(name)
    for name in (
        "Summary",
        "Conclusion",
        "Conclusions",
        "Final thoughts",
        "Closing thoughts",
        "Next steps",
        "Takeaways",
        "Key takeaways",
        "References",
        "Sources",
        "Further reading",
        "See also",
        "About the author",
        "Acknowledgements",
        "Acknowledgments",
        "Credits",
        "Appendix",
        "Resumen",
        "Conclusión",
        "Conclusiones",
        "Próximos pasos",
        "Résumé",
        "Prochaines étapes",
        "Zusammenfassung",
        "Fazit",
        "Nächste Schritte",
        "Conclusão",
        "Próximos passos",
        "总结",
        "結論",
        "结论",
        "Sonuç",
        "Özet",
        "Sonraki adımlar",
        "Kaynakça",
        "Podsumowanie",
        "Wnioski",
        "Następne kroki",
        "Bibliografia",
        "Kesimpulan",
        "Penutup",
        "Ringkasan",
        "Langkah selanjutnya",
        "Daftar pustaka",
        "Sammanfattning",
        "Slutsats",
        "Slutsatser",
        "Nästa steg",
        "Referenser",
        "Källor",
        "Oppsummering",
        "Opsummering",
        "Konklusjon",
        "Konklusion",
        "Neste steg",
        "Næste skridt",
        "Referanser",
        "Referencer",
        "Kilder",
        "Kết luận",
        "Tổng kết",
        "Tóm tắt",
        "Tài liệu tham khảo",
        "Висновки",
        "Висновок",
        "Підсумки",
        "Наступні кроки",
        "Джерела",
        "Závěr",
        "Shrnutí",
        "Další kroky",
        "Literatura",
    )
)
# A signature: a dash, then a few words (a name, a role, a date) alone in a paragraph.
# (Only as the last paragraph of the post, so that a block's own text is never taken.)
_SIGNATURE_WORDS = 10
_SIGNATURE_NAME_WORDS = 4
_SIGNATURE = deferred(r"^(?:—|–|--|~)\s*(?P<name>[^,\n]+?)\s*(?:,[^\n]*)?$")
# Between the links of a navigation line there are only separators and arrows.
_WORDY = deferred(r"\w")
# What tells a navigation line from a block that lists links: an arrow or a way-finding word.
_NAVIGATION = deferred(
    r"[←→«»‹›↑]|\b(?:previous|next|back|home|top|index|all posts|contents)\b", re.IGNORECASE
)
# The two sides of a Value Proposition Canvas share names with Business Model Canvas blocks;
# the boxes only it has name what it is: a canvas of one offer, not of a business model.
_VALUE_PROPOSITION_SIDES = frozenset({Block.CUSTOMER_SEGMENTS, Block.VALUE_PROPOSITIONS})
_VALUE_PROPOSITION_BOXES = deferred(
    r"\b(?:customer\s+jobs?|jobs?[\s-]+to[\s-]+be[\s-]+done|pain[\s-]+relievers?"
    r"|gain[\s-]+creators?|products?\s+(?:and|&|&amp;)\s+services?|customer\s+(?:pains|gains)"
    r"|trabajos\s+del\s+cliente|aliviadores\s+de\s+(?:frustraciones|dolores)"
    r"|creadores\s+de\s+(?:alegr[íi]as|ganancias)|tarefas\s+do\s+cliente"
    r"|analg[ée]sicos|criadores\s+de\s+ganhos?|kundenaufgaben|schmerzl[öo]ser"
    r"|gewinn-?erzeuger|t[âa]ches\s+du\s+client|cr[ée]ateurs\s+de\s+gains?"
    r"|solutions\s+aux\s+probl[èe]mes)\b",
    re.IGNORECASE,
)
# Boxes only a Value Proposition Canvas has, found in a post, that tell it for one.
_VALUE_PROPOSITION_CANVAS = 3
# Blocks beyond the two sides that make a Business Model Canvas of the post all the same.
_BEYOND_VALUE_PROPOSITION = 3
# Blocks written each as one paragraph, label and text, that tell a closing paragraph after
# the last of them from more of its text.
_INLINE_BLOCKS_FOR_A_CLOSING = 3
# A label written without a heading sits one level below the heading it follows;
# with no heading before it, any heading ends its block.
_LEVEL_WITHOUT_HEADING = 6


# The reader's own records are plain classes: a dataclass is made by generating and
# running code, which took a tenth of the time one changed post's run spent reading it.


class _Label:
    """What opens a section: a heading, or a label written another way."""

    __slots__ = ("ambiguous", "block", "heading", "level", "offset", "text")

    def __init__(
        self,
        text: str,
        block: AnyBlock | None,
        level: int,
        offset: int,
        heading: bool = True,
        ambiguous: bool = False,
    ) -> None:
        self.text = text
        self.block = block
        self.level = level
        self.offset = offset
        self.heading = heading
        self.ambiguous = ambiguous


class _Draft:
    """A section as it is gathered: its label, its entries and the source they came from."""

    __slots__ = ("entries", "label", "spans")

    def __init__(
        self,
        label: _Label,
        entries: list[Entry] | None = None,
        spans: list[tuple[int, int]] | None = None,
    ) -> None:
        self.label = label
        self.entries: list[Entry] = [] if entries is None else entries
        self.spans: list[tuple[int, int]] = [] if spans is None else spans


class _Unit:
    """A top-level Markdown block (several, for an HTML table split by blank lines)."""

    __slots__ = ("end", "kind", "start", "tokens")

    def __init__(self, kind: str, tokens: list[dict[str, Any]], start: int, end: int) -> None:
        self.kind = kind
        self.tokens = tokens
        self.start = start
        self.end = end


class _Candidate:
    """A label written without a heading: bold, `Label:`, a list item's line, a table cell."""

    __slots__ = ("bold", "colon", "label_only", "match", "offset", "text")

    def __init__(
        self,
        text: str,
        match: LabelMatch,
        offset: int,
        label_only: bool,
        bold: bool = True,
        colon: bool = False,
    ) -> None:
        self.text = text
        self.match = match
        self.offset = offset
        self.label_only = label_only
        self.bold = bold
        self.colon = colon


class _Part:
    """A piece of a unit: a candidate label with its entries, or content for the open section."""

    __slots__ = ("candidate", "end", "entries", "fallback", "spans", "start", "unknown")

    def __init__(
        self,
        candidate: _Candidate | None,
        entries: list[Entry],
        fallback: list[Entry],
        start: int,
        end: int,
        spans: list[tuple[int, int]] | None = None,
        unknown: str | None = None,
    ) -> None:
        self.candidate = candidate
        self.entries = entries
        self.fallback = fallback
        self.start = start
        self.end = end
        # The source it was read from, when that is not start:end (table cells).
        self.spans = spans
        # A label in the place of a block's label that names no block: it opens an extra
        # section.
        self.unknown = unknown

    @property
    def source(self) -> list[tuple[int, int]]:
        return [(self.start, self.end)] if self.spans is None else self.spans


class _Reading:
    """How a unit reads if its labels count: its parts in order, and what no label claims."""

    __slots__ = ("first_label_leads", "loose", "parts")

    def __init__(
        self,
        parts: list[_Part],
        loose: list[Entry] | None = None,
        first_label_leads: bool = True,
    ) -> None:
        self.parts = parts
        self.loose: list[Entry] = [] if loose is None else loose
        # Labels must open the unit: a list or paragraph whose first label is refused has
        # none.
        self.first_label_leads = first_label_leads


def slug_from_path(source: str) -> str:
    """`_posts/2016-05-12-Violin Memory.md` -> `violin-memory`."""
    return _SLUG_JUNK.sub("-", post_stem(source).lower()).strip("-_") or "untitled"


# YAML aliases let a few hundred bytes stand for millions of values, or for a value that
# contains itself; front matter past these bounds is refused rather than expanded.
MAX_FRONT_MATTER_VALUES = 100_000
MAX_FRONT_MATTER_DEPTH = 100
# Python refuses to write an integer of more than 4,300 digits as text, and a long
# sexagesimal integer (1:59:59:...) takes time quadratic in its length to build.
_MAX_INTEGER_DIGITS = 4_000
_MAX_INTEGER_BITS = 14_000
_TOO_MANY_DIGITS = f"a number of more than {_MAX_INTEGER_DIGITS:,} digits"


class _FrontMatterTooBigError(Exception):
    """Front matter that cannot be kept: why, in a few words."""


class _Extent:
    """How many values a loaded YAML value stands for once every alias is expanded, and how
    deeply it nests: each shared value is measured once, so this costs what the text does."""

    def __init__(self) -> None:
        self.measured: dict[int, tuple[int, int]] = {}
        self.open: set[int] = set()

    def __call__(self, value: Any, depth: int = 0) -> tuple[int, int]:
        """The values and the levels under `value`, refused past the bounds."""
        if not isinstance(value, dict | list | tuple | set):
            return 1, 0
        key = id(value)
        # A value that contains itself never ends.
        if key in self.open or depth > MAX_FRONT_MATTER_DEPTH:
            raise _FrontMatterTooBigError(f"nested more than {MAX_FRONT_MATTER_DEPTH} deep")
        if key not in self.measured:
            self.open.add(key)
            items = value.values() if isinstance(value, dict) else value
            values, height = 1, 0
            for item in items:
                item_values, item_height = self(item, depth + 1)
                values, height = values + item_values, max(height, item_height + 1)
                if values > MAX_FRONT_MATTER_VALUES:
                    raise _FrontMatterTooBigError(f"more than {MAX_FRONT_MATTER_VALUES:,} values")
            self.open.discard(key)
            self.measured[key] = values, height
        values, height = self.measured[key]
        if depth + height > MAX_FRONT_MATTER_DEPTH:
            raise _FrontMatterTooBigError(f"nested more than {MAX_FRONT_MATTER_DEPTH} deep")
        return values, height


def _jsonable(value: Any) -> Any:
    """Loaded YAML as JSON values, once `_Extent` has found it small enough to expand."""
    if isinstance(value, dict):
        return {str(key): _jsonable(item) for key, item in value.items()}
    if isinstance(value, list | tuple | set):
        return [_jsonable(item) for item in value]
    if isinstance(value, dt.date | dt.datetime | dt.time):
        return value.isoformat()
    if isinstance(value, float) and not math.isfinite(value):
        return str(value)  # YAML's .nan and .inf have no JSON form
    if isinstance(value, int) and value.bit_length() > _MAX_INTEGER_BITS:
        raise _FrontMatterTooBigError(_TOO_MANY_DIGITS)
    if value is None or isinstance(value, bool | int | float | str):
        return value
    return str(value)


def body_start(text: str) -> int:
    """Where the body of a post's text (newlines already `\\n`) starts: past its front matter."""
    _, closing, _ = _front_matter_fences(text)
    return min(closing.end() + 1, len(text)) if closing else 0


def _front_matter_fences(
    text: str,
) -> tuple[re.Match[str] | None, re.Match[str] | None, bool]:
    """The fence opening a post's front matter, the one closing it, and whether it is TOML
    (`+++`) rather than YAML (`---`)."""
    opening = _FRONT_MATTER_OPEN.match(text)
    if opening:
        return opening, _FRONT_MATTER_CLOSE.search(text, opening.end()), False
    opening = _TOML_FRONT_MATTER_OPEN.match(text)
    if opening:
        return opening, _TOML_FRONT_MATTER_CLOSE.search(text, opening.end()), True
    return None, None, False


def _split_front_matter(
    text: str, diagnostics: list[Diagnostic]
) -> tuple[dict[str, Any], str, int]:
    """Metadata, the body after the front matter, and how many lines precede the body."""
    opening, closing, toml = _front_matter_fences(text)
    if not opening:
        return {}, text, 0
    if not closing:
        fence = "+++" if toml else "---"
        diagnostics.append(
            Diagnostic.of(
                "CV102", f"front matter opened by '{fence}' on line 1 is never closed; read as text"
            )
        )
        return {}, text, 0
    written = text[opening.end() : closing.start()]
    body_start = min(closing.end() + 1, len(text))
    body_line = text.count("\n", 0, body_start)
    metadata = _load_toml(written, diagnostics) if toml else _load_yaml(written, diagnostics)
    return metadata, text[body_start:], body_line


# A TOML string on one line, and a run of dotted key parts once strings are emptied: the
# parts of `a.b.c = 1`, `[a.b.c]` and `{a.b.c = 1}` each nest a table in the one before.
_TOML_ONE_LINE_STRING = deferred(r""""[^"\\\n]*+"|'[^'\n]*+'""")
_TOML_DOTTED_PARTS = deferred(r"(?:\.[ \t]*+(?:[\w-]++|\"\"|'')[ \t]*+)++")


def _toml_key_too_deep(toml_text: str) -> bool:
    """Whether a dotted key nests tables deeper than front matter may be: Python's TOML
    parser takes time growing with the square of a key's parts (a key of 64,000 took a
    minute), before the nesting could be refused once loaded. Costs a look at the text when
    it holds fewer dots than that depth, and a linear scan when it holds more."""
    if toml_text.count(".") <= MAX_FRONT_MATTER_DEPTH:
        return False
    unquoted = _TOML_ONE_LINE_STRING.sub('""', toml_text)
    return any(
        run.group().count(".") >= MAX_FRONT_MATTER_DEPTH
        for run in _TOML_DOTTED_PARTS.finditer(unquoted)
    )


def _load_toml(toml_text: str, diagnostics: list[Diagnostic]) -> dict[str, Any]:
    """Hugo's TOML front matter, kept as the YAML's is; CV101 when it is not valid TOML."""
    import tomllib

    if _toml_key_too_deep(toml_text):
        diagnostics.append(_too_big_front_matter(f"nested more than {MAX_FRONT_MATTER_DEPTH} deep"))
        return {}
    try:
        loaded = tomllib.loads(toml_text)
    except (tomllib.TOMLDecodeError, RecursionError) as error:
        message = f"front matter is not valid TOML: {str(error).splitlines()[0]}"
        diagnostics.append(Diagnostic.of("CV101", message, 2))
        return {}
    return _kept_front_matter(loaded, diagnostics)


# Where the loader notes the dates no calendar has, for the front matter being loaded.
_IMPOSSIBLE_DATES: ContextVar[list[Diagnostic] | None] = ContextVar(
    "impossible_dates", default=None
)


@lru_cache(maxsize=1)
def _bounded_loader() -> Any:
    """A safe YAML loader that refuses an integer with too many digits before building it,
    and keeps a date no calendar has (`2016-13-45`) as the text it is written as, noting it
    in `_IMPOSSIBLE_DATES`: the rest of the front matter (the title) is still the post's."""
    import yaml

    # libyaml's loader when PyYAML has it: the same results, several times faster.
    base: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

    class BoundedLoader(base):  # type: ignore[misc]
        def construct_yaml_int(self, node: Any) -> Any:
            written = str(node.value)
            if sum(character.isdigit() for character in written) > _MAX_INTEGER_DIGITS:
                raise _FrontMatterTooBigError(_TOO_MANY_DIGITS)
            return super().construct_yaml_int(node)

        def construct_yaml_timestamp(self, node: Any) -> Any:
            try:
                return super().construct_yaml_timestamp(node)
            except ValueError as error:
                message = f"front matter date {node.value!r} is no date ({error}); kept as text"
                line, column = node.start_mark.line + 2, node.start_mark.column + 1
                noted = _IMPOSSIBLE_DATES.get()
                if noted is not None:
                    noted.append(Diagnostic.of("CV101", message, line, column))
                return str(node.value)

    BoundedLoader.add_constructor("tag:yaml.org,2002:int", BoundedLoader.construct_yaml_int)
    BoundedLoader.add_constructor(
        "tag:yaml.org,2002:timestamp", BoundedLoader.construct_yaml_timestamp
    )
    return BoundedLoader


def _load_yaml(yaml_text: str, diagnostics: list[Diagnostic]) -> dict[str, Any]:
    plain = plain_front_matter(yaml_text)
    if plain is not None:
        return _kept_front_matter(plain, diagnostics)
    import yaml
    from frontmatter.default_handlers import YAMLHandler

    impossible_dates: list[Diagnostic] = []
    noting = _IMPOSSIBLE_DATES.set(impossible_dates)
    try:
        loaded = YAMLHandler().load(yaml_text, Loader=_bounded_loader())
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        line, column = (mark.line + 2, mark.column + 1) if mark is not None else (1, 1)
        problem = getattr(error, "problem", None) or str(error).splitlines()[0]
        message = f"front matter is not valid YAML: {problem}"
        diagnostics.append(Diagnostic.of("CV101", message, line, column))
        return {}
    except ValueError as error:
        diagnostics.append(Diagnostic.of("CV101", f"front matter is not valid YAML: {error}", 2))
        return {}
    except RecursionError:
        diagnostics.append(_too_big_front_matter(f"nested more than {MAX_FRONT_MATTER_DEPTH} deep"))
        return {}
    except _FrontMatterTooBigError as reason:
        diagnostics.append(_too_big_front_matter(str(reason)))
        return {}
    finally:
        _IMPOSSIBLE_DATES.reset(noting)
    diagnostics.extend(impossible_dates)
    if loaded is None:
        return {}
    if not isinstance(loaded, dict):
        kind = "a list" if isinstance(loaded, list) else f"a {type(loaded).__name__}"
        diagnostics.append(Diagnostic.of("CV103", f"front matter is {kind}, not a mapping", 2))
        return {}
    return _kept_front_matter(loaded, diagnostics)


def _kept_front_matter(loaded: dict[Any, Any], diagnostics: list[Diagnostic]) -> dict[str, Any]:
    """Loaded front matter as JSON values, or nothing and CV108 past the bounds."""
    try:
        _Extent()(loaded)
        result: dict[str, Any] = _jsonable(loaded)
    except _FrontMatterTooBigError as reason:
        diagnostics.append(_too_big_front_matter(str(reason)))
        return {}
    return result


def _too_big_front_matter(reason: str) -> Diagnostic:
    return Diagnostic.of("CV108", f"front matter is too large to keep ({reason}); ignored", 2)


def without_closing_hashes(text: str) -> str:
    """An ATX heading's text without its closing sequence, as mistune reads it: the last
    run of `#`s (and any white space after it) when white space or nothing comes before it,
    that white space removed too. One pass from the end."""
    end = len(text)
    while end and text[end - 1].isspace():
        end -= 1
    hashes_end = end
    while end and text[end - 1] == "#":
        end -= 1
    if end == hashes_end:
        return text
    if end == 0:
        return ""
    if not text[end - 1].isspace():
        return text
    while end and text[end - 1].isspace():
        end -= 1
    return text[:end]


@lru_cache(maxsize=1)
def _markdown() -> Any:
    """One reusable mistune parser whose top-level tokens record where they start."""
    import mistune
    from mistune.core import BlockState
    from mistune.plugins import import_plugin

    from canvascli.read.gfm_tables import fill_ragged_rows

    class PositionedState(BlockState):
        def add_paragraph(self, text: str) -> None:
            last = self.last_token()
            if self.parent is None and not (last and last["type"] == "paragraph"):
                self.tokens.append({"type": "paragraph", "text": text, "_start": self.cursor})
                return
            super().add_paragraph(text)

    class PositionedBlockParser(mistune.BlockParser):
        state_cls = PositionedState

        def parse_atx_heading(self, m: re.Match[str], state: BlockState) -> int:
            # mistune trims the closing `#`s with a pattern that backtracks over every run
            # of white space: a heading padded with a long one took seconds, then minutes.
            text = without_closing_hashes(m.group("atx_2").strip(_ASCII_WHITESPACE))
            level = len(m.group("atx_1"))
            state.append_token(
                {"type": "heading", "text": text, "attrs": {"level": level}, "style": "atx"}
            )
            return m.end() + 1

        def parse_method(self, m: re.Match[str], state: BlockState) -> int | None:
            if state.parent is not None:
                return super().parse_method(m, state)
            known = len(state.tokens)
            end = super().parse_method(m, state)
            # A list interrupted by another block is inserted before it, so look back one.
            for token in state.tokens[max(known - 1, 0) :]:
                token.setdefault("_start", m.start())
            return end

    inline = mistune.InlineParser()
    # As mistune's own Markdown() builds its block parser, on versions with or without limits.
    nested = getattr(inline, "max_nested_level", None)
    block = (
        PositionedBlockParser()
        if nested is None
        else PositionedBlockParser(max_nested_level=nested)
    )
    plugins = [import_plugin("strikethrough"), import_plugin("table")]
    markdown = mistune.Markdown(renderer=None, block=block, inline=inline, plugins=plugins)
    fill_ragged_rows(markdown.block)
    return markdown


def _markdown_tokens(body: str) -> list[dict[str, Any]]:
    """mistune's block tokens, each top-level one carrying its offset in `body` as `_start`,
    a notes app's links and highlights read as it shows them (`as_notes_show`)."""
    tokens = plain_tokens(body) or mistune_tokens(body)
    as_notes_show(tokens, body)
    return tokens


def mistune_tokens(body: str) -> list[dict[str, Any]]:
    """`_markdown_tokens` always read by mistune, even for a plain post, its text as written."""
    tokens, _state = _markdown().parse(body)
    assert isinstance(tokens, list)
    previous = 0
    for token in tokens:
        previous = token.setdefault("_start", previous)
    return tokens


def _line_tokens(body: str) -> list[dict[str, Any]]:
    """A plain line reading of a post that defeats the Markdown parser: nothing is lost."""
    tokens: list[dict[str, Any]] = []
    offset = 0
    for line in body.splitlines(keepends=True):
        match = _ATX_LINE.match(line.rstrip("\n"))
        if match:
            text = match.group(2) or ""
            children = [{"type": "text", "raw": text}]
            tokens.append(
                {
                    "type": "heading",
                    "attrs": {"level": len(match.group(1))},
                    "children": children,
                    "_start": offset,
                }
            )
        elif line.strip():
            tokens.append(
                {
                    "type": "paragraph",
                    "children": [{"type": "text", "raw": line.strip()}],
                    "_start": offset,
                }
            )
        offset += len(line)
    return tokens


def inline_text(children: Iterable[dict[str, Any]]) -> str:
    """Flatten inline tokens to plain text, keeping link and image text.

    An outliner's property line (`collapsed:: true`, `id:: 6441…`) is the outliner's own
    note on the block, not its text, and is left out.
    """
    if not isinstance(children, list):
        children = list(children)
    if len(children) == 1 and children[0].get("type") == "text":
        raw: str = children[0].get("raw", "")
        if "::" in raw and _OUTLINER_PROPERTY.match(raw.lstrip()):
            return ""
        if SPACED_ONCE in children[0] or _is_spaced_once(raw):
            return raw
        return " ".join(raw.split())
    text = _flat_text(children)
    if "::" not in text:
        return text
    lines = [_flat_text(line) for line in _split_lines(children) if not _is_property_line(line)]
    return " ".join(line for line in lines if line)


def _is_property_line(line: list[dict[str, Any]]) -> bool:
    """A line written as an outliner's property (`id:: 6441…`); not one whose colon is
    escaped (`a\\:: b`), as the exporter writes text that only looks like one."""
    first = line[0] if line else {}
    return first.get("type") == "text" and bool(_OUTLINER_PROPERTY.match(first["raw"].lstrip()))


def _flat_text(children: Iterable[dict[str, Any]]) -> str:
    """Inline tokens as plain text, a space for each line break."""
    return " ".join(_raw_flat_text(children).split())


def _raw_flat_text(children: Iterable[dict[str, Any]]) -> str:
    """`_flat_text` before its white space is collapsed."""
    parts: list[str] = []
    stack: list[Iterator[dict[str, Any]]] = [iter(children)]
    while stack:
        token = next(stack[-1], None)
        if token is None:
            stack.pop()
            continue
        kind = token.get("type")
        if kind in {"softbreak", "linebreak"}:
            parts.append(" ")
        elif kind == "inline_html":
            if token.get("raw", "").lower().startswith("<br"):
                parts.append(" ")
        elif "children" in token:
            stack.append(iter(token["children"]))
        else:
            parts.append(token.get("raw", ""))
    return "".join(parts)


def _is_spaced_once(text: str) -> bool:
    """Whether `" ".join(text.split())` is `text`: printable text holds no whitespace but
    the space, so single spaces inside it are all there is to check."""
    return text.isprintable() and "  " not in text and text[:1] != " " and text[-1:] != " "


def _unit_entries(tokens: list[dict[str, Any]]) -> list[Entry]:
    """`_entries` of one unit, sparing the walk for a lone paragraph or blank line, the
    commonest units."""
    if len(tokens) == 1:
        kind = tokens[0].get("type")
        if kind == "blank_line":
            return []
        if kind == "paragraph":
            return _paragraph_entries(tokens[0].get("children", []))
    return list(_entries(tokens))


def _entries(tokens: Iterable[dict[str, Any]], depth: int = 0) -> Iterator[Entry]:
    """Paragraphs and list items, in order, from a run of block tokens."""
    pending: list[tuple[Iterator[dict[str, Any]], int]] = [(iter(tokens), depth)]
    while pending:
        iterator, level = pending[-1]
        token = next(iterator, None)
        if token is None:
            pending.pop()
            continue
        kind = token.get("type")
        if kind == "paragraph":
            yield from _paragraph_entries(token.get("children", []), level)
        elif kind in {"block_text", "heading"}:
            text = inline_text(token.get("children", ()))
            if text:
                yield Entry("paragraph", text, level)
        elif kind == "list":
            items = [child for child in token.get("children", ()) if child["type"] == "list_item"]
            pending.append((iter(items), level))
        elif kind == "list_item":
            children = token.get("children", [])
            if (
                len(children) == 1
                and "children" in children[0]
                and children[0].get("type") != "list"
            ):
                # Most items: one line of text and nothing nested.
                text = inline_text(children[0]["children"]).strip()
                if text:
                    yield Entry("item", text, level)
                continue
            own = [child for child in children if child.get("type") != "list"]
            text = " ".join(
                inline_text(child.get("children", ()))
                if "children" in child
                else child.get("raw", "").strip()
                for child in own
            ).strip()
            if text:
                yield Entry("item", text, level)
            nested = [child for child in children if child.get("type") == "list"]
            if nested:
                pending.append((iter(nested), level + 1))
        elif kind == "block_quote":
            pending.append((iter(_without_callout_marker(token.get("children", []))), level))
        elif kind == "block_code":
            code = token.get("raw", "").strip("\n")
            if code.strip():
                yield Entry("paragraph", code, level)
        elif kind == "block_html":
            text = " ".join(html_text(token.get("raw", "")).split())
            if text:
                yield Entry("paragraph", text, level)
        elif kind == "table":
            for row in _table_rows(token):
                if row:
                    yield Entry("item", " | ".join(row), level)


# The marker that makes a quote a callout (Obsidian, GitHub): `[!note]`, `[!info]-`.
_CALLOUT_MARKER = deferred(r"^\[![\w-]{1,40}\][+-]?[ \t]*")


def _without_callout_marker(children: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """A quote's blocks without the marker of a callout, its title a paragraph of its own.

    `> [!tip] Why it works` over the callout's text reads `Why it works`, then the text,
    as the callout shows them, not `[!tip] Why it works` run into the text.
    """
    first = children[0] if children else {}
    inline = first.get("children") or [{}]
    raw = inline[0].get("raw", "") if first.get("type") == "paragraph" else ""
    found = _CALLOUT_MARKER.match(raw) if raw.startswith("[!") else None
    if found is None:
        return children
    lines = _split_lines([{**inline[0], "raw": raw[found.end() :]}, *inline[1:]])
    title = {"type": "paragraph", "children": lines[0]}
    body = [{"type": "paragraph", "children": _joined_lines(lines[1:])}] if lines[1:] else []
    return [title, *body, *children[1:]]


def _joined_lines(lines: list[list[dict[str, Any]]]) -> list[dict[str, Any]]:
    joined: list[dict[str, Any]] = []
    for line in lines:
        if joined:
            joined.append({"type": "softbreak"})
        joined.extend(line)
    return joined


def _between(text: str, opening: str, closing: str, instead: str) -> str:
    """`text` with each run from `opening` to the first `closing` after it made `instead`,
    in one pass: the pattern `opening.*?closing` looked through to the end of the text for
    every opening left unclosed, which took hours for a post within the size limit."""
    if opening not in text:
        return text
    kept: list[str] = []
    start = 0
    while (found := text.find(opening, start)) >= 0:
        end = text.find(closing, found + len(opening))
        if end < 0:
            break  # no opening after this one is closed either
        kept += (text[start:found], instead)
        start = end + len(closing)
    kept.append(text[start:])
    return "".join(kept)


def html_text(raw: str) -> str:
    """An HTML block's text: its comments, style sheets and scripts left out and each tag
    made a space."""
    return _between(_without_code_elements(_between(raw, "<!--", "-->", "")), "<", ">", " ")


# The tags of elements whose content a page never shows as text: a style sheet, a script.
_CODE_ELEMENT_TAG = deferred(r"<(/?)(style|script)\b", re.IGNORECASE)


def _without_code_elements(raw: str) -> str:
    """`raw` without its `<style>` and `<script>` elements, in one pass; one left unclosed
    stays, as a browser would not hide the rest of the page for it either."""
    lower = raw.lower()
    if "<style" not in lower and "<script" not in lower:
        return raw
    kept: list[str] = []
    start = 0
    opened: re.Match[str] | None = None
    for tag in _CODE_ELEMENT_TAG.finditer(raw):
        closing = tag.group(1) == "/"
        if opened is None and not closing:
            opened = tag
        elif opened is not None and closing and tag.group(2).lower() == opened.group(2).lower():
            end = raw.find(">", tag.end())
            kept += (raw[start : opened.start()], " ")
            start = len(raw) if end < 0 else end + 1
            opened = None
    kept.append(raw[start:])
    return "".join(kept)


def _table_rows(token: dict[str, Any]) -> Iterator[list[str]]:
    """The body rows of a table inside a block, each as its cells' text.

    The header row names the columns (`| Plan | Price |`): it is no entry of the block,
    unless the table has no other row.
    """
    parts = token.get("children", ())
    has_body = any(part.get("type") != "table_head" and part.get("children") for part in parts)
    for part in parts:
        header = part.get("type") == "table_head"
        if header and has_body:
            continue
        for row in [part] if header else part.get("children", ()):
            cells = [inline_text(cell.get("children", ())) for cell in row.get("children", ())]
            yield [cell for cell in cells if cell]


def table_headers(markdown: str) -> list[list[str]]:
    """The header row of each table with rows under it in `markdown` (a section's source),
    as its cells' text, in order: the names of the columns a block's table rows fill."""
    headers: list[list[str]] = []
    tokens = mistune_tokens(markdown)
    as_notes_show(tokens, markdown)
    pending = list(reversed(tokens))
    while pending:
        token = pending.pop()
        if token.get("type") != "table":
            pending.extend(reversed(token.get("children", ()) or ()))
            continue
        parts = token.get("children", ())
        if any(part.get("type") != "table_head" and part.get("children") for part in parts):
            for part in parts:
                if part.get("type") == "table_head":
                    cells = part.get("children", ())
                    headers.append([inline_text(cell.get("children", ())) for cell in cells])
    return headers


class _LineIndex:
    def __init__(self, text: str, first_line: int, line_map: list[int] | None = None) -> None:
        # Where each line ends, past its newline: worked out in C, not a match at a time.
        self._line_ends = list(accumulate(map((1).__add__, map(len, text.split("\n")))))
        self._first_line = first_line
        # For a body whose containers were opened: the line of the post each line came from.
        self._line_map = line_map

    def line_of(self, offset: int) -> int:
        line = bisect.bisect_right(self._line_ends, offset)
        if self._line_map is not None:
            line = self._line_map[min(line, len(self._line_map) - 1)]
        return line + 1 + self._first_line


# Containers inside containers (a callout in a quote) are opened this deep.
_CONTAINER_DEPTH = 4


def _opened_containers(
    body: str, tokens: list[dict[str, Any]]
) -> tuple[str, list[dict[str, Any]], list[int] | None, list[tuple[int, int]]]:
    """The body with the quotes, callouts, toggles and HTML that hold a canvas's blocks
    written out as Markdown, its tokens, the line of the post each of its lines comes
    from (None when nothing was opened) and where each opened container starts and ends,
    by its end."""
    line_map: list[int] | None = None
    boxes: list[tuple[int, int]] = []  # in lines of the body as it is now
    kinds = {token.get("type") for token in tokens}
    if "block_quote" not in kinds and "block_html" not in kinds:
        return body, tokens, None, []
    # Imported only for a post with a quote or HTML.
    from canvascli.read.containers import unwrap_containers

    for _depth in range(_CONTAINER_DEPTH):
        unwrapped = unwrap_containers(body, tokens)
        if unwrapped is None:
            break
        body = unwrapped.body
        tokens = _markdown_tokens(body)
        origins = unwrapped.line_map
        boxes = [
            (bisect.bisect_left(origins, start), bisect.bisect_left(origins, end))
            for start, end in boxes
        ]
        boxes += unwrapped.boxes
        line_map = origins if line_map is None else [line_map[line] for line in origins]
    if not boxes:
        return body, tokens, line_map, []
    line_starts = [0, *accumulate(map((1).__add__, map(len, body.split("\n"))))]
    spans = {(line_starts[start], line_starts[end]) for start, end in boxes}
    return body, tokens, line_map, sorted(spans, key=lambda span: (span[1], -span[0]))


def read_canvas(text: str, source: str, synonyms: Synonyms = NO_SYNONYMS) -> Canvas:
    """Read one post; every problem becomes a diagnostic on the canvas, never an exception.

    The first canvas, when the post holds several (see `read_canvases`).
    """
    return read_canvases(text, source, synonyms)[0]


def read_canvases(text: str, source: str, synonyms: Synonyms = NO_SYNONYMS) -> list[Canvas]:
    """Every canvas one post holds, in document order: nearly always one (see read/several.py).

    `synonyms` are a library's own names for blocks, read like the names we know.
    """
    with cycle_collector_paused(), reading_with(synonyms):
        return _parse(text, source)


def _parse(text: str, source: str) -> list[Canvas]:
    diagnostics: list[Diagnostic] = []
    if text.startswith("\ufeff"):
        diagnostics.append(Diagnostic.of("CV104", "file starts with a UTF-8 byte-order mark"))
        text = text[1:]
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if text.strip() and not _NOT_A_FENCE.search(text):
        # Not an unclosed front matter read as text: there is nothing to read at all.
        metadata: dict[str, Any] = {}
        body, body_line = "", text.count("\n")
        diagnostics.append(Diagnostic.of(NO_TEXT, "post holds only front matter fences (---)"))
    else:
        metadata, body, body_line = _split_front_matter(text, diagnostics)
        if not body.strip():
            reason = "post has front matter but no text" if text.strip() else "post is empty"
            diagnostics.append(Diagnostic.of(NO_TEXT, reason))
    # A post without text is no canvas: its missing blocks and title go without saying.
    has_text = bool(body.strip())

    line_map: list[int] | None = None
    boxes: list[tuple[int, int]] = []
    plain = False
    try:
        scanned = plain_tokens(body)
        plain = scanned is not None
        tokens = scanned if scanned is not None else mistune_tokens(body)
        as_notes_show(tokens, body)
        if not plain and ("<" in body or ">" in body):
            body, tokens, line_map, boxes = _opened_containers(body, tokens)
    except RecursionError:
        diagnostics.append(
            Diagnostic.of(
                "CV106", "Markdown is nested too deeply to parse; read line by line instead"
            )
        )
        tokens = _line_tokens(body)
    lines = _LineIndex(body, body_line, line_map)

    document = _Document(body, _units(tokens, body), boxes)
    document.post_titles = lambda: _post_titles(metadata, source)
    drafts = document.drafts()
    name, named_by_heading = document.company_name(metadata, source)
    name = visible_text(name)
    if not named_by_heading and has_text:
        diagnostics.append(Diagnostic.of("CV205", "no title heading names the company"))
    sections = tuple(
        Section(
            heading=draft.label.text,
            block=draft.label.block,
            level=draft.label.level,
            line=lines.line_of(draft.label.offset),
            entries=tuple(draft.entries),
            markdown=_source(body, draft.spans),
        )
        for draft in drafts
    )
    if explains_the_canvas(document.title_text(metadata), sections):
        # Not a company's canvas: its block headings stay searchable, as extra sections.
        sections = tuple(section._replace(block=None) for section in sections)
        message = (
            "post explains the canvas or is a template to fill in, not a company's canvas; "
            "its blocks are kept as extra sections"
        )
        diagnostics.append(Diagnostic.of(EXPLAINER_CODE, message, lines.line_of(0)))
    elif has_text:
        groups = split_sections(sections)
        if len(groups) > 1:
            # "Lean Canvas: Beta" over a later canvas names that canvas, not the post.
            later_titles = {
                title.line for group in groups[1:] if (title := title_section(group, None))
            }
            document.not_the_post = {
                index
                for index, unit in enumerate(document.units)
                if lines.line_of(unit.start) in later_titles and index in document.headings
            }
            name, _ = document.company_name(metadata, source)
            heading = document.title_heading(lines)
            return _several_canvases(
                groups, metadata, source, name, diagnostics, lines.line_of(0), heading
            )
        diagnostics.extend(_section_diagnostics(sections, lines.line_of(0)))
    return [
        Canvas(
            slug=slug_from_path(source),
            name=name,
            source=source,
            metadata=metadata,
            sections=sections,
            diagnostics=tuple(diagnostics),
        )
    ]


def _several_canvases(
    groups: list[tuple[Section, ...]],
    metadata: dict[str, Any],
    source: str,
    post_name: str,
    post_diagnostics: list[Diagnostic],
    first_line: int,
    post_heading: Section | None,
) -> list[Canvas]:
    """The canvases of a post that holds several: each named by its own title, if any.

    What is wrong with the file itself (its encoding, its front matter) is said once, on
    the first canvas; each canvas reports its own blocks. `post_heading` is the post's
    title heading, if it has one.
    """
    later_titles = [title_section(group, None) for group in groups[1:]]
    title_level = later_titles[0].level if later_titles[0] is not None else None
    first_title = title_section(groups[0], title_level) if title_level else None
    if first_title is None and post_heading is not None and post_heading.level == title_level:
        # The first canvas's title was read as the post's, there being no heading above it.
        first_title = post_heading
    titles = [first_title, *later_titles]
    names = [own_name(title, _labelled_value, post_name) for title in titles]
    post_slug = slug_from_path(source)
    slugs = [post_slug, *canvas_slugs(post_slug, post_name, names[1:])]
    canvases: list[Canvas] = []
    for number, (group, title, (name, _qualifies), slug) in enumerate(
        zip(groups, titles, names, slugs, strict=True)
    ):
        found = _section_diagnostics(group, first_line if number == 0 else group[0].line)
        # A canvas's own title is no block heading gone wrong.
        title_line = title.line if title is not None else None
        own = tuple(
            diagnostic
            for diagnostic in found
            if not (diagnostic.code == "CV203" and diagnostic.line == title_line)
        )
        canvases.append(
            Canvas(
                slug=slug,
                name=name or post_name,
                source=source,
                metadata=metadata,
                sections=group,
                diagnostics=(*post_diagnostics, *own) if number == 0 else own,
            )
        )
    return canvases


def _source(body: str, spans: list[tuple[int, int]]) -> str:
    """The Markdown a section came from; pieces that are not adjacent go on their own lines."""
    pieces: list[str] = []
    last_end: int | None = None
    for start, end in spans:
        if last_end is not None and start != last_end:
            pieces.append("\n")
        piece = body[start:end]
        # A table cell's source sits between pipes or tags: drop the padding around it.
        if start > 0 and body[start - 1] != "\n":
            piece = piece.lstrip(" \t")
        if not piece.endswith("\n"):
            piece = piece.rstrip(" \t")
        pieces.append(piece)
        last_end = end
    return "".join(pieces).strip("\n") + "\n"


def _units(tokens: list[dict[str, Any]], body: str) -> list[_Unit]:
    """Top-level blocks with their spans; an HTML table cut by blank lines becomes one unit."""
    starts = [token.get("_start", 0) for token in tokens] + [len(body)]
    kinds = [token.get("type", "") for token in tokens]
    if "block_html" not in kinds:
        # No HTML table to join up: a unit a token, as in nearly every post.
        return [
            _Unit(kind, [token], start, end)
            for kind, token, start, end in zip(kinds, tokens, starts, starts[1:], strict=False)
        ]
    closes: list[int | None] = [None] * len(tokens)
    following: int | None = None
    for index in range(len(tokens) - 1, -1, -1):
        token = tokens[index]
        if token.get("type") == "block_html" and _HTML_TABLE_CLOSE.search(token.get("raw", "")):
            following = index
        closes[index] = following
    units: list[_Unit] = []
    index = 0
    while index < len(tokens):
        token = tokens[index]
        last = index
        kind = token.get("type", "")
        if kind == "block_html" and _HTML_TABLE_OPEN.match(token.get("raw", "")):
            kind = "html_table"
            last = closes[index] or index
        units.append(_Unit(kind, tokens[index : last + 1], starts[index], starts[last + 1]))
        index = last + 1
    return units


def _split_lines(children: Iterable[dict[str, Any]]) -> list[list[dict[str, Any]]]:
    """Inline tokens cut into the lines of the source."""
    lines: list[list[dict[str, Any]]] = [[]]
    for child in children:
        if child.get("type") in _LINE_BREAKS:
            lines.append([])
        else:
            lines[-1].append(child)
    return lines


def _has_link(tokens: Iterable[dict[str, Any]]) -> bool:
    pending = list(tokens)
    while pending:
        token = pending.pop()
        if token.get("type") in _NOT_LABEL_TEXT:
            return True
        pending.extend(token.get("children", ()))
    return False


def _line_label(line: list[dict[str, Any]]) -> tuple[_Candidate, str] | None:
    """A label opening a line, and the text after it on the line.

    Bold text alone or followed by a colon or a spaced dash (`**Channels:** web`), or
    plain text before one (`Channels: web`, `Channels – web`), or a line that is only a
    block's name. Bold text that opens a sentence, and links (a table of contents), are
    not labels.
    """
    tokens = [token for token in line if token.get("type") != "text" or token["raw"].strip()]
    if not tokens:
        return None
    first = tokens[0]
    kind = first.get("type")
    if kind == "text" and _TASK_MARKER.match(first["raw"]):
        return None
    if kind in ("strong", "emphasis"):
        if _has_link([first]):
            return None
        label = inline_text(first.get("children", ())).strip()
        after = inline_text(tokens[1:]).strip()
        colon = label.endswith(_COLONS)
        if colon:
            label = label[:-1].strip()
        elif after.startswith(_COLONS):
            after = after[1:].strip()
            colon = True
        elif mark := _opening_dash(after):
            after = after[mark:].strip()
            colon = True
        elif _is_parenthesised(after):
            # `**Customer Segments** (*Who are our customers?*)`: the template's question
            # or a gloss beside the label, not a sentence the bold text opens.
            after = after.rstrip(":：").strip()
            colon = True
        if after and not colon:
            return None
        match = read_label(label) if is_label_sized(label) else None
    elif kind == "text":
        text = inline_text(tokens)
        positions = [(text.find(colon), colon) for colon in _COLONS if colon in text]
        positions = positions or [(text.find(dash), dash) for dash in _DASHES if dash in text]
        colon = bool(positions)
        if positions:
            head_end, separator = min(positions)
            label, after = text[:head_end].strip(), text[head_end + len(separator) :].strip()
            if _has_link(tokens) and not after:
                return None
            match = read_label(label) if is_label_sized(label) else None
        else:
            if _has_link(tokens):
                return None
            label, after = text.strip(), ""
            match = read_label(label, strict=True) if is_label_sized(label) else None
    else:
        return None
    if match is None:
        return None
    bold = kind != "text"
    return _Candidate(label, match, 0, label_only=not after, bold=bold, colon=colon), after


def _opening_dash(text: str) -> int:
    """The length of the spaced dash or arrow that opens a text (`– the web shop`), or 0."""
    for dash in _DASHES:
        if text.startswith(dash[1:]):
            return len(dash) - 2
    return 0


# A label wrapped over two lines (`VALUE` over `PROPOSITIONS`, as a drawn canvas copied
# as text leaves it) has this many words on each at most.
_WRAPPED_LABEL_WORDS = 2


def _wrapped_label(lines: list[list[dict[str, Any]]]) -> list[dict[str, Any]] | None:
    """The first two lines of a paragraph as one line, when they are a block's name
    wrapped over both (`VALUE`, then `PROPOSITIONS`) and the first alone names no block
    but by a word that names much else (`VALUE`, `CUSTOMER`)."""
    first, second = lines[0], lines[1]
    if len(first) != 1 or len(second) != 1 or first[0].get("type") != "text":
        return None
    if second[0].get("type") != "text":
        return None
    head, tail = first[0]["raw"].strip(), second[0]["raw"].strip()
    if len(head.split()) > _WRAPPED_LABEL_WORDS or len(tail.split()) > _WRAPPED_LABEL_WORDS:
        return None
    alone = read_label(head, strict=True)
    if alone is not None and not alone.ambiguous:
        return None
    joined = f"{head} {tail}"
    match = read_label(joined.rstrip(":："), strict=True) if is_label_sized(joined) else None
    if match is None or match.ambiguous:
        return None
    return [{"type": "text", "raw": joined}]


def _run_in_labelled(
    lines: list[list[dict[str, Any]]],
) -> Iterator[tuple[int, list[dict[str, Any]]]]:
    """A paragraph's lines, each with its number, a line that runs several bold block labels
    into one another (`**Problem:** … **Solution:** … **UVP:** …`) cut before each."""
    for number, line in enumerate(lines):
        cuts = _run_in_cuts(line)
        # The first cut must open on a label too, not the line only: a label read past what
        # stands before it (`]**Problem:** **Solution:**`) left a first cut of no label.
        if len(cuts) + 1 < _RUN_IN_LABELS or _line_label(line[: cuts[0]]) is None:
            yield number, line
            continue
        for start, end in zip([0, *cuts], [*cuts, len(line)], strict=True):
            yield number, line[start:end]


_OPENING_BRACKETS = "(（"
_CLOSING_BRACKETS = ")）"
_BRACKETS = _OPENING_BRACKETS + _CLOSING_BRACKETS


def _run_in_cuts(line: list[dict[str, Any]]) -> list[int]:
    """Where in a line, after its first token, bold text opens a label with its colon:
    each place `at` for which `_line_label(line[at:])` finds one.

    The same answer as asking `_line_label` at each bold token, which read the whole rest
    of the line each time: a line of many bold labels took time growing with the square of
    its length. The text after each label is rather a part of the line's text, collapsed
    once, and a label's own text and links are read once.
    """
    strong = [at for at, token in enumerate(line) if at and token.get("type") == "strong"]
    if not strong:
        return []
    # `_line_label` leaves out text tokens holding only white space.
    kept = [
        at for at, token in enumerate(line) if token.get("type") != "text" or token["raw"].strip()
    ]
    # Where each kept token's text starts in the text of the line collapsed, as
    # `_flat_text` collapses it: what follows a label is that text from there on.
    collapsed: list[str] = []
    length = 0
    ends_spaced = True
    starts: dict[int, int] = {}
    waiting: list[int] = []  # tokens of no text yet, which start where the next word does
    for at in kept:
        raw = _raw_flat_text([line[at]])
        words = raw.split()
        waiting.append(at)
        if not words:
            ends_spaced = ends_spaced or bool(raw)
            continue
        # A word running on from the token before takes no space between them.
        glued = length > 0 and not ends_spaced and not raw[0].isspace()
        separator = 1 if length and not glued else 0
        for waited in waiting:
            starts[waited] = length + separator
        waiting.clear()
        joined = " ".join(words)
        collapsed.append(" " * separator + joined)
        length += separator + len(joined)
        ends_spaced = raw[-1].isspace()
    for waited in waiting:
        starts[waited] = length
    text = "".join(collapsed)
    # What `_is_parenthesised` sees of any text after a label: its end is the line's.
    end = len(text.rstrip(":：").rstrip())
    last_bracket = max((text.rfind(bracket, 0, end - 1) for bracket in _BRACKETS), default=-1)
    after_of = dict(zip(kept, [*kept[1:], None], strict=True))
    cuts = []
    for at in strong:
        first = line[at]
        if _has_link([first]):
            continue
        label = inline_text(first.get("children", ())).strip()
        if label.endswith(_COLONS):
            label = label[:-1].strip()
        else:
            following = after_of[at]
            after = len(text) if following is None else starts[following]
            opens = text[after : after + 2]
            parenthesised = (
                end - after > 2
                and opens[:1] in tuple(_OPENING_BRACKETS)
                and text[end - 1] in _CLOSING_BRACKETS
                and last_bracket == after
            )
            if not (opens.startswith(_COLONS) or f" {opens}" in _DASHES or parenthesised):
                continue
        if is_label_sized(label) and read_label(label) is not None:
            cuts.append(at)
    return cuts


def _without_attributes(text: str) -> str:
    """A heading's text without the attributes kramdown and Pandoc let it end with
    (`## Channels {#channels}`, `{: .block}`, `{#cs .box}`): an id or class, never text."""
    if not text.endswith("}"):
        return text
    found = _HEADING_ATTRIBUTES.search(text)
    return text[: found.start()] if found and found.start() else text


def _struck_through(line: list[dict[str, Any]]) -> list[dict[str, Any]] | None:
    """What a line struck through whole holds (`~~**Channels** (…)~~`), else None."""
    tokens = [token for token in line if token.get("type") != "text" or token["raw"].strip()]
    if len(tokens) != 1 or tokens[0].get("type") != "strikethrough":
        return None
    children: list[dict[str, Any]] = tokens[0].get("children", [])
    return children


def _is_parenthesised(text: str) -> bool:
    """Whether a text is one bracketed phrase, and a colon at most after it: `(Who?)`."""
    text = text.rstrip(":：").rstrip()
    return (
        len(text) > 2
        and text[0] in "(（"
        and text[-1] in ")）"
        and not any(bracket in text[1:-1] for bracket in "()（）")
    )


class _UnknownLabel(NamedTuple):
    """A label naming no block: its text, whether it is bold, and the text after it."""

    text: str
    bold: bool
    after: str


def _unknown_label(line: list[dict[str, Any]], *, bare: bool = False) -> _UnknownLabel | None:
    """A line opened by a label, whatever it names.

    Bold text alone (`**Benefits**`, `**Benefits:**`) or before a colon and text
    (`**Benefits:** cheaper bills`), or a few plain words before a colon (`Target:`);
    with `bare`, a few plain words alone too (a list item's first line).
    """
    tokens = [token for token in line if token.get("type") != "text" or token["raw"].strip()]
    if not tokens or _has_link(tokens):
        return None
    first = tokens[0]
    if first.get("type") in _BOLD_TYPES:
        label = inline_text(first.get("children", ())).strip()
        rest = inline_text(tokens[1:]).strip()
        if rest.startswith(_COLONS):
            label, rest = label + rest[0], rest[1:].strip()
        if rest and not label.endswith(_COLONS) and not _is_parenthesised(rest):
            return None
        label = label.rstrip("".join(_COLONS)).strip()
        return _UnknownLabel(label, True, rest) if is_label_sized(label) else None
    if first.get("type") != "text" or len(tokens) > 1 or _TASK_MARKER.match(first["raw"]):
        return None
    text = inline_text(tokens).strip()
    label = text.rstrip("".join(_COLONS)).strip()
    if label == text and not bare:
        return None
    if any(colon in label for colon in _COLONS) or len(label.split()) > _UNKNOWN_PLAIN_WORDS:
        return None
    return _UnknownLabel(label, False, "") if label else None


def _form(part: _Part) -> tuple[bool, bool]:
    assert part.candidate is not None
    return part.candidate.bold, part.candidate.colon


def _block(part: _Part) -> AnyBlock:
    assert part.candidate is not None
    return part.candidate.match.block


def _paragraph_text(texts: list[str]) -> list[Entry]:
    lines = [" ".join(text.split()) for text in texts]
    defined = [line for line in lines if line]
    items = _glyph_items(defined) if defined and defined[0][:1] in _BULLET_GLYPHS else None
    if items is not None:
        return [Entry("item", item) for item in items]
    if defined and all(line.startswith(_DEFINITION_MARK) for line in defined):
        # A definition list's definitions under its term (`Key Partners`, then `: A mill`).
        return [Entry("item", line[len(_DEFINITION_MARK) :].strip()) for line in defined]
    # A label alone on its line leaves no text before the lines under it (`**Channels**`,
    # then `The app`, `Flyers`): those lines may list a thing each all the same.
    listed = lines[1:] if lines and not lines[0] else lines
    if _lists_a_thing_a_line(listed):
        return [Entry("item", line) for line in listed]
    text = " ".join(" ".join(texts).split())
    return [Entry("paragraph", text)] if text else []


# Bullets typed as characters, as a text pasted from a word processor keeps them: `• Students`
# on each line of a paragraph lists one thing a line, as a Markdown list would.
_BULLET_GLYPHS = frozenset("•●▪◦‣∙○■□➢➤►✓✔")


def _glyph_items(lines: list[str]) -> list[str] | None:
    """The things lines list each after a bullet character, or None unless every line does."""
    if not lines or not all(line[:1] in _BULLET_GLYPHS for line in lines):
        return None
    items = [line[1:].strip() for line in lines]
    return items if all(items) else None


# What starts a definition in a definition list (Pandoc, PHP Markdown Extra).
_DEFINITION_MARK = ": "
# A line this long or longer is prose wrapped by hand, not one thing of a list.
_LINE_ITEM_CHARS = 72
# How a line of prose ends: a sentence, or a clause that the next line goes on with.
_LINE_GOES_ON = (".", "!", "?", ",", ";", ":", "。", "！", "？", "，", "；", "：", "-", "–", "—")


def _lists_a_thing_a_line(lines: list[str]) -> bool:
    """Whether the lines of a paragraph list one thing each, written without list marks.

    `Navegador` then `Notificações (e-mail, WhatsApp)`: short lines, none of which ends a
    sentence or a clause, are a list; prose wrapped by hand ends its last line with a stop,
    and a template's blank lines to fill (`1`, `2`, `*`) hold no word.
    """
    return len(lines) >= 2 and all(
        len(line) < _LINE_ITEM_CHARS
        and not line.endswith(_LINE_GOES_ON)
        and any(character.isalpha() for character in line)
        for line in lines
    )


def _ends_a_sentence(children: list[dict[str, Any]]) -> bool:
    """Whether a paragraph's last line ends as prose does, told from its last token alone."""
    if not children or children[-1].get("type") != "text":
        return False
    raw: str = children[-1].get("raw", "")
    return raw.rstrip().endswith(_LINE_GOES_ON)


def _paragraph_entries(children: list[dict[str, Any]], level: int = 0) -> list[Entry]:
    """A paragraph's text as one entry, or one item a line when its lines list things."""
    first = children[0] if children else None
    if first is not None and first.get("type") == "text" and first["raw"][:1] in _BULLET_GLYPHS:
        items = _glyph_items([inline_text(line).strip() for line in _split_lines(children)])
        if items is not None:
            return [Entry("item", item, level) for item in items]
    # Two lines are at least a text, a break and a text.
    if (
        len(children) >= 3
        and not _ends_a_sentence(children)
        and any(child.get("type") in _LINE_BREAKS for child in children)
    ):
        lines = [inline_text(line).strip() for line in _split_lines(children)]
        if _lists_a_thing_a_line(lines):
            return [Entry("item", line, level) for line in lines]
    text = inline_text(children)
    if "{" in text:
        text = without_site_markup(text)
    return [Entry("paragraph", text, level)] if text else []


class _Document:
    """The units of one post body, and where in them the canvas blocks are."""

    def __init__(
        self,
        body: str,
        units: list[_Unit],
        boxes: list[tuple[int, int]] | None = None,
    ) -> None:
        self.body = body
        self.units = units
        # Where each opened callout, quote or toggle starts and ends, by its end: a block
        # it holds ends with it.
        self.boxes = boxes or []
        self.headings: dict[int, tuple[str, int, LabelMatch | None]] = {}
        # Headings naming no block that may name a part of a Lean Canvas box: few posts
        # have one (see `_box_parts_as_their_boxes`).
        self.box_part_headings: list[int] = []
        strikes = "~" in body and "~~" in body  # one character is found far quicker
        # Most posts hold no character that shows nothing: one look at the body spares a
        # look at each heading and entry.
        self.invisible = has_invisible(body)
        for index, unit in enumerate(units):
            if unit.kind == "heading":
                token = unit.tokens[0]
                children = token.get("children", ())
                text = inline_text(children)
                if "{" in text:
                    # `## Channels {{< icon "mail" >}}`, `## Channels {#channels}`
                    text = _without_attributes(without_site_markup(text))
                if self.invisible:
                    text = visible_text(text)
                fuzzy = len(self.headings) < FUZZY_HEADINGS
                # A heading struck through (`## ~~Channels~~`) names a block left out.
                struck = strikes and _struck_through(list(children)) is not None
                match = read_label(text, fuzzy=fuzzy) if text and not struck else None
                self.headings[index] = (text, token["attrs"]["level"], match)
                if match is None and _BOX_PART_WORDS.search(text):
                    self.box_part_headings.append(index)
        if len(self.headings) <= HINTED_HEADINGS:
            self._match_name_prefixed_headings()
        if any(match is not None and match.ambiguous for _t, _l, match in self.headings.values()):
            self._refuse_group_headings()
        self.accepted: dict[int, LabelMatch] = {}
        self.readings: dict[int, _Reading] = {}
        # Paragraphs whose first line is a label naming no block: (label, the rest).
        self.unknown: dict[int, tuple[str, list[Entry]]] = {}
        # Tables that repeat a canvas already read: one extra section, not blocks again.
        self.copies: set[int] = set()
        self.title: int | None = None
        # The post's front matter `title` and file name, as labels are compared: a first
        # heading that says the same titles the post, whatever block it names. Made only
        # for such a heading, which few posts have.
        self.post_titles: Callable[[], frozenset[str]] = frozenset
        # Headings that title a canvas other than the post's first: they never name the post.
        self.not_the_post: set[int] = set()

    def _match_name_prefixed_headings(self) -> None:
        """Read headings that put the company's name before each block's
        (`## Fjordline customer segments`, `## Fjordline's key partners`): the same
        leading words, of one to three, before a block name in three headings or more."""
        unmatched = [
            (index, text.split())
            for index, (text, _level, match) in self.headings.items()
            if match is None and len(text.split()) > 1
        ]
        if len(unmatched) < _NAME_PREFIXED_HEADINGS:
            return
        for length in range(1, _NAME_PREFIX_WORDS + 1):
            found: dict[str, list[tuple[int, LabelMatch]]] = {}
            for index, words in unmatched:
                if len(words) <= length or self.headings[index][2] is not None:
                    continue
                prefix = " ".join(words[:length]).lower()
                prefix = prefix.removesuffix("'s").removesuffix("’s")
                if not any(char.isalpha() for char in prefix):
                    continue
                match = read_label(" ".join(words[length:]), strict=True)
                if match is not None and not match.ambiguous:
                    found.setdefault(prefix, []).append((index, match))
            for matches in found.values():
                if len({match.block for _index, match in matches}) >= _NAME_PREFIXED_HEADINGS:
                    for index, match in matches:
                        text, level, _none = self.headings[index]
                        self.headings[index] = (text, level, match)

    def _refuse_group_headings(self) -> None:
        """Headings that group blocks under a word naming one of them: `## Customers` over
        `### Customer Segments`, `### Channels` and `### Customer Relationships`, as a
        canvas sorted into the four areas of a business writes it.

        A word that heads much else (`Customers`, `Costs and Revenue`, `Value`) names no
        block when the headings below it name that very block by a name of its own and
        another block besides: it titles a part of the canvas and is a section of its own.
        """
        order = list(self.headings.items())
        for position, (index, (text, level, match)) in enumerate(order):
            if match is None or not match.ambiguous:
                continue
            below: set[AnyBlock] = set()
            for _other, (_text, other_level, other) in order[position + 1 :]:
                if other_level <= level:
                    break
                if other is not None and not other.ambiguous:
                    below.add(other.block)
            if match.block in below and len(below) >= _BLOCKS_UNDER_A_GROUP:
                self.headings[index] = (text, level, None)

    # Where the labels are

    def _block_regions(self, opens_block: dict[int, LabelMatch]) -> list[bool]:
        """Which units sit under a heading that opens a block (and so belong to that block)."""
        inside = [False] * len(self.units)
        level: int | None = None
        for index in range(len(self.units)):
            heading = self.headings.get(index)
            if heading is None:
                inside[index] = level is not None
            elif index in opens_block:
                level = heading[1]
            elif level is not None and heading[1] <= level:
                level = None
        return inside

    def _find_labels(self) -> None:
        """Decide which headings and which other labels open blocks.

        Headings that name a block always do, unless the name is one that heads many
        other documents too ("Resources", "Problem"). Those, and labels written without
        a heading, count only in a document that is clearly a canvas: one naming at
        least three blocks, two of them unambiguously, or five, one unambiguously. Labels
        written without a heading never count inside a block opened by a heading.
        """
        title = self._title_over_blocks()
        clear = {
            index: match
            for index, (_text, _level, match) in self.headings.items()
            if match is not None and not match.ambiguous and index != title
        }
        under_clear_heading = self._block_regions(clear)
        readings: dict[int, _Reading] = {}
        for index, unit in enumerate(self.units):
            if not under_clear_heading[index]:
                reading = self._reading(unit)
                if reading is not None:
                    readings[index] = reading
        if title is not None:
            readings = self._title_or_block(title, readings)
        self._drawn_gives_way(readings)
        self._blank_layout_gives_way(readings)
        matches = [match for _text, _level, match in self.headings.values() if match]
        matches += [
            part.candidate.match
            for reading in readings.values()
            for part in reading.parts
            if part.candidate is not None
        ]
        named = {match.block for match in matches}
        matches += self._box_parts_as_their_boxes(named)
        named = {match.block for match in matches}
        if (
            len(named - _VALUE_PROPOSITION_SIDES) < _BEYOND_VALUE_PROPOSITION
            and self._is_value_proposition_canvas()
        ):
            return  # its "Value Proposition" and "Customer Segment" are no blocks of ours
        unambiguous = {match.block for match in matches if not match.ambiguous}
        is_canvas = (len(named) >= 3 and len(unambiguous) >= 2) or (
            len(named) >= 5 and len(unambiguous) >= 1
        )
        self.accepted = {
            index: match
            for index, (_text, _level, match) in self.headings.items()
            if match is not None and (is_canvas or not match.ambiguous)
        }
        if not is_canvas:
            if all(isinstance(match.block, LeanBlock) for match in self.accepted.values()):
                # `## Unfair advantage` or `## Key metrics` alone heads a note's section: a
                # Lean Canvas names its own blocks beside the ones it shares.
                self.accepted = {}
            return
        self._accept_paraphrases(named)
        self._yield_to_whole_names(readings)
        self._refuse_numbered_repeats(readings)
        self._choose_the_whole_canvas(readings)
        under_heading = self._block_regions(self.accepted)
        self.readings = {
            index: reading for index, reading in readings.items() if not under_heading[index]
        }
        self._refuse_prose()
        self._find_unknown_labels(under_heading)
        self._find_copies()
        self._refuse_a_lone_lean_block()

    def _box_parts_as_their_boxes(self, named: set[AnyBlock]) -> list[LabelMatch]:
        """Headings naming a part the Lean Canvas prints in a box no label names, read as
        that box, in a post naming three Lean-only blocks or parts: `## Existing
        Alternatives` beside `## Early Adopters` and `## Key Metrics` is its Problem.

        Where the box has a label, the part stays in it (after it) or beside it (elsewhere),
        and a report's lone `## Existing alternatives` beside a Business Model Canvas stays
        a section of its own. Each is as ambiguous as `Problem` alone.
        """
        parts: list[tuple[int, AnyBlock]] = []
        for index in self.box_part_headings:
            text, _level, match = self.headings[index]
            if match is not None:
                continue
            label = normalise_label(text)
            parts += [(index, box) for box, names in _BOX_PARTS.items() if label in names]
        lean_named = sum(isinstance(block, LeanBlock) for block in named)
        if not parts or lean_named + len(parts) < _LEAN_ONLY_LABELS:
            return []
        found: list[LabelMatch] = []
        for index, box in parts:
            if box not in named:
                text, level, _match = self.headings[index]
                part_match = LabelMatch(box, ambiguous=True, fuzzy=False)
                self.headings[index] = (text, level, part_match)
                found.append(part_match)
                named = {*named, box}
        return found

    def _title_over_blocks(self) -> int | None:
        """The first heading when it names a block but may be the post's title: no heading
        stands at its level or above it, and headings below it name other blocks.

        A company may be called "Channels" or "Revenue": `# Channels` over `## Customer
        Segments` ... `## Channels` titles the post, as a heading above every block does.
        """
        first = next(iter(self.headings), None)
        if first is None or self.headings[first][2] is None:
            return None
        level = self.headings[first][1]
        if any(other[1] <= level for index, other in self.headings.items() if index != first):
            return None
        return first

    def _title_or_block(self, title: int, readings: dict[int, _Reading]) -> dict[int, _Reading]:
        """Whether the heading `_title_over_blocks` found titles the post or opens a block.

        It titles the post when the labels under it name two blocks or more besides its
        own, and either name its own block again (`# Channels` over a canvas with its `##
        Channels`) or it says what the front matter `title` or the file name says; then it
        is no label at all. Otherwise it is the block it names, written a level too high
        (`# Customer Segments` over `## Value Propositions`), and what stands under it
        belongs to that block, labels of its own included.
        """
        text, level, match = self.headings[title]
        assert match is not None
        named = {
            other.block
            for index, (_text, _level, other) in self.headings.items()
            if other is not None and index != title
        }
        named.update(
            part.candidate.match.block
            for reading in readings.values()
            for part in reading.parts
            if part.candidate is not None
        )
        titles_the_post = match.block in named or normalise_label(text) in self.post_titles()
        if len(named - {match.block}) >= _BLOCKS_UNDER_A_TITLE and titles_the_post:
            self.headings[title] = (text, level, None)
            if _BOX_PART_WORDS.search(text):
                bisect.insort(self.box_part_headings, title)
            return readings
        if match.ambiguous:
            return readings
        under = self._block_regions({title: match})
        return {index: reading for index, reading in readings.items() if not under[index]}

    def _is_value_proposition_canvas(self) -> bool:
        """Whether the post names the boxes of a Value Proposition Canvas (Customer Jobs,
        Pain Relievers, Gain Creators, Products & Services), three at least."""
        found = {
            " ".join(match.group().lower().replace("&amp;", "&").split())
            for match in _VALUE_PROPOSITION_BOXES.finditer(self.body)
        }
        kinds = {_value_proposition_box(name) for name in found}
        return len(kinds) >= _VALUE_PROPOSITION_CANVAS

    def _drawn_gives_way(self, readings: dict[int, _Reading]) -> None:
        """A canvas drawn as boxes in a code block is read only when the text does not write it.

        Beside headings or labels naming three blocks or more, the drawing is a picture of
        the canvas the text writes out (a copy, or a blank layout over it): it stays text,
        unless it fills in more than twice as many blocks as the text names (a report
        discussing a few blocks of the canvas it draws, see `_choose_the_whole_canvas`).
        """
        drawn = [index for index in readings if self.units[index].kind == "block_code"]
        if not drawn:
            return
        written = {match.block for _text, _level, match in self.headings.values() if match}
        written.update(
            part.candidate.match.block
            for index, reading in readings.items()
            if index not in drawn
            for part in reading.parts
            if part.candidate is not None
        )
        if len(written) < 3:
            return
        for index in drawn:
            if not _gives_the_whole_canvas(_filled_blocks(readings[index]), written):
                del readings[index]

    def _blank_layout_gives_way(self, readings: dict[int, _Reading]) -> None:
        """A grid of labels with nothing in them, beside a grid filling those blocks in, is
        the layout shown as a key: the filled grid is the canvas, wherever it stands.

        A post may draw the empty Lean Canvas first, then the company's own in the same
        boxes; read in order, the empty one would be the canvas and the filled one a copy.
        """
        grids = [index for index in readings if self.units[index].kind in _DRAWN_KINDS]
        if len(grids) < 2:
            return
        filled = {index: _filled_blocks(readings[index]) for index in grids}
        if not any(len(blocks) >= _WHOLE_GRID for blocks in filled.values()):
            return
        for index in grids:
            named = {
                part.candidate.match.block
                for part in readings[index].parts
                if part.candidate is not None
            }
            if len(named) < _WHOLE_GRID or filled[index]:
                continue
            if any(named <= blocks for other, blocks in filled.items() if other != index):
                del readings[index]
                self.copies.add(index)

    def _refuse_numbered_repeats(self, readings: dict[int, _Reading]) -> None:
        """A numbered heading naming a block that an unnumbered label named before is a
        chapter of a report, not the block again.

        After `### Revenue Streams`, a `### 6. Revenue Model` among `### 3. Market` and
        `### 7. Risks` numbers the report's chapters, which the canvas's labels are not.
        """
        labels: list[tuple[int, AnyBlock, str]] = [
            (index, match.block, self.headings[index][0]) for index, match in self.accepted.items()
        ]
        labels += [
            (index, part.candidate.match.block, part.candidate.text)
            for index, reading in readings.items()
            for part in reading.parts
            if part.candidate is not None
        ]
        if len({block for _, block, _ in labels}) == len(labels):
            return  # no block named twice, as in most posts
        numbered_first: dict[AnyBlock, bool] = {}
        for index, block, text in sorted(labels, key=lambda label: label[0]):
            numbered = _NUMBERED.match(text) is not None
            if block not in numbered_first:
                numbered_first[block] = numbered
            elif numbered and not numbered_first[block] and index in self.accepted:
                del self.accepted[index]

    def _choose_the_whole_canvas(self, readings: dict[int, _Reading]) -> None:
        """One canvas, not two: a grid (a table, a drawing) that gives the canvas whole, or
        the labels (headings, bold labels, list items) that write it out.

        A grid filling in more than twice as many blocks as the labels name is the canvas,
        and a label naming one of its blocks (`## 18. Revenue Model` in a report after the
        canvas's table) is a section of the report: a heading stays an extra section, another
        label text. Labels naming every block the grid names write the canvas out, and the
        grid, before them or after, is a copy of it. Several grids naming a block twice are
        left to the reading of several canvases.
        """
        grids = [index for index in readings if self.units[index].kind in _DRAWN_KINDS]
        if not grids:
            return
        gridded: list[AnyBlock] = []
        for index in sorted(grids):
            blocks = [
                part.candidate.match.block
                for part in readings[index].parts
                if part.candidate is not None
            ]
            if len(blocks) < _WHOLE_GRID and set(blocks) <= set(gridded):
                # A small table after the canvas's grid naming some of its blocks again (an
                # MVP canvas's `| Proposta de Valor do MVP | Segmentos de Clientes |`) is
                # data, as `_find_copies` reads it, not a second canvas.
                grids.remove(index)
                continue
            gridded += blocks
        if len(gridded) != len(set(gridded)) or len(gridded) < _WHOLE_GRID:
            return
        headed = {index: match.block for index, match in self.accepted.items()}
        written = set(headed.values())
        written.update(
            part.candidate.match.block
            for index, reading in readings.items()
            if index not in grids
            for part in reading.parts
            if part.candidate is not None
        )
        if not written:
            return
        filled = set().union(*(_filled_blocks(readings[index]) for index in grids))
        if _gives_the_whole_canvas(filled, written):
            for index, block in headed.items():
                if block in filled:
                    del self.accepted[index]
            for index, reading in readings.items():
                if index in grids:
                    continue
                for part in reading.parts:
                    if part.candidate and part.candidate.match.block in filled:
                        part.candidate = None
                        part.entries = part.fallback
        elif written.issuperset(gridded):
            for index in grids:
                del readings[index]
                self.copies.add(index)

    def _refuse_a_lone_lean_block(self) -> None:
        """One Lean Canvas label in a whole Business Model Canvas, naming its block in other
        words, is a section of the report.

        A canvas labelling Key Partners, Key Activities, Key Resources and Customer
        Relationships, then `## 11. Key success metrics`, is a Business Model Canvas with
        its metrics beside it, not a canvas of both kinds; a `## Key Metrics` block written
        beside the nine keeps its name.
        """
        labels: list[tuple[AnyBlock, int | _Part]] = [
            (match.block, index) for index, match in self.accepted.items()
        ]
        labels += [
            (part.candidate.match.block, part)
            for reading in self.readings.values()
            for part in reading.parts
            if part.candidate is not None
        ]
        named = {block for block, _where in labels}
        lean = [(block, where) for block, where in labels if isinstance(block, LeanBlock)]
        if len(lean) != 1 or not named.issuperset(BUSINESS_ONLY_BLOCKS):
            return
        where = lean[0][1]
        if isinstance(where, int):
            if not is_known_name(self.headings[where][0]):
                del self.accepted[where]
        elif where.candidate is not None and not is_known_name(where.candidate.text):
            where.unknown = where.candidate.text
            where.candidate = None

    def _accept_paraphrases(self, named: set[AnyBlock]) -> None:
        """Headings that name a block in plain words, in a canvas clearly labelled by headings.

        "Money coming in" opens Revenue Streams only at the level of the canvas's block
        headings, once at least `_PARAPHRASE_AFTER` blocks have unambiguous headings, when no
        label names that block already, and when no other heading paraphrases it too. A
        Lean Canvas block is guessed only in a document that already names one.
        """
        clear = [
            (level, match.block)
            for index, (_text, level, match) in self.headings.items()
            if index in self.accepted and match is not None and not match.ambiguous
        ]
        if len({block for _level, block in clear}) < _PARAPHRASE_AFTER:
            return
        block_level = Counter(level for level, _block in clear).most_common(1)[0][0]
        guesses: dict[AnyBlock, list[int]] = {}
        for index, (text, level, match) in self.headings.items():
            if match is not None or level != block_level:
                continue
            block = read_paraphrase(text)
            if block is None or not _may_guess(block, named):
                continue
            guesses.setdefault(block, []).append(index)
        for block, indexes in guesses.items():
            if len(indexes) == 1:
                self.accepted[indexes[0]] = LabelMatch(block, ambiguous=False, fuzzy=False)

    def _yield_to_whole_names(self, readings: dict[int, _Reading]) -> None:
        """A heading naming a block by its first words gives way to the block's whole name.

        In a report with a `## 2) Value Proposition & Differentiation` section and, further
        on, a list labelled `**Value Propositions:**`, the list's label opens the block and
        the section stays an extra section of its own. Tables are left out: a summary table
        repeats the names of blocks that headings opened.
        """
        partial = [index for index in self.accepted if not is_known_name(self.headings[index][0])]
        if not partial:
            return
        whole = {
            match.block
            for index, (text, _level, match) in self.headings.items()
            if index in self.accepted and match is not None and is_known_name(text)
        }
        whole.update(
            part.candidate.match.block
            for index, reading in readings.items()
            if self.units[index].kind in ("paragraph", "list")
            for part in reading.parts
            if part.candidate is not None and is_known_name(part.candidate.text)
        )
        for index in partial:
            if self.accepted[index].block in whole:
                del self.accepted[index]

    def _refuse_odd_repeats(self, parts: list[_Part]) -> None:
        """A second label for a block, written unlike the canvas's labels, is a sub-label.

        In a canvas labelled `**Key Activities**`, `**Revenue Streams**`, a
        `**Revenue model:**` under Key Activities is part of that block, not Revenue
        Streams again: its form (bold, colon) is not the one most labels share.
        """
        labels = [
            part
            for part in parts
            if part.candidate is not None and part.candidate.label_only and part.fallback
        ]
        forms = Counter(_form(part) for part in labels)
        if not forms:
            return
        usual = forms.most_common(1)[0][0]
        usual_blocks = {_block(part) for part in labels if _form(part) == usual}
        for part in labels:
            if _form(part) != usual and _block(part) in usual_blocks:
                part.candidate = None
                part.entries = part.fallback

    def _find_unknown_labels(self, under_heading: list[bool]) -> None:
        """Paragraph labels that name no block, written the way this canvas labels its blocks.

        `**Benefits:**` after `**Value Propositions**` ends that block; inside a block opened
        by a heading it stays a sub-label, and a plain `Target:` ends only blocks labelled
        by plain lines.
        """
        forms = {
            (part.candidate.bold, part.candidate.label_only)
            for index, reading in self.readings.items()
            if self.units[index].kind == "paragraph"
            for part in reading.parts
            if part.candidate is not None
        }
        guesses: dict[AnyBlock, list[tuple[int, _Candidate, list[Entry]]]] = {}
        for index, unit in enumerate(self.units):
            if unit.kind != "paragraph" or index in self.readings or under_heading[index]:
                continue
            lines = _split_lines(unit.tokens[0].get("children", ()))
            # A label struck through (`~~**Channels**~~`): a block its writer left out, which
            # ends the block before it and opens none.
            struck = _struck_through(lines[0])
            found = _unknown_label(lines[0] if struck is None else struck)
            if found is None or not forms:
                continue
            if struck is None and (found.bold, not found.after) not in forms:
                continue
            if struck is not None or read_label(found.text) is None:
                rest = _paragraph_text([found.after, *(inline_text(line) for line in lines[1:])])
                self.unknown[index] = (found.text, rest)
                named = found.bold and not found.after and struck is None
                block = read_paraphrase(found.text) if named else None
                if block is not None:
                    match = LabelMatch(block, ambiguous=False, fuzzy=False)
                    candidate = _Candidate(found.text, match, unit.start, label_only=True)
                    guesses.setdefault(block, []).append((index, candidate, rest))
        self._accept_bold_paraphrases(guesses)

    def _accept_bold_paraphrases(
        self, guesses: dict[AnyBlock, list[tuple[int, _Candidate, list[Entry]]]]
    ) -> None:
        """Bold labels alone that name a block in plain words, in a canvas of such labels.

        The same rule as for headings: enough unambiguous bold labels first, no label for
        the block already, one paraphrase per block, a Lean Canvas block only beside another.
        """
        candidates = [
            part.candidate
            for index, reading in self.readings.items()
            if self.units[index].kind == "paragraph"
            for part in reading.parts
            if part.candidate is not None and part.candidate.bold
        ]
        clear = {candidate.match.block for candidate in candidates if not candidate.match.ambiguous}
        if len(clear) < _PARAPHRASE_AFTER:
            return
        named = {match.block for match in self.accepted.values()}
        named.update(
            part.candidate.match.block
            for reading in self.readings.values()
            for part in reading.parts
            if part.candidate is not None
        )
        for block, found in guesses.items():
            if len(found) != 1 or not _may_guess(block, named):
                continue
            index, candidate, rest = found[0]
            unit = self.units[index]
            fallback = _unit_entries(unit.tokens)
            part = _Part(candidate, rest, fallback, unit.start, unit.end)
            self.readings[index] = _Reading([part])
            del self.unknown[index]

    def _find_copies(self) -> None:
        """Tables whose labels only repeat blocks already read are not blocks again.

        A table repeating at least half the canvas is a copy of it (a summary grid) and
        becomes an extra section; a smaller one (`| Month | Revenue | Costs |`) is data
        inside the block it follows.
        """
        if not self.readings and all(unit.kind not in _DRAWN_KINDS for unit in self.units):
            return  # headings only, and nothing drawn: nothing to be a copy
        seen: set[AnyBlock] = set()
        for index in range(len(self.units)):
            match = self.accepted.get(index)
            if match is not None:
                seen.add(match.block)
            reading = self.readings.get(index)
            if reading is None:
                if len(seen) < 3 or self.units[index].kind not in _DRAWN_KINDS:
                    continue
                named = self._blocks_named_in(self.units[index])
                if len(named) >= 3 and named <= seen and 2 * len(named) >= len(seen):
                    # A grid drawn in a code block or a table inside the last block.
                    self.copies.add(index)
                continue
            blocks = {
                part.candidate.match.block for part in reading.parts if part.candidate is not None
            }
            if reading.first_label_leads or not seen or not blocks <= seen:
                seen |= blocks
                continue
            del self.readings[index]
            if 2 * len(blocks) >= len(seen):
                self.copies.add(index)

    def _blocks_named_in(self, unit: _Unit) -> set[AnyBlock]:
        """The blocks a table or a code block (ASCII art) names in its cells."""
        if unit.kind in ("table", "html_table"):
            reading = self._reading(unit)
            parts = reading.parts if reading is not None else []
            return {part.candidate.match.block for part in parts if part.candidate is not None}
        if unit.kind != "block_code":
            return set()
        return blocks_drawn_in(unit.tokens[0].get("raw", ""))

    def _refuse_prose(self) -> None:
        """Refuse labels followed by text that read as prose.

        A label with its text on the same line gives way to a heading or a label on
        its own line for the same block; a plain `Label: text` line (not bold) also
        needs another such line naming another block.
        """
        parts = [part for reading in self.readings.values() for part in reading.parts]
        labelled = {match.block for match in self.accepted.values()}
        labelled.update(
            part.candidate.match.block
            for part in parts
            if part.candidate is not None and part.candidate.label_only
        )
        inline = [part for part in parts if part.candidate and not part.candidate.label_only]
        plain_blocks = {
            part.candidate.match.block
            for part in inline
            if part.candidate and not part.candidate.bold
        }
        for part in inline:
            assert part.candidate is not None
            lone_plain = not part.candidate.bold and len(plain_blocks) < 2
            if lone_plain or part.candidate.match.block in labelled:
                part.candidate = None
                part.entries = part.fallback
        self._refuse_odd_repeats(parts)
        for index, reading in list(self.readings.items()):
            candidates = [part for part in reading.parts if part.candidate is not None]
            leader = reading.parts[0]
            # An outliner's headings naming no block may lead the list of its page.
            leads = leader.candidate is not None or leader.unknown is not None
            if not candidates or (reading.first_label_leads and not leads):
                del self.readings[index]

    def _reading(self, unit: _Unit) -> _Reading | None:
        if unit.kind == "paragraph":
            return self._paragraph_reading(unit)
        if unit.kind == "list":
            return self._list_reading(unit)
        if unit.kind in ("table", "html_table"):
            from canvascli.read.post_tables import table_sections
        if unit.kind == "table":
            cells = self._pipe_table_cells(unit)
            return self._table_reading(unit, table_sections(cells), whole=False)
        if unit.kind == "html_table":
            source = self.body[unit.start : unit.end]
            # html.parser is imported only for a post with an HTML table.
            from canvascli.read.html_tables import read_html_table

            rows = read_html_table(source, unit.start)
            return self._table_reading(unit, table_sections(rows), whole=True)
        if unit.kind == "block_code":
            raw = unit.tokens[0].get("raw", "")
            info = (unit.tokens[0].get("attrs") or {}).get("info") or ""
            if info.strip().lower().startswith("mermaid"):
                # Imported only for a post with a Mermaid chart.
                from canvascli.read.mermaid_charts import chart_sections

                chart = chart_sections(self.body, unit.start, unit.end)
                return self._table_reading(unit, chart, whole=True)
            language = info.split(maxsplit=1)[0].lower() if info.strip() else ""
            if language in _YAML_INFO or (not language and _YAML_KEY_FIRST.match(raw)):
                # Imported only for a post with YAML in a code block.
                from canvascli.read.yaml_blocks import yaml_sections

                keyed = yaml_sections(self.body, unit.start, unit.end)
                return self._table_reading(unit, keyed, whole=True)
            drawn_with_bars = _BOX_BAR.search(raw) is not None
            if not drawn_with_bars and _SPACED_COLUMNS not in raw:
                return None
            # Imported only for a post with a code block drawn in columns.
            from canvascli.read.drawn_grids import grid_sections

            spaced = not drawn_with_bars
            grid = grid_sections(self.body, unit.start, unit.end, _paragraph_text, spaced=spaced)
            return self._table_reading(unit, grid, whole=True)
        return None

    def _line_starts(self, unit: _Unit) -> list[int]:
        found = _NEWLINE.finditer(self.body, unit.start, max(unit.start, unit.end - 1))
        return [unit.start, *(match.end() for match in found)]

    def _line_start(self, offset: int) -> int:
        return self.body.rfind("\n", 0, offset) + 1

    def _paragraph_reading(self, unit: _Unit) -> _Reading | None:
        lines = _split_lines(unit.tokens[0].get("children", ()))
        wrapped = _wrapped_label(lines) if len(lines) > 1 else None
        if wrapped is not None:
            lines = [wrapped, *lines[2:]]
        first = _line_label(lines[0])
        if first is None:
            return None
        starts = self._line_starts(unit)
        if wrapped is not None:
            del starts[1:2]
        parts: list[_Part] = []
        texts: list[list[str]] = []
        previous = -1
        for number, line in _run_in_labelled(lines):
            found = _line_label(line) if parts or line is not lines[0] else first
            line_start = starts[min(number, len(starts) - 1)]
            if found is None:
                texts[-1].append(inline_text(line))
                continue
            candidate, after = found
            if number == previous and parts:
                # A label run into the line after another: it starts where its text does.
                at = self.body.find(candidate.text, parts[-1].start + 1, unit.end)
                if at >= 2 and self.body[at - 2 : at] in ("**", "__"):
                    at -= 2
                line_start = at if at >= 0 else parts[-1].start
            previous = number
            candidate.offset = line_start
            parts.append(_Part(candidate, [], [], line_start, unit.end))
            texts.append([after])
            parts[-1].fallback = [Entry("paragraph", inline_text(line))]
        for index, part in enumerate(parts):
            if index + 1 < len(parts):
                part.end = parts[index + 1].start
            part.entries = _paragraph_text(texts[index])
            part.fallback = _paragraph_text([part.fallback[0].text, *texts[index][1:]])
        return _Reading(parts)

    def _item_starts(self, unit: _Unit, count: int) -> list[int]:
        """Where each item of a top-level list starts: its marker lines, below nesting depth."""
        starts: list[int] = []
        width: int | None = None
        for start in self._line_starts(unit):
            line = self.body[start : start + 40]
            marker = _LIST_MARKER.match(line)
            if marker and (width is None or len(marker.group(1)) < width):
                starts.append(start)
                width = width if width is not None else marker.end()
        if len(starts) != count:
            return [unit.start] * count
        return starts

    def _list_reading(self, unit: _Unit) -> _Reading | None:
        items = [item for item in unit.tokens[0].get("children", ()) if item["type"] == "list_item"]
        if not items:
            return None
        # An outliner's page is one list: headings naming no block (`- # Artifacts`) may
        # come before the first block's.
        lead = 0
        while lead < len(items) and _heading_item_text(items[lead]) is not None:
            if _item_label(items[lead]) is not None:
                break
            lead += 1
        first = _item_label(items[lead]) if lead < len(items) else None
        if first is None:
            return None
        starts = self._item_starts(unit, len(items))
        parts: list[_Part] = []
        for number, item in enumerate(items):
            found = _item_label(item) if number != lead else first
            fallback = list(_entries([item]))
            if found is None:
                part = _Part(None, fallback, fallback, starts[number], unit.end)
                unknown = _unknown_item_label(item, first[0])
                if unknown is not None:
                    part.unknown, part.entries = unknown
                parts.append(part)
                continue
            candidate, entries = found
            candidate.offset = starts[number]
            parts.append(_Part(candidate, entries, fallback, starts[number], unit.end))
        if _is_outline(parts):
            return None
        for index, part in enumerate(parts[:-1]):
            part.end = parts[index + 1].start
        return _Reading(parts)

    def _pipe_table_cells(self, unit: _Unit) -> list[list[Cell]]:
        from canvascli.read.post_tables import Cell

        row_starts = [
            start
            for start in self._line_starts(unit)
            if self.body[start : start + 200].strip(" \t\n")
        ]
        rows: list[list[Cell]] = []
        for part in unit.tokens[0].get("children", ()):
            header = part.get("type") == "table_head"
            for row in [part] if header else part.get("children", ()):
                # The delimiter row sits between the header and the first body row.
                line = len(rows) + (0 if header or not rows else 1)
                offset = row_starts[min(line, len(row_starts) - 1)]
                children = row.get("children", ())
                spans = self._pipe_cell_spans(offset, len(children))
                cells = []
                for column, cell in enumerate(children):
                    start, end = spans[column]
                    cells.append(Cell(len(rows), column, 1, start, header, _cell_lines(cell), end))
                rows.append(cells)
        return rows

    def _pipe_cell_spans(self, line_start: int, count: int) -> list[tuple[int, int]]:
        """Where each cell of a pipe table row sits, between its unescaped pipes."""
        line_end = self.body.find("\n", line_start)
        line_end = len(self.body) if line_end < 0 else line_end
        pipes = [
            line_start + match.start()
            for match in _CELL_PIPE.finditer(self.body[line_start:line_end])
        ]
        bounds = [line_start - 1, *pipes, line_end]
        if self.body[line_start:line_end].lstrip().startswith("|"):
            bounds = bounds[1:]
        spans = [(bounds[index] + 1, bounds[index + 1]) for index in range(len(bounds) - 1)]
        if len(spans) < count:
            return [(line_start, line_end)] * count
        return spans[:count]

    def _table_reading(self, unit: _Unit, table: TableReading, whole: bool) -> _Reading | None:
        sections = table.sections
        if not sections:
            return None
        by_rows = table.by_rows and not whole
        parts: list[_Part] = []
        if table.loose:
            parts.append(_Part(None, table.loose, table.loose, unit.start, unit.start))
        for index, section in enumerate(sections):
            candidate = None
            if section.match is not None:
                candidate = _Candidate(
                    section.label, section.match, section.offset, label_only=True
                )
            if by_rows:
                start = self._line_start(section.offset) if index else unit.start
                end = unit.end
                if index + 1 < len(sections):
                    end = self._line_start(sections[index + 1].offset)
                part = _Part(candidate, section.entries, [], start, end)
            else:
                part = _Part(candidate, section.entries, [], section.offset, section.offset)
                part.spans = section.spans
            if candidate is None:
                part.unknown = section.label
            parts.append(part)
        return _Reading(parts, first_label_leads=False)

    # Sections

    def drafts(self) -> list[_Draft]:
        """Group the units under the labels that open sections, in document order."""
        self._find_labels()
        first_reading = min(self.readings, default=len(self.units))
        for index, (_text, _level, _match) in self.headings.items():
            if index not in self.accepted and index < first_reading:
                self.title = index
            break
        drafts: list[_Draft] = []
        current: _Draft | None = None
        preamble: list[Entry] = []
        context_level = 0
        last_label = max((*self.accepted, *self.readings, *self.unknown), default=len(self.units))
        sub_labelled: list[_Draft] = []
        # Where a block's sub-heading stands among its entries: (id of the draft, index).
        sub_headings: set[tuple[int, int]] = set()
        after_box = False
        # Blocks written as a label and its text in one paragraph or list item
        # (`**Channels:** flyers`), and whether any of them ran on into the paragraphs after
        # it: where none did, an unlabelled paragraph after the last one is the post's own
        # closing words.
        inline: list[_Draft] = []
        inline_ran_on = False
        # The units where a callout or toggle has ended: none in most posts, which pay one
        # test of an empty dict a unit for them.
        box_ends = self._box_ends()
        for index, unit in enumerate(self.units):
            if box_ends and index in box_ends:
                for box_start, box_end in box_ends[index]:
                    boxed = current is not None and box_start <= current.label.offset < box_end
                    if boxed and current is not None and current.label.block is not None:
                        # A callout or toggle holds its block: what follows is not in it.
                        current, after_box = None, True
            if unit.kind == "blank_line":
                # Half the units of a post: no text, no label, only more of the open section.
                if current is not None:
                    current.spans.append((unit.start, unit.end))
                continue
            heading = self.headings.get(index)
            if heading is not None:
                context_level = heading[1]
            if index == self.title:
                continue
            span = (unit.start, unit.end)
            level = min(context_level + 1, 6) if context_level else _LEVEL_WITHOUT_HEADING
            in_block = current is not None and current.label.block is not None
            opens_extra = index in self.unknown or (index in self.copies and in_block)
            if index > last_label and in_block:
                # The end of the canvas ends its last block: a closing rule or a link line.
                opens_extra = (
                    opens_extra
                    or unit.kind == "thematic_break"
                    or self._is_link_line(unit)
                    or (index == len(self.units) - 1 and _is_signature(unit))
                    or (unit.kind == "block_html" and self._is_closing_aside(index, current))
                    or (
                        unit.kind == "paragraph"
                        and not inline_ran_on
                        and len(inline) >= _INLINE_BLOCKS_FOR_A_CLOSING
                        and current is inline[-1]
                        and not current.entries[-1].text.endswith(_COLONS)
                    )
                )
            if index > last_label and current is not None and not opens_extra:
                # `**Team:** …` after the last block, and `**References:** …` after that.
                opens_extra = self._opens_a_closing_section(index, unit)
            if index in self.unknown and in_block:
                assert current is not None
                if not current.entries or current in sub_labelled:
                    # A block that opens with labels of its own (`**Businesses**`, then
                    # `**Residents**`) is divided by them, not ended.
                    sub_labelled.append(current)
                    current.entries.extend(_unit_entries(unit.tokens))
                    current.spans.append(span)
                    continue
            if opens_extra:
                text, entries = self.unknown.get(index, ("", _unit_entries(unit.tokens)))
                current = _Draft(_Label(text, None, level, unit.start, heading=False), entries)
                current.spans.append(span)
                drafts.append(current)
                continue
            if heading is not None:
                text, level, _match = heading
                match = self.accepted.get(index)
                label = _Label(
                    text,
                    match.block if match else None,
                    level,
                    unit.start,
                    ambiguous=bool(match and match.ambiguous),
                )
                closing = index > last_label and _is_closing_heading(text)
                if _belongs_to(label, current) and not closing:
                    assert current is not None
                    sub_headings.add((id(current), len(current.entries)))
                    current.entries.extend(_unit_entries(unit.tokens))
                    current.spans.append(span)
                    continue
                own_text: list[Entry] = []
                if match is not None and (
                    ":" in text or "：" in text or _SPACED_DASH.search(text) is not None
                ):
                    label.text, own_text = _heading_and_text(text, match.block)
                current = _Draft(label, own_text, [span])
                drafts.append(current)
                continue
            reading = self.readings.get(index)
            if reading is None:
                entries = _unit_entries(unit.tokens)
                if current is None and after_box and entries:
                    current = _Draft(_Label("", None, level, unit.start, heading=False))
                    drafts.append(current)
                if current is None:
                    preamble.extend(entries)
                else:
                    if inline and current is inline[-1] and entries:
                        inline_ran_on = True
                    current.entries.extend(entries)
                    current.spans.append(span)
                continue
            before = current
            for part in reading.parts:
                if part.unknown is not None:
                    label = _Label(part.unknown, None, level, part.start, heading=False)
                    current = _Draft(label, list(part.entries), list(part.source))
                    drafts.append(current)
                    continue
                if part.candidate is None:
                    if current is None:
                        preamble.extend(part.entries)
                    else:
                        current.entries.extend(part.entries)
                        current.spans.extend(part.source)
                    continue
                candidate = part.candidate
                label = _Label(
                    candidate.text,
                    candidate.match.block,
                    level,
                    candidate.offset,
                    heading=False,
                    ambiguous=candidate.match.ambiguous,
                )
                current = _Draft(label, list(part.entries), list(part.source))
                drafts.append(current)
                if unit.kind in ("paragraph", "list") and part.entries:
                    inline.append(current)
            if not reading.first_label_leads:
                # A table is a grid of its own: what follows it is not in its last cell.
                current = before
        if "{" in self.body:
            _without_site_markup(drafts)
            preamble = _without_site_markup_in(preamble)
        if self.invisible:
            _visible(drafts)
            preamble = [_visible_entry(entry) for entry in preamble]
        _drop_template_prompts(drafts, sub_headings)
        self._without_the_label_again(drafts)
        if preamble:
            title_level = self.headings[self.title][1] if self.title is not None else 1
            end = drafts[0].spans[0][0] if drafts else len(self.body)
            intro = _Draft(_Label("", None, title_level, 0), preamble, [(0, end)])
            drafts.insert(0, intro)
        return drafts

    def _without_the_label_again(self, drafts: list[_Draft]) -> None:
        """A block's text under its heading that opens by naming the block again, before a
        colon, without that name: under `## Key Partners`, `Key partners: suppliers,
        banks` holds `suppliers, banks`.

        Only as the line is written: a name the source opens with markup of its own (an
        escape, an inline tag) is the block's text, as `canvas export` writes such text.
        """
        for draft in drafts:
            label = draft.label
            if label.block is None or not label.heading or not draft.entries:
                continue
            first = draft.entries[0]
            again = label_again(first.text, label.block)
            if not again:
                continue
            spans = draft.spans[1:]
            source = next(
                (text for start, end in spans if (text := self.body[start:end].strip())), ""
            )
            opening = _LINE_OPENING.match(source)
            written = source[opening.end() if opening else 0 :]
            if written.startswith(first.text[: again - 1].strip()):
                draft.entries[0] = first._replace(text=first.text[again:].strip())

    def _is_closing_aside(self, index: int, current: _Draft | None) -> bool:
        """Whether the HTML at `index` is a Notion callout (`<aside>`) after the last block's
        text, where no block before it holds one: the page's own note (a tip, where its
        template came from), not more of that block."""
        if current is None or not current.entries:
            return False
        if not _ASIDE_OPEN.match(self.units[index].tokens[0].get("raw", "")):
            return False
        first_label = min((*self.accepted, *self.readings), default=index)
        return not any(
            unit.kind == "block_html" and _ASIDE_OPEN.match(unit.tokens[0].get("raw", ""))
            for unit in self.units[first_label:index]
        )

    def _opens_a_closing_section(self, index: int, unit: _Unit) -> bool:
        """Whether a paragraph after the last block is labelled as a section a write-up
        holds besides its canvas (`**Team:** Mei and Tom`, `**References:** …`): it ends
        the last block, as a heading naming that section would. Noted as an extra
        section's label."""
        if unit.kind != "paragraph":
            return False
        children = unit.tokens[0].get("children", ())
        if not children or children[0].get("type") not in _BOLD_TYPES:
            return False
        lines = _split_lines(children)
        found = _unknown_label(lines[0]) if lines else None
        if found is None or not found.bold:
            return False
        if not (_is_closing_heading(found.text) or is_other_section(found.text)):
            return False
        rest = _paragraph_text([found.after, *(inline_text(line) for line in lines[1:])])
        self.unknown[index] = (found.text, rest)
        return True

    def _box_ends(self) -> dict[int, list[tuple[int, int]]]:
        """The opened callouts, quotes and toggles by the first unit after each."""
        if not self.boxes:
            return {}
        starts = [unit.start for unit in self.units]
        found: dict[int, list[tuple[int, int]]] = {}
        for box in self.boxes:
            found.setdefault(bisect.bisect_left(starts, box[1]), []).append(box)
        return found

    def title_heading(self, lines: _LineIndex) -> Section | None:
        """The title heading as a section of its own, with nothing under it."""
        if self.title is None:
            return None
        text, level, _match = self.headings[self.title]
        return Section(text, None, level, lines.line_of(self.units[self.title].start), (), "")

    def title_text(self, metadata: dict[str, Any]) -> str:
        """The title heading, or else the front matter `title`."""
        if self.title is not None:
            return self.headings[self.title][0]
        title = metadata.get("title")
        return str(title) if isinstance(title, str | int | float) else ""

    def _is_link_line(self, unit: _Unit) -> bool:
        """A paragraph of links and nothing else, such as "← All canvases · Next →"."""
        if unit.kind != "paragraph":
            return False
        children = unit.tokens[0].get("children", ())
        others = [token for token in children if token.get("type") not in _NOT_LABEL_TEXT]
        if not _has_link(children) or _WORDY.search(inline_text(others)):
            return False
        return bool(_NAVIGATION.search(inline_text(children)))

    # The company

    def company_name(self, metadata: dict[str, Any], source: str) -> tuple[str, bool]:
        """The company's name, and whether a heading gave it.

        In order: a canvas phrase in a heading ("Business Model Canvas: Acme", "Acme —
        Lean Canvas"), the front matter `title` unless it is a slug or generic, a labelled
        line or section ("**Company:** Acme", "Empresa:", "## Project Title"), the title
        heading unless it is generic or a course heading, a slug-like `title`, and last
        the file name as words.
        """
        heading_name = self._heading_name()
        if heading_name and heading_name[1]:
            return heading_name[0], True
        named_by_heading = heading_name is not None
        front_title = metadata.get("title")
        front_text = str(front_title).strip() if isinstance(front_title, str | int | float) else ""
        if front_text and not is_slug_like(front_text) and not is_generic_word(front_text):
            front_name = name_from_title(front_text)
            if front_name:
                trimmed_only = front_name == trimmed_name(front_text)
                if trimmed_only and front_text == self._title_heading_text():
                    # Written twice the same way, as title and heading, a name is meant with
                    # the quotes, dashes or emoji around it: `-rf`, `'Quoted'`.
                    return front_text, named_by_heading
                return front_name, named_by_heading
        front_company = _front_matter_company(metadata)
        if front_company:
            return front_company, named_by_heading
        page_title = self._page_property_title()
        if page_title and not is_slug_like(page_title) and not is_generic_word(page_title):
            page_name = name_from_title(page_title)
            if page_name:
                return page_name, named_by_heading
        labelled = self._labelled_name()
        if labelled:
            return labelled, named_by_heading
        if heading_name:
            return heading_name[0], True
        opening = self._opening_line_name()
        if opening:
            return opening, False
        if front_text and is_slug_like(front_text):
            return name_from_file(front_text), False
        return name_from_file(source), False

    def _title_heading_text(self) -> str | None:
        return self.headings[self.title][0].strip() if self.title is not None else None

    def _heading_name(self) -> tuple[str, bool] | None:
        """The name a heading gives, and whether in a canvas phrase (which beats all else)."""
        for index, (text, _level, _match) in self.headings.items():
            if index not in self.accepted and index not in self.not_the_post:
                phrase_name = name_in_phrase(text)
                if phrase_name:
                    return phrase_name, True
        if self.title is not None:
            title_text = self.headings[self.title][0]
            if names_a_company(title_text):
                title_name = name_from_title(title_text)
                if title_name:
                    return title_name, False
        return None

    def _page_property_title(self) -> str | None:
        """An outliner page's `title:: X` property, before the first block: its front matter."""
        first_block = min([*self.accepted, *self.readings], default=len(self.units))
        for unit in self.units[:first_block]:
            if unit.kind != "paragraph":
                continue
            for line in _unit_lines(unit):
                found = _TITLE_PROPERTY.match(_flat_text(line).strip())
                if found:
                    return found.group("title").strip() or None
        return None

    def _opening_line_name(self) -> str | None:
        """A short line alone at the top of a post without headings, used as its title."""
        if not self.units or self.headings or self.units[0].kind != "paragraph":
            return None
        if 0 in self.readings:
            return None
        lines = _unit_lines(self.units[0])
        if len(lines) != 1:
            return None
        text = " ".join(inline_text(lines[0]).split())
        if len(text.split()) > _OPENING_NAME_WORDS or text.endswith(_SENTENCE_ENDS):
            return None
        if _OUTLINER_PROPERTY.match(text):
            return None  # a page's property in an outliner: `page-type:: [[artifact]]`
        if read_label(text.rstrip("".join(_COLONS)), strict=True) is not None:
            return None  # a block's label (`**Customer Segments**`) in a canvas too short to read
        return name_from_title(text) if names_a_company(text) else None

    def _labelled_name(self) -> str | None:
        """The name after a label ("**Company:**", "Empresa :") or under "Project Title".

        Labelled lines count only before the first block, where a post keeps its details:
        inside a block, "Product: subscription boxes" describes the offer.
        """
        first_block = min([*self.accepted, *self.readings], default=len(self.units))
        expecting = False
        for index, unit in enumerate(self.units):
            heading = self.headings.get(index)
            if heading is not None:
                if index in self.accepted:
                    expecting = False
                    continue
                expecting = is_project_label(heading[0])
                labelled = _labelled_value(heading[0])
                if labelled:
                    return labelled
                continue
            if unit.kind == "block_code" and index in self.readings:
                # A canvas kept as data (`company: Acme` above `key_partners:`) names its
                # company beside its blocks, in what no block holds.
                for part in self.readings[index].parts:
                    for entry in part.entries if part.candidate is None else ():
                        labelled = _labelled_value(entry.text)
                        if labelled:
                            return labelled
                continue
            if unit.kind not in ("paragraph", "list"):
                continue
            lines = _unit_lines(unit)
            if expecting and lines:
                return _name_value(inline_text(lines[0]))
            if index > first_block:
                continue
            for line in lines:
                labelled = _labelled_value(inline_text(line))
                if labelled:
                    return labelled
        return None


def _value_proposition_box(name: str) -> str:
    """The box of a Value Proposition Canvas a name found in a post stands for."""
    for box in ("job", "reliever", "creator", "service", "pains", "gains"):
        if box in name:
            return box
    return name


def _front_matter_company(metadata: dict[str, Any]) -> str | None:
    """The name a front matter field such as `company:`, `startup:` or `empresa:` gives."""
    for key, value in metadata.items():
        if not isinstance(value, str) or len(key) > _FRONT_MATTER_KEY_CHARS:
            continue
        label = key.replace("_", " ").replace("-", " ")
        if not _PROJECT_KEY_WORDS.intersection(label.lower().split()):
            continue  # `layout`, `date`, `tags`: nearly every key, told without parsing it
        if normalise_label(label) in _OFFER_KEYS:
            continue  # `product: rocket boots` says what the company sells
        if is_project_label(label) and value.strip():
            name = name_from_title(value.strip())
            if name and not is_generic_word(name):
                return name
    return None


def _unit_lines(unit: _Unit) -> list[list[dict[str, Any]]]:
    """The lines of a paragraph, or the first line of each item of a list."""
    token = unit.tokens[0]
    if unit.kind == "paragraph":
        return [line for line in _split_lines(token.get("children", ())) if line]
    lines = []
    for item in token.get("children", ()):
        children = item.get("children", ())
        if children:
            lines.append(_split_lines(children[0].get("children", ()))[0])
    return [line for line in lines if line]


def _labelled_value(text: str) -> str | None:
    """ "Company: Acme Rockets" -> "Acme Rockets", when the label names the company."""
    positions = [position for position in (text.find(":"), text.find("：")) if position > 0]
    if not positions:
        return None
    colon = min(positions)
    label, value = text[:colon].strip(" *_"), text[colon + 1 :]
    if not is_project_label(label):
        return None
    return _name_value(value)


# Where a name ends and its description begins: "Acme — reusable rockets", "Acme (2024)".
_DESCRIPTOR = deferred(r"\s+[—–·-]\s+|\s*[(\[]|[,;:：]\s+|\s*[.。]\s*$")
# More words than this after a label are a sentence about the company, not its name.
_NAME_MAX_WORDS = 8
# A value that opens like a sentence describes the company rather than naming it.
_DESCRIPTION_START = deferred(r"^(?:an?|the)\s+[a-z]", re.IGNORECASE)


_OPENING_NAME_WORDS = 6
# A front matter key longer than this is never a label such as `company_name`.
_FRONT_MATTER_KEY_CHARS = 40
# A front matter key naming the company holds one of these words.
_PROJECT_KEY_WORDS = frozenset(
    {"company", "startup", "business", "venture", "project", "firm", "brand", "organization"}
    | {"organisation", "empresa", "proyecto", "projeto", "entreprise", "projet", "unternehmen"}
    | {"firma", "projekt", "azienda", "progetto", "bedrijf", "onderneming", "firmenname"}
    | {"projektname", "bedrijfsnaam", "projectnaam"}
)
_OFFER_KEYS = frozenset(
    {"product", "produkt", "producto", "produto", "prodotto", "produit", "application"}
    | {"aplicación", "aplicação", "app", "service"}
)
_OUTLINER_PROPERTY = deferred(r"^[\w-]+::(?:\s|$)")
_TITLE_PROPERTY = deferred(r"^title::\s+(?:\[\[)?(?P<title>.+?)(?:\]\])?$", re.IGNORECASE)
_SENTENCE_ENDS = (".", "!", "?", ":", "。", "！", "？", "：")


def _name_value(text: str) -> str | None:
    whole = " ".join(text.split()).strip(" *_")
    name = _DESCRIPTOR.split(whole, maxsplit=1)[0].strip(" *_")
    if name == whole[:-1] and ends_in_abbreviation(whole):
        name = whole  # "Acme Inc." ends in its legal form, not in a full stop
    if _DESCRIPTION_START.match(name) or len(name.split()) > _NAME_MAX_WORDS:
        return None
    return _short_name(name)


_LIST_MARKER = deferred(r"^( {0,3})(?:[-*+]|\d{1,9}[.)])(?:[ \t]+|$)")
_BOLD_TYPES = frozenset({"strong", "emphasis"})


def _short_name(text: str) -> str | None:
    name = " ".join(text.split()).strip(" *_:")
    return name if 0 < len(name) <= MAX_LABEL_CHARS else None


def _item_label(item: dict[str, Any]) -> tuple[_Candidate, list[Entry]] | None:
    """A list item whose first line is a label, with the rest of the item as entries."""
    children = item.get("children", ())
    if children and children[0].get("type") == "heading":
        # An outliner's block written as a heading in a list item: `- ## Customer Segments`.
        label = inline_text(children[0].get("children", ())).strip()
        match = read_label(label) if is_label_sized(label) else None
        if match is None:
            return None
        # A heading is a label as plainly as a colon is: its text may follow in the items
        # after it, as an outliner writes a page.
        candidate = _Candidate(label, match, 0, label_only=True, colon=True)
        return candidate, list(_entries(children[1:]))
    if not children or children[0].get("type") not in ("block_text", "paragraph"):
        return None
    lines = _split_lines(children[0].get("children", ()))
    found = _line_label(lines[0])
    if found is None:
        return None
    candidate, after = found
    entries = _paragraph_text([after, *(inline_text(line) for line in lines[1:])])
    entries.extend(_entries(children[1:]))
    return candidate, entries


# A list naming at least this many blocks, most of them bare, lists the blocks: an outline.
_OUTLINE_LABELS = 3


def _is_outline(parts: list[_Part]) -> bool:
    """Whether a list's labelled items only name the blocks, as contents or an outline do.

    `- Propuesta de valor`, `- Segmentos de clientes`, ... with nothing under most of them
    names what a document holds or will hold; a label awaiting its text is written with a
    colon (`- **Channels:**`), and a block's text follows its name in the item.
    """
    labels = [part for part in parts if part.candidate is not None]
    bare = [
        part
        for part in labels
        if part.candidate is not None and not part.candidate.colon and not part.entries
    ]
    return len(labels) >= _OUTLINE_LABELS and 2 * len(bare) > len(labels)


def _heading_item_text(item: dict[str, Any]) -> str | None:
    """The heading a list item opens with, as outliners write a page's headings."""
    children = item.get("children", ())
    if children and children[0].get("type") == "heading":
        return inline_text(children[0].get("children", ())).strip()
    return None


def _unknown_item_label(
    item: dict[str, Any], sibling: _Candidate
) -> tuple[str, list[Entry]] | None:
    """A list item labelled like its block-labelled sibling whose label names no block,
    with the rest of the item as entries: a short first line with text under it, or a
    bold `**Label:** text` among such items, or a heading naming no block in an outliner's
    list of headings (`- ## SWOT Analysis`)."""
    children = item.get("children", ())
    if children and children[0].get("type") == "heading":
        label = inline_text(children[0].get("children", ())).strip()
        if not label or read_label(label) is not None:
            return None
        return label, list(_entries(children[1:]))
    if not children or children[0].get("type") not in ("block_text", "paragraph"):
        return None
    lines = _split_lines(children[0].get("children", ()))
    found = _unknown_label(lines[0], bare=sibling.label_only)
    if found is None or read_label(found.text) is not None:
        return None
    if sibling.label_only:
        if found.after or (len(lines) == 1 and len(children) == 1):
            return None
    elif not (found.bold and sibling.bold and found.after):
        return None
    entries = _paragraph_text([found.after, *(inline_text(line) for line in lines[1:])])
    entries.extend(_entries(children[1:]))
    return found.text, entries


def _cell_lines(cell: dict[str, Any]) -> list[CellLine]:
    """A pipe table cell's text cut at its `<br>`s, noting bold lines and bullets."""
    from canvascli.read.post_tables import CellLine, split_markdown_line

    lines: list[list[dict[str, Any]]] = [[]]
    for child in cell.get("children", ()):
        if child.get("type") == "inline_html" and child.get("raw", "").lower().startswith("<br"):
            lines.append([])
        else:
            lines[-1].append(child)
    result: list[CellLine] = []
    for line in lines:
        text = inline_text(line)
        if not text:
            continue
        solid = [token for token in line if token.get("type") != "text" or token["raw"].strip()]
        if len(solid) == 1 and solid[0].get("type") in _BOLD_TYPES:
            result.append(CellLine(text, bold=True, kind="paragraph"))
        else:
            result.append(split_markdown_line(text))
    return result


def blocks_drawn_in(text: str) -> set[AnyBlock]:
    """The blocks a drawing of the canvas (ASCII art in a code block) names in its cells."""
    named: set[AnyBlock] = set()
    for chunk in _ART_SEPARATORS.split(text):
        label = chunk.strip(_ART_STROKES)
        match = read_label(label, strict=True) if is_label_sized(label) else None
        if match is not None:
            named.add(match.block)
    return named


def _gives_the_whole_canvas(filled: set[AnyBlock], written: set[AnyBlock]) -> bool:
    """Whether a grid filling in `filled` is the canvas beside labels naming `written`."""
    return len(filled) >= _WHOLE_GRID and 2 * len(written) < len(filled)


def _filled_blocks(reading: _Reading) -> set[AnyBlock]:
    """The blocks a reading labels and gives text to."""
    return {
        part.candidate.match.block
        for part in reading.parts
        if part.candidate is not None and part.entries
    }


def _is_closing_heading(text: str) -> bool:
    return normalise_label(text) in _CLOSING_HEADINGS


def _is_signature(unit: _Unit) -> bool:
    if unit.kind != "paragraph":
        return False
    text = inline_text(unit.tokens[0].get("children", ()))
    signed = _SIGNATURE.match(text)
    if signed is None or len(text.split()) > _SIGNATURE_WORDS:
        return False
    name = signed.group("name").split()
    return len(name) <= _SIGNATURE_NAME_WORDS and all(_is_capitalised(word) for word in name)


def _is_capitalised(word: str) -> bool:
    """Written as a name is: an upper-case first letter, or a script without case."""
    return word[0].isupper() or (word[0].isalpha() and not word[0].islower())


def _may_guess(block: AnyBlock, named: set[AnyBlock]) -> bool:
    """Whether a paraphrase may name `block`: no label names it yet, and a Lean Canvas
    block only in a document that names a Lean Canvas block already."""
    if block in named:
        return False
    return not isinstance(block, LeanBlock) or any(isinstance(one, LeanBlock) for one in named)


# Blocks that must open with a template's prompt for the canvas to be a template filled
# in, when it has as many blocks with text: one or two questions are the writer's own.
_PROMPTED_BLOCKS = 3


def _leading_prompts(draft: _Draft, headings: set[int]) -> list[int]:
    """Where a block's prompts (`is_prompt`) stand: the entries that open it, or open the
    part of it under one of its sub-`headings` (entry numbers), before any answer. None
    when no answer follows them (a blank template's block, or a block of open questions)."""
    entries = draft.entries
    found: list[int] = []
    starts = (0, *sorted(number + 1 for number in headings)) if headings else (0,)
    for start in starts:
        for number in range(start, len(entries)):
            entry = entries[number]
            if number in headings or entry.depth or not is_prompt(entry.text):
                break
            found.append(number)
    if not found:
        return found
    # A field left blank (`Main segment:`) answers nothing.
    unanswering = {*found, *headings}
    answered = any(
        not entry.text.rstrip().endswith(_COLONS)
        for number, entry in enumerate(entries)
        if number not in unanswering
    )
    return found if answered else []


def _drop_template_prompts(drafts: list[_Draft], sub_headings: set[tuple[int, int]]) -> None:
    """Leave out the prompts of a template the canvas was written into.

    A template asks a question or gives an instruction at the top of every block (`Who
    are our most important customers?`, `_(What value do we deliver?)_`, `> List your
    top 3 problems`, `¿A quién ayudarás?`) and the writer answers under it: those leading
    prompts are the template's words, not the company's. They are left out when three
    blocks open so (or every block with text, two at least), and only when answers
    follow them in the block; a question among a block's answers, one in quotation
    marks, and a block holding nothing but its prompt stay as written.
    """
    blocks = [draft for draft in drafts if draft.label.block is not None and draft.entries]
    headings: dict[int, set[int]] = {}
    for draft_id, number in sub_headings:
        headings.setdefault(draft_id, set()).add(number)
    prompted = [
        (draft, found)
        for draft in blocks
        if (found := _leading_prompts(draft, headings.get(id(draft), set())))
    ]
    if len(prompted) < max(2, min(_PROMPTED_BLOCKS, len(blocks))):
        return
    for draft, found in prompted:
        for number in reversed(found):
            del draft.entries[number]


def _visible_entry(entry: Entry) -> Entry:
    text = visible_text(entry.text)
    return entry if text == entry.text else entry._replace(text=text)


def _visible(drafts: list[_Draft]) -> None:
    """Every label and entry without the characters that show nothing (`visible_text`): a
    right-to-left mark after an Arabic name is no part of what is compared or found.
    An entry of nothing else is none."""
    for draft in drafts:
        draft.label.text = visible_text(draft.label.text)
        draft.entries = [
            entry for entry in map(_visible_entry, draft.entries) if entry.text.strip()
        ]


def _post_titles(metadata: dict[str, Any], source: str) -> frozenset[str]:
    """The front matter `title` and the file name's words, as labels are compared."""
    titles = [name_from_file(source)]
    if isinstance(title := metadata.get("title"), str):
        titles.append(title)
    return frozenset(label for title in titles if (label := normalise_label(title)))


def _without_site_markup_in(entries: list[Entry]) -> list[Entry]:
    """Entries without the Hugo shortcodes and Liquid tags in them (`without_site_markup`),
    those that held nothing else left out. Text of several lines, as a code block gives,
    is shown as written."""
    kept: list[Entry] = []
    for entry in entries:
        if "{" not in entry.text or "\n" in entry.text:
            kept.append(entry)
        elif text := without_site_markup(entry.text):
            kept.append(entry if text == entry.text else entry._replace(text=text))
    return kept


def _without_site_markup(drafts: list[_Draft]) -> None:
    """Leave the site generator's markup out of every section's text: a figure, a notice
    box's tags, an include and the site's values are the page's frame, not the canvas."""
    for draft in drafts:
        draft.entries = _without_site_markup_in(draft.entries)


def label_again(text: str, block: AnyBlock, start: int = 0) -> int:
    """Where the text after `block`'s own name and a colon starts in `text`, or 0 when
    `text` does not open (at `start`) by naming the block: `Key partners: suppliers` in
    Key Partners.

    Only a label's length of `text` is looked at before the colon, and nothing after it is
    copied, so that a text naming the block again and again is read in one pass."""
    reach = start + MAX_LABEL_CHARS + 1
    colon, wide_colon = (text.find(mark, start, reach) for mark in _COLONS)
    head_end = wide_colon if colon < 0 or 0 <= wide_colon < colon else colon
    if head_end < 0 or len(text.rstrip()) <= head_end + 1:
        return 0
    head = text[start:head_end]
    if not head.strip():
        return 0
    match = read_label(head, strict=True)
    return head_end + 1 if match is not None and match.block is block else 0


# Notion writes a callout as an `<aside>`, in an export's Markdown too.
_ASIDE_OPEN = deferred(r"\s*<aside\b", re.IGNORECASE)
# What may open a line before a block's name written again: a list marker, bold.
_LINE_OPENING = deferred(r"^\s*(?:[-*+]\s+|\d{1,9}[.)]\s+)?(?:\*\*|__)?")
# A short capitalised word after a block's name is its code, not its text: `Channels – CH`.
_BLOCK_CODE = deferred(r"^\(?[A-Z]{1,5}\)?$")
# What a heading says of its block after the name rather than the block's text: a question
# (`who are they?`), a gloss leading into the list below (`Who you help:`), a question
# written without its mark (`How they know you, how you deliver`).
_GLOSS_ENDS = ("?", "？", ":", "：")
_QUESTION_WORD = deferred(r"(?i:who|whom|what|how|where|why|which|when)\s")


def _heading_and_text(text: str, block: AnyBlock) -> tuple[str, list[Entry]]:
    """A block's heading that goes on with the block's text after a colon or a spaced
    dash, as the label and that text: `Key Partners: suppliers, banks`, `Channels – our
    web shop`. A question after the name (`Customer Segments: who are they?`, `Channels -
    how they know you`), a prompt (`Describe your channels`), a gloss leading into the
    list below (`Customers - Who you help:`), the name again in another language or its
    code (`Channels — CH`) stays in the heading.

    The text is one entry as written, a list in prose too: parting `suppliers, logistics
    firms and banks` at its commas would also part `Smith, Jones and Partners`.
    """
    marks = [(text.find(colon), len(colon)) for colon in _COLONS if colon in text]
    marks += [(text.find(dash), len(dash)) for dash in _DASHES if dash in text]
    head_end, mark_length = min(marks)
    head, after = text[:head_end].strip(), text[head_end + mark_length :].strip()
    if not head or not after or after.endswith(_GLOSS_ENDS) or _BLOCK_CODE.match(after):
        return text, []
    if _QUESTION_WORD.match(after) or is_prompt(after):
        return text, []
    head_match = read_label(head, strict=True)
    if head_match is None or head_match.block is not block:
        return text, []
    if read_label(after, strict=True) is not None:
        return text, []
    start = 0
    while again := label_again(after, block, start):
        start = again  # `Cost Structure: Cost Structure: rent`
        while after[start].isspace():
            start += 1
    return head, _paragraph_text([after[start:].strip()])


def _belongs_to(label: _Label, current: _Draft | None) -> bool:
    """A heading below a block's own level that names no other block belongs to that block,
    and so does one naming the part of a Lean Canvas box its template prints in it
    (`Existing Alternatives` after `Problem`), at any level."""
    if current is None or current.label.block is None:
        return False
    if label.block is None and label.level >= current.label.level:
        parts = _BOX_PARTS.get(current.label.block)
        if parts and normalise_label(label.text) in parts:
            return True
    if label.level <= current.label.level:
        return False
    return label.block is None or label.block is current.label.block or label.ambiguous


def _layout(kind: CanvasKind) -> tuple[AnyBlock, ...]:
    return LEAN_LAYOUT if kind == "lean" else tuple(Block)


def _label_level(sections: tuple[Section, ...]) -> int | None:
    """The heading level most of a canvas's blocks are labelled at; None without blocks."""
    levels = Counter(section.level for section in sections if section.block is not None)
    return min(levels, key=lambda level: (-levels[level], level)) if levels else None


def _unmapped_message(section: Section, kind: CanvasKind, label_level: int | None) -> str:
    """What CV203 says of a heading: a block only when the heading, at the level of the
    canvas's own labels, is that block's name misspelt."""
    if label_level is not None and section.level != label_level:
        hint = "its level is not that of the block headings"
    else:
        nearest = (
            suggest_block(section.heading) if kind == "business" else suggest_label(section.heading)
        )
        hint = (
            f"did you mean '{block_title(nearest, kind)}'?"
            if nearest
            else "no block name is close (see 'canvas sections')"
        )
    return f"heading '{section.heading}' maps to no canvas block, kept as an extra section; {hint}"


def _block_spoken_of(
    section: Section, placed: dict[AnyBlock, Section]
) -> tuple[AnyBlock, int] | None:
    """The block a heading left out of the canvas names, and its line, if the canvas has it."""
    if not placed or not is_label_sized(section.heading):
        return None
    match = read_label(section.heading)
    if match is None or match.block not in placed:
        return None
    return match.block, placed[match.block].line


def _section_diagnostics(sections: tuple[Section, ...], first_line: int) -> Iterator[Diagnostic]:
    kind = kind_of(section.block for section in sections)
    label_level = _label_level(sections)
    seen: dict[AnyBlock, Section] = {}
    # Where each block is first placed, looked up only for a heading that opened no block.
    placed: dict[AnyBlock, Section] | None = None
    unmapped: list[Section] = []
    other_sections = 0
    for section in sections:
        if section.block is None:
            if not section.heading or is_context_heading(section.heading):
                continue
            if placed is None:
                placed = {}
                for one in sections:
                    if one.block is not None:
                        placed.setdefault(one.block, one)
            spoken_of = _block_spoken_of(section, placed)
            if spoken_of is not None:
                other_sections += 1
                if other_sections <= HINTED_HEADINGS:
                    message = (
                        f"heading '{section.heading}' speaks of block "
                        f"'{block_title(spoken_of[0], kind)}' (line {spoken_of[1]}), "
                        "kept as an extra section"
                    )
                    yield Diagnostic.of("CV208", message, section.line)
                continue
            if _is_closing_heading(section.heading) or is_other_section(section.heading):
                other_sections += 1
                if other_sections <= HINTED_HEADINGS:
                    message = (
                        f"heading '{section.heading}' names a section of its own, "
                        "kept as an extra section"
                    )
                    yield Diagnostic.of("CV208", message, section.line)
                continue
            unmapped.append(section)
            if len(unmapped) > HINTED_HEADINGS:
                continue
            message = _unmapped_message(section, kind, label_level)
            yield Diagnostic.of("CV203", message, section.line)
            continue
        title = block_title(section.block, kind)
        if section.block in seen:
            yield Diagnostic.of(
                "CV202",
                f"block '{title}' appears again (first on line {seen[section.block].line})",
                section.line,
            )
        else:
            seen[section.block] = section
        if section.is_empty:
            yield Diagnostic.of("CV204", f"block '{title}' is empty", section.line)
    if len(unmapped) > HINTED_HEADINGS:
        rest = unmapped[HINTED_HEADINGS:]
        message = f"{len(rest):,} more headings map to no canvas block"
        yield Diagnostic.of("CV203", message, rest[0].line)
    for block in _layout(kind):
        if block not in seen:
            yield Diagnostic.of(
                "CV201", f"block '{block_title(block, kind)}' is missing", first_line
            )
