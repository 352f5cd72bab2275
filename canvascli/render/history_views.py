"""`canvas log`: the commits that changed a company's post, and the blocks each changed."""

from __future__ import annotations

from collections.abc import Sequence

from rich import box
from rich.console import Group, RenderableType
from rich.table import Table
from rich.text import Text

from canvascli.model import AnyBlock
from canvascli.render.canvas_views import plain_line
from canvascli.render.safe_text import clean_line
from canvascli.store.history import Change
from canvascli.words import noun_for


def _blocks(kind: str, blocks: Sequence[AnyBlock], style: str) -> Text:
    line = Text(f"{kind}: ", style=style)
    line.append(", ".join(block.title for block in blocks))
    return line


def change_lines(change: Change) -> RenderableType:
    """What one commit did to the post: a line per kind of block change, and a rename."""
    lines: list[Text] = []
    if change.old_path is not None:
        lines.append(plain_line(f"{change.status} from {change.old_path}", "dim"))
    elif change.status in {"added", "deleted"}:
        lines.append(Text(f"post {change.status}", style="dim"))
    if change.blocks is None:
        lines.append(Text("cannot be read as a canvas", style="dim italic"))
        return Group(*lines)
    for kind, blocks, style in (
        ("added", change.blocks.added, "green"),
        ("removed", change.blocks.removed, "red"),
        ("edited", change.blocks.edited, "yellow"),
    ):
        if blocks:
            lines.append(_blocks(kind, blocks, style))
    if not any(change.blocks):
        lines.append(Text("no block changed", style="dim"))
    return Group(*lines)


def log_view(slug: str, source: str, changes: Sequence[Change]) -> RenderableType:
    """The commits newest first: date, short hash, subject, and the blocks each changed."""
    header = Text(clean_line(slug), style="bold")
    commits = noun_for(len(changes), "commit", "commits")
    header.append(f"  {len(changes)} {commits} changed {clean_line(source)}", style="dim")
    table = Table(box=box.SIMPLE_HEAD, expand=False)
    table.add_column("Date", no_wrap=True)
    table.add_column("Commit", style="cyan", no_wrap=True)
    table.add_column("Subject", overflow="fold", ratio=1)
    table.add_column("Changed", overflow="fold", ratio=1)
    for change in changes:
        revision = change.revision
        table.add_row(
            revision.day, revision.short, plain_line(revision.subject), change_lines(change)
        )
    return Group(header, table)
