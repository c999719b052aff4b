"""Small-count suppression for funders' figures: pure functions on counts, no database.

A count of people from 1 to `min_count`−1 is shown as "<N" (primary suppression); more cells are
hidden as "*" while the hidden ones could be worked out from the total (complementary). The
caller passes `min_count` (the REPORT_MIN_COUNT setting, read where the report is built).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass


@dataclass(frozen=True)
class Cell:
    """A count of people as a funder sees it: the number, or "<N" when it is small (1 to N−1),
    or "*" when it is hidden so that a small one cannot be worked out from the total."""

    value: int
    min_count: int
    small: bool = False
    complement: bool = False

    @property
    def suppressed(self) -> bool:
        return self.small or self.complement

    @property
    def shown(self) -> int | str:
        """The number, or the text that replaces it (for exports: numbers stay numbers)."""
        if self.small:
            return f"<{self.min_count}"
        if self.complement:
            return "*"
        return self.value

    def __str__(self) -> str:
        return str(self.shown)


def cell(value: int, *, min_count: int) -> Cell:
    """A count on its own (a total): hidden only when it is small."""
    return Cell(value, min_count, small=0 < value < min_count)


def suppress(values: Sequence[int], *, min_count: int) -> list[Cell]:
    """Cells of one breakdown: counts from 1 to `min_count`−1 are hidden (primary); then, while
    any hidden cell could be worked out from the total and the cells shown, the next smallest
    non-zero count is hidden as well (complementary)."""
    cells = [cell(value, min_count=min_count) for value in values]
    while _derivable(cells):
        others = [(c.value, i) for i, c in enumerate(cells) if c.value > 0 and not c.suppressed]
        if not others:
            break
        i = min(others)[1]
        cells[i] = Cell(cells[i].value, min_count, complement=True)
    return cells


def _derivable(cells: Sequence[Cell]) -> bool:
    """Whether a reader who knows the total, the shown cells and the rule ("<N" is 1 to N−1,
    "*" is at least N) can pin down a hidden cell: its value is the only one that makes the
    hidden cells add up. Four and four hidden beside a 10 with a total of 18 are both 4, which
    counting the hidden cells alone (two, together 8 ≥ 5) would miss."""
    hidden = [c for c in cells if c.suppressed]
    if not hidden:
        return False
    rest = sum(c.value for c in hidden)  # what the reader works out: total − the cells shown
    bounds = [(1, c.min_count - 1) if c.small else (c.min_count, rest) for c in hidden]
    low, high = sum(lo for lo, _hi in bounds), sum(hi for _lo, hi in bounds)
    for lo, hi in bounds:
        # The values this cell can take while the others stay within their own bounds.
        least, most = max(lo, rest - (high - hi)), min(hi, rest - (low - lo))
        if lo < hi and least >= most:  # ("<2" says 1 by itself: no cover changes that)
            return True
    return False


def suppress_part(part: int, whole: int, *, min_count: int) -> Cell:
    """A count that is part of another shown count (new participants of all participants):
    hidden when it is small, or when the rest (whole − part) is small and could be worked out."""
    shown = cell(part, min_count=min_count)
    whole_shown = not 0 < whole < min_count
    if whole_shown and not shown.small and 0 < whole - part < min_count:
        return Cell(part, min_count, complement=True)
    return shown


def safe_order(cells: Sequence[Cell], names: Sequence[str]) -> list[int]:
    """Positions of a breakdown's cells in an order that gives nothing away: the shown counts
    largest first, then the hidden ones by name (never by their hidden size); ties by name."""
    if len(cells) != len(names):
        raise ValueError("one name per cell")

    def key(i: int) -> tuple[int, int, str]:
        if cells[i].suppressed:
            return (1, 0, names[i])
        return (0, -cells[i].value, names[i])

    return sorted(range(len(cells)), key=key)
