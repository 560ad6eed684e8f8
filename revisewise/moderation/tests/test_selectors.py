from __future__ import annotations

import random

import pytest
from django.http import Http404
from sklearn.metrics import cohen_kappa_score

from revisewise.moderation.selectors import (
    cohen_kappa,
    kappa_strength,
    mark_get_for_tutor,
    moderation_queue_for_tutor,
    moderation_summary_for_learners,
)
from revisewise.moderation.services import moderation_record
from revisewise.moderation.tests.factories import POINTS, MarkFlagFactory, learner_in, mark_for

MACHINE = [
    "met",
    "met",
    "met",
    "partly_met",
    "not_met",
    "not_met",
    "met",
    "partly_met",
    "not_met",
    "met",
]
TUTOR = [
    "met",
    "met",
    "partly_met",
    "partly_met",
    "not_met",
    "met",
    "met",
    "not_met",
    "not_met",
    "met",
]


def moderate(tutor, mark, *verdicts: str):
    rows = [
        {"point": p, "verdict": v, "comment": ""} for p, v in zip(POINTS, verdicts, strict=True)
    ]
    return moderation_record(tutor=tutor, mark=mark, point_verdicts=rows, comment="")


def test_kappa_matches_a_hand_computed_example():
    # p_o = 7/10; both raters: met 5, partly 2, not 3, so p_e = (25 + 4 + 9) / 100 = 0.38.
    # kappa = (0.7 - 0.38) / (1 - 0.38) = 0.32 / 0.62.
    assert cohen_kappa(list(zip(MACHINE, TUTOR, strict=True))) == pytest.approx(0.32 / 0.62)


def test_kappa_matches_sklearn_on_random_ratings():
    rng = random.Random(20261124)
    labels = ["met", "partly_met", "not_met"]
    for _ in range(50):
        n = rng.randint(2, 60)
        first = [rng.choice(labels) for _ in range(n)]
        second = [a if rng.random() < 0.6 else rng.choice(labels) for a in first]
        if len(set(first) | set(second)) == 1:
            continue
        expected = cohen_kappa_score(first, second)
        assert cohen_kappa(list(zip(first, second, strict=True))) == pytest.approx(expected)


def test_kappa_is_undefined_with_no_pairs_or_a_single_category():
    assert cohen_kappa([]) is None
    assert cohen_kappa([("met", "met"), ("met", "met")]) is None


def test_kappa_strength_reads_as_plain_english():
    assert [kappa_strength(k) for k in (-0.1, 0.1, 0.3, 0.5, 0.7, 0.9)] == [
        "worse than chance",
        "slight",
        "fair",
        "moderate",
        "substantial",
        "almost perfect",
    ]


def test_the_summary_counts_waiting_answers_and_agreement_with_the_newest_moderation(
    tutor, learner, cohort
):
    second = learner_in(cohort)
    first_mark = mark_for(learner, verdicts=tuple(MACHINE[:3]))
    second_mark = mark_for(learner, verdicts=tuple(MACHINE[3:6]))
    third_mark = mark_for(second, verdicts=tuple(MACHINE[6:9]))
    mark_for(second)
    mark_for(second)
    moderate(tutor, first_mark, "not_met", "not_met", "not_met")  # replaced below: newest wins
    moderate(tutor, first_mark, *TUTOR[:3])
    moderate(tutor, second_mark, *TUTOR[3:6])
    moderate(tutor, third_mark, *TUTOR[6:9])
    summary = moderation_summary_for_learners(learner_ids=[learner.pk, second.pk])
    assert summary.awaiting_by_learner == {learner.pk: 0, second.pk: 2}
    pairs = list(zip(MACHINE[:9], TUTOR[:9], strict=True))
    assert summary.n == 9
    assert summary.agreement_percent == round(100 * 6 / 9, 1)
    assert summary.kappa == round(cohen_kappa_score(MACHINE[:9], TUTOR[:9]), 3)
    assert summary.kappa == round(cohen_kappa(pairs) or 0, 3)
    assert summary.label_n == 3


def test_the_summary_of_no_moderations_has_no_agreement(learner):
    mark_for(learner)
    summary = moderation_summary_for_learners(learner_ids=[learner.pk])
    assert summary.awaiting_by_learner == {learner.pk: 1}
    assert (summary.agreement_percent, summary.kappa, summary.n) == (None, None, 0)


def test_the_summary_uses_two_queries(django_assert_num_queries, tutor, cohort):
    learners = [learner_in(cohort) for _ in range(4)]
    for learner in learners:
        moderate(tutor, mark_for(learner), "met", "met", "not_met")
        mark_for(learner)
    with django_assert_num_queries(2):
        moderation_summary_for_learners(learner_ids=[p.pk for p in learners])


@pytest.mark.parametrize("answers", [3, 30])
def test_the_queue_takes_one_query_however_long(django_assert_num_queries, answers, tutor, cohort):
    learners = [learner_in(cohort) for _ in range(3)]
    for index in range(answers):
        mark = mark_for(learners[index % 3])
        if index % 4 == 0:
            MarkFlagFactory.create(mark=mark)
        if index % 5 == 0:
            moderate(tutor, mark, "met", "met", "met")
    with django_assert_num_queries(1):
        queue = moderation_queue_for_tutor(tutor=tutor)
        names = [(str(e.answer.learner), e.answer.item.stem, e.mark.label) for e in queue.entries]
    assert len(names) == queue.total == answers


def test_the_queue_counts_beyond_its_limit(django_assert_num_queries, tutor, learner):
    for _ in range(4):
        mark_for(learner)
    with django_assert_num_queries(2):
        queue = moderation_queue_for_tutor(tutor=tutor, limit=3)
    assert (len(queue.entries), queue.total) == (3, 4)


def test_the_newest_mark_of_an_answer_is_the_one_in_the_queue(tutor, learner):
    from revisewise.moderation.tests.factories import MachineMarkFactory

    first = mark_for(learner)
    remark = MachineMarkFactory.create(answer=first.answer, engine_version="1.1.0")
    assert [e.mark for e in moderation_queue_for_tutor(tutor=tutor).entries] == [remark]


def test_a_mark_is_found_only_for_the_learners_tutor(tutor, other_tutor, learner):
    mark = mark_for(learner)
    assert mark_get_for_tutor(tutor=tutor, mark_uuid=str(mark.uuid)) == mark
    for person in (other_tutor, learner):
        with pytest.raises(Http404):
            mark_get_for_tutor(tutor=person, mark_uuid=str(mark.uuid))
