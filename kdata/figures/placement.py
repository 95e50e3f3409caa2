"""Label placement for the figures: greedy, in pixels, with no overlap between labels.

Pure geometry, no matplotlib: the figures measure their texts and markers, ask here where each
label goes, and draw it there (with a leader line when it had to move away from its point).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass


@dataclass(frozen=True)
class Box:
    """An axis-aligned rectangle in pixels (y grows upward, as in matplotlib's display space)."""

    x0: float
    y0: float
    x1: float
    y1: float

    def overlaps(self, other: Box, pad: float = 0.0) -> bool:
        return not (self.x1 + pad <= other.x0 or other.x1 + pad <= self.x0
                    or self.y1 + pad <= other.y0 or other.y1 + pad <= self.y0)

    def inside(self, other: Box) -> bool:
        return (self.x0 >= other.x0 and self.x1 <= other.x1
                and self.y0 >= other.y0 and self.y1 <= other.y1)


@dataclass(frozen=True)
class RowLabel:
    """Where a timeline label goes: above the line (``side`` 1) or below it (-1), in its row
    on that side (0 nearest the line), with its left edge at ``x0``."""

    side: int
    row: int
    x0: float


def stack_in_rows(anchors: Sequence[float], widths: Sequence[float], left: float, right: float,
                  *, max_shift: float = 20.0, row_cost: float = 25.0, below_cost: float = 5.0,
                  cover_cost: float = 25.0, gap: float = 8.0) -> list[RowLabel]:
    """Place labels of ``widths`` for points at ``anchors`` (x, in order) in rows above and
    below a line.

    Each label starts at its point or ends there, or is shifted sideways by up to ``max_shift``
    pixels. Of the free places it takes the cheapest: a pixel sideways costs 1, a row farther
    from the line ``row_cost``, the side below the line ``below_cost``, and each point still to
    be labelled that the label would cover ``cover_cost`` (it would block that label's row).
    A leader line joins each label to its point; labels never overlap, and they cross the
    leaders of others only when no row is left where they would not.
    """
    rows: dict[int, list[list[tuple[float, float]]]] = {1: [], -1: []}  # occupied x intervals

    def free(side: int, row: int, a: float, b: float) -> bool:
        taken = rows[side]
        return row >= len(taken) or all(b + gap <= x0 or x1 + gap <= a for x0, x1 in taken[row])

    def crossings(side: int, row: int, anchor: float) -> int:
        return sum(not free(side, r, anchor - 1.0, anchor + 1.0) for r in range(row))

    placed = []
    for i, (anchor, width) in enumerate(zip(anchors, widths)):
        later = anchors[i + 1:]
        starts = [(0.0, anchor - 3.0), (0.0, anchor + 3.0 - width)]
        for k in range(1, int(max_shift // 5) + 1):
            starts += [(5.0 * k, anchor - 3.0 + 5 * k), (5.0 * k, anchor + 3.0 - width - 5 * k)]
        candidates = []
        for shift, x0 in starts:
            x0 = min(max(x0, left), right - width)
            covered = sum(x0 - gap <= a <= x0 + width + gap for a in later)
            for side in (1, -1):
                for row in range(len(rows[side]) + 1):
                    if free(side, row, x0, x0 + width):
                        cost = (shift + row * row_cost + covered * cover_cost
                                + (below_cost if side < 0 else 0.0))
                        candidates.append((crossings(side, row, anchor), cost, side, row, x0))
        _, _, side, row, x0 = min(candidates)  # a new row is always free: never empty
        taken = rows[side]
        while len(taken) <= row:
            taken.append([])
        taken[row].append((x0, x0 + width))
        for r in range(row):
            taken[r].append((anchor - 1.0, anchor + 1.0))
        placed.append(RowLabel(side, row, x0))
    return placed


#: Sides of a point tried in turn for a map label: (dx, dy) unit direction.
SIDES = ((1, 0), (1, 1), (1, -1), (-1, 0), (-1, 1), (-1, -1), (0, 1), (0, -1))


@dataclass(frozen=True)
class PointLabel:
    """Where a map label goes: its box, and whether it sits away from its point (needs a leader)."""

    box: Box
    far: bool


def place_around(x: float, y: float, radius: float, width: float, height: float,
                 taken: Iterable[Box], frame: Box, *, distances: Sequence[float] = (3, 14, 28, 44)
                 ) -> PointLabel | None:
    """The first box of ``width`` × ``height`` beside the point (``x``, ``y``), on one of
    :data:`SIDES` and at one of ``distances`` beyond ``radius``, that lies inside ``frame`` and
    overlaps no box of ``taken``; ``None`` if there is none."""
    taken = list(taken)
    for n, distance in enumerate(distances):
        d = radius + distance
        for dx, dy in SIDES:
            cx = x + dx * (d + width / 2) if dx else x
            cy = y + dy * (d + height / 2) if dy else y
            if dx and dy:  # diagonal: pull in, so the corner sits near the point
                cx, cy = x + dx * (d * 0.7 + width / 2), y + dy * (d * 0.7 + height / 2)
            box = Box(cx - width / 2, cy - height / 2, cx + width / 2, cy + height / 2)
            if box.inside(frame) and not any(box.overlaps(t, pad=2.0) for t in taken):
                return PointLabel(box, far=n > 0)
    return None
