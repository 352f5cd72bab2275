"""Writing a library as a site: pages rendered from templates, each file written only when
its bytes change, and a manifest that says which files in the folder the site owns."""

from __future__ import annotations

import contextlib
import hashlib
import json
import re
import stat
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import quote

from canvascli.errors import OutputError
from canvascli.model import (
    BUSINESS_LAYOUT,
    LEAN_LAYOUT,
    AnyBlock,
    Canvas,
    LeanBlock,
    Summary,
    block_title,
)
from canvascli.render.site import data
from canvascli.render.site.markup import section_html, without_controls
from canvascli.render.site.palette import DARK, LIGHT, css_variables
from canvascli.store.writing import StagedFiles, file_mode, sync_all

if TYPE_CHECKING:
    from jinja2 import Environment

    from canvascli.store.library import Library

# The orders of `canvas list` the index's columns can sort by, and the column of each; the
# index starts in the library's own order when it is one of these, else by name.
SITE_SORTS = {"name": "Company", "blocks": "Blocks", "words": "Words"}
DEFAULT_SITE_SORT = "name"
# The file that marks a folder as a site `canvas site` built, and lists what it wrote.
MANIFEST = ".canvas-site.json"
# Raised whenever what a page is made from changes shape, so every page is made again.
SITE_FORMAT = 1
CONTENT_SECURITY_POLICY = (
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; "
    "base-uri 'none'; form-action 'self'"
)
_SAFE_FILE_NAME = re.compile(r"[a-z0-9][a-z0-9-]{0,80}")


@dataclass
class SiteReport:
    """What a build did: files written, left as they were, and removed."""

    folder: Path
    companies: int
    written: list[str]
    unchanged: int
    removed: list[str]


def page_name(slug: str) -> str:
    """A file name for a company's page and data: its slug, or a digest of a slug that is
    not plain lower-case ASCII, so no slug can name a path outside the folder."""
    if _SAFE_FILE_NAME.fullmatch(slug):
        return slug
    return "c-" + hashlib.sha256(slug.encode("utf-8", "surrogatepass")).hexdigest()[:16]


@cache
def _package_files() -> dict[str, bytes]:
    """The templates, style sheet and script shipped in the package, by their path in it."""
    found: dict[str, bytes] = {}
    root = resources.files("canvascli.render.site")
    for folder in ("templates", "static"):
        for entry in root.joinpath(folder).iterdir():
            if entry.is_file() and not entry.name.startswith("."):
                found[f"{folder}/{entry.name}"] = entry.read_bytes()
    return found


