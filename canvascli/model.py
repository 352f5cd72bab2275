"""The canvas data model: the blocks of both canvas kinds, sections, canvases, diagnostics."""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from enum import Enum
from functools import lru_cache
from json.encoder import encode_basestring as _json_string
from typing import Any, Literal, NamedTuple

from canvascli.words import count_words, count_words_of

EntryKind = Literal["paragraph", "item"]
SeverityName = Literal["error", "warning", "info"]
CanvasKind = Literal["business", "lean", "mixed"]


# Plain records are named tuples: creating a frozen dataclass costs about half a millisecond
# of every run's start-up, a named tuple a quarter of that.
class GridPlace(NamedTuple):
    """Where a block sits in Osterwalder's grid: row, column and spans on a 10x3 layout."""

    row: int
    column: int
    row_span: int
    column_span: int


class BlockSpec(NamedTuple):
    key: str
    title: str
    abbreviation: str
    aliases: tuple[str, ...]
    grid: GridPlace


class _Described:
    """What a block's `BlockSpec` says of it, read as attributes of the block itself."""

    value: BlockSpec

    @property
    def key(self) -> str:
        return self.value.key

    @property
    def title(self) -> str:
        return self.value.title

    @property
    def abbreviation(self) -> str:
        return self.value.abbreviation

    @property
    def aliases(self) -> tuple[str, ...]:
        return self.value.aliases

    @property
    def grid(self) -> GridPlace:
        return self.value.grid


class Block(_Described, Enum):
    """The nine building blocks of the Business Model Canvas, in reading order."""

    # Members are singletons, so identity hashing is exact, and it is C code: Enum's own
    # __hash__ is a Python call, paid on every dict lookup and tuple hash of a block.
    __hash__ = object.__hash__

    CUSTOMER_SEGMENTS = BlockSpec(
        "customer-segments",
        "Customer Segments",
        "CS",
        ("segments", "customers", "cs", "segment"),
        GridPlace(0, 8, 2, 2),
    )
    VALUE_PROPOSITIONS = BlockSpec(
        "value-propositions",
        "Value Propositions",
        "VP",
        ("value", "vp", "propositions", "offer"),
        GridPlace(0, 4, 2, 2),
    )
    CHANNELS = BlockSpec(
        "channels",
        "Channels",
        "CH",
        ("ch", "distribution"),
        GridPlace(1, 6, 1, 2),
    )
    CUSTOMER_RELATIONSHIPS = BlockSpec(
        "customer-relationships",
        "Customer Relationships",
        "CR",
        ("relationships", "cr", "relations"),
        GridPlace(0, 6, 1, 2),
    )
    REVENUE_STREAMS = BlockSpec(
        "revenue-streams",
        "Revenue Streams",
        "R$",
        ("revenue", "revenues", "rs", "income"),
        GridPlace(2, 5, 1, 5),
    )
    KEY_RESOURCES = BlockSpec(
        "key-resources",
        "Key Resources",
        "KR",
        ("resources", "kr"),
        GridPlace(1, 2, 1, 2),
    )
    KEY_ACTIVITIES = BlockSpec(
        "key-activities",
        "Key Activities",
        "KA",
        ("activities", "ka"),
        GridPlace(0, 2, 1, 2),
    )
    KEY_PARTNERS = BlockSpec(
        "key-partners",
        "Key Partners",
        "KP",
        ("partners", "partnerships", "kp", "partner-network"),
        GridPlace(0, 0, 2, 2),
    )
    COST_STRUCTURE = BlockSpec(
        "cost-structure",
        "Cost Structure",
        "C$",
        ("costs", "cost"),
        GridPlace(2, 0, 1, 5),
    )


