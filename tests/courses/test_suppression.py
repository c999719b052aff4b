"""Small-count suppression as a funder reads it: what is hidden, what stays, and that a hidden
count cannot be worked out from the ones shown and the total. Pure functions: no database."""

from __future__ import annotations

import ast
from itertools import product
from pathlib import Path

import courses.suppression
from courses.suppression import Cell, cell, safe_order, suppress, suppress_part


def shown(values: list[int], min_count: int = 5) -> list[str]:
    return [str(c) for c in suppress(values, min_count=min_count)]


def recoverable(cells: list[Cell], total: int) -> list[int]:
    """Positions of hidden cells whose value a reader can work out, knowing the total, the
    shown cells and the rule: "<N" is 1 to N−1, "*" is at least N (it was not small)."""
    hidden = [i for i, c in enumerate(cells) if c.suppressed]
    rest = total - sum(c.value for c in cells if not c.suppressed)
    ranges = [
        range(1, c.min_count) if c.small else range(c.min_count, rest + 1)
        for c in (cells[i] for i in hidden)
    ]
    solutions = [combo for combo in product(*ranges) if sum(combo) == rest]
    return [i for k, i in enumerate(hidden) if len({s[k] for s in solutions}) <= 1]


def test_a_row_of_3_2_7_hides_both_small_ones_and_neither_can_be_recovered() -> None:
    cells = suppress([3, 2, 7], min_count=5)
    assert [str(c) for c in cells] == ["<5", "<5", "7"]
    # The reader knows 12 people in all and sees 7: the other two add up to 5, which could be
    # 1 + 4, 2 + 3, 3 + 2 or 4 + 1.
    assert recoverable(cells, total=12) == []


def test_one_small_count_alone_would_be_given_away_so_the_next_smallest_is_hidden() -> None:
    cells = suppress([10, 3, 7, 0], min_count=5)
    assert [str(c) for c in cells] == ["10", "<5", "*", "0"]  # 7, not 10: the least lost
    # Without the "*", 20 − 10 − 7 would be the 3.
    assert recoverable([cell(v, min_count=5) for v in (10, 3, 7, 0)], total=20) == [1]
    assert recoverable(cells, total=20) == []


def test_two_single_people_are_not_enough_cover_for_each_other() -> None:
    cells = suppress([10, 1, 1, 8], min_count=5)
    assert [str(c) for c in cells] == ["10", "<5", "<5", "*"]
    assert recoverable([cell(v, min_count=5) for v in (10, 1, 1, 8)], total=20) == [1, 2]
    assert recoverable(cells, total=20) == []


def test_small_cells_at_their_upper_bound_cannot_be_recovered() -> None:
    # Two "<5" beside a 10 with 18 in all: 18 − 10 = 8, so each would be 4; the 10 is hidden
    # too, and the two small ones could then be anything from 1 to 4.
    assert recoverable([cell(v, min_count=5) for v in (4, 4, 10)], total=18) == [0, 1]
    cells = suppress([4, 4, 10], min_count=5)
    assert [str(c) for c in cells] == ["<5", "<5", "*"]
    assert recoverable(cells, total=18) == []


def test_no_hidden_cell_of_any_small_breakdown_can_be_recovered() -> None:
    """Every breakdown of three counts up to 11: each hidden cell stays unknown, unless every
    non-zero cell is hidden already (nothing is left to hide; the total, when small, is "<5")."""
    for values in product(range(12), repeat=3):
        cells = suppress(list(values), min_count=5)
        nothing_left = all(c.suppressed for c in cells if c.value)
        assert nothing_left or recoverable(cells, total=sum(values)) == [], values


def test_zero_and_counts_at_the_minimum_are_shown_as_they_are() -> None:
    assert shown([0, 0, 5, 12]) == ["0", "0", "5", "12"]
    assert shown([]) == []


def test_every_small_count_is_hidden_even_when_nothing_else_can_cover_it() -> None:
    assert shown([4]) == ["<5"]
    assert shown([1, 0, 0]) == ["<5", "0", "0"]  # only zeros left: nothing more to hide
    assert shown([2, 1]) == ["<5", "<5"]


def test_the_minimum_is_the_one_passed_in() -> None:
    # "<2" says 1 by itself: hiding the 5 as well would protect nothing (and 15 − 9 − 1 would
    # give the 5 away), so nothing more is hidden.
    assert shown([1, 5, 9], min_count=2) == ["<2", "5", "9"]
    assert shown([4, 7, 9], min_count=6) == ["<6", "*", "9"]  # 20 − 9 = 11: 4 + 7, 5 + 6, ...
    assert shown([1, 5, 9], min_count=10) == ["<10", "<10", "<10"]
    assert shown([3, 4], min_count=1) == ["3", "4"]  # 1: nothing is small


def test_a_total_on_its_own_is_hidden_only_when_small() -> None:
    assert [str(cell(n, min_count=5)) for n in (0, 1, 4, 5, 250)] == ["0", "<5", "<5", "5", "250"]


def test_exports_keep_numbers_as_numbers_and_replace_hidden_ones_with_text() -> None:
    cells = suppress([10, 3, 7], min_count=5)
    assert [c.shown for c in cells] == [10, "<5", "*"]
    assert [c.value for c in cells] == [10, 3, 7]  # the true figures stay for the charts' bars
    assert [c.suppressed for c in cells] == [False, True, True]


def test_new_participants_hidden_when_the_returning_ones_would_be_few() -> None:
    assert str(suppress_part(11, 12, min_count=5)) == "*"  # 12 − 11: one returning person
    assert str(suppress_part(7, 12, min_count=5)) == "7"
    assert str(suppress_part(12, 12, min_count=5)) == "12"
    assert str(suppress_part(2, 3, min_count=5)) == "<5"
    assert str(suppress_part(0, 3, min_count=5)) == "0"  # the whole is hidden already


def test_suppress_rules() -> None:
    shown = [str(c) for c in suppress([10, 3, 7, 0], min_count=5)]
    assert shown == ["10", "<5", "*", "0"]
    assert [str(c) for c in suppress([10, 3, 2, 7], min_count=5)] == ["10", "<5", "<5", "7"]
    assert [str(c) for c in suppress([10, 5, 0], min_count=5)] == ["10", "5", "0"]
    assert [str(c) for c in suppress([4], min_count=5)] == ["<5"]
    # Two hidden cells of one person each, with the total shown, would give each away: the
    # hidden ones must add up to at least the minimum.
    assert [str(c) for c in suppress([10, 1, 1, 0], min_count=5)] == ["*", "<5", "<5", "0"]
    assert [str(c) for c in suppress([10, 1, 1, 8], min_count=5)] == ["10", "<5", "<5", "*"]


def test_hidden_rows_are_ordered_by_name_so_their_order_gives_nothing_away() -> None:
    names = ["Belarus", "Georgia", "Poland", "Ukraine"]
    one = suppress([1, 4, 30, 12], min_count=5)
    other = suppress([4, 1, 30, 12], min_count=5)  # the hidden sizes swapped
    assert [names[i] for i in safe_order(one, names)] == ["Poland", "Ukraine", "Belarus", "Georgia"]
    assert safe_order(one, names) == safe_order(other, names)


def test_suppression_imports_no_django_nor_the_apps_models_services_or_selectors() -> None:
    tree = ast.parse(Path(courses.suppression.__file__).read_text(encoding="utf-8"))
    imported: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            imported |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom):
            imported.add(node.module or "")
    assert imported <= {"__future__", "collections.abc", "dataclasses"}
