"""The canvas data model: the nine blocks, sections, canvases and diagnostics."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import Enum
from typing import Any, Literal

EntryKind = Literal["paragraph", "item"]
SeverityName = Literal["error", "warning", "info"]


@dataclass(frozen=True)
class GridPlace:
    """Where a block sits in Osterwalder's grid: row, column and spans on a 10x3 layout."""

    row: int
    column: int
    row_span: int
    column_span: int


@dataclass(frozen=True)
class BlockSpec:
    key: str
    title: str
    abbreviation: str
    aliases: tuple[str, ...]
    grid: GridPlace


class Block(Enum):
    """The nine building blocks of the Business Model Canvas, in reading order."""

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

    @classmethod
    def from_key(cls, key: str) -> Block:
        return _BLOCKS_BY_KEY[key]


_BLOCKS_BY_KEY = {block.key: block for block in Block}


@dataclass(frozen=True)
class Entry:
    """One paragraph or list item of a section, as plain text."""

    kind: EntryKind
    text: str
    depth: int = 0

    def to_dict(self) -> dict[str, Any]:
        return {"kind": self.kind, "text": self.text, "depth": self.depth}


@dataclass(frozen=True)
class Section:
    """A heading of a canvas post and everything under it up to the next section."""

    heading: str
    block: Block | None
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
        return sum(len(entry.text.split()) for entry in self.entries)

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

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Section:
        key = data["key"]
        return cls(
            heading=data["heading"],
            block=Block.from_key(key) if key else None,
            level=data["level"],
            line=data["line"],
            entries=tuple(
                Entry(kind=entry["kind"], text=entry["text"], depth=entry["depth"])
                for entry in data["entries"]
            ),
            markdown=data["markdown"],
        )


# Stable codes: documented in the README, never renumbered.
CODES: dict[str, tuple[SeverityName, str]] = {
    "CV101": ("error", "front matter is not valid YAML"),
    "CV102": ("error", "front matter is not terminated"),
    "CV103": ("error", "front matter is not a mapping"),
    "CV104": ("warning", "file starts with a byte-order mark"),
    "CV105": ("error", "file is not UTF-8"),
    "CV106": ("error", "post could not be parsed as Markdown"),
    "CV107": ("error", "post has no text"),
    "CV201": ("warning", "a canvas block is missing"),
    "CV202": ("warning", "a canvas block appears twice"),
    "CV203": ("warning", "a heading maps to no canvas block"),
    "CV204": ("warning", "a canvas block is empty"),
    "CV205": ("warning", "no title heading"),
    "CV301": ("error", "two posts have the same slug"),
    "CV302": ("info", "post is unpublished"),
    "CV303": ("error", "post cannot be read"),
    "CV304": ("warning", "post is larger than the size limit"),
}


@dataclass(frozen=True)
class Diagnostic:
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


@dataclass(frozen=True)
class Summary:
    """What `canvas list` needs of a canvas, cheap to keep for tens of thousands of posts."""

    slug: str
    name: str
    source: str
    metadata: dict[str, Any]
    coverage: tuple[Block, ...]
    words: int
    diagnostics: tuple[Diagnostic, ...] = ()

    @property
    def is_published(self) -> bool:
        return self.metadata.get("published", True) is not False

    @property
    def missing_blocks(self) -> tuple[Block, ...]:
        return tuple(block for block in Block if block not in self.coverage)

    def to_dict(self) -> dict[str, Any]:
        return {
            "slug": self.slug,
            "name": self.name,
            "source": self.source,
            "metadata": self.metadata,
            "coverage": [block.key for block in self.coverage],
            "missing": [block.key for block in self.missing_blocks],
            "words": self.words,
            "warnings": [diagnostic.to_dict() for diagnostic in self.diagnostics],
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Summary:
        return cls(
            slug=data["slug"],
            name=data["name"],
            source=data["source"],
            metadata=data["metadata"],
            coverage=tuple(Block.from_key(key) for key in data["coverage"]),
            words=data["words"],
            diagnostics=tuple(Diagnostic.from_dict(item) for item in data["warnings"]),
        )


@dataclass(frozen=True)
class Canvas:
    """One company's business model as read from one post."""

    slug: str
    name: str
    source: str
    metadata: dict[str, Any]
    sections: tuple[Section, ...]
    diagnostics: tuple[Diagnostic, ...] = field(default=())

    @property
    def blocks(self) -> dict[Block, Section]:
        """The first section of each block present, in canonical block order."""
        found: dict[Block, Section] = {}
        for section in self.sections:
            if section.block is not None and section.block not in found:
                found[section.block] = section
        return {block: found[block] for block in Block if block in found}

    @property
    def extras(self) -> tuple[Section, ...]:
        return tuple(section for section in self.sections if section.block is None)

    @property
    def missing_blocks(self) -> tuple[Block, ...]:
        present = self.blocks
        return tuple(block for block in Block if block not in present)

    @property
    def warnings(self) -> tuple[str, ...]:
        return tuple(diagnostic.message for diagnostic in self.diagnostics)

    @property
    def words(self) -> int:
        return sum(section.words for section in self.sections)

    def section_for(self, block: Block) -> Section | None:
        return self.blocks.get(block)

    def summary(self) -> Summary:
        return Summary(
            slug=self.slug,
            name=self.name,
            source=self.source,
            metadata=self.metadata,
            coverage=tuple(self.blocks),
            words=self.words,
            diagnostics=self.diagnostics,
        )

    def to_dict(self) -> dict[str, Any]:
        """The documented JSON shape of a canvas (see the README's JSON schema)."""
        data = self.summary().to_dict()
        warnings = data.pop("warnings")
        data["blocks"] = {block.key: section.to_dict() for block, section in self.blocks.items()}
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
            "sections": [section.to_dict() for section in self.sections],
            "warnings": [diagnostic.to_dict() for diagnostic in self.diagnostics],
        }

    @classmethod
    def from_record(cls, data: dict[str, Any]) -> Canvas:
        return cls(
            slug=data["slug"],
            name=data["name"],
            source=data["source"],
            metadata=data["metadata"],
            sections=tuple(Section.from_dict(section) for section in data["sections"]),
            diagnostics=tuple(Diagnostic.from_dict(item) for item in data["warnings"]),
        )