class LeanBlock(_Described, Enum):
    """The four blocks only a Lean Canvas has, in its reading order.

    A Lean Canvas shares its other five blocks with the Business Model Canvas (its
    Unique Value Proposition is the Value Propositions block), and each of these four
    takes the grid place of a Business Model Canvas block it replaces.
    """

    PROBLEM = BlockSpec("problem", "Problem", "PR", ("problems",), GridPlace(0, 0, 2, 2))
    SOLUTION = BlockSpec("solution", "Solution", "SO", ("solutions",), GridPlace(0, 2, 1, 2))
    UNFAIR_ADVANTAGE = BlockSpec(
        "unfair-advantage",
        "Unfair Advantage",
        "UA",
        ("advantage", "unfair", "ua"),
        GridPlace(0, 6, 1, 2),
    )
    KEY_METRICS = BlockSpec(
        "key-metrics", "Key Metrics", "KM", ("metrics", "km"), GridPlace(1, 2, 1, 2)
    )


AnyBlock = Block | LeanBlock

# The blocks of a Lean Canvas in its own reading order.
LEAN_LAYOUT: tuple[AnyBlock, ...] = (
    LeanBlock.PROBLEM,
    LeanBlock.SOLUTION,
    Block.VALUE_PROPOSITIONS,
    LeanBlock.UNFAIR_ADVANTAGE,
    Block.CUSTOMER_SEGMENTS,
    LeanBlock.KEY_METRICS,
    Block.CHANNELS,
    Block.COST_STRUCTURE,
    Block.REVENUE_STREAMS,
)
# The blocks a Lean Canvas and a Business Model Canvas both have, in lean order.
SHARED_BLOCKS: tuple[Block, ...] = tuple(block for block in LEAN_LAYOUT if isinstance(block, Block))
BUSINESS_ONLY_BLOCKS: tuple[Block, ...] = tuple(
    block for block in Block if block not in SHARED_BLOCKS
)
UNIQUE_VALUE_PROPOSITION = "Unique Value Proposition"

_ANY_BLOCKS_BY_KEY: dict[str, AnyBlock] = {block.key: block for block in (*Block, *LeanBlock)}


def block_from_key(key: str) -> AnyBlock:
    """A Business Model Canvas or Lean Canvas block by its key."""
    return _ANY_BLOCKS_BY_KEY[key]


# Every block of both kinds, in the order a summary's coverage bits count them.
ALL_BLOCKS: tuple[AnyBlock, ...] = (*Block, *LeanBlock)
BUSINESS_LAYOUT: tuple[AnyBlock, ...] = tuple(Block)


def layout_of(kind: CanvasKind) -> tuple[AnyBlock, ...]:
    """The blocks a kind of canvas is read in: the nine, the lean nine, or all thirteen."""
    if kind == "lean":
        return LEAN_LAYOUT
    if kind == "mixed":
        return ALL_BLOCKS
    return BUSINESS_LAYOUT


def kind_of(blocks: Iterable[AnyBlock | None]) -> CanvasKind:
    """`lean` with lean-only blocks, `mixed` with blocks only each kind has, else `business`."""
    present = set(blocks)
    if not any(isinstance(block, LeanBlock) for block in present):
        return "business"
    if present.intersection(BUSINESS_ONLY_BLOCKS):
        return "mixed"
    return "lean"


def block_title(block: AnyBlock, kind: CanvasKind = "business") -> str:
    """A block's title as the canvas kind names it: a lean canvas has a Unique Value Proposition."""
    if kind == "lean" and block is Block.VALUE_PROPOSITIONS:
        return UNIQUE_VALUE_PROPOSITION
    return block.title


class Entry(NamedTuple):
    """One paragraph or list item of a section, as plain text.

    A named tuple, as are diagnostics: a parse makes dozens of them per post.
    """

    kind: EntryKind
    text: str
    depth: int = 0

    def to_dict(self) -> dict[str, Any]:
        return {"kind": self.kind, "text": self.text, "depth": self.depth}


