from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from revisewise.progress.readiness import (
    MASTERY_ONLY,
    Boundaries,
    MockEvidence,
    ObjectiveEvidence,
    probability_text,
    readiness_predict,
)

ST0070 = Boundaries(
    has_knowledge_test=True,
    question_count=50,
    pass_marks=30,
    distinction_marks=40,
    guess_rate=0.25,
    source="ST0070",
)
DAY = datetime(2026, 3, 2, tzinfo=UTC)


def _objectives(mastery: float, *, reviews: int = 12, seen: int = 4, items: int = 4, n: int = 3):
    return [
        ObjectiveEvidence(
            key=k,
            label=f"Objective {k}",
            mastery=mastery,
            items=items,
            seen_items=seen,
            reviews=reviews,
        )
        for k in range(n)
    ]


def _predict(objectives, mocks=(), boundaries=ST0070):
    return readiness_predict(objectives=objectives, mocks=list(mocks), boundaries=boundaries)


def _mocks(*percents):
    return [
        MockEvidence(percent=p, finished_at=DAY + timedelta(days=i)) for i, p in enumerate(percents)
    ]


def test_it_rises_with_mastery():
    levels = [0.1, 0.3, 0.5, 0.6, 0.7, 0.8, 0.9]
    chances = [_predict(_objectives(m)) for m in levels]

    passes = [r.p_pass for r in chances]
    distinctions = [r.p_distinction for r in chances]
    assert passes == sorted(passes)
    assert distinctions == sorted(distinctions)
    assert passes[0] < 0.05
    assert passes[-1] > 0.95
    assert all(r.p_distinction <= r.p_pass for r in chances)


def test_it_rises_with_mock_scores():
    chances = [_predict(_objectives(0.6), _mocks(p)).p_pass for p in (30, 50, 60, 70, 90)]

    assert chances == sorted(chances)


def test_more_evidence_narrows_the_prediction():
    spreads = [_predict(_objectives(0.7, reviews=r)).sd for r in (1, 4, 16, 64)]

    assert spreads == sorted(spreads, reverse=True)
    with_mocks = [_predict(_objectives(0.7, reviews=4), _mocks(*[70] * n)).sd for n in range(4)]
    assert with_mocks == sorted(with_mocks, reverse=True)


def test_more_evidence_makes_a_clear_case_more_certain():
    # Comfortably above the pass mark: more practice makes a pass surer, never less sure.
    chances = [_predict(_objectives(0.8, reviews=r)).p_pass for r in (1, 4, 16, 64)]

    assert chances == sorted(chances)


def test_it_respects_the_plans_boundaries():
    objectives = _objectives(0.6, reviews=40)
    lenient = Boundaries(**{**ST0070.__dict__, "pass_marks": 25, "distinction_marks": 35})
    strict = Boundaries(**{**ST0070.__dict__, "pass_marks": 35, "distinction_marks": 45})

    lenient_r, usual, strict_r = (
        _predict(objectives, boundaries=b) for b in (lenient, ST0070, strict)
    )

    assert lenient_r.p_pass > usual.p_pass > strict_r.p_pass
    assert lenient_r.p_distinction > usual.p_distinction > strict_r.p_distinction


def test_a_mock_at_exactly_the_pass_mark_gives_about_even_chances():
    objectives = _objectives(0.0, reviews=0, seen=0)

    readiness = _predict(objectives, _mocks(*[60] * 5))

    # 60% of 50 is 30, the pass mark exactly; the continuity correction puts it a little above.
    assert 0.5 < readiness.p_pass < 0.65


def test_the_grade_is_the_likeliest_band_named_as_in_the_plan():
    plan = Boundaries(**{**ST0070.__dict__, "pass_grade": "Pass", "fail_grade": "Not yet"})

    assert _predict(_objectives(0.1), boundaries=plan).grade == "Not yet"
    assert _predict(_objectives(0.5), boundaries=plan).grade == "Pass"
    assert _predict(_objectives(0.95), boundaries=plan).grade == "Distinction"


def test_the_reasons_are_the_three_weakest_objectives_with_their_mastery():
    objectives = [
        ObjectiveEvidence(key=k, label=f"O{k}", mastery=m, items=4, seen_items=4, reviews=8)
        for k, m in enumerate([0.9, 0.2, 0.6, 0.1, 0.4])
    ]

    reasons = _predict(objectives).reasons

    assert [(r.label, r.mastery) for r in reasons] == [("O3", 0.1), ("O1", 0.2), ("O4", 0.4)]
    assert reasons[0].mastery_percent == 10


def test_without_a_knowledge_test_it_uses_mastery_only():
    weak, strong = (
        _predict(_objectives(0.3), boundaries=MASTERY_ONLY),
        _predict(_objectives(0.9), boundaries=MASTERY_ONLY),
    )

    assert weak.is_mastery_only
    assert weak.mock_count == 0
    assert weak.p_pass < 0.05 < 0.95 < strong.p_pass
    assert _predict(_objectives(0.9), _mocks(10), boundaries=MASTERY_ONLY).p_pass == strong.p_pass


def test_without_any_evidence_it_says_so():
    readiness = _predict(_objectives(0.0, reviews=0, seen=0))

    assert not readiness.has_evidence
    assert 0.05 < readiness.p_pass < 0.95


@pytest.mark.parametrize(
    ("p", "text"), [(0.0, "under 1%"), (0.004, "under 1%"), (0.5, "50%"), (0.996, "over 99%")]
)
def test_it_never_claims_certainty(p, text):
    assert probability_text(p) == text


def test_it_says_when_the_evidence_is_thin():
    thin = _predict(_objectives(0.1, seen=1, items=10))
    broad = _predict(_objectives(0.5, seen=4, items=4))

    assert (thin.practised_questions, thin.questions) == (3, 30)
    assert thin.is_thin
    assert not broad.is_thin


def test_the_grade_is_the_highest_one_more_likely_than_not():
    for mastery in (0.2, 0.45, 0.6, 0.75, 0.9):
        readiness = _predict(_objectives(mastery))
        expected = (
            "Distinction"
            if readiness.p_distinction >= 0.5
            else "Pass"
            if readiness.p_pass >= 0.5
            else "Fail"
        )
        assert readiness.grade == expected


def _partly_practised(seen: int, *, recall: float = 0.95) -> list[ObjectiveEvidence]:
    """Fifteen objectives of eight questions, `seen` of each practised and recalled at `recall`."""
    return [
        ObjectiveEvidence(
            key=k,
            label=f"Objective {k}",
            mastery=recall * seen / 8,
            items=8,
            seen_items=seen,
            reviews=2 * seen,
        )
        for k in range(15)
    ]


def test_high_practised_recall_with_low_coverage_is_not_a_distinction():
    # A quarter of the questions practised and recalled at 95%, the rest never seen.
    for boundaries in (ST0070, MASTERY_ONLY):
        low = readiness_predict(objectives=_partly_practised(2), mocks=[], boundaries=boundaries)
        assert low.is_predictable
        assert low.grade == "Pass"
        assert low.p_distinction is not None
        assert low.p_distinction < 0.45
        # The demo's case (45 of 120 practised) is no longer a near-certain distinction.
        demo = readiness_predict(objectives=_partly_practised(3), mocks=[], boundaries=boundaries)
        assert demo.p_distinction is not None
        assert demo.p_distinction < 0.6
        # The same recall over every question is a distinction: coverage is what holds it back.
        full = readiness_predict(objectives=_partly_practised(8), mocks=[], boundaries=boundaries)
        assert full.grade == "Distinction"
        assert full.expected > low.expected + 0.1
