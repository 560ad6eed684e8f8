from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from revisewise.scheduling.plan import BACKLOG_SPREAD_DAYS, PlanCard, plan_build

TODAY = date(2026, 3, 2)


def _learned(key: int, *, reviewed_days_ago: float, stability: float, due_in_days: int) -> PlanCard:
    last = datetime(2026, 3, 2, 12, tzinfo=UTC) - timedelta(days=reviewed_days_ago)
    due = datetime(2026, 3, 2, 12, tzinfo=UTC) + timedelta(days=due_in_days)
    return PlanCard(key=key, stability=stability, difficulty=5.0, last_review=last, due=due)


def test_it_introduces_every_new_item_before_the_exam():
    cards = [PlanCard(key=key) for key in range(120)]
    plan = plan_build(
        cards=cards, today=TODAY, exam_date=TODAY + timedelta(days=30), daily_capacity=100
    )
    introduced = [key for day in plan.days for key in day.new_keys]
    assert sorted(introduced) == list(range(120))
    assert all(day.day < plan.exam_date for day in plan.days)
    assert plan.is_feasible


def test_it_keeps_the_last_days_for_consolidation():
    plan = plan_build(
        cards=[PlanCard(key=key) for key in range(90)],
        today=TODAY,
        exam_date=TODAY + timedelta(days=40),
        daily_capacity=100,
    )
    assert sum(day.new_count for day in plan.days[-10:]) == 0
    assert sum(day.review_count for day in plan.days[-10:]) > 0


def test_it_spreads_new_items_evenly():
    plan = plan_build(
        cards=[PlanCard(key=key) for key in range(100)],
        today=TODAY,
        exam_date=TODAY + timedelta(days=14),
        daily_capacity=100,
    )
    counts = [day.new_count for day in plan.days if day.new_count]
    assert max(counts) - min(counts) <= 1


def test_it_leaves_every_card_at_the_desired_retention_on_exam_day():
    cards = [PlanCard(key=key) for key in range(50)]
    cards += [
        _learned(100 + k, reviewed_days_ago=3, stability=5.0, due_in_days=k % 20) for k in range(30)
    ]
    plan = plan_build(
        cards=cards,
        today=TODAY,
        exam_date=TODAY + timedelta(days=21),
        daily_capacity=200,
        desired_retention=0.9,
    )
    assert set(plan.exam_day_recall) == {card.key for card in cards}
    # Intervals are whole days, so a card may sit a hair under the target on the day.
    assert min(plan.exam_day_recall.values()) >= 0.89


def test_it_aims_higher_for_a_higher_desired_retention():
    cards = [PlanCard(key=key) for key in range(40)]
    plans = [
        plan_build(
            cards=cards,
            today=TODAY,
            exam_date=TODAY + timedelta(days=30),
            daily_capacity=200,
            desired_retention=retention,
        )
        for retention in (0.8, 0.95)
    ]
    assert min(plans[1].exam_day_recall.values()) >= 0.94
    total = [sum(day.review_count for day in plan.days) for plan in plans]
    assert total[1] > total[0]


def test_it_warns_when_the_time_left_cannot_cover_the_items():
    plan = plan_build(
        cards=[PlanCard(key=key) for key in range(500)],
        today=TODAY,
        exam_date=TODAY + timedelta(days=5),
        daily_capacity=40,
    )
    assert not plan.is_feasible
    assert plan.peak_load > 40
    assert "daily capacity of 40" in plan.warnings[0]


def test_it_does_not_warn_when_the_capacity_suffices():
    plan = plan_build(
        cards=[PlanCard(key=key) for key in range(50)],
        today=TODAY,
        exam_date=TODAY + timedelta(days=20),
        daily_capacity=40,
    )
    assert plan.is_feasible
    assert plan.warnings == ()


def test_it_warns_when_the_exam_has_passed():
    plan = plan_build(cards=[PlanCard(key=1)], today=TODAY, exam_date=TODAY, daily_capacity=40)
    assert not plan.is_feasible
    assert plan.days == ()


def test_it_spreads_the_backlog_after_a_missed_week():
    # Seventy reviews fell due over the week the learner missed.
    cards = [
        _learned(k, reviewed_days_ago=10, stability=3.0, due_in_days=-(k % 7) - 1)
        for k in range(70)
    ]
    plan = plan_build(
        cards=cards, today=TODAY, exam_date=TODAY + timedelta(days=30), daily_capacity=30
    )
    backlog = [day.backlog_count for day in plan.days]
    assert sum(backlog) == 70
    assert backlog[:BACKLOG_SPREAD_DAYS] == [10] * BACKLOG_SPREAD_DAYS
    assert plan.days[0].review_count < 70
    assert plan.is_feasible


def test_it_reviews_the_most_forgotten_backlog_first():
    cards = [
        _learned(1, reviewed_days_ago=30, stability=2.0, due_in_days=-20),
        _learned(2, reviewed_days_ago=12, stability=10.0, due_in_days=-1),
    ] + [_learned(k, reviewed_days_ago=12, stability=10.0, due_in_days=-1) for k in range(3, 15)]
    plan = plan_build(
        cards=cards, today=TODAY, exam_date=TODAY + timedelta(days=30), daily_capacity=30
    )
    assert 1 in plan.days[0].review_keys


def test_it_spreads_the_backlog_over_the_days_left_when_fewer():
    cards = [_learned(k, reviewed_days_ago=10, stability=3.0, due_in_days=-2) for k in range(30)]
    plan = plan_build(
        cards=cards, today=TODAY, exam_date=TODAY + timedelta(days=3), daily_capacity=30
    )
    assert [day.backlog_count for day in plan.days] == [10, 10, 10]


def test_it_brings_forward_a_review_the_desired_retention_needs_before_the_exam():
    # Scheduled under a lower target, this card would fall well below 90 % by the exam.
    card = _learned(1, reviewed_days_ago=1, stability=5.0, due_in_days=60)
    plan = plan_build(
        cards=[card], today=TODAY, exam_date=TODAY + timedelta(days=30), daily_capacity=10
    )
    assert any(1 in day.review_keys for day in plan.days)
    assert plan.exam_day_recall[1] >= 0.89