class Section(NamedTuple):
    """A heading of a canvas post and everything under it up to the next section."""

    heading: str
    block: AnyBlock | None
    level: int
    line: int
    entries: tuple[Entry, ...]
    markdown: str

    @property
    def paragraphs(self) -> tuple[str, ...]:
        return tuple(entry.text for entry in self.entries if entry.kind == "paragraph")

    @property
    def items(self) -> tuple[str, ...]:
        return tuple(entry.text for entry in self.entries if entry.kind == "item")

    @property
    def is_empty(self) -> bool:
        return not any(entry.text.strip() for entry in self.entries)

    @property
    def words(self) -> int:
        return sum(count_words(entry.text) for entry in self.entries)

    @property
    def text(self) -> str:
        return "\n".join(entry.text for entry in self.entries)

    def to_dict(self) -> dict[str, Any]:
        return {
            "key": self.block.key if self.block else None,
            "title": self.block.title if self.block else None,
            "heading": self.heading,
            "level": self.level,
            "line": self.line,
            "paragraphs": list(self.paragraphs),
            "items": list(self.items),
            "entries": [entry.to_dict() for entry in self.entries],
            "markdown": self.markdown,
        }

    def to_record(self) -> list[Any]:
        """The section for the index: `to_dict` without what can be derived from the rest."""
        return [
            self.block.key if self.block else None,
            self.heading,
            self.level,
            self.line,
            # Each entry as a plain tuple of its kind, text and depth, which marshal can write.
            list(map(tuple, self.entries)),
            self.markdown,
        ]

    @classmethod
    def from_record(cls, record: list[Any]) -> Section:
        key, heading, level, line, entries, markdown = record
        return cls(
            heading=heading,
            block=block_from_key(key) if key else None,
            level=level,
            line=line,
            entries=tuple(Entry(kind, text, depth) for kind, text, depth in entries),
            markdown=markdown,
        )


# Stable codes: documented in docs/check.md, never renumbered.
# A post that explains or templates the canvas: `list` leaves it out, `show` says so.
EXPLAINER_CODE = "CV207"
# A post without text (empty, or only front matter or its fences): reported, and no company.
NO_TEXT = "CV107"
# A post no heading names the company of: its name may be only its file name, as words.
UNNAMED_CODE = "CV205"
CODES: dict[str, tuple[SeverityName, str]] = {
    "CV101": ("error", "front matter is not valid YAML"),
    "CV102": ("error", "front matter is not terminated"),
    "CV103": ("error", "front matter is not a mapping"),
    "CV104": ("warning", "file starts with a byte-order mark"),
    "CV105": ("error", "file is not UTF-8"),
    "CV106": ("error", "post could not be parsed as Markdown"),
    NO_TEXT: ("error", "post has no text"),
    "CV108": ("error", "front matter is too large to keep"),
    "CV201": ("warning", "a canvas block is missing"),
    "CV202": ("warning", "a canvas block appears twice"),
    "CV203": ("warning", "a heading maps to no canvas block"),
    "CV204": ("warning", "a canvas block is empty"),
    "CV205": ("warning", "no title heading"),
    "CV206": ("info", "a label was read as a block by a guess"),
    EXPLAINER_CODE: ("warning", "post explains the canvas in general, not a company's canvas"),
    "CV208": ("info", "a heading names a section of its own (notes, summary, appendix)"),
    "CV301": ("error", "two posts have the same slug"),
    "CV302": ("warning", "post is unpublished (published: false)"),
    "CV303": ("error", "post cannot be read"),
    "CV304": ("warning", "post is larger than the size limit"),
}

