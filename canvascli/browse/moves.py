"""Which box an arrow key leads to, the way the boxes sit on the paper canvas."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Literal

from canvascli.model import GridPlace

Direction = Literal["left", "right", "up", "down"]


def _overlap(start: int, span: int, other_start: int, other_span: int) -> int:
    return min(start + span, other_start + other_span) - max(start, other_start)


def next_box(
    places: Sequence[GridPlace], current: int, direction: Direction, lane: int | None = None
) -> int | None:
    """The index of the box beside `places[current]` towards `direction`, or None at the edge.

    Of the boxes that share rows (moving left or right) or columns (moving up or down) with
    the current one, the nearest wins; among those as near, the one on the `lane` (the row or
    column the user has been travelling along), then the one that shares the most.
    """
    here = places[current]
    horizontal = direction in ("left", "right")
    best: tuple[int, bool, int] | None = None
    chosen: int | None = None
    for index, place in enumerate(places):
        if index == current:
            continue
        if horizontal:
            shared = _overlap(here.row, here.row_span, place.row, place.row_span)
            if direction == "right":
                distance = place.column - (here.column + here.column_span)
            else:
                distance = here.column - (place.column + place.column_span)
        else:
            shared = _overlap(here.column, here.column_span, place.column, place.column_span)
            if direction == "down":
                distance = place.row - (here.row + here.row_span)
            else:
                distance = here.row - (place.row + place.row_span)
        if shared <= 0 or distance < 0:
            continue
        start, span = (
            (place.row, place.row_span) if horizontal else (place.column, place.column_span)
        )
        off_lane = lane is not None and not start <= lane < start + span
        rank = (distance, off_lane, -shared)
        if best is None or rank < best:
            best, chosen = rank, index
    return chosen


def lane_through(place: GridPlace, direction: Direction, lane: int | None) -> int:
    """The row (moving left or right) or column (up or down) a move from `place` travels
    along: the one travelled so far while the box still covers it, else the box's first."""
    start, span = (
        (place.row, place.row_span)
        if direction in ("left", "right")
        else (place.column, place.column_span)
    )
    return lane if lane is not None and start <= lane < start + span else start
