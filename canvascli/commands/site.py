"""`canvas site`: the library as a static web site, written into a folder."""

from __future__ import annotations

from pathlib import Path

from canvascli.commands.opening import LibraryOptions, open_library
from canvascli.env import Env
from canvascli.errors import ExitCode, UsageError


def site(env: Env, *, output: str, library: LibraryOptions) -> ExitCode:
    from canvascli.render.site.build import build_site
    from canvascli.words import noun_for

    # An empty name (an unset variable in a script) is a mistake, not the current folder.
    if not output.strip():
        raise UsageError("--output/-o: give the folder to write the site into")
    folder = Path(output) if Path(output).is_absolute() else env.cwd / output
    _refuse_a_file_name(output, folder)
    opened = open_library(env, library).companies()
    title = opened.location.path.name or "canvases"
    report = build_site(opened, folder, title=title, sort=opened.config.sort)
    pages = noun_for(report.companies, "canvas page", "canvas pages")
    env.stdout.write(
        f"{folder / 'index.html'}: {report.companies:,} {pages}; "
        f"{len(report.written):,} files written, {report.unchanged:,} unchanged, "
        f"{len(report.removed):,} removed\n"
    )
    return ExitCode.OK


def _refuse_a_file_name(output: str, folder: Path) -> None:
    """A site is a folder: `-o index.html` or `-o site.zip` names a file, and would make a
    folder so named (unless one is there already, which is taken as it is)."""
    from canvascli.render.file_kinds import kind_of
    from canvascli.store.writing import is_folder

    if kind_of(output) is not None and not is_folder(folder):
        raise UsageError(
            f"--output {output}: a {folder.suffix} name is for a file; the site is a folder"
        )
