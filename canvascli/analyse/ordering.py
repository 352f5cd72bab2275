"""The orders companies are listed in, by `canvas list` and the browser alike."""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from operator import attrgetter
from pathlib import PurePath
from typing import Any

from canvascli.model import Summary

# A date as front matter and Jekyll file names begin one: 2016-05-12.
_DATE = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})(?!\d)")


def _folded_name(summary: Summary) -> str:
    return summary.name.casefold()


def post_date(summary: Summary) -> str | None:
    """The front matter `date`, else the date a Jekyll file name starts with, as YYYY-MM-DD."""
    written = summary.metadata.get("date")
    for text in (str(written) if written is not None else "", PurePath(summary.source).name):
        found = _DATE.match(text.strip())
        if found:
            year, month, day = found.groups()
            return f"{year}-{int(month):02}-{int(day):02}"
    return None


def _date_order(summary: Summary) -> str:
    return post_date(summary) or ""


# The orders, each with the keys it sorts by, the one that decides ties first: sorts one
# key at a time, since Python's sort keeps the order of what it finds equal, are twice as
# fast on big libraries as one sort by a tuple of keys. Each ends in the slug, which no two
# companies share: otherwise companies of one name and count would keep the order their
# files were found in, which is not the same in every folder.
_BY_NAME = (attrgetter("slug"), _folded_name)
SORT_KEYS: dict[str, tuple[Callable[[Summary], Any], ...]] = {
    "name": _BY_NAME,
    "slug": (attrgetter("slug"),),
    "words": (*_BY_NAME, attrgetter("words")),
    "blocks": (*_BY_NAME, lambda summary: len(summary.coverage) / len(summary.layout)),
    "date": (*_BY_NAME, _date_order),
}


def sorted_summaries(summaries: Sequence[Summary], sort: str, reverse: bool) -> list[Summary]:
    """Sorted by one of `SORT_KEYS`; by date, undated posts come last either way."""
    ordered = list(summaries)
    for key in SORT_KEYS[sort]:
        ordered.sort(key=key, reverse=reverse)
    if sort == "date":
        ordered.sort(key=lambda summary: post_date(summary) is None)
    return ordered
