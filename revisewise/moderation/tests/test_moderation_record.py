from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from revisewise.audit.models import AuditAction, AuditEvent
from revisewise.marking.models import MachineMark, Moderation, ModerationDecision
from revisewise.moderation.services import Derived, mark_derive, moderation_record
from revisewise.moderation.tests.factories import POINTS, mark_for


def verdicts(*values: str, comments: tuple[str, ...] = ()) -> list[dict[str, str]]:
    notes = comments or ("",) * len(values)
    return [
        {"point": p, "verdict": v, "comment": c}
        for p, v, c in zip(POINTS, values, notes, strict=True)
    ]


def test_it_confirms_a_mark_identical_to_the_machines(tutor, learner):
    mark = mark_for(learner)
    moderation = moderation_record(
        tutor=tutor, mark=mark, point_verdicts=verdicts("met", "partly_met", "not_met"), comment=""
    )
    assert moderation.decision == ModerationDecision.CONFIRMED
    assert (moderation.label, moderation.score) == (mark.label, mark.score)
    assert [r["machine"] for r in moderation.point_verdicts] == ["met", "partly_met", "not_met"]


def test_it_overrides_a_point_and_derives_label_and_score_from_the_tutors_verdicts(tutor, learner):
    mark = mark_for(learner)
    moderation = moderation_record(
        tutor=tutor,
        mark=mark,
        point_verdicts=verdicts("met", "met", "met", comments=("", "", "Next steps are there.")),
        comment="Full marks.",
    )
    assert moderation.decision == ModerationDecision.OVERRIDDEN
    assert (moderation.label, moderation.score) == ("correct", 1.0)
    assert moderation.point_verdicts[2] == {
        "point": POINTS[2],
        "machine": "not_met",
        "tutor": "met",
        "comment": "Next steps are there.",
    }
    assert moderation.comment == "Full marks."


def test_it_appends_and_never_updates_so_the_newest_wins(tutor, learner):
    mark = mark_for(learner)
    first = moderation_record(
        tutor=tutor, mark=mark, point_verdicts=verdicts("met", "met", "met"), comment="first"
    )
    second = moderation_record(
        tutor=tutor, mark=mark, point_verdicts=verdicts("not_met", "not_met", "not_met"), comment=""
    )
    first.refresh_from_db()
    assert (first.label, first.comment) == ("correct", "first")
    assert Moderation.objects.filter(mark=mark).count() == 2
    assert mark.moderations.order_by("-created_at", "-pk").first() == second
    assert (second.label, second.score) == ("incorrect", 0.0)
    mark.refresh_from_db()
    assert (mark.label, mark.score) == ("partially_correct", 0.55)
    assert MachineMark.objects.count() == 1


def test_it_refuses_a_tutor_of_another_centre(other_tutor, learner):
    mark = mark_for(learner)
    with pytest.raises(PermissionDenied):
        moderation_record(
            tutor=other_tutor, mark=mark, point_verdicts=verdicts("met", "met", "met"), comment=""
        )
    assert not Moderation.objects.exists()
    assert not AuditEvent.objects.exists()


def test_it_refuses_the_learner_themself(learner):
    mark = mark_for(learner)
    with pytest.raises(PermissionDenied):
        moderation_record(
            tutor=learner, mark=mark, point_verdicts=verdicts("met", "met", "met"), comment=""
        )


@pytest.mark.parametrize(
    ("rows", "message"),
    [
        (verdicts("met", "met", "met")[:2], "Choose a verdict for"),
        (verdicts("met", "met", "perfect"), "Choose a verdict for"),
        ([*verdicts("met", "met", "met"), {"point": "Invented", "verdict": "met"}], "unknown"),
        ([*verdicts("met", "met", "met"), verdicts("met", "met", "met")[0]], "twice"),
    ],
)
def test_it_rejects_missing_unknown_or_invalid_verdicts(tutor, learner, rows, message):
    mark = mark_for(learner)
    with pytest.raises(ValidationError, match=message):
        moderation_record(tutor=tutor, mark=mark, point_verdicts=rows, comment="")
    assert not Moderation.objects.exists()


def test_it_rejects_an_overlong_comment(tutor, learner):
    mark = mark_for(learner)
    with pytest.raises(ValidationError, match="2,000 characters"):
        moderation_record(
            tutor=tutor, mark=mark, point_verdicts=verdicts("met", "met", "met"), comment="x" * 2001
        )


def test_it_records_an_audit_event_about_the_learner(tutor, learner, cohort):
    mark = mark_for(learner)
    moderation = moderation_record(
        tutor=tutor, mark=mark, point_verdicts=verdicts("met", "met", "met"), comment=""
    )
    event = AuditEvent.objects.get()
    assert event.action == AuditAction.MARK_MODERATED
    assert (event.actor, event.subject, event.centre) == (tutor, learner, cohort.centre)
    assert event.detail["moderation"] == str(moderation.uuid)
    assert event.detail["decision"] == "overridden"


def test_a_misconception_the_tutor_upholds_makes_the_answer_contradictory(tutor, learner):
    mark = mark_for(
        learner,
        label="contradictory",
        score=0.3,
        misconception=("Complaints are always negative.", "Complaints help.", "say sorry"),
    )
    kept = moderation_record(
        tutor=tutor, mark=mark, point_verdicts=verdicts("met", "met", "met"), comment=""
    )
    assert (kept.decision, kept.label, kept.score) == ("overridden", "contradictory", 0.3)
    dropped = moderation_record(
        tutor=tutor,
        mark=mark,
        point_verdicts=verdicts("met", "partly_met", "not_met"),
        comment="",
        misconception_upheld=False,
    )
    assert (dropped.decision, dropped.label, dropped.score) == (
        "overridden",
        "partially_correct",
        0.5,
    )


def test_a_mark_with_no_points_is_moderated_as_a_whole(tutor, learner):
    mark = mark_for(learner, points=(), verdicts=(), evidence=(), label="incorrect", score=0.1)
    moderation = moderation_record(
        tutor=tutor, mark=mark, point_verdicts=[], comment="", label="correct"
    )
    assert (moderation.decision, moderation.label, moderation.score) == (
        "overridden",
        "correct",
        1.0,
    )
    with pytest.raises(ValidationError, match="Choose a mark"):
        moderation_record(tutor=tutor, mark=mark, point_verdicts=[], comment="")


@pytest.mark.parametrize(
    ("given", "label", "score"),
    [
        (("met", "met"), "correct", 1.0),
        (("met", "partly_met"), "partially_correct", 0.75),
        (("partly_met", "not_met"), "partially_correct", 0.25),
        (("not_met", "not_met"), "incorrect", 0.0),
    ],
)
def test_it_derives_labels_by_the_engines_point_rules(given, label, score):
    assert mark_derive(verdicts=given, misconception_shown=False) == Derived(label, score)
