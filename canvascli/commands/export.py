"""`canvas export`: canvases as JSON, CSV or Markdown, to stdout, a file or a folder."""

from __future__ import annotations

import contextlib
import os
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from canvascli.commands.opening import LibraryOptions, open_library, refuse_repeated, warn
from canvascli.commands.revisions import canvas_named
from canvascli.env import Env
from canvascli.errors import ExitCode, OutputError, UsageError, quoted

if TYPE_CHECKING:
    from canvascli.model import Canvas


def export(
    env: Env,
    *,
    companies: Sequence[str],
    output_format: str | None,
    output: str | None,
    force: bool,
    library: LibraryOptions,
    bom: bool = False,
) -> ExitCode:
    from canvascli.render.export import FORMATS, format_for
    from canvascli.store.writing import check_writable

    chosen = output_format.lower() if output_format else format_for(output) or "json"
    chosen = "markdown" if chosen == "md" else chosen
    if chosen not in FORMATS:
        raise UsageError(f"--format must be one of {', '.join(FORMATS)}, not {quoted(chosen)}")
    _refuse_a_name_for_another_format(output, chosen, given=output_format is not None)
    if bom and chosen != "csv":
        raise UsageError(f"--bom is for CSV, not {chosen}")
    destination = None if output in {None, "-"} else Path(str(output))
    # `-o out/` names a folder, which Path forgets: only Markdown is written into one.
    folder = output is not None and output.endswith(("/", os.sep))
    if folder and chosen != "markdown":
        raise UsageError(f"--output {output} names a folder; {chosen} is written to one file")
    if destination is not None and chosen != "markdown":
        check_writable(destination, force=force)  # before the work, not after it
    opened = open_library(env, library)
    canvases = (
        [canvas_named(env, opened, name) for name in companies]
        if companies
        else list(opened.canvases())
    )
    refuse_repeated(canvases)
    if not canvases:
        warn(env, f"no companies to export in {opened.location}")
    if chosen == "markdown":
        _export_markdown(env, canvases, destination, force=force, folder=folder)
        return ExitCode.OK
    from canvascli.render.export import to_csv, to_json

    if chosen == "csv" and destination is None:
        # Standard output shows control characters as symbols, so no CR line ends.
        text = to_csv(canvases, bom=bom, line_end="\n")
    elif chosen == "csv":
        text = to_csv(canvases, bom=bom)
    else:
        text = to_json(canvases)
    _deliver(env, text, destination, force=force)
    return ExitCode.OK


def _refuse_a_name_for_another_format(output: str | None, chosen: str, *, given: bool) -> None:
    """Refuse `-o NAME` whose extension promises a format other than the one written:
    JSON in `canvases.yaml` or CSV in `canvases.json` would mislead whatever opens it."""
    from canvascli.render.file_kinds import kind_of

    if output is None or output == "-":
        return
    kind = kind_of(output)
    if kind is None or kind == chosen:
        return
    if given:
        suffix = Path(output).suffix
        raise UsageError(f"--format {chosen} contradicts --output {output} (a {suffix} name)")
    raise UsageError(
        f"--output {output}: export writes json, csv or markdown, not {kind}; "
        "name the file .json, .csv or .md"
    )


def _deliver(env: Env, text: str, destination: Path | None, *, force: bool) -> None:
    """Exact UTF-8 bytes to a file; on standard output, control characters made visible.

    Whatever reads a pipe may be a terminal in the end, so a post's escape sequences never
    reach standard output raw; `-o FILE` keeps them byte for byte.
    """
    if destination is not None:
        from canvascli.store.writing import write_atomically

        write_atomically(destination, text.encode("utf-8"), force=force)
        return
    from canvascli.render.safe_text import clean

    env.stdout.flush()
    env.stdout.buffer.write(clean(text).encode("utf-8", "surrogateescape"))
    env.stdout.flush()


def _export_markdown(
    env: Env,
    canvases: Sequence[Canvas],
    destination: Path | None,
    *,
    force: bool,
    folder: bool = False,
) -> None:
    """One canvas to stdout or a file; several, or any number into a folder, one file each,
    all written or none (and the folder, if made for them, gone again).

    A name that ends as an export file does (`all.md`) names a file, never a folder to make,
    unless it ends in a `/` (`folder`).
    """
    from canvascli.render.export import format_for, markdown_file_name, to_markdown
    from canvascli.store.writing import check_writable, is_folder, write_all_atomically

    names_a_file = destination is not None and format_for(str(destination)) is not None
    if destination is None or not (
        folder or is_folder(destination) or (len(canvases) > 1 and not names_a_file)
    ):
        if len(canvases) > 1:
            given = f", not the file {destination}" if destination is not None else ""
            raise UsageError(
                f"markdown export of {len(canvases)} companies needs -o FOLDER "
                f"(one file per company){given}"
            )
        if canvases:
            _deliver(env, to_markdown(canvases[0]), destination, force=force)
        return
    made = not is_folder(destination)
    if made:
        try:
            destination.mkdir()
        except OSError as failure:
            raise OutputError(
                str(destination), f"cannot create folder: {failure.strerror}"
            ) from None
    files = [destination / markdown_file_name(canvas) for canvas in canvases]
    try:
        for path in files:
            check_writable(path, force=force)
        write_all_atomically(
            [
                (path, to_markdown(canvas).encode("utf-8"))
                for canvas, path in zip(canvases, files, strict=True)
            ],
            force=force,
        )
    except OutputError:
        if made:
            with contextlib.suppress(OSError):  # not empty: someone else wrote there
                destination.rmdir()
        raise