# Longer texts for `canvas check --explain CODE`: what the finding means and how to fix it,
# and an example of a post that gets it. docs/check.md shows the same words.
CODE_EXPLANATIONS: dict[str, tuple[str, str]] = {
    "CV101": (
        "The front matter is not valid YAML; the finding gives the line and column of the "
        "YAML error. The post's metadata is ignored and its text is still read. Quote values "
        "that hold a colon or start with a bracket, and close every list and quote. A date "
        "no calendar has (`date: 2016-13-45`, `2024-02-30`) is found at its line and column "
        "too, but only that value is kept as the text it is written as: the title and the "
        "rest of the front matter are still the post's. Front matter between `+++` lines is "
        "read as TOML, as Hugo writes it, and is found when it is not valid TOML.",
        "---\ntitle: Acme: rockets\ntags: [space, rockets\n---",
    ),
    "CV102": (
        "The front matter opened by `---` on the first line is never closed by a second "
        "`---`, so the whole post is read as text. Add the closing line after the metadata.",
        "---\ntitle: Acme\n\n# Business Model of Acme",
    ),
    "CV103": (
        "The front matter is a list or a single value, not a mapping of names to values, so "
        "no title, date or published flag can be read from it. Write `name: value` lines.",
        "---\n- Acme\n- rockets\n---",
    ),
    "CV104": (
        "The file starts with a UTF-8 byte-order mark, which some Jekyll versions take for "
        "part of the first line, so they miss the front matter. Save the file as UTF-8 "
        "without a BOM.",
        "\\ufeff---\ntitle: Acme\n---",
    ),
    "CV105": (
        "The file is not UTF-8: it holds stray bytes (the finding gives their line and "
        "column), is UTF-16 or UTF-32 (with a byte-order mark or, for UTF-16, without one), "
        "or is binary. A post in another encoding is still read, and counts as a company; a "
        "binary file (NUL bytes that are not UTF-16, a file signature such as an image's or "
        "a PDF's, or the control bytes only binary data holds) is refused, and gives no "
        "company. Save it as UTF-8.",
        "Caf\\xe9 customers (Latin-1, not UTF-8)",
    ),
    "CV106": (
        "The Markdown is nested too deeply to parse (thousands of levels of quotes or "
        "lists); the post is read line by line instead, so its blocks may be cut short.",
        "> > > > > > > > > > > > > > > > … (thousands deep)",
    ),
    "CV107": (
        "The post is empty, or has front matter and no text after it, so there is no "
        "canvas to read.",
        "---\ntitle: Acme\n---",
    ),
    "CV108": (
        "The front matter is too large to keep: aliases that expand to more than 100,000 "
        "values or refer to themselves, nesting deeper than 100, or a number of more than "
        "4,000 digits. It is ignored and the rest of the post is read.",
        "---\na: &a [*a, *a]\n---",
    ),
    "CV201": (
        "One of the blocks of the canvas's kind (nine for a Business Model Canvas, nine for "
        "a Lean Canvas) has no section. Add a heading for it, or check that its heading is "
        "spelled as `canvas sections` lists.",
        "### Key Partners\n…\n(no ### Cost Structure anywhere)",
    ),
    "CV202": (
        "A block has two sections; the finding is at the second one, and the first is the "
        "one used. Merge them, or rename the one that is about something else.",
        "### Channels\nWeb shop.\n### Channels\nResellers.",
    ),
    "CV203": (
        "A heading names no block: its section is kept as an extra section, shown after the "
        "blocks. A block is suggested only when the heading is its name misspelt (at most "
        "about a third of its letters edited) and stands at the level of the canvas's block "
        "headings. Rename it if it is a block under another name, or ignore the finding for "
        "sections that are meant to be extra.",
        "### Competitors\nBoeing, Airbus.",
    ),
    "CV204": (
        "A block has a heading and nothing under it. Fill it in, or remove the heading.",
        "### Key Resources\n\n### Key Activities",
    ),
    "CV205": (
        "No title heading names the company, so the name comes from the front matter's "
        "title or the file name. Add a first heading such as `# Business Model of Acme`.",
        "---\ntitle: notes\n---\n### Customer Segments",
    ),
    "CV206": (
        "A block's label is not a block name as written (a qualifier, a longer phrase, a "
        "misspelling, a heading in plain words) and was read as the block named, so a wrong "
        "guess shows. Info findings never change the exit status.",
        "### How we reach our customers  (read as Channels)",
    ),
    "CV207": (
        "The post explains the canvas in general or is a template, not a company's canvas: "
        "its blocks are kept as extra sections, and `list`, `stats` and `similar` leave it "
        "out. Nothing to fix if that is what the post is.",
        "### Key Partners\nWho are your key partners? List them here.",
    ),
    "CV208": (
        "A heading names a section of its own, not a block: notes, a final note, a summary "
        "or conclusion, an introduction, metrics, financial projections, a table of "
        "contents, references, an appendix or next steps, in every language labels are read "
        "in. It is kept as an extra section. Off by default: `canvas check --all` reports it.",
        "### Financial Projections\nYear one: 40,000 EUR.",
    ),
    "CV301": (
        "Two posts have the same slug (the file name without its extension and Jekyll date), "
        "so only the first by path is used (or the first read without errors, when the first "
        "is a broken copy); both are reported. Rename one of them.",
        "_posts/2016-06-05-memsql.md and _posts/memsql.md",
    ),
    "CV302": (
        "The post has `published: false` in its front matter, so the site will not show it "
        "and `canvas` leaves it out unless given `--unpublished`.",
        "---\ntitle: Acme\npublished: false\n---",
    ),
    "CV303": (
        "The post cannot be read: it is missing, a folder, not a regular file, a symbolic "
        "link out of the library, or without read permission, or the reader failed on it. "
        "Every other post is still checked.",
        "_posts/acme.md -> /etc/passwd",
    ),
    "CV304": (
        "The post is larger than the size limit (`$CANVASCLI_MAX_BYTES`, 2 MiB by default) "
        "and is skipped. Raise the limit if the post is meant to be that large.",
        "CANVASCLI_MAX_BYTES=10000000 canvas check",
    ),
}
# Codes `canvas check` reports only when asked (`--all`): true, but seldom worth a look.
CODES_OFF_BY_DEFAULT = frozenset({"CV208"})


