"""The format a file name's extension promises, so no output lands under a name for another."""

from __future__ import annotations

from pathlib import PurePath

# Extensions whose format is plain from the name alone: those canvas writes, and common
# others a user might reach for, so that `-o canvases.yaml` is refused, not filled with JSON.
KIND_OF_SUFFIX = {
    ".json": "json",
    ".csv": "csv",
    ".md": "markdown",
    ".markdown": "markdown",
    ".svg": "svg",
    ".html": "html",
    ".htm": "html",
    ".yaml": "yaml",
    ".yml": "yaml",
    ".toml": "toml",
    ".xml": "xml",
    ".tsv": "tsv",
    ".jsonl": "jsonl",
    ".ndjson": "jsonl",
    ".xlsx": "xlsx",
    ".xls": "xls",
    ".ods": "ods",
    ".pdf": "pdf",
    ".png": "png",
    ".jpg": "jpeg",
    ".jpeg": "jpeg",
    ".gif": "gif",
    ".webp": "webp",
    ".zip": "zip",
    ".gz": "gzip",
}


def kind_of(name: str | PurePath) -> str | None:
    """The format a file name's extension names, if it names one `KIND_OF_SUFFIX` knows."""
    return KIND_OF_SUFFIX.get(PurePath(name).suffix.lower())