@cache
def _templates() -> Environment:
    from jinja2 import DictLoader, Environment, StrictUndefined

    sources = {
        name.removeprefix("templates/"): content.decode("utf-8")
        for name, content in _package_files().items()
        if name.startswith("templates/")
    }
    environment = Environment(
        loader=DictLoader(sources),
        autoescape=True,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    environment.filters["url"] = lambda text: quote(str(text), safe="/")
    environment.filters["plain"] = lambda text: without_controls(str(text))
    environment.globals["csp"] = CONTENT_SECURITY_POLICY
    return environment


@cache
def site_version() -> str:
    """A digest of everything a page is made from besides the posts themselves."""
    digest = hashlib.sha256(f"{SITE_FORMAT}".encode())
    for name, content in sorted(_package_files().items()):
        digest.update(name.encode() + b"\0" + content)
    return digest.hexdigest()


def style_sheet() -> bytes:
    """The shipped style sheet, after the palette and the grid places made from the model."""
    places = []
    for block in (*BUSINESS_LAYOUT, *LeanBlock):
        place = block.grid
        places.append(
            f".box-{block.key} {{ grid-row: {place.row + 1} / span {place.row_span}; "
            f"grid-column: {place.column + 1} / span {place.column_span}; }}"
        )
    head = "\n".join(
        [
            f":root {{ color-scheme: light dark; {css_variables(LIGHT)} }}",
            "@media (prefers-color-scheme: dark) {",
            f"  :root {{ {css_variables(DARK)} }}",
            "}",
            *places,
        ]
    )
    return (head + "\n" + _package_files()["static/site.css"].decode("utf-8")).encode("utf-8")


class _Writer:
    """Writes a file of the site only when its bytes differ from what the manifest holds."""

    def __init__(self, folder: Path, previous: dict[str, str]) -> None:
        self.folder = folder
        self.previous = previous
        self.hashes: dict[str, str] = {}
        self.written: list[str] = []
        self.unchanged = 0
        # Every file the build writes waits under a temporary name until the whole site is
        # written, so a build that cannot finish changes nothing the last one left.
        self.staged = StagedFiles(force=True, durable=False)
        # The folders this build made where nothing was, newest last, for `undo`.
        self.created: list[Path] = []

    def is_current(self, name: str) -> bool:
        return name in self.previous and self.path(name).is_file()

    def path(self, name: str) -> Path:
        """Where `name` is written; refused when a folder on the way is a symbolic link,
        which would take the site's writes (and removals) outside its folder."""
        linked = _linked_part(self.folder, name)
        if linked is not None:
            raise OutputError(
                str(linked), "is a symbolic link; a site is written only inside its folder"
            )
        return self.folder / name

    def keep(self, name: str) -> None:
        self.hashes[name] = self.previous[name]
        self.unchanged += 1

    def put(self, name: str, content: bytes) -> None:
        digest = hashlib.sha256(content).hexdigest()
        self.hashes[name] = digest
        path = self.path(name)
        if self.previous.get(name) == digest and path.is_file():
            self.unchanged += 1
            return
        missing: list[Path] = []
        place = path.parent
        while place != self.folder and not place.exists():
            missing.append(place)
            place = place.parent
        for folder in reversed(missing):
            try:
                folder.mkdir()
            except FileExistsError:
                continue
            except OSError as failure:
                raise OutputError(
                    str(folder), f"cannot create folder: {failure.strerror}"
                ) from None
            self.created.append(folder)
        self.staged.add(path, content)
        self.written.append(name)

    def undo(self) -> None:
        """Drop what this build wrote and remove the folders it made, when it cannot
        finish: a site folder left holding them and no manifest would be refused by the
        next build, and a file the manifest does not list would never be removed."""
        self.staged.discard()
        for path in reversed(self.created):
            with contextlib.suppress(OSError):  # a folder someone else put a file in stays
                path.rmdir()


def _open_folder(folder: Path) -> dict[str, Any]:
    """The manifest of the site in `folder`, made ready for a build; a folder holding
    anything but a site is refused, so a mistyped `-o` never overwrites or deletes."""
    mode = file_mode(folder, follow=False)
    if mode is not None and not stat.S_ISDIR(mode):
        raise OutputError(str(folder), "is not a folder")
    if mode is None:
        try:
            folder.mkdir(parents=True)
        except OSError as failure:
            raise OutputError(str(folder), f"cannot create folder: {failure.strerror}") from None
    manifest_path = folder / MANIFEST
    try:
        has_files = any(folder.iterdir())
    except OSError as failure:
        raise OutputError(str(folder), f"cannot read folder: {failure.strerror}") from None
    if not manifest_path.is_file():
        if has_files:
            raise OutputError(
                str(folder),
                f"holds files and no {MANIFEST}, so it is not a site canvas built; "
                "give a new or empty folder",
            )
        return {}
    try:
        manifest: dict[str, Any] = json.loads(manifest_path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, ValueError):
        raise OutputError(str(manifest_path), "cannot be read as a site's manifest") from None
    if not isinstance(manifest, dict) or not isinstance(manifest.get("files"), dict):
        raise OutputError(str(manifest_path), "cannot be read as a site's manifest")
    return manifest


def _json_script(call: str, value: Any) -> bytes:
    """Data as a script that hands it to the site's script: pages opened from disk may not
    fetch JSON files, but may load scripts from their own folder."""
    text = json.dumps(value, ensure_ascii=True, separators=(",", ":"))
    return f"canvasSite.{call}({text});\n".encode("ascii")


def _box_layout(kind: str) -> tuple[tuple[AnyBlock, ...], tuple[AnyBlock, ...]]:
    """The blocks drawn in the grid, and those drawn below it (a mixed canvas's lean ones)."""
    if kind == "lean":
        return LEAN_LAYOUT, ()
    if kind == "mixed":
        return BUSINESS_LAYOUT, tuple(LeanBlock)
    return BUSINESS_LAYOUT, ()


def _boxes(canvas: Canvas, blocks: Sequence[AnyBlock]) -> list[dict[str, Any]]:
    kind = canvas.kind
    boxes = []
    for block in blocks:
        section = canvas.section_for(block)
        boxes.append(
            {
                "key": block.key,
                "title": block_title(block, kind),
                "heading": section.heading if section else None,
                "body": section_html(section) if section else None,
                "empty": section is not None and section.is_empty,
            }
        )
    return boxes


def canvas_page(canvas: Canvas, summary: Summary, home: str, source: str) -> bytes:
    """A canvas drawn as the real thing, with its extra sections below; `source` names
    its post within the library."""
    grid, below = _box_layout(canvas.kind)
    extras = [
        {"heading": section.heading, "body": section_html(section)} for section in canvas.extras
    ]
    page = (
        _templates()
        .get_template("canvas.html")
        .render(
            root="../",
            page="canvas",
            home=home,
            canvas=canvas,
            summary=summary,
            source=source,
            kind_name=_KIND_NAMES[canvas.kind],
            boxes=_boxes(canvas, grid),
            below=[box for box in _boxes(canvas, below) if box["body"] is not None],
            extras=extras,
        )
    )
    return _page_bytes(page)


_KIND_NAMES = {"business": "Business Model Canvas", "lean": "Lean Canvas", "mixed": "Mixed"}


def _library_page(name: str, **context: Any) -> bytes:
    return _page_bytes(_templates().get_template(name).render(root="", **context))


def _page_bytes(page: str) -> bytes:
    """A page as UTF-8; a lone surrogate (a byte of a file name that is not UTF-8) shown
    as its escape, as the terminal views show it."""
    return page.encode("utf-8", "backslashreplace")


def build_site(
    library: Library, folder: Path, *, title: str, sort: str | None = None
) -> SiteReport:
    """Write `library` into `folder` as a site, rewriting only files whose bytes change;
    the index lists the companies in the order `sort` (see `SITE_SORTS`); a build that
    cannot finish removes what it made."""
    made = file_mode(folder, follow=False) is None
    manifest = _open_folder(folder)
    version = site_version()
    fresh = manifest.get("version") == version
    previous_inputs: dict[str, str] = manifest.get("inputs", {}) if fresh else {}
    writer = _Writer(folder, manifest.get("files", {}))
    if made:
        writer.created.append(folder)
    try:
        return _write_site(library, writer, title, sort, version, previous_inputs)
    except BaseException:
        # Ctrl-C too: the pages written so far are temporary files and folders the next
        # build would find, and not take for its own.
        writer.undo()
        raise


def _write_site(
    library: Library,
    writer: _Writer,
    title: str,
    sort: str | None,
    version: str,
    previous_inputs: dict[str, str],
) -> SiteReport:
    """The pages, data and manifest of a site, through `writer`."""
    from canvascli.analyse.ordering import sorted_summaries
    from canvascli.analyse.stats import block_coverage, library_blocks

    folder = writer.folder
    summaries = library.summaries
    companies: list[tuple[str, str, str, str, str]] = []
    tokens: list[set[str]] = []
    inputs: dict[str, str] = {}
    for summary in summaries:
        canvas = library.canvas(summary)
        name = page_name(canvas.slug)
        page, script = f"c/{name}.html", f"data/c/{name}.js"
        companies.append((canvas.slug, canvas.name, canvas.kind, page, script))
        tokens.append(data.canvas_tokens(canvas))
        record = json.dumps(canvas.to_record(), sort_keys=True, ensure_ascii=False)
        key = hashlib.sha256(
            f"{version}\0{title}\0{page}\0{record}".encode("utf-8", "surrogatepass")
        )
        inputs[canvas.slug] = key.hexdigest()
        if previous_inputs.get(canvas.slug) == inputs[canvas.slug] and all(
            writer.is_current(name) for name in (page, script)
        ):
            writer.keep(page)
            writer.keep(script)
            continue
        source = _relative(canvas.source, library.location.path)
        writer.put(page, canvas_page(canvas, summary, title, source))
        writer.put(script, _json_script("receive", data.canvas_data(canvas, page)))
    blocks = library_blocks(summaries)
    rows = [
        {
            "summary": summary,
            "page": page,
            "marks": [
                "present"
                if block in summary.coverage
                else "empty"
                if block in summary.empty
                else "missing"
                if block in summary.layout
                else "none"
                for block in blocks
            ],
        }
        for summary, (_slug, _name, _kind, page, _script) in zip(summaries, companies, strict=True)
    ]
    order = sort if sort in SITE_SORTS else DEFAULT_SITE_SORT
    place = {id(summary): row for summary, row in zip(summaries, rows, strict=True)}
    rows = [place[id(summary)] for summary in sorted_summaries(summaries, order, reverse=False)]
    common = {"home": title, "companies": len(summaries)}
    writer.put(
        "index.html",
        _library_page(
            "index.html",
            page="index",
            rows=rows,
            sorted_by=SITE_SORTS[order],
            blocks=blocks,
            coverage=block_coverage(summaries),
            has_empty=any(summary.empty for summary in summaries),
            kind_names=_KIND_NAMES,
            **common,
        ),
    )
    writer.put("compare.html", _library_page("compare.html", page="compare", **common))
    writer.put("search.html", _library_page("search.html", page="search", **common))
    writer.put("assets/site.css", style_sheet())
    writer.put("assets/site.js", _package_files()["static/site.js"])
    writer.put("data/library.js", _json_script("library", data.library_data(companies)))
    for number, shard in enumerate(data.search_shards(tokens)):
        writer.put(f"data/search/{number:02d}.js", _json_script("shard", [number, shard]))
    manifest_bytes = json.dumps(
        {"version": version, "files": writer.hashes, "inputs": inputs},
        sort_keys=True,
        indent=0,
    ).encode("utf-8")
    manifest = StagedFiles(force=True)
    try:
        manifest.add(folder / MANIFEST, manifest_bytes)
        # Every file whole on disk before any takes the place of the last build's; the
        # pages in place before the manifest that vouches for them.
        sync_all()
        writer.staged.put_in_place()
        sync_all()
        manifest.put_in_place()
    finally:
        manifest.discard()
    return SiteReport(
        folder, len(summaries), writer.written, writer.unchanged, _remove_stale(folder, writer)
    )


def _relative(source: str, root: Path) -> str:
    try:
        return Path(source).relative_to(root).as_posix()
    except ValueError:
        return source


def _remove_stale(folder: Path, writer: _Writer) -> list[str]:
    """Delete the files an earlier build wrote that this one did not: only those, by name."""
    removed = []
    for name in sorted(set(writer.previous) - set(writer.hashes)):
        path = folder / name
        if ".." in Path(name).parts or Path(name).is_absolute():
            continue  # a manifest edited by hand never points outside the folder
        if _linked_part(folder, name) is not None:
            continue
        if path.is_file() and not path.is_symlink():
            # The new site is in place by now: a page that will not go is left, not undone.
            with contextlib.suppress(OSError):
                path.unlink()
                removed.append(name)
    return removed


def _linked_part(folder: Path, name: str) -> Path | None:
    """The first folder between `folder` and the file `name` in it that is a symbolic link."""
    place = folder
    for part in Path(name).parts[:-1]:
        place = place / part
        if place.is_symlink():
            return place
    return None