class Diagnostic(NamedTuple):
    """A problem found in a post, with a stable code and the line it is about."""

    code: str
    severity: SeverityName
    message: str
    line: int = 1
    column: int = 1

    @classmethod
    def of(cls, code: str, message: str, line: int = 1, column: int = 1) -> Diagnostic:
        return cls(code=code, severity=CODES[code][0], message=message, line=line, column=column)

    def to_dict(self) -> dict[str, Any]:
        return {
            "code": self.code,
            "severity": self.severity,
            "message": self.message,
            "line": self.line,
            "column": self.column,
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Diagnostic:
        return cls(
            code=data["code"],
            severity=data["severity"],
            message=data["message"],
            line=data["line"],
            column=data["column"],
        )


class Summary(NamedTuple):
    """What `canvas list` needs of a canvas, cheap to keep for tens of thousands of posts.

    A named tuple, because it is built ten thousand times a run; front matter and warnings
    stay as JSON text until something asks for them, so reading one costs no decoding.
    """

    slug: str
    name: str
    source: str
    # The blocks written (a heading with text under it), of either kind, in the reading
    # order of the canvas's kind; `empty` holds those whose heading has nothing under it.
    coverage: tuple[AnyBlock, ...]
    words: int
    is_published: bool
    has_errors: bool
    # `"metadata":{...},"warnings":[...]`: the members of a JSON object, without its braces.
    details_text: str
    # Which canvas of its post this is, counted from 0: a post may hold several.
    part: int = 0
    empty: tuple[AnyBlock, ...] = ()

    @classmethod
    def of(
        cls,
        *,
        slug: str,
        name: str,
        source: str,
        metadata: dict[str, Any],
        coverage: tuple[AnyBlock, ...],
        words: int,
        diagnostics: tuple[Diagnostic, ...] = (),
        empty: tuple[AnyBlock, ...] = (),
    ) -> Summary:
        details = _compact_json(
            {
                "metadata": metadata,
                "warnings": [diagnostic.to_dict() for diagnostic in diagnostics],
            }
        )
        return cls(
            slug=slug,
            name=name,
            source=source,
            coverage=coverage,
            words=words,
            is_published=metadata.get("published", True) is not False,
            has_errors=any(diagnostic.severity == "error" for diagnostic in diagnostics),
            details_text=details[1:-1],
            empty=empty,
        )

    def _details(self) -> dict[str, Any]:
        details: dict[str, Any] = json.loads("{" + self.details_text + "}")
        return details

    @property
    def metadata(self) -> dict[str, Any]:
        metadata: dict[str, Any] = self._details()["metadata"]
        return metadata

    @property
    def diagnostics(self) -> tuple[Diagnostic, ...]:
        return tuple(Diagnostic.from_dict(item) for item in self._details()["warnings"])

    @property
    def kind(self) -> CanvasKind:
        return _coverage_kind(self.coverage, self.empty)

    @property
    def layout(self) -> tuple[AnyBlock, ...]:
        """The blocks this kind of canvas has; coverage is counted against them."""
        return layout_of(_coverage_kind(self.coverage, self.empty))

    @property
    def covered(self) -> str:
        """Coverage against the canvas's own kind, as `written/total`: `9/9` for a whole
        Lean Canvas as for a whole Business Model Canvas; an empty heading is not written."""
        return f"{len(self.coverage)}/{len(self.layout)}"

    @property
    def missing_blocks(self) -> tuple[AnyBlock, ...]:
        """The blocks of the canvas's kind without a heading at all."""
        return _coverage_json(self.coverage, self.empty)[4]

    @property
    def unwritten_blocks(self) -> tuple[AnyBlock, ...]:
        """The blocks of the canvas's kind with nothing written: missing or empty."""
        return tuple(block for block in self.layout if block not in self.coverage)

    @property
    def explains_the_canvas(self) -> bool:
        """A post that explains the canvas or is a template (CV207), not a company's canvas."""
        # Only the warnings, which come last: front matter may hold a `code` key of its own.
        warnings = self.details_text.rfind('"warnings":[')
        return f'"code":"{EXPLAINER_CODE}"' in self.details_text[warnings:]

    def to_json(self) -> str:
        """The documented JSON object, compact, written without decoding the details."""
        kind, keys, empty, missing, _ = _coverage_json(self.coverage, self.empty)
        return (
            f'{{"slug":{_json_string(self.slug)},"name":{_json_string(self.name)},'
            f'"source":{_json_string(self.source)},"kind":"{kind}","coverage":{keys},'
            f'"empty":{empty},"missing":{missing},"words":{self.words},{self.details_text}}}'
        )

    def to_dict(self) -> dict[str, Any]:
        data: dict[str, Any] = json.loads(self.to_json())
        return data


def _compact_json(data: Any) -> str:
    return json.dumps(data, ensure_ascii=False, separators=(",", ":"))


@lru_cache(maxsize=1024)
def _coverage_kind(coverage: tuple[AnyBlock, ...], empty: tuple[AnyBlock, ...]) -> CanvasKind:
    """The kind of canvas its headings make, written or empty alike."""
    return kind_of((*coverage, *empty))


@lru_cache(maxsize=1024)
def _coverage_json(
    coverage: tuple[AnyBlock, ...], empty: tuple[AnyBlock, ...]
) -> tuple[CanvasKind, str, str, str, tuple[AnyBlock, ...]]:
    """The kind, the keys written, empty and missing against that kind's blocks, and the
    missing blocks themselves."""
    kind = _coverage_kind(coverage, empty)
    missing = tuple(
        block for block in layout_of(kind) if block not in coverage and block not in empty
    )
    return (
        kind,
        _compact_json([block.key for block in coverage]),
        _compact_json([block.key for block in empty]),
        _compact_json([block.key for block in missing]),
        missing,
    )


class Canvas(NamedTuple):
    """One company's business model as read from one post."""

    slug: str
    name: str
    source: str
    metadata: dict[str, Any]
    sections: tuple[Section, ...]
    diagnostics: tuple[Diagnostic, ...] = ()

    def _first_sections(self) -> dict[AnyBlock, Section]:
        """Each block present, of either kind, with its first section, in document order."""
        found: dict[AnyBlock, Section] = {}
        for section in self.sections:
            if section.block is not None and section.block not in found:
                found[section.block] = section
        return found

    @property
    def blocks(self) -> dict[Block, Section]:
        """The first section of each of the nine blocks present, in canonical block order."""
        found = self._first_sections()
        return {block: found[block] for block in Block if block in found}

    @property
    def lean_blocks(self) -> dict[LeanBlock, Section]:
        """The first section of each Lean-Canvas-only block present, in lean order."""
        found = self._first_sections()
        return {block: found[block] for block in LeanBlock if block in found}

    @property
    def kind(self) -> CanvasKind:
        """`lean` with lean-only blocks, `mixed` with blocks only each kind has, else `business`."""
        return kind_of(section.block for section in self.sections)

    @property
    def layout(self) -> tuple[AnyBlock, ...]:
        """The blocks this kind of canvas is read in: nine, the lean nine, or all thirteen."""
        return layout_of(self.kind)

    @property
    def explains_the_canvas(self) -> bool:
        """A post that explains the canvas or is a template (CV207), not a company's canvas."""
        return any(diagnostic.code == EXPLAINER_CODE for diagnostic in self.diagnostics)

    @property
    def all_blocks(self) -> dict[AnyBlock, Section]:
        """The first section of every block present, of either kind, in its kind's order."""
        found = self._first_sections()
        return {block: found[block] for block in layout_of(kind_of(found)) if block in found}

    @property
    def extras(self) -> tuple[Section, ...]:
        return tuple(section for section in self.sections if section.block is None)

    @property
    def words(self) -> int:
        return count_words_of(
            [entry.text for section in self.sections for entry in section.entries]
        )

    def section_for(self, block: AnyBlock) -> Section | None:
        if isinstance(block, LeanBlock):
            return self.lean_blocks.get(block)
        return self.blocks.get(block)

    def summary(self) -> Summary:
        written: list[AnyBlock] = []
        empty: list[AnyBlock] = []
        for block, section in self.all_blocks.items():
            (empty if section.is_empty else written).append(block)
        return Summary.of(
            slug=self.slug,
            name=self.name,
            source=self.source,
            metadata=self.metadata,
            coverage=tuple(written),
            words=self.words,
            diagnostics=self.diagnostics,
            empty=tuple(empty),
        )

    def to_dict(self) -> dict[str, Any]:
        """The documented JSON shape of a canvas (see docs/json.md)."""
        data = self.summary().to_dict()
        warnings = data.pop("warnings")
        data["kind"] = self.kind
        data["blocks"] = {block.key: section.to_dict() for block, section in self.blocks.items()}
        data["lean_blocks"] = {
            block.key: section.to_dict() for block, section in self.lean_blocks.items()
        }
        data["extras"] = [section.to_dict() for section in self.extras]
        data["warnings"] = warnings
        return data

    def to_record(self) -> dict[str, Any]:
        """A lossless form of the canvas, with every section in document order."""
        return {
            "slug": self.slug,
            "name": self.name,
            "source": self.source,
            "metadata": self.metadata,
            "sections": [section.to_record() for section in self.sections],
            "warnings": [diagnostic.to_dict() for diagnostic in self.diagnostics],
        }

    @classmethod
    def from_record(cls, data: dict[str, Any]) -> Canvas:
        return cls(
            slug=data["slug"],
            name=data["name"],
            source=data["source"],
            metadata=data["metadata"],
            sections=tuple(Section.from_record(section) for section in data["sections"]),
            diagnostics=tuple(Diagnostic.from_dict(item) for item in data["warnings"]),
        )


def comparison_rows(canvases: Sequence[Canvas]) -> tuple[AnyBlock, ...]:
    """The blocks `compare` lines up by default.

    The nine for Business Model Canvases, the lean layout for Lean Canvases; for
    canvases of different kinds, the blocks both kinds have first (Value Propositions
    beside Unique Value Proposition), then every other block one of them has.
    """
    kinds = {canvas.kind for canvas in canvases}
    if kinds <= {"business"}:
        return tuple(Block)
    if kinds == {"lean"}:
        return LEAN_LAYOUT
    present = {section.block for canvas in canvases for section in canvas.sections}
    others = [
        block for block in (*Block, *LeanBlock) if block not in SHARED_BLOCKS and block in present
    ]
    return (*SHARED_BLOCKS, *others)
