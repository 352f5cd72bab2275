"""Regular expressions compiled when first used, not when the reader is imported."""

from __future__ import annotations

import re
from typing import Any, cast


class _Deferred:
    """Stands for a compiled pattern: compiles it on first use, then hands out its methods.

    Each attribute is looked up once, then kept on the instance, so that later uses cost
    what the compiled pattern's own do.
    """

    def __init__(self, pattern: str, flags: int) -> None:
        self.pattern = pattern
        self._flags = flags
        self._compiled: re.Pattern[str] | None = None

    def __getattr__(self, name: str) -> Any:
        if name.startswith("_"):
            raise AttributeError(name)
        if self._compiled is None:
            self._compiled = re.compile(self.pattern, self._flags)
        value = getattr(self._compiled, name)
        setattr(self, name, value)
        return value


def deferred(pattern: str, flags: int = 0) -> re.Pattern[str]:
    """`re.compile(pattern, flags)`, compiled when first used.

    Reading one changed post imports the reader for that post alone, and compiling every
    pattern of the reader took as long as the rest of such a run's reading: most are for
    layouts, languages or kinds of text that post does not have.
    """
    return cast("re.Pattern[str]", _Deferred(pattern, flags))
