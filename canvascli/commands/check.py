"""`canvas check`: findings in posts, one line each, and a summary on stderr."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from canvascli.commands.opening import folder_config, library_config, warn
from canvascli.commands.output import print_json
from canvascli.env import Env
from canvascli.errors import ExitCode, UsageError, quoted


def check(
    env: Env,
    *,
    paths: Sequence[Path],
    posts: Path | None,
    strict: bool,
    ignore: Sequence[str],
    as_json: bool,
    everything: bool = False,
    use_cache: bool = True,
) -> ExitCode:
    from canvascli.analyse.check import check_library, check_paths
    from canvascli.model import CODES_OFF_BY_DEFAULT
    from canvascli.render.terminal import progress_bar
    from canvascli.store.files import locate_library, max_post_bytes

    asked = finding_codes(ignore)
    if paths and posts is not None:
        raise UsageError("give PATHs or --posts, not both")
    location = None if paths else locate_library(posts, env.environ)
    # Posts named one by one (as a pre-commit hook names them) follow the config of the
    # folder `canvas` runs in, the top of their repository as a rule.
    config = folder_config(env.cwd) if location is None else library_config(location)
    # What the command line says wins: --all reports what the config leaves out too.
    off = set() if everything else config.off_codes(CODES_OFF_BY_DEFAULT)
    ignored = asked | off
    limit = max_post_bytes(env.environ)
    notices: list[str] = []
    with progress_bar(env, "Checking posts") as progress:
        if location is None:
            report = check_paths(
                paths,
                ignore=ignored,
                limit=limit,
                progress=progress,
                cwd=env.cwd,
                synonyms=config.synonyms,
            )
        else:
            report = check_library(
                location.path,
                ignore=ignored,
                limit=limit,
                progress=progress,
                cwd=env.cwd,
                use_cache=use_cache,
                cache_dir=env.cache_dir,
                notices=notices,
                synonyms=config.synonyms,
            )
    for notice in notices:
        warn(env, notice)
    if report.found_nothing:
        warn(env, "no posts to check")
    if as_json:
        print_json(env, report.to_dict())
    else:
        from canvascli.render.safe_text import clean_line

        env.stdout.writelines(clean_line(finding.format()) + "\n" for finding in report.findings)
        env.stdout.flush()
    env.stderr.write(report.summary() + "\n")
    return ExitCode.PROBLEMS if report.failed(strict=strict) else ExitCode.OK


def finding_codes(values: Sequence[str]) -> set[str]:
    """Finding codes from repeatable, comma-separated option values; unknown ones refused."""
    from canvascli.model import CODES

    codes = {code.strip().upper() for value in values for code in value.split(",") if code.strip()}
    unknown = sorted(codes - CODES.keys())
    if unknown:
        raise UsageError(f"unknown code {quoted(unknown[0])} (see 'canvas check --list-codes')")
    return codes


def list_codes(env: Env) -> ExitCode:
    """Every finding code with its severity and what it means, one line each."""
    from canvascli.model import CODES

    for code, (severity, meaning) in CODES.items():
        env.stdout.write(f"{code}  {severity:<7}  {meaning}\n")
    return ExitCode.OK


def explain_code(env: Env, code: str) -> ExitCode:
    """What one finding code means, how to deal with it, and a post that gets it."""
    import difflib
    import textwrap

    from canvascli.model import CODE_EXPLANATIONS, CODES

    wanted = code.strip().upper()
    if wanted not in CODES:
        from canvascli.render.safe_text import clean_line

        close = difflib.get_close_matches(wanted, list(CODES), n=1, cutoff=0.6)
        hint = f"; did you mean '{close[0]}'?" if close else ""
        raise UsageError(
            clean_line(f"unknown code {quoted(code)}{hint} (see 'canvas check --list-codes')")
        )
    severity, meaning = CODES[wanted]
    explanation, example = CODE_EXPLANATIONS[wanted]
    width = min(env.width, 80) if env.stdout_isatty else 80
    paragraph = textwrap.fill(explanation, width=width)
    shown = textwrap.indent(example, "    ")
    env.stdout.write(f"{wanted} ({severity}): {meaning}\n\n{paragraph}\n\nExample:\n\n{shown}\n")
    return ExitCode.OK
