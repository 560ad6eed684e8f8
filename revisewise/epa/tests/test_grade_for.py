from __future__ import annotations

import pytest

from revisewise.epa.services import Boundary, grade_for

ST0070 = [Boundary("Fail", 0, 29), Boundary("Pass", 30, 39), Boundary("Distinction", 40, 50)]


@pytest.mark.parametrize(
    ("correct", "expected"),
    [
        (0, "Fail"),
        (29, "Fail"),
        (30, "Pass"),
        (39, "Pass"),
        (40, "Distinction"),
        (50, "Distinction"),
    ],
)
def test_it_grades_the_full_test_at_the_plans_edges(correct, expected):
    assert grade_for(correct=correct, total=50, boundaries=ST0070, plan_total=50) == expected


@pytest.mark.parametrize(
    ("correct", "total", "expected"),
    [
        # 60% passes and 80% is a distinction, whatever the length.
        (2, 4, "Fail"),
        (3, 4, "Pass"),
        (4, 4, "Distinction"),
        (5, 10, "Fail"),
        (6, 10, "Pass"),
        (7, 10, "Pass"),
        (8, 10, "Distinction"),
        # 3 of 7 is 42.9%, 5 of 7 is 71.4% (under 80%), 6 of 7 is 85.7%.
        (4, 7, "Fail"),
        (5, 7, "Pass"),
        (6, 7, "Distinction"),
    ],
)
def test_it_scales_the_boundaries_for_a_short_mock(correct, total, expected):
    assert grade_for(correct=correct, total=total, boundaries=ST0070, plan_total=50) == expected


def test_it_gives_no_grade_without_boundaries_or_questions():
    assert grade_for(correct=3, total=4, boundaries=[], plan_total=50) == ""
    assert grade_for(correct=0, total=0, boundaries=ST0070, plan_total=50) == ""
