"""`canvas config`: the settings a library is read with, and where each one comes from."""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING, Any

from canvascli.commands.opening import library_config
from canvascli.commands.output import print_json
from canvascli.env import Env
from canvascli.errors import ExitCode

if TYPE_CHECKING:
    from canvascli.store.config import LibraryConfig

# What each key is when no config sets it, as `canvas config` shows it.
DEFAULTS: dict[str, Any] = {
    "sort": "name",
    "ignore": [],
    "select": [],
    "stop_words": [],
    "synonyms": {},
}
# Where the origin comments of the text view start.
_COMMENT_COLUMN = 32


def show_config(env: Env, *, posts: Path | None, as_json: bool) -> ExitCode:
    """Print the effective config of the library, in TOML, each key with its origin."""
    from canvascli.store.files import locate_library

    location = locate_library(posts, env.environ)
    config = library_config(location)
    settings = {key: {"value": _value(config, key), "from": config.origin(key)} for key in DEFAULTS}
    if as_json:
        print_json(
            env,
            {
                "library": str(location.path),
                "library_from": location.origin,
                "config": None if config.path is None else str(config.path),
                "settings": settings,
            },
        )
        return ExitCode.OK
    from canvascli.render.safe_text import clean_line

    found = "none found" if config.path is None else str(config.path)
    lines = [f"# library: {location}", f"# config: {found}"]
    for key, setting in settings.items():
        if key == "synonyms":
            continue
        lines.append(_commented(f"{key} = {_toml(setting['value'])}", setting["from"]))
    synonyms = settings["synonyms"]
    lines += ["", _commented("[synonyms]", synonyms["from"])]
    lines += [f"{_toml(label)} = {_toml(key)}" for label, key in synonyms["value"].items()]
    env.stdout.writelines(clean_line(line) + "\n" for line in lines)
    return ExitCode.OK


def _value(config: LibraryConfig, key: str) -> Any:
    if not config.is_set(key):
        return DEFAULTS[key]
    value = getattr(config, key)
    if key == "synonyms":
        return dict(value)
    if isinstance(value, frozenset):
        return sorted(value)
    return list(value) if isinstance(value, tuple) else value


def _toml(value: Any) -> str:
    """A value as TOML writes it; JSON's strings and arrays of strings are TOML's too."""
    return json.dumps(value, ensure_ascii=False, separators=(", ", " = "))


def _commented(line: str, origin: str) -> str:
    return f"{line:<{_COMMENT_COLUMN - 2}}  # {origin}"
